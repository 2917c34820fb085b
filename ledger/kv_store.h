// Storage behind an interface (LevelDB's Env in spirit): the ledger's stores and the consensus WAL
// take a KvStore; production uses LevelDbKvStore, tests use MemoryKvStore, which can also lose what
// was not synced, to simulate a crash.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "ledger/bytes.h"

namespace joet {

// Reads by key. get() gives nullopt when the key is absent and an Error only when the store failed.
class KvReader {
 public:
  virtual ~KvReader() = default;
  virtual Result<std::optional<Bytes>> get(ByteView key) const = 0;
};

// An ordered set of puts and deletes applied atomically; the last write to a key wins.
class WriteBatch {
 public:
  void put(ByteView key, ByteView value) { ops_[Bytes(key.begin(), key.end())] = Bytes(value.begin(), value.end()); }
  void del(ByteView key) { ops_[Bytes(key.begin(), key.end())] = std::nullopt; }
  // nullopt: the batch does not touch the key; optional(nullopt): the batch deletes it.
  std::optional<std::optional<Bytes>> find(ByteView key) const;
  const std::map<Bytes, std::optional<Bytes>>& ops() const { return ops_; }
  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  void clear() { ops_.clear(); }

 private:
  std::map<Bytes, std::optional<Bytes>> ops_;
};

class KvStore : public KvReader {
 public:
  // Applies the batch atomically; with sync, returns only once it is durable (fsync).
  virtual Status write(const WriteBatch& batch, bool sync) = 0;
  // Visits keys in [begin, end) in ascending order (end empty = no upper bound) until visit returns false.
  virtual Status scan(ByteView begin, ByteView end,
                      const std::function<bool(ByteView key, ByteView value)>& visit) const = 0;
};

// A reader that sees a pending batch over a store: what a block's own writes look like before commit.
class OverlayReader : public KvReader {
 public:
  OverlayReader(const KvReader& base, const WriteBatch& batch) : base_(base), batch_(batch) {}
  Result<std::optional<Bytes>> get(ByteView key) const override;

 private:
  const KvReader& base_;
  const WriteBatch& batch_;
};

// In memory, for tests. Writes without sync stay "unsynced" until the next synced write; crash()
// drops them, as a power cut drops data that was never fsynced.
class MemoryKvStore : public KvStore {
 public:
  Result<std::optional<Bytes>> get(ByteView key) const override;
  Status write(const WriteBatch& batch, bool sync) override;
  Status scan(ByteView begin, ByteView end,
              const std::function<bool(ByteView key, ByteView value)>& visit) const override;

  void crash();     // lose every write that was not synced
  size_t size() const { return live_.size(); }

 private:
  std::map<Bytes, Bytes> live_;                     // what reads see
  std::map<Bytes, Bytes> synced_;                   // what survives crash()
  std::map<Bytes, std::optional<Bytes>> unsynced_;  // writes since the last sync, last one per key
};

// LevelDB on disk. open() never creates silently unless asked: a missing or corrupt database is an
// Error naming the path.
class LevelDbKvStore : public KvStore {
 public:
  struct Options {
    bool create_if_missing = false;
    size_t block_cache_bytes = 64u << 20;
  };
  static Result<std::unique_ptr<LevelDbKvStore>> open(const std::string& path, const Options& options);
  ~LevelDbKvStore() override;

  Result<std::optional<Bytes>> get(ByteView key) const override;
  Status write(const WriteBatch& batch, bool sync) override;
  Status scan(ByteView begin, ByteView end,
              const std::function<bool(ByteView key, ByteView value)>& visit) const override;
  const std::string& path() const { return path_; }

 private:
  struct Impl;
  LevelDbKvStore(std::string path, std::unique_ptr<Impl> impl);
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace joet
