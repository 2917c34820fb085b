// The few system calls every durable file of the node needs, in one place (the consensus WAL, the
// signing guard, the home's files): write or read a whole buffer through EINTR and short transfers,
// and fsync a directory, which is what makes a created or renamed file's entry survive a power cut.
// Each answers errno-style, so every caller keeps its own error type and wording.
#pragma once

#include <cstddef>
#include <string>

#include "ledger/bytes.h"

namespace joet {

// All of `data` at the file position (write_all) or at `offset` (write_all_at); false with errno set.
bool write_all(int fd, ByteView data);
bool write_all_at(int fd, ByteView data, size_t offset);
// Exactly data.size() bytes at `offset`; false with errno set (0 when the file is shorter).
bool read_all_at(int fd, Bytes& data, size_t offset);
// 0, or the errno of the open or the fsync that failed.
int fsync_directory(const std::string& dir);
// The directory holding `path` ("." for a bare file name).
std::string parent_directory(const std::string& path);

}  // namespace joet
