// The consensus write-ahead log. The engine appends every message it signs (and every lock) before the
// message leaves the node; on start it reads everything back, so a restart never signs two different
// votes for one (height, round, step). The node implements Wal over a file with fsync; tests and the
// simulator use MemoryWal, which can crash mid-append.
//
// Framing: u32 big-endian payload length, 4-byte checksum (first bytes of SHA-256(payload)), payload.
// The payload is one canonical v1::WalRecord (consensus/wire.h: decode_wal_record): a proposal or
// vote this validator signed, or a lock.
// A record cut short at the end of the log (a torn append that never returned) is dropped; a record
// whose checksum fails with more records after it is corruption: the node must stop, never start on
// lost state.
#pragma once

#include <string>
#include <vector>

#include "ledger/bytes.h"

namespace joet::consensus {

class Wal {
 public:
  virtual ~Wal() = default;
  // Returns only once the record is durable. An error means the record may or may not be there.
  virtual Status append(ByteView record) = 0;
  // Every durable record in order; kCorruption when the log is corrupt before its tail. Cuts a torn
  // tail off, so later appends follow the last intact record.
  virtual Result<std::vector<Bytes>> read_all() = 0;
  // Durably drops every record (after a height is committed, its records are no longer needed).
  virtual Status truncate() = 0;
};

inline constexpr size_t kMaxWalRecordBytes = 32u << 20;

Bytes frame_wal_record(ByteView payload);
// Parses a whole log image. `name` is used in errors (the file name, for the node). valid_bytes, when
// given, receives the length of the intact prefix: the WAL cuts a torn tail there before appending.
Result<std::vector<Bytes>> parse_wal(ByteView log, const std::string& name, size_t* valid_bytes = nullptr);

// In memory. crash_at_append(k, keep): the k-th append from now (0 = the next) writes only the first
// `keep` bytes of its frame (a torn write; keep >= frame size means the whole record lands) and then
// fails as a crash would: the caller must not send what it was logging.
class MemoryWal : public Wal {
 public:
  Status append(ByteView record) override;
  Result<std::vector<Bytes>> read_all() override;
  Status truncate() override;

  void crash_at_append(uint64_t k, size_t keep_bytes);
  bool crashed() const { return crashed_; }
  void reset_crash() { crashed_ = false; }  // the restart: the node comes back with the same log
  uint64_t appends() const { return appends_; }
  Bytes& image() { return log_; }  // for corruption tests

 private:
  Bytes log_;
  uint64_t appends_ = 0;
  bool crash_armed_ = false;
  uint64_t crash_countdown_ = 0;
  size_t crash_keep_ = 0;
  bool crashed_ = false;
};

}  // namespace joet::consensus
