// Seeded robustness: random and mutated request bytes over real sockets never crash the server,
// never get a 5xx, and leave it serving. The seed is fixed (and printed on failure) so a failing
// case replays exactly.
#include <cstdio>
#include <random>

#include <gtest/gtest.h>

#include "ledger/testing/test_chain.h"
#include "node/rpc/rpc_test_support.h"

namespace joet::rpc {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::FakeBackend;
using testing::RunningServer;

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  size_t below(size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  char byte() { return static_cast<char>(below(256)); }

  std::string random_bytes(size_t max) {
    std::string s(below(max) + 1, '\0');
    for (char& c : s) c = byte();
    return s;
  }

  // Flips, inserts, deletes, duplicates or truncates a few times.
  std::string mutate(std::string s) {
    const size_t rounds = 1 + below(4);
    for (size_t r = 0; r < rounds && !s.empty(); ++r) {
      const size_t at = below(s.size());
      switch (below(6)) {
        case 0: s[at] = byte(); break;
        case 1: s.insert(at, 1, byte()); break;
        case 2: s.erase(at, 1 + below(8)); break;
        case 3: s.insert(at, s.substr(at, below(32))); break;
        case 4: s.resize(at); break;
        default: s.insert(at, pick({"\r\n", "\n", ":", " ", "%", "?", "&", "=", "\r\n\r\n", "{", "\""})); break;
      }
    }
    return s;
  }

  const char* pick(std::initializer_list<const char*> options) { return *(options.begin() + below(options.size())); }

 private:
  std::mt19937_64 rng_;
};

std::string post(const std::string& body, const std::string& extra = "") {
  return "POST /v1/txs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::vector<std::string> seeds_of_valid_requests() {
  const PrivateKey key = PrivateKey::from_test_seed("member-a");
  const std::string tx = to_hex(encode(joet::testing::make_signed_tx(key, 1, 40)));
  return {
      "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/txs/" + std::string(64, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/blocks/1 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/blocks/1/raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /v1/events?recipient=gi&after=0&limit=5&wait_ms=0 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /metrics HTTP/1.0\r\n\r\n",
      post("{\"tx\": \"" + tx + "\"}"),
      "POST /v1/txs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"tx\"\r\n0\r\n\r\n",
  };
}

TEST(RpcRobustness, RandomAndMutatedRequestsNeverCrashTheServerOrGet5xx) {
  constexpr uint64_t kSeed = 0x6a6f6574'72706321ull;
  constexpr int kCases = 400;
  SCOPED_TRACE("seed " + std::to_string(kSeed));
  FakeBackend backend;
  RpcServerConfig config;
  config.header_timeout_ms = 500;
  config.body_timeout_ms = 500;
  config.max_body_bytes = 64 * 1024;
  RunningServer server(backend, config);
  Mutator m(kSeed);
  const std::vector<std::string> seeds = seeds_of_valid_requests();
  const PrivateKey key = PrivateKey::from_test_seed("member-b");
  const Bytes tx = encode(joet::testing::make_signed_tx(key, 7, 20));

  int answered_2xx = 0, answered_4xx = 0, closed_silently = 0;
  for (int i = 0; i < kCases; ++i) {
    std::string request;
    switch (m.below(4)) {
      case 0: request = m.random_bytes(600); break;
      case 1: request = m.mutate(seeds[m.below(seeds.size())]); break;
      case 2: {  // a well-formed request around a mutated SignedTx
        const std::string hex = to_hex(as_bytes(m.mutate(to_string(tx))));
        request = post("{\"tx\": \"" + hex + "\"}");
        break;
      }
      default: {  // a mutated target on a valid request line
        const std::string targets[] = {"/v1/events?recipient=gi&after=3&limit=2", "/v1/blocks/12/raw",
                                       "/v1/txs/" + std::string(64, '0'), "/v1/status", "/metrics"};
        const std::string target = m.mutate(targets[m.below(std::size(targets))]);
        request = "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
        break;
      }
    }
    SCOPED_TRACE("case " + std::to_string(i));
    Client c(server.port(), 3s);
    ASSERT_TRUE(c.connect());
    c.send_raw(request);  // the server may close before all of it was sent
    c.shutdown_send();
    std::string answer;
    ASSERT_TRUE(c.read_until_closed(answer)) << "the server kept the connection past its deadlines";
    if (answer.empty()) ++closed_silently;
    if (answer.rfind("HTTP/1.1 2", 0) == 0 || answer.rfind("HTTP/1.0 2", 0) == 0) ++answered_2xx;
    if (answer.rfind("HTTP/1.1 4", 0) == 0 || answer.rfind("HTTP/1.0 4", 0) == 0) ++answered_4xx;
    if (!answer.empty()) {
      EXPECT_TRUE(answer.rfind("HTTP/1.", 0) == 0) << answer.substr(0, 80);
      EXPECT_EQ(answer.find("HTTP/1.1 5"), std::string::npos) << answer.substr(0, 200);
      EXPECT_EQ(answer.find("HTTP/1.0 5"), std::string::npos) << answer.substr(0, 200);
    }
  }
  // The generator reaches the handlers, not only the HTTP parser.
  EXPECT_GT(answered_2xx, kCases / 100);
  EXPECT_GT(answered_4xx, kCases / 4);
  std::printf("robustness: %d cases, %d 2xx, %d 4xx, %d closed without an answer\n", kCases, answered_2xx,
              answered_4xx, closed_silently);
  Client c(server.port());
  ASSERT_TRUE(c.connect());
  auto r = c.request(boost::beast::http::verb::get, "/v1/status");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200u);
}

}  // namespace
}  // namespace joet::rpc
