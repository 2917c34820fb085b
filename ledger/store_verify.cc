#include "ledger/store_verify.h"

#include <leveldb/env.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/table.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace joet {
namespace {

// The table file `name` read on its own, every block's checksum verified: its error, if any.
leveldb::Status verify_table(const std::string& name) {
  leveldb::Env* env = leveldb::Env::Default();
  uint64_t size = 0;
  leveldb::Status s = env->GetFileSize(name, &size);
  if (!s.ok()) return s;
  leveldb::RandomAccessFile* raw_file = nullptr;
  s = env->NewRandomAccessFile(name, &raw_file);
  if (!s.ok()) return s;
  std::unique_ptr<leveldb::RandomAccessFile> file(raw_file);
  leveldb::Options options;
  options.paranoid_checks = true;
  leveldb::Table* raw_table = nullptr;
  s = leveldb::Table::Open(options, file.get(), size, &raw_table);
  if (!s.ok()) return s;
  std::unique_ptr<leveldb::Table> table(raw_table);
  leveldb::ReadOptions read;
  read.verify_checksums = true;
  read.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(table->NewIterator(read));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
  }
  return it->status();
}

}  // namespace

Result<StoreVerified> verify_store(const LevelDbKvStore& store) {
  StoreVerified out;
  Status scanned = store.scan({}, {}, [&](ByteView k, ByteView v) {
    out.entries += 1;
    out.bytes += k.size() + v.size();
    return true;
  });
  if (scanned.ok()) return out;
  if (scanned.error().code != ErrorCode::kCorruption) return scanned.error();
  std::vector<std::string> damaged;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(store.path(), ec)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".ldb" && ext != ".sst") continue;
    const leveldb::Status s = verify_table(entry.path().string());
    if (!s.ok()) damaged.push_back(entry.path().string() + " (" + s.ToString() + ")");
  }
  if (damaged.empty()) return scanned.error();  // not in a table: the message names the store
  std::sort(damaged.begin(), damaged.end());
  std::string files;
  for (const std::string& d : damaged) files += (files.empty() ? "" : ", ") + d;
  return make_error(ErrorCode::kCorruption, "damaged table file " + files);
}

}  // namespace joet
