// Test doubles for the Context: a scripted module, a recorded SCSI reset, a
// recorded sleep. No kernel, no disk.
#pragma once

#include <cerrno>
#include <deque>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "cli.h"
#include "context.h"
#include "errors.h"
#include "resfence_api.h"

namespace resfence::test {

// What the fake module answers and what it was asked.
struct FakeModule {
  // The module's own defaults: 2 s, an automatic lease (2 x interval), restart, pr.
  ModuleInfo info{"0.1.0", 0, 2000, 4000, RESFENCE_ACTION_RESTART, RESFENCE_MODE_PR, true};
  std::vector<DeviceInfo> devices;
  std::deque<KeysInfo> keys_replies;                // consumed one per READ_KEYS
  std::deque<ReservationInfo> reservation_replies;  // one per READ_RESERVATION
  std::optional<NetlinkError> hold_error;
  std::optional<NetlinkError> preempt_error;
  std::optional<NetlinkError> evict_error;
  std::optional<NetlinkError> release_error;
  std::optional<NetlinkError> get_device_error;
  std::optional<NetlinkError> info_error;
  std::optional<NetlinkError> defaults_error;
  // READ KEYS / READ RESERVATION through this device fail (a failed path).
  std::optional<DeviceId> read_error_dev;

  std::vector<std::string> calls;
  std::vector<HoldRequest> holds;
  std::vector<HoldRequest> preempts;
  std::vector<HoldRequest> evicts;
  std::vector<DefaultsRequest> defaults_requests;
  std::vector<DeviceId> read_devs;  // the device of each READ KEYS / READ RESERVATION

  DeviceInfo device_for(const HoldRequest& r) const {
    DeviceInfo d;
    d.dev = r.dev;
    d.disk_name = "sdc";
    d.mode = r.mode;
    d.state = RESFENCE_STATE_ARMED;
    d.key = r.key;
    d.pr_type = r.pr_type.value_or(RESFENCE_PR_WRITE_EXCLUSIVE);
    d.interval_ms = r.interval_ms.value_or(2000);
    d.lease_ms = r.lease_ms.value_or(4000);
    d.action = r.action.value_or(RESFENCE_ACTION_RESTART);
    d.cdb_len = r.cdb_len.value_or(0);
    return d;
  }
};

class FakeApi final : public ResfenceApi {
 public:
  explicit FakeApi(FakeModule& m) : m_(m) {}
  ModuleInfo get_info() override {
    m_.calls.emplace_back("get_info");
    if (m_.info_error) throw *m_.info_error;
    return m_.info;
  }
  // Applies the request the way the module does, so GET_INFO shows it.
  void set_defaults(const DefaultsRequest& req) override {
    m_.calls.emplace_back("set_defaults");
    m_.defaults_requests.push_back(req);
    if (m_.defaults_error) throw *m_.defaults_error;
    ModuleInfo& i = m_.info;
    if (req.interval_ms) i.interval_ms = req.interval_ms;
    if (req.lease_ms) {
      i.lease_ms = req.lease_ms;
      i.lease_auto = false;
    }
    if (req.lease_auto) i.lease_auto = true;
    if (i.lease_auto) i.lease_ms = 2 * i.interval_ms.value_or(RESFENCE_INTERVAL_DEFAULT_MS);
    if (req.action) i.action = req.action;
    if (req.mode) i.mode = req.mode;
  }
  std::vector<DeviceInfo> list_devices() override {
    m_.calls.emplace_back("list_devices");
    return m_.devices;
  }
  DeviceInfo get_device(DeviceId dev) override {
    m_.calls.emplace_back("get_device");
    if (m_.get_device_error) throw *m_.get_device_error;
    for (const auto& d : m_.devices)
      if (d.dev == dev) return d;
    throw NetlinkError(ENOENT, "device not held");
  }
  DeviceInfo hold(const HoldRequest& req) override {
    m_.calls.emplace_back("hold");
    m_.holds.push_back(req);
    if (m_.hold_error) throw *m_.hold_error;
    return m_.device_for(req);
  }
  DeviceInfo preempt(const HoldRequest& req) override {
    m_.calls.emplace_back("preempt");
    m_.preempts.push_back(req);
    if (m_.preempt_error) throw *m_.preempt_error;
    return m_.device_for(req);
  }
  DeviceInfo evict(const HoldRequest& req) override {
    m_.calls.emplace_back("evict");
    m_.evicts.push_back(req);
    if (m_.evict_error) throw *m_.evict_error;
    for (const auto& d : m_.devices)
      if (d.dev == req.dev) return d;
    throw NetlinkError(ENOENT, "device not held by this node");
  }
  void release(DeviceId /*dev*/) override {
    m_.calls.emplace_back("release");
    if (m_.release_error) throw *m_.release_error;
  }
  KeysInfo read_keys(DeviceId dev) override {
    m_.calls.emplace_back("read_keys");
    m_.read_devs.push_back(dev);
    if (m_.read_error_dev == dev) throw NetlinkError(EIO, "transport error");
    if (m_.keys_replies.empty()) throw NetlinkError(EIO, "no scripted READ_KEYS reply");
    KeysInfo k = m_.keys_replies.front();
    if (m_.keys_replies.size() > 1) m_.keys_replies.pop_front();
    return k;
  }
  ReservationInfo read_reservation(DeviceId dev) override {
    m_.calls.emplace_back("read_reservation");
    m_.read_devs.push_back(dev);
    if (m_.read_error_dev == dev) throw NetlinkError(EIO, "transport error");
    if (m_.reservation_replies.empty()) throw NetlinkError(EIO, "no scripted reply");
    ReservationInfo r = m_.reservation_replies.front();
    if (m_.reservation_replies.size() > 1) m_.reservation_replies.pop_front();
    return r;
  }

