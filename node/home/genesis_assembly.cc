#include "node/home/genesis_assembly.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "contracts/privacy.h"
#include "ledger/codec.h"
#include "ledger/status.h"
#include "node/home/json_reader.h"
#include "node/utc_time.h"

namespace joet::home {
namespace {

using R = Loaded<Genesis>;

// Where a key was first seen: the part file and the JSON path.
struct Seen {
  std::string file;
  std::string path;
};

}  // namespace

Loaded<Genesis> assemble_genesis(const std::string& chain_id, const std::string& genesis_time,
                                 const std::vector<PartFile>& parts) {
  Genesis g;
  if (!is_code_charset(chain_id)) {
    return R::failure({HomeErrorKind::kBadValue, "", "--chain-id", "1 to 64 characters of [A-Za-z0-9._:-]: " + chain_id});
  }
  g.chain_id = chain_id;
  const auto time_ms = parse_utc_time(genesis_time);
  if (!time_ms) {
    return R::failure({HomeErrorKind::kBadTime, "", "--time",
                       "not an ISO-8601 UTC time YYYY-MM-DDTHH:MM:SS[.mmm]Z in 1900..9999: " + genesis_time});
  }
  g.genesis_time_ms = *time_ms;
  g.rules_version = latest_rules_version();
  if (parts.empty()) return R::failure({HomeErrorKind::kBadValue, "", "PART", "at least one institution part"});
  if (parts.size() > limits::kMaxValidators || parts.size() > kMaxGenesisInstitutions) {
    return R::failure({HomeErrorKind::kBadValue, "", "PART",
                       "at most " + std::to_string(limits::kMaxValidators) + " parts (one validator each)"});
  }

  std::map<std::string, std::string> id_in;  // institution id -> part file
  std::map<PublicKey, Seen> key_in;          // member and validator keys alike: a key has one use
  auto claim = [&key_in](const PublicKey& key, const std::string& file, const std::string& path) -> std::optional<HomeError> {
    auto [it, fresh] = key_in.emplace(key, Seen{file, path});
    if (fresh) return std::nullopt;
    return HomeError{HomeErrorKind::kDuplicate, file, path,
                     "key " + key.hex() + " is also " + it->second.path + " of " + it->second.file};
  };
  for (const PartFile& p : parts) {
    const InstitutionPart& part = p.part;
    auto [it, fresh] = id_in.emplace(part.institution.id, p.file);
    if (!fresh) {
      return R::failure({HomeErrorKind::kDuplicate, p.file, "id",
                         "institution " + part.institution.id + " is also in " + it->second});
    }
    for (size_t k = 0; k < part.institution.members.size(); ++k) {
      if (auto e = claim(part.institution.members[k], p.file, JsonReader::index("member_keys", k))) return R::failure(*e);
    }
    if (auto e = claim(part.validator_key, p.file, "validator_key")) return R::failure(*e);
  }

  std::vector<const InstitutionPart*> sorted;
  for (const PartFile& p : parts) sorted.push_back(&p.part);
  std::sort(sorted.begin(), sorted.end(),
            [](const InstitutionPart* a, const InstitutionPart* b) { return a->institution.id < b->institution.id; });
  for (const InstitutionPart* part : sorted) {
    g.institutions.push_back(part->institution);
    g.validators.push_back({part->validator_key, 1, part->institution.id});
  }
  // Backstop: what `genesis validate` will say about the file.
  auto reparsed = parse_genesis(write_genesis(g));
  if (!reparsed.ok()) return R::failure({reparsed.error.kind, "", "genesis", reparsed.error.to_string()});
  JOET_ASSERT(*reparsed.value == g);
  return R{std::move(g), {}};
}

}  // namespace joet::home
