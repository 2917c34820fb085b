// One p2p connection: TCP connect (dialer) or accept (listener), the TLS 1.3 handshake, the Hello
// exchange that binds a validator key to this connection, then length-prefixed Frames both ways.
// Everything runs on the executor the socket was made with (the transport's strand); a Session is
// owned by shared_ptr and keeps itself alive while an operation is pending.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "ledger/keys.h"
#include "node/p2p/wire.h"

namespace joet::p2p {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Why an authenticated connection ended.
enum class CloseReason : uint8_t {
  kPeerClosed,     // EOF, reset or any other read/write error
  kFrameTooLarge,  // announced length over the limit: closed before reading the body
  kMalformedFrame, // empty, not a canonical Frame, or an unknown channel
};
std::string_view close_reason_name(CloseReason reason);
// "1.2.3.4:5" or "[::1]:5", for logs.
std::string endpoint_string(const tcp::endpoint& endpoint);

class Session : public std::enable_shared_from_this<Session> {
 public:
  enum class Role { kDialer, kListener };

  struct Settings {
    std::string chain_id;
    const PrivateKey* key = nullptr;              // ours; outlives the session
    const std::set<PublicKey>* pinned = nullptr;  // the genesis validators; outlives the session
    size_t max_frame_bytes = kDefaultMaxFrameBytes;
    std::chrono::milliseconds handshake_timeout{5000};
  };

  // Called on the session's executor. A hook never runs after close() (owner-initiated closes
  // are silent). Exactly one of on_failed / on_closed ends every session the owner did not close.
  struct Hooks {
    // After verify_hello accepted the peer's Hello: the owner's own checks (expected key, direction).
    std::function<std::optional<HandshakeFailure>(Session&, const PublicKey&)> check_peer;
    std::function<void(Session&)> on_ready;  // both Hellos done: frames may flow
    std::function<void(Session&, HandshakeFailure, const std::string& detail)> on_failed;
    // wire_bytes: the frame as it came, length prefix included.
    std::function<void(Session&, Channel, Bytes payload, size_t wire_bytes)> on_frame;
    std::function<void(Session&, CloseReason, const std::string& detail)> on_closed;
  };

  // `socket` is unopened for a dialer and accepted for a listener; its executor runs everything.
  Session(tcp::socket socket, asio::ssl::context& tls, Role role, Settings settings, Hooks hooks);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start_dial(std::string host, std::string port);
  void start_accepted();

  // Writes one length-prefixed frame; only when ready() and not writing(). `on_written` runs after
  // a successful write (a failed one ends the session through on_closed instead).
  void write(std::shared_ptr<const Bytes> wire, std::function<void()> on_written);
  // Closes the socket now; no hook runs afterwards. Idempotent.
  void close();

  Role role() const { return role_; }
  bool ready() const { return state_ == State::kReady; }
  bool writing() const { return writing_; }
  // The authenticated key (set once ready), or the key the peer claimed in a refused Hello.
  const std::optional<PublicKey>& peer_key() const { return peer_key_; }
  const std::string& remote() const { return remote_; }

 private:
  enum class State { kConnecting, kTls, kHello, kReady, kClosed };

  void arm_deadline();
  void on_connected();
  void on_tls_done();
  void read_hello();
  void on_hello(const Bytes& body);
  void maybe_ready();
  void read_frame();
  void fail(HandshakeFailure failure, const std::string& detail);
  void end(CloseReason reason, const std::string& detail);
  bool closed() const { return state_ == State::kClosed; }

  asio::ssl::stream<tcp::socket> stream_;
  tcp::resolver resolver_;
  asio::steady_timer deadline_;
  Role role_;
  Settings settings_;
  Hooks hooks_;
  State state_ = State::kConnecting;
  ChannelBinding binding_{};
  bool hello_sent_ = false;
  bool hello_received_ = false;
  bool writing_ = false;
  std::optional<PublicKey> peer_key_;
  std::string remote_;
  std::array<uint8_t, kLengthPrefixBytes> prefix_{};
  Bytes body_;
  std::shared_ptr<const Bytes> hello_wire_;
};

}  // namespace joet::p2p
