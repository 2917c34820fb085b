#include "client-sdk/light_client.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "client-sdk/light_client_rpc.h"
#include "contracts/state.h"
#include "ledger/codec.h"
#include "node/home/genesis.h"
#include "node/rpc/handler.h"
#include "node/state_root.h"
#include "node/testing/chain_rpc_backend.h"

namespace joet::sdk {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};

std::vector<v1::Arg> new_validators() {
  return validator_update_args([](int i) { return "new-validator-" + std::to_string(i); });
}

// Six certified blocks: two cases opened at 1, a validator.update at 2 (the new set certifies from
// height 4), an OTS request at 3 and its grant at 5.
class LightClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open_ = open_case_tx(txs_, "case-001");
    backend_.next(utc_ms(2026, 3, 10, 9), {open_, open_case_tx(txs_, "case-002")});
    backend_.next(utc_ms(2026, 3, 10, 10), {txs_.multi_tx(kFive, "validator.update", new_validators())});
    backend_.next(utc_ms(2026, 3, 11, 9), {txs_.tx(kRvdk, "request.file",
                                                   {text("case", "case-001"), text("request", "r1"), text("kind", "OTS"),
                                                    text("gi", std::string(kGi)), hash_arg("document", "r1")})});
    backend_.next(utc_ms(2026, 3, 12, 9));
    backend_.next(utc_ms(2026, 3, 15, 9), {txs_.tx(kCourt, "court.decide",
                                                   {text("case", "case-001"), text("request", "r1"),
                                                    text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                                    text("end_date", "2027-03-15")})});
    backend_.next(utc_ms(2026, 3, 16, 9));
    ASSERT_EQ(chain_.blocks_->tip().height, 6u);
    ASSERT_NE(backend_.set_of(4).hash(), backend_.set_of(3).hash());
  }

  TrustedValidators trust(uint64_t height) const { return {std::string(kChainId), height, backend_.set_of(height)}; }
  TrustedValidators genesis_trust() const { return {std::string(kChainId), 1, four_validators()}; }

  v1::StoredBlock stored(uint64_t height) const { return chain_.blocks_->block_at(height).value(); }

  StateBundle state_bundle(uint64_t height, ByteView key) const {
    const v1::StoredBlock s = stored(height);
    const v1::BlockHeader header = decode_block_header(as_bytes(s.block().header())).value();
    const Hash32 root = hash32_from_bytes(as_bytes(header.state_root())).value();
    StateBundle b;
    b.header = Bytes(s.block().header().begin(), s.block().header().end());
    b.certificate = encode(s.commit());
    b.proof = encode(state_tree().prove(chain_.kv_, root, key).value());
    return b;
  }

  TxBundle tx_bundle(uint64_t height, uint32_t index) const {
    const v1::StoredBlock s = stored(height);
    std::vector<Hash32> leaves;
    for (const std::string& tx : s.block().txs()) leaves.push_back(leaf_hash(as_bytes(tx)));
    v1::InclusionProof proof;
    proof.set_leaf_index(index);
    proof.set_tree_size(leaves.size());
    const std::vector<Hash32> path = inclusion_proof(leaves, index).value();
    for (const Hash32& h : path) proof.add_hashes(to_string(h));
    TxBundle b;
    b.header = Bytes(s.block().header().begin(), s.block().header().end());
    b.certificate = encode(s.commit());
    const std::string& tx = s.block().txs(static_cast<int>(index));
    b.tx = Bytes(tx.begin(), tx.end());
    b.proof = encode(proof);
    return b;
  }

  // The proof of a bundle, changed by `tamper` and encoded again.
  static void tamper_proof(StateBundle& b, const std::function<void(v1::StateProof&)>& tamper) {
    v1::StateProof p = decode_state_proof(b.proof).value();
    tamper(p);
    b.proof = encode(p);
  }
  static void tamper_certificate(Bytes& bytes, const std::function<void(v1::CommitCertificate&)>& tamper) {
    v1::CommitCertificate c = decode_commit_certificate(bytes).value();
    tamper(c);
    bytes = encode(c);
  }

  LocalChain chain_;
  ChainRpcBackend backend_{chain_};
  Chain txs_;
  v1::SignedTx open_;
};

void expect_fault(const LightClientError& e, LightFault fault) {
  EXPECT_EQ(light_fault_name(e.fault), light_fault_name(fault)) << e.to_string();
  EXPECT_FALSE(e.message.empty());
}

