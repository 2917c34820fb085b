#include "client-sdk/query_command.h"

#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include "client-sdk/case_extract.h"
#include "client-sdk/light_client_rpc.h"
#include "ledger/codec.h"
#include "ledger/keys.h"
#include "node/home/key_file.h"

namespace joet::sdk {

namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view kQueryUsage =
    "usage:\n"
    "  joet-client query case CASE_ID --rpc HOST:PORT --genesis FILE [--height H] [--key FILE] [--trust-file FILE]\n"
    "  joet-client query tx TX_ID --rpc HOST:PORT --genesis FILE [--key FILE] [--trust-file FILE]\n"
    "  joet-client query events RECIPIENT --height H --rpc HOST:PORT --genesis FILE [--key FILE] [--trust-file FILE]\n"
    "\n"
    "Reads a case record (at the tip, or at height H), a committed tx (with its result from rules version\n"
    "3 on), or every event addressed to RECIPIENT at height H from the node and verifies it by proof\n"
    "against the validator set of the genesis FILE, following validator-set changes header by header;\n"
    "the node itself is not trusted. Prints the verified record as JSON with \"verified\": true.\n"
    "--key signs the requests with a member key file; --trust-file keeps the furthest verified validator\n"
    "set between runs (created if absent), so that a later query follows only the new heights.\n"
    "\n"
    "exit status: 0 verified, 2 usage or bad input, 3 verification failed (the fault code on stderr and\n"
    "in {\"verified\": false, \"error\"}), 1 the node did not answer\n";

int query_usage(const std::string& why) {
  std::cerr << "joet-client query: " << why << "\n" << kQueryUsage;
  return 2;
}

void add_header_facts(json& out, const VerifiedHeader& h) {
  out["height"] = h.header.height();
  out["block_hash"] = to_hex(h.block_hash);
  out["time_ms"] = h.header.time_ms();
  out["signed_power"] = h.signed_power;
}

// The transport for the light client: GETs signed with the member key of --key, for the chain the
// genesis names (a node of another chain refuses the signature, and its answers fail verification).
RpcGet rpc_transport(const std::string& address, const std::optional<PrivateKey>& key, const std::string& chain_id) {
  std::optional<RequestSigner> signer;
  if (key.has_value()) signer = RequestSigner{*key, chain_id};
  return http_rpc_get(address, std::move(signer));
}

int refuse(const LightClientError& e) {
  std::cout << json{{"verified", false},
                    {"error", {{"code", light_fault_name(e.fault)}, {"message", e.message}}}}
                   .dump()
            << "\n";
  std::cerr << "joet-client query: " << e.to_string() << "\n";
  return e.fault == LightFault::kUnavailable ? 1 : 3;
}

}  // namespace

