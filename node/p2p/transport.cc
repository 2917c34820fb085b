#include "node/p2p/transport.h"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <deque>
#include <set>

#include "ledger/codec.h"
#include "node/p2p/session.h"
#include "node/p2p/tls_identity.h"

namespace joet::p2p {

namespace {

using boost::system::error_code;
using Millis = std::chrono::milliseconds;

struct HostPort {
  std::string host;
  std::string port;
};

// "host:port" or "[v6]:port".
Result<HostPort> split_host_port(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return make_error(ErrorCode::kInvalidArgument, "p2p: peer address must be host:port, got '" + std::string(text) + "'");
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return HostPort{std::string(host), std::string(text.substr(colon + 1))};
}

}  // namespace

class Transport::Impl : public std::enable_shared_from_this<Impl> {
 private:
  // One pinned validator: its connection, our dial attempt and its send queue.
  struct Peer {
    Peer(const PublicKey& k, std::string addr, bool dial, const Executor& executor, Millis backoff_min)
        : key(k), address(std::move(addr)), we_dial(dial), redial_timer(executor), backoff(backoff_min) {}

    const PublicKey key;
    std::string address;
    const bool we_dial;                 // our key is larger: we dial, it listens
    std::shared_ptr<Session> session;   // authenticated and current
    std::shared_ptr<Session> dialing;   // our outbound attempt, still in its handshake
    std::deque<std::shared_ptr<const Bytes>> queue;
    size_t queued_bytes = 0;
    asio::steady_timer redial_timer;
    bool redial_pending = false;
    Millis backoff;
  };

 public:
  Impl(asio::io_context& io, PrivateKey key, TransportConfig config)
      : strand_(asio::make_strand(io)),
        key_(std::move(key)),
        config_(std::move(config)),
        tls_(make_tls_context()),
        acceptor_(strand_),
        accept_retry_(strand_),
        log_(config_.log, nlohmann::json{{"node", key_.public_key().hex()}, {"component", "p2p"}}) {
    JOET_ASSERT(!config_.chain_id.empty() && config_.chain_id.size() <= limits::kMaxChainIdBytes);
    JOET_ASSERT(config_.max_frame_bytes > 0 && config_.max_frame_bytes <= UINT32_MAX);
    JOET_ASSERT(config_.max_queue_frames > 0);
    JOET_ASSERT(config_.max_queue_bytes >= config_.max_frame_bytes + kLengthPrefixBytes);
    JOET_ASSERT(config_.handshake_timeout.count() > 0);
    JOET_ASSERT(config_.backoff_min.count() > 0 && config_.backoff_min <= config_.backoff_max);
    JOET_ASSERT(config_.max_pending_inbound > 0);
    for (const auto& [peer_key, address] : config_.peers) {
      if (peer_key == self()) continue;
      pinned_.insert(peer_key);
      peers_.try_emplace(peer_key, peer_key, address, self() > peer_key, strand_, config_.backoff_min);
    }
  }

  const PublicKey& self() const { return key_.public_key(); }
  Executor executor() const { return strand_; }
  const TransportCounters& counters() const { return counters_; }
  void set_on_message(MessageHandler h) { on_message_ = std::move(h); }
  void set_on_peer(PeerHandler h) { on_peer_ = std::move(h); }
  void set_on_pull(Channel channel, PullSource source) {
    pull_channel_ = channel;
    pull_ = std::move(source);
  }
  void poke() {
    if (stopped_) return;
    for (auto& [k, peer] : peers_) pump(peer);
  }

