#include "ledger/batch_verifier.h"

#include <algorithm>

#include "ledger/keys.h"

namespace joet {

namespace {
constexpr size_t kChunk = 64;  // items per grab: large enough to amortize the lock, small enough to balance
}

bool verify_item(const VerifyItem& item) {
  auto key = PublicKey::from_bytes(item.public_key);
  return key.ok() && key->verify(item.message, item.signature);
}

std::vector<uint8_t> verify_serial(std::span<const VerifyItem> items) {
  std::vector<uint8_t> out(items.size());
  for (size_t i = 0; i < items.size(); ++i) out[i] = verify_item(items[i]) ? 1 : 0;
  return out;
}

BatchVerifier::BatchVerifier(unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

BatchVerifier::~BatchVerifier() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void BatchVerifier::work_on_current_batch() {
  for (;;) {
    size_t begin;
    {
      std::lock_guard<std::mutex> lock(mu_);
      begin = next_chunk_;
      if (begin >= items_.size()) return;
      next_chunk_ = std::min(items_.size(), begin + kChunk);
    }
    size_t end = std::min(items_.size(), begin + kChunk);
    for (size_t i = begin; i < end; ++i) results_[i] = verify_item(items_[i]) ? 1 : 0;
  }
}

void BatchVerifier::worker_loop() {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      ++busy_;
    }
    work_on_current_batch();
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
    }
    done_cv_.notify_all();
  }
}

std::vector<uint8_t> BatchVerifier::verify(std::span<const VerifyItem> items) {
  std::lock_guard<std::mutex> call_lock(call_mu_);
  std::vector<uint8_t> out(items.size());
  if (items.size() <= kChunk || workers_.empty()) return verify_serial(items);
  {
    std::lock_guard<std::mutex> lock(mu_);
    items_ = items;
    results_ = out.data();
    next_chunk_ = 0;
    ++generation_;
  }
  work_cv_.notify_all();
  work_on_current_batch();
  {
    // Every chunk is handed out; wait for workers still finishing theirs. A worker that wakes late
    // finds no chunk left and never touches results_ after we return.
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [&] { return busy_ == 0; });
    items_ = {};
    results_ = nullptr;
  }
  return out;
}

bool BatchVerifier::verify_all(std::span<const VerifyItem> items) {
  auto r = verify(items);
  return std::all_of(r.begin(), r.end(), [](uint8_t v) { return v == 1; });
}

}  // namespace joet
