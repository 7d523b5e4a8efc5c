#include "fence_store.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "errors.h"

namespace fs = std::filesystem;

namespace resfence {

namespace {

// A dump or a sysfs file: small. Anything bigger is not a pstore record.
constexpr std::uintmax_t kMaxFile = 16U << 20U;

std::optional<std::string> read_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxFile) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

std::string read_trimmed(const fs::path& path) { return trim(read_file(path).value_or("")); }

int64_t mtime_seconds(const fs::path& path) {
  std::error_code ec;
  const auto t = fs::last_write_time(path, ec);
  if (ec) return 0;
  const auto sys = std::chrono::file_clock::to_sys(t);
  return std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
}

bool is_under(const fs::path& file, const std::string& dir) {
  const auto rel = file.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

fs::path fences_dir(const FencePaths& p) { return fs::path(p.state) / "fences"; }

std::string stored_text(const StoredFence& s) {
  std::string t = "record=" + s.record.line + "\n";
  t += "source=" + s.source + "\n";
  t += "first_seen_boot=" + s.first_seen_boot + "\n";
  if (!s.acked.empty()) t += "acked=" + s.acked + "\n";
  return t;
}

std::optional<StoredFence> parse_stored(const std::string& text, const std::string& file) {
  StoredFence s;
  s.file = file;
  std::istringstream in(text);
  std::string line;
  bool have = false;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string k = line.substr(0, eq);
    const std::string v = line.substr(eq + 1);
    if (k == "record") {
      auto r = parse_fence_record(v);
      if (!r) return std::nullopt;
      s.record = std::move(*r);
      have = true;
    } else if (k == "source") {
      s.source = v;
    } else if (k == "first_seen_boot") {
      s.first_seen_boot = v;
    } else if (k == "acked") {
      s.acked = v;
    }
  }
  if (!have) return std::nullopt;
  return s;
}

// Write-then-rename: a reader never sees half a record.
bool write_atomically(const fs::path& path, const std::string& text, std::string& why) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      why = "cannot create " + tmp.string();
      return false;
    }
    out << text;
    out.flush();
    if (!out) {
      why = "cannot write " + tmp.string();
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    why = "cannot rename " + tmp.string() + ": " + ec.message();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

std::vector<fs::path> dump_files(const FencePaths& p) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(p.pstore, ec))
    if (e.is_regular_file(ec)) out.push_back(e.path());
  if (!p.systemd_pstore.empty()) {
    for (auto it = fs::recursive_directory_iterator(
             p.systemd_pstore, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec)) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string now_utc() {
  FenceRecord r;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  r.sec = std::chrono::duration_cast<std::chrono::seconds>(now).count();
  r.nsec = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count() % 1000000000;
  return fence_time_utc(r);
}

}  // namespace

FenceCollection collect_fences(const FencePaths& p) {
  FenceCollection c;
  c.boot_id = read_trimmed(p.boot_id);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fences_dir(p), ec)) {
    const auto name = e.path().filename().string();
    if (name.ends_with(".dump") || name.ends_with(".tmp")) continue;
    auto text = read_file(e.path());
    if (!text) continue;
    if (auto s = parse_stored(*text, e.path().string()))
      c.fences.push_back(std::move(*s));
    else
      c.warnings.push_back(e.path().string() + ": not a fence record file");
  }

  bool made_dir = false;
  for (const auto& file : dump_files(p)) {
    const auto text = read_file(file);
    if (!text) continue;
    const bool in_pstore = is_under(file, p.pstore);
    const auto records = find_fence_records(*text);
    const int64_t mtime = mtime_seconds(file);
    if (records.empty()) {
      if (in_pstore && file.filename().string().starts_with("dmesg-"))
        c.newest_other_dump = std::max(c.newest_other_dump, mtime);
      continue;
    }
    bool kept = true;
    for (const auto& r : records) {
      const std::string name = fence_record_name(r);
      c.dump_times.emplace_back(name, mtime);
      const bool known = std::any_of(c.fences.begin(), c.fences.end(), [&](const StoredFence& s) {
        return fence_record_name(s.record) == name;
      });
      if (known) continue;
      StoredFence s;
      s.record = r;
      s.source = file.string();
      s.first_seen_boot = c.boot_id;
      const fs::path dest = fences_dir(p) / name;
      s.file = dest.string();
      std::string why;
      if (!made_dir) {
        fs::create_directories(fences_dir(p), ec);
        made_dir = true;
      }
      if (!write_atomically(fs::path(dest.string() + ".dump"), *text, why) ||
          !write_atomically(dest, stored_text(s), why)) {
        c.warnings.push_back("cannot keep the fence record of " + file.string() + " in " +
                             fences_dir(p).string() + ": " + why + " (it stays in pstore)");
        s.file.clear();
        kept = false;
      }
      c.fences.push_back(std::move(s));
    }
    if (kept && in_pstore) {
      fs::remove(file, ec);
      if (ec)
        c.warnings.push_back("kept, but cannot remove " + file.string() +
                             " from pstore: " + ec.message());
    }
  }
  std::sort(c.fences.begin(), c.fences.end(), [](const StoredFence& a, const StoredFence& b) {
    return std::pair(a.record.sec, a.record.nsec) < std::pair(b.record.sec, b.record.nsec);
  });
  return c;
}

