#include "client-sdk/light_client_rpc.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "contracts/state.h"
#include "ledger/codec.h"
#include "node/home/file_io.h"
#include "node/home/genesis.h"

namespace joet::sdk {

namespace {

using json = nlohmann::json;

constexpr size_t kMaxTrustFileBytes = 1 << 20;

Verified<json> fetch_json(const RpcGet& get, const std::string& target) {
  Result<HttpResponse> answer = get(target);
  if (!answer.ok()) return light_error(LightFault::kUnavailable, answer.error().to_string());
  const json body = json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
  if (answer->status != 200) {
    std::string why = "GET " + target + ": HTTP " + std::to_string(answer->status);
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
      why += " " + body["error"].value("code", std::string()) + ": " + body["error"].value("message", std::string());
    }
    return light_error(LightFault::kUnavailable, why);
  }
  if (!body.is_object()) return light_error(LightFault::kMalformed, "GET " + target + ": the answer is not a JSON object");
  return body;
}

Verified<Bytes> hex_field(const json& body, const char* name) {
  if (!body.contains(name) || !body[name].is_string()) {
    return light_error(LightFault::kMalformed, std::string("the answer has no hex field \"") + name + "\"");
  }
  Result<Bytes> bytes = from_hex(body[name].get<std::string>());
  if (!bytes.ok()) return light_error(LightFault::kMalformed, std::string("field \"") + name + "\": " + bytes.error().message);
  return std::move(bytes).value();
}

// The height the (not yet verified) header claims: where the trust must be followed to.
Verified<uint64_t> claimed_height(const Bytes& header_bytes, std::optional<uint64_t> asked) {
  Result<v1::BlockHeader> header = decode_block_header(header_bytes);
  if (!header.ok()) return light_error(LightFault::kMalformed, "header: " + header.error().message);
  if (asked.has_value() && header->height() != *asked) {
    return light_error(LightFault::kWrongHeight, "asked for height " + std::to_string(*asked) +
                                                     ", the node answered with a header of height " +
                                                     std::to_string(header->height()));
  }
  return header->height();
}

std::string height_query(std::optional<uint64_t> height) {
  return height.has_value() ? "?height=" + std::to_string(*height) : std::string();
}

}  // namespace

RpcGet http_rpc_get(std::string address, std::optional<RequestSigner> signer, uint64_t timeout_ms) {
  return [address = std::move(address), signer = std::move(signer), timeout_ms](const std::string& target) {
    return http_request(address, "GET", target, "", timeout_ms, signer);
  };
}

Result<TrustedValidators> trusted_validators_from_genesis(const std::string& genesis_path) {
  home::Loaded<home::Genesis> genesis = home::load_genesis(genesis_path);
  if (!genesis.ok()) return make_error(ErrorCode::kInvalidArgument, genesis.error.to_string());
  Result<home::GenesisState> state = home::genesis_state(*genesis.value);
  if (!state.ok()) return state.error();
  return TrustedValidators{state->chain_id, 1, state->validators};
}

Result<std::optional<TrustedValidators>> load_trust_file(const std::string& path) {
  home::Loaded<home::FileContent> file = home::read_file_limited(path, kMaxTrustFileBytes);
  if (!file.ok()) {
    if (file.error.kind == home::HomeErrorKind::kNotFound) return std::optional<TrustedValidators>();
    return make_error(file.error.kind == home::HomeErrorKind::kIo ? ErrorCode::kIoError : ErrorCode::kMalformed,
                      file.error.to_string());
  }
  const json j = json::parse(file.value->text, nullptr, /*allow_exceptions=*/false);
  auto bad = [&](const std::string& why) { return make_error(ErrorCode::kMalformed, path + ": " + why); };
  if (!j.is_object() || !j.contains("chain_id") || !j["chain_id"].is_string() || !j.contains("height") ||
      !j["height"].is_number_unsigned() || !j.contains("validator_set") || !j["validator_set"].is_string()) {
    return bad("a trust file is {\"chain_id\": string, \"height\": number, \"validator_set\": hex}");
  }
  Result<Bytes> set_bytes = from_hex(j["validator_set"].get<std::string>());
  if (!set_bytes.ok()) return bad("validator_set: " + set_bytes.error().message);
  Result<v1::ValidatorSet> decoded = decode_validator_set(*set_bytes);
  if (!decoded.ok()) return bad("validator_set: " + decoded.error().message);
  Result<ValidatorSet> set = ValidatorSet::create(std::move(decoded).value());
  if (!set.ok()) return bad("validator_set: " + set.error().message);
  const uint64_t height = j["height"].get<uint64_t>();
  if (height == 0) return bad("height 0");
  return std::optional<TrustedValidators>(TrustedValidators{j["chain_id"].get<std::string>(), height, std::move(set).value()});
}

