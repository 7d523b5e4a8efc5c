#include "fence_agent/agent.h"

#include <algorithm>
#include <cerrno>
#include <memory>
#include <ostream>
#include <string>

#include "commands/hold_settings.h"
#include "errors.h"
#include "fence_agent/node_key.h"
#include "lu_reads.h"
#include "names.h"

namespace resfence::agent {

namespace {

// "fence_resfence: off: <what>" on ctx.err.
void report(Context& ctx, const Params& p, const std::string& what) {
  ctx.err << "fence_resfence: " << action_name(p.action) << ": " << what << "\n";
}

void note(Context& ctx, const Params& p, const std::string& what) {
  ctx.out << "fence_resfence: " << action_name(p.action) << ": " << what << "\n";
}

bool need_devices(const Params& p, Context& ctx) {
  if (!p.devices.empty()) return true;
  report(ctx, p, "no devices: give devices=/dev/sdX[,/dev/sdY...] (-d)");
  return false;
}

std::string describe(const NetlinkError& e) { return describe_errno("", e.error(), e.extack()); }

// A device the agent registers through (on, off): a dm-multipath map is
// registered through every path, which only types that let every registered
// nexus write survive; a bare path of a map would register and arm one path
// while the node writes through all of them. Throws CommandError.
void check_agent_device(const ResolvedDevice& dev, const Params& p) {
  check_not_map_path(dev, false);
  if (dev.paths.empty()) return;
  if (only_reserving_path_writes(p.pr_type))
    throw CommandError(ExitCode::kUsage,
                       dev.given + ": multipath map " + dev.map_name +
                           ": pr_type=" + pr_type_name(p.pr_type) +
                           " lets only the reserving path write, so the others would get "
                           "RESERVATION CONFLICT: use pr_type=we-ar (the default), ea-ar, we-ro "
                           "or ea-ro");
}

// The victim's key removed from one device. PREEMPT takes the device into a
// hold of this node's; a node that holds it already (it was unfenced: `on`)
// removes the victim through that hold instead (EVICT), which stays as it is.
class VictimRemoval {
 public:
  VictimRemoval(ResfenceApi& api, HoldRequest req) : api_(api), req_(std::move(req)) {}

  // Sends it, with plain PREEMPT again where the target refuses PREEMPT AND
  // ABORT (tgt). Returns false when the victim's key was not registered
  // (ESRCH: the caller's check decides); throws CommandError otherwise.
  bool run(const std::string& path) {
    try {
      send();
      return true;
    } catch (const NetlinkError& e) {
      if (e.error() == ESRCH) return false;
      if (e.error() != EOPNOTSUPP || !req_.abort)
        throw CommandError(ExitCode::kFailure, path + ": " + how() + describe(e));
    }
    req_.abort = false;
    refused_abort_ = true;
    try {
      send();
      return true;
    } catch (const NetlinkError& e) {
      if (e.error() == ESRCH) return false;
      throw CommandError(ExitCode::kFailure, path + ": PREEMPT" + describe(e));
    }
  }

  // What was sent, for the report.
  [[nodiscard]] std::string how() const {
    std::string h = refused_abort_ ? "PREEMPT (the target refused PREEMPT AND ABORT)"
                    : req_.abort   ? "PREEMPT AND ABORT"
                                   : "PREEMPT";
    if (held_) h += " through this node's own hold";
    return h;
  }

 private:
  void send() {
    if (!held_) {
      try {
        api_.preempt(req_);
        return;
      } catch (const NetlinkError& e) {
        if (e.error() != EEXIST) throw;
        held_ = true;
      }
    }
    api_.evict(req_);
  }

