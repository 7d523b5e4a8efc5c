// Command-line parsing and validation, and run_main()'s mapping of failures
// to messages and exit codes, against the fake module.
#include "cli.h"

#include <gtest/gtest.h>
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include "commands/hold_settings.h"
#include "fakes.h"

namespace resfence {
namespace {

using test::Harness;

template <typename T>
T parse_as(const std::vector<std::string>& args) {
  Invocation inv = parse_command_line(args);
  EXPECT_TRUE(std::holds_alternative<T>(inv.options));
  return std::get<T>(inv.options);
}

TEST(Parse, HoldWithEveryOption) {
  const auto o =
      parse_as<HoldOptions>({"hold", "/dev/sdc", "--interval", "0.5", "--lease", "1.5", "--mode",
                             "pr", "--key", "0x10", "--type", "ea-ro", "--action", "log"});
  EXPECT_EQ(o.device, "/dev/sdc");
  EXPECT_EQ(o.settings.interval_ms, 500U);
  EXPECT_EQ(o.settings.lease_ms, 1500U);
  EXPECT_EQ(o.settings.mode, RESFENCE_MODE_PR);
  EXPECT_EQ(o.settings.key, KeySpec(uint64_t{16}));
  EXPECT_EQ(o.settings.pr_type, RESFENCE_PR_EXCLUSIVE_ACCESS_REG_ONLY);
  EXPECT_EQ(o.settings.action, RESFENCE_ACTION_LOG);
  EXPECT_FALSE(o.settings.cdb_len);
}

TEST(Parse, HoldDefaultsLeaveEverythingUnset) {
  const auto o = parse_as<HoldOptions>({"hold", "/dev/sdc"});
  EXPECT_FALSE(o.settings.interval_ms);
  EXPECT_FALSE(o.settings.lease_ms);
  EXPECT_FALSE(o.settings.mode);
  EXPECT_FALSE(o.settings.key);
}

TEST(Parse, ScsiTwoWithCdbAndAutoKey) {
  const auto o = parse_as<HoldOptions>({"hold", "/dev/sdc", "--mode=scsi2", "--cdb", "6"});
  EXPECT_EQ(o.settings.mode, RESFENCE_MODE_SCSI2);
  EXPECT_EQ(o.settings.cdb_len, 6);
  const auto a = parse_as<TakeoverOptions>({"takeover", "/dev/sdc", "--key", "auto"});
  EXPECT_EQ(a.settings.key, KeySpec(AutoKey{}));
}

TEST(Parse, PreemptVictimAndAbort) {
  const auto o = parse_as<PreemptOptions>({"preempt", "/dev/sdc", "--victim", "42", "--abort"});
  EXPECT_EQ(o.victim, 42U);
  EXPECT_TRUE(o.abort);
}

TEST(Parse, OtherSubcommands) {
  EXPECT_EQ(parse_as<StatusOptions>({"status"}).device, std::nullopt);
  EXPECT_TRUE(parse_as<StatusOptions>({"status", "/dev/sdc", "--json"}).json);
  EXPECT_TRUE(parse_as<KeysOptions>({"keys", "/dev/sdc", "--json"}).json);
  EXPECT_EQ(parse_as<ResetOptions>({"reset", "/dev/sdc"}).level, ResetLevel::kLun);
  EXPECT_EQ(parse_as<ResetOptions>({"reset", "/dev/sdc", "--level", "host"}).level,
            ResetLevel::kHost);
  EXPECT_TRUE(parse_as<MonitorOptions>({"monitor", "--json"}).json);
  EXPECT_EQ(parse_as<ReleaseOptions>({"release", "/dev/sdc"}).device, "/dev/sdc");
  EXPECT_FALSE(parse_as<VersionOptions>({"version"}).json);
  EXPECT_TRUE(parse_as<VersionOptions>({"version", "--json"}).json);
}

TEST(Parse, BadValuesAreParseErrors) {
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"frobnicate"},
      {"hold"},
      {"hold", "/dev/sdc", "--interval", "0.05"},
      {"hold", "/dev/sdc", "--interval", "3601"},
      {"hold", "/dev/sdc", "--interval", "1.0005"},
      {"hold", "/dev/sdc", "--interval", "-1"},
      {"hold", "/dev/sdc", "--interval"},
      {"hold", "/dev/sdc", "--lease", "0.01"},
      {"hold", "/dev/sdc", "--lease", "7200.001"},
      {"defaults", "--lease", "7201"},
      {"hold", "/dev/sdc", "--key", "0"},
      {"hold", "/dev/sdc", "--key", "0x"},
      {"hold", "/dev/sdc", "--key", "18446744073709551616"},
      {"hold", "/dev/sdc", "--mode", "scsi3"},
      {"hold", "/dev/sdc", "--type", "wx"},
      {"hold", "/dev/sdc", "--action", "reboot"},
      {"hold", "/dev/sdc", "--cdb", "12"},
      {"hold", "/dev/sdc", "/dev/sdd"},
      {"preempt", "/dev/sdc", "--victim", "0"},
      {"reset", "/dev/sdc", "--level", "world"},
      {"status", "--bogus"},
      {"version", "extra"},
  };
  for (const auto& args : bad) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_THROW(parse_command_line(args), CLI::ParseError) << joined;
  }
}

