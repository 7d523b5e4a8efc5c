// Fence records after the restart: found in pstore (and the directory
// systemd-pstore archives it to), kept under a state directory so that they
// outlive pstore's clean-up, acknowledged by `ack-fence`, and checked by the
// rejoin guard. Every path is a field so that the unit tests can point the
// whole thing at a temporary directory.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "device.h"
#include "fence_record.h"

namespace resfence {

struct FencePaths {
  std::string pstore = "/sys/fs/pstore";
  std::string systemd_pstore = "/var/lib/systemd/pstore";
  std::string state = "/var/lib/resfence";
  std::string boot_id = "/proc/sys/kernel/random/boot_id";
  std::string sys = "/sys";
  std::string mounts = "/proc/self/mounts";
};

// One fence record kept in STATE/fences/NAME (NAME: fence_record_name()),
// a key=value text file; the dump it was found in is kept next to it as
// NAME.dump.
struct StoredFence {
  FenceRecord record;
  std::string file;
  std::string source;           // the pstore file it was found in
  std::string first_seen_boot;  // boot_id of the boot that found it
  std::string acked;            // when ack-fence acknowledged it ("" = not yet)
};

struct FenceCollection {
  std::vector<StoredFence> fences;  // oldest first
  // Problems met (a state directory that cannot be written, say). Records
  // that could not be archived are still in `fences` (and left in pstore).
  std::vector<std::string> warnings;
  // mtime (seconds) of the newest pstore dump without a fence record, 0 if none.
  int64_t newest_other_dump = 0;
  // mtime of the dump each record was found in this time, by record name.
  std::vector<std::pair<std::string, int64_t>> dump_times;
  std::string boot_id;
};

// Scans pstore and the systemd-pstore archive for fence records; a record not
// seen before is written to the state directory (first seen: this boot), and
// the pstore file it came from is removed once kept (as systemd-pstore does:
// pstore space is small, and a stale record must not be taken for the next
// restart's). Returns every record on file.
FenceCollection collect_fences(const FencePaths& p);

// Of a collection, the record of the last restart: first seen by this boot,
// and newer than any other dump in pstore. nullopt: the last restart left no
// fence record.
std::optional<StoredFence> last_restart_fence(const FenceCollection& c);

// Why this machine may not keep a fence record over a restart: no pstore
// backend, ramoops with a max_reason below KMSG_DUMP_EMERG, ERST/EFI without
// printk.always_kmsg_dump, pstore not mounted. Empty when it is set up.
std::vector<std::string> pstore_setup_problems(const FencePaths& p);

// The registered pstore backend ("ramoops", "erst", "efi_pstore"), "" if none.
std::string pstore_backend(const FencePaths& p);

// The disk's VPD page 83 identity as the record spells it, "" if it has none.
std::string disk_lu_id(const FencePaths& p, const ResolvedDevice& dev);

// Marks the unacknowledged records matching the disk as acknowledged (now).
// Returns the records it acknowledged.
std::vector<StoredFence> ack_fences(const FencePaths& p, const std::vector<StoredFence>& matching);

// The rejoin guard, for every command that would make this node take a disk
// (hold, takeover, preempt, the Pacemaker agent's unfence): throws
// CommandError(kFenceUnacknowledged) naming when, which disk and why, while
// an unacknowledged fence record for `dev` exists.
void check_rejoin_guard(const FencePaths& p, const ResolvedDevice& dev);

}  // namespace resfence
