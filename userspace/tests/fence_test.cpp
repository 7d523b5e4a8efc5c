// The fence record after the restart: parsing the module's line, keeping it
// out of pstore into the state directory, telling the last restart's record
// from an older one, the pstore set-up check and the rejoin guard. The
// filesystem cases run on a temporary directory laid out like /sys/fs/pstore,
// /sys and /var/lib/resfence.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "errors.h"
#include "fakes.h"
#include "fence_record.h"
#include "fence_store.h"

namespace fs = std::filesystem;

namespace resfence {
namespace {

// What kmod/record.c writes (its KUnit suite pins the same text).
const std::string kLine =
    "FENCE-RECORD v1 disk=sdc devt=8:32 id=naa.6001405abcdef0123456789abcdef01 mode=pr "
    "key=0xa1 holder=0xb1 generation=17 reason=key-gone action=restart "
    "time=1764622512.123456789";

TEST(FenceRecord, ParsesTheModulesLineBehindASyslogPrefix) {
  const auto r = parse_fence_record("<0>[   42.123456] scsi_resfence: " + kLine + "\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->line, kLine);
  EXPECT_EQ(r->disk, "sdc");
  EXPECT_EQ(r->devt, "8:32");
  EXPECT_EQ(r->id, "naa.6001405abcdef0123456789abcdef01");
  EXPECT_EQ(r->mode, "pr");
  EXPECT_EQ(r->key, "0xa1");
  EXPECT_EQ(r->holder, "0xb1");
  EXPECT_EQ(r->generation, "17");
  EXPECT_EQ(r->reason, "key-gone");
  EXPECT_EQ(r->action, "restart");
  EXPECT_EQ(r->sec, 1764622512);
  EXPECT_EQ(r->nsec, 123456789);
  EXPECT_EQ(fence_time_utc(*r), "2025-12-01T20:55:12.123Z");
  EXPECT_EQ(fence_record_name(*r), "1764622512.123456789-sdc");
}

TEST(FenceRecord, RefusesWhatIsNotARecord) {
  EXPECT_FALSE(parse_fence_record("scsi_resfence: FENCED sdc (8:32) key 0xa1: x: restarting now"));
  // A line cut short by a full dump buffer: no reason, action or time.
  EXPECT_FALSE(parse_fence_record("FENCE-RECORD v1 disk=sdc devt=8:32 id=- mode=pr key=0x"));
  EXPECT_FALSE(parse_fence_record("FENCE-RECORD v1 disk=sdc reason=lease action=restart time=12"));
  EXPECT_FALSE(parse_fence_record("FENCE-RECORD v1 disk=sdc reason=lease action=restart time=1.5"));
  EXPECT_FALSE(
      parse_fence_record("FENCE-RECORD v2 disk=sdc reason=lease action=restart "
                         "time=1.000000000"));
}

TEST(FenceRecord, FindsEveryRecordOfADump) {
  const std::string dump =
      "Emergency#1 Part1\n<6>[    1.0] hello\n<0>[    9.0] scsi_resfence: " + kLine +
      "\n<0>[    9.0] scsi_resfence: FENCED sdc ...\n";
  const auto all = find_fence_records(dump);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].line, kLine);
  EXPECT_TRUE(find_fence_records("Panic#1 Part1\n<0>[ 1.0] Kernel panic\n").empty());
}

TEST(FenceRecord, IdentitySpelledAsTheModuleDoes) {
  EXPECT_EQ(record_lu_id("naa.6001405abc\n"), "naa.6001405abc");
  EXPECT_EQ(record_lu_id("t10.LIO-ORG  disk0\t\x7f\xc3\xa9\n"), "t10.LIO-ORG__disk0____");
  EXPECT_EQ(record_lu_id(""), "");
}

TEST(FenceRecord, MatchesByIdentityThenByName) {
  const auto r = *parse_fence_record(kLine);
  EXPECT_TRUE(record_matches_disk(r, "naa.6001405abcdef0123456789abcdef01", "sdd"));
  // Another LU that took the name after the restart is not the fenced disk.
  EXPECT_FALSE(record_matches_disk(r, "naa.60014050000000000000000000000000", "sdc"));
  // A disk without an identity: the name decides.
  EXPECT_TRUE(record_matches_disk(r, "", "sdc"));
  EXPECT_FALSE(record_matches_disk(r, "", "sdd"));
  auto no_id = r;
  no_id.id = "-";
  EXPECT_TRUE(record_matches_disk(no_id, "naa.anything", "sdc"));
}

class FenceStore : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::temp_directory_path() /
           ("resfence-fence-test." + std::to_string(getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    p.pstore = (root / "pstore").string();
    p.systemd_pstore = (root / "systemd-pstore").string();
    p.state = (root / "state").string();
    p.boot_id = (root / "boot_id").string();
    p.sys = (root / "sys").string();
    p.mounts = (root / "mounts").string();
    fs::create_directories(p.pstore);
    boot("boot-1");
    write(p.mounts, "pstore " + p.pstore + " pstore rw 0 0\n");
    write(root / "sys/module/pstore/parameters/backend", "ramoops\n");
    write(root / "sys/module/ramoops/parameters/max_reason", "3\n");
    write(root / "sys/dev/block/8:32/device/wwid", "naa.6001405abcdef0123456789abcdef01\n");
  }
  void TearDown() override { fs::remove_all(root); }

  static void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  void boot(const std::string& id) const { write(p.boot_id, id + "\n"); }
  void dump(const std::string& name, const std::string& text, int64_t mtime) const {
    const fs::path f = fs::path(p.pstore) / name;
    write(f, text);
    fs::last_write_time(f, std::chrono::file_clock::from_sys(
                               std::chrono::sys_seconds(std::chrono::seconds(mtime))));
  }
  static std::string fence_dump() {
    return "Emergency#1 Part1\n<0>[9.0] scsi_resfence: " + kLine + "\n";
  }

  fs::path root;
  FencePaths p;
  const ResolvedDevice sdc = test::resolved("/dev/sdc", "/dev/sdc", "sdc", {8, 32});
};

TEST_F(FenceStore, KeepsTheRecordAndClearsItFromPstore) {
  dump("dmesg-ramoops-0", fence_dump(), 1764622512);
  const auto c = collect_fences(p);
  ASSERT_EQ(c.fences.size(), 1U);
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.fences[0].first_seen_boot, "boot-1");
  EXPECT_EQ(c.fences[0].source, p.pstore + "/dmesg-ramoops-0");
  EXPECT_FALSE(fs::exists(fs::path(p.pstore) / "dmesg-ramoops-0"));
  EXPECT_TRUE(fs::exists(p.state + "/fences/1764622512.123456789-sdc"));
  EXPECT_TRUE(fs::exists(p.state + "/fences/1764622512.123456789-sdc.dump"));
  const auto last = last_restart_fence(c);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->record.line, kLine);
  // Read again in the same boot: the same answer, from the state directory.
  const auto again = collect_fences(p);
  ASSERT_EQ(again.fences.size(), 1U);
  EXPECT_TRUE(last_restart_fence(again));
}

