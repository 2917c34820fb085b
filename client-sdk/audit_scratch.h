// Where joet-audit re-executes a chain: its own state store, never the node's. A long chain's state
// does not fit in memory, so by default it is a LevelDB in a fresh temporary directory removed when
// the audit ends; `--scratch DIR` keeps it in DIR (created if missing, refused unless empty, so an
// audit never mixes its state with another's); `--in-memory` keeps it in memory (small chains).
// I/O edge: directories and LevelDB.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ledger/kv_store.h"
#include "ledger/status.h"

namespace joet {

class AuditScratch {
 public:
  // A LevelDB in `dir`. Errors: `dir` exists and is not an empty directory (kConflict), it cannot be
  // created or opened (kIoError, kCorruption).
  static Result<std::unique_ptr<AuditScratch>> in_directory(const std::string& dir);
  // A LevelDB in a new directory under the system's temporary directory, removed by the destructor.
  static Result<std::unique_ptr<AuditScratch>> temporary();
  static std::unique_ptr<AuditScratch> in_memory();

  ~AuditScratch();  // closes the store; removes the directory of temporary()
  AuditScratch(const AuditScratch&) = delete;
  AuditScratch& operator=(const AuditScratch&) = delete;

  KvStore& store() { return *store_; }
  const std::string& dir() const { return dir_; }  // "" in memory
  std::string_view kind() const { return dir_.empty() ? "memory" : "leveldb"; }

 private:
  AuditScratch(std::unique_ptr<KvStore> store, std::string dir, bool remove);
  std::unique_ptr<KvStore> store_;
  std::string dir_;
  bool remove_ = false;
};

}  // namespace joet