TEST(ParseCommandLine, LeaseUpToTheUapiBound) {
  // RESFENCE_LEASE_MAX_MS: twice the longest interval, the module's bound.
  const auto o =
      parse_as<HoldOptions>({"hold", "/dev/sdc", "--interval", "3600", "--lease", "7200"});
  EXPECT_EQ(o.settings.lease_ms, uint32_t{RESFENCE_LEASE_MAX_MS});
}

TEST(RunMain, LeaseAboveTheBoundIsAUsageError) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/sdc", "--lease", "7201"}), 2);
  EXPECT_EQ(h.err.str(),
            "resfencectl: hold: --lease: '7201' is out of range: must be between 0.1 s and "
            "7200 s (or 0 to disable)\nRun 'resfencectl hold --help' for usage.\n");
  EXPECT_TRUE(h.module.calls.empty());
}

TEST(RunMain, UsageErrorIsExitTwoWithVerbAndOption) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/sdc", "--interval", "0.05"}), 2);
  EXPECT_EQ(h.err.str(),
            "resfencectl: hold: --interval: '0.05' is out of range: must be between 0.1 s and "
            "3600 s\nRun 'resfencectl hold --help' for usage.\n");
  EXPECT_TRUE(h.module.calls.empty());
}

TEST(RunMain, KeyZeroIsAUsageError) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/sdc", "--key", "0"}), 2);
  EXPECT_NE(h.err.str().find("resfencectl: hold: --key: key 0 is reserved"), std::string::npos);
}

TEST(RunMain, HelpIsExitZeroOnStdout) {
  Harness h;
  EXPECT_EQ(h.run({"--help"}), 0);
  EXPECT_NE(h.out.str().find("takeover"), std::string::npos);
  Harness h2;
  EXPECT_EQ(h2.run({"hold", "--help"}), 0);
  EXPECT_NE(h2.out.str().find("--interval"), std::string::npos);
  EXPECT_TRUE(h2.err.str().empty());
}

TEST(RunMain, ModuleMissing) {
  Harness h;
  h.module_loaded = false;
  EXPECT_EQ(h.run({"status"}), 6);
  EXPECT_EQ(h.err.str(),
            "resfencectl: status: resfence module not loaded (genl family \"resfence\" not "
            "found)\n");
}

TEST(RunMain, VersionPrintsToolVersionEvenWithoutModule) {
  Harness h;
  h.module_loaded = false;
  EXPECT_EQ(h.run({"version"}), 6);
  EXPECT_EQ(h.out.str(), std::string("resfencectl ") + RESFENCECTL_VERSION + "\n");
  Harness ok;
  EXPECT_EQ(ok.run({"version"}), 0);
  EXPECT_EQ(ok.out.str(), std::string("resfencectl ") + RESFENCECTL_VERSION +
                              "\nscsi_resfence 0.1.0 (genl family resfence, version 1)\n");
}

TEST(RunMain, VersionJson) {
  Harness h;
  EXPECT_EQ(h.run({"version", "--json"}), 0) << h.err.str();
  const auto j = nlohmann::ordered_json::parse(h.out.str());
  EXPECT_EQ(j, nlohmann::ordered_json::parse(std::string(R"({
    "resfencectl": {"version": ")") + RESFENCECTL_VERSION +
                                             R"("},
    "module": {"version": "0.1.0", "genl_family": "resfence", "genl_version": 1}
  })"));
  EXPECT_TRUE(h.err.str().empty());
}

