// The command line: CLI11 parses argv into one subcommand's options struct,
// then run_main() dispatches to its logic and turns errors into the
// "resfencectl: <verb>: ..." line and an exit code.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "commands/commands.h"
#include "context.h"

namespace resfence {

using CommandOptions =
    std::variant<VersionOptions, StatusOptions, HoldOptions, TakeoverOptions, PreemptOptions,
                 ReleaseOptions, KeysOptions, ResetOptions, MonitorOptions, DefaultsOptions,
                 LastFenceOptions, AckFenceOptions>;

struct Invocation {
  std::string verb;
  CommandOptions options;
};

// Parses args (without argv[0]). Throws CLI::ParseError, including
// CLI::CallForHelp for --help.
Invocation parse_command_line(const std::vector<std::string>& args);

// The whole tool: parse, run, report. Help goes to ctx.out (exit 0); usage
// errors to ctx.err (exit 2); command errors to ctx.err with their exit code.
int run_main(const std::vector<std::string>& args, Context& ctx);

}  // namespace resfence
