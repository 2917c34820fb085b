// Real TLS connections on 127.0.0.1 (ports chosen by the OS). The io_context runs on the test
// thread in short slices until a condition holds or a deadline passes; every test stops everything.
#include "node/p2p/transport.h"

#include <gtest/gtest.h>

#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <map>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "node/p2p/tls_identity.h"

namespace joet::p2p {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

const std::string kChain = "joet-p2p-test";
constexpr auto kDeadline = 5000ms;

struct Received {
  PublicKey from;
  Channel channel;
  std::string payload;
};

// A Transport and everything its callbacks and log saw.
struct Node {
  Node(asio::io_context& io, const PrivateKey& key, TransportConfig config)
      : transport(io, key, with_log_sink(std::move(config))) {
    transport.on_message([this](const PublicKey& from, Channel channel, Bytes payload) {
      received.push_back({from, channel, to_string(payload)});
    });
    transport.on_peer([this](const PublicKey& peer, bool up) { peer_events.emplace_back(peer, up); });
  }

  TransportConfig with_log_sink(TransportConfig config) {
    config.log = [this](nlohmann::json line) {
      const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      EXPECT_TRUE(parsed.is_object()) << text;
      if (std::getenv("JOET_P2P_TEST_LOGS") != nullptr) std::fprintf(stderr, "%s\n", text.c_str());
      logs.emplace_back(text);
    };
    return config;
  }

  std::vector<std::string> from(const PublicKey& peer) const {
    std::vector<std::string> out;
    for (const auto& r : received) {
      if (r.from == peer) out.push_back(r.payload);
    }
    return out;
  }
  bool logged(std::string_view msg, std::string_view reason) const {
    return std::any_of(logs.begin(), logs.end(), [&](const std::string& line) {
      auto j = nlohmann::json::parse(line);
      return j.value("msg", "") == msg && j.value("reason", "") == reason;
    });
  }
  uint64_t failures(HandshakeFailure f) const { return transport.counters().handshake_failures_for(f); }

  std::vector<std::string> logs;  // before transport: its sink writes here
  std::vector<Received> received;
  std::vector<std::pair<PublicKey, bool>> peer_events;
  Transport transport;
};

// A hand-driven TLS client: connects, handshakes, writes whatever bytes a test wants and notices
// when the other side closes. For the misbehaving peers.
class RawClient {
 public:
  explicit RawClient(asio::io_context& io) : tls_(make_tls_context()), stream_(io, tls_) {}

  void connect(const tcp::endpoint& endpoint) {
    stream_.next_layer().async_connect(endpoint, [this](const boost::system::error_code& ec) {
      if (ec) return fail(ec);
      stream_.async_handshake(asio::ssl::stream_base::client, [this](const boost::system::error_code& ec2) {
        if (ec2) return fail(ec2);
        handshaken = true;
        read_until_closed();
      });
    });
  }
  ChannelBinding binding() {
    auto b = export_channel_binding(stream_.native_handle());
    EXPECT_TRUE(b.ok());
    return b.ok() ? *b : ChannelBinding{};
  }
  // One write at a time (the test waits for `written` before the next).
  void write(Bytes bytes) {
    written = false;
    auto buffer = std::make_shared<Bytes>(std::move(bytes));
    asio::async_write(stream_, asio::buffer(*buffer), [this, buffer](const boost::system::error_code& ec, size_t) {
      if (ec) return fail(ec);
      written = true;
    });
  }
  void close() {
    boost::system::error_code ignored;
    stream_.next_layer().close(ignored);
  }

  bool handshaken = false;
  bool written = false;
  bool closed_by_peer = false;
  size_t bytes_read = 0;

 private:
  void read_until_closed() {
    stream_.async_read_some(asio::buffer(buffer_), [this](const boost::system::error_code& ec, size_t n) {
      if (ec) return fail(ec);
      bytes_read += n;
      read_until_closed();
    });
  }
  void fail(const boost::system::error_code&) { closed_by_peer = true; }

