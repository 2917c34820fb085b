// Mutation testing of the simulator. This test is linked once per mutant of the engine (a spec in
// tests/sim/mutants/, applied to a copy of one consensus source by apply_mutant.py in the build; the
// production sources are untouched) and must find, on seeds nobody tuned, a run in which the
// simulator reports a violation and the real engine (joet-sim, run on the same seed) does not. Every
// mutant meets the same general-purpose fault profiles: the adversaries aim at the rules, not at one
// mutant. Linked with the real engine (sim_mutant_pristine), it must find nothing on the whole budget.
//
// Each run is a child process, so an engine that trips its own assertion (JOET_ASSERT aborts) counts
// as caught, and is reported as such, instead of taking the test down. JOET_MUTANT_SURVEY=N runs N
// seeds of every profile without stopping at the first catch and prints which seeds catch the mutant.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/sim/faults.h"
#include "tests/sim/simulator.h"

namespace joet::consensus::mutant {
// The mutant's name: appended to the mutated source by apply_mutant.py ("pristine" for the control).
const char* name();
}  // namespace joet::consensus::mutant

namespace joet::sim {
namespace {

// Far from the seeds the default suite uses (1..100), so no mutant is caught on a seed tuned for it.
constexpr uint64_t kFirstSeed = 5001;
constexpr uint64_t kSeedsPerProfile = 200;  // a mutant stops at its first catch; polka-not-kept needs 1,053 runs
constexpr uint64_t kPristineSeeds = 15;     // the control: sim_test and the long run cover the real engine
constexpr uint32_t kNodes = 4;
constexpr uint64_t kHeights = 20;  // joet-sim's default, so a catch replays with the runner as printed
// The same for every mutant. A run stops at the first (seed, profile) that catches the mutant; seeds
// go in the outer loop, so a mutant some profile catches early is not held up by the others.
// "all" rotates its byzantine kind with the seed; the others concentrate what "all" dilutes with
// delays, partitions and membership changes: loss with an equivocator; every crash and store fault;
// locked validators that crash while an equivocator turns silent at GST; every offence to convict;
// failing commits with the signing guard off (the engine's own discipline: the guard would hide a
// lost lock or signature by keeping the node silent); validators that crash right after locking.
const std::vector<std::string> kProfiles = {"all",
                                            "heavy-drop,equivocate",
                                            "drop,dup,partition,crash,equivocate",
                                            "drop,dup,crash,crash-send,crash-gst,store,equivocate",
                                            "heavy-drop,crash,crash-send,fickle",
                                            "drop,dup,equivocate,evidence",
                                            "drop,dup,crash,commit-faults,no-guard,equivocate",
                                            "drop,dup,partition,crash-lock,equivocate"};

const std::string kViolation = "@@violation@@ ";
const std::string kTrace = "@@trace@@ ";
constexpr size_t kTraceLines = 30;

struct Outcome {
  std::vector<std::string> violations;
  std::vector<std::string> trace;   // the last kTraceLines events of a run with violations
  std::string aborted;              // non-empty: the run died (an engine assertion): how
  std::vector<std::string> stderr_tail;
  bool caught() const { return !violations.empty() || !aborted.empty(); }
  // One line: the first violation, or the death and its last words ("engine.cc:357: invariant violated: ...").
  std::string summary() const {
    if (!violations.empty()) return violations.front();
    return "the run died, " + aborted + (stderr_tail.empty() ? "" : ": " + stderr_tail.back());
  }
};

bool write_all(int fd, const std::string& s) {
  for (size_t done = 0; done < s.size();) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Runs one simulation in a child process: its stderr (an assertion's message) and its violations come
// back through one pipe.
Outcome run_isolated(const SimConfig& config) {
  int fds[2];
  if (::pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return {};
  }
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return {};
  }
  if (pid == 0) {
    ::close(fds[0]);
    ::dup2(fds[1], STDERR_FILENO);
    SimResult r = run_simulation(config);
    std::string out;
    for (const auto& v : r.violations) out += kViolation + v + "\n";
    if (!r.violations.empty()) {
      const size_t from = r.trace.size() > kTraceLines ? r.trace.size() - kTraceLines : 0;
      for (size_t i = from; i < r.trace.size(); ++i) out += kTrace + r.trace[i] + "\n";
    }
    ::_exit(write_all(fds[1], out) ? 0 : 3);
  }
  ::close(fds[1]);
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);

  Outcome o;
  std::vector<std::string> other;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    at = end + 1;
    if (line.rfind(kViolation, 0) == 0) o.violations.push_back(line.substr(kViolation.size()));
    else if (line.rfind(kTrace, 0) == 0) o.trace.push_back(line.substr(kTrace.size()));
    else other.push_back(std::move(line));
  }
  const bool clean_exit = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!clean_exit) {
    o.aborted = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                    : "exited with status " + std::to_string(WEXITSTATUS(status));
    const size_t from = other.size() > 10 ? other.size() - 10 : 0;
    o.stderr_tail.assign(other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
  }
  return o;
}

SimConfig config_for(uint64_t seed, const std::string& profile) {
  SimConfig c;
  c.seed = seed;
  c.nodes = kNodes;
  c.heights = kHeights;
  const Status s = apply_faults(profile, c);  // after the seed: "all" rotates its byzantine kinds with it
  EXPECT_TRUE(s.ok()) << profile << ": " << s.to_string();
  return c;
}

std::string replay(const std::string& mutant, uint64_t seed, const std::string& profile) {
  const char* runner = std::getenv("JOET_MUTANT_RUNNER");
  const std::string target = mutant == "pristine" ? "joet-sim" : "joet-sim-mut-" + mutant;
  return std::string(runner != nullptr ? runner : target) + " --seeds " + std::to_string(seed) + ".." +
         std::to_string(seed) + " --heights " + std::to_string(kHeights) + " --nodes " + std::to_string(kNodes) +
         " --faults " + profile + " --trace";
}

std::string describe(const Outcome& o) {
  std::string s;
  for (const auto& v : o.violations) s += "  violation: " + v + "\n";
  if (!o.aborted.empty()) {
    s += "  the run died (the engine's own assertion, not a simulator check): " + o.aborted + "\n";
    for (const auto& line : o.stderr_tail) s += "    " + line + "\n";
  }
  if (!o.trace.empty()) {
    s += "  last events:\n";
    for (const auto& line : o.trace) s += "    " + line + "\n";
  }
  return s;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

enum class Pristine { kPasses, kFails, kUnknown };

// A run the mutant fails is a catch only if the real engine passes it: otherwise the violation is a
// simulator or engine bug, not the mutant. The real engine runs in joet-sim (JOET_PRISTINE_RUNNER,
// set by ctest; this binary holds the mutant only), on the same seed, profile, nodes and heights.
Pristine pristine_on(uint64_t seed, const std::string& profile) {
  const char* runner = std::getenv("JOET_PRISTINE_RUNNER");
  if (runner == nullptr) return Pristine::kUnknown;
  const std::string seeds = std::to_string(seed) + ".." + std::to_string(seed);
  const std::string heights = std::to_string(kHeights);
  const std::string nodes = std::to_string(kNodes);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return Pristine::kUnknown;
  }
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::execl(runner, runner, "--seeds", seeds.c_str(), "--heights", heights.c_str(), "--nodes", nodes.c_str(),
            "--faults", profile.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Pristine::kPasses;
  if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 1)) return Pristine::kFails;
  ADD_FAILURE() << "cannot run the pristine runner " << runner << " (exit status " << WEXITSTATUS(status) << ")";
  return Pristine::kUnknown;
}

