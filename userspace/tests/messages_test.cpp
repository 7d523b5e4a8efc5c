#include "netlink/messages.h"

#include <gtest/gtest.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <cerrno>

#include "errors.h"

namespace resfence::nl {
namespace {

constexpr int kFamily = 0x1f;

// A reply as the module builds it: genl header for `cmd`, attributes added by
// the test. u64s use nla_put_u64 (the kernel pads with RESFENCE_A_PAD; the
// parser must not care either way).
Msg reply(uint8_t cmd) { return build_request(kFamily, cmd); }

TEST(Messages, RequestHeader) {
  Msg m = build_get_info(kFamily);
  nlmsghdr* h = nlmsg_hdr(m.get());
  EXPECT_EQ(h->nlmsg_type, kFamily);
  EXPECT_EQ(genl_command(h), RESFENCE_CMD_GET_INFO);
  EXPECT_EQ(static_cast<genlmsghdr*>(nlmsg_data(h))->version, RESFENCE_GENL_VERSION);
  EXPECT_EQ(genlmsg_attrlen(static_cast<genlmsghdr*>(nlmsg_data(h)), 0), 0);
}

TEST(Messages, DumpRequestHasDumpFlag) {
  Msg m = build_get_device_dump(kFamily);
  nlmsghdr* h = nlmsg_hdr(m.get());
  EXPECT_EQ(h->nlmsg_flags & NLM_F_DUMP, NLM_F_DUMP);
  EXPECT_EQ(genl_command(h), RESFENCE_CMD_GET_DEVICE);
}

TEST(Messages, HoldRoundTripsEveryField) {
  HoldRequest req;
  req.dev = {8, 32};
  req.mode = RESFENCE_MODE_PR;
  req.key = 0xfedcba9876543210ULL;
  req.pr_type = RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY;
  req.interval_ms = 500;
  req.lease_ms = 1500;
  req.action = RESFENCE_ACTION_LOG;
  req.cdb_len = 10;
  Msg m = build_hold(kFamily, RESFENCE_CMD_HOLD, req);
  nlmsghdr* h = nlmsg_hdr(m.get());
  EXPECT_EQ(genl_command(h), RESFENCE_CMD_HOLD);
  const HoldRequest back = parse_hold_request(h);
  EXPECT_EQ(back.dev, req.dev);
  EXPECT_EQ(back.mode, req.mode);
  EXPECT_EQ(back.key, req.key);
  EXPECT_EQ(back.pr_type, req.pr_type);
  EXPECT_EQ(back.interval_ms, req.interval_ms);
  EXPECT_EQ(back.lease_ms, req.lease_ms);
  EXPECT_EQ(back.action, req.action);
  EXPECT_EQ(back.cdb_len, req.cdb_len);
  EXPECT_FALSE(back.victim_key);
  EXPECT_FALSE(back.abort);
  EXPECT_FALSE(back.epoch_lba);
}

TEST(Messages, HoldCarriesTheMapsPathsInOrder) {
  HoldRequest req;
  req.dev = {254, 0};
  req.mode = RESFENCE_MODE_PR;
  req.key = 0xa1;
  req.paths = {{8, 0}, {8, 32}, {65, 16}};
  Msg m = build_hold(kFamily, RESFENCE_CMD_HOLD, req);
  const HoldRequest back = parse_hold_request(nlmsg_hdr(m.get()));
  EXPECT_EQ(back.dev, req.dev);
  ASSERT_EQ(back.paths.size(), 3U);
  EXPECT_EQ(back.paths[0], (DeviceId{8, 0}));
  EXPECT_EQ(back.paths[1], (DeviceId{8, 32}));
  EXPECT_EQ(back.paths[2], (DeviceId{65, 16}));
}

TEST(Messages, SingleDiskHoldHasNoPaths) {
  HoldRequest req;
  req.dev = {8, 32};
  Msg m = build_hold(kFamily, RESFENCE_CMD_HOLD, req);
  nlmsghdr* h = nlmsg_hdr(m.get());
  EXPECT_EQ(genlmsg_attrlen(static_cast<genlmsghdr*>(nlmsg_data(h)), 0), 16);
  EXPECT_TRUE(parse_hold_request(h).paths.empty());
}

TEST(Messages, HoldCarriesTheEpochLba) {
  HoldRequest req;
  req.dev = {8, 32};
  req.mode = RESFENCE_MODE_SCSI2;
  req.epoch_lba = 0xffffffffULL;
  Msg m = build_hold(kFamily, RESFENCE_CMD_HOLD, req);
  EXPECT_EQ(parse_hold_request(nlmsg_hdr(m.get())).epoch_lba, 0xffffffffULL);
}

TEST(Messages, HoldOmitsUnsetFieldsSoTheModuleDefaultsApply) {
  HoldRequest req;
  req.dev = {65, 0};
  Msg m = build_hold(kFamily, RESFENCE_CMD_HOLD, req);
  nlmsghdr* h = nlmsg_hdr(m.get());
  // Exactly DEV_MAJOR and DEV_MINOR: two u32 attributes of 8 bytes each.
  EXPECT_EQ(genlmsg_attrlen(static_cast<genlmsghdr*>(nlmsg_data(h)), 0), 16);
  const HoldRequest back = parse_hold_request(h);
  EXPECT_EQ(back.dev, (DeviceId{65, 0}));
  EXPECT_FALSE(back.mode);
  EXPECT_FALSE(back.key);
  EXPECT_FALSE(back.interval_ms);
  EXPECT_FALSE(back.lease_ms);
}

TEST(Messages, HoldNeverCarriesPreemptAttributes) {
  HoldRequest req;
  req.dev = {8, 0};
  req.victim_key = 7;
  req.abort = true;
  const HoldRequest back =
      parse_hold_request(nlmsg_hdr(build_hold(kFamily, RESFENCE_CMD_HOLD, req).get()));
  EXPECT_FALSE(back.victim_key);
  EXPECT_FALSE(back.abort);
}

TEST(Messages, PreemptCarriesVictimAndAbort) {
  HoldRequest req;
  req.dev = {8, 16};
  req.key = 1;
  req.victim_key = 0xabcULL;
  req.abort = true;
  Msg m = build_hold(kFamily, RESFENCE_CMD_PREEMPT, req);
  nlmsghdr* h = nlmsg_hdr(m.get());
  EXPECT_EQ(genl_command(h), RESFENCE_CMD_PREEMPT);
  const HoldRequest back = parse_hold_request(h);
  EXPECT_EQ(back.victim_key, 0xabcULL);
  EXPECT_TRUE(back.abort);
  EXPECT_EQ(back.key, 1U);
}

// EVICT carries only the device, the victim and ABORT: the module's policy
// for it refuses every other attribute, and the key and type are the hold's.
TEST(Messages, EvictCarriesOnlyDeviceVictimAndAbort) {
  HoldRequest req;
  req.dev = {8, 16};
  req.mode = RESFENCE_MODE_PR;
  req.key = 1;
  req.pr_type = RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS;
  req.victim_key = 0xabcULL;
  req.abort = true;
  Msg m = build_evict(kFamily, req);
  nlmsghdr* h = nlmsg_hdr(m.get());
  EXPECT_EQ(genl_command(h), RESFENCE_CMD_EVICT);
  const HoldRequest back = parse_hold_request(h);
  EXPECT_EQ(back.dev, (DeviceId{8, 16}));
  EXPECT_EQ(back.victim_key, 0xabcULL);
  EXPECT_TRUE(back.abort);
  EXPECT_FALSE(back.key);
  EXPECT_FALSE(back.mode);
  EXPECT_FALSE(back.pr_type);
}

TEST(Messages, DeviceRequest) {
  Msg m = build_device_request(kFamily, RESFENCE_CMD_RELEASE, {8, 48});
  nlmsghdr* h = nlmsg_hdr(m.get());
  EXPECT_EQ(genl_command(h), RESFENCE_CMD_RELEASE);
  EXPECT_EQ(parse_hold_request(h).dev, (DeviceId{8, 48}));
}

TEST(Messages, ParseModuleInfo) {
  Msg m = reply(RESFENCE_CMD_GET_INFO);
  nla_put_string(m.get(), RESFENCE_A_VERSION, "0.1.0");
  nla_put_u32(m.get(), RESFENCE_A_HELD_COUNT, 2);
  nla_put_u32(m.get(), RESFENCE_A_INTERVAL_MS, 2000);
  nla_put_u32(m.get(), RESFENCE_A_LEASE_MS, 4000);
  nla_put_u8(m.get(), RESFENCE_A_ACTION, RESFENCE_ACTION_RESTART);
  nla_put_u8(m.get(), RESFENCE_A_MODE, RESFENCE_MODE_SCSI2);
  const ModuleInfo info = parse_module_info(nlmsg_hdr(m.get()));
  EXPECT_EQ(info.version, "0.1.0");
  EXPECT_EQ(info.held_count, 2U);
  EXPECT_EQ(info.interval_ms, 2000U);
  EXPECT_EQ(info.lease_ms, 4000U);
  EXPECT_EQ(info.action, RESFENCE_ACTION_RESTART);
  EXPECT_EQ(info.mode, RESFENCE_MODE_SCSI2);
  EXPECT_FALSE(info.lease_auto);
}

TEST(Messages, ParseModuleInfoWithAutomaticLease) {
  Msg m = reply(RESFENCE_CMD_GET_INFO);
  nla_put_string(m.get(), RESFENCE_A_VERSION, "0.1.0");
  nla_put_u32(m.get(), RESFENCE_A_LEASE_MS, 4000);
  nla_put_flag(m.get(), RESFENCE_A_LEASE_AUTO);
  const ModuleInfo info = parse_module_info(nlmsg_hdr(m.get()));
  EXPECT_TRUE(info.lease_auto);
  EXPECT_EQ(info.lease_ms, 4000U);
}

TEST(Messages, ParseDeviceReplyWithStats) {
  Msg m = reply(RESFENCE_CMD_GET_DEVICE);
  nl_msg* p = m.get();
  nla_put_u32(p, RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(p, RESFENCE_A_DEV_MINOR, 32);
  nla_put_string(p, RESFENCE_A_DISK_NAME, "sdc");
  nla_put_u8(p, RESFENCE_A_MODE, RESFENCE_MODE_PR);
  nla_put_u8(p, RESFENCE_A_STATE, RESFENCE_STATE_ARMED);
  nla_put_u64(p, RESFENCE_A_KEY, 0x1122334455667788ULL);
  nla_put_u8(p, RESFENCE_A_PR_TYPE, RESFENCE_PR_EXCLUSIVE_ACCESS);
  nla_put_u32(p, RESFENCE_A_INTERVAL_MS, 500);
  nla_put_u32(p, RESFENCE_A_LEASE_MS, 0);
  nla_put_u8(p, RESFENCE_A_ACTION, RESFENCE_ACTION_PANIC);
  nla_put_u8(p, RESFENCE_A_CDB_LEN, 0);
  nlattr* stats = nla_nest_start(p, RESFENCE_A_STATS);
  nla_put_u64(p, RESFENCE_STAT_REFRESH_OK, 1234);
  nla_put_u64(p, RESFENCE_STAT_REFRESH_FAILED, 2);
  nla_put_u64(p, RESFENCE_STAT_CONFLICTS, 0);
  nla_put_u64(p, RESFENCE_STAT_LAST_LATENCY_US, 310);
  nla_put_u64(p, RESFENCE_STAT_WORST_LATENCY_US, 9000);
  nla_put_u64(p, RESFENCE_STAT_WORST_LATENESS_US, 1500);
  nla_put_u64(p, RESFENCE_STAT_LAST_OK_AGE_MS, 120);
  nla_put_u64(p, RESFENCE_STAT_VERIFY_CONFLICTS, 4);
  nla_nest_end(p, stats);

  const DeviceInfo d = parse_device(nlmsg_hdr(p));
  EXPECT_EQ(d.dev, (DeviceId{8, 32}));
  EXPECT_EQ(d.disk_name, "sdc");
  EXPECT_EQ(d.mode, RESFENCE_MODE_PR);
  EXPECT_EQ(d.state, RESFENCE_STATE_ARMED);
  EXPECT_EQ(d.key, 0x1122334455667788ULL);
  EXPECT_EQ(d.pr_type, RESFENCE_PR_EXCLUSIVE_ACCESS);
  EXPECT_EQ(d.interval_ms, 500U);
  EXPECT_EQ(d.lease_ms, 0U);
  EXPECT_EQ(d.action, RESFENCE_ACTION_PANIC);
  EXPECT_EQ(d.cdb_len, 0);
  EXPECT_EQ(d.stats.refresh_ok, 1234U);
  EXPECT_EQ(d.stats.refresh_failed, 2U);
  EXPECT_EQ(d.stats.conflicts, 0U);
  EXPECT_EQ(d.stats.last_latency_us, 310U);
  EXPECT_EQ(d.stats.worst_latency_us, 9000U);
  EXPECT_EQ(d.stats.worst_lateness_us, 1500U);
  EXPECT_EQ(d.stats.last_ok_age_ms, 120U);
  EXPECT_EQ(d.stats.verify_conflicts, 4U);
}

TEST(Messages, ParseDeviceWithoutOptionalAttributes) {
  Msg m = reply(RESFENCE_CMD_GET_DEVICE);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MINOR, 0);
  const DeviceInfo d = parse_device(nlmsg_hdr(m.get()));
  EXPECT_EQ(d.dev, (DeviceId{8, 0}));
  EXPECT_TRUE(d.disk_name.empty());
  EXPECT_FALSE(d.key);
  EXPECT_FALSE(d.epoch);
  EXPECT_FALSE(d.epoch_lba);
  EXPECT_FALSE(d.stats.refresh_ok);
}

TEST(Messages, ParseScsi2DeviceWithEpoch) {
  Msg m = reply(RESFENCE_CMD_GET_DEVICE);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MINOR, 0);
  nla_put_u64(m.get(), RESFENCE_A_EPOCH_LBA, 2048);
  nla_put_u64(m.get(), RESFENCE_A_EPOCH, 5);
  const DeviceInfo d = parse_device(nlmsg_hdr(m.get()));
  EXPECT_EQ(d.epoch_lba, 2048U);
  EXPECT_EQ(d.epoch, 5U);
}

TEST(Messages, MissingDeviceIsMalformed) {
  Msg m = reply(RESFENCE_CMD_GET_DEVICE);
  nla_put_string(m.get(), RESFENCE_A_DISK_NAME, "sdc");
  try {
    parse_device(nlmsg_hdr(m.get()));
    FAIL();
  } catch (const NetlinkError& e) {
    EXPECT_EQ(e.error(), EPROTO);
    EXPECT_NE(e.extack().find("DEV_MAJOR"), std::string::npos);
  }
}

TEST(Messages, AttributeOfTheWrongSizeFailsThePolicy) {
  Msg m = reply(RESFENCE_CMD_GET_DEVICE);
  nla_put_u8(m.get(), RESFENCE_A_DEV_MAJOR, 8);  // u32 expected
  nla_put_u32(m.get(), RESFENCE_A_DEV_MINOR, 0);
  EXPECT_THROW(parse_device(nlmsg_hdr(m.get())), NetlinkError);
}

TEST(Messages, UnterminatedStringFailsThePolicy) {
  Msg m = reply(RESFENCE_CMD_GET_INFO);
  const char raw[3] = {'a', 'b', 'c'};
  nla_put(m.get(), RESFENCE_A_VERSION, sizeof raw, raw);
  EXPECT_THROW(parse_module_info(nlmsg_hdr(m.get())), NetlinkError);
}

TEST(Messages, ParseKeys) {
  Msg m = reply(RESFENCE_CMD_READ_KEYS);
  nl_msg* p = m.get();
  nla_put_u32(p, RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(p, RESFENCE_A_DEV_MINOR, 32);
  nla_put_u32(p, RESFENCE_A_PR_GENERATION, 41);
  nlattr* keys = nla_nest_start(p, RESFENCE_A_KEYS);
  nla_put_u64(p, RESFENCE_A_KEYS_KEY, 0xaa);
  nla_put_u64(p, RESFENCE_A_KEYS_KEY, 0xbb);
  nla_put_u64(p, RESFENCE_A_KEYS_KEY, 0xaa);  // one key per I_T nexus: repeats happen
  nla_nest_end(p, keys);
  const KeysInfo k = parse_keys(nlmsg_hdr(p));
  EXPECT_EQ(k.dev, (DeviceId{8, 32}));
  EXPECT_EQ(k.generation, 41U);
  EXPECT_EQ(k.keys, (std::vector<uint64_t>{0xaa, 0xbb, 0xaa}));
}

TEST(Messages, ParseKeysWithNoneRegistered) {
  Msg m = reply(RESFENCE_CMD_READ_KEYS);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MINOR, 32);
  nla_put_u32(m.get(), RESFENCE_A_PR_GENERATION, 0);
  nlattr* keys = nla_nest_start(m.get(), RESFENCE_A_KEYS);
  nla_nest_end(m.get(), keys);
  EXPECT_TRUE(parse_keys(nlmsg_hdr(m.get())).keys.empty());
}

TEST(Messages, KeysNeedAGeneration) {
  Msg m = reply(RESFENCE_CMD_READ_KEYS);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MINOR, 32);
  EXPECT_THROW(parse_keys(nlmsg_hdr(m.get())), NetlinkError);
}

