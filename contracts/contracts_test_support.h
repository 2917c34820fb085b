// Test support for the contracts: a genesis with one institution of each role (and two GIs), txs
// signed with PrivateKey::from_test_seed(<institution id>), and blocks executed and applied to a
// MemoryKvStore. Header-only; tests only.
#pragma once

#include <algorithm>
#include <ostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "contracts/amsterdam_time.h"
#include "contracts/executor.h"
#include "contracts/registry.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"

namespace joet::testing {

inline constexpr std::string_view kCourt = "rb-amsterdam";
inline constexpr std::string_view kRvdk = "rvdk";
inline constexpr std::string_view kMunicipality = "gem-amsterdam";
inline constexpr std::string_view kGi = "gi-jbra";
inline constexpr std::string_view kOtherGi = "gi-wsg";
inline constexpr std::string_view kAuditor = "igj";
inline constexpr std::string_view kChainId = "joet-test";

// UTC milliseconds of a Gregorian date and time.
inline int64_t utc_ms(int32_t y, int32_t mo, int32_t d, int32_t h = 0, int32_t mi = 0, int32_t s = 0) {
  return days_from_civil(CivilDate{y, mo, d}) * kMsPerDay + (h * 3600 + mi * 60 + s) * int64_t{1000};
}

inline v1::Arg text(std::string name, std::string value) {
  v1::Arg a;
  a.set_name(std::move(name));
  a.set_text(std::move(value));
  return a;
}
inline v1::Arg hash_arg(std::string name, std::string_view seed) {
  v1::Arg a;
  a.set_name(std::move(name));
  a.set_hash(to_string(sha256(seed)));
  return a;
}
// A hash-typed arg holding the x-only public key of PrivateKey::from_test_seed(seed).
inline v1::Arg key_arg(std::string name, std::string_view seed) {
  v1::Arg a;
  a.set_name(std::move(name));
  a.set_hash(to_string(PrivateKey::from_test_seed(seed).public_key().bytes()));
  return a;
}
inline v1::Arg integer(std::string name, int64_t value) {
  v1::Arg a;
  a.set_name(std::move(name));
  a.set_integer(value);
  return a;
}

// The genesis registry of the tests: one institution of each role and a second GI, each with the
// one member key PrivateKey::from_test_seed(<id>).
inline std::vector<GenesisInstitution> test_institutions() {
  auto member = [](std::string_view id) { return PrivateKey::from_test_seed(id).public_key(); };
  return {
      {std::string(kCourt), cv1::COURT, {member(kCourt)}},
      {std::string(kRvdk), cv1::RVDK, {member(kRvdk)}},
      {std::string(kMunicipality), cv1::MUNICIPALITY, {member(kMunicipality)}},
      {std::string(kGi), cv1::GI, {member(kGi)}},
      {std::string(kOtherGi), cv1::GI, {member(kOtherGi)}},
      {std::string(kAuditor), cv1::AUDITOR, {member(kAuditor)}},
  };
}

class Chain {
 public:
  // A chain whose genesis puts `rules_version` in force from height 1 (contracts/rules.h).
  explicit Chain(uint32_t rules_version = kGenesisRulesVersion) {
    config.chain_id = std::string(kChainId);
    auto batch = genesis_registry_writes(test_institutions());
    JOET_ASSERT(batch.ok());
    JOET_ASSERT(store.write(*batch, true).ok());
    auto rules = genesis_rules_writes(rules_version);
    JOET_ASSERT(rules.ok());
    JOET_ASSERT(store.write(*rules, true).ok());
    // From version 2 a grant states its grounds: decide() gives this one unless told otherwise.
    if (rules_version >= 2) grounds = {"ONGUNSTIGE_THUISSITUATIE"};
  }

  // The ground.<i> args of a grant made by decide().
  std::vector<v1::Arg> ground_args() const {
    std::vector<v1::Arg> out;
    for (size_t i = 0; i < grounds.size(); ++i) out.push_back(text("ground." + std::to_string(i), grounds[i]));
    return out;
  }

