// The fence record the module logs just before it fences (kmod/record.h):
// parsing it out of a kernel log, and matching it to a disk. Pure functions;
// the files it is read from are fence_store.h's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace resfence {

// "FENCE-RECORD v1" and its fields, as the module wrote them ("-": unknown).
struct FenceRecord {
  std::string line;  // from the tag to the end of the line
  std::string disk;
  std::string devt;
  std::string id;
  std::string mode;
  std::string key;
  std::string holder;
  std::string generation;
  std::string reason;
  std::string action;
  int64_t sec = 0;
  int64_t nsec = 0;
};

inline constexpr std::string_view kFenceRecordTag = "FENCE-RECORD v1";

// One record from a log line that contains the tag anywhere (a syslog prefix
// "<0>[   12.3] scsi_resfence: " or a dmesg timestamp before it is fine).
// nullopt when the line has no tag, or lacks disk, reason, action or a
// well-formed time.
std::optional<FenceRecord> parse_fence_record(std::string_view line);

// Every record in a log text, in the order they appear.
std::vector<FenceRecord> find_fence_records(std::string_view text);

// The identity as the record spells it: what the kernel's scsi_vpd_lun_id()
// gives (sysfs "wwid"), trailing newline dropped, and every space, control
// or non-ASCII byte turned into '_' (kmod/record.c does the same). Empty
// stays empty.
std::string record_lu_id(std::string_view wwid);

// Does `r` name this disk? By identity when both sides have one, else by
// kernel name (names can change across a restart; identities do not).
bool record_matches_disk(const FenceRecord& r, const std::string& lu_id, const std::string& name);

// The reason token in words ("key-gone" -> "our key was removed (preempted)").
std::string fence_reason_text(const std::string& token);

// time as UTC, "2026-12-01T20:55:12.123Z".
std::string fence_time_utc(const FenceRecord& r);

// A stable file name for the record: "<sec>.<nsec>-<disk>".
std::string fence_record_name(const FenceRecord& r);

}  // namespace resfence
