// What joet-audit reads: a private copy of the node's ledger directory, so the audit never changes a
// byte of the ledger it audits. Opening a LevelDB writes to it (it replays its log into a new table,
// writes a new MANIFEST, deletes files it no longer needs, creates LOCK and LOG), so the audit opens
// the copy instead. Table files (*.ldb, *.sst) are never modified once written: they are hard-linked
// when the file system allows it (a copy otherwise); every other file (CURRENT, MANIFEST-*, the *.log,
// LOCK, LOG) is copied. A read lock on the ledger's LOCK file is held while it is copied, so no node
// opens the ledger in the meantime. I/O edge.
#pragma once

#include <memory>
#include <string>

#include "ledger/status.h"

namespace joet {

class LedgerSnapshot {
 public:
  // Copies `ledger_dir` into a new directory under the system's temporary directory. kConflict when a
  // node has the ledger open (its LOCK is held: stop the node first); kNotFound when it is no LevelDB
  // directory (no CURRENT file); kIoError when a file cannot be read, linked or written.
  static Result<std::unique_ptr<LedgerSnapshot>> take(const std::string& ledger_dir);

  ~LedgerSnapshot();  // removes the copy
  LedgerSnapshot(const LedgerSnapshot&) = delete;
  LedgerSnapshot& operator=(const LedgerSnapshot&) = delete;

  const std::string& dir() const { return dir_; }
  size_t linked_files() const { return linked_; }
  size_t copied_files() const { return copied_; }

 private:
  explicit LedgerSnapshot(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  size_t linked_ = 0;
  size_t copied_ = 0;
};

}  // namespace joet
