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

struct TaggedHasher::Ctx {
  EVP_MD_CTX* prefix = nullptr;  // SHA-256 state after SHA256(tag) || SHA256(tag)
  EVP_MD_CTX* work = nullptr;
};

TaggedHasher::TaggedHasher(std::string_view tag) : ctx_(std::make_unique<Ctx>()) {
  ctx_->prefix = EVP_MD_CTX_new();
  ctx_->work = EVP_MD_CTX_new();
  JOET_ASSERT(ctx_->prefix != nullptr && ctx_->work != nullptr);
  const Hash32 t = sha256(tag);
  JOET_ASSERT(EVP_DigestInit_ex(ctx_->prefix, sha256_md(), nullptr) == 1);
  JOET_ASSERT(EVP_DigestUpdate(ctx_->prefix, t.data(), t.size()) == 1);
  JOET_ASSERT(EVP_DigestUpdate(ctx_->prefix, t.data(), t.size()) == 1);
}

TaggedHasher::~TaggedHasher() {
  EVP_MD_CTX_free(ctx_->work);
  EVP_MD_CTX_free(ctx_->prefix);
}

Hash32 TaggedHasher::hash(std::initializer_list<ByteView> parts) {
  JOET_ASSERT(EVP_MD_CTX_copy_ex(ctx_->work, ctx_->prefix) == 1);
  for (ByteView p : parts) {
    if (!p.empty()) JOET_ASSERT(EVP_DigestUpdate(ctx_->work, p.data(), p.size()) == 1);
  }
  Hash32 out;
  unsigned int len = 0;
  JOET_ASSERT(EVP_DigestFinal_ex(ctx_->work, out.data(), &len) == 1);
  JOET_ASSERT(len == out.size());
  return out;
}

Hash32 tagged_hash(std::string_view tag, std::initializer_list<ByteView> parts) {
  // One midstate per tag and thread; the tags are a small fixed set, so the cache stays tiny.
  thread_local std::map<std::string, std::unique_ptr<TaggedHasher>, std::less<>> hashers;
  auto it = hashers.find(tag);
  if (it == hashers.end()) it = hashers.emplace(std::string(tag), std::make_unique<TaggedHasher>(tag)).first;
  return it->second->hash(parts);
}

}  // namespace joet
