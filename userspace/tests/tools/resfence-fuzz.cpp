// resfence-fuzz: a TEST-ONLY fuzzer of the "resfence" generic netlink family,
// on a raw NETLINK_GENERIC socket (no libnl on the send path), so that it can
// send what no library would build: random and mutated requests for every
// command of the family and for unknown ones, attributes of the wrong type,
// length, nesting and order, duplicates, truncated headers and attributes,
// dumps, and device numbers from a list (real, removed, non-SCSI) or not.
//
//   resfence-fuzz [--seed N] [--count N] [--skip N] [--dev MAJ:MIN]...
//                 [--unprivileged] [--verbose]
//   resfence-fuzz --replay HEX
//
// Reproducible: the messages depend on the seed only (never on the kernel's
// answers); the seed is printed first. Message I of a run is regenerated
// with --seed S --skip I --count 1, and --replay sends one message given as
// hex (printed for every message that broke an expectation).
//
// After every message it sends a GET_INFO with NLM_F_ACK and reads until
// that one is answered: the module must answer it (within 30 s), so a hang
// or a dead family is caught at the message that caused it. It models the
// holds: a HOLD or PREEMPT that succeeded holds the device its reply names,
// a RELEASE that succeeded releases the one it named. At the end the dump
// of GET_DEVICE must list exactly the modelled set; then it releases them.
//
// Safety in the lab: a successful HOLD/PREEMPT must never arm a restart or
// a panic (a conflict from the fuzzer's own preempt on another path of the
// same LUN would reboot the guest), so any ACTION the kernel would read is
// rewritten to LOG, and a SET_DEFAULTS never changes the default action
// (the caller sets it to LOG first). ABORT is never sent on a PREEMPT that
// could succeed (PREEMPT AND ABORT hangs LIO behind tcm_loop:
// resfencectl.8, BUGS).
//
// With --unprivileged (run as a user without CAP_NET_ADMIN) every request
// must be refused: a success is a failure of the run.
//
// --storm MS [--threads N]: instead, N threads (default 4), each on its own
// socket, send well-formed HOLD, PREEMPT, RELEASE, GET_DEVICE (and its dump),
// READ_KEYS and READ_RESERVATION for the --dev devices, pr mode, keys 0xa1
// and 0xb1, action log, for MS milliseconds, while the caller removes and
// re-adds a disk and tries to unload the module. Every request must be
// answered within 30 s; when the family goes away (the module was unloaded)
// a thread resolves it again until it is back. --no-holds leaves HOLD and
// PREEMPT out, so that nothing pins the module and its unload races with
// the requests.
//
// Prints a summary: messages sent, answers by errno, the extack messages
// seen. Exit status: 0 every expectation held; 1 one broke (the message is
// printed as hex); 2 bad command line; 3 a local failure (no family).
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/resfence.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

constexpr int kExitBroken = 1;
constexpr int kExitUsage = 2;
constexpr int kExitLocal = 3;
constexpr int kAnswerTimeoutMs = 30000;

using Bytes = std::vector<unsigned char>;

// The UAPI's header lengths and alignment macros are int; everything here
// counts in size_t.
constexpr size_t align4(size_t n) { return (n + 3U) & ~size_t{3}; }
constexpr size_t kNlHdr = align4(sizeof(nlmsghdr));
constexpr size_t kGenlHdr = align4(sizeof(genlmsghdr));
constexpr size_t kNlaHdr = align4(sizeof(nlattr));

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class LocalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- message building ------------------------------------------------------

template <typename T>
void put_raw(Bytes& b, const T& v) {
  const auto* p = reinterpret_cast<const unsigned char*>(&v);
  b.insert(b.end(), p, p + sizeof v);
}

void pad4(Bytes& b) {
  while (b.size() % 4 != 0) b.push_back(0);
}

// One attribute; `len_field` overrides nla_len (a lie about the length).
void put_attr(Bytes& b, uint16_t type, const Bytes& payload,
              std::optional<uint16_t> len_field = std::nullopt) {
  nlattr a{};
  a.nla_type = type;
  a.nla_len = len_field.value_or(static_cast<uint16_t>(kNlaHdr + payload.size()));
  put_raw(b, a);
  b.insert(b.end(), payload.begin(), payload.end());
  pad4(b);
}

template <typename T>
Bytes bytes_of(T v) {
  Bytes b(sizeof v);
  std::memcpy(b.data(), &v, sizeof v);
  return b;
}

// nlmsghdr + genlmsghdr + attributes; nlmsg_len says the true length.
Bytes genl_message(uint16_t family, uint16_t flags, uint32_t seq, uint8_t cmd, uint8_t version,
                   uint16_t reserved, const Bytes& attrs) {
  Bytes b;
  nlmsghdr h{};
  h.nlmsg_len = static_cast<uint32_t>(kNlHdr + kGenlHdr + attrs.size());
  h.nlmsg_type = family;
  h.nlmsg_flags = flags;
  h.nlmsg_seq = seq;
  put_raw(b, h);
  genlmsghdr g{};
  g.cmd = cmd;
  g.version = version;
  g.reserved = reserved;
  put_raw(b, g);
  b.insert(b.end(), attrs.begin(), attrs.end());
  return b;
}

std::string hex(const Bytes& b) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string s;
  for (const unsigned char c : b) {
    s += kDigits.at(c >> 4U);
    s += kDigits.at(c & 0x0fU);
  }
  return s;
}

Bytes unhex(std::string_view s) {
  if (s.size() % 2 != 0) throw UsageError("--replay: odd number of hex digits");
  Bytes b;
  for (size_t i = 0; i < s.size(); i += 2) {
    unsigned v = 0;
    const auto [p, ec] = std::from_chars(s.data() + i, s.data() + i + 2, v, 16);
    if (ec != std::errc() || p != s.data() + i + 2) throw UsageError("--replay: not hex");
    b.push_back(static_cast<unsigned char>(v));
  }
  return b;
}

