#include "contracts/quickscan.h"

#include <algorithm>
#include <climits>
#include <utility>

#include "contracts/amsterdam_time.h"
#include "contracts/civil_date.h"
#include "contracts/deadlines.h"
#include "contracts/measures.h"
#include "contracts/policy.h"
#include "contracts/privacy.h"
#include "contracts/rules.h"
#include "contracts/statistics.h"
#include "contracts/state.h"

namespace joet {
namespace {

namespace dk = deadline_kinds;

// Every record of type Msg under `prefix` (which ends in '/'), in key order.
template <typename Msg>
Status read_all(const KvStore& state, const Bytes& prefix, std::vector<Msg>& out) {
  Bytes end = prefix;
  end.back() = static_cast<uint8_t>(end.back() + 1);
  Status failed;
  Status scanned = state.scan(prefix, end, [&](ByteView key, ByteView value) {
    Msg m;
    if (!m.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      failed = make_error(ErrorCode::kCorruption, "contract state: " + to_string(key) + " does not parse");
      return false;
    }
    out.push_back(std::move(m));
    return true;
  });
  return scanned.ok() ? failed : scanned;
}

template <typename Msg>
Result<std::optional<Msg>> read_one(const KvStore& state, const Bytes& key) {
  Result<std::optional<Bytes>> raw = state.get(key);
  if (!raw.ok()) return raw.error();
  if (!raw->has_value()) return std::optional<Msg>();
  Msg m;
  if (!m.ParseFromArray((*raw)->data(), static_cast<int>((*raw)->size()))) {
    return make_error(ErrorCode::kCorruption, "contract state: " + to_string(key) + " does not parse");
  }
  return std::optional<Msg>(std::move(m));
}

int64_t day_of(int64_t utc_ms) { return days_from_civil(civil_date_of(utc_ms)); }
int64_t plus_months(int64_t day, int32_t months) { return days_from_civil(add_months(civil_from_days(day), months)); }

// The list under construction, with the day the state is read on.
class Checklist {
 public:
  explicit Checklist(int64_t today) : today_(today) {}

  void add(std::string check, std::string subject, std::string basis, CheckStatus status,
           std::optional<int64_t> day = std::nullopt, std::string detail = {}, uint64_t deadline_id = 0) {
    items_.push_back(QuickscanItem{std::move(check), std::move(subject), std::move(basis), status, day,
                                   deadline_id, std::move(detail)});
  }

  // A duty a deadline guards: done (MET on `done_day`; VIOLATED "LATE" when `late_known` says the
  // record keeps the day it was first done, and that day is not before `due_day`), else its deadline
  // still queued (PENDING, due on the deadline's day), else it fired (VIOLATED, due on `due_day` when
  // known).
  void duty(std::string check, std::string subject, std::string basis, bool done, std::optional<int64_t> done_day,
            const cv1::DeadlineRef* pending, std::optional<int64_t> due_day, std::string detail = {},
            bool late_known = false) {
    if (done && done_day && due_day && *done_day >= *due_day && late_known) {
      // Done, but on or after the day its deadline fired (due at 00:00 on that day).
      add(std::move(check), std::move(subject), std::move(basis), CheckStatus::kViolated, due_day, "LATE");
    } else if (done) {
      add(std::move(check), std::move(subject), std::move(basis), CheckStatus::kMet, done_day, std::move(detail));
    } else if (pending != nullptr && pending->id() != 0) {
      add(std::move(check), std::move(subject), std::move(basis), CheckStatus::kPending, day_of(pending->due_ms()),
          std::move(detail), pending->id());
    } else {
      add(std::move(check), std::move(subject), std::move(basis), CheckStatus::kViolated, due_day, std::move(detail));
    }
  }

  int64_t today() const { return today_; }
  std::vector<QuickscanItem> take() { return std::move(items_); }