  static PrivateKey key(std::string_view institution) { return PrivateKey::from_test_seed(institution); }

  // A tx signed by the institution's key, with the next nonce of that key.
  v1::SignedTx tx(std::string_view signer, std::string_view action, std::vector<v1::Arg> args) {
    v1::TxBody body;
    body.set_chain_id(std::string(kChainId));
    body.set_action(std::string(action));
    std::sort(args.begin(), args.end(), [](const v1::Arg& a, const v1::Arg& b) { return a.name() < b.name(); });
    for (auto& a : args) *body.add_args() = std::move(a);
    body.set_nonce(++nonces[std::string(signer)]);
    return sign(signer, body);
  }

  // A tx signed by several institutions' keys (governance), with the next nonce of the first.
  v1::SignedTx multi_tx(std::vector<std::string_view> signers, std::string_view action, std::vector<v1::Arg> args) {
    JOET_ASSERT(!signers.empty());
    v1::TxBody body;
    body.set_chain_id(std::string(kChainId));
    body.set_action(std::string(action));
    std::sort(args.begin(), args.end(), [](const v1::Arg& a, const v1::Arg& b) { return a.name() < b.name(); });
    for (auto& a : args) *body.add_args() = std::move(a);
    body.set_nonce(++nonces[std::string(signers[0])]);
    v1::SignedTx tx = sign(signers[0], body);
    for (size_t i = 1; i < signers.size(); ++i) *tx.add_signatures() = sign(signers[i], body).signatures(0);
    return tx;
  }

  static v1::SignedTx sign(std::string_view signer, const v1::TxBody& body) {
    v1::SignedTx tx;
    const Bytes bytes = encode(body);
    tx.set_body(to_string(bytes));
    const PrivateKey k = key(signer);
    v1::Signature* s = tx.add_signatures();
    s->set_public_key(to_string(k.public_key().bytes()));
    s->set_signature(to_string(sign_body(k, tags::kTx, bytes)));
    return tx;
  }

  // Executes a block at `time_ms`, applies its writes and keeps its events.
  BlockExecution run(int64_t time_ms, std::vector<v1::SignedTx> txs = {}) {
    auto out = execute_block(store, config, time_ms, ++height, txs);
    JOET_ASSERT(out.ok());
    JOET_ASSERT(store.write(out->writes, false).ok());
    for (const auto& e : out->events) events.push_back(e);
    return std::move(out).value();
  }

  // One tx in its own block; its result.
  TxResult run_one(int64_t time_ms, v1::SignedTx tx) {
    std::vector<v1::SignedTx> txs;
    txs.push_back(std::move(tx));
    return run(time_ms, std::move(txs)).results.at(0);
  }

  size_t count(std::string_view kind) const {
    return static_cast<size_t>(std::count_if(events.begin(), events.end(),
                                             [&](const cv1::Event& e) { return e.kind() == kind; }));
  }

  // The usual start: case-001 opened by the RvdK, majority 2035-01-01.
  TxResult open_case(int64_t time_ms, std::string case_id = "case-001", std::string majority = "2035-01-01") {
    return run_one(time_ms, tx(kRvdk, "case.open",
                               {text("case", case_id), text("majority_date", majority),
                                text("municipality", std::string(kMunicipality))}));
  }
  TxResult file(int64_t time_ms, std::string_view signer, std::string request, std::string kind,
                std::string case_id = "case-001") {
    std::vector<v1::Arg> args = {text("case", case_id), text("request", request), text("kind", kind),
                                 hash_arg("document", request)};
    if (kind == "OTS" || kind == "VOTS") args.push_back(text("gi", std::string(kGi)));
    return run_one(time_ms, tx(signer, "request.file", std::move(args)));
  }
  TxResult decide(int64_t time_ms, std::string request, std::string start, std::string end,
                  std::string case_id = "case-001") {
    std::vector<v1::Arg> args = {text("case", case_id), text("request", request), text("outcome", "GRANTED"),
                                 text("start_date", start), text("end_date", end)};
    for (v1::Arg& a : ground_args()) args.push_back(std::move(a));
    return run_one(time_ms, tx(kCourt, "court.decide", std::move(args)));
  }
  // An OTS from 2026-03-15 to 2027-03-15, granted on 2026-03-15.
  void grant_standard_ots() {
    ASSERT_TRUE(open_case(utc_ms(2026, 3, 10, 9)).ok);
    ASSERT_TRUE(file(utc_ms(2026, 3, 11, 9), kRvdk, "req-ots", "OTS").ok);
    ASSERT_TRUE(decide(utc_ms(2026, 3, 15, 9), "req-ots", "2026-03-15", "2027-03-15").ok);
  }