// ---- the socket ------------------------------------------------------------

class Socket {
 public:
  Socket() : fd_(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC)) {
    if (fd_ < 0) throw LocalError(std::string("socket: ") + std::strerror(errno));  // NOLINT
    const int one = 1;
    setsockopt(fd_, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    setsockopt(fd_, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
    sockaddr_nl sa{};
    sa.nl_family = AF_NETLINK;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0)
      throw LocalError(std::string("bind: ") + std::strerror(errno));  // NOLINT
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  Socket(Socket&&) = delete;
  Socket& operator=(Socket&&) = delete;
  ~Socket() { close(fd_); }

  // 0, or the errno sendto() failed with (a finding, not the fuzzer's
  // failure); only errors that say the socket itself is broken throw.
  int send(const Bytes& b) const {  // NOLINT(modernize-use-nodiscard)
    sockaddr_nl sa{};
    sa.nl_family = AF_NETLINK;
    if (sendto(fd_, b.data(), b.size(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa) >= 0)
      return 0;
    const int err = errno;
    if (err == EBADF || err == ENOTSOCK || err == EFAULT)
      throw LocalError(std::string("sendto: ") + std::strerror(err));  // NOLINT
    return err;
  }

  // One datagram, or nullopt after timeout_ms.
  [[nodiscard]] std::optional<Bytes> recv(int timeout_ms) const {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
    Bytes buf(1U << 17U);
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == ENOBUFS) return Bytes{};  // overrun: messages were dropped
      throw LocalError(std::string("recv: ") + std::strerror(errno));  // NOLINT
    }
    buf.resize(static_cast<size_t>(n));
    return buf;
  }

 private:
  int fd_;
};

// The netlink messages in one datagram.
std::vector<std::span<const unsigned char>> split(const Bytes& d) {
  std::vector<std::span<const unsigned char>> out;
  size_t off = 0;
  while (off + kNlHdr <= d.size()) {
    nlmsghdr h{};
    std::memcpy(&h, d.data() + off, sizeof h);
    if (h.nlmsg_len < kNlHdr || off + h.nlmsg_len > d.size()) break;
    out.emplace_back(d.data() + off, h.nlmsg_len);
    off += align4(h.nlmsg_len);
  }
  return out;
}

nlmsghdr header_of(std::span<const unsigned char> m) {
  nlmsghdr h{};
  std::memcpy(&h, m.data(), sizeof h);
  return h;
}

// The attributes after a header of `skip` bytes: type -> payload (the last
// of duplicates wins, as in nla_parse()).
std::map<uint16_t, Bytes> attrs_of(std::span<const unsigned char> m, size_t skip) {
  std::map<uint16_t, Bytes> out;
  size_t off = skip;
  while (off + kNlaHdr <= m.size()) {
    nlattr a{};
    std::memcpy(&a, m.data() + off, sizeof a);
    if (a.nla_len < kNlaHdr || off + a.nla_len > m.size()) break;
    const auto* p = m.data() + off + kNlaHdr;
    out[static_cast<uint16_t>(a.nla_type & NLA_TYPE_MASK)] = Bytes(p, p + a.nla_len - kNlaHdr);
    off += align4(a.nla_len);
  }
  return out;
}

std::optional<uint32_t> u32_of(const std::map<uint16_t, Bytes>& a, uint16_t type) {
  const auto it = a.find(type);
  if (it == a.end() || it->second.size() != sizeof(uint32_t)) return std::nullopt;
  uint32_t v = 0;
  std::memcpy(&v, it->second.data(), sizeof v);
  return v;
}

// The error (positive errno; 0 an ACK) and extack message of an NLMSG_ERROR.
std::pair<int, std::string> error_of(std::span<const unsigned char> m) {
  if (m.size() < kNlHdr + sizeof(nlmsgerr)) return {EBADMSG, ""};
  nlmsgerr e{};
  std::memcpy(&e, m.data() + kNlHdr, sizeof e);
  std::string text;
  if ((header_of(m).nlmsg_flags & NLM_F_ACK_TLVS) != 0) {
    const auto tlvs = attrs_of(m, kNlHdr + sizeof(nlmsgerr));
    if (const auto it = tlvs.find(NLMSGERR_ATTR_MSG); it != tlvs.end())
      text.assign(it->second.begin(), std::ranges::find(it->second, '\0'));
  }
  return {-e.error, text};
}

uint16_t resolve_family(const Socket& s) {
  Bytes attrs;
  const std::string_view name = RESFENCE_GENL_NAME;
  Bytes n(name.size() + 1, 0);  // NUL-terminated
  std::memcpy(n.data(), name.data(), name.size());
  put_attr(attrs, CTRL_ATTR_FAMILY_NAME, n);
  if (const int err =
          s.send(genl_message(GENL_ID_CTRL, NLM_F_REQUEST, 1, CTRL_CMD_GETFAMILY, 1, 0, attrs));
      err != 0)
    throw LocalError(std::string("sendto (resolving the family): ") +
                     std::strerror(err));  // NOLINT
  while (const auto d = s.recv(kAnswerTimeoutMs)) {
    for (const auto m : split(*d)) {
      const nlmsghdr h = header_of(m);
      if (h.nlmsg_seq != 1) continue;
      if (h.nlmsg_type == NLMSG_ERROR)
        throw LocalError("no generic netlink family \"" RESFENCE_GENL_NAME "\"");
      const auto a = attrs_of(m, kNlHdr + kGenlHdr);
      const auto it = a.find(CTRL_ATTR_FAMILY_ID);
      if (it != a.end() && it->second.size() == 2) {
        uint16_t id = 0;
        std::memcpy(&id, it->second.data(), sizeof id);
        return id;
      }
    }
  }
  throw LocalError("the controller did not answer");
}

// ---- the generator ---------------------------------------------------------

