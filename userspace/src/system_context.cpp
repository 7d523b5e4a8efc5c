// The real Context: stdout/stderr, netlink, /sys, SG_SCSI_RESET, a sleep that
// SIGINT/SIGTERM interrupt, /etc/machine-id.
#include <array>
#include <chrono>
#include <ctime>
#include <functional>
#include <iostream>
#include <string>

#include "context.h"
#include "interruptible_sleep.h"
#include "key.h"
#include "netlink/event_listener.h"
#include "netlink/netlink_resfence.h"

namespace resfence {

namespace {

std::string rfc3339_now() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  localtime_r(&secs, &tm);
  // "2025-01-02T03:04:05" and "+0100" always fit; strftime returns 0 only
  // when they do not, which leaves the buffers empty.
  std::array<char, 32> date{};
  if (std::strftime(date.data(), date.size(), "%Y-%m-%dT%H:%M:%S", &tm) == 0) date[0] = '\0';
  std::array<char, 16> zone{};
  if (std::strftime(zone.data(), zone.size(), "%z", &tm) == 0) zone[0] = '\0';
  std::string z = zone.data();
  if (z.size() == 5) z = z.substr(0, 3) + ":" + z.substr(3);  // RFC 3339: +01:00
  std::string frac = std::to_string(ms);
  frac.insert(0, 3 - frac.size(), '0');
  return std::string(date.data()) + "." + frac + z;
}

}  // namespace

Context system_context() {
  return Context{
      std::cout,
      std::cerr,
      []() -> std::unique_ptr<ResfenceApi> { return std::make_unique<nl::NetlinkResfence>(); },
      [](const std::string& given) { return resolve_scsi_disk(given); },
      [](const ResolvedDevice& d, ResetLevel level) { scsi_reset(d.path, level); },
      interruptible_sleep,
      [] { return auto_key_from_file("/etc/machine-id"); },
      []() -> std::unique_ptr<EventSource> { return std::make_unique<nl::EventListener>(); },
      rfc3339_now,
      FencePaths{},
  };
}

}  // namespace resfence