  asio::ssl::context tls_;
  asio::ssl::stream<tcp::socket> stream_;
  std::array<uint8_t, 4096> buffer_{};
};

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

class P2pTransport : public ::testing::Test {
 protected:
  // n validators, sorted by public key: index 0 is the smallest (it dials no one).
  void make_validators(size_t n) {
    for (size_t i = 0; i < n; ++i) keys_.push_back(PrivateKey::from_test_seed("p2p-validator-" + std::to_string(i)));
    std::sort(keys_.begin(), keys_.end(),
              [](const PrivateKey& a, const PrivateKey& b) { return a.public_key() < b.public_key(); });
    for (const auto& k : keys_) addresses_[k.public_key()] = "";
    nodes_.resize(n);
  }
  const PublicKey& key(size_t i) const { return keys_.at(i).public_key(); }
  Node& node(size_t i) { return *nodes_.at(i); }

  // Creates validator i's transport listening on `port` (0: any), tells the others where it is,
  // and starts it unless asked not to.
  Node& spawn(size_t i, uint16_t port = 0, const std::function<void(TransportConfig&)>& tweak = {},
              bool start = true) {
    TransportConfig config;
    config.chain_id = kChain;
    config.peers = addresses_;
    config.listen = tcp::endpoint(asio::ip::make_address("127.0.0.1"), port);
    config.handshake_timeout = 2000ms;
    if (tweak) tweak(config);
    nodes_.at(i) = std::make_unique<Node>(io_, keys_.at(i), std::move(config));
    Node& n = *nodes_[i];
    EXPECT_TRUE(n.transport.listen().ok());
    const std::string address = "127.0.0.1:" + std::to_string(n.transport.local_endpoint().port());
    addresses_[key(i)] = address;
    for (size_t j = 0; j < nodes_.size(); ++j) {
      if (j != i && nodes_[j]) nodes_[j]->transport.set_peer_address(key(i), address);
    }
    if (start) {
      EXPECT_TRUE(n.transport.start().ok());
    }
    return n;
  }
  uint16_t port(size_t i) { return node(i).transport.local_endpoint().port(); }

  RawClient& raw_client() {
    raws_.push_back(std::make_unique<RawClient>(io_));
    return *raws_.back();
  }
  // A connected, TLS-handshaken raw client to validator i.
  RawClient& raw_connected_to(size_t i) {
    RawClient& c = raw_client();
    c.connect(node(i).transport.local_endpoint());
    EXPECT_TRUE(run_until([&] { return c.handshaken || c.closed_by_peer; }));
    EXPECT_TRUE(c.handshaken);
    return c;
  }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = kDeadline) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      io_.restart();
      io_.run_for(2ms);
    }
    return true;
  }
  void run_for(std::chrono::milliseconds duration) {
    io_.restart();
    io_.run_for(duration);
  }
  bool fully_connected(const std::vector<size_t>& which) {
    return std::all_of(which.begin(), which.end(), [&](size_t i) {
      return std::all_of(which.begin(), which.end(),
                         [&](size_t j) { return i == j || node(i).transport.connected(key(j)); });
    });
  }

  void TearDown() override {
    for (auto& raw : raws_) raw->close();
    for (auto& n : nodes_) {
      if (n) n->transport.stop();
    }
    run_for(50ms);  // let the cancelled operations finish while everything still exists
  }

  asio::io_context io_;
  std::vector<PrivateKey> keys_;
  std::map<PublicKey, std::string> addresses_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::unique_ptr<RawClient>> raws_;
};

