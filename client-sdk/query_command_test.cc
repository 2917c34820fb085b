// The real joet-client binary: `joet-client query` against an RPC server on 127.0.0.1 that serves a
// certified LocalChain, with genesis files that do and do not match it: its output and exit codes.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "client-sdk/light_client_rpc.h"
#include "node/home/genesis.h"
#include "node/home/key_file.h"
#include "node/rpc/rpc_test_support.h"
#include "node/testing/chain_rpc_backend.h"

namespace joet::sdk {
namespace {

using namespace joet::testing;  // NOLINT

struct ClientRun {
  int exit_code = -1;
  std::string out;
};

// Runs joet-client with `args` (stderr to /dev/null); bounded by the client's own 5 s RPC timeouts.
ClientRun joet_client(const std::string& args) {
  const std::string command = std::string(JOET_CLIENT_BIN) + " " + args + " 2>/dev/null";
  ClientRun run;
  FILE* pipe = popen(command.c_str(), "r");
  JOET_ASSERT(pipe != nullptr);
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

nlohmann::json json_of(const ClientRun& r) { return nlohmann::json::parse(r.out, nullptr, false); }

// A genesis.json of `chain_id` whose validators are the test keys with seeds prefix + i.
std::string write_genesis_file(const std::string& name, const std::string& chain_id, const std::string& prefix) {
  home::Genesis g;
  g.chain_id = chain_id;
  g.genesis_time_ms = utc_ms(2026, 3, 1, 9);
  g.institutions = test_institutions();
  for (int i = 0; i < 4; ++i) {
    g.validators.push_back({PrivateKey::from_test_seed(prefix + std::to_string(i)).public_key(), 1, ""});
  }
  const std::string path = ::testing::TempDir() + std::to_string(getpid()) + "_" + name;
  std::ofstream(path) << home::write_genesis(g);
  return path;
}

class QueryCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open_ = open_case_tx(txs_, "case-001");
    backend_.next(utc_ms(2026, 3, 10, 9), {open_});
    backend_.next(utc_ms(2026, 3, 10, 10));
    backend_.next(utc_ms(2026, 3, 11, 9));
    genesis_ = write_genesis_file("query_genesis.json", std::string(kChainId), "validator-");
  }
  void TearDown() override { std::remove(genesis_.c_str()); }

  std::string rpc() const { return "--rpc 127.0.0.1:" + std::to_string(server_.port()); }

