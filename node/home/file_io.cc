#include "node/home/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "node/durable_file.h"

namespace joet::home {
namespace {

HomeError io_error(const std::string& path, const std::string& what, int err) {
  return {err == ENOENT ? HomeErrorKind::kNotFound : HomeErrorKind::kIo, path, "",
          what + ": " + std::strerror(err)};
}



}  // namespace

Loaded<bool> write_file_atomic(const std::string& path, std::string_view content, mode_t mode, Replace replace) {
  using R = Loaded<bool>;
  struct stat st{};
  if (replace == Replace::kNo && ::lstat(path.c_str(), &st) == 0) {
    return R::failure({HomeErrorKind::kAlreadyExists, path, "", "exists and is never overwritten"});
  }
  // A fresh temp name beside the target (same file system, so the rename is atomic).
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0 && errno != EEXIST) return R::failure(io_error(tmp, "cannot create", errno));
  }
  if (fd < 0) return R::failure({HomeErrorKind::kIo, path, "", "cannot find a free temp file name beside it"});
  auto abandon = [&](const std::string& what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return R::failure(io_error(tmp, what, err));
  };
  if (::fchmod(fd, mode) != 0) return abandon("cannot set the mode");  // the umask may have cleared bits
  if (!write_all(fd, as_bytes(content))) return abandon("cannot write");
  if (::fsync(fd) != 0) return abandon("cannot fsync");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return R::failure(io_error(tmp, "cannot close", err));
  }
  const unsigned flags = replace == Replace::kNo ? RENAME_NOREPLACE : 0;
  int renamed = ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), flags);
  if (renamed != 0 && errno == EINVAL && flags != 0) {
    // A file system without RENAME_NOREPLACE: link() refuses an existing target just as atomically.
    renamed = ::link(tmp.c_str(), path.c_str());
    if (renamed == 0) ::unlink(tmp.c_str());
  }
  if (renamed != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    if (err == EEXIST) return R::failure({HomeErrorKind::kAlreadyExists, path, "", "exists and is never overwritten"});
    return R::failure(io_error(path, "cannot rename " + tmp + " to it", err));
  }
  // The rename is durable once the directory is.
  const std::string dir = parent_directory(path);
  if (const int err = fsync_directory(dir); err != 0) return R::failure(io_error(dir, "cannot fsync the directory", err));
  return R{true, {}};
}

Loaded<FileContent> read_file_limited(const std::string& path, size_t max_bytes) {
  using R = Loaded<FileContent>;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return R::failure(io_error(path, "cannot open", errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st{};
  if (::fstat(fd, &st) != 0) return R::failure(io_error(path, "cannot stat", errno));
  if (!S_ISREG(st.st_mode)) return R::failure({HomeErrorKind::kBadValue, path, "", "not a regular file"});
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return R::failure({HomeErrorKind::kTooLarge, path, "", "larger than " + std::to_string(max_bytes) + " bytes"});
  }
  FileContent out;
  out.mode = st.st_mode & 07777;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return R::failure(io_error(path, "cannot read", errno));
    }
    if (n == 0) break;
    out.text.append(buf, static_cast<size_t>(n));
    if (out.text.size() > max_bytes) {
      return R::failure({HomeErrorKind::kTooLarge, path, "", "larger than " + std::to_string(max_bytes) + " bytes"});
    }
  }
  return R{std::move(out), {}};
}

Loaded<bool> make_directory(const std::string& path, mode_t mode) {
  using R = Loaded<bool>;
  if (::mkdir(path.c_str(), mode) == 0) {
    // mkdir's mode passes through the umask; set it exactly.
    if (::chmod(path.c_str(), mode) != 0) return R::failure(io_error(path, "cannot set the mode", errno));
    return R{true, {}};
  }
  const int err = errno;
  struct stat st{};
  if (err == EEXIST && ::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return R{true, {}};
    return R::failure({HomeErrorKind::kBadValue, path, "", "exists and is not a directory"});
  }
  return R::failure(io_error(path, "cannot create the directory", err));
}

}  // namespace joet::home
