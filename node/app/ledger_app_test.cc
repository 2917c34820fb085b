#include "node/app/ledger_app.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "consensus/message.h"
#include "contracts/state.h"
#include "ledger/codec.h"
#include "ledger/testing/temp_dir.h"
#include "node/app/app_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

int64_t at_hour(int h) { return utc_ms(2026, 3, 10, 9 + h); }

std::unique_ptr<KvStore> memory() { return std::make_unique<MemoryKvStore>(); }

std::unique_ptr<KvStore> leveldb(const std::string& path) {
  LevelDbKvStore::Options options;
  options.create_if_missing = true;
  options.block_cache_bytes = 1u << 20;
  return LevelDbKvStore::open(path, options).value();
}

// A MemoryKvStore whose writes can be made to fail (a full disk).
class FailingKvStore : public KvStore {
 public:
  Result<std::optional<Bytes>> get(ByteView key) const override { return inner_.get(key); }
  Status write(const WriteBatch& batch, bool sync) override {
    if (fail_) return make_error(ErrorCode::kIoError, "disk full");
    return inner_.write(batch, sync);
  }
  Status scan(ByteView begin, ByteView end,
              const std::function<bool(ByteView key, ByteView value)>& visit) const override {
    return inner_.scan(begin, end, visit);
  }
  bool fail_ = false;

 private:
  MemoryKvStore inner_;
};

// Four validators' apps; `proposer` assembles, the others validate, all finalize one certificate.
struct Net {
  Net() {
    for (size_t i = 0; i < 4; ++i) {
      nodes.push_back(std::make_unique<AppNode>(memory(), i));
      JOET_ASSERT(nodes.back()->app->init_genesis().ok());
    }
  }
  consensus::Value round_trip(size_t proposer, int64_t time_ms) {
    LedgerApp& p = *nodes[proposer]->app;
    const uint64_t h = p.tip_height() + 1;
    consensus::Value v = p.prepare_proposal(h, 0, static_cast<uint64_t>(time_ms), {});
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (i == proposer) continue;
      const LedgerApp::Verdict verdict = nodes[i]->app->judge(validate_request(h, v));
      EXPECT_TRUE(verdict.valid) << "node " << i << ": " << verdict.reason;
    }
    const v1::CommitCertificate cert = certify(h, v.hash);
    for (auto& n : nodes) {
      auto r = n->app->finalize_block(h, v, cert);
      EXPECT_FALSE(n->app->halted()) << n->app->halt_status().to_string();
      EXPECT_TRUE(r.ok()) << r.error().to_string();
      if (r.ok()) {
        EXPECT_EQ(r->block_time_ms, static_cast<uint64_t>(time_ms));
      }
    }
    return v;
  }
  std::vector<std::unique_ptr<AppNode>> nodes;
};

TEST(LedgerApp, AProposedBlockValidatesOnTheOthersAndFinalizeGivesIdenticalStateRoots) {
  Net net;
  Chain chain;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(net.nodes[0]->app->submit_tx(tx_bytes(open_case_tx(chain, "case-00" + std::to_string(i))), at_hour(0))
                    ->admitted());
  }
  const Hash32 genesis_root = net.nodes[0]->app->state_root();
  for (auto& n : net.nodes) EXPECT_EQ(n->app->state_root(), genesis_root);  // one genesis, one root

  const consensus::Value b1 = net.round_trip(0, at_hour(0));
  EXPECT_EQ(decode_block(b1.bytes).value().txs_size(), 3);
  net.round_trip(1, at_hour(1));
  for (auto& n : net.nodes) {
    EXPECT_EQ(n->blocks->tip().height, 2u);
    EXPECT_EQ(n->blocks->tip().block_hash, net.nodes[0]->blocks->tip().block_hash);
    EXPECT_EQ(n->app->state_root(), net.nodes[0]->app->state_root());
    EXPECT_EQ(n->app->cached_blocks(), 0u);
    ContractState state(*n->kv);
    EXPECT_TRUE(state.get<cv1::Case>(state_keys::case_record("case-002")).value().has_value());
  }
  EXPECT_NE(net.nodes[0]->app->state_root(), genesis_root);
  EXPECT_EQ(net.nodes[0]->mempool->size(), 0u);  // committed txs leave the mempool
  // Block 2 carries block 1's certificate.
  const v1::Block b2 = net.nodes[3]->blocks->block_at(2).value().block();
  EXPECT_TRUE(b2.has_last_commit());
  EXPECT_EQ(net.nodes[3]->app->start_state().height, 3u);
  EXPECT_EQ(net.nodes[3]->app->start_state().prev_block_time_ms, static_cast<uint64_t>(at_hour(1)));
}

