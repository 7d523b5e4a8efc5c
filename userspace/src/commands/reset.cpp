// resfencectl reset DEV [--level lun|target|bus|host]: SG_SCSI_RESET. A LUN or
// target reset clears a SCSI-2 reservation; persistent reservations survive.
#include <CLI/CLI.hpp>
#include <ostream>
#include <system_error>

#include "commands/commands.h"
#include "errors.h"

namespace resfence {

CLI::App* add_reset_command(CLI::App& app, ResetOptions& o) {
  CLI::App* cmd = app.add_subcommand("reset", "issue a SCSI reset (SG_SCSI_RESET) to DEV");
  add_device_argument(cmd, o.device);
  cmd->add_option_function<std::string>(
         "--level",
         [&o](const std::string& v) {
           auto l = parse_reset_level(v);
           if (!l)
             throw CLI::ValidationError("--level", "'" + v + "' is not lun, target, bus or host");
           o.level = *l;
         },
         "what to reset (default lun)")
      ->type_name("lun|target|bus|host");
  return cmd;
}

// Shared with takeover and preempt: a reset failure as a CommandError.
void reset_device(const ResolvedDevice& dev, ResetLevel level, Context& ctx) {
  try {
    ctx.reset(dev, level);
  } catch (const std::system_error& e) {
    const int err = e.code().value();
    throw CommandError(exit_code_for_errno(err),
                       describe_errno(dev.given + ": " + reset_level_name(level) + " reset", err));
  }
}

void run_reset(const ResetOptions& o, Context& ctx) {
  const ResolvedDevice dev = ctx.resolve(o.device);
  check_not_map(dev, "reset");
  reset_device(dev, o.level, ctx);
  ctx.out << "reset " << dev.given << ": " << reset_level_name(o.level) << " reset done\n";
}

}  // namespace resfence
