#include "client-sdk/ledger_snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <system_error>

namespace joet {
namespace fs = std::filesystem;
namespace {

Error io_error(const std::string& what, const std::string& path, int err) {
  return make_error(ErrorCode::kIoError, what + " " + path + ": " + std::strerror(err));
}

bool is_table(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".ldb" || ext == ".sst";
}

// A read lock on LOCK for as long as it lives (fcntl record locks: LevelDB takes a write lock there).
class ReadLock {
 public:
  ~ReadLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status take(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return errno == ENOENT ? Status() : Status(io_error("cannot open", path, errno));
    struct flock lock {};
    lock.l_type = F_RDLCK;
    lock.l_whence = SEEK_SET;
    if (::fcntl(fd_, F_SETLK, &lock) == 0) return Status();
    if (errno == EACCES || errno == EAGAIN) {
      return make_error(ErrorCode::kConflict, path + " is held: a node has this ledger open; stop it first");
    }
    return io_error("cannot lock", path, errno);
  }

 private:
  int fd_ = -1;
};

}  // namespace

Result<std::unique_ptr<LedgerSnapshot>> LedgerSnapshot::take(const std::string& ledger_dir) {
  const fs::path from(ledger_dir);
  std::error_code ec;
  if (!fs::is_regular_file(from / "CURRENT", ec)) {
    return make_error(ErrorCode::kNotFound, ledger_dir + ": no ledger here (no CURRENT file)");
  }
  ReadLock lock;
  if (Status s = lock.take((from / "LOCK").string()); !s.ok()) return s.error();

  std::string tmpl = (fs::temp_directory_path() / "joet-audit-ledger-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) return io_error("cannot create", tmpl, errno);
  std::unique_ptr<LedgerSnapshot> snap(new LedgerSnapshot(tmpl));
  const fs::path to(snap->dir_);
  for (const fs::directory_entry& entry : fs::directory_iterator(from, ec)) {
    if (!entry.is_regular_file()) continue;
    const fs::path target = to / entry.path().filename();
    if (is_table(entry.path()) && ::link(entry.path().c_str(), target.c_str()) == 0) {
      ++snap->linked_;
      continue;
    }
    std::error_code copy_ec;
    fs::copy_file(entry.path(), target, fs::copy_options::none, copy_ec);
    if (copy_ec) return make_error(ErrorCode::kIoError, "cannot copy " + entry.path().string() + ": " + copy_ec.message());
    ++snap->copied_;
  }
  if (ec) return make_error(ErrorCode::kIoError, "cannot list " + ledger_dir + ": " + ec.message());
  return snap;
}

LedgerSnapshot::~LedgerSnapshot() {
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

}  // namespace joet