  ResfenceApi& api_;
  HoldRequest req_;
  bool held_ = false;
  bool refused_abort_ = false;
};

// One device of an `off`. Throws CommandError with the reason it failed.
std::string fence_device(const std::string& path, uint64_t own, uint64_t victim, const Params& p,
                         ResfenceApi& api, Context& ctx) {
  const ResolvedDevice dev = ctx.resolve(path);
  check_agent_device(dev, p);
  HoldRequest req;
  req.dev = dev.dev;
  req.paths = hold_paths(dev);
  req.mode = RESFENCE_MODE_PR;
  req.key = own;
  req.pr_type = p.pr_type;
  req.victim_key = victim;
  req.abort = p.abort;
  VictimRemoval removal(api, req);
  const bool preempted = removal.run(path);
  const std::string how = removal.how();
  KeysInfo keys;
  ReservationInfo res;
  try {
    keys = read_lu_keys(api, dev);
    res = read_lu_reservation(api, dev);
  } catch (const NetlinkError& e) {
    throw CommandError(ExitCode::kFailure, path + ": verifying: READ KEYS" + describe(e));
  }
  if (std::ranges::find(keys.keys, victim) != keys.keys.end())
    throw CommandError(ExitCode::kFailure,
                       path + ": key " + format_key(victim) + " is still registered after " + how);
  if (!res.holder_key)
    throw CommandError(ExitCode::kFailure,
                       path + ": key " + format_key(victim) +
                           " is not registered, but the device has no reservation: the " +
                           "target's writes would not be refused");
  if (!preempted)
    return path + ": key " + format_key(victim) +
           " was not registered; the reservation shuts it out (already fenced)";
  return path + ": key " + format_key(victim) + " removed by " + how + ", verified";
}

std::unique_ptr<ResfenceApi> connect(const Params& p, Context& ctx) {
  try {
    return ctx.connect();
  } catch (const ModuleMissingError& e) {
    report(ctx, p, e.what());
    return nullptr;
  }
}

}  // namespace

int fence_off(const Params& p, const std::string& local_name, Context& ctx) {
  if (!need_devices(p, ctx)) return kExitError;
  uint64_t own = 0;
  uint64_t victim = 0;
  try {
    check_collisions(p, local_name);
    own = derive_node_key(local_name);
    victim = target_key(p);
  } catch (const ParamError& e) {
    report(ctx, p, e.what());
    return kExitError;
  }
  if (victim == own) {
    report(ctx, p,
           "the target's key " + format_key(victim) + " is this node's own (local node '" +
               local_name + "'): a node does not fence itself through its own devices");
    return kExitError;
  }
  if (p.verbose)
    note(ctx, p,
         "target " + target_of(p).value_or("(key=)") + ": key " + format_key(victim) +
             "; this node '" + local_name + "': key " + format_key(own));
  const auto api = connect(p, ctx);
  if (!api) return kExitError;
  int failed = 0;
  for (const auto& path : p.devices) {
    try {
      note(ctx, p, fence_device(path, own, victim, p, *api, ctx));
    } catch (const CommandError& e) {
      report(ctx, p, e.what());
      ++failed;
    }
  }
  if (failed != 0) {
    report(ctx, p,
           std::to_string(failed) + " of " + std::to_string(p.devices.size()) +
               " devices not fenced: the target is NOT fenced");
    return kExitError;
  }
  return kExitOk;
}

int unfence_on(const Params& p, const std::string& local_name, Context& ctx) {
  if (!need_devices(p, ctx)) return kExitError;
  uint64_t key = 0;
  try {
    check_collisions(p, local_name);
    key = target_key(p);
    const auto t = target_of(p);
    // Holding another node's key here would let this node be fenced in its
    // place, and leave the other one writing.
    if (t && !p.key && !t->starts_with("0x") && !t->starts_with("0X") &&
        ascii_lower(*t) != ascii_lower(local_name))
      throw ParamError("'on' is unfencing and runs on the target itself: the target is '" + *t +
                       "', this node is '" + local_name + "' (set local_node= if its cluster " +
                       "name is not uname -n)");
  } catch (const ParamError& e) {
    report(ctx, p, e.what());
    return kExitError;
  }
  const auto api = connect(p, ctx);
  if (!api) return kExitError;
  int failed = 0;
  for (const auto& path : p.devices) {
    try {
      const ResolvedDevice dev = ctx.resolve(path);
      check_agent_device(dev, p);
      HoldRequest req;
      req.dev = dev.dev;
      req.paths = hold_paths(dev);
      req.mode = RESFENCE_MODE_PR;
      req.key = key;
      req.pr_type = p.pr_type;
      req.interval_ms = p.interval_ms;
      try {
        api->hold(req);
        note(ctx, p,
             path + ": held with key " + format_key(key) + " (" + pr_type_name(p.pr_type) +
                 "), self-fencing armed");
      } catch (const NetlinkError& e) {
        if (e.error() != EEXIST) throw CommandError(ExitCode::kFailure, path + describe(e));
        const DeviceInfo held = api->get_device(dev.dev);
        if (held.key != key)
          throw CommandError(ExitCode::kFailure,
                             path + ": already held by this node with key " +
                                 (held.key ? format_key(*held.key) : std::string("(none)")) +
                                 ", not " + format_key(key));
        note(ctx, p, path + ": already held with key " + format_key(key));
      }
    } catch (const CommandError& e) {
      report(ctx, p, e.what());
      ++failed;
    } catch (const NetlinkError& e) {
      report(ctx, p, path + describe(e));
      ++failed;
    }
  }
  return failed == 0 ? kExitOk : kExitError;
}

int monitor(const Params& p, Context& ctx) {
  if (!need_devices(p, ctx)) return kExitError;
  const auto api = connect(p, ctx);
  if (!api) return kExitError;
  int failed = 0;
  for (const auto& path : p.devices) {
    try {
      const ResolvedDevice dev = ctx.resolve(path);
      read_lu_keys(*api, dev);
    } catch (const CommandError& e) {
      report(ctx, p, e.what());
      ++failed;
    } catch (const NetlinkError& e) {
      report(ctx, p, path + ": READ KEYS" + describe(e));
      ++failed;
    }
  }
  return failed == 0 ? kExitOk : kExitError;
}

int status(const Params& p, Context& ctx) {
  if (!target_of(p) && !p.key) return monitor(p, ctx);
  if (!need_devices(p, ctx)) return kExitError;
  uint64_t key = 0;
  try {
    key = target_key(p);
  } catch (const ParamError& e) {
    report(ctx, p, e.what());
    return kExitError;
  }
  const auto api = connect(p, ctx);
  if (!api) return kExitError;
  bool registered = false;
  for (const auto& path : p.devices) {
    try {
      const ResolvedDevice dev = ctx.resolve(path);
      const KeysInfo keys = read_lu_keys(*api, dev);
      if (std::ranges::find(keys.keys, key) != keys.keys.end()) registered = true;
    } catch (const CommandError& e) {
      report(ctx, p, e.what());
      return kExitError;
    } catch (const NetlinkError& e) {
      report(ctx, p, path + ": READ KEYS" + describe(e));
      return kExitError;
    }
  }
  ctx.out << "Status: " << (registered ? "ON" : "OFF") << "\n";
  return registered ? kExitOk : kExitStatusOff;
}

int validate_all(const Params& p, const std::string& local_name, Context& ctx) {
  if (!need_devices(p, ctx)) return kExitError;
  try {
    check_collisions(p, local_name);
    if (target_of(p) || p.key) {
      if (target_key(p) == derive_node_key(local_name) && p.action == Action::kOff)
        throw ParamError("the target's key is this node's own");
    }
  } catch (const ParamError& e) {
    report(ctx, p, e.what());
    return kExitError;
  }
  int failed = 0;
  for (const auto& path : p.devices) {
    try {
      check_agent_device(ctx.resolve(path), p);
    } catch (const CommandError& e) {
      report(ctx, p, e.what());
      ++failed;
    }
  }
  return failed == 0 ? kExitOk : kExitError;
}

int run_agent(const Params& p, const std::string& local_name, Context& ctx) {
  switch (p.action) {
    case Action::kOff:
      return fence_off(p, local_name, ctx);
    case Action::kOn:
      return unfence_on(p, local_name, ctx);
    case Action::kStatus:
      return status(p, ctx);
    case Action::kMonitor:
      return monitor(p, ctx);
    case Action::kMetadata:
      ctx.out << metadata_xml();
      return kExitOk;
    case Action::kValidateAll:
      return validate_all(p, local_name, ctx);
  }
  return kExitError;
}

int agent_main(const std::vector<std::string>& args, std::string_view stdin_text,
               const std::string& hostname, Context& ctx) {
  Params p;
  try {
    p = to_params(args.empty() ? parse_stdin(stdin_text) : parse_command_line(args));
  } catch (const ParamError& e) {
    ctx.err << "fence_resfence: " << e.what() << "\n";
    return kExitError;
  }
  if (p.help) {
    ctx.out << usage_text();
    return kExitOk;
  }
  if (p.version) {
    ctx.out << "fence_resfence " << RESFENCECTL_VERSION << "\n";
    return kExitOk;
  }
  const std::string local = p.local_node.value_or(hostname);
  try {
    const int rc = run_agent(p, local, ctx);
    ctx.out << std::flush;
    return rc;
  } catch (const std::exception& e) {
    report(ctx, p, e.what());
    return kExitError;
  }
}

}  // namespace resfence::agent
