// The case extract over a real certified chain of rules version 3 (the node's RPC handler in-process):
// it verifies offline from genesis alone, and a change anywhere fails at the item changed.
#include "client-sdk/case_extract.h"

#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "node/rpc/handler.h"
#include "node/testing/chain_rpc_backend.h"

namespace joet::sdk {
namespace {

using namespace joet::testing;  // NOLINT
using json = nlohmann::ordered_json;

// case-001: opened, an OTS asked and granted (with its ground), an aanwijzing, and a second case.open of
// it that the chain refused (DUPLICATE, committed with its reason under rules version 3).
class CaseExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ids_.push_back(add(open_case_tx(txs_, "case-001"), utc_ms(2026, 3, 10, 9)));
    ids_.push_back(add(txs_.tx(kRvdk, "request.file", {text("case", "case-001"), text("request", "req-ots"), text("kind", "OTS"),
                                                       text("gi", std::string(kGi)), hash_arg("document", "v")}),
                       utc_ms(2026, 3, 11, 9)));
    ids_.push_back(add(txs_.tx(kCourt, "court.decide", {text("case", "case-001"), text("request", "req-ots"),
                                                        text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                                        text("end_date", "2027-03-15"), text("ground.0", "ONGUNSTIGE_THUISSITUATIE")}),
                       utc_ms(2026, 3, 15, 9)));
    ids_.push_back(add(txs_.tx(kGi, "gi.aanwijzing", {text("case", "case-001"), text("aanwijzing", "aw-1"), text("kind", "GENERAL"),
                                                      text("addressee", "PARENT"), hash_arg("document", "aw")}),
                       utc_ms(2026, 4, 13, 9)));
    ids_.push_back(add(open_case_tx(txs_, "case-001"), utc_ms(2026, 4, 14, 9)));
    backend_.next(utc_ms(2026, 4, 20, 9));
  }

  Hash32 add(v1::SignedTx tx, int64_t t) {
    const Hash32 id = tx_id(tx);
    backend_.next(t, {std::move(tx)});
    return id;
  }

  RpcGet node() {
    return [this](const std::string& target) -> Result<HttpResponse> {
      rpc::Reply reply = handler_.handle(rpc::HttpRequest{rpc::http::verb::get, target, 11}, "127.0.0.1:1");
      JOET_ASSERT(reply.response.has_value());
      return HttpResponse{static_cast<int>(reply.response->result_int()), reply.response->body()};
    };
  }
  static TrustedValidators genesis() { return {std::string(kChainId), 1, four_validators()}; }

  std::string extract() {
    ProofAnswers kept;
    LightClient client(recording_get(node(), kept), genesis());
    // The plan as joet-client extract makes it: the node's timeline of the case.
    rpc::Reply timeline = handler_.handle(rpc::HttpRequest{rpc::http::verb::get, "/v1/cases/case-001/timeline?limit=1000", 11},
                                          "127.0.0.1:1");
    const ExtractPlan plan = plan_from_timeline("case-001", chain_.blocks_->tip().height,
                                                nlohmann::json::parse(timeline.response->body())["entries"]);
    EXPECT_EQ(plan.tx_ids, ids_);
    auto built = build_case_extract(client, plan, kept);
    EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error().to_string());
    return built.ok() ? extract_text(*built) : "";
  }

  LocalChain chain_{3};
  ChainRpcBackend backend_{chain_};
  rpc::ServerMetrics metrics_;
  rpc::RpcHandler handler_{backend_, rpc::HandlerLimits{}, metrics_};
  Chain txs_{3};
  std::vector<Hash32> ids_;
};

