#include "netlink/messages.h"

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <array>
#include <cerrno>
#include <new>
#include <string>

#include "errors.h"

namespace resfence::nl {

namespace {

using AttrTable = std::array<nlattr*, RESFENCE_A_MAX + 1>;

// The policy replies and requests are parsed with. It mirrors the attribute
// types of include/uapi/linux/resfence.h; libnl checks lengths (and NUL
// termination of strings) against it.
std::array<nla_policy, RESFENCE_A_MAX + 1> make_policy() {
  std::array<nla_policy, RESFENCE_A_MAX + 1> p{};
  p[RESFENCE_A_VERSION].type = NLA_STRING;
  p[RESFENCE_A_HELD_COUNT].type = NLA_U32;
  p[RESFENCE_A_DEV_MAJOR].type = NLA_U32;
  p[RESFENCE_A_DEV_MINOR].type = NLA_U32;
  p[RESFENCE_A_DISK_NAME].type = NLA_STRING;
  p[RESFENCE_A_MODE].type = NLA_U8;
  p[RESFENCE_A_STATE].type = NLA_U8;
  p[RESFENCE_A_KEY].type = NLA_U64;
  p[RESFENCE_A_VICTIM_KEY].type = NLA_U64;
  p[RESFENCE_A_PR_TYPE].type = NLA_U8;
  p[RESFENCE_A_INTERVAL_MS].type = NLA_U32;
  p[RESFENCE_A_LEASE_MS].type = NLA_U32;
  p[RESFENCE_A_ACTION].type = NLA_U8;
  p[RESFENCE_A_CDB_LEN].type = NLA_U8;
  p[RESFENCE_A_ABORT].type = NLA_FLAG;
  p[RESFENCE_A_APTPL].type = NLA_FLAG;
  p[RESFENCE_A_STATS].type = NLA_NESTED;
  p[RESFENCE_A_PR_GENERATION].type = NLA_U32;
  p[RESFENCE_A_KEYS].type = NLA_NESTED;
  p[RESFENCE_A_HOLDER_KEY].type = NLA_U64;
  p[RESFENCE_A_EVENT].type = NLA_U8;
  p[RESFENCE_A_ERRNO].type = NLA_U32;  // s32 on the wire; same length
  p[RESFENCE_A_REASON].type = NLA_STRING;
  p[RESFENCE_A_LEASE_AUTO].type = NLA_FLAG;
  p[RESFENCE_A_EPOCH_LBA].type = NLA_U64;
  p[RESFENCE_A_EPOCH].type = NLA_U64;
  p[RESFENCE_A_PATHS].type = NLA_NESTED;
  return p;
}

std::array<nla_policy, RESFENCE_A_PATH_MAX + 1> make_path_policy() {
  std::array<nla_policy, RESFENCE_A_PATH_MAX + 1> p{};
  p[RESFENCE_A_PATH_DEV_MAJOR].type = NLA_U32;
  p[RESFENCE_A_PATH_DEV_MINOR].type = NLA_U32;
  p[RESFENCE_A_PATH_DISK_NAME].type = NLA_STRING;
  p[RESFENCE_A_PATH_STATE].type = NLA_U8;
  return p;
}

std::array<nla_policy, RESFENCE_STAT_MAX + 1> make_stats_policy() {
  std::array<nla_policy, RESFENCE_STAT_MAX + 1> p{};
  for (size_t i = RESFENCE_STAT_REFRESH_OK; i <= RESFENCE_STAT_MAX; ++i) p.at(i).type = NLA_U64;
  return p;
}

[[noreturn]] void malformed(const std::string& what) {
  throw NetlinkError(EPROTO, "malformed reply from the module: " + what);
}

void check_put(int rc) {
  if (rc < 0) throw std::bad_alloc();
}

AttrTable parse_attrs(nlmsghdr* hdr) {
  static auto policy = make_policy();
  AttrTable tb{};
  const int rc = genlmsg_parse(hdr, 0, tb.data(), RESFENCE_A_MAX, policy.data());
  if (rc < 0) malformed("attributes fail the policy");
  return tb;
}

uint32_t need_u32(const AttrTable& tb, size_t attr, const char* name) {
  if (tb.at(attr) == nullptr) malformed(std::string("missing ") + name);
  return nla_get_u32(tb.at(attr));
}

template <typename T>
std::optional<T> opt_u8(const AttrTable& tb, size_t attr) {
  if (tb.at(attr) == nullptr) return std::nullopt;
  return static_cast<T>(nla_get_u8(tb.at(attr)));
}

std::optional<uint32_t> opt_u32(const AttrTable& tb, size_t attr) {
  if (tb.at(attr) == nullptr) return std::nullopt;
  return nla_get_u32(tb.at(attr));
}

std::optional<uint64_t> opt_u64(nlattr* a) {
  if (a == nullptr) return std::nullopt;
  return nla_get_u64(a);
}

std::optional<std::string> opt_string(const AttrTable& tb, size_t attr) {
  if (tb.at(attr) == nullptr) return std::nullopt;
  return std::string(nla_get_string(tb.at(attr)));
}

DeviceId need_device(const AttrTable& tb) {
  return {need_u32(tb, RESFENCE_A_DEV_MAJOR, "DEV_MAJOR"),
          need_u32(tb, RESFENCE_A_DEV_MINOR, "DEV_MINOR")};
}

DeviceStats parse_stats(nlattr* nest) {
  DeviceStats s;
  if (nest == nullptr) return s;
  static auto policy = make_stats_policy();
  std::array<nlattr*, RESFENCE_STAT_MAX + 1> tb{};
  if (nla_parse_nested(tb.data(), RESFENCE_STAT_MAX, nest, policy.data()) < 0)
    malformed("STATS fails the policy");
  s.refresh_ok = opt_u64(tb[RESFENCE_STAT_REFRESH_OK]);
  s.refresh_failed = opt_u64(tb[RESFENCE_STAT_REFRESH_FAILED]);
  s.conflicts = opt_u64(tb[RESFENCE_STAT_CONFLICTS]);
  s.last_latency_us = opt_u64(tb[RESFENCE_STAT_LAST_LATENCY_US]);
  s.worst_latency_us = opt_u64(tb[RESFENCE_STAT_WORST_LATENCY_US]);
  s.worst_lateness_us = opt_u64(tb[RESFENCE_STAT_WORST_LATENESS_US]);
  s.last_ok_age_ms = opt_u64(tb[RESFENCE_STAT_LAST_OK_AGE_MS]);
  s.verify_conflicts = opt_u64(tb[RESFENCE_STAT_VERIFY_CONFLICTS]);
  return s;
}

// PATHS { PATHS_PATH { PATH_* } ... }
std::vector<PathInfo> parse_paths(nlattr* nest) {
  std::vector<PathInfo> out;
  if (nest == nullptr) return out;
  static auto policy = make_path_policy();
  nlattr* a = nullptr;
  int rem = 0;
  nla_for_each_nested(a, nest, rem) {  // NOLINT: libnl macro
    if (nla_type(a) != RESFENCE_A_PATHS_PATH) continue;
    std::array<nlattr*, RESFENCE_A_PATH_MAX + 1> tb{};
    if (nla_parse_nested(tb.data(), RESFENCE_A_PATH_MAX, a, policy.data()) < 0)
      malformed("PATHS_PATH fails the policy");
    if (tb[RESFENCE_A_PATH_DEV_MAJOR] == nullptr || tb[RESFENCE_A_PATH_DEV_MINOR] == nullptr)
      malformed("PATHS_PATH without its device numbers");
    PathInfo p;
    p.dev = {nla_get_u32(tb[RESFENCE_A_PATH_DEV_MAJOR]),
             nla_get_u32(tb[RESFENCE_A_PATH_DEV_MINOR])};
    if (tb[RESFENCE_A_PATH_DISK_NAME] != nullptr)
      p.disk_name = nla_get_string(tb[RESFENCE_A_PATH_DISK_NAME]);
    if (tb[RESFENCE_A_PATH_STATE] != nullptr) p.state = nla_get_u8(tb[RESFENCE_A_PATH_STATE]);
    out.push_back(p);
  }
  return out;
}

void put_device(nl_msg* msg, DeviceId dev) {
  check_put(nla_put_u32(msg, RESFENCE_A_DEV_MAJOR, dev.major));
  check_put(nla_put_u32(msg, RESFENCE_A_DEV_MINOR, dev.minor));
}

template <typename T>
void put_opt_u8(nl_msg* msg, int attr, const std::optional<T>& v) {
  if (v) check_put(nla_put_u8(msg, attr, static_cast<uint8_t>(*v)));
}

void put_opt_u32(nl_msg* msg, int attr, const std::optional<uint32_t>& v) {
  if (v) check_put(nla_put_u32(msg, attr, *v));
}

void put_opt_u64(nl_msg* msg, int attr, const std::optional<uint64_t>& v) {
  if (v) check_put(nla_put_u64(msg, attr, *v));
}

}  // namespace

Msg build_request(int family, uint8_t cmd, int flags) {
  Msg msg = make_msg();
  if (genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
                  RESFENCE_GENL_VERSION) == nullptr)
    throw std::bad_alloc();
  return msg;
}