 private:
  int64_t today_;
  std::vector<QuickscanItem> items_;
};

std::string_view grant_basis(cv1::MeasureKind kind) {
  switch (kind) {
    case cv1::VOTS: return "BW 1:257";
    case cv1::UHP: return "BW 1:265b lid 1";
    default: return "BW 1:255 lid 1";
  }
}

// What the record of a measure proves however it stands: the grounds of its grant and its term.
void grant_and_term(Checklist& list, const cv1::Measure& m, const Statute& statute) {
  const std::string subject(measure_name(m.kind()));
  if (m.grounds_size() > 0) {
    std::string grounds;
    for (const std::string& g : m.grounds()) grounds += (grounds.empty() ? "" : ",") + g;
    list.add("GROUNDS_STATED", subject, std::string(grant_basis(m.kind())), CheckStatus::kMet, m.decided_day(), grounds);
  } else {
    // Rules version 2 refuses a grant without grounds: this one was granted before they were recorded.
    list.add("GROUNDS_STATED", subject, std::string(grant_basis(m.kind())), CheckStatus::kNotApplicable,
             m.decided_day(), "NOT_RECORDED");
  }
  int32_t first = statute.ots_max_months;
  std::string basis = "BW 1:258 lid 1, 1:260 lid 1";
  if (m.kind() == cv1::VOTS) {
    first = statute.vots_max_months;
    basis = "BW 1:257";
  } else if (m.kind() == cv1::UHP) {
    first = statute.uhp_max_months;
    basis = "BW 1:265c lid 1";
  }
  // Each extension adds at most extension_max_months to the end it extends.
  const int64_t longest = plus_months(m.start_day(), first + static_cast<int32_t>(m.extensions()) * statute.extension_max_months);
  list.add("TERM_WITHIN_MAXIMUM", subject, basis, m.end_day() <= longest ? CheckStatus::kMet : CheckStatus::kViolated,
           m.end_day(), m.extensions() > 0 ? "EXTENSIONS_" + std::to_string(m.extensions()) : std::string());
}

void ots_duties(Checklist& list, const CaseRecords& r, const cv1::Measure& m, const Policy& policy) {
  const cv1::Case& c = r.record;
  const std::string subject(measure_name(m.kind()));
  const int64_t today = list.today();

  // A jeugdbeschermer with a valid SKJ registration, assigned within assign_days of the start.
  const std::string assign_basis = "Jeugdwet art. 3.4; beleidsnorm assign_days";
  if (!c.jeugdbeschermer().empty()) {
    const bool registered = r.jeugdbeschermer.has_value() && r.jeugdbeschermer->skj_valid_until_day() >= today;
    if (!registered) {
      list.add("JEUGDBESCHERMER_ASSIGNED", subject, assign_basis, CheckStatus::kViolated,
               r.jeugdbeschermer ? std::optional<int64_t>(r.jeugdbeschermer->skj_valid_until_day()) : std::nullopt,
               "SKJ_EXPIRED");
    } else {
      // first_assigned_day is 0 for a jeugdbeschermer assigned before the measure ran.
      list.duty("JEUGDBESCHERMER_ASSIGNED", subject, assign_basis, true,
                m.first_assigned_day() != 0 ? std::optional<int64_t>(m.first_assigned_day()) : std::nullopt, nullptr,
                m.start_day() + policy.assign_days, {}, true);
    }
  } else {
    list.duty("JEUGDBESCHERMER_ASSIGNED", subject, assign_basis, false, std::nullopt, find_timer(m.timers(), dk::kAssign),
              m.start_day() + policy.assign_days, "NOT_ASSIGNED");
  }

  if (m.plan_filed() && r.plan_missed) {
    list.add("PLAN_FILED", subject, "plan van aanpak; beleidsnorm plan_days", CheckStatus::kViolated,
             m.start_day() + policy.plan_days, "LATE");
  } else {
    list.duty("PLAN_FILED", subject, "plan van aanpak; beleidsnorm plan_days", m.plan_filed(),
              c.last_plan_ms() != 0 ? std::optional<int64_t>(day_of(c.last_plan_ms())) : std::nullopt, &m.plan(),
              m.start_day() + policy.plan_days);
  }

  // Quarter k runs [start + 3(k-1) months, start + 3k months); its D-PROGRESS is queued. The record
  // keeps the last gi.progress: one within quarter k meets it; else one within quarter k - 1 shows that
  // quarter was met (and k is pending); else quarter k - 1 was missed when its deadline fired.
  const uint32_t k = m.progress_quarter();
  if (k >= 1) {
    const std::string basis = "voortgang per kwartaal; beleidsnorm";
    const int64_t from = plus_months(m.start_day(), static_cast<int32_t>(3 * (k - 1)));
    const int64_t progress = c.last_progress_ms() != 0 ? day_of(c.last_progress_ms()) : INT64_MIN;
    const bool previous_met = k == 1 || plus_months(m.start_day(), static_cast<int32_t>(3 * (k - 2))) <= progress;
    if (progress >= from) {
      list.add("PROGRESS_EACH_QUARTER", subject, basis, CheckStatus::kMet, progress, "Q" + std::to_string(k));
    } else if (!previous_met) {
      list.add("PROGRESS_EACH_QUARTER", subject, basis, CheckStatus::kViolated, from, "Q" + std::to_string(k - 1));
    } else {
      list.duty("PROGRESS_EACH_QUARTER", subject, basis, false, std::nullopt, find_timer(m.timers(), dk::kProgress),
                plus_months(m.start_day(), static_cast<int32_t>(3 * k)), "Q" + std::to_string(k));
    }
  }

  if (m.kind() == cv1::OTS) {
    // Before the end: an extension asked for, or the RvdK told in good time that the GI will not.
    const bool asked = m.extension_requested();
    list.duty("EXTENSION_OR_NOTICE_IN_TIME", subject, "BW 1:260, 1:265j; beleidsnorm non_extension_notice_days",
              asked || m.non_extension_given(), std::nullopt, find_timer(m.timers(), dk::kNonExtension),
              m.end_day() - policy.non_extension_notice_days,
              asked ? "EXTENSION_REQUESTED" : (m.non_extension_given() ? "NON_EXTENSION_GIVEN" : ""));
  }

  // Contact with the parent: the court's arrangement (1:265g), else, for a placed child, the signal term.
  const std::string contact_basis = "BW 1:377a; IVRK art. 9 lid 3; EVRM art. 8";
  const std::optional<int64_t> last_contact = c.has_contact() ? std::optional<int64_t>(c.last_contact_day()) : std::nullopt;
  if (c.contact_interval_days() > 0) {
    const cv1::DeadlineRef* next = find_timer(m.timers(), dk::kContact);
    if (next != nullptr && c.has_contact()) {
      list.add("CONTACT_WITH_PARENT", subject, contact_basis, CheckStatus::kMet, last_contact,
               "INTERVAL_" + std::to_string(c.contact_interval_days()), next->id());
    } else {
      list.duty("CONTACT_WITH_PARENT", subject, contact_basis, false, std::nullopt, next,
                last_contact ? std::optional<int64_t>(*last_contact + c.contact_interval_days() + policy.contact_grace_days)
                             : std::nullopt,
                "INTERVAL_" + std::to_string(c.contact_interval_days()));
    }
  } else if (r.record.uhp().state() == cv1::ACTIVE && r.record.uhp().placed()) {
    const cv1::Measure& uhp = r.record.uhp();
    const cv1::DeadlineRef* signal = find_timer(uhp.timers(), dk::kNoContactSignal);
    const int64_t since = std::max(uhp.placed_day(), last_contact.value_or(0));
    list.add("CONTACT_WITH_PARENT", subject, contact_basis + "; beleidsnorm no_contact_signal_days",
             signal != nullptr ? CheckStatus::kMet : CheckStatus::kViolated,
             signal != nullptr ? last_contact : std::optional<int64_t>(since + policy.no_contact_signal_days),
             signal != nullptr ? "NO_ARRANGEMENT" : "NO_CONTACT", signal != nullptr ? signal->id() : 0);
  } else {
    list.add("CONTACT_WITH_PARENT", subject, contact_basis, CheckStatus::kNotApplicable, last_contact, "NO_ARRANGEMENT");
  }
}

void ended(Checklist& list, const cv1::Measure& m) {
  const std::string subject(measure_name(m.kind()));
  if (m.kind() == cv1::OTS && m.end_reason() == "LAPSED") {
    // It ran to its end date: fine when the GI had told the RvdK it would not ask; a lapse after an
    // extension was asked means the court did not decide before the end (no retroactive extension).
    const bool told = m.non_extension_given();
    list.add("EXTENSION_OR_NOTICE_IN_TIME", subject, "BW 1:260, 1:265j", told ? CheckStatus::kMet : CheckStatus::kViolated,
             m.end_day(), told ? "NON_EXTENSION_GIVEN" : (m.extension_requested() ? "EXTENSION_NOT_DECIDED" : "LAPSED_UNANNOUNCED"));
  }
  // The record keeps the end date the court set; an early end (lifted, not carried out, replaced) is
  // dated in the case's measure periods and events, not here.
  list.add("MEASURE_RUNNING", subject, std::string(grant_basis(m.kind())), CheckStatus::kNotApplicable,
           m.end_reason() == "LAPSED" ? std::optional<int64_t>(m.end_day()) : std::nullopt, "ENDED_" + m.end_reason());
}

void uhp_duties(Checklist& list, const CaseRecords& r, const cv1::Measure& uhp) {
  const cv1::Measure& ots = r.record.measure();
  const bool inside = ots.state() == cv1::ACTIVE && uhp.end_day() <= ots.end_day();
  list.add("UHP_WITHIN_OTS", "UHP", "BW 1:265b lid 1", inside ? CheckStatus::kMet : CheckStatus::kViolated, ots.end_day());
  if (uhp.spoed()) {
    list.duty("SPOED_HEARING_HELD", "UHP", "Rv 800 lid 3; beleidsnorm spoed_hearing_days", uhp.hearing_held(),
              std::nullopt, find_timer(uhp.timers(), dk::kSpoed), std::nullopt);
  }
}

void uhp_carried_out(Checklist& list, const cv1::Measure& uhp, const Statute& statute) {
  const std::string basis = "BW 1:265c lid 3";
  const int64_t limit = plus_months(uhp.decided_day(), statute.uhp_carry_out_months);
  if (uhp.placed()) {
    list.add("UHP_CARRIED_OUT", "UHP", basis, uhp.placed_day() < limit ? CheckStatus::kMet : CheckStatus::kViolated,
             uhp.placed_day());
  } else if (uhp.state() == cv1::ENDED) {
    list.add("UHP_CARRIED_OUT", "UHP", basis,
             uhp.end_reason() == "NOT_CARRIED_OUT" ? CheckStatus::kViolated : CheckStatus::kNotApplicable, limit,
             uhp.end_reason() == "NOT_CARRIED_OUT" ? "NOT_CARRIED_OUT" : "ENDED_" + uhp.end_reason());
  } else {
    list.duty("UHP_CARRIED_OUT", "UHP", basis, false, std::nullopt, find_timer(uhp.timers(), dk::kUhp3m), limit);
  }
}

}  // namespace

bool is_case_reading_key(const cv1::Case& record, ByteView key, const std::string* value) {
  const std::string_view k(reinterpret_cast<const char*>(key.data()), key.size());
  const std::string& id = record.id();
  if (k.substr(0, 5) == "c/ev/") {
    cv1::Event e;
    return value != nullptr && e.ParseFromString(*value) && e.case_id() == id &&
           to_string(key) == to_string(state_keys::event(e.recipient(), e.seq()));
  }
  for (const Bytes& prefix : {state_keys::request(id, ""), state_keys::aanwijzing(id, ""), state_keys::complaint(id, ""),
                              state_keys::escalation(id, "")}) {
    const std::string_view p(reinterpret_cast<const char*>(prefix.data()), prefix.size());
    // An id as the contracts accept ids: letters, digits and . _ : - (no '/', no other bytes).
    if (k.size() > p.size() && k.substr(0, p.size()) == p && is_code_charset(k.substr(p.size()))) return true;
  }
  if (to_string(key) == to_string(state_keys::policy()) || to_string(key) == to_string(state_keys::rules_schedule())) return true;
  if (!record.gi().empty() && !record.jeugdbeschermer().empty() &&
      to_string(key) == to_string(state_keys::professional(record.gi(), record.jeugdbeschermer()))) {
    return true;
  }
  // c/statcase/<yyyymm>/PLAN_MISSED/<gi>/<case>
  const std::string_view stat = "c/statcase/";
  const std::string suffix = "/PLAN_MISSED/" + record.gi() + "/" + id;
  return !record.gi().empty() && k.size() == stat.size() + 6 + suffix.size() && k.substr(0, stat.size()) == stat &&
         k.substr(stat.size() + 6) == suffix;
}

std::string_view check_status_name(CheckStatus status) {
  switch (status) {
    case CheckStatus::kMet: return "MET";
    case CheckStatus::kViolated: return "VIOLATED";
    case CheckStatus::kPending: return "PENDING";
    case CheckStatus::kNotApplicable: return "NOT_APPLICABLE";
  }
  return "NOT_APPLICABLE";
}

Result<std::optional<CaseRecords>> read_case_records(const KvStore& state, std::string_view case_id,
                                                     const Policy& policy) {
  Result<std::optional<cv1::Case>> c = read_one<cv1::Case>(state, state_keys::case_record(case_id));
  if (!c.ok()) return c.error();
  if (!c->has_value()) return std::optional<CaseRecords>();
  CaseRecords out;
  out.record = std::move(**c);
  for (Status s : {read_all(state, state_keys::request(case_id, ""), out.requests),
                   read_all(state, state_keys::aanwijzing(case_id, ""), out.aanwijzingen),
                   read_all(state, state_keys::complaint(case_id, ""), out.complaints),
                   read_all(state, state_keys::escalation(case_id, ""), out.escalations)}) {
    if (!s.ok()) return s.error();
  }
  if (!out.record.jeugdbeschermer().empty()) {
    Result<std::optional<cv1::Professional>> p =
        read_one<cv1::Professional>(state, state_keys::professional(out.record.gi(), out.record.jeugdbeschermer()));
    if (!p.ok()) return p.error();
    out.jeugdbeschermer = std::move(*p);
  }
  const cv1::Measure& m = out.record.measure();
  if (m.kind() != cv1::MEASURE_KIND_UNSPECIFIED && !out.record.gi().empty()) {
    const CivilDate due = civil_from_days(m.start_day() + policy.plan_days);
    Result<std::optional<Bytes>> fact =
        state.get(state_keys::stat_case(month_code(due), "PLAN_MISSED", out.record.gi(), case_id));
    if (!fact.ok()) return fact.error();
    out.plan_missed = fact->has_value();
  }
  return std::optional<CaseRecords>(std::move(out));
}

std::vector<QuickscanItem> quickscan(const CaseRecords& r, const Policy& policy, const Statute& statute, int64_t at_ms) {
  Checklist list(day_of(at_ms));
  const cv1::Case& c = r.record;
  if (c.measure().kind() != cv1::MEASURE_KIND_UNSPECIFIED) {
    const cv1::Measure& m = c.measure();
    grant_and_term(list, m, statute);
    if (m.state() == cv1::ACTIVE) {
      ots_duties(list, r, m, policy);
    } else {
      ended(list, m);
    }
  }
  if (c.uhp().kind() == cv1::UHP) {
    const cv1::Measure& uhp = c.uhp();
    grant_and_term(list, uhp, statute);
    uhp_carried_out(list, uhp, statute);
    if (uhp.state() == cv1::ACTIVE) {
      uhp_duties(list, r, uhp);
    } else {
      ended(list, uhp);
    }
  }
  for (const cv1::Request& q : r.requests) {
    // A UHP asked by the RvdK needs the municipality's collegebesluit (1:265b lid 2).
    if ((q.kind() != "UHP" && q.kind() != "SPOED_UHP") || q.filed_by() != c.rvdk() || !q.filed_for().empty()) continue;
    const bool attached = !q.collegebesluit().empty();
    list.add("COLLEGEBESLUIT_WITH_UHP_REQUEST", "request " + q.id(), "BW 1:265b lid 2",
             attached ? CheckStatus::kMet : (q.state() == cv1::PENDING ? CheckStatus::kPending : CheckStatus::kViolated),
             std::nullopt, attached ? q.collegebesluit_by() : std::string());
  }
  for (const cv1::Aanwijzing& a : r.aanwijzingen) {
    const std::string subject = "aanwijzing " + a.id();
    // The addressee may ask the court to annul it until objection_last_day (1:264, Atw).
    // Dated like every due date here: the first day that is too late (objection_last_day is the last
    // day to ask).
    if (list.today() <= a.objection_last_day()) {
      list.add("AANWIJZING_OBJECTION_WINDOW", subject, "BW 1:263, 1:264; Atw", CheckStatus::kPending,
               a.objection_last_day() + 1, "OPEN");
    } else {
      list.add("AANWIJZING_OBJECTION_WINDOW", subject, "BW 1:263, 1:264; Atw", CheckStatus::kMet,
               a.objection_last_day() + 1, a.review().empty() ? "CLOSED" : "REVIEWED_" + a.review());
    }
    if (a.kind() == "CONTACT_LIMIT") {
      list.duty("CONTACT_LIMIT_REVIEWED", subject, "BW 1:265f; beleidsnorm contact_limit_review_days",
                !a.review().empty(), a.reviewed_day(), &a.review_due(),
                a.issued_day() + policy.contact_limit_review_days, a.review(), true);
    }
  }
  // A complaint's and an escalation's records keep no day of the decision or answer: one given late
  // shows here as MET, and its miss as the case's COMPLAINT_DECISION_MISSED / ESCALATION_UNANSWERED event.
  for (const cv1::Complaint& k : r.complaints) {
    list.duty("COMPLAINT_DECIDED", "complaint " + k.id(),
              "klachtregeling; beleidsnorm complaint_decision_days", !k.outcome().empty(), std::nullopt, &k.decide(),
              k.filed_day() + policy.complaint_decision_days + (k.postponed() ? policy.complaint_postpone_days : 0),
              k.outcome());
  }
  for (const cv1::Escalation& e : r.escalations) {
    list.duty("ESCALATION_ANSWERED", "escalation " + e.id(), "beleidsnorm escalation_days", e.answered(),
              std::nullopt, &e.answer(), std::nullopt, e.addressee());
  }
  return list.take();
}

Result<std::optional<CaseReading>> read_case(const KvStore& state, std::string_view case_id, uint64_t height) {
  ContractState contract_state(state);
  Result<Policy> policy = load_policy(contract_state, Policy{});
  if (!policy.ok()) return policy.error();
  Result<std::optional<CaseRecords>> records = read_case_records(state, case_id, *policy);
  if (!records.ok()) return records.error();
  if (!records->has_value()) return std::optional<CaseReading>();
  Result<uint32_t> version = rules_version_at(state, std::max<uint64_t>(height, 1));
  if (!version.ok()) return version.error();
  const Statute* statute = find_rules(built_in_rules(), *version);
  if (statute == nullptr) {
    return make_error(ErrorCode::kUnsupported, "rules version " + std::to_string(*version) + " is not in this build");
  }
  return std::optional<CaseReading>(CaseReading{std::move(**records), std::move(policy).value(), statute});
}

}  // namespace joet