TEST_F(P2pTransport, FourValidatorsConnectPairwiseAndDeliverInOrderPerPeer) {
  make_validators(4);
  for (size_t i = 0; i < 4; ++i) spawn(i, 0, {}, /*start=*/false);
  for (size_t i = 0; i < 4; ++i) ASSERT_TRUE(node(i).transport.start().ok());
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1, 2, 3}); }));

  constexpr int kPerPeer = 60;
  const std::array<Channel, 3> channels = {Channel::kConsensus, Channel::kTxs, Channel::kBlockSync};
  for (size_t i = 0; i < 4; ++i) {
    for (size_t j = 0; j < 4; ++j) {
      if (i == j) continue;
      for (int seq = 0; seq < kPerPeer; ++seq) {
        const std::string payload = std::to_string(i) + ">" + std::to_string(j) + "#" + std::to_string(seq);
        ASSERT_TRUE(node(i).transport.send(key(j), channels[seq % 3], as_bytes(payload)).ok());
      }
    }
    ASSERT_TRUE(node(i).transport.broadcast(Channel::kStatus, as_bytes("status from " + std::to_string(i))).ok());
  }
  const size_t expected = 3 * (kPerPeer + 1);
  ASSERT_TRUE(run_until([&] {
    return std::all_of(nodes_.begin(), nodes_.end(), [&](const auto& n) { return n->received.size() >= expected; });
  }));

  for (size_t j = 0; j < 4; ++j) {
    EXPECT_EQ(node(j).received.size(), expected);
    for (size_t i = 0; i < 4; ++i) {
      if (i == j) continue;
      std::vector<std::string> want;
      for (int seq = 0; seq < kPerPeer; ++seq) {
        want.push_back(std::to_string(i) + ">" + std::to_string(j) + "#" + std::to_string(seq));
      }
      std::vector<std::string> got;
      std::vector<Channel> got_channels;
      size_t status_frames = 0;
      for (const auto& r : node(j).received) {
        if (r.from != key(i)) continue;
        if (r.channel == Channel::kStatus) {
          ++status_frames;
          EXPECT_EQ(r.payload, "status from " + std::to_string(i));
          continue;
        }
        got.push_back(r.payload);
        got_channels.push_back(r.channel);
      }
      EXPECT_EQ(got, want) << "from " << i << " to " << j;
      for (size_t k = 0; k < got_channels.size(); ++k) EXPECT_EQ(got_channels[k], channels[k % 3]);
      EXPECT_EQ(status_frames, 1u);
    }
    const auto& c = node(j).transport.counters();
    EXPECT_EQ(c.connections_established, 3u);
    EXPECT_EQ(c.frames_in, expected);
    EXPECT_EQ(c.frames_out, expected);
    EXPECT_EQ(c.queue_drops, 0u);
    for (size_t f = 0; f < kHandshakeFailureCount; ++f) EXPECT_EQ(c.handshake_failures[f], 0u) << f;
    // Each peer came up exactly once.
    EXPECT_EQ(node(j).peer_events.size(), 3u);
    for (const auto& [peer, up] : node(j).peer_events) EXPECT_TRUE(up);
  }
}

TEST_F(P2pTransport, UnknownKeyIsRefusedAndItsFramesAreNeverDelivered) {
  make_validators(2);
  spawn(0);
  spawn(1);
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1}); }));

  const PrivateKey stranger = PrivateKey::from_test_seed("p2p-stranger");
  RawClient& c = raw_connected_to(0);
  c.write(concat({encode_with_length(make_hello(stranger, kChain, c.binding())),
                  encode_frame(Channel::kConsensus, as_bytes("let me in")),
                  encode_frame(Channel::kTxs, as_bytes("and this"))}));
  ASSERT_TRUE(run_until([&] { return c.closed_by_peer; }));
  run_for(100ms);

  EXPECT_EQ(node(0).failures(HandshakeFailure::kUnknownKey), 1u);
  EXPECT_TRUE(node(0).logged("peer refused", "unknown key"));
  EXPECT_TRUE(node(0).from(stranger.public_key()).empty());
  EXPECT_TRUE(node(0).received.empty());
  EXPECT_EQ(node(0).transport.counters().connections_established, 1u);  // only validator 1
  EXPECT_TRUE(node(0).transport.connected(key(1)));
}

TEST_F(P2pTransport, HelloSignedForAnotherConnectionIsRefusedAsReplay) {
  make_validators(3);  // validator 2 (the largest key) has no node: the test speaks for it
  spawn(0);
  spawn(1);
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1}); }));

  RawClient& first = raw_connected_to(0);
  RawClient& second = raw_connected_to(0);
  ASSERT_NE(first.binding(), second.binding());
  // A valid signature by a pinned key, but over the first connection's exporter secret.
  second.write(encode_with_length(make_hello(keys_[2], kChain, first.binding())));
  ASSERT_TRUE(run_until([&] { return second.closed_by_peer; }));
  EXPECT_EQ(node(0).failures(HandshakeFailure::kBadSignature), 1u);
  EXPECT_TRUE(node(0).logged("peer refused", "bad signature"));
  EXPECT_FALSE(node(0).transport.connected(key(2)));

  // The same key on its own connection is accepted: the refusal was about the binding.
  first.write(encode_with_length(make_hello(keys_[2], kChain, first.binding())));
  ASSERT_TRUE(run_until([&] { return node(0).transport.connected(key(2)); }));
  EXPECT_FALSE(first.closed_by_peer);
}