template <typename T>
void expect_refused(const Verified<T>& v, LightFault fault) {
  ASSERT_FALSE(v.ok()) << "verified, but " << light_fault_name(fault) << " was expected";
  expect_fault(v.error(), fault);
}

// ---------------------------------------------------------------- the pure core on real bundles

TEST_F(LightClientTest, AValidStateBundleVerifiesToTheCaseRecordTheChainHolds) {
  const Bytes key = state_keys::case_record("case-001");
  Verified<VerifiedState> v = verify_state_bundle(trust(5), state_bundle(5, key), key);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->header.header.height(), 5u);
  EXPECT_EQ(v->header.block_hash, block_hash(stored(5).block()));
  ASSERT_TRUE(v->value.has_value());
  contracts::v1::Case record;
  ASSERT_TRUE(record.ParseFromArray(v->value->data(), static_cast<int>(v->value->size())));
  EXPECT_EQ(record.id(), "case-001");
  EXPECT_EQ(record.gi(), std::string(kGi));  // granted at height 5: the value is the state after block 5
  // One height earlier the grant is not there yet: the proof is of that height's state.
  Verified<VerifiedState> before = verify_state_bundle(trust(4), state_bundle(4, key), key);
  ASSERT_TRUE(before.ok()) << before.error().to_string();
  EXPECT_NE(*before->value, *v->value);
}

TEST_F(LightClientTest, AnAbsentKeyIsProvenAbsent) {
  const Bytes key = state_keys::case_record("case-404");
  Verified<VerifiedState> v = verify_state_bundle(trust(6), state_bundle(6, key), key);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_FALSE(v->value.has_value());
}

TEST_F(LightClientTest, AFlippedValueByteIsRefusedAsProofMismatch) {
  const Bytes key = state_keys::case_record("case-001");
  StateBundle b = state_bundle(6, key);
  tamper_proof(b, [](v1::StateProof& p) {
    std::string v = p.value();
    v[v.size() / 2] = static_cast<char>(v[v.size() / 2] ^ 0x01);
    p.set_value(v);
  });
  expect_refused(verify_state_bundle(trust(6), b, key), LightFault::kProofMismatch);
}

TEST_F(LightClientTest, AFlippedProofSiblingIsRefusedAsProofMismatch) {
  const Bytes key = state_keys::case_record("case-001");
  StateBundle b = state_bundle(6, key);
  tamper_proof(b, [](v1::StateProof& p) {
    ASSERT_GT(p.siblings_size(), 0);
    std::string s = p.siblings(0);
    s[0] = static_cast<char>(s[0] ^ 0x80);
    p.set_siblings(0, s);
  });
  expect_refused(verify_state_bundle(trust(6), b, key), LightFault::kProofMismatch);
}

TEST_F(LightClientTest, AnAbsentKeyClaimedPresentOrAPresentKeyClaimedAbsentIsRefused) {
  const Bytes absent = state_keys::case_record("case-404");
  StateBundle forged_present = state_bundle(6, absent);
  tamper_proof(forged_present, [](v1::StateProof& p) {
    p.set_present(true);
    p.set_value("forged");
    p.clear_other_key_hash();
    p.clear_other_value_hash();
  });
  expect_refused(verify_state_bundle(trust(6), forged_present, absent), LightFault::kProofMismatch);

  const Bytes present = state_keys::case_record("case-002");
  StateBundle forged_absent = state_bundle(6, present);
  tamper_proof(forged_absent, [](v1::StateProof& p) {
    p.set_present(false);
    p.clear_value();
  });
  expect_refused(verify_state_bundle(trust(6), forged_absent, present), LightFault::kProofMismatch);
}

TEST_F(LightClientTest, AProofOfAnotherKeyIsRefusedAsKeyMismatch) {
  const Bytes asked = state_keys::case_record("case-001");
  const StateBundle other = state_bundle(6, state_keys::case_record("case-002"));
  expect_refused(verify_state_bundle(trust(6), other, asked), LightFault::kKeyMismatch);
}

