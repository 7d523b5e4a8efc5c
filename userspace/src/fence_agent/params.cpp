#include "fence_agent/params.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "duration.h"
#include "key.h"
#include "names.h"

namespace resfence::agent {

namespace {

std::string_view trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

struct OptionSpec {
  std::string_view name;  // the stdin name
  char short_opt;         // 0: none
  bool takes_value;
};

// Every parameter the command line accepts; --long-names are these names
// with '_' or '-'.
constexpr std::array<OptionSpec, 14> kOptions{{
    {"action", 'o', true},
    {"plug", 'n', true},
    {"port", 0, true},
    {"nodename", 0, true},
    {"devices", 'd', true},
    {"key", 'k', true},
    {"nodes", 0, true},
    {"local_node", 0, true},
    {"pr_type", 0, true},
    {"abort", 0, false},
    {"interval", 0, true},
    {"verbose", 'v', false},
    {"help", 'h', false},
    {"version", 'V', false},
}};

const OptionSpec* find_long(std::string_view name) {
  std::string n(name);
  std::ranges::replace(n, '-', '_');
  for (const auto& o : kOptions)
    if (o.name == n) return &o;
  return nullptr;
}

const OptionSpec* find_short(char c) {
  for (const auto& o : kOptions)
    if (o.short_opt == c) return &o;
  return nullptr;
}

std::vector<std::string> split_list(std::string_view s, std::string_view seps) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    const size_t j = s.find_first_of(seps, i);
    const size_t len = j == std::string_view::npos ? std::string_view::npos : j - i;
    const std::string_view item = trim(s.substr(i, len));
    if (!item.empty()) out.emplace_back(item);
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}

const RawParams::mapped_type* get(const RawParams& raw, std::string_view name) {
  const auto it = raw.find(name);
  return it == raw.end() ? nullptr : &it->second;
}

}  // namespace

bool parse_bool(std::string_view name, std::string_view value) {
  const std::string v = ascii_lower(trim(value));
  if (v.empty() || v == "1" || v == "yes" || v == "true" || v == "on") return true;
  if (v == "0" || v == "no" || v == "false" || v == "off") return false;
  throw ParamError(std::string(name) + "='" + std::string(value) +
                   "' is not a boolean (1/0, yes/no, true/false, on/off)");
}

RawParams parse_stdin(std::string_view text) {
  RawParams raw;
  size_t lineno = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t e = text.find('\n', i);
    if (e == std::string_view::npos) e = text.size();
    const std::string_view line = trim(text.substr(i, e - i));
    i = e + 1;
    ++lineno;
    if (line.empty() || line.front() == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos)
      throw ParamError("stdin line " + std::to_string(lineno) + ": '" + std::string(line) +
                       "' is not name=value");
    const std::string_view name = trim(line.substr(0, eq));
    if (name.empty())
      throw ParamError("stdin line " + std::to_string(lineno) + ": no name before '='");
    raw.insert_or_assign(std::string(name), std::string(trim(line.substr(eq + 1))));
  }
  return raw;
}

namespace {

// One command-line word split into its option and a value attached to it
// ("--opt=V", "-oV").
struct OptionWord {
  const OptionSpec* spec = nullptr;
  std::string shown;  // the option as typed, for messages
  std::optional<std::string> inline_value;
  bool is_short = false;
};

OptionWord split_option(const std::string& a) {
  OptionWord w;
  w.shown = a;
  if (a.starts_with("--") && a.size() > 2) {
    const size_t eq = a.find('=');
    const size_t len = eq == std::string::npos ? std::string::npos : eq - 2;
    w.spec = find_long(std::string_view(a).substr(2, len));
    if (eq != std::string::npos) {
      w.inline_value = a.substr(eq + 1);
      w.shown = a.substr(0, eq);
    }
  } else if (a.size() >= 2 && a[0] == '-' && a[1] != '-') {
    w.is_short = true;
    w.spec = find_short(a[1]);
    w.shown = a.substr(0, 2);
    if (a.size() > 2) w.inline_value = a.substr(2);
  } else {
    throw ParamError("unexpected argument '" + a + "' (options are -o ACTION -n PLUG ...)");
  }
  if (w.spec == nullptr) throw ParamError("unknown option '" + w.shown + "'");
  return w;
}

}  // namespace

