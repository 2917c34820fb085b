#include "client-sdk/governance_command.h"

#include <map>
#include <optional>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "client-sdk/governance.h"
#include "client-sdk/http_client.h"
#include "client-sdk/submit_await.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "node/home/file_io.h"
#include "node/home/key_file.h"

namespace joet::sdk {

namespace {

using json = nlohmann::ordered_json;

constexpr size_t kMaxGovernanceFileBytes = 1 << 20;
constexpr mode_t kGovernanceFileMode = 0644;  // no secret in it: it is mailed

constexpr std::string_view kGovernanceUsage =
    "usage:\n"
    "  joet-client governance build   --chain-id ID --nonce N (--key FILE | --first-signer HEX)\n"
    "                                 [--max-height H] --out FILE ACTION [NAME=VALUE ...]\n"
    "  joet-client governance sign    --in FILE --key FILE --out FILE\n"
    "  joet-client governance combine --out FILE IN_FILE [IN_FILE ...]\n"
    "  joet-client governance submit  --rpc HOST:PORT[,...] --in FILE --key FILE [--wait-ms MS]\n"
    "\n"
    "A governance action (institution.add, institution.remove, policy.set, rules.schedule,\n"
    "validator.update) needs the signatures of more than 2/3 of the registered institutions in one tx.\n"
    "One institution builds the unsigned tx into a JSON file, each institution signs a copy on its own\n"
    "host with its own member key, one combines the signed copies and submits the result.\n"
    "joet-client governance COMMAND --help describes a command.\n"
    "\n"
    "exit status: 0 done (submit: committed with OK), 2 usage, bad input or refused on admission,\n"
    "3 committed but refused by the contracts, 4 not committed in time, 1 I/O, network or internal error\n";

constexpr std::string_view kBuildUsage =
    "usage: joet-client governance build --chain-id ID --nonce N (--key FILE | --first-signer HEX)\n"
    "                                    [--max-height H] --out FILE ACTION [NAME=VALUE ...]\n"
    "\n"
    "Writes the unsigned governance tx to FILE (JSON, created; never over an existing file). The first\n"
    "signer is the member key whose nonce the tx carries: --key FILE names it by its key file (only the\n"
    "public key is read; nothing is signed), --first-signer by its 64-hex public key. N must be above\n"
    "the last nonce that key used (any tx it signed first). Its signature goes first in the combined tx.\n"
    "ACTION is a governance action, NAME=VALUE its args (docs/contracts.md) as for joet-client tx: VALUE\n"
    "is text, or int:N, hash:HEX, doc:TEXT. --max-height H: refused in blocks above H (default 0: none).\n"
    "Prints {\"out\", \"tx_id\", \"action\", \"first_signer\", \"signatures\"}.\n";

constexpr std::string_view kSignUsage =
    "usage: joet-client governance sign --in FILE --key FILE --out FILE\n"
    "\n"
    "Adds the signature of the member key in --key (BIP-340 over tagged(\"joet/tx\", body)) to a copy of\n"
    "the governance tx in --in, written to --out (created; never over an existing file). Review the --in\n"
    "file before signing: its chain_id, action, nonce and args are checked to be exactly what its body\n"
    "says, and every signature in it must verify. Refuses a key that has signed the tx already.\n"
    "Prints {\"out\", \"tx_id\", \"action\", \"signed_by\", \"signatures\"}.\n";

constexpr std::string_view kCombineUsage =
    "usage: joet-client governance combine --out FILE IN_FILE [IN_FILE ...]\n"
    "\n"
    "Combines signed copies of one governance tx into one tx with all their signatures, written to --out\n"
    "(created; never over an existing file): the first signer's signature first, then the others by\n"
    "public key. Refuses copies of different bodies or first signers, a key with two different\n"
    "signatures, a signature that does not verify, and a result the first signer has not signed.\n"
    "Prints {\"out\", \"tx\" (hex SignedTx, as joet-client tx prints it), \"tx_id\", \"signers\"}.\n"
    "Whether the signers' institutions are more than 2/3 of the registered ones the node checks.\n";

constexpr std::string_view kSubmitUsage =
    "usage: joet-client governance submit --rpc HOST:PORT[,...] --in FILE --key FILE [--wait-ms MS]\n"
    "\n"
    "Submits the combined governance tx in FILE to the node's RPC and waits (default 30000 ms) until it\n"
    "is committed, as joet-client submit does, printing {\"tx_id\", \"status\", \"height\", \"result\"}.\n"
    "--key is a member key file (any registered member) that signs the status polls.\n"
    "exit status: 0 committed with OK, 2 bad input or refused on admission (the code on stderr, e.g.\n"
    "NOT_AUTHORIZED when too few institutions signed, BAD_NONCE), 3 committed but refused by the\n"
    "contracts, 4 not committed in time, 1 network or internal error\n";

struct Parsed {
  std::map<std::string, std::string> flags;
  std::vector<std::string> positional;
  bool help = false;
};

class Command {
 public:
  Command(std::string name, std::string_view usage, std::ostream& out, std::ostream& err)
      : name_(std::move(name)), usage_(usage), out_(out), err_(err) {}

