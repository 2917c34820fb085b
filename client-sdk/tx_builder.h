// Building and signing txs for the contracts' actions (docs/contracts.md has every action and its
// args), as case systems do: args by name with their types, sorted as the contracts require, the
// body signed with BIP-340 over tagged("joet/tx", body). Builds what the node then checks; it does
// not judge the action (the contracts answer with their code).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "joet.pb.h"
#include "ledger/bytes.h"
#include "ledger/keys.h"
#include "ledger/status.h"

namespace joet::sdk {

struct TxRequest {
  std::string chain_id;
  std::string action;     // e.g. "case.open"
  uint64_t nonce = 0;     // above the signer's last used nonce
  uint64_t max_height = 0;  // 0 = none
  std::vector<v1::Arg> args;  // any order: build_tx sorts them by name
};

// One arg from the command-line form NAME=VALUE: VALUE is text, except `int:N` (integer),
// `hash:HEX` (32 bytes) and `doc:TEXT` (the SHA-256 of TEXT: a stand-in for a salted document hash).
// kInvalidArgument naming the arg for anything else malformed.
Result<v1::Arg> parse_arg(std::string_view text);

// The canonical TxBody bytes of `request`, args sorted by name: what every signer signs and what the
// tx id hashes. kInvalidArgument for an empty chain id or action, nonce 0, or two args of one name.
Result<Bytes> build_tx_body(const TxRequest& request);

// One signature over body bytes: BIP-340 over tagged("joet/tx", body), as the contracts verify it.
v1::Signature sign_tx_body(const PrivateKey& signer, ByteView body);

// The signed tx: build_tx_body signed by `signer` (its errors).
Result<v1::SignedTx> build_tx(const TxRequest& request, const PrivateKey& signer);

}  // namespace joet::sdk
