// The Inzicht routes over a real chain (node/testing/local_chain.h: blocks assembled, certified and
// committed with the dashboard index, as the node does), through the RPC handler.
#include "node/rpc/inzicht_routes.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "contracts/stuurinformatie.h"
#include "node/rpc/handler.h"
#include "node/stuurinformatie_json.h"
#include "node/testing/chain_rpc_backend.h"

namespace joet::rpc {
namespace {

using namespace joet::testing;  // NOLINT
using nlohmann::json;

struct Answer {
  unsigned status = 0;
  json body;
};

constexpr int64_t kDay = 86'400'000;

class InzichtRoutesTest : public ::testing::Test {
 protected:
  // Six cases with an OTS granted on 2026-03-15 to the GI; nobody assigns a jeugdbeschermer, so D-ASSIGN
  // fires for all six (a cell of 6: not suppressed); case-006 gets no plan either. Another GI's case.
  void SetUp() override {
    std::vector<v1::SignedTx> open, file, decide;
    auto id = [](int i) { return "case-00" + std::to_string(i); };
    // Built block by block: each signer's nonces ascend in block order.
    for (int i = 1; i <= 7; ++i) open.push_back(open_case_tx(txs_, id(i)));
    for (int i = 1; i <= 7; ++i) {
      file.push_back(txs_.tx(kRvdk, "request.file", {text("case", id(i)), text("request", "r"), text("kind", "OTS"),
                                                     text("gi", std::string(i == 7 ? kOtherGi : kGi)),
                                                     hash_arg("document", id(i))}));
    }
    for (int i = 1; i <= 7; ++i) {
      decide.push_back(txs_.tx(kCourt, "court.decide", {text("case", id(i)), text("request", "r"), text("outcome", "GRANTED"),
                                                        text("start_date", "2026-03-15"), text("end_date", "2027-03-15")}));
    }
    backend_.next(utc_ms(2026, 3, 10, 9), open);
    for (const TxResult& r : backend_.next(utc_ms(2026, 3, 11, 9), file).execution.results) {
      EXPECT_TRUE(r.ok) << r.code << " " << r.message;
    }
    const AssembledBlock decided = backend_.next(utc_ms(2026, 3, 15, 9), decide);
    for (const TxResult& r : decided.execution.results) EXPECT_TRUE(r.ok) << r.code << " " << r.message;
    backend_.next(utc_ms(2026, 3, 25, 9));  // D-ASSIGN (5 days) fired for every case
  }

  Answer get(const std::string& target) {
    HttpRequest request{http::verb::get, target, 11};
    Reply reply = handler_.handle(request, "127.0.0.1:9");
    JOET_ASSERT(reply.response.has_value());
    return {reply.response->result_int(), json::parse(reply.response->body(), nullptr, false)};
  }

