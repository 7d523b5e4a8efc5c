// RAII owners for libnl objects: every nl_sock, nl_msg and nl_cb the tool
// creates is owned by one of these and freed on every path, including throws.
#pragma once

#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include <memory>
#include <new>

namespace resfence::nl {

struct SockDeleter {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct MsgDeleter {
  void operator()(nl_msg* m) const { nlmsg_free(m); }
};
struct CbDeleter {
  void operator()(nl_cb* c) const { nl_cb_put(c); }
};

using Sock = std::unique_ptr<nl_sock, SockDeleter>;
using Msg = std::unique_ptr<nl_msg, MsgDeleter>;
using Cb = std::unique_ptr<nl_cb, CbDeleter>;

// The allocators throw std::bad_alloc instead of returning null, so callers
// never hold a null handle.
inline Sock make_sock() {
  Sock s(nl_socket_alloc());
  if (!s) throw std::bad_alloc();
  return s;
}

inline Msg make_msg() {
  Msg m(nlmsg_alloc());
  if (!m) throw std::bad_alloc();
  return m;
}

inline Cb make_cb() {
  Cb c(nl_cb_alloc(NL_CB_DEFAULT));
  if (!c) throw std::bad_alloc();
  return c;
}

}  // namespace resfence::nl