TEST_F(P2pTransport, PeerOnAnotherChainIsRefusedBothWays) {
  make_validators(2);
  spawn(0);
  spawn(1, 0, [](TransportConfig& c) { c.chain_id = "another-chain"; });  // it dials validator 0
  ASSERT_TRUE(run_until([&] {
    return node(0).failures(HandshakeFailure::kWrongChain) >= 1 && node(1).failures(HandshakeFailure::kWrongChain) >= 1;
  }));
  run_for(100ms);
  EXPECT_TRUE(node(0).logged("peer refused", "wrong chain_id"));
  EXPECT_FALSE(node(0).transport.connected(key(1)));
  EXPECT_FALSE(node(1).transport.connected(key(0)));
  EXPECT_TRUE(node(0).peer_events.empty());
  EXPECT_TRUE(node(1).peer_events.empty());
}

TEST_F(P2pTransport, OversizeFrameClosesTheConnectionAndThePeerReconnects) {
  make_validators(2);
  spawn(0, 0, [](TransportConfig& c) { c.max_frame_bytes = 64 * 1024; });
  spawn(1);  // default limit 4 MiB: it can send what validator 0 refuses
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1}); }));

  ASSERT_TRUE(node(1).transport.send(key(0), Channel::kBlockSync, Bytes(100 * 1024, 0xab)).ok());
  ASSERT_TRUE(run_until([&] { return node(0).transport.counters().frames_too_large == 1; }));
  EXPECT_TRUE(node(0).logged("peer disconnected", "frame too large"));

  // Validator 1 (the larger key) re-dials after the backoff; then small frames flow again.
  ASSERT_TRUE(run_until([&] { return node(0).transport.counters().connections_established == 2 && fully_connected({0, 1}); }));
  ASSERT_TRUE(node(1).transport.send(key(0), Channel::kBlockSync, as_bytes("small again")).ok());
  ASSERT_TRUE(run_until([&] { return !node(0).received.empty(); }));
  EXPECT_EQ(node(0).from(key(1)), std::vector<std::string>{"small again"});
  // Validator 0 saw the peer go down and come back up.
  ASSERT_EQ(node(0).peer_events.size(), 3u);
  EXPECT_FALSE(node(0).peer_events[1].second);
  EXPECT_TRUE(node(0).peer_events[2].second);
}

TEST_F(P2pTransport, RestartedPeerOnTheSamePortIsRedialedAndMessagesFlowAgain) {
  make_validators(3);
  for (size_t i = 0; i < 3; ++i) spawn(i);
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1, 2}); }));

  // Validator 0 listens for both others: they must notice the drop and re-dial it.
  const uint16_t old_port = port(0);
  node(0).transport.stop();
  nodes_[0].reset();
  ASSERT_TRUE(run_until([&] { return !node(1).transport.connected(key(0)) && !node(2).transport.connected(key(0)); }));
  spawn(0, old_port);
  ASSERT_EQ(port(0), old_port);
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1, 2}); }));

  ASSERT_TRUE(node(2).transport.send(key(0), Channel::kConsensus, as_bytes("to the new 0")).ok());
  ASSERT_TRUE(node(0).transport.send(key(1), Channel::kConsensus, as_bytes("from the new 0")).ok());
  ASSERT_TRUE(run_until([&] { return !node(0).received.empty() && !node(1).received.empty(); }));
  EXPECT_EQ(node(0).from(key(2)), std::vector<std::string>{"to the new 0"});
  EXPECT_EQ(node(1).from(key(0)), std::vector<std::string>{"from the new 0"});

  // Validator 2 dials both others: restarted, it connects again at once.
  const uint16_t port2 = port(2);
  nodes_[2].reset();  // the destructor stops it
  spawn(2, port2);
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1, 2}); }));
  ASSERT_TRUE(node(0).transport.send(key(2), Channel::kTxs, as_bytes("to the new 2")).ok());
  ASSERT_TRUE(run_until([&] { return !node(2).received.empty(); }));
  EXPECT_EQ(node(2).from(key(0)), std::vector<std::string>{"to the new 2"});
}

