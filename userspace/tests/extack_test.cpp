#include "netlink/extack.h"

#include <gtest/gtest.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <array>
#include <cerrno>

#include "netlink/nl_handles.h"

namespace resfence::nl {
namespace {

// An NLMSG_ERROR as the kernel sends it with NETLINK_EXT_ACK: nlmsgerr (the
// error and the request's header), the request's payload unless capped, then
// the NLMSGERR_ATTR_* TLVs.
Msg error_message(int err, bool capped, size_t echoed_payload, const char* text) {
  int flags = text != nullptr ? NLM_F_ACK_TLVS : 0;
  if (capped) flags |= NLM_F_CAPPED;
  Msg msg(nlmsg_alloc_simple(NLMSG_ERROR, flags));
  nlmsgerr e{};
  e.error = -err;
  e.msg.nlmsg_len = static_cast<uint32_t>(NLMSG_HDRLEN + echoed_payload);
  e.msg.nlmsg_type = 0x1c;
  EXPECT_EQ(nlmsg_append(msg.get(), &e, sizeof e, NLMSG_ALIGNTO), 0);
  if (!capped && echoed_payload > 0) {
    std::vector<unsigned char> payload(echoed_payload, 0xAA);
    EXPECT_EQ(nlmsg_append(msg.get(), payload.data(), payload.size(), NLMSG_ALIGNTO), 0);
  }
  if (text != nullptr) {
    EXPECT_EQ(nla_put_u32(msg.get(), NLMSGERR_ATTR_OFFS, 24), 0);
    EXPECT_EQ(nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, text), 0);
  }
  return msg;
}

TEST(Extack, CappedErrorWithMessage) {
  Msg m = error_message(EINVAL, true, 12, "interval must be between 100 ms and 3600 s");
  const ErrorReport r = parse_error_message(nlmsg_hdr(m.get()));
  EXPECT_EQ(r.error, EINVAL);
  EXPECT_EQ(r.message, "interval must be between 100 ms and 3600 s");
  EXPECT_EQ(r.bad_attr_offset, 24U);
  EXPECT_FALSE(r.missing_attr);
}

TEST(Extack, MissingAttributeType) {
  // What GENL_REQ_ATTR_CHECK() sends for an absent required attribute.
  Msg msg(nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS | NLM_F_CAPPED));
  nlmsgerr e{};
  e.error = -EINVAL;
  e.msg.nlmsg_len = NLMSG_HDRLEN;
  ASSERT_EQ(nlmsg_append(msg.get(), &e, sizeof e, NLMSG_ALIGNTO), 0);
  ASSERT_EQ(nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, "the device is required"), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), NLMSGERR_ATTR_MISS_TYPE, 4), 0);
  const ErrorReport r = parse_error_message(nlmsg_hdr(msg.get()));
  EXPECT_EQ(r.error, EINVAL);
  EXPECT_EQ(r.message, "the device is required");
  EXPECT_EQ(r.missing_attr, 4U);
  EXPECT_FALSE(r.bad_attr_offset);
}

TEST(Extack, PolicyBoundsFollowTheMessage) {
  // What the core sends for a value outside an NLA_POLICY_FULL_RANGE: the
  // message, the offset, and the policy with its unsigned bounds.
  Msg msg(nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS | NLM_F_CAPPED));
  nlmsgerr e{};
  e.error = -ERANGE;
  e.msg.nlmsg_len = NLMSG_HDRLEN;
  ASSERT_EQ(nlmsg_append(msg.get(), &e, sizeof e, NLMSG_ALIGNTO), 0);
  ASSERT_EQ(nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, "integer out of range"), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), NLMSGERR_ATTR_OFFS, 28), 0);
  nlattr* pol = nla_nest_start(msg.get(), NLMSGERR_ATTR_POLICY);
  ASSERT_NE(pol, nullptr);
  ASSERT_EQ(nla_put_u32(msg.get(), NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U32), 0);
  ASSERT_EQ(nla_put_u64(msg.get(), NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 100), 0);
  ASSERT_EQ(nla_put_u64(msg.get(), NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 3600000), 0);
  nla_nest_end(msg.get(), pol);
  const ErrorReport r = parse_error_message(nlmsg_hdr(msg.get()));
  EXPECT_EQ(r.error, ERANGE);
  EXPECT_EQ(r.message, "integer out of range (100..3600000)");
  EXPECT_EQ(r.bad_attr_offset, 28U);
  EXPECT_EQ(r.policy_min, 100U);
  EXPECT_EQ(r.policy_max, 3600000U);
}

