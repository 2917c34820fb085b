#include "node/p2p/session.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "node/p2p/tls_identity.h"

namespace joet::p2p {

using boost::system::error_code;

std::string endpoint_string(const tcp::endpoint& ep) {
  const auto address = ep.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(ep.port());
}

std::string_view close_reason_name(CloseReason reason) {
  switch (reason) {
    case CloseReason::kPeerClosed: return "connection lost";
    case CloseReason::kFrameTooLarge: return "frame too large";
    case CloseReason::kMalformedFrame: return "malformed frame";
  }
  return "unknown";
}

Session::Session(tcp::socket socket, asio::ssl::context& tls, Role role, Settings settings, Hooks hooks)
    : stream_(std::move(socket), tls),
      resolver_(stream_.get_executor()),
      deadline_(stream_.get_executor()),
      role_(role),
      settings_(std::move(settings)),
      hooks_(std::move(hooks)) {
  JOET_ASSERT(settings_.key != nullptr);
  JOET_ASSERT(settings_.pinned != nullptr);
  JOET_ASSERT(!settings_.chain_id.empty());
  JOET_ASSERT(settings_.max_frame_bytes > 0 && settings_.max_frame_bytes <= UINT32_MAX);
}

void Session::start_dial(std::string host, std::string port) {
  JOET_ASSERT(role_ == Role::kDialer && state_ == State::kConnecting);
  remote_ = host + ":" + port;
  arm_deadline();
  resolver_.async_resolve(host, port, [self = shared_from_this()](const error_code& ec,
                                                                  tcp::resolver::results_type results) {
    if (self->closed()) return;
    if (ec) return self->fail(HandshakeFailure::kConnect, "resolve: " + ec.message());
    asio::async_connect(self->stream_.next_layer(), results,
                        [self](const error_code& ec2, const tcp::endpoint& endpoint) {
                          if (self->closed()) return;
                          if (ec2) return self->fail(HandshakeFailure::kConnect, "connect: " + ec2.message());
                          self->remote_ = endpoint_string(endpoint);
                          self->on_connected();
                        });
  });
}

void Session::start_accepted() {
  JOET_ASSERT(role_ == Role::kListener && state_ == State::kConnecting);
  error_code ec;
  const tcp::endpoint endpoint = stream_.next_layer().remote_endpoint(ec);
  remote_ = ec ? std::string("unknown") : endpoint_string(endpoint);
  arm_deadline();
  on_connected();
}

void Session::arm_deadline() {
  deadline_.expires_after(settings_.handshake_timeout);
  deadline_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec || self->closed() || self->ready()) return;
    self->fail(HandshakeFailure::kTimeout,
               "no verified hello within " + std::to_string(self->settings_.handshake_timeout.count()) + " ms");
  });
}

void Session::on_connected() {
  error_code ignored;
  stream_.next_layer().set_option(tcp::no_delay(true), ignored);
  state_ = State::kTls;
  const auto type = role_ == Role::kDialer ? asio::ssl::stream_base::client : asio::ssl::stream_base::server;
  stream_.async_handshake(type, [self = shared_from_this()](const error_code& ec) {
    if (self->closed()) return;
    if (ec) return self->fail(HandshakeFailure::kTls, ec.message());
    self->on_tls_done();
  });
}

void Session::on_tls_done() {
  auto binding = export_channel_binding(stream_.native_handle());
  if (!binding.ok()) return fail(HandshakeFailure::kTls, binding.error().message);
  binding_ = *binding;
  state_ = State::kHello;
  hello_wire_ = std::make_shared<const Bytes>(encode_with_length(make_hello(*settings_.key, settings_.chain_id, binding_)));
  asio::async_write(stream_, asio::buffer(*hello_wire_), [self = shared_from_this()](const error_code& ec, size_t) {
    if (self->closed()) return;
    if (ec) return self->fail(HandshakeFailure::kPeerClosed, "writing hello: " + ec.message());
    self->hello_sent_ = true;
    self->maybe_ready();
  });
  read_hello();
}

void Session::read_hello() {
  asio::async_read(stream_, asio::buffer(prefix_), [self = shared_from_this()](const error_code& ec, size_t) {
    if (self->closed()) return;
    if (ec) return self->fail(HandshakeFailure::kPeerClosed, ec.message());
    const uint32_t length = read_length_prefix(self->prefix_);
    if (length == 0 || length > kMaxHelloBytes) {
      return self->fail(HandshakeFailure::kMalformedHello,
                        "hello of " + std::to_string(length) + " bytes, limit " + std::to_string(kMaxHelloBytes));
    }
    self->body_.assign(length, 0);
    asio::async_read(self->stream_, asio::buffer(self->body_), [self](const error_code& ec2, size_t) {
      if (self->closed()) return;
      if (ec2) return self->fail(HandshakeFailure::kPeerClosed, ec2.message());
      self->on_hello(self->body_);
    });
  });
}

