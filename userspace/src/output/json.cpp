#include "output/json.h"

#include "names.h"

namespace resfence {

namespace {

using json = nlohmann::ordered_json;

template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

template <typename E, typename F>
json opt_name(const std::optional<E>& v, F name) {
  return v ? json(name(*v)) : json(nullptr);
}

json opt_key(const std::optional<uint64_t>& v) { return v ? json(format_key(*v)) : json(nullptr); }

}  // namespace

json defaults_json(const ModuleInfo& info) {
  return {
      {"mode", opt_name(info.mode, mode_name)},
      {"interval_ms", opt(info.interval_ms)},
      {"lease_ms", opt(info.lease_ms)},
      {"lease_auto", info.lease_auto},
      {"action", opt_name(info.action, action_name)},
  };
}

json module_json(const ModuleInfo& info) {
  return {
      {"version", info.version},
      {"genl_family", RESFENCE_GENL_NAME},
      {"genl_version", RESFENCE_GENL_VERSION},
      {"held_count", info.held_count},
      {"defaults", defaults_json(info)},
  };
}

json device_json(const DeviceInfo& d) {
  const DeviceStats& s = d.stats;
  json paths = json::array();
  for (const auto& p : d.paths)
    paths.push_back({{"name", p.disk_name},
                     {"major", p.dev.major},
                     {"minor", p.dev.minor},
                     {"state", opt_name(p.state, path_state_name)}});
  return {
      {"name", d.disk_name},
      {"major", d.dev.major},
      {"minor", d.dev.minor},
      {"mode", opt_name(d.mode, mode_name)},
      {"state", opt_name(d.state, state_name)},
      {"key", opt_key(d.key)},
      {"pr_type", opt_name(d.pr_type, pr_type_name)},
      {"interval_ms", opt(d.interval_ms)},
      {"lease_ms", opt(d.lease_ms)},
      {"action", opt_name(d.action, action_name)},
      {"cdb_len", opt(d.cdb_len)},
      {"epoch_lba", opt(d.epoch_lba)},
      {"epoch", opt(d.epoch)},
      {"aptpl", d.aptpl},
      {"stats",
       {
           {"refresh_ok", opt(s.refresh_ok)},
           {"refresh_failed", opt(s.refresh_failed)},
           {"conflicts", opt(s.conflicts)},
           {"last_latency_us", opt(s.last_latency_us)},
           {"worst_latency_us", opt(s.worst_latency_us)},
           {"worst_lateness_us", opt(s.worst_lateness_us)},
           {"last_ok_age_ms", opt(s.last_ok_age_ms)},
           {"verify_conflicts", opt(s.verify_conflicts)},
       }},
      {"paths", paths},
  };
}

json version_json(const std::optional<ModuleInfo>& module) {
  json m = nullptr;
  if (module)
    m = {
        {"version", module->version},
        {"genl_family", RESFENCE_GENL_NAME},
        {"genl_version", RESFENCE_GENL_VERSION},
    };
  return {{"resfencectl", {{"version", RESFENCECTL_VERSION}}}, {"module", m}};
}

json status_json(const ModuleInfo& info, const std::vector<DeviceInfo>& devices) {
  json devs = json::array();
  for (const auto& d : devices) devs.push_back(device_json(d));
  return {{"module", module_json(info)}, {"devices", devs}};
}

json keys_json(const std::string& path, const std::string& name, const KeysInfo& keys,
               const ReservationInfo& res) {
  json list = json::array();
  for (const uint64_t k : keys.keys) list.push_back(format_key(k));
  json reservation = nullptr;
  if (res.holder_key)
    reservation = {{"holder", format_key(*res.holder_key)},
                   {"type", opt_name(res.pr_type, pr_type_name)}};
  return {
      {"device", path},
      {"name", name},
      {"major", keys.dev.major},
      {"minor", keys.dev.minor},
      {"generation", keys.generation},
      {"keys", list},
      {"reservation", reservation},
  };
}

json event_json(const Event& ev, const std::string& time) {
  return {
      {"time", time},           {"event", event_name(ev.event)}, {"name", ev.disk_name},
      {"major", ev.dev.major},  {"minor", ev.dev.minor},         {"key", opt_key(ev.key)},
      {"errno", opt(ev.error)}, {"reason", opt(ev.reason)},
  };
}

}  // namespace resfence