std::optional<StoredFence> last_restart_fence(const FenceCollection& c) {
  if (c.fences.empty() || c.boot_id.empty()) return std::nullopt;
  const StoredFence& newest = c.fences.back();
  if (newest.first_seen_boot != c.boot_id) return std::nullopt;
  const std::string name = fence_record_name(newest.record);
  for (const auto& [n, t] : c.dump_times)
    if (n == name && c.newest_other_dump > t) return std::nullopt;
  return newest;
}

std::string pstore_backend(const FencePaths& p) {
  std::string b = read_trimmed(fs::path(p.sys) / "module/pstore/parameters/backend");
  if (b == "(null)") b.clear();
  return b;
}

std::vector<std::string> pstore_setup_problems(const FencePaths& p) {
  std::vector<std::string> out;
  const fs::path mod = fs::path(p.sys) / "module";
  const std::string backend = pstore_backend(p);
  if (!fs::exists(mod / "pstore")) {
    out.emplace_back("this kernel has no pstore: a restart leaves no fence record");
    return out;
  }
  if (backend.empty()) {
    out.emplace_back(
        "no pstore backend is registered (/sys/module/pstore/parameters/backend): a restart "
        "leaves no fence record; use ERST or EFI on a server, ramoops in a VM "
        "(Documentation/cluster.md)");
  } else if (backend == "ramoops") {
    const std::string v = read_trimmed(mod / "ramoops/parameters/max_reason");
    int reason = 0;
    try {
      reason = std::stoi(v);
    } catch (const std::exception&) {
      reason = -2;
    }
    if (reason == -2)
      out.emplace_back(
          "cannot read ramoops' max_reason (/sys/module/ramoops/parameters/"
          "max_reason needs root): cannot tell whether it keeps emergency restarts");
    else if (reason < 3)
      out.emplace_back("ramoops keeps only oopses and panics (max_reason=" + v +
                       "): a fence's restart leaves no record; load it with max_reason=3 or more "
                       "(KMSG_DUMP_EMERG)");
  } else {
    const std::string always = read_trimmed(mod / "printk/parameters/always_kmsg_dump");
    if (always != "Y")
      out.emplace_back("pstore backend " + backend +
                       " keeps only oopses and panics unless printk.always_kmsg_dump=Y is on "
                       "the kernel command line: a fence's restart leaves no record");
    if (backend == "efi_pstore" &&
        read_trimmed(mod / "efi_pstore/parameters/pstore_disable") == "Y")
      out.emplace_back("efi_pstore is loaded with pstore_disable=Y");
  }
  const std::string mounts = read_file(p.mounts).value_or("");
  if (mounts.find(" " + p.pstore + " pstore ") == std::string::npos)
    out.emplace_back("pstore is not mounted on " + p.pstore +
                     ": records cannot be read (mount -t pstore pstore " + p.pstore + ")");
  return out;
}

std::string disk_lu_id(const FencePaths& p, const ResolvedDevice& dev) {
  const fs::path wwid = fs::path(p.sys) / "dev/block" /
                        (std::to_string(dev.dev.major) + ":" + std::to_string(dev.dev.minor)) /
                        "device/wwid";
  return record_lu_id(read_file(wwid).value_or(""));
}

std::vector<StoredFence> ack_fences(const FencePaths& p, const std::vector<StoredFence>& matching) {
  std::vector<StoredFence> done;
  const std::string when = now_utc();
  for (StoredFence s : matching) {
    if (!s.acked.empty()) continue;
    if (s.file.empty())
      throw CommandError(ExitCode::kFailure, "the fence record of " + s.source +
                                                 " is not kept in " + fences_dir(p).string() +
                                                 " (cannot write there?): cannot "
                                                 "acknowledge it");
    s.acked = when;
    std::string why;
    if (!write_atomically(s.file, stored_text(s), why))
      throw CommandError(ExitCode::kFailure, "cannot acknowledge " + s.file + ": " + why);
    done.push_back(std::move(s));
  }
  return done;
}

void check_rejoin_guard(const FencePaths& p, const ResolvedDevice& dev) {
  const FenceCollection c = collect_fences(p);
  const std::string id = disk_lu_id(p, dev);
  for (auto it = c.fences.rbegin(); it != c.fences.rend(); ++it) {
    const FenceRecord& r = it->record;
    if (!it->acked.empty() || !record_matches_disk(r, id, dev.name)) continue;
    throw CommandError(
        ExitCode::kFenceUnacknowledged,
        dev.given + ": this node was fenced from this disk at " + fence_time_utc(r) + " (" +
            r.disk + " " + r.devt + (r.id != "-" ? ", " + r.id : "") +
            "): " + fence_reason_text(r.reason) +
            "; not rejoining until that is acknowledged: find out why (resfencectl last-fence), "
            "then run 'resfencectl ack-fence " +
            dev.given + "'");
  }
}

}  // namespace resfence
