// fence_resfence's actions, on the same Context as resfencectl's commands
// (the module over netlink, device resolution, output streams), so the unit
// tests run every action against the fake module.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "context.h"
#include "fence_agent/params.h"

namespace resfence::agent {

// The fence-agent API's exit codes. status: 0 the target can reach the disk
// (its key is registered on a device), 2 it cannot (fenced), 1 unknown.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitStatusOff = 2;

// The metadata XML (valid against fence-agents' metadata.rng).
std::string metadata_xml();

// Usage text for -h.
std::string usage_text();

// off: PREEMPT (AND ABORT where the target has it) the target's key on every
// device through the module, which then holds the device with this node's
// key; then read the keys back and check the target's key is gone and a
// reservation shuts unregistered nodes out. 0 only when verified on every
// device; each failing device gets its own line on ctx.err.
int fence_off(const Params& p, const std::string& local_name, Context& ctx);

// on (unfencing, run on the target itself): hold every device through the
// module with the target's key, which arms self-fencing. Already held with
// that key is success. The one place that decides whether this node may
// hold the devices.
int unfence_on(const Params& p, const std::string& local_name, Context& ctx);

// status with a target: 0 its key is registered on a device, 2 on none, 1 a
// device could not be read. Without a target: monitor.
int status(const Params& p, Context& ctx);

// monitor: every device resolves and its keys can be read through the module.
int monitor(const Params& p, Context& ctx);

// validate-all: the parameters, the devices (whole SCSI disks) and the key
// table (no collision), without touching the module.
int validate_all(const Params& p, const std::string& local_name, Context& ctx);

// The whole agent after input parsing: dispatch on p.action.
int run_agent(const Params& p, const std::string& local_name, Context& ctx);

// The whole agent: `args` empty means the parameters come on `stdin_text`
// (Pacemaker's way), else the command line. `hostname` is this node's name
// when local_node= is not given.
int agent_main(const std::vector<std::string>& args, std::string_view stdin_text,
               const std::string& hostname, Context& ctx);

}  // namespace resfence::agent
