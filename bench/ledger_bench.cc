// Ledger benchmarks (Google Benchmark). The machine's own limit that everything is compared with is
// the single-core BIP-340 verify rate (BM_SchnorrVerify/threads:1).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "ledger/batch_verifier.h"
#include "ledger/block_store.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"
#include "ledger/merkle.h"
#include "ledger/smt.h"
#include "ledger/testing/test_chain.h"

namespace joet {
namespace {

struct SignedCorpus {
  std::vector<Hash32> msgs;
  std::vector<Signature64> sigs;
  Hash32 key;
  std::vector<VerifyItem> items;
  explicit SignedCorpus(size_t n) {
    auto sk = PrivateKey::from_test_seed("bench");
    key = sk.public_key().bytes();
    for (size_t i = 0; i < n; ++i) {
      msgs.push_back(sha256(std::to_string(i)));
      sigs.push_back(sk.sign(msgs.back()));
    }
    for (size_t i = 0; i < n; ++i) items.push_back({key, msgs[i], sigs[i]});
  }
};

void BM_SchnorrSign(benchmark::State& state) {
  auto sk = PrivateKey::from_test_seed("bench");
  Hash32 msg = sha256("m");
  for (auto _ : state) {
    benchmark::DoNotOptimize(sk.sign(msg));
    msg[0]++;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SchnorrSign);

// Verify rate of one core: the reference limit of the machine.
void BM_SchnorrVerify(benchmark::State& state) {
  static SignedCorpus corpus(1024);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(verify_item(corpus.items[i++ % corpus.items.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SchnorrVerify);

// A batch of 4,096 signatures on the worker pool with all cores (arg = threads).
void BM_BatchVerify(benchmark::State& state) {
  static SignedCorpus corpus(4096);
  BatchVerifier verifier(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(verifier.verify(corpus.items));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(corpus.items.size()));
}
BENCHMARK(BM_BatchVerify)->Arg(1)->Arg(0)->UseRealTime()->Unit(benchmark::kMillisecond);

std::vector<Hash32> leaves(size_t n) {
  std::vector<Hash32> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = leaf_hash(as_bytes(std::to_string(i)));
  return out;
}

void BM_MerkleRoot(benchmark::State& state) {
  auto l = leaves(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(merkle_root(l));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MerkleRoot)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_MerkleInclusionProof(benchmark::State& state) {
  auto l = leaves(static_cast<size_t>(state.range(0)));
  uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(inclusion_proof(l, i++ % l.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MerkleInclusionProof)->Arg(10'000)->Unit(benchmark::kMicrosecond);

void BM_MerkleVerifyInclusion(benchmark::State& state) {
  auto l = leaves(10'000);
  Hash32 root = merkle_root(l);
  auto proof = std::move(inclusion_proof(l, 4321)).value();
  for (auto _ : state) benchmark::DoNotOptimize(verify_inclusion(4321, l.size(), l[4321], std::span<const Hash32>(proof), root));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MerkleVerifyInclusion);

// SMT updates: batches of 1,000 puts into a tree that already holds 100,000 keys, in LevelDB.
void BM_SmtUpdates(benchmark::State& state) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("joet-bench-smt-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto kv = std::move(LevelDbKvStore::open(dir.string(), {.create_if_missing = true})).value();
  SparseMerkleTree tree;
  Hash32 root = SparseMerkleTree::empty_root();
  uint64_t next_key = 0;
  auto batch_of = [&](size_t n) {
    std::vector<std::pair<Bytes, std::optional<Bytes>>> changes;
    for (size_t i = 0; i < n; ++i) changes.push_back({to_bytes("case/" + std::to_string(next_key++)), to_bytes(std::string(64, 'v'))});
    return changes;
  };
  for (int i = 0; i < 100; ++i) {
    WriteBatch wb;
    root = std::move(tree.update(*kv, wb, root, batch_of(1000))).value();
    JOET_ASSERT(kv->write(wb, false).ok());
  }
  for (auto _ : state) {
    WriteBatch wb;
    root = std::move(tree.update(*kv, wb, root, batch_of(1000))).value();
    JOET_ASSERT(kv->write(wb, false).ok());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  kv.reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_SmtUpdates)->Unit(benchmark::kMillisecond);

// Block commits to LevelDB on disk (synced): 1,000 txs of 256 bytes each per block.
void BM_BlockCommit(benchmark::State& state) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("joet-bench-blocks-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto kv = std::move(LevelDbKvStore::open(dir.string(), {.create_if_missing = true})).value();
  auto store = std::move(BlockStore::open(*kv, dir.string())).value();
  testing::TestChain chain;
  auto signer = PrivateKey::from_test_seed("bench-gi");
  uint64_t nonce = 0;
  size_t tx_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<v1::SignedTx> txs;
    for (int i = 0; i < 1000; ++i) txs.push_back(testing::make_signed_tx(signer, ++nonce, 120));
    tx_bytes = encode(txs[0]).size();
    auto c = chain.next(txs);
    state.ResumeTiming();
    JOET_ASSERT(store->commit(c.block, c.commit, {}).ok());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["tx_bytes"] = static_cast<double>(tx_bytes);
  store.reset();
  kv.reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_BlockCommit)->Unit(benchmark::kMillisecond)->Iterations(50);

}  // namespace
}  // namespace joet

// main: bench/bench_main.cc (--version, then Google Benchmark's flags).
