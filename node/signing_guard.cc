#include "node/signing_guard.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "consensus/signing_fence.h"
#include "ledger/hash.h"
#include "node/durable_file.h"

namespace joet {
namespace {

constexpr std::string_view kMagic = "JOETSGD2";
constexpr size_t kSequenceAt = 8;
constexpr size_t kHeightAt = 16;
constexpr size_t kKeyAt = 24;
constexpr size_t kChecksumAt = 56;
static_assert(kChecksumAt + 32 == kGuardRecordBytes);
static_assert(kGuardRecordBytes <= kGuardSlotStride);
constexpr mode_t kStateFileMode = 0600;

struct Record {
  uint64_t sequence = 0;
  uint64_t height = 0;
  Hash32 key{};

  friend bool operator==(const Record&, const Record&) = default;
};

std::string prefix(const std::string& path) { return "signing guard " + path + ": "; }

Error io_error(const std::string& path, const std::string& what, int err) {
  return make_error(ErrorCode::kIoError, prefix(path) + what + ": " + std::strerror(err));
}

Error corruption(const std::string& path, const std::string& what) {
  return make_error(ErrorCode::kCorruption,
                    prefix(path) + "corrupt: " + what +
                        "; the last signed height is unknown, so the node will not guess it (docs/joet-node.md, "
                        "\"Keys, the consensus WAL and the signing guard\")");
}

size_t slot_offset(uint64_t sequence) { return static_cast<size_t>(sequence % 2) * kGuardSlotStride; }

Bytes encode_record(const Record& r) {
  Bytes out(kMagic.begin(), kMagic.end());
  put_u64_be(out, r.sequence);
  put_u64_be(out, r.height);
  out.insert(out.end(), r.key.begin(), r.key.end());
  JOET_ASSERT(out.size() == kChecksumAt);
  const Hash32 sum = sha256(ByteView(out));
  out.insert(out.end(), sum.begin(), sum.end());
  JOET_ASSERT(out.size() == kGuardRecordBytes);
  return out;
}

// The record in slot `index` (0 = A, 1 = B) of a whole file image: nullopt when its checksum fails (a
// torn write, or a slot never written); kCorruption when the checksum passes but the record breaks a
// rule of the format (that is no torn write: never fall back past it).
Result<std::optional<Record>> decode_record(ByteView image, size_t index, const std::string& path) {
  JOET_ASSERT(image.size() == kGuardFileBytes && index < 2);
  const ByteView b = image.subspan(index * kGuardSlotStride, kGuardRecordBytes);
  const Hash32 sum = sha256(b.first(kChecksumAt));
  if (!std::equal(sum.begin(), sum.end(), b.begin() + kChecksumAt)) return std::optional<Record>();
  const std::string name = index == 0 ? "record A" : "record B";
  if (!std::equal(kMagic.begin(), kMagic.end(), b.begin())) return corruption(path, name + " has no magic");
  Record r;
  r.sequence = get_u64_be(b.data() + kSequenceAt);
  r.height = get_u64_be(b.data() + kHeightAt);
  if (r.sequence % 2 != index) {
    return corruption(path, name + " holds sequence " + std::to_string(r.sequence) + " of the other slot");
  }
  std::copy(b.begin() + kKeyAt, b.begin() + kChecksumAt, r.key.begin());
  JOET_ASSERT(encode_record(r) == Bytes(b.begin(), b.end()));  // both sides of the disk boundary
  return std::optional<Record>(r);
}

// The newest valid record of a file image.
Result<Record> newest_record(ByteView image, const std::string& path) {
  auto a = decode_record(image, 0, path);
  if (!a.ok()) return a.error();
  auto b = decode_record(image, 1, path);
  if (!b.ok()) return b.error();
  if (!a->has_value() && !b->has_value()) return corruption(path, "neither of its two records passes its checksum");
  if (!a->has_value()) return **b;
  if (!b->has_value()) return **a;
  // Both valid: the older is the one the newer was written after.
  const Record& newer = (*a)->sequence > (*b)->sequence ? **a : **b;
  const Record& older = (*a)->sequence > (*b)->sequence ? **b : **a;
  if (newer.sequence != older.sequence + 1) {
    return corruption(path, "its records have sequences " + std::to_string(older.sequence) + " and " +
                                std::to_string(newer.sequence) + ", not consecutive");
  }
  if (newer.key != older.key) return corruption(path, "its two records name different validator keys");
  if (newer.height < older.height) {
    return corruption(path, "its newer record (height " + std::to_string(newer.height) +
                                ") is below its older one (height " + std::to_string(older.height) + ")");
  }
  return newer;
}

// The directory's fsync makes a created file's entry durable.
Status sync_directory_of(const std::string& path) {
  const std::string dir = parent_directory(path);
  const int err = fsync_directory(dir);
  return err == 0 ? Status() : Status(io_error(dir, "cannot fsync the directory", err));
}

// A new state file recording height 0 for `key` in both slots: written whole to a temp file
// beside it, fsynced, linked into place (link refuses an existing target, so a file created meanwhile
// is kept) and the directory fsynced. The path never holds a partial file. (node/home/file_io.h does
// the same for the home's files; joet_home links this library, so it cannot be used here.)
Status create_state_file(const std::string& path, const PublicKey& key) {
  Bytes image(kGuardFileBytes, 0);
  for (uint64_t sequence : {uint64_t{0}, uint64_t{1}}) {
    const Bytes record = encode_record(Record{sequence, 0, key.bytes()});
    std::copy(record.begin(), record.end(), image.begin() + static_cast<std::ptrdiff_t>(slot_offset(sequence)));
  }
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  ::unlink(tmp.c_str());  // left by a crashed process that had our pid
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kStateFileMode);
  if (fd < 0) return io_error(tmp, "cannot create", errno);
  auto abandon = [&](const std::string& what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return io_error(tmp, what, err);
  };
  if (::fchmod(fd, kStateFileMode) != 0) return abandon("cannot set the mode");  // whatever the umask
  if (!write_all_at(fd, image, 0)) return abandon("cannot write");
  if (::fsync(fd) != 0) return abandon("cannot fsync");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return io_error(tmp, "cannot close", err);
  }
  const bool linked = ::link(tmp.c_str(), path.c_str()) == 0 || errno == EEXIST;
  const int err = errno;
  ::unlink(tmp.c_str());
  if (!linked) return io_error(path, "cannot link " + tmp + " to it", err);
  return sync_directory_of(path);
}

