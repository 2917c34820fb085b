// The consensus WAL over one file (consensus/wal.h): every append is written and fdatasync'ed before
// it returns, so a vote the engine sends is on disk first and a restart never signs a second one for
// the same (height, round, step). read_all() parses the whole file, cuts a torn tail (an append the
// crash interrupted) off the file itself, so later appends follow the last intact record, and
// refuses a log corrupt before its tail (kCorruption: the node must stop). truncate() empties the
// file durably (once: an already empty log is left alone). One FileWal per file; the file is created with mode 0600.
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
  // Opens (creating if absent) `path`. kIoError naming the path when it cannot.
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

  std::string path_;
  int fd_ = -1;
  // Set by truncate(), cleared by append(): a second truncate of an empty log costs no fdatasync (the
  // engine truncates at every height; a node catching up signs nothing and would sync for nothing).
  bool known_empty_ = false;
};

}  // namespace joet