  LocalChain chain_;
  ChainRpcBackend backend_{chain_};
  ServerMetrics metrics_;
  RpcHandler handler_{backend_, HandlerLimits{}, metrics_};
  Chain txs_;
};

void expect_error(const Answer& a, unsigned status, std::string_view code) {
  EXPECT_EQ(a.status, status) << a.body.dump();
  ASSERT_TRUE(a.body.is_object() && a.body.contains("error")) << a.body.dump();
  EXPECT_EQ(a.body["error"]["code"], code) << a.body.dump();
}

TEST_F(InzichtRoutesTest, StuurinformatieIsTheReferenceReportAtTheTipHeight) {
  const Answer a = get("/v1/stuurinformatie?from=2026-01&to=2026-12");
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["height"], 4);
  json want = to_json(stuurinformatie(chain_.kv_, CivilMonth{2026, 1}, CivilMonth{2026, 12}).value());
  want["height"] = 4;
  EXPECT_EQ(a.body, want);
  // Six cases of the GI run from March: counted; the other GI's one case: suppressed, no number.
  bool gi_counted = false;
  bool other_suppressed = false;
  for (const json& cell : a.body["running"]) {
    if (cell["month"] == "2026-04" && cell["institution"] == kGi) gi_counted = cell["cases"] == 6;
    if (cell["month"] == "2026-04" && cell["institution"] == kOtherGi) {
      other_suppressed = cell["suppressed"] == true && !cell.contains("cases");
    }
  }
  EXPECT_TRUE(gi_counted) << a.body["running"].dump();
  EXPECT_TRUE(other_suppressed) << a.body["running"].dump();
}

TEST_F(InzichtRoutesTest, ABadMonthRangeIsAClearErrorNamingTheProblem) {
  expect_error(get("/v1/stuurinformatie?from=2026-01"), 400, "BAD_MONTH");
  expect_error(get("/v1/stuurinformatie?from=2026-13&to=2026-12"), 400, "BAD_MONTH");
  expect_error(get("/v1/stuurinformatie?from=26-01&to=2026-12"), 400, "BAD_MONTH");
  expect_error(get("/v1/stuurinformatie?from=2026-12&to=2026-01"), 400, "BAD_RANGE");
  expect_error(get("/v1/stuurinformatie?from=2000-01&to=2026-12"), 400, "BAD_RANGE");  // > 120 months
  expect_error(get("/v1/stuurinformatie?from=2026-01&to=2026-12&x=1"), 400, "UNKNOWN_PARAMETER");
}

TEST_F(InzichtRoutesTest, ACellDrillsDownToItsCases) {
  const Answer a = get("/v1/stuurinformatie/cases?month=2026-03&metric=ASSIGN_MISSED&institution=" + std::string(kGi));
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["cases"], json({"case-001", "case-002", "case-003", "case-004", "case-005", "case-006"}));
  const Answer empty = get("/v1/stuurinformatie/cases?month=2026-02&metric=ASSIGN_MISSED&institution=" + std::string(kGi));
  EXPECT_EQ(empty.body["cases"], json::array());
  expect_error(get("/v1/stuurinformatie/cases?month=2026-03&metric=A/B&institution=x"), 400, "BAD_METRIC");
  expect_error(get("/v1/stuurinformatie/cases?month=2026-03&metric=ASSIGN_MISSED"), 400, "BAD_INSTITUTION");
}

TEST_F(InzichtRoutesTest, DeadlinesOfAnInstitutionInAWindowAscending) {
  // From the tip's time (2026-03-25), 42 days by default: D-PLAN (start + 42 days = 2026-04-26) of the
  // six GI cases is in; the other GI's case is not the GI's.
  const Answer a = get("/v1/deadlines?institution=" + std::string(kGi));
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["from_ms"], utc_ms(2026, 3, 25, 9));
  EXPECT_EQ(a.body["to_ms"], utc_ms(2026, 3, 25, 9) + 42 * kDay);
  int plans = 0;
  int64_t last = 0;
  for (const json& d : a.body["deadlines"]) {
    plans += d["kind"] == "D-PLAN" ? 1 : 0;
    EXPECT_NE(d["case"], "case-007");
    EXPECT_GE(d["due_ms"].get<int64_t>(), last);
    last = d["due_ms"].get<int64_t>();
  }
  EXPECT_EQ(plans, 6);
  const Answer other = get("/v1/deadlines?institution=" + std::string(kOtherGi) + "&from_ms=0&to_ms=" +
                           std::to_string(utc_ms(2030, 1, 1)) + "&limit=2");
  ASSERT_EQ(other.status, 200u) << other.body.dump();
  EXPECT_EQ(other.body["deadlines"].size(), 2u);
  EXPECT_EQ(other.body["more"], true);
  for (const json& d : other.body["deadlines"]) EXPECT_EQ(d["case"], "case-007");
  // One case's: the same, read from the case's own list.
  const Answer of_case = get("/v1/deadlines?institution=" + std::string(kOtherGi) + "&case=case-007&from_ms=0&to_ms=" +
                             std::to_string(utc_ms(2030, 1, 1)) + "&limit=2");
  ASSERT_EQ(of_case.status, 200u) << of_case.body.dump();
  EXPECT_EQ(of_case.body["more"], true);
  EXPECT_EQ(of_case.body["deadlines"], other.body["deadlines"]);
  EXPECT_TRUE(get("/v1/deadlines?institution=" + std::string(kOtherGi) + "&case=case-001&from_ms=0&to_ms=" +
                  std::to_string(utc_ms(2040, 1, 1))).body["deadlines"].empty());
  expect_error(get("/v1/deadlines?institution=gi&case=a/b"), 400, "BAD_CASE_ID");
  expect_error(get("/v1/deadlines?institution=gi&from_ms=10&to_ms=5"), 400, "BAD_WINDOW");
  expect_error(get("/v1/deadlines?institution=gi&limit=0"), 400, "BAD_LIMIT");
  expect_error(get("/v1/deadlines?institution=gi&limit=1001"), 400, "BAD_LIMIT");
  expect_error(get("/v1/deadlines"), 400, "BAD_INSTITUTION");
}

