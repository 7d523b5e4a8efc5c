// resfence-nlraw: a TEST-ONLY raw client of the "resfence" generic netlink
// family. resfencectl checks its input before the kernel sees it, so the
// module's own defences (per-operation policies, strict validation, value
// checks, extended ACK) are reachable only by a client that sends exactly
// what it is told. Built next to resfencectl, never installed; the VM lab
// copies it into the guest (tests/vm/initramfs-run.sh).
//
//   resfence-nlraw [--fail-nth N] [--dump] COMMAND [ATTR[:ENC][=VALUE]...]
//
// COMMAND  get_info set_defaults hold preempt release get_device read_keys
//          read_reservation event, or a number (an unknown command).
// ATTR     an attribute of enum resfence_attr, lower case and without its
//          prefix (dev_major, interval_ms, ...), or a number (any type,
//          unknown ones included).
// ENC      the encoding of VALUE; by default the attribute's UAPI type:
//          u8 u16 u32 u64 s32 (decimal or 0x-hex), flag (no VALUE), str
//          (NUL-terminated), hex (raw bytes, "01ff"), empty (no payload).
//          "interval_ms:u8=5" sends a u8 where the module expects a u32.
// --dump   sets NLM_F_DUMP.
// --fail-nth N  makes the Nth fault-injection point (failslab, ...) that
//          this thread reaches while the request is sent and answered fail
//          (/proc/thread-self/fail-nth, a kernel with CONFIG_FAULT_INJECTION),
//          then prints "fail-nth: injected" or "fail-nth: not reached" (the
//          request had fewer than N points) and disarms it. Armed only
//          around the send and the receive, after the family is resolved
//          and the message is built, so the points counted are the request's.
//
// Prints one line per reply message ("reply CMD: attr=value ..."), then
// "ok: N reply messages". On a refusal:
//   errno: 22 EINVAL (Invalid argument)
//   extack: <the kernel's message>               when it sent one
//   extack-attr: <the attribute it blamed>       NLMSGERR_ATTR_OFFS, by name
//   extack-missing: <the absent attribute>       NLMSGERR_ATTR_MISS_TYPE
// Exit status: 0 success; the errno of a refusal (1..133); 200 bad command
// line; 201 no family "resfence" or another local failure.
#include <linux/resfence.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "errors.h"
#include "netlink/genl_connection.h"
#include "netlink/messages.h"

