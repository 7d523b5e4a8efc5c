// Holding a dm-multipath map: one HOLD naming every path, the types that
// cannot work over several paths refused before anything is sent, a bare
// path of a map refused, and the paths in status.
#include <gtest/gtest.h>

#include "fakes.h"
#include "output/text.h"

namespace resfence {
namespace {

using test::Harness;

bool sent(const Harness& h, const std::string& call) {
  for (const auto& c : h.module.calls)
    if (c == call) return true;
  return false;
}

TEST(MultipathHold, MapIsHeldThroughEveryPathInOneRequest) {
  Harness h;
  EXPECT_EQ(
      h.run({"hold", "/dev/mapper/mpatha", "--mode", "pr", "--key", "0xa1", "--type", "we-ro"}), 0)
      << h.err.str();
  ASSERT_EQ(h.module.holds.size(), 1U);
  const HoldRequest& r = h.module.holds[0];
  EXPECT_EQ(r.dev, (DeviceId{254, 0}));
  ASSERT_EQ(r.paths.size(), 2U);
  EXPECT_EQ(r.paths[0], (DeviceId{8, 48}));
  EXPECT_EQ(r.paths[1], (DeviceId{8, 64}));
  EXPECT_EQ(r.pr_type, RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY);
}

TEST(MultipathHold, AllRegistrantsTypesWorkToo) {
  for (const char* type : {"ea-ro", "we-ar", "ea-ar"}) {
    Harness h;
    EXPECT_EQ(h.run({"hold", "/dev/mapper/mpatha", "--key", "0xa1", "--type", type}), 0) << type;
    EXPECT_EQ(h.module.holds.size(), 1U) << type;
  }
}

TEST(MultipathHold, SingleDiskHoldSendsNoPaths) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/sdc", "--key", "0xa1"}), 0);
  ASSERT_EQ(h.module.holds.size(), 1U);
  EXPECT_TRUE(h.module.holds[0].paths.empty());
}

TEST(MultipathHold, TypesOnlyTheReservingPathMayWriteAreRefusedBeforeAnythingIsSent) {
  for (const char* type : {"we", "ea"}) {
    Harness h;
    EXPECT_EQ(h.run({"hold", "/dev/mapper/mpatha", "--key", "0xa1", "--type", type}), 2) << type;
    EXPECT_NE(h.err.str().find("lets only the reserving path write"), std::string::npos)
        << h.err.str();
    EXPECT_FALSE(sent(h, "hold")) << type;
  }
}

TEST(MultipathHold, TheDefaultTypeIsRefusedSayingSo) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/mapper/mpatha", "--key", "0xa1"}), 2);
  EXPECT_NE(h.err.str().find("type we (the default)"), std::string::npos) << h.err.str();
  EXPECT_FALSE(sent(h, "hold"));
}

TEST(MultipathHold, Scsi2IsRefused) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/mapper/mpatha", "--mode", "scsi2", "--epoch-lba", "7"}), 2);
  EXPECT_NE(h.err.str().find("scsi2 cannot be held through several paths"), std::string::npos)
      << h.err.str();
  EXPECT_FALSE(sent(h, "hold"));
}

TEST(MultipathHold, BarePathOfAMapIsRefusedUnlessSinglePath) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/sdd", "--key", "0xa1"}), 3);
  EXPECT_NE(h.err.str().find("hold the map, /dev/mapper/mpatha"), std::string::npos) << h.err.str();
  EXPECT_FALSE(sent(h, "hold"));

  Harness opt_out;
  EXPECT_EQ(opt_out.run({"hold", "/dev/sdd", "--key", "0xa1", "--single-path"}), 0);
  ASSERT_EQ(opt_out.module.holds.size(), 1U);
  EXPECT_EQ(opt_out.module.holds[0].dev, (DeviceId{8, 48}));
  EXPECT_TRUE(opt_out.module.holds[0].paths.empty());
}

TEST(MultipathHold, SinglePathOnAMapIsAUsageError) {
  Harness h;
  EXPECT_EQ(
      h.run({"hold", "/dev/mapper/mpatha", "--key", "0xa1", "--type", "we-ro", "--single-path"}),
      2);
  EXPECT_FALSE(sent(h, "hold"));
}

// takeover and preempt take a map the way hold holds it: one request naming
// every path; the types a map cannot work with, and scsi2, refused first.
TEST(MultipathTakeover, TypesAMapCannotWorkWithAreRefusedBeforeAnythingIsSent) {
  for (const char* verb : {"takeover", "preempt"}) {
    Harness h;
    EXPECT_EQ(h.run({verb, "/dev/mapper/mpatha", "--key", "0xb1"}), 2) << verb;
    EXPECT_NE(h.err.str().find("type we (the default)"), std::string::npos) << h.err.str();
    Harness s;
    EXPECT_EQ(s.run({verb, "/dev/mapper/mpatha", "--mode", "scsi2", "--epoch-lba", "7"}), 2)
        << verb;
    EXPECT_NE(s.err.str().find("scsi2 cannot be held through several paths"), std::string::npos)
        << s.err.str();
    EXPECT_TRUE(s.resets.empty()) << verb;  // no LUN reset went down any path
    for (const Harness* x : {&h, &s})
      EXPECT_FALSE(sent(*x, "hold") || sent(*x, "preempt") || sent(*x, "read_keys") ||
                   sent(*x, "read_reservation"))
          << verb;
  }
}