enum class Kind : uint8_t { kU8, kU32, kU64, kFlag, kStr };

struct AttrSpec {
  uint16_t type;
  Kind kind;
};

// enum resfence_attr with the UAPI's types (the reply-only ones included:
// an operation must refuse them).
constexpr std::array kAttrs{
    AttrSpec{RESFENCE_A_PAD, Kind::kFlag},       AttrSpec{RESFENCE_A_VERSION, Kind::kStr},
    AttrSpec{RESFENCE_A_HELD_COUNT, Kind::kU32}, AttrSpec{RESFENCE_A_DEV_MAJOR, Kind::kU32},
    AttrSpec{RESFENCE_A_DEV_MINOR, Kind::kU32},  AttrSpec{RESFENCE_A_DISK_NAME, Kind::kStr},
    AttrSpec{RESFENCE_A_MODE, Kind::kU8},        AttrSpec{RESFENCE_A_STATE, Kind::kU8},
    AttrSpec{RESFENCE_A_KEY, Kind::kU64},        AttrSpec{RESFENCE_A_VICTIM_KEY, Kind::kU64},
    AttrSpec{RESFENCE_A_PR_TYPE, Kind::kU8},     AttrSpec{RESFENCE_A_INTERVAL_MS, Kind::kU32},
    AttrSpec{RESFENCE_A_LEASE_MS, Kind::kU32},   AttrSpec{RESFENCE_A_ACTION, Kind::kU8},
    AttrSpec{RESFENCE_A_CDB_LEN, Kind::kU8},     AttrSpec{RESFENCE_A_ABORT, Kind::kFlag},
    AttrSpec{RESFENCE_A_STATS, Kind::kFlag},     AttrSpec{RESFENCE_A_PR_GENERATION, Kind::kU32},
    AttrSpec{RESFENCE_A_KEYS, Kind::kFlag},      AttrSpec{RESFENCE_A_HOLDER_KEY, Kind::kU64},
    AttrSpec{RESFENCE_A_EVENT, Kind::kU8},       AttrSpec{RESFENCE_A_ERRNO, Kind::kU32},
    AttrSpec{RESFENCE_A_REASON, Kind::kStr},     AttrSpec{RESFENCE_A_LEASE_AUTO, Kind::kFlag},
    AttrSpec{RESFENCE_A_EPOCH_LBA, Kind::kU64},  AttrSpec{RESFENCE_A_EPOCH, Kind::kU64},
};

// What each command takes (the rest of kAttrs it must refuse).
std::vector<uint16_t> accepted(uint8_t cmd) {
  switch (cmd) {
    case RESFENCE_CMD_SET_DEFAULTS:
      return {RESFENCE_A_INTERVAL_MS, RESFENCE_A_LEASE_MS, RESFENCE_A_LEASE_AUTO, RESFENCE_A_ACTION,
              RESFENCE_A_MODE};
    case RESFENCE_CMD_HOLD:
    case RESFENCE_CMD_PREEMPT:
      return {RESFENCE_A_DEV_MAJOR, RESFENCE_A_DEV_MINOR,   RESFENCE_A_MODE,      RESFENCE_A_KEY,
              RESFENCE_A_PR_TYPE,   RESFENCE_A_INTERVAL_MS, RESFENCE_A_LEASE_MS,  RESFENCE_A_ACTION,
              RESFENCE_A_CDB_LEN,   RESFENCE_A_EPOCH_LBA,   RESFENCE_A_VICTIM_KEY};
    case RESFENCE_CMD_RELEASE:
    case RESFENCE_CMD_GET_DEVICE:
    case RESFENCE_CMD_READ_KEYS:
    case RESFENCE_CMD_READ_RESERVATION:
      return {RESFENCE_A_DEV_MAJOR, RESFENCE_A_DEV_MINOR};
    default:
      return {};
  }
}

struct Dev {
  uint32_t major;
  uint32_t minor;
};

class Generator {
 public:
  Generator(uint64_t seed, std::vector<Dev> devs) : rng_(seed), devs_(std::move(devs)) {}

  // The next message; `seq` goes into its header.
  Bytes next(uint16_t family, uint32_t seq) {
    const uint8_t cmd = pick_cmd();
    uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
    if (chance(8)) flags = static_cast<uint16_t>(rng_());
    if (cmd == RESFENCE_CMD_GET_DEVICE && chance(3)) flags |= NLM_F_DUMP;
    const uint8_t version = chance(20) ? static_cast<uint8_t>(rng_()) : RESFENCE_GENL_VERSION;
    const uint16_t reserved = chance(30) ? static_cast<uint16_t>(rng_()) : 0;
    Bytes attrs = attributes(cmd);
    Bytes m = genl_message(family, flags, seq, cmd, version, reserved, attrs);
    if (chance(10)) mutate(m);
    if (chance(25)) truncate_header(m);
    return m;
  }