TEST_F(LightClientTest, AChangedHeaderFieldIsRefusedAsWrongBlock) {
  const Bytes key = state_keys::case_record("case-001");
  StateBundle b = state_bundle(6, key);
  v1::BlockHeader header = decode_block_header(b.header).value();
  header.set_time_ms(header.time_ms() + 1);
  b.header = encode(header);
  expect_refused(verify_state_bundle(trust(6), b, key), LightFault::kWrongBlock);

  // A state_root swapped for another height's (with that height's proof) is refused the same way.
  StateBundle swapped = state_bundle(6, key);
  const StateBundle older = state_bundle(4, key);
  v1::BlockHeader h6 = decode_block_header(swapped.header).value();
  h6.set_state_root(decode_block_header(older.header).value().state_root());
  swapped.header = encode(h6);
  swapped.proof = older.proof;
  expect_refused(verify_state_bundle(trust(6), swapped, key), LightFault::kWrongBlock);
}

TEST_F(LightClientTest, AFlippedCertificateSignatureIsRefusedAsBadSignature) {
  const Bytes key = state_keys::case_record("case-001");
  StateBundle b = state_bundle(6, key);
  tamper_certificate(b.certificate, [](v1::CommitCertificate& c) {
    std::string sig = c.signatures(1);
    sig[7] = static_cast<char>(sig[7] ^ 0x01);
    c.set_signatures(1, sig);
  });
  expect_refused(verify_state_bundle(trust(6), b, key), LightFault::kBadSignature);
}

TEST_F(LightClientTest, ACertificateOfTwoThirdsOrLessOfThePowerIsRefusedAsNoQuorum) {
  const Bytes key = state_keys::case_record("case-001");
  StateBundle b = state_bundle(6, key);
  tamper_certificate(b.certificate, [](v1::CommitCertificate& c) {
    // Drop the highest signer: 2 of 4 equal powers remain (1/2 <= 2/3).
    std::string bitmap = c.signers();
    uint32_t last = 0;
    for (uint32_t i = 0; i < bitmap.size() * 8; ++i) {
      if (bitmap_get(bitmap, i)) last = i;
    }
    bitmap[last / 8] = static_cast<char>(bitmap[last / 8] & ~(1 << (last % 8)));
    c.set_signers(bitmap);
    c.mutable_signatures()->RemoveLast();
  });
  expect_refused(verify_state_bundle(trust(6), b, key), LightFault::kNoQuorum);
}

TEST_F(LightClientTest, AHeaderOfAnotherChainIsRefusedAsWrongChain) {
  const Bytes key = state_keys::case_record("case-001");
  TrustedValidators other = trust(6);
  other.chain_id = "joet-other";
  expect_refused(verify_state_bundle(other, state_bundle(6, key), key), LightFault::kWrongChain);
}

TEST_F(LightClientTest, AHeaderOfAnotherHeightIsRefusedAsWrongHeight) {
  const Bytes key = state_keys::case_record("case-001");
  expect_refused(verify_state_bundle(trust(5), state_bundle(6, key), key), LightFault::kWrongHeight);
}

TEST_F(LightClientTest, AHeaderCertifiedByAnotherSetThanTheTrustedOneIsRefusedAsUntrustedSet) {
  const Bytes key = state_keys::case_record("case-001");
  // Height 4 on is certified by the new set: the genesis set is not the one its header names.
  TrustedValidators stale{std::string(kChainId), 4, four_validators()};
  expect_refused(verify_state_bundle(stale, state_bundle(4, key), key), LightFault::kUntrustedSet);
  // And a quorum of the genesis validators certifying a header that names them proves nothing to a
  // client that trusts the new set.
  expect_refused(verify_state_bundle({std::string(kChainId), 2, backend_.set_of(4)}, state_bundle(2, key), key),
                 LightFault::kUntrustedSet);
}

TEST_F(LightClientTest, ATxInItsBlockVerifiesAndATamperedInclusionIsRefused) {
  const Hash32 id = tx_id(open_);
  Verified<VerifiedTx> v = verify_tx_bundle(trust(1), tx_bundle(1, 0), id);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->tx_id, id);
  EXPECT_EQ(v->index, 0u);
  EXPECT_EQ(v->tx.body(), open_.body());

  TxBundle bad_path = tx_bundle(1, 0);
  v1::InclusionProof p = decode_inclusion_proof(bad_path.proof).value();
  ASSERT_EQ(p.hashes_size(), 1);
  std::string h = p.hashes(0);
  h[3] = static_cast<char>(h[3] ^ 0x10);
  p.set_hashes(0, h);
  bad_path.proof = encode(p);
  expect_refused(verify_tx_bundle(trust(1), bad_path, id), LightFault::kProofMismatch);

  TxBundle bad_index = tx_bundle(1, 0);
  v1::InclusionProof q = decode_inclusion_proof(bad_index.proof).value();
  q.set_leaf_index(1);
  bad_index.proof = encode(q);
  expect_refused(verify_tx_bundle(trust(1), bad_index, id), LightFault::kProofMismatch);

  // The other tx of the block, proven correctly, is not the tx asked for.
  expect_refused(verify_tx_bundle(trust(1), tx_bundle(1, 1), id), LightFault::kKeyMismatch);
}

