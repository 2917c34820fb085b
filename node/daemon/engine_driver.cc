#include "node/daemon/engine_driver.h"

#include <utility>
#include <variant>
#include <vector>

namespace joet::daemon {

Status EngineDriver::halt_status() const {
  if (!start_status_.ok()) return start_status_;
  if (app_.halted()) return app_.halt_status();
  if (engine_.halted()) return engine_.halt_status();
  return Status::ok_status();
}

bool EngineDriver::start(const consensus::StartState& state) {
  start_status_ = engine_.start(state, io_.now_ms());
  return dispatch();
}

bool EngineDriver::on_message(const consensus::Message& message) {
  if (halted()) return false;
  engine_.on_message(message, io_.now_ms());
  return dispatch();
}

bool EngineDriver::on_timeout(const consensus::ScheduleTimeout& timeout) {
  if (halted()) return false;
  engine_.on_timeout(timeout.kind, timeout.height, timeout.round, io_.now_ms());
  return dispatch();
}

bool EngineDriver::on_work_available() {
  if (halted()) return false;
  engine_.on_work_available(io_.now_ms());
  return dispatch();
}

bool EngineDriver::dispatch() {
  // Validation answers make more outputs; loop until the engine has nothing left. Each round of the
  // loop follows an engine call, so the halt check comes first.
  for (;;) {
    if (halted()) return false;
    std::vector<consensus::Output> outputs = engine_.take_outputs();
    if (outputs.empty()) return true;
    for (consensus::Output& out : outputs) {
      if (auto* b = std::get_if<consensus::Broadcast>(&out)) {
        io_.broadcast(b->wire);
      } else if (auto* t = std::get_if<consensus::ScheduleTimeout>(&out)) {
        io_.schedule(*t);
      } else if (auto* c = std::get_if<consensus::Committed>(&out)) {
        io_.committed(*c);
      } else if (auto* v = std::get_if<consensus::ValidateBlock>(&out)) {
        validations_ += 1;
        const bool valid = app_.validate(*v);
        if (app_.halted()) return false;
        engine_.on_validation(v->height, v->block_hash, valid, io_.now_ms());
        if (halted()) return false;  // the rest of this batch was made before, but stop now anyway
      } else {
        JOET_ASSERT(std::holds_alternative<consensus::EvidenceFound>(out));
        evidence_found_ += 1;  // the engine keeps it for its next proposal
        io_.evidence_found(std::get<consensus::EvidenceFound>(out));
      }
    }
  }
}

}  // namespace joet::daemon
