#include "client-sdk/demo_cases.h"

#include <algorithm>
#include <array>
#include <utility>

#include "contracts/privacy.h"
#include "ledger/hash.h"

namespace joet::sdk {
namespace {

// The waves (demo_cases.h): each depends only on the earlier ones being committed.
enum Wave : uint32_t {
  kGovernance = 0,  // institution.add
  kOpen = 1,        // case.open, professional.register
  kRequest = 2,     // request.file (OTS / VOTS), investigation.start, RvdK document anchors
  kDecide = 3,      // court.decide, back-dated
  kFollowUp = 4,    // assign, plan, progress, contacts, lifts, UHP / OTS / extension requests, complaints
  kSecond = 5,      // UHP, OTS-over-VOTS and first extension grants; complaints decided; collegebesluiten
  kThird = 6,       // placements and their contacts; RvdK UHP grants; second extension requests
  kFourth = 7,      // placements of RvdK UHPs; UHP lifts; second extension grants
  kFifth = 8,       // third extension requests (SIGNAL_THIRD_EXTENSION)
  kSixth = 9,       // third extension grants
};
static_assert(kSixth + 1 == kDemoWaves);

// SplitMix64: a small, fully specified generator (std:: distributions differ between libraries).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  int64_t between(int64_t lo, int64_t hi) {
    JOET_ASSERT(lo <= hi);
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(next() % span);
  }
  bool percent(int64_t p) { return between(0, 99) < p; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    JOET_ASSERT(!items.empty());
    return items[next() % items.size()];
  }

 private:
  uint64_t state_;
};

// An independent stream per (seed, purpose, index): one case's draws never shift another's.
Rng stream(uint64_t seed, uint64_t purpose, uint64_t index) {
  Rng r(seed ^ (purpose * 0xD1B54A32D192ED03ull) ^ (index * 0x8CB92BA72F3D8DD7ull));
  r.next();
  return r;
}

enum class Profile : uint8_t {
  kOtsRunning,     // an OTS granted in the last 12 months, with its jeugdbeschermer, plan and contacts
  kOtsUnassigned,  // an OTS of the last months without jeugdbeschermer or plan (ASSIGN_MISSED, PLAN_MISSED)
  kVotsThenOts,    // a VOTS replaced by an OTS (the VOTS ends REPLACED)
  kVotsRunning,    // a VOTS of the last two months
  kOtsLifted,      // an OTS lifted on a past date (ended, LIFTED)
  kUhpNoContact,   // a UHP carried out, then no HELD contact for over 14 days (NO_CONTACT_SIGNAL now)
  kUhpPlaced,      // a UHP carried out with regular contact
  kUhpEnded,       // a UHP carried out and lifted on a past date
  kExtendedOnce,   // an OTS near its end, extended once
  kExtendedTwice,  // ... twice (SIGNAL_OTS_OVER_24_MONTHS)
  kExtendedThrice, // ... asked a third time (SIGNAL_THIRD_EXTENSION), granted
  kRefused,        // the court refused the OTS
  kPending,        // the RvdK investigates; a request may be pending
};

struct Quota {
  Profile profile;
  std::string_view name;
  uint32_t per_mille;  // of the cases; kOtsRunning takes the rest
};

constexpr std::array<Quota, 13> kQuotas = {{
    {Profile::kUhpNoContact, "uhp_no_contact", 70},
    {Profile::kOtsUnassigned, "ots_unassigned", 40},
    {Profile::kVotsThenOts, "vots_then_ots", 120},
    {Profile::kVotsRunning, "vots_running", 50},
    {Profile::kOtsLifted, "ots_lifted", 150},
    {Profile::kUhpPlaced, "uhp_placed", 60},
    {Profile::kUhpEnded, "uhp_ended", 40},
    {Profile::kExtendedOnce, "extended_once", 70},
    {Profile::kExtendedTwice, "extended_twice", 30},
    {Profile::kExtendedThrice, "extended_thrice", 30},
    {Profile::kRefused, "refused", 20},
    {Profile::kPending, "pending", 40},
    {Profile::kOtsRunning, "ots_running", 0},
}};

constexpr uint64_t kPurposeProfiles = 1;
constexpr uint64_t kPurposeCase = 2;
constexpr uint64_t kPurposeProfessionals = 3;
constexpr uint64_t kPurposeMoney = 4;  // grounds and costs: their own stream, so the rest of a case stays as it was

v1::Arg text(std::string name, std::string value) {
  v1::Arg a;
  a.set_name(std::move(name));
  a.set_text(std::move(value));
  return a;
}
v1::Arg date(std::string name, const CivilDate& d) { return text(std::move(name), to_string(d)); }
v1::Arg integer(std::string name, int64_t value) {
  v1::Arg a;
  a.set_name(std::move(name));
  a.set_integer(value);
  return a;
}
v1::Arg hash(std::string name, const Hash32& h) {
  v1::Arg a;
  a.set_name(std::move(name));
  a.set_hash(std::string(h.begin(), h.end()));
  return a;
}

