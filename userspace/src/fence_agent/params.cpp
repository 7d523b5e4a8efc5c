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

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
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
    const std::string_view item = trim(s.substr(i, j == std::string_view::npos ? s.npos : j - i));
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
  const std::string v = lower(trim(value));
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

RawParams parse_command_line(const std::vector<std::string>& args) {
  RawParams raw;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const OptionSpec* spec = nullptr;
    std::optional<std::string> inline_value;
    std::string shown = a;
    if (a.starts_with("--") && a.size() > 2) {
      const size_t eq = a.find('=');
      spec = find_long(std::string_view(a).substr(2, eq == std::string::npos ? a.npos : eq - 2));
      if (eq != std::string::npos) {
        inline_value = a.substr(eq + 1);
        shown = a.substr(0, eq);
      }
    } else if (a.size() >= 2 && a[0] == '-' && a[1] != '-') {
      spec = find_short(a[1]);
      shown = a.substr(0, 2);
      if (a.size() > 2) inline_value = a.substr(2);
    } else {
      throw ParamError("unexpected argument '" + a + "' (options are -o ACTION -n PLUG ...)");
    }
    if (spec == nullptr) throw ParamError("unknown option '" + shown + "'");
    std::string value;
    if (!spec->takes_value) {
      if (inline_value && spec->short_opt != 0 && shown.size() == 2 && !a.starts_with("--"))
        throw ParamError("option '" + shown + "' takes no value");
      value = inline_value.value_or("1");
    } else if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= args.size()) throw ParamError("option '" + shown + "' needs a value");
      value = args[++i];
    }
    raw.insert_or_assign(std::string(spec->name), value);
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

Params to_params(const RawParams& raw) {
  Params p;
  // "option" is the old name of "action" in the API; "action" wins.
  const std::string* act = get(raw, "action");
  if (act == nullptr) act = get(raw, "option");
  if (act != nullptr) {
    const std::string a = lower(*act);
    if (a == "off" || a == "disable")
      p.action = Action::kOff;
    else if (a == "on" || a == "enable")
      p.action = Action::kOn;
    else if (a == "status")
      p.action = Action::kStatus;
    else if (a == "monitor")
      p.action = Action::kMonitor;
    else if (a == "metadata")
      p.action = Action::kMetadata;
    else if (a == "validate-all")
      p.action = Action::kValidateAll;
    else if (a == "reboot")
      throw ParamError(
          "action 'reboot' is not supported: fence_resfence fences the fabric (off); the "
          "victim's own module restarts it");
    else
      throw ParamError("unknown action '" + *act +
                       "' (off, on, status, monitor, metadata, validate-all)");
  }
  if (const auto* v = get(raw, "plug"); v != nullptr && !v->empty())
    p.plug = *v;
  else if (const auto* w = get(raw, "port"); w != nullptr && !w->empty())
    p.plug = *w;
  if (const auto* v = get(raw, "nodename"); v != nullptr && !v->empty()) p.nodename = *v;
  if (const auto* v = get(raw, "devices")) {
    for (const auto& d : split_list(*v, ",")) p.devices.push_back(d);
    if (p.devices.empty()) throw ParamError("devices='" + *v + "' names no device");
  }
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
    const auto t = parse_pr_type(lower(*v));
    if (!t)
      throw ParamError("pr_type='" + *v + "' is not a reservation type (we, ea, we-ro, ea-ro, "
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
  return p;
}

std::optional<std::string> target_of(const Params& p) {
  if (p.plug) return p.plug;
  return p.nodename;
}

}  // namespace resfence::agent
