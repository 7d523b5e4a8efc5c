#include "takeover_timing.h"

#include <algorithm>

namespace resfence {

TakeoverTiming takeover_timing(uint64_t interval_ms, uint64_t lease_ms) {
  TakeoverTiming t;
  t.interval_ms = interval_ms;
  t.lease_ms = lease_ms;
  t.margin_ms = kTakeoverMarginMs;
  t.wait_ms = std::max(2 * interval_ms, lease_ms) + kTakeoverMarginMs;
  return t;
}

TakeoverTiming takeover_timing_for(std::optional<uint32_t> interval_option,
                                   std::optional<uint32_t> lease_option, const ModuleInfo& info) {
  const uint64_t interval =
      interval_option.value_or(info.interval_ms.value_or(RESFENCE_INTERVAL_DEFAULT_MS));
  uint64_t lease = 0;
  if (lease_option)
    lease = *lease_option;
  else if (info.lease_auto)
    lease = 2 * interval;
  else
    lease = info.lease_ms.value_or(0);
  return takeover_timing(interval, lease);
}

}  // namespace resfence