TEST_F(LightClientTest, TheTrustFollowsTheValidatorUpdateOnlyThroughTheSetTheHeaderNames) {
  TrustedValidators t = genesis_trust();
  for (uint64_t h = 1; h <= 6; ++h) {
    const v1::StoredBlock s = stored(h);
    Verified<VerifiedHeader> header = verify_header(t, as_bytes(s.block().header()), encode(s.commit()));
    ASSERT_TRUE(header.ok()) << "height " << h << ": " << header.error().to_string();
    const bool changes = header->header.next_validator_set_hash() != header->header.validator_set_hash();
    EXPECT_EQ(changes, h == 3) << "height " << h;
    if (changes) {
      // Without the new set, or with another set (the old one), the trust does not move.
      expect_refused(advance(t, *header, std::nullopt), LightFault::kUntrustedSet);
      expect_refused(advance(t, *header, encode(t.set.proto())), LightFault::kUntrustedSet);
      const Bytes garbage = {0xff, 0x00, 0x13};
      expect_refused(advance(t, *header, garbage), LightFault::kMalformed);
    }
    std::optional<Bytes> next_set;
    if (changes) next_set = encode(backend_.set_of(h + 1).proto());
    Verified<TrustedValidators> next =
        advance(t, *header, next_set.has_value() ? std::optional<ByteView>(*next_set) : std::nullopt);
    ASSERT_TRUE(next.ok()) << next.error().to_string();
    t = std::move(next).value();
    EXPECT_EQ(t.height, h + 1);
    EXPECT_EQ(t.set.hash(), backend_.set_of(h + 1).hash());
  }
  EXPECT_NE(t.set.hash(), four_validators().hash());
}

// ---------------------------------------------------------------- fetching through the real RPC handler

// The node's RPC without a socket: each GET goes through RpcHandler with a chain's backend, and
// `answer_` may rewrite the answer (a lying node).
class InProcessRpc {
 public:
  explicit InProcessRpc(rpc::RpcBackend& backend) : handler_(backend, rpc::HandlerLimits{}, metrics_) {}

  RpcGet rpc() {
    return [this](const std::string& target) -> Result<HttpResponse> {
      targets_.push_back(target);
      HttpResponse out = http_of(target);
      if (answer_) answer_(target, out);
      return out;
    };
  }

  // What the honest node answers.
  HttpResponse http_of(const std::string& target) {
    rpc::HttpRequest request{rpc::http::verb::get, target, 11};
    rpc::Reply reply = handler_.handle(request, "127.0.0.1:1");
    JOET_ASSERT(reply.response.has_value());
    return {static_cast<int>(reply.response->result_int()), reply.response->body()};
  }

 protected:
  rpc::ServerMetrics metrics_;
  rpc::RpcHandler handler_;
  std::function<void(const std::string&, HttpResponse&)> answer_;
  std::vector<std::string> targets_;
};

class LightClientOverRpcTest : public LightClientTest, public InProcessRpc {
 protected:
  LightClientOverRpcTest() : InProcessRpc(backend_) {}
};

TEST_F(LightClientOverRpcTest, ACaseAtTheTipIsVerifiedFromGenesisAcrossTheValidatorUpdate) {
  LightClient client(rpc(), genesis_trust());
  Verified<VerifiedCase> v = client.case_record("case-001", std::nullopt);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->state.header.header.height(), 6u);
  ASSERT_TRUE(v->record.has_value());
  EXPECT_EQ(v->record->id(), "case-001");
  EXPECT_EQ(client.latest().height, 6u);
  EXPECT_EQ(client.latest().set.hash(), backend_.set_of(6).hash());
  // Header 6 names the new set, so the client bisects for the last header of the genesis set (probes 3
  // and 4), follows the change header 3 announces, and takes header 6 under the new set: 4 header fetches
  // (6, 3, 4, 6; header 3 is not fetched twice) and one set.
  size_t headers = 0, sets = 0;
  for (const std::string& t : targets_) {
    headers += t.starts_with("/v1/headers/");
    sets += t.starts_with("/v1/validators/");
  }
  EXPECT_EQ(headers, 4u);
  EXPECT_EQ(sets, 1u);
  // A second query at the same height follows nothing again.
  targets_.clear();
  ASSERT_TRUE(client.case_record("case-002", 6).ok());
  EXPECT_EQ(targets_, (std::vector<std::string>{"/v1/cases/case-002?height=6"}));
}

