#include "node/app/mempool.h"

#include <utility>

#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"

namespace joet {
namespace {

TxRefusal refusal(TxFault fault, std::string message) {
  return TxRefusal{fault, std::string(tx_fault_name(fault)), std::move(message)};
}

}  // namespace

std::string_view tx_fault_name(TxFault fault) {
  switch (fault) {
    case TxFault::kMalformed: return "MALFORMED";
    case TxFault::kBadSignature: return "BAD_SIGNATURE";
    case TxFault::kWrongChain: return "WRONG_CHAIN";
    case TxFault::kDuplicate: return "DUPLICATE_TX";
    case TxFault::kSenderLimit: return "SENDER_LIMIT";
    case TxFault::kFull: return "MEMPOOL_FULL";
    case TxFault::kNonceTooFar: return "NONCE_TOO_FAR";
    case TxFault::kRefused: return "REFUSED";
  }
  return "UNKNOWN";
}

Mempool::Mempool(MempoolLimits limits, const ExecutorConfig& config, const KvStore& state, const BlockStore& blocks)
    : limits_(limits), config_(config), state_(state), blocks_(blocks) {
  JOET_ASSERT(limits_.max_txs > 0 && limits_.max_bytes > 0 && limits_.max_per_sender > 0);
}

size_t Mempool::pending_of(const Hash32& sender_key) const {
  auto it = per_sender_.find(sender_key);
  return it == per_sender_.end() ? 0 : it->second.size();
}

Result<Mempool::NonceWindow> Mempool::nonce_window(const Hash32& sender_key) const {
  auto last = last_nonce(state_, sender_key);
  if (!last.ok()) return last.error();
  NonceWindow w;
  w.last_used = *last;
  w.pending = pending_of(sender_key);
  w.highest_pending = highest_pending_nonce(sender_key);
  const uint64_t base = std::max(w.last_used, w.highest_pending.value_or(0));
  w.next = base + 1;
  w.max_accepted = base > UINT64_MAX - limits_.max_nonce_ahead ? UINT64_MAX : base + limits_.max_nonce_ahead;
  return w;
}

std::optional<uint64_t> Mempool::highest_pending_nonce(const Hash32& sender_key) const {
  auto it = per_sender_.find(sender_key);
  if (it == per_sender_.end()) return std::nullopt;
  return *it->second.rbegin();
}

Result<std::optional<TxRefusal>> Mempool::dry_run(const v1::SignedTx& tx, int64_t time_ms) const {
  const uint8_t verified[] = {1};  // the caller verified every signature
  auto run = execute_block(state_, config_, time_ms, blocks_.tip().height + 1, std::span<const v1::SignedTx>(&tx, 1),
                           verified);
  if (!run.ok()) {
    // A time the executor does not support is the caller's mistake, not the tx's.
    return run.error();
  }
  JOET_ASSERT(run->results.size() == 1);
  const TxResult& result = run->results[0];
  if (result.ok) return std::optional<TxRefusal>();
  return std::optional<TxRefusal>(TxRefusal{TxFault::kRefused, result.code, result.message});
}

Result<AdmitVerdict> Mempool::admit(ByteView tx_bytes, int64_t time_ms, TxOrigin origin) {
  AdmitVerdict verdict;
  auto tx = decode_signed_tx(tx_bytes);
  if (!tx.ok()) {
    verdict.refused = refusal(TxFault::kMalformed, tx.error().message);
    return verdict;
  }
  auto body = decode_tx_body(as_bytes(tx->body()));
  if (!body.ok()) {
    verdict.refused = refusal(TxFault::kMalformed, "body: " + body.error().message);
    return verdict;
  }
  verdict.tx_id = tx_id(*tx);
  if (contains(verdict.tx_id)) {
    verdict.refused = refusal(TxFault::kDuplicate, "the tx is pending");
    return verdict;
  }
  auto committed = blocks_.find_tx(verdict.tx_id);
  if (!committed.ok()) return committed.error();
  if (committed->has_value()) {
    verdict.refused = refusal(TxFault::kDuplicate, "the tx is in block " + std::to_string((*committed)->height));
    return verdict;
  }
  for (const v1::Signature& sig : tx->signatures()) {
    ++signatures_verified_;
    if (!verify_body(as_bytes(sig.public_key()), tags::kTx, as_bytes(tx->body()), as_bytes(sig.signature()))) {
      verdict.refused = refusal(TxFault::kBadSignature, "a signature does not verify over the body");
      return verdict;
    }
  }
  if (body->chain_id() != config_.chain_id) {
    verdict.refused = refusal(TxFault::kWrongChain, "chain_id " + body->chain_id());
    return verdict;
  }
  const size_t room = origin == TxOrigin::kPeer ? kPeerHeadroom : 1;
  const Hash32 sender = hash32_from_bytes(as_bytes(tx->signatures(0).public_key())).value();  // checked: 32 bytes
  if (pending_of(sender) >= limits_.max_per_sender * room) {
    verdict.refused = refusal(TxFault::kSenderLimit, "the sender has " + std::to_string(pending_of(sender)) +
                                                         " txs pending");
    return verdict;
  }
  auto window = nonce_window(sender);
  if (!window.ok()) return window.error();
  if (body->nonce() > window->max_accepted) {
    verdict.refused = refusal(TxFault::kNonceTooFar, "nonce " + std::to_string(body->nonce()) + " is more than " +
                                                         std::to_string(limits_.max_nonce_ahead) + " above " +
                                                         std::to_string(window->next - 1) +
                                                         ", the key's last used or pending nonce");
    return verdict;
  }
  const size_t size = tx_bytes.size();
  if (by_seq_.size() + 1 > limits_.max_txs * room || bytes_ + size > limits_.max_bytes * room) {
    verdict.refused = refusal(TxFault::kFull, "the mempool holds " + std::to_string(by_seq_.size()) + " txs, " +
                                                  std::to_string(bytes_) + " bytes");
    return verdict;
  }
  auto dry = dry_run(*tx, time_ms);
  if (!dry.ok()) return dry.error();
  if (dry->has_value()) {
    verdict.refused = std::move(**dry);
    return verdict;
  }
  const uint64_t seq = ++next_seq_;  // from 1: a cursor at 0 is before every tx
  const uint64_t nonce = body->nonce();
  by_seq_.emplace(seq, Entry{std::move(tx).value(), Bytes(tx_bytes.begin(), tx_bytes.end()), verdict.tx_id, sender, origin, nonce});
  if (origin == TxOrigin::kClient) own_.insert(seq);
  by_id_.emplace(verdict.tx_id, seq);
  per_sender_[sender].insert(nonce);
  bytes_ += size;
  check_invariants();
  return verdict;
}

std::vector<v1::SignedTx> Mempool::reap(size_t max_txs, size_t max_bytes) const {
  std::vector<v1::SignedTx> out;
  size_t total = 0;
  for (const auto& [seq, e] : by_seq_) {
    if (out.size() >= max_txs || total + e.bytes.size() > max_bytes) break;
    total += e.bytes.size();
    out.push_back(e.tx);
  }
  return out;
}

void Mempool::erase(std::map<uint64_t, Entry>::iterator it) {
  const Entry& e = it->second;
  auto s = per_sender_.find(e.sender);
  JOET_ASSERT(s != per_sender_.end());
  auto n = s->second.find(e.nonce);
  JOET_ASSERT(n != s->second.end());
  s->second.erase(n);
  if (s->second.empty()) per_sender_.erase(s);
  JOET_ASSERT(bytes_ >= e.bytes.size());
  bytes_ -= e.bytes.size();
  JOET_ASSERT(by_id_.erase(e.id) == 1);
  own_.erase(it->first);
  by_seq_.erase(it);
}

void Mempool::remove_committed(std::span<const Hash32> tx_ids) {
  for (const Hash32& id : tx_ids) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) continue;
    erase(by_seq_.find(it->second));
  }
  check_invariants();
}