TEST(LedgerApp, ARestartOnTheSameLevelDbContinuesAtTheTipWithTheSameStateRoot) {
  TempDir dir("ledger_app_restart");
  Chain chain;
  Hash32 root;
  Hash32 tip_hash;
  {
    AppNode node(leveldb(dir.sub("db")), 0);
    ASSERT_TRUE(node.app->init_genesis().ok());
    EXPECT_EQ(node.app->start_state().height, 1u);
    EXPECT_EQ(node.app->start_state().prev_block_time_ms, static_cast<uint64_t>(kGenesisMs));
    for (int h = 0; h < 3; ++h) {
      ASSERT_TRUE(node.app->submit_tx(tx_bytes(open_case_tx(chain, "case-" + std::to_string(h))), at_hour(h))->admitted());
      const uint64_t height = node.app->tip_height() + 1;
      const consensus::Value v = node.app->prepare_proposal(height, 0, static_cast<uint64_t>(at_hour(h)), {});
      ASSERT_TRUE(node.app->finalize_block(height, v, certify(height, v.hash)).ok());
      ASSERT_FALSE(node.app->halted());
    }
    root = node.app->state_root();
    tip_hash = node.blocks->tip().block_hash;
  }
  AppNode again(leveldb(dir.sub("db")), 0);
  ASSERT_TRUE(again.app->init_genesis().ok());  // the genesis is there: nothing is rewritten
  EXPECT_EQ(again.app->tip_height(), 3u);
  EXPECT_EQ(again.blocks->tip().block_hash, tip_hash);
  EXPECT_EQ(again.app->state_root(), root);
  const consensus::StartState s = again.app->start_state();
  EXPECT_EQ(s.height, 4u);
  EXPECT_EQ(s.prev_block_time_ms, static_cast<uint64_t>(at_hour(2)));
  // It goes on: block 4 links to block 3 and carries its certificate.
  ASSERT_TRUE(again.app->submit_tx(tx_bytes(open_case_tx(chain, "case-9")), at_hour(3))->admitted());
  const consensus::Value v = again.app->prepare_proposal(4, 0, static_cast<uint64_t>(at_hour(3)), {});
  ASSERT_TRUE(again.app->finalize_block(4, v, certify(4, v.hash)).ok());
  ASSERT_FALSE(again.app->halted()) << again.app->halt_status().to_string();
  EXPECT_EQ(again.app->tip_height(), 4u);
}