TEST_F(FenceStore, ANextRestartIsNotTheOldFence) {
  dump("dmesg-ramoops-0", fence_dump(), 1764622512);
  collect_fences(p);
  boot("boot-2");  // a plain reboot: nothing new in pstore
  const auto c = collect_fences(p);
  ASSERT_EQ(c.fences.size(), 1U);
  EXPECT_FALSE(last_restart_fence(c));
}

TEST_F(FenceStore, ANewerDumpThatIsNoFenceWins) {
  dump("dmesg-ramoops-0", fence_dump(), 1764622512);
  dump("dmesg-ramoops-1", "Shutdown#1 Part1\n<5>[3.0] reboot: Restarting system\n", 1764622600);
  const auto c = collect_fences(p);
  ASSERT_EQ(c.fences.size(), 1U);
  EXPECT_FALSE(last_restart_fence(c));
  // The other dump is not ours to remove.
  EXPECT_TRUE(fs::exists(fs::path(p.pstore) / "dmesg-ramoops-1"));
}

TEST_F(FenceStore, ReadsTheSystemdArchiveWithoutRemovingIt) {
  write(fs::path(p.systemd_pstore) / "1764622512000000/dmesg.txt", fence_dump());
  const auto c = collect_fences(p);
  ASSERT_EQ(c.fences.size(), 1U);
  EXPECT_TRUE(last_restart_fence(c));
  EXPECT_TRUE(fs::exists(fs::path(p.systemd_pstore) / "1764622512000000/dmesg.txt"));
}