 private:
  bool chance(unsigned one_in) { return rng_() % one_in == 0; }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }

  uint8_t pick_cmd() {
    if (chance(12))
      return static_cast<uint8_t>(RESFENCE_CMD_MAX + 1 + below(256 - RESFENCE_CMD_MAX - 1));
    // GET_INFO is the ping: fuzz the others more.
    return static_cast<uint8_t>(below(RESFENCE_CMD_MAX + 1));
  }

  Dev pick_dev() {
    if (!devs_.empty() && !chance(5)) return devs_.at(below(devs_.size()));
    static constexpr std::array<uint32_t, 6> kEdge{0, 1, 4095, 4096, 1048575, 0xffffffff};
    return Dev{chance(2) ? kEdge.at(below(kEdge.size())) : static_cast<uint32_t>(below(4096)),
               chance(2) ? kEdge.at(below(kEdge.size())) : static_cast<uint32_t>(below(256))};
  }

  // A value for `type`: mostly valid or at a bound, sometimes anything.
  uint64_t value(uint16_t type) {
    switch (type) {
      case RESFENCE_A_MODE:
        return chance(6) ? below(256) : 1 + below(2);
      case RESFENCE_A_ACTION:
        return chance(6) ? below(256) : uint64_t{RESFENCE_ACTION_LOG};
      case RESFENCE_A_PR_TYPE:
        return chance(4) ? below(256) : std::array<uint64_t, 3>{1, 3, 5}.at(below(3));
      case RESFENCE_A_CDB_LEN:
        return chance(4) ? below(256) : std::array<uint64_t, 3>{0, 6, 10}.at(below(3));
      case RESFENCE_A_INTERVAL_MS: {
        static constexpr std::array<uint64_t, 8> kV{0,       99,      100,        101,
                                                    3600000, 3600001, 0xffffffff, 1000};
        return chance(3) ? below(1ULL << 32U) : kV.at(below(kV.size()));
      }
      case RESFENCE_A_LEASE_MS: {
        static constexpr std::array<uint64_t, 8> kV{0,       1,          2000,       7200000,
                                                    7200001, 2122240000, 0xffffffff, 50000};
        return chance(3) ? below(1ULL << 32U) : kV.at(below(kV.size()));
      }
      case RESFENCE_A_EPOCH_LBA: {
        static constexpr std::array<uint64_t, 5> kV{0, 1, 2047, 0xffffffff, 0x100000000};
        return chance(3) ? rng_() : kV.at(below(kV.size()));
      }
      case RESFENCE_A_KEY:
      case RESFENCE_A_VICTIM_KEY:
        return chance(5) ? rng_() : std::array<uint64_t, 4>{0, 0xa1, 0xb1, 0xa1}.at(below(4));
      default:
        return rng_();
    }
  }

  Bytes payload(const AttrSpec& s, uint64_t v) {
    switch (s.kind) {
      case Kind::kU8:
        return bytes_of(static_cast<uint8_t>(v));
      case Kind::kU32:
        return bytes_of(static_cast<uint32_t>(v));
      case Kind::kU64:
        return bytes_of(v);
      case Kind::kFlag:
        return {};
      case Kind::kStr: {
        Bytes b(below(40), 'a');
        if (!chance(4)) b.push_back('\0');
        return b;
      }
    }
    return {};
  }

  // A payload of the wrong size (0..11 random bytes).
  Bytes wrong_payload() {
    Bytes b(below(12));
    for (auto& c : b) c = static_cast<unsigned char>(rng_());
    return b;
  }

  static const AttrSpec& spec(uint16_t type) {
    const auto* it = std::ranges::find(kAttrs, type, &AttrSpec::type);
    return *it;
  }

  void put_one(Bytes& out, uint16_t type) {
    if (type == RESFENCE_A_DEV_MAJOR || type == RESFENCE_A_DEV_MINOR) {
      const Dev d = pick_dev();
      put_attr(out, RESFENCE_A_DEV_MAJOR, bytes_of(d.major));
      put_attr(out, RESFENCE_A_DEV_MINOR, bytes_of(d.minor));
      return;
    }
    const AttrSpec& s = spec(type);
    put_attr(out, type, chance(15) ? wrong_payload() : payload(s, value(type)));
  }

  Bytes attributes(uint8_t cmd) {
    Bytes out;
    const std::vector<uint16_t> ok = accepted(cmd);
    // The device first, most of the time: most commands need it.
    if (std::ranges::find(ok, RESFENCE_A_DEV_MAJOR) != ok.end() && !chance(10))
      put_one(out, RESFENCE_A_DEV_MAJOR);
    const uint64_t n = below(ok.size() + 2);
    for (uint64_t i = 0; i < n; ++i) put_random(out, ok);
    add_tricks(out, ok);
    return out;
  }

  // One attribute: mostly one the command takes (duplicates happen), or any
  // of the family's, or an unknown type or a known one with a flag.
  void put_random(Bytes& out, const std::vector<uint16_t>& ok) {
    if (!ok.empty() && !chance(8)) {
      put_one(out, ok.at(below(ok.size())));
    } else if (chance(2)) {
      put_one(out, kAttrs.at(below(kAttrs.size())).type);
    } else {
      uint16_t t = chance(2)
                       ? static_cast<uint16_t>(RESFENCE_A_MAX + 1 + below(0x3fff - RESFENCE_A_MAX))
                       : kAttrs.at(below(kAttrs.size())).type;
      if (chance(2))
        t = static_cast<uint16_t>(t | (chance(2) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER));
      put_attr(out, t, wrong_payload());
    }
  }

  // A nest, an attribute that lies about its length, trailing bytes.
  void add_tricks(Bytes& out, const std::vector<uint16_t>& ok) {
    if (chance(12)) {
      // Accepted attributes inside a nest of an accepted type.
      Bytes inner;
      put_one(inner, ok.empty() ? uint16_t{RESFENCE_A_MODE} : ok.at(below(ok.size())));
      const uint16_t t = ok.empty() ? uint16_t{RESFENCE_A_STATS} : ok.at(below(ok.size()));
      put_attr(out, static_cast<uint16_t>(t | (chance(2) ? NLA_F_NESTED : 0)), inner);
    }
    if (chance(15) && out.size() >= kNlaHdr) {
      // The last attribute lies about its length.
      Bytes lie;
      put_attr(lie, RESFENCE_A_INTERVAL_MS, bytes_of(uint32_t{1000}),
               static_cast<uint16_t>(chance(2) ? below(kNlaHdr) : 8 + 1 + below(64)));
      out.insert(out.end(), lie.begin(), lie.end());
    }
    if (chance(20)) {
      // Trailing bytes that are not a whole attribute.
      const uint64_t k = 1 + below(3);
      for (uint64_t i = 0; i < k; ++i) out.push_back(static_cast<unsigned char>(rng_()));
    }
  }

  // Random byte changes past the netlink header (the header itself stays,
  // so that the message reaches the family).
  void mutate(Bytes& m) {
    const uint64_t k = 1 + below(4);
    for (uint64_t i = 0; i < k && m.size() > kNlHdr; ++i)
      m.at(kNlHdr + below(m.size() - kNlHdr)) = static_cast<unsigned char>(rng_());
  }

  // Cut the message short, keep a lying nlmsg_len, or shrink it below the
  // genl header.
  void truncate_header(Bytes& m) {
    nlmsghdr h{};
    std::memcpy(&h, m.data(), sizeof h);
    switch (below(3)) {
      case 0:
        m.resize(below(m.size()));
        return;
      case 1:
        h.nlmsg_len = static_cast<uint32_t>(m.size() + 1 + below(64));
        break;
      default:
        // Shorter than the genl header, and nothing after it (trailing
        // bytes would be read as a next message).
        h.nlmsg_len = static_cast<uint32_t>(kNlHdr + below(kGenlHdr));
        m.resize(h.nlmsg_len);
        break;
    }
    std::memcpy(m.data(), &h, sizeof h);
  }

  std::mt19937_64 rng_;
  std::vector<Dev> devs_;
};

