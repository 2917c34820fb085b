// The proof routes (docs/rpc.md "Proofs") over a real certified chain: what each answers verifies
// with the ledger's own verifiers, and bad input is refused with its code.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "contracts/state.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/merkle.h"
#include "ledger/smt.h"
#include "node/rpc/handler.h"
#include "node/rpc/rpc_test_support.h"
#include "node/testing/chain_rpc_backend.h"

namespace joet::rpc {
namespace {

using namespace joet::testing;  // NOLINT
using nlohmann::json;

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};

struct Answer {
  unsigned status = 0;
  json body;
};

class ProofRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open_ = open_case_tx(txs_, "case-001");
    backend_.next(utc_ms(2026, 3, 10, 9), {open_, open_case_tx(txs_, "case-002")});
    const auto args = validator_update_args([](int i) { return "new-validator-" + std::to_string(i); });
    backend_.next(utc_ms(2026, 3, 10, 10), {txs_.multi_tx(kFive, "validator.update", args)});
    backend_.next(utc_ms(2026, 3, 11, 9));
    backend_.next(utc_ms(2026, 3, 12, 9));
  }

  Answer get(const std::string& target) {
    HttpRequest request{http::verb::get, target, 11};
    Reply reply = handler_.handle(request, "127.0.0.1:9");
    JOET_ASSERT(reply.response.has_value());
    return {reply.response->result_int(), json::parse(reply.response->body(), nullptr, false)};
  }

  static Bytes hex_of(const json& j, const char* name) { return from_hex(j.at(name).get<std::string>()).value(); }

  v1::BlockHeader header_at(uint64_t h) const { return chain_.blocks_->header_at(h).value(); }

  LocalChain chain_;
  ChainRpcBackend backend_{chain_};
  ServerMetrics metrics_;
  RpcHandler handler_{backend_, HandlerLimits{}, metrics_};
  Chain txs_;
  v1::SignedTx open_;
};

void expect_error(const Answer& a, unsigned status, std::string_view code) {
  EXPECT_EQ(a.status, status) << a.body.dump();
  ASSERT_TRUE(a.body.is_object() && a.body.contains("error")) << a.body.dump();
  EXPECT_EQ(a.body["error"]["code"], code) << a.body.dump();
}

TEST_F(ProofRoutesTest, HeadersServeTheStoredHeaderBytesAndItsCertificate) {
  for (uint64_t h = 1; h <= 4; ++h) {
    const Answer a = get("/v1/headers/" + std::to_string(h));
    ASSERT_EQ(a.status, 200u) << a.body.dump();
    const v1::StoredBlock stored = chain_.blocks_->block_at(h).value();
    EXPECT_EQ(to_string(hex_of(a.body, "header")), stored.block().header());
    EXPECT_EQ(hex_of(a.body, "certificate"), encode(stored.commit()));
    EXPECT_EQ(a.body["block_hash"], to_hex(block_hash(stored.block())));
    EXPECT_EQ(a.body["height"], h);
    EXPECT_EQ(a.body["decoded"]["header"]["height"], h);
    const v1::CommitCertificate cert = decode_commit_certificate(hex_of(a.body, "certificate")).value();
    const CertificateVerdict verdict = verify_commit_certificate(cert, backend_.set_of(h), kChainId, h);
    ASSERT_TRUE(verdict.ok()) << verdict.message();
    EXPECT_EQ(verdict.commit().block_hash, block_hash(stored.block()));
  }
}

TEST_F(ProofRoutesTest, ValidatorsAreTheSetEachHeaderNamesAcrossTheUpdate) {
  for (uint64_t h = 1; h <= 4; ++h) {
    const Answer a = get("/v1/validators/" + std::to_string(h));
    ASSERT_EQ(a.status, 200u) << a.body.dump();
    const ValidatorSet set = ValidatorSet::create(decode_validator_set(hex_of(a.body, "validator_set")).value()).value();
    EXPECT_EQ(to_string(set.hash()), header_at(h).validator_set_hash()) << "height " << h;
    EXPECT_EQ(a.body["hash"], to_hex(set.hash()));
    EXPECT_EQ(a.body["validators"].size(), 4u);
  }
  EXPECT_NE(get("/v1/validators/3").body["hash"], get("/v1/validators/4").body["hash"]);
  // tip + 1: the set the tip's header names as next.
  const Answer next = get("/v1/validators/5");
  ASSERT_EQ(next.status, 200u);
  EXPECT_EQ(next.body["hash"], to_hex(as_bytes(header_at(4).next_validator_set_hash())));
  expect_error(get("/v1/validators/6"), 404, "VALIDATORS_NOT_FOUND");
  expect_error(get("/v1/validators/0"), 404, "VALIDATORS_NOT_FOUND");
}