  LocalChain chain_;
  ChainRpcBackend backend_{chain_};
  rpc::testing::RunningServer server_{backend_};
  Chain txs_;
  v1::SignedTx open_;
  std::string genesis_;
};

TEST_F(QueryCommandTest, ACaseIsPrintedVerifiedWithItsHeightAndExits0) {
  const ClientRun r = joet_client("query case case-001 " + rpc() + " --genesis " + genesis_);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const nlohmann::json j = json_of(r);
  EXPECT_EQ(j["verified"], true);
  EXPECT_EQ(j["height"], 3u);
  EXPECT_EQ(j["present"], true);
  EXPECT_EQ(j["case"]["id"], "case-001");
  EXPECT_EQ(j["block_hash"], to_hex(chain_.blocks_->tip().block_hash));

  const ClientRun at1 = joet_client("query case case-001 " + rpc() + " --genesis " + genesis_ + " --height 1");
  ASSERT_EQ(at1.exit_code, 0) << at1.out;
  EXPECT_EQ(json_of(at1)["height"], 1u);

  const ClientRun absent = joet_client("query case case-404 " + rpc() + " --genesis " + genesis_);
  ASSERT_EQ(absent.exit_code, 0) << absent.out;
  EXPECT_EQ(json_of(absent)["present"], false);
  EXPECT_TRUE(json_of(absent)["case"].is_null());
}

TEST_F(QueryCommandTest, ATxIsPrintedVerifiedWithItsBlockAndIndex) {
  const ClientRun r = joet_client("query tx " + to_hex(tx_id(open_)) + " " + rpc() + " --genesis " + genesis_);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const nlohmann::json j = json_of(r);
  EXPECT_EQ(j["verified"], true);
  EXPECT_EQ(j["height"], 1u);
  EXPECT_EQ(j["index"], 0u);
  EXPECT_EQ(j["body"]["action"], "case.open");
  EXPECT_TRUE(j["result"].is_null()) << "a block of rules version 1 commits no result to prove";
}

TEST_F(QueryCommandTest, TheEventsOfARecipientAtAHeightArePrintedVerified) {
  const ClientRun r = joet_client("query events rvdk --height 1 " + rpc() + " --genesis " + genesis_);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const nlohmann::json j = json_of(r);
  EXPECT_EQ(j["verified"], true);
  EXPECT_EQ(j["height"], 1u);
  EXPECT_EQ(j["complete"], true);
  ASSERT_EQ(j["events"].size(), 1u);
  EXPECT_EQ(j["events"][0]["kind"], "CASE_OPENED");
  EXPECT_EQ(j["events"][0]["case_id"], "case-001");
  EXPECT_EQ(joet_client("query events rvdk " + rpc() + " --genesis " + genesis_).exit_code, 2) << "--height is needed";
  EXPECT_EQ(joet_client("query tx " + to_hex(tx_id(open_)) + " --height 1 " + rpc() + " --genesis " + genesis_).exit_code, 2);
}

// Under rules version 3 the result is proven with the tx: a refusal with its code and message.
TEST(QueryCommandV3, ARefusedTxIsPrintedWithItsProvenCodeAndMessage) {
  LocalChain chain(3);
  ChainRpcBackend backend(chain);
  rpc::testing::RunningServer server(backend);
  Chain txs(3);
  const v1::SignedTx opened = open_case_tx(txs, "case-001");
  const v1::SignedTx again = open_case_tx(txs, "case-001");
  backend.next(utc_ms(2026, 3, 10, 9), {opened, again});
  const std::string genesis = write_genesis_file("query_genesis_v3.json", std::string(kChainId), "validator-");
  const std::string flags = " --rpc 127.0.0.1:" + std::to_string(server.port()) + " --genesis " + genesis;
  const ClientRun refused = joet_client("query tx " + to_hex(tx_id(again)) + flags);
  const ClientRun ok = joet_client("query tx " + to_hex(tx_id(opened)) + flags);
  std::remove(genesis.c_str());
  ASSERT_EQ(refused.exit_code, 0) << refused.out;
  EXPECT_EQ(json_of(refused)["result"]["code"], "DUPLICATE");
  EXPECT_EQ(json_of(refused)["result"]["message"], backend.result_of(tx_id(again)).message);
  ASSERT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(json_of(ok)["result"]["code"], "OK");
}

TEST_F(QueryCommandTest, AGenesisOfOtherValidatorsOrAnotherChainExits3WithTheFault) {
  const std::string others = write_genesis_file("query_genesis_others.json", std::string(kChainId), "new-validator-");
  const ClientRun r = joet_client("query case case-001 " + rpc() + " --genesis " + others);
  std::remove(others.c_str());
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_EQ(json_of(r)["verified"], false);
  EXPECT_EQ(json_of(r)["error"]["code"], "UNTRUSTED_SET");

  const std::string chain = write_genesis_file("query_genesis_chain.json", "joet-elsewhere", "validator-");
  const ClientRun c = joet_client("query case case-001 " + rpc() + " --genesis " + chain);
  std::remove(chain.c_str());
  EXPECT_EQ(c.exit_code, 3) << c.out;
  EXPECT_EQ(json_of(c)["error"]["code"], "WRONG_CHAIN");
}

// Numbers on the command line are strictly decimal: "-1" once became nonce 2^64-1 (std::stoull), which
// the chain accepts and after which the key can sign nothing more.
TEST_F(QueryCommandTest, ANegativeOrNonDecimalNumberIsAUsageErrorAndNothingIsPrinted) {
  const std::string key = ::testing::TempDir() + std::to_string(getpid()) + "_numbers_member.key";
  std::remove(key.c_str());
  ASSERT_TRUE(home::create_key_file(key).ok());
  const std::string tx = "tx --key " + key + " --chain-id joet-test case.open case=c-1 --nonce ";
  for (const char* bad : {"-1", "+5", "0x10", "1e3", " 7", "18446744073709551616", ""}) {
    const ClientRun r = joet_client(tx + "'" + bad + "'");
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_TRUE(r.out.empty()) << bad << ": " << r.out;
  }
  const ClientRun ok = joet_client(tx + "18446744073709551615");
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(json_of(ok).value("tx_id", "").size(), 64u) << ok.out;
  // The same rule for the other numbers (each run would otherwise answer, or fail to connect: exit 0 or 1).
  EXPECT_EQ(joet_client("query case case-001 " + rpc() + " --genesis " + genesis_ + " --height -3").exit_code, 2);
  EXPECT_EQ(joet_client("get --rpc 127.0.0.1:9 --timeout-ms -5 /v1/status").exit_code, 2);
  EXPECT_EQ(joet_client("events --rpc 127.0.0.1:9 --key " + key + " --chain-id joet-test --recipient rvdk --after -1").exit_code, 2);
  std::remove(key.c_str());
}

TEST_F(QueryCommandTest, WithAKeyEveryRequestIsSigned) {
  const std::string key = ::testing::TempDir() + std::to_string(getpid()) + "_query_member.key";
  std::remove(key.c_str());
  ASSERT_TRUE(home::create_key_file(key).ok());
  const ClientRun r = joet_client("query case case-001 " + rpc() + " --genesis " + genesis_ + " --key " + key);
  std::remove(key.c_str());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // The case at 3, then header 3 verified under the genesis set: two requests, both signed.
  EXPECT_EQ(backend_.signed_requests(), 2u);
}

TEST_F(QueryCommandTest, ATrustFileKeepsTheVerifiedSetSoTheNextQueryFollowsOnlyNewHeights) {
  const std::string trust = ::testing::TempDir() + std::to_string(getpid()) + "_query_trust.json";
  std::remove(trust.c_str());
  const std::string query = "query case case-001 " + rpc() + " --genesis " + genesis_ + " --trust-file " + trust;
  ASSERT_EQ(joet_client(query).exit_code, 0);
  EXPECT_EQ(backend_.requests(), 2u);  // the case at 3, then header 3 (the genesis set names it)
  Result<std::optional<TrustedValidators>> kept = load_trust_file(trust);
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->height, 3u);
  EXPECT_EQ((*kept)->set.hash(), backend_.set_of(3).hash());

