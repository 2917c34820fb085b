#include "ledger/kv_store.h"

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

#include <filesystem>

namespace joet {

std::optional<std::optional<Bytes>> WriteBatch::find(ByteView key) const {
  auto it = ops_.find(Bytes(key.begin(), key.end()));
  if (it == ops_.end()) return std::nullopt;
  return it->second;
}

Result<std::optional<Bytes>> OverlayReader::get(ByteView key) const {
  if (auto staged = batch_.find(key)) return *staged;
  return base_.get(key);
}

// ------------------------------------------------------------------ MemoryKvStore

Result<std::optional<Bytes>> MemoryKvStore::get(ByteView key) const {
  auto it = live_.find(Bytes(key.begin(), key.end()));
  if (it == live_.end()) return std::optional<Bytes>();
  return std::optional<Bytes>(it->second);
}

Status MemoryKvStore::write(const WriteBatch& batch, bool sync) {
  for (const auto& [k, v] : batch.ops()) {
    if (v) {
      live_[k] = *v;
    } else {
      live_.erase(k);
    }
    unsynced_[k] = v;
  }
  if (sync) {  // a sync makes everything written so far durable, as fsync does
    for (auto& [k, v] : unsynced_) {
      if (v) {
        synced_[k] = std::move(*v);
      } else {
        synced_.erase(k);
      }
    }
    unsynced_.clear();
  }
  return Status();
}

Status MemoryKvStore::scan(ByteView begin, ByteView end,
                           const std::function<bool(ByteView, ByteView)>& visit) const {
  Bytes b(begin.begin(), begin.end());
  Bytes e(end.begin(), end.end());
  for (auto it = live_.lower_bound(b); it != live_.end(); ++it) {
    if (!e.empty() && !(it->first < e)) break;
    if (!visit(it->first, it->second)) break;
  }
  return Status();
}

void MemoryKvStore::crash() {
  live_ = synced_;
  unsynced_.clear();
}

// ------------------------------------------------------------------ LevelDbKvStore

struct LevelDbKvStore::Impl {
  std::unique_ptr<leveldb::Cache> cache;
  std::unique_ptr<const leveldb::FilterPolicy> filter;
  std::unique_ptr<leveldb::DB> db;
};

namespace {
leveldb::Slice slice(ByteView b) { return leveldb::Slice(reinterpret_cast<const char*>(b.data()), b.size()); }
ByteView view(const leveldb::Slice& s) { return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

Error from_leveldb(const leveldb::Status& s, const std::string& path, const std::string& what) {
  ErrorCode code = s.IsCorruption() ? ErrorCode::kCorruption
                   : s.IsNotFound() ? ErrorCode::kNotFound
                                    : ErrorCode::kIoError;
  return make_error(code, what + " " + path + ": " + s.ToString());
}
}  // namespace

LevelDbKvStore::LevelDbKvStore(std::string path, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), impl_(std::move(impl)) {}

LevelDbKvStore::~LevelDbKvStore() = default;

Result<std::unique_ptr<LevelDbKvStore>> LevelDbKvStore::open(const std::string& path, const Options& options) {
  std::error_code ec;
  if (!options.create_if_missing && !std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec)) {
    return make_error(ErrorCode::kNotFound, "no database at " + path + " (missing CURRENT file)");
  }
  auto impl = std::make_unique<Impl>();
  impl->cache.reset(leveldb::NewLRUCache(options.block_cache_bytes));
  impl->filter.reset(leveldb::NewBloomFilterPolicy(10));
  leveldb::Options o;
  o.create_if_missing = options.create_if_missing;
  o.paranoid_checks = true;  // refuse to open on detected corruption rather than guess
  o.block_cache = impl->cache.get();
  o.filter_policy = impl->filter.get();
  o.write_buffer_size = 16u << 20;
  // Hashes and signatures do not compress; Snappy only cost CPU here.
  o.compression = leveldb::kNoCompression;
  leveldb::DB* raw = nullptr;
  leveldb::Status s = leveldb::DB::Open(o, path, &raw);
  if (!s.ok()) return from_leveldb(s, path, "cannot open database");
  impl->db.reset(raw);
  return std::unique_ptr<LevelDbKvStore>(new LevelDbKvStore(path, std::move(impl)));
}

Result<std::optional<Bytes>> LevelDbKvStore::get(ByteView key) const {
  leveldb::ReadOptions ro;
  ro.verify_checksums = true;
  std::string value;
  leveldb::Status s = impl_->db->Get(ro, slice(key), &value);
  if (s.IsNotFound()) return std::optional<Bytes>();
  if (!s.ok()) return from_leveldb(s, path_, "read failed in");
  return std::optional<Bytes>(Bytes(value.begin(), value.end()));
}

Status LevelDbKvStore::write(const WriteBatch& batch, bool sync) {
  leveldb::WriteBatch wb;
  for (const auto& [k, v] : batch.ops()) {
    if (v) {
      wb.Put(slice(k), slice(*v));
    } else {
      wb.Delete(slice(k));
    }
  }
  leveldb::WriteOptions wo;
  wo.sync = sync;
  leveldb::Status s = impl_->db->Write(wo, &wb);
  if (!s.ok()) return from_leveldb(s, path_, "write failed in");
  return Status();
}

Status LevelDbKvStore::scan(ByteView begin, ByteView end,
                            const std::function<bool(ByteView, ByteView)>& visit) const {
  leveldb::ReadOptions ro;
  ro.verify_checksums = true;
  std::unique_ptr<leveldb::Iterator> it(impl_->db->NewIterator(ro));
  for (it->Seek(slice(begin)); it->Valid(); it->Next()) {
    ByteView k = view(it->key());
    if (!end.empty() && !std::lexicographical_compare(k.begin(), k.end(), end.begin(), end.end())) break;
    if (!visit(k, view(it->value()))) break;
  }
  if (!it->status().ok()) return from_leveldb(it->status(), path_, "scan failed in");
  return Status();
}

}  // namespace joet
