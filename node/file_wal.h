// The consensus WAL over one file (consensus/wal.h): every append is written and fdatasync'ed before
// it returns, so a vote the engine sends is on disk first and a restart never signs a second one for
// the same (height, round, step). read_all() parses the whole file with consensus::parse_wal: it cuts a
// torn tail (an append the crash interrupted, by the rule in wal.h) off the file itself, durably, so
// later appends follow the last intact record; a log corrupt anywhere, its last record included, is
// kCorruption naming the file and the byte offset, and the file is left untouched for inspection (the
// node must stop). truncate() empties the file durably (once: an already empty log is left alone).
// One FileWal per file; the file is created with mode 0600, and its directory is fsync'ed then, so
// the file itself survives a power cut. A log of an earlier version (format 1, wal.h) is rewritten in
// this format by read_all: a new file renamed over it, so a crash leaves one whole log or the other.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "consensus/wal.h"
#include "ledger/status.h"

namespace joet {

class FileWal : public consensus::Wal {
 public:
  // Opens `path`, creating it if absent (mode 0600; the parent directory is fsync'ed so the new entry
  // is durable, and a file it created is removed again when that fails). kIoError naming the path, or
  // the directory when its sync fails.
  static Result<std::unique_ptr<FileWal>> open(const std::string& path);
  ~FileWal() override;
  FileWal(const FileWal&) = delete;
  FileWal& operator=(const FileWal&) = delete;

  Status append(ByteView record) override;
  Result<std::vector<Bytes>> read_all() override;
  Status truncate() override;

 private:
  FileWal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  Error io_error(const std::string& what) const;
  Status rewrite(const Bytes& image);  // replaces the log durably (a format-1 log, migrated)

  std::string path_;
  int fd_ = -1;
  // Set by truncate(), cleared by append(): a second truncate of an empty log costs no fdatasync (the
  // engine truncates at every height; a node catching up signs nothing and would sync for nothing).
  bool known_empty_ = false;
};

}  // namespace joet
