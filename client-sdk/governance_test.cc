#include "client-sdk/governance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "client-sdk/governance_command.h"
#include "contracts/contracts_test_support.h"
#include "contracts/policy.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/testing/temp_dir.h"
#include "node/home/key_file.h"

namespace joet::sdk {
namespace {

using joet::testing::Chain;
using joet::testing::kAuditor;
using joet::testing::kCourt;
using joet::testing::kGi;
using joet::testing::kMunicipality;
using joet::testing::kOtherGi;
using joet::testing::kRvdk;
using joet::testing::utc_ms;
using json = nlohmann::json;

const int64_t kNoon = utc_ms(2026, 3, 10, 12);

// Five of the test chain's six institutions: more than 2/3.
const std::vector<std::string_view> kQuorum = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};

TxRequest policy_set(uint64_t nonce, int64_t plan_days = 30) {
  TxRequest r;
  r.chain_id = std::string(joet::testing::kChainId);
  r.action = "policy.set";
  r.nonce = nonce;
  r.args = {parse_arg("name=plan_days").value(), parse_arg("value=int:" + std::to_string(plan_days)).value()};
  return r;
}

PublicKey pub(std::string_view institution) { return Chain::key(institution).public_key(); }

GovernanceTx built(const TxRequest& r, std::string_view first) {
  auto tx = build_governance_tx(r, pub(first));
  JOET_ASSERT(tx.ok());
  return std::move(tx).value();
}

// Each institution signs its own copy of the unsigned tx, as it would on its own host.
std::vector<GovernanceTx> signed_apart(const GovernanceTx& unsigned_tx, const std::vector<std::string_view>& signers) {
  std::vector<GovernanceTx> copies;
  for (std::string_view s : signers) {
    auto copy = sign_governance_tx(unsigned_tx, Chain::key(s));
    JOET_ASSERT(copy.ok());
    copies.push_back(std::move(copy).value());
  }
  return copies;
}

v1::SignedTx combined(const std::vector<GovernanceTx>& copies) {
  auto tx = combine_governance_txs(copies);
  JOET_ASSERT(tx.ok());
  auto out = to_signed_tx(*tx);
  JOET_ASSERT(out.ok());
  return std::move(out).value();
}

int32_t plan_days_in_state(const Chain& chain) {
  ContractState state(chain.store);
  auto policy = load_policy(state, Policy{});
  JOET_ASSERT(policy.ok());
  return policy->plan_days;
}

TEST(GovernanceTx, SignaturesMadeApartAndCombinedAreAcceptedByTheContracts) {
  Chain chain;
  const GovernanceTx proposal = built(policy_set(1), kCourt);
  EXPECT_TRUE(proposal.signatures.empty());
  const v1::SignedTx tx = combined(signed_apart(proposal, kQuorum));
  EXPECT_EQ(tx.signatures_size(), 5);
  EXPECT_EQ(tx.body(), proposal.body) << "every institution signed the same body";
  const TxResult result = chain.run_one(kNoon, tx);
  EXPECT_TRUE(result.ok) << result.code << ": " << result.message;
  EXPECT_EQ(plan_days_in_state(chain), 30);
}

TEST(GovernanceTx, TheCombinedOrderIsTheFirstSignerThenAscendingKeysWhateverTheCopiesOrder) {
  const GovernanceTx proposal = built(policy_set(1), kMunicipality);
  std::vector<GovernanceTx> copies = signed_apart(proposal, kQuorum);
  const Bytes reference = encode(combined(copies));
  std::reverse(copies.begin(), copies.end());
  EXPECT_EQ(encode(combined(copies)), reference);
  std::rotate(copies.begin(), copies.begin() + 2, copies.end());
  EXPECT_EQ(encode(combined(copies)), reference);

  const v1::SignedTx tx = combined(copies);
  EXPECT_EQ(tx.signatures(0).public_key(), to_string(pub(kMunicipality).bytes()));
  for (int i = 2; i < tx.signatures_size(); ++i) {
    EXPECT_LT(tx.signatures(i - 1).public_key(), tx.signatures(i).public_key());
  }
}

// The contracts check the nonce of the first signature's key, and only that one: the court has used
// nonce 5, the RvdK none, so a tx carrying the RvdK's nonce 1 passes with the RvdK's signature first
// (as combine puts it) and is BAD_NONCE with the court's first.
TEST(GovernanceTx, TheBodyCarriesTheFirstSignersNonceSoItsSignatureGoesFirst) {
  Chain chain;
  ASSERT_TRUE(chain.run_one(kNoon, combined(signed_apart(built(policy_set(5), kCourt), kQuorum))).ok);

  const v1::SignedTx tx = combined(signed_apart(built(policy_set(1, 35), kRvdk), kQuorum));
  ASSERT_EQ(tx.signatures(0).public_key(), to_string(pub(kRvdk).bytes()));
  v1::SignedTx court_first = tx;
  for (int i = 0; i < court_first.signatures_size(); ++i) {
    if (court_first.signatures(i).public_key() == to_string(pub(kCourt).bytes())) {
      court_first.mutable_signatures()->SwapElements(0, i);
    }
  }
  EXPECT_EQ(chain.run_one(kNoon + 1000, court_first).code, "BAD_NONCE");
  EXPECT_TRUE(chain.run_one(kNoon + 2000, tx).ok);
  EXPECT_EQ(plan_days_in_state(chain), 35);
}

// A signed copy passed on and signed again, combined with the copy it came from: one signature each.
TEST(GovernanceTx, ASignatureCarriedInSeveralCopiesCountsOnce) {
  Chain chain;
  const GovernanceTx proposal = built(policy_set(1), kCourt);
  const GovernanceTx by_court = sign_governance_tx(proposal, Chain::key(kCourt)).value();
  const GovernanceTx by_court_and_rvdk = sign_governance_tx(by_court, Chain::key(kRvdk)).value();
  std::vector<GovernanceTx> copies = {by_court_and_rvdk, by_court};
  for (auto& c : signed_apart(proposal, {kMunicipality, kGi, kOtherGi})) copies.push_back(c);
  const v1::SignedTx tx = combined(copies);
  EXPECT_EQ(tx.signatures_size(), 5);
  EXPECT_TRUE(chain.run_one(kNoon, tx).ok);
}

TEST(GovernanceTx, EveryGovernanceActionOfTheSdkNeedsTheQuorumOfTheContracts) {
  for (const char* action : {"institution.add", "institution.remove", "policy.set", "rules.schedule",
                             "validator.update"}) {
    ASSERT_TRUE(is_governance_action(action)) << action;
    Chain chain;
    TxRequest r = policy_set(1);
    r.action = action;
    const GovernanceTx alone = sign_governance_tx(built(r, kCourt), Chain::key(kCourt)).value();
    const TxResult result = chain.run_one(kNoon, to_signed_tx(alone).value());
    EXPECT_EQ(result.code, "NOT_AUTHORIZED") << action;
    EXPECT_NE(result.message.find("1 of 6 institutions signed"), std::string::npos) << action << ": " << result.message;
  }
  EXPECT_FALSE(is_governance_action("case.open"));
  EXPECT_FALSE(is_governance_action("member.add"));
}

TEST(GovernanceTx, BuildRefusesAnOrdinaryActionAndWhatBuildTxRefuses) {
  TxRequest ordinary = policy_set(1);
  ordinary.action = "case.open";
  TxRequest nonce_zero = policy_set(0);
  TxRequest no_chain = policy_set(1);
  no_chain.chain_id = "";
  TxRequest twice = policy_set(1);
  twice.args.push_back(parse_arg("name=assign_days").value());
  TxRequest long_text = policy_set(1);
  long_text.args[0] = parse_arg("name=" + std::string(300, 'a')).value();
  for (const TxRequest& r : {ordinary, nonce_zero, no_chain, twice, long_text}) {
    auto tx = build_governance_tx(r, pub(kCourt));
    ASSERT_FALSE(tx.ok()) << r.action << " nonce " << r.nonce;
    EXPECT_EQ(tx.error().fault, GovernanceFault::kInvalidRequest) << tx.error().to_string();
  }
  EXPECT_NE(build_governance_tx(ordinary, pub(kCourt)).error().message.find("not a governance action"),
            std::string::npos);
}

TEST(GovernanceTx, CombineRefusesCopiesOfDifferentBodies) {
  const GovernanceTx a = sign_governance_tx(built(policy_set(1, 30), kCourt), Chain::key(kCourt)).value();
  const GovernanceTx b = sign_governance_tx(built(policy_set(1, 31), kCourt), Chain::key(kRvdk)).value();
  auto tx = combine_governance_txs(std::vector<GovernanceTx>{a, b});
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().fault, GovernanceFault::kDifferentBodies);
  EXPECT_NE(tx.error().message.find(to_hex(tx_id(as_bytes(b.body)))), std::string::npos) << tx.error().message;
  EXPECT_EQ(tx.error().to_string().substr(0, 17), "DIFFERENT_BODIES:");
}

