// resfencectl version: the tool's version, then the module's (GET_INFO).
#include <CLI/CLI.hpp>
#include <ostream>

#include "commands/commands.h"

namespace resfence {

CLI::App* add_version_command(CLI::App& app, VersionOptions& /*o*/) {
  return app.add_subcommand("version", "print the versions of resfencectl and scsi_resfence");
}

void run_version(const VersionOptions& /*o*/, Context& ctx) {
  // The tool's own line comes first so it prints even without the module.
  ctx.out << "resfencectl " << RESFENCECTL_VERSION << "\n" << std::flush;
  const auto api = ctx.connect();
  const ModuleInfo info = api->get_info();
  ctx.out << "scsi_resfence " << info.version << " (genl family " << RESFENCE_GENL_NAME
          << ", version " << RESFENCE_GENL_VERSION << ")\n";
}

}  // namespace resfence
