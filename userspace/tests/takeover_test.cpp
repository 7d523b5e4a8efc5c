// takeover and preempt logic against the fake module: which SCSI operations
// happen in which order, how long the wait is, and which exit code results.
#include <gtest/gtest.h>

#include "fakes.h"
#include "takeover_timing.h"

namespace resfence {
namespace {

using test::Harness;

constexpr DeviceId kSdc{8, 32};
constexpr uint64_t kMaster = 0xaaaa;

KeysInfo keys_at(uint32_t generation) { return {kSdc, generation, {kMaster}}; }
ReservationInfo held_by(uint64_t key, uint32_t generation) {
  return {kSdc, generation, key, RESFENCE_PR_WRITE_EXCLUSIVE};
}
ReservationInfo unreserved(uint32_t generation) {
  return {kSdc, generation, std::nullopt, std::nullopt};
}

TEST(TakeoverPr, DeadMasterIsPreemptedAfterTheDerivedWait) {
  Harness h;
  h.module.keys_replies = {keys_at(10), keys_at(10)};
  h.module.reservation_replies = {held_by(kMaster, 10), held_by(kMaster, 10)};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--interval", "0.5"}), 0) << h.err.str();
  // The module's default lease is automatic: the master's is 2 x 0.5 s, not
  // the 4 s GET_INFO reports for the default 2 s interval.
  EXPECT_EQ(h.sleeps_ms, (std::vector<long long>{1000 + kTakeoverMarginMs}));
  EXPECT_EQ(h.module.calls, (std::vector<std::string>{"get_info", "read_keys", "read_reservation",
                                                      "read_keys", "read_reservation", "preempt"}));
  ASSERT_EQ(h.module.preempts.size(), 1U);
  EXPECT_EQ(h.module.preempts[0].victim_key, kMaster);
  EXPECT_EQ(h.module.preempts[0].key, h.machine_key);
  EXPECT_EQ(h.module.preempts[0].interval_ms, 500U);
  EXPECT_FALSE(h.module.preempts[0].abort);
  EXPECT_NE(h.out.str().find("waiting 2 s (max(2 x interval 0.5 s, lease 1 s) + margin 1 s)"),
            std::string::npos)
      << h.out.str();
  EXPECT_NE(h.out.str().find("preempted"), std::string::npos);
}

TEST(TakeoverPr, GenerationMovedMeansMasterAlive) {
  Harness h;
  h.module.keys_replies = {keys_at(10), keys_at(12)};
  h.module.reservation_replies = {held_by(kMaster, 10), held_by(kMaster, 12)};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc"}), 5);
  EXPECT_TRUE(h.module.preempts.empty());
  EXPECT_TRUE(h.module.holds.empty());
  EXPECT_EQ(h.err.str(),
            "resfencectl: takeover: /dev/sdc: master alive: PR generation moved from 10 to 12 "
            "during the wait\n");
}

TEST(TakeoverPr, WaitUsesTheModuleDefaultsWhenNotGiven) {
  Harness h;
  h.module.info.interval_ms = 3000;
  h.module.info.lease_ms = 0;
  h.module.info.lease_auto = false;
  h.module.keys_replies = {keys_at(1), keys_at(2)};
  h.module.reservation_replies = {held_by(kMaster, 1)};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc"}), 5);
  EXPECT_EQ(h.sleeps_ms, (std::vector<long long>{6000 + kTakeoverMarginMs}));
}

TEST(TakeoverPr, FixedModuleLeaseAppliesWhateverTheInterval) {
  Harness h;
  h.module.info.lease_ms = 4000;
  h.module.info.lease_auto = false;
  h.module.keys_replies = {keys_at(1), keys_at(2)};
  h.module.reservation_replies = {held_by(kMaster, 1)};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--interval", "0.5"}), 5);
  EXPECT_EQ(h.sleeps_ms, (std::vector<long long>{4000 + kTakeoverMarginMs}));
  EXPECT_NE(h.out.str().find("(max(2 x interval 0.5 s, lease 4 s) + margin 1 s)"),
            std::string::npos)
      << h.out.str();
}

TEST(TakeoverPr, ExplicitLeaseDominates) {
  Harness h;
  h.module.keys_replies = {keys_at(1), keys_at(2)};
  h.module.reservation_replies = {held_by(kMaster, 1)};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--interval", "1", "--lease", "10"}), 5);
  EXPECT_EQ(h.sleeps_ms, (std::vector<long long>{10000 + kTakeoverMarginMs}));
}

TEST(TakeoverPr, NoReservationMeansHoldWithoutWaiting) {
  Harness h;
  h.module.keys_replies = {{kSdc, 4, {}}};
  h.module.reservation_replies = {unreserved(4)};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc"}), 0);
  EXPECT_TRUE(h.sleeps_ms.empty());
  EXPECT_EQ(h.module.holds.size(), 1U);
  EXPECT_TRUE(h.module.preempts.empty());
}

TEST(TakeoverPr, HolderChangedHandsDuringTheWait) {
  Harness h;
  h.module.keys_replies = {keys_at(7), keys_at(7)};
  h.module.reservation_replies = {held_by(kMaster, 7), held_by(0xbbbb, 7)};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc"}), 4);
  EXPECT_TRUE(h.module.preempts.empty());
}

TEST(TakeoverPr, HolderWithOurOwnKeyIsRefused) {
  Harness h;
  h.module.keys_replies = {keys_at(7)};
  h.module.reservation_replies = {held_by(h.machine_key, 7)};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc"}), 4);
  EXPECT_TRUE(h.sleeps_ms.empty());
  EXPECT_NE(h.err.str().find("another node uses the same key"), std::string::npos);
}

TEST(TakeoverPr, AlreadyHeldByThisNode) {
  Harness h;
  h.module.keys_replies = {keys_at(7)};
  h.module.reservation_replies = {held_by(h.machine_key, 7)};
  HoldRequest r;
  r.dev = kSdc;
  r.mode = RESFENCE_MODE_PR;
  r.key = h.machine_key;
  h.module.devices.push_back(h.module.device_for(r));
  EXPECT_EQ(h.run({"takeover", "/dev/sdc"}), 1);
  EXPECT_EQ(h.err.str(), "resfencectl: takeover: /dev/sdc: already held by this node\n");
  EXPECT_TRUE(h.module.preempts.empty());
}

TEST(TakeoverPr, InterruptedWaitAcquiresNothing) {
  Harness h;
  h.sleep_interrupted = true;
  h.module.keys_replies = {keys_at(7)};
  h.module.reservation_replies = {held_by(kMaster, 7)};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc"}), 10);
  EXPECT_TRUE(h.module.preempts.empty());
  EXPECT_TRUE(h.module.holds.empty());
}

TEST(TakeoverPr, LostPreemptRaceIsHeldElsewhere) {
  Harness h;
  h.module.keys_replies = {keys_at(7), keys_at(7)};
  h.module.reservation_replies = {held_by(kMaster, 7)};
  h.module.preempt_error = NetlinkError(EBUSY, "reservation conflict");
  EXPECT_EQ(h.run({"takeover", "/dev/sdc"}), 4);
}

TEST(TakeoverScsi2, ResetWaitThenReserve) {
  Harness h;
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--mode", "scsi2", "--allow-reset-window", "--interval",
                   "2", "--lease", "0"}),
            0)
      << h.err.str();
  ASSERT_EQ(h.resets.size(), 1U);
  EXPECT_EQ(h.resets[0].second, ResetLevel::kLun);
  EXPECT_EQ(h.sleeps_ms, (std::vector<long long>{4000 + kTakeoverMarginMs}));
  EXPECT_EQ(h.module.calls, (std::vector<std::string>{"get_info", "hold"}));
  EXPECT_EQ(h.module.holds[0].mode, RESFENCE_MODE_SCSI2);
  EXPECT_FALSE(h.module.holds[0].key);
}