TEST(GovernanceTx, CombineRefusesCopiesNamingDifferentFirstSigners) {
  const GovernanceTx a = sign_governance_tx(built(policy_set(1), kCourt), Chain::key(kCourt)).value();
  const GovernanceTx b = sign_governance_tx(built(policy_set(1), kRvdk), Chain::key(kRvdk)).value();
  ASSERT_EQ(a.body, b.body);
  auto tx = combine_governance_txs(std::vector<GovernanceTx>{a, b});
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().fault, GovernanceFault::kDifferentFirstSigner);
}

TEST(GovernanceTx, AKeyThatSignsTwiceIsRefused) {
  const GovernanceTx proposal = built(policy_set(1), kCourt);
  const GovernanceTx once = sign_governance_tx(proposal, Chain::key(kCourt)).value();
  auto again = sign_governance_tx(once, Chain::key(kCourt));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().fault, GovernanceFault::kDuplicateSigner);

  // The same key signing two copies apart gives two different signatures (BIP-340 with fresh auxiliary
  // randomness): combine refuses rather than pick one.
  const GovernanceTx twice = sign_governance_tx(proposal, Chain::key(kCourt)).value();
  ASSERT_NE(once.signatures[0].signature(), twice.signatures[0].signature());
  auto tx = combine_governance_txs(std::vector<GovernanceTx>{once, twice});
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().fault, GovernanceFault::kDuplicateSigner);
  EXPECT_NE(tx.error().message.find(pub(kCourt).hex()), std::string::npos) << tx.error().message;

  // A copy that lists one key twice, however it was made.
  GovernanceTx listed_twice = once;
  listed_twice.signatures.push_back(once.signatures[0]);
  EXPECT_EQ(sign_governance_tx(listed_twice, Chain::key(kRvdk)).error().fault, GovernanceFault::kDuplicateSigner);
  EXPECT_EQ(to_signed_tx(listed_twice).error().fault, GovernanceFault::kDuplicateSigner);
}