Status save_trust_file(const std::string& path, const TrustedValidators& trust) {
  const json j = {{"chain_id", trust.chain_id},
                  {"height", trust.height},
                  {"validator_set", to_hex(encode(trust.set.proto()))}};
  home::Loaded<bool> written = home::write_file_atomic(path, j.dump() + "\n", 0644, home::Replace::kYes);
  if (!written.ok()) return make_error(ErrorCode::kIoError, written.error.to_string());
  return Status();
}

Status LightClient::resume(TrustedValidators trust) {
  if (trust.chain_id != anchor_.chain_id) {
    return make_error(ErrorCode::kInvalidArgument,
                      "a trust of chain \"" + trust.chain_id + "\", not \"" + anchor_.chain_id + "\"");
  }
  if (trust.height < anchor_.height) {
    return make_error(ErrorCode::kInvalidArgument, "a trust below the anchor's height");
  }
  latest_ = std::move(trust);
  return Status();
}

// The header of `height` verified as certified by `set` (which must be the set it names).
Verified<VerifiedHeader> LightClient::header_under(const TrustedValidators& t, uint64_t height) {
  Verified<json> answer = fetch_json(get_, "/v1/headers/" + std::to_string(height));
  if (!answer.ok()) return answer.error();
  Verified<Bytes> header = hex_field(*answer, "header");
  if (!header.ok()) return header.error();
  Verified<Bytes> certificate = hex_field(*answer, "certificate");
  if (!certificate.ok()) return certificate.error();
  headers_fetched_ += 1;
  return verify_header(TrustedValidators{t.chain_id, height, t.set}, *header, *certificate);
}

Verified<TrustedValidators> LightClient::trust_at(uint64_t height) {
  if (height < anchor_.height) {
    return light_error(LightFault::kWrongHeight, "height " + std::to_string(height) + " is below the trusted height " +
                                                     std::to_string(anchor_.height));
  }
  TrustedValidators t = latest_.height <= height ? latest_ : anchor_;
  uint64_t changes = 0;
  while (t.height < height) {
    // Skip: a header of `height` that names our set and carries a quorum of it is trusted as it is (the
    // assumption we trust the set with anyway: fewer than a third of its power faulty).
    Verified<VerifiedHeader> target = header_under(t, height);
    if (target.ok()) {
      t.height = height;
      break;
    }
    if (target.error().fault != LightFault::kUntrustedSet) return target.error();
    // The set changed in (t.height, height]: bisect for the last height c that still names our set;
    // header c names the next set (next_validator_set_hash), which advance() checks the fetched set against.
    if (++changes > kMaxSetChanges) {
      return light_error(LightFault::kWrongHeight, "more than " + std::to_string(kMaxSetChanges) +
                                                       " validator-set changes below height " + std::to_string(height));
    }
    uint64_t lo = t.height;
    uint64_t hi = height;  // header lo names our set (verified or the trust itself); header hi does not
    std::optional<VerifiedHeader> lo_header;  // header lo, when a probe fetched it
    while (hi - lo > 1) {
      const uint64_t mid = lo + (hi - lo) / 2;
      Verified<VerifiedHeader> probe = header_under(t, mid);
      if (probe.ok()) {
        lo = mid;
        lo_header = std::move(probe).value();
      } else if (probe.error().fault == LightFault::kUntrustedSet) {
        hi = mid;
      } else {
        return probe.error();
      }
    }
    if (!lo_header) {  // the change is right after the trust: fetch the trusted height's own header
      Verified<VerifiedHeader> first = header_under(t, lo);
      if (!first.ok()) return first.error();
      lo_header = std::move(first).value();
    }
    const VerifiedHeader* last = &*lo_header;
    if (lo > latest_.height) latest_ = TrustedValidators{t.chain_id, lo, t.set};  // verified: keep it
    std::optional<Bytes> next_set;
    if (last->header.next_validator_set_hash() != last->header.validator_set_hash()) {
      Verified<json> set_answer = fetch_json(get_, "/v1/validators/" + std::to_string(lo + 1));
      if (!set_answer.ok()) return set_answer.error();
      Verified<Bytes> set_bytes = hex_field(*set_answer, "validator_set");
      if (!set_bytes.ok()) return set_bytes.error();
      next_set = std::move(set_bytes).value();
    }
    Verified<TrustedValidators> next = advance(TrustedValidators{t.chain_id, lo, t.set}, *lo_header,
                                               next_set.has_value() ? std::optional<ByteView>(*next_set) : std::nullopt);
    if (!next.ok()) return next.error();
    if (next->set.hash() == t.set.hash()) {
      // Header lo+1 named another set, yet header lo says the set stays: the node contradicts itself.
      return light_error(LightFault::kUntrustedSet, "header " + std::to_string(lo + 1) +
                                                        " names a set its predecessor did not announce");
    }
    t = std::move(next).value();
  }
  if (t.height > latest_.height) latest_ = t;
  return t;
}