TEST(Extack, PolicyOfALengthErrorLeavesTheMessage) {
  // A wrong length is refused with the policy too, bounds included: they are
  // not what was wrong, and stay out of the text.
  Msg msg(nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS | NLM_F_CAPPED));
  nlmsgerr e{};
  e.error = -EINVAL;
  e.msg.nlmsg_len = NLMSG_HDRLEN;
  ASSERT_EQ(nlmsg_append(msg.get(), &e, sizeof e, NLMSG_ALIGNTO), 0);
  ASSERT_EQ(nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, "invalid attribute length"), 0);
  nlattr* pol = nla_nest_start(msg.get(), NLMSGERR_ATTR_POLICY);
  ASSERT_NE(pol, nullptr);
  ASSERT_EQ(nla_put_u32(msg.get(), NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U32), 0);
  ASSERT_EQ(nla_put_u64(msg.get(), NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 0), 0);
  ASSERT_EQ(nla_put_u64(msg.get(), NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 4095), 0);
  nla_nest_end(msg.get(), pol);
  const ErrorReport r = parse_error_message(nlmsg_hdr(msg.get()));
  EXPECT_EQ(r.message, "invalid attribute length");
  EXPECT_EQ(r.policy_max, 4095U);
}

TEST(Extack, ShortOffsetIsIgnored) {
  Msg msg(nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS | NLM_F_CAPPED));
  nlmsgerr e{};
  e.error = -EINVAL;
  e.msg.nlmsg_len = NLMSG_HDRLEN;
  ASSERT_EQ(nlmsg_append(msg.get(), &e, sizeof e, NLMSG_ALIGNTO), 0);
  ASSERT_EQ(nla_put_u16(msg.get(), NLMSGERR_ATTR_OFFS, 24), 0);
  ASSERT_EQ(nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, "x"), 0);
  const ErrorReport r = parse_error_message(nlmsg_hdr(msg.get()));
  EXPECT_FALSE(r.bad_attr_offset);
  EXPECT_EQ(r.message, "x");
}

TEST(Extack, UncappedErrorSkipsTheEchoedRequest) {
  // 13 bytes: the echo is padded to 16 before the TLVs.
  Msg m = error_message(EBUSY, false, 13, "reservation conflict");
  const ErrorReport r = parse_error_message(nlmsg_hdr(m.get()));
  EXPECT_EQ(r.error, EBUSY);
  EXPECT_EQ(r.message, "reservation conflict");
  EXPECT_EQ(r.bad_attr_offset, 24U);
}

TEST(Extack, ErrorWithoutTlvs) {
  Msg m = error_message(EPERM, true, 0, nullptr);
  const ErrorReport r = parse_error_message(nlmsg_hdr(m.get()));
  EXPECT_EQ(r.error, EPERM);
  EXPECT_TRUE(r.message.empty());
}

TEST(Extack, AckIsErrorZero) {
  Msg m = error_message(0, true, 0, nullptr);
  EXPECT_EQ(parse_error_message(nlmsg_hdr(m.get())).error, 0);
}

TEST(Extack, TruncatedMessageIsTolerated) {
  Msg m = error_message(EINVAL, true, 0, "abc");
  nlmsghdr* h = nlmsg_hdr(m.get());
  h->nlmsg_len = NLMSG_HDRLEN + 2;  // shorter than nlmsgerr
  EXPECT_EQ(parse_error_message(h).error, 0);
  EXPECT_TRUE(parse_error_message(h).message.empty());
}

TEST(Extack, CorruptTlvLengthIsIgnored) {
  Msg m = error_message(EINVAL, true, 0, "abc");
  nlmsghdr* h = nlmsg_hdr(m.get());
  // Corrupt the first TLV (NLMSGERR_ATTR_OFFS) length to run past the end.
  auto* first = reinterpret_cast<nlattr*>(                                     // NOLINT
      reinterpret_cast<unsigned char*>(h) + NLMSG_HDRLEN + sizeof(nlmsgerr));  // NOLINT
  first->nla_len = 0xfff0;
  const ErrorReport r = parse_error_message(h);
  EXPECT_EQ(r.error, EINVAL);
  EXPECT_TRUE(r.message.empty());
}

TEST(Extack, FailedDumpDoneCarriesErrnoAndMessage) {
  Msg msg(nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS));
  int err = -ENODEV;
  ASSERT_EQ(nlmsg_append(msg.get(), &err, sizeof err, NLMSG_ALIGNTO), 0);
  ASSERT_EQ(nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, "device went away"), 0);
  const ErrorReport r = parse_done_message(nlmsg_hdr(msg.get()));
  EXPECT_EQ(r.error, ENODEV);
  EXPECT_EQ(r.message, "device went away");
}

TEST(Extack, SuccessfulDumpDone) {
  Msg msg(nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI));
  int zero = 0;
  ASSERT_EQ(nlmsg_append(msg.get(), &zero, sizeof zero, NLMSG_ALIGNTO), 0);
  EXPECT_EQ(parse_done_message(nlmsg_hdr(msg.get())).error, 0);
}

}  // namespace
}  // namespace resfence::nl
