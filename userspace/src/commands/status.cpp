// resfencectl status [DEV] [--json]: the module's version and defaults, and
// the devices it holds (GET_DEVICE dump, or GET_DEVICE for one device).
#include <CLI/CLI.hpp>
#include <ostream>

#include "commands/commands.h"
#include "errors.h"
#include "fence_store.h"
#include "output/json.h"
#include "output/text.h"

namespace resfence {

CLI::App* add_status_command(CLI::App& app, StatusOptions& o) {
  CLI::App* cmd = app.add_subcommand("status", "show the module's defaults and held devices");
  cmd->add_option("device", o.device, "show only this device")->type_name("DEV");
  cmd->add_flag("--json", o.json, "machine-readable output (schema in resfencectl(8))");
  return cmd;
}

void run_status(const StatusOptions& o, Context& ctx) {
  std::optional<ResolvedDevice> dev;
  if (o.device) dev = ctx.resolve(*o.device);
  const auto api = ctx.connect();
  const ModuleInfo info = api->get_info();
  std::vector<DeviceInfo> devices;
  try {
    if (dev)
      devices.push_back(api->get_device(dev->dev));
    else
      devices = api->list_devices();
  } catch (const NetlinkError& e) {
    throw command_error(dev ? dev->given : "held devices", e);
  }
  // Whether a fence would leave evidence, and fences nobody acknowledged.
  const auto problems = pstore_setup_problems(ctx.fences);
  const FenceCollection fences = collect_fences(ctx.fences);
  std::vector<std::string> unacked;
  for (const auto& f : fences.fences)
    if (f.acked.empty())
      unacked.push_back(fence_time_utc(f.record) + " " + f.record.disk + " (" + f.record.devt +
                        "): " + fence_reason_text(f.record.reason));
  if (o.json) {
    auto j = status_json(info, devices);
    j["fence_records"] = nlohmann::ordered_json{{"backend", pstore_backend(ctx.fences)},
                                                {"setup_problems", problems},
                                                {"unacknowledged", unacked}};
    ctx.out << j.dump(2) << "\n";
    return;
  }
  ctx.out << status_text(info, devices);
  for (const auto& p : problems)
    ctx.err << "resfencectl: status: warning: fence records: " << p << "\n";
  for (const auto& u : unacked)
    ctx.err << "resfencectl: status: warning: unacknowledged fence: " << u
            << " (resfencectl last-fence, ack-fence)\n";
}

}  // namespace resfence
