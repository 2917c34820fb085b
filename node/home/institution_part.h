// An institution part: what one institution hands in to form a network (docs/joet-node.md, "Forming a
// network"). Its public side only: the institution as genesis.json registers it, the public key of
// the validator it runs, and the address the other validators dial it at.
//
//   {
//     "id": "rb-amsterdam",                      genesis.json institutions[i].id
//     "role": "COURT",                           ... .role
//     "member_keys": ["<64 hex>", ...],          ... .member_keys (the public keys of its member key files)
//     "validator_key": "<64 hex>",               validators[j].key, with institution = id and power 1
//     "address": "10.0.0.1:26656"                optional: p2p host:port (config.json peers[k].address)
//   }
//
// `joet-node institution export` writes one; `genesis assemble` (genesis_assembly.h) makes a genesis
// of several; `peers set` (network_join.h) takes the addresses from them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/keys.h"
#include "node/home/genesis.h"
#include "node/home/home_error.h"

namespace joet::home {

inline constexpr size_t kMaxPartBytes = 64 * 1024;

struct InstitutionPart {
  GenesisInstitution institution;  // id, role, member keys (distinct)
  PublicKey validator_key;
  std::string address;  // host:port, not a wildcard host; "" = none (the validator is only dialed out from)
};

bool operator==(const InstitutionPart& a, const InstitutionPart& b);

// A part and the file it was read from, which every error about it names.
struct PartFile {
  std::string file;
  InstitutionPart part;
};

// Checks every field: the institution as genesis.json does, a member key at most once, the validator
// key neither missing nor one of the member keys, the address host:port and not 0.0.0.0 or [::].
Loaded<InstitutionPart> parse_institution_part(std::string_view json_text, const std::string& file = "");
Loaded<PartFile> load_institution_part(const std::string& path);
// Every path, in order; the first error stops it.
Loaded<std::vector<PartFile>> load_institution_parts(const std::vector<std::string>& paths);

// The JSON text (2-space indent, the fields in the order above, a final newline); parse gives `part` back.
std::string write_institution_part(const InstitutionPart& part);

// `joet-node institution export`: an institution's part from its node home and member key files.
struct PartExport {
  std::string home;                           // its keys/validator.key gives validator_key
  std::string id;
  std::string role;                           // COURT, RVDK, MUNICIPALITY, GI or AUDITOR
  std::vector<std::string> member_key_files;  // key files (key_file.h); only their public keys are used
  std::string address;                        // "" = none
};

// Reads the key files (mode 0600 enforced, as load_key_file does) and checks the part by the rules of
// parse_institution_part; an error names the option (--id, --role, --member-key, --address) or the key
// file it is about.
Loaded<InstitutionPart> export_institution_part(const PartExport& options);

}  // namespace joet::home
