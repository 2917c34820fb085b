// The RPC over real HTTP on 127.0.0.1: each route's answers and errors, the long-poll, limits,
// concurrency, authorization and metrics, against a fake backend.
#include "node/rpc/server.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "ledger/testing/test_chain.h"
#include "node/rpc/rpc_test_support.h"

namespace joet::rpc {
namespace {

using namespace std::chrono_literals;
using boost::beast::http::verb;
using testing::call;
using testing::Client;
using testing::FakeBackend;
using testing::Response;
using testing::RunningServer;

std::string tx_hex(uint64_t nonce = 1) {
  const PrivateKey key = PrivateKey::from_test_seed("member-a");
  return to_hex(encode(joet::testing::make_signed_tx(key, nonce)));
}

std::string submit_body(const std::string& hex) { return nlohmann::json{{"tx", hex}}.dump(); }

void expect_error(const std::optional<Response>& r, unsigned status, const std::string& code) {
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, status) << r->body;
  const nlohmann::json j = r->json();
  ASSERT_TRUE(j.is_object()) << r->body;
  ASSERT_TRUE(j.contains("error")) << r->body;
  EXPECT_EQ(j["error"]["code"], code) << r->body;
  EXPECT_TRUE(j["error"]["message"].is_string());
  EXPECT_EQ(r->content_type, "application/json");
}

class RpcTest : public ::testing::Test {
 protected:
  FakeBackend backend;
};

// ---------------------------------------------------------------- POST /v1/txs

TEST_F(RpcTest, SubmitAcceptsASignedTxAndAnswers202WithItsId) {
  RunningServer server(backend);
  const std::string hex = tx_hex();
  auto r = call(server.port(), verb::post, "/v1/txs", submit_body(hex));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 202u) << r->body;
  const v1::SignedTx tx = *decode_signed_tx(*from_hex(hex));
  EXPECT_EQ(r->json()["tx_id"], to_hex(tx_id(tx)));
  EXPECT_EQ(r->json()["status"], "pending");
}

TEST_F(RpcTest, SubmitRefusesBadHexWith400) {
  RunningServer server(backend);
  expect_error(call(server.port(), verb::post, "/v1/txs", submit_body("zz")), 400, "BAD_HEX");
  expect_error(call(server.port(), verb::post, "/v1/txs", submit_body("abc")), 400, "BAD_HEX");
}

TEST_F(RpcTest, SubmitRefusesBytesThatAreNotASignedTx) {
  RunningServer server(backend);
  expect_error(call(server.port(), verb::post, "/v1/txs", submit_body("ffffffff")), 400, "MALFORMED_TX");
  expect_error(call(server.port(), verb::post, "/v1/txs", submit_body("")), 400, "MALFORMED_TX");
}

TEST_F(RpcTest, SubmitRefusesABodyThatIsNotTheExpectedJson) {
  RunningServer server(backend);
  expect_error(call(server.port(), verb::post, "/v1/txs", "{not json"), 400, "BAD_JSON");
  expect_error(call(server.port(), verb::post, "/v1/txs", "[1,2]"), 400, "BAD_REQUEST");
  expect_error(call(server.port(), verb::post, "/v1/txs", R"({"tx": 12})"), 400, "BAD_REQUEST");
  expect_error(call(server.port(), verb::post, "/v1/txs", ""), 400, "BAD_JSON");
}

TEST_F(RpcTest, SubmitPassesTheBackendsAdmissionCodeThroughWith422) {
  RunningServer server(backend);
  for (const char* code : {"BAD_SIGNATURE", "BAD_NONCE", "NOT_AUTHORIZED", "DUPLICATE"}) {
    backend.refuse_with(code);
    auto r = call(server.port(), verb::post, "/v1/txs", submit_body(tx_hex()));
    expect_error(r, 422, code);
    EXPECT_EQ(r->json()["tx_id"].get<std::string>().size(), 64u);
  }
}

TEST_F(RpcTest, SubmitAnswers503WhenTheBackendSaysRetryLater) {
  RunningServer server(backend);
  backend.refuse_with("MEMPOOL_FULL");
  expect_error(call(server.port(), verb::post, "/v1/txs", submit_body(tx_hex())), 503, "MEMPOOL_FULL");
}

