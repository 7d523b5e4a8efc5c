// Plain values exchanged with scsi_resfence.ko, independent of netlink, so that
// command logic and formatting are testable without a kernel.
//
// Enumerated values that come from the kernel (mode, state, type, action,
// event) are kept as the raw u8: a newer module may send a value this tool
// does not know, which must print as "unknown(N)", not be undefined behaviour.
#pragma once

#include <linux/resfence.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace resfence {

// A whole-disk block device, named the way the module names it.
struct DeviceId {
  uint32_t major = 0;
  uint32_t minor = 0;
  friend bool operator==(const DeviceId&, const DeviceId&) = default;
};

// GET_INFO reply: the module's version and its defaults.
struct ModuleInfo {
  std::string version;
  uint32_t held_count = 0;
  std::optional<uint32_t> interval_ms;
  std::optional<uint32_t> lease_ms;
  std::optional<uint8_t> action;
  std::optional<uint8_t> mode;
  // LEASE_AUTO: a hold without a lease gets twice its own interval, and
  // lease_ms is only that lease at the default interval. False from a module
  // that predates the flag.
  bool lease_auto = false;
};

struct DeviceStats {
  std::optional<uint64_t> refresh_ok;
  std::optional<uint64_t> refresh_failed;
  std::optional<uint64_t> conflicts;
  std::optional<uint64_t> last_latency_us;
  std::optional<uint64_t> worst_latency_us;
  std::optional<uint64_t> worst_lateness_us;
  std::optional<uint64_t> last_ok_age_ms;
  // Conflicts on reservation commands (sg_persist, fence agents), each
  // verified before fencing; absent from a module that predates them.
  std::optional<uint64_t> verify_conflicts;
};

// A device message: GET_DEVICE, HOLD and PREEMPT replies.
// One path of a multipath hold (GET_DEVICE's PATHS).
struct PathInfo {
  DeviceId dev;
  std::string disk_name;
  std::optional<uint8_t> state;  // enum resfence_path_state
};

struct DeviceInfo {
  DeviceId dev;
  std::string disk_name;
  std::optional<uint8_t> mode;
  std::optional<uint8_t> state;
  std::optional<uint64_t> key;
  std::optional<uint8_t> pr_type;
  std::optional<uint32_t> interval_ms;
  std::optional<uint32_t> lease_ms;
  std::optional<uint8_t> action;
  std::optional<uint8_t> cdb_len;
  std::optional<uint64_t> epoch_lba;  // scsi2 with a takeover epoch
  std::optional<uint64_t> epoch;
  bool aptpl = false;  // pr: registered with APTPL
  DeviceStats stats;
  std::vector<PathInfo> paths;  // a multipath hold's paths; empty otherwise
};

// READ_KEYS reply.
struct KeysInfo {
  DeviceId dev;
  uint32_t generation = 0;
  std::vector<uint64_t> keys;
};

// READ_RESERVATION reply. No holder: nobody holds a persistent reservation.
struct ReservationInfo {
  DeviceId dev;
  uint32_t generation = 0;
  std::optional<uint64_t> holder_key;
  std::optional<uint8_t> pr_type;
};

// A multicast message on the "events" group.
struct Event {
  uint8_t event = RESFENCE_EVENT_UNSPEC;
  DeviceId dev;
  std::string disk_name;
  std::optional<uint64_t> key;
  std::optional<int32_t> error;  // negative errno as the module sent it
  std::optional<std::string> reason;
};

// SET_DEFAULTS request. Unset fields are omitted: the module keeps them.
// lease_auto (LEASE_AUTO) and lease_ms exclude each other.
struct DefaultsRequest {
  std::optional<uint32_t> interval_ms;
  std::optional<uint32_t> lease_ms;  // a fixed default lease; 0 = none
  bool lease_auto = false;           // back to 2 x each hold's interval
  std::optional<resfence_action> action;
  std::optional<resfence_mode> mode;
  friend bool operator==(const DefaultsRequest&, const DefaultsRequest&) = default;
};

// HOLD and PREEMPT requests. Unset fields are omitted from the message so the
// module applies its defaults.
struct HoldRequest {
  DeviceId dev;
  std::optional<resfence_mode> mode;
  std::optional<uint64_t> key;
  std::optional<resfence_pr_type> pr_type;
  std::optional<uint32_t> interval_ms;
  std::optional<uint32_t> lease_ms;
  std::optional<resfence_action> action;
  std::optional<uint8_t> cdb_len;
  std::optional<uint64_t> epoch_lba;  // scsi2: the takeover epoch block
  // A multipath map's paths (dev then names the map); empty: dev is the disk.
  std::vector<DeviceId> paths;
  bool aptpl = false;  // pr: register with APTPL
  // PREEMPT only:
  std::optional<uint64_t> victim_key;
  bool abort = false;
};

}  // namespace resfence