TEST(RunMain, VersionJsonWithoutModuleIsStillOneDocument) {
  Harness h;
  h.module_loaded = false;
  EXPECT_EQ(h.run({"version", "--json"}), 6);
  const auto j = nlohmann::ordered_json::parse(h.out.str());
  EXPECT_EQ(j.at("resfencectl").at("version"), RESFENCECTL_VERSION);
  EXPECT_TRUE(j.at("module").is_null());
  EXPECT_EQ(h.err.str(),
            "resfencectl: version: resfence module not loaded (genl family \"resfence\" not "
            "found)\n");
  Harness perm;
  perm.module.info_error = NetlinkError(EPERM, "");
  EXPECT_EQ(perm.run({"version", "--json"}), 7);
  EXPECT_TRUE(nlohmann::ordered_json::parse(perm.out.str()).at("module").is_null());
}

TEST(RunMain, PermissionDenied) {
  Harness h;
  h.module.info_error = NetlinkError(EPERM, "");
  EXPECT_EQ(h.run({"status"}), 7);
  EXPECT_EQ(h.err.str(), "resfencectl: status: resfence module: Operation not permitted\n");
}

TEST(RunMain, DeviceErrorBeforeTalkingToTheModule) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/vda"}), 3);
  EXPECT_EQ(h.err.str(), "resfencectl: hold: /dev/vda: not a SCSI disk\n");
  EXPECT_TRUE(h.module.calls.empty());
}

TEST(RunMain, HoldSendsTheOptionsAndPrintsTheDevice) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/sdc", "--interval", "0.5", "--key", "0x10"}), 0);
  ASSERT_EQ(h.module.holds.size(), 1U);
  const HoldRequest& r = h.module.holds[0];
  EXPECT_EQ(r.dev, (DeviceId{8, 32}));
  EXPECT_EQ(r.mode, RESFENCE_MODE_PR);  // the module's default, sent explicitly
  EXPECT_EQ(r.key, 0x10U);
  EXPECT_EQ(r.interval_ms, 500U);
  EXPECT_FALSE(r.lease_ms);
  EXPECT_EQ(h.out.str(),
            "held /dev/sdc (sdc 8:32): mode pr, key 0x0000000000000010, type we, interval 0.5 s, "
            "lease 4 s, action restart\n");
}

TEST(RunMain, HoldInPrModeDefaultsToTheAutoKey) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/sdc"}), 0);
  ASSERT_EQ(h.module.holds.size(), 1U);
  EXPECT_EQ(h.module.holds[0].key, h.machine_key);
}

TEST(RunMain, HoldInScsi2ModeSendsNoKey) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/sdc", "--mode", "scsi2", "--cdb", "6", "--allow-reset-window"}),
            0);
  ASSERT_EQ(h.module.holds.size(), 1U);
  EXPECT_FALSE(h.module.holds[0].key);
  EXPECT_EQ(h.module.holds[0].cdb_len, 6);
  EXPECT_FALSE(h.module.holds[0].epoch_lba);
}

TEST(RunMain, HoldInScsi2ModeSendsTheEpochLba) {
  Harness h;
  EXPECT_EQ(h.run({"hold", "/dev/sdc", "--mode", "scsi2", "--epoch-lba", "8"}), 0) << h.err.str();
  ASSERT_EQ(h.module.holds.size(), 1U);
  EXPECT_EQ(h.module.holds[0].epoch_lba, 8U);
}

TEST(RunMain, Scsi2NeedsAnEpochOrTheAcknowledgement) {
  Harness a;
  EXPECT_EQ(a.run({"hold", "/dev/sdc", "--mode", "scsi2"}), 2);
  EXPECT_EQ(a.err.str(),
            "resfencectl: hold: scsi2 without a takeover epoch leaves a window open: after a "
            "takeover, a reset can hand the disk back to a node that was stalled through it, and "
            "the new owner is fenced (Documentation/timing.md); give --epoch-lba LBA (a block set "
            "aside for resfence), use --mode pr, or accept the window with "
            "--allow-reset-window\n");
  EXPECT_TRUE(a.module.holds.empty());
  Harness b;
  EXPECT_EQ(
      b.run({"hold", "/dev/sdc", "--mode", "scsi2", "--epoch-lba", "8", "--allow-reset-window"}),
      2);
  EXPECT_NE(b.err.str().find("exclude each other"), std::string::npos) << b.err.str();
  Harness c;
  EXPECT_EQ(c.run({"hold", "/dev/sdc", "--epoch-lba", "8"}), 2);  // module default is pr
  EXPECT_EQ(c.err.str(),
            "resfencectl: hold: --epoch-lba needs --mode scsi2 (a persistent reservation survives "
            "resets)\n");
  Harness d;
  EXPECT_EQ(d.run({"hold", "/dev/sdc", "--allow-reset-window"}), 2);
  EXPECT_EQ(d.err.str(), "resfencectl: hold: --allow-reset-window needs --mode scsi2\n");
}

