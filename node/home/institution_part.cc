#include "node/home/institution_part.h"

#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "ledger/status.h"
#include "node/home/config.h"
#include "node/home/file_io.h"
#include "node/home/home.h"
#include "node/home/json_reader.h"
#include "node/home/key_file.h"

namespace joet::home {
namespace {

using nlohmann::json;

bool is_wildcard_host(const std::string& host) {
  return host == "0.0.0.0" || host == "::" || host == "0:0:0:0:0:0:0:0";
}

}  // namespace

bool operator==(const InstitutionPart& a, const InstitutionPart& b) {
  return a.institution.id == b.institution.id && a.institution.role == b.institution.role &&
         a.institution.members == b.institution.members && a.validator_key == b.validator_key &&
         a.address == b.address;
}

Loaded<InstitutionPart> parse_institution_part(std::string_view json_text, const std::string& file) {
  JsonReader r(file);
  return r.parse<InstitutionPart>(json_text, [&r](const json& doc) {
    r.require_object(doc, "", {"id", "role", "member_keys", "validator_key", "address"});
    InstitutionPart part;
    part.institution = read_genesis_institution(r, doc, "");
    std::set<PublicKey> members;
    for (size_t k = 0; k < part.institution.members.size(); ++k) {
      if (!members.insert(part.institution.members[k]).second) {
        r.fail(HomeErrorKind::kDuplicate, JsonReader::index("member_keys", k),
               "member key " + part.institution.members[k].hex() + " given twice");
      }
    }
    part.validator_key = r.public_key_value(r.field(doc, "", "validator_key"), "validator_key");
    if (members.count(part.validator_key) != 0) {
      r.fail(HomeErrorKind::kDuplicate, "validator_key",
             "is also a member key: the validator key signs votes only, a member key txs only");
    }
    if (doc.contains("address")) {
      part.address = r.string_value(doc["address"], "address");
      HostPort hp;
      if (!parse_host_port(part.address, hp)) {
        r.fail(HomeErrorKind::kBadAddress, "address", "not host:port (port 1..65535): " + part.address);
      }
      if (is_wildcard_host(hp.host)) {
        r.fail(HomeErrorKind::kBadAddress, "address",
               "a wildcard address cannot be dialed; give the address the other validators reach this host at: " +
                   part.address);
      }
    }
    return part;
  });
}

Loaded<PartFile> load_institution_part(const std::string& path) {
  auto file = read_file_limited(path, kMaxPartBytes);
  if (!file.ok()) return Loaded<PartFile>::failure(file.error);
  auto part = parse_institution_part(file.value->text, path);
  if (!part.ok()) return Loaded<PartFile>::failure(part.error);
  return Loaded<PartFile>{PartFile{path, std::move(*part.value)}, {}};
}

Loaded<std::vector<PartFile>> load_institution_parts(const std::vector<std::string>& paths) {
  std::vector<PartFile> out;
  for (const std::string& path : paths) {
    auto part = load_institution_part(path);
    if (!part.ok()) return Loaded<std::vector<PartFile>>::failure(part.error);
    out.push_back(std::move(*part.value));
  }
  return Loaded<std::vector<PartFile>>{std::move(out), {}};
}

std::string write_institution_part(const InstitutionPart& part) {
  nlohmann::ordered_json doc = institution_json(part.institution);
  doc["validator_key"] = part.validator_key.hex();
  if (!part.address.empty()) doc["address"] = part.address;
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Loaded<InstitutionPart> export_institution_part(const PartExport& options) {
  using R = Loaded<InstitutionPart>;
  const HomePaths paths{options.home};
  auto validator = load_key_file(paths.validator_key());
  if (!validator.ok()) return R::failure(validator.error);
  nlohmann::ordered_json doc;
  doc["id"] = options.id;
  doc["role"] = options.role;
  doc["member_keys"] = nlohmann::ordered_json::array();
  for (const std::string& file : options.member_key_files) {
    auto member = load_key_file(file);
    if (!member.ok()) return R::failure(member.error);
    doc["member_keys"].push_back(member.value->public_key().hex());
  }
  doc["validator_key"] = validator.value->public_key().hex();
  if (!options.address.empty()) doc["address"] = options.address;
  // One set of rules: the part is checked exactly as a part file is.
  auto part = parse_institution_part(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (part.ok()) return part;
  HomeError e = part.error;
  const std::string member_prefix = "member_keys[";
  if (e.path.starts_with(member_prefix)) {
    const size_t k = std::stoul(e.path.substr(member_prefix.size()));
    JOET_ASSERT(k < options.member_key_files.size());
    e.file = options.member_key_files[k];
    e.path = "";
  } else if (e.path == "validator_key") {
    e.file = paths.validator_key();
    e.path = "";
  } else if (e.path == "member_keys") {
    e.path = "--member-key";
  } else {
    e.path = "--" + e.path;  // --id, --role, --address
  }
  return R::failure(std::move(e));
}

}  // namespace joet::home