// What the lab must never receive: an ACTION other than LOG that the kernel
// would act on, a SET_DEFAULTS that changes the default action, ABORT.
// Rewrites the message in place (the kernel reads the last duplicate; every
// ACTION attribute of one byte is set to LOG, which covers all of them).
void make_safe(Bytes& m) {
  if (m.size() < kNlHdr + kGenlHdr) return;
  size_t off = kNlHdr + kGenlHdr;
  while (off + kNlaHdr <= m.size()) {
    nlattr a{};
    std::memcpy(&a, m.data() + off, sizeof a);
    if (a.nla_len < kNlaHdr || off + a.nla_len > m.size()) break;
    const auto type = static_cast<uint16_t>(a.nla_type & NLA_TYPE_MASK);
    if (type == RESFENCE_A_ACTION && a.nla_len > kNlaHdr)
      std::fill(m.begin() + static_cast<std::ptrdiff_t>(off + kNlaHdr),
                m.begin() + static_cast<std::ptrdiff_t>(off + a.nla_len),
                static_cast<unsigned char>(RESFENCE_ACTION_LOG));
    if (type == RESFENCE_A_ABORT || (type == RESFENCE_A_ACTION && a.nla_len == kNlaHdr)) {
      // A flag: make it an unknown attribute type (refused, never acted on).
      a.nla_type = static_cast<uint16_t>(0x3000 | (a.nla_type & ~NLA_TYPE_MASK));
      std::memcpy(m.data() + off, &a, sizeof a);
    }
    off += align4(a.nla_len);
  }
}

// ---- the run ---------------------------------------------------------------

struct Stats {
  uint64_t sent = 0;
  uint64_t unanswered = 0;  // no reply and no error (dropped by the core)
  std::map<int, uint64_t> by_errno;
  std::map<int, std::pair<uint64_t, std::string>> send_errors;  // count, first message
  std::map<std::string, uint64_t> messages;
};

struct Outcome {
  bool answered = false;  // the ping came back
  int ping_error = 0;     // its error: as root, only when the family is gone
  int send_error = 0;     // sendto() of the message failed with this errno
  bool any = false;       // the fuzzed message got a reply or an error
  int error = 0;          // its error (0 success)
  std::string extack;
  std::vector<Dev> replied;  // devices named in its replies
};

thread_local uint32_t g_seq = 100;  // NOLINT: each thread's own sequence

// One message of the answers into `o`: the ping's, or the request's (an
// error, the end of a dump, or a reply naming a device).
void absorb(Outcome& o, std::span<const unsigned char> msg, uint16_t family, uint32_t seq,
            uint32_t ping) {
  const nlmsghdr h = header_of(msg);
  if (h.nlmsg_seq == ping) {
    if (h.nlmsg_type == NLMSG_ERROR) {
      o.answered = true;
      o.ping_error = error_of(msg).first;
    }
    return;
  }
  if (h.nlmsg_seq != seq) return;
  o.any = true;
  if (h.nlmsg_type == NLMSG_ERROR) {
    auto [err, text] = error_of(msg);
    if (err != 0) {
      o.error = err;
      o.extack = std::move(text);
    }
  } else if (h.nlmsg_type == NLMSG_DONE) {
    int err = 0;
    if (msg.size() >= kNlHdr + sizeof(int)) std::memcpy(&err, msg.data() + kNlHdr, sizeof err);
    if (err != 0) o.error = -err;
  } else if (h.nlmsg_type == family && msg.size() >= kNlHdr + kGenlHdr) {
    const auto a = attrs_of(msg, kNlHdr + kGenlHdr);
    const auto maj = u32_of(a, RESFENCE_A_DEV_MAJOR);
    const auto min = u32_of(a, RESFENCE_A_DEV_MINOR);
    if (maj && min) o.replied.push_back(Dev{*maj, *min});
  }
}

// Sends `m` (sequence `seq`), then the ping; reads until the ping's ACK.
Outcome exchange(const Socket& s, uint16_t family, const Bytes& m, uint32_t seq) {
  Outcome o;
  o.send_error = s.send(m);
  const uint32_t ping = ++g_seq;
  // The ping's own send may meet an error the message left pending: again.
  for (int tries = 0; tries < 3; ++tries)
    if (s.send(genl_message(family, NLM_F_REQUEST | NLM_F_ACK, ping, RESFENCE_CMD_GET_INFO,
                            RESFENCE_GENL_VERSION, 0, {})) == 0)
      break;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kAnswerTimeoutMs);
  while (!o.answered) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return o;
    const auto d = s.recv(static_cast<int>(left.count()));
    if (!d) return o;
    for (const auto msg : split(*d)) absorb(o, msg, family, seq, ping);
  }
  return o;
}

