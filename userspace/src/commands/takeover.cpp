// resfencectl takeover DEV: the careful failover of the 2001 design. Take the
// disk only after giving a live master the time to prove it is alive.
//
//   scsi2: reset the LUN (clearing the master's RESERVE), wait, RESERVE. A
//          live master re-reserved during the wait, so our RESERVE conflicts:
//          exit 5 (master alive).
//   pr:    read the PR generation and the holder, wait, read again. The
//          master's module re-registers on every refresh, which moves the
//          generation: if it moved, exit 5. If not, PREEMPT the holder's key
//          and hold.
//
// A multipath map (pr only) is read through one of its paths (the LU is the
// same on each) and taken through all of them, as `hold` holds it.
//
// The wait is takeover_timing(): max(2 x interval, lease) + margin, where
// interval and lease are the master's (--interval/--lease, by default this
// node's module defaults: a cluster runs one configuration; see
// takeover_timing_for() for the default lease).
#include <CLI/CLI.hpp>
#include <chrono>
#include <ostream>

#include "commands/commands.h"
#include "duration.h"
#include "errors.h"
#include "fence_store.h"
#include "lu_reads.h"
#include "names.h"
#include "output/text.h"
#include "takeover_timing.h"
#include "victim.h"

namespace resfence {

namespace {

std::string timing_text(const TakeoverTiming& t) {
  return format_seconds(t.wait_ms) + " (max(2 x interval " + format_seconds(t.interval_ms) +
         ", lease " + (t.lease_ms == 0 ? std::string("off") : format_seconds(t.lease_ms)) +
         ") + margin " + format_seconds(t.margin_ms) + ")";
}

// Prints `announcement`, then waits; the announcement comes only once a
// SIGINT/SIGTERM would interrupt the wait cleanly.
void wait_for_master(const TakeoverTiming& t, const std::string& announcement, Context& ctx) {
  auto announce = [&] { ctx.out << announcement << std::endl; };
  if (!ctx.sleep(std::chrono::milliseconds(t.wait_ms), announce))
    throw CommandError(ExitCode::kInterrupted, "interrupted during the wait; nothing was acquired");
}

void takeover_scsi2(const ResolvedDevice& dev, const HoldRequest& req, const TakeoverTiming& t,
                    ResfenceApi& api, Context& ctx) {
  reset_device(dev, ResetLevel::kLun, ctx);
  wait_for_master(t,
                  "takeover " + dev.given + ": LUN reset; waiting " + timing_text(t) +
                      " for a live master to re-reserve",
                  ctx);
  DeviceInfo held;
  try {
    held = api.hold(req);
  } catch (const NetlinkError& e) {
    if (e.error() == EBUSY)
      throw CommandError(ExitCode::kMasterAlive,
                         describe_errno(dev.given + ": master alive: it re-reserved the disk "
                                                    "after the reset",
                                        e.error(), e.extack()));
    throw command_error(dev.given, e);
  }
  ctx.out << held_line("held", dev.given, held) << "\n";
}

// The holder has our key: either our module already holds the disk, or
// another node uses the same key. Neither is a takeover.
[[noreturn]] void refuse_own_key(const ResolvedDevice& dev, uint64_t key, ResfenceApi& api) {
  try {
    api.get_device(dev.dev);
  } catch (const NetlinkError& e) {
    if (e.error() != ENOENT) throw command_error(dev.given, e);
    throw CommandError(ExitCode::kHeldElsewhere,
                       dev.given + ": the reservation holder's key " + format_key(key) +
                           " is this node's key, but this node does not hold the disk: another "
                           "node uses the same key (a cloned /etc/machine-id with --key auto?)");
  }
  throw CommandError(ExitCode::kFailure, dev.given + ": already held by this node");
}

void takeover_pr(const ResolvedDevice& dev, HoldRequest req, const TakeoverTiming& t,
                 ResfenceApi& api, Context& ctx) {
  KeysInfo before;
  ReservationInfo holder;
  try {
    before = read_lu_keys(api, dev);
    holder = read_lu_reservation(api, dev);
  } catch (const NetlinkError& e) {
    throw command_error(dev.given, e);
  }
  if (!holder.holder_key) {
    // Nobody holds a reservation: there is no master to wait for.
    ctx.out << "takeover " << dev.given << ": no reservation (PR generation " << before.generation
            << "); holding" << std::endl;
    DeviceInfo held;
    try {
      held = api.hold(req);
    } catch (const NetlinkError& e) {
      throw command_error(dev.given, e);
    }
    ctx.out << held_line("held", dev.given, held) << "\n";
    return;
  }
  uint64_t victim = 0;
  try {
    victim = victim_key(holder, before, req.key);
  } catch (const CommandError& e) {
    throw CommandError(e.code(), dev.given + ": " + e.what());
  }
  if (victim == req.key) refuse_own_key(dev, victim, api);
  wait_for_master(t,
                  "takeover " + dev.given + ": held by " + format_key(victim) + ", PR generation " +
                      std::to_string(before.generation) + "; waiting " + timing_text(t) +
                      " for the master's heartbeat",
                  ctx);
  KeysInfo after;
  ReservationInfo holder_after;
  try {
    after = read_lu_keys(api, dev);
    holder_after = read_lu_reservation(api, dev);
  } catch (const NetlinkError& e) {
    throw command_error(dev.given, e);
  }
  if (after.generation != before.generation)
    throw CommandError(ExitCode::kMasterAlive,
                       dev.given + ": master alive: PR generation moved from " +
                           std::to_string(before.generation) + " to " +
                           std::to_string(after.generation) + " during the wait");
  if (holder_after.holder_key != holder.holder_key)
    throw CommandError(
        ExitCode::kHeldElsewhere,
        dev.given + ": the reservation changed hands during the wait (now " +
            (holder_after.holder_key ? format_key(*holder_after.holder_key) : std::string("none")) +
            ")");
  req.victim_key = victim;
  DeviceInfo held;
  try {
    held = api.preempt(req);
  } catch (const NetlinkError& e) {
    throw command_error(dev.given, e);
  }
  ctx.out << "takeover " << dev.given << ": master " << format_key(victim) << " silent for "
          << format_seconds(t.wait_ms) << "; preempted"
          << "\n";
  ctx.out << held_line("held", dev.given, held) << "\n";
}

}  // namespace

CLI::App* add_takeover_command(CLI::App& app, TakeoverOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "takeover", "take DEV over from a master only if it shows no sign of life");
  add_device_argument(cmd, o.device);
  add_hold_settings(cmd, o.settings);
  return cmd;
}

void run_takeover(const TakeoverOptions& o, Context& ctx) {
  const ResolvedDevice dev = ctx.resolve(o.device);
  check_not_map_path(dev, o.settings.single_path);
  if (o.settings.rejoin_guard) check_rejoin_guard(ctx.fences, dev);
  const auto api = ctx.connect();
  const ModuleInfo info = api->get_info();
  const resfence_mode mode = effective_mode(o.settings, info);
  check_hold_settings(o.settings, mode);
  check_multipath_settings(o.settings, mode, dev);
  HoldRequest req = make_hold_request(o.settings, mode, dev.dev, ctx);
  req.paths = hold_paths(dev);
  const TakeoverTiming t = takeover_timing_for(o.settings.interval_ms, o.settings.lease_ms, info);
  if (mode == RESFENCE_MODE_SCSI2)
    takeover_scsi2(dev, req, t, *api, ctx);
  else
    takeover_pr(dev, req, t, *api, ctx);
}

}  // namespace resfence