Result<size_t> Mempool::recheck(int64_t time_ms) {
  size_t dropped = 0;
  for (auto it = by_seq_.begin(); it != by_seq_.end();) {
    auto dry = dry_run(it->second.tx, time_ms);
    if (!dry.ok()) return dry.error();
    auto next = std::next(it);
    if (dry->has_value()) {
      erase(it);
      dropped += 1;
    }
    it = next;
  }
  check_invariants();
  return dropped;
}

bool Mempool::holds_verified(const v1::SignedTx& tx) const {
  auto it = by_id_.find(tx_id(tx));
  if (it == by_id_.end()) return false;
  const v1::SignedTx& mine = by_seq_.at(it->second).tx;
  if (mine.signatures_size() != tx.signatures_size()) return false;
  for (int i = 0; i < tx.signatures_size(); ++i) {
    if (mine.signatures(i).public_key() != tx.signatures(i).public_key() ||
        mine.signatures(i).signature() != tx.signatures(i).signature()) {
      return false;
    }
  }
  return true;
}

std::optional<Mempool::Announcement> Mempool::next_own_after(uint64_t seq) const {
  auto it = own_.upper_bound(seq);
  if (it == own_.end()) return std::nullopt;
  return Announcement{*it, &by_seq_.at(*it).bytes};
}

void Mempool::check_invariants() const {
  JOET_ASSERT(by_seq_.size() == by_id_.size());
  JOET_ASSERT(by_seq_.size() <= limits_.max_txs * kPeerHeadroom);
  JOET_ASSERT(bytes_ <= limits_.max_bytes * kPeerHeadroom);
  JOET_ASSERT(own_.size() <= by_seq_.size());
  size_t senders = 0;
  for (const auto& [key, nonces] : per_sender_) {
    JOET_ASSERT(!nonces.empty() && nonces.size() <= limits_.max_per_sender * kPeerHeadroom);
    senders += nonces.size();
  }
  JOET_ASSERT(senders == by_seq_.size());
}

}  // namespace joet