namespace {

constexpr int kExitUsage = 200;
constexpr int kExitLocal = 201;
// Attribute types are 14 bits; the top two are the nested/byte-order flags.
constexpr int kMaxAttrType = (1 << 14) - 1;

enum class Enc { kU8, kU16, kU32, kU64, kS32, kFlag, kStr, kHex, kEmpty, kNest };

struct AttrName {
  std::string_view name;
  int type;
  Enc enc;
};

// enum resfence_attr, in order. The encodings mirror the UAPI comments.
constexpr std::array kAttrs{
    AttrName{"pad", RESFENCE_A_PAD, Enc::kEmpty},
    AttrName{"version", RESFENCE_A_VERSION, Enc::kStr},
    AttrName{"held_count", RESFENCE_A_HELD_COUNT, Enc::kU32},
    AttrName{"dev_major", RESFENCE_A_DEV_MAJOR, Enc::kU32},
    AttrName{"dev_minor", RESFENCE_A_DEV_MINOR, Enc::kU32},
    AttrName{"disk_name", RESFENCE_A_DISK_NAME, Enc::kStr},
    AttrName{"mode", RESFENCE_A_MODE, Enc::kU8},
    AttrName{"state", RESFENCE_A_STATE, Enc::kU8},
    AttrName{"key", RESFENCE_A_KEY, Enc::kU64},
    AttrName{"victim_key", RESFENCE_A_VICTIM_KEY, Enc::kU64},
    AttrName{"pr_type", RESFENCE_A_PR_TYPE, Enc::kU8},
    AttrName{"interval_ms", RESFENCE_A_INTERVAL_MS, Enc::kU32},
    AttrName{"lease_ms", RESFENCE_A_LEASE_MS, Enc::kU32},
    AttrName{"action", RESFENCE_A_ACTION, Enc::kU8},
    AttrName{"cdb_len", RESFENCE_A_CDB_LEN, Enc::kU8},
    AttrName{"abort", RESFENCE_A_ABORT, Enc::kFlag},
    AttrName{"stats", RESFENCE_A_STATS, Enc::kNest},
    AttrName{"pr_generation", RESFENCE_A_PR_GENERATION, Enc::kU32},
    AttrName{"keys", RESFENCE_A_KEYS, Enc::kNest},
    AttrName{"holder_key", RESFENCE_A_HOLDER_KEY, Enc::kU64},
    AttrName{"event", RESFENCE_A_EVENT, Enc::kU8},
    AttrName{"errno", RESFENCE_A_ERRNO, Enc::kS32},
    AttrName{"reason", RESFENCE_A_REASON, Enc::kStr},
    AttrName{"lease_auto", RESFENCE_A_LEASE_AUTO, Enc::kFlag},
    AttrName{"epoch_lba", RESFENCE_A_EPOCH_LBA, Enc::kU64},
    AttrName{"epoch", RESFENCE_A_EPOCH, Enc::kU64},
};

constexpr std::array<std::string_view, RESFENCE_CMD_MAX + 1> kCommands{
    "unspec",     "get_info",  "set_defaults",     "hold",  "preempt", "release",
    "get_device", "read_keys", "read_reservation", "event",
};

constexpr std::array<std::string_view, RESFENCE_STAT_MAX + 1> kStats{
    "unspec",           "pad",
    "refresh_ok",       "refresh_failed",
    "conflicts",        "last_latency_us",
    "worst_latency_us", "worst_lateness_us",
    "last_ok_age_ms",   "verify_conflicts",
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string attr_name(uint32_t type) {
  for (const auto& a : kAttrs)
    if (std::cmp_equal(a.type, type)) return std::string(a.name);
  return "type " + std::to_string(type);
}

std::string command_name(unsigned cmd) {
  return cmd < kCommands.size() ? std::string(kCommands.at(cmd)) : std::to_string(cmd);
}

// Decimal, or hexadecimal with 0x; a leading '-' only when `is_signed`.
template <typename T>
T parse_number(std::string_view s, std::string_view what) {
  int base = 10;
  std::string_view digits = s;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    base = 16;
    digits.remove_prefix(2);
  }
  T v{};
  const char* end = digits.data() + digits.size();  // NOLINT
  const auto [p, ec] = std::from_chars(digits.data(), end, v, base);
  if (digits.empty() || ec != std::errc() || p != end)
    throw UsageError(std::string(what) + ": '" + std::string(s) +
                     "' is not a number of that width");
  return v;
}

std::vector<unsigned char> parse_hex(std::string_view s, std::string_view what) {
  if (s.size() % 2 != 0) throw UsageError(std::string(what) + ": odd number of hex digits");
  std::vector<unsigned char> out;
  for (size_t i = 0; i < s.size(); i += 2)
    out.push_back(parse_number<unsigned char>("0x" + std::string(s.substr(i, 2)), what));
  return out;
}

Enc parse_enc(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, Enc>, 9> kEncs{{
      {"u8", Enc::kU8},
      {"u16", Enc::kU16},
      {"u32", Enc::kU32},
      {"u64", Enc::kU64},
      {"s32", Enc::kS32},
      {"flag", Enc::kFlag},
      {"str", Enc::kStr},
      {"hex", Enc::kHex},
      {"empty", Enc::kEmpty},
  }};
  for (const auto& [name, enc] : kEncs)
    if (name == s) return enc;
  throw UsageError("unknown encoding '" + std::string(s) + "'");
}

// One ATTR[:ENC][=VALUE] argument, resolved to a type and payload bytes.
struct AttrArg {
  int type = 0;
  std::vector<unsigned char> payload;
};

template <typename T>
std::vector<unsigned char> bytes_of(T v) {
  std::vector<unsigned char> b(sizeof v);
  std::memcpy(b.data(), &v, sizeof v);
  return b;
}

AttrArg parse_attr_arg(std::string_view arg) {
  const size_t eq = arg.find('=');
  const std::string_view lhs = arg.substr(0, eq);
  const bool has_value = eq != std::string_view::npos;
  const std::string_view value = has_value ? arg.substr(eq + 1) : std::string_view{};
  const size_t colon = lhs.find(':');
  const std::string_view name = lhs.substr(0, colon);

  AttrArg a;
  Enc enc = Enc::kHex;
  const auto* known = std::ranges::find(kAttrs, name, &AttrName::name);
  if (known != kAttrs.end()) {
    a.type = known->type;
    enc = known->enc == Enc::kNest ? Enc::kHex : known->enc;
  } else {
    try {
      a.type = parse_number<uint16_t>(name, "attribute");
    } catch (const UsageError&) {
      throw UsageError("'" + std::string(name) + "' is neither an attribute name nor a number");
    }
    if (a.type == 0 || a.type > kMaxAttrType)
      throw UsageError("attribute '" + std::string(name) + "': type out of range");
  }
  if (colon != std::string_view::npos) enc = parse_enc(lhs.substr(colon + 1));

  const bool wants_value = enc != Enc::kFlag && enc != Enc::kEmpty;
  if (wants_value != has_value)
    throw UsageError(std::string(arg) + (wants_value
                                             ? ": needs =VALUE"
                                             : ": a flag or empty attribute takes no value"));
  switch (enc) {
    case Enc::kU8:
      a.payload = bytes_of(parse_number<uint8_t>(value, name));
      break;
    case Enc::kU16:
      a.payload = bytes_of(parse_number<uint16_t>(value, name));
      break;
    case Enc::kU32:
      a.payload = bytes_of(parse_number<uint32_t>(value, name));
      break;
    case Enc::kU64:
      a.payload = bytes_of(parse_number<uint64_t>(value, name));
      break;
    case Enc::kS32:
      a.payload = bytes_of(parse_number<int32_t>(value, name));
      break;
    case Enc::kStr:
      a.payload.assign(value.begin(), value.end());
      a.payload.push_back('\0');
      break;
    case Enc::kHex:
      a.payload = parse_hex(value, name);
      break;
    case Enc::kFlag:
    case Enc::kEmpty:
    case Enc::kNest:
      break;
  }
  return a;
}

struct Request {
  uint8_t cmd = 0;
  bool dump = false;
  unsigned fail_nth = 0;  // 0: no fault injection
  std::vector<AttrArg> attrs;
};

Request parse_args(std::span<char* const> args) {
  Request r;
  size_t i = 0;
  if (i + 1 < args.size() && std::string_view(args[i]) == "--fail-nth") {
    r.fail_nth = parse_number<unsigned>(args[i + 1], "--fail-nth");
    if (r.fail_nth == 0) throw UsageError("--fail-nth: N must be at least 1");
    i += 2;
  }
  if (i < args.size() && std::string_view(args[i]) == "--dump") {
    r.dump = true;
    ++i;
  }
  if (i >= args.size()) throw UsageError("no command");
  const std::string_view cmd = args[i++];
  const auto* known = std::ranges::find(kCommands, cmd);
  r.cmd = known != kCommands.end() ? static_cast<uint8_t>(known - kCommands.begin())
                                   : parse_number<uint8_t>(cmd, "command");
  for (; i < args.size(); ++i) r.attrs.push_back(parse_attr_arg(args[i]));
  return r;
}

std::string hex_text(const unsigned char* p, size_t n) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string s = "0x";
  for (size_t i = 0; i < n; ++i) {
    s += kDigits.at(p[i] >> 4U);    // NOLINT
    s += kDigits.at(p[i] & 0x0fU);  // NOLINT
  }
  return s;
}

