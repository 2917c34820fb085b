#include "client-sdk/audit.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "client-sdk/audit_scratch.h"
#include "consensus/message.h"
#include "ledger/codec.h"
#include "ledger/testing/temp_dir.h"
#include "node/block_validity.h"
#include "node/testing/local_chain.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};

std::vector<v1::Arg> new_validators() {
  return validator_update_args([](int i) { return "new-validator-" + std::to_string(i); });
}

AuditGenesis genesis_of(const LocalChain& chain) {
  return AuditGenesis{std::string(kChainId), chain.genesis_, four_validators().proto()};
}

// The pipelined audit (signatures of the next heights verified while one re-executes), checked to
// report exactly what the audit of one height after the other reports.
Result<AuditReport> audit(LocalChain& chain, const AuditProgress& progress = {}) {
  MemoryKvStore sequential_scratch;
  auto sequential = audit_chain(*chain.blocks_, genesis_of(chain), chain.config_, sequential_scratch,
                                chain.verifier_, {}, /*lookahead_heights=*/0);
  MemoryKvStore scratch;
  auto pipelined = audit_chain(*chain.blocks_, genesis_of(chain), chain.config_, scratch, chain.verifier_, progress,
                               /*lookahead_heights=*/3);
  EXPECT_EQ(sequential.ok(), pipelined.ok());
  if (sequential.ok() && pipelined.ok()) {
    EXPECT_EQ(sequential->heights, pipelined->heights);
    EXPECT_EQ(sequential->txs, pipelined->txs);
    EXPECT_EQ(sequential->evidence, pipelined->evidence);
    EXPECT_EQ(sequential->state_root, pipelined->state_root);
    EXPECT_EQ(sequential->finding.has_value(), pipelined->finding.has_value());
    if (sequential->finding && pipelined->finding) {
      EXPECT_EQ(sequential->finding->height, pipelined->finding->height);
      EXPECT_EQ(sequential->finding->code, pipelined->finding->code);
      EXPECT_EQ(sequential->finding->message, pipelined->finding->message);
    }
  }
  return pipelined;
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
  auto report = audit(chain, [&](const AuditReport& so_far, uint64_t tip) {
    seen.push_back(so_far.heights);
    EXPECT_EQ(tip, 6u);
    EXPECT_FALSE(so_far.finding.has_value());
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
  int progress_calls = 0;
  auto report = audit(chain, [&](const AuditReport&, uint64_t) { ++progress_calls; });
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->finding.has_value());
  EXPECT_EQ(report->finding->height, 3u);
  EXPECT_EQ(report->finding->code, "CERTIFICATE_INVALID");
  EXPECT_EQ(report->heights, 2u);
  EXPECT_EQ(progress_calls, 2);  // once per verified height, none for the faulty one
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

// ---------------------------------------------------------------- the validity rules (node/block_validity.h)

AuditFinding finding_of(LocalChain& chain) {
  auto report = audit(chain);
  if (!report.ok()) return AuditFinding{0, "ERROR", report.error().to_string()};
  return report->finding.value_or(AuditFinding{0, "NONE", ""});
}

TEST(Audit, AStoredBlockWithATxOfAnEarlierBlockIsFoundAsDuplicateTx) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  const std::string replayed = chain.blocks_->block_at(1).value().block().txs(1);
  rewrite_stored(chain, 5, [&](v1::StoredBlock& s) { s.mutable_block()->add_txs(replayed); });
  const AuditFinding f = finding_of(chain);
  EXPECT_EQ(f.height, 5u);
  EXPECT_EQ(f.code, "DUPLICATE_TX");
  EXPECT_EQ(f.message, "tx 1 is in block 1");  // the audit's own index, not the node's
}

TEST(Audit, AStoredBlockWithOneTxTwiceIsFoundAsDuplicateTx) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  rewrite_stored(chain, 4, [&](v1::StoredBlock& s) { s.mutable_block()->add_txs(s.block().txs(0)); });
  const AuditFinding f = finding_of(chain);
  EXPECT_EQ(f.height, 4u);
  EXPECT_EQ(f.code, "DUPLICATE_TX");
  EXPECT_EQ(f.message, "tx 1 repeats an earlier tx of the block");
}

