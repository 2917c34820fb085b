#include "contracts/state.h"

#include <gtest/gtest.h>

namespace joet {
namespace {

TEST(ContractStateKeys, DeadlineQueueSortsByDueThenIdAlsoBefore1970) {
  EXPECT_LT(state_keys::deadline(-1, 9), state_keys::deadline(0, 1));
  EXPECT_LT(state_keys::deadline(0, 1), state_keys::deadline(0, 2));
  EXPECT_LT(state_keys::deadline(5, 99), state_keys::deadline(6, 1));
  EXPECT_LT(state_keys::deadline(-1'000, 1), state_keys::deadline(-999, 1));
}

TEST(ContractState, ReadsSeeTheTxAndTheBlockWrites) {
  MemoryKvStore store;
  ContractState state(store);
  state.begin_tx();
  state.put_u64(to_bytes("k1"), 7);
  EXPECT_EQ(*state.get_u64(to_bytes("k1")), 7u);
  state.commit_tx();
  EXPECT_EQ(*state.get_u64(to_bytes("k1")), 7u);
  EXPECT_EQ(state.block_writes().size(), 1u);
}

TEST(ContractState, AnAbortedTxLeavesNoWriteAndNoEvent) {
  MemoryKvStore store;
  ContractState state(store);
  state.begin_tx();
  state.put_u64(to_bytes("k1"), 1);
  state.commit_tx();
  const WriteBatch before = state.block_writes();
  state.begin_tx();
  state.put_u64(to_bytes("k1"), 2);
  state.del(to_bytes("k1"));
  state.put_u64(to_bytes("k2"), 3);
  state.emit(cv1::Event());
  state.abort_tx();
  EXPECT_EQ(state.block_writes().ops(), before.ops());
  EXPECT_TRUE(state.block_events().empty());
  EXPECT_EQ(*state.get_u64(to_bytes("k1")), 1u);
}

TEST(ContractState, CorruptValuesAreErrorsNotRefusals) {
  MemoryKvStore store;
  WriteBatch b;
  b.put(state_keys::case_record("c1"), to_bytes("\xff\xff\xff"));
  ASSERT_TRUE(store.write(b, true).ok());
  ContractState state(store);
  auto c = state.get<cv1::Case>(state_keys::case_record("c1"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kCorruption);
}

}  // namespace
}  // namespace joet