// Every key of the dashboard index (node/inzicht/dashboard_index.h), with its value.
std::map<Bytes, Bytes> index_keys_of(const KvStore& kv) {
  std::map<Bytes, Bytes> out;
  EXPECT_TRUE(kv.scan(to_bytes("I"), to_bytes("J"), [&](ByteView k, ByteView v) {
    out.emplace(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
    return true;
  }).ok());
  return out;
}

TEST(LedgerApp, AStoreWithoutTheDashboardIndexGetsOneAtStartEqualToTheOneKeptAtCommit) {
  TempDir dir("ledger_app_index");
  Chain chain;
  std::map<Bytes, Bytes> kept;
  {
    AppNode node(leveldb(dir.sub("db")), 0);
    ASSERT_TRUE(node.app->init_genesis().ok());
    const std::vector<std::vector<v1::SignedTx>> blocks = {
        {open_case_tx(chain, "case-001"), open_case_tx(chain, "case-002")},
        {chain.tx(kRvdk, "request.file", {text("case", "case-001"), text("request", "r1"), text("kind", "OTS"),
                                          text("gi", std::string(kGi)), hash_arg("document", "r1")}),
         open_case_tx(chain, "case-003")},
        {chain.tx(kCourt, "court.decide", {text("case", "case-001"), text("request", "r1"), text("outcome", "GRANTED"),
                                           text("start_date", "2026-03-10"), text("end_date", "2026-09-10")})},
        {},  // a day later: D-ASSIGN and friends fire
    };
    int64_t t = at_hour(0);
    for (const auto& txs : blocks) {
      for (const auto& tx : txs) ASSERT_TRUE(node.app->submit_tx(tx_bytes(tx), t)->admitted());
      const uint64_t height = node.app->tip_height() + 1;
      const consensus::Value v = node.app->prepare_proposal(height, 0, static_cast<uint64_t>(t), {});
      ASSERT_TRUE(node.app->finalize_block(height, v, certify(height, v.hash)).ok());
      ASSERT_FALSE(node.app->halted()) << node.app->halt_status().to_string();
      t += 6 * 86'400'000LL;
    }
    kept = index_keys_of(*node.kv);
    // Lose the index, as a store written by a node before it had one.
    WriteBatch lose;
    for (const auto& [k, v] : kept) lose.del(k);
    ASSERT_TRUE(node.kv->write(lose, true).ok());
  }
  // The index holds what the blocks did: cells, deadlines by party, timeline entries.
  auto count = [&](std::string_view prefix) {
    return std::count_if(kept.begin(), kept.end(), [&](const auto& kv) {
      return kv.first.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), kv.first.begin());
    });
  };
  EXPECT_GT(count("Irun/"), 0);
  EXPECT_GT(count("Idl/"), 0);
  EXPECT_GT(count("Itl/case-001/"), 4);
  EXPECT_EQ(count("Iversion"), 1);

  std::vector<std::pair<uint64_t, uint64_t>> progress;
  LedgerAppConfig config;
  config.on_index_rebuild = [&](uint64_t done, uint64_t total) { progress.emplace_back(done, total); };
  AppNode again(leveldb(dir.sub("db")), 0, {}, config);
  ASSERT_TRUE(again.app->init_genesis().ok());
  EXPECT_EQ(index_keys_of(*again.kv), kept);
  EXPECT_EQ(progress, (std::vector<std::pair<uint64_t, uint64_t>>{{4, 4}}));
}

TEST(LedgerApp, AStoreMadeWithAnotherGenesisIsRefused) {
  TempDir dir("ledger_app_genesis");
  {
    AppNode node(leveldb(dir.sub("db")), 0);
    ASSERT_TRUE(node.app->init_genesis().ok());
  }
  Genesis other = test_genesis();
  other.state.put(as_bytes(std::string_view("c/meta/extra")), as_bytes(std::string_view("x")));
  AppNode node(leveldb(dir.sub("db")), 0, MempoolLimits{}, LedgerAppConfig{}, std::move(other));
  const Status s = node.app->init_genesis();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
}