TEST(GovernanceTx, ASignatureThatDoesNotVerifyIsRefusedEverywhere) {
  const GovernanceTx proposal = built(policy_set(1), kCourt);
  GovernanceTx damaged = sign_governance_tx(proposal, Chain::key(kCourt)).value();
  std::string sig = damaged.signatures[0].signature();
  sig[10] = static_cast<char>(sig[10] ^ 0x01);
  damaged.signatures[0].set_signature(sig);
  // A valid signature, but over another body.
  GovernanceTx other_body = sign_governance_tx(proposal, Chain::key(kRvdk)).value();
  other_body.signatures[0] = sign_governance_tx(built(policy_set(2), kCourt), Chain::key(kRvdk)).value().signatures[0];

  for (const GovernanceTx& bad : {damaged, other_body}) {
    EXPECT_EQ(sign_governance_tx(bad, Chain::key(kGi)).error().fault, GovernanceFault::kBadSignature);
    EXPECT_EQ(combine_governance_txs(std::vector<GovernanceTx>{bad}).error().fault, GovernanceFault::kBadSignature);
    EXPECT_EQ(to_signed_tx(bad).error().fault, GovernanceFault::kBadSignature);
  }
  // The file form carries no damaged signature through either.
  const std::string text = governance_tx_json(sign_governance_tx(proposal, Chain::key(kCourt)).value());
  json j = json::parse(text);
  std::string hex = j["signatures"][0]["signature"];
  hex[0] = hex[0] == '0' ? '1' : '0';
  j["signatures"][0]["signature"] = hex;
  auto parsed = parse_governance_tx_json(j.dump());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().fault, GovernanceFault::kBadSignature);
}

