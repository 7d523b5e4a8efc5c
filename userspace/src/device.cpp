#include "device.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <linux/resfence.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "errors.h"

namespace resfence {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void device_error(const std::string& msg) {
  throw CommandError(ExitCode::kDevice, msg);
}

// The first line of a sysfs attribute, "" when it cannot be read.
std::string read_attr(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  return line;
}

bool is_multipath_node(const fs::path& node) {
  return read_attr(node / "dm/uuid").rfind("mpath-", 0) == 0;
}

// MAJ:MIN in a sysfs "dev" file.
bool parse_dev_attr(const std::string& text, DeviceId* id) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size()) return false;
  try {
    size_t used = 0;
    const unsigned long maj = std::stoul(text.substr(0, colon), &used);
    if (used != colon) return false;
    const unsigned long min = std::stoul(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) return false;
    id->major = static_cast<uint32_t>(maj);
    id->minor = static_cast<uint32_t>(min);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

void check_whole_scsi_disk(const std::string& given, const std::string& name,
                           const fs::path& real) {
  std::error_code ec;
  if (fs::exists(real / "partition", ec)) {
    const std::string disk = real.parent_path().filename().string();
    device_error(given + ": is a partition of " + disk +
                 "; reservations apply to the whole disk: use /dev/" + disk);
  }
  if (!fs::is_directory(real / "device/scsi_disk", ec))
    device_error(given + ": not a SCSI disk (" + name + " has no scsi_disk in sysfs)");
}

// A dm device: only a multipath map qualifies; its slaves are its paths.
void resolve_map(ResolvedDevice& d, const fs::path& real) {
  const std::string uuid = read_attr(real / "dm/uuid");
  if (uuid.rfind("mpath-", 0) != 0)
    device_error(d.given + ": " + d.name +
                 " is a device-mapper device but not a multipath map (dm uuid \"" + uuid +
                 "\"); hold the SCSI disk itself");
  d.map_name = read_attr(real / "dm/name");
  std::error_code ec;
  for (fs::directory_iterator it(real / "slaves", ec), end; !ec && it != end; it.increment(ec)) {
    // A path whose disk went away leaves a dangling link: not a path any more.
    std::error_code gone;
    const fs::path slave = fs::canonical(it->path(), gone);
    if (gone) continue;
    MapPath p;
    p.name = slave.filename().string();
    check_whole_scsi_disk(d.given + " (path " + p.name + " of map " + d.map_name + ")", p.name,
                          slave);
    if (!parse_dev_attr(read_attr(slave / "dev"), &p.dev))
      device_error(d.given + ": cannot read the device number of path " + p.name);
    d.paths.push_back(p);
  }
  if (ec) device_error(d.given + ": cannot list the paths of map " + d.map_name);
  if (d.paths.empty())
    device_error(d.given + ": multipath map " + d.map_name + " has no paths (" + d.name +
                 "/slaves is empty)");
  if (d.paths.size() > RESFENCE_PATHS_MAX)
    device_error(d.given + ": multipath map " + d.map_name + " has " +
                 std::to_string(d.paths.size()) + " paths; at most " +
                 std::to_string(RESFENCE_PATHS_MAX) + " can be held");
  std::sort(d.paths.begin(), d.paths.end(),
            [](const MapPath& a, const MapPath& b) { return a.name < b.name; });
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
  if (fs::is_directory(real / "dm", ec)) {
    resolve_map(d, real);
    return;
  }
  check_whole_scsi_disk(d.given, d.name, real);
  for (fs::directory_iterator it(real / "holders", ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path holder = fs::canonical(it->path(), ec);
    if (ec) break;
    if (!is_multipath_node(holder)) continue;
    d.member_of = read_attr(holder / "dm/name");
    d.member_of_node = holder.filename().string();
    break;
  }
}

void check_not_map_path(const ResolvedDevice& d, bool single_path) {
  if (d.member_of.empty() || single_path) return;
  device_error(d.given + ": " + d.name + " is a path of multipath map " + d.member_of + " (" +
               d.member_of_node + "): hold the map, /dev/mapper/" + d.member_of +
               ", so that every path is registered and armed (--single-path holds this "
               "path alone)");
}

void check_not_map(const ResolvedDevice& d, const std::string& verb) {
  if (d.paths.empty()) return;
  device_error(d.given + ": " + verb + " does not work on a multipath map (" + d.map_name +
               "); name one of its paths");
}

ResolvedDevice resolve_scsi_disk(const std::string& given, const std::string& sysfs_root) {
  ResolvedDevice d = stat_block_device(given);
  check_scsi_disk(d, sysfs_root);
  return d;
}

}  // namespace resfence
