#include <gtest/gtest.h>

#include <cerrno>

#include "names.h"
#include "output/json.h"
#include "output/table.h"
#include "output/text.h"

namespace resfence {
namespace {

DeviceInfo sample_device() {
  DeviceInfo d;
  d.dev = {8, 32};
  d.disk_name = "sdc";
  d.mode = RESFENCE_MODE_PR;
  d.state = RESFENCE_STATE_ARMED;
  d.key = 0xab;
  d.pr_type = RESFENCE_PR_WRITE_EXCLUSIVE;
  d.interval_ms = 2000;
  d.lease_ms = 4000;
  d.action = RESFENCE_ACTION_RESTART;
  d.cdb_len = 0;
  d.stats.refresh_ok = 10;
  d.stats.refresh_failed = 1;
  d.stats.conflicts = 0;
  d.stats.last_latency_us = 250;
  d.stats.worst_latency_us = 900;
  d.stats.worst_lateness_us = 40;
  d.stats.last_ok_age_ms = 1500;
  d.stats.verify_conflicts = 3;
  return d;
}

ModuleInfo sample_info() {
  return {"0.1.0", 1, 2000, 4000, RESFENCE_ACTION_RESTART, RESFENCE_MODE_PR, true};
}

TEST(Table, AlignsColumnsWithoutTrailingSpaces) {
  Table t({"A", "LONGER", "C"});
  t.add_row({"xxxx", "y", ""});
  t.add_row({"z"});
  EXPECT_EQ(t.render(),
            "A     LONGER  C\n"
            "xxxx  y\n"
            "z\n");
}

TEST(Table, RowWiderThanHeaderIsAnError) {
  Table t({"A"});
  EXPECT_THROW(t.add_row({"1", "2"}), std::invalid_argument);
}

TEST(Names, RoundTrip) {
  for (auto t : {RESFENCE_PR_WRITE_EXCLUSIVE, RESFENCE_PR_EXCLUSIVE_ACCESS,
                 RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY, RESFENCE_PR_EXCLUSIVE_ACCESS_REG_ONLY,
                 RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS, RESFENCE_PR_EXCLUSIVE_ACCESS_ALL_REGS})
    EXPECT_EQ(parse_pr_type(pr_type_name(t)), t);
  EXPECT_EQ(parse_mode("scsi2"), RESFENCE_MODE_SCSI2);
  EXPECT_EQ(parse_action("panic"), RESFENCE_ACTION_PANIC);
  EXPECT_FALSE(parse_mode("PR"));
  EXPECT_EQ(mode_name(9), "unknown(9)");
  EXPECT_EQ(event_name(200), "unknown(200)");
  EXPECT_EQ(format_key(0xab), "0x00000000000000ab");
  EXPECT_EQ(format_key(UINT64_MAX), "0xffffffffffffffff");
}

TEST(Json, StatusSchema) {
  const auto j = status_json(sample_info(), {sample_device()});
  const auto expected = nlohmann::ordered_json::parse(R"({
    "module": {
      "version": "0.1.0", "genl_family": "resfence", "genl_version": 1, "held_count": 1,
      "defaults": {"mode": "pr", "interval_ms": 2000, "lease_ms": 4000, "lease_auto": true,
                   "action": "restart"}
    },
    "devices": [{
      "name": "sdc", "major": 8, "minor": 32, "mode": "pr", "state": "armed",
      "key": "0x00000000000000ab", "pr_type": "we", "interval_ms": 2000, "lease_ms": 4000,
      "action": "restart", "cdb_len": 0, "epoch_lba": null, "epoch": null, "aptpl": false,
      "stats": {"refresh_ok": 10, "refresh_failed": 1, "conflicts": 0, "last_latency_us": 250,
                "worst_latency_us": 900, "worst_lateness_us": 40, "last_ok_age_ms": 1500,
                "verify_conflicts": 3},
      "paths": []
    }]
  })");
  EXPECT_EQ(j, expected);
}

TEST(Json, MissingValuesAreNullNotAbsent) {
  DeviceInfo d;
  d.dev = {8, 0};
  const auto j = device_json(d);
  EXPECT_TRUE(j.at("key").is_null());
  EXPECT_TRUE(j.at("mode").is_null());
  EXPECT_TRUE(j.at("stats").at("refresh_ok").is_null());
  EXPECT_EQ(j.at("name"), "");
}

TEST(Json, EmptyStatusHasEmptyDeviceArray) {
  const auto j = status_json(sample_info(), {});
  EXPECT_TRUE(j.at("devices").is_array());
  EXPECT_TRUE(j.at("devices").empty());
}

TEST(Json, KeysSchema) {
  const KeysInfo k{{8, 32}, 7, {0xab, 0xcd}};
  const ReservationInfo r{{8, 32}, 7, 0xab, RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY};
  EXPECT_EQ(keys_json("/dev/sdc", "sdc", k, r), nlohmann::ordered_json::parse(R"({
    "device": "/dev/sdc", "name": "sdc", "major": 8, "minor": 32, "generation": 7,
    "keys": ["0x00000000000000ab", "0x00000000000000cd"],
    "reservation": {"holder": "0x00000000000000ab", "type": "we-ro"}
  })"));
  const ReservationInfo none{{8, 32}, 7, std::nullopt, std::nullopt};
  EXPECT_TRUE(keys_json("/dev/sdc", "sdc", {{8, 32}, 7, {}}, none).at("reservation").is_null());
}

TEST(Json, EventSchema) {
  Event e;
  e.event = RESFENCE_EVENT_LEASE_EXPIRED;
  e.dev = {8, 32};
  e.disk_name = "sdc";
  e.error = -EIO;
  e.reason = "no good refresh for 4000 ms";
  EXPECT_EQ(event_json(e, "T"), nlohmann::ordered_json::parse(R"({
    "time": "T", "event": "lease-expired", "name": "sdc", "major": 8, "minor": 32,
    "key": null, "errno": -5, "reason": "no good refresh for 4000 ms"
  })"));
}

TEST(Text, StatusWithoutDevices) {
  EXPECT_EQ(status_text(sample_info(), {}),
            "module:   scsi_resfence 0.1.0 (genl family resfence, version 1)\n"
            "defaults: mode pr, interval 2 s, lease 4 s (2 x interval), action restart\n"
            "held:     0 devices\n");
}

TEST(Text, FixedDefaultLeaseHasNoAutoNote) {
  ModuleInfo info = sample_info();
  info.lease_auto = false;
  info.lease_ms = 0;
  EXPECT_NE(
      status_text(info, {}).find("defaults: mode pr, interval 2 s, lease off, action restart\n"),
      std::string::npos);
}

TEST(Text, StatusWithADevice) {
  const std::string s = status_text(sample_info(), {sample_device()});
  EXPECT_NE(s.find("held:     1 device\n\n"), std::string::npos);
  EXPECT_NE(s.find("DEVICE  MAJ:MIN  MODE  STATE  KEY"), std::string::npos);
  EXPECT_NE(s.find("sdc     8:32     pr    armed  0x00000000000000ab  we"), std::string::npos);
}

TEST(Text, KeysTable) {
  const KeysInfo k{{8, 32}, 7, {0xab, 0xcd}};
  const ReservationInfo r{{8, 32}, 7, 0xab, RESFENCE_PR_WRITE_EXCLUSIVE};
  EXPECT_EQ(keys_text("/dev/sdc", k, r),
            "/dev/sdc (8:32): PR generation 7, reserved by 0x00000000000000ab, type we "
            "(write exclusive)\n"
            "KEY                 HOLDER\n"
            "0x00000000000000ab  yes\n"
            "0x00000000000000cd\n");
  EXPECT_EQ(keys_text("/dev/sdc", {{8, 32}, 0, {}}, {{8, 32}, 0, std::nullopt, std::nullopt}),
            "/dev/sdc (8:32): PR generation 0, no reservation\nno registered keys\n");
}

TEST(Text, HeldLine) {
  EXPECT_EQ(held_line("held", "/dev/sdc", sample_device()),
            "held /dev/sdc (sdc 8:32): mode pr, key 0x00000000000000ab, type we, interval 2 s, "
            "lease 4 s, action restart");
  DeviceInfo s2 = sample_device();
  s2.mode = RESFENCE_MODE_SCSI2;
  s2.lease_ms = 0;
  s2.cdb_len = 6;
  EXPECT_EQ(held_line("held", "/dev/sdc", s2),
            "held /dev/sdc (sdc 8:32): mode scsi2, cdb 6, interval 2 s, lease off, action restart");
  s2.epoch_lba = 2048;
  s2.epoch = 7;
  EXPECT_EQ(held_line("held", "/dev/sdc", s2),
            "held /dev/sdc (sdc 8:32): mode scsi2, cdb 6, epoch 7 at LBA 2048, interval 2 s, lease "
            "off, action restart");
  EXPECT_EQ(device_json(s2).at("epoch"), 7);
  EXPECT_EQ(device_json(s2).at("epoch_lba"), 2048);
}

TEST(Text, EventLine) {
  Event e;
  e.event = RESFENCE_EVENT_REFRESH_FAILED;
  e.dev = {8, 32};
  e.disk_name = "sdc";
  e.error = -EIO;
  e.reason = "timeout";
  EXPECT_EQ(event_line(e, "T"),
            "T refresh-failed sdc 8:32 errno=-5 (Input/output error) reason=\"timeout\"");
}

}  // namespace
}  // namespace resfence
