// How long takeover waits for a live master to show itself. A pure function
// so the derivation is tested and documented in one place (resfencectl(8)).
#pragma once

#include <cstdint>

namespace resfence {

struct TakeoverTiming {
  uint64_t interval_ms = 0;  // the master's refresh interval
  uint64_t lease_ms = 0;     // the master's lease, 0 = none
  uint64_t margin_ms = 0;    // fixed slack, see takeover_wait_ms()
  uint64_t wait_ms = 0;      // the result
};

// The fixed margin added to every wait: covers one refresh command's round
// trip (SCSI command latency on a busy or remote target) and the scheduling
// delay of this tool, both of which are independent of the interval.
inline constexpr uint64_t kTakeoverMarginMs = 1000;

// wait = max(2 * interval, lease) + margin.
//
// Why 2 * interval: the master's module refreshes every interval. The read or
// reset that starts the wait may land just after a refresh, so the next one is
// due one interval later; a second interval absorbs one refresh that is late
// or lost (timer slack, a refresh that met the UNIT ATTENTION our reset
// raised and is retried on the next tick). A master that misses two refreshes
// in a row is not one we can tell from a dead one.
//
// Why lease: a master whose refreshes fail (not dead, but cut off from the
// disk) fences itself once `lease` has passed without a good refresh. Waiting
// at least the lease means such a master has stopped writing before we take
// the disk.
TakeoverTiming takeover_timing(uint64_t interval_ms, uint64_t lease_ms);

}  // namespace resfence