// The block store's decoder refuses it before any rule sees it (MALFORMED is for blocks a proposer
// sends: node/block_validity_test.cc): a corrupt store is an error, not a finding.
TEST(Audit, AStoredTxThatDoesNotDecodeIsAStoreCorruptionError) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  rewrite_stored(chain, 2, [&](v1::StoredBlock& s) { s.mutable_block()->add_txs("\xff\xff not a tx"); });
  auto report = audit(chain);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kCorruption);
  EXPECT_NE(report.error().message.find("height 2"), std::string::npos) << report.error().message;
}

TEST(Audit, ACarriedCertificateWithAForgedSignatureIsFound) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  rewrite_stored(chain, 6, [](v1::StoredBlock& s) {
    std::string sig = s.block().last_commit().signatures(1);
    sig[9] = static_cast<char>(sig[9] ^ 4);
    s.mutable_block()->mutable_last_commit()->set_signatures(1, sig);
  });
  const AuditFinding f = finding_of(chain);
  EXPECT_EQ(f.height, 6u);
  EXPECT_EQ(f.code, "LAST_COMMIT_INVALID");
}

// Two signed prevotes of validator `index` for one (height, round) and different blocks.
v1::Evidence double_prevote(const PrivateKey& key, uint32_t index, uint64_t height) {
  consensus::KeySigner signer(key);
  v1::Evidence ev;
  *ev.mutable_vote_a() =
      consensus::make_vote(signer, index, kChainId, v1::PREVOTE, height, 0, std::string(32, 'a')).signed_vote;
  *ev.mutable_vote_b() =
      consensus::make_vote(signer, index, kChainId, v1::PREVOTE, height, 0, std::string(32, 'b')).signed_vote;
  return ev;
}

// The next block, carrying `evidence`, certified by the validators whatever it holds.
void next_with_evidence(LocalChain& chain, int64_t time_ms, std::vector<v1::Evidence> evidence) {
  BlockInputs inputs = chain.inputs(time_ms, {});
  inputs.evidence = std::move(evidence);
  auto b = assemble_block(chain.kv_, chain.config_, chain.context(), std::move(inputs), chain.verifier_);
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  chain.commit(*b, chain.certify(*b));
}

PrivateKey new_validator_key(int i) { return PrivateKey::from_test_seed("new-validator-" + std::to_string(i)); }

TEST(Audit, EvidenceIsCheckedAgainstTheValidatorSetOfItsOwnHeight) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);  // the new validators certify from height 4
  next_with_evidence(chain, utc_ms(2026, 6, 2, 9),
                     {double_prevote(validator_key(3), 3, 3), double_prevote(new_validator_key(3), 3, 4)});
  auto report = audit(chain);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->finding.has_value()) << report->finding->code << ": " << report->finding->message;
  EXPECT_EQ(report->heights, 7u);
  EXPECT_EQ(report->evidence, 2u);
}

TEST(Audit, EvidenceSignedByAValidatorOfAnotherHeightsSetIsFound) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  // Validator 3 of the genesis set equivocating "at height 4", where index 3 is another key.
  next_with_evidence(chain, utc_ms(2026, 6, 2, 9), {double_prevote(validator_key(3), 3, 4)});
  const AuditFinding f = finding_of(chain);
  EXPECT_EQ(f.height, 7u);
  EXPECT_EQ(f.code, "EVIDENCE_INVALID");
  EXPECT_EQ(f.message.rfind("evidence does not check", 0), 0u) << f.message;
}