// One case as it is being planned.
struct CaseSpec {
  std::string id;
  Profile profile = Profile::kOtsRunning;
  std::string municipality;
  std::string gi;
  Rng rng{0};
  CivilDate majority;
  std::vector<std::string> professionals;  // the GI's assignable jeugdbeschermers
  std::vector<std::string> grounds;        // stated by every grant (rules version 2)
  Rng money{0};                            // draws for grounds and costs
};

class Planner {
 public:
  explicit Planner(const DemoOptions& o) : o_(o) {}

  CivilDate day(int64_t offset) const { return add_days(o_.today, offset); }
  int64_t offset_of(const CivilDate& d) const { return days_between(o_.today, d); }
  // The earliest start of a 12-month OTS that still runs tomorrow.
  CivilDate earliest_ots_start() const {
    CivilDate d = add_days(add_months(o_.today, -12), 1);
    while (!(o_.today < add_months(d, 12))) d = add_days(d, 1);
    return d;
  }
  CivilDate first_of_month() const { return CivilDate{o_.today.year, o_.today.month, 1}; }
  const DemoOptions& options() const { return o_; }

  void add(uint32_t wave, std::string signer, std::string action, std::vector<v1::Arg> args, const std::string& case_id) {
    DemoStep s;
    s.signers.push_back(std::move(signer));
    s.action = std::move(action);
    s.args = std::move(args);
    s.wave = wave;
    s.case_id = case_id;
    steps_.push_back(std::move(s));
  }
  void add_governance(uint32_t wave, std::vector<std::string> signers, std::string action, std::vector<v1::Arg> args) {
    DemoStep s;
    s.signers = std::move(signers);
    s.action = std::move(action);
    s.args = std::move(args);
    s.wave = wave;
    steps_.push_back(std::move(s));
  }

  // A stand-in for a salted document hash (documents stay off chain).
  v1::Arg document(const std::string& case_id, std::string_view what) const {
    return hash("document", sha256("joet-demo/" + std::to_string(o_.seed) + "/" + case_id + "/" + std::string(what)));
  }

  std::vector<DemoStep> take_steps() {
    std::stable_sort(steps_.begin(), steps_.end(), [](const DemoStep& a, const DemoStep& b) { return a.wave < b.wave; });
    return std::move(steps_);
  }

 private:
  const DemoOptions& o_;
  std::vector<DemoStep> steps_;
};

// ---- steps shared by the profiles ----

void file_request(Planner& p, CaseSpec& c, uint32_t wave, const std::string& request, const std::string& kind) {
  const auto& inst = p.options().institutions;
  std::vector<v1::Arg> args = {text("case", c.id), text("request", request), text("kind", kind),
                               p.document(c.id, request)};
  std::string signer = inst.rvdk;
  if (kind == "OTS" || kind == "VOTS") {
    args.push_back(text("gi", c.gi));
    if (kind == "OTS" && c.rng.percent(3)) {  // the public prosecutor asks; the court files it
      signer = inst.court;
      args.push_back(text("filed_for", "OM"));
    }
  }
  p.add(wave, signer, "request.file", std::move(args), c.id);
}

void gi_files(Planner& p, const CaseSpec& c, uint32_t wave, const std::string& request, const std::string& kind) {
  p.add(wave, c.gi, "request.file",
        {text("case", c.id), text("request", request), text("kind", kind), p.document(c.id, request)}, c.id);
}

// The municipality's costs of the measure granted in the decisions wave, while it runs (follow-up
// wave): a tariff, mostly per day (an OTS costs the GI's team some 40 to 60 euro a day), and invoices
// for the last full months it ran, each within 10 % of the tariff times the days.
void costs(Planner& p, CaseSpec& c, const CivilDate& start, const CivilDate& end) {
  const bool per_day = !c.money.percent(12);
  const int64_t tariff = per_day ? c.money.between(40, 60) * 100 : c.money.between(14'000, 19'000) * 100;
  p.add(kFollowUp, c.municipality, "cost.project",
        {text("case", c.id), text("measure", "OTS"), text("basis", per_day ? "PER_DAY" : "PER_MEASURE"),
         integer("amount_cents", tariff)},
        c.id);
  const CivilDate this_month = p.first_of_month();
  for (int back = 4; back >= 1; --back) {
    const CivilDate first = add_months(this_month, -back);
    const CivilDate next = add_months(this_month, -back + 1);
    const CivilDate from = std::max(first, start);
    const CivilDate to = std::min(next, end);
    if (!(from < to)) continue;
    const int64_t days = days_between(from, to);
    const int64_t expected = per_day ? tariff * days : tariff / 12;
    const int64_t cents = std::max<int64_t>(1, expected * c.money.between(90, 110) / 100);
    p.add(kFollowUp, c.municipality, "cost.invoice",
          {text("case", c.id), text("invoice", "f-" + to_string(first).substr(0, 7)), text("measure", "OTS"),
           text("month", to_string(first).substr(0, 7)), integer("amount_cents", cents)},
          c.id);
  }
}

void decide(Planner& p, CaseSpec& c, uint32_t wave, const std::string& request, const CivilDate& start,
            const CivilDate& end) {
  JOET_ASSERT(start < end);
  std::vector<v1::Arg> args = {text("case", c.id), text("request", request), text("outcome", "GRANTED"),
                               date("start_date", start), date("end_date", end)};
  for (size_t i = 0; i < c.grounds.size(); ++i) args.push_back(text("ground." + std::to_string(i), c.grounds[i]));
  p.add(wave, p.options().institutions.court, "court.decide", std::move(args), c.id);
  // The measure of the decisions wave still runs in the follow-up wave unless the profile lifts it then.
  if (wave == kDecide && c.profile != Profile::kOtsLifted) costs(p, c, start, end);
}

