// fence_resfence's input, as the fence-agent API defines it: name=value lines
// on stdin (Pacemaker's way) or the equivalent command line (fence_scsi's
// spelling). Parsing only: no device, no module, so every rule is unit-tested.
#pragma once

#include <linux/resfence.h>

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace resfence::agent {

// A parameter or option fence_resfence refuses; the message names it.
class ParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Action { kOff, kOn, kStatus, kMonitor, kMetadata, kValidateAll };

// The raw name=value pairs, last value winning. Names are the stdin names
// ("devices", "plug"); the command line's options map onto the same names.
using RawParams = std::map<std::string, std::string, std::less<>>;

// stdin: one name=value per line; leading and trailing blanks around the name
// and the value are dropped; blank lines and lines starting with '#' are
// skipped; a line without '=' is an error; a later value replaces an earlier
// one. Unknown names are kept here and ignored by to_params().
RawParams parse_stdin(std::string_view text);

// The command line (without argv[0]): -o/--action, -n/--plug, -d/--devices,
// -k/--key, and a --long-name for every other parameter (dashes or
// underscores), each as "--opt VALUE", "--opt=VALUE" or "-oVALUE". Booleans
// (--abort, --verbose) take no value. -h/--help and -V/--version set "help"
// and "version". Unknown options and stray arguments are errors.
RawParams parse_command_line(const std::vector<std::string>& args);

struct Params {
  Action action = Action::kOff;
  std::optional<std::string> plug;        // plug (or port): a node name or a key
  std::optional<std::string> nodename;    // the API's target name, used when no plug
  std::vector<std::string> devices;       // devices=/dev/sdb,/dev/sdc
  std::optional<uint64_t> key;            // key=: the target's key, overriding the derivation
  std::vector<std::string> nodes;         // nodes=: every node name, for the collision check
  std::optional<std::string> local_node;  // this node's name (default: uname -n)
  resfence_pr_type pr_type = RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS;  // pr_type=
  bool abort = true;                    // abort=: PREEMPT AND ABORT first
  std::optional<uint32_t> interval_ms;  // interval= (seconds) for `on`
  bool verbose = false;
  bool help = false;
  bool version = false;
};

// Validates and converts. Throws ParamError naming the parameter: an unknown
// action (including "reboot", which this fabric agent does not do), a bad
// key, type, interval or boolean, an empty device list entry.
Params to_params(const RawParams& raw);

// The victim's (off, status) or this node's (on) name or key as given:
// plug, else port, else nodename. Empty when none was given.
std::optional<std::string> target_of(const Params& p);

// "1", "yes", "true", "on" / "0", "no", "false", "off" (any case); the empty
// value (a bare "--abort" or "abort=") is true. Throws ParamError.
bool parse_bool(std::string_view name, std::string_view value);

std::string_view action_name(Action a);

// `s` in ASCII lowercase: names, actions and types compare without case.
std::string ascii_lower(std::string_view s);

}  // namespace resfence::agent
