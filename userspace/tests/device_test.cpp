#include "device.h"

#include <gtest/gtest.h>
#include <stdlib.h>  // NOLINT(modernize-deprecated-headers): mkdtemp

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "errors.h"

namespace resfence {
namespace {

namespace fs = std::filesystem;

// A fake /sys with the shapes sysfs has for a SCSI disk, its partition and a
// virtio disk.
class FakeSysfs : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "resfence-sysfs-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    const fs::path sdc = root_ / "devices/pci0000:00/host2/target2:0:0/2:0:0:1/block/sdc";
    fs::create_directories(sdc / "sdc1");
    fs::create_directories(root_ /
                           "devices/pci0000:00/host2/target2:0:0/2:0:0:1/scsi_disk/2:0:0:1");
    fs::create_directory_symlink(root_ / "devices/pci0000:00/host2/target2:0:0/2:0:0:1",
                                 sdc / "device");
    std::ofstream(sdc / "sdc1/partition") << "1\n";
    const fs::path vda = root_ / "devices/pci0000:00/virtio1/block/vda";
    fs::create_directories(vda);
    fs::create_directories(root_ / "devices/pci0000:00/virtio1/driver");
    fs::create_directory_symlink(root_ / "devices/pci0000:00/virtio1", vda / "device");
    fs::create_directories(root_ / "dev/block");
    fs::create_directory_symlink(sdc, root_ / "dev/block/8:32");
    fs::create_directory_symlink(sdc / "sdc1", root_ / "dev/block/8:33");
    fs::create_directory_symlink(vda, root_ / "dev/block/254:0");
    // sdd and sde: two paths of multipath map dm-0 ("mpatha"); dm-1 is a
    // linear (not multipath) device over sdf; dm-2 a map with no paths.
    for (const auto& [name, min] : {std::pair{"sdd", 48}, {"sde", 64}, {"sdf", 80}}) {
      const fs::path host = root_ / ("devices/pci0000:00/host3/target3:0:" + std::to_string(min));
      const fs::path blk = host / "block" / name;
      fs::create_directories(blk / "holders");
      fs::create_directories(host / "scsi_disk/x");
      fs::create_directory_symlink(host, blk / "device");
      std::ofstream(blk / "dev") << "8:" << min << "\n";
      fs::create_directory_symlink(blk, root_ / ("dev/block/8:" + std::to_string(min)));
    }
    make_dm("dm-0", "mpatha", "mpath-36001405aabbcc", {"sde", "sdd"});
    make_dm("dm-1", "vg-lv", "LVM-abcdef", {"sdf"});
    make_dm("dm-2", "mpathb", "mpath-36001405ddeeff", {});
  }

  void make_dm(const std::string& name, const std::string& dm_name, const std::string& uuid,
               const std::vector<std::string>& slaves) {
    const fs::path dm = root_ / "devices/virtual/block" / name;
    fs::create_directories(dm / "dm");
    fs::create_directories(dm / "slaves");
    std::ofstream(dm / "dm/name") << dm_name << "\n";
    std::ofstream(dm / "dm/uuid") << uuid << "\n";
    for (const auto& sl : slaves) {
      const fs::path blk = fs::canonical(root_ / "dev/block" / ("8:" + minor_of(sl)));
      fs::create_directory_symlink(blk, dm / "slaves" / sl);
      fs::create_directory_symlink(dm, blk / "holders" / name);
    }
    fs::create_directory_symlink(dm, root_ / ("dev/block/253:" + name.substr(3)));
  }

  static std::string minor_of(const std::string& sd) {
    return sd == "sdd" ? "48" : sd == "sde" ? "64" : "80";
  }
  void TearDown() override { fs::remove_all(root_); }

  ResolvedDevice dev(uint32_t maj, uint32_t min, const std::string& given) {
    ResolvedDevice d;
    d.given = given;
    d.path = given;
    d.dev = {maj, min};
    return d;
  }

  ExitCode code_of(ResolvedDevice d, std::string* message) {
    try {
      check_scsi_disk(d, root_.string());
    } catch (const CommandError& e) {
      *message = e.what();
      return e.code();
    }
    return ExitCode::kOk;
  }

  fs::path root_;
};

TEST_F(FakeSysfs, WholeScsiDiskIsAccepted) {
  ResolvedDevice d = dev(8, 32, "/dev/sdc");
  check_scsi_disk(d, root_.string());
  EXPECT_EQ(d.name, "sdc");
}

TEST_F(FakeSysfs, PartitionIsRefusedNamingTheDisk) {
  std::string msg;
  EXPECT_EQ(code_of(dev(8, 33, "/dev/sdc1"), &msg), ExitCode::kDevice);
  EXPECT_EQ(msg,
            "/dev/sdc1: is a partition of sdc; reservations apply to the whole disk: use "
            "/dev/sdc");
}

TEST_F(FakeSysfs, NonScsiDiskIsRefused) {
  std::string msg;
  EXPECT_EQ(code_of(dev(254, 0, "/dev/vda"), &msg), ExitCode::kDevice);
  EXPECT_EQ(msg, "/dev/vda: not a SCSI disk (vda has no scsi_disk in sysfs)");
}

TEST_F(FakeSysfs, UnknownNumbersAreRefused) {
  std::string msg;
  EXPECT_EQ(code_of(dev(8, 240, "/dev/sdp"), &msg), ExitCode::kDevice);
  EXPECT_EQ(msg, "/dev/sdp: block device 8:240 is not in sysfs");
}

