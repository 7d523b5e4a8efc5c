// The subcommands. Each has an options struct that CLI11 fills (parsing and
// validation of values happen there), a function registering its options, and
// a run function holding the logic, which sees only the struct and a Context.
// run_* functions throw CommandError for every failure.
#pragma once

#include <optional>
#include <string>

#include "commands/hold_settings.h"
#include "context.h"
#include "scsi_reset.h"

namespace CLI {
class App;
}

namespace resfence {

struct VersionOptions {
  bool json = false;
};
struct StatusOptions {
  std::optional<std::string> device;
  bool json = false;
};
struct HoldOptions {
  std::string device;
  HoldSettings settings;
};
struct TakeoverOptions {
  std::string device;
  HoldSettings settings;
};
struct PreemptOptions {
  std::string device;
  HoldSettings settings;
  std::optional<uint64_t> victim;
  bool abort = false;
};
struct ReleaseOptions {
  std::string device;
};
struct KeysOptions {
  std::string device;
  bool json = false;
};
struct ResetOptions {
  std::string device;
  ResetLevel level = ResetLevel::kLun;
};
struct LastFenceOptions {
  bool json = false;
};
struct AckFenceOptions {
  std::string disk;
};
struct MonitorOptions {
  bool json = false;
};
// No setting given: show the defaults. Otherwise SET_DEFAULTS, then show them.
struct DefaultsOptions {
  std::optional<uint32_t> interval_ms;
  std::optional<uint32_t> lease_ms;  // --lease SEC: a fixed lease, 0 = none
  bool lease_auto = false;           // --lease auto: 2 x each hold's interval
  std::optional<resfence_action> action;
  std::optional<resfence_mode> mode;
  bool json = false;
};

CLI::App* add_version_command(CLI::App& app, VersionOptions& o);
CLI::App* add_status_command(CLI::App& app, StatusOptions& o);
CLI::App* add_hold_command(CLI::App& app, HoldOptions& o);
CLI::App* add_takeover_command(CLI::App& app, TakeoverOptions& o);
CLI::App* add_preempt_command(CLI::App& app, PreemptOptions& o);
CLI::App* add_release_command(CLI::App& app, ReleaseOptions& o);
CLI::App* add_keys_command(CLI::App& app, KeysOptions& o);
CLI::App* add_reset_command(CLI::App& app, ResetOptions& o);
CLI::App* add_monitor_command(CLI::App& app, MonitorOptions& o);
CLI::App* add_defaults_command(CLI::App& app, DefaultsOptions& o);
CLI::App* add_last_fence_command(CLI::App& app, LastFenceOptions& o);
CLI::App* add_ack_fence_command(CLI::App& app, AckFenceOptions& o);

void run_version(const VersionOptions& o, Context& ctx);
void run_status(const StatusOptions& o, Context& ctx);
void run_hold(const HoldOptions& o, Context& ctx);
void run_takeover(const TakeoverOptions& o, Context& ctx);
void run_preempt(const PreemptOptions& o, Context& ctx);
void run_release(const ReleaseOptions& o, Context& ctx);
void run_keys(const KeysOptions& o, Context& ctx);
void run_reset(const ResetOptions& o, Context& ctx);
void run_monitor(const MonitorOptions& o, Context& ctx);
void run_defaults(const DefaultsOptions& o, Context& ctx);
void run_last_fence(const LastFenceOptions& o, Context& ctx);
void run_ack_fence(const AckFenceOptions& o, Context& ctx);

// SG_SCSI_RESET through ctx.reset, failures as CommandError (reset.cpp; also
// used by takeover and preempt in scsi2 mode).
void reset_device(const ResolvedDevice& dev, ResetLevel level, Context& ctx);

}  // namespace resfence
