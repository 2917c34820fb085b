// The SDK's request signer against the node's RPC server over a real socket: the server (node/rpc) with
// a backend whose authorize() is the node's access policy (node/rpc/access_policy.h) over a fake
// registry. So the client and the node agree on the signed bytes, through HTTP as it travels.
#include "client-sdk/http_client.h"

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node/rpc/access_policy.h"
#include "node/rpc/rpc_test_support.h"

namespace joet::sdk {
namespace {

namespace cv1 = contracts::v1;
constexpr std::string_view kChain = "joet-test";

class Registry : public rpc::AccessRegistry {
 public:
  Result<std::optional<rpc::Reader>> reader(const PublicKey& key) override {
    std::lock_guard lock(mu);
    auto it = members.find(key);
    if (it == members.end()) return std::optional<rpc::Reader>();
    return std::optional<rpc::Reader>(it->second);
  }
  Result<std::optional<cv1::Case>> find_case(std::string_view) override { return std::optional<cv1::Case>(); }

  std::mutex mu;
  std::map<PublicKey, rpc::Reader> members;
};

// The fake node, with the real policy and the wall clock (as the daemon has it).
class PolicyBackend : public rpc::testing::FakeBackend {
 public:
  explicit PolicyBackend(Registry& registry) : registry_(registry) {}
  rpc::Authorization authorize(const rpc::RequestMeta& meta) override {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto now_ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
    return rpc::decide_access(meta, rpc::AccessContext{kChain, now_ms, {}}, registry_);
  }

 private:
  Registry& registry_;
};

class SignedHttpTest : public ::testing::Test {
 protected:
  SignedHttpTest() : backend_(registry_), server_(backend_) {
    registry_.members[municipality_.public_key()] = {"gem-amsterdam", cv1::MUNICIPALITY};
    registry_.members[gi_.public_key()] = {"gi-jbra", cv1::GI};
    backend_.publish("gem-amsterdam", 3, "CASE_OPENED");
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(server_.port()); }
  static std::string error_code(const HttpResponse& r) {
    const nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
  }

  const PrivateKey municipality_ = PrivateKey::from_test_seed("gem-amsterdam");
  const PrivateKey gi_ = PrivateKey::from_test_seed("gi-jbra");
  Registry registry_;
  PolicyBackend backend_;
  rpc::testing::RunningServer server_;
};

TEST_F(SignedHttpTest, AMemberReadsItsOwnEventsWithASignedRequest) {
  auto r = http_request(address(), "GET", "/v1/events?recipient=gem-amsterdam&after=0", "", 5000,
                        RequestSigner{municipality_, std::string(kChain)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->status, 200) << r->body;
  const nlohmann::json page = nlohmann::json::parse(r->body);
  ASSERT_EQ(page["events"].size(), 1u);
  EXPECT_EQ(page["events"][0]["kind"], "CASE_OPENED");
}

TEST_F(SignedHttpTest, ThePercentEncodedTargetIsSignedAsSent) {
  // %2D is '-': the server decodes the query for its handler, but the signature covers the bytes sent.
  auto r = http_request(address(), "GET", "/v1/events?recipient=gem%2Damsterdam", "", 5000,
                        RequestSigner{municipality_, std::string(kChain)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(SignedHttpTest, AnUnsignedReadIs401AndAnotherInstitutionsKeyIs403) {
  auto unsigned_read = http_request(address(), "GET", "/v1/events?recipient=gem-amsterdam", "");
  ASSERT_TRUE(unsigned_read.ok());
  EXPECT_EQ(unsigned_read->status, 401);
  EXPECT_EQ(error_code(*unsigned_read), "UNAUTHENTICATED");

  auto other = http_request(address(), "GET", "/v1/events?recipient=gem-amsterdam", "", 5000,
                            RequestSigner{gi_, std::string(kChain)});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 403);
  EXPECT_EQ(error_code(*other), "FORBIDDEN");
  EXPECT_EQ(backend_.events_queries(), 0u);  // neither reached the handler
}

TEST_F(SignedHttpTest, ASignatureForAnotherChainIs401) {
  auto r = http_request(address(), "GET", "/v1/txs/" + std::string(64, 'a'), "", 5000,
                        RequestSigner{municipality_, "joet-main"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 401) << r->body;
}

TEST_F(SignedHttpTest, AnyMemberReadsTxStatusAndOpenRoutesNeedNoSignature) {
  auto tx = http_request(address(), "GET", "/v1/txs/" + std::string(64, 'a'), "", 5000,
                         RequestSigner{gi_, std::string(kChain)});
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(tx->status, 200) << tx->body;
  auto status = http_request(address(), "GET", "/v1/status", "");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->status, 200);
}

TEST_F(SignedHttpTest, ARevokedKeyIsRefusedOnItsNextRequest) {
  const RequestSigner signer{municipality_, std::string(kChain)};
  auto before = http_request(address(), "GET", "/v1/events?recipient=gem-amsterdam", "", 5000, signer);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->status, 200);
  {
    std::lock_guard lock(registry_.mu);
    registry_.members.erase(municipality_.public_key());
  }
  auto after = http_request(address(), "GET", "/v1/events?recipient=gem-amsterdam", "", 5000, signer);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 403) << after->body;
}

}  // namespace
}  // namespace joet::sdk
