#include "device.h"

#include <gtest/gtest.h>
#include <stdlib.h>  // NOLINT(modernize-deprecated-headers): mkdtemp

#include <filesystem>
#include <fstream>

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
  EXPECT_EQ(code_of(dev(8, 48, "/dev/sdd"), &msg), ExitCode::kDevice);
  EXPECT_EQ(msg, "/dev/sdd: block device 8:48 is not in sysfs");
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
