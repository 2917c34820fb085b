// Contact (omgang, 1:377a, 1:265g): court.contact_arrangement sets an interval between parent-child
// contacts; contact.record records a contact HELD or CANCELLED. Two timers watch the HELD contacts:
//   D-CONTACT    (the OTS's timers, while an arrangement is set): no HELD contact by
//                from + interval_days + contact_grace_days, where `from` is the latest HELD contact or,
//                before any after the arrangement, the arrangement's day -> CONTACT_MISSED to GI,
//                MUNICIPALITY, RVDK. Fires once per gap; the next HELD contact starts a new one.
//   S-NOCONTACT  (the UHP's timers, from its placement): no HELD contact by from +
//                no_contact_signal_days, `from` the latest HELD contact or the placement day if later
//                -> NO_CONTACT_SIGNAL to MUNICIPALITY, whether or not the court set an arrangement.
#pragma once

#include "contracts/outcome.h"
#include "contracts/tx_context.h"

namespace joet {

Outcome court_contact_arrangement(TxContext& ctx);  // COURT
Outcome contact_record(TxContext& ctx);             // the case's GI

// (Re)starts S-NOCONTACT of a placed UHP from max(last HELD contact, placement day).
Status schedule_no_contact_signal(ContractState& state, const Policy& policy, cv1::Case& c);

}  // namespace joet