TEST(LedgerApp, ATamperedBlockIsRefusedByValidate) {
  Net net;
  Chain chain;
  net.round_trip(0, at_hour(0));
  ASSERT_TRUE(net.nodes[1]->app->submit_tx(tx_bytes(open_case_tx(chain, "case-001")), at_hour(1))->admitted());
  const consensus::Value good = net.nodes[1]->app->prepare_proposal(2, 0, static_cast<uint64_t>(at_hour(1)), {});
  LedgerApp& judge = *net.nodes[2]->app;
  const v1::Block block = decode_block(good.bytes).value();
  const v1::BlockHeader header = decode_block_header(as_bytes(block.header())).value();

  auto value_of = [](const v1::Block& b, uint64_t time_ms) {
    return consensus::Value{block_hash(b), time_ms, encode(b)};
  };
  auto reason = [&](const consensus::Value& v) { return judge.judge(validate_request(2, v)).reason; };

  {  // a state root the execution does not give
    v1::BlockHeader h = header;
    h.set_state_root(std::string(32, 'x'));
    v1::Block b = block;
    b.set_header(to_string(encode(h)));
    EXPECT_EQ(reason(value_of(b, good.time_ms)).rfind("WRONG_STATE_ROOT", 0), 0u) << reason(value_of(b, good.time_ms));
  }
  {  // bytes that do not hash to the value's hash
    consensus::Value v = good;
    v.hash = sha256("other");
    EXPECT_EQ(reason(v).rfind("MALFORMED", 0), 0u);
  }
  {  // a header time other than the proposal's
    consensus::Value v = good;
    v.time_ms += 1;
    EXPECT_EQ(reason(v).rfind("WRONG_TIME", 0), 0u);
  }
  {  // a last commit whose signature does not verify (its hash in the header updated to match)
    v1::Block b = block;
    std::string sig = b.last_commit().signatures(0);
    sig[3] ^= 1;
    b.mutable_last_commit()->set_signatures(0, sig);
    v1::BlockHeader h = header;
    h.set_last_commit_hash(to_string(last_commit_hash(b.last_commit())));
    b.set_header(to_string(encode(h)));
    EXPECT_EQ(reason(value_of(b, good.time_ms)).rfind("WRONG_LAST_COMMIT", 0), 0u) << reason(value_of(b, good.time_ms));
  }
  {  // a tx swapped under the header
    v1::Block b = block;
    b.set_txs(0, to_string(encode(open_case_tx(chain, "case-777"))));
    EXPECT_EQ(reason(value_of(b, good.time_ms)).rfind("WRONG_TX_ROOT", 0), 0u) << reason(value_of(b, good.time_ms));
  }
  {  // garbage
    consensus::Value v{sha256("x"), good.time_ms, Bytes{0xff, 0x00}};
    EXPECT_FALSE(judge.validate(validate_request(2, v)));
  }
  {  // not the next height
    EXPECT_EQ(judge.judge(validate_request(3, good)).reason.rfind("WRONG_HEIGHT", 0), 0u);
  }
  EXPECT_FALSE(judge.halted());  // refusals are verdicts, not failures
  EXPECT_TRUE(judge.validate(validate_request(2, good)));
}

// The engine keeps one value and one verdict per block hash, and the hash covers the header alone: a
// body the header does not bind is no block of that hash. Before identify_block checked the binding, a
// proposer could send one signed proposal with two bodies; the half that got the bad one judged the
// hash invalid for the height and refused the block the other half had locked on (liveness lost).
TEST(LedgerApp, ABodyItsHeaderDoesNotBindIsNoBlockOfThatHash) {
  Net net;
  Chain chain;
  net.round_trip(0, at_hour(0));
  ASSERT_TRUE(net.nodes[1]->app->submit_tx(tx_bytes(open_case_tx(chain, "case-001")), at_hour(1))->admitted());
  ASSERT_TRUE(net.nodes[1]->app->submit_tx(tx_bytes(open_case_tx(chain, "case-002")), at_hour(1))->admitted());
  const consensus::Value good = net.nodes[1]->app->prepare_proposal(2, 0, static_cast<uint64_t>(at_hour(1)), {});
  LedgerApp& judge = *net.nodes[2]->app;
  const auto id = judge.identify_block(good.bytes);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->hash, good.hash);
  const v1::Block block = decode_block(good.bytes).value();
  ASSERT_EQ(block.txs_size(), 2);

  v1::Block one_tx_fewer = block;
  one_tx_fewer.mutable_txs()->RemoveLast();
  v1::Block txs_swapped = block;
  txs_swapped.mutable_txs()->SwapElements(0, 1);
  v1::Block other_commit = block;
  std::string sig = other_commit.last_commit().signatures(0);
  sig[5] ^= 1;
  other_commit.mutable_last_commit()->set_signatures(0, sig);
  v1::Block no_commit = block;
  no_commit.clear_last_commit();
  v1::Block smuggled_evidence = block;
  v1::Evidence* ev = smuggled_evidence.add_evidence();
  ev->mutable_vote_a()->set_body(block.last_commit().vote_body());
  ev->mutable_vote_a()->set_signature(block.last_commit().signatures(0));
  for (const v1::Block* b : {&one_tx_fewer, &txs_swapped, &other_commit, &no_commit, &smuggled_evidence}) {
    ASSERT_EQ(block_hash(*b), good.hash);  // the same header, so the same hash
    EXPECT_FALSE(judge.identify_block(encode(*b)).has_value());
  }
  // And the good body is still judged valid after the bad ones were offered under its hash.
  EXPECT_TRUE(judge.validate(validate_request(2, good)));
}

