#include "cli.h"

#include <CLI/CLI.hpp>
#include <ostream>
#include <sstream>
#include <system_error>

#include "errors.h"

namespace resfence {

namespace {

// Owns the CLI11 app and the option structs it writes into.
class CommandLine {
 public:
  CommandLine()
      : app_("resfencectl: configure scsi_resfence and fence shared SCSI disks", "resfencectl") {
    app_.require_subcommand(1);
    app_.fallthrough(false);
    app_.set_help_all_flag("--help-all", "help for every subcommand");
    commands_ = {
        {add_hold_command(app_, hold_), [this] { return CommandOptions(hold_); }},
        {add_takeover_command(app_, takeover_), [this] { return CommandOptions(takeover_); }},
        {add_preempt_command(app_, preempt_), [this] { return CommandOptions(preempt_); }},
        {add_release_command(app_, release_), [this] { return CommandOptions(release_); }},
        {add_status_command(app_, status_), [this] { return CommandOptions(status_); }},
        {add_keys_command(app_, keys_), [this] { return CommandOptions(keys_); }},
        {add_reset_command(app_, reset_), [this] { return CommandOptions(reset_); }},
        {add_monitor_command(app_, monitor_), [this] { return CommandOptions(monitor_); }},
        {add_defaults_command(app_, defaults_), [this] { return CommandOptions(defaults_); }},
        {add_version_command(app_, version_), [this] { return CommandOptions(version_); }},
        {add_last_fence_command(app_, last_fence_), [this] { return CommandOptions(last_fence_); }},
        {add_ack_fence_command(app_, ack_fence_), [this] { return CommandOptions(ack_fence_); }},
    };
  }

  Invocation parse(const std::vector<std::string>& args) {
    // CLI11 takes the remaining arguments in reverse order.
    std::vector<std::string> rev(args.rbegin(), args.rend());
    app_.parse(rev);
    for (const auto& [cmd, get] : commands_)
      if (cmd->parsed()) return {cmd->get_name(), get()};
    throw CLI::RequiredError("a subcommand");
  }

  CLI::App& app() { return app_; }

  // The subcommand named so far, for error messages about a failed parse.
  [[nodiscard]] std::string verb() const {
    for (const auto& [cmd, get] : commands_)
      if (cmd->parsed()) return cmd->get_name();
    return "usage";
  }

 private:
  CLI::App app_;
  VersionOptions version_;
  StatusOptions status_;
  HoldOptions hold_;
  TakeoverOptions takeover_;
  PreemptOptions preempt_;
  ReleaseOptions release_;
  KeysOptions keys_;
  ResetOptions reset_;
  MonitorOptions monitor_;
  DefaultsOptions defaults_;
  LastFenceOptions last_fence_;
  AckFenceOptions ack_fence_;
  std::vector<std::pair<CLI::App*, std::function<CommandOptions()>>> commands_;
};

void dispatch(const CommandOptions& options, Context& ctx) {
  std::visit(
      [&ctx](const auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, VersionOptions>)
          run_version(o, ctx);
        else if constexpr (std::is_same_v<T, StatusOptions>)
          run_status(o, ctx);
        else if constexpr (std::is_same_v<T, HoldOptions>)
          run_hold(o, ctx);
        else if constexpr (std::is_same_v<T, TakeoverOptions>)
          run_takeover(o, ctx);
        else if constexpr (std::is_same_v<T, PreemptOptions>)
          run_preempt(o, ctx);
        else if constexpr (std::is_same_v<T, ReleaseOptions>)
          run_release(o, ctx);
        else if constexpr (std::is_same_v<T, KeysOptions>)
          run_keys(o, ctx);
        else if constexpr (std::is_same_v<T, ResetOptions>)
          run_reset(o, ctx);
        else if constexpr (std::is_same_v<T, MonitorOptions>)
          run_monitor(o, ctx);
        else if constexpr (std::is_same_v<T, DefaultsOptions>)
          run_defaults(o, ctx);
        else if constexpr (std::is_same_v<T, LastFenceOptions>)
          run_last_fence(o, ctx);
        else if constexpr (std::is_same_v<T, AckFenceOptions>)
          run_ack_fence(o, ctx);
      },
      options);
}

}  // namespace

Invocation parse_command_line(const std::vector<std::string>& args) {
  CommandLine cl;
  return cl.parse(args);
}

int run_main(const std::vector<std::string>& args, Context& ctx) {
  CommandLine cl;
  Invocation inv;
  try {
    inv = cl.parse(args);
  } catch (const CLI::CallForHelp& e) {
    std::ostringstream unused;
    return cl.app().exit(e, ctx.out, unused);
  } catch (const CLI::CallForAllHelp& e) {
    std::ostringstream unused;
    return cl.app().exit(e, ctx.out, unused);
  } catch (const CLI::ParseError& e) {
    ctx.err << format_error_line(cl.verb(), e.what()) << "\n"
            << "Run 'resfencectl " << (cl.verb() == "usage" ? "" : cl.verb() + " ")
            << "--help' for usage.\n";
    return to_int(ExitCode::kUsage);
  }
  try {
    dispatch(inv.options, ctx);
    ctx.out << std::flush;
    return to_int(ExitCode::kOk);
  } catch (const CommandError& e) {
    ctx.out << std::flush;
    ctx.err << format_error_line(inv.verb, e.what()) << "\n";
    return to_int(e.code());
  } catch (const ModuleMissingError& e) {
    ctx.out << std::flush;
    ctx.err << format_error_line(inv.verb, e.what()) << "\n";
    return to_int(ExitCode::kModuleMissing);
  } catch (const NetlinkError& e) {
    // A request without a more specific subject (GET_INFO, say).
    ctx.out << std::flush;
    ctx.err << format_error_line(inv.verb, describe_errno("resfence module", e.error(), e.extack()))
            << "\n";
    return to_int(exit_code_for_errno(e.error()));
  } catch (const std::system_error& e) {
    ctx.err << format_error_line(inv.verb, e.what()) << "\n";
    return to_int(ExitCode::kFailure);
  } catch (const std::exception& e) {
    ctx.err << format_error_line(inv.verb, e.what()) << "\n";
    return to_int(ExitCode::kFailure);
  }
}

}  // namespace resfence