void Session::on_hello(const Bytes& body) {
  auto hello = decode_hello(body);
  if (!hello.ok()) return fail(HandshakeFailure::kMalformedHello, hello.error().message);
  if (auto claimed = PublicKey::from_bytes(as_bytes(hello->validator_key())); claimed.ok()) peer_key_ = *claimed;

  const HelloPolicy policy{settings_.chain_id, binding_, settings_.pinned, settings_.key->public_key()};
  auto verdict = verify_hello(*hello, policy);
  if (const auto* failure = std::get_if<HandshakeFailure>(&verdict)) {
    std::string detail;
    if (*failure == HandshakeFailure::kWrongChain) detail = "peer chain_id " + hello->chain_id();
    if (*failure == HandshakeFailure::kWrongVersion) {
      detail = "peer version " + std::to_string(hello->protocol_version());
    }
    return fail(*failure, detail);
  }
  const PublicKey peer = std::get<PublicKey>(verdict);
  if (hooks_.check_peer) {
    const auto refusal = hooks_.check_peer(*this, peer);
    if (closed()) return;
    if (refusal) return fail(*refusal, "");
  }
  hello_received_ = true;
  maybe_ready();
}

void Session::maybe_ready() {
  if (state_ != State::kHello || !hello_sent_ || !hello_received_) return;
  JOET_ASSERT(peer_key_.has_value());
  state_ = State::kReady;
  deadline_.cancel();
  hello_wire_.reset();
  body_.clear();
  if (hooks_.on_ready) hooks_.on_ready(*this);
  if (closed()) return;
  read_frame();
}

void Session::read_frame() {
  JOET_ASSERT(ready());
  asio::async_read(stream_, asio::buffer(prefix_), [self = shared_from_this()](const error_code& ec, size_t) {
    if (self->closed()) return;
    if (ec) return self->end(CloseReason::kPeerClosed, ec.message());
    const uint32_t length = read_length_prefix(self->prefix_);
    if (length > self->settings_.max_frame_bytes) {
      return self->end(CloseReason::kFrameTooLarge, "announced " + std::to_string(length) + " bytes, limit " +
                                                        std::to_string(self->settings_.max_frame_bytes));
    }
    if (length == 0) return self->end(CloseReason::kMalformedFrame, "empty frame");
    self->body_.assign(length, 0);
    asio::async_read(self->stream_, asio::buffer(self->body_), [self](const error_code& ec2, size_t) {
      if (self->closed()) return;
      if (ec2) return self->end(CloseReason::kPeerClosed, ec2.message());
      auto frame = decode_frame(self->body_, self->settings_.max_frame_bytes);
      if (!frame.ok()) return self->end(CloseReason::kMalformedFrame, frame.error().message);
      if (self->hooks_.on_frame) {
        self->hooks_.on_frame(*self, frame->channel, std::move(frame->payload),
                              kLengthPrefixBytes + self->body_.size());
      }
      if (self->closed()) return;
      self->read_frame();
    });
  });
}

void Session::write(std::shared_ptr<const Bytes> wire, std::function<void()> on_written) {
  JOET_ASSERT(ready() && !writing_);
  JOET_ASSERT(wire != nullptr && wire->size() > kLengthPrefixBytes);
  writing_ = true;
  const asio::const_buffer buffer = asio::buffer(*wire);
  asio::async_write(stream_, buffer,
                    [self = shared_from_this(), wire = std::move(wire), on_written = std::move(on_written)](
                        const error_code& ec, size_t) {
                      self->writing_ = false;
                      if (self->closed()) return;
                      if (ec) return self->end(CloseReason::kPeerClosed, "write: " + ec.message());
                      if (on_written) on_written();
                    });
}

void Session::fail(HandshakeFailure failure, const std::string& detail) {
  if (closed()) return;
  JOET_ASSERT(!ready());
  close();
  if (hooks_.on_failed) hooks_.on_failed(*this, failure, detail);
}

void Session::end(CloseReason reason, const std::string& detail) {
  if (closed()) return;
  JOET_ASSERT(ready());
  close();
  if (hooks_.on_closed) hooks_.on_closed(*this, reason, detail);
}

void Session::close() {
  if (closed()) return;
  state_ = State::kClosed;
  deadline_.cancel();
  resolver_.cancel();
  error_code ignored;
  stream_.next_layer().close(ignored);
}

}  // namespace joet::p2p