  int usage_error(const std::string& why) const {
    err_ << "joet-client governance " << name_ << ": " << why << "\n" << usage_;
    return 2;
  }
  // Bad input (2), or the operating system failed (1).
  int failed(const std::string& why, int status = 2) const {
    err_ << "joet-client governance " << name_ << ": " << why << "\n";
    return status;
  }

  std::optional<Parsed> parse(const std::vector<std::string>& args, std::set<std::string> names, int& status) const {
    Parsed p;
    for (size_t i = 1; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a == "--help" || a == "-h") {
        p.help = true;
      } else if (a.starts_with("--")) {
        const std::string name = a.substr(2);
        if (!names.count(name)) {
          status = usage_error("unknown option " + a);
          return std::nullopt;
        }
        if (i + 1 >= args.size()) {
          status = usage_error(a + " needs a value");
          return std::nullopt;
        }
        if (p.flags.count(name)) {
          status = usage_error(a + " given twice");
          return std::nullopt;
        }
        p.flags[name] = args[++i];
      } else {
        p.positional.push_back(a);
      }
    }
    return p;
  }

  // A governance file, or the reason (printed; `status` set).
  std::optional<GovernanceTx> read_tx(const std::string& path, int& status) const {
    auto file = home::read_file_limited(path, kMaxGovernanceFileBytes);
    if (!file.ok()) {
      status = failed(file.error.to_string(), file.error.is_bad_input() ? 2 : 1);
      return std::nullopt;
    }
    auto tx = parse_governance_tx_json(file.value->text);
    if (!tx.ok()) {
      status = failed(path + ": " + tx.error().to_string());
      return std::nullopt;
    }
    return std::move(tx).value();
  }

  std::optional<PrivateKey> read_key(const std::string& path, int& status) const {
    auto key = home::load_key_file(path);
    if (!key.ok()) {
      status = failed(key.error.to_string(), key.error.is_bad_input() ? 2 : 1);
      return std::nullopt;
    }
    return *key.value;
  }

  // Writes `tx` to a new file `path`, then prints `summary`. 0, or the failure's status.
  int write_tx(const std::string& path, const GovernanceTx& tx, const json& summary) const {
    auto written = home::write_file_atomic(path, governance_tx_json(tx), kGovernanceFileMode, home::Replace::kNo);
    if (!written.ok()) return failed(written.error.to_string(), written.error.is_bad_input() ? 2 : 1);
    out_ << summary.dump() << "\n";
    return 0;
  }

  std::ostream& out() const { return out_; }
  std::ostream& err() const { return err_; }
  std::string_view usage() const { return usage_; }