TEST(Audit, ForgedEvidenceIsFound) {
  LocalChain chain;
  Chain txs;
  chain.next(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001")});
  v1::Evidence forged = double_prevote(validator_key(2), 2, 1);
  forged.mutable_vote_b()->set_signature(std::string(64, '\x01'));
  next_with_evidence(chain, utc_ms(2026, 3, 10, 10), {forged});
  const AuditFinding f = finding_of(chain);
  EXPECT_EQ(f.height, 2u);
  EXPECT_EQ(f.code, "EVIDENCE_INVALID");
}

TEST(Audit, EvidenceCommittedTwiceIsFound) {
  LocalChain chain;
  chain.next(utc_ms(2026, 3, 10, 9));
  next_with_evidence(chain, utc_ms(2026, 3, 10, 10), {double_prevote(validator_key(1), 1, 1)});
  next_with_evidence(chain, utc_ms(2026, 3, 10, 11), {double_prevote(validator_key(1), 1, 1)});
  const AuditFinding f = finding_of(chain);
  EXPECT_EQ(f.height, 3u);
  EXPECT_EQ(f.code, "EVIDENCE_INVALID");
  EXPECT_EQ(f.message, "evidence already committed");
}

TEST(Audit, MoreEvidenceThanABlockMayCarryIsFound) {
  LocalChain chain;
  chain.next(utc_ms(2026, 3, 10, 9));
  std::vector<v1::Evidence> many;
  for (size_t i = 0; i <= kMaxBlockEvidence; ++i) many.push_back(double_prevote(validator_key(i % 4), i % 4, 1));
  next_with_evidence(chain, utc_ms(2026, 3, 10, 10), many);
  const AuditFinding f = finding_of(chain);
  EXPECT_EQ(f.height, 2u);
  EXPECT_EQ(f.code, "EVIDENCE_INVALID");
  EXPECT_EQ(f.message, "too many items");
}

// ---------------------------------------------------------------- the scratch store (audit_scratch.h)

TEST(AuditScratch, ANonEmptyDirectoryIsRefused) {
  TempDir dir("audit_scratch");
  std::ofstream(dir.sub("something")) << "x";
  auto scratch = AuditScratch::in_directory(dir.str());
  ASSERT_FALSE(scratch.ok());
  EXPECT_EQ(scratch.error().code, ErrorCode::kConflict);
}

TEST(AuditScratch, TheAuditReexecutesIntoALevelDbInTheScratchDirectory) {
  LocalChain chain;
  Chain txs;
  build_six(chain, txs);
  TempDir dir("audit_scratch");
  const std::string path = dir.sub("state");  // created by the scratch
  {
    auto scratch = AuditScratch::in_directory(path);
    ASSERT_TRUE(scratch.ok()) << scratch.error().to_string();
    EXPECT_EQ((*scratch)->kind(), "leveldb");
    auto report = audit_chain(*chain.blocks_, genesis_of(chain), chain.config_, (*scratch)->store(), chain.verifier_);
    ASSERT_TRUE(report.ok()) << report.error().to_string();
    EXPECT_FALSE(report->finding.has_value());
    EXPECT_EQ(report->state_root, chain.state_root_);
  }
  // LevelDB's files stay (not a temporary scratch); they hold the re-executed state tree.
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(path) / "CURRENT"));
  auto reopened = LevelDbKvStore::open(path, LevelDbKvStore::Options{});
  ASSERT_TRUE(reopened.ok());
  size_t tree_nodes = 0;
  const Bytes begin = to_bytes("n/"), end = to_bytes("n0");
  ASSERT_TRUE((*reopened)->scan(begin, end, [&](ByteView, ByteView) { return ++tree_nodes < 1000; }).ok());
  EXPECT_GT(tree_nodes, 10u);
  reopened->reset();
  // A second audit into it is refused: its state would mix with the first's.
  EXPECT_FALSE(AuditScratch::in_directory(path).ok());
}

TEST(AuditScratch, ATemporaryScratchIsALevelDbRemovedWithTheScratch) {
  std::string path;
  {
    auto scratch = AuditScratch::temporary();
    ASSERT_TRUE(scratch.ok()) << scratch.error().to_string();
    path = (*scratch)->dir();
    EXPECT_EQ((*scratch)->kind(), "leveldb");
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(path) / "CURRENT"));
  }
  EXPECT_FALSE(path.empty());
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace joet