int run_query_command(int argc, char** argv) {
  if (argc < 4) return query_usage("query case CASE_ID, query tx TX_ID or query events RECIPIENT");
  const std::string what = argv[2];
  const std::string id = argv[3];
  if (what != "case" && what != "tx" && what != "events") return query_usage("unknown query " + what);
  std::map<std::string, std::string> flags;
  for (int i = 4; i < argc; ++i) {
    const std::string a = argv[i];
    if (!a.starts_with("--")) return query_usage("unexpected argument " + a);
    if (i + 1 >= argc) return query_usage(a + " needs a value");
    const std::string name = a.substr(2);
    if (name != "rpc" && name != "genesis" && name != "height" && name != "key" && name != "trust-file") {
      return query_usage("unknown option " + a);
    }
    if (name == "height" && what == "tx") return query_usage("--height applies to query case and query events");
    flags[name] = argv[++i];
  }
  for (const char* need : {"rpc", "genesis"}) {
    if (!flags.count(need)) return query_usage(std::string("--") + need + " is required");
  }
  std::optional<uint64_t> height;
  if (flags.count("height")) {
    const std::string& h = flags["height"];
    height = parse_decimal_u64(h);
    if (!height) return query_usage("--height: a decimal height");
    if (*height == 0) return query_usage("--height: heights start at 1");
  }
  if (what == "events" && !height) return query_usage("query events needs --height");
  std::optional<PrivateKey> key;
  if (flags.count("key")) {
    auto loaded = home::load_key_file(flags["key"]);
    if (!loaded.ok()) {
      std::cerr << "joet-client query: " << loaded.error.to_string() << "\n";
      return 2;
    }
    key = *loaded.value;
  }
  Result<TrustedValidators> trusted = trusted_validators_from_genesis(flags["genesis"]);
  if (!trusted.ok()) {
    std::cerr << "joet-client query: " << trusted.error().to_string() << "\n";
    return 2;
  }
  const std::string chain_id = trusted->chain_id;
  LightClient client(rpc_transport(flags["rpc"], key, chain_id), std::move(trusted).value());
  if (flags.count("trust-file")) {
    Result<std::optional<TrustedValidators>> kept = load_trust_file(flags["trust-file"]);
    Status resumed = kept.ok() ? Status() : kept.status();
    if (resumed.ok() && kept->has_value()) resumed = client.resume(std::move(**kept));
    if (!resumed.ok()) {
      std::cerr << "joet-client query: --trust-file: " << resumed.error().to_string() << "\n";
      return 2;
    }
  }
  // After a verified answer: keep the furthest trust for the next run.
  auto keep_trust = [&]() -> int {
    if (!flags.count("trust-file")) return 0;
    const Status saved = save_trust_file(flags["trust-file"], client.latest());
    if (saved.ok()) return 0;
    std::cerr << "joet-client query: --trust-file: " << saved.error().to_string() << "\n";
    return 1;
  };

  if (what == "case") {
    Verified<VerifiedCase> got = client.case_record(id, height);
    if (!got.ok()) return refuse(got.error());
    json out = {{"verified", true}, {"chain_id", client.latest().chain_id}, {"case_id", id}};
    add_header_facts(out, got->state.header);
    out["present"] = got->record.has_value();
    out["case"] = got->record.has_value() ? proto_json(*got->record) : json(nullptr);
    std::cout << out.dump() << "\n";
    return keep_trust();
  }
  if (what == "events") {
    Verified<VerifiedEvents> got = client.events(id, *height);
    if (!got.ok()) return refuse(got.error());
    json out = {{"verified", true}, {"chain_id", client.latest().chain_id}, {"recipient", id}};
    add_header_facts(out, got->header);
    json events = json::array();
    for (const contracts::v1::Event& e : got->events) events.push_back(proto_json(e));
    out["complete"] = got->complete;
    out["events"] = std::move(events);
    std::cout << out.dump() << "\n";
    return keep_trust();
  }
  Result<Hash32> tx_id = hash32_from_hex(id);
  if (!tx_id.ok()) return query_usage("TX_ID: 64 hex digits");
  Verified<VerifiedTx> got = client.tx(*tx_id);
  if (!got.ok()) return refuse(got.error());
  json out = {{"verified", true}, {"chain_id", client.latest().chain_id}, {"tx_id", to_hex(got->tx_id)}};
  add_header_facts(out, got->header);
  out["index"] = got->index;
  Result<v1::TxBody> body = decode_tx_body(as_bytes(got->tx.body()));
  out["body"] = body.ok() ? proto_json(*body) : json(nullptr);
  json signers = json::array();
  for (const v1::Signature& s : got->tx.signatures()) signers.push_back(to_hex(as_bytes(s.public_key())));
  out["signers"] = std::move(signers);
  // Proven against the header's results_root; null for a block of a rules version before 3, whose
  // header commits no results (the node's unproven answer is GET /v1/txs/{id}).
  out["result"] = got->result.has_value()
                      ? json{{"code", got->result->code()}, {"message", got->result->message()}}
                      : json(nullptr);
  std::cout << out.dump() << "\n";
  return keep_trust();
}

}  // namespace joet::sdk
