// The control of the mutant tests: sim_mutant_pristine links the real engine and this name, and must
// find no violation on the seeds and profiles the mutants are caught with.
namespace joet::consensus::mutant {
const char* name() { return "pristine"; }
}  // namespace joet::consensus::mutant
