#include "client-sdk/audit_scratch.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

namespace joet {
namespace {

Result<std::unique_ptr<KvStore>> open_leveldb(const std::string& dir) {
  LevelDbKvStore::Options options;
  options.create_if_missing = true;
  auto kv = LevelDbKvStore::open(dir, options);
  if (!kv.ok()) return kv.error();
  return std::unique_ptr<KvStore>(std::move(kv).value());
}

}  // namespace

AuditScratch::AuditScratch(std::unique_ptr<KvStore> store, std::string dir, bool remove)
    : store_(std::move(store)), dir_(std::move(dir)), remove_(remove) {
  JOET_ASSERT(store_ != nullptr);
}

AuditScratch::~AuditScratch() {
  store_.reset();  // LevelDB closes its files before the directory goes
  if (remove_) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);  // best effort: nothing to report to at exit
  }
}

Result<std::unique_ptr<AuditScratch>> AuditScratch::in_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return make_error(ErrorCode::kConflict, "scratch " + dir + " is not a directory");
    if (!fs::is_empty(dir, ec) || ec) {
      return make_error(ErrorCode::kConflict, "scratch directory " + dir + " is not empty (the audit needs its own)");
    }
  } else if (!fs::create_directories(dir, ec) || ec) {
    return make_error(ErrorCode::kIoError, "cannot create scratch directory " + dir + ": " + ec.message());
  }
  auto kv = open_leveldb(dir);
  if (!kv.ok()) return kv.error();
  return std::unique_ptr<AuditScratch>(new AuditScratch(std::move(kv).value(), dir, false));
}

Result<std::unique_ptr<AuditScratch>> AuditScratch::temporary() {
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) return make_error(ErrorCode::kIoError, "no temporary directory: " + ec.message());
  std::string pattern = (base / "joet-audit-XXXXXX").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) {
    return make_error(ErrorCode::kIoError, "cannot create a temporary scratch directory under " + base.string());
  }
  const std::string dir(name.data());
  auto kv = open_leveldb(dir);
  if (!kv.ok()) {
    std::filesystem::remove_all(dir, ec);
    return kv.error();
  }
  return std::unique_ptr<AuditScratch>(new AuditScratch(std::move(kv).value(), dir, true));
}

std::unique_ptr<AuditScratch> AuditScratch::in_memory() {
  return std::unique_ptr<AuditScratch>(new AuditScratch(std::make_unique<MemoryKvStore>(), "", false));
}

}  // namespace joet
