// resfencectl hold DEV: acquire the reservation and hand it to the module,
// which refreshes it and fences this node on a conflict. A multipath map is
// held through each of its paths (one HOLD naming them all).
#include <CLI/CLI.hpp>
#include <ostream>

#include "commands/commands.h"
#include "errors.h"
#include "fence_store.h"
#include "output/text.h"

namespace resfence {

CLI::App* add_hold_command(CLI::App& app, HoldOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "hold", "acquire the reservation on DEV and keep it; a conflict fences this node");
  add_device_argument(cmd, o.device);
  add_hold_settings(cmd, o.settings);
  return cmd;
}

void run_hold(const HoldOptions& o, Context& ctx) {
  const ResolvedDevice dev = ctx.resolve(o.device);
  if (o.settings.rejoin_guard) check_rejoin_guard(ctx.fences, dev);
  const auto api = ctx.connect();
  const resfence_mode mode = effective_mode(o.settings, api->get_info());
  check_hold_settings(o.settings, mode);
  check_multipath_settings(o.settings, mode, dev);
  HoldRequest req = make_hold_request(o.settings, mode, dev.dev, ctx);
  req.paths = hold_paths(dev);
  DeviceInfo held;
  try {
    held = api->hold(req);
  } catch (const NetlinkError& e) {
    throw command_error(dev.given, e);
  }
  ctx.out << held_line("held", dev.given, held) << "\n";
}

}  // namespace resfence