TEST_F(ProofRoutesTest, AStateKeyIsProvenUnderTheStateRootOfTheHeightAsked) {
  const Bytes key = state_keys::institution(kCourt);
  const Answer a = get("/v1/state/" + to_hex(key) + "?height=2");
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["height"], 2u);
  EXPECT_TRUE(a.body["present"].get<bool>());
  const v1::StateProof proof = decode_state_proof(hex_of(a.body, "proof")).value();
  EXPECT_EQ(proof.key(), to_string(key));
  const v1::BlockHeader header = decode_block_header(hex_of(a.body, "header")).value();
  EXPECT_EQ(header.height(), 2u);
  const Hash32 root = hash32_from_bytes(as_bytes(header.state_root())).value();
  EXPECT_TRUE(verify_state_proof(root, proof).ok());
  // Without a height: the tip.
  const Answer tip = get("/v1/state/" + to_hex(key));
  ASSERT_EQ(tip.status, 200u);
  EXPECT_EQ(tip.body["height"], 4u);
}

TEST_F(ProofRoutesTest, ACaseCarriesItsDecodedRecordAndAnUnknownCaseIsProvenAbsent) {
  const Answer a = get("/v1/cases/case-001?height=1");
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["case_id"], "case-001");
  EXPECT_TRUE(a.body["present"].get<bool>());
  EXPECT_EQ(a.body["case"]["id"], "case-001");
  const v1::StateProof proof = decode_state_proof(hex_of(a.body, "proof")).value();
  EXPECT_EQ(proof.key(), to_string(state_keys::case_record("case-001")));
  const v1::BlockHeader header = decode_block_header(hex_of(a.body, "header")).value();
  EXPECT_TRUE(verify_state_proof(hash32_from_bytes(as_bytes(header.state_root())).value(), proof).ok());

  const Answer absent = get("/v1/cases/case-404");
  ASSERT_EQ(absent.status, 200u) << absent.body.dump();
  EXPECT_FALSE(absent.body["present"].get<bool>());
  EXPECT_TRUE(absent.body["case"].is_null());
  EXPECT_TRUE(absent.body["value"].is_null());
  const v1::StateProof none = decode_state_proof(hex_of(absent.body, "proof")).value();
  EXPECT_FALSE(none.present());
  EXPECT_TRUE(verify_state_proof(hash32_from_bytes(as_bytes(header_at(4).state_root())).value(), none).ok());
}

TEST_F(ProofRoutesTest, ATxIsProvenInItsBlocksTxRoot) {
  const Answer a = get("/v1/txs/" + to_hex(tx_id(open_)) + "/proof");
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["height"], 1u);
  EXPECT_EQ(a.body["index"], 0u);
  const Bytes tx = hex_of(a.body, "tx");
  EXPECT_EQ(tx, encode(open_));
  const v1::InclusionProof proof = decode_inclusion_proof(hex_of(a.body, "proof")).value();
  std::vector<Bytes> path;
  for (const std::string& h : proof.hashes()) path.emplace_back(h.begin(), h.end());
  EXPECT_EQ(proof.tree_size(), 2u);
  EXPECT_TRUE(verify_inclusion(proof.leaf_index(), proof.tree_size(), leaf_hash(tx), path,
                               as_bytes(header_at(1).tx_root()))
                  .ok());
  expect_error(get("/v1/txs/" + std::string(64, 'a') + "/proof"), 404, "TX_NOT_COMMITTED");
  expect_error(get("/v1/txs/abc/proof"), 400, "BAD_TX_ID");
  EXPECT_FALSE(a.body.contains("result_leaf")) << "a block of rules version 1 commits no results";
}

