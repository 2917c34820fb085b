#include "node/home/validator_rotation.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <optional>

#include "node/home/config.h"
#include "node/home/file_io.h"
#include "node/home/home.h"
#include "node/home/key_file.h"

namespace joet::home {
namespace {

HomeError io_error(const std::string& path, const std::string& what) {
  return HomeError{HomeErrorKind::kIo, path, "", what + ": " + std::strerror(errno)};
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

bool sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// IN_USE when a running node holds the guard's lock (node/signing_guard.cc takes it for its lifetime).
std::optional<HomeError> check_not_running(const std::string& state_path) {
  const int fd = ::open(state_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? std::nullopt : std::optional<HomeError>(io_error(state_path, "cannot open"));
  std::optional<HomeError> out;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    out = errno == EWOULDBLOCK
              ? HomeError{HomeErrorKind::kInUse, state_path, "", "a running node holds this validator's signing guard: stop it first"}
              : io_error(state_path, "cannot lock");
  }
  ::close(fd);  // releases the lock
  return out;
}

}  // namespace

Loaded<ReplacedValidatorKey> replace_validator_key(const std::string& home_root) {
  using Out = Loaded<ReplacedValidatorKey>;
  const HomePaths paths{home_root};
  auto config = load_config(paths.config());
  if (!config.ok()) return Out::failure(config.error);
  auto old_key = load_key_file(paths.validator_key());
  if (!old_key.ok()) return Out::failure(old_key.error);
  if (auto running = check_not_running(paths.validator_state())) return Out::failure(*running);

  ReplacedValidatorKey out;
  out.retired = old_key.value->public_key();
  const std::string retired_root = paths.keys_dir() + "/retired";
  out.retired_dir = retired_root + "/" + out.retired.hex();
  if (exists(out.retired_dir)) {
    return Out::failure({HomeErrorKind::kAlreadyExists, out.retired_dir, "", "this key was retired before"});
  }
  const std::string fresh_tmp = paths.validator_key() + ".fresh";
  if (exists(fresh_tmp)) return Out::failure({HomeErrorKind::kAlreadyExists, fresh_tmp, "", "a replacement left half done: remove it"});
  // The fresh key first (beside the old one), so a failure here moves nothing.
  auto fresh = create_key_file(fresh_tmp);
  if (!fresh.ok()) return Out::failure(fresh.error);
  out.fresh = fresh.value->public_key();
  for (const std::string& dir : {retired_root, out.retired_dir}) {
    auto made = make_directory(dir, 0700);
    if (!made.ok()) return Out::failure(made.error);
  }
  // The WAL, then the guard, then the key: each rename is atomic, and a node started part way finds
  // either the old key with its guard (the WAL gone: the guard fences the heights it signed at) or no
  // key at all.
  const std::string wal = paths.data_dir(*config.value) + "/consensus.wal";
  auto move = [&](const std::string& from, const std::string& name) -> std::optional<HomeError> {
    const std::string to = out.retired_dir + "/" + name;
    if (::rename(from.c_str(), to.c_str()) != 0) return io_error(from, "cannot move it to " + to);
    return std::nullopt;
  };
  if (exists(wal)) {
    if (auto e = move(wal, "consensus.wal")) return Out::failure(*e);
    out.wal_moved = true;
  }
  if (exists(paths.validator_state())) {
    if (auto e = move(paths.validator_state(), "validator.state")) return Out::failure(*e);
  }
  if (auto e = move(paths.validator_key(), "validator.key")) return Out::failure(*e);
  if (::rename(fresh_tmp.c_str(), paths.validator_key().c_str()) != 0) {
    return Out::failure(io_error(fresh_tmp, "cannot move it to " + paths.validator_key()));
  }
  for (const std::string& dir : {out.retired_dir, paths.keys_dir(), paths.data_dir(*config.value)}) {
    if (!sync_directory(dir)) return Out::failure(io_error(dir, "cannot sync the directory"));
  }
  return Out{out, {}};
}

}  // namespace joet::home
