// SG_SCSI_RESET on a disk's device node: breaks SCSI-2 reservations (a LUN or
// target reset clears them; persistent reservations survive).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace resfence {

enum class ResetLevel { kLun, kTarget, kBus, kHost };

std::optional<ResetLevel> parse_reset_level(std::string_view s);
std::string reset_level_name(ResetLevel level);
// The SG_SCSI_RESET_* value for the ioctl.
int reset_level_ioctl_value(ResetLevel level);

// Opens `path` O_RDWR|O_NONBLOCK (so a reserved or busy disk still opens) and
// issues the reset. Throws std::system_error carrying the errno.
void scsi_reset(const std::string& path, ResetLevel level);

}  // namespace resfence