TEST_F(P2pTransport, NewerConnectionOfTheSamePeerReplacesTheOlder) {
  make_validators(2);  // validator 1 has no node: the test speaks for it
  spawn(0);
  RawClient& old_conn = raw_connected_to(0);
  old_conn.write(encode_with_length(make_hello(keys_[1], kChain, old_conn.binding())));
  ASSERT_TRUE(run_until([&] { return node(0).transport.connected(key(1)); }));

  RawClient& new_conn = raw_connected_to(0);
  new_conn.write(concat({encode_with_length(make_hello(keys_[1], kChain, new_conn.binding())),
                         encode_frame(Channel::kStatus, as_bytes("on the new one"))}));
  ASSERT_TRUE(run_until([&] { return old_conn.closed_by_peer && !node(0).received.empty(); }));
  EXPECT_FALSE(new_conn.closed_by_peer);
  EXPECT_TRUE(node(0).transport.connected(key(1)));
  EXPECT_EQ(node(0).from(key(1)), std::vector<std::string>{"on the new one"});
  EXPECT_EQ(node(0).transport.counters().connections_established, 2u);
  EXPECT_TRUE(node(0).transport.send(key(1), Channel::kStatus, as_bytes("reply")).ok());
  ASSERT_TRUE(run_until([&] { return new_conn.bytes_read > 0; }));
}

TEST_F(P2pTransport, MalformedBytesAfterTheHandshakeCloseTheConnectionWithoutHarm) {
  make_validators(3);  // validator 2 has no node: the test speaks for it
  spawn(0);
  spawn(1);
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1}); }));

  const std::vector<std::pair<std::string, Bytes>> garbage = {
      {"not protobuf", {0x00, 0x00, 0x00, 0x03, 0xff, 0xff, 0xff}},
      {"empty frame", {0x00, 0x00, 0x00, 0x00}},
      {"unknown channel", encode_frame(static_cast<Channel>(77), as_bytes("x"))},
      {"non-canonical", {0x00, 0x00, 0x00, 0x05, 0x12, 0x01, 'a', 0x08, 0x01}},
  };
  for (const auto& [name, bytes] : garbage) {
    SCOPED_TRACE(name);
    RawClient& c = raw_connected_to(0);
    c.write(concat({encode_with_length(make_hello(keys_[2], kChain, c.binding())), bytes}));
    ASSERT_TRUE(run_until([&] { return c.closed_by_peer; }));
  }
  EXPECT_EQ(node(0).transport.counters().malformed_frames, garbage.size());
  EXPECT_TRUE(node(0).logged("peer disconnected", "malformed frame"));

  // Garbage instead of a Hello, and garbage instead of TLS: refused, nothing delivered.
  RawClient& bad_hello = raw_connected_to(0);
  bad_hello.write({0x00, 0x00, 0x00, 0x02, 0xde, 0xad});
  ASSERT_TRUE(run_until([&] { return bad_hello.closed_by_peer; }));
  EXPECT_EQ(node(0).failures(HandshakeFailure::kMalformedHello), 1u);

  tcp::socket plain(io_);
  plain.connect(node(0).transport.local_endpoint());
  asio::write(plain, asio::buffer(std::string(64, 'G')));
  ASSERT_TRUE(run_until([&] { return node(0).failures(HandshakeFailure::kTls) == 1; }));

  // Validator 0 still works.
  EXPECT_TRUE(node(0).received.empty());
  ASSERT_TRUE(node(1).transport.send(key(0), Channel::kConsensus, as_bytes("still here")).ok());
  ASSERT_TRUE(run_until([&] { return !node(0).received.empty(); }));
  EXPECT_EQ(node(0).from(key(1)), std::vector<std::string>{"still here"});
}