TEST_F(FakeSysfs, MultipathMapResolvesToItsPathsSorted) {
  ResolvedDevice d = dev(253, 0, "/dev/mapper/mpatha");
  check_scsi_disk(d, root_.string());
  EXPECT_EQ(d.name, "dm-0");
  EXPECT_EQ(d.map_name, "mpatha");
  ASSERT_EQ(d.paths.size(), 2U);
  EXPECT_EQ(d.paths[0].name, "sdd");
  EXPECT_EQ(d.paths[0].dev, (DeviceId{8, 48}));
  EXPECT_EQ(d.paths[1].name, "sde");
  EXPECT_EQ(d.paths[1].dev, (DeviceId{8, 64}));
  EXPECT_TRUE(d.member_of.empty());
}

TEST_F(FakeSysfs, PathWhoseDiskWentAwayIsNotAPath) {
  fs::create_directory_symlink(root_ / "devices/nonexistent/block/sdz",
                               root_ / "devices/virtual/block/dm-0/slaves/sdz");
  ResolvedDevice d = dev(253, 0, "/dev/mapper/mpatha");
  check_scsi_disk(d, root_.string());
  ASSERT_EQ(d.paths.size(), 2U);
  EXPECT_EQ(d.paths[0].name, "sdd");
  EXPECT_EQ(d.paths[1].name, "sde");
}

TEST_F(FakeSysfs, PathOfAMapKnowsItsMap) {
  ResolvedDevice d = dev(8, 64, "/dev/sde");
  check_scsi_disk(d, root_.string());
  EXPECT_EQ(d.name, "sde");
  EXPECT_TRUE(d.paths.empty());
  EXPECT_EQ(d.member_of, "mpatha");
  EXPECT_EQ(d.member_of_node, "dm-0");
  try {
    check_not_map_path(d, false);
    FAIL();
  } catch (const CommandError& e) {
    EXPECT_EQ(e.code(), ExitCode::kDevice);
    EXPECT_STREQ(e.what(),
                 "/dev/sde: sde is a path of multipath map mpatha (dm-0): hold the map, "
                 "/dev/mapper/mpatha, so that every path is registered and armed "
                 "(--single-path holds this path alone)");
  }
  EXPECT_NO_THROW(check_not_map_path(d, true));
}

TEST_F(FakeSysfs, DiskUnderANonMultipathDmDeviceIsNotAPath) {
  ResolvedDevice d = dev(8, 80, "/dev/sdf");
  check_scsi_disk(d, root_.string());
  EXPECT_TRUE(d.member_of.empty());
  EXPECT_NO_THROW(check_not_map_path(d, false));
}

TEST_F(FakeSysfs, OtherDmDevicesAreRefused) {
  std::string msg;
  EXPECT_EQ(code_of(dev(253, 1, "/dev/mapper/vg-lv"), &msg), ExitCode::kDevice);
  EXPECT_EQ(msg,
            "/dev/mapper/vg-lv: dm-1 is a device-mapper device but not a multipath map (dm "
            "uuid \"LVM-abcdef\"); hold the SCSI disk itself");
}

TEST_F(FakeSysfs, MapWithoutPathsIsRefused) {
  std::string msg;
  EXPECT_EQ(code_of(dev(253, 2, "/dev/mapper/mpathb"), &msg), ExitCode::kDevice);
  EXPECT_EQ(msg, "/dev/mapper/mpathb: multipath map mpathb has no paths (dm-2/slaves is empty)");
}

TEST_F(FakeSysfs, CommandsForOneDiskRefuseAMap) {
  ResolvedDevice d = dev(253, 0, "/dev/mapper/mpatha");
  check_scsi_disk(d, root_.string());
  try {
    check_not_map(d, "takeover");
    FAIL();
  } catch (const CommandError& e) {
    EXPECT_EQ(e.code(), ExitCode::kDevice);
    EXPECT_STREQ(e.what(),
                 "/dev/mapper/mpatha: takeover does not work on a multipath map (mpatha); name "
                 "one of its paths");
  }
}

TEST(StatBlockDevice, MissingPath) {
  try {
    stat_block_device("/dev/does-not-exist-resfence");
    FAIL();
  } catch (const CommandError& e) {
    EXPECT_EQ(e.code(), ExitCode::kDevice);
    EXPECT_STREQ(e.what(), "/dev/does-not-exist-resfence: No such file or directory");
  }
}

TEST(StatBlockDevice, CharacterDeviceIsRefused) {
  try {
    stat_block_device("/dev/null");
    FAIL();
  } catch (const CommandError& e) {
    EXPECT_EQ(e.code(), ExitCode::kDevice);
    EXPECT_STREQ(e.what(), "/dev/null: not a block device");
  }
}

TEST(StatBlockDevice, SymlinkIsFollowedAndShown) {
  const fs::path link = fs::temp_directory_path() / "resfence-test-link-to-null";
  fs::remove(link);
  fs::create_symlink("/dev/null", link);
  try {
    stat_block_device(link.string());
    FAIL();
  } catch (const CommandError& e) {
    EXPECT_EQ(std::string(e.what()), link.string() + " (/dev/null): not a block device");
  }
  fs::remove(link);
}

TEST(StatBlockDevice, EmptyName) { EXPECT_THROW(stat_block_device(""), CommandError); }

}  // namespace
}  // namespace resfence
