// The GI's actions besides gi.plan and gi.progress (cases.h) and gi.aanwijzing (aanwijzing.h):
// professional.register, gi.assign, gi.placement and gi.non_extension. Each is the case's GI's alone (professional.register:
// any GI, for its own professionals).
#pragma once

#include "contracts/outcome.h"
#include "contracts/tx_context.h"

namespace joet {

Outcome professional_register(TxContext& ctx);  // GI
Outcome gi_assign(TxContext& ctx);              // the case's GI
Outcome gi_placement(TxContext& ctx);           // the case's GI
Outcome gi_non_extension(TxContext& ctx);       // the case's GI

}  // namespace joet
