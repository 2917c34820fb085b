// The daemon's RpcBackend serves the proof routes from its real ledger app, block store and state
// tree: the SDK's light client, trusting only the genesis validators, verifies what it answers over
// a real socket, with requests signed as the access policy requires, across a validator.update.
#include "node/daemon/rpc_backend.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "client-sdk/light_client_rpc.h"
#include "contracts/state.h"
#include "node/app/app_test_support.h"
#include "node/rpc/rpc_test_support.h"

namespace joet::daemon {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};

int64_t at_hour(int h) { return kGenesisMs + int64_t{3'600'000} * (h + 1); }

uint64_t wall_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

class DaemonProofsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(node_.app->init_genesis().ok());
    // Validator 0 (this node, which proposes every block here) stays; the other three change.
    const auto args = validator_update_args(
        [](int i) { return (i == 0 ? "validator-" : "new-validator-") + std::to_string(i); });
    open_ = open_case_tx(chain_, "case-001");
    commit_block({open_});
    commit_block({chain_.multi_tx(kFive, "validator.update", args)});
    for (int i = 0; i < 3; ++i) commit_block({});
    ASSERT_EQ(node_.app->tip_height(), 5u);
  }

  void commit_block(const std::vector<v1::SignedTx>& txs) {
    const uint64_t height = node_.app->tip_height() + 1;
    for (const v1::SignedTx& tx : txs) {
      ASSERT_TRUE(node_.app->submit_tx(tx_bytes(tx), at_hour(static_cast<int>(height)))->admitted());
    }
    const consensus::Value v = node_.app->prepare_proposal(height, 0, static_cast<uint64_t>(at_hour(static_cast<int>(height))), {});
    ASSERT_TRUE(node_.app->finalize_block(height, v, certify_by(*node_.app->validator_set(height), height, v.hash)).ok());
    ASSERT_FALSE(node_.app->halted()) << node_.app->halt_status().to_string();
  }

  sdk::RpcGet rpc(std::optional<sdk::RequestSigner> signer) {
    return sdk::http_rpc_get("127.0.0.1:" + std::to_string(server_.port()), std::move(signer));
  }

  AppNode node_{std::make_unique<MemoryKvStore>(), 0};
  Chain chain_;
  v1::SignedTx open_;
  DaemonRpcBackend backend_{*node_.app, *node_.blocks, *node_.kv, *node_.mempool,
                            NodeFacts{std::string(kChainId), wall_ms, [] {}, [] { return std::vector<rpc::PeerInfo>(); },
                                      [] { return std::vector<rpc::Metric>(); }, [](const Error&) {}}};
  rpc::testing::RunningServer server_{backend_};
  sdk::TrustedValidators genesis_{std::string(kChainId), 1, four_validators()};
  sdk::RequestSigner auditor_{Chain::key(kAuditor), std::string(kChainId)};
};

TEST_F(DaemonProofsTest, AnAuditorVerifiesACaseAtTheTipFromGenesisAcrossTheValidatorUpdate) {
  sdk::LightClient client(rpc(auditor_), genesis_);
  sdk::Verified<sdk::VerifiedCase> v = client.case_record("case-001", std::nullopt);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->state.header.header.height(), 5u);
  ASSERT_TRUE(v->record.has_value());
  EXPECT_EQ(v->record->id(), "case-001");
  EXPECT_EQ(client.latest().height, 5u);
  EXPECT_EQ(client.latest().set.hash(), node_.app->validator_set(5)->hash());
  EXPECT_NE(client.latest().set.hash(), four_validators().hash());
}

TEST_F(DaemonProofsTest, OlderHeightsAbsentCasesAndTxsVerifyToo) {
  sdk::LightClient client(rpc(auditor_), genesis_);
  sdk::Verified<sdk::VerifiedCase> at1 = client.case_record("case-001", 1);
  ASSERT_TRUE(at1.ok()) << at1.error().to_string();
  EXPECT_EQ(at1->state.header.header.height(), 1u);
  sdk::Verified<sdk::VerifiedCase> absent = client.case_record("case-404", 4);
  ASSERT_TRUE(absent.ok()) << absent.error().to_string();
  EXPECT_FALSE(absent->record.has_value());
  sdk::Verified<sdk::VerifiedTx> tx = client.tx(tx_id(open_));
  ASSERT_TRUE(tx.ok()) << tx.error().to_string();
  EXPECT_EQ(tx->header.header.height(), 1u);
  sdk::Verified<sdk::VerifiedState> key = client.state(state_keys::institution(kGi), 3);
  ASSERT_TRUE(key.ok()) << key.error().to_string();
  EXPECT_TRUE(key->value.has_value());
}

