#include "tests/fuzz/seeds.h"

#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/testing/test_chain.h"

namespace joet::fuzz {

std::vector<Bytes> seed_inputs() {
  std::vector<Bytes> out;
  testing::TestChain chain;
  auto signer = PrivateKey::from_test_seed("fuzz");
  auto tx = testing::make_signed_tx(signer, 1, 20);
  auto c1 = chain.next({tx});
  auto c2 = chain.next({testing::make_signed_tx(signer, 2)});
  out.push_back(encode(tx));
  out.push_back(Bytes(tx.body().begin(), tx.body().end()));
  out.push_back(encode(c1.block));
  out.push_back(encode(c2.block));
  out.push_back(Bytes(c2.block.header().begin(), c2.block.header().end()));
  out.push_back(encode(c2.commit));
  out.push_back(Bytes(c2.commit.vote_body().begin(), c2.commit.vote_body().end()));
  v1::StoredBlock stored;
  *stored.mutable_block() = c2.block;
  *stored.mutable_commit() = c2.commit;
  out.push_back(encode(stored));
  out.push_back(encode(chain.validator_set()));

  v1::SignedVote vote;
  vote.set_body(c2.commit.vote_body());
  vote.set_validator_index(1);
  vote.set_signature(c2.commit.signatures(1));
  out.push_back(encode(vote));

  v1::ProposalBody pb;
  pb.set_chain_id("joet-test");
  pb.set_height(2);
  pb.set_round(1);
  pb.set_pol_round(0);
  pb.set_block_hash(std::string(32, '\x42'));
  pb.set_time_ms(1'767'225'601'000);
  v1::SignedProposal sp;
  sp.set_body(to_string(encode(pb)));
  sp.set_signature(std::string(64, '\x01'));
  out.push_back(encode(pb));
  out.push_back(encode(sp));

  v1::ConsensusMessage cm;
  *cm.mutable_vote() = vote;
  out.push_back(encode(cm));
  v1::ConsensusMessage pm;
  *pm.mutable_proposal()->mutable_proposal() = sp;
  pm.mutable_proposal()->set_block(to_string(encode(c2.block)));
  out.push_back(encode(pm));
  v1::WalRecord wr;
  *wr.mutable_sent() = cm;
  out.push_back(encode(wr));
  v1::WalRecord wl;
  wl.mutable_lock()->set_height(2);
  wl.mutable_lock()->set_round(1);
  wl.mutable_lock()->set_time_ms(1'767'225'601'000);
  wl.mutable_lock()->set_block_hash(to_string(block_hash(c2.block)));
  wl.mutable_lock()->set_block(to_string(encode(c2.block)));
  out.push_back(encode(wl));
  v1::ProposalEvidence pe;
  *pe.mutable_proposal_a() = sp;
  *pe.mutable_proposal_b() = sp;
  pe.mutable_proposal_b()->set_signature(std::string(64, '\x02'));
  out.push_back(encode(pe));

  v1::InclusionProof ip;
  ip.set_leaf_index(3);
  ip.set_tree_size(8);
  for (int i = 0; i < 3; ++i) ip.add_hashes(std::string(32, static_cast<char>(i)));
  out.push_back(encode(ip));
  v1::ConsistencyProof cp;
  cp.set_size1(3);
  cp.set_size2(8);
  for (int i = 0; i < 4; ++i) cp.add_hashes(std::string(32, static_cast<char>(i)));
  out.push_back(encode(cp));
  v1::StateProof st;
  st.set_key("case/abc");
  st.set_present(true);
  st.set_value("OTS");
  st.add_siblings(std::string(32, '\x07'));
  out.push_back(encode(st));
  return out;
}

}  // namespace joet::fuzz
