// Building resfence requests and parsing replies. Pure functions over nl_msg /
// nlmsghdr: no socket, so the unit tests exercise them without a kernel.
#pragma once

#include <linux/netlink.h>

#include "netlink/nl_handles.h"
#include "types.h"

namespace resfence::nl {

// A request for `cmd` addressed to genl family `family`. `flags` adds to
// NLM_F_REQUEST (e.g. NLM_F_DUMP).
Msg build_request(int family, uint8_t cmd, int flags = 0);

Msg build_get_info(int family);
Msg build_set_defaults(int family, const DefaultsRequest& req);
Msg build_device_request(int family, uint8_t cmd, DeviceId dev);  // RELEASE, GET_DEVICE, READ_*
Msg build_get_device_dump(int family);
// HOLD, or PREEMPT when cmd == RESFENCE_CMD_PREEMPT (adds VICTIM_KEY / ABORT).
Msg build_hold(int family, uint8_t cmd, const HoldRequest& req);
// EVICT: only the device, VICTIM_KEY and ABORT of `req` (the hold's own key
// and type are the module's).
Msg build_evict(int family, const HoldRequest& req);

// Parsers throw NetlinkError(EPROTO, "...") on a malformed reply: a missing
// required attribute or one that fails the policy.
ModuleInfo parse_module_info(nlmsghdr* hdr);
DeviceInfo parse_device(nlmsghdr* hdr);
KeysInfo parse_keys(nlmsghdr* hdr);
ReservationInfo parse_reservation(nlmsghdr* hdr);
Event parse_event(nlmsghdr* hdr);
// Parses a HOLD/PREEMPT request back; the tests use it to check build_hold().
HoldRequest parse_hold_request(nlmsghdr* hdr);
// Parses a SET_DEFAULTS request back, for the tests of build_set_defaults().
DefaultsRequest parse_defaults_request(nlmsghdr* hdr);

// The generic netlink command of a message.
uint8_t genl_command(nlmsghdr* hdr);

}  // namespace resfence::nl
