// Extended ACK: with NETLINK_EXT_ACK set, the kernel appends NLMSGERR_ATTR_*
// TLVs to its error (and to NLMSG_DONE of a failed dump). libnl 3.7 does not
// parse them, so the tool does.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <optional>
#include <string>

namespace resfence::nl {

struct ErrorReport {
  int error = 0;        // positive errno; 0 means ACK
  std::string message;  // NLMSGERR_ATTR_MSG, empty if none
  // NLMSGERR_ATTR_OFFS: where in the request (bytes from its nlmsghdr) the
  // attribute the kernel blames starts.
  std::optional<uint32_t> bad_attr_offset;
  // NLMSGERR_ATTR_MISS_TYPE: the type of a required attribute that was absent.
  std::optional<uint32_t> missing_attr;
  // NLMSGERR_ATTR_POLICY: the bounds of the policy the blamed attribute broke
  // (NL_POLICY_TYPE_ATTR_MIN_VALUE_U / MAX_VALUE_U). When both are present
  // and the error is ERANGE (a value out of range), `message` ends with
  // " (MIN..MAX)".
  std::optional<uint64_t> policy_min;
  std::optional<uint64_t> policy_max;
};

// Parses an NLMSG_ERROR message (the whole netlink message, header included).
// Tolerates a truncated or capped message: whatever cannot be parsed is skipped.
ErrorReport parse_error_message(const nlmsghdr* hdr);

// Parses an NLMSG_DONE message that ends a dump: an int error, then the TLVs
// when NLM_F_ACK_TLVS is set.
ErrorReport parse_done_message(const nlmsghdr* hdr);

}  // namespace resfence::nl