TEST_F(P2pTransport, SilentPeerTimesOutAndAPeerThatShouldListenIsRefused) {
  make_validators(2);
  spawn(0);
  spawn(1, 0, [](TransportConfig& c) { c.handshake_timeout = 200ms; });
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1}); }));

  // TLS, then nothing: the handshake deadline closes it.
  RawClient& silent = raw_connected_to(1);
  ASSERT_TRUE(run_until([&] { return silent.closed_by_peer; }, 2000ms));
  EXPECT_EQ(node(1).failures(HandshakeFailure::kTimeout), 1u);

  // Validator 1 has the larger key, so it dials validator 0; an inbound claim to be 0 is refused
  // (one connection per pair), even with a valid signature.
  RawClient& backwards = raw_connected_to(1);
  backwards.write(encode_with_length(make_hello(keys_[0], kChain, backwards.binding())));
  ASSERT_TRUE(run_until([&] { return backwards.closed_by_peer; }));
  EXPECT_EQ(node(1).failures(HandshakeFailure::kWrongDirection), 1u);
  EXPECT_TRUE(node(1).transport.connected(key(0)));  // the real connection is untouched
  EXPECT_EQ(node(1).transport.counters().connections_established, 1u);
}

TEST_F(P2pTransport, FullSendQueueDropsTheOldestAndFlushesTheRestOnConnect) {
  make_validators(2);
  spawn(0, 0, [](TransportConfig& c) { c.max_queue_frames = 4; });
  // Validator 1 is not running: frames for it wait in the bounded queue.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(node(0).transport.send(key(1), Channel::kTxs, as_bytes("tx " + std::to_string(i))).ok());
  }
  EXPECT_EQ(node(0).transport.counters().queue_drops, 6u);

  spawn(1);
  ASSERT_TRUE(run_until([&] { return node(1).received.size() >= 4; }));
  run_for(50ms);
  EXPECT_EQ(node(1).from(key(0)), (std::vector<std::string>{"tx 6", "tx 7", "tx 8", "tx 9"}));
}

// The node's clients' txs never wait in the droppable queue: they are pulled, per peer, from a
// source (the mempool) when the connection has nothing queued, so a flood of them neither drops one
// nor pushes a consensus frame out. A new connection starts the cursor over.
TEST_F(P2pTransport, PulledFramesAreNeverDroppedComeAfterQueuedOnesAndStartOverOnReconnect) {
  make_validators(2);
  std::vector<std::string> source;
  for (int i = 0; i < 3000; ++i) source.push_back("tx " + std::to_string(i));
  std::map<PublicKey, size_t> cursor;
  Node& sender = spawn(0, 0, [](TransportConfig& c) { c.max_queue_frames = 4; }, /*start=*/false);
  sender.transport.on_peer([&](const PublicKey& peer, bool up) {
    if (up) cursor[peer] = 0;
  });
  sender.transport.on_pull(Channel::kTxs, [&](const PublicKey& peer) -> std::optional<Bytes> {
    size_t& next = cursor[peer];
    if (next >= source.size()) return std::nullopt;
    const std::string& payload = source[next++];
    return Bytes(payload.begin(), payload.end());
  });
  ASSERT_TRUE(sender.transport.start().ok());
  // Consensus frames for a peer that is not there yet: the queue keeps the newest four.
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(sender.transport.send(key(1), Channel::kConsensus, as_bytes("vote " + std::to_string(i))).ok());
  EXPECT_EQ(sender.transport.counters().queue_drops, 6u);

  spawn(1);
  ASSERT_TRUE(run_until([&] { return node(1).received.size() >= 4 + source.size(); }, 20000ms));
  std::vector<std::string> want = {"vote 6", "vote 7", "vote 8", "vote 9"};
  want.insert(want.end(), source.begin(), source.end());
  EXPECT_EQ(node(1).from(key(0)), want);
  EXPECT_EQ(sender.transport.counters().queue_drops, 6u);
  EXPECT_EQ(sender.transport.counters().frames_pulled, source.size());

  // Something new: a poke sends it to the idle connection.
  source.push_back("tx new");
  sender.transport.poke();
  ASSERT_TRUE(run_until([&] { return node(1).received.size() >= 5 + 3000; }));
  EXPECT_EQ(node(1).received.back().payload, "tx new");
  EXPECT_EQ(node(1).received.back().channel, Channel::kTxs);

  // Validator 1 restarts: its new connection gets every pulled frame again, from the first.
  const uint16_t port1 = port(1);
  nodes_[1].reset();
  spawn(1, port1);
  ASSERT_TRUE(run_until([&] { return node(1).received.size() >= source.size(); }, 20000ms));
  run_for(50ms);
  EXPECT_EQ(node(1).from(key(0)), source);
}