RawParams parse_command_line(const std::vector<std::string>& args) {
  RawParams raw;
  for (size_t i = 0; i < args.size(); ++i) {
    const OptionWord w = split_option(args[i]);
    std::string value;
    if (!w.spec->takes_value) {
      if (w.inline_value && w.is_short) throw ParamError("option '" + w.shown + "' takes no value");
      value = w.inline_value.value_or("1");
    } else if (w.inline_value) {
      value = *w.inline_value;
    } else {
      if (i + 1 >= args.size()) throw ParamError("option '" + w.shown + "' needs a value");
      value = args[++i];
    }
    raw.insert_or_assign(std::string(w.spec->name), value);
  }
  return raw;
}

std::string_view action_name(Action a) {
  switch (a) {
    case Action::kOff:
      return "off";
    case Action::kOn:
      return "on";
    case Action::kStatus:
      return "status";
    case Action::kMonitor:
      return "monitor";
    case Action::kMetadata:
      return "metadata";
    case Action::kValidateAll:
      return "validate-all";
  }
  return "off";
}

namespace {

Action parse_action_name(const std::string& given) {
  const std::string a = ascii_lower(given);
  if (a == "off" || a == "disable") return Action::kOff;
  if (a == "on" || a == "enable") return Action::kOn;
  if (a == "status") return Action::kStatus;
  if (a == "monitor") return Action::kMonitor;
  if (a == "metadata") return Action::kMetadata;
  if (a == "validate-all") return Action::kValidateAll;
  if (a == "reboot")
    throw ParamError(
        "action 'reboot' is not supported: fence_resfence fences the fabric (off); the "
        "victim's own module restarts it");
  throw ParamError("unknown action '" + given +
                   "' (off, on, status, monitor, metadata, validate-all)");
}

void parse_target_and_devices(const RawParams& raw, Params& p);
void parse_settings(const RawParams& raw, Params& p);

}  // namespace

Params to_params(const RawParams& raw) {
  Params p;
  // "option" is the old name of "action" in the API; "action" wins.
  const std::string* act = get(raw, "action");
  if (act == nullptr) act = get(raw, "option");
  if (act != nullptr) p.action = parse_action_name(*act);
  parse_target_and_devices(raw, p);
  parse_settings(raw, p);
  return p;
}

namespace {

void parse_target_and_devices(const RawParams& raw, Params& p) {
  if (const auto* v = get(raw, "plug"); v != nullptr && !v->empty())
    p.plug = *v;
  else if (const auto* w = get(raw, "port"); w != nullptr && !w->empty())
    p.plug = *w;
  if (const auto* v = get(raw, "nodename"); v != nullptr && !v->empty()) p.nodename = *v;
  if (const auto* v = get(raw, "devices")) {
    for (const auto& d : split_list(*v, ",")) p.devices.push_back(d);
    if (p.devices.empty()) throw ParamError("devices='" + *v + "' names no device");
  }
}

void parse_settings(const RawParams& raw, Params& p) {
  if (const auto* v = get(raw, "key"); v != nullptr && !v->empty()) {
    try {
      p.key = parse_key(*v);
    } catch (const std::invalid_argument& e) {
      throw ParamError(std::string("key: ") + e.what());
    }
  }
  if (const auto* v = get(raw, "nodes")) p.nodes = split_list(*v, ", \t");
  if (const auto* v = get(raw, "local_node"); v != nullptr && !v->empty()) p.local_node = *v;
  if (const auto* v = get(raw, "pr_type"); v != nullptr && !v->empty()) {
    const auto t = parse_pr_type(ascii_lower(*v));
    if (!t)
      throw ParamError("pr_type='" + *v +
                       "' is not a reservation type (we, ea, we-ro, ea-ro, "
                       "we-ar, ea-ar)");
    p.pr_type = *t;
  }
  if (const auto* v = get(raw, "abort")) p.abort = parse_bool("abort", *v);
  if (const auto* v = get(raw, "interval"); v != nullptr && !v->empty()) {
    try {
      p.interval_ms =
          parse_seconds_in_range(*v, RESFENCE_INTERVAL_MIN_MS, RESFENCE_INTERVAL_MAX_MS);
    } catch (const std::invalid_argument& e) {
      throw ParamError(std::string("interval: ") + e.what());
    }
  }
  if (const auto* v = get(raw, "verbose")) p.verbose = parse_bool("verbose", *v);
  if (const auto* v = get(raw, "help")) p.help = parse_bool("help", *v);
  if (const auto* v = get(raw, "version")) p.version = parse_bool("version", *v);
}

}  // namespace

std::optional<std::string> target_of(const Params& p) {
  if (p.plug) return p.plug;
  return p.nodename;
}

std::string ascii_lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace resfence::agent