TEST_F(InzichtRoutesTest, ACaseTimelineListsItsTxsAndEventsInOrder) {
  const Answer a = get("/v1/cases/case-001/timeline");
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["case"], "case-001");
  std::vector<std::string> actions;
  bool assign_missed = false;
  for (const json& e : a.body["entries"]) {
    if (e["type"] == "tx") actions.push_back(e["action"]);
    if (e["type"] == "event" && e["kind"] == "ASSIGN_MISSED") assign_missed = true;
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"case.open", "request.file", "court.decide"}));
  EXPECT_TRUE(assign_missed);
  const Answer page = get("/v1/cases/case-001/timeline?skip=1&limit=1");
  ASSERT_EQ(page.body["entries"].size(), 1u);
  EXPECT_EQ(page.body["entries"][0], a.body["entries"][1]);
  EXPECT_EQ(page.body["more"], true);
  EXPECT_EQ(get("/v1/cases/no-such-case/timeline").body["entries"], json::array());
  expect_error(get("/v1/cases/case-001/timeline?limit=x"), 400, "BAD_LIMIT");
}

// The quickscan at the tip (2026-03-25): nobody was assigned by 2026-03-20, the plan is due 2026-04-26.
TEST_F(InzichtRoutesTest, ACaseQuickscanListsEachCheckWithItsStatusAndDate) {
  const Answer a = get("/v1/cases/case-001/quickscan");
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["case"], "case-001");
  EXPECT_EQ(a.body["height"], 4u);
  std::map<std::string, std::string> by_check;
  for (const json& i : a.body["items"]) {
    by_check[i["check"].get<std::string>()] =
        i["status"].get<std::string>() + " " + (i["date"].is_null() ? "-" : i["date"].get<std::string>());
    EXPECT_EQ(i["status"] == "PENDING", !i["deadline_id"].is_null()) << i.dump();
    EXPECT_FALSE(i["legal_basis"].get<std::string>().empty()) << i.dump();
  }
  EXPECT_EQ(by_check["JEUGDBESCHERMER_ASSIGNED"], "VIOLATED 2026-03-20");
  EXPECT_EQ(by_check["PLAN_FILED"], "PENDING 2026-04-26");
  EXPECT_EQ(by_check["TERM_WITHIN_MAXIMUM"], "MET 2027-03-15");
  EXPECT_EQ(by_check["GROUNDS_STATED"], "NOT_APPLICABLE 2026-03-15") << "rules version 1 records no grounds";
  EXPECT_EQ(a.body["counts"]["VIOLATED"], 1u);
  EXPECT_EQ(a.body["counts"]["MET"].get<size_t>() + a.body["counts"]["VIOLATED"].get<size_t>() +
                a.body["counts"]["PENDING"].get<size_t>() + a.body["counts"]["NOT_APPLICABLE"].get<size_t>(),
            a.body["items"].size());
  expect_error(get("/v1/cases/no-such-case/quickscan"), 404, "CASE_UNKNOWN");
  expect_error(get("/v1/cases/case-001/quickscan?at=1"), 400, "UNKNOWN_PARAMETER");
  expect_error(get("/v1/cases/case%20001/quickscan"), 400, "BAD_CASE_ID");
}

