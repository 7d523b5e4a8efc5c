// A generic netlink socket connected to the "resfence" family, with extended
// ACK enabled. Requests are synchronous: send, then collect every reply
// message until the ACK (doit) or NLMSG_DONE (dump).
#pragma once

#include <cstdint>
#include <vector>

#include "netlink/nl_handles.h"

namespace resfence::nl {

// One reply message, copied out of libnl's receive buffer so it outlives it.
class RawMessage {
 public:
  explicit RawMessage(const nlmsghdr* hdr);
  nlmsghdr* header() { return reinterpret_cast<nlmsghdr*>(storage_.data()); }  // NOLINT

 private:
  // uint64_t storage keeps the header 8-byte aligned.
  std::vector<uint64_t> storage_;
};

class GenlConnection {
 public:
  // Connects and resolves the family. Resolving asks the kernel's genl
  // controller, which autoloads the module through MODULE_ALIAS_GENL_FAMILY.
  // Throws ModuleMissingError when the family does not exist, NetlinkError otherwise.
  static GenlConnection open();

  [[nodiscard]] int family() const { return family_; }
  nl_sock* sock() { return sock_.get(); }

  // Sends `msg` (completed with port, sequence and NLM_F_ACK) and returns the
  // reply messages. Throws NetlinkError with the kernel's errno, extack text and
  // the attribute the extack blames.
  std::vector<RawMessage> transact(Msg msg);

  // Resolves a multicast group id of the family.
  int resolve_group(const char* name);

 private:
  GenlConnection(Sock sock, int family) : sock_(std::move(sock)), family_(family) {}
  Sock sock_;
  int family_;
};

// The errno for a libnl NLE_* code (negative or positive).
int nle_to_errno(int nle);

// Connects a socket to NETLINK_GENERIC with NETLINK_EXT_ACK/NETLINK_CAP_ACK set.
Sock connect_generic();

}  // namespace resfence::nl
