#include "node/rpc/request_auth.h"

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ledger/hash.h"

namespace joet::rpc {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr uint64_t kNow = 1'700'000'000'000;
constexpr std::string_view kChain = "joet-test";
constexpr std::string_view kTarget = "/v1/events?recipient=gem-amsterdam&after=3";

// As the server hands headers to authorize(): lower-case names.
Headers lowered(Headers h) {
  for (auto& [name, value] : h) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  }
  return h;
}

Headers signed_headers(const PrivateKey& key, RequestToSign r) { return lowered(sign_request(key, r)); }

RequestToSign a_request(uint64_t time_ms = kNow) { return {kChain, "GET", kTarget, "", time_ms}; }

RequestAuthentication check(const Headers& h, const RequestToSign& as_received, uint64_t now_ms = kNow,
                            RequestAuthConfig config = {}) {
  return check_signed_request(h, as_received.chain_id, as_received.method, as_received.target, as_received.body,
                              now_ms, config);
}

std::string& header(Headers& h, std::string_view name) {
  for (auto& [n, v] : h) {
    if (n == name) return v;
  }
  ADD_FAILURE() << "no header " << name;
  static std::string none;
  return none;
}

TEST(RequestAuth, ASignedRequestAuthenticatesItsSigner) {
  const PrivateKey key = PrivateKey::from_test_seed("gem-amsterdam");
  const RequestAuthentication got = check(signed_headers(key, a_request()), a_request());
  ASSERT_TRUE(got.ok()) << got.message;
  ASSERT_TRUE(got.key.has_value());
  EXPECT_EQ(*got.key, key.public_key());
}

TEST(RequestAuth, APostWithABodyAuthenticates) {
  const PrivateKey key = PrivateKey::from_test_seed("rvdk");
  const RequestToSign post{kChain, "POST", "/v1/txs", R"({"tx":"0a01"})", kNow};
  EXPECT_TRUE(check(signed_headers(key, post), post).ok());
}

TEST(RequestAuth, TheSignerWritesTheThreeHeadersWithTheirHttpNames) {
  const Headers h = sign_request(PrivateKey::from_test_seed("a"), a_request());
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].first, "X-Joet-Key");
  EXPECT_EQ(h[0].second, PrivateKey::from_test_seed("a").public_key().hex());
  EXPECT_EQ(h[1].first, "X-Joet-Time");
  EXPECT_EQ(h[1].second, std::to_string(kNow));
  EXPECT_EQ(h[2].first, "X-Joet-Signature");
  EXPECT_EQ(h[2].second.size(), 128u);
}

TEST(RequestAuth, EachSignedFieldChangedAfterSigningIsRefused) {
  const PrivateKey key = PrivateKey::from_test_seed("gi-jbra");
  const RequestToSign base{kChain, "POST", "/v1/txs?x=1", "{\"tx\":\"00\"}", kNow};
  const Headers h = signed_headers(key, base);
  ASSERT_TRUE(check(h, base).ok());

  std::vector<std::pair<std::string, RequestToSign>> tampered;
  RequestToSign r = base;
  r.chain_id = "joet-other";
  tampered.emplace_back("chain id", r);
  r = base;
  r.method = "GET";
  tampered.emplace_back("method", r);
  r = base;
  r.target = "/v1/txs?x=2";
  tampered.emplace_back("target query", r);
  r = base;
  r.target = "/v1/txs";
  tampered.emplace_back("target path", r);
  r = base;
  r.body = "{\"tx\":\"01\"}";
  tampered.emplace_back("body", r);
  r = base;
  r.body = "";
  tampered.emplace_back("body dropped", r);
  for (const auto& [what, received] : tampered) {
    const RequestAuthentication got = check(h, received);
    EXPECT_EQ(got.fault, RequestAuthFault::kBadSignature) << what;
    EXPECT_FALSE(got.key.has_value()) << what;
  }
}

TEST(RequestAuth, AChangedTimeHeaderIsRefused) {
  const PrivateKey key = PrivateKey::from_test_seed("gi-jbra");
  Headers h = signed_headers(key, a_request());
  header(h, kTimeHeader) = std::to_string(kNow + 1);
  EXPECT_EQ(check(h, a_request()).fault, RequestAuthFault::kBadSignature);
}

TEST(RequestAuth, AnotherKeyInTheKeyHeaderIsRefused) {
  Headers h = signed_headers(PrivateKey::from_test_seed("signer"), a_request());
  header(h, kKeyHeader) = PrivateKey::from_test_seed("someone-else").public_key().hex();
  EXPECT_EQ(check(h, a_request()).fault, RequestAuthFault::kBadSignature);
}