TEST_F(RpcTest, OversizeBodyIsRefusedWith413AndTheConnectionCloses) {
  RpcServerConfig config;
  config.max_body_bytes = 4096;
  RunningServer server(backend, config);
  // The whole body sent: the server answers after the header, then drains what follows.
  {
    Client c(server.port());
    ASSERT_TRUE(c.connect());
    auto r = c.request(verb::post, "/v1/txs", submit_body(std::string(10'000, 'a')));
    expect_error(r, 413, "PAYLOAD_TOO_LARGE");
    EXPECT_FALSE(r->keep_alive);
    std::string rest;
    EXPECT_TRUE(c.read_until_closed(rest));
  }
  // Only the header, announcing a body over the limit: refused before any body byte.
  {
    Client c(server.port());
    ASSERT_TRUE(c.connect());
    ASSERT_TRUE(c.send_raw("POST /v1/txs HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"));
    expect_error(c.read_response(), 413, "PAYLOAD_TOO_LARGE");
  }
}

TEST_F(RpcTest, OversizeHeaderIsRefusedWith431) {
  RpcServerConfig config;
  config.max_header_bytes = 1024;
  RunningServer server(backend, config);
  auto r = call(server.port(), verb::get, "/v1/status", "", {{"X-Padding", std::string(4000, 'p')}});
  expect_error(r, 431, "HEADERS_TOO_LARGE");
}

// ---------------------------------------------------------------- GET /v1/txs/{tx_id}

TEST_F(RpcTest, TxStatusIsPendingCommittedOrUnknown) {
  RunningServer server(backend);
  auto submitted = call(server.port(), verb::post, "/v1/txs", submit_body(tx_hex()));
  ASSERT_TRUE(submitted.has_value());
  const std::string pending_id = submitted->json()["tx_id"];
  auto pending = call(server.port(), verb::get, "/v1/txs/" + pending_id);
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->status, 200u);
  EXPECT_EQ(pending->json()["status"], "pending");
  EXPECT_TRUE(pending->json()["height"].is_null());

  Hash32 committed_id{};
  committed_id[0] = 0xab;
  TxStatus committed;
  committed.state = TxStatus::State::kCommitted;
  committed.height = 12;
  committed.index = 3;
  committed.result_code = "OK";
  backend.set_tx(committed_id, committed);
  auto c = call(server.port(), verb::get, "/v1/txs/" + to_hex(committed_id));
  ASSERT_TRUE(c.has_value());
  const nlohmann::json j = c->json();
  EXPECT_EQ(j["tx_id"], to_hex(committed_id));
  EXPECT_EQ(j["status"], "committed");
  EXPECT_EQ(j["height"], 12);
  EXPECT_EQ(j["index"], 3);
  EXPECT_EQ(j["result"]["code"], "OK");

  auto unknown = call(server.port(), verb::get, "/v1/txs/" + std::string(64, '0'));
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->status, 200u);
  EXPECT_EQ(unknown->json()["status"], "unknown");
}

TEST_F(RpcTest, TxStatusRefusesABadTxId) {
  RunningServer server(backend);
  expect_error(call(server.port(), verb::get, "/v1/txs/abc"), 400, "BAD_TX_ID");
  expect_error(call(server.port(), verb::get, "/v1/txs/" + std::string(64, 'g')), 400, "BAD_TX_ID");
}

// ---------------------------------------------------------------- GET /v1/status

TEST_F(RpcTest, StatusReportsTheTipAndPeers) {
  NodeStatus s;
  s.chain_id = "joet-test";
  s.height = 42;
  s.tip_hash[31] = 0x07;
  s.time_ms = 1'700'000'000'123;
  s.rules_version = 2;
  s.peers = {{"aa", "10.0.0.2:26656", 41}};
  s.catching_up = true;
  s.policy = {{"assign_days", 5}, {"no_contact_signal_days", 21}};
  backend.set_status(s);
  RunningServer server(backend);
  auto r = call(server.port(), verb::get, "/v1/status");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u);
  const nlohmann::json j = r->json();
  EXPECT_EQ(j["chain_id"], "joet-test");
  EXPECT_EQ(j["height"], 42);
  EXPECT_EQ(j["tip_hash"], to_hex(s.tip_hash));
  EXPECT_EQ(j["time"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(j["time_ms"], 1'700'000'000'123ull);
  EXPECT_EQ(j["rules_version"], 2);
  ASSERT_EQ(j["peers"].size(), 1u);
  EXPECT_EQ(j["peers"][0]["address"], "10.0.0.2:26656");
  EXPECT_EQ(j["catching_up"], true);
  EXPECT_EQ(j["policy"]["no_contact_signal_days"], 21);
  EXPECT_EQ(j["policy"]["assign_days"], 5);
}

TEST_F(RpcTest, BackendErrorsAre503Unavailable) {
  backend.set_unavailable(true);
  RunningServer server(backend);
  expect_error(call(server.port(), verb::get, "/v1/status"), 503, "UNAVAILABLE");
}

// ---------------------------------------------------------------- GET /v1/blocks/{height}[/raw]

class RpcBlocksTest : public RpcTest {
 protected:
  void SetUp() override {
    joet::testing::TestChain chain;
    const PrivateKey key = PrivateKey::from_test_seed("member-a");
    chain.next({joet::testing::make_signed_tx(key, 1)});
    certified = chain.next({joet::testing::make_signed_tx(key, 2), joet::testing::make_signed_tx(key, 3)});
    v1::StoredBlock stored;
    *stored.mutable_block() = certified.block;
    *stored.mutable_commit() = certified.commit;
    stored_bytes = encode(stored);
    backend.put_block(2, stored_bytes);
  }
  joet::testing::TestChain::Certified certified;
  Bytes stored_bytes;
};

TEST_F(RpcBlocksTest, BlockAsJsonCarriesEveryHeaderFieldTheTxsAndTheCertificate) {
  RunningServer server(backend);
  auto r = call(server.port(), verb::get, "/v1/blocks/2");
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->status, 200u) << r->body;
  const nlohmann::json j = r->json();
  const v1::BlockHeader header = *decode_block_header(as_bytes(certified.block.header()));
  EXPECT_EQ(j["height"], 2);
  EXPECT_EQ(j["hash"], to_hex(block_hash(certified.block)));
  const nlohmann::json& h = j["header"];
  EXPECT_EQ(h["chain_id"], header.chain_id());
  EXPECT_EQ(h["height"], 2);
  EXPECT_EQ(h["time_ms"], header.time_ms());
  EXPECT_EQ(h["rules_version"], header.rules_version());
  EXPECT_EQ(h["prev_block_hash"], to_hex(as_bytes(header.prev_block_hash())));
  EXPECT_EQ(h["tx_root"], to_hex(as_bytes(header.tx_root())));
  EXPECT_EQ(h["state_root"], to_hex(as_bytes(header.state_root())));
  EXPECT_EQ(h["events_root"], to_hex(as_bytes(header.events_root())));
  EXPECT_EQ(h["history_root"], to_hex(as_bytes(header.history_root())));
  EXPECT_EQ(h["validator_set_hash"], to_hex(as_bytes(header.validator_set_hash())));
  EXPECT_EQ(h["next_validator_set_hash"], to_hex(as_bytes(header.next_validator_set_hash())));
  EXPECT_EQ(h["proposer"], header.proposer());
  EXPECT_EQ(h["last_commit_hash"], to_hex(as_bytes(header.last_commit_hash())));
  ASSERT_EQ(j["txs"].size(), 2u);
  EXPECT_EQ(j["txs"][1], to_hex(as_bytes(certified.block.txs(1))));
  EXPECT_EQ(j["tx_ids"].size(), 2u);
  const nlohmann::json& cert = j["certificate"];
  EXPECT_EQ(cert["vote_body"], to_hex(as_bytes(certified.commit.vote_body())));
  EXPECT_EQ(cert["signers"], to_hex(as_bytes(certified.commit.signers())));
  EXPECT_EQ(cert["signatures"].size(), static_cast<size_t>(certified.commit.signatures_size()));
  EXPECT_EQ(cert["vote"]["type"], "PRECOMMIT");
  EXPECT_EQ(cert["vote"]["height"], 2);
  EXPECT_EQ(cert["vote"]["block_hash"], j["hash"]);
  EXPECT_TRUE(j["last_commit"].is_object());
}

TEST_F(RpcBlocksTest, RawBlockIsTheStoredBlockForOfflineVerification) {
  RunningServer server(backend);
  auto r = call(server.port(), verb::get, "/v1/blocks/2/raw");
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->status, 200u) << r->body;
  Result<Bytes> bytes = from_hex(r->json()["stored_block"].get<std::string>());
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, stored_bytes);
  Result<v1::StoredBlock> decoded = decode_stored_block(*bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(block_hash(decoded->block()), block_hash(certified.block));
}