void assign(Planner& p, const CaseSpec& c, uint32_t wave, const std::string& professional) {
  p.add(wave, c.gi, "gi.assign", {text("case", c.id), text("professional", professional)}, c.id);
}

void plan(Planner& p, const CaseSpec& c, uint32_t wave) {
  p.add(wave, c.gi, "gi.plan", {text("case", c.id), p.document(c.id, "plan")}, c.id);
}

void progress(Planner& p, const CaseSpec& c, uint32_t wave) {
  p.add(wave, c.gi, "gi.progress", {text("case", c.id), p.document(c.id, "progress-" + std::to_string(wave))}, c.id);
}

const std::vector<std::string>& cancel_reasons() {
  static const std::vector<std::string> reasons = {"ZIEKTE", "VERVOER", "PLANNING", "WEIGERING", "CRISIS"};
  return reasons;
}

void contact(Planner& p, CaseSpec& c, uint32_t wave, const CivilDate& on, bool held, const std::string& cancelled_by) {
  std::vector<v1::Arg> args = {text("case", c.id), date("date", on), text("outcome", held ? "HELD" : "CANCELLED")};
  if (!held) {
    args.push_back(text("cancelled_by", cancelled_by));
    if (c.rng.percent(70)) args.push_back(text("reason", c.rng.pick(cancel_reasons())));
  }
  p.add(wave, c.gi, "contact.record", std::move(args), c.id);
}

// `count` contacts dated in [from, to], ascending; CANCELLED with `cancel_percent`, mostly by the GI or
// the carer when `gi_carer_heavy` (more than 25 % of a quarter's contacts: SIGNAL_CONTACTS_CANCELLED
// when the quarter ends).
void contacts(Planner& p, CaseSpec& c, uint32_t wave, const CivilDate& from, const CivilDate& to, int count,
              bool gi_carer_heavy) {
  if (to < from || count <= 0) return;
  const int64_t span = days_between(from, to);
  std::vector<int64_t> offsets;
  for (int i = 0; i < count; ++i) offsets.push_back(c.rng.between(0, span));
  std::sort(offsets.begin(), offsets.end());
  static const std::vector<std::string> any = {"GI", "CARER", "PARENT", "PARENT", "CHILD"};
  static const std::vector<std::string> heavy = {"GI", "CARER", "CARER", "PARENT"};
  for (int64_t off : offsets) {
    const bool held = !c.rng.percent(gi_carer_heavy ? 55 : 20);
    contact(p, c, wave, add_days(from, off), held, c.rng.pick(gi_carer_heavy ? heavy : any));
  }
}

// The usual follow-up of a granted OTS / VOTS by its GI in wave 4: jeugdbeschermer, plan and progress
// report (when `with_plan`), contacts since the start (at most 80 days back) up to `contacts_to`.
void follow_up(Planner& p, CaseSpec& c, const CivilDate& start, bool with_plan, const CivilDate& contacts_to) {
  assign(p, c, kFollowUp, c.rng.pick(c.professionals));
  if (with_plan) plan(p, c, kFollowUp);
  if (with_plan && c.rng.percent(50)) progress(p, c, kFollowUp);
  contacts(p, c, kFollowUp, std::max(start, p.day(-80)), contacts_to, static_cast<int>(c.rng.between(1, 5)),
           c.rng.percent(12));
}

// Complaints, escalations and aanwijzingen on a case whose GI acts in wave 4 (a running OTS / VOTS).
void incidents(Planner& p, CaseSpec& c) {
  const auto& inst = p.options().institutions;
  if (c.rng.percent(16)) {
    const std::string with = c.rng.percent(70) ? c.gi : c.municipality;
    p.add(kFollowUp, with, "complaint.file",
          {text("case", c.id), text("complaint", "k-1"), text("filed_for", c.rng.percent(75) ? "PARENT" : "CHILD"),
           p.document(c.id, "complaint")},
          c.id);
    const int64_t roll = c.rng.between(0, 99);
    if (roll < 45) {
      static const std::vector<std::string> outcomes = {"UPHELD", "PARTLY_UPHELD", "REJECTED", "REJECTED"};
      p.add(kSecond, with, "complaint.decide",
            {text("case", c.id), text("complaint", "k-1"), text("outcome", c.rng.pick(outcomes)),
             p.document(c.id, "complaint-decision")},
            c.id);
    } else if (roll < 60) {
      p.add(kSecond, with, "complaint.decide",
            {text("case", c.id), text("complaint", "k-1"), text("outcome", "POSTPONED"),
             p.document(c.id, "complaint-postponed")},
            c.id);
    }  // else still open: D-COMPLAINT falls due 42 days after today
  }
  if (c.rng.percent(4)) {
    const std::string requester = c.rng.percent(60) ? c.municipality : inst.rvdk;
    p.add(kFollowUp, requester, "escalation.request",
          {text("case", c.id), text("escalation", "e-1"), text("addressee", c.gi), p.document(c.id, "escalation")}, c.id);
    if (c.rng.percent(50)) {
      p.add(kSecond, c.gi, "escalation.answer",
            {text("case", c.id), text("escalation", "e-1"), p.document(c.id, "escalation-answer")}, c.id);
    }
  }
  if (c.rng.percent(5)) {
    const bool limit = c.rng.percent(50);
    static const std::vector<std::string> addressees = {"PARENT", "PARENT", "CHILD", "CARER"};
    p.add(kFollowUp, c.gi, "gi.aanwijzing",
          {text("case", c.id), text("aanwijzing", "a-1"), text("kind", limit ? "CONTACT_LIMIT" : "GENERAL"),
           text("addressee", c.rng.pick(addressees)), p.document(c.id, "aanwijzing")},
          c.id);
    if (limit && c.rng.percent(50)) {
      p.add(kSecond, inst.court, "court.aanwijzing_review",
            {text("case", c.id), text("aanwijzing", "a-1"), text("outcome", c.rng.percent(70) ? "UPHELD" : "ANNULLED"),
             p.document(c.id, "aanwijzing-review")},
            c.id);
    }
  }
}

