#include "consensus/wal.h"

#include <algorithm>

#include "ledger/hash.h"

namespace joet::consensus {

namespace {
std::array<uint8_t, 4> checksum(ByteView payload) {
  Hash32 h = sha256(payload);
  return {h[0], h[1], h[2], h[3]};
}
}  // namespace

Bytes frame_wal_record(ByteView payload) {
  JOET_ASSERT(payload.size() <= kMaxWalRecordBytes);
  Bytes out;
  out.reserve(payload.size() + 8);
  uint32_t n = static_cast<uint32_t>(payload.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
  auto sum = checksum(payload);
  out.insert(out.end(), sum.begin(), sum.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Result<std::vector<Bytes>> parse_wal(ByteView log, const std::string& name, size_t* valid_bytes) {
  std::vector<Bytes> records;
  size_t pos = 0;
  while (pos < log.size()) {
    if (log.size() - pos < 8) break;  // torn header at the tail
    uint32_t n = 0;
    for (size_t i = 0; i < 4; ++i) n = (n << 8) | log[pos + i];
    const bool complete = n <= kMaxWalRecordBytes && log.size() - pos - 8 >= n;
    if (!complete) {
      // Beyond the end of the log: a torn append at the tail. An absurd length is torn too when
      // nothing could follow it; the checks below catch the rest.
      break;
    }
    ByteView payload = log.subspan(pos + 8, n);
    auto sum = checksum(payload);
    if (!std::equal(sum.begin(), sum.end(), log.begin() + static_cast<std::ptrdiff_t>(pos + 4))) {
      if (pos + 8 + n == log.size()) break;  // the last record, garbled by a torn write: never acknowledged
      return make_error(ErrorCode::kCorruption, "consensus WAL " + name + ": checksum mismatch in the record at byte " +
                                                    std::to_string(pos) + " with records after it; refusing to start");
    }
    records.emplace_back(payload.begin(), payload.end());
    pos += 8 + n;
  }
  if (valid_bytes != nullptr) *valid_bytes = pos;
  return records;
}

Status MemoryWal::append(ByteView record) {
  JOET_ASSERT(!crashed_);  // a crashed node appends nothing until it restarts
  Bytes frame = frame_wal_record(record);
  if (crash_armed_ && crash_countdown_ == 0) {
    crash_armed_ = false;
    crashed_ = true;
    size_t keep = std::min(crash_keep_, frame.size());
    log_.insert(log_.end(), frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(keep));
    return make_error(ErrorCode::kIoError, "simulated crash during WAL append");
  }
  if (crash_armed_) --crash_countdown_;
  log_.insert(log_.end(), frame.begin(), frame.end());
  ++appends_;
  return Status();
}

Result<std::vector<Bytes>> MemoryWal::read_all() {
  size_t valid = 0;
  auto records = parse_wal(log_, "memory", &valid);
  if (records.ok()) log_.resize(valid);
  return records;
}

Status MemoryWal::truncate() {
  JOET_ASSERT(!crashed_);
  log_.clear();
  return Status();
}

void MemoryWal::crash_at_append(uint64_t k, size_t keep_bytes) {
  crash_armed_ = true;
  crash_countdown_ = k;
  crash_keep_ = keep_bytes;
}

}  // namespace joet::consensus
