#include "client-sdk/tx_builder.h"

#include <algorithm>
#include <charconv>

#include "ledger/codec.h"
#include "ledger/hash.h"

namespace joet::sdk {

Result<v1::Arg> parse_arg(std::string_view text) {
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return make_error(ErrorCode::kInvalidArgument, "argument '" + std::string(text) + "': NAME=VALUE expected");
  }
  v1::Arg arg;
  arg.set_name(std::string(text.substr(0, eq)));
  const std::string_view value = text.substr(eq + 1);
  auto bad = [&](const std::string& why) {
    return make_error(ErrorCode::kInvalidArgument, "argument '" + arg.name() + "': " + why);
  };
  if (value.starts_with("int:")) {
    const std::string_view digits = value.substr(4);
    int64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) return bad("not an integer");
    arg.set_integer(n);
  } else if (value.starts_with("hash:")) {
    auto bytes = from_hex(value.substr(5));
    if (!bytes.ok() || bytes->size() != 32) return bad("not 64 hex digits");
    arg.set_hash(to_string(*bytes));
  } else if (value.starts_with("doc:")) {
    arg.set_hash(to_string(sha256(value.substr(4))));
  } else {
    arg.set_text(std::string(value));
  }
  return arg;
}

Result<Bytes> build_tx_body(const TxRequest& request) {
  if (request.chain_id.empty() || request.action.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "a tx needs a chain id and an action");
  }
  if (request.nonce == 0) return make_error(ErrorCode::kInvalidArgument, "nonce 0: nonces start at 1");
  std::vector<v1::Arg> args = request.args;
  std::sort(args.begin(), args.end(), [](const v1::Arg& a, const v1::Arg& b) { return a.name() < b.name(); });
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].name() == args[i - 1].name()) {
      return make_error(ErrorCode::kInvalidArgument, "argument '" + args[i].name() + "' given twice");
    }
  }
  v1::TxBody body;
  body.set_chain_id(request.chain_id);
  body.set_action(request.action);
  body.set_nonce(request.nonce);
  body.set_max_height(request.max_height);
  for (v1::Arg& a : args) *body.add_args() = std::move(a);
  return encode(body);
}

v1::Signature sign_tx_body(const PrivateKey& signer, ByteView body) {
  v1::Signature s;
  s.set_public_key(to_string(signer.public_key().bytes()));
  s.set_signature(to_string(sign_body(signer, tags::kTx, body)));
  return s;
}

Result<v1::SignedTx> build_tx(const TxRequest& request, const PrivateKey& signer) {
  auto body = build_tx_body(request);
  if (!body.ok()) return body.error();
  v1::SignedTx tx;
  tx.set_body(to_string(*body));
  *tx.add_signatures() = sign_tx_body(signer, *body);
  return tx;
}

}  // namespace joet::sdk
