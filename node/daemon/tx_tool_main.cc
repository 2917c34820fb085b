// joet-tx-case-open: a test helper that signs one case.open tx with a member key file and prints it.
//   joet-tx-case-open KEY_FILE CHAIN_ID NONCE CASE_ID MUNICIPALITY MAJORITY_DATE
// prints "tx <hex of the SignedTx>" and "tx_id <hex>". The key must be an RvdK member's (testnet: node1).
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "joet.pb.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"
#include "node/home/key_file.h"

int main(int argc, char** argv) {
  using namespace joet;  // NOLINT
  if (argc != 7) {
    std::cerr << "usage: joet-tx-case-open KEY_FILE CHAIN_ID NONCE CASE_ID MUNICIPALITY MAJORITY_DATE\n";
    return 2;
  }
  auto key = home::load_key_file(argv[1]);
  if (!key.ok()) {
    std::cerr << "joet-tx-case-open: " << key.error.to_string() << "\n";
    return 2;
  }
  v1::TxBody body;
  body.set_chain_id(argv[2]);
  body.set_action("case.open");
  body.set_nonce(std::stoull(argv[3]));
  std::vector<std::pair<std::string, std::string>> args = {
      {"case", argv[4]}, {"majority_date", argv[6]}, {"municipality", argv[5]}};  // sorted by name
  for (const auto& [name, value] : args) {
    v1::Arg* a = body.add_args();
    a->set_name(name);
    a->set_text(value);
  }
  const Bytes body_bytes = encode(body);
  v1::SignedTx tx;
  tx.set_body(to_string(body_bytes));
  v1::Signature* s = tx.add_signatures();
  s->set_public_key(to_string(key.value->public_key().bytes()));
  s->set_signature(to_string(sign_body(*key.value, tags::kTx, body_bytes)));
  std::cout << "tx " << to_hex(encode(tx)) << "\n" << "tx_id " << to_hex(tx_id(tx)) << "\n";
  return 0;
}