 private:
  std::string name_;
  std::string_view usage_;
  std::ostream& out_;
  std::ostream& err_;
};

std::optional<uint64_t> number(const std::string& text) { return parse_decimal_u64(text); }

std::string tx_id_hex(const GovernanceTx& tx) { return to_hex(tx_id(as_bytes(tx.body))); }

json signer_list(const GovernanceTx& tx) {
  json keys = json::array();
  for (const v1::Signature& s : tx.signatures) keys.push_back(to_hex(as_bytes(s.public_key())));
  return keys;
}

int build(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Command c("build", kBuildUsage, out, err);
  int status = 0;
  auto p = c.parse(args, {"chain-id", "nonce", "key", "first-signer", "max-height", "out"}, status);
  if (!p) return status;
  if (p->help) {
    out << kBuildUsage;
    return 0;
  }
  for (const char* need : {"chain-id", "nonce", "out"}) {
    if (!p->flags.count(need)) return c.usage_error(std::string("--") + need + " is required");
  }
  if (p->flags.count("key") == p->flags.count("first-signer")) {
    return c.usage_error("name the first signer with --key FILE or --first-signer HEX (one of them)");
  }
  if (p->positional.empty()) return c.usage_error("no action");
  TxRequest request;
  request.chain_id = p->flags["chain-id"];
  request.action = p->positional[0];
  auto nonce = number(p->flags["nonce"]);
  if (!nonce) return c.usage_error("--nonce: not a number");
  request.nonce = *nonce;
  if (p->flags.count("max-height")) {
    auto max_height = number(p->flags["max-height"]);
    if (!max_height) return c.usage_error("--max-height: not a number");
    request.max_height = *max_height;
  }
  for (size_t i = 1; i < p->positional.size(); ++i) {
    auto arg = parse_arg(p->positional[i]);
    if (!arg.ok()) return c.usage_error(arg.error().message);
    request.args.push_back(*arg);
  }
  std::optional<PublicKey> first;
  if (p->flags.count("key")) {
    auto key = c.read_key(p->flags["key"], status);
    if (!key) return status;
    first = key->public_key();
  } else {
    auto bytes = hash32_from_hex(p->flags["first-signer"]);
    if (!bytes.ok()) return c.usage_error("--first-signer: 64 hex digits expected");
    auto key = PublicKey::from_bytes(*bytes);
    if (!key.ok()) return c.usage_error("--first-signer: not a valid x-only public key");
    first = *key;
  }
  auto tx = build_governance_tx(request, *first);
  if (!tx.ok()) return c.failed(tx.error().to_string());
  return c.write_tx(p->flags["out"], *tx,
                    json{{"out", p->flags["out"]}, {"tx_id", tx_id_hex(*tx)}, {"action", request.action},
                         {"first_signer", first->hex()}, {"signatures", 0}});
}

int sign(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Command c("sign", kSignUsage, out, err);
  int status = 0;
  auto p = c.parse(args, {"in", "key", "out"}, status);
  if (!p) return status;
  if (p->help) {
    out << kSignUsage;
    return 0;
  }
  for (const char* need : {"in", "key", "out"}) {
    if (!p->flags.count(need)) return c.usage_error(std::string("--") + need + " is required");
  }
  if (!p->positional.empty()) return c.usage_error("unexpected argument " + p->positional[0]);
  auto tx = c.read_tx(p->flags["in"], status);
  if (!tx) return status;
  auto key = c.read_key(p->flags["key"], status);
  if (!key) return status;
  auto signed_tx = sign_governance_tx(*tx, *key);
  if (!signed_tx.ok()) return c.failed(p->flags["in"] + ": " + signed_tx.error().to_string());
  auto body = decode_tx_body(as_bytes(signed_tx->body));
  JOET_ASSERT(body.ok());  // a GovernanceTx holds a decodable body
  return c.write_tx(p->flags["out"], *signed_tx,
                    json{{"out", p->flags["out"]}, {"tx_id", tx_id_hex(*signed_tx)}, {"action", body->action()},
                         {"signed_by", key->public_key().hex()}, {"signatures", signed_tx->signatures.size()}});
}

int combine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Command c("combine", kCombineUsage, out, err);
  int status = 0;
  auto p = c.parse(args, {"out"}, status);
  if (!p) return status;
  if (p->help) {
    out << kCombineUsage;
    return 0;
  }
  if (!p->flags.count("out")) return c.usage_error("--out is required");
  if (p->positional.empty()) return c.usage_error("no input file");
  std::vector<GovernanceTx> copies;
  for (const std::string& path : p->positional) {
    auto tx = c.read_tx(path, status);
    if (!tx) return status;
    copies.push_back(std::move(*tx));
  }
  auto combined = combine_governance_txs(copies);
  if (!combined.ok()) return c.failed(combined.error().to_string());
  auto signed_tx = to_signed_tx(*combined);
  if (!signed_tx.ok()) return c.failed(signed_tx.error().to_string());
  return c.write_tx(p->flags["out"], *combined,
                    json{{"out", p->flags["out"]}, {"tx", to_hex(encode(*signed_tx))}, {"tx_id", tx_id_hex(*combined)},
                         {"signers", signer_list(*combined)}});
}

// POST /v1/txs, then GET /v1/txs/{id} (signed with `key`) until committed: as joet-client submit.
int submit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Command c("submit", kSubmitUsage, out, err);
  int status = 0;
  auto p = c.parse(args, {"rpc", "in", "key", "wait-ms"}, status);
  if (!p) return status;
  if (p->help) {
    out << kSubmitUsage;
    return 0;
  }
  for (const char* need : {"rpc", "in", "key"}) {
    if (!p->flags.count(need)) return c.usage_error(std::string("--") + need + " is required");
  }
  if (!p->positional.empty()) return c.usage_error("unexpected argument " + p->positional[0]);
  uint64_t wait_ms = 30'000;
  if (p->flags.count("wait-ms")) {
    auto w = number(p->flags["wait-ms"]);
    if (!w) return c.usage_error("--wait-ms: not a number");
    wait_ms = *w;
  }
  auto tx = c.read_tx(p->flags["in"], status);
  if (!tx) return status;
  auto key = c.read_key(p->flags["key"], status);
  if (!key) return status;
  auto signed_tx = to_signed_tx(*tx);
  if (!signed_tx.ok()) return c.failed(p->flags["in"] + ": " + signed_tx.error().to_string());
  auto body = decode_tx_body(as_bytes(tx->body));
  JOET_ASSERT(body.ok());  // a GovernanceTx holds a decodable body
  const SubmitOutcome done =
      submit_and_await(split_endpoints(p->flags["rpc"]), *signed_tx, RequestSigner{*key, body->chain_id()}, wait_ms);
  if (!done.committed.empty()) out << done.committed << "\n";
  return done.error.empty() ? done.exit_code : c.failed(done.error, done.exit_code);
}

}  // namespace

int run_governance_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const std::string sub = args.empty() ? "" : args[0];
  if (sub == "--help" || sub == "-h") {
    out << kGovernanceUsage;
    return 0;
  }
  if (sub == "build") return build(args, out, err);
  if (sub == "sign") return sign(args, out, err);
  if (sub == "combine") return combine(args, out, err);
  if (sub == "submit") return submit(args, out, err);
  err << "joet-client governance: " << (sub.empty() ? std::string("no command") : "unknown command " + sub) << "\n"
      << kGovernanceUsage;
  return 2;
}

}  // namespace joet::sdk
