#include "netlink/netlink_resfence.h"

#include <cerrno>

#include "errors.h"
#include "netlink/messages.h"

namespace resfence::nl {

RawMessage NetlinkResfence::single(Msg msg) {
  std::vector<RawMessage> replies = conn_.transact(std::move(msg));
  if (replies.size() != 1)
    throw NetlinkError(EPROTO, "expected one reply message from the module, got " +
                                   std::to_string(replies.size()));
  return std::move(replies.front());
}

ModuleInfo NetlinkResfence::get_info() {
  return parse_module_info(single(build_get_info(conn_.family())).header());
}

void NetlinkResfence::set_defaults(const DefaultsRequest& req) {
  conn_.transact(build_set_defaults(conn_.family(), req));
}

std::vector<DeviceInfo> NetlinkResfence::list_devices() {
  std::vector<DeviceInfo> out;
  for (RawMessage& m : conn_.transact(build_get_device_dump(conn_.family())))
    out.push_back(parse_device(m.header()));
  return out;
}

DeviceInfo NetlinkResfence::get_device(DeviceId dev) {
  return parse_device(
      single(build_device_request(conn_.family(), RESFENCE_CMD_GET_DEVICE, dev)).header());
}

DeviceInfo NetlinkResfence::hold(const HoldRequest& req) {
  return parse_device(single(build_hold(conn_.family(), RESFENCE_CMD_HOLD, req)).header());
}

DeviceInfo NetlinkResfence::preempt(const HoldRequest& req) {
  return parse_device(single(build_hold(conn_.family(), RESFENCE_CMD_PREEMPT, req)).header());
}

DeviceInfo NetlinkResfence::evict(const HoldRequest& req) {
  return parse_device(single(build_evict(conn_.family(), req)).header());
}

void NetlinkResfence::release(DeviceId dev) {
  conn_.transact(build_device_request(conn_.family(), RESFENCE_CMD_RELEASE, dev));
}

KeysInfo NetlinkResfence::read_keys(DeviceId dev) {
  return parse_keys(
      single(build_device_request(conn_.family(), RESFENCE_CMD_READ_KEYS, dev)).header());
}

ReservationInfo NetlinkResfence::read_reservation(DeviceId dev) {
  return parse_reservation(
      single(build_device_request(conn_.family(), RESFENCE_CMD_READ_RESERVATION, dev)).header());
}

}  // namespace resfence::nl
