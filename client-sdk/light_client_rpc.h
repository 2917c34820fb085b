// The light client's fetching side: gets proof bundles from a node's RPC (docs/rpc.md "Proofs") and
// has the pure core (client-sdk/light_client.h) verify them, following the validator set from the
// trusted height to the height of each answer. The node is not trusted: every answer is verified
// before it is returned, and a node that lies is refused with the fault the core found.
//
// Following the chain costs one GET /v1/headers per height between the trust and the answer (and a
// GET /v1/validators where the set changes); a LightClient keeps the furthest verified trust, so a
// second query at a later height only follows the new heights. Answers older than that trust are
// verified by following again from the anchor (usually genesis).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "client-sdk/http_client.h"
#include "client-sdk/light_client.h"
#include "contracts.pb.h"

namespace joet::sdk {

// One GET of the node's RPC: the HTTP answer, or an Error when the node did not answer. The seam for
// transport concerns (timeouts, request signing): the light client only names targets.
using RpcGet = std::function<Result<HttpResponse>(const std::string& target)>;

// GETs to `address` (HOST:PORT) with http_request, signed by `signer` when given (the node reads
// case data only for signed requests of a registered member, docs/rpc.md "Access control").
RpcGet http_rpc_get(std::string address, std::optional<RequestSigner> signer = std::nullopt,
                    uint64_t timeout_ms = 5000);

// The trust a genesis.json gives: its chain id, height 1 and its validator set (node/home/genesis.h
// parses and checks the file). kNotFound / kMalformed / kInvalidArgument as the loader reports.
Result<TrustedValidators> trusted_validators_from_genesis(const std::string& genesis_path);

// A verified trust kept between runs (joet-client query --trust-file), so that the next query only
// follows the heights since: JSON {"chain_id", "height", "validator_set": hex of the serialized set}.
// The file is as trusted as the genesis (only the client writes it, after verifying); it is written
// atomically. load: nullopt when the file does not exist; kMalformed for a file that is not a trust.
Result<std::optional<TrustedValidators>> load_trust_file(const std::string& path);
Status save_trust_file(const std::string& path, const TrustedValidators& trust);

struct VerifiedCase {
  VerifiedState state;
  std::optional<contracts::v1::Case> record;  // nullopt: proven absent at this height
};

class LightClient {
 public:
  // A query follows at most this many validator-set changes: a node cannot keep us looping.
  static constexpr uint64_t kMaxSetChanges = 10'000;

  LightClient(RpcGet get, TrustedValidators anchor) : get_(std::move(get)), anchor_(anchor), latest_(std::move(anchor)) {}

  // The verified set of `height`, from the trust below it: a header of `height` that names the trusted
  // set and carries a quorum of it is taken at once; when it names another set, the last height that
  // still names the trusted set is found by bisection, the set change that header announces is
  // followed (advance), and so on. O(set changes x log(heights)) header fetches, not one per height.
  // The trust assumption is the one a set is trusted with anyway: under a third of its power faulty,
  // also at heights after it was replaced (decision 0009).
  Verified<TrustedValidators> trust_at(uint64_t height);
  // Headers fetched so far (for tests and progress).
  uint64_t headers_fetched() const { return headers_fetched_; }

  // A state key at `height` (nullopt: the node's tip), verified.
  Verified<VerifiedState> state(ByteView key, std::optional<uint64_t> height);
  // The case record at `height` (nullopt: the tip), verified; the record decoded from the proven bytes.
  Verified<VerifiedCase> case_record(std::string_view case_id, std::optional<uint64_t> height);
  // A key the case's quickscan reads (contracts/quickscan.h is_case_reading_key), at `height`, through
  // the case-scoped route its parties may read (GET /v1/cases/{case_id}/state/{key_hex}).
  Verified<VerifiedState> case_state(std::string_view case_id, ByteView key, uint64_t height);
  // A committed tx in its block, verified; with its result from rules version 3 on.
  Verified<VerifiedTx> tx(const Hash32& tx_id);
  // Every event of `recipient` at `height`, verified complete (pages followed until the run ends).
  Verified<VerifiedEvents> events(std::string_view recipient, uint64_t height);

  const TrustedValidators& latest() const { return latest_; }
  // Starts following from `trust` (e.g. a trust file) for heights at or above it. kInvalidArgument
  // when it is of another chain than the anchor or below the anchor's height.
  Status resume(TrustedValidators trust);

 private:
  // GET `target` (+ ?height=), a state bundle for `key`: parsed, trust followed, verified.
  Verified<VerifiedState> state_answer(const std::string& target, ByteView key, std::optional<uint64_t> height);

  Verified<VerifiedHeader> header_under(const TrustedValidators& t, uint64_t height);

  RpcGet get_;
  TrustedValidators anchor_;
  TrustedValidators latest_;
  uint64_t headers_fetched_ = 0;
};

}  // namespace joet::sdk
