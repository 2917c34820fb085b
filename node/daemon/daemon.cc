#include "node/daemon/daemon.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "consensus/engine.h"
#include "consensus/evidence.h"
#include "consensus/message.h"
#include "consensus/signing_fence.h"
#include "contracts/executor.h"
#include "ledger/batch_verifier.h"
#include "ledger/block.h"
#include "ledger/block_store.h"
#include "ledger/codec.h"
#include "ledger/kv_store.h"
#include "ledger/store_verify.h"
#include "ledger/validator_set.h"
#include "node/app/ledger_app.h"
#include "node/app/mempool.h"
#include "node/daemon/engine_driver.h"
#include "node/daemon/fail_stop_backend.h"
#include "node/daemon/node_log.h"
#include "node/daemon/rpc_backend.h"
#include "node/daemon/sync_progress.h"
#include "node/file_wal.h"
#include "node/home/config.h"
#include "node/home/file_io.h"
#include "node/home/home.h"
#include "node/p2p/transport.h"
#include "node/rpc/server.h"
#include "node/signing_guard.h"
#include "version/version.h"

namespace joet::daemon {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

constexpr auto kGossipInterval = std::chrono::milliseconds(500);
constexpr uint64_t kCatchUpBatch = 32;  // certified blocks sent for one status hint
// What an operator does about a damaged store (docs/joet-node.md, "A damaged store").
constexpr const char* kStoreRemedy =
    ". The data dir is damaged: stop the node, move the data dir aside (keep it for inspection) and start the "
    "node again: it re-syncs from its peers, and its signing guard keeps it from signing at heights it signed "
    "at; or restore a backup";

uint64_t wall_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

const Bytes& genesis_hash_key() {
  static const Bytes k{'D', 'g', 'e', 'n', 'e', 's', 'i', 's', '_', 'h', 'a', 's', 'h'};
  return k;
}

class Daemon : public DriverIo {
 public:
  explicit Daemon(home::Home home)
      : home_(std::move(home)),
        log_(home_.config.moniker, parse_log_level(home_.config.log_level),
             [](std::string_view line) { std::cerr << line << "\n" << std::flush; }, [] { return static_cast<int64_t>(wall_ms()); }) {}
  ~Daemon() override { shutdown(); }

  // Opens everything and starts the engine; 0 when running, else the exit status.
  int open();
  int run() {
    if (!stopped_) io_.run();
    // shutdown() stopped the io_context: let the transport's and the RPC server's closing handlers run
    // (ours return at once now) before the backend and the stores go.
    io_.restart();
    io_.run_for(std::chrono::milliseconds(500));
    return exit_code_;
  }

  // DriverIo
  void broadcast(const Bytes& wire) override { (void)transport_->broadcast(p2p::Channel::kConsensus, wire); }
  void schedule(const consensus::ScheduleTimeout& timeout) override;
  void committed(const consensus::Committed& commit) override;
  void evidence_found(const consensus::EvidenceFound& found) override;
  uint64_t now_ms() override { return wall_ms(); }

 private:
  void log(std::string_view level, std::string_view msg, const json& fields = json::object()) const {
    log_.write(level, "node", msg, fields);
  }
  int fail(int code, std::string_view msg, const std::string& error) {
    log("error", msg, {{"error", error}});
    exit_code_ = code;
    shutdown();
    return code;
  }
  // The app or engine halted: stop before anything else is sent.
  void halted() { fail(1, "halted", driver_->halt_status().to_string()); }
  void after(bool ok) {
    if (!ok) halted();
  }

  void on_frame(const PublicKey& peer, p2p::Channel channel, const Bytes& payload);
  void on_consensus(const PublicKey& peer, const Bytes& payload);
  void on_tx(const Bytes& payload);
  void log_sync(const SyncReport& report);
  void gossip_tick();
  void shutdown();
  // The peers the transport pins: the operator's (config.json) at their addresses, and every validator
  // of the sets of the next two heights (a validator.update puts a key in force at h + 2, so it is
  // pinned, and accepted, two heights before it must vote).
  std::map<PublicKey, std::string> peers_to_pin() const;
  void wait_for_reload();
  void reload_peers();  // SIGHUP: config.json's peers again
  std::vector<rpc::PeerInfo> peers() const;
  std::vector<rpc::Metric> extra_metrics() const;