TEST_F(RpcBlocksTest, MissingHeightIs404AndABadHeightIs400) {
  RunningServer server(backend);
  expect_error(call(server.port(), verb::get, "/v1/blocks/3"), 404, "BLOCK_NOT_FOUND");
  expect_error(call(server.port(), verb::get, "/v1/blocks/0"), 404, "BLOCK_NOT_FOUND");
  expect_error(call(server.port(), verb::get, "/v1/blocks/3/raw"), 404, "BLOCK_NOT_FOUND");
  expect_error(call(server.port(), verb::get, "/v1/blocks/two"), 400, "BAD_HEIGHT");
  expect_error(call(server.port(), verb::get, "/v1/blocks/-1"), 400, "BAD_HEIGHT");
  expect_error(call(server.port(), verb::get, "/v1/blocks/99999999999999999999999"), 400, "BAD_HEIGHT");
}

TEST_F(RpcBlocksTest, AStoredBlockThatDoesNotDecodeIs500) {
  backend.put_block(5, {0xff, 0xff, 0xff});
  RunningServer server(backend);
  expect_error(call(server.port(), verb::get, "/v1/blocks/5"), 500, "INTERNAL");
}

// ---------------------------------------------------------------- routing and access control

TEST_F(RpcTest, UnknownRouteIs404) {
  RunningServer server(backend);
  expect_error(call(server.port(), verb::get, "/v1/nothing"), 404, "NOT_FOUND");
  expect_error(call(server.port(), verb::get, "/v1/status/"), 404, "NOT_FOUND");
  expect_error(call(server.port(), verb::get, "/v2/status"), 404, "NOT_FOUND");
  expect_error(call(server.port(), verb::get, "/"), 404, "NOT_FOUND");
}