uint64_t survey_seeds() {
  const char* env = std::getenv("JOET_MUTANT_SURVEY");
  return env == nullptr ? 0 : std::strtoull(env, nullptr, 10);
}

// Every profile over `seeds` seeds, without stopping: which seeds catch the mutant, and how.
void survey(const std::string& mutant, uint64_t seeds) {
  const auto start = std::chrono::steady_clock::now();
  bool any = false;
  for (const auto& profile : kProfiles) {
    const auto profile_start = std::chrono::steady_clock::now();
    std::string caught_by;
    uint64_t count = 0;
    for (uint64_t seed = kFirstSeed; seed < kFirstSeed + seeds; ++seed) {
      Outcome o = run_isolated(config_for(seed, profile));
      if (!o.caught()) continue;
      if (mutant != "pristine" && pristine_on(seed, profile) == Pristine::kFails) {
        caught_by += "    " + std::to_string(seed) + ": not counted, the pristine engine fails too: " + o.summary() + "\n";
        continue;
      }
      ++count;
      caught_by += "    " + std::to_string(seed) + ": " + o.summary() + "\n";
    }
    any = any || count > 0;
    std::printf("survey %s [%s]: %llu of %llu seeds from %llu catch it (%.1f s)\n%s", mutant.c_str(),
                profile.c_str(), static_cast<unsigned long long>(count), static_cast<unsigned long long>(seeds),
                static_cast<unsigned long long>(kFirstSeed), seconds_since(profile_start), caught_by.c_str());
  }
  std::printf("survey %s: %.1f s\n", mutant.c_str(), seconds_since(start));
  if (mutant == "pristine") {
    EXPECT_FALSE(any) << "the pristine engine has violations: a simulator or engine bug";
  } else {
    EXPECT_TRUE(any) << "no profile caught mutant " << mutant;
  }
}

