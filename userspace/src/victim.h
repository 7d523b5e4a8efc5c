// Whose key a takeover or preempt removes.
#pragma once

#include <cstdint>
#include <optional>

#include "types.h"

namespace resfence {

// The key to PREEMPT to take over `res` (which must be reserved). Normally
// the holder's. An all-registrants reservation (types we-ar/ea-ar) reports
// holder key 0, which the module does not accept as a victim: then the victim
// is the one registered key that is not `own_key`. Throws
// CommandError(kFailure) when there is no such key or several (a preempt
// must name one with --victim).
uint64_t victim_key(const ReservationInfo& res, const KeysInfo& keys,
                    std::optional<uint64_t> own_key);

}  // namespace resfence
