#include "node/file_wal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace joet {

Error FileWal::io_error(const std::string& what) const {
  return make_error(ErrorCode::kIoError, "consensus WAL " + path_ + ": " + what + ": " + std::strerror(errno));
}

Result<std::unique_ptr<FileWal>> FileWal::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return make_error(ErrorCode::kIoError, "consensus WAL " + path + ": cannot open: " + std::strerror(errno));
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
  size_t done = 0;
  while (done < frame.size()) {
    const ssize_t n = ::write(fd_, frame.data() + done, frame.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write");
    }
    done += static_cast<size_t>(n);
  }
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
  auto records = consensus::parse_wal(image, path_, &valid);
  if (!records.ok()) return records.error();
  if (valid < image.size()) {
    // A torn tail: cut it, durably, so the next append follows the last intact record.
    if (::ftruncate(fd_, static_cast<off_t>(valid)) != 0) return io_error("cut the torn tail");
    if (::fdatasync(fd_) != 0) return io_error("fdatasync");
  }
  return records;
}

Status FileWal::truncate() {
  if (known_empty_) return Status();
  if (::ftruncate(fd_, 0) != 0) return io_error("truncate");
  if (::fdatasync(fd_) != 0) return io_error("fdatasync");
  known_empty_ = true;
  return Status();
}

}  // namespace joet