  home::Home home_;
  NodeLog log_;  // before everything that logs through it
  asio::io_context io_;
  std::unique_ptr<LevelDbKvStore> kv_;
  std::unique_ptr<BlockStore> blocks_;
  ExecutorConfig executor_;
  BatchVerifier verifier_{0};  // one per core: signature checks bound throughput (ledger/batch_verifier.h)
  std::unique_ptr<Mempool> mempool_;
  std::unique_ptr<LedgerApp> app_;
  std::unique_ptr<FileWal> wal_;
  std::unique_ptr<GuardedSigner> signer_;
  std::unique_ptr<consensus::Engine> engine_;
  std::unique_ptr<EngineDriver> driver_;
  std::unique_ptr<p2p::Transport> transport_;
  std::unique_ptr<DaemonRpcBackend> backend_;
  std::unique_ptr<FailStopOnCorruption> guarded_backend_;
  std::unique_ptr<rpc::RpcServer> rpc_;
  std::unique_ptr<asio::signal_set> signals_;
  std::unique_ptr<asio::signal_set> reload_signal_;
  std::unique_ptr<asio::steady_timer> gossip_timer_;
  std::map<uint64_t, std::unique_ptr<asio::steady_timer>> timers_;  // by sequence number
  uint64_t timer_seq_ = 0;
  consensus::SignatureCache cache_;
  std::map<PublicKey, uint64_t> peer_heights_;  // from status hints
  std::map<PublicKey, std::string> peer_addresses_;
  uint64_t gossip_height_ = 0;
  uint64_t catch_up_asked_ = 0;  // our height when we last sent a status hint
  SyncProgress sync_;
  uint64_t commits_ = 0;
  uint64_t bad_frames_ = 0;
  uint64_t txs_gossiped_ = 0;
  uint64_t txs_from_peers_ = 0;
  uint64_t txs_from_peers_refused_ = 0;
  // Per peer: the mempool sequence number of the last own tx announced on the current connection.
  std::map<PublicKey, uint64_t> announced_;
  bool stopped_ = false;
  int exit_code_ = 0;
};

int Daemon::open() {
  const home::GenesisState& gs = home_.genesis_state;
  const std::string data_dir = home_.paths.data_dir(home_.config);
  // A data dir removed by hand (a validator re-syncing from its peers) is made again, owner only.
  if (auto made = home::make_directory(data_dir, 0700); !made.ok()) {
    return fail(1, "cannot create the data dir", made.error.to_string());
  }
  LevelDbKvStore::Options options;
  options.create_if_missing = true;
  auto kv = LevelDbKvStore::open(data_dir + "/ledger", options);
  if (!kv.ok()) return fail(1, "cannot open the store", kv.error().to_string() + kStoreRemedy);
  kv_ = std::move(kv).value();
  // Every block of every table read once, its checksum verified (LevelDB's paranoid open checks only its
  // log and MANIFEST): a damaged .ldb stops the node here, before it signs anything, instead of answering
  // 500 dozens of blocks later.
  {
    const auto started = std::chrono::steady_clock::now();
    auto verified = verify_store(*kv_);
    if (!verified.ok()) return fail(1, "store corrupt", verified.error().to_string() + kStoreRemedy);
    log("info", "store verified",
        {{"path", data_dir + "/ledger"}, {"entries", verified->entries}, {"bytes", verified->bytes},
         {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()}});
  }

  // A data dir belongs to one genesis.
  auto stored_hash = kv_->get(genesis_hash_key());
  if (!stored_hash.ok()) return fail(1, "cannot read the store", stored_hash.error().to_string());
  if (stored_hash->has_value() && **stored_hash != Bytes(gs.hash.begin(), gs.hash.end())) {
    return fail(2, "genesis mismatch",
                data_dir + "/ledger was made for genesis " + to_hex(**stored_hash) + ", but " +
                    home_.paths.genesis() + " has hash " + to_hex(gs.hash));
  }

  auto blocks = BlockStore::open(*kv_, data_dir + "/ledger");
  if (!blocks.ok()) return fail(1, "cannot open the block store", blocks.error().to_string());
  blocks_ = std::move(blocks).value();
  executor_.chain_id = gs.chain_id;
  executor_.policy = home_.genesis.policy;
  mempool_ = std::make_unique<Mempool>(MempoolLimits{}, executor_, *kv_, *blocks_);
  Genesis genesis;
  genesis.chain_id = gs.chain_id;
  genesis.time_ms = gs.genesis_time_ms;
  genesis.state = gs.state_writes;
  genesis.validators = gs.validators.proto();
  LedgerAppConfig app_config;
  app_config.own_key = home_.validator_key.public_key();
  // A store written before the dashboard index gets one at start (node/inzicht/dashboard_index.h).
  app_config.on_index_rebuild = [this](uint64_t done, uint64_t total) {
    log_.write("info", "node", "building the dashboard index", {{"heights_read", done}, {"tip", total}});
  };
  app_ = std::make_unique<LedgerApp>(app_config, *kv_, *blocks_, executor_, verifier_, std::move(genesis), *mempool_);
  if (Status s = app_->init_genesis(); !s.ok()) return fail(1, "cannot start the ledger", s.to_string());
  if (!stored_hash->has_value()) {
    WriteBatch batch;
    batch.put(genesis_hash_key(), Bytes(gs.hash.begin(), gs.hash.end()));
    if (Status s = kv_->write(batch, true); !s.ok()) return fail(1, "cannot write the store", s.to_string());
  }

  auto wal = FileWal::open(data_dir + "/consensus.wal");
  if (!wal.ok()) return fail(1, "cannot open the WAL", wal.error().to_string());
  wal_ = std::move(wal).value();
  // The signing guard (keys/validator.state) keeps a wiped or restored data dir, or a WAL moved aside,
  // from signing twice or voting unlocked: it fences the heights the WAL lost (consensus/signing_fence.h).
  auto wal_records = wal_->read_all();  // the engine reads it again at start
  if (!wal_records.ok()) return fail(1, "cannot read the WAL", wal_records.error().to_string());
  const uint64_t start_height = app_->start_state().height;
  const uint64_t wal_max_height = consensus::wal_max_height(*wal_records);
  auto signer = GuardedSigner::open(home_.paths.validator_state(), home_.validator_key, start_height, wal_max_height);
  if (!signer.ok()) {
    return fail(signer.error().code == ErrorCode::kIoError ? 1 : 2, "cannot open the signing guard",
                signer.error().to_string());
  }
  signer_ = std::move(signer).value();
  log("info", "signing guard",
      {{"file", signer_->path()}, {"last_signed_height", signer_->last_signed_height()}, {"fence", signer_->fence()}});
  if (signer_->fence() > 0) {
    log("warn", "signing fence",
        {{"fence", signer_->fence()}, {"start_height", start_height}, {"wal_max_height", wal_max_height},
         {"detail", "the consensus WAL lacks heights this validator signed at (data dir wiped or restored, or the "
                    "WAL moved aside): the node will not sign through height " + std::to_string(signer_->fence()) +
                    "; it follows the chain and signs again from height " + std::to_string(signer_->fence() + 1)}});
  }
  consensus::EngineConfig engine_config;
  engine_config.chain_id = gs.chain_id;
  engine_config.empty_block_interval_ms = home_.config.empty_block_interval_ms;
  engine_ = std::make_unique<consensus::Engine>(engine_config, *app_, *signer_, *wal_);
  driver_ = std::make_unique<EngineDriver>(*engine_, *app_, *this);

  // The transport: the validators of the chain's next two sets and the operator's peers pinned, each
  // dialed at the address config.json gives it; more are pinned as the chain changes its set.
  p2p::TransportConfig tc;
  tc.chain_id = gs.chain_id;
  for (const home::PeerConfig& p : home_.config.peers) peer_addresses_[p.key] = p.address;
  tc.peers = peers_to_pin();
  tc.log = log_.sink_for("p2p");
  home::HostPort listen;
  if (!home::parse_host_port(home_.config.listen_address, listen)) {
    return fail(2, "bad listen_address", home_.config.listen_address);
  }
  boost::system::error_code ec;
  const auto listen_ip = asio::ip::make_address(listen.host, ec);
  if (ec) return fail(2, "listen_address must be an IP address", home_.config.listen_address);
  tc.listen = asio::ip::tcp::endpoint(listen_ip, listen.port);
  transport_ = std::make_unique<p2p::Transport>(io_, home_.validator_key, std::move(tc));
  transport_->on_message([this](const PublicKey& peer, p2p::Channel channel, Bytes payload) {
    on_frame(peer, channel, payload);
  });
  transport_->on_peer([this](const PublicKey& peer, bool connected) {
    log("info", connected ? "peer connected" : "peer disconnected", {{"peer", peer.hex()}});
    if (connected) announced_[peer] = 0;  // a new connection: announce every pending own tx again
  });
  // Our clients' txs go to every peer from the mempool, in admission order, never through a queue
  // that drops (docs/decisions/0014-tx-announcements.md).
  transport_->on_pull(p2p::Channel::kTxs, [this](const PublicKey& peer) -> std::optional<Bytes> {
    uint64_t& cursor = announced_[peer];
    auto next = mempool_->next_own_after(cursor);
    if (!next) return std::nullopt;
    cursor = next->seq;
    txs_gossiped_ += 1;
    return *next->bytes;
  });
  if (Status s = transport_->start(); !s.ok()) return fail(1, "cannot start the p2p transport", s.to_string());

  // The RPC server on the same io_context.
  NodeFacts facts;
  facts.chain_id = gs.chain_id;
  facts.now_ms = [] { return wall_ms(); };
  facts.tx_admitted = [this] {  // idle connections announce it now
    transport_->poke();
    // Not from inside the RPC handler: the engine's outputs (a proposal, a halt) come after it.
    asio::post(io_, [this] {
      if (!stopped_ && !driver_->on_work_available()) halted();
    });
  };
  facts.peers = [this] { return peers(); };
  facts.extra_metrics = [this] { return extra_metrics(); };
  facts.fatal = [this](const Error& e) { fail(1, "mempool failed", e.to_string()); };
  backend_ = std::make_unique<DaemonRpcBackend>(*app_, *blocks_, *kv_, *mempool_, std::move(facts));
  home::HostPort rpc_at;
  if (!home::parse_host_port(home_.config.rpc_address, rpc_at)) return fail(2, "bad rpc_address", home_.config.rpc_address);
  rpc::RpcServerConfig rc;
  rc.address = rpc_at.host;
  rc.port = rpc_at.port;
  rc.max_connections = home_.config.rpc_max_connections;
  rc.max_connections_per_client = home_.config.rpc_max_connections_per_client;
  // A corrupt read stops the node (posted: the RPC server must not stop inside its own handler).
  guarded_backend_ = std::make_unique<FailStopOnCorruption>(*backend_, [this](const Error& e) {
    asio::post(io_, [this, e] { fail(1, "store corrupt", e.to_string() + kStoreRemedy); });
  });
  rpc_ = std::make_unique<rpc::RpcServer>(io_, *guarded_backend_, rc, log_.sink_for("rpc"));
  if (Status s = rpc_->start(); !s.ok()) return fail(1, "cannot start the RPC server", s.to_string());

  reload_signal_ = std::make_unique<asio::signal_set>(io_, SIGHUP);
  wait_for_reload();
  signals_ = std::make_unique<asio::signal_set>(io_, SIGINT, SIGTERM);
  signals_->async_wait([this](const boost::system::error_code& e, int signal) {
    if (e) return;
    log("info", "stopping", {{"signal", signal}});
    shutdown();
  });

  log("info", "starting",
      {{"chain_id", gs.chain_id}, {"genesis_hash", to_hex(gs.hash)}, {"tip_height", app_->tip_height()},
       {"validator_key", home_.validator_key.public_key().hex()}, {"p2p", home_.config.listen_address},
       {"rpc", home_.config.rpc_address}});
  if (!driver_->start(app_->start_state())) {
    halted();
    return exit_code_;
  }
  gossip_timer_ = std::make_unique<asio::steady_timer>(io_);
  gossip_tick();
  return 0;
}

void Daemon::schedule(const consensus::ScheduleTimeout& timeout) {
  const uint64_t id = timer_seq_++;
  auto timer = std::make_unique<asio::steady_timer>(io_, std::chrono::milliseconds(timeout.delay_ms));
  timer->async_wait([this, id, timeout](const boost::system::error_code& e) {
    if (e || stopped_) return;
    timers_.erase(id);
    after(driver_->on_timeout(timeout));
  });
  timers_.emplace(id, std::move(timer));
}

void Daemon::committed(const consensus::Committed& commit) {
  commits_ += 1;
  json fields = {{"height", commit.height}, {"round", commit.round}, {"block_hash", to_hex(commit.block_hash)}};
  auto block = blocks_->block_at(commit.height);
  auto header = blocks_->header_at(commit.height);
  if (block.ok() && header.ok()) {
    fields["txs"] = block->block().txs_size();
    fields["state_root"] = to_hex(as_bytes(header->state_root()));
  }
  log("info", "committed", fields);
  if (backend_) backend_->notify_committed();
  if (transport_) transport_->pin_peers(peers_to_pin());
}

// Who double-signed, in the operator's terms: the validator's key and the institution it runs for.
void Daemon::evidence_found(const consensus::EvidenceFound& found) {
  const uint64_t height = consensus::evidence_height(found.evidence);
  const uint32_t index = consensus::evidence_offender(found.evidence);
  json fields = {{"height", height},
                 {"kind", std::holds_alternative<v1::Evidence>(found.evidence) ? "two votes" : "two proposals"},
                 {"validator_index", index}};
  const ValidatorSet* set = engine_->validator_set(height);
  if (set != nullptr && index < set->size()) {
    fields["validator_key"] = to_hex(as_bytes(set->at(index).public_key()));
    fields["institution"] = set->at(index).institution();
  }
  log("warn", "evidence found", fields);
}

std::map<PublicKey, std::string> Daemon::peers_to_pin() const {
  std::map<PublicKey, std::string> out = peer_addresses_;
  const uint64_t next = app_->tip_height() + 1;
  for (uint64_t height : {next, next + 1}) {
    const ValidatorSet* set = app_->validator_set(height);
    if (set == nullptr) continue;
    for (uint32_t i = 0; i < set->size(); ++i) {
      auto key = PublicKey::from_bytes(as_bytes(set->at(i).public_key()));
      JOET_ASSERT(key.ok());  // a set is checked before it is put in force
      out.try_emplace(*key, "");
    }
  }
  return out;
}

void Daemon::wait_for_reload() {
  reload_signal_->async_wait([this](const boost::system::error_code& e, int) {
    if (e || stopped_) return;
    reload_peers();
    wait_for_reload();
  });
}

void Daemon::reload_peers() {
  auto config = home::load_config(home_.paths.config());
  if (!config.ok()) {
    log("warn", "peers not reloaded", {{"error", config.error.to_string()}});
    return;
  }
  for (const home::PeerConfig& p : config.value->peers) peer_addresses_[p.key] = p.address;
  transport_->pin_peers(peers_to_pin());
  log("info", "peers reloaded", {{"file", home_.paths.config()}, {"peers", config.value->peers.size()}});
}

void Daemon::on_frame(const PublicKey& peer, p2p::Channel channel, const Bytes& payload) {
  if (stopped_) return;
  switch (channel) {
    case p2p::Channel::kConsensus:
      on_consensus(peer, payload);
      break;
    case p2p::Channel::kTxs:
      on_tx(payload);
      break;
    default:
      break;  // BLOCK_SYNC and STATUS: not used yet
  }
}

void Daemon::on_consensus(const PublicKey& peer, const Bytes& payload) {
  auto decoded = consensus::verify_and_decode(payload, [this](uint64_t h) { return engine_->validator_set(h); }, &cache_);
  if (!decoded.ok()) {
    bad_frames_ += 1;  // a message for a height we cannot verify yet, or a bad one: dropped
    return;
  }
  if (const auto* status = std::get_if<consensus::StatusMsg>(&*decoded)) {
    // A peer behind us: send it the certified blocks it lacks, a batch at a time.
    peer_heights_[peer] = status->height;
    sync_.peer_height(status->height);
    const uint64_t from = std::max<uint64_t>(status->height, 1);
    if (from < engine_->height()) {  // our height first, so the peer knows how far it has to go (its progress)
      (void)transport_->send(peer, p2p::Channel::kConsensus,
                             consensus::encode_message(consensus::StatusMsg{engine_->height()}));
    }
    for (uint64_t h = from; h < engine_->height() && h < from + kCatchUpBatch; ++h) {
      auto block = blocks_->block_at(h);
      if (!block.ok()) {
        fail(1, "cannot read the block store", block.error().to_string());
        return;
      }
      const consensus::CommitMsg commit{block->commit(), encode(block->block())};
      (void)transport_->send(peer, p2p::Channel::kConsensus, consensus::encode_message(commit));
    }
    return;
  }
  const bool catch_up = std::holds_alternative<consensus::CommitMsg>(*decoded);
  const uint64_t before = engine_->height();
  if (!driver_->on_message(*decoded)) {
    halted();
    return;
  }
  if (engine_->height() > before) {
    // Behind: committed from a peer's certified block, or below the height a peer reported (a restarted
    // node also catches up on the votes its peers re-send). Otherwise in step with the network.
    const bool behind = catch_up || sync_.target() > engine_->height() + 1;  // one ahead: jitter
    const auto report = behind ? sync_.caught_up(before, engine_->height(), wall_ms())
                               : sync_.in_step(engine_->height(), wall_ms());
    if (report) log_sync(*report);
  }
  if (catch_up && engine_->height() > before && engine_->height() >= catch_up_asked_ + kCatchUpBatch) {
    // Through a whole batch of a peer's certified blocks: ask that peer for the next batch now
    // (once per batch, not once per block: each hint is answered with a batch).
    catch_up_asked_ = engine_->height();
    (void)transport_->send(peer, p2p::Channel::kConsensus,
                           consensus::encode_message(consensus::StatusMsg{engine_->height()}));
  }
}

void Daemon::log_sync(const SyncReport& r) {
  json fields = {{"height", r.height}, {"target", r.target}, {"heights", r.heights}, {"elapsed_ms", r.elapsed_ms},
                 {"heights_per_s", static_cast<uint64_t>(r.heights_per_s)}};
  if (r.eta_s) fields["eta_s"] = *r.eta_s;
  log("info", r.msg, fields);
}

// A peer's client tx: admitted with a peer's headroom and not passed on (its own node announces it
// to every validator directly).
void Daemon::on_tx(const Bytes& payload) {
  auto verdict = app_->submit_tx(payload, static_cast<int64_t>(wall_ms()), TxOrigin::kPeer);
  if (!verdict.ok()) {
    fail(1, "mempool failed", verdict.error().to_string());
    return;
  }
  if (verdict->admitted()) {
    txs_from_peers_ += 1;
    if (!driver_->on_work_available()) halted();
  } else if (verdict->refused->fault != TxFault::kDuplicate) {
    txs_from_peers_refused_ += 1;
  }
}

void Daemon::gossip_tick() {
  if (stopped_) return;
  if (engine_->height() == gossip_height_) {
    // No progress for a tick: re-send what we have, with a status hint (peers ahead answer it).
    for (const Bytes& wire : engine_->gossip_messages()) broadcast(wire);
    catch_up_asked_ = engine_->height();
  }
  gossip_height_ = engine_->height();
  gossip_timer_->expires_after(kGossipInterval);
  gossip_timer_->async_wait([this](const boost::system::error_code& e) {
    if (!e) gossip_tick();
  });
}

std::vector<rpc::PeerInfo> Daemon::peers() const {
  std::vector<rpc::PeerInfo> out;
  for (const PublicKey& key : transport_->connected_peers()) {
    rpc::PeerInfo p;
    p.id = key.hex();
    auto a = peer_addresses_.find(key);
    if (a != peer_addresses_.end()) p.address = a->second;
    auto h = peer_heights_.find(key);
    if (h != peer_heights_.end()) p.height = h->second;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<rpc::Metric> Daemon::extra_metrics() const {
  using rpc::Metric;
  const p2p::TransportCounters& c = transport_->counters();
  auto counter = [](std::string name, std::string help, uint64_t v) {
    return Metric{std::move(name), std::move(help), Metric::Type::kCounter, {}, static_cast<double>(v)};
  };
  return {
      Metric{"joet_peers_connected", "Peers with an established connection.", Metric::Type::kGauge, {},
             static_cast<double>(transport_->connected_peers().size())},
      Metric{"joet_consensus_round", "The engine's current round.", Metric::Type::kGauge, {},
             static_cast<double>(engine_->round())},
      Metric{"joet_consensus_idle", "1 while this node, proposer of round 0, waits for txs (empty_block_interval_ms).",
             Metric::Type::kGauge, {}, engine_->idle() ? 1.0 : 0.0},
      Metric{"joet_sync_active", "1 while the node commits peers' certified blocks to catch up.", Metric::Type::kGauge,
             {}, sync_.syncing() ? 1.0 : 0.0},
      Metric{"joet_sync_target_height", "The highest height a peer reported.", Metric::Type::kGauge, {},
             static_cast<double>(sync_.target())},
      Metric{"joet_build_info", "The running binary: its version and git commit (always 1).", Metric::Type::kGauge,
             {{"version", std::string(version::project_version())}, {"commit", std::string(version::git_commit())}}, 1.0},
      counter("joet_commits_total", "Heights committed since the node started.", commits_),
      counter("joet_validations_total", "Blocks validated for the engine.", driver_->validations()),
      counter("joet_evidence_found_total", "Evidence of double signing the engine found.", driver_->evidence_found()),
      counter("joet_evidence_dropped_total", "Evidence not kept because the pending pool was full.",
              engine_->evidence_dropped()),
      counter("joet_signatures_refused_total", "New signatures the signing guard refused (slots left silent).",
              engine_->signatures_refused()),
      Metric{"joet_signing_fence_height", "The height through which this validator does not sign (0: none).",
             Metric::Type::kGauge, {}, static_cast<double>(signer_->fence())},
      counter("joet_consensus_frames_dropped_total", "Consensus frames that did not verify.", bad_frames_),
      counter("joet_txs_gossiped_total", "Own clients' txs announced to peers (again after a reconnect).", txs_gossiped_),
      counter("joet_txs_from_peers_total", "Txs peers announced that this node admitted.", txs_from_peers_),
      counter("joet_txs_from_peers_refused_total", "Txs peers announced that this node refused (not as duplicates).",
              txs_from_peers_refused_),
      counter("joet_tx_signature_checks_total", "Tx signatures verified: at admission, and in blocks for txs not admitted here.",
              mempool_->signatures_verified() + app_->block_signature_checks()),
      counter("joet_p2p_frames_in_total", "Frames received.", c.frames_in),
      counter("joet_p2p_frames_out_total", "Frames sent.", c.frames_out),
      counter("joet_p2p_queue_drops_total", "Consensus frames dropped from full peer queues.", c.queue_drops),
  };
}

void Daemon::shutdown() {
  if (stopped_) return;
  stopped_ = true;
  if (rpc_) rpc_->stop();
  if (transport_) transport_->stop();
  for (auto& [id, t] : timers_) t->cancel();
  timers_.clear();
  if (gossip_timer_) gossip_timer_->cancel();
  if (signals_) signals_->cancel();
  if (reload_signal_) reload_signal_->cancel();
  io_.stop();
}

}  // namespace

int run_node(const std::string& home_dir) {
  auto home = home::load_home(home_dir);
  if (!home.ok()) {
    std::cerr << "joet-node: " << home.error.to_string() << "\n";
    return home.error.is_bad_input() ? 2 : 1;
  }
  int code = 0;
  {
    Daemon daemon(std::move(*home.value));
    code = daemon.open();
    if (code == 0) code = daemon.run();
  }  // the stores close here (LevelDB, the WAL)
  return code;
}

}  // namespace joet::daemon