// Writes `next` (the newest record's sequence + 1) into its slot, the one NOT holding the newest record,
// so a torn write leaves that one intact, and syncs it.
Status write_record(int fd, const std::string& path, const Record& next) {
  const Bytes record = encode_record(next);
  if (!write_all_at(fd, record, slot_offset(next.sequence))) return io_error(path, "cannot write", errno);
  // The file's size never changes (it was written whole at creation), so fdatasync covers the record.
  if (::fdatasync(fd) != 0) return io_error(path, "cannot fdatasync", errno);
  return Status();
}

}  // namespace

GuardedSigner::GuardedSigner(std::string path, int fd, PrivateKey key, uint64_t sequence, uint64_t last_height,
                             uint64_t fence)
    : path_(std::move(path)),
      fd_(fd),
      key_(std::move(key)),
      sequence_(sequence),
      last_height_(last_height),
      fence_(fence) {}

GuardedSigner::~GuardedSigner() {
  if (fd_ >= 0) ::close(fd_);  // also releases the flock
}

Result<std::unique_ptr<GuardedSigner>> GuardedSigner::open(const std::string& state_path, PrivateKey key,
                                                           uint64_t start_height, uint64_t wal_max_height) {
  JOET_ASSERT(start_height >= 1);
  int fd = ::open(state_path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    if (Status s = create_state_file(state_path, key.public_key()); !s.ok()) return s.error();
    fd = ::open(state_path.c_str(), O_RDWR | O_CLOEXEC);
  }
  if (fd < 0) return io_error(state_path, "cannot open", errno);
  struct Closer {
    int fd;
    ~Closer() {
      if (fd >= 0) ::close(fd);
    }
  } closer{fd};

  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return io_error(state_path, "cannot lock", errno);
    return make_error(ErrorCode::kConflict,
                      prefix(state_path) + "in use by another process (is this validator already running?)");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error(state_path, "cannot stat", errno);
  if (!S_ISREG(st.st_mode)) return corruption(state_path, "not a regular file");
  if (static_cast<uint64_t>(st.st_size) != kGuardFileBytes) {
    return corruption(state_path, "it has " + std::to_string(st.st_size) + " bytes, a state file has " +
                                      std::to_string(kGuardFileBytes));
  }
  Bytes image(kGuardFileBytes);
  if (!read_all_at(fd, image, 0)) {
    if (errno == 0) return corruption(state_path, "it shrank while being read");
    return io_error(state_path, "cannot read", errno);
  }
  auto newest = newest_record(image, state_path);
  if (!newest.ok()) return newest.error();
  if (newest->key != key.public_key().bytes()) {
    return make_error(ErrorCode::kConflict,
                      prefix(state_path) + "records the signed heights of validator " + to_hex(newest->key) +
                          ", but this node's validator key is " + key.public_key().hex() +
                          ": a state file belongs to its key alone (move keys/ whole, key and state together)");
  }
  Record record = *newest;
  const uint64_t fence = consensus::signing_fence(record.height, start_height, wal_max_height);
  JOET_ASSERT(fence == 0 || (fence == record.height && wal_max_height < fence && start_height <= fence));
  if (wal_max_height > record.height) {
    // The WAL holds a height the record does not: a crash came after the WAL append and before
    // signed_durably (or tore its write). The engine is about to re-send those messages from the WAL,
    // so record their height first: every height sent from must be in the record before a later wipe.
    JOET_ASSERT(fence == 0);
    const Record next{record.sequence + 1, wal_max_height, record.key};
    if (Status s = write_record(fd, state_path, next); !s.ok()) return s.error();
    record = next;
  }
  auto guard = std::unique_ptr<GuardedSigner>(
      new GuardedSigner(state_path, fd, std::move(key), record.sequence, record.height, fence));
  closer.fd = -1;  // the guard owns it now
  return guard;
}

Status GuardedSigner::authorize(uint64_t height, uint32_t /*round*/, consensus::Step /*step*/) {
  if (height > fence_) return Status();
  return make_error(ErrorCode::kConflict,
                    "signing guard: this validator lost its consensus WAL for heights up to " +
                        std::to_string(fence_) +
                        " (data dir wiped or restored, or the WAL moved aside); it stays silent at height " +
                        std::to_string(height) + " until its chain passes " + std::to_string(fence_) +
                        " (recorded in " + path_ + ")");
}

Status GuardedSigner::signed_durably(uint64_t height) {
  JOET_ASSERT(height > fence_);  // the engine signs only what authorize allowed
  if (height <= last_height_) return Status();
  const Record next{sequence_ + 1, height, key_.public_key().bytes()};
  JOET_ASSERT(slot_offset(next.sequence) != slot_offset(sequence_));
  if (Status s = write_record(fd_, path_, next); !s.ok()) return s;
  // On a failure above nothing changes here (the engine halts); a later open reads whichever record
  // is whole, and the WAL, written before, covers the height either way.
  sequence_ = next.sequence;
  last_height_ = height;
  return Status();
}

}  // namespace joet
