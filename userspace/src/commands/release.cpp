// resfencectl release DEV: stop refreshing and release the reservation.
#include <CLI/CLI.hpp>
#include <ostream>

#include "commands/commands.h"
#include "errors.h"

namespace resfence {

CLI::App* add_release_command(CLI::App& app, ReleaseOptions& o) {
  CLI::App* cmd = app.add_subcommand("release", "stop holding DEV and release its reservation");
  add_device_argument(cmd, o.device);
  return cmd;
}

void run_release(const ReleaseOptions& o, Context& ctx) {
  const ResolvedDevice dev = ctx.resolve(o.device);
  const auto api = ctx.connect();
  try {
    api->release(dev.dev);
  } catch (const NetlinkError& e) {
    throw command_error(dev.given, e);
  }
  ctx.out << "released " << dev.given << "\n";
}

}  // namespace resfence