TEST(RunMain, HoldAptplInPrModeOnly) {
  Harness a;
  EXPECT_EQ(a.run({"hold", "/dev/sdc", "--key", "0x10", "--aptpl"}), 0) << a.err.str();
  ASSERT_EQ(a.module.holds.size(), 1U);
  EXPECT_TRUE(a.module.holds[0].aptpl);
  Harness b;
  EXPECT_EQ(b.run({"hold", "/dev/sdc", "--key", "0x10"}), 0) << b.err.str();
  ASSERT_EQ(b.module.holds.size(), 1U);
  EXPECT_FALSE(b.module.holds[0].aptpl);
  Harness c;
  EXPECT_EQ(c.run({"hold", "/dev/sdc", "--mode", "scsi2", "--epoch-lba", "8", "--aptpl"}), 2);
  EXPECT_EQ(c.err.str(),
            "resfencectl: hold: --aptpl needs --mode pr (no target keeps a SCSI-2 reservation "
            "through its restart; the takeover epoch covers that)\n");
  EXPECT_TRUE(c.module.holds.empty());
}

TEST(Parse, EpochLba) {
  EXPECT_EQ(parse_epoch_lba_option("0"), 0U);
  EXPECT_EQ(parse_epoch_lba_option("2048"), 2048U);
  EXPECT_EQ(parse_epoch_lba_option("0x800"), 2048U);
  EXPECT_EQ(parse_epoch_lba_option("4294967295"), 4294967295U);
  for (const char* bad : {"", "-1", "8x", "0x", "x8", "4294967296", "18446744073709551616", " 8"})
    EXPECT_THROW(parse_epoch_lba_option(bad), CLI::ValidationError) << bad;
}

TEST(RunMain, ModeSpecificOptionsAreChecked) {
  Harness a;
  EXPECT_EQ(a.run({"hold", "/dev/sdc", "--mode", "scsi2", "--key", "5"}), 2);
  EXPECT_EQ(a.err.str(), "resfencectl: hold: --key needs --mode pr\n");
  Harness b;
  EXPECT_EQ(b.run({"hold", "/dev/sdc", "--cdb", "10"}), 2);  // module default is pr
  EXPECT_EQ(b.err.str(), "resfencectl: hold: --cdb needs --mode scsi2\n");
  Harness c;
  EXPECT_EQ(c.run({"hold", "/dev/sdc", "--interval", "2", "--lease", "2"}), 2);
  EXPECT_EQ(c.err.str(), "resfencectl: hold: --lease must be longer than --interval (or 0)\n");
  EXPECT_TRUE(c.module.holds.empty());
}

TEST(RunMain, HoldConflictIsHeldElsewhereWithKernelMessage) {
  Harness h;
  h.module.hold_error = NetlinkError(EBUSY, "reservation conflict: another node holds sdc");
  EXPECT_EQ(h.run({"hold", "/dev/sdc"}), 4);
  EXPECT_EQ(h.err.str(),
            "resfencectl: hold: /dev/sdc: Device or resource busy: reservation conflict: another "
            "node holds sdc\n");
}

TEST(RunMain, KernelValidationMessageIsShown) {
  Harness h;
  h.module.hold_error = NetlinkError(ERANGE, "interval_ms out of range (100..3600000)");
  EXPECT_EQ(h.run({"hold", "/dev/sdc"}), 1);
  EXPECT_EQ(h.err.str(),
            "resfencectl: hold: /dev/sdc: Numerical result out of range: interval_ms out of "
            "range (100..3600000)\n");
}

TEST(RunMain, AutoKeyFailureIsReported) {
  Harness h;
  Context ctx = h.context();
  ctx.auto_key = []() -> uint64_t { throw std::runtime_error("/etc/machine-id: cannot read"); };
  EXPECT_EQ(run_main({"hold", "/dev/sdc", "--key", "auto"}, ctx), 1);
  EXPECT_EQ(h.err.str(), "resfencectl: hold: --key auto: /etc/machine-id: cannot read\n");
}

TEST(RunMain, ReleaseOfADeviceNotHeld) {
  Harness h;
  h.module.release_error = NetlinkError(ENOENT, "sdc is not held");
  EXPECT_EQ(h.run({"release", "/dev/sdc"}), 8);
  EXPECT_EQ(h.err.str(),
            "resfencectl: release: /dev/sdc: No such file or directory: sdc is not held\n");
  Harness ok;
  EXPECT_EQ(ok.run({"release", "/dev/sdc"}), 0);
  EXPECT_EQ(ok.out.str(), "released /dev/sdc\n");
}

