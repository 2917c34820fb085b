#include "node/replay/runner.h"

#include <map>
#include <span>
#include <utility>
#include <vector>

#include "contracts/executor.h"
#include "contracts/policy.h"
#include "contracts/rules.h"
#include "contracts/registry.h"
#include "contracts/state.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"
#include "ledger/merkle.h"
#include "ledger/tx_result.h"
#include "node/block_assembly.h"
#include "node/state_root.h"
#include "node/stuurinformatie_json.h"

namespace joet::replay {
namespace {

namespace cv1 = ::joet::contracts::v1;

v1::SignedTx sign_tx(const std::string& chain_id, const ScenarioTx& t) {
  v1::TxBody body;
  body.set_chain_id(chain_id);
  body.set_action(t.action);
  for (const v1::Arg& a : t.args) *body.add_args() = a;
  body.set_nonce(t.nonce);
  body.set_max_height(t.max_height);
  const Bytes bytes = encode(body);
  v1::SignedTx tx;
  tx.set_body(to_string(bytes));
  for (const std::string& name : t.signers) {
    const PrivateKey key = PrivateKey::from_test_seed(name);
    // Zero auxiliary randomness: a valid BIP-340 signature, and the same bytes on every run.
    const Signature64 sig = key.sign(tagged_hash(tags::kTx, bytes), Hash32{});
    JOET_ASSERT(verify_body(key.public_key(), tags::kTx, bytes, sig));
    v1::Signature* s = tx.add_signatures();
    s->set_public_key(to_string(key.public_key().bytes()));
    s->set_signature(to_string(sig));
  }
  return tx;
}

bool same_group(const cv1::Event& a, const cv1::Event& b) {
  return a.kind() == b.kind() && a.case_id() == b.case_id() && a.detail() == b.detail() && a.tx_id() == b.tx_id() &&
         a.deadline_id() == b.deadline_id() && a.measure() == b.measure() && a.height() == b.height();
}

class Runner {
 public:
  Runner(const Scenario& scenario, const LineSink& sink, const ReplayOptions& options)
      : scenario_(scenario), sink_(sink), options_(options) {
    config_.chain_id = scenario.chain_id;
    config_.policy = scenario.policy;
  }

  std::optional<ReplayFailure> run() {
    if (auto f = genesis()) return f;
    uint64_t height = 0;
    for (const ScenarioBlock& b : scenario_.blocks) {
      if (auto f = block(++height, b)) return f;
    }
    Line line;
    line["type"] = "state_root";
    line["height"] = height;
    line["root"] = to_hex(root_);
    sink_(line);
    if (options_.stuurinformatie) return stuurinformatie_line(height);
    return std::nullopt;
  }

 private:
  static ReplayFailure internal(const std::string& what, const Error& e) {
    return ReplayFailure{false, what + ": " + e.to_string()};
  }

  std::optional<ReplayFailure> genesis() {
    std::vector<GenesisInstitution> institutions;
    for (const ScenarioInstitution& i : scenario_.institutions) {
      GenesisInstitution g{i.id, i.role, {}};
      for (const std::string& name : i.signers) g.members.push_back(PrivateKey::from_test_seed(name).public_key());
      institutions.push_back(std::move(g));
    }
    auto writes = genesis_registry_writes(institutions);
    if (!writes.ok()) {
      // The registry refuses what the scenario got wrong (an id that is not a code, ...).
      if (writes.error().code == ErrorCode::kInvalidArgument) {
        return ReplayFailure{true, "institutions: " + writes.error().message};
      }
      return internal("genesis", writes.error());
    }
    auto policy = genesis_policy_writes(scenario_.policy);
    if (!policy.ok()) {
      if (policy.error().code == ErrorCode::kInvalidArgument) {
        return ReplayFailure{true, "policy: " + policy.error().message};
      }
      return internal("genesis policy", policy.error());
    }
    for (const auto& [key, value] : policy->ops()) {
      JOET_ASSERT(!writes->find(key).has_value());  // the two genesis writes never share a key
      if (value) {
        writes->put(key, *value);
      } else {
        writes->del(key);
      }
    }
    auto rules = genesis_rules_writes(scenario_.rules_version);
    if (!rules.ok()) return internal("genesis rules", rules.error());  // the parser checked the version
    for (const auto& [key, value] : rules->ops()) {
      JOET_ASSERT(value.has_value() && !writes->find(key).has_value());
      writes->put(key, *value);
    }
    return commit(*writes, "genesis");
  }

  std::optional<ReplayFailure> stuurinformatie_line(uint64_t height) {
    const auto& [from, to] = *options_.stuurinformatie;
    auto report = stuurinformatie(store_, from, to);
    if (!report.ok()) {
      if (report.error().code == ErrorCode::kInvalidArgument) return ReplayFailure{true, report.error().message};
      return internal("stuurinformatie", report.error());
    }
    Line line;
    line["type"] = "stuurinformatie";
    line["height"] = height;
    line["stuurinformatie"] = to_json(*report);
    sink_(line);
    return std::nullopt;
  }

