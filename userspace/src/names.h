// The words the tool uses for UAPI enum values, on the command line and in
// output (human and JSON). Stable: they are part of the JSON schema.
#pragma once

#include <linux/resfence.h>

#include <optional>
#include <string>
#include <string_view>

namespace resfence {

std::string mode_name(uint8_t v);          // "scsi2", "pr"
std::string state_name(uint8_t v);         // "armed", "fenced", "removed"
std::string path_state_name(uint8_t v);    // a multipath path: "armed", "failed", "removed"
std::string action_name(uint8_t v);        // "restart", "panic", "log"
std::string pr_type_name(uint8_t v);       // "we", "ea", "we-ro", ...
std::string pr_type_long_name(uint8_t v);  // "write exclusive, registrants only"
std::string event_name(uint8_t v);         // "held", "lease-expired", ...

std::optional<resfence_mode> parse_mode(std::string_view s);
std::optional<resfence_action> parse_action(std::string_view s);
std::optional<resfence_pr_type> parse_pr_type(std::string_view s);

// "0x00000000000000ab": keys are shown as fixed-width hex everywhere (JSON
// included, as a string: JSON numbers lose precision above 2^53).
std::string format_key(uint64_t key);

}  // namespace resfence
