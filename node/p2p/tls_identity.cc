#include "node/p2p/tls_identity.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>

namespace joet::p2p {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

// Failing here means OpenSSL cannot make a key or certificate at all: the node cannot run.
#define JOET_OSSL(call) JOET_ASSERT((call) == 1)

PkeyPtr make_ephemeral_key() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  JOET_ASSERT(key != nullptr);
  return key;
}

X509Ptr make_self_signed_certificate(EVP_PKEY* key) {
  X509Ptr cert(X509_new());
  JOET_ASSERT(cert != nullptr);
  JOET_OSSL(X509_set_version(cert.get(), X509_VERSION_3));
  // A random positive 63-bit serial (RFC 5280 allows up to 20 octets).
  uint8_t serial_bytes[8];
  JOET_OSSL(RAND_bytes(serial_bytes, sizeof serial_bytes));
  uint64_t serial = 0;
  for (uint8_t b : serial_bytes) serial = (serial << 8) | b;
  JOET_OSSL(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial >> 1));
  // Validity is not checked by anyone (verification is off); a wide window avoids clock questions.
  JOET_ASSERT(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24L * 3600) != nullptr);
  JOET_ASSERT(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600) != nullptr);
  X509_NAME* name = X509_get_subject_name(cert.get());
  JOET_OSSL(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                       reinterpret_cast<const unsigned char*>("joet-p2p-ephemeral"), -1, -1, 0));
  JOET_OSSL(X509_set_issuer_name(cert.get(), name));
  JOET_OSSL(X509_set_pubkey(cert.get(), key));
  // Ed25519 signs the whole message itself: no separate digest.
  JOET_ASSERT(X509_sign(cert.get(), key, nullptr) > 0);
  return cert;
}

// Accepts any certificate: it only has to be present (SSL_VERIFY_FAIL_IF_NO_PEER_CERT) and to match
// the key that signed the handshake, which TLS itself checks (CertificateVerify).
int accept_any_certificate(int /*preverify_ok*/, X509_STORE_CTX* /*ctx*/) { return 1; }

}  // namespace

boost::asio::ssl::context make_tls_context() {
  boost::asio::ssl::context context(boost::asio::ssl::context::tls);
  SSL_CTX* ctx = context.native_handle();
  JOET_OSSL(SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION));
  JOET_OSSL(SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION));
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  JOET_OSSL(SSL_CTX_set_num_tickets(ctx, 0));
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);

  PkeyPtr key = make_ephemeral_key();
  X509Ptr cert = make_self_signed_certificate(key.get());
  JOET_OSSL(SSL_CTX_use_certificate(ctx, cert.get()));  // takes its own references
  JOET_OSSL(SSL_CTX_use_PrivateKey(ctx, key.get()));
  JOET_OSSL(SSL_CTX_check_private_key(ctx));
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_certificate);
  return context;
}

Result<ChannelBinding> export_channel_binding(SSL* ssl) {
  JOET_ASSERT(ssl != nullptr);
  if (SSL_version(ssl) != TLS1_3_VERSION) {
    return make_error(ErrorCode::kUnsupported, "p2p: connection is not TLS 1.3");
  }
  ChannelBinding binding{};
  if (SSL_export_keying_material(ssl, binding.data(), binding.size(), kExporterLabel.data(),
                                 kExporterLabel.size(), nullptr, 0, 0) != 1) {
    return make_error(ErrorCode::kIoError, "p2p: TLS exporter failed");
  }
  return binding;
}

}  // namespace joet::p2p
