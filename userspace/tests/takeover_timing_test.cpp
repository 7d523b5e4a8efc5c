#include "takeover_timing.h"

#include <gtest/gtest.h>

namespace resfence {
namespace {

TEST(TakeoverTiming, TwoIntervalsPlusMarginWithoutLease) {
  const TakeoverTiming t = takeover_timing(2000, 0);
  EXPECT_EQ(t.wait_ms, 2 * 2000 + kTakeoverMarginMs);
  EXPECT_EQ(t.margin_ms, kTakeoverMarginMs);
  EXPECT_EQ(t.interval_ms, 2000U);
  EXPECT_EQ(t.lease_ms, 0U);
}

TEST(TakeoverTiming, LeaseLongerThanTwoIntervalsDominates) {
  EXPECT_EQ(takeover_timing(2000, 10000).wait_ms, 10000 + kTakeoverMarginMs);
}

TEST(TakeoverTiming, LeaseShorterThanTwoIntervalsDoesNotShortenTheWait) {
  EXPECT_EQ(takeover_timing(2000, 3000).wait_ms, 4000 + kTakeoverMarginMs);
  // The module's automatic lease is exactly 2 x interval.
  EXPECT_EQ(takeover_timing(500, 1000).wait_ms, 1000 + kTakeoverMarginMs);
}

TEST(TakeoverTiming, ExtremesOfTheIntervalRange) {
  EXPECT_EQ(takeover_timing(100, 0).wait_ms, 1200U);
  EXPECT_EQ(takeover_timing(3600000, 0).wait_ms, 7200000 + kTakeoverMarginMs);
}

TEST(TakeoverTiming, AlwaysLongerThanTwoIntervalsAndTheLease) {
  for (uint64_t interval : {100U, 250U, 1000U, 2000U, 60000U})
    for (uint64_t lease : {0U, 150U, 2000U, 5000U, 120000U}) {
      const uint64_t w = takeover_timing(interval, lease).wait_ms;
      EXPECT_GT(w, 2 * interval);
      EXPECT_GT(w, lease);
    }
}

}  // namespace
}  // namespace resfence