TEST_F(RpcTest, WrongMethodIs405WithAllow) {
  RunningServer server(backend);
  auto r = call(server.port(), verb::get, "/v1/txs");
  expect_error(r, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r->allow, "POST");
  expect_error(call(server.port(), verb::delete_, "/v1/status"), 405, "METHOD_NOT_ALLOWED");
  expect_error(call(server.port(), verb::post, "/metrics", "{}"), 405, "METHOD_NOT_ALLOWED");
}

// Health checks: HEAD answers GET's status and headers, Content-Length included, with no body, and the
// connection serves the next request.
TEST_F(RpcTest, HeadOnStatusAnswersGetsHeadersWithoutTheBody) {
  RunningServer server(backend);
  auto get = call(server.port(), verb::get, "/v1/status");
  ASSERT_TRUE(get.has_value());
  Client c(server.port());
  ASSERT_TRUE(c.connect());
  ASSERT_TRUE(c.send_raw("HEAD /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"
                         "GET /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string answer;
  ASSERT_TRUE(c.read_until_closed(answer));
  const std::string length = "Content-Length: " + std::to_string(get->body.size()) + "\r\n";
  const size_t head_end = answer.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << answer;
  const std::string head = answer.substr(0, head_end + 4);
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find(length), std::string::npos) << head;
  const std::string rest = answer.substr(head_end + 4);
  EXPECT_EQ(rest.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << "HEAD sent a body: " << rest.substr(0, 80);
  EXPECT_EQ(rest.substr(rest.size() - get->body.size()), get->body);
}

TEST_F(RpcTest, TheNodeServesItsOpenApiDocumentWhichDescribesEveryRoute) {
  RunningServer server(backend);
  auto r = call(server.port(), verb::get, "/v1/openapi.json");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u);
  const nlohmann::json doc = r->json();
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc.value("openapi", "").rfind("3.", 0), 0u);
  for (const RouteInfo& route : routes()) {
    std::string method(route.method);
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
    EXPECT_TRUE(doc["paths"].contains(std::string(route.path)) && doc["paths"][std::string(route.path)].contains(method))
        << route.method << " " << route.path;
  }
}

TEST_F(RpcTest, QueryParametersAreCheckedPerRoute) {
  RunningServer server(backend);
  expect_error(call(server.port(), verb::get, "/v1/status?x=1"), 400, "UNKNOWN_PARAMETER");
  expect_error(call(server.port(), verb::get, "/v1/events?recipient=a&bogus=1"), 400, "UNKNOWN_PARAMETER");
  expect_error(call(server.port(), verb::get, "/v1/events?recipient=a&recipient=b"), 400, "BAD_QUERY");
  expect_error(call(server.port(), verb::get, "/v1/events?recipient=%zz"), 400, "BAD_QUERY");
}

