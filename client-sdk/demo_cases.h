// Synthetic demo cases for a running network (joet-demo-cases, client-sdk/demo_cases_main.cc): a few
// hundred pseudonymous cases put through the contracts so that every table of the stuurinformatie
// (docs/contracts.md "Stuurinformatie") has cells of 5 or more cases over the last 12 months.
//
// Pure: the plan is a function of the options (seed, number of cases, "today", institution ids); no
// clock, no keys, no network. The tool signs and submits it; demo_cases_test.cc runs it on the
// contracts' in-memory chain.
//
// A network's block time is the real clock, so history cannot be fast-forwarded: it is built by
// back-dating, as the contracts allow. court.decide grants measures that started months ago (their
// deadlines already past fire missed in the next block), contact.record and gi.placement take past
// dates within the measure, court.lift ends measures on a past date. What cannot be back-dated stays
// in the present or the future: a measure cannot lapse (a grant must end after the decision date),
// complaint and escalation terms run from today, and D-PROGRESS quarters that are past fire in the
// blocks right after the grant, so the contacts recorded later count for the current quarter
// (SIGNAL_CONTACTS_CANCELLED fires when that quarter ends).
//
// Waves: a wave depends only on the earlier waves being committed. Its steps may share a block in any
// order or spread over several blocks, with deadlines firing between them; the one order that counts
// is a signer's own, which the tool keeps (nonce order): a GI's contacts of a placed child come before
// the gi.placement, so no S-NOCONTACT falls due between them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/civil_date.h"
#include "joet.pb.h"
#include "ledger/keys.h"
#include "ledger/status.h"

namespace joet::sdk {

// The institutions the cases go through. municipalities[0] is the main one: it gets most cases and the
// founders' first ask (at least 10 cases whose child had no HELD contact for 14 days after a UHP
// was carried out, NO_CONTACT_SIGNAL in the current month). gis[0] is the main GI.
struct DemoInstitutions {
  std::string court = "rb-amsterdam";
  std::string rvdk = "rvdk";
  std::vector<std::string> municipalities = {"gem-amsterdam", "gem-utrecht"};
  std::vector<std::string> gis = {"gi-jbra", "gi-wsg"};
};

// An institution admitted by governance in wave 0, or 1 when the quorum asks (institution.add): its id, role (COURT, RVDK,
// MUNICIPALITY, GI or AUDITOR) and admin key, which signs its steps afterwards.
struct DemoNewInstitution {
  std::string id;
  std::string role;
  PublicKey admin_key;
};

struct DemoOptions {
  uint64_t seed = 1;
  uint32_t cases = 300;      // 1 .. kMaxDemoCases
  uint32_t first_case = 1;   // case ids c-YYYY-<first_case> ..: another run on the same chain needs new ids
  CivilDate today;       // the civil date (Europe/Amsterdam) of the chain's tip
  DemoInstitutions institutions;
  // Admitted in wave 0, before any case step (an add the quorum holds back: wave 1, so put the
  // institutions cases go through first). May name ids of `institutions` (that is the point).
  std::vector<DemoNewInstitution> add;
  // Who signs the governance txs: registered institutions, more than 2/3 of them (each add counts
  // the institutions registered before it); the first carries the nonce.
  std::vector<std::string> governance_signers;
  // How many institutions are registered before wave 0 (0: unknown). With it, an add the signers above
  // are too few for goes in the next wave, signed by the institutions added before it as well (so a
  // third institution can join a network of four).
  size_t registered_before = 0;
};

inline constexpr uint32_t kMaxDemoCases = 9999;  // case ids c-YYYY-0001 .. c-YYYY-9999 (YYYY: today's year)

struct DemoStep {
  // Institution ids: one for an ordinary action; for a governance action every signer, the first
  // carrying the nonce.
  std::vector<std::string> signers;
  std::string action;         // the contracts' vocabulary (docs/contracts.md)
  std::vector<v1::Arg> args;  // any order (the tx builder sorts them)
  uint32_t wave = 0;
  std::string case_id;        // "" for steps of no case
};

// Wave numbers and what they hold.
inline constexpr uint32_t kDemoWaves = 10;
// "governance", "open", "request", "decide", ... for progress lines.
std::string_view demo_wave_name(uint32_t wave);

struct DemoPlan {
  std::vector<DemoStep> steps;  // ascending by wave; within a wave in a fixed order
  uint32_t waves = kDemoWaves;
  // Cases per profile, for the tool's summary: {"ots_running", 90}, ...
  std::vector<std::pair<std::string, uint32_t>> profiles;
};

// kInvalidArgument for cases numbered outside 1..kMaxDemoCases, no GI or no municipality, a today outside
// 1901..9980, or ids that are not codes.
Result<DemoPlan> plan_demo_cases(const DemoOptions& options);

// The admin key of an institution the demo adds: deterministic from the seed and the id (a demo key,
// written to a key file so that a dashboard can sign for the institution; never a production key).
PrivateKey demo_admin_key(uint64_t seed, std::string_view institution);

}  // namespace joet::sdk
