#include "netlink/genl_connection.h"

#include <linux/resfence.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include "errors.h"
#include "netlink/extack.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace resfence::nl {

// libnl reports NLE_* codes; map the ones that can reach the tool back to errno.
int nle_to_errno(int nle) {
  switch (nle < 0 ? -nle : nle) {
    case NLE_PERM:
      return EPERM;
    case NLE_NOMEM:
      return ENOMEM;
    case NLE_OBJ_NOTFOUND:
      return ENOENT;
    case NLE_BUSY:
      return EBUSY;
    case NLE_NODEV:
      return ENODEV;
    case NLE_INVAL:
      return EINVAL;
    case NLE_AGAIN:
      return EAGAIN;
    case NLE_INTR:
      return EINTR;
    case NLE_OPNOTSUPP:
      return EOPNOTSUPP;
    case NLE_RANGE:
      return ERANGE;
    case NLE_PROTO_MISMATCH:
    case NLE_MSG_TRUNC:
    case NLE_MSG_TOOSHORT:
    case NLE_SEQ_MISMATCH:
      return EPROTO;
    default:
      return EIO;
  }
}

namespace {

[[noreturn]] void throw_nle(int nle, const std::string& what) {
  throw NetlinkError(nle_to_errno(nle), what + ": " + nl_geterror(nle));
}

struct Exchange {
  std::vector<RawMessage> replies;
  std::optional<ErrorReport> error;
  bool done = false;
};

int on_valid(nl_msg* msg, void* arg) {
  static_cast<Exchange*>(arg)->replies.emplace_back(nlmsg_hdr(msg));
  return NL_OK;
}

int on_finish(nl_msg* msg, void* arg) {
  auto* ex = static_cast<Exchange*>(arg);
  ErrorReport r = parse_done_message(nlmsg_hdr(msg));
  if (r.error != 0) ex->error = r;
  ex->done = true;
  return NL_STOP;
}

int on_ack(nl_msg* /*msg*/, void* arg) {
  static_cast<Exchange*>(arg)->done = true;
  return NL_STOP;
}

int on_error(sockaddr_nl* /*nla*/, nlmsgerr* err, void* arg) {
  auto* ex = static_cast<Exchange*>(arg);
  // libnl hands us the payload; the TLVs need the enclosing header.
  const auto* hdr = reinterpret_cast<const nlmsghdr*>(              // NOLINT
      reinterpret_cast<const unsigned char*>(err) - NLMSG_HDRLEN);  // NOLINT
  ex->error = parse_error_message(hdr);
  ex->done = true;
  return NL_STOP;
}

}  // namespace

RawMessage::RawMessage(const nlmsghdr* hdr)
    : storage_((hdr->nlmsg_len + sizeof(uint64_t) - 1) / sizeof(uint64_t)) {
  std::memcpy(storage_.data(), hdr, hdr->nlmsg_len);
}

Sock connect_generic() {
  Sock sock = make_sock();
  if (int rc = genl_connect(sock.get()); rc < 0) throw_nle(rc, "cannot open a netlink socket");
  const int fd = nl_socket_get_fd(sock.get());
  const int one = 1;
  // Best effort: kernels before 4.12 lack extended ACK; errors then carry
  // only the errno.
  (void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  // Do not echo our request back in errors: the extack TLVs follow directly.
  (void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  return sock;
}

GenlConnection GenlConnection::open() {
  Sock sock = connect_generic();
  const int family = genl_ctrl_resolve(sock.get(), RESFENCE_GENL_NAME);
  if (family == -NLE_OBJ_NOTFOUND) throw ModuleMissingError();
  if (family < 0) throw_nle(family, "cannot resolve genl family " RESFENCE_GENL_NAME);
  return {std::move(sock), family};
}

int GenlConnection::resolve_group(const char* name) {
  const int grp = genl_ctrl_resolve_grp(sock_.get(), RESFENCE_GENL_NAME, name);
  if (grp < 0) throw_nle(grp, std::string("cannot resolve multicast group ") + name);
  return grp;
}

std::vector<RawMessage> GenlConnection::transact(Msg msg) {
  Exchange ex;
  Cb cb = make_cb();
  nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
  nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ex);
  nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ex);
  nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &ex);

  if (int rc = nl_send_auto(sock_.get(), msg.get()); rc < 0) throw_nle(rc, "cannot send request");
  while (!ex.done) {
    const int rc = nl_recvmsgs(sock_.get(), cb.get());
    if (ex.error) break;
    if (rc < 0) throw_nle(rc, "cannot receive reply");
  }
  if (ex.error && ex.error->error != 0)
    throw NetlinkError(ex.error->error, ex.error->message,
                       {ex.error->bad_attr_offset, ex.error->missing_attr});
  return std::move(ex.replies);
}

}  // namespace resfence::nl