// Each tx's signatures are verified once per node: at admission, or in the block when the node never
// admitted it (Mempool::holds_verified also compares the signature bytes: the tx id covers the body only).
TEST(LedgerApp, ATxsSignaturesAreCheckedOncePerNodeAtAdmissionOrInTheBlock) {
  Net net;
  Chain chain;
  net.round_trip(0, at_hour(0));
  const v1::SignedTx a = open_case_tx(chain, "case-001");
  const v1::SignedTx b = open_case_tx(chain, "case-002");
  for (size_t i : {1u, 2u}) ASSERT_TRUE(net.nodes[i]->app->submit_tx(tx_bytes(a), at_hour(1))->admitted());
  ASSERT_TRUE(net.nodes[1]->app->submit_tx(tx_bytes(b), at_hour(1))->admitted());
  const uint64_t before_proposal = net.nodes[1]->app->block_signature_checks();
  const consensus::Value v = net.nodes[1]->app->prepare_proposal(2, 0, static_cast<uint64_t>(at_hour(1)), {});
  EXPECT_EQ(decode_block(v.bytes).value().txs_size(), 2);
  EXPECT_EQ(net.nodes[1]->app->block_signature_checks(), before_proposal) << "the proposer re-checked its own pool";
  // Node 2 admitted `a` only: it checks `b` in the block, not `a`. Node 3 admitted neither: both.
  EXPECT_TRUE(net.nodes[2]->app->validate(validate_request(2, v)));
  EXPECT_EQ(net.nodes[2]->app->block_signature_checks(), 1u);
  EXPECT_TRUE(net.nodes[3]->app->validate(validate_request(2, v)));
  EXPECT_EQ(net.nodes[3]->app->block_signature_checks(), 2u);
}

TEST(LedgerApp, ABlockRepeatingACommittedTxIsRefused) {
  Net net;
  Chain chain;
  const v1::SignedTx tx = open_case_tx(chain, "case-001");
  ASSERT_TRUE(net.nodes[0]->app->submit_tx(tx_bytes(tx), at_hour(0))->admitted());
  net.round_trip(0, at_hour(0));
  // A byzantine proposer assembles block 2 around the same tx (the executor alone would only
  // refuse it as BAD_NONCE; the block store's tx index must stay one location per tx id).
  AppNode& byz = *net.nodes[1];
  BlockContext ctx;
  ctx.chain_id = std::string(kChainId);
  ctx.height = 2;
  ctx.prev_block_hash = byz.blocks->tip().block_hash;
  ctx.prev_time_ms = at_hour(0);
  ctx.prev_state_root = byz.app->state_root();
  ctx.history_root = byz.blocks->history_root();
  ctx.validators = byz.app->validator_set(2);
  BlockInputs in;
  in.time_ms = at_hour(1);
  in.proposer = 1;
  in.txs = {tx};
  in.last_commit = byz.blocks->block_at(1).value().commit();
  auto assembled = assemble_block(*byz.kv, byz.executor, ctx, in, byz.verifier);
  ASSERT_TRUE(assembled.ok());
  const consensus::Value v{block_hash(assembled->block), static_cast<uint64_t>(at_hour(1)), encode(assembled->block)};
  const LedgerApp::Verdict verdict = net.nodes[2]->app->judge(validate_request(2, v));
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.reason.rfind("DUPLICATE_TX", 0), 0u) << verdict.reason;
}