TEST(MultipathTakeover, BarePathOfAMapIsRefused) {
  for (const char* verb : {"takeover", "preempt"}) {
    Harness h;
    EXPECT_EQ(h.run({verb, "/dev/sdd", "--key", "0xb1", "--type", "we-ro"}), 3) << verb;
    EXPECT_NE(h.err.str().find("hold the map, /dev/mapper/mpatha"), std::string::npos)
        << h.err.str();
    EXPECT_FALSE(sent(h, "preempt") || sent(h, "read_keys")) << verb;
  }
}

TEST(MultipathPreempt, TakesTheMapThroughEveryPathReadingTheHolderThroughAPath) {
  Harness h;
  h.module.reservation_replies.push_back({{8, 48}, 7, 0xa1, RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY});
  EXPECT_EQ(h.run({"preempt", "/dev/mapper/mpatha", "--key", "0xb1", "--type", "we-ro"}), 0)
      << h.err.str();
  ASSERT_EQ(h.module.preempts.size(), 1U);
  const HoldRequest& r = h.module.preempts[0];
  EXPECT_EQ(r.dev, (DeviceId{254, 0}));
  ASSERT_EQ(r.paths.size(), 2U);
  EXPECT_EQ(r.paths[0], (DeviceId{8, 48}));
  EXPECT_EQ(r.paths[1], (DeviceId{8, 64}));
  EXPECT_EQ(r.victim_key, 0xa1U);
  ASSERT_FALSE(h.module.read_devs.empty());
  EXPECT_EQ(h.module.read_devs[0], (DeviceId{8, 48}));  // a path: the map is not a SCSI disk
}

TEST(MultipathTakeover, AFailedFirstPathIsReadAroundAndTheMasterJudgedAsUsual) {
  Harness h;
  h.module.read_error_dev = DeviceId{8, 48};
  h.module.keys_replies = {{{8, 64}, 7, {0xa1, 0xa1}}};
  h.module.reservation_replies = {{{8, 64}, 7, 0xa1, RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY}};
  EXPECT_EQ(h.run({"takeover", "/dev/mapper/mpatha", "--key", "0xb1", "--type", "we-ro",
                   "--interval", "1", "--lease", "2"}),
            0)
      << h.err.str();
  ASSERT_EQ(h.sleeps_ms.size(), 1U);  // it waited for the master's heartbeat
  ASSERT_EQ(h.module.preempts.size(), 1U);
  EXPECT_EQ(h.module.preempts[0].paths.size(), 2U);
  EXPECT_EQ(h.module.preempts[0].victim_key, 0xa1U);
  for (const DeviceId& d : h.module.read_devs)
    EXPECT_TRUE(d == (DeviceId{8, 48}) || d == (DeviceId{8, 64}));
  EXPECT_EQ(h.module.read_devs.back(), (DeviceId{8, 64}));
}

TEST(MultipathTakeover, AMasterAliveThroughTheMapIsLeftAlone) {
  Harness h;
  h.module.keys_replies = {{{8, 48}, 7, {0xa1, 0xa1}}, {{8, 48}, 9, {0xa1, 0xa1}}};
  h.module.reservation_replies = {{{8, 48}, 7, 0xa1, RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY}};
  EXPECT_EQ(h.run({"takeover", "/dev/mapper/mpatha", "--key", "0xb1", "--type", "we-ro"}), 5)
      << h.err.str();
  EXPECT_FALSE(sent(h, "preempt"));
}

TEST(MultipathReads, EveryPathFailingFailsWithTheLastPathsError) {
  Harness h;
  h.module.read_error_dev = DeviceId{8, 48};
  // sde (8:64) has no scripted reply either: the fake fails it with EIO.
  EXPECT_NE(h.run({"keys", "/dev/mapper/mpatha"}), 0);
  ASSERT_EQ(h.module.read_devs.size(), 2U);
  EXPECT_EQ(h.module.read_devs[0], (DeviceId{8, 48}));
  EXPECT_EQ(h.module.read_devs[1], (DeviceId{8, 64}));
}

TEST(MultipathStatus, PathsAreListedWithTheirState) {
  DeviceInfo d;
  d.dev = {254, 0};
  d.disk_name = "dm-0";
  d.paths = {{{8, 48}, "sdd", RESFENCE_PATH_STATE_ARMED},
             {{8, 64}, "sde", RESFENCE_PATH_STATE_FAILED},
             {{8, 80}, "sdf", RESFENCE_PATH_STATE_REMOVED}};
  const std::string text = paths_text(d);
  EXPECT_NE(text.find("dm-0: multipath, 3 paths"), std::string::npos) << text;
  EXPECT_NE(text.find("sdd   8:48     armed"), std::string::npos) << text;
  EXPECT_NE(text.find("sde   8:64     failed"), std::string::npos) << text;
  EXPECT_NE(text.find("sdf   8:80     removed"), std::string::npos) << text;
  DeviceInfo single;
  single.disk_name = "sdc";
  EXPECT_EQ(paths_text(single), "");
}

}  // namespace
}  // namespace resfence