Msg build_get_info(int family) { return build_request(family, RESFENCE_CMD_GET_INFO); }

Msg build_set_defaults(int family, const DefaultsRequest& req) {
  Msg msg = build_request(family, RESFENCE_CMD_SET_DEFAULTS);
  nl_msg* m = msg.get();
  put_opt_u32(m, RESFENCE_A_INTERVAL_MS, req.interval_ms);
  put_opt_u32(m, RESFENCE_A_LEASE_MS, req.lease_ms);
  if (req.lease_auto) check_put(nla_put_flag(m, RESFENCE_A_LEASE_AUTO));
  put_opt_u8(m, RESFENCE_A_ACTION, req.action);
  put_opt_u8(m, RESFENCE_A_MODE, req.mode);
  return msg;
}

Msg build_device_request(int family, uint8_t cmd, DeviceId dev) {
  Msg msg = build_request(family, cmd);
  put_device(msg.get(), dev);
  return msg;
}

Msg build_get_device_dump(int family) {
  return build_request(family, RESFENCE_CMD_GET_DEVICE, NLM_F_DUMP);
}

Msg build_hold(int family, uint8_t cmd, const HoldRequest& req) {
  Msg msg = build_request(family, cmd);
  nl_msg* m = msg.get();
  put_device(m, req.dev);
  put_opt_u8(m, RESFENCE_A_MODE, req.mode);
  put_opt_u64(m, RESFENCE_A_KEY, req.key);
  put_opt_u8(m, RESFENCE_A_PR_TYPE, req.pr_type);
  put_opt_u32(m, RESFENCE_A_INTERVAL_MS, req.interval_ms);
  put_opt_u32(m, RESFENCE_A_LEASE_MS, req.lease_ms);
  put_opt_u8(m, RESFENCE_A_ACTION, req.action);
  put_opt_u8(m, RESFENCE_A_CDB_LEN, req.cdb_len);
  put_opt_u64(m, RESFENCE_A_EPOCH_LBA, req.epoch_lba);
  if (!req.paths.empty()) {
    nlattr* paths = nla_nest_start(m, RESFENCE_A_PATHS);
    if (paths == nullptr) throw std::bad_alloc();
    for (const DeviceId& p : req.paths) {
      nlattr* one = nla_nest_start(m, RESFENCE_A_PATHS_PATH);
      if (one == nullptr) throw std::bad_alloc();
      check_put(nla_put_u32(m, RESFENCE_A_PATH_DEV_MAJOR, p.major));
      check_put(nla_put_u32(m, RESFENCE_A_PATH_DEV_MINOR, p.minor));
      check_put(nla_nest_end(m, one));
    }
    check_put(nla_nest_end(m, paths));
  }
  if (req.aptpl) check_put(nla_put_flag(m, RESFENCE_A_APTPL));
  if (cmd == RESFENCE_CMD_PREEMPT) {
    put_opt_u64(m, RESFENCE_A_VICTIM_KEY, req.victim_key);
    if (req.abort) check_put(nla_put_flag(m, RESFENCE_A_ABORT));
  }
  return msg;
}

