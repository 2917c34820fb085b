// The last audit result on the inspectorate's chain health (docs/inzicht.md "Chain health"): what
// `joet-audit --json` printed the last time the operator ran it (e.g. nightly, into the file the config
// names as "audit_report"), summarized. joet-inzicht never audits itself: the audit re-executes the
// whole chain from genesis offline, and its result is the inspectorate's own, not the node's word.
// Pure: the caller reads the file and its modification time.
#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

namespace joet::inzicht {

// {"heights", "txs", "rules_version", "tip_hash", "state_root", "finding": null | {"height", "code",
// "message"}, "ok": finding is null, "written_ms"} from joet-audit's JSON line; {"error": "..."} for a
// text that is not one (a run that was interrupted or failed writes no JSON, so say that, not "OK").
nlohmann::json summarize_audit_report(std::string_view text, int64_t written_ms);

}  // namespace joet::inzicht
