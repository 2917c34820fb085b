#include "client-sdk/audit.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ledger/codec.h"
#include "node/testing/local_chain.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};

std::vector<v1::Arg> new_validators() {
  std::vector<v1::Arg> args;
  for (int i = 0; i < 4; ++i) {
    const std::string p = "validator." + std::to_string(i) + ".";
    args.push_back(key_arg(p + "key", "new-validator-" + std::to_string(i)));
    args.push_back(integer(p + "power", 1));
  }
  return args;
}

AuditGenesis genesis_of(const LocalChain& chain) {
  return AuditGenesis{std::string(kChainId), chain.genesis_, four_validators().proto()};
}

Result<AuditReport> audit(LocalChain& chain, const AuditProgress& progress = {}) {
  MemoryKvStore scratch;
  return audit_chain(*chain.blocks_, genesis_of(chain), chain.config_, scratch, chain.verifier_, progress);
}

// Six blocks with cases, a refused tx, deadlines and a change of validators at height 4.
void build_six(LocalChain& chain, Chain& txs) {
  chain.next(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001"), open_case_tx(txs, "case-002")});
  chain.next(utc_ms(2026, 3, 10, 10), {txs.multi_tx(kFive, "validator.update", new_validators())});
  chain.next(utc_ms(2026, 3, 10, 11), {open_case_tx(txs, "case-001")});  // DUPLICATE: refused, still on chain
  chain.next(utc_ms(2026, 3, 11, 9), {txs.tx(kRvdk, "request.file",
                                             {text("case", "case-001"), text("request", "r1"), text("kind", "OTS"),
                                              text("gi", std::string(kGi)), hash_arg("document", "r1")})});
  chain.next(utc_ms(2026, 3, 15, 9), {txs.tx(kCourt, "court.decide",
                                             {text("case", "case-001"), text("request", "r1"), text("outcome", "GRANTED"),
                                              text("start_date", "2026-03-15"), text("end_date", "2027-03-15")})});
  chain.next(utc_ms(2026, 6, 1, 9));  // D-ASSIGN and D-PLAN fire
}

TEST(Audit, AnHonestChainVerifiesToItsTipWithTheSameStateRoot) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  std::vector<uint64_t> seen;
  auto report = audit(chain, [&](uint64_t h, uint64_t tip) {
    seen.push_back(h);
    EXPECT_EQ(tip, 6u);
  });
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_FALSE(report->finding.has_value()) << report->finding->code << ": " << report->finding->message;
  EXPECT_EQ(report->heights, 6u);
  EXPECT_EQ(report->txs, 6u);
  EXPECT_EQ(report->refused_txs, 1u);
  EXPECT_GT(report->events, 10u);
  EXPECT_EQ(report->validator_set_changes, 1u);
  EXPECT_EQ(report->rules_version, 1u);
  EXPECT_EQ(report->tip_hash, chain.blocks_->tip().block_hash);
  EXPECT_EQ(report->state_root, chain.state_root_);
  EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
}

// Rewrites the stored block of `height` in the chain's store (what a tampering operator could do).
void rewrite_stored(LocalChain& chain, uint64_t height, const std::function<void(v1::StoredBlock&)>& tamper) {
  v1::StoredBlock stored = chain.blocks_->block_at(height).value();
  tamper(stored);
  Bytes key{'B'};
  put_u64_be(key, height);
  WriteBatch batch;
  batch.put(key, encode(stored));
  ASSERT_TRUE(chain.kv_.write(batch, true).ok());
}

TEST(Audit, ACorruptedCertificateSignatureIsFoundAtItsHeight) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  rewrite_stored(chain, 3, [](v1::StoredBlock& s) {
    std::string sig = s.commit().signatures(0);
    sig[5] = static_cast<char>(sig[5] ^ 1);
    s.mutable_commit()->set_signatures(0, sig);
  });
  auto report = audit(chain);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->finding.has_value());
  EXPECT_EQ(report->finding->height, 3u);
  EXPECT_EQ(report->finding->code, "CERTIFICATE_INVALID");
  EXPECT_EQ(report->heights, 2u);
}

TEST(Audit, ACertificateOfTheOldValidatorsAfterTheChangeIsFound) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  // Height 4 is certified by the new set; a certificate of the genesis validators does not count.
  LocalChain old_signers;
  v1::StoredBlock at4 = chain.blocks_->block_at(4).value();
  AssembledBlock as_block;
  as_block.block = at4.block();
  as_block.header = decode_block_header(as_bytes(at4.block().header())).value();
  const v1::CommitCertificate by_old = old_signers.certify(as_block);
  rewrite_stored(chain, 4, [&](v1::StoredBlock& s) { *s.mutable_commit() = by_old; });
  auto report = audit(chain);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->finding.has_value());
  EXPECT_EQ(report->finding->height, 4u);
  EXPECT_EQ(report->finding->code, "CERTIFICATE_INVALID");
}

// Validators holding a quorum certify a block whose state root the txs do not produce: the audit's
// re-execution finds it, whatever the signatures say.
TEST(Audit, ACertifiedBlockWithAWrongStateRootIsFoundByReexecution) {
  LocalChain chain;
  Chain txs;
  chain.next(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001")});
  AssembledBlock b2 = chain.assemble(utc_ms(2026, 3, 10, 10), {open_case_tx(txs, "case-002")});
  b2.header.set_state_root(std::string(32, '\x07'));
  b2.block.set_header(to_string(encode(b2.header)));
  chain.commit(b2, chain.certify(b2));
  auto report = audit(chain);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->finding.has_value());
  EXPECT_EQ(report->finding->height, 2u);
  EXPECT_EQ(report->finding->code, "WRONG_STATE_ROOT");
  EXPECT_EQ(report->heights, 1u);
}

// A proposer puts the certificate of block 1 where block 3 must carry block 2's, and the validators
// certify block 3 anyway: the audit checks the carried certificate against the block it names.
TEST(Audit, ACarriedCertificateOfTheWrongBlockIsFound) {
  LocalChain chain;
  Chain txs;
  chain.next(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001")});
  chain.next(utc_ms(2026, 3, 10, 10));
  BlockInputs inputs = chain.inputs(utc_ms(2026, 3, 10, 11), {});
  inputs.last_commit = chain.blocks_->block_at(1).value().commit();
  AssembledBlock b3 = assemble_block(chain.kv_, chain.config_, chain.context(), inputs, chain.verifier_).value();
  chain.commit(b3, chain.certify(b3));
  auto report = audit(chain);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->finding.has_value());
  EXPECT_EQ(report->finding->height, 3u);
  EXPECT_EQ(report->finding->code, "LAST_COMMIT_INVALID");
  EXPECT_EQ(report->heights, 2u);
}

TEST(Audit, ARewrittenBlockNoLongerMatchesItsStoredCertificate) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  rewrite_stored(chain, 5, [](v1::StoredBlock& s) { s.mutable_block()->clear_txs(); });
  auto report = audit(chain);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->finding.has_value());
  EXPECT_EQ(report->finding->height, 5u);
  // The header is unchanged, so the certificate still names it; re-execution finds the txs gone.
  EXPECT_EQ(report->finding->code, "WRONG_TX_ROOT");
}

}  // namespace
}  // namespace joet