std::string profile_list() {
  std::string out;
  for (const auto& p : kProfiles) out += " [" + p + "]";
  return out;
}

// The control: the real engine passes every seed and profile of the budget.
void expect_pristine_clean() {
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t seed = kFirstSeed; seed < kFirstSeed + kPristineSeeds; ++seed) {
    for (const auto& profile : kProfiles) {
      Outcome o = run_isolated(config_for(seed, profile));
      ASSERT_FALSE(o.caught()) << "the pristine engine fails at seed " << seed << " [" << profile << "]:\n"
                               << describe(o) << "replay: " << replay("pristine", seed, profile);
    }
  }
  std::printf("pristine engine: no violation on seeds %llu..%llu under%s, %.1f s\n",
              static_cast<unsigned long long>(kFirstSeed),
              static_cast<unsigned long long>(kFirstSeed + kPristineSeeds - 1), profile_list().c_str(),
              seconds_since(start));
}

TEST(Mutant, TheSimulatorCatchesThisMutantOnSeedsNobodyTuned) {
  const std::string mutant = consensus::mutant::name();
  if (const uint64_t seeds = survey_seeds(); seeds > 0) return survey(mutant, seeds);
  if (mutant == "pristine") return expect_pristine_clean();
  const auto start = std::chrono::steady_clock::now();
  uint64_t runs = 0;
  for (uint64_t seed = kFirstSeed; seed < kFirstSeed + kSeedsPerProfile; ++seed) {
    for (const auto& profile : kProfiles) {
      Outcome o = run_isolated(config_for(seed, profile));
      ++runs;
      if (!o.caught()) continue;
      const Pristine pristine = pristine_on(seed, profile);
      if (pristine == Pristine::kFails) {
        std::printf("seed %llu [%s] not counted: the pristine engine fails it too (a simulator or engine bug): %s\n",
                    static_cast<unsigned long long>(seed), profile.c_str(), o.summary().c_str());
        continue;
      }
      std::printf("mutant %s caught at seed %llu [%s], run %llu, %.1f s%s:\n%sreplay: %s\n", mutant.c_str(),
                  static_cast<unsigned long long>(seed), profile.c_str(), static_cast<unsigned long long>(runs),
                  seconds_since(start),
                  pristine == Pristine::kPasses ? " (the pristine engine passes this seed)"
                                                : " (not compared with the pristine engine: JOET_PRISTINE_RUNNER unset)",
                  describe(o).c_str(), replay(mutant, seed, profile).c_str());
      return;
    }
  }
  char took[32];
  std::snprintf(took, sizeof took, "%.1f s", seconds_since(start));
  FAIL() << "mutant " << mutant << " survived: no violation on seeds " << kFirstSeed << ".."
         << kFirstSeed + kSeedsPerProfile - 1 << " under" << profile_list() << " (" << runs << " runs, " << took
         << ")";
}

}  // namespace
}  // namespace joet::sim
