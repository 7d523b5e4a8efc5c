// ResfenceApi over generic netlink.
#pragma once

#include "netlink/genl_connection.h"
#include "resfence_api.h"

namespace resfence::nl {

class NetlinkResfence final : public ResfenceApi {
 public:
  // Throws ModuleMissingError when the module is not loaded (and cannot be autoloaded).
  NetlinkResfence() : conn_(GenlConnection::open()) {}

  ModuleInfo get_info() override;
  void set_defaults(const DefaultsRequest& req) override;
  std::vector<DeviceInfo> list_devices() override;
  DeviceInfo get_device(DeviceId dev) override;
  DeviceInfo hold(const HoldRequest& req) override;
  DeviceInfo preempt(const HoldRequest& req) override;
  DeviceInfo evict(const HoldRequest& req) override;
  void release(DeviceId dev) override;
  KeysInfo read_keys(DeviceId dev) override;
  ReservationInfo read_reservation(DeviceId dev) override;

 private:
  // Exactly one reply message expected; throws NetlinkError(EPROTO) otherwise.
  RawMessage single(Msg msg);
  GenlConnection conn_;
};

}  // namespace resfence::nl