TEST_F(CaseExtractTest, AnUntamperedExtractVerifiesOfflineFromGenesisAlone) {
  const std::string text = extract();
  ASSERT_FALSE(text.empty());
  const std::optional<ExtractFault> fault = verify_case_extract(text, genesis());
  EXPECT_FALSE(fault.has_value()) << fault->to_string();
  const json x = json::parse(text);
  EXPECT_EQ(x["format"], kExtractFormat);
  EXPECT_EQ(x["height"], 6u);
  EXPECT_EQ(x["rules_version"], 3u);
  ASSERT_EQ(x["txs"].size(), 5u);
  EXPECT_EQ(x["txs"][2]["result"]["code"], "OK");
  EXPECT_EQ(x["txs"][4]["result"]["code"], "DUPLICATE") << "the refusal is proven with its reason";
  // Every event about the case, whoever it was addressed to: CASE_OPENED to the RvdK and the municipality,
  // the request, the grant, the aanwijzing.
  ASSERT_GE(x["events"].size(), 6u);
  std::set<std::string> recipients;
  for (const json& e : x["events"]) {
    EXPECT_EQ(e["event"]["case_id"], "case-001");
    recipients.insert(e["recipient"].get<std::string>());
  }
  EXPECT_TRUE(recipients.count(std::string(kMunicipality)) && recipients.count(std::string(kGi))) << x["events"].dump();
  std::vector<std::string> present;
  for (const json& r : x["records"]) {
    if (r["present"].get<bool>()) present.push_back(r["key"].get<std::string>());
  }
  // The test genesis writes no policy (the defaults apply): proven absent.
  EXPECT_EQ(present, (std::vector<std::string>{"c/meta/rules", "c/aanw/case-001/aw-1", "c/req/case-001/req-ots"}));
  // The quickscan and the explanation are the node's own, recomputed from the proven records.
  rpc::Reply q = handler_.handle(rpc::HttpRequest{rpc::http::verb::get, "/v1/cases/case-001/quickscan", 11}, "127.0.0.1:1");
  EXPECT_EQ(nlohmann::json::parse(x["quickscan"].dump()), nlohmann::json::parse(q.response->body())["items"]);
  rpc::Reply e = handler_.handle(rpc::HttpRequest{rpc::http::verb::get, "/v1/cases/case-001/explanation", 11}, "127.0.0.1:1");
  EXPECT_EQ(nlohmann::json::parse(x["explanation"].dump()), nlohmann::json::parse(e.response->body())["sections"]);
  // Only the bytes the light client checks travel: no decoded views.
  for (const auto& [target, answer] : x["proofs"].items()) EXPECT_FALSE(answer.contains("decoded")) << target;
  const std::string html = extract_html(x);
  EXPECT_NE(html.find("Uitleg voor ouders en kind"), std::string::npos);
  EXPECT_NE(html.find("DUPLICATE"), std::string::npos);
}

