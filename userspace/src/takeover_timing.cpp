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

}  // namespace resfence