std::string value_text(nlattr* a, Enc enc) {
  const auto len = static_cast<size_t>(nla_len(a));
  const auto* p = static_cast<const unsigned char*>(nla_data(a));
  switch (enc) {
    case Enc::kU8:
      if (len == 1) return std::to_string(nla_get_u8(a));
      break;
    case Enc::kU16:
      if (len == 2) return std::to_string(nla_get_u16(a));
      break;
    case Enc::kU32:
      if (len == 4) return std::to_string(nla_get_u32(a));
      break;
    case Enc::kU64:
      if (len == 8) return std::to_string(nla_get_u64(a));
      break;
    case Enc::kS32:
      if (len == 4) return std::to_string(static_cast<int32_t>(nla_get_u32(a)));
      break;
    case Enc::kStr:
      if (len > 0 && p[len - 1] == '\0')
        return "\"" + std::string(nla_get_string(a)) + "\"";  // NOLINT
      break;
    case Enc::kFlag:
      if (len == 0) return "true";
      break;
    default:
      break;
  }
  return hex_text(p, len);
}

// The children of STATS (u64 counters) and KEYS (u64 keys).
std::string nest_text(nlattr* nest, bool stats) {
  std::string s = "{";
  nlattr* a = nullptr;
  int rem = 0;
  nla_for_each_nested(a, nest, rem) {  // NOLINT: libnl macro
    const auto t = static_cast<unsigned>(nla_type(a));
    if (s.size() > 1) s += " ";
    s += stats && t < kStats.size() ? std::string(kStats.at(t)) : (stats ? "stat" : "key");
    s += "=" + value_text(a, Enc::kU64);
  }
  return s + "}";
}

void print_reply(nlmsghdr* hdr) {
  auto* gnlh = static_cast<genlmsghdr*>(nlmsg_data(hdr));
  std::cout << "reply " << command_name(gnlh->cmd) << ":";
  nlattr* a = nullptr;
  int rem = 0;
  nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem) {  // NOLINT
    const auto type = static_cast<uint32_t>(nla_type(a));
    std::cout << " " << attr_name(type) << "=";
    const auto* known = std::ranges::find(kAttrs, static_cast<int>(type), &AttrName::type);
    if (known == kAttrs.end())
      std::cout << value_text(a, Enc::kHex);
    else if (known->enc == Enc::kNest)
      std::cout << nest_text(a, type == RESFENCE_A_STATS);
    else
      std::cout << value_text(a, known->enc);
  }
  std::cout << "\n";
}