  backend_.next(utc_ms(2026, 3, 12, 9));
  const ClientRun again = joet_client(query);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(json_of(again)["height"], 4u);
  EXPECT_EQ(backend_.requests(), 2u + 2u);  // the case at 4, then header 4 under the kept set
  EXPECT_EQ(load_trust_file(trust).value()->height, 4u);

  // A trust file of another chain is refused, not silently replaced.
  const std::string other = write_genesis_file("query_genesis_chain2.json", "joet-elsewhere", "validator-");
  const ClientRun refused = joet_client("query case case-001 " + rpc() + " --genesis " + other + " --trust-file " + trust);
  std::remove(other.c_str());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(load_trust_file(trust).value()->chain_id, kChainId);
  std::remove(trust.c_str());
}

TEST_F(QueryCommandTest, ANodeThatDoesNotAnswerExits1AndBadUsageExits2) {
  const ClientRun down = joet_client("query case case-001 --rpc 127.0.0.1:1 --genesis " + genesis_);
  EXPECT_EQ(down.exit_code, 1) << down.out;
  EXPECT_EQ(json_of(down)["error"]["code"], "UNAVAILABLE");
  EXPECT_EQ(joet_client("query case case-001 " + rpc()).exit_code, 2);                          // no --genesis
  EXPECT_EQ(joet_client("query case case-001 " + rpc() + " --genesis /nonexistent").exit_code, 2);
  EXPECT_EQ(joet_client("query case case-001 " + rpc() + " --genesis " + genesis_ + " --height x").exit_code, 2);
  EXPECT_EQ(joet_client("query block 1 " + rpc() + " --genesis " + genesis_).exit_code, 2);
  EXPECT_EQ(joet_client("query tx nothex " + rpc() + " --genesis " + genesis_).exit_code, 2);
}

}  // namespace
}  // namespace joet::sdk