// A client awaiting its tx learns the contracts' answer: OK, or the refusal code the block holds.
TEST(LedgerApp, EachCommittedTxKeepsItsResultForClients) {
  Net net;
  Chain chain;
  const v1::SignedTx opened = open_case_tx(chain, "case-001");
  ASSERT_TRUE(net.nodes[0]->app->submit_tx(tx_bytes(opened), at_hour(0))->admitted());
  net.round_trip(0, at_hour(0));
  // The same case again, signed anew: the dry run admitted nothing the state refuses, so build it
  // into a block by hand, as a proposer that skipped the mempool would.
  const v1::SignedTx again = open_case_tx(chain, "case-001");
  EXPECT_FALSE(net.nodes[0]->app->submit_tx(tx_bytes(again), at_hour(1))->admitted());
  for (const auto& node : net.nodes) {
    auto ok = node->app->tx_result(tx_id(opened));
    ASSERT_TRUE(ok.ok());
    ASSERT_TRUE(ok->has_value());
    EXPECT_TRUE((*ok)->ok);
    EXPECT_FALSE(node->app->tx_result(tx_id(again)).value().has_value());
  }
}

consensus::AnyEvidence double_prevote(uint32_t validator, uint64_t height) {
  consensus::KeySigner signer(validator_key(validator));
  const auto a = consensus::make_vote(signer, validator, kChainId, v1::PREVOTE, height, 0, std::string(32, 'a'));
  const auto b = consensus::make_vote(signer, validator, kChainId, v1::PREVOTE, height, 0, std::string(32, 'b'));
  v1::Evidence ev;
  *ev.mutable_vote_a() = a.signed_vote;
  *ev.mutable_vote_b() = b.signed_vote;
  return ev;
}

TEST(LedgerApp, EvidenceGoesIntoOneBlockAndIsNotCommittedTwice) {
  Net net;
  const consensus::AnyEvidence ev = double_prevote(3, 1);
  consensus::AnyEvidence forged = ev;
  std::get<v1::Evidence>(forged).mutable_vote_b()->set_signature(std::string(64, '\x01'));
  net.round_trip(0, at_hour(0));
  // Block 2 carries the good evidence and leaves out the forged one.
  LedgerApp& p = *net.nodes[1]->app;
  const consensus::Value v2 = p.prepare_proposal(2, 0, static_cast<uint64_t>(at_hour(1)), {ev, forged, ev});
  const v1::Block b2 = decode_block(v2.bytes).value();
  ASSERT_EQ(b2.evidence_size(), 1);
  EXPECT_TRUE(net.nodes[2]->app->validate(validate_request(2, v2)));
  // A block with the forged evidence is refused.
  v1::Block bad = b2;
  *bad.mutable_evidence(0) = std::get<v1::Evidence>(forged);
  const consensus::Value vbad{block_hash(bad), v2.time_ms, encode(bad)};
  EXPECT_EQ(net.nodes[3]->app->judge(validate_request(2, vbad)).reason.rfind("EVIDENCE", 0), 0u);
  for (auto& n : net.nodes) ASSERT_TRUE(n->app->finalize_block(2, v2, certify(2, v2.hash)).ok());
  // Once committed, it stays out of later blocks, and a block that repeats it is refused.
  const consensus::Value v3 = net.nodes[2]->app->prepare_proposal(3, 0, static_cast<uint64_t>(at_hour(2)), {ev});
  EXPECT_EQ(decode_block(v3.bytes).value().evidence_size(), 0);
  v1::Block again = decode_block(v3.bytes).value();
  *again.add_evidence() = std::get<v1::Evidence>(ev);
  const consensus::Value vagain{block_hash(again), v3.time_ms, encode(again)};
  EXPECT_EQ(net.nodes[0]->app->judge(validate_request(3, vagain)).reason, "EVIDENCE: evidence already committed");
}