Verified<VerifiedState> LightClient::state_answer(const std::string& target, ByteView key,
                                                  std::optional<uint64_t> height) {
  Verified<json> answer = fetch_json(get_, target + height_query(height));
  if (!answer.ok()) return answer.error();
  StateBundle bundle;
  for (auto [name, field] : {std::pair{"header", &bundle.header}, std::pair{"certificate", &bundle.certificate},
                             std::pair{"proof", &bundle.proof}}) {
    Verified<Bytes> bytes = hex_field(*answer, name);
    if (!bytes.ok()) return bytes.error();
    *field = std::move(bytes).value();
  }
  Verified<uint64_t> at = claimed_height(bundle.header, height);
  if (!at.ok()) return at.error();
  Verified<TrustedValidators> trust = trust_at(*at);
  if (!trust.ok()) return trust.error();
  return verify_state_bundle(*trust, bundle, key);
}

Verified<VerifiedState> LightClient::state(ByteView key, std::optional<uint64_t> height) {
  return state_answer("/v1/state/" + to_hex(key), key, height);
}

Verified<VerifiedCase> LightClient::case_record(std::string_view case_id, std::optional<uint64_t> height) {
  if (case_id.empty()) return light_error(LightFault::kKeyMismatch, "an empty case id");
  for (char c : case_id) {
    if (c <= 0x20 || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '%') {
      return light_error(LightFault::kKeyMismatch, "a case id is printable ASCII without / ? # %");
    }
  }
  const Bytes key = state_keys::case_record(case_id);
  Verified<VerifiedState> state = state_answer("/v1/cases/" + std::string(case_id), key, height);
  if (!state.ok()) return state.error();
  VerifiedCase out{std::move(state).value(), std::nullopt};
  if (out.state.value.has_value()) {
    contracts::v1::Case record;
    if (!record.ParseFromArray(out.state.value->data(), static_cast<int>(out.state.value->size()))) {
      return light_error(LightFault::kMalformed, "the proven value of case " + std::string(case_id) +
                                                     " is not a Case record");
    }
    out.record = std::move(record);
  }
  return out;
}

Verified<VerifiedState> LightClient::case_state(std::string_view case_id, ByteView key, uint64_t height) {
  return state_answer("/v1/cases/" + std::string(case_id) + "/state/" + to_hex(key), key, height);
}