TEST_F(RpcTest, EveryRoutedRequestPassesThroughAuthorize) {
  RunningServer server(backend);
  ASSERT_TRUE(call(server.port(), verb::get, "/v1/status", "", {{"X-Joet-Key", "abc"}}).has_value());
  ASSERT_TRUE(call(server.port(), verb::get, "/v1/events?recipient=gi-utrecht").has_value());
  ASSERT_TRUE(call(server.port(), verb::get, "/metrics").has_value());
  ASSERT_TRUE(call(server.port(), verb::post, "/v1/txs", submit_body(tx_hex())).has_value());
  const std::vector<RequestMeta> seen = backend.authorized();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].route, "/v1/status");
  EXPECT_EQ(seen[0].method, "GET");
  bool has_key = false;
  for (const auto& [k, v] : seen[0].headers) has_key = has_key || (k == "x-joet-key" && v == "abc");
  EXPECT_TRUE(has_key);
  EXPECT_EQ(seen[0].remote.rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(seen[1].route, "/v1/events");
  EXPECT_EQ(seen[1].recipient, "gi-utrecht");
  EXPECT_EQ(seen[1].target, "/v1/events?recipient=gi-utrecht");
  EXPECT_EQ(seen[2].route, "/metrics");
  EXPECT_EQ(seen[3].method, "POST");
  EXPECT_FALSE(seen[3].body.empty());
}

TEST_F(RpcTest, AuthorizationRefusalsAre401And403AndReachNoHandler) {
  RunningServer server(backend);
  expect_error(call(server.port(), verb::get, "/v1/events?recipient=forbidden"), 403, "FORBIDDEN");
  expect_error(call(server.port(), verb::get, "/v1/status", "", {{"X-Test-Auth", "none"}}), 401, "UNAUTHENTICATED");
  EXPECT_EQ(backend.events_queries(), 0u);
}

// ---------------------------------------------------------------- GET /v1/events

TEST_F(RpcTest, EventsPageFromACursorWithLimit) {
  RunningServer server(backend);
  for (int i = 0; i < 5; ++i) backend.publish("gi-utrecht", 10 + i, "MEASURE_GRANTED");
  backend.publish("raad", 10, "PLAN_MISSED");
  auto r = call(server.port(), verb::get, "/v1/events?recipient=gi-utrecht&after=1&limit=3");
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->status, 200u) << r->body;
  const nlohmann::json j = r->json();
  ASSERT_EQ(j["events"].size(), 3u);
  EXPECT_EQ(j["events"][0]["seq"], 2);
  EXPECT_EQ(j["events"][2]["seq"], 4);
  EXPECT_EQ(j["next"], 4);
  const nlohmann::json& e = j["events"][0];
  EXPECT_EQ(e["recipient"], "gi-utrecht");
  EXPECT_EQ(e["height"], 11);
  EXPECT_EQ(e["kind"], "MEASURE_GRANTED");
  EXPECT_EQ(e["case_id"], "case-1");
  EXPECT_EQ(e["detail"], "REQ-1");
  EXPECT_EQ(e["tx_id"], std::string(64, '1'));
  EXPECT_EQ(e["deadline_id"], 0);
  EXPECT_EQ(e["measure"], "OTS");

  auto rest = call(server.port(), verb::get, "/v1/events?recipient=gi-utrecht&after=4");
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->json()["events"].size(), 1u);
  EXPECT_EQ(rest->json()["next"], 5);
  auto none = call(server.port(), verb::get, "/v1/events?recipient=gi-utrecht&after=5");
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->json()["events"].size(), 0u);
  EXPECT_EQ(none->json()["next"], 5);
}

TEST_F(RpcTest, EventsSayWhetherTheRecipientAcknowledgedThemWhenTheBackendKnows) {
  RunningServer server(backend);
  backend.publish("gi-utrecht", 10, "MEASURE_GRANTED");
  backend.publish("gi-utrecht", 11, "PLAN_MISSED");
  auto before = call(server.port(), verb::get, "/v1/events?recipient=gi-utrecht");
  ASSERT_TRUE(before.has_value());
  EXPECT_FALSE(before->json()["events"][0].contains("acked"));  // this backend knows no acks yet
  backend.acknowledge("gi-utrecht", 2, 14);
  auto after = call(server.port(), verb::get, "/v1/events?recipient=gi-utrecht");
  ASSERT_TRUE(after.has_value());
  const nlohmann::json events = after->json()["events"];
  EXPECT_EQ(events[0]["acked"], false);
  EXPECT_EQ(events[0]["acked_height"], 0);
  EXPECT_EQ(events[1]["acked"], true);
  EXPECT_EQ(events[1]["acked_height"], 14);
}