// Whether the core hands `m` to a handler at all (netlink_rcv_skb()): a
// whole header that does not claim more than was sent, and NLM_F_REQUEST.
bool processed(const Bytes& m) {
  if (m.size() < kNlHdr) return false;
  const nlmsghdr h = header_of(m);
  return h.nlmsg_len >= kNlHdr && h.nlmsg_len <= m.size() && (h.nlmsg_flags & NLM_F_REQUEST) != 0;
}

uint8_t cmd_of(const Bytes& m) {
  if (m.size() < kNlHdr + kGenlHdr) return 0;
  genlmsghdr g{};
  std::memcpy(&g, m.data() + kNlHdr, sizeof g);
  return g.cmd;
}

std::optional<Dev> dev_named(const Bytes& m) {
  if (m.size() < kNlHdr + kGenlHdr) return std::nullopt;
  const auto a = attrs_of(m, kNlHdr + kGenlHdr);
  const auto maj = u32_of(a, RESFENCE_A_DEV_MAJOR);
  const auto min = u32_of(a, RESFENCE_A_DEV_MINOR);
  if (!maj || !min) return std::nullopt;
  return Dev{*maj, *min};
}

using DevKey = std::pair<uint32_t, uint32_t>;

std::set<DevKey> dump_held(const Socket& s, uint16_t family) {
  const uint32_t seq = ++g_seq;
  if (s.send(genl_message(family, NLM_F_REQUEST | NLM_F_DUMP, seq, RESFENCE_CMD_GET_DEVICE,
                          RESFENCE_GENL_VERSION, 0, {})) != 0)
    throw LocalError("sendto of the GET_DEVICE dump failed");
  std::set<DevKey> held;
  while (const auto d = s.recv(kAnswerTimeoutMs)) {
    for (const auto msg : split(*d)) {
      const nlmsghdr h = header_of(msg);
      if (h.nlmsg_seq != seq) continue;
      if (h.nlmsg_type == NLMSG_DONE) return held;
      if (h.nlmsg_type == NLMSG_ERROR) throw LocalError("the dump of GET_DEVICE failed");
      const auto a = attrs_of(msg, kNlHdr + kGenlHdr);
      const auto maj = u32_of(a, RESFENCE_A_DEV_MAJOR);
      const auto min = u32_of(a, RESFENCE_A_DEV_MINOR);
      if (maj && min) held.emplace(*maj, *min);
    }
  }
  throw LocalError("the dump of GET_DEVICE did not end");
}

// ---- the storm: well-formed requests from several threads ----------------

// A well-formed request of `cmd` for `d` (pr mode, action log, no lease).
Bytes storm_request(uint16_t family, uint32_t seq, uint8_t cmd, Dev d, uint64_t key,
                    uint64_t victim) {
  Bytes a;
  put_attr(a, RESFENCE_A_DEV_MAJOR, bytes_of(d.major));
  put_attr(a, RESFENCE_A_DEV_MINOR, bytes_of(d.minor));
  if (cmd == RESFENCE_CMD_HOLD || cmd == RESFENCE_CMD_PREEMPT) {
    put_attr(a, RESFENCE_A_MODE, bytes_of(uint8_t{RESFENCE_MODE_PR}));
    put_attr(a, RESFENCE_A_KEY, bytes_of(key));
    put_attr(a, RESFENCE_A_INTERVAL_MS, bytes_of(uint32_t{200}));
    put_attr(a, RESFENCE_A_LEASE_MS, bytes_of(uint32_t{0}));
    put_attr(a, RESFENCE_A_ACTION, bytes_of(uint8_t{RESFENCE_ACTION_LOG}));
    if (cmd == RESFENCE_CMD_PREEMPT) put_attr(a, RESFENCE_A_VICTIM_KEY, bytes_of(victim));
  }
  return genl_message(family, NLM_F_REQUEST | NLM_F_ACK, seq, cmd, RESFENCE_GENL_VERSION, 0, a);
}

struct StormResult {
  std::mutex lock;
  std::map<std::pair<uint8_t, int>, uint64_t> by_cmd_errno;  // guarded by lock
  std::vector<std::string> broken;                           // guarded by lock
  uint64_t family_gone = 0;                                  // guarded by lock
};