TEST(Messages, BadKeyInNestIsMalformed) {
  Msg m = reply(RESFENCE_CMD_READ_KEYS);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MINOR, 32);
  nla_put_u32(m.get(), RESFENCE_A_PR_GENERATION, 1);
  nlattr* keys = nla_nest_start(m.get(), RESFENCE_A_KEYS);
  nla_put_u32(m.get(), RESFENCE_A_KEYS_KEY, 5);
  nla_nest_end(m.get(), keys);
  EXPECT_THROW(parse_keys(nlmsg_hdr(m.get())), NetlinkError);
}

TEST(Messages, ParseReservationHeldAndFree) {
  Msg held = reply(RESFENCE_CMD_READ_RESERVATION);
  nla_put_u32(held.get(), RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(held.get(), RESFENCE_A_DEV_MINOR, 32);
  nla_put_u32(held.get(), RESFENCE_A_PR_GENERATION, 9);
  nla_put_u64(held.get(), RESFENCE_A_HOLDER_KEY, 0x42);
  nla_put_u8(held.get(), RESFENCE_A_PR_TYPE, RESFENCE_PR_WRITE_EXCLUSIVE);
  const ReservationInfo r = parse_reservation(nlmsg_hdr(held.get()));
  EXPECT_EQ(r.generation, 9U);
  EXPECT_EQ(r.holder_key, 0x42U);
  EXPECT_EQ(r.pr_type, RESFENCE_PR_WRITE_EXCLUSIVE);

  Msg free_ = reply(RESFENCE_CMD_READ_RESERVATION);
  nla_put_u32(free_.get(), RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(free_.get(), RESFENCE_A_DEV_MINOR, 32);
  nla_put_u32(free_.get(), RESFENCE_A_PR_GENERATION, 3);
  const ReservationInfo f = parse_reservation(nlmsg_hdr(free_.get()));
  EXPECT_EQ(f.generation, 3U);
  EXPECT_FALSE(f.holder_key);
  EXPECT_FALSE(f.pr_type);
}

TEST(Messages, ParseEvent) {
  Msg m = reply(RESFENCE_CMD_EVENT);
  nla_put_u8(m.get(), RESFENCE_A_EVENT, RESFENCE_EVENT_REFRESH_FAILED);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MINOR, 32);
  nla_put_string(m.get(), RESFENCE_A_DISK_NAME, "sdc");
  nla_put_s32(m.get(), RESFENCE_A_ERRNO, -EIO);
  nla_put_string(m.get(), RESFENCE_A_REASON, "RESERVE timed out");
  const Event e = parse_event(nlmsg_hdr(m.get()));
  EXPECT_EQ(genl_command(nlmsg_hdr(m.get())), RESFENCE_CMD_EVENT);
  EXPECT_EQ(e.event, RESFENCE_EVENT_REFRESH_FAILED);
  EXPECT_EQ(e.dev, (DeviceId{8, 32}));
  EXPECT_EQ(e.disk_name, "sdc");
  EXPECT_EQ(e.error, -EIO);
  EXPECT_EQ(e.reason, "RESERVE timed out");
  EXPECT_FALSE(e.key);
}

TEST(Messages, EventWithoutTypeIsMalformed) {
  Msg m = reply(RESFENCE_CMD_EVENT);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MAJOR, 8);
  nla_put_u32(m.get(), RESFENCE_A_DEV_MINOR, 32);
  EXPECT_THROW(parse_event(nlmsg_hdr(m.get())), NetlinkError);
}

}  // namespace
}  // namespace resfence::nl