TEST_F(RpcTest, EventsBadParametersAre400) {
  RunningServer server(backend);
  expect_error(call(server.port(), verb::get, "/v1/events"), 400, "BAD_RECIPIENT");
  expect_error(call(server.port(), verb::get, "/v1/events?recipient="), 400, "BAD_RECIPIENT");
  expect_error(call(server.port(), verb::get, "/v1/events?recipient=a%20b"), 400, "BAD_RECIPIENT");
  expect_error(call(server.port(), verb::get, "/v1/events?recipient=a&after=x"), 400, "BAD_AFTER");
  expect_error(call(server.port(), verb::get, "/v1/events?recipient=a&limit=0"), 400, "BAD_LIMIT");
  expect_error(call(server.port(), verb::get, "/v1/events?recipient=a&limit=1001"), 400, "BAD_LIMIT");
  expect_error(call(server.port(), verb::get, "/v1/events?recipient=a&wait_ms=-5"), 400, "BAD_WAIT");
}

TEST_F(RpcTest, LongPollReturnsAsSoonAsTheBackendPublishesAnEvent) {
  RunningServer server(backend);
  Client c(server.port(), 10s);
  ASSERT_TRUE(c.connect());
  std::atomic<bool> published{false};
  const auto start = std::chrono::steady_clock::now();
  std::thread publisher([&] {
    std::this_thread::sleep_for(200ms);
    backend.publish("raad", 1, "PLAN_MISSED");  // another recipient: must not answer the poll
    backend.publish("gi-utrecht", 3, "MEASURE_GRANTED");
    published = true;
  });
  auto r = c.request(verb::get, "/v1/events?recipient=gi-utrecht&wait_ms=8000");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  publisher.join();
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(published.load());
  ASSERT_EQ(r->status, 200u) << r->body;
  ASSERT_EQ(r->json()["events"].size(), 1u);
  EXPECT_EQ(r->json()["events"][0]["kind"], "MEASURE_GRANTED");
  EXPECT_EQ(r->json()["next"], 1);
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 4s);  // far below wait_ms: woken by the notification, not the deadline
  // Woken, not polling: a handful of backend queries, not one per tick.
  EXPECT_LE(backend.events_queries(), 4u);
  // The connection stays usable after a long-poll.
  auto again = c.request(verb::get, "/v1/status");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->status, 200u);
}

TEST_F(RpcTest, LongPollReturnsAnEmptyPageAfterWaitMs) {
  RunningServer server(backend);
  const auto start = std::chrono::steady_clock::now();
  auto r = call(server.port(), verb::get, "/v1/events?recipient=gi-utrecht&after=7&wait_ms=300");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->status, 200u) << r->body;
  EXPECT_EQ(r->json()["events"].size(), 0u);
  EXPECT_EQ(r->json()["next"], 7);
  EXPECT_GE(elapsed, 290ms);
  EXPECT_LT(elapsed, 3s);
}