// A start day uniform in [from, to].
CivilDate start_between(CaseSpec& c, const CivilDate& from, const CivilDate& to) {
  JOET_ASSERT(!(to < from));
  return add_days(from, c.rng.between(0, days_between(from, to)));
}

// An OTS from `start` for 12 months, requested in wave 2 and granted in wave 3; its end.
CivilDate grant_ots(Planner& p, CaseSpec& c, const CivilDate& start) {
  const CivilDate end = add_months(start, 12);
  JOET_ASSERT(p.options().today < end);
  file_request(p, c, kRequest, "r-ots", "OTS");
  decide(p, c, kDecide, "r-ots", start, end);
  return end;
}

// ---- the profiles ----

void ots_running(Planner& p, CaseSpec& c) {
  const CivilDate start = start_between(c, p.earliest_ots_start(), p.day(-1));
  const CivilDate end = grant_ots(p, c, start);
  const int64_t age = -p.offset_of(start);
  // D-CONTACT: a court contact arrangement (every 14 days), then a HELD contact recorded late: its
  // next contact was due 21 days after it, in the past, so CONTACT_MISSED fires in the next block.
  const bool contact_missed = age >= 50 && c.rng.percent(22);
  if (contact_missed) {
    assign(p, c, kFollowUp, c.rng.pick(c.professionals));
    plan(p, c, kFollowUp);
    p.add(kFollowUp, p.options().institutions.court, "court.contact_arrangement",
          {text("case", c.id), integer("interval_days", 14)}, c.id);
    contact(p, c, kSecond, start_between(c, std::max(start, p.day(-45)), p.day(-22)), true, "");
  } else {
    const bool assigned = c.rng.percent(96);
    if (assigned) {
      std::vector<std::string> team = c.professionals;
      const std::string first = c.rng.pick(team);
      assign(p, c, kFollowUp, first);
      // Three changes of jeugdbeschermer within 12 months: SIGNAL_JEUGDBESCHERMER_CHANGES at the last.
      if (team.size() >= 4 && c.rng.percent(14)) {
        std::string previous = first;
        for (uint32_t wave : {kSecond, kThird, kFourth}) {
          std::string next = previous;
          while (next == previous) next = c.rng.pick(team);
          assign(p, c, wave, next);
          previous = next;
        }
      }
    }
    const bool with_plan = c.rng.percent(92);
    if (with_plan) plan(p, c, kFollowUp);
    if (with_plan && c.rng.percent(50)) progress(p, c, kFollowUp);
    contacts(p, c, kFollowUp, std::max(start, p.day(-80)), p.day(-1), static_cast<int>(c.rng.between(1, 5)),
             c.rng.percent(12));
  }
  // An OTS ending within about three months that the GI will not ask to extend.
  if (p.offset_of(end) <= 100 && c.rng.percent(35)) {
    p.add(kFollowUp, c.gi, "gi.non_extension", {text("case", c.id), p.document(c.id, "non-extension")}, c.id);
  }
  incidents(p, c);
}

void ots_unassigned(Planner& p, CaseSpec& c) {
  const CivilDate start = start_between(c, p.day(-120), p.day(-8));
  grant_ots(p, c, start);
  if (c.rng.percent(50)) contacts(p, c, kFollowUp, start, p.day(-1), static_cast<int>(c.rng.between(1, 3)), false);
}

void vots_then_ots(Planner& p, CaseSpec& c) {
  const CivilDate vots_start = start_between(c, p.day(-85), p.day(-25));
  const CivilDate vots_end = add_months(vots_start, 3);
  JOET_ASSERT(p.options().today < vots_end);
  file_request(p, c, kRequest, "r-vots", "VOTS");
  decide(p, c, kDecide, "r-vots", vots_start, vots_end);
  follow_up(p, c, vots_start, c.rng.percent(90), p.day(-1));
  incidents(p, c);
  file_request(p, c, kFollowUp, "r-ots", "OTS");
  const int64_t room = -p.offset_of(vots_start) - 1;  // days from the VOTS's start to yesterday
  const CivilDate ots_start = add_days(vots_start, c.rng.between(14, std::max<int64_t>(14, std::min<int64_t>(70, room))));
  decide(p, c, kSecond, "r-ots", ots_start, add_months(ots_start, 12));
  contacts(p, c, kThird, ots_start, p.day(-1), static_cast<int>(c.rng.between(0, 3)), false);
  if (c.rng.percent(40)) progress(p, c, kThird);
}

