// Turning what the operator typed (/dev/sdc, /dev/disk/by-id/..., any symlink)
// into the whole SCSI disk the module works on, refusing everything else
// before a request reaches the kernel.
#pragma once

#include <string>

#include "types.h"

namespace resfence {

struct ResolvedDevice {
  std::string given;  // as typed, for messages
  std::string path;   // realpath(given), e.g. /dev/sdc
  std::string name;   // kernel name, e.g. sdc
  DeviceId dev;
};

// realpath + stat: the block device numbers of `given`. Throws CommandError
// (ExitCode::kDevice) when it does not exist or is not a block device.
ResolvedDevice stat_block_device(const std::string& given);

// Checks in sysfs (rooted at `sysfs_root`, normally "/sys") that `d.dev` is a
// whole SCSI disk: /sys/dev/block/MAJ:MIN has no `partition` file and has
// device/scsi_disk. Fills d.name. Throws CommandError(kDevice) otherwise.
void check_scsi_disk(ResolvedDevice& d, const std::string& sysfs_root);

// Both of the above.
ResolvedDevice resolve_scsi_disk(const std::string& given, const std::string& sysfs_root = "/sys");

}  // namespace resfence