TEST(RequestAuth, AFlippedSignatureBitIsRefused) {
  Headers h = signed_headers(PrivateKey::from_test_seed("signer"), a_request());
  std::string& sig = header(h, kSignatureHeader);
  sig[10] = sig[10] == '0' ? '1' : '0';
  EXPECT_EQ(check(h, a_request()).fault, RequestAuthFault::kBadSignature);
}

TEST(RequestAuth, TimesOutsideTheWindowAreStaleOrFuture) {
  const PrivateKey key = PrivateKey::from_test_seed("signer");
  const uint64_t w = kDefaultRequestWindowMs;
  // Signed at kNow; the node's clock at kNow + d.
  EXPECT_TRUE(check(signed_headers(key, a_request()), a_request(), kNow + w).ok());
  EXPECT_TRUE(check(signed_headers(key, a_request()), a_request(), kNow - w).ok());
  EXPECT_EQ(check(signed_headers(key, a_request()), a_request(), kNow + w + 1).fault, RequestAuthFault::kStaleTime);
  EXPECT_EQ(check(signed_headers(key, a_request()), a_request(), kNow - w - 1).fault,
            RequestAuthFault::kFutureTime);
}

TEST(RequestAuth, TheWindowIsConfigurable) {
  const PrivateKey key = PrivateKey::from_test_seed("signer");
  const RequestAuthConfig tight{1000};
  EXPECT_TRUE(check(signed_headers(key, a_request()), a_request(), kNow + 1000, tight).ok());
  EXPECT_EQ(check(signed_headers(key, a_request()), a_request(), kNow + 1001, tight).fault,
            RequestAuthFault::kStaleTime);
  EXPECT_EQ(check(signed_headers(key, a_request()), a_request(), kNow - 1001, tight).fault,
            RequestAuthFault::kFutureTime);
}

TEST(RequestAuth, TimesNearZeroAndTheTopOfTheRangeDoNotWrap) {
  const PrivateKey key = PrivateKey::from_test_seed("signer");
  EXPECT_EQ(check(signed_headers(key, a_request(0)), a_request(0), UINT64_MAX).fault, RequestAuthFault::kStaleTime);
  EXPECT_EQ(check(signed_headers(key, a_request(UINT64_MAX)), a_request(UINT64_MAX), 0).fault,
            RequestAuthFault::kFutureTime);
  EXPECT_TRUE(check(signed_headers(key, a_request(0)), a_request(0), 0).ok());
}

TEST(RequestAuth, MissingHeadersAreNamed) {
  const Headers full = signed_headers(PrivateKey::from_test_seed("signer"), a_request());
  const RequestAuthentication none = check({{"host", "x"}}, a_request());
  EXPECT_EQ(none.fault, RequestAuthFault::kMissingHeader);
  for (std::string_view missing : {kKeyHeader, kTimeHeader, kSignatureHeader}) {
    Headers h;
    for (const auto& kv : full) {
      if (kv.first != missing) h.push_back(kv);
    }
    const RequestAuthentication got = check(h, a_request());
    EXPECT_EQ(got.fault, RequestAuthFault::kMissingHeader) << missing;
    std::string message = got.message;
    std::transform(message.begin(), message.end(), message.begin(), [](unsigned char c) { return std::tolower(c); });
    EXPECT_NE(message.find(missing), std::string::npos) << got.message;
  }
}

TEST(RequestAuth, MalformedHeadersAreBadEncoding) {
  const Headers full = signed_headers(PrivateKey::from_test_seed("signer"), a_request());
  const std::string good_sig = [&] {
    Headers h = full;
    return header(h, kSignatureHeader);
  }();
  const std::vector<std::pair<std::string_view, std::string>> bad = {
      {kKeyHeader, std::string(62, 'a')},                     // short
      {kKeyHeader, std::string(64, 'g')},                     // not hex
      {kKeyHeader, std::string(64, 'f')},                     // x >= p: not a curve point
      {kKeyHeader, ""},
      {kTimeHeader, ""},
      {kTimeHeader, "+1700000000000"},
      {kTimeHeader, "1700000000000.5"},
      {kTimeHeader, " 1700000000000"},
      {kTimeHeader, "18446744073709551616"},                  // 2^64
      {kTimeHeader, std::string(21, '1')},
      {kSignatureHeader, good_sig.substr(0, 126)},
      {kSignatureHeader, good_sig + "00"},
      {kSignatureHeader, std::string(128, 'z')},
  };
  for (const auto& [name, value] : bad) {
    Headers h = full;
    header(h, name) = value;
    EXPECT_EQ(check(h, a_request()).fault, RequestAuthFault::kBadEncoding) << name << "=" << value;
  }
}

