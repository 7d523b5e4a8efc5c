// Turning what the operator typed (/dev/sdc, /dev/disk/by-id/..., any symlink)
// into the whole SCSI disk the module works on, refusing everything else
// before a request reaches the kernel.
#pragma once

#include <string>
#include <vector>

#include "types.h"

namespace resfence {

// One path of a dm-multipath map: a whole SCSI disk.
struct MapPath {
  std::string name;  // sdc
  DeviceId dev;
};

struct ResolvedDevice {
  std::string given;  // as typed, for messages
  std::string path;   // realpath(given), e.g. /dev/sdc or /dev/dm-0
  std::string name;   // kernel name, e.g. sdc or dm-0
  DeviceId dev;
  // A dm-multipath map (dm uuid "mpath-..."): its dm name and its paths
  // (/sys/block/dm-N/slaves, sorted by name). Empty for a SCSI disk.
  std::string map_name;
  std::vector<MapPath> paths;
  // A SCSI disk that is a path of a multipath map: that map's dm name and
  // kernel name (mpatha, dm-0). Empty otherwise.
  std::string member_of;
  std::string member_of_node;
};

// realpath + stat: the block device numbers of `given`. Throws CommandError
// (ExitCode::kDevice) when it does not exist or is not a block device.
ResolvedDevice stat_block_device(const std::string& given);

// Checks in sysfs (rooted at `sysfs_root`, normally "/sys") that `d.dev` is a
// whole SCSI disk: /sys/dev/block/MAJ:MIN has no `partition` file and has
// device/scsi_disk; or a dm-multipath map (dm/uuid starts "mpath-") whose
// slaves are all whole SCSI disks (at least one, at most
// RESFENCE_PATHS_MAX), which fills d.map_name and d.paths. A SCSI disk that a
// multipath map holds (holders/dm-N) gets d.member_of. Fills d.name. Throws
// CommandError(kDevice) otherwise (another kind of dm device, a map without
// paths, a path that is not a SCSI disk).
void check_scsi_disk(ResolvedDevice& d, const std::string& sysfs_root);

// A hold (hold, takeover, preempt) of a bare path of a multipath map would
// arm one path while the filesystem writes through all of them: refused with
// CommandError(kDevice) telling to hold the map, unless `single_path`
// (--single-path, the explicit opt-out).
void check_not_map_path(const ResolvedDevice& d, bool single_path);

// Commands that work on one SCSI disk only (`verb`: reset, whose LUN reset
// goes down one I_T nexus) refuse a multipath map with CommandError(kDevice).
void check_not_map(const ResolvedDevice& d, const std::string& verb);

// stat_block_device(), then check_scsi_disk().
ResolvedDevice resolve_scsi_disk(const std::string& given, const std::string& sysfs_root = "/sys");

}  // namespace resfence