  // gi.aanwijzing `id` of `kind` (GENERAL, CONTACT_LIMIT) to the PARENT on case-001, in its own block.
  TxResult aanwijzing(int64_t time_ms, std::string id, std::string kind) {
    return run_one(time_ms, tx(kGi, "gi.aanwijzing",
                               {text("case", "case-001"), text("aanwijzing", id), text("kind", kind),
                                text("addressee", "PARENT"), hash_arg("document", id)}));
  }
  // court.aanwijzing_review of aanwijzing `id` on case-001 (UPHELD, ANNULLED), in its own block.
  TxResult review_aanwijzing(int64_t time_ms, std::string id, std::string outcome) {
    return run_one(time_ms, tx(kCourt, "court.aanwijzing_review",
                               {text("case", "case-001"), text("aanwijzing", id), text("outcome", outcome),
                                hash_arg("document", "review-" + id)}));
  }
  // complaint.file of complaint k-1 for the PARENT on case-001 with the GI, in its own block.
  TxResult complain(int64_t time_ms) {
    return run_one(time_ms, tx(kGi, "complaint.file",
                               {text("case", "case-001"), text("complaint", "k-1"), text("filed_for", "PARENT"),
                                hash_arg("document", "k-1")}));
  }

  // A gi.progress report on case-001 in its own block.
  TxResult progress(int64_t time_ms) {
    return run_one(time_ms, tx(kGi, "gi.progress", {text("case", "case-001"), hash_arg("document", "p")}));
  }

  // Events of one kind, in emission order.
  std::vector<cv1::Event> of_kind(std::string_view kind) const {
    std::vector<cv1::Event> out;
    for (const auto& e : events) {
      if (e.kind() == kind) out.push_back(e);
    }
    return out;
  }
  static std::vector<std::string> recipients(const std::vector<cv1::Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.recipient());
    return out;
  }

  // The standard OTS, then a UHP asked by its GI on 2026-05-01 and granted on 2026-05-10 (a Sunday
  // block, 09:00Z) for 2026-05-10 .. 2027-03-15.
  void grant_standard_uhp(std::string kind = "UHP") {
    grant_standard_ots();
    ASSERT_TRUE(file(utc_ms(2026, 5, 1, 9), kGi, "req-uhp", kind).ok);
    ASSERT_TRUE(decide(utc_ms(2026, 5, 10, 9), "req-uhp", "2026-05-10", "2027-03-15").ok);
  }
  cv1::Case case_record(std::string case_id = "case-001") const {
    ContractState state(store);
    auto c = state.get<cv1::Case>(state_keys::case_record(case_id));
    JOET_ASSERT(c.ok() && c->has_value());
    return **c;
  }

  MemoryKvStore store;
  ExecutorConfig config;
  std::vector<std::string> grounds;  // stated by decide() (none under version 1)
  uint64_t height = 0;
  std::map<std::string, uint64_t> nonces;
  std::vector<cv1::Event> events;
};

// A case.open of `id` by the RvdK with the next nonce of `chain` (majority 2035-01-01).
inline v1::SignedTx open_case_tx(Chain& chain, std::string id) {
  return chain.tx(kRvdk, "case.open",
                  {text("case", std::move(id)), text("majority_date", "2035-01-01"),
                   text("municipality", std::string(kMunicipality))});
}


}  // namespace joet::testing

namespace joet {
inline void PrintTo(const TxResult& r, std::ostream* os) { *os << (r.ok ? "OK" : r.code + ": " + r.message); }
}  // namespace joet
