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

ModuleInfo module_defaults(uint32_t interval_ms, uint32_t lease_ms, bool lease_auto) {
  ModuleInfo info;
  info.version = "0.1.0";
  info.interval_ms = interval_ms;
  info.lease_ms = lease_ms;
  info.lease_auto = lease_auto;
  return info;
}

TEST(TakeoverTimingFor, AutomaticLeaseFollowsTheGivenInterval) {
  // GET_INFO reports 4 s: the automatic lease at the default 2 s interval.
  const TakeoverTiming t =
      takeover_timing_for(500, std::nullopt, module_defaults(2000, 4000, true));
  EXPECT_EQ(t.interval_ms, 500U);
  EXPECT_EQ(t.lease_ms, 1000U);
  EXPECT_EQ(t.wait_ms, 1000 + kTakeoverMarginMs);
}

TEST(TakeoverTimingFor, AutomaticLeaseAtTheDefaultInterval) {
  const TakeoverTiming t =
      takeover_timing_for(std::nullopt, std::nullopt, module_defaults(2000, 4000, true));
  EXPECT_EQ(t.interval_ms, 2000U);
  EXPECT_EQ(t.lease_ms, 4000U);
  EXPECT_EQ(t.wait_ms, 4000 + kTakeoverMarginMs);
  // A longer interval lengthens the automatic lease with it.
  EXPECT_EQ(takeover_timing_for(30000, std::nullopt, module_defaults(2000, 4000, true)).lease_ms,
            60000U);
}

TEST(TakeoverTimingFor, FixedDefaultLeaseAppliesAsIs) {
  const TakeoverTiming t =
      takeover_timing_for(500, std::nullopt, module_defaults(2000, 10000, false));
  EXPECT_EQ(t.lease_ms, 10000U);
  EXPECT_EQ(t.wait_ms, 10000 + kTakeoverMarginMs);
  // 0: the default is no lease; the wait is the two intervals.
  const TakeoverTiming off =
      takeover_timing_for(500, std::nullopt, module_defaults(2000, 0, false));
  EXPECT_EQ(off.lease_ms, 0U);
  EXPECT_EQ(off.wait_ms, 1000 + kTakeoverMarginMs);
}

TEST(TakeoverTimingFor, GivenLeaseWins) {
  EXPECT_EQ(takeover_timing_for(500, 3000, module_defaults(2000, 4000, true)).lease_ms, 3000U);
  EXPECT_EQ(takeover_timing_for(500, 0, module_defaults(2000, 4000, true)).lease_ms, 0U);
  EXPECT_EQ(takeover_timing_for(500, 3000, module_defaults(2000, 0, false)).lease_ms, 3000U);
}

TEST(TakeoverTimingFor, ModuleWithoutIntervalUsesTheDocumentedDefault) {
  ModuleInfo info;
  info.lease_auto = true;
  const TakeoverTiming t = takeover_timing_for(std::nullopt, std::nullopt, info);
  EXPECT_EQ(t.interval_ms, RESFENCE_INTERVAL_DEFAULT_MS);
  EXPECT_EQ(t.lease_ms, 2U * RESFENCE_INTERVAL_DEFAULT_MS);
}

TEST(TakeoverTimingFor, ModuleWithoutTheFlagNeverShortensTheWait) {
  // A module predating LEASE_AUTO reports 2 x its default interval as the
  // lease; taken as fixed, the wait is never shorter than the true one.
  for (const uint32_t interval : {100U, 500U, 2000U, 5000U, 60000U}) {
    const uint64_t old_module =
        takeover_timing_for(interval, std::nullopt, module_defaults(2000, 4000, false)).wait_ms;
    const uint64_t flagged =
        takeover_timing_for(interval, std::nullopt, module_defaults(2000, 4000, true)).wait_ms;
    EXPECT_GE(old_module, flagged) << interval;
  }
}

}  // namespace
}  // namespace resfence
