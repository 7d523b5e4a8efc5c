#include "commands/hold_settings.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <system_error>

#include "context.h"
#include "duration.h"
#include "errors.h"
#include "names.h"

namespace resfence {

namespace {

// Runs a parser for an option value and turns its std::invalid_argument into
// the CLI11 error that main() reports as a usage error.
template <typename F>
auto checked(const std::string& option, F parse) {
  try {
    return parse();
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError(option, e.what());
  }
}

}  // namespace

resfence_mode parse_mode_option(const std::string& value) {
  return checked("--mode", [&] {
    auto m = parse_mode(value);
    if (!m) throw std::invalid_argument("'" + value + "' is not pr or scsi2");
    return *m;
  });
}

resfence_action parse_action_option(const std::string& value) {
  return checked("--action", [&] {
    auto a = parse_action(value);
    if (!a) throw std::invalid_argument("'" + value + "' is not restart, panic or log");
    return *a;
  });
}

uint32_t parse_interval_option(const std::string& value) {
  return checked("--interval", [&] {
    return parse_seconds_in_range(value, RESFENCE_INTERVAL_MIN_MS, RESFENCE_INTERVAL_MAX_MS);
  });
}

uint32_t parse_lease_option(const std::string& value) {
  return checked("--lease", [&] {
    return parse_seconds_in_range(value, RESFENCE_INTERVAL_MIN_MS, RESFENCE_LEASE_MAX_MS, true);
  });
}

uint64_t parse_epoch_lba_option(const std::string& value) {
  return checked("--epoch-lba", [&] {
    const bool hex = value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X');
    const char* first = value.data() + (hex ? 2 : 0);
    const char* last = value.data() + value.size();
    uint64_t lba = 0;
    const auto [end, ec] = std::from_chars(first, last, lba, hex ? 16 : 10);
    if (value.empty() || ec == std::errc::invalid_argument || end != last)
      throw std::invalid_argument("'" + value + "' is not a block number (decimal or 0x-hex)");
    if (ec == std::errc::result_out_of_range || lba > RESFENCE_EPOCH_LBA_MAX)
      throw std::invalid_argument("'" + value +
                                  "' is past block 4294967295 (READ(10) addresses 32 bits: put "
                                  "the epoch block near the start of the disk)");
    return lba;
  });
}

void add_device_argument(CLI::App* cmd, std::string& device) {
  cmd->add_option("device", device, "the disk: /dev/sdX, /dev/disk/by-id/..., or a symlink")
      ->required()
      ->type_name("DEV");
}

void add_hold_settings(CLI::App* cmd, HoldSettings& s) {
  cmd->add_option_function<std::string>(
         "--mode", [&s](const std::string& v) { s.mode = parse_mode_option(v); },
         "reservation mode: pr (persistent reservations) or scsi2 (RESERVE/RELEASE); "
         "default: the module's")
      ->type_name("pr|scsi2");
  cmd->add_option_function<std::string>(
         "--key",
         [&s](const std::string& v) {
           s.key = checked("--key", [&] { return parse_key_spec(v); });
         },
         "reservation key (pr): decimal, 0x-hex, or auto (derived from /etc/machine-id)")
      ->type_name("KEY");
  cmd->add_option_function<std::string>(
         "--type",
         [&s](const std::string& v) {
           s.pr_type = checked("--type", [&] {
             auto t = parse_pr_type(v);
             if (!t)
               throw std::invalid_argument("'" + v +
                                           "' is not we, ea, we-ro, ea-ro, we-ar or ea-ar");
             return *t;
           });
         },
         "persistent reservation type (pr)")
      ->type_name("we|ea|we-ro|ea-ro|we-ar|ea-ar");
  cmd->add_option_function<std::string>(
         "--interval", [&s](const std::string& v) { s.interval_ms = parse_interval_option(v); },
         "refresh interval in seconds, millisecond resolution (e.g. 0.5); default: the module's")
      ->type_name("SEC");
  cmd->add_option_function<std::string>(
         "--lease", [&s](const std::string& v) { s.lease_ms = parse_lease_option(v); },
         "fence this node when no refresh succeeded for SEC seconds; 0 disables")
      ->type_name("SEC");
  cmd->add_option_function<std::string>(
         "--action", [&s](const std::string& v) { s.action = parse_action_option(v); },
         "what a reservation conflict does: restart (emergency_restart), panic, log (dry run)")
      ->type_name("restart|panic|log");
  cmd->add_option_function<std::string>(
         "--cdb",
         [&s](const std::string& v) {
           s.cdb_len = checked("--cdb", [&]() -> uint8_t {
             if (v == "6") return 6;
             if (v == "10") return 10;
             throw std::invalid_argument("'" + v + "' is not 6 or 10");
           });
         },
         "scsi2: force RESERVE(6)/RELEASE(6) or the 10-byte commands (default: 10, falling back to "
         "6)")
      ->type_name("6|10");
  cmd->add_option_function<std::string>(
         "--epoch-lba", [&s](const std::string& v) { s.epoch_lba = parse_epoch_lba_option(v); },
         "scsi2: the logical block set aside for the takeover epoch (zeroed, or written by "
         "resfence before); every acquire bumps it and a holder checks it before it re-reserves")
      ->type_name("LBA");
  cmd->add_flag("--aptpl", s.aptpl,
                "pr: register with APTPL, so that a target which persists registrations keeps "
                "this hold through its own restart (refused where the target cannot)");
  cmd->add_flag("--allow-reset-window", s.allow_reset_window,
                "scsi2 without --epoch-lba: accept that a reset after a takeover can hand the disk "
                "back to a node that was stalled through it (see timing.md)");
  cmd->add_flag("--single-path", s.single_path,
                "hold a disk that is one path of a multipath map by itself (only that path is "
                "armed; normally the map is held)");
  cmd->add_flag(
      "--no-rejoin-guard", [&s](std::int64_t) { s.rejoin_guard = false; },
      "take the disk even while an unacknowledged fence record names it (for sites "
      "whose cluster manager decides when a fenced node rejoins)");
}

resfence_mode effective_mode(const HoldSettings& s, const ModuleInfo& info) {
  if (s.mode) return *s.mode;
  if (info.mode == RESFENCE_MODE_SCSI2) return RESFENCE_MODE_SCSI2;
  return RESFENCE_MODE_PR;
}

void check_hold_settings(const HoldSettings& s, resfence_mode mode) {
  if (mode == RESFENCE_MODE_SCSI2) {
    if (s.key) throw CommandError(ExitCode::kUsage, "--key needs --mode pr");
    if (s.pr_type) throw CommandError(ExitCode::kUsage, "--type needs --mode pr");
  }
  if (mode == RESFENCE_MODE_PR && s.cdb_len)
    throw CommandError(ExitCode::kUsage, "--cdb needs --mode scsi2");
  if (mode == RESFENCE_MODE_PR && s.epoch_lba)
    throw CommandError(ExitCode::kUsage,
                       "--epoch-lba needs --mode scsi2 (a persistent reservation survives resets)");
  if (mode == RESFENCE_MODE_SCSI2 && s.aptpl)
    throw CommandError(ExitCode::kUsage,
                       "--aptpl needs --mode pr (no target keeps a SCSI-2 reservation through its "
                       "restart; the takeover epoch covers that)");
  if (mode == RESFENCE_MODE_PR && s.allow_reset_window)
    throw CommandError(ExitCode::kUsage, "--allow-reset-window needs --mode scsi2");
  if (mode == RESFENCE_MODE_SCSI2 && s.epoch_lba && s.allow_reset_window)
    throw CommandError(ExitCode::kUsage,
                       "--allow-reset-window and --epoch-lba exclude each other (the epoch closes "
                       "the window)");
  if (mode == RESFENCE_MODE_SCSI2 && !s.epoch_lba && !s.allow_reset_window)
    throw CommandError(
        ExitCode::kUsage,
        "scsi2 without a takeover epoch leaves a window open: after a takeover, a reset can hand "
        "the disk back to a node that was stalled through it, and the new owner is fenced "
        "(Documentation/timing.md); give --epoch-lba LBA (a block set aside for resfence), use "
        "--mode pr, or accept the window with --allow-reset-window");
  // The module refuses a lease that could expire between two healthy
  // refreshes; say so before asking it.
  if (s.interval_ms && s.lease_ms && *s.lease_ms != 0 && *s.lease_ms <= *s.interval_ms)
    throw CommandError(ExitCode::kUsage, "--lease must be longer than --interval (or 0)");
}

void check_multipath_settings(const HoldSettings& s, resfence_mode mode,
                              const ResolvedDevice& dev) {
  if (dev.paths.empty()) {
    check_not_map_path(dev, s.single_path);
    return;
  }
  const std::string what = dev.given + ": multipath map " + dev.map_name + " (" +
                           std::to_string(dev.paths.size()) + " paths)";
  if (s.single_path)
    throw CommandError(ExitCode::kUsage,
                       "--single-path names one path of a map, not the map (" + dev.given + ")");
  if (mode == RESFENCE_MODE_SCSI2)
    throw CommandError(ExitCode::kUsage,
                       what +
                           ": scsi2 cannot be held through several paths (a RESERVE belongs "
                           "to one I_T nexus, the other paths get RESERVATION CONFLICT): use "
                           "--mode pr with --type we-ro, ea-ro, we-ar or ea-ar");
  if (!s.pr_type || only_reserving_path_writes(*s.pr_type)) {
    const std::string type = s.pr_type ? pr_type_name(*s.pr_type) : "we (the default)";
    throw CommandError(ExitCode::kUsage,
                       what + ": type " + type +
                           " lets only the reserving path write, so the others would get "
                           "RESERVATION CONFLICT: use --type we-ro, ea-ro, we-ar or ea-ar");
  }
}

bool only_reserving_path_writes(resfence_pr_type t) {
  return t == RESFENCE_PR_WRITE_EXCLUSIVE || t == RESFENCE_PR_EXCLUSIVE_ACCESS;
}

std::vector<DeviceId> hold_paths(const ResolvedDevice& dev) {
  std::vector<DeviceId> out;
  out.reserve(dev.paths.size());
  for (const MapPath& p : dev.paths) out.push_back(p.dev);
  return out;
}

HoldRequest make_hold_request(const HoldSettings& s, resfence_mode mode, DeviceId dev,
                              Context& ctx) {
  HoldRequest r;
  r.dev = dev;
  r.mode = mode;
  if (mode == RESFENCE_MODE_PR) {
    const KeySpec spec = s.key.value_or(AutoKey{});
    if (const auto* k = std::get_if<uint64_t>(&spec)) {
      r.key = *k;
    } else {
      try {
        r.key = ctx.auto_key();
      } catch (const std::runtime_error& e) {
        throw CommandError(ExitCode::kFailure, std::string("--key auto: ") + e.what());
      }
    }
  }
  r.pr_type = s.pr_type;
  r.interval_ms = s.interval_ms;
  r.lease_ms = s.lease_ms;
  r.action = s.action;
  r.cdb_len = s.cdb_len;
  r.epoch_lba = s.epoch_lba;
  r.aptpl = s.aptpl;
  return r;
}

}  // namespace resfence