// The attribute that starts at `offset` in the request, by the offsets
// recorded while it was built.
std::string blamed_attr(uint32_t offset, const std::vector<std::pair<uint32_t, int>>& at) {
  for (const auto& [off, type] : at)
    if (off == offset) return attr_name(static_cast<uint32_t>(type));
  return "offset " + std::to_string(offset);
}

// /proc/thread-self/fail-nth: writing N arms the Nth fault-injection point
// of this thread; reading it back gives 0 once that fault was injected, and
// the points still to go otherwise. Writing 0 disarms it. The file is
// opened once, before arming: reading and writing an open fail-nth
// allocates nothing, but opening it does, so an N past the request's own
// points would otherwise be spent in the report's open() (and fail it).
class FailNth {
 public:
  explicit FailNth(unsigned n) : n_(n) {
    if (n_ == 0) return;
    fd_ = ::open(kPath, O_RDWR | O_CLOEXEC);  // NOLINT(cppcoreguidelines-pro-type-vararg)
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), kPath);
    write_value(n_);
  }
  FailNth(const FailNth&) = delete;
  FailNth& operator=(const FailNth&) = delete;
  FailNth(FailNth&&) = delete;
  FailNth& operator=(FailNth&&) = delete;
  // Reports and disarms when the request is done, answered or not, so the
  // points of what follows (printing, exit) are never failed.
  ~FailNth() {
    try {
      report();
    } catch (const std::exception& e) {
      std::cerr << "resfence-nlraw: " << e.what() << "\n";
    }
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  // Reads the outcome, disarms, and prints it.
  void report() {
    if (n_ == 0) return;
    const bool injected = read_value() == 0;
    write_value(0);
    n_ = 0;
    std::cout << "fail-nth: " << (injected ? "injected" : "not reached") << "\n";
  }

  static constexpr const char* kPath = "/proc/thread-self/fail-nth";
  void write_value(unsigned v) const {
    const std::string s = std::to_string(v);
    if (::pwrite(fd_, s.data(), s.size(), 0) != static_cast<ssize_t>(s.size()))
      throw std::system_error(errno, std::generic_category(), kPath);
  }
  [[nodiscard]] unsigned read_value() const {
    std::array<char, 32> buf{};
    const ssize_t n = ::pread(fd_, buf.data(), buf.size() - 1, 0);
    if (n <= 0) throw std::system_error(errno, std::generic_category(), kPath);
    unsigned v = 1;
    std::from_chars(buf.data(), buf.data() + n, v);
    return v;
  }
  unsigned n_;
  int fd_ = -1;
};

int run(const Request& r) {
  auto conn = resfence::nl::GenlConnection::open();
  resfence::nl::Msg msg =
      resfence::nl::build_request(conn.family(), r.cmd, r.dump ? NLM_F_DUMP : 0);
  std::vector<std::pair<uint32_t, int>> offsets;
  for (const AttrArg& a : r.attrs) {
    offsets.emplace_back(NLMSG_ALIGN(nlmsg_hdr(msg.get())->nlmsg_len), a.type);
    if (nla_put(msg.get(), a.type, static_cast<int>(a.payload.size()), a.payload.data()) < 0)
      throw std::runtime_error("the request does not fit in one message");
  }
  try {
    std::vector<resfence::nl::RawMessage> replies;
    {
      // Reported and disarmed when the scope ends, reply or exception.
      const FailNth armed(r.fail_nth);
      replies = conn.transact(std::move(msg));
    }
    for (auto& m : replies) print_reply(m.header());
    std::cout << "ok: " << replies.size() << " reply messages\n";
    return 0;
  } catch (const resfence::NetlinkError& e) {
    const char* name = strerrorname_np(e.error());
    std::cout << "errno: " << e.error() << " " << (name != nullptr ? name : "?") << " ("
              << std::strerror(e.error()) << ")\n";  // NOLINT(concurrency-mt-unsafe)
    if (!e.extack().empty()) std::cout << "extack: " << e.extack() << "\n";
    if (e.where().bad_attr_offset)
      std::cout << "extack-attr: " << blamed_attr(*e.where().bad_attr_offset, offsets) << "\n";
    if (e.where().missing_attr)
      std::cout << "extack-missing: " << attr_name(*e.where().missing_attr) << "\n";
    return e.error() > 0 && e.error() < kExitUsage ? e.error() : kExitLocal;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::span<char* const> args(argv + 1, static_cast<size_t>(argc - 1));  // NOLINT
  try {
    return run(parse_args(args));
  } catch (const UsageError& e) {
    std::cerr << "resfence-nlraw: " << e.what() << "\n"
              << "usage: resfence-nlraw [--fail-nth N] [--dump] COMMAND [ATTR[:ENC][=VALUE]...]\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "resfence-nlraw: " << e.what() << "\n";
    return kExitLocal;
  }
}