 private:
  FakeModule& m_;
};

class FakeEvents final : public EventSource {
 public:
  explicit FakeEvents(std::deque<std::vector<Event>> batches) : batches_(std::move(batches)) {}
  std::vector<Event> wait() override {
    if (batches_.empty()) return {};
    auto b = batches_.front();
    batches_.pop_front();
    return b;
  }

 private:
  std::deque<std::vector<Event>> batches_;
};

inline ResolvedDevice resolved(const std::string& given, const std::string& path,
                               const std::string& name, DeviceId dev) {
  ResolvedDevice d;
  d.given = given;
  d.path = path;
  d.name = name;
  d.dev = dev;
  return d;
}

// A Context wired to the fakes, with captured output. The device resolver
// accepts "/dev/sdc" (8:32), the multipath map "/dev/mapper/mpatha" (dm-0,
// paths sdd 8:48 and sde 8:64) and its bare path "/dev/sdd", and refuses
// everything else as kDevice.
struct Harness {
  FakeModule module;
  bool module_loaded = true;
  std::ostringstream out;
  std::ostringstream err;
  std::vector<std::pair<std::string, ResetLevel>> resets;
  std::optional<int> reset_errno;
  std::vector<long long> sleeps_ms;
  bool sleep_interrupted = false;
  uint64_t machine_key = 0xabcdef;
  std::deque<std::vector<Event>> events;
  // Nothing there by default: no pstore, no state (tests set a temp dir).
  FencePaths fences{"/nonexistent/pstore", "/nonexistent/systemd-pstore",
                    "/nonexistent/state",  "/nonexistent/boot_id",
                    "/nonexistent/sys",    "/nonexistent/mounts"};

  Context context() {
    return Context{
        out,
        err,
        [this]() -> std::unique_ptr<ResfenceApi> {
          if (!module_loaded) throw ModuleMissingError();
          return std::make_unique<FakeApi>(module);
        },
        [](const std::string& given) {
          // A multipath map over sdd and sde, and sdd as a bare path of it.
          if (given == "/dev/mapper/mpatha") {
            ResolvedDevice d = resolved(given, "/dev/dm-0", "dm-0", {254, 0});
            d.map_name = "mpatha";
            d.paths = {{"sdd", {8, 48}}, {"sde", {8, 64}}};
            return d;
          }
          if (given == "/dev/sdd") {
            ResolvedDevice d = resolved(given, "/dev/sdd", "sdd", {8, 48});
            d.member_of = "mpatha";
            d.member_of_node = "dm-0";
            return d;
          }
          if (given != "/dev/sdc")
            throw CommandError(ExitCode::kDevice, given + ": not a SCSI disk");
          return resolved(given, "/dev/sdc", "sdc", {8, 32});
        },
        [this](const ResolvedDevice& d, ResetLevel level) {
          if (reset_errno) throw std::system_error(*reset_errno, std::generic_category());
          resets.emplace_back(d.path, level);
        },
        [this](std::chrono::milliseconds ms, const std::function<void()>& started) {
          started();
          sleeps_ms.push_back(ms.count());
          return !sleep_interrupted;
        },
        [this] { return machine_key; },
        [this]() -> std::unique_ptr<EventSource> {
          if (!module_loaded) throw ModuleMissingError();
          return std::make_unique<FakeEvents>(events);
        },
        [] { return std::string("2025-01-02T03:04:05.678+00:00"); },
        fences,
    };
  }

  int run(const std::vector<std::string>& args) {
    Context ctx = context();
    return run_main(args, ctx);
  }
};

}  // namespace resfence::test
