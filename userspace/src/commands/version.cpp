// resfencectl version [--json]: the tool's version, then the module's (GET_INFO).
#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>

#include "commands/commands.h"
#include "output/json.h"
#include "output/text.h"

namespace resfence {

CLI::App* add_version_command(CLI::App& app, VersionOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("version", "print the versions of resfencectl and scsi_resfence");
  cmd->add_flag("--json", o.json, "machine-readable output (schema in resfencectl(8))");
  return cmd;
}

void run_version(const VersionOptions& o, Context& ctx) {
  if (!o.json) {
    // The tool's own line comes first so it prints even without the module.
    ctx.out << "resfencectl " << RESFENCECTL_VERSION << "\n" << std::flush;
    const auto api = ctx.connect();
    ctx.out << module_version_line(api->get_info()) << "\n";
    return;
  }
  // One JSON document either way: without the module (or without the right
  // to ask it) "module" is null, and the error still goes to stderr with
  // its exit code.
  std::optional<ModuleInfo> info;
  try {
    info = ctx.connect()->get_info();
  } catch (...) {
    ctx.out << version_json(std::nullopt).dump(2) << "\n";
    throw;
  }
  ctx.out << version_json(info).dump(2) << "\n";
}

}  // namespace resfence
