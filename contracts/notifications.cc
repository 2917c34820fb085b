#include "contracts/notifications.h"

#include <algorithm>

#include "contracts/registry.h"

namespace joet {

Outcome notify(ContractState& state, uint64_t height, const std::vector<std::string>& recipients,
               const EventSpec& spec) {
  std::vector<std::string> done;
  for (const std::string& r : recipients) {
    if (r.empty() || std::find(done.begin(), done.end(), r) != done.end()) continue;
    done.push_back(r);
    auto last = state.get_u64(state_keys::event_seq(r));
    if (!last.ok()) return last.error();
    const uint64_t seq = *last + 1;
    cv1::Event e;
    e.set_recipient(r);
    e.set_seq(seq);
    e.set_height(height);
    e.set_kind(spec.kind);
    e.set_case_id(spec.case_id);
    e.set_detail(spec.detail);
    if (spec.has_tx) e.set_tx_id(to_string(spec.tx_id));
    e.set_deadline_id(spec.deadline_id);
    e.set_measure(spec.measure);
    state.put_u64(state_keys::event_seq(r), seq);
    state.put(state_keys::event(r, seq), e);
    state.emit(std::move(e));
  }
  return Outcome();
}

EventSpec tx_event(const TxContext& ctx, std::string kind, const std::string& case_id, std::string detail,
                   std::string measure) {
  EventSpec spec;
  spec.kind = std::move(kind);
  spec.case_id = case_id;
  spec.detail = std::move(detail);
  spec.tx_id = ctx.tx_id;
  spec.has_tx = true;
  spec.measure = std::move(measure);
  return spec;
}

Outcome notification_ack(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::COURT, cv1::RVDK, cv1::MUNICIPALITY, cv1::GI, cv1::AUDITOR}));
  int64_t seq = 0;
  JOET_CTR_TRY(ctx.args.integer("seq", seq));
  if (seq <= 0) return refuse("BAD_FIELD", "argument 'seq': must be positive");
  const std::string& me = ctx.signer.institution;
  const uint64_t useq = static_cast<uint64_t>(seq);
  auto event = ctx.state.get_raw(state_keys::event(me, useq));
  if (!event.ok()) return event.error();
  if (!event->has_value()) return refuse("EVENT_UNKNOWN", "no event " + std::to_string(seq) + " for " + me);
  auto acked = ctx.state.get_raw(state_keys::ack(me, useq));
  if (!acked.ok()) return acked.error();
  if (acked->has_value()) return refuse("DUPLICATE", "event already acknowledged");
  ctx.state.put_u64(state_keys::ack(me, useq), ctx.height);
  return Outcome();
}

}  // namespace joet