TEST_F(DaemonProofsTest, TheValidatorsRouteServesTheAppsSetsUpToTipPlusOne) {
  for (uint64_t h = 1; h <= 6; ++h) {
    EXPECT_EQ(backend_.validator_set(h).value()->SerializeAsString(), node_.app->validator_set(h)->proto().SerializeAsString())
        << h;
  }
  EXPECT_FALSE(backend_.validator_set(7).value().has_value());
  EXPECT_FALSE(backend_.validator_set(0).value().has_value());
}

TEST_F(DaemonProofsTest, EventsOfARecipientThatCannotBeAnInstitutionAreNoneNotACrash) {
  // The handler lets any printable recipient through; a '/' would make a state key of another shape.
  auto page = backend_.events("a/b", 0, 10);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->events.empty());
  auto signed_page = sdk::http_request("127.0.0.1:" + std::to_string(server_.port()), "GET",
                                       "/v1/events?recipient=a%2Fb&after=0", "", 5000, auditor_);
  ASSERT_TRUE(signed_page.ok()) << signed_page.error().to_string();
  EXPECT_EQ(signed_page->status, 200) << signed_page->body;
  EXPECT_TRUE(backend_.events(std::string(kMunicipality), 0, 10).ok());
}

// A reader that wants the newest events starts near `last`: the recipient's latest sequence number,
// whatever page it asked for.
TEST_F(DaemonProofsTest, AnEventPageSaysTheRecipientsLastSequenceNumber) {
  auto all = backend_.events(std::string(kMunicipality), 0, 100000);
  ASSERT_TRUE(all.ok());
  ASSERT_GE(all->events.size(), 2u);
  auto first = backend_.events(std::string(kMunicipality), 0, 1);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->events.size(), 1u);
  EXPECT_EQ(first->last_seq, all->events.back().seq());
  auto nobody = backend_.events("gem-nergens", 0, 10);
  ASSERT_TRUE(nobody.ok());
  EXPECT_EQ(nobody->last_seq, 0u);
  auto answer = sdk::http_request("127.0.0.1:" + std::to_string(server_.port()), "GET",
                                  "/v1/events?recipient=" + std::string(kMunicipality) + "&after=0&limit=1", "", 5000, auditor_);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(nlohmann::json::parse(answer->body)["last"], all->events.back().seq()) << answer->body;
}

TEST_F(DaemonProofsTest, UnsignedReadsOfCaseDataAreRefusedByTheNode) {
  sdk::LightClient client(rpc(std::nullopt), genesis_);
  sdk::Verified<sdk::VerifiedCase> v = client.case_record("case-001", std::nullopt);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(sdk::light_fault_name(v.error().fault), "UNAVAILABLE");
  EXPECT_NE(v.error().message.find("401"), std::string::npos) << v.error().message;
}

}  // namespace
}  // namespace joet::daemon

namespace joet::daemon {
namespace {

// A case system restarted without its nonce counter asks the node: the last nonce the key used on
// chain, its txs pending here, the next nonce and the highest one the node would take.
TEST_F(DaemonProofsTest, TheNonceRouteGivesTheKeysLastPendingAndNextNonce) {
  const std::string rvdk = to_hex(Chain::key(kRvdk).public_key().bytes());
  auto get = [&](const std::string& key_hex) {
    auto r = sdk::http_request("127.0.0.1:" + std::to_string(server_.port()), "GET", "/v1/keys/" + key_hex + "/nonce",
                               "", 5000, auditor_);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? std::make_pair(r->status, nlohmann::json::parse(r->body)) : std::make_pair(0, nlohmann::json());
  };
  auto [status, committed] = get(rvdk);
  ASSERT_EQ(status, 200) << committed;
  EXPECT_EQ(committed["last_used"], 1);  // open_ in setup
  EXPECT_EQ(committed["pending"], 0);
  EXPECT_TRUE(committed["highest_pending"].is_null());
  EXPECT_EQ(committed["next"], 2);
  EXPECT_EQ(committed["max_accepted"], 1001);
  // Two txs of the key wait in the mempool, one with a gap: the next nonce is above both.
  for (const char* id : {"case-002", "case-003"}) {
    ASSERT_TRUE(node_.app->submit_tx(tx_bytes(open_case_tx(chain_, id)), at_hour(6))->admitted());
  }
  auto [status2, pending] = get(rvdk);
  ASSERT_EQ(status2, 200);
  EXPECT_EQ(pending["last_used"], 1);
  EXPECT_EQ(pending["pending"], 2);
  EXPECT_EQ(pending["highest_pending"], 3);
  EXPECT_EQ(pending["next"], 4);
  EXPECT_EQ(pending["max_accepted"], 1003);
  // A key that never signed starts at 1; a key that is no key is a 400.
  auto [status3, fresh] = get(to_hex(PrivateKey::from_test_seed("newcomer").public_key().bytes()));
  EXPECT_EQ(status3, 200);
  EXPECT_EQ(fresh["next"], 1);
  EXPECT_EQ(get(std::string(64, 'z')).first, 400);
}

}  // namespace
}  // namespace joet::daemon
