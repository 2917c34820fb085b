// The TLS side of a p2p connection. Each node makes an ephemeral Ed25519 key and a self-signed
// certificate at startup; TLS 1.3 only, both sides present a certificate, and the certificate is not
// verified: the peer's identity is its validator key, proven by the Hello signature over this
// connection's exporter secret (docs/decisions/0007-p2p-identity.md).
#pragma once

#include <boost/asio/ssl/context.hpp>

#include "ledger/status.h"
#include "node/p2p/wire.h"

typedef struct ssl_st SSL;

namespace joet::p2p {

// A TLS 1.3-only context for both roles (client and server) with a fresh ephemeral identity.
// Session tickets and resumption are off, so every connection runs a full (EC)DHE handshake.
boost::asio::ssl::context make_tls_context();

// RFC 8446 section 7.5 exporter with label kExporterLabel and no context, 32 bytes. Both ends of one
// connection get the same value; any other connection gets an unrelated one.
Result<ChannelBinding> export_channel_binding(SSL* ssl);

}  // namespace joet::p2p