  Status listen() {
    if (listening_) return Status();
    JOET_ASSERT(!stopped_);
    error_code ec;
    acceptor_.open(config_.listen.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(config_.listen, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      error_code ignored;
      acceptor_.close(ignored);
      return make_error(ErrorCode::kIoError, "p2p: listen on " + endpoint_string(config_.listen) + ": " + ec.message());
    }
    listening_ = true;
    log_.info("listening", {{"listen", endpoint_string(local_endpoint())}, {"peers", peers_.size()}});
    return Status();
  }

  tcp::endpoint local_endpoint() const {
    error_code ec;
    tcp::endpoint endpoint = acceptor_.local_endpoint(ec);
    return ec ? tcp::endpoint() : endpoint;
  }

  void set_peer_address(const PublicKey& key, std::string address) {
    auto it = peers_.find(key);
    JOET_ASSERT(it != peers_.end());
    it->second.address = std::move(address);
  }

  void pin_peers(const std::map<PublicKey, std::string>& peers) {
    if (stopped_) return;
    for (const auto& [key, address] : peers) {
      if (key == self()) continue;
      auto [it, fresh] = peers_.try_emplace(key, key, address, self() > key, strand_, config_.backoff_min);
      Peer& peer = it->second;
      if (fresh) {
        pinned_.insert(key);
        log_.info("peer pinned", {{"peer", key.hex()}, {"address", address}, {"direction", peer.we_dial ? "outbound" : "inbound"}});
      } else if (!address.empty() && address != peer.address) {
        peer.address = address;
        log_.info("peer address", {{"peer", key.hex()}, {"address", address}});
      } else {
        continue;
      }
      if (started_ && peer.we_dial && !peer.address.empty() && !peer.redial_pending) dial(peer);
    }
    check_invariants();
  }

  Status start() {
    JOET_ASSERT(!started_ && !stopped_);
    Status s = listen();
    if (!s.ok()) return s;
    started_ = true;
    accept();
    for (auto& [k, peer] : peers_) {
      if (peer.we_dial) dial(peer);
    }
    check_invariants();
    return Status();
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    for (auto& [k, peer] : peers_) {
      peer.redial_timer.cancel();
      for (auto* s : {&peer.session, &peer.dialing}) {
        if (*s) (*s)->close();
        s->reset();
      }
      peer.queue.clear();
      peer.queued_bytes = 0;
    }
    for (const auto& s : pending_) s->close();
    pending_.clear();
    if (started_) log_.info("stopped");
  }

  Status send(const PublicKey& key, Channel channel, ByteView payload) {
    if (stopped_) return make_error(ErrorCode::kConflict, "p2p: transport stopped");
    auto it = peers_.find(key);
    if (it == peers_.end()) return make_error(ErrorCode::kNotFound, "p2p: not a pinned peer: " + key.hex());
    auto wire = make_wire(channel, payload);
    if (!wire.ok()) return wire.status();
    enqueue(it->second, std::move(*wire));
    check_invariants();
    return Status();
  }

  Status broadcast(Channel channel, ByteView payload) {
    if (stopped_) return make_error(ErrorCode::kConflict, "p2p: transport stopped");
    auto wire = make_wire(channel, payload);
    if (!wire.ok()) return wire.status();
    for (auto& [k, peer] : peers_) enqueue(peer, *wire);
    check_invariants();
    return Status();
  }

  bool connected(const PublicKey& key) const {
    auto it = peers_.find(key);
    return it != peers_.end() && it->second.session != nullptr;
  }

  std::vector<PublicKey> connected_peers() const {
    std::vector<PublicKey> out;
    for (const auto& [k, peer] : peers_) {
      if (peer.session) out.push_back(k);
    }
    return out;
  }

 private:
  Result<std::shared_ptr<const Bytes>> make_wire(Channel channel, ByteView payload) const {
    auto wire = std::make_shared<const Bytes>(encode_frame(channel, payload));
    if (wire->size() - kLengthPrefixBytes > config_.max_frame_bytes) {
      return make_error(ErrorCode::kTooLarge, "p2p: frame of " + std::to_string(wire->size() - kLengthPrefixBytes) +
                                                  " bytes, limit " + std::to_string(config_.max_frame_bytes));
    }
    return wire;
  }

  // Bounded: when the queue is full the oldest frames go (consensus re-sends what still matters;
  // an old vote is worth less than a new one).
  void enqueue(Peer& peer, std::shared_ptr<const Bytes> wire) {
    peer.queued_bytes += wire->size();
    peer.queue.push_back(std::move(wire));
    while (peer.queue.size() > config_.max_queue_frames || peer.queued_bytes > config_.max_queue_bytes) {
      peer.queued_bytes -= peer.queue.front()->size();
      peer.queue.pop_front();
      ++counters_.queue_drops;
    }
    JOET_ASSERT(!peer.queue.empty());
    pump(peer);
  }

  // One write in flight per connection; the next starts when it completes. Queued frames first, then
  // the pull source's.
  void pump(Peer& peer) {
    if (stopped_ || !peer.session || peer.session->writing()) return;
    std::shared_ptr<const Bytes> wire;
    if (!peer.queue.empty()) {
      wire = std::move(peer.queue.front());
      peer.queue.pop_front();
      peer.queued_bytes -= wire->size();
    } else {
      wire = pull(peer);
      if (!wire) return;
    }
    const size_t size = wire->size();
    peer.session->write(std::move(wire), [weak = weak_from_this(), key = peer.key, size] {
      auto self = weak.lock();
      if (!self || self->stopped_) return;
      ++self->counters_.frames_out;
      self->counters_.bytes_out += size;
      self->pump(self->peers_.at(key));
    });
  }

  // The next pulled frame for the peer; a payload over the frame limit is skipped and logged (the
  // source admitted it under its own, smaller limit, so this is a configuration error).
  std::shared_ptr<const Bytes> pull(Peer& peer) {
    if (!pull_) return nullptr;
    while (std::optional<Bytes> payload = pull_(peer.key)) {
      auto wire = make_wire(pull_channel_, *payload);
      if (wire.ok()) {
        ++counters_.frames_pulled;
        return std::move(*wire);
      }
      log_.warn("pulled frame not sent", {{"peer", peer.key.hex()}, {"reason", wire.error().message}});
    }
    return nullptr;
  }

  Session::Settings session_settings() const {
    return Session::Settings{config_.chain_id, &key_, &pinned_, config_.max_frame_bytes, config_.handshake_timeout};
  }

  // The hooks hold the transport weakly; after stop() every session is closed, so none of them runs.
  Session::Hooks session_hooks() {
    std::weak_ptr<Impl> weak = weak_from_this();
    Session::Hooks hooks;
    hooks.check_peer = [weak](Session& s, const PublicKey& key) -> std::optional<HandshakeFailure> {
      auto self = weak.lock();
      return self ? self->check_peer(s, key) : std::optional(HandshakeFailure::kPeerClosed);
    };
    hooks.on_ready = [weak](Session& s) {
      if (auto self = weak.lock()) self->on_ready(s);
    };
    hooks.on_failed = [weak](Session& s, HandshakeFailure failure, const std::string& detail) {
      if (auto self = weak.lock()) self->on_failed(s, failure, detail);
    };
    hooks.on_frame = [weak](Session& s, Channel channel, Bytes payload, size_t wire_bytes) {
      if (auto self = weak.lock()) self->on_frame(s, channel, std::move(payload), wire_bytes);
    };
    hooks.on_closed = [weak](Session& s, CloseReason reason, const std::string& detail) {
      if (auto self = weak.lock()) self->on_closed(s, reason, detail);
    };
    return hooks;
  }

  void accept() {
    acceptor_.async_accept([weak = weak_from_this()](const error_code& ec, tcp::socket socket) {
      auto self = weak.lock();
      if (!self || self->stopped_ || ec == asio::error::operation_aborted) return;
      if (ec) {
        // E.g. out of file descriptors: try again a little later rather than spin.
        self->log_.warn("accept failed", {{"error", ec.message()}});
        self->accept_retry_.expires_after(self->config_.backoff_min);
        self->accept_retry_.async_wait([weak](const error_code& ec2) {
          auto again = weak.lock();
          if (again && !ec2 && !again->stopped_) again->accept();
        });
        return;
      }
      self->on_accepted(std::move(socket));
      self->accept();
    });
  }

  void on_accepted(tcp::socket socket) {
    if (pending_.size() >= config_.max_pending_inbound) {
      error_code ec;
      const tcp::endpoint remote = socket.remote_endpoint(ec);
      count_failure(HandshakeFailure::kTooManyPending);
      log_.warn("peer refused", {{"reason", handshake_failure_name(HandshakeFailure::kTooManyPending)},
                                 {"remote", ec ? std::string("unknown") : endpoint_string(remote)}});
      socket.close(ec);
      return;
    }
    auto session = std::make_shared<Session>(std::move(socket), tls_, Session::Role::kListener, session_settings(),
                                             session_hooks());
    pending_.insert(session);
    session->start_accepted();
    check_invariants();
  }

  void dial(Peer& peer) {
    if (stopped_ || peer.session || peer.dialing) return;
    JOET_ASSERT(peer.we_dial);
    auto target = split_host_port(peer.address);
    if (!target.ok()) {
      count_failure(HandshakeFailure::kConnect);
      log_.warn("dial failed", {{"peer", peer.key.hex()}, {"reason", target.error().message}});
      schedule_redial(peer);
      return;
    }
    peer.dialing = std::make_shared<Session>(tcp::socket(strand_), tls_, Session::Role::kDialer, session_settings(),
                                             session_hooks());
    peer.dialing->start_dial(target->host, target->port);
  }

  void schedule_redial(Peer& peer) {
    if (stopped_ || !peer.we_dial || peer.session || peer.dialing || peer.redial_pending) return;
    peer.redial_pending = true;
    peer.redial_timer.expires_after(peer.backoff);
    peer.backoff = std::min(peer.backoff * 2, config_.backoff_max);
    peer.redial_timer.async_wait([weak = weak_from_this(), key = peer.key](const error_code& ec) {
      auto self = weak.lock();
      if (!self || ec || self->stopped_) return;
      Peer& p = self->peers_.at(key);
      p.redial_pending = false;
      self->dial(p);
      self->check_invariants();
    });
  }

  // Our checks on top of verify_hello: a dialed peer must be the one we dialed; a listener refuses
  // pinned peers that it should be dialing itself (one connection per pair).
  std::optional<HandshakeFailure> check_peer(Session& s, const PublicKey& key) {
    auto it = peers_.find(key);
    JOET_ASSERT(it != peers_.end());  // verify_hello accepted only pinned keys other than ours
    if (s.role() == Session::Role::kDialer) {
      if (it->second.dialing.get() != &s) return HandshakeFailure::kUnexpectedKey;
    } else if (it->second.we_dial) {
      return HandshakeFailure::kWrongDirection;
    }
    return std::nullopt;
  }

  void on_ready(Session& s) {
    auto session = s.shared_from_this();
    JOET_ASSERT(s.peer_key().has_value());
    Peer& peer = peers_.at(*s.peer_key());
    if (s.role() == Session::Role::kDialer) {
      JOET_ASSERT(peer.dialing == session);
      peer.dialing.reset();
    } else {
      const size_t erased = pending_.erase(session);
      JOET_ASSERT(erased == 1);
    }
    if (peer.session) {
      // The peer connected again while we still held its old connection (it restarted, or the old
      // one is half-open): the newer authenticated connection wins.
      JOET_ASSERT(!peer.we_dial);
      peer.session->close();
      peer.session.reset();
      ++counters_.connections_lost;
      log_.info("connection replaced", {{"peer", peer.key.hex()}, {"remote", s.remote()}});
      notify_peer(peer.key, false);
      if (stopped_) return;
    }
    peer.session = std::move(session);
    peer.backoff = config_.backoff_min;
    ++counters_.connections_established;
    log_.info("peer connected", {{"peer", peer.key.hex()},
                                 {"remote", s.remote()},
                                 {"direction", peer.we_dial ? "outbound" : "inbound"}});
    notify_peer(peer.key, true);
    if (stopped_) return;
    pump(peer);
    check_invariants();
  }

  void on_failed(Session& s, HandshakeFailure failure, const std::string& detail) {
    auto session = s.shared_from_this();
    count_failure(failure);
    nlohmann::json fields = {{"reason", handshake_failure_name(failure)}, {"remote", s.remote()}};
    if (!detail.empty()) fields["detail"] = detail;
    if (s.role() == Session::Role::kListener) {
      const size_t erased = pending_.erase(session);
      JOET_ASSERT(erased == 1);
      if (s.peer_key()) fields["peer"] = s.peer_key()->hex();
      log_.warn("peer refused", fields);
    } else {
      auto it = std::find_if(peers_.begin(), peers_.end(), [&](const auto& kv) { return kv.second.dialing == session; });
      JOET_ASSERT(it != peers_.end());
      Peer& peer = it->second;
      peer.dialing.reset();
      fields["peer"] = peer.key.hex();
      fields["retry_ms"] = peer.backoff.count();
      const bool unreachable = failure == HandshakeFailure::kConnect || failure == HandshakeFailure::kTimeout ||
                               failure == HandshakeFailure::kPeerClosed;
      if (unreachable) {
        log_.info("dial failed", fields);
      } else {
        if (s.peer_key() && *s.peer_key() != peer.key) fields["claimed"] = s.peer_key()->hex();
        log_.warn("peer refused", fields);
      }
      schedule_redial(peer);
    }
    check_invariants();
  }

  void on_frame(Session& s, Channel channel, Bytes payload, size_t wire_bytes) {
    JOET_ASSERT(s.ready() && s.peer_key().has_value());
    ++counters_.frames_in;
    counters_.bytes_in += wire_bytes;
    const PublicKey peer = *s.peer_key();  // a copy: the handler may stop the transport
    if (on_message_) on_message_(peer, channel, std::move(payload));
  }

  void on_closed(Session& s, CloseReason reason, const std::string& detail) {
    JOET_ASSERT(s.peer_key().has_value());
    Peer& peer = peers_.at(*s.peer_key());
    JOET_ASSERT(peer.session.get() == &s);  // a replaced session is closed silently
    peer.session.reset();
    ++counters_.connections_lost;
    if (reason == CloseReason::kFrameTooLarge) ++counters_.frames_too_large;
    if (reason == CloseReason::kMalformedFrame) ++counters_.malformed_frames;
    nlohmann::json fields = {{"peer", peer.key.hex()}, {"remote", s.remote()}, {"reason", close_reason_name(reason)}};
    if (!detail.empty()) fields["detail"] = detail;
    if (reason == CloseReason::kPeerClosed) {
      log_.info("peer disconnected", fields);
    } else {
      log_.warn("peer disconnected", fields);
    }
    notify_peer(peer.key, false);
    if (stopped_) return;
    schedule_redial(peer);
    check_invariants();
  }

  void notify_peer(const PublicKey& key, bool up) {
    if (on_peer_ && !stopped_) on_peer_(key, up);
  }

  void count_failure(HandshakeFailure failure) {
    JOET_ASSERT(failure != HandshakeFailure::kCount);
    ++counters_.handshake_failures[static_cast<size_t>(failure)];
  }

  void check_invariants() const {
    if (stopped_) return;
    JOET_ASSERT(pending_.size() <= config_.max_pending_inbound);
    for (const auto& [k, peer] : peers_) {
      JOET_ASSERT(!(peer.session && peer.dialing));
      JOET_ASSERT(peer.we_dial || (!peer.dialing && !peer.redial_pending));
      JOET_ASSERT(!peer.session || peer.session->ready());
      JOET_ASSERT(peer.queue.size() <= config_.max_queue_frames);
      JOET_ASSERT(peer.queued_bytes <= config_.max_queue_bytes);
      JOET_ASSERT(peer.backoff >= config_.backoff_min && peer.backoff <= config_.backoff_max);
    }
  }

  Executor strand_;
  const PrivateKey key_;
  const TransportConfig config_;
  asio::ssl::context tls_;
  std::set<PublicKey> pinned_;
  std::map<PublicKey, Peer> peers_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::set<std::shared_ptr<Session>> pending_;  // inbound, still in their handshake
  Logger log_;
  TransportCounters counters_;
  MessageHandler on_message_;
  PeerHandler on_peer_;
  Channel pull_channel_ = Channel::kTxs;
  PullSource pull_;
  bool listening_ = false;
  bool started_ = false;
  bool stopped_ = false;
};

Transport::Transport(asio::io_context& io, PrivateKey key, TransportConfig config)
    : impl_(std::make_shared<Impl>(io, std::move(key), std::move(config))) {}
Transport::~Transport() { impl_->stop(); }

void Transport::on_message(MessageHandler handler) { impl_->set_on_message(std::move(handler)); }
void Transport::on_peer(PeerHandler handler) { impl_->set_on_peer(std::move(handler)); }
void Transport::on_pull(Channel channel, PullSource source) { impl_->set_on_pull(channel, std::move(source)); }
void Transport::poke() { impl_->poke(); }
Status Transport::listen() { return impl_->listen(); }
tcp::endpoint Transport::local_endpoint() const { return impl_->local_endpoint(); }
void Transport::set_peer_address(const PublicKey& peer, std::string host_port) {
  impl_->set_peer_address(peer, std::move(host_port));
}
void Transport::pin_peers(const std::map<PublicKey, std::string>& peers) { impl_->pin_peers(peers); }
Status Transport::start() { return impl_->start(); }
void Transport::stop() { impl_->stop(); }
Status Transport::send(const PublicKey& peer, Channel channel, ByteView payload) {
  return impl_->send(peer, channel, payload);
}
Status Transport::broadcast(Channel channel, ByteView payload) { return impl_->broadcast(channel, payload); }
bool Transport::connected(const PublicKey& peer) const { return impl_->connected(peer); }
std::vector<PublicKey> Transport::connected_peers() const { return impl_->connected_peers(); }
const TransportCounters& Transport::counters() const { return impl_->counters(); }
const PublicKey& Transport::self() const { return impl_->self(); }
Transport::Executor Transport::executor() const { return impl_->executor(); }

}  // namespace joet::p2p
