// Reads of the logical unit behind a device as the operator named it: a SCSI
// disk itself, or a dm-multipath map through the first of its paths that
// answers. A map's LU, its keys, its reservation and its PR generation are
// the same through every path, so one failed path must not fail a takeover,
// a preempt or a fence that another path can still see through.
#pragma once

#include "device.h"
#include "resfence_api.h"
#include "types.h"

namespace resfence {

// READ KEYS of the LU. Throws the NetlinkError of the device, or of a map's
// last path when none answered.
KeysInfo read_lu_keys(ResfenceApi& api, const ResolvedDevice& d);

// READ RESERVATION of the LU, likewise.
ReservationInfo read_lu_reservation(ResfenceApi& api, const ResolvedDevice& d);

}  // namespace resfence
