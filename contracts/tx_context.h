// What an action handler sees: the state, the policy parameters, the block, the tx and its signer.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "contracts/civil_date.h"
#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_args.h"
#include "ledger/bytes.h"

namespace joet {

// Policy parameters (DOMAIN.md: sector norms). Set at genesis (c/meta/policy, contracts/policy.h),
// changed by `policy.set`; the defaults below are DOMAIN.md's (several marked "confirm" there).
struct Policy {
  int32_t plan_days = 42;                  // D-PLAN: gi.plan within this many days of the measure start
  int32_t extension_filing_days = 14;      // D-EXTEND: extension request filed by end - this many days
  int32_t assign_days = 5;                 // D-ASSIGN: jeugdbeschermer assigned by start + this many days
  int32_t spoed_hearing_days = 14;         // D-SPOED: hearing within this many days (Atw) of a spoed UHP
  int32_t non_extension_notice_days = 61;  // D-NONEXT: extension asked or gi.non_extension by end - this
  int32_t contact_grace_days = 7;          // D-CONTACT: a HELD contact within interval + this (confirm)
  int32_t no_contact_signal_days = 14;     // S-NOCONTACT: a placed child without HELD contact this long
  int32_t escalation_days = 14;            // D-ESCAL: an escalation answered within this (confirm)
  int32_t complaint_decision_days = 42;    // D-COMPLAINT: a complaint decided within 6 weeks (confirm)
  int32_t complaint_postpone_days = 28;    // D-COMPLAINT: + 4 weeks once postponed (confirm)
  int32_t contact_limit_review_days = 42;  // S-CONTACTLIMIT: a court review of a contact limitation (confirm)
  std::vector<CivilDate> extra_holidays;   // Atw art. 3 lid 3, strictly ascending

  friend bool operator==(const Policy&, const Policy&) = default;
};

// The statute terms of one rules version (contracts/rules.h; DOMAIN.md: "statute" rules). Only
// contracts/rules.cc defines versions; every term a rule of law fixes is read from here.
struct Statute {
  uint32_t version = 0;
  int32_t ots_max_months = 12;            // 1:258 lid 1: an OTS runs at most 1 year
  int32_t vots_max_months = 3;            // 1:257: a voorlopige OTS at most 3 months
  int32_t uhp_max_months = 12;            // 1:265c: a UHP at most 1 year
  int32_t extension_max_months = 12;      // 1:260 lid 1, 1:265c: each extension at most 1 year
  int32_t uhp_carry_out_months = 3;       // 1:265c lid 3: a UHP not carried out in 3 months lapses
  int32_t aanwijzing_objection_days = 14; // 1:264: ask the court to annul an aanwijzing (Atw)
  int32_t appeal_months = 3;              // Rv 806 lid 1: hoger beroep (Atw)
  // Checks and records that are not terms (docs/decisions/0016-rules-version-2.md). Each is false in
  // version 1, which ran without it, and stays so there: old blocks re-execute as they ran.
  bool refuse_embedded_bsn = false;       // DOMAIN.md Privacy: a 9-digit elfproef run anywhere in a code
  bool fire_deadlines_in_cascade = false; // a deadline queued while deadlines fire fires in the same block if due
  bool grants_state_grounds = false;      // court.decide GRANTED names the ground categories (1:255)
  bool records_costs = false;             // cost.project / cost.invoice by the municipality
  bool signals_unassigned_to_municipality = false;  // a missed D-ASSIGN also counts as the municipality's signal
  // Not read by any contract: the block's header commits the txs' results (results_root, decision 0017),
  // so from this version every refusal code and message is part of consensus.
  bool commits_results = false;

  friend bool operator==(const Statute&, const Statute&) = default;
};

// The institution a tx's first signature speaks for.
struct Signer {
  std::string institution;
  cv1::Role role = cv1::ROLE_UNSPECIFIED;
};

struct TxContext {
  ContractState& state;
  const Policy& policy;
  const Statute& statute;  // the rules version in force at `height`
  uint64_t height = 0;
  int64_t block_time_ms = 0;
  Hash32 tx_id{};
  Signer signer;
  const TxArgs& args;
  Hash32 signer_key{};  // the public key of the tx's first signature
};

// NOT_AUTHORIZED unless the signer's role is one of `roles`.
Outcome require_role(const TxContext& ctx, std::initializer_list<cv1::Role> roles);

}  // namespace joet