// The events of a recipient at a height: each event's state proof, and the proofs of the events around
// the run, under the header of that height.
TEST_F(ProofRoutesTest, ARecipientsEventsAreProvenUnderTheStateRootOfTheirHeight) {
  const Answer a = get("/v1/events/proof?recipient=rvdk&height=1");
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["height"], 1u);
  EXPECT_EQ(a.body["first_seq"], 1u);
  EXPECT_TRUE(a.body["complete"].get<bool>());
  EXPECT_TRUE(a.body["before"].is_null());
  ASSERT_EQ(a.body["events"].size(), 2u);
  ASSERT_EQ(a.body["proofs"].size(), 2u);
  const Hash32 root = hash32_from_bytes(as_bytes(header_at(1).state_root())).value();
  for (uint64_t i = 0; i < 2; ++i) {
    const v1::StateProof p = decode_state_proof(from_hex(a.body["proofs"][i].get<std::string>()).value()).value();
    EXPECT_EQ(p.key(), to_string(state_keys::event("rvdk", i + 1)));
    EXPECT_TRUE(p.present());
    EXPECT_TRUE(verify_state_proof(root, p).ok());
  }
  const v1::StateProof next = decode_state_proof(hex_of(a.body, "next")).value();
  EXPECT_EQ(next.key(), to_string(state_keys::event("rvdk", 3)));
  EXPECT_FALSE(next.present());
  // A later height without events of the recipient (the validator.update of height 2 told it too): the
  // run is empty, and starts after the last event of an earlier height, whose proof comes with it.
  const Answer later = get("/v1/events/proof?recipient=rvdk&height=3");
  ASSERT_EQ(later.status, 200u) << later.body.dump();
  const uint64_t after_last = later.body["first_seq"].get<uint64_t>();
  EXPECT_GE(after_last, 3u);
  EXPECT_TRUE(later.body["events"].empty());
  const v1::StateProof before = decode_state_proof(hex_of(later.body, "before")).value();
  EXPECT_EQ(before.key(), to_string(state_keys::event("rvdk", after_last - 1)));
  contracts::v1::Event last;
  ASSERT_TRUE(before.present() && last.ParseFromString(before.value()));
  EXPECT_LT(last.height(), 3u);
  // A page of one, then the rest.
  const Answer first = get("/v1/events/proof?recipient=rvdk&height=1&limit=1");
  EXPECT_FALSE(first.body["complete"].get<bool>());
  EXPECT_EQ(first.body["events"].size(), 1u);
  const Answer rest = get("/v1/events/proof?recipient=rvdk&height=1&after=1");
  EXPECT_TRUE(rest.body["complete"].get<bool>());
  EXPECT_EQ(rest.body["first_seq"], 2u);

  expect_error(get("/v1/events/proof?recipient=rvdk"), 400, "BAD_HEIGHT");
  expect_error(get("/v1/events/proof?recipient=rvdk&height=0"), 400, "BAD_HEIGHT");
  expect_error(get("/v1/events/proof?height=1"), 400, "BAD_RECIPIENT");
  expect_error(get("/v1/events/proof?recipient=rvdk&height=1&limit=0"), 400, "BAD_LIMIT");
  expect_error(get("/v1/events/proof?recipient=rvdk&height=1&after=x"), 400, "BAD_AFTER");
  expect_error(get("/v1/events/proof?recipient=rvdk&height=1&wait_ms=5"), 400, "UNKNOWN_PARAMETER");
  expect_error(get("/v1/events/proof?recipient=rvdk&height=9"), 404, "BLOCK_NOT_FOUND");
}

