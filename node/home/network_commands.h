// joet-node's commands for forming a network of institutions on their own hosts (docs/joet-node.md,
// "Forming a network"): keys new-member, keys new-validator, institution export, genesis assemble, genesis install and
// peers set. Each takes the arguments after its command words and returns the exit status.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace joet::home::cli {

extern const std::string_view kKeysNewMemberUsage;
extern const std::string_view kKeysNewValidatorUsage;
extern const std::string_view kInstitutionUsage;
extern const std::string_view kGenesisAssembleUsage;
extern const std::string_view kGenesisInstallUsage;
extern const std::string_view kPeersUsage;

int keys_new_member(const std::vector<std::string>& argv);   // after "keys new-member"
int keys_new_validator(const std::vector<std::string>& argv);  // after "keys new-validator"
int institution(const std::vector<std::string>& argv);       // after "institution": export ...
int genesis_assemble(const std::vector<std::string>& argv);  // after "genesis assemble"
int genesis_install(const std::vector<std::string>& argv);   // after "genesis install"
int peers(const std::vector<std::string>& argv);             // after "peers": set ...

}  // namespace joet::home::cli