TEST(GovernanceTx, CombineRefusesATxTheFirstSignerHasNotSigned) {
  const GovernanceTx proposal = built(policy_set(1), kCourt);
  auto tx = combine_governance_txs(signed_apart(proposal, {kRvdk, kMunicipality, kGi, kOtherGi}));
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().fault, GovernanceFault::kFirstSignerMissing);
  EXPECT_NE(tx.error().message.find(pub(kCourt).hex()), std::string::npos);
  EXPECT_EQ(to_signed_tx(signed_apart(proposal, {kRvdk})[0]).error().fault, GovernanceFault::kFirstSignerMissing);
}

TEST(GovernanceTx, ATxCarriesAtMost32Signatures) {
  GovernanceTx tx = built(policy_set(1), kCourt);
  for (int i = 0; i < 32; ++i) {
    tx = sign_governance_tx(tx, PrivateKey::from_test_seed("signer-" + std::to_string(i))).value();
  }
  auto full = sign_governance_tx(tx, PrivateKey::from_test_seed("signer-32"));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().fault, GovernanceFault::kTooManySignatures);
}

TEST(GovernanceFile, RoundTripsExactly) {
  const GovernanceTx tx = combine_governance_txs(signed_apart(built(policy_set(7), kCourt), {kCourt, kRvdk})).value();
  const std::string text = governance_tx_json(tx);
  auto parsed = parse_governance_tx_json(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed->body, tx.body);
  EXPECT_EQ(parsed->first_signer, tx.first_signer);
  EXPECT_EQ(encode(to_signed_tx(*parsed).value()), encode(to_signed_tx(tx).value()));
  EXPECT_EQ(governance_tx_json(*parsed), text);
  const json j = json::parse(text);
  EXPECT_EQ(j["action"], "policy.set");
  EXPECT_EQ(j["nonce"], 7);
  EXPECT_EQ(j["args"][1], json({{"name", "value"}, {"integer", 30}}));
  EXPECT_EQ(j["tx_id"], to_hex(tx_id(as_bytes(tx.body))));
}

TEST(GovernanceFile, TextThatIsNotAGovernanceFileIsMalformed) {
  const json good = json::parse(governance_tx_json(built(policy_set(1), kCourt)));
  json other_format = good;
  other_format["format"] = "joet-governance-tx/9";
  json unknown_field = good;
  unknown_field["note"] = "sign quickly";
  json bad_hex = good;
  bad_hex["body"] = "zz";
  json bad_key = good;
  bad_key["first_signer"] = std::string(64, '0');
  for (const std::string& text : {std::string("{\"format\": "), std::string("not json at all"), std::string("[]"),
                                  other_format.dump(), unknown_field.dump(), bad_hex.dump(), bad_key.dump()}) {
    auto parsed = parse_governance_tx_json(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().fault, GovernanceFault::kMalformed) << text;
  }
  EXPECT_EQ(parse_governance_tx_json("not json at all").error().message, "not JSON");
}

// What a reviewer reads must be what is signed: an edited readable field is refused.
TEST(GovernanceFile, EditedReadableFieldsAreRefused) {
  const json good = json::parse(governance_tx_json(built(policy_set(1), kCourt)));
  json value = good;
  value["args"][1]["integer"] = 300;
  json nonce = good;
  nonce["nonce"] = 2;
  json action = good;
  action["action"] = "rules.schedule";
  json missing = good;
  missing.erase("tx_id");
  for (const json& edited : {value, nonce, action, missing}) {
    auto parsed = parse_governance_tx_json(edited.dump());
    ASSERT_FALSE(parsed.ok()) << edited.dump();
    EXPECT_EQ(parsed.error().fault, GovernanceFault::kFieldsMismatch) << parsed.error().to_string();
  }
}

// ---- joet-client governance, in process, on files in a temp dir.

struct CommandRun {
  int status = 0;
  std::string out, err;
};

