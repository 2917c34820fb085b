// The consensus write-ahead log. The engine appends every message it signs (and every lock) before the
// message leaves the node; on start it reads everything back, so a restart never signs two different
// votes for one (height, round, step). The node implements Wal over a file with fsync; tests and the
// simulator use MemoryWal, which can crash mid-append.
//
// Framing: a 12-byte header, then the payload.
//   bytes 0..3   u32 big-endian payload length n (n <= kMaxWalRecordBytes)
//   bytes 4..7   header check:  first 4 bytes of tagged_hash(kWalFrameHeaderTag, length bytes)
//   bytes 8..11  payload check: first 4 bytes of tagged_hash(kWalFramePayloadTag, length bytes || payload)
//   bytes 12..   the payload, n bytes
// The length is covered by its own check, so a damaged length is never mistaken for a short file. The
// payload is one canonical v1::WalRecord (consensus/wire.h: decode_wal_record): a proposal or vote this
// validator signed, or a lock.
//
// Torn tail or corruption, at the start of each frame (conservative: anything not surely a torn append
// is corruption). The rest of the log, from that frame on, is a torn tail (dropped; the WAL cuts it)
// ONLY when
//   (a) fewer bytes remain than a header, or
//   (b) the header verifies and the log ends before the frame does, or
//   (c) every remaining byte is zero (the file grew but the data never reached the disk).
// Anything else is kCorruption naming the log and the byte offset of the frame: a header that does not
// verify, a verified length over kMaxWalRecordBytes, a payload check that fails (the last record too:
// an acknowledged vote must never vanish). The node refuses to start and the log is left untouched for
// the operator; it never starts on lost state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ledger/bytes.h"

namespace joet::consensus {

class Wal {
 public:
  virtual ~Wal() = default;
  // Returns only once the record is durable. An error means the record may or may not be there.
  virtual Status append(ByteView record) = 0;
  // Every durable record in order. Cuts a torn tail off (see the rule above), so later appends follow
  // the last intact record; kCorruption, changing nothing, when the log is corrupt anywhere.
  virtual Result<std::vector<Bytes>> read_all() = 0;
  // Durably drops every record (after a height is committed, its records are no longer needed).
  virtual Status truncate() = 0;
};

inline constexpr size_t kMaxWalRecordBytes = 32u << 20;
inline constexpr size_t kWalFrameHeaderBytes = 12;
inline constexpr std::string_view kWalFrameHeaderTag = "joet/wal-frame-header";
inline constexpr std::string_view kWalFramePayloadTag = "joet/wal-frame-payload";

Bytes frame_wal_record(ByteView payload);
// Parses a whole log image. `name` is used in errors (the file name, for the node). valid_bytes, when
// given, receives the length of the intact prefix: the WAL cuts a torn tail there before appending.
// On kCorruption valid_bytes is left unchanged.
// A log written by an earlier version (format 1: u32 length | first 4 bytes of SHA-256(payload) |
// payload, no header check) is recognised only when every one of its frames verifies (a torn last
// frame aside): with `format1` given, its records are returned and *format1 is set, and the caller
// rewrites the log in this format (FileWal and MemoryWal do, in read_all); without it, kCorruption.
Result<std::vector<Bytes>> parse_wal(ByteView log, const std::string& name, size_t* valid_bytes = nullptr,
                                     bool* format1 = nullptr);
// The frames of `records` in this format: what a log rewritten from format 1 holds.
Bytes frame_wal_records(const std::vector<Bytes>& records);

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
