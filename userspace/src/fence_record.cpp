#include "fence_record.h"

#include <array>
#include <charconv>
#include <ctime>
#include <map>

namespace resfence {

namespace {

bool parse_int(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && out >= 0;
}

// "1764622512.123456789" -> seconds and nanoseconds.
bool parse_time(std::string_view s, int64_t& sec, int64_t& nsec) {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  const auto frac = s.substr(dot + 1);
  return frac.size() == 9 && parse_int(s.substr(0, dot), sec) && parse_int(frac, nsec);
}

}  // namespace

std::optional<FenceRecord> parse_fence_record(std::string_view line) {
  const auto at = line.find(kFenceRecordTag);
  if (at == std::string_view::npos) return std::nullopt;
  line = line.substr(at);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);

  std::map<std::string, std::string, std::less<>> f;
  std::string_view rest = line.substr(kFenceRecordTag.size());
  while (!rest.empty()) {
    const auto start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest = rest.substr(start);
    const auto end = rest.find(' ');
    const std::string_view tok = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    const auto eq = tok.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    f.emplace(std::string(tok.substr(0, eq)), std::string(tok.substr(eq + 1)));
  }
  auto get = [&f](const char* k) {
    const auto it = f.find(k);
    return it == f.end() ? std::string("-") : it->second;
  };
  FenceRecord r;
  r.line = std::string(line);
  r.disk = get("disk");
  r.devt = get("devt");
  r.id = get("id");
  r.mode = get("mode");
  r.key = get("key");
  r.holder = get("holder");
  r.generation = get("generation");
  r.reason = get("reason");
  r.action = get("action");
  if (r.disk == "-" || r.reason == "-" || r.action == "-") return std::nullopt;
  if (!parse_time(get("time"), r.sec, r.nsec)) return std::nullopt;
  return r;
}

std::vector<FenceRecord> find_fence_records(std::string_view text) {
  std::vector<FenceRecord> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const auto line = text.substr(0, nl);
    if (auto r = parse_fence_record(line)) out.push_back(std::move(*r));
    if (nl == std::string_view::npos) break;
    text = text.substr(nl + 1);
  }
  return out;
}

std::string record_lu_id(std::string_view wwid) {
  while (!wwid.empty() && (wwid.back() == '\n' || wwid.back() == '\0')) wwid.remove_suffix(1);
  std::string id(wwid);
  for (char& c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u >= 0x7f) c = '_';
  }
  return id;
}

bool record_matches_disk(const FenceRecord& r, const std::string& lu_id, const std::string& name) {
  if (r.id != "-" && !r.id.empty() && !lu_id.empty()) return r.id == lu_id;
  return r.disk == name;
}

std::string fence_reason_text(const std::string& token) {
  if (token == "conflict") return "a command completed with RESERVATION CONFLICT";
  if (token == "key-gone") return "our key is no longer registered (preempted)";
  if (token == "foreign-holder") return "another key holds the reservation";
  if (token == "lease") return "lease expired without a successful refresh";
  if (token == "epoch-moved")
    return "the takeover epoch on the disk moved (another node took over)";
  if (token == "verify-timeout")
    return "reservation conflict not disproved by a verification in time";
  return token;
}

std::string fence_time_utc(const FenceRecord& r) {
  const auto secs = static_cast<std::time_t>(r.sec);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 32> date{};
  if (std::strftime(date.data(), date.size(), "%Y-%m-%dT%H:%M:%S", &tm) == 0) date[0] = '\0';
  std::string ms = std::to_string(r.nsec / 1000000);
  ms.insert(0, 3 - ms.size(), '0');
  return std::string(date.data()) + "." + ms + "Z";
}

std::string fence_record_name(const FenceRecord& r) {
  std::string ns = std::to_string(r.nsec);
  ns.insert(0, 9 - ns.size(), '0');
  std::string disk;
  for (const char c : r.disk) disk += (c == '/' || c == '.') ? '_' : c;
  return std::to_string(r.sec) + "." + ns + "-" + disk;
}

}  // namespace resfence