TEST_F(LightClientOverRpcTest, AFarTipCostsLogarithmicallyManyHeadersNotOnePerHeight) {
  const int64_t day = 24ll * 3600 * 1000;
  for (int64_t i = 0; i < 250; ++i) backend_.next(utc_ms(2026, 3, 17, 9) + i * day / 100);
  ASSERT_EQ(chain_.blocks_->tip().height, 256u);
  LightClient client(rpc(), genesis_trust());
  Verified<VerifiedCase> v = client.case_record("case-001", std::nullopt);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->state.header.header.height(), 256u);
  EXPECT_EQ(client.latest().set.hash(), backend_.set_of(256).hash());
  // One set change over 256 heights: the target, ~8 bisection probes, the change, the target again.
  EXPECT_LE(client.headers_fetched(), 12u);
  EXPECT_GE(client.headers_fetched(), 3u);
}

TEST_F(LightClientOverRpcTest, AnOlderHeightAndAnAbsentCaseAndAStateKeyVerify) {
  LightClient client(rpc(), genesis_trust());
  Verified<VerifiedCase> at2 = client.case_record("case-001", 2);
  ASSERT_TRUE(at2.ok()) << at2.error().to_string();
  EXPECT_EQ(at2->state.header.header.height(), 2u);
  EXPECT_TRUE(at2->record->gi().empty());  // before the grant
  Verified<VerifiedCase> absent = client.case_record("case-404", std::nullopt);
  ASSERT_TRUE(absent.ok()) << absent.error().to_string();
  EXPECT_FALSE(absent->record.has_value());
  const Bytes key = state_keys::institution(kCourt);
  Verified<VerifiedState> inst = client.state(key, 3);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  EXPECT_TRUE(inst->value.has_value());
}

TEST_F(LightClientOverRpcTest, ACommittedTxIsVerifiedByItsInclusionProof) {
  LightClient client(rpc(), genesis_trust());
  Verified<VerifiedTx> v = client.tx(tx_id(open_));
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->header.header.height(), 1u);
  EXPECT_EQ(v->tx_id, tx_id(open_));
  EXPECT_FALSE(v->result.has_value()) << "a block of rules version 1 commits no results";
}

// ---------------------------------------------------------------- a recipient's events of a height
// (decision 0017: proven from state, so also on this chain of rules version 1)

std::vector<std::string> cases_of(const std::vector<contracts::v1::Event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.kind() + " " + e.case_id());
  return out;
}

TEST_F(LightClientOverRpcTest, ARecipientsEventsOfAHeightAreProvenWholeAndNoneOfAnotherHeight) {
  LightClient client(rpc(), genesis_trust());
  Verified<VerifiedEvents> at1 = client.events(kRvdk, 1);
  ASSERT_TRUE(at1.ok()) << at1.error().to_string();
  EXPECT_TRUE(at1->complete);
  EXPECT_EQ(at1->header.header.height(), 1u);
  EXPECT_EQ(cases_of(at1->events), (std::vector<std::string>{"CASE_OPENED case-001", "CASE_OPENED case-002"}));
  // Height 5 granted the OTS: the GI hears of it; the events of height 1 are not repeated.
  Verified<VerifiedEvents> at5 = client.events(kGi, 5);
  ASSERT_TRUE(at5.ok()) << at5.error().to_string();
  ASSERT_FALSE(at5->events.empty());
  for (const auto& e : at5->events) {
    EXPECT_EQ(e.height(), 5u);
    EXPECT_EQ(e.recipient(), kGi);
  }
  EXPECT_EQ(at5->events.front().kind(), "MEASURE_GRANTED");
  // A height without events of the recipient is proven empty.
  Verified<VerifiedEvents> none = client.events(kRvdk, 4);
  ASSERT_TRUE(none.ok()) << none.error().to_string();
  EXPECT_TRUE(none->events.empty());
  EXPECT_TRUE(none->complete);
  Verified<VerifiedEvents> stranger = client.events("nobody", 3);
  ASSERT_TRUE(stranger.ok()) << stranger.error().to_string();
  EXPECT_TRUE(stranger->events.empty());
}