void vots_running(Planner& p, CaseSpec& c) {
  const CivilDate start = start_between(c, p.day(-60), p.day(-1));
  file_request(p, c, kRequest, "r-vots", "VOTS");
  decide(p, c, kDecide, "r-vots", start, add_months(start, 3));
  if (c.rng.percent(90)) {
    follow_up(p, c, start, c.rng.percent(85), p.day(-1));
  } else {
    contacts(p, c, kFollowUp, start, p.day(-1), 1, false);
  }
  incidents(p, c);
  if (c.rng.percent(50)) file_request(p, c, kFollowUp, "r-ots", "OTS");  // the court decides later
}

void ots_lifted(Planner& p, CaseSpec& c) {
  const CivilDate start = start_between(c, p.earliest_ots_start(), p.day(-75));
  grant_ots(p, c, start);
  // Lifted in the last six months (at least 30 days after the start, at the latest three days ago).
  const CivilDate lifted = start_between(c, std::max(add_days(start, 30), p.day(-180)), p.day(-3));
  uint32_t lift_wave = kFollowUp;
  if (c.rng.percent(40)) {  // the GI asks the court to end it (1:261), then the court lifts it
    gi_files(p, c, kFollowUp, "r-lift", "LIFT");
    lift_wave = kSecond;
  }
  p.add(lift_wave, p.options().institutions.court, "court.lift", {text("case", c.id), date("date", lifted)}, c.id);
}

// gi.placement, after the contacts since `placed` in the plan: the GI's txs commit in nonce order, so
// the contacts are in before S-NOCONTACT is counted from the placement day (a placement committed a
// block before its contacts would fire NO_CONTACT_SIGNAL for the days since `placed` + 14).
void placement(Planner& p, const CaseSpec& c, uint32_t wave, const CivilDate& placed) {
  p.add(wave, c.gi, "gi.placement", {text("case", c.id), date("date", placed)}, c.id);
}

// Contacts after a placement on `placed` up to `last_held` (HELD, every 5 to 12 days, the last on
// last_held itself), in `wave`.
void contacts_while_placed(Planner& p, CaseSpec& c, uint32_t wave, const CivilDate& placed, const CivilDate& last_held) {
  for (CivilDate d = add_days(placed, c.rng.between(3, 9)); d < last_held; d = add_days(d, c.rng.between(5, 12))) {
    const bool held = !c.rng.percent(20);
    contact(p, c, wave, d, held, c.rng.percent(50) ? "PARENT" : "CARER");
  }
  contact(p, c, wave, last_held, true, "");
}

// A UHP asked by the GI in wave 4 and granted in wave 5 for [start, min(start + 12 months, ots_end)).
void gi_uhp(Planner& p, CaseSpec& c, const std::string& kind, const CivilDate& start, const CivilDate& ots_end) {
  gi_files(p, c, kFollowUp, "r-uhp", kind);
  decide(p, c, kSecond, "r-uhp", start, std::min(add_months(start, 12), ots_end));
}

void uhp_no_contact(Planner& p, CaseSpec& c) {
  // The signal falls due (last HELD contact + 14 days) this month, up to today.
  const CivilDate due = start_between(c, p.first_of_month(), p.options().today);
  const CivilDate last_held = add_days(due, -14);
  const CivilDate placed = add_days(last_held, -c.rng.between(7, 30));
  const CivilDate uhp_start = add_days(placed, -c.rng.between(0, 6));
  const CivilDate ots_start = start_between(c, p.earliest_ots_start(), add_days(uhp_start, -7));
  const CivilDate ots_end = grant_ots(p, c, ots_start);
  // Contacts before the UHP only: a HELD one after the placement would move the signal.
  follow_up(p, c, ots_start, true, add_days(uhp_start, -1));
  incidents(p, c);
  gi_uhp(p, c, "UHP", uhp_start, ots_end);
  contacts_while_placed(p, c, kThird, placed, last_held);
  placement(p, c, kThird, placed);
  // Contacts after the last one held were cancelled: the question the municipality asks.
  static const std::vector<std::string> by = {"PARENT", "PARENT", "CARER", "GI", "CHILD"};
  const int64_t room = -p.offset_of(last_held) - 1;  // days after last_held up to yesterday (13 or more)
  const int64_t cancelled = c.rng.between(0, 2);
  for (int64_t i = 0; i < cancelled; ++i) contact(p, c, kThird, add_days(last_held, c.rng.between(1, room)), false, c.rng.pick(by));
}