TEST_F(CaseExtractTest, AChangedItemFailsAtThatItem) {
  const std::string text = extract();
  const json x = json::parse(text);
  std::string case_target, tx_target;
  for (const auto& [target, answer] : x["proofs"].items()) {
    if (target == "/v1/cases/case-001?height=6") case_target = target;
    if (target == "/v1/txs/" + to_hex(ids_[3]) + "/proof") tx_target = target;
  }
  ASSERT_FALSE(case_target.empty());
  ASSERT_FALSE(tx_target.empty());
  auto flip_hex = [](json& field) {
    std::string s = field.get<std::string>();
    s[s.size() / 2] = s[s.size() / 2] == '0' ? '1' : '0';
    field = s;
  };
  struct Tamper {
    std::string what;
    std::function<void(json&)> change;
    std::string item;
    std::string code;
  };
  const std::vector<Tamper> tampers = {
      {"a refusal turned into OK", [](json& j) { j["txs"][4]["result"] = {{"code", "OK"}, {"message", ""}}; }, "txs[4]", "MISMATCH"},
      {"a check turned green", [](json& j) { j["quickscan"][0]["status"] = "MET"; j["quickscan"][0]["detail"] = "x"; }, "quickscan[0]", "MISMATCH"},
      {"a date in the explanation", [](json& j) { j["explanation"][2]["lines"][0]["text"] = "tot en met 1 januari 2030"; }, "explanation[2]", "MISMATCH"},
      {"another GI on the case", [](json& j) { j["case"]["gi"] = "gi-elsewhere"; }, "case[gi]", "MISMATCH"},
      {"a proof byte of the case", [&](json& j) { flip_hex(j["proofs"][case_target]["proof"]); }, "case", "PROOF_MISMATCH"},
      {"a tx byte", [&](json& j) { flip_hex(j["proofs"][tx_target]["tx"]); }, "txs[3]", "MALFORMED"},
      {"a tx left out", [](json& j) { j["txs"].erase(1); }, "", "MISMATCH"},
      {"an event's kind", [](json& j) { j["events"][0]["event"]["kind"] = "MEASURE_ENDED"; }, "events[0]", "MISMATCH"},
      {"an event of another case", [](json& j) { j["events"][0]["seq"] = 1000; }, "events[0]", ""},
      {"another height", [](json& j) { j["height"] = 5; }, "", ""},
  };
  for (const Tamper& t : tampers) {
    json changed = x;
    t.change(changed);
    const std::optional<ExtractFault> fault = verify_case_extract(extract_text(changed), genesis());
    ASSERT_TRUE(fault.has_value()) << t.what << ": verified";
    if (!t.item.empty()) {
      EXPECT_EQ(fault->item, t.item) << t.what << ": " << fault->to_string();
    }
    if (!t.code.empty() && t.code != "MALFORMED") {
      EXPECT_EQ(fault->code, t.code) << t.what << ": " << fault->to_string();
    }
  }
  // A tx byte changed: the tx is another (its id differs) or does not decode, at that tx.
  json changed = x;
  flip_hex(changed["proofs"][tx_target]["tx"]);
  EXPECT_EQ(verify_case_extract(extract_text(changed), genesis())->item, "txs[3]");
}

// Property: whatever single byte of the file is changed, it no longer verifies (fixed seed).
TEST_F(CaseExtractTest, NoSingleChangedByteVerifies) {
  const std::string text = extract();
  std::mt19937_64 rng(20261208);
  for (int i = 0; i < 40; ++i) {
    std::string changed = text;
    const size_t at = rng() % changed.size();
    changed[at] = static_cast<char>(changed[at] == 'a' ? 'b' : (changed[at] == '0' ? '1' : 'a'));
    EXPECT_TRUE(verify_case_extract(changed, genesis()).has_value()) << "byte " << at << " changed, still verified";
  }
}

TEST_F(CaseExtractTest, AnExtractFromAnotherNetworkOrValidatorSetIsRefused) {
  const std::string text = extract();
  TrustedValidators others = genesis();
  v1::ValidatorSet set;
  for (int i = 0; i < 4; ++i) {
    v1::Validator* v = set.add_validators();
    v->set_public_key(to_string(PrivateKey::from_test_seed("stranger-" + std::to_string(i)).public_key().bytes()));
    v->set_power(1);
  }
  others.set = ValidatorSet::create(std::move(set)).value();
  const std::optional<ExtractFault> untrusted = verify_case_extract(text, others);
  ASSERT_TRUE(untrusted.has_value());
  // The headers do not name the strangers' set; the light client looks for the change that would lead
  // to it and finds no such answer in the file.
  EXPECT_TRUE(untrusted->code == "UNTRUSTED_SET" || untrusted->code == "MISSING_PROOF") << untrusted->to_string();
  EXPECT_EQ(untrusted->item, "case");
  TrustedValidators chain = genesis();
  chain.chain_id = "joet-elsewhere";
  EXPECT_EQ(verify_case_extract(text, chain)->code, "WRONG_CHAIN");
  EXPECT_EQ(verify_case_extract("not json", genesis())->code, "MALFORMED");
}

}  // namespace
}  // namespace joet::sdk
