// What the commands need from scsi_resfence.ko. The netlink implementation
// talks to the kernel; the unit tests substitute a fake. Every method throws
// NetlinkError (errno + extack) when the module refuses.
#pragma once

#include <vector>

#include "types.h"

namespace resfence {

class ResfenceApi {
 public:
  virtual ~ResfenceApi() = default;
  ResfenceApi() = default;
  ResfenceApi(const ResfenceApi&) = delete;
  ResfenceApi& operator=(const ResfenceApi&) = delete;
  ResfenceApi(ResfenceApi&&) = delete;
  ResfenceApi& operator=(ResfenceApi&&) = delete;

  virtual ModuleInfo get_info() = 0;
  virtual void set_defaults(const DefaultsRequest& req) = 0;
  virtual std::vector<DeviceInfo> list_devices() = 0;  // GET_DEVICE dump
  virtual DeviceInfo get_device(DeviceId dev) = 0;     // GET_DEVICE doit
  virtual DeviceInfo hold(const HoldRequest& req) = 0;
  virtual DeviceInfo preempt(const HoldRequest& req) = 0;
  // EVICT: preempt req.victim_key through a disk this node holds (pr), with
  // the hold's key and type; the hold is unchanged.
  virtual DeviceInfo evict(const HoldRequest& req) = 0;
  virtual void release(DeviceId dev) = 0;
  virtual KeysInfo read_keys(DeviceId dev) = 0;
  virtual ReservationInfo read_reservation(DeviceId dev) = 0;
};

}  // namespace resfence

namespace resfence {

// The "events" multicast group.
class EventSource {
 public:
  virtual ~EventSource() = default;
  EventSource() = default;
  EventSource(const EventSource&) = delete;
  EventSource& operator=(const EventSource&) = delete;
  EventSource(EventSource&&) = delete;
  EventSource& operator=(EventSource&&) = delete;

  // Blocks until events arrive and returns them (at least one), or returns an
  // empty vector once SIGINT/SIGTERM arrived: the end of the stream.
  virtual std::vector<Event> wait() = 0;
};

}  // namespace resfence