TEST(TakeoverScsi2, ConflictAfterTheWaitMeansMasterAlive) {
  Harness h;
  h.module.hold_error = NetlinkError(EBUSY, "reservation conflict");
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--mode", "scsi2", "--allow-reset-window"}), 5);
  EXPECT_EQ(h.err.str(),
            "resfencectl: takeover: /dev/sdc: master alive: it re-reserved the disk after the "
            "reset: Device or resource busy: reservation conflict\n");
}

TEST(TakeoverScsi2, OtherHoldFailuresKeepTheirCode) {
  Harness h;
  h.module.hold_error = NetlinkError(ENODEV, "disk went away");
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--mode", "scsi2", "--allow-reset-window"}), 3);
}

TEST(TakeoverScsi2, ResetNotPermittedStopsBeforeWaiting) {
  Harness h;
  h.reset_errno = EACCES;
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--mode", "scsi2", "--allow-reset-window"}), 7);
  EXPECT_TRUE(h.sleeps_ms.empty());
  EXPECT_TRUE(h.module.holds.empty());
}

TEST(Preempt, DefaultVictimIsTheCurrentHolder) {
  Harness h;
  h.module.reservation_replies = {held_by(kMaster, 3)};
  EXPECT_EQ(h.run({"preempt", "/dev/sdc", "--abort"}), 0) << h.err.str();
  ASSERT_EQ(h.module.preempts.size(), 1U);
  EXPECT_EQ(h.module.preempts[0].victim_key, kMaster);
  EXPECT_TRUE(h.module.preempts[0].abort);
  EXPECT_TRUE(h.sleeps_ms.empty());
  EXPECT_NE(h.out.str().find("victim 0x000000000000aaaa (abort)"), std::string::npos);
}