TEST_F(RpcTest, LongPollIsCappedByTheServersMaxWait) {
  RpcServerConfig config;
  config.handler.max_wait_ms = 200;
  RunningServer server(backend, config);
  const auto start = std::chrono::steady_clock::now();
  auto r = call(server.port(), verb::get, "/v1/events?recipient=a&wait_ms=999999999");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(RpcTest, WaitingLongPollsDoNotHoldUpOtherConnections) {
  RunningServer server(backend);
  std::vector<std::unique_ptr<Client>> pollers;
  for (int i = 0; i < 3; ++i) {
    pollers.push_back(std::make_unique<Client>(server.port(), 10s));
    ASSERT_TRUE(pollers.back()->connect());
    ASSERT_TRUE(pollers.back()->send_raw("GET /v1/events?recipient=gi-" + std::to_string(i) +
                                         "&wait_ms=5000 HTTP/1.1\r\nHost: x\r\n\r\n"));
  }
  const auto start = std::chrono::steady_clock::now();
  auto r = call(server.port(), verb::get, "/v1/status");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  for (int i = 0; i < 3; ++i) backend.publish("gi-" + std::to_string(i), 1, "MEASURE_GRANTED");
  for (auto& p : pollers) {
    auto page = p->read_response();
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(page->json()["events"].size(), 1u);
  }
}

TEST_F(RpcTest, StopClosesWaitingLongPollsAndClearsTheListener) {
  std::optional<RunningServer> server;
  server.emplace(backend);
  EXPECT_TRUE(backend.has_listener());
  Client poller(server->port(), 10s);
  ASSERT_TRUE(poller.connect());
  ASSERT_TRUE(poller.send_raw("GET /v1/events?recipient=a&wait_ms=20000 HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(100ms);
  const auto start = std::chrono::steady_clock::now();
  server.reset();  // stops, and waits at most 5 s for the io_context to run dry
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_FALSE(backend.has_listener());
  std::string rest;
  EXPECT_TRUE(poller.read_until_closed(rest));
}

// ---------------------------------------------------------------- connections

TEST_F(RpcTest, ServesFiftyConcurrentClients) {
  RunningServer server(backend);
  constexpr int kClients = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      Client c(server.port(), 10s);
      if (!c.connect("127.0.1." + std::to_string(i + 1))) return;  // fifty clients, fifty addresses
      for (int k = 0; k < 3; ++k) {
        auto r = (i + k) % 2 == 0 ? c.request(verb::get, "/v1/status")
                                  : c.request(verb::post, "/v1/txs", submit_body(tx_hex(1 + i * 3 + k)));
        if (!r || (r->status != 200 && r->status != 202)) return;
      }
      ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients);
}

TEST_F(RpcTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer server(backend);
  Client c(server.port());
  ASSERT_TRUE(c.connect());
  for (int i = 0; i < 5; ++i) {
    auto r = c.request(verb::get, i % 2 ? "/v1/status" : "/v1/nothing");
    ASSERT_TRUE(r.has_value()) << i;
    EXPECT_TRUE(r->keep_alive);
  }
}

TEST_F(RpcTest, MalformedHttpGets400AndTheConnectionClosesWithoutACrash) {
  RunningServer server(backend);
  for (const std::string& junk : {std::string("GARBAGE\r\n\r\n"), std::string("GET /v1/status HTTP/9.9\r\n\r\n"),
                                  std::string("GET /v1/status HTTP/1.1\r\nBad Header\r\n\r\n"),
                                  std::string("POST /v1/txs HTTP/1.1\r\nContent-Length: zz\r\n\r\n"),
                                  std::string("\x00\x01\x02\xff\r\n\r\n", 8)}) {
    Client c(server.port());
    ASSERT_TRUE(c.connect());
    ASSERT_TRUE(c.send_raw(junk));
    std::string answer;
    EXPECT_TRUE(c.read_until_closed(answer)) << junk;
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_NE(answer.find("\"BAD_HTTP\""), std::string::npos) << answer;
  }
  auto r = call(server.port(), verb::get, "/v1/status");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u);
}

TEST_F(RpcTest, AClientThatSendsNothingIsClosedAtTheHeaderTimeout) {
  RpcServerConfig config;
  config.header_timeout_ms = 200;
  RunningServer server(backend, config);
  Client c(server.port());
  ASSERT_TRUE(c.connect());
  ASSERT_TRUE(c.send_raw("GET /v1/sta"));
  std::string answer;
  EXPECT_TRUE(c.read_until_closed(answer));
  EXPECT_TRUE(answer.empty());
}

TEST_F(RpcTest, AtTheConnectionLimitANewClientClosesTheLongestIdleConnection) {
  RpcServerConfig config;
  config.max_connections = 2;
  RunningServer server(backend, config);
  Client a(server.port()), b(server.port());
  ASSERT_TRUE(a.connect());
  ASSERT_TRUE(a.request(verb::get, "/v1/status").has_value());  // idle since its answer
  ASSERT_TRUE(b.connect());
  ASSERT_TRUE(b.request(verb::get, "/v1/status").has_value());
  Client third(server.port());
  ASSERT_TRUE(third.connect("127.0.0.2"));
  auto r = third.request(verb::get, "/v1/status");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u);
  EXPECT_FALSE(a.request(verb::get, "/v1/status").has_value()) << "the longest idle connection stays open";
  auto m = b.request(verb::get, "/metrics");
  ASSERT_TRUE(m.has_value());
  EXPECT_NE(m->body.find("joet_rpc_connections_evicted_total 1\n"), std::string::npos) << m->body;
  EXPECT_NE(m->body.find("joet_rpc_connections_refused_total 0\n"), std::string::npos) << m->body;
}

TEST_F(RpcTest, AtTheConnectionLimitWithNoneIdleANewConnectionIsRefused) {
  RpcServerConfig config;
  config.max_connections = 2;
  RunningServer server(backend, config);
  std::vector<std::unique_ptr<Client>> pollers;
  for (int i = 0; i < 2; ++i) {
    pollers.push_back(std::make_unique<Client>(server.port(), 10s));
    ASSERT_TRUE(pollers.back()->connect());
    ASSERT_TRUE(pollers.back()->send_raw("GET /v1/events?recipient=gi-" + std::to_string(i) +
                                         "&wait_ms=5000 HTTP/1.1\r\nHost: x\r\n\r\n"));
  }
  std::this_thread::sleep_for(300ms);  // both requests read: the two connections are waiting, not idle
  Client third(server.port());
  ASSERT_TRUE(third.connect("127.0.0.2"));
  std::string answer;
  EXPECT_TRUE(third.read_until_closed(answer));
  EXPECT_TRUE(answer.empty());
  for (int i = 0; i < 2; ++i) backend.publish("gi-" + std::to_string(i), 1, "MEASURE_GRANTED");
  for (auto& p : pollers) {
    auto page = p->read_response();
    ASSERT_TRUE(page.has_value()) << "a waiting long-poll was closed for the newcomer";
    EXPECT_EQ(page->json()["events"].size(), 1u);
  }
  auto m = pollers[0]->request(verb::get, "/metrics");
  ASSERT_TRUE(m.has_value());
  EXPECT_NE(m->body.find("joet_rpc_connections_refused_total 1\n"), std::string::npos) << m->body;
}

