#include "output/text.h"

#include <cstring>

#include "duration.h"
#include "names.h"
#include "output/table.h"

namespace resfence {

namespace {

const char* const kUnset = "-";

std::string dev_numbers(DeviceId d) {
  return std::to_string(d.major) + ":" + std::to_string(d.minor);
}

template <typename E, typename F>
std::string opt_name(const std::optional<E>& v, F name) {
  return v ? name(*v) : kUnset;
}

std::string opt_seconds(const std::optional<uint32_t>& ms) {
  return ms ? format_seconds(*ms) : kUnset;
}

std::string opt_lease(const std::optional<uint32_t>& ms) {
  if (!ms) return kUnset;
  return *ms == 0 ? "off" : format_seconds(*ms);
}

std::string opt_number(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : kUnset; }

std::string cdb_text(const std::optional<uint8_t>& v) {
  if (!v) return kUnset;
  return *v == 0 ? "auto" : std::to_string(*v);
}

}  // namespace

std::string module_version_line(const ModuleInfo& info) {
  return "scsi_resfence " + info.version + " (genl family " RESFENCE_GENL_NAME ", version " +
         std::to_string(RESFENCE_GENL_VERSION) + ")";
}

std::string device_table(const std::vector<DeviceInfo>& devices) {
  Table t({"DEVICE", "MAJ:MIN", "MODE", "STATE", "KEY", "TYPE", "INTERVAL", "LEASE", "ACTION",
           "CDB", "REFRESH-OK", "FAILED", "CONFLICTS", "LAST-OK-AGO", "WORST-LATENCY",
           "VERIFIED-CONFLICTS"});
  for (const auto& d : devices) {
    const bool pr = d.mode == RESFENCE_MODE_PR;
    t.add_row(
        {d.disk_name, dev_numbers(d.dev), opt_name(d.mode, mode_name),
         opt_name(d.state, state_name), pr && d.key ? format_key(*d.key) : kUnset,
         pr ? opt_name(d.pr_type, pr_type_name) : kUnset, opt_seconds(d.interval_ms),
         opt_lease(d.lease_ms), opt_name(d.action, action_name), pr ? kUnset : cdb_text(d.cdb_len),
         opt_number(d.stats.refresh_ok), opt_number(d.stats.refresh_failed),
         opt_number(d.stats.conflicts),
         d.stats.last_ok_age_ms ? format_seconds(*d.stats.last_ok_age_ms) : kUnset,
         d.stats.worst_latency_us ? std::to_string(*d.stats.worst_latency_us) + " us" : kUnset,
         opt_number(d.stats.verify_conflicts)});
  }
  return t.render();
}

std::string paths_text(const DeviceInfo& d) {
  if (d.paths.empty()) return "";
  std::string out = "\n" + d.disk_name + ": multipath, " + std::to_string(d.paths.size()) +
                    (d.paths.size() == 1 ? " path\n" : " paths\n");
  Table t({"PATH", "MAJ:MIN", "STATE"});
  for (const auto& p : d.paths)
    t.add_row({p.disk_name, dev_numbers(p.dev), opt_name(p.state, path_state_name)});
  return out + t.render();
}

std::string defaults_text(const ModuleInfo& info) {
  return "mode " + opt_name(info.mode, mode_name) + ", interval " + opt_seconds(info.interval_ms) +
         ", lease " + opt_lease(info.lease_ms) + (info.lease_auto ? " (2 x interval)" : "") +
         ", action " + opt_name(info.action, action_name);
}

std::string status_text(const ModuleInfo& info, const std::vector<DeviceInfo>& devices) {
  std::string out;
  out += "module:   " + module_version_line(info) + "\n";
  out += "defaults: " + defaults_text(info) + "\n";
  out += "held:     " + std::to_string(devices.size()) +
         (devices.size() == 1 ? " device\n" : " devices\n");
  if (!devices.empty()) out += "\n" + device_table(devices);
  for (const auto& d : devices) out += paths_text(d);
  return out;
}

std::string keys_text(const std::string& path, const KeysInfo& keys, const ReservationInfo& res) {
  std::string out = path + " (" + dev_numbers(keys.dev) + "): PR generation " +
                    std::to_string(keys.generation) + ", ";
  if (res.holder_key) {
    out += "reserved by " + format_key(*res.holder_key) + ", type " +
           opt_name(res.pr_type, pr_type_name);
    if (res.pr_type) out += " (" + pr_type_long_name(*res.pr_type) + ")";
    out += "\n";
  } else {
    out += "no reservation\n";
  }
  if (keys.keys.empty()) return out + "no registered keys\n";
  Table t({"KEY", "HOLDER"});
  for (const uint64_t k : keys.keys) t.add_row({format_key(k), res.holder_key == k ? "yes" : ""});
  return out + t.render();
}

std::string held_line(const std::string& verb, const std::string& path, const DeviceInfo& d) {
  std::string l = verb + " " + path + " (" + (d.disk_name.empty() ? "?" : d.disk_name) + " " +
                  dev_numbers(d.dev) + "): mode " + opt_name(d.mode, mode_name);
  if (d.mode == RESFENCE_MODE_PR) {
    l += ", key " + (d.key ? format_key(*d.key) : std::string(kUnset));
    l += ", type " + opt_name(d.pr_type, pr_type_name);
    if (d.aptpl) l += ", aptpl";
  } else {
    l += ", cdb " + cdb_text(d.cdb_len);
    if (d.epoch_lba)
      l += ", epoch " + opt_number(d.epoch) + " at LBA " + std::to_string(*d.epoch_lba);
  }
  l += ", interval " + opt_seconds(d.interval_ms) + ", lease " + opt_lease(d.lease_ms) +
       ", action " + opt_name(d.action, action_name);
  return l;
}

std::string event_line(const Event& ev, const std::string& time) {
  std::string l = time + " " + event_name(ev.event) + " " +
                  (ev.disk_name.empty() ? "?" : ev.disk_name) + " " + dev_numbers(ev.dev);
  if (ev.key) l += " key=" + format_key(*ev.key);
  if (ev.error) {
    l += " errno=" + std::to_string(*ev.error);
    // NOLINTNEXTLINE(concurrency-mt-unsafe): single-threaded tool
    if (*ev.error < 0) l += " (" + std::string(std::strerror(-*ev.error)) + ")";
  }
  if (ev.reason) l += " reason=\"" + *ev.reason + "\"";
  return l;
}

}  // namespace resfence
