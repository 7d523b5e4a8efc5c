// A socket joined to the resfence "events" multicast group. wait() polls the
// socket and a signalfd together, so SIGINT/SIGTERM end monitoring cleanly
// instead of killing the tool in the middle of a line.
#pragma once

#include <signal.h>  // NOLINT(modernize-deprecated-headers): sigset_t

#include "netlink/nl_handles.h"
#include "resfence_api.h"

namespace resfence::nl {

class EventListener final : public EventSource {
 public:
  // Throws ModuleMissingError or NetlinkError.
  EventListener();
  ~EventListener() override;
  EventListener(const EventListener&) = delete;
  EventListener& operator=(const EventListener&) = delete;
  EventListener(EventListener&&) = delete;
  EventListener& operator=(EventListener&&) = delete;

  std::vector<Event> wait() override;

 private:
  Sock sock_;
  Cb cb_;
  int signal_fd_ = -1;
  sigset_t old_mask_{};
  std::vector<Event> pending_;
};

}  // namespace resfence::nl
