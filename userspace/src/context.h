// Everything a command touches outside its own arguments, gathered so the
// unit tests can substitute each piece: output streams, the module, the disk
// (resolution, SCSI reset), the clock, and the machine-id.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "device.h"
#include "fence_store.h"
#include "resfence_api.h"
#include "scsi_reset.h"

namespace resfence {

struct Context {
  std::ostream& out;
  std::ostream& err;
  // Connects to the module; throws ModuleMissingError.
  std::function<std::unique_ptr<ResfenceApi>()> connect;
  // Resolves a device argument to a whole SCSI disk; throws CommandError(kDevice).
  std::function<ResolvedDevice(const std::string&)> resolve;
  // Issues SG_SCSI_RESET on the device node; throws std::system_error.
  std::function<void(const ResolvedDevice&, ResetLevel)> reset;
  // Makes SIGINT/SIGTERM interrupt (instead of kill or be lost), calls
  // `started` (which announces the wait), sleeps; returns false when
  // interrupted. Announcing only once signals are caught closes the window
  // in which a reader of the announcement could signal too early.
  std::function<bool(std::chrono::milliseconds, const std::function<void()>& started)> sleep;
  // The key "--key auto" stands for; throws std::runtime_error.
  std::function<uint64_t()> auto_key;
  // Subscribes to the module's "events" group; throws ModuleMissingError.
  std::function<std::unique_ptr<EventSource>()> subscribe;
  // Wall clock text for monitor lines (RFC 3339).
  std::function<std::string()> now;
  // Where fence records are found and kept (pstore, the state directory).
  FencePaths fences;
};

// The real thing: stdout/stderr, netlink, /sys, ioctl, nanosleep, /etc/machine-id.
Context system_context();

}  // namespace resfence
