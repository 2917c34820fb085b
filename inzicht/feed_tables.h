// The Power BI feed's tables: one stuurinformatie table (as the node answers GET /v1/stuurinformatie)
// as CSV or as a JSON array of rows. Aggregates only: the node's cells carry no case ids. A suppressed
// cell keeps its row (month, kind, institution) with `suppressed` true and empty numbers, so a report
// shows that there was something, without how much. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace joet::inzicht {

// The nine tables: running, ended, extensions, missed_deadlines, signals, complaints, assignment,
// grounds and costs.
bool is_feed_table(std::string_view table);

// CSV (RFC 4180, CRLF line ends, a header row): month,kind,institution,cases,suppressed, and for ended
// and assignment also measures,mean_days,median_days, for costs also cents (integer euro cents). nullopt when the report lacks the table.
std::optional<std::string> table_csv(const nlohmann::json& report, std::string_view table);
// The same rows as a JSON array of objects with those columns (null for a suppressed number).
std::optional<nlohmann::json> table_rows(const nlohmann::json& report, std::string_view table);

}  // namespace joet::inzicht