void uhp_placed(Planner& p, CaseSpec& c) {
  const CivilDate ots_start = start_between(c, p.earliest_ots_start(), p.day(-60));
  const CivilDate uhp_start = start_between(c, add_days(ots_start, 7), p.day(-12));
  const CivilDate placed = add_days(uhp_start, c.rng.between(0, 5));
  const CivilDate ots_end = grant_ots(p, c, ots_start);
  follow_up(p, c, ots_start, true, p.day(-1));
  incidents(p, c);
  const CivilDate last_held = start_between(c, std::max(add_days(placed, 1), p.day(-10)), p.day(-1));
  const int64_t roll = c.rng.between(0, 99);
  const auto& inst = p.options().institutions;
  if (roll < 40) {
    // Asked by the RvdK for itself: the municipality's collegebesluit first (1:265b lid 2).
    p.add(kFollowUp, inst.rvdk, "request.file",
          {text("case", c.id), text("request", "r-uhp"), text("kind", "UHP"), p.document(c.id, "r-uhp")}, c.id);
    p.add(kSecond, c.municipality, "municipality.decision",
          {text("case", c.id), text("request", "r-uhp"), p.document(c.id, "collegebesluit")}, c.id);
    decide(p, c, kThird, "r-uhp", uhp_start, std::min(add_months(uhp_start, 12), ots_end));
    contacts_while_placed(p, c, kFourth, placed, last_held);
    placement(p, c, kFourth, placed);
    return;
  }
  const bool spoed = roll < 55;
  gi_uhp(p, c, spoed ? "SPOED_UHP" : "UHP", uhp_start, ots_end);
  if (spoed) p.add(kThird, inst.court, "court.hearing", {text("case", c.id)}, c.id);
  contacts_while_placed(p, c, kThird, placed, last_held);
  placement(p, c, kThird, placed);
}

void uhp_ended(Planner& p, CaseSpec& c) {
  const CivilDate ots_start = start_between(c, p.earliest_ots_start(), p.day(-90));
  const CivilDate lifted = start_between(c, p.day(-50), p.day(-3));
  const CivilDate uhp_start = start_between(c, std::max(add_days(ots_start, 7), add_days(lifted, -120)), add_days(lifted, -25));
  const CivilDate placed = add_days(uhp_start, c.rng.between(0, 4));
  const CivilDate ots_end = grant_ots(p, c, ots_start);
  follow_up(p, c, ots_start, true, p.day(-1));
  incidents(p, c);
  gi_uhp(p, c, "UHP", uhp_start, ots_end);
  // Contact went on after the child came home: the last HELD one is recent.
  contacts_while_placed(p, c, kThird, placed, start_between(c, p.day(-12), p.day(-1)));
  placement(p, c, kThird, placed);
  p.add(kFourth, p.options().institutions.court, "court.lift",
        {text("case", c.id), date("date", lifted), text("measure", "UHP")}, c.id);
}

// An OTS ending in 3 weeks to 5 months, extended `times` times by 12 months each (the GI asks, the court
// grants, one wave later each). Without a plan or progress report, every request raises
// SIGNAL_EXTENSION_WITHOUT_REPORT; the third raises SIGNAL_THIRD_EXTENSION.
void extended(Planner& p, CaseSpec& c, int times) {
  const CivilDate start = start_between(c, add_days(add_months(p.options().today, -12), 20), p.day(-215));
  CivilDate end = grant_ots(p, c, start);
  const bool reported = c.rng.percent(60);
  follow_up(p, c, start, reported, p.day(-1));
  incidents(p, c);
  const std::array<std::pair<uint32_t, uint32_t>, 3> waves = {{{kFollowUp, kSecond}, {kThird, kFourth}, {kFifth, kSixth}}};
  for (int i = 0; i < times; ++i) {
    const std::string request = "r-ext-" + std::to_string(i + 1);
    gi_files(p, c, waves[i].first, request, "EXTEND_OTS");
    const CivilDate next_end = add_months(end, 12);
    decide(p, c, waves[i].second, request, end, next_end);
    end = next_end;
  }
}

void refused(Planner& p, CaseSpec& c) {
  file_request(p, c, kRequest, "r-ots", "OTS");
  p.add(kDecide, p.options().institutions.court, "court.decide",
        {text("case", c.id), text("request", "r-ots"), text("outcome", "REFUSED")}, c.id);
}

void pending(Planner& p, CaseSpec& c) {
  if (c.rng.percent(50)) file_request(p, c, kRequest, "r-vots", "VOTS");
}

// The latest end any measure of the case may reach: its majority date must not be before it.
CivilDate latest_end(const Planner& p, Profile profile) {
  switch (profile) {
    case Profile::kExtendedOnce: return add_months(p.options().today, 12 + 6);
    case Profile::kExtendedTwice: return add_months(p.options().today, 24 + 6);
    case Profile::kExtendedThrice: return add_months(p.options().today, 36 + 6);
    default: return add_months(p.options().today, 13);
  }
}