// Resolves the family until it is there or `until` passes (the module may
// be unloaded and loaded again under the storm: its id changes).
std::optional<uint16_t> resolve_until(const Socket& s,
                                      std::chrono::steady_clock::time_point until) {
  while (std::chrono::steady_clock::now() < until) {
    try {
      return resolve_family(s);
    } catch (const LocalError&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return std::nullopt;
}

void storm_thread(uint64_t seed, const std::vector<Dev>& devs, std::chrono::milliseconds length,
                  bool no_holds, StormResult& out) {
  std::mt19937_64 rng(seed);
  const Socket s;
  const auto until = std::chrono::steady_clock::now() + length;
  std::optional<uint16_t> family = resolve_until(s, until);
  static constexpr std::array<uint8_t, 8> kCmds{
      RESFENCE_CMD_HOLD,       RESFENCE_CMD_HOLD,
      RESFENCE_CMD_RELEASE,    RESFENCE_CMD_PREEMPT,
      RESFENCE_CMD_GET_DEVICE, RESFENCE_CMD_GET_DEVICE,
      RESFENCE_CMD_READ_KEYS,  RESFENCE_CMD_READ_RESERVATION};
  static constexpr std::array<uint64_t, 2> kKeys{0xa1, 0xb1};
  std::map<std::pair<uint8_t, int>, uint64_t> counts;
  uint64_t gone = 0;
  // Without holds: RELEASE, GET_DEVICE (and its dump), READ_KEYS, READ_RESERVATION.
  static constexpr std::array<size_t, 5> kNoHolds{2, 4, 5, 6, 7};
  while (family && std::chrono::steady_clock::now() < until) {
    const uint8_t cmd =
        no_holds ? kCmds.at(kNoHolds.at(rng() % kNoHolds.size())) : kCmds.at(rng() % kCmds.size());
    const Dev d = devs.at(rng() % devs.size());
    const size_t k = rng() % 2;
    const uint32_t seq = ++g_seq;
    Bytes m = storm_request(*family, seq, cmd, d, kKeys.at(k), kKeys.at(1 - k));
    const bool dump = cmd == RESFENCE_CMD_GET_DEVICE && rng() % 2 == 0;
    if (dump)
      m = genl_message(*family, NLM_F_REQUEST | NLM_F_DUMP, seq, cmd, RESFENCE_GENL_VERSION, 0, {});
    const Outcome r = exchange(s, *family, m, seq);
    if (!r.answered) {
      const std::lock_guard<std::mutex> g(out.lock);
      out.broken.push_back("no answer within 30 s to " + hex(m));
      return;
    }
    ++counts[{cmd, r.error}];
    if (r.ping_error != 0) {
      // The family id is no longer ours: the module went away.
      ++gone;
      family = resolve_until(s, until);
    }
  }
  const std::lock_guard<std::mutex> g(out.lock);
  for (const auto& [key, n] : counts) out.by_cmd_errno[key] += n;
  out.family_gone += gone;
}

int storm(uint64_t seed, unsigned threads, std::chrono::milliseconds length,
          const std::vector<Dev>& devs, bool no_holds) {
  if (devs.empty()) throw UsageError("--storm needs --dev");
  std::cout << "resfence-fuzz: storm, seed " << seed << ", " << threads << " threads, "
            << length.count() << " ms\n"
            << std::flush;
  StormResult res;
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        storm_thread(seed + t, devs, length, no_holds, res);
      });  // NOLINT(bugprone-exception-escape)
  }
  static constexpr std::array<std::string_view, RESFENCE_CMD_MAX + 1> kNames{
      "unspec",     "get_info",  "set_defaults",     "hold", "preempt", "release",
      "get_device", "read_keys", "read_reservation", "event"};
  uint64_t total = 0;
  for (const auto& [key, n] : res.by_cmd_errno) {
    const char* name = key.second != 0 ? strerrorname_np(key.second) : "success";
    std::cout << "  " << kNames.at(key.first) << " errno " << key.second << " "
              << (name != nullptr ? name : "?") << ": " << n << "\n";
    total += n;
  }
  std::cout << "requests " << total << ", the family went away under a thread " << res.family_gone
            << " times\n";
  for (const auto& b : res.broken) std::cout << "BROKEN: " << b << "\n";
  if (!res.broken.empty()) return kExitBroken;
  std::cout << "ok: every request of the storm was answered\n";
  return 0;
}

struct Options {
  uint64_t seed = 0;
  bool seeded = false;
  uint64_t count = 1000;
  uint64_t skip = 0;
  std::vector<Dev> devs;
  bool unprivileged = false;
  bool verbose = false;
  std::optional<Bytes> replay;
  uint64_t storm_ms = 0;  // --storm MS: the concurrent run instead
  unsigned threads = 4;
  bool no_holds = false;  // --no-holds: the storm never holds (the module can unload)
};

void report(const std::string& what, uint64_t index, const Options& o, const Bytes& m) {
  std::cout << "BROKEN: " << what << "\n  message " << index << " of seed " << o.seed
            << " (regenerate: --seed " << o.seed << " --skip " << index << " --count 1)\n"
            << "  replay: resfence-fuzz --replay " << hex(m) << "\n";
}

// Whether one answered message broke an expectation; updates the model of
// what is held (root) from the successful requests.
bool judge(const Options& o, uint64_t i, const Bytes& m, const Outcome& r, Stats& st,
           std::set<DevKey>& model) {
  if (r.send_error != 0) {
    auto& e = st.send_errors[r.send_error];
    if (e.first++ == 0) e.second = "message " + std::to_string(i) + ": " + hex(m);
  }
  if (!r.any) ++st.unanswered;
  // Without NLM_F_ACK a success may have no answer of its own.
  if (!processed(m)) return false;
  ++st.by_errno[r.error];
  if (!r.extack.empty()) ++st.messages[r.extack];
  const uint8_t cmd = cmd_of(m);
  if (o.unprivileged) {
    if (r.error == 0 && cmd != 0 && cmd <= RESFENCE_CMD_MAX) {
      report("an unprivileged request succeeded", i, o, m);
      return true;
    }
    return false;
  }
  if (r.error != 0) return false;
  if (cmd == RESFENCE_CMD_HOLD || cmd == RESFENCE_CMD_PREEMPT) {
    for (const Dev d : r.replied) model.emplace(d.major, d.minor);
  } else if (cmd == RESFENCE_CMD_RELEASE) {
    if (const auto d = dev_named(m)) model.erase({d->major, d->minor});
  }
  return false;
}

void print_stats(const Stats& st, double secs) {
  std::cout << "sent " << st.sent << " in " << static_cast<uint64_t>(secs * 1000) << " ms ("
            << static_cast<uint64_t>(secs > 0 ? static_cast<double>(st.sent) / secs : 0)
            << " messages/s, each followed by its GET_INFO ping), without an answer of their own "
            << st.unanswered << "\n";
  for (const auto& [err, n] : st.by_errno) {
    const char* name = err != 0 ? strerrorname_np(err) : "success";
    std::cout << "  errno " << err << " " << (name != nullptr ? name : "?") << ": " << n << "\n";
  }
  for (const auto& [text, n] : st.messages)
    std::cout << "  extack \"" << text << "\": " << n << "\n";
  for (const auto& [err, e] : st.send_errors) {
    const char* name = strerrorname_np(err);
    std::cout << "  sendto errno " << err << " " << (name != nullptr ? name : "?") << ": "
              << e.first << " (first: " << e.second << ")\n";
  }
}

