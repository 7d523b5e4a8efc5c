// The real Context: stdout/stderr, netlink, /sys, SG_SCSI_RESET, a sleep that
// SIGINT/SIGTERM interrupt, /etc/machine-id.
#include <signal.h>  // NOLINT(modernize-deprecated-headers): sigtimedwait

#include <cerrno>
#include <ctime>
#include <iostream>

#include "context.h"
#include "key.h"
#include "netlink/event_listener.h"
#include "netlink/netlink_resfence.h"

namespace resfence {

namespace {

// Blocks SIGINT/SIGTERM and waits for one of them or the timeout, so an
// operator's Ctrl-C ends a takeover wait without the default handler killing
// the tool half way. Returns false if a signal arrived.
bool interruptible_sleep(std::chrono::milliseconds d) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigset_t old;
  sigprocmask(SIG_BLOCK, &set, &old);
  const auto deadline = std::chrono::steady_clock::now() + d;
  bool completed = true;
  for (;;) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds(0)) break;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    const timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    const int sig = sigtimedwait(&set, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) {
      completed = false;
      break;
    }
    // EAGAIN: timed out; EINTR: another signal, recompute and wait again.
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
  return completed;
}

std::string rfc3339_now() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  localtime_r(&secs, &tm);
  std::array<char, 64> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
  std::array<char, 16> zone{};
  std::strftime(zone.data(), zone.size(), "%z", &tm);  // +0100
  std::string z = zone.data();
  if (z.size() == 5) z = z.substr(0, 3) + ":" + z.substr(3);  // RFC 3339: +01:00
  std::array<char, 8> frac{};
  std::snprintf(frac.data(), frac.size(), ".%03lld", static_cast<long long>(ms));
  return std::string(buf.data()) + frac.data() + z;
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
  };
}

}  // namespace resfence
