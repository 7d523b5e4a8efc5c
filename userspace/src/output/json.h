// The --json output. The schema is documented in resfencectl(8) and is an ABI:
// fields are only ever added. Every field is always present; a value the
// module did not report is null. Keys are "0x%016x" strings.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "types.h"

namespace resfence {

nlohmann::json module_json(const ModuleInfo& info);
nlohmann::json device_json(const DeviceInfo& dev);
// `resfencectl status --json`: {"module": {...}, "devices": [...]}.
nlohmann::json status_json(const ModuleInfo& info, const std::vector<DeviceInfo>& devices);
// `resfencectl keys --json`.
nlohmann::json keys_json(const std::string& path, const std::string& name,
                         const KeysInfo& keys, const ReservationInfo& res);
// One `resfencectl monitor --json` line; `time` is an RFC 3339 timestamp.
nlohmann::json event_json(const Event& ev, const std::string& time);

}  // namespace resfence