CommandRun governance(std::vector<std::string> args) {
  std::ostringstream out, err;
  CommandRun r;
  r.status = run_governance_command(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

class GovernanceCommand : public ::testing::Test {
 protected:
  GovernanceCommand() {
    for (std::string_view inst : {kCourt, kRvdk, kMunicipality, kGi, kOtherGi, kAuditor}) {
      JOET_ASSERT(home::save_key_file(key(inst), Chain::key(inst)).ok());
    }
  }
  std::string key(std::string_view inst) const { return dir.sub(std::string(inst) + ".key"); }
  std::string file(const std::string& name) const { return dir.sub(name); }

  // governance build of policy.set plan_days=VALUE by the court into `out`.
  void build(const std::string& out, int plan_days = 30) {
    const CommandRun r = governance({"build", "--chain-id", std::string(joet::testing::kChainId), "--nonce", "1", "--key",
                              key(kCourt), "--out", file(out), "policy.set", "name=plan_days",
                              "value=int:" + std::to_string(plan_days)});
    ASSERT_EQ(r.status, 0) << r.err;
  }
  void sign(const std::string& in, std::string_view inst, const std::string& out) {
    const CommandRun r = governance({"sign", "--in", file(in), "--key", key(inst), "--out", file(out)});
    ASSERT_EQ(r.status, 0) << r.err;
  }

  // Runs a command that must fail on bad input: exit 2 naming `fault`, `out` not created, the inputs
  // byte for byte as they were.
  void expect_refused(const std::vector<std::string>& args, const std::string& fault, const std::string& out,
                      const std::vector<std::string>& inputs) {
    std::vector<Bytes> before;
    for (const std::string& in : inputs) before.push_back(joet::testing::read_file_bytes(file(in)));
    const CommandRun r = governance(args);
    EXPECT_EQ(r.status, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(fault), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(std::filesystem::exists(file(out))) << out;
    for (size_t i = 0; i < inputs.size(); ++i) {
      EXPECT_EQ(joet::testing::read_file_bytes(file(inputs[i])), before[i]) << inputs[i];
    }
  }

  joet::testing::TempDir dir{"governance_command"};
};

TEST_F(GovernanceCommand, BuildSignAndCombineFilesIntoATxTheContractsAccept) {
  build("proposal.json");
  std::vector<std::string> combine_args = {"combine", "--out", file("combined.json")};
  for (std::string_view inst : kQuorum) {
    sign("proposal.json", inst, std::string(inst) + ".json");
    combine_args.push_back(file(std::string(inst) + ".json"));
  }
  const CommandRun r = governance(combine_args);
  ASSERT_EQ(r.status, 0) << r.err;
  const json printed = json::parse(r.out);
  EXPECT_EQ(printed["signers"].size(), 5u);
  auto tx = decode_signed_tx(from_hex(printed["tx"].get<std::string>()).value());
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(printed["tx_id"], to_hex(tx_id(*tx)));
  Chain chain;
  EXPECT_TRUE(chain.run_one(kNoon, *tx).ok);
  EXPECT_EQ(plan_days_in_state(chain), 30);
  // The combined file is itself a governance file, the one `governance submit` reads.
  const Bytes text = joet::testing::read_file_bytes(file("combined.json"));
  auto parsed = parse_governance_tx_json(to_string(text));
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(encode(to_signed_tx(*parsed).value()), encode(*tx));
}

TEST_F(GovernanceCommand, MismatchedBodiesLeaveNoOutputFile) {
  build("a.json", 30);
  build("b.json", 31);
  sign("a.json", kCourt, "a-court.json");
  sign("b.json", kRvdk, "b-rvdk.json");
  expect_refused({"combine", "--out", file("combined.json"), file("a-court.json"), file("b-rvdk.json")},
                 "DIFFERENT_BODIES", "combined.json", {"a-court.json", "b-rvdk.json"});
}

TEST_F(GovernanceCommand, ADuplicateSignerLeavesNoOutputFile) {
  build("proposal.json");
  sign("proposal.json", kCourt, "court-1.json");
  sign("proposal.json", kCourt, "court-2.json");
  expect_refused({"combine", "--out", file("combined.json"), file("court-1.json"), file("court-2.json")},
                 "DUPLICATE_SIGNER", "combined.json", {"court-1.json", "court-2.json"});
  expect_refused({"sign", "--in", file("court-1.json"), "--key", key(kCourt), "--out", file("again.json")},
                 "DUPLICATE_SIGNER", "again.json", {"court-1.json"});
}

TEST_F(GovernanceCommand, ASignatureThatDoesNotVerifyLeavesNoOutputFile) {
  build("proposal.json");
  sign("proposal.json", kCourt, "court.json");
  json j = json::parse(to_string(joet::testing::read_file_bytes(file("court.json"))));
  std::string hex = j["signatures"][0]["signature"];
  hex[5] = hex[5] == 'a' ? 'b' : 'a';
  j["signatures"][0]["signature"] = hex;
  const std::string text = j.dump(2);
  joet::testing::write_file_bytes(file("damaged.json"), to_bytes(text));
  expect_refused({"sign", "--in", file("damaged.json"), "--key", key(kRvdk), "--out", file("rvdk.json")},
                 "BAD_SIGNATURE", "rvdk.json", {"damaged.json"});
  expect_refused({"combine", "--out", file("combined.json"), file("damaged.json")}, "BAD_SIGNATURE", "combined.json",
                 {"damaged.json"});
}

TEST_F(GovernanceCommand, AFileThatIsNotJsonLeavesNoOutputFile) {
  build("proposal.json");
  sign("proposal.json", kCourt, "court.json");
  joet::testing::write_file_bytes(file("mail.txt"), to_bytes("Beste collega, hierbij de tx.\n"));
  expect_refused({"sign", "--in", file("mail.txt"), "--key", key(kRvdk), "--out", file("rvdk.json")},
                 "MALFORMED: not JSON", "rvdk.json", {"mail.txt"});
  expect_refused({"combine", "--out", file("combined.json"), file("court.json"), file("mail.txt")},
                 "MALFORMED: not JSON", "combined.json", {"court.json", "mail.txt"});
}

TEST_F(GovernanceCommand, AnExistingOutputFileIsNeverOverwritten) {
  build("proposal.json");
  sign("proposal.json", kCourt, "court.json");
  const Bytes before = joet::testing::read_file_bytes(file("court.json"));
  const CommandRun r = governance({"sign", "--in", file("proposal.json"), "--key", key(kRvdk), "--out", file("court.json")});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("ALREADY_EXISTS"), std::string::npos) << r.err;
  EXPECT_EQ(joet::testing::read_file_bytes(file("court.json")), before);
}

TEST_F(GovernanceCommand, SubmitRefusesATxTheFirstSignerHasNotSignedBeforeCallingTheNode) {
  build("proposal.json");
  sign("proposal.json", kRvdk, "rvdk.json");
  // Port 1 on 127.0.0.1: nothing listens, so reaching the network would be exit 1, not 2.
  const CommandRun r = governance({"submit", "--rpc", "127.0.0.1:1", "--in", file("rvdk.json"), "--key", key(kRvdk)});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("FIRST_SIGNER_MISSING"), std::string::npos) << r.err;
}

TEST_F(GovernanceCommand, UsageErrorsAndHelp) {
  EXPECT_EQ(governance({"--help"}).status, 0);
  for (const char* sub : {"build", "sign", "combine", "submit"}) {
    const CommandRun help = governance({sub, "--help"});
    EXPECT_EQ(help.status, 0) << sub;
    EXPECT_NE(help.out.find(std::string("joet-client governance ") + sub), std::string::npos) << sub;
  }
  EXPECT_EQ(governance({"vote"}).status, 2);
  EXPECT_EQ(governance({}).status, 2);
  const CommandRun both = governance({"build", "--chain-id", "c", "--nonce", "1", "--key", key(kCourt), "--first-signer",
                               pub(kCourt).hex(), "--out", file("x.json"), "policy.set"});
  EXPECT_EQ(both.status, 2);
  EXPECT_FALSE(std::filesystem::exists(file("x.json")));
  const CommandRun ordinary = governance({"build", "--chain-id", "c", "--nonce", "1", "--first-signer", pub(kCourt).hex(),
                                   "--out", file("x.json"), "case.open", "case=c-1"});
  EXPECT_EQ(ordinary.status, 2);
  EXPECT_NE(ordinary.err.find("INVALID_REQUEST"), std::string::npos) << ordinary.err;
  EXPECT_FALSE(std::filesystem::exists(file("x.json")));
}

}  // namespace
}  // namespace joet::sdk
