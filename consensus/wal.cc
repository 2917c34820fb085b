#include "consensus/wal.h"

#include <algorithm>
#include <array>
#include <optional>

#include "ledger/hash.h"

namespace joet::consensus {

namespace {

using Check = std::array<uint8_t, 4>;
using LengthBytes = std::array<uint8_t, 4>;

LengthBytes encode_length(uint32_t n) {
  return {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
          static_cast<uint8_t>(n)};
}

uint32_t decode_length(ByteView bytes) {
  JOET_ASSERT(bytes.size() >= 4);
  uint32_t n = 0;
  for (size_t i = 0; i < 4; ++i) n = (n << 8) | bytes[i];
  return n;
}

Check first_four(const Hash32& h) { return {h[0], h[1], h[2], h[3]}; }

Check header_check(ByteView length) { return first_four(tagged_hash(kWalFrameHeaderTag, length)); }

Check payload_check(ByteView length, ByteView payload) {
  return first_four(tagged_hash(kWalFramePayloadTag, {length, payload}));
}

bool matches(ByteView stored, const Check& check) {
  JOET_ASSERT(stored.size() == check.size());
  return std::equal(check.begin(), check.end(), stored.begin());
}

bool all_zero(ByteView bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

Error corruption(const std::string& name, size_t offset, const std::string& what) {
  return make_error(ErrorCode::kCorruption, "consensus WAL " + name + ": the record at byte " + std::to_string(offset) +
                                                " is corrupt (" + what +
                                                "); refusing to start, the file is left as it is for inspection");
}

// Format 1 (before the header check existed): every frame complete and verified, except a last one
// cut short. nullopt when any frame fails: then it is no format-1 log.
std::optional<std::vector<Bytes>> parse_format1(ByteView log) {
  std::vector<Bytes> records;
  size_t pos = 0;
  while (log.size() - pos >= 8) {
    const uint32_t n = decode_length(log.subspan(pos, 4));
    if (n > kMaxWalRecordBytes) return std::nullopt;
    if (log.size() - pos - 8 < n) break;  // a torn last frame
    const ByteView payload = log.subspan(pos + 8, n);
    if (!matches(log.subspan(pos + 4, 4), first_four(sha256(payload)))) return std::nullopt;
    records.emplace_back(payload.begin(), payload.end());
    pos += 8 + n;
  }
  if (records.empty()) return std::nullopt;
  return records;
}

}  // namespace

Bytes frame_wal_records(const std::vector<Bytes>& records) {
  Bytes out;
  for (const Bytes& r : records) {
    const Bytes frame = frame_wal_record(r);
    out.insert(out.end(), frame.begin(), frame.end());
  }
  return out;
}

Bytes frame_wal_record(ByteView payload) {
  JOET_ASSERT(payload.size() <= kMaxWalRecordBytes);
  const LengthBytes length = encode_length(static_cast<uint32_t>(payload.size()));
  const Check header = header_check(length);
  const Check body = payload_check(length, payload);
  Bytes out;
  out.reserve(kWalFrameHeaderBytes + payload.size());
  out.insert(out.end(), length.begin(), length.end());
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), body.begin(), body.end());
  out.insert(out.end(), payload.begin(), payload.end());
  JOET_ASSERT(out.size() == kWalFrameHeaderBytes + payload.size());
  // A real frame is never all zero, so rule (c) of parse_wal can only ever drop bytes that are no frame.
  JOET_ASSERT(!all_zero(ByteView(out).first(kWalFrameHeaderBytes)));
  return out;
}

Result<std::vector<Bytes>> parse_wal(ByteView log, const std::string& name, size_t* valid_bytes, bool* format1) {
  std::vector<Bytes> records;
  size_t pos = 0;
  while (pos < log.size()) {
    const ByteView rest = log.subspan(pos);
    if (rest.size() < kWalFrameHeaderBytes) break;  // (a) a header cut short: torn
    if (all_zero(rest)) break;                      // (c) the file grew, its data never landed: torn
    const ByteView length = rest.first(4);
    if (!matches(rest.subspan(4, 4), header_check(length))) {
      if (pos == 0) {
        if (auto old = parse_format1(log)) {
          if (format1 == nullptr) return corruption(name, pos, "it was written by an earlier version, format 1");
          *format1 = true;
          if (valid_bytes != nullptr) *valid_bytes = log.size();
          return std::move(*old);
        }
      }
      return corruption(name, pos, "its header check fails");
    }
    const uint32_t n = decode_length(length);
    if (n > kMaxWalRecordBytes) {
      return corruption(name, pos,
                        "its length " + std::to_string(n) + " is over the limit " + std::to_string(kMaxWalRecordBytes));
    }
    if (rest.size() - kWalFrameHeaderBytes < n) break;  // (b) a good header, the file ends inside the frame: torn
    const ByteView payload = rest.subspan(kWalFrameHeaderBytes, n);
    if (!matches(rest.subspan(8, 4), payload_check(length, payload))) {
      return corruption(name, pos, "its payload check fails");
    }
    records.emplace_back(payload.begin(), payload.end());
    pos += kWalFrameHeaderBytes + n;
  }
  JOET_ASSERT(pos <= log.size());
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
  bool format1 = false;
  auto records = parse_wal(log_, "memory", &valid, &format1);
  if (!records.ok()) return records;  // corrupt: the image stays as it is
  if (format1) {
    log_ = frame_wal_records(*records);
    return records;
  }
  JOET_ASSERT(valid <= log_.size());
  log_.resize(valid);
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
