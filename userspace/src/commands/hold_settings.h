// The acquisition settings hold, takeover and preempt share, and their
// command-line options.
#pragma once

#include <linux/resfence.h>

#include <optional>

#include "key.h"
#include "resfence_api.h"
#include "types.h"

namespace CLI {
class App;
}

namespace resfence {

struct Context;

struct HoldSettings {
  std::optional<resfence_mode> mode;
  std::optional<KeySpec> key;
  std::optional<resfence_pr_type> pr_type;
  std::optional<uint32_t> interval_ms;
  std::optional<uint32_t> lease_ms;
  std::optional<resfence_action> action;
  std::optional<uint8_t> cdb_len;
};

// --mode --key --type --interval --lease --action --cdb, each validated as parsed
// (a bad value is a CLI11 ValidationError: exit code 2).
void add_hold_settings(CLI::App* cmd, HoldSettings& s);

// The device positional argument.
void add_device_argument(CLI::App* cmd, std::string& device);

// Checks that only options meaningful for the mode are set: --key/--type
// need pr, --cdb needs scsi2. Throws CommandError(kUsage).
void check_mode_options(const HoldSettings& s, resfence_mode mode);

// The HOLD/PREEMPT request for `dev`; resolves "--key auto" through ctx.
HoldRequest make_hold_request(const HoldSettings& s, DeviceId dev, Context& ctx);

}  // namespace resfence