// The dump lists exactly what the successful requests left held; then
// everything releases.
int check_state(const Socket& s, uint16_t family, const std::set<DevKey>& model) {
  const std::set<DevKey> held = dump_held(s, family);
  std::cout << "held after the run: " << held.size() << " (modelled " << model.size() << ")\n";
  for (const auto& [maj, min] : held)
    std::cout << "  held " << maj << ":" << min
              << (model.contains({maj, min}) ? "" : " (NOT MODELLED)") << "\n";
  for (const auto& [maj, min] : model)
    if (!held.contains({maj, min}))
      std::cout << "  modelled " << maj << ":" << min << " NOT HELD\n";
  for (const auto& [maj, min] : held) {
    Bytes a;
    put_attr(a, RESFENCE_A_DEV_MAJOR, bytes_of(maj));
    put_attr(a, RESFENCE_A_DEV_MINOR, bytes_of(min));
    const uint32_t seq = ++g_seq;
    const Outcome r = exchange(s, family,
                               genl_message(family, NLM_F_REQUEST | NLM_F_ACK, seq,
                                            RESFENCE_CMD_RELEASE, RESFENCE_GENL_VERSION, 0, a),
                               seq);
    // A failed RELEASE command still releases on this node (a preempted
    // key cannot be unregistered): the dump below judges.
    if (r.error != 0)
      std::cout << "  release " << maj << ":" << min << ": errno " << r.error << " " << r.extack
                << "\n";
  }
  if (!dump_held(s, family).empty()) {
    std::cout << "BROKEN: devices still held after releasing them all\n";
    return kExitBroken;
  }
  if (held != model) {
    std::cout << "BROKEN: the held set differs from the one the replies imply\n";
    return kExitBroken;
  }
  std::cout << "ok: the module answered every message; held set as modelled; released\n";
  return 0;
}

int replay(const Socket& s, uint16_t family, const Bytes& m) {
  const Outcome r = exchange(s, family, m, header_of(m).nlmsg_seq);
  std::cout << "replayed: " << (r.any ? "answered" : "no answer") << ", errno " << r.error
            << (r.extack.empty() ? "" : ", extack: " + r.extack) << "\n";
  return r.answered ? 0 : kExitBroken;
}

int run(const Options& o) {
  if (o.storm_ms != 0)
    return storm(o.seed, o.threads, std::chrono::milliseconds(o.storm_ms), o.devs, o.no_holds);
  const Socket s;
  const uint16_t family = resolve_family(s);
  if (o.replay) return replay(s, family, *o.replay);
  std::cout << "resfence-fuzz: seed " << o.seed << ", " << o.count << " messages from " << o.skip
            << (o.unprivileged ? ", unprivileged" : "") << "\n"
            << std::flush;
  Generator gen(o.seed, o.devs);
  Stats st;
  std::set<DevKey> model;
  for (uint64_t i = 0; i < o.skip; ++i) (void)gen.next(family, 0);
  const auto t0 = std::chrono::steady_clock::now();
  for (uint64_t i = o.skip; i < o.skip + o.count; ++i) {
    const uint32_t seq = ++g_seq;
    Bytes m = gen.next(family, seq);
    make_safe(m);
    if (o.verbose) std::cout << i << " " << hex(m) << "\n" << std::flush;
    const Outcome r = exchange(s, family, m, seq);
    ++st.sent;
    if (!r.answered) {
      report("the module did not answer the GET_INFO after this message within 30 s", i, o, m);
      return kExitBroken;
    }
    if (judge(o, i, m, r, st, model)) return kExitBroken;
  }
  print_stats(st, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (o.unprivileged) {
    std::cout << "ok: no unprivileged request succeeded\n";
    return 0;
  }
  return check_state(s, family, model);
}

uint64_t number(std::string_view s, std::string_view what) {
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    throw UsageError(std::string(what) + ": '" + std::string(s) + "' is not a number");
  return v;
}

Options parse_args(std::span<char* const> args) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= args.size()) throw UsageError(std::string(a) + " needs a value");
      return args[++i];
    };
    if (a == "--seed") {
      o.seed = number(value(), a);
      o.seeded = true;
    } else if (a == "--count") {
      o.count = number(value(), a);
    } else if (a == "--skip") {
      o.skip = number(value(), a);
    } else if (a == "--dev") {
      const std::string_view v = value();
      const size_t colon = v.find(':');
      if (colon == std::string_view::npos) throw UsageError("--dev: MAJ:MIN");
      o.devs.push_back(Dev{static_cast<uint32_t>(number(v.substr(0, colon), a)),
                           static_cast<uint32_t>(number(v.substr(colon + 1), a))});
    } else if (a == "--unprivileged") {
      o.unprivileged = true;
    } else if (a == "--storm") {
      o.storm_ms = number(value(), a);
    } else if (a == "--no-holds") {
      o.no_holds = true;
    } else if (a == "--threads") {
      o.threads = static_cast<unsigned>(std::clamp<uint64_t>(number(value(), a), 1, 64));
    } else if (a == "--verbose") {
      o.verbose = true;
    } else if (a == "--replay") {
      o.replay = unhex(value());
      if (o.replay->size() < kNlHdr) throw UsageError("--replay: shorter than a header");
    } else {
      throw UsageError("unknown argument '" + std::string(a) + "'");
    }
  }
  if (!o.seeded) o.seed = std::random_device{}();
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const std::span<char* const> args(argv + 1, static_cast<size_t>(argc - 1));  // NOLINT
  try {
    return run(parse_args(args));
  } catch (const UsageError& e) {
    std::cerr << "resfence-fuzz: " << e.what() << "\n"
              << "usage: resfence-fuzz [--seed N] [--count N] [--skip N] [--dev MAJ:MIN]... "
                 "[--unprivileged] [--verbose] | --replay HEX | --storm MS [--threads N] "
                 "[--no-holds] --dev MAJ:MIN...\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "resfence-fuzz: " << e.what() << "\n";
    return kExitLocal;
  }
}
