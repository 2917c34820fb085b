// joet-verify: checks a case extract (client-sdk/case_extract.h) offline against a network's genesis.json
// alone, and says which item fails if any byte was changed. docs/case-extract.md.
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "client-sdk/case_extract.h"
#include "node/home/file_io.h"
#include "version/version.h"

namespace {

constexpr std::string_view kUsage =
    "usage: joet-verify EXTRACT --genesis FILE\n"
    "\n"
    "Checks a case extract (written by joet-client extract) without any network: every header against the\n"
    "validators of the genesis FILE and the validator-set changes they announce, every proof (case\n"
    "record, records, txs and their results), and that the quickscan and the explanation are what those\n"
    "proven records give. Prints one JSON line; on a failure it names the item that fails.\n"
    "\n"
    "exit status: 0 verified, 3 not verified (the item on stdout and stderr), 2 usage or unreadable files\n";

constexpr size_t kMaxExtractBytes = 256u << 20;

}  // namespace

int main(int argc, char** argv) {
  using namespace joet;
  if (version::is_version_request(argc, argv)) return version::print_version(argv[0]);
  if (argc == 2 && std::string(argv[1]) == "--help") {
    std::cout << kUsage;
    return 0;
  }
  if (argc != 4 || std::string(argv[2]) != "--genesis") {
    std::cerr << kUsage;
    return 2;
  }
  auto file = home::read_file_limited(argv[1], kMaxExtractBytes);
  if (!file.ok()) {
    std::cerr << "joet-verify: " << file.error.to_string() << "\n";
    return 2;
  }
  Result<sdk::TrustedValidators> genesis = sdk::trusted_validators_from_genesis(argv[3]);
  if (!genesis.ok()) {
    std::cerr << "joet-verify: " << genesis.error().to_string() << "\n";
    return 2;
  }
  const std::string& text = file.value->text;
  std::optional<sdk::ExtractFault> fault = sdk::verify_case_extract(text, *genesis);
  if (fault) {
    std::cout << nlohmann::json{{"verified", false},
                                {"item", fault->item},
                                {"code", fault->code},
                                {"message", fault->message}}
                     .dump()
              << "\n";
    std::cerr << "joet-verify: NOT VERIFIED: " << fault->to_string() << "\n";
    return 3;
  }
  const nlohmann::json x = nlohmann::json::parse(text);
  std::cout << nlohmann::json{{"verified", true},
                              {"chain_id", x["chain_id"]},
                              {"case_id", x["case_id"]},
                              {"height", x["height"]},
                              {"block_hash", x["block_hash"]},
                              {"txs", x["txs"].size()},
                              {"events", x["events"].size()},
                              {"records", x["records"].size()},
                              {"quickscan_items", x["quickscan"].size()}}
                   .dump()
            << "\n";
  return 0;
}