// The reported lock-out: 260 idle connections from one client left every other RPC user refused for the
// header timeout (30 s). Now that client holds max_connections_per_client of them; the rest are closed
// at accept, and another client is served at once.
TEST_F(RpcTest, IdleConnectionsOfOneClientCannotLockOutTheOthers) {
  RunningServer server(backend);
  std::vector<std::unique_ptr<Client>> hog;
  for (int i = 0; i < 260; ++i) {
    hog.push_back(std::make_unique<Client>(server.port(), 2s));
    ASSERT_TRUE(hog.back()->connect());
  }
  const RpcServerConfig defaults;
  size_t closed = 0;
  for (size_t i = defaults.max_connections_per_client; i < hog.size(); ++i) {
    std::string answer;
    closed += hog[i]->read_until_closed(answer) && answer.empty() ? 1 : 0;
  }
  EXPECT_EQ(closed, hog.size() - defaults.max_connections_per_client);
  Client other(server.port());
  ASSERT_TRUE(other.connect("127.0.0.2"));
  auto r = other.request(verb::get, "/metrics");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u);
  EXPECT_NE(r->body.find("joet_rpc_connections_open " + std::to_string(defaults.max_connections_per_client + 1) + "\n"),
            std::string::npos) << r->body;
  EXPECT_NE(r->body.find("joet_rpc_connections_refused_total " + std::to_string(closed) + "\n"), std::string::npos);
  // The first connections of the hog still work.
  auto mine = hog[0]->request(verb::get, "/v1/status");
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->status, 200u);
}

// ---------------------------------------------------------------- /metrics and logs

TEST_F(RpcTest, MetricsCountTheRequestsItServed) {
  RunningServer server(backend);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(call(server.port(), verb::get, "/v1/status").has_value());
  ASSERT_TRUE(call(server.port(), verb::get, "/v1/nothing").has_value());
  ASSERT_TRUE(call(server.port(), verb::get, "/v1/txs/zz").has_value());
  auto r = call(server.port(), verb::get, "/metrics");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->content_type, "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = r->body;
  EXPECT_NE(m.find("joet_rpc_requests_total{route=\"/v1/status\",code=\"200\"} 3\n"), std::string::npos) << m;
  EXPECT_NE(m.find("joet_rpc_requests_total{route=\"unmatched\",code=\"404\"} 1\n"), std::string::npos) << m;
  EXPECT_NE(m.find("joet_rpc_requests_total{route=\"/v1/txs/{tx_id}\",code=\"400\"} 1\n"), std::string::npos) << m;
  EXPECT_NE(m.find("joet_rpc_request_duration_seconds_bucket{route=\"/v1/status\",le=\"+Inf\"} 3\n"),
            std::string::npos) << m;
  EXPECT_NE(m.find("joet_rpc_request_duration_seconds_count{route=\"/v1/status\"} 3\n"), std::string::npos) << m;
  EXPECT_NE(m.find("# TYPE joet_height gauge\njoet_height 7\n"), std::string::npos) << m;
  EXPECT_NE(m.find("joet_mempool_txs{pool=\"main\"} 3\n"), std::string::npos) << m;
}

TEST_F(RpcTest, LogsOneJsonObjectPerLineForEachRequest) {
  std::vector<std::string> logs;
  {
    RunningServer server(backend);
    ASSERT_TRUE(call(server.port(), verb::get, "/v1/status").has_value());
    logs = server.logs();
  }
  bool seen = false;
  for (const std::string& line : logs) {
    EXPECT_EQ(line.find('\n'), std::string::npos);
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    EXPECT_TRUE(j.contains("level") && j.contains("msg") && j.contains("time_ms")) << line;
    if (j["msg"] == "request") {
      seen = true;
      EXPECT_EQ(j["route"], "/v1/status");
      EXPECT_EQ(j["status"], 200);
      EXPECT_EQ(j["method"], "GET");
    }
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace joet::rpc