TEST_F(LightClientOverRpcTest, APageCutShortIsFollowedToTheEndOfTheRun) {
  answer_ = [&](const std::string& target, HttpResponse& out) {
    if (target.starts_with("/v1/events/proof")) out = http_of(target + "&limit=1");
  };
  LightClient client(rpc(), genesis_trust());
  Verified<VerifiedEvents> at1 = client.events(kRvdk, 1);
  ASSERT_TRUE(at1.ok()) << at1.error().to_string();
  EXPECT_EQ(cases_of(at1->events), (std::vector<std::string>{"CASE_OPENED case-001", "CASE_OPENED case-002"}));
  std::vector<std::string> pages;
  for (const std::string& t : targets_) {
    if (t.starts_with("/v1/events/proof")) pages.push_back(t);
  }
  EXPECT_EQ(pages, (std::vector<std::string>{"/v1/events/proof?recipient=rvdk&height=1",
                                             "/v1/events/proof?recipient=rvdk&height=1&after=1"}));
}

// A node that leaves an event out, at either end of the run or in its middle, is refused.
TEST_F(LightClientOverRpcTest, ANodeThatLeavesAnEventOutIsRefused) {
  using Tamper = std::function<void(nlohmann::json&)>;
  const std::vector<std::pair<std::string, Tamper>> lies = {
      {"drops the first event and says the run starts after it",
       [](nlohmann::json& j) {
         j["before"] = j["proofs"][0];
         j["proofs"].erase(0);
         j["first_seq"] = j["first_seq"].get<uint64_t>() + 1;
       }},
      {"drops the first event and the proof before it",
       [](nlohmann::json& j) {
         j["proofs"].erase(0);
         j["first_seq"] = j["first_seq"].get<uint64_t>() + 1;
         j["before"] = nullptr;
       }},
      {"drops the last event and proves the seq after the one it kept with another key's absence",
       [this](nlohmann::json& j) {
         j["proofs"].erase(j["proofs"].size() - 1);
         j["next"] = nlohmann::json::parse(http_of("/v1/events/proof?recipient=nobody&height=1").body)["next"];
       }},
      {"swaps the two events",
       [](nlohmann::json& j) { std::swap(j["proofs"][0], j["proofs"][1]); }},
  };
  for (const auto& [lie, tamper] : lies) {
    answer_ = [&](const std::string& target, HttpResponse& out) {
      if (!target.starts_with("/v1/events/proof?recipient=gem-amsterdam")) return;
      nlohmann::json j = nlohmann::json::parse(out.body);
      ASSERT_EQ(j["proofs"].size(), 2u);
      tamper(j);
      out.body = j.dump();
    };
    LightClient client(rpc(), genesis_trust());
    Verified<VerifiedEvents> v = client.events(kMunicipality, 1);
    EXPECT_FALSE(v.ok()) << lie;
  }
}

TEST_F(LightClientOverRpcTest, ANodeServingAnotherValidatorSetIsRefused) {
  answer_ = [&](const std::string& target, HttpResponse& out) {
    if (!target.starts_with("/v1/validators/")) return;
    nlohmann::json j = nlohmann::json::parse(out.body);
    j["validator_set"] = to_hex(encode(four_validators().proto()));  // the old set, as if nothing changed
    out.body = j.dump();
  };
  LightClient client(rpc(), genesis_trust());
  expect_refused(client.case_record("case-001", std::nullopt), LightFault::kUntrustedSet);
  EXPECT_EQ(client.latest().height, 3u);  // the trust stopped before the change
}

TEST_F(LightClientOverRpcTest, ANodeAnsweringAnotherHeightThanAskedIsRefused) {
  answer_ = [&](const std::string& target, HttpResponse& out) {
    if (!target.starts_with("/v1/cases/")) return;
    HttpResponse older = http_of("/v1/cases/case-001?height=4");
    out = older;
  };
  LightClient client(rpc(), genesis_trust());
  expect_refused(client.case_record("case-001", 5), LightFault::kWrongHeight);
}