Verified<VerifiedTx> LightClient::tx(const Hash32& tx_id) {
  Verified<json> answer = fetch_json(get_, "/v1/txs/" + to_hex(tx_id) + "/proof");
  if (!answer.ok()) return answer.error();
  TxBundle bundle;
  for (auto [name, field] : {std::pair{"header", &bundle.header}, std::pair{"certificate", &bundle.certificate},
                             std::pair{"tx", &bundle.tx}, std::pair{"proof", &bundle.proof}}) {
    Verified<Bytes> bytes = hex_field(*answer, name);
    if (!bytes.ok()) return bytes.error();
    *field = std::move(bytes).value();
  }
  // Present from rules version 3 on; the core refuses an answer without them when the header commits
  // results.
  for (auto [name, field] : {std::pair{"result_leaf", &bundle.result_leaf}, std::pair{"result_proof", &bundle.result_proof}}) {
    if (!answer->contains(name)) continue;
    Verified<Bytes> bytes = hex_field(*answer, name);
    if (!bytes.ok()) return bytes.error();
    *field = std::move(bytes).value();
  }
  Verified<uint64_t> at = claimed_height(bundle.header, std::nullopt);
  if (!at.ok()) return at.error();
  Verified<TrustedValidators> trust = trust_at(*at);
  if (!trust.ok()) return trust.error();
  return verify_tx_bundle(*trust, bundle, tx_id);
}

Verified<VerifiedEvents> LightClient::events(std::string_view recipient, uint64_t height) {
  if (recipient.empty() || height == 0) return light_error(LightFault::kKeyMismatch, "a recipient and a height from 1");
  for (char c : recipient) {
    if (c <= 0x20 || c >= 0x7f || std::string_view("/?#%&=+").find(c) != std::string_view::npos) {
      return light_error(LightFault::kKeyMismatch, "a recipient is printable ASCII without / ? # % & = +");
    }
  }
  Verified<TrustedValidators> trust = trust_at(height);
  if (!trust.ok()) return trust.error();
  VerifiedEvents all;
  std::optional<uint64_t> after;
  // Each page holds at least one event of the height (verify_events_bundle), so this ends.
  while (true) {
    std::string target = "/v1/events/proof?recipient=" + std::string(recipient) + "&height=" + std::to_string(height);
    if (after) target += "&after=" + std::to_string(*after);
    Verified<json> answer = fetch_json(get_, target);
    if (!answer.ok()) return answer.error();
    EventsBundle bundle;
    for (auto [name, field] : {std::pair{"header", &bundle.header}, std::pair{"certificate", &bundle.certificate},
                               std::pair{"next", &bundle.next}}) {
      Verified<Bytes> bytes = hex_field(*answer, name);
      if (!bytes.ok()) return bytes.error();
      *field = std::move(bytes).value();
    }
    if (answer->contains("before") && !(*answer)["before"].is_null()) {
      Verified<Bytes> bytes = hex_field(*answer, "before");
      if (!bytes.ok()) return bytes.error();
      bundle.before = std::move(bytes).value();
    }
    if (!answer->contains("first_seq") || !(*answer)["first_seq"].is_number_unsigned() ||
        !answer->contains("proofs") || !(*answer)["proofs"].is_array()) {
      return light_error(LightFault::kMalformed, "the answer has no first_seq or proofs");
    }
    bundle.first_seq = (*answer)["first_seq"].get<uint64_t>();
    for (const json& p : (*answer)["proofs"]) {
      if (!p.is_string()) return light_error(LightFault::kMalformed, "a proof that is not hex");
      Result<Bytes> bytes = from_hex(p.get<std::string>());
      if (!bytes.ok()) return light_error(LightFault::kMalformed, "a proof: " + bytes.error().message);
      bundle.events.push_back(std::move(bytes).value());
    }
    Verified<uint64_t> at = claimed_height(bundle.header, height);
    if (!at.ok()) return at.error();
    Verified<VerifiedEvents> page = verify_events_bundle(*trust, bundle, recipient, after);
    if (!page.ok()) return page.error();
    for (contracts::v1::Event& e : page->events) all.events.push_back(std::move(e));
    all.header = std::move(page->header);
    if (page->complete) break;
    after = all.events.back().seq();
  }
  all.complete = true;
  return all;
}

}  // namespace joet::sdk
