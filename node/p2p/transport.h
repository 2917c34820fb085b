// The node's peer-to-peer transport (ARCHITECTURE.md "node/", docs/decisions/0007-p2p-identity.md).
//
// TLS 1.3 over TCP with an ephemeral certificate per node; a peer is identified by its validator key,
// pinned (the validators of the chain and the operator's peers, more pinned while running), proven by a signature over this connection's TLS exporter secret. For each
// pair of validators the one with the larger key dials and the other listens, so a pair has exactly
// one connection; a dropped connection is re-dialed with bounded exponential backoff. Frames to a
// peer wait in a bounded per-peer queue (the oldest is dropped and counted when it is full): consensus
// messages, which the engine re-sends while they matter. Frames that must never be dropped (the
// node's clients' txs) are not queued at all: the transport pulls them from a source when a
// connection has nothing queued to write (on_pull), so they wait in the mempool, not in a queue.
//
// Threading: every handler runs on executor(), a strand of the io_context; callbacks run there.
// The methods are not thread-safe: call them on executor() (asio::post(t.executor(), ...)) or while
// the io_context is not running. After stop() (or destruction) no callback runs.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/keys.h"
#include "node/p2p/log.h"
#include "node/p2p/wire.h"

namespace joet::p2p {

struct TransportConfig {
  std::string chain_id;
  // The genesis validators and where to reach them ("host:port", "[v6]:port"). May contain our own
  // key (ignored). Addresses of peers we do not dial are not used and may be empty.
  std::map<PublicKey, std::string> peers;
  boost::asio::ip::tcp::endpoint listen;  // port 0: the OS chooses (see local_endpoint())
  size_t max_frame_bytes = kDefaultMaxFrameBytes;
  size_t max_queue_frames = 1024;               // per peer
  size_t max_queue_bytes = 64 * 1024 * 1024;    // per peer; at least max_frame_bytes + 4
  std::chrono::milliseconds handshake_timeout{5000};  // connect + TLS + both Hellos
  std::chrono::milliseconds backoff_min{100};
  std::chrono::milliseconds backoff_max{5000};
  size_t max_pending_inbound = 64;  // inbound connections still in their handshake
  LogSink log;                      // empty: stderr
};

// Monotonic counters for /metrics.
struct TransportCounters {
  uint64_t frames_in = 0;
  uint64_t frames_out = 0;
  uint64_t bytes_in = 0;   // frames as on the wire, length prefix included (TLS overhead not)
  uint64_t bytes_out = 0;  // same
  uint64_t queue_drops = 0;       // queued (consensus) frames dropped for room; pulled frames never are
  uint64_t frames_pulled = 0;
  uint64_t connections_established = 0;
  uint64_t connections_lost = 0;      // established connections that ended, whatever the reason
  uint64_t frames_too_large = 0;      // connections closed for an announced length over the limit
  uint64_t malformed_frames = 0;      // connections closed for a frame that did not decode
  std::array<uint64_t, kHandshakeFailureCount> handshake_failures{};

  uint64_t handshake_failures_for(HandshakeFailure f) const { return handshake_failures[static_cast<size_t>(f)]; }
};

class Transport {
 public:
  using MessageHandler = std::function<void(const PublicKey& peer, Channel channel, Bytes payload)>;
  using PeerHandler = std::function<void(const PublicKey& peer, bool connected)>;
  // The next payload for `peer` on the pull channel, or nullopt when there is none now.
  using PullSource = std::function<std::optional<Bytes>(const PublicKey& peer)>;
  using Executor = boost::asio::strand<boost::asio::io_context::executor_type>;

  Transport(boost::asio::io_context& io, PrivateKey key, TransportConfig config);
  ~Transport();  // stop()
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  void on_message(MessageHandler handler);
  void on_peer(PeerHandler handler);
  // Frames of `channel` pulled from `source` whenever a connection's queue is empty (queued frames
  // go first). The source keeps one cursor per peer and starts it over when on_peer says the peer
  // connected: what was written on an old connection may never have arrived. One pull source.
  void on_pull(Channel channel, PullSource source);
  // The source has something new: every idle connection pulls.
  void poke();

  // Binds and listens (synchronously), so local_endpoint() is known before start(). start() calls
  // it when it has not been called.
  Status listen();
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Changes where a pinned peer is dialed from the next attempt on. `peer` must be pinned.
  void set_peer_address(const PublicKey& peer, std::string host_port);
  // Pins more peers while running (validators a governance tx put into the set, peers the operator
  // added): a key not pinned yet is accepted from now on and, when ours is larger and it has an
  // address, dialed at once; a pinned key given a new, non-empty address is dialed there from the
  // next attempt on (at once when it is not connected). Keys are never unpinned while running.
  void pin_peers(const std::map<PublicKey, std::string>& peers);
  // Accepts connections and dials every pinned peer whose key is smaller than ours.
  Status start();
  // Closes the listener and every connection; idempotent. No callback runs afterwards.
  void stop();

  // Queues one frame for the peer (also while it is disconnected). kNotFound: not a pinned peer;
  // kTooLarge: the frame would exceed max_frame_bytes; kConflict: stopped.
  Status send(const PublicKey& peer, Channel channel, ByteView payload);
  // Queues the frame for every pinned peer (encoded once).
  Status broadcast(Channel channel, ByteView payload);

  bool connected(const PublicKey& peer) const;
  std::vector<PublicKey> connected_peers() const;
  const TransportCounters& counters() const;
  const PublicKey& self() const;
  Executor executor() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace joet::p2p