TEST_F(LightClientOverRpcTest, ANodeServingATamperedValueIsRefusedAndANodeThatFailsIsUnavailable) {
  answer_ = [&](const std::string& target, HttpResponse& out) {
    if (!target.starts_with("/v1/cases/")) return;
    nlohmann::json j = nlohmann::json::parse(out.body);
    v1::StateProof p = decode_state_proof(from_hex(j["proof"].get<std::string>()).value()).value();
    contracts::v1::Case c;
    ASSERT_TRUE(c.ParseFromString(p.value()));
    c.set_gi("gi-elsewhere");
    p.set_value(c.SerializeAsString());
    j["proof"] = to_hex(encode(p));
    out.body = j.dump();
  };
  LightClient client(rpc(), genesis_trust());
  expect_refused(client.case_record("case-001", std::nullopt), LightFault::kProofMismatch);

  LightClient down([](const std::string&) -> Result<HttpResponse> { return make_error(ErrorCode::kIoError, "down"); },
                   genesis_trust());
  expect_refused(down.case_record("case-001", std::nullopt), LightFault::kUnavailable);
}

TEST_F(LightClientOverRpcTest, AKeptTrustResumesFollowingFromItsHeight) {
  const std::string path = ::testing::TempDir() + std::to_string(getpid()) + "_light_client_trust.json";
  std::remove(path.c_str());
  EXPECT_FALSE(load_trust_file(path).value().has_value());
  ASSERT_TRUE(save_trust_file(path, trust(5)).ok());
  Result<std::optional<TrustedValidators>> kept = load_trust_file(path);
  std::remove(path.c_str());
  ASSERT_TRUE(kept.ok()) << kept.error().to_string();
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->chain_id, kChainId);
  EXPECT_EQ((*kept)->height, 5u);
  EXPECT_EQ((*kept)->set.hash(), backend_.set_of(5).hash());

  LightClient client(rpc(), genesis_trust());
  ASSERT_TRUE(client.resume(std::move(**kept)).ok());
  ASSERT_TRUE(client.case_record("case-001", 6).ok());
  // The answer first (its header names the height), then header 6 under the kept set: no set change.
  EXPECT_EQ(targets_, (std::vector<std::string>{"/v1/cases/case-001?height=6", "/v1/headers/6"}));
  // Below the kept trust it follows from the anchor again.
  targets_.clear();
  ASSERT_TRUE(client.case_record("case-001", 2).ok());
  EXPECT_EQ(targets_, (std::vector<std::string>{"/v1/cases/case-001?height=2", "/v1/headers/2"}));

  TrustedValidators other = trust(5);
  other.chain_id = "joet-other";
  EXPECT_FALSE(client.resume(other).ok());
}

// ---------------------------------------------------------------- results (rules version 3)

// Block 1 opens case-001 and opens it again (DUPLICATE), under rules version 3: the header commits both
// results (decision 0017).
struct VersionThreeChain {
  LocalChain chain_{3};
  ChainRpcBackend backend_{chain_};
  Chain txs_{3};
  v1::SignedTx opened_ = open_case_tx(txs_, "case-001");
  v1::SignedTx duplicate_ = open_case_tx(txs_, "case-001");
};

class LightClientResultsTest : public ::testing::Test, public VersionThreeChain, public InProcessRpc {
 protected:
  LightClientResultsTest() : InProcessRpc(backend_) {}
  void SetUp() override {
    backend_.next(utc_ms(2026, 3, 10, 9), {opened_, duplicate_});
    backend_.next(utc_ms(2026, 3, 10, 10));
  }
  static TrustedValidators genesis_trust() { return {std::string(kChainId), 1, four_validators()}; }

  // The answer for `target` changed by `tamper` (its JSON).
  void on_tx_proof(const std::function<void(nlohmann::json&)>& tamper) {
    answer_ = [tamper](const std::string& target, HttpResponse& out) {
      if (!target.ends_with("/proof")) return;
      nlohmann::json j = nlohmann::json::parse(out.body);
      tamper(j);
      out.body = j.dump();
    };
  }
};

TEST_F(LightClientResultsTest, TheResultOfATxIsProvenWithItAndARefusalSaysWhy) {
  LightClient client(rpc(), genesis_trust());
  Verified<VerifiedTx> ok = client.tx(tx_id(opened_));
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  ASSERT_TRUE(ok->result.has_value());
  EXPECT_EQ(ok->result->code(), "OK");
  EXPECT_EQ(ok->result->message(), "");
  Verified<VerifiedTx> refused = client.tx(tx_id(duplicate_));
  ASSERT_TRUE(refused.ok()) << refused.error().to_string();
  ASSERT_TRUE(refused->result.has_value());
  EXPECT_EQ(refused->result->code(), "DUPLICATE");
  EXPECT_EQ(refused->result->message(), backend_.result_of(tx_id(duplicate_)).message);
  EXPECT_FALSE(refused->result->message().empty());
}

