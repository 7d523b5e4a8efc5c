// resfencectl keys DEV [--json]: registered keys, PR generation and the
// reservation holder, read through the module (READ_KEYS, READ_RESERVATION).
#include <CLI/CLI.hpp>
#include <ostream>

#include "commands/commands.h"
#include "errors.h"
#include "lu_reads.h"
#include "output/json.h"
#include "output/text.h"

namespace resfence {

CLI::App* add_keys_command(CLI::App& app, KeysOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "keys", "show DEV's registered keys, PR generation and reservation holder");
  add_device_argument(cmd, o.device);
  cmd->add_flag("--json", o.json, "machine-readable output (schema in resfencectl(8))");
  return cmd;
}

void run_keys(const KeysOptions& o, Context& ctx) {
  const ResolvedDevice dev = ctx.resolve(o.device);
  const auto api = ctx.connect();
  KeysInfo keys;
  ReservationInfo res;
  try {
    // A map's LU is the same through every path: the first that answers.
    keys = read_lu_keys(*api, dev);
    res = read_lu_reservation(*api, dev);
  } catch (const NetlinkError& e) {
    throw command_error(dev.given, e);
  }
  if (o.json)
    ctx.out << keys_json(dev.given, dev.name, keys, res).dump(2) << "\n";
  else
    ctx.out << keys_text(dev.given, keys, res);
}

}  // namespace resfence