// The explanation at the tip (2026-03-25), in three sections; the appeal against the grant of 2026-03-15
// runs through 2026-06-15.
TEST_F(InzichtRoutesTest, ACaseExplanationHasItsThreeSectionsInDutch) {
  const Answer a = get("/v1/cases/case-001/explanation");
  ASSERT_EQ(a.status, 200u) << a.body.dump();
  EXPECT_EQ(a.body["language"], "nl");
  ASSERT_EQ(a.body["sections"].size(), 3u);
  EXPECT_EQ(a.body["sections"][0]["section"], "NOW");
  EXPECT_EQ(a.body["sections"][0]["title"], "Wat loopt er nu");
  EXPECT_EQ(a.body["sections"][2]["section"], "YOU_CAN");
  bool appeal = false;
  for (const json& l : a.body["sections"][2]["lines"]) {
    if (l["topic"] == "APPEAL") {
      appeal = true;
      EXPECT_EQ(l["date"], "2026-06-15");
      EXPECT_NE(l["text"].get<std::string>().find("tot en met 15 juni 2026"), std::string::npos) << l.dump();
    }
  }
  EXPECT_TRUE(appeal) << a.body.dump();
  expect_error(get("/v1/cases/no-such-case/explanation"), 404, "CASE_UNKNOWN");
  expect_error(get("/v1/cases/case-001/explanation?lang=en"), 400, "UNKNOWN_PARAMETER");
}

TEST_F(InzichtRoutesTest, CaseloadAndPendingRequestsPerInstitution) {
  const Answer gi = get("/v1/caseload?institution=" + std::string(kGi));
  ASSERT_EQ(gi.status, 200u) << gi.body.dump();
  EXPECT_EQ(gi.body["role"], "GI");
  EXPECT_EQ(gi.body["unassigned"], 6);  // six running OTS, nobody assigned
  const Answer municipality = get("/v1/caseload?institution=" + std::string(kMunicipality));
  ASSERT_EQ(municipality.status, 200u) << municipality.body.dump();
  EXPECT_EQ(municipality.body["gis"], json::parse(R"([{"gi":"gi-jbra","assigned":0,"unassigned":6},
                                                      {"gi":"gi-wsg","assigned":0,"unassigned":1}])"));
  expect_error(get("/v1/caseload?institution=nobody"), 404, "INSTITUTION_UNKNOWN");
  expect_error(get("/v1/caseload"), 400, "BAD_INSTITUTION");

  backend_.next(utc_ms(2026, 3, 26, 9), {txs_.tx(kRvdk, "request.file",
                                                  {text("case", "case-001"), text("request", "r-lift"), text("kind", "LIFT"),
                                                   hash_arg("document", "lift")})});
  const Answer court = get("/v1/requests/pending?institution=" + std::string(kCourt));
  ASSERT_EQ(court.status, 200u) << court.body.dump();
  ASSERT_EQ(court.body["requests"].size(), 1u);
  EXPECT_EQ(court.body["requests"][0]["kind"], "LIFT");
  EXPECT_EQ(court.body["requests"][0]["filed_by"], kRvdk);
  EXPECT_EQ(get("/v1/requests/pending?institution=" + std::string(kOtherGi)).body["requests"].size(), 0u);
  expect_error(get("/v1/requests/pending?institution=" + std::string(kCourt) + "&limit=0"), 400, "BAD_LIMIT");
}

}  // namespace
}  // namespace joet::rpc
