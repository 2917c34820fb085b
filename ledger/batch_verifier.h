// Verifies many BIP-340 signatures at once on a pool of worker threads: signature checking is the
// node's throughput bottleneck (block sync, mempool admission, certificates, the audit tool).
// Answers are exactly those of the serial path, in input order.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "ledger/bytes.h"

namespace joet {

struct VerifyItem {
  ByteView public_key;  // 32 bytes x-only (anything else verifies false)
  ByteView message;     // what was signed (the project signs 32-byte tagged digests)
  ByteView signature;   // 64 bytes
};

// One item, no threads.
bool verify_item(const VerifyItem& item);
// All items on the calling thread.
std::vector<uint8_t> verify_serial(std::span<const VerifyItem> items);

class BatchVerifier {
 public:
  // threads = 0: one per hardware core. The calling thread works too, so `threads - 1` workers start.
  explicit BatchVerifier(unsigned threads = 0);
  ~BatchVerifier();
  BatchVerifier(const BatchVerifier&) = delete;
  BatchVerifier& operator=(const BatchVerifier&) = delete;

  // result[i] == 1 iff items[i] verifies. One batch at a time per verifier (calls are serialized).
  std::vector<uint8_t> verify(std::span<const VerifyItem> items);
  bool verify_all(std::span<const VerifyItem> items);
  unsigned threads() const { return static_cast<unsigned>(workers_.size()) + 1; }

 private:
  void worker_loop();
  void work_on_current_batch();

  std::mutex call_mu_;  // one verify() at a time
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
  uint64_t generation_ = 0;      // bumped per batch, wakes the workers
  std::span<const VerifyItem> items_;
  uint8_t* results_ = nullptr;
  size_t next_chunk_ = 0;        // guarded by mu_
  size_t busy_ = 0;              // workers inside the current batch
};

}  // namespace joet
