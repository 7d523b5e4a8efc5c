// How long takeover waits for a live master to show itself. A pure function
// so the derivation is tested and documented in one place (resfencectl(8)).
#pragma once

#include <cstdint>
#include <optional>

#include "types.h"

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

// The timing for the master's settings as takeover knows them: --interval and
// --lease when given, else this node's module defaults (GET_INFO; a cluster
// runs one configuration).
//
// Without --lease, the master's lease is the one its hold got by default.
// When the module reports that default as automatic (LEASE_AUTO), a hold
// gets twice its own interval, so the lease is 2 x the interval used here,
// --interval included: --interval 0.5 means a 1 s lease, not the 4 s GET_INFO
// reports for the default 2 s interval. Otherwise the reported lease is
// fixed (or 0: none) and applies as is. A module that predates the flag
// reports 2 x its default interval; taken as fixed, that never shortens the
// wait, since the 2 x interval term covers an automatic lease.
TakeoverTiming takeover_timing_for(std::optional<uint32_t> interval_option,
                                   std::optional<uint32_t> lease_option, const ModuleInfo& info);

}  // namespace resfence
