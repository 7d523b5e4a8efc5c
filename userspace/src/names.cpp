#include "names.h"

#include <array>
#include <utility>

namespace resfence {

namespace {

std::string unknown(int v) { return "unknown(" + std::to_string(v) + ")"; }

constexpr std::array<std::pair<resfence_pr_type, std::string_view>, 6> kPrTypes{{
    {RESFENCE_PR_WRITE_EXCLUSIVE, "we"},
    {RESFENCE_PR_EXCLUSIVE_ACCESS, "ea"},
    {RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY, "we-ro"},
    {RESFENCE_PR_EXCLUSIVE_ACCESS_REG_ONLY, "ea-ro"},
    {RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS, "we-ar"},
    {RESFENCE_PR_EXCLUSIVE_ACCESS_ALL_REGS, "ea-ar"},
}};

}  // namespace

std::string mode_name(uint8_t v) {
  switch (v) {
    case RESFENCE_MODE_SCSI2:
      return "scsi2";
    case RESFENCE_MODE_PR:
      return "pr";
    default:
      return unknown(v);
  }
}

std::string state_name(uint8_t v) {
  switch (v) {
    case RESFENCE_STATE_ARMED:
      return "armed";
    case RESFENCE_STATE_FENCED:
      return "fenced";
    case RESFENCE_STATE_REMOVED:
      return "removed";
    default:
      return unknown(v);
  }
}

std::string path_state_name(uint8_t v) {
  switch (v) {
    case RESFENCE_PATH_STATE_ARMED:
      return "armed";
    case RESFENCE_PATH_STATE_FAILED:
      return "failed";
    case RESFENCE_PATH_STATE_REMOVED:
      return "removed";
    default:
      return unknown(v);
  }
}

std::string action_name(uint8_t v) {
  switch (v) {
    case RESFENCE_ACTION_RESTART:
      return "restart";
    case RESFENCE_ACTION_PANIC:
      return "panic";
    case RESFENCE_ACTION_LOG:
      return "log";
    default:
      return unknown(v);
  }
}

std::string pr_type_name(uint8_t v) {
  for (const auto& [type, name] : kPrTypes)
    if (type == v) return std::string(name);
  return unknown(v);
}

std::string pr_type_long_name(uint8_t v) {
  switch (v) {
    case RESFENCE_PR_WRITE_EXCLUSIVE:
      return "write exclusive";
    case RESFENCE_PR_EXCLUSIVE_ACCESS:
      return "exclusive access";
    case RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY:
      return "write exclusive, registrants only";
    case RESFENCE_PR_EXCLUSIVE_ACCESS_REG_ONLY:
      return "exclusive access, registrants only";
    case RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS:
      return "write exclusive, all registrants";
    case RESFENCE_PR_EXCLUSIVE_ACCESS_ALL_REGS:
      return "exclusive access, all registrants";
  }
  return unknown(v);
}

std::string event_name(uint8_t v) {
  switch (v) {
    case RESFENCE_EVENT_HELD:
      return "held";
    case RESFENCE_EVENT_RELEASED:
      return "released";
    case RESFENCE_EVENT_REFRESH_FAILED:
      return "refresh-failed";
    case RESFENCE_EVENT_LEASE_EXPIRED:
      return "lease-expired";
    case RESFENCE_EVENT_PREEMPTED:
      return "preempted";
    case RESFENCE_EVENT_DEVICE_REMOVED:
      return "device-removed";
    case RESFENCE_EVENT_CONFLICT_VERIFY:
      return "conflict-verify";
    case RESFENCE_EVENT_PATH_REREGISTERED:
      return "path-reregistered";
    case RESFENCE_EVENT_PATH_REMOVED:
      return "path-removed";
    case RESFENCE_EVENT_PATH_ADDED:
      return "path-added";
    default:
      return unknown(v);
  }
}

std::optional<resfence_mode> parse_mode(std::string_view s) {
  if (s == "scsi2") return RESFENCE_MODE_SCSI2;
  if (s == "pr") return RESFENCE_MODE_PR;
  return std::nullopt;
}

std::optional<resfence_action> parse_action(std::string_view s) {
  if (s == "restart") return RESFENCE_ACTION_RESTART;
  if (s == "panic") return RESFENCE_ACTION_PANIC;
  if (s == "log") return RESFENCE_ACTION_LOG;
  return std::nullopt;
}

std::optional<resfence_pr_type> parse_pr_type(std::string_view s) {
  for (const auto& [v, name] : kPrTypes)
    if (name == s) return v;
  return std::nullopt;
}

std::string format_key(uint64_t key) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string s = "0x0000000000000000";
  for (size_t i = s.size() - 1; key != 0; --i, key >>= 4U) s[i] = kDigits[key & 0xfU];
  return s;
}

}  // namespace resfence
