// The acquisition settings hold, takeover and preempt share, and their
// command-line options.
#pragma once

#include <linux/resfence.h>

#include <optional>
#include <string>
#include <vector>

#include "device.h"
#include "key.h"
#include "resfence_api.h"
#include "types.h"

namespace CLI {
class App;
}

namespace resfence {

struct Context;

struct HoldSettings {
  std::optional<resfence_mode> mode;
  std::optional<KeySpec> key;
  std::optional<resfence_pr_type> pr_type;
  std::optional<uint32_t> interval_ms;
  std::optional<uint32_t> lease_ms;
  std::optional<resfence_action> action;
  std::optional<uint8_t> cdb_len;
  std::optional<uint64_t> epoch_lba;  // scsi2: the takeover epoch block
  bool allow_reset_window = false;    // scsi2 without an epoch, acknowledged
  bool aptpl = false;                 // pr: registrations survive a target restart
  // --no-rejoin-guard: take the disk even with an unacknowledged fence record.
  bool rejoin_guard = true;
  // --single-path: hold a bare path of a multipath map anyway (one path armed).
  bool single_path = false;
};

// The values of --mode, --action, --interval and --lease, shared with
// `defaults` (whose options set what these default to). Each throws
// CLI::ValidationError naming the option: a usage error (exit 2).
resfence_mode parse_mode_option(const std::string& value);
resfence_action parse_action_option(const std::string& value);
uint32_t parse_interval_option(const std::string& value);
uint32_t parse_lease_option(const std::string& value);  // 0 disables the lease
// --epoch-lba: a logical block address, decimal or 0x-hex, at most
// RESFENCE_EPOCH_LBA_MAX (the module reads it with READ(10)).
uint64_t parse_epoch_lba_option(const std::string& value);

// --mode --key --type --interval --lease --action --cdb, each validated as parsed
// (a bad value is a CLI11 ValidationError: exit code 2).
void add_hold_settings(CLI::App* cmd, HoldSettings& s);

// The device positional argument.
void add_device_argument(CLI::App* cmd, std::string& device);

// --mode if given, else the module's default mode, else pr.
resfence_mode effective_mode(const HoldSettings& s, const ModuleInfo& info);

// Checks combinations CLI11 cannot: --key/--type need pr, --cdb,
// --epoch-lba and --allow-reset-window need scsi2, and scsi2 needs one of
// the last two (without an epoch a reset after a takeover can hand the disk
// back to a stalled node: Documentation/timing.md); a lease (when both are
// given) must exceed the interval. Throws CommandError(kUsage).
void check_hold_settings(const HoldSettings& s, resfence_mode mode);

// A multipath map (dev.paths non-empty) is held through every path, which
// only a persistent reservation whose type lets every registered nexus write
// survives: scsi2, WE and EA (only the reserving nexus may write; also the
// default type, so a map needs --type) are refused, as is --single-path
// (which names a path, not a map). A bare path of a map is refused unless
// --single-path (check_not_map_path). Throws CommandError(kUsage) or
// CommandError(kDevice), before anything is sent.
void check_multipath_settings(const HoldSettings& s, resfence_mode mode, const ResolvedDevice& dev);

// WE and EA: only the nexus that reserved may write, so a hold through
// several paths (a multipath map) would see RESERVATION CONFLICT on the
// others. check_multipath_settings() and fence_resfence refuse them for a map.
bool only_reserving_path_writes(resfence_pr_type t);

// The PATHS of a HOLD/PREEMPT for `dev`: its map's paths, none for a disk.
std::vector<DeviceId> hold_paths(const ResolvedDevice& dev);

// The HOLD/PREEMPT request for `dev` in `mode`. In pr mode the key is --key,
// or "auto" when none was given; "auto" is resolved through ctx.auto_key.
HoldRequest make_hold_request(const HoldSettings& s, resfence_mode mode, DeviceId dev,
                              Context& ctx);

}  // namespace resfence