  std::optional<ReplayFailure> commit(WriteBatch& batch, const std::string& what) {
    auto root = commit_state(store_, batch, root_);
    if (!root.ok()) return internal(what + " state root", root.error());
    Status w = store_.write(batch, false);
    if (!w.ok()) return internal(what + " write", w.error());
    root_ = *root;
    return std::nullopt;
  }

  std::optional<ReplayFailure> block(uint64_t height, const ScenarioBlock& b) {
    std::vector<v1::SignedTx> txs;
    txs.reserve(b.txs.size());
    for (const ScenarioTx& t : b.txs) txs.push_back(sign_tx(scenario_.chain_id, t));
    auto out = execute_block(store_, config_, b.time_ms, height, txs);
    if (!out.ok()) return internal("block " + std::to_string(height), out.error());
    std::map<uint64_t, std::string> kinds;  // the deadlines this block fired, by id (cascaded ones too)
    for (const cv1::Deadline& d : out->deadlines) kinds[d.id()] = d.kind();
    JOET_ASSERT(out->results.size() == txs.size());

    const std::string time = format_utc_time(b.time_ms);
    std::map<std::string, size_t> tx_index;  // tx id -> the first accepted tx with it
    for (size_t i = 0; i < txs.size(); ++i) {
      const TxResult& r = out->results[i];
      Line line;
      line["type"] = "tx";
      line["height"] = height;
      line["index"] = i;
      line["signer"] = b.txs[i].signers.front();
      if (b.txs[i].signers.size() > 1) line["signers"] = b.txs[i].signers;
      line["action"] = b.txs[i].action;
      line["result"] = r.ok ? std::string("OK") : r.code;
      if (!r.ok) line["message"] = r.message;
      sink_(line);
      if (r.ok) tx_index.emplace(to_string(tx_id(txs[i])), i);
    }
    std::vector<Hash32> leaves;
    leaves.reserve(out->events.size());
    for (const cv1::Event& e : out->events) leaves.push_back(leaf_hash(encode(e)));
    for (size_t i = 0; i < out->events.size();) {
      size_t end = i + 1;
      while (end < out->events.size() && same_group(out->events[i], out->events[end])) ++end;
      event_line(height, time, std::span(out->events).subspan(i, end - i), kinds, tx_index);
      i = end;
    }
    const size_t event_count = out->events.size();
    if (auto f = commit(out->writes, "block " + std::to_string(height))) return f;
    Line line;
    line["type"] = "block";
    line["height"] = height;
    line["time"] = time;
    line["txs"] = txs.size();
    line["events"] = event_count;
    line["rules_version"] = out->rules_version;
    line["state_root"] = to_hex(root_);
    line["events_root"] = to_hex(merkle_root(leaves));
    if (const Statute* statute = find_rules(built_in_rules(), out->rules_version); statute && statute->commits_results) {
      line["results_root"] = to_hex(results_root(result_leaves(txs, out->results)));
    }
    sink_(line);
    return std::nullopt;
  }

  void event_line(uint64_t height, const std::string& time, std::span<const cv1::Event> group,
                  const std::map<uint64_t, std::string>& kinds, const std::map<std::string, size_t>& tx_index) {
    const cv1::Event& e = group.front();
    Line line;
    line["type"] = "event";
    line["height"] = height;
    line["time"] = time;
    line["kind"] = e.kind();
    if (e.deadline_id() != 0) {
      auto k = kinds.find(e.deadline_id());
      line["deadline"] = k == kinds.end() ? std::string("?") : k->second;
    }
    if (!e.tx_id().empty()) {
      auto t = tx_index.find(e.tx_id());
      if (t != tx_index.end()) line["tx"] = t->second;
    }
    line["case"] = e.case_id();
    if (!e.measure().empty()) line["measure"] = e.measure();
    if (!e.detail().empty()) line["detail"] = e.detail();
    Line recipients = Line::array();
    for (const cv1::Event& r : group) recipients.push_back(r.recipient());
    line["recipients"] = std::move(recipients);
    sink_(line);
  }

  const Scenario& scenario_;
  const LineSink& sink_;
  const ReplayOptions& options_;
  ExecutorConfig config_;
  MemoryKvStore store_;
  Hash32 root_ = SparseMerkleTree::empty_root();
};

}  // namespace

std::optional<ReplayFailure> run_scenario(const Scenario& scenario, const LineSink& sink,
                                          const ReplayOptions& options) {
  return Runner(scenario, sink, options).run();
}

}  // namespace joet::replay