void open_case(Planner& p, CaseSpec& c) {
  const auto& inst = p.options().institutions;
  // A child of 0 to 17: majority within 18 years, after every measure's end.
  const CivilDate floor = latest_end(p, c.profile);
  c.majority = p.day(c.rng.between(200, 18 * 365));
  if (c.majority < floor) c.majority = add_days(floor, c.rng.between(30, 2000));
  std::vector<v1::Arg> args = {text("case", c.id), date("majority_date", c.majority), text("municipality", c.municipality)};
  if (c.rng.percent(3)) {  // opened by the court (a request of a parent or the OM reached it first)
    args.push_back(text("rvdk", inst.rvdk));
    p.add(kOpen, inst.court, "case.open", std::move(args), c.id);
  } else {
    p.add(kOpen, inst.rvdk, "case.open", std::move(args), c.id);
  }
  if (c.profile == Profile::kPending || c.rng.percent(55)) {
    p.add(kRequest, inst.rvdk, "investigation.start", {text("case", c.id)}, c.id);
  }
  if (c.profile != Profile::kPending && c.rng.percent(30)) {
    p.add(kRequest, inst.rvdk, "document.anchor", {text("case", c.id), p.document(c.id, "raadsrapport")}, c.id);
  }
}

void plan_case(Planner& p, CaseSpec& c) {
  open_case(p, c);
  switch (c.profile) {
    case Profile::kOtsRunning: return ots_running(p, c);
    case Profile::kOtsUnassigned: return ots_unassigned(p, c);
    case Profile::kVotsThenOts: return vots_then_ots(p, c);
    case Profile::kVotsRunning: return vots_running(p, c);
    case Profile::kOtsLifted: return ots_lifted(p, c);
    case Profile::kUhpNoContact: return uhp_no_contact(p, c);
    case Profile::kUhpPlaced: return uhp_placed(p, c);
    case Profile::kUhpEnded: return uhp_ended(p, c);
    case Profile::kExtendedOnce: return extended(p, c, 1);
    case Profile::kExtendedTwice: return extended(p, c, 2);
    case Profile::kExtendedThrice: return extended(p, c, 3);
    case Profile::kRefused: return refused(p, c);
    case Profile::kPending: return pending(p, c);
  }
}

// Professionals of each GI (wave 1): two with an expired SKJ registration (never assigned), two whose
// registration runs out within two months, the rest valid for years. One renews in wave 5.
std::vector<std::vector<std::string>> register_professionals(Planner& p, uint32_t cases) {
  const auto& gis = p.options().institutions.gis;
  const uint32_t per_gi = std::max<uint32_t>(6, cases / (12 * static_cast<uint32_t>(gis.size())) + 2);
  std::vector<std::vector<std::string>> assignable(gis.size());
  for (size_t g = 0; g < gis.size(); ++g) {
    Rng rng = stream(p.options().seed, kPurposeProfessionals, g);
    for (uint32_t i = 0; i < per_gi; ++i) {
      const std::string id = gis[g] + "-jb-" + (i < 9 ? "0" : "") + std::to_string(i + 1);
      int64_t valid;
      switch (i) {
        case 0: valid = -rng.between(20, 60); break;
        case 1: valid = -rng.between(150, 400); break;
        case 2: valid = rng.between(5, 20); break;
        case 3: valid = rng.between(21, 60); break;
        default: valid = rng.between(120, 1500); break;
      }
      p.add(kOpen, gis[g], "professional.register", {text("professional", id), date("skj_valid_until", p.day(valid))}, "");
      if (i >= 2) assignable[g].push_back(id);
      if (i == 2) {  // renewed
        p.add(kSecond, gis[g], "professional.register",
              {text("professional", id), date("skj_valid_until", add_years(p.options().today, 5))}, "");
      }
    }
  }
  return assignable;
}

Status check_options(const DemoOptions& o) {
  if (o.cases < 1 || o.first_case < 1 || uint64_t{o.first_case} + o.cases - 1 > kMaxDemoCases) {
    return make_error(ErrorCode::kInvalidArgument,
                      "cases: 1 or more, numbered from first_case (1 or more) up to " + std::to_string(kMaxDemoCases));
  }
  const auto& inst = o.institutions;
  if (inst.gis.empty() || inst.municipalities.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "at least one GI and one municipality");
  }
  if (!is_calendar_date(o.today) || o.today.year < 1901 || o.today.year > 9980) {
    return make_error(ErrorCode::kInvalidArgument, "today: a date in 1901..9980");
  }
  std::vector<std::string> ids = {inst.court, inst.rvdk};
  ids.insert(ids.end(), inst.gis.begin(), inst.gis.end());
  ids.insert(ids.end(), inst.municipalities.begin(), inst.municipalities.end());
  for (const auto& a : o.add) ids.push_back(a.id);
  for (const auto& s : o.governance_signers) ids.push_back(s);
  for (const std::string& id : ids) {
    // Professional ids are "<gi>-jb-NN": leave room for the suffix.
    if (!is_allowed_code(id) || id.size() > 56) {
      return make_error(ErrorCode::kInvalidArgument, "institution id '" + id + "': not a code of at most 56 characters");
    }
  }
  if (!o.add.empty() && o.governance_signers.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "institutions to add, but no governance signers");
  }
  return Status();
}

// Which municipality and GI a case goes through: most through the main municipality, and its cases
// mostly through the main GI, the other municipality's mostly through the second GI.
void place_case(const DemoInstitutions& inst, CaseSpec& c, bool main_municipality) {
  const size_t m = main_municipality || inst.municipalities.size() == 1
                       ? 0
                       : 1 + c.rng.next() % (inst.municipalities.size() - 1);
  c.municipality = inst.municipalities[m];
  size_t g = 0;
  if (inst.gis.size() > 1) {
    const bool own = c.rng.percent(68);
    const size_t other = 1 + c.rng.next() % (inst.gis.size() - 1);
    g = m == 0 ? (own ? 0 : other) : (own ? other : 0);
  }
  c.gi = inst.gis[g];
}

}  // namespace

