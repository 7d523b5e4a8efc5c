// resfencectl defaults [--interval SEC] [--lease SEC|auto] [--action A]
// [--mode M] [--json]: what a hold that names no setting gets. With no
// setting given it shows the module's defaults (GET_INFO); otherwise it
// changes the ones given (SET_DEFAULTS) and shows the result. The module
// judges the result as a whole (a fixed lease must outlast the interval,
// whether given here or already set), so its refusal carries its own words.
#include <CLI/CLI.hpp>
#include <ostream>

#include "commands/commands.h"
#include "errors.h"
#include "output/json.h"
#include "output/text.h"

namespace resfence {

namespace {

// The SET_DEFAULTS request the options ask for; nothing when they set no value.
std::optional<DefaultsRequest> defaults_request(const DefaultsOptions& o) {
  const DefaultsRequest r{o.interval_ms, o.lease_ms, o.lease_auto, o.action, o.mode};
  if (r == DefaultsRequest{}) return std::nullopt;
  // As for hold: when both are given here, say before asking that a lease
  // must outlast the interval (it would expire between healthy refreshes).
  if (r.interval_ms && r.lease_ms && *r.lease_ms != 0 && *r.lease_ms <= *r.interval_ms)
    throw CommandError(ExitCode::kUsage, "--lease must be longer than --interval (or 0, or auto)");
  return r;
}

}  // namespace

CLI::App* add_defaults_command(CLI::App& app, DefaultsOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "defaults", "show, or change, the settings a hold that names none gets from the module");
  cmd->add_option_function<std::string>(
         "--interval", [&o](const std::string& v) { o.interval_ms = parse_interval_option(v); },
         "default refresh interval in seconds, millisecond resolution (e.g. 0.5)")
      ->type_name("SEC");
  cmd->add_option_function<std::string>(
         "--lease",
         [&o](const std::string& v) {
           if (v == "auto") {
             o.lease_auto = true;
             o.lease_ms.reset();
           } else {
             o.lease_ms = parse_lease_option(v);
             o.lease_auto = false;
           }
         },
         "default lease in seconds (0 disables), or auto: twice each hold's own interval")
      ->type_name("SEC|auto");
  cmd->add_option_function<std::string>(
         "--action", [&o](const std::string& v) { o.action = parse_action_option(v); },
         "default action on a reservation conflict: restart, panic, log")
      ->type_name("restart|panic|log");
  cmd->add_option_function<std::string>(
         "--mode", [&o](const std::string& v) { o.mode = parse_mode_option(v); },
         "default reservation mode: pr or scsi2")
      ->type_name("pr|scsi2");
  cmd->add_flag("--json", o.json, "machine-readable output (schema in resfencectl(8))");
  return cmd;
}

void run_defaults(const DefaultsOptions& o, Context& ctx) {
  const std::optional<DefaultsRequest> req = defaults_request(o);
  const auto api = ctx.connect();
  if (req) {
    try {
      api->set_defaults(*req);
    } catch (const NetlinkError& e) {
      throw command_error("cannot set the defaults", e);
    }
  }
  const ModuleInfo info = api->get_info();
  if (o.json)
    ctx.out << defaults_json(info).dump(2) << "\n";
  else
    ctx.out << "defaults: " << defaults_text(info) << "\n";
}

}  // namespace resfence
