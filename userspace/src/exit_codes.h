// resfencectl exit codes. These numbers are an ABI: scripts and cluster managers
// branch on them. Never renumber; only append. Documented in resfencectl(8).
#pragma once

#include <string_view>

namespace resfence {

enum class ExitCode : int {
  kOk = 0,             // the command did what was asked
  kFailure = 1,        // any failure without a more specific code below
  kUsage = 2,          // bad command line: unknown option, bad key, bad interval
  kDevice = 3,         // device not found, not a block device, not a SCSI disk, partition
  kHeldElsewhere = 4,  // another node holds the disk (reservation conflict, -EBUSY)
  kMasterAlive = 5,    // takeover: the master re-reserved or heartbeated during the wait
  kModuleMissing = 6,  // genl family "resfence" not found: scsi_resfence.ko not loaded
  kPermission = 7,     // -EPERM/-EACCES: needs CAP_NET_ADMIN (CAP_SYS_RAWIO for reset)
  kNotHeld = 8,        // release/status DEV: this node's module does not hold the device
  kUnsupported = 9,    // the device or target lacks the needed SCSI feature
  kInterrupted = 10,   // SIGINT/SIGTERM during a takeover wait: nothing was acquired
  // the rejoin guard: an unacknowledged fence record names the disk (hold, takeover, preempt)
  kFenceUnacknowledged = 11,
};

// Maps the positive errno of a failed netlink request to an exit code.
ExitCode exit_code_for_errno(int err);

// Short stable name of an exit code ("held-elsewhere"), used in the man page and tests.
std::string_view exit_code_name(ExitCode code);

constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace resfence