TEST_F(FenceStore, AnUnwritableStateDirLeavesTheRecordInPstore) {
  write(p.state, "a file where the directory should be");
  dump("dmesg-ramoops-0", fence_dump(), 1764622512);
  const auto c = collect_fences(p);
  ASSERT_EQ(c.fences.size(), 1U);
  ASSERT_EQ(c.warnings.size(), 1U);
  EXPECT_NE(c.warnings[0].find("it stays in pstore"), std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(p.pstore) / "dmesg-ramoops-0"));
  // The guard still sees it.
  EXPECT_THROW(check_rejoin_guard(p, sdc), CommandError);
}

TEST_F(FenceStore, GuardRefusesUntilAcknowledged) {
  dump("dmesg-ramoops-0", fence_dump(), 1764622512);
  try {
    check_rejoin_guard(p, sdc);
    FAIL() << "the guard let a fenced node take the disk";
  } catch (const CommandError& e) {
    EXPECT_EQ(e.code(), ExitCode::kFenceUnacknowledged);
    EXPECT_STREQ(e.what(),
                 "/dev/sdc: this node was fenced from this disk at 2025-12-01T20:55:12.123Z (sdc "
                 "8:32, naa.6001405abcdef0123456789abcdef01): our key is no longer registered "
                 "(preempted); not rejoining until that is acknowledged: find out why "
                 "(resfencectl last-fence), then run 'resfencectl ack-fence /dev/sdc'");
  }
  // Another disk is not held back.
  const ResolvedDevice sdd = test::resolved("/dev/sdd", "/dev/sdd", "sdd", {8, 48});
  EXPECT_NO_THROW(check_rejoin_guard(p, sdd));
  const auto c = collect_fences(p);
  const auto done = ack_fences(p, c.fences);
  ASSERT_EQ(done.size(), 1U);
  EXPECT_NO_THROW(check_rejoin_guard(p, sdc));
  EXPECT_TRUE(ack_fences(p, collect_fences(p).fences).empty());
}

TEST_F(FenceStore, SetUpProblems) {
  EXPECT_TRUE(pstore_setup_problems(p).empty());
  write(root / "sys/module/ramoops/parameters/max_reason", "2\n");
  auto problems = pstore_setup_problems(p);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].find("ramoops keeps only oopses and panics (max_reason=2)"),
            std::string::npos);
  write(root / "sys/module/pstore/parameters/backend", "erst\n");
  write(root / "sys/module/printk/parameters/always_kmsg_dump", "N\n");
  problems = pstore_setup_problems(p);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].find("printk.always_kmsg_dump=Y"), std::string::npos);
  write(root / "sys/module/printk/parameters/always_kmsg_dump", "Y\n");
  EXPECT_TRUE(pstore_setup_problems(p).empty());
  write(root / "sys/module/pstore/parameters/backend", "(null)\n");
  write(p.mounts, "");
  problems = pstore_setup_problems(p);
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_NE(problems[0].find("no pstore backend"), std::string::npos);
  EXPECT_NE(problems[1].find("not mounted"), std::string::npos);
}

TEST_F(FenceStore, HoldRefusedWithExitElevenAndAckFenceLetsItThrough) {
  test::Harness f;
  f.fences = p;
  dump("dmesg-ramoops-0", fence_dump(), 1764622512);
  EXPECT_EQ(f.run({"hold", "/dev/sdc", "--key", "0xa1"}), 11);
  EXPECT_NE(f.err.str().find("resfencectl: hold: /dev/sdc: this node was fenced"),
            std::string::npos);
  EXPECT_EQ(f.run({"last-fence", "--json"}), 0);
  EXPECT_NE(f.out.str().find("\"last_restart_fenced\": true"), std::string::npos);
  EXPECT_EQ(f.run({"ack-fence", "/dev/sdc"}), 0);
  EXPECT_EQ(f.run({"hold", "/dev/sdc", "--key", "0xa1"}), 0);
}

TEST_F(FenceStore, NoRejoinGuardSkipsTheCheck) {
  test::Harness f;
  f.fences = p;
  dump("dmesg-ramoops-0", fence_dump(), 1764622512);
  EXPECT_EQ(f.run({"hold", "/dev/sdc", "--key", "0xa1", "--no-rejoin-guard"}), 0);
}

TEST_F(FenceStore, AckFenceOfAnUnknownDiskFails) {
  test::Harness f;
  f.fences = p;
  EXPECT_EQ(f.run({"ack-fence", "sdz"}), 1);
  EXPECT_NE(f.err.str().find("resfencectl: ack-fence: sdz: no fence record names this disk"),
            std::string::npos);
}

}  // namespace
}  // namespace resfence