TEST(LedgerApp, AValidatorUpdateComesBackAsTheSetOfHeightPlusTwoAndSurvivesARestart) {
  TempDir dir("ledger_app_vset");
  Chain chain;
  std::vector<v1::Arg> args;
  for (int i = 0; i < 4; ++i) {
    const std::string p = "validator." + std::to_string(i) + ".";
    args.push_back(key_arg(p + "key", "validator-" + std::to_string(i)));
    args.push_back(integer(p + "power", i == 0 ? 2 : 1));
  }
  const std::vector<std::string_view> five = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};
  v1::ValidatorSet expected;
  {
    AppNode node(leveldb(dir.sub("db")), 0);
    ASSERT_TRUE(node.app->init_genesis().ok());
    auto admitted = node.app->submit_tx(tx_bytes(chain.multi_tx(five, "validator.update", args)), at_hour(0));
    ASSERT_TRUE(admitted->admitted()) << admitted->refused->message;
    const consensus::Value v = node.app->prepare_proposal(1, 0, static_cast<uint64_t>(at_hour(0)), {});
    auto r = node.app->finalize_block(1, v, certify(1, v.hash));
    ASSERT_FALSE(node.app->halted()) << node.app->halt_status().to_string();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->validator_set_after_next.validators(0).power(), 2);  // the set of height 3
    EXPECT_EQ(node.app->validator_set(2)->hash(), ValidatorSet::create(four_validator_set()).value().hash());
    expected = r->validator_set_after_next;
  }
  AppNode again(leveldb(dir.sub("db")), 0);
  ASSERT_TRUE(again.app->init_genesis().ok());
  const consensus::StartState s = again.app->start_state();
  EXPECT_EQ(s.height, 2u);
  EXPECT_EQ(encode(s.validator_set), encode(four_validator_set()));
  EXPECT_EQ(encode(s.next_validator_set), encode(expected));
}

TEST(LedgerApp, AStoreFailureInFinalizeHaltsTheAppAndNothingIsHalfWritten) {
  auto store = std::make_unique<FailingKvStore>();
  FailingKvStore& disk = *store;
  AppNode node(std::move(store), 0);
  ASSERT_TRUE(node.app->init_genesis().ok());
  Chain chain;
  ASSERT_TRUE(node.app->submit_tx(tx_bytes(open_case_tx(chain, "case-001")), at_hour(0))->admitted());
  const Hash32 root = node.app->state_root();
  const consensus::Value v = node.app->prepare_proposal(1, 0, static_cast<uint64_t>(at_hour(0)), {});
  disk.fail_ = true;
  auto failed = node.app->finalize_block(1, v, certify(1, v.hash));
  ASSERT_FALSE(failed.ok());  // the engine halts on it, keeping its WAL
  EXPECT_EQ(failed.error().code, ErrorCode::kIoError);
  ASSERT_TRUE(node.app->halted());
  EXPECT_EQ(node.app->halt_status().error().code, ErrorCode::kIoError);
  EXPECT_EQ(node.app->tip_height(), 0u);
  EXPECT_EQ(node.app->state_root(), root);
  ContractState state(*node.kv);
  EXPECT_FALSE(state.get<cv1::Case>(state_keys::case_record("case-001")).value().has_value());
  // Halted for good: no verdicts, no proposals.
  disk.fail_ = false;
  EXPECT_FALSE(node.app->validate(validate_request(1, v)));
  EXPECT_DEATH(node.app->prepare_proposal(1, 1, static_cast<uint64_t>(at_hour(1)), {}), "HALTED");
}

}  // namespace
}  // namespace joet