TEST(RequestAuth, ARepeatedHeaderIsRefusedEvenWhenOneCopyIsValid) {
  const Headers full = signed_headers(PrivateKey::from_test_seed("signer"), a_request());
  for (const auto& kv : full) {
    Headers h = full;
    h.push_back(kv);
    EXPECT_EQ(check(h, a_request()).fault, RequestAuthFault::kBadEncoding) << kv.first;
  }
}

TEST(RequestAuth, UpperCaseHexIsAccepted) {
  Headers h = signed_headers(PrivateKey::from_test_seed("signer"), a_request());
  for (std::string_view name : {kKeyHeader, kSignatureHeader}) {
    std::string& v = header(h, name);
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::toupper(c); });
  }
  EXPECT_TRUE(check(h, a_request()).ok());
}

TEST(RequestAuth, LengthPrefixesKeepAdjacentFieldsApart) {
  // Without the prefixes these pairs would hash the same bytes.
  EXPECT_NE(request_preimage({"ab", "GET", "/x", "", 1}), request_preimage({"a", "bGET", "/x", "", 1}));
  EXPECT_NE(request_preimage({"c", "GET", "/x", "", 1}), request_preimage({"c", "GE", "T/x", "", 1}));
  EXPECT_NE(request_preimage({"c", "GET", "/x", "", 1}), request_preimage({"c", "GET", "/x", "", 2}));
  // The body enters as its SHA-256: a 32-byte field whatever its length.
  const Bytes p = request_preimage({"c", "GET", "/x", "a long body", 1});
  EXPECT_EQ(p.size(), 4 + 1 + 4 + 3 + 4 + 2 + 8 + 32u);
  const Hash32 body_hash = sha256(std::string_view("a long body"));
  EXPECT_TRUE(std::equal(body_hash.begin(), body_hash.end(), p.end() - 32));
}

TEST(RequestAuth, ASignatureForAnotherTagDoesNotVerify) {
  // The tag is part of what is signed: a signature over the same preimage for another purpose fails.
  const PrivateKey key = PrivateKey::from_test_seed("signer");
  Headers h = signed_headers(key, a_request());
  header(h, kSignatureHeader) = to_hex(sign_body(key, tags::kTx, request_preimage(a_request())));
  EXPECT_EQ(check(h, a_request()).fault, RequestAuthFault::kBadSignature);
}

TEST(RequestAuth, SeededMutationsOfTheHeadersNeverAuthenticateAnotherKey) {
  // The headers are untrusted input: mutated at random (fixed seed), the check never crashes, and what
  // it accepts is only ever the signer's key (e.g. upper-case hex or a zero-padded time are the same values).
  const PrivateKey signer = PrivateKey::from_test_seed("signer");
  const Headers good = signed_headers(signer, a_request());
  std::mt19937_64 rng(20261123);
  size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    Headers h = good;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      std::string& v = h[rng() % h.size()].second;
      switch (rng() % 5) {
        case 0:  // overwrite a byte
          if (!v.empty()) v[rng() % v.size()] = static_cast<char>(rng() % 256);
          break;
        case 1:  // truncate
          v.resize(rng() % (v.size() + 1));
          break;
        case 2:  // insert a byte
          v.insert(v.begin() + static_cast<long>(rng() % (v.size() + 1)), static_cast<char>(rng() % 256));
          break;
        case 3:  // drop a header (and stop: `v` may dangle)
          h.erase(h.begin() + static_cast<long>(rng() % h.size()));
          e = edits;
          break;
        default: {  // repeat a header
          const auto copy = h[rng() % h.size()];
          h.push_back(copy);
          break;
        }
      }
      if (h.empty()) break;
    }
    const RequestAuthentication got = check(h, a_request());
    EXPECT_EQ(got.ok(), got.key.has_value());
    if (got.ok()) {
      ++accepted;
      EXPECT_EQ(*got.key, signer.public_key());
    } else {
      EXPECT_FALSE(got.message.empty());
    }
  }
  EXPECT_LT(accepted, 20000u);
}

}  // namespace
}  // namespace joet::rpc