Msg build_evict(int family, const HoldRequest& req) {
  Msg msg = build_request(family, RESFENCE_CMD_EVICT);
  nl_msg* m = msg.get();
  put_device(m, req.dev);
  put_opt_u64(m, RESFENCE_A_VICTIM_KEY, req.victim_key);
  if (req.abort) check_put(nla_put_flag(m, RESFENCE_A_ABORT));
  return msg;
}

uint8_t genl_command(nlmsghdr* hdr) {
  if (!genlmsg_valid_hdr(hdr, 0)) malformed("short generic netlink header");
  return static_cast<genlmsghdr*>(nlmsg_data(hdr))->cmd;
}

ModuleInfo parse_module_info(nlmsghdr* hdr) {
  const AttrTable tb = parse_attrs(hdr);
  ModuleInfo info;
  auto version = opt_string(tb, RESFENCE_A_VERSION);
  if (!version) malformed("missing VERSION");
  info.version = *version;
  info.held_count = opt_u32(tb, RESFENCE_A_HELD_COUNT).value_or(0);
  info.interval_ms = opt_u32(tb, RESFENCE_A_INTERVAL_MS);
  info.lease_ms = opt_u32(tb, RESFENCE_A_LEASE_MS);
  info.action = opt_u8<uint8_t>(tb, RESFENCE_A_ACTION);
  info.mode = opt_u8<uint8_t>(tb, RESFENCE_A_MODE);
  info.lease_auto = tb[RESFENCE_A_LEASE_AUTO] != nullptr;
  return info;
}

