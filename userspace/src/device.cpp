#include "device.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "errors.h"

namespace resfence {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void device_error(const std::string& msg) {
  throw CommandError(ExitCode::kDevice, msg);
}

}  // namespace

ResolvedDevice stat_block_device(const std::string& given) {
  ResolvedDevice d;
  d.given = given;
  if (given.empty()) device_error("empty device name");
  std::error_code ec;
  const fs::path real = fs::canonical(given, ec);
  if (ec) device_error(describe_errno(given, ec.value()));
  d.path = real.string();
  struct stat st {};
  if (::stat(d.path.c_str(), &st) != 0) device_error(describe_errno(given, errno));
  if (!S_ISBLK(st.st_mode)) {
    std::string what = given == d.path ? given : given + " (" + d.path + ")";
    device_error(what + ": not a block device");
  }
  d.dev = {major(st.st_rdev), minor(st.st_rdev)};
  return d;
}

void check_scsi_disk(ResolvedDevice& d, const std::string& sysfs_root) {
  const std::string numbers = std::to_string(d.dev.major) + ":" + std::to_string(d.dev.minor);
  const fs::path node = fs::path(sysfs_root) / "dev/block" / numbers;
  std::error_code ec;
  const fs::path real = fs::canonical(node, ec);
  if (ec) device_error(d.given + ": block device " + numbers + " is not in sysfs");
  d.name = real.filename().string();
  if (fs::exists(real / "partition", ec)) {
    const std::string disk = real.parent_path().filename().string();
    device_error(d.given + ": is a partition of " + disk +
                 "; reservations apply to the whole disk: use /dev/" + disk);
  }
  if (!fs::is_directory(real / "device/scsi_disk", ec))
    device_error(d.given + ": not a SCSI disk (" + d.name + " has no scsi_disk in sysfs)");
}

ResolvedDevice resolve_scsi_disk(const std::string& given, const std::string& sysfs_root) {
  ResolvedDevice d = stat_block_device(given);
  check_scsi_disk(d, sysfs_root);
  return d;
}

}  // namespace resfence
