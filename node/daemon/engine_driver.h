// The node's side of consensus::Engine: after every call into the engine it takes the outputs and
// dispatches them (ARCHITECTURE.md "node/"):
//   Broadcast        -> DriverIo::broadcast (the daemon: Transport CONSENSUS channel)
//   ScheduleTimeout  -> DriverIo::schedule (the daemon: an asio steady_timer that calls on_timeout)
//   ValidateBlock    -> LedgerApp::validate, then Engine::on_validation, synchronously on this thread
//                       (the engine allows an asynchronous answer; re-execution here is cheap enough
//                       for now and keeps the app single-threaded)
//   Committed        -> DriverIo::committed (the daemon logs it)
//   EvidenceFound    -> nothing: the engine keeps it for its next proposal
// Halting (node/app/ledger_app.h): before anything of a call's outputs leaves, the driver checks
// LedgerApp::halted() and Engine::halted(); when either is set the call returns false, nothing more
// is dispatched, and the node must stop (a restart continues from the last committed block).
//
// Not thread-safe: one thread (the daemon's io_context thread) owns engine, app and driver.
#pragma once

#include <cstdint>

#include "consensus/engine.h"
#include "consensus/message.h"
#include "consensus/types.h"
#include "ledger/status.h"
#include "node/app/ledger_app.h"

namespace joet::daemon {

// Where the outputs go. The daemon implements it over the transport and its timers; tests over queues.
class DriverIo {
 public:
  virtual ~DriverIo() = default;
  virtual void broadcast(const Bytes& wire) = 0;
  virtual void schedule(const consensus::ScheduleTimeout& timeout) = 0;
  virtual void committed(const consensus::Committed& commit) = 0;
  // The engine found two signed messages of one validator for one slot (kept for its next proposal).
  virtual void evidence_found(const consensus::EvidenceFound& found) = 0;
  // The engine's clock (the daemon: system_clock ms).
  virtual uint64_t now_ms() = 0;
};

class EngineDriver {
 public:
  // All references must outlive the driver.
  EngineDriver(consensus::Engine& engine, LedgerApp& app, DriverIo& io) : engine_(engine), app_(app), io_(io) {}

  // Each forwards one input to the engine and dispatches what follows. false: the app or the engine
  // halted (halt_status() says why); nothing was sent after the halt and the node must stop.
  // start(): a WAL that does not replay is also a halt (kCorruption names it).
  bool start(const consensus::StartState& state);
  bool on_message(const consensus::Message& message);
  bool on_timeout(const consensus::ScheduleTimeout& timeout);
  // A tx was admitted to the mempool: an idle proposer proposes now (Engine::on_work_available).
  bool on_work_available();

  bool halted() const { return !start_status_.ok() || app_.halted() || engine_.halted(); }
  Status halt_status() const;

  uint64_t validations() const { return validations_; }
  uint64_t evidence_found() const { return evidence_found_; }

 private:
  bool dispatch();

  consensus::Engine& engine_;
  LedgerApp& app_;
  DriverIo& io_;
  Status start_status_;
  uint64_t validations_ = 0;
  uint64_t evidence_found_ = 0;
};

}  // namespace joet::daemon
