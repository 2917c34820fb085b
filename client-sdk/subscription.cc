#include "client-sdk/subscription.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "node/home/file_io.h"

namespace joet::sdk {

using json = nlohmann::json;

namespace {

std::string events_target(const std::string& recipient, uint64_t after, uint32_t limit, uint32_t wait_ms) {
  // recipient: institution ids are codes ([A-Za-z0-9._:-]); anything else is percent-encoded.
  std::string r;
  for (unsigned char c : recipient) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '.' || c == '_';
    if (plain) {
      r.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      r += '%';
      r += kHex[c >> 4];
      r += kHex[c & 15];
    }
  }
  return "/v1/events?recipient=" + r + "&after=" + std::to_string(after) + "&limit=" + std::to_string(limit) +
         "&wait_ms=" + std::to_string(wait_ms);
}

}  // namespace

Result<std::vector<Event>> parse_event_page(std::string_view body, std::string_view recipient, uint64_t after) {
  const json page = json::parse(body, nullptr, false);
  if (page.is_discarded() || !page.is_object() || !page.contains("events") || !page["events"].is_array() ||
      !page.contains("next") || !page["next"].is_number_unsigned()) {
    return make_error(ErrorCode::kMalformed, "an events page must be {\"events\": [...], \"next\": N}");
  }
  std::vector<Event> out;
  uint64_t expect = after + 1;
  for (const json& e : page["events"]) {
    if (!e.is_object() || !e.contains("seq") || !e["seq"].is_number_unsigned() || !e.contains("recipient") ||
        !e["recipient"].is_string() || !e.contains("kind") || !e["kind"].is_string()) {
      return make_error(ErrorCode::kMalformed, "an event needs recipient, seq and kind");
    }
    Event ev;
    ev.recipient = e["recipient"].get<std::string>();
    ev.seq = e["seq"].get<uint64_t>();
    ev.kind = e["kind"].get<std::string>();
    if (e.contains("height") && e["height"].is_number_unsigned()) ev.height = e["height"].get<uint64_t>();
    if (e.contains("case_id") && e["case_id"].is_string()) ev.case_id = e["case_id"].get<std::string>();
    ev.fields = e;
    if (ev.recipient != recipient) {
      return make_error(ErrorCode::kCorruption, "the node sent an event for " + ev.recipient + ", not " + std::string(recipient));
    }
    if (ev.seq != expect) {
      return make_error(ErrorCode::kCorruption, "event seq " + std::to_string(ev.seq) + " where " + std::to_string(expect) +
                                                    " was due: the node skipped or repeated events");
    }
    ++expect;
    out.push_back(std::move(ev));
  }
  if (page["next"].get<uint64_t>() != expect - 1) {
    return make_error(ErrorCode::kCorruption, "next is " + std::to_string(page["next"].get<uint64_t>()) +
                                                  ", but the page ends at seq " + std::to_string(expect - 1));
  }
  return out;
}

Subscription::Subscription(SubscriptionConfig config, uint64_t cursor) : config_(std::move(config)), cursor_(cursor) {
  JOET_ASSERT(!config_.rpc.empty());
  JOET_ASSERT(config_.limit >= 1 && config_.limit <= 1000);
}

Result<size_t> Subscription::poll_once(const EventHandler& handler, const CursorSaver& save_cursor) {
  retryable_ = false;
  const std::string target = events_target(config_.recipient, cursor_, config_.limit, config_.wait_ms);
  auto response = http_request(config_.rpc[node_], "GET", target, "", uint64_t{config_.wait_ms} + 10'000, config_.signer);
  if (!response.ok()) {
    retryable_ = true;
    node_ = (node_ + 1) % config_.rpc.size();  // the cursor is the same on every node
    ++failures_;
    return response.error();
  }
  if (response->status != 200) {
    std::string detail = response->body;
    const json j = json::parse(response->body, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_object()) {
      detail = j["error"].value("code", "") + ": " + j["error"].value("message", "");
    }
    const std::string what = config_.rpc[node_] + " answered " + std::to_string(response->status) + " " + detail;
    if (response->status >= 500) {
      retryable_ = true;
      node_ = (node_ + 1) % config_.rpc.size();
      ++failures_;
      return make_error(ErrorCode::kIoError, what);
    }
    return make_error(ErrorCode::kInvalidArgument, what);
  }
  auto events = parse_event_page(response->body, config_.recipient, cursor_);
  if (!events.ok()) return events.error();
  failures_ = 0;
  size_t handled = 0;
  for (const Event& e : *events) {
    if (Status s = handler(e); !s.ok()) {
      // What was handled before it is kept: save up to there so it is not delivered again.
      if (handled > 0 && save_cursor) (void)save_cursor(cursor_);
      return s.error();
    }
    cursor_ = e.seq;
    ++handled;
  }
  if (handled > 0 && save_cursor) {
    if (Status s = save_cursor(cursor_); !s.ok()) return s.error();
  }
  return handled;
}

Status Subscription::run(const EventHandler& handler, const CursorSaver& save_cursor,
                         const std::function<bool()>& keep_going, const std::function<void(uint64_t ms)>& sleep_ms) {
  while (keep_going()) {
    auto r = poll_once(handler, save_cursor);
    if (r.ok()) continue;
    if (!retryable_) return r.error();
    sleep_ms(backoff_ms());
  }
  return Status();
}

uint64_t Subscription::backoff_ms() const {
  const uint64_t shift = std::min<uint64_t>(failures_ == 0 ? 0 : failures_ - 1, 16);
  return std::min(config_.retry_max_ms, config_.retry_min_ms << shift);
}

Result<uint64_t> load_cursor(const std::string& path) {
  auto file = home::read_file_limited(path, 64);
  if (!file.ok()) {
    if (file.error.kind == home::HomeErrorKind::kNotFound) return uint64_t{0};
    return make_error(file.error.kind == home::HomeErrorKind::kIo ? ErrorCode::kIoError : ErrorCode::kMalformed,
                      file.error.to_string());
  }
  std::string text = file.value->text;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return make_error(ErrorCode::kMalformed, "cursor file " + path + ": not a decimal event number");
  }
  return value;
}

Status save_cursor(const std::string& path, uint64_t cursor) {
  auto written = home::write_file_atomic(path, std::to_string(cursor) + "\n", 0600, home::Replace::kYes);
  if (!written.ok()) return make_error(ErrorCode::kIoError, written.error.to_string());
  return Status();
}

}  // namespace joet::sdk
