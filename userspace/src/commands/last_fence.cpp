// resfencectl last-fence [--json]: why did this node restart? The newest
// fence record in pstore (kept under the state directory), or why the last
// restart left none.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "commands/commands.h"
#include "fence_store.h"

namespace resfence {

namespace {

nlohmann::ordered_json fence_json(const StoredFence& s) {
  const FenceRecord& r = s.record;
  std::string ns = std::to_string(r.nsec);
  ns.insert(0, 9 - ns.size(), '0');
  return {
      {"disk", r.disk},
      {"devt", r.devt},
      {"id", r.id},
      {"mode", r.mode},
      {"key", r.key},
      {"holder", r.holder},
      {"generation", r.generation},
      {"reason", r.reason},
      {"reason_text", fence_reason_text(r.reason)},
      {"action", r.action},
      {"time", fence_time_utc(r)},
      {"time_epoch", std::to_string(r.sec) + "." + ns},
      {"record", r.line},
      {"source", s.source},
      {"kept_in", s.file},
      {"first_seen_boot", s.first_seen_boot},
      {"acknowledged", !s.acked.empty()},
      {"acknowledged_at", s.acked},
  };
}

std::string one_line(const StoredFence& s) {
  const FenceRecord& r = s.record;
  return fence_time_utc(r) + " " + r.disk + " (" + r.devt + (r.id != "-" ? ", " + r.id : "") +
         "): " + fence_reason_text(r.reason) + ", " + r.action + "; " +
         (s.acked.empty() ? "not acknowledged" : "acknowledged " + s.acked);
}

// Why there is no record of the last restart, in one sentence.
std::string no_record_explanation(const FenceCollection& c,
                                  const std::vector<std::string>& problems,
                                  const std::string& backend) {
  if (!problems.empty())
    return "this machine may not keep fence records over a restart: " + problems.front();
  if (!c.fences.empty() && c.fences.back().first_seen_boot != c.boot_id)
    return "pstore (" + backend +
           ") keeps emergency restarts and held no new fence record: the last restart was not "
           "a fence by scsi_resfence (a reboot, a power cut, a crash)";
  if (c.newest_other_dump != 0)
    return "the newest dump in pstore (" + backend +
           ") is not a fence: the last restart was something else (an oops, a panic, a reboot)";
  return "pstore (" + backend +
         ") keeps emergency restarts and holds no fence record: the last restart was not a "
         "fence by scsi_resfence (a reboot, a power cut, a crash)";
}

// The record of the last restart, as text.
void print_fence(const StoredFence& last, std::ostream& out) {
  const FenceRecord& r = last.record;
  out << "The last restart was a fence.\n"
      << "  when:       " << fence_time_utc(r) << "\n"
      << "  disk:       " << r.disk << " (" << r.devt << ")" << (r.id != "-" ? ", " + r.id : "")
      << "\n"
      << "  key:        " << r.key << "\n"
      << "  holder:     " << r.holder << " (last seen), generation " << r.generation << "\n"
      << "  reason:     " << fence_reason_text(r.reason) << "\n"
      << "  action:     " << r.action << "\n"
      << "  kept in:    " << (last.file.empty() ? "(not kept: see the warning)" : last.file) << "\n"
      << "  found in:   " << last.source << "\n";
  if (last.acked.empty())
    out << "Not acknowledged: hold refuses this disk until 'resfencectl ack-fence " << r.disk
        << "'.\n";
  else
    out << "Acknowledged " << last.acked << ".\n";
}

nlohmann::ordered_json last_fence_json(const FenceCollection& c,
                                       const std::optional<StoredFence>& last,
                                       const std::vector<std::string>& problems,
                                       const std::string& backend, const std::string& state) {
  nlohmann::ordered_json j = {
      {"last_restart_fenced", last.has_value()},
      {"fence", last ? fence_json(*last) : nlohmann::ordered_json(nullptr)},
      {"explanation", last ? "" : no_record_explanation(c, problems, backend)},
      {"backend", backend},
      {"setup_problems", problems},
      {"warnings", c.warnings},
      {"unacknowledged", nlohmann::ordered_json::array()},
      {"state_dir", state},
  };
  for (const auto& s : c.fences)
    if (s.acked.empty()) j["unacknowledged"].push_back(fence_json(s));
  return j;
}

}  // namespace

CLI::App* add_last_fence_command(CLI::App& app, LastFenceOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "last-fence", "why this node last restarted: the fence record pstore kept, if any");
  cmd->add_flag("--json", o.json, "machine-readable output (schema in resfencectl(8))");
  return cmd;
}

void run_last_fence(const LastFenceOptions& o, Context& ctx) {
  const FenceCollection c = collect_fences(ctx.fences);
  const auto last = last_restart_fence(c);
  const auto problems = pstore_setup_problems(ctx.fences);
  const std::string backend = pstore_backend(ctx.fences);
  if (o.json) {
    ctx.out << last_fence_json(c, last, problems, backend, ctx.fences.state).dump(2) << "\n";
    return;
  }
  for (const auto& w : c.warnings) ctx.err << "resfencectl: last-fence: warning: " << w << "\n";
  if (last)
    print_fence(*last, ctx.out);
  else
    ctx.out << "The last restart left no fence record: "
            << no_record_explanation(c, problems, backend) << ".\n";
  for (std::size_t i = 1; i < problems.size(); i++) ctx.out << "  also: " << problems[i] << "\n";
  if (!c.fences.empty() && (!last || c.fences.size() > 1)) {
    ctx.out << "Fence records on file (" << ctx.fences.state << "):\n";
    for (const auto& s : c.fences) ctx.out << "  " << one_line(s) << "\n";
  }
}

}  // namespace resfence
