// The signing guard: a consensus::Signer that records, outside the data dir, the highest height at which
// this validator has a signature durable in its consensus WAL, and at start fences off the heights its
// WAL no longer covers (consensus/signing_fence.h has the rule). The consensus WAL
// (HOME/data/consensus.wal) keeps a restart from signing twice and from voting unlocked, but only while
// the data dir is intact; a validator whose data dir was wiped or restored from an older backup, or
// whose WAL was moved aside, has forgotten what it signed and what it was locked on at those heights.
// The guard's state file lives beside the key, HOME/keys/validator.state (node/home/home.h
// HomePaths::validator_state), so it travels with the key and not with the data (docs/joet-node.md,
// "Keys, the consensus WAL and the signing guard").
//
// The engine signs in this order (consensus/engine.cc sign_vote, sign_proposal): authorize, sign, WAL
// append, signed_durably, send. authorize() refuses every height at or below the fence and writes
// nothing. signed_durably(h) records h when it is above the recorded height (one fdatasync per height,
// not per signature). The WAL is written first, so a crash between the two leaves the WAL ahead of the
// record and never fences an ordinary restart. When open() finds the WAL ahead of the record, it
// records the WAL's highest height before returning: the engine re-sends the WAL's messages at start
// (without signed_durably), and every height it sends from must be in the record before a later wipe.
//
// The state file, kGuardFileBytes bytes: two records ("slots" A and B) of kGuardRecordBytes at offsets
// 0 and kGuardSlotStride, each alone in its own 4 KiB block, so rewriting one never touches the other.
// A record, integers big-endian:
//    0   8  magic "JOETSGD2"
//    8   8  sequence: the record with sequence n is in slot n % 2 (A even, B odd)
//   16   8  height: the highest height with a signature of this validator durable in its WAL
//   24  32  the validator's x-only public key (a state file copied from another validator is refused)
//   56  32  SHA-256 of bytes 0..56
// signed_durably() writes the next record (sequence + 1) over the slot NOT holding the newest one, with
// pwrite + fdatasync, and returns OK only after that. open() reads both and takes the valid one with the
// higher sequence: a write torn by a crash spoils only the slot it was writing, and the call that was
// writing it never returned, so nothing of its height was sent (the engine sends only after
// signed_durably returns OK); the WAL, written before, still holds that height, so the fence rule does
// not need the record to, and open() records it again from the WAL. A record that passes its checksum
// but breaks a rule of the format, or a file in which neither record is valid, is kCorruption: the
// guard never resets itself.
//
// A missing file is created on first open with height 0 in both slots, written to a temp file, fsynced,
// linked into place and the directory fsynced (so the path never holds a half file), mode 0600.
// Deleting the file therefore removes the protection. The file is held with an exclusive flock while
// open, so a second process on the same home is refused.
//
// Single-threaded, like the engine that calls it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "consensus/types.h"
#include "ledger/keys.h"
#include "ledger/status.h"

namespace joet {

inline constexpr size_t kGuardRecordBytes = 88;
inline constexpr size_t kGuardSlotStride = 4096;
inline constexpr size_t kGuardFileBytes = 2 * kGuardSlotStride;

class GuardedSigner : public consensus::Signer {
 public:
  // Opens (creating if absent) the state file at `state_path` for `key` and computes the fence from the
  // recorded height, `start_height` (the first height not in the block store) and `wal_max_height`
  // (consensus::wal_max_height of the WAL's records). kConflict when the file records another
  // validator's key or another process holds it; kCorruption when no valid record can be read;
  // kIoError when the operating system fails. Every error names the file.
  static Result<std::unique_ptr<GuardedSigner>> open(const std::string& state_path, PrivateKey key,
                                                     uint64_t start_height, uint64_t wal_max_height);
  ~GuardedSigner() override;
  GuardedSigner(const GuardedSigner&) = delete;
  GuardedSigner& operator=(const GuardedSigner&) = delete;

  const PublicKey& public_key() const override { return key_.public_key(); }
  // Signs with the key; does not check the height (the engine calls authorize first).
  Signature64 sign(std::string_view tag, ByteView body) override { return key_.sign(tag, body); }
  // OK above the fence; kConflict, naming the file and the fence, at or below it. Writes nothing.
  Status authorize(uint64_t height, uint32_t round, consensus::Step step) override;
  // Records `height` durably when it is above the recorded height (else OK at once); kIoError naming
  // the file when it cannot (the engine halts: nothing is sent).
  Status signed_durably(uint64_t height) override;

  // The height through which this validator does not sign (0: none); fixed at open.
  uint64_t fence() const { return fence_; }
  // The recorded height.
  uint64_t last_signed_height() const { return last_height_; }
  const std::string& path() const { return path_; }

 private:
  GuardedSigner(std::string path, int fd, PrivateKey key, uint64_t sequence, uint64_t last_height, uint64_t fence);

  std::string path_;
  int fd_ = -1;
  consensus::KeySigner key_;
  uint64_t sequence_ = 0;     // of the newest durable record
  uint64_t last_height_ = 0;  // its height
  uint64_t fence_ = 0;
};

}  // namespace joet
