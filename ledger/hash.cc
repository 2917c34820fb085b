#include "ledger/hash.h"

#include <openssl/evp.h>

#include <map>
#include <string>

namespace joet {

namespace {
// Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up again at every digest start,
// which more than doubles the cost of the many small hashes of Merkle trees.
const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    JOET_ASSERT(m != nullptr);
    return m;
  }();
  return md;
}
}  // namespace

struct Sha256::Ctx {
  EVP_MD_CTX* md = nullptr;
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  JOET_ASSERT(ctx_->md != nullptr);
  reset();
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_->md); }

void Sha256::reset() { JOET_ASSERT(EVP_DigestInit_ex(ctx_->md, sha256_md(), nullptr) == 1); }

Sha256& Sha256::update(ByteView data) {
  if (!data.empty()) JOET_ASSERT(EVP_DigestUpdate(ctx_->md, data.data(), data.size()) == 1);
  return *this;
}

Hash32 Sha256::finish() {
  Hash32 out;
  unsigned int len = 0;
  JOET_ASSERT(EVP_DigestFinal_ex(ctx_->md, out.data(), &len) == 1);
  JOET_ASSERT(len == out.size());
  reset();
  return out;
}

Hash32 sha256(ByteView data) {
  thread_local Sha256 hasher;
  return hasher.update(data).finish();
}

namespace {
// SHA256(tag) is computed once per tag; the tags are a small fixed set, so the per-thread cache stays tiny.
Hash32 tag_digest(std::string_view tag) {
  thread_local std::map<std::string, Hash32, std::less<>> cache;
  auto it = cache.find(tag);
  if (it != cache.end()) return it->second;
  Hash32 h = sha256(tag);
  cache.emplace(std::string(tag), h);
  return h;
}
}  // namespace

Hash32 tagged_hash(std::string_view tag, std::initializer_list<ByteView> parts) {
  thread_local Sha256 hasher;
  Hash32 t = tag_digest(tag);
  hasher.update(t).update(t);
  for (ByteView p : parts) hasher.update(p);
  return hasher.finish();
}

}  // namespace joet
