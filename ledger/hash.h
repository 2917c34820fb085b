// SHA-256 (OpenSSL EVP) and BIP-340 style tagged hashes for domain separation:
// tagged(tag, m) = SHA256(SHA256(tag) || SHA256(tag) || m).
#pragma once

#include <initializer_list>
#include <memory>
#include <string_view>

#include "ledger/bytes.h"

namespace joet {

// The tags of the project: one per kind of hashed object, so no hash can stand for another kind.
namespace tags {
inline constexpr std::string_view kTx = "joet/tx";
inline constexpr std::string_view kVote = "joet/vote";
inline constexpr std::string_view kBlock = "joet/block";
inline constexpr std::string_view kProposal = "joet/proposal";
inline constexpr std::string_view kValidatorSet = "joet/validator_set";
inline constexpr std::string_view kEvent = "joet/event";
inline constexpr std::string_view kSmtLeaf = "joet/smt/leaf";
inline constexpr std::string_view kSmtNode = "joet/smt/node";
inline constexpr std::string_view kSmtKey = "joet/smt/key";
inline constexpr std::string_view kSmtValue = "joet/smt/value";
inline constexpr std::string_view kP2pHello = "joet/p2p-hello";
inline constexpr std::string_view kGenesis = "joet/genesis";
inline constexpr std::string_view kRpcRequest = "joet/rpc-request";  // a signed RPC read (node/rpc/request_auth.h)
}  // namespace tags

// Incremental SHA-256. One object per thread; reusable after finish().
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(ByteView data);
  Sha256& update(std::string_view data) { return update(as_bytes(data)); }
  Hash32 finish();  // returns the digest and resets for a new message

 private:
  void reset();
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// A tagged hash with the tag's 64-byte prefix absorbed once (the BIP-340 "midstate"): a short
// message then costs two SHA-256 blocks instead of three. For hot paths (tree nodes); one per thread.
class TaggedHasher {
 public:
  explicit TaggedHasher(std::string_view tag);
  ~TaggedHasher();
  TaggedHasher(const TaggedHasher&) = delete;
  TaggedHasher& operator=(const TaggedHasher&) = delete;

  Hash32 hash(std::initializer_list<ByteView> parts);
  Hash32 hash(ByteView a, ByteView b = {}) { return hash({a, b}); }

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

Hash32 sha256(ByteView data);
inline Hash32 sha256(std::string_view data) { return sha256(as_bytes(data)); }

// Tagged hash of the concatenation of the parts.
Hash32 tagged_hash(std::string_view tag, std::initializer_list<ByteView> parts);
inline Hash32 tagged_hash(std::string_view tag, ByteView data) { return tagged_hash(tag, {data}); }

}  // namespace joet
