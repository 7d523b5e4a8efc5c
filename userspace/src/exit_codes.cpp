#include "exit_codes.h"

#include <cerrno>

namespace resfence {

ExitCode exit_code_for_errno(int err) {
  switch (err) {
    case EPERM:
    case EACCES:
      return ExitCode::kPermission;
    case EBUSY:
      // The module answers -EBUSY when the target reports RESERVATION CONFLICT
      // while acquiring: someone else holds the disk.
      return ExitCode::kHeldElsewhere;
    case ENODEV:
    case ENXIO:
    case ENOTBLK:
      return ExitCode::kDevice;
    case ENOENT:
      // The device exists (the tool resolved it first) but the module has no
      // record of holding it.
      return ExitCode::kNotHeld;
    case EOPNOTSUPP:
      return ExitCode::kUnsupported;
    case EINTR:
      return ExitCode::kInterrupted;
    default:
      return ExitCode::kFailure;
  }
}

std::string_view exit_code_name(ExitCode code) {
  switch (code) {
    case ExitCode::kOk:
      return "ok";
    case ExitCode::kFailure:
      return "failure";
    case ExitCode::kUsage:
      return "usage";
    case ExitCode::kDevice:
      return "device";
    case ExitCode::kHeldElsewhere:
      return "held-elsewhere";
    case ExitCode::kMasterAlive:
      return "master-alive";
    case ExitCode::kModuleMissing:
      return "module-missing";
    case ExitCode::kPermission:
      return "permission";
    case ExitCode::kNotHeld:
      return "not-held";
    case ExitCode::kUnsupported:
      return "unsupported";
    case ExitCode::kInterrupted:
      return "interrupted";
    case ExitCode::kFenceUnacknowledged:
      return "fence-unacknowledged";
  }
  return "unknown";
}

}  // namespace resfence
