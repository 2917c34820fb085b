#include "node/rpc/access_policy.h"

#include <algorithm>

namespace joet::rpc {

namespace {

namespace cv1 = contracts::v1;

constexpr RouteScope kScopes[] = {
    {"GET", "/v1/status", ReadScope::kOpen},
    {"GET", "/v1/openapi.json", ReadScope::kOpen},
    {"GET", "/metrics", ReadScope::kOpen},
    {"POST", "/v1/txs", ReadScope::kOpen},
    {"GET", "/v1/txs/{tx_id}", ReadScope::kAnyMember},
    {"GET", "/v1/txs/{tx_id}/proof", ReadScope::kAnyMember},
    {"GET", "/v1/blocks/{height}", ReadScope::kAnyMember},
    {"GET", "/v1/blocks/{height}/raw", ReadScope::kAnyMember},
    {"GET", "/v1/headers/{height}", ReadScope::kAnyMember},
    {"GET", "/v1/validators/{height}", ReadScope::kAnyMember},
    {"GET", "/v1/keys/{public_key}/nonce", ReadScope::kAnyMember},
    {"GET", "/v1/events", ReadScope::kRecipient},
    {"GET", "/v1/events/proof", ReadScope::kRecipient},
    {"GET", "/v1/cases/{case_id}", ReadScope::kCaseParty},
    {"GET", "/v1/state/{key_hex}", ReadScope::kAuditor},
    {"GET", "/v1/stuurinformatie", ReadScope::kAnyMember},
    {"GET", "/v1/stuurinformatie/cases", ReadScope::kRecipient},
    {"GET", "/v1/deadlines", ReadScope::kRecipient},
    {"GET", "/v1/cases/{case_id}/timeline", ReadScope::kCaseParty},
    {"GET", "/v1/cases/{case_id}/quickscan", ReadScope::kCaseParty},
    {"GET", "/v1/cases/{case_id}/explanation", ReadScope::kCaseParty},
    {"GET", "/v1/cases/{case_id}/state/{key_hex}", ReadScope::kCaseParty},
    {"GET", "/v1/caseload", ReadScope::kRecipient},
    {"GET", "/v1/requests/pending", ReadScope::kRecipient},
};

Authorization unauthenticated(std::string message) {
  return {Authorization::Verdict::kUnauthenticated, std::move(message)};
}
Authorization forbidden(std::string message) { return {Authorization::Verdict::kForbidden, std::move(message)}; }

// The path segment that `route`'s "{name}" segment matched in `target` (as sent, not decoded).
std::optional<std::string_view> path_param(std::string_view route, std::string_view target, std::string_view name) {
  const std::string_view path = target.substr(0, target.find('?'));
  size_t r = 0;
  size_t p = 0;
  while (r <= route.size() && p <= path.size()) {
    const size_t r_end = std::min(route.find('/', r), route.size());
    const size_t p_end = std::min(path.find('/', p), path.size());
    const std::string_view want = route.substr(r, r_end - r);
    if (want.size() == name.size() + 2 && want.front() == '{' && want.substr(1, name.size()) == name) {
      return path.substr(p, p_end - p);
    }
    r = r_end + 1;
    p = p_end + 1;
  }
  return std::nullopt;
}

std::string describe(const Reader& reader) {
  return "institution " + reader.institution + " (" + cv1::Role_Name(reader.role) + ")";
}

}  // namespace

std::string_view read_scope_name(ReadScope scope) {
  switch (scope) {
    case ReadScope::kOpen: return "open";
    case ReadScope::kAnyMember: return "any member";
    case ReadScope::kRecipient: return "recipient or auditor";
    case ReadScope::kCaseParty: return "case party or auditor";
    case ReadScope::kAuditor: return "auditor";
  }
  return "auditor";
}

std::span<const RouteScope> route_scopes() { return kScopes; }

ReadScope read_scope(std::string_view method, std::string_view route) {
  for (const RouteScope& s : kScopes) {
    if (s.method == method && s.route == route) return s.scope;
  }
  return ReadScope::kAuditor;
}

Authorization decide_access(const RequestMeta& meta, const AccessContext& context, AccessRegistry& registry) {
  // HEAD reads what GET reads (its answer is GET's headers): the same scope; a signed HEAD signs "HEAD".
  const ReadScope scope = read_scope(meta.method == "HEAD" ? "GET" : meta.method, meta.route);
  if (scope == ReadScope::kOpen) return Authorization::allow();

  const RequestAuthentication auth = check_signed_request(meta.headers, context.chain_id, meta.method, meta.target,
                                                          meta.body, context.now_ms, context.auth);
  if (!auth.ok()) {
    return unauthenticated(std::string(request_auth_fault_name(auth.fault)) + ": " + auth.message);
  }
  JOET_ASSERT(auth.key.has_value());
  Result<std::optional<Reader>> found = registry.reader(*auth.key);
  if (!found.ok()) return forbidden("the registry could not be read: " + found.error().to_string());
  if (!found->has_value()) {
    return forbidden("key " + auth.key->hex() + " is not a registered member key");
  }
  const Reader& reader = **found;
  const bool auditor = reader.role == cv1::AUDITOR;

  switch (scope) {
    case ReadScope::kOpen:
    case ReadScope::kAnyMember:
      return Authorization::allow();
    case ReadScope::kRecipient:
      if (auditor || (!meta.recipient.empty() && meta.recipient == reader.institution)) return Authorization::allow();
      return forbidden(describe(reader) + " may not read " + meta.route + " for '" + meta.recipient +
                       "': only for itself and, for auditors, for everyone");
    case ReadScope::kCaseParty: {
      if (auditor) return Authorization::allow();
      const std::optional<std::string_view> case_id = path_param(meta.route, meta.target, "case_id");
      if (!case_id || case_id->empty()) return forbidden("no case id in the request");
      Result<std::optional<cv1::Case>> c = registry.find_case(*case_id);
      if (!c.ok()) return forbidden("the case could not be read: " + c.error().to_string());
      if (c->has_value()) {
        const std::vector<std::string> parties = case_parties(**c);
        if (std::find(parties.begin(), parties.end(), reader.institution) != parties.end()) {
          return Authorization::allow();
        }
      }
      // The same answer for a case that does not exist: a member learns nothing of other cases.
      return forbidden(describe(reader) + " is not involved in case '" + std::string(*case_id) +
                       "' (only its parties and auditors may read it)");
    }
    case ReadScope::kAuditor:
      if (auditor) return Authorization::allow();
      return forbidden(describe(reader) + " may not read " + meta.method + " " + meta.route +
                       ": auditors only");
  }
  return forbidden("unknown scope");
}

}  // namespace joet::rpc
