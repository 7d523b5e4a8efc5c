#include "scsi_reset.h"

#include <fcntl.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace {
// glibc's <scsi/sg.h> predates the target-level reset (Linux 3.18, value 4
// in the kernel's include/uapi/scsi/sg.h).
#ifdef SG_SCSI_RESET_TARGET
constexpr int kScsiResetTarget = SG_SCSI_RESET_TARGET;
#else
constexpr int kScsiResetTarget = 4;
#endif
}  // namespace

namespace resfence {

std::optional<ResetLevel> parse_reset_level(std::string_view s) {
  if (s == "lun" || s == "device") return ResetLevel::kLun;
  if (s == "target") return ResetLevel::kTarget;
  if (s == "bus") return ResetLevel::kBus;
  if (s == "host") return ResetLevel::kHost;
  return std::nullopt;
}

std::string reset_level_name(ResetLevel level) {
  switch (level) {
    case ResetLevel::kLun:
      return "lun";
    case ResetLevel::kTarget:
      return "target";
    case ResetLevel::kBus:
      return "bus";
    case ResetLevel::kHost:
      return "host";
  }
  return "lun";
}

int reset_level_ioctl_value(ResetLevel level) {
  switch (level) {
    case ResetLevel::kLun:
      return SG_SCSI_RESET_DEVICE;
    case ResetLevel::kTarget:
      return kScsiResetTarget;
    case ResetLevel::kBus:
      return SG_SCSI_RESET_BUS;
    case ResetLevel::kHost:
      return SG_SCSI_RESET_HOST;
  }
  return SG_SCSI_RESET_DEVICE;
}

void scsi_reset(const std::string& path, ResetLevel level) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg,hicpp-vararg)
  const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open");
  int value = reset_level_ioctl_value(level);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg,hicpp-vararg)
  const int rc = ::ioctl(fd, SG_SCSI_RESET, &value);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) throw std::system_error(saved, std::generic_category(), "SG_SCSI_RESET");
}

}  // namespace resfence