TEST_F(LightClientResultsTest, ANodeThatChangesOrWithholdsAResultIsRefused) {
  const Hash32 id = tx_id(duplicate_);
  // "It was accepted": the leaf rewritten to OK.
  on_tx_proof([](nlohmann::json& j) {
    v1::TxResultLeaf leaf;
    ASSERT_TRUE(leaf.ParseFromString(to_string(from_hex(j["result_leaf"].get<std::string>()).value())));
    leaf.set_code("OK");
    leaf.clear_message();
    j["result_leaf"] = to_hex(encode(leaf));
  });
  expect_refused(LightClient(rpc(), genesis_trust()).tx(id), LightFault::kProofMismatch);
  // No result at all, as a node of an older version would answer.
  on_tx_proof([](nlohmann::json& j) {
    j.erase("result_leaf");
    j.erase("result_proof");
  });
  expect_refused(LightClient(rpc(), genesis_trust()).tx(id), LightFault::kProofMismatch);
  // The other tx's result, correctly proven, is not this tx's.
  on_tx_proof([this](nlohmann::json& j) {
    const nlohmann::json other = nlohmann::json::parse(http_of("/v1/txs/" + to_hex(tx_id(opened_)) + "/proof").body);
    j["result_leaf"] = other["result_leaf"];
    j["result_proof"] = other["result_proof"];
  });
  expect_refused(LightClient(rpc(), genesis_trust()).tx(id), LightFault::kKeyMismatch);
}

TEST_F(LightClientResultsTest, ANodeWhoseResultIndexDisagreesWithItsHeaderServesNoProof) {
  backend_.result_of(tx_id(duplicate_)) = TxResult{};  // the index says OK; the header says DUPLICATE
  const HttpResponse out = http_of("/v1/txs/" + to_hex(tx_id(duplicate_)) + "/proof");
  EXPECT_EQ(out.status, 500);
  EXPECT_NE(out.body.find("results_root"), std::string::npos) << out.body;
  expect_refused(LightClient(rpc(), genesis_trust()).tx(tx_id(duplicate_)), LightFault::kUnavailable);
}

TEST(LightClientTrustFile, AFileThatIsNotATrustIsRefused) {
  const std::string path = ::testing::TempDir() + std::to_string(getpid()) + "_light_client_bad_trust.json";
  for (const char* text : {"not json", "{\"chain_id\": \"c\", \"height\": 3}",
                           "{\"chain_id\": \"c\", \"height\": 3, \"validator_set\": \"zz\"}",
                           "{\"chain_id\": \"c\", \"height\": 0, \"validator_set\": \"\"}"}) {
    std::ofstream(path) << text;
    Result<std::optional<TrustedValidators>> kept = load_trust_file(path);
    ASSERT_FALSE(kept.ok()) << text;
    EXPECT_EQ(kept.error().code, ErrorCode::kMalformed) << text;
  }
  std::remove(path.c_str());
}

TEST(LightClientGenesis, TheTrustOfAGenesisFileIsItsChainAndValidatorsAtHeightOne) {
  home::Genesis g;
  g.chain_id = std::string(kChainId);
  g.genesis_time_ms = utc_ms(2026, 3, 1, 9);
  g.institutions = test_institutions();
  const ValidatorSet set = four_validators();
  for (uint32_t i = 0; i < set.size(); ++i) {
    g.validators.push_back({PublicKey::from_bytes(as_bytes(set.at(i).public_key())).value(), 1, ""});
  }
  const std::string path = ::testing::TempDir() + std::to_string(getpid()) + "_light_client_genesis.json";
  {
    std::ofstream f(path);
    f << home::write_genesis(g);
  }
  Result<TrustedValidators> t = trusted_validators_from_genesis(path);
  std::remove(path.c_str());
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(t->chain_id, kChainId);
  EXPECT_EQ(t->height, 1u);
  EXPECT_EQ(t->set.hash(), set.hash());
  EXPECT_FALSE(trusted_validators_from_genesis(path + ".missing").ok());
}

}  // namespace
}  // namespace joet::sdk