// A case's parties prove the records its quickscan reads, and only those.
TEST_F(ProofRoutesTest, ACaseScopedStateKeyIsProvenAndAnotherKeyIsRefused) {
  const std::string own = to_hex(state_keys::request("case-001", "r-9"));
  const Answer a = get("/v1/cases/case-001/state/" + own + "?height=4");
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["present"], false) << "no such request: proven absent";
  const v1::StateProof proof = decode_state_proof(hex_of(a.body, "proof")).value();
  EXPECT_EQ(proof.key(), to_string(state_keys::request("case-001", "r-9")));
  EXPECT_TRUE(verify_state_proof(hash32_from_bytes(as_bytes(header_at(4).state_root())).value(), proof).ok());
  EXPECT_EQ(get("/v1/cases/case-001/state/" + to_hex(state_keys::rules_schedule())).status, 200u);
  expect_error(get("/v1/cases/case-001/state/" + to_hex(state_keys::request("case-002", "r-9"))), 403, "KEY_NOT_OF_CASE");
  expect_error(get("/v1/cases/case-001/state/" + to_hex(state_keys::institution(kRvdk))), 403, "KEY_NOT_OF_CASE");
  expect_error(get("/v1/cases/case-001/state/" + to_hex(state_keys::request("case-001", "r-9")) + "00"), 403,
               "KEY_NOT_OF_CASE");
  expect_error(get("/v1/cases/case-404/state/" + own), 404, "CASE_UNKNOWN");
  expect_error(get("/v1/cases/case-001/state/zz"), 400, "BAD_KEY");
}

TEST_F(ProofRoutesTest, BadInputIsRefusedWithItsCode) {
  expect_error(get("/v1/headers/x"), 400, "BAD_HEIGHT");
  expect_error(get("/v1/headers/0"), 404, "BLOCK_NOT_FOUND");
  expect_error(get("/v1/headers/5"), 404, "BLOCK_NOT_FOUND");
  expect_error(get("/v1/headers/1?height=1"), 400, "UNKNOWN_PARAMETER");
  expect_error(get("/v1/validators/-1"), 400, "BAD_HEIGHT");
  expect_error(get("/v1/state/zz"), 400, "BAD_KEY");
  expect_error(get("/v1/state/abc"), 400, "BAD_KEY");
  expect_error(get("/v1/state/" + std::string(2 * SparseMerkleTree::kMaxKeyBytes + 2, 'a')), 400, "BAD_KEY");
  expect_error(get("/v1/state/00?height=9"), 404, "BLOCK_NOT_FOUND");
  expect_error(get("/v1/state/00?height=two"), 400, "BAD_HEIGHT");
  expect_error(get("/v1/state/00?at=1"), 400, "UNKNOWN_PARAMETER");
  expect_error(get("/v1/cases/" + std::string(129, 'c')), 400, "BAD_CASE_ID");
  expect_error(get("/v1/cases/case-001?height=0"), 404, "BLOCK_NOT_FOUND");
}

TEST(ProofRoutesWithoutProofs, ABackendWithoutProofSupportAnswers501AndAnEmptyChain404) {
  joet::rpc::testing::FakeBackend fake;
  ServerMetrics metrics;
  RpcHandler handler(fake, HandlerLimits{}, metrics);
  auto get = [&](const std::string& target) {
    HttpRequest request{http::verb::get, target, 11};
    Reply reply = handler.handle(request, "127.0.0.1:9");
    return Answer{reply.response->result_int(), json::parse(reply.response->body(), nullptr, false)};
  };
  expect_error(get("/v1/validators/1"), 501, "NOT_IMPLEMENTED");
  expect_error(get("/v1/state/00"), 404, "BLOCK_NOT_FOUND");  // the fake's chain has no block
  expect_error(get("/v1/headers/1"), 404, "BLOCK_NOT_FOUND");
  // Every proof route went through authorize with its template.
  std::vector<std::string> routes;
  for (const RequestMeta& m : fake.authorized()) routes.push_back(m.route);
  EXPECT_EQ(routes, (std::vector<std::string>{"/v1/validators/{height}", "/v1/state/{key_hex}", "/v1/headers/{height}"}));
}

TEST_F(ProofRoutesTest, ACaseProofTravelsThroughARealSocket) {
  joet::rpc::testing::RunningServer server(backend_);
  const std::optional<joet::rpc::testing::Response> r =
      joet::rpc::testing::call(server.port(), boost::beast::http::verb::get, "/v1/cases/case-002");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u) << r->body;
  EXPECT_EQ(r->json()["case"]["id"], "case-002");
  EXPECT_EQ(r->json()["height"], 4u);
}

}  // namespace
}  // namespace joet::rpc