DeviceInfo parse_device(nlmsghdr* hdr) {
  const AttrTable tb = parse_attrs(hdr);
  DeviceInfo d;
  d.dev = need_device(tb);
  d.disk_name = opt_string(tb, RESFENCE_A_DISK_NAME).value_or("");
  d.mode = opt_u8<uint8_t>(tb, RESFENCE_A_MODE);
  d.state = opt_u8<uint8_t>(tb, RESFENCE_A_STATE);
  d.key = opt_u64(tb[RESFENCE_A_KEY]);
  d.pr_type = opt_u8<uint8_t>(tb, RESFENCE_A_PR_TYPE);
  d.interval_ms = opt_u32(tb, RESFENCE_A_INTERVAL_MS);
  d.lease_ms = opt_u32(tb, RESFENCE_A_LEASE_MS);
  d.action = opt_u8<uint8_t>(tb, RESFENCE_A_ACTION);
  d.cdb_len = opt_u8<uint8_t>(tb, RESFENCE_A_CDB_LEN);
  d.epoch_lba = opt_u64(tb[RESFENCE_A_EPOCH_LBA]);
  d.epoch = opt_u64(tb[RESFENCE_A_EPOCH]);
  d.aptpl = tb[RESFENCE_A_APTPL] != nullptr;
  d.stats = parse_stats(tb[RESFENCE_A_STATS]);
  d.paths = parse_paths(tb[RESFENCE_A_PATHS]);
  return d;
}