TEST_F(P2pTransport, SendRefusesStrangersOversizeFramesAndAfterStop) {
  make_validators(2);
  Node& n = spawn(0, 0, [](TransportConfig& c) { c.max_frame_bytes = 1024; });
  EXPECT_EQ(n.transport.send(PrivateKey::from_test_seed("p2p-stranger").public_key(), Channel::kTxs, as_bytes("x"))
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(n.transport.send(key(1), Channel::kTxs, Bytes(2000, 1)).error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(n.transport.broadcast(Channel::kTxs, Bytes(2000, 1)).error().code, ErrorCode::kTooLarge);
  n.transport.stop();
  EXPECT_EQ(n.transport.send(key(1), Channel::kTxs, as_bytes("x")).error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace joet::p2p

namespace joet::p2p {
namespace {

// A validator that governance put into the set is pinned while the nodes run: refused before, connected
// after, without a restart, and the node that should dial dials at once.
TEST_F(P2pTransport, APeerPinnedWhileRunningIsRefusedBeforeAndConnectedAfter) {
  make_validators(3);
  auto make = [&](size_t i, const std::vector<size_t>& pinned) {
    TransportConfig config;
    config.chain_id = kChain;
    config.listen = tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0);
    config.handshake_timeout = 2000ms;
    for (size_t j : pinned) config.peers[key(j)] = "";
    nodes_.at(i) = std::make_unique<Node>(io_, keys_.at(i), std::move(config));
    ASSERT_TRUE(node(i).transport.listen().ok());
  };
  make(0, {1});
  make(1, {0});
  make(2, {});  // the newcomer: the largest key, so it dials both
  auto address = [&](size_t i) { return "127.0.0.1:" + std::to_string(port(i)); };
  node(1).transport.set_peer_address(key(0), address(0));
  for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(node(i).transport.start().ok());
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1}); }));

  // The newcomer knows validator 0, but 0 does not know it yet.
  node(2).transport.pin_peers({{key(0), address(0)}});
  ASSERT_TRUE(run_until([&] { return node(0).failures(HandshakeFailure::kUnknownKey) >= 1; }));
  EXPECT_FALSE(node(2).transport.connected(key(0)));
  EXPECT_EQ(node(2).transport.send(key(1), Channel::kConsensus, as_bytes("x")).error().code, ErrorCode::kNotFound);

  // The set changed on chain: 0 and 1 pin it (it dials them), it pins 1 with its address.
  node(0).transport.pin_peers({{key(1), ""}, {key(2), ""}});  // 1 was pinned: unchanged
  node(1).transport.pin_peers({{key(2), ""}});
  node(2).transport.pin_peers({{key(1), address(1)}, {key(2), "self is ignored"}});
  ASSERT_TRUE(run_until([&] { return fully_connected({0, 1, 2}); }));
  EXPECT_TRUE(node(0).logged("peer pinned", ""));
  ASSERT_TRUE(node(2).transport.send(key(0), Channel::kConsensus, as_bytes("from the newcomer")).ok());
  ASSERT_TRUE(node(1).transport.send(key(2), Channel::kConsensus, as_bytes("welcome")).ok());
  ASSERT_TRUE(run_until([&] { return !node(0).from(key(2)).empty() && !node(2).from(key(1)).empty(); }));
  EXPECT_EQ(node(0).from(key(2)), std::vector<std::string>{"from the newcomer"});
  EXPECT_EQ(node(2).from(key(1)), std::vector<std::string>{"welcome"});
  EXPECT_EQ(node(0).transport.counters().connections_established, 2u);
}

}  // namespace
}  // namespace joet::p2p