std::string_view demo_wave_name(uint32_t wave) {
  switch (wave) {
    case kGovernance: return "governance";
    case kOpen: return "cases and professionals";
    case kRequest: return "requests";
    case kDecide: return "decisions";
    case kFollowUp: return "follow-up";
    case kSecond: return "second decisions";
    case kThird: return "placements";
    case kFourth: return "late placements, lifts";
    case kFifth: return "third extension requests";
    case kSixth: return "third extensions";
    default: return "?";
  }
}

Result<DemoPlan> plan_demo_cases(const DemoOptions& options) {
  Status ok = check_options(options);
  if (!ok.ok()) return ok.error();
  Planner p(options);
  // Each add needs more than 2/3 of the institutions registered before it. When the given signers are
  // too few for the next one, it waits a wave and the institutions added so far sign it too.
  std::vector<std::string> signers = options.governance_signers;
  std::vector<std::string> added;
  uint32_t wave = kGovernance;
  size_t registered = options.registered_before;
  for (const DemoNewInstitution& a : options.add) {
    if (registered > 0 && 3 * signers.size() <= 2 * registered && !added.empty()) {
      ++wave;
      signers.insert(signers.end(), added.begin(), added.end());
      added.clear();
    }
    p.add_governance(wave, signers, "institution.add",
                     {text("institution", a.id), text("role", a.role), hash("admin_key", a.admin_key.bytes())});
    added.push_back(a.id);
    if (registered > 0) ++registered;
  }
  const std::vector<std::vector<std::string>> professionals = register_professionals(p, options.cases);

  // Profiles by quota, shuffled over the case numbers.
  DemoPlan out;
  std::vector<Profile> slots;
  uint32_t counted = 0;
  for (const Quota& q : kQuotas) {
    uint32_t n = q.profile == Profile::kOtsRunning ? options.cases - counted
                                                   : (options.cases * q.per_mille + 500) / 1000;
    n = std::min(n, options.cases - counted);
    counted += n;
    slots.insert(slots.end(), n, q.profile);
    out.profiles.emplace_back(std::string(q.name), n);
  }
  JOET_ASSERT(slots.size() == options.cases);
  Rng shuffle = stream(options.seed, kPurposeProfiles, 0);
  for (size_t i = slots.size() - 1; i > 0; --i) std::swap(slots[i], slots[shuffle.next() % (i + 1)]);

  const uint32_t no_contact_cases = out.profiles[0].second;  // kQuotas[0]
  uint32_t no_contact_seen = 0;
  for (uint32_t i = 0; i < options.cases; ++i) {
    CaseSpec c;
    const std::string number = std::to_string(options.first_case + i);
    c.id = "c-" + std::to_string(options.today.year) + "-" + std::string(4 - std::min<size_t>(4, number.size()), '0') + number;
    c.profile = slots[i];
    c.rng = stream(options.seed, kPurposeCase, i);
    c.money = stream(options.seed, kPurposeMoney, i);
    // Ground categories as the seed's dashboard shows them: parenting skills most often, a second ground
    // in one case of four.
    const int64_t roll = c.money.between(0, 99);
    c.grounds.push_back(roll < 55 ? "GEBREKKIGE_OUDERLIJKE_VAARDIGHEDEN" : roll < 85 ? "ONGUNSTIGE_THUISSITUATIE"
                                                                                       : "ACUUT_ONTWIKKELINGSGEVAAR");
    if (c.money.percent(25)) {
      c.grounds.push_back(c.grounds[0] == "ONGUNSTIGE_THUISSITUATIE" ? "GEBREKKIGE_OUDERLIJKE_VAARDIGHEDEN"
                                                                      : "ONGUNSTIGE_THUISSITUATIE");
    }
    // The founders' ask: three in four of the no-contact cases are the main municipality's.
    bool main_municipality = c.rng.percent(62);
    if (c.profile == Profile::kUhpNoContact) main_municipality = 4 * no_contact_seen++ < 3 * no_contact_cases;
    place_case(options.institutions, c, main_municipality);
    const size_t g = static_cast<size_t>(std::find(options.institutions.gis.begin(), options.institutions.gis.end(), c.gi) -
                                         options.institutions.gis.begin());
    c.professionals = professionals[g];
    plan_case(p, c);
  }
  out.steps = p.take_steps();
  return out;
}

PrivateKey demo_admin_key(uint64_t seed, std::string_view institution) {
  for (uint32_t counter = 0;; ++counter) {
    Bytes message;
    put_u64_be(message, seed);
    message.insert(message.end(), institution.begin(), institution.end());
    put_u64_be(message, counter);
    const Hash32 secret = tagged_hash("joet/demo-admin-key", ByteView(message));
    auto key = PrivateKey::from_bytes(secret);
    if (key.ok()) return std::move(key).value();
  }
}

}  // namespace joet::sdk
