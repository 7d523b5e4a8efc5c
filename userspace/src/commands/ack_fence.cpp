// resfencectl ack-fence DISK: someone has looked into why this node was
// fenced from DISK; the rejoin guard lets hold take it again.
#include <CLI/CLI.hpp>
#include <ostream>

#include "commands/commands.h"
#include "errors.h"
#include "fence_store.h"

namespace resfence {

CLI::App* add_ack_fence_command(CLI::App& app, AckFenceOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "ack-fence", "acknowledge this node's fence records for DISK: hold may take it again");
  cmd->add_option("disk", o.disk,
                  "the disk: a device (matched by its VPD 83 identity), or the name or identity "
                  "a record gives")
      ->required()
      ->type_name("DISK");
  return cmd;
}

void run_ack_fence(const AckFenceOptions& o, Context& ctx) {
  std::string id;
  std::string name = o.disk;
  if (name.starts_with("/dev/")) name = name.substr(5);
  std::optional<ResolvedDevice> dev;
  try {
    dev = ctx.resolve(o.disk);
  } catch (const CommandError&) {
    // Not a disk here (any more): match the name or identity literally.
  }
  if (dev) {
    id = disk_lu_id(ctx.fences, *dev);
    name = dev->name;
  }
  const FenceCollection c = collect_fences(ctx.fences);
  std::vector<StoredFence> matching;
  for (const auto& s : c.fences)
    if (dev ? record_matches_disk(s.record, id, name)
            : (s.record.disk == name || s.record.id == o.disk))
      matching.push_back(s);
  if (matching.empty())
    throw CommandError(ExitCode::kFailure, o.disk + ": no fence record names this disk (" +
                                               std::to_string(c.fences.size()) +
                                               " on file; resfencectl last-fence lists them)");
  const auto done = ack_fences(ctx.fences, matching);
  if (done.empty()) {
    ctx.out << o.disk << ": every fence record for it was already acknowledged\n";
    return;
  }
  for (const auto& s : done)
    ctx.out << "acknowledged the fence of " << fence_time_utc(s.record) << " (" << s.record.disk
            << ": " << fence_reason_text(s.record.reason) << ")\n";
}

}  // namespace resfence
