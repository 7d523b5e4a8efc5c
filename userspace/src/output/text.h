// Human-readable output. Not an ABI: scripts use --json.
#pragma once

#include <string>
#include <vector>

#include "types.h"

namespace resfence {

// "scsi_resfence 0.1.0 (genl family resfence, version 1)"
std::string module_version_line(const ModuleInfo& info);
// "mode pr, interval 2 s, lease 4 s (2 x interval), action restart"
std::string defaults_text(const ModuleInfo& info);
// Module summary, defaults, then a table of held devices (or "no devices held").
std::string status_text(const ModuleInfo& info, const std::vector<DeviceInfo>& devices);
// The table of held devices alone.
std::string device_table(const std::vector<DeviceInfo>& devices);

// A multipath hold's paths: a heading and a PATH/MAJ:MIN/STATE table; "" for
// a single-disk hold.
std::string paths_text(const DeviceInfo& d);
// Registered keys, generation and reservation holder of one device.
std::string keys_text(const std::string& path, const KeysInfo& keys, const ReservationInfo& res);
// "held /dev/sdc (sdc 8:32): mode pr, key 0x.., type we, interval 2 s, lease 4 s, action restart"
std::string held_line(const std::string& verb, const std::string& path, const DeviceInfo& d);
// One monitor line: "<time> <event> <name> <maj:min> [key=..] [errno=..] [reason=".."]".
std::string event_line(const Event& ev, const std::string& time);

}  // namespace resfence
