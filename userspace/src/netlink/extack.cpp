#include "netlink/extack.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

namespace resfence::nl {

namespace {

uint32_t tlv_u32(const unsigned char* payload) {
  uint32_t v = 0;
  std::memcpy(&v, payload, sizeof v);
  return v;
}

uint64_t tlv_u64(const unsigned char* payload) {
  uint64_t v = 0;
  std::memcpy(&v, payload, sizeof v);
  return v;
}

// The unsigned bounds in an NLMSGERR_ATTR_POLICY nest.
void parse_policy(const unsigned char* p, size_t len, ErrorReport& r) {
  constexpr size_t kHdr = sizeof(nlattr);
  while (len >= kHdr) {
    nlattr a{};
    std::memcpy(&a, p, sizeof a);
    if (a.nla_len < kHdr || a.nla_len > len) break;
    const size_t payload_len = a.nla_len - kHdr;
    const auto type = static_cast<unsigned>(a.nla_type & NLA_TYPE_MASK);
    if (payload_len >= sizeof(uint64_t)) {
      if (type == NL_POLICY_TYPE_ATTR_MIN_VALUE_U) r.policy_min = tlv_u64(p + kHdr);
      if (type == NL_POLICY_TYPE_ATTR_MAX_VALUE_U) r.policy_max = tlv_u64(p + kHdr);
    }
    const size_t step = NLA_ALIGN(a.nla_len);
    if (step >= len) break;
    p += step;
    len -= step;
  }
}

// Walks the TLVs in [p, p+len) into r: the message, the blamed attribute's
// offset, the missing attribute's type, the broken policy's bounds. Stops at
// the first malformed TLV.
void parse_tlvs(const unsigned char* p, size_t len, ErrorReport& r) {
  constexpr size_t kHdr = sizeof(nlattr);  // == NLA_HDRLEN, already aligned
  while (len >= kHdr) {
    nlattr a{};
    std::memcpy(&a, p, sizeof a);
    if (a.nla_len < kHdr || a.nla_len > len) break;
    const size_t payload_len = a.nla_len - kHdr;
    switch (a.nla_type & NLA_TYPE_MASK) {
      case NLMSGERR_ATTR_MSG: {
        std::string_view s(reinterpret_cast<const char*>(p + kHdr), payload_len);  // NOLINT
        // The kernel sends a NUL-terminated string; drop the NUL and anything after.
        r.message = std::string(s.substr(0, s.find('\0')));
        break;
      }
      case NLMSGERR_ATTR_OFFS:
        if (payload_len >= sizeof(uint32_t)) r.bad_attr_offset = tlv_u32(p + kHdr);
        break;
      case NLMSGERR_ATTR_MISS_TYPE:
        if (payload_len >= sizeof(uint32_t)) r.missing_attr = tlv_u32(p + kHdr);
        break;
      case NLMSGERR_ATTR_POLICY:
        parse_policy(p + kHdr, payload_len, r);
        break;
      default:
        break;
    }
    const size_t step = NLA_ALIGN(a.nla_len);
    if (step >= len) break;
    p += step;
    len -= step;
  }
}

// The core's message for a value outside a policy's range ("integer out of
// range", -ERANGE) says neither the attribute nor the bound; the bound at
// least goes into the text. (The policy comes with other refusals too, a
// wrong length: its bounds are not what was wrong there.)
void finish(ErrorReport& r) {
  if (r.error == ERANGE && r.policy_min && r.policy_max && !r.message.empty())
    r.message += " (" + std::to_string(*r.policy_min) + ".." + std::to_string(*r.policy_max) + ")";
}

}  // namespace

ErrorReport parse_error_message(const nlmsghdr* hdr) {
  ErrorReport r;
  const size_t total = hdr->nlmsg_len;
  if (total < NLMSG_HDRLEN + sizeof(nlmsgerr)) return r;
  const auto* base = reinterpret_cast<const unsigned char*>(hdr);  // NOLINT
  nlmsgerr e{};
  std::memcpy(&e, base + NLMSG_HDRLEN, sizeof e);
  r.error = -e.error;
  if ((hdr->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return r;
  // Unless the kernel capped the echo, the whole request follows the header.
  size_t off = NLMSG_HDRLEN + sizeof(nlmsgerr);
  if ((hdr->nlmsg_flags & NLM_F_CAPPED) == 0 && e.msg.nlmsg_len > sizeof(nlmsghdr))
    off += NLMSG_ALIGN(e.msg.nlmsg_len - sizeof(nlmsghdr));
  if (off >= total) return r;
  parse_tlvs(base + off, total - off, r);
  finish(r);
  return r;
}

ErrorReport parse_done_message(const nlmsghdr* hdr) {
  ErrorReport r;
  const size_t total = hdr->nlmsg_len;
  if (total < NLMSG_HDRLEN + sizeof(int)) return r;
  const auto* base = reinterpret_cast<const unsigned char*>(hdr);  // NOLINT
  int err = 0;
  std::memcpy(&err, base + NLMSG_HDRLEN, sizeof err);
  r.error = -err;
  if ((hdr->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return r;
  const size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
  if (off >= total) return r;
  parse_tlvs(base + off, total - off, r);
  finish(r);
  return r;
}

}  // namespace resfence::nl
