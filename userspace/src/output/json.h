// The --json output. The schema is documented in resfencectl(8) and is an ABI:
// fields are only ever added. Every field is always present; a value the
// module did not report is null. Keys are "0x%016x" strings. Objects keep the
// documented field order (ordered_json), so output reads like the man page.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "types.h"

namespace resfence {

// The module's defaults: {"mode", "interval_ms", "lease_ms", "lease_auto",
// "action"}, as in `status --json` and `defaults --json`.
nlohmann::ordered_json defaults_json(const ModuleInfo& info);
nlohmann::ordered_json module_json(const ModuleInfo& info);
nlohmann::ordered_json device_json(const DeviceInfo& dev);
// `resfencectl status --json`: {"module": {...}, "devices": [...]}.
nlohmann::ordered_json status_json(const ModuleInfo& info, const std::vector<DeviceInfo>& devices);
// `resfencectl version --json`: {"resfencectl": {"version"}, "module":
// {"version", "genl_family", "genl_version"} or null when unreachable}.
nlohmann::ordered_json version_json(const std::optional<ModuleInfo>& module);
// `resfencectl keys --json`.
nlohmann::ordered_json keys_json(const std::string& path, const std::string& name,
                                 const KeysInfo& keys, const ReservationInfo& res);
// One `resfencectl monitor --json` line; `time` is an RFC 3339 timestamp.
nlohmann::ordered_json event_json(const Event& ev, const std::string& time);

}  // namespace resfence