TEST(Preempt, ExplicitVictimSkipsTheRead) {
  Harness h;
  EXPECT_EQ(h.run({"preempt", "/dev/sdc", "--victim", "0x77"}), 0);
  EXPECT_EQ(h.module.calls, (std::vector<std::string>{"get_info", "preempt"}));
  EXPECT_EQ(h.module.preempts[0].victim_key, 0x77U);
}

TEST(Preempt, NoHolderMeansHold) {
  Harness h;
  h.module.reservation_replies = {unreserved(3)};
  EXPECT_EQ(h.run({"preempt", "/dev/sdc"}), 0);
  EXPECT_EQ(h.module.holds.size(), 1U);
  EXPECT_TRUE(h.module.preempts.empty());
}

TEST(Preempt, OwnKeyAsVictimIsRefused) {
  Harness h;
  EXPECT_EQ(h.run({"preempt", "/dev/sdc", "--key", "9", "--victim", "9"}), 2);
  EXPECT_TRUE(h.module.preempts.empty());
}

TEST(TakeoverScsi2, EpochLbaGoesToTheHold) {
  Harness h;
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--mode", "scsi2", "--epoch-lba", "0x800"}), 0)
      << h.err.str();
  ASSERT_EQ(h.module.holds.size(), 1U);
  EXPECT_EQ(h.module.holds[0].epoch_lba, 2048U);
}

TEST(TakeoverScsi2, WithoutEpochOrAcknowledgementIsRefusedBeforeTheReset) {
  Harness h;
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--mode", "scsi2"}), 2);
  EXPECT_NE(h.err.str().find("resfencectl: takeover: scsi2 without a takeover epoch leaves a "
                             "window open"),
            std::string::npos)
      << h.err.str();
  EXPECT_TRUE(h.resets.empty());
  EXPECT_TRUE(h.module.holds.empty());
}

TEST(Preempt, Scsi2ResetsThenReservesAtOnce) {
  Harness h;
  EXPECT_EQ(h.run({"preempt", "/dev/sdc", "--mode", "scsi2", "--allow-reset-window"}), 0);
  EXPECT_EQ(h.resets.size(), 1U);
  EXPECT_TRUE(h.sleeps_ms.empty());
  EXPECT_EQ(h.module.holds.size(), 1U);
}

TEST(Preempt, Scsi2RefusesPrOptions) {
  Harness h;
  EXPECT_EQ(h.run({"preempt", "/dev/sdc", "--mode", "scsi2", "--allow-reset-window", "--abort"}),
            2);
  EXPECT_EQ(h.err.str(), "resfencectl: preempt: --victim and --abort need --mode pr\n");
  EXPECT_TRUE(h.resets.empty());
}

}  // namespace
}  // namespace resfence

namespace resfence {
namespace {

using test::Harness;

TEST(TakeoverPr, AllRegistrantsMasterIsPreemptedByItsKey) {
  Harness h;
  const DeviceId dev{8, 32};
  h.module.keys_replies = {{dev, 5, {0xaaaa}}};
  h.module.reservation_replies = {{dev, 5, 0, RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS}};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc", "--type", "we-ar"}), 0) << h.err.str();
  ASSERT_EQ(h.module.preempts.size(), 1U);
  EXPECT_EQ(h.module.preempts[0].victim_key, 0xaaaaU);
}

TEST(TakeoverPr, AmbiguousAllRegistrantsIsRefusedBeforeWaiting) {
  Harness h;
  const DeviceId dev{8, 32};
  h.module.keys_replies = {{dev, 5, {0xaaaa, 0xcccc}}};
  h.module.reservation_replies = {{dev, 5, 0, RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS}};
  EXPECT_EQ(h.run({"takeover", "/dev/sdc"}), 1);
  EXPECT_TRUE(h.sleeps_ms.empty());
  EXPECT_TRUE(h.module.preempts.empty());
  EXPECT_NE(h.err.str().find("resfencectl: takeover: /dev/sdc: all-registrants reservation held "
                             "by several keys"),
            std::string::npos)
      << h.err.str();
}

TEST(Preempt, AllRegistrantsDefaultVictimComesFromTheKeys) {
  Harness h;
  const DeviceId dev{8, 32};
  h.module.keys_replies = {{dev, 5, {0xaaaa}}};
  h.module.reservation_replies = {{dev, 5, 0, RESFENCE_PR_EXCLUSIVE_ACCESS_ALL_REGS}};
  EXPECT_EQ(h.run({"preempt", "/dev/sdc"}), 0) << h.err.str();
  ASSERT_EQ(h.module.preempts.size(), 1U);
  EXPECT_EQ(h.module.preempts[0].victim_key, 0xaaaaU);
}

}  // namespace
}  // namespace resfence
