// The file system calls of the home directory: bounded reads, and atomic writes (a temp file created
// with O_CREAT|O_EXCL and its final mode, fsynced, renamed into place, the directory fsynced), so a
// crash leaves either the old file or the new one, never half of one.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "node/home/home_error.h"

namespace joet::home {

enum class Replace { kNo, kYes };

// Writes `content` to `path` with exactly `mode` (umask notwithstanding). Replace::kNo refuses an
// existing file (ALREADY_EXISTS) and cannot race with another writer (renameat2 RENAME_NOREPLACE).
// Failures of the operating system are IO.
Loaded<bool> write_file_atomic(const std::string& path, std::string_view content, mode_t mode, Replace replace);

struct FileContent {
  std::string text;
  mode_t mode = 0;  // the permission bits (st_mode & 07777)
};

// A regular file of at most `max_bytes`: NOT_FOUND, TOO_LARGE, BAD_VALUE (not a regular file) or IO.
Loaded<FileContent> read_file_limited(const std::string& path, size_t max_bytes);

// Creates the directory with `mode` unless it exists (then it must be a directory); parents must exist.
Loaded<bool> make_directory(const std::string& path, mode_t mode);

}  // namespace joet::home
