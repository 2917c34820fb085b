#include "node/file_wal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "node/durable_file.h"

namespace joet {

namespace {

// A file's own fsync does not make its directory entry durable; the directory's fsync does.
Status sync_directory(const std::string& path, const std::string& dir) {
  const int err = fsync_directory(dir);
  if (err == 0) return Status();
  return make_error(ErrorCode::kIoError, "consensus WAL " + path + ": cannot sync its directory " + dir + ": " +
                                             std::strerror(err));
}

}  // namespace

Error FileWal::io_error(const std::string& what) const {
  return make_error(ErrorCode::kIoError, "consensus WAL " + path_ + ": " + what + ": " + std::strerror(errno));
}

Result<std::unique_ptr<FileWal>> FileWal::open(const std::string& path) {
  bool created = true;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  }
  if (fd < 0) {
    return make_error(ErrorCode::kIoError, "consensus WAL " + path + ": cannot open: " + std::strerror(errno));
  }
  if (created) {
    Status synced = sync_directory(path, parent_directory(path));
    if (!synced.ok()) {
      // Remove the entry that may not survive a power cut, so the next open creates it and syncs again.
      ::close(fd);
      ::unlink(path.c_str());
      return synced.error();
    }
  }
  return std::unique_ptr<FileWal>(new FileWal(path, fd));
}

FileWal::~FileWal() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileWal::append(ByteView record) {
  known_empty_ = false;
  const Bytes frame = consensus::frame_wal_record(record);
  if (::lseek(fd_, 0, SEEK_END) < 0) return io_error("seek");
  if (!write_all(fd_, frame)) return io_error("write");
  if (::fdatasync(fd_) != 0) return io_error("fdatasync");
  return Status();
}

Result<std::vector<Bytes>> FileWal::read_all() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return io_error("stat");
  Bytes image(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < image.size()) {
    const ssize_t n = ::pread(fd_, image.data() + done, image.size() - done, static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read");
    }
    if (n == 0) break;  // shrank under us: parse what was read
    done += static_cast<size_t>(n);
  }
  image.resize(done);
  size_t valid = 0;
  bool format1 = false;
  auto records = consensus::parse_wal(image, path_, &valid, &format1);
  if (!records.ok()) return records.error();  // corrupt: the file is left as it is, for the operator
  if (format1) {
    Status s = rewrite(consensus::frame_wal_records(*records));
    if (!s.ok()) return s.error();
    return records;
  }
  JOET_ASSERT(valid <= image.size());
  if (valid < image.size()) {
    // A torn tail: cut it, durably, so the next append follows the last intact record.
    if (::ftruncate(fd_, static_cast<off_t>(valid)) != 0) return io_error("cut the torn tail");
    if (::fdatasync(fd_) != 0) return io_error("fdatasync");
  }
  return records;
}

// A log of an earlier format, rewritten in this one: a new file beside it, synced, renamed over it and
// the directory synced, so a crash leaves either the old log or the new one, whole.
Status FileWal::rewrite(const Bytes& image) {
  const std::string next = path_ + ".rewrite";
  const int fd = ::open(next.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("create " + next);
  if (!write_all(fd, image)) {
    const Error e = io_error("write " + next);
    ::close(fd);
    return e;
  }
  if (::fdatasync(fd) != 0 || ::rename(next.c_str(), path_.c_str()) != 0) {
    ::close(fd);
    return io_error("replace the log with " + next);
  }
  Status synced = sync_directory(path_, parent_directory(path_));
  if (!synced.ok()) {
    ::close(fd);
    return synced;
  }
  ::close(fd_);
  fd_ = fd;
  known_empty_ = image.empty();
  return Status();
}

Status FileWal::truncate() {
  if (known_empty_) return Status();
  if (::ftruncate(fd_, 0) != 0) return io_error("truncate");
  if (::fdatasync(fd_) != 0) return io_error("fdatasync");
  known_empty_ = true;
  return Status();
}

}  // namespace joet
