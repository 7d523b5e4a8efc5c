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

TEST(MultipathHold, TakeoverAndPreemptRefuseAMapAndABarePath) {
  for (const char* verb : {"takeover", "preempt"}) {
    Harness h;
    EXPECT_EQ(h.run({verb, "/dev/mapper/mpatha", "--key", "0xb1", "--type", "we-ro"}), 3) << verb;
    EXPECT_NE(h.err.str().find("does not work on a multipath map"), std::string::npos)
        << h.err.str();
    Harness p;
    EXPECT_EQ(p.run({verb, "/dev/sdd", "--key", "0xb1"}), 3) << verb;
    EXPECT_FALSE(sent(h, "hold") || sent(h, "preempt") || sent(p, "preempt")) << verb;
  }
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