TEST(RunMain, StatusJsonIsValidJson) {
  Harness h;
  HoldRequest r;
  r.dev = {8, 32};
  r.mode = RESFENCE_MODE_PR;
  r.key = 5;
  h.module.devices.push_back(h.module.device_for(r));
  EXPECT_EQ(h.run({"status", "--json"}), 0);
  const auto j = nlohmann::json::parse(h.out.str());
  EXPECT_EQ(j.at("devices").size(), 1U);
  EXPECT_EQ(j.at("devices")[0].at("key"), "0x0000000000000005");
  EXPECT_EQ(h.module.calls, (std::vector<std::string>{"get_info", "list_devices"}));
}

TEST(RunMain, StatusOfOneDeviceNotHeld) {
  Harness h;
  EXPECT_EQ(h.run({"status", "/dev/sdc"}), 8);
  EXPECT_EQ(h.err.str(),
            "resfencectl: status: /dev/sdc: No such file or directory: device not held\n");
}

TEST(RunMain, KeysTextAndJson) {
  Harness h;
  h.module.keys_replies = {{{8, 32}, 3, {0x5}}};
  h.module.reservation_replies = {{{8, 32}, 3, 0x5, RESFENCE_PR_WRITE_EXCLUSIVE}};
  EXPECT_EQ(h.run({"keys", "/dev/sdc", "--json"}), 0);
  const auto j = nlohmann::json::parse(h.out.str());
  EXPECT_EQ(j.at("generation"), 3);
  EXPECT_EQ(j.at("reservation").at("holder"), "0x0000000000000005");
  EXPECT_EQ(j.at("device"), "/dev/sdc");
}

TEST(RunMain, ResetIssuesTheIoctlAtTheLevel) {
  Harness h;
  EXPECT_EQ(h.run({"reset", "/dev/sdc", "--level", "target"}), 0);
  ASSERT_EQ(h.resets.size(), 1U);
  EXPECT_EQ(h.resets[0].second, ResetLevel::kTarget);
  EXPECT_EQ(h.out.str(), "reset /dev/sdc: target reset done\n");
  EXPECT_TRUE(h.module.calls.empty());  // reset does not need the module
}

TEST(RunMain, ResetPermissionDenied) {
  Harness h;
  h.reset_errno = EACCES;
  EXPECT_EQ(h.run({"reset", "/dev/sdc"}), 7);
  EXPECT_EQ(h.err.str(), "resfencectl: reset: /dev/sdc: lun reset: Permission denied\n");
}

TEST(RunMain, ResetIoError) {
  Harness h;
  h.reset_errno = EIO;
  EXPECT_EQ(h.run({"reset", "/dev/sdc", "--level", "bus"}), 1);
  EXPECT_EQ(h.err.str(), "resfencectl: reset: /dev/sdc: bus reset: Input/output error\n");
}

TEST(RunMain, MonitorPrintsEachEventUntilInterrupted) {
  Harness h;
  Event held;
  held.event = RESFENCE_EVENT_HELD;
  held.dev = {8, 32};
  held.disk_name = "sdc";
  held.key = 5;
  Event released = held;
  released.event = RESFENCE_EVENT_RELEASED;
  released.key.reset();
  h.events = {{held}, {released}};
  EXPECT_EQ(h.run({"monitor"}), 0);
  EXPECT_EQ(h.out.str(),
            "2025-01-02T03:04:05.678+00:00 held sdc 8:32 key=0x0000000000000005\n"
            "2025-01-02T03:04:05.678+00:00 released sdc 8:32\n");
}

TEST(RunMain, MonitorJsonIsOneObjectPerLine) {
  Harness h;
  Event e;
  e.event = RESFENCE_EVENT_LEASE_EXPIRED;
  e.dev = {8, 32};
  e.disk_name = "sdc";
  h.events = {{e, e}};
  EXPECT_EQ(h.run({"monitor", "--json"}), 0);
  std::istringstream lines(h.out.str());
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(nlohmann::json::parse(line).at("event"), "lease-expired");
    ++n;
  }
  EXPECT_EQ(n, 2);
}

TEST(RunMain, MonitorWithoutModule) {
  Harness h;
  h.module_loaded = false;
  EXPECT_EQ(h.run({"monitor"}), 6);
}

}  // namespace
}  // namespace resfence
