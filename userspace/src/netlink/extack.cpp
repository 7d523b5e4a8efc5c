#include "netlink/extack.h"

#include <cstring>
#include <string_view>

namespace resfence::nl {

namespace {

// Walks the TLVs in [p, p+len) and returns the NLMSGERR_ATTR_MSG string.
std::string find_message(const unsigned char* p, size_t len) {
  while (len >= sizeof(nlattr)) {
    nlattr a{};
    std::memcpy(&a, p, sizeof a);
    if (a.nla_len < sizeof(nlattr) || a.nla_len > len) break;
    if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
      constexpr size_t kHdr = sizeof(nlattr);                      // == NLA_HDRLEN, already aligned
      std::string_view s(reinterpret_cast<const char*>(p + kHdr),  // NOLINT
                         a.nla_len - kHdr);
      // The kernel sends a NUL-terminated string; drop the NUL and anything after.
      return std::string(s.substr(0, s.find('\0')));
    }
    const size_t step = NLA_ALIGN(a.nla_len);
    if (step >= len) break;
    p += step;
    len -= step;
  }
  return {};
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
  r.message = find_message(base + off, total - off);
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
  r.message = find_message(base + off, total - off);
  return r;
}

}  // namespace resfence::nl
