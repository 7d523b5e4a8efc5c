// resfencectl preempt DEV: take the disk by force, now. The master restarts
// on its next command. pr: PREEMPT (or PREEMPT AND ABORT) the holder's key.
// scsi2: LUN reset, then RESERVE at once. A multipath map is taken through
// every path (one PREEMPT naming them all: the module registers our key on
// each and preempts through the first); the holder is read through a path.
#include <CLI/CLI.hpp>
#include <ostream>

#include "commands/commands.h"
#include "errors.h"
#include "fence_store.h"
#include "lu_reads.h"
#include "names.h"
#include "output/text.h"
#include "victim.h"

namespace resfence {

CLI::App* add_preempt_command(CLI::App& app, PreemptOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("preempt", "take DEV by force and hold it; the current holder is fenced");
  add_device_argument(cmd, o.device);
  add_hold_settings(cmd, o.settings);
  cmd->add_option_function<std::string>(
         "--victim",
         [&o](const std::string& v) {
           try {
             o.victim = parse_key(v);
           } catch (const std::invalid_argument& e) {
             throw CLI::ValidationError("--victim", e.what());
           }
         },
         "pr: the key to preempt (default: the current reservation holder's)")
      ->type_name("KEY");
  cmd->add_flag("--abort", o.abort,
                "pr: PREEMPT AND ABORT (also abort the victim's queued commands)");
  return cmd;
}

void run_preempt(const PreemptOptions& o, Context& ctx) {
  const ResolvedDevice dev = ctx.resolve(o.device);
  check_not_map_path(dev, o.settings.single_path);
  if (o.settings.rejoin_guard) check_rejoin_guard(ctx.fences, dev);
  const auto api = ctx.connect();
  const resfence_mode mode = effective_mode(o.settings, api->get_info());
  if (mode == RESFENCE_MODE_SCSI2 && (o.victim || o.abort))
    throw CommandError(ExitCode::kUsage, "--victim and --abort need --mode pr");
  check_hold_settings(o.settings, mode);
  check_multipath_settings(o.settings, mode, dev);
  HoldRequest req = make_hold_request(o.settings, mode, dev.dev, ctx);
  req.paths = hold_paths(dev);

  if (mode == RESFENCE_MODE_SCSI2) {
    reset_device(dev, ResetLevel::kLun, ctx);
    DeviceInfo held;
    try {
      held = api->hold(req);
    } catch (const NetlinkError& e) {
      throw command_error(dev.given, e);
    }
    ctx.out << held_line("preempted", dev.given, held) << "\n";
    return;
  }

  std::optional<uint64_t> victim = o.victim;
  if (!victim) {
    try {
      const ReservationInfo res = read_lu_reservation(*api, dev);
      if (res.holder_key) {
        // All-registrants types report holder 0: the victim comes from the keys.
        const KeysInfo keys = *res.holder_key == 0 ? read_lu_keys(*api, dev) : KeysInfo{};
        victim = victim_key(res, keys, req.key);
      }
    } catch (const NetlinkError& e) {
      throw command_error(dev.given, e);
    } catch (const CommandError& e) {
      throw CommandError(e.code(), dev.given + ": " + e.what());
    }
  }
  DeviceInfo held;
  try {
    if (!victim) {
      ctx.out << "preempt " << dev.given << ": no reservation to preempt; holding\n";
      held = api->hold(req);
    } else {
      if (victim == req.key)
        throw CommandError(ExitCode::kUsage, dev.given + ": the victim " + format_key(*victim) +
                                                 " is this node's own key");
      req.victim_key = victim;
      req.abort = o.abort;
      held = api->preempt(req);
    }
  } catch (const NetlinkError& e) {
    throw command_error(dev.given, e);
  }
  ctx.out << held_line("preempted", dev.given, held);
  if (victim) ctx.out << ", victim " << format_key(*victim) << (o.abort ? " (abort)" : "");
  ctx.out << "\n";
}

}  // namespace resfence