KeysInfo parse_keys(nlmsghdr* hdr) {
  const AttrTable tb = parse_attrs(hdr);
  KeysInfo k;
  k.dev = need_device(tb);
  k.generation = need_u32(tb, RESFENCE_A_PR_GENERATION, "PR_GENERATION");
  if (nlattr* nest = tb[RESFENCE_A_KEYS]; nest != nullptr) {
    nlattr* a = nullptr;
    int rem = 0;
    nla_for_each_nested(a, nest, rem) {  // NOLINT: libnl macro
      if (nla_type(a) != RESFENCE_A_KEYS_KEY) continue;
      if (nla_len(a) != sizeof(uint64_t)) malformed("KEYS_KEY is not a u64");
      k.keys.push_back(nla_get_u64(a));
    }
  }
  return k;
}

ReservationInfo parse_reservation(nlmsghdr* hdr) {
  const AttrTable tb = parse_attrs(hdr);
  ReservationInfo r;
  r.dev = need_device(tb);
  r.generation = need_u32(tb, RESFENCE_A_PR_GENERATION, "PR_GENERATION");
  r.holder_key = opt_u64(tb[RESFENCE_A_HOLDER_KEY]);
  r.pr_type = opt_u8<uint8_t>(tb, RESFENCE_A_PR_TYPE);
  return r;
}

Event parse_event(nlmsghdr* hdr) {
  const AttrTable tb = parse_attrs(hdr);
  Event e;
  auto ev = opt_u8<uint8_t>(tb, RESFENCE_A_EVENT);
  if (!ev) malformed("event without EVENT");
  e.event = *ev;
  e.dev = need_device(tb);
  e.disk_name = opt_string(tb, RESFENCE_A_DISK_NAME).value_or("");
  e.key = opt_u64(tb[RESFENCE_A_KEY]);
  if (auto v = opt_u32(tb, RESFENCE_A_ERRNO)) e.error = static_cast<int32_t>(*v);
  e.reason = opt_string(tb, RESFENCE_A_REASON);
  return e;
}

HoldRequest parse_hold_request(nlmsghdr* hdr) {
  const AttrTable tb = parse_attrs(hdr);
  HoldRequest r;
  r.dev = need_device(tb);
  r.mode = opt_u8<resfence_mode>(tb, RESFENCE_A_MODE);
  r.key = opt_u64(tb[RESFENCE_A_KEY]);
  r.pr_type = opt_u8<resfence_pr_type>(tb, RESFENCE_A_PR_TYPE);
  r.interval_ms = opt_u32(tb, RESFENCE_A_INTERVAL_MS);
  r.lease_ms = opt_u32(tb, RESFENCE_A_LEASE_MS);
  r.action = opt_u8<resfence_action>(tb, RESFENCE_A_ACTION);
  r.cdb_len = opt_u8<uint8_t>(tb, RESFENCE_A_CDB_LEN);
  r.epoch_lba = opt_u64(tb[RESFENCE_A_EPOCH_LBA]);
  r.victim_key = opt_u64(tb[RESFENCE_A_VICTIM_KEY]);
  r.abort = tb[RESFENCE_A_ABORT] != nullptr;
  for (const PathInfo& p : parse_paths(tb[RESFENCE_A_PATHS])) r.paths.push_back(p.dev);
  r.aptpl = tb[RESFENCE_A_APTPL] != nullptr;
  return r;
}

DefaultsRequest parse_defaults_request(nlmsghdr* hdr) {
  const AttrTable tb = parse_attrs(hdr);
  DefaultsRequest r;
  r.interval_ms = opt_u32(tb, RESFENCE_A_INTERVAL_MS);
  r.lease_ms = opt_u32(tb, RESFENCE_A_LEASE_MS);
  r.lease_auto = tb[RESFENCE_A_LEASE_AUTO] != nullptr;
  r.action = opt_u8<resfence_action>(tb, RESFENCE_A_ACTION);
  r.mode = opt_u8<resfence_mode>(tb, RESFENCE_A_MODE);
  return r;
}

}  // namespace resfence::nl
