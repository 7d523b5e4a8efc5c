#include "netlink/event_listener.h"

#include <linux/resfence.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <iostream>
#include <system_error>
#include <utility>

#include "errors.h"
#include "netlink/genl_connection.h"
#include "netlink/messages.h"

namespace resfence::nl {

namespace {

int on_event(nl_msg* msg, void* arg) {
  auto* pending = static_cast<std::vector<Event>*>(arg);
  nlmsghdr* hdr = nlmsg_hdr(msg);
  try {
    if (genl_command(hdr) == RESFENCE_CMD_EVENT) pending->push_back(parse_event(hdr));
  } catch (const NetlinkError& e) {
    // One malformed event must not end monitoring; say so and go on.
    std::cerr << "resfencectl: monitor: skipping an event: " << e.extack() << "\n";
  }
  return NL_OK;
}

// Multicast events carry sequence number 0, never the one of our last
// request: libnl's default check would reject every one. The check belongs
// to the callback set nl_recvmsgs() is given, not only to the socket's.
int accept_any_seq(nl_msg* /*msg*/, void* /*arg*/) { return NL_OK; }

}  // namespace

EventListener::EventListener() : sock_(connect_generic()), cb_(make_cb()) {
  const int grp = genl_ctrl_resolve_grp(sock_.get(), RESFENCE_GENL_NAME, RESFENCE_MCGRP_EVENTS);
  if (grp == -NLE_OBJ_NOTFOUND) throw ModuleMissingError();
  if (grp < 0)
    throw NetlinkError(nle_to_errno(grp),
                       std::string("cannot resolve the events group: ") + nl_geterror(grp));
  // Events are not replies: no sequence numbers to check.
  nl_socket_disable_seq_check(sock_.get());
  if (int rc = nl_socket_add_membership(sock_.get(), grp); rc < 0)
    throw NetlinkError(nle_to_errno(rc),
                       std::string("cannot join the events group: ") + nl_geterror(rc));
  nl_socket_set_nonblocking(sock_.get());
  nl_cb_set(cb_.get(), NL_CB_VALID, NL_CB_CUSTOM, on_event, &pending_);
  nl_cb_set(cb_.get(), NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_seq, nullptr);

  // SIGINT/SIGTERM end monitoring, unless the parent set them to SIG_IGN
  // (a background job's SIGINT), which stays ignored as for any tool.
  sigset_t set;
  sigemptyset(&set);
  for (const int sig : {SIGINT, SIGTERM}) {
    struct sigaction sa {};
    if (sigaction(sig, nullptr, &sa) == 0 && sa.sa_handler == SIG_IGN) continue;
    sigaddset(&set, sig);
  }
  pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
  signal_fd_ = signalfd(-1, &set, SFD_CLOEXEC);
  if (signal_fd_ < 0) {
    const int err = errno;
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    throw std::system_error(err, std::generic_category(), "signalfd");
  }
}

EventListener::~EventListener() {
  ::close(signal_fd_);
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

std::vector<Event> EventListener::wait() {
  for (;;) {
    std::array<pollfd, 2> fds{
        {{nl_socket_get_fd(sock_.get()), POLLIN, 0}, {signal_fd_, POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "poll");
    }
    if ((fds[1].revents & POLLIN) != 0) {
      // Consume the signal: left pending, it would be delivered (and kill
      // the tool) when the destructor restores the signal mask.
      signalfd_siginfo info{};
      if (::read(signal_fd_, &info, sizeof info) < 0 && errno != EAGAIN)
        throw std::system_error(errno, std::generic_category(), "read signalfd");
      return {};
    }
    if ((fds[0].revents & (POLLIN | POLLERR)) != 0) {
      const int rc = nl_recvmsgs(sock_.get(), cb_.get());
      // ENOBUFS: the kernel dropped events because we were slow. Say so: a
      // monitor that silently misses a lease-expired event would mislead.
      if (rc == -NLE_NOMEM)
        std::cerr << "resfencectl: monitor: events were lost (receive buffer overrun)\n";
      else if (rc < 0 && rc != -NLE_AGAIN)
        throw NetlinkError(EIO, std::string("receiving events: ") + nl_geterror(rc));
      if (!pending_.empty()) return std::exchange(pending_, {});
    }
  }
}

}  // namespace resfence::nl
