#include "client-sdk/governance.h"

#include <algorithm>
#include <array>
#include <map>

#include <nlohmann/json.hpp>

#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"

namespace joet::sdk {

namespace {

using json = nlohmann::ordered_json;  // written: fields in a fixed order
using json_in = nlohmann::json;       // read: the order of fields does not matter

constexpr std::string_view kFormat = "joet-governance-tx/1";

// contracts/executor.cc kGovernanceActions (governance_test.cc checks the contracts agree).
constexpr std::array<std::string_view, 5> kGovernanceActions = {
    "institution.add", "institution.remove", "policy.set", "rules.schedule", "validator.update"};

GovernanceError fail(GovernanceFault fault, std::string message) { return GovernanceError{fault, std::move(message)}; }

std::string key_hex(const std::string& key_bytes) { return to_hex(as_bytes(key_bytes)); }

// First signer first, then ascending public key.
void sort_signatures(std::vector<v1::Signature>& sigs, const PublicKey& first) {
  const std::string first_bytes = to_string(first.bytes());
  std::sort(sigs.begin(), sigs.end(), [&](const v1::Signature& a, const v1::Signature& b) {
    const bool a_first = a.public_key() == first_bytes, b_first = b.public_key() == first_bytes;
    if (a_first != b_first) return a_first;
    return a.public_key() < b.public_key();
  });
}

// The body of a governance tx, decoded; kMalformed / kInvalidRequest otherwise.
GovernanceResult<v1::TxBody> check_body(const std::string& bytes) {
  auto body = decode_tx_body(as_bytes(bytes));
  if (!body.ok()) return fail(GovernanceFault::kMalformed, "the body does not decode: " + body.error().message);
  if (!is_governance_action(body->action())) {
    return fail(GovernanceFault::kInvalidRequest, "'" + body->action() + "' is not a governance action");
  }
  if (body->chain_id().empty()) return fail(GovernanceFault::kInvalidRequest, "the body has no chain id");
  if (body->nonce() == 0) return fail(GovernanceFault::kInvalidRequest, "nonce 0: nonces start at 1");
  return std::move(body).value();
}

// Everything a GovernanceTx holds (governance.h), but the order of its signatures.
GovernanceResult<bool> check_tx(const GovernanceTx& tx) {
  auto body = check_body(tx.body);
  if (!body.ok()) return body.error();
  if (tx.signatures.size() > limits::kMaxTxSignatures) {
    return fail(GovernanceFault::kTooManySignatures, std::to_string(tx.signatures.size()) +
                                                         " signatures: a tx carries at most " +
                                                         std::to_string(limits::kMaxTxSignatures));
  }
  std::vector<std::string> keys;
  for (const v1::Signature& s : tx.signatures) {
    if (s.public_key().size() != 32 || s.signature().size() != 64) {
      return fail(GovernanceFault::kMalformed, "a signature needs a 32-byte key and 64 signature bytes");
    }
    if (std::find(keys.begin(), keys.end(), s.public_key()) != keys.end()) {
      return fail(GovernanceFault::kDuplicateSigner, "key " + key_hex(s.public_key()) + " signs twice");
    }
    keys.push_back(s.public_key());
    if (!verify_body(as_bytes(s.public_key()), tags::kTx, as_bytes(tx.body), as_bytes(s.signature()))) {
      return fail(GovernanceFault::kBadSignature,
                  "the signature of key " + key_hex(s.public_key()) + " does not verify over this body");
    }
  }
  return true;
}

json arg_json(const v1::Arg& a) {
  json j{{"name", a.name()}};
  switch (a.value_case()) {
    case v1::Arg::kText: j["text"] = a.text(); break;
    case v1::Arg::kInteger: j["integer"] = a.integer(); break;
    case v1::Arg::kHash: j["hash"] = to_hex(as_bytes(a.hash())); break;
    case v1::Arg::kFlag: j["flag"] = a.flag(); break;
    case v1::Arg::VALUE_NOT_SET: j["none"] = nullptr; break;
  }
  return j;
}

// The fields a reviewer reads, as the body has them.
json readable_fields(const std::string& body_bytes, const v1::TxBody& body) {
  json args = json::array();
  for (const v1::Arg& a : body.args()) args.push_back(arg_json(a));
  return json{{"chain_id", body.chain_id()},
              {"action", body.action()},
              {"nonce", body.nonce()},
              {"max_height", body.max_height()},
              {"args", std::move(args)},
              {"tx_id", to_hex(tx_id(as_bytes(body_bytes)))}};
}

GovernanceResult<std::string> hex_field(const json_in& j, const char* name, size_t length) {
  if (!j.contains(name) || !j[name].is_string()) {
    return fail(GovernanceFault::kMalformed, std::string("'") + name + "': a hex string expected");
  }
  auto bytes = from_hex(j[name].get<std::string>());
  if (!bytes.ok() || (length != 0 && bytes->size() != length)) {
    return fail(GovernanceFault::kMalformed,
                std::string("'") + name + "': not " +
                    (length != 0 ? std::to_string(2 * length) + " hex digits" : std::string("hex")));
  }
  return to_string(*bytes);
}

}  // namespace

std::string_view governance_fault_name(GovernanceFault fault) {
  switch (fault) {
    case GovernanceFault::kInvalidRequest: return "INVALID_REQUEST";
    case GovernanceFault::kMalformed: return "MALFORMED";
    case GovernanceFault::kFieldsMismatch: return "FIELDS_MISMATCH";
    case GovernanceFault::kDifferentBodies: return "DIFFERENT_BODIES";
    case GovernanceFault::kDifferentFirstSigner: return "DIFFERENT_FIRST_SIGNER";
    case GovernanceFault::kDuplicateSigner: return "DUPLICATE_SIGNER";
    case GovernanceFault::kBadSignature: return "BAD_SIGNATURE";
    case GovernanceFault::kFirstSignerMissing: return "FIRST_SIGNER_MISSING";
    case GovernanceFault::kTooManySignatures: return "TOO_MANY_SIGNATURES";
  }
  return "UNKNOWN";
}

std::string GovernanceError::to_string() const { return std::string(governance_fault_name(fault)) + ": " + message; }

bool GovernanceTx::first_signer_signed() const {
  const std::string first = joet::to_string(first_signer.bytes());
  return std::any_of(signatures.begin(), signatures.end(),
                     [&](const v1::Signature& s) { return s.public_key() == first; });
}

bool is_governance_action(std::string_view action) {
  return std::find(kGovernanceActions.begin(), kGovernanceActions.end(), action) != kGovernanceActions.end();
}

GovernanceResult<GovernanceTx> build_governance_tx(const TxRequest& request, const PublicKey& first_signer) {
  if (!is_governance_action(request.action)) {
    return fail(GovernanceFault::kInvalidRequest,
                "'" + request.action + "' is not a governance action (institution.add, institution.remove, "
                "policy.set, rules.schedule, validator.update): sign it alone with joet-client tx/submit");
  }
  auto body = build_tx_body(request);
  if (!body.ok()) return fail(GovernanceFault::kInvalidRequest, body.error().message);
  GovernanceTx tx{to_string(*body), first_signer, {}};
  auto checked = check_tx(tx);  // what the node's decoder refuses (an arg too long, too many args, ...)
  if (!checked.ok()) return fail(GovernanceFault::kInvalidRequest, checked.error().message);
  return tx;
}

GovernanceResult<GovernanceTx> sign_governance_tx(const GovernanceTx& tx, const PrivateKey& signer) {
  auto checked = check_tx(tx);
  if (!checked.ok()) return checked.error();
  const std::string key = to_string(signer.public_key().bytes());
  for (const v1::Signature& s : tx.signatures) {
    if (s.public_key() == key) {
      return fail(GovernanceFault::kDuplicateSigner, "key " + signer.public_key().hex() + " has signed this tx already");
    }
  }
  if (tx.signatures.size() >= limits::kMaxTxSignatures) {
    return fail(GovernanceFault::kTooManySignatures,
                "the tx has " + std::to_string(tx.signatures.size()) + " signatures, the most a tx carries");
  }
  GovernanceTx out = tx;
  out.signatures.push_back(sign_tx_body(signer, as_bytes(out.body)));
  sort_signatures(out.signatures, out.first_signer);
  return out;
}

GovernanceResult<GovernanceTx> combine_governance_txs(std::span<const GovernanceTx> copies) {
  if (copies.empty()) return fail(GovernanceFault::kInvalidRequest, "nothing to combine");
  for (size_t i = 0; i < copies.size(); ++i) {
    auto checked = check_tx(copies[i]);
    if (!checked.ok()) {
      return fail(checked.error().fault, "copy " + std::to_string(i + 1) + ": " + checked.error().message);
    }
  }
  const GovernanceTx& first = copies[0];
  GovernanceTx out{first.body, first.first_signer, {}};
  std::map<std::string, std::string> signature_of;  // public key -> signature
  for (size_t i = 0; i < copies.size(); ++i) {
    const GovernanceTx& c = copies[i];
    if (c.body != first.body) {
      return fail(GovernanceFault::kDifferentBodies,
                  "copy " + std::to_string(i + 1) + " is of tx " + to_hex(tx_id(as_bytes(c.body))) + ", copy 1 of tx " +
                      to_hex(tx_id(as_bytes(first.body))) + ": only copies of one body combine");
    }
    if (c.first_signer != first.first_signer) {
      return fail(GovernanceFault::kDifferentFirstSigner, "copy " + std::to_string(i + 1) + " names first signer " +
                                                              c.first_signer.hex() + ", copy 1 " +
                                                              first.first_signer.hex());
    }
    for (const v1::Signature& s : c.signatures) {
      auto [it, inserted] = signature_of.emplace(s.public_key(), s.signature());
      if (inserted) {
        out.signatures.push_back(s);
      } else if (it->second != s.signature()) {
        return fail(GovernanceFault::kDuplicateSigner,
                    "key " + key_hex(s.public_key()) + " signs twice (two different signatures, copy " +
                        std::to_string(i + 1) + "): keep one of its copies");
      }
    }
  }
  if (out.signatures.size() > limits::kMaxTxSignatures) {
    return fail(GovernanceFault::kTooManySignatures, std::to_string(out.signatures.size()) +
                                                         " signatures: a tx carries at most " +
                                                         std::to_string(limits::kMaxTxSignatures));
  }
  if (!out.first_signer_signed()) {
    return fail(GovernanceFault::kFirstSignerMissing,
                "the first signer " + out.first_signer.hex() +
                    " has not signed: the body carries its nonce, so its signature must come first");
  }
  sort_signatures(out.signatures, out.first_signer);
  return out;
}

GovernanceResult<v1::SignedTx> to_signed_tx(const GovernanceTx& tx) {
  auto checked = check_tx(tx);
  if (!checked.ok()) return checked.error();
  if (!tx.first_signer_signed()) {
    return fail(GovernanceFault::kFirstSignerMissing, "the first signer " + tx.first_signer.hex() + " has not signed");
  }
  std::vector<v1::Signature> sigs = tx.signatures;
  sort_signatures(sigs, tx.first_signer);
  v1::SignedTx out;
  out.set_body(tx.body);
  for (v1::Signature& s : sigs) *out.add_signatures() = std::move(s);
  // What the node's RPC decodes (size, canonical encoding, structure), checked here rather than there.
  auto decoded = decode_signed_tx(encode(out));
  if (!decoded.ok()) return fail(GovernanceFault::kMalformed, "the tx would be refused: " + decoded.error().message);
  return out;
}

std::string governance_tx_json(const GovernanceTx& tx) {
  auto body = check_body(tx.body);
  JOET_ASSERT(body.ok());  // a GovernanceTx holds a governance body (governance.h)
  json j{{"format", kFormat}};
  const json fields = readable_fields(tx.body, *body);
  for (const auto& [name, value] : fields.items()) j[name] = value;
  j["first_signer"] = tx.first_signer.hex();
  j["body"] = to_hex(as_bytes(tx.body));
  json sigs = json::array();
  for (const v1::Signature& s : tx.signatures) {
    sigs.push_back({{"public_key", to_hex(as_bytes(s.public_key()))}, {"signature", to_hex(as_bytes(s.signature()))}});
  }
  j["signatures"] = std::move(sigs);
  return j.dump(2) + "\n";
}

GovernanceResult<GovernanceTx> parse_governance_tx_json(std::string_view text) {
  const json_in j = json_in::parse(text, nullptr, false);
  if (j.is_discarded()) return fail(GovernanceFault::kMalformed, "not JSON");
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat) {
    return fail(GovernanceFault::kMalformed, std::string("not a governance tx file (\"format\": \"") +
                                                 std::string(kFormat) + "\" expected)");
  }
  constexpr std::array<std::string_view, 10> kFields = {"format", "chain_id", "action", "nonce", "max_height",
                                                        "args", "tx_id", "first_signer", "body", "signatures"};
  for (const auto& [name, value] : j.items()) {
    if (std::find(kFields.begin(), kFields.end(), name) == kFields.end()) {
      return fail(GovernanceFault::kMalformed, "unknown field '" + name + "'");
    }
  }
  auto body_bytes = hex_field(j, "body", 0);
  if (!body_bytes.ok()) return body_bytes.error();
  auto first = hex_field(j, "first_signer", 32);
  if (!first.ok()) return first.error();
  auto first_key = PublicKey::from_bytes(as_bytes(*first));
  if (!first_key.ok()) return fail(GovernanceFault::kMalformed, "'first_signer': not a valid x-only public key");
  auto body = check_body(*body_bytes);
  if (!body.ok()) return body.error();
  const json fields = readable_fields(*body_bytes, *body);
  for (const auto& [name, ordered_value] : fields.items()) {
    const json_in value = json_in::parse(ordered_value.dump());
    if (!j.contains(name) || j[name] != value) {
      return fail(GovernanceFault::kFieldsMismatch,
                  "'" + name + "' is " + (j.contains(name) ? j[name].dump() : std::string("missing")) +
                      " but the body says " + value.dump() + ": the file was edited; ask for the original");
    }
  }
  if (!j.contains("signatures") || !j["signatures"].is_array()) {
    return fail(GovernanceFault::kMalformed, "'signatures': an array expected");
  }
  GovernanceTx tx{*body_bytes, *first_key, {}};
  for (const json_in& s : j["signatures"]) {
    if (!s.is_object() || s.size() != 2) {
      return fail(GovernanceFault::kMalformed, "a signature is {\"public_key\": HEX, \"signature\": HEX}");
    }
    auto key = hex_field(s, "public_key", 32);
    if (!key.ok()) return key.error();
    auto sig = hex_field(s, "signature", 64);
    if (!sig.ok()) return sig.error();
    v1::Signature& out = tx.signatures.emplace_back();
    out.set_public_key(*key);
    out.set_signature(*sig);
  }
  auto checked = check_tx(tx);
  if (!checked.ok()) return checked.error();
  sort_signatures(tx.signatures, tx.first_signer);
  return tx;
}

}  // namespace joet::sdk
