#include "lu_reads.h"

#include <cstddef>

#include "errors.h"

namespace resfence {

namespace {

template <typename Read>
auto read_lu(const ResolvedDevice& d, Read read) {
  if (d.paths.empty()) return read(d.dev);
  for (std::size_t i = 0;; ++i) {
    try {
      return read(d.paths[i].dev);
    } catch (const NetlinkError&) {
      if (i + 1 == d.paths.size()) throw;
    }
  }
}

}  // namespace

KeysInfo read_lu_keys(ResfenceApi& api, const ResolvedDevice& d) {
  return read_lu(d, [&api](DeviceId dev) { return api.read_keys(dev); });
}

ReservationInfo read_lu_reservation(ResfenceApi& api, const ResolvedDevice& d) {
  return read_lu(d, [&api](DeviceId dev) { return api.read_reservation(dev); });
}

}  // namespace resfence
