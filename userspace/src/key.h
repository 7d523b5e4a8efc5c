// Persistent reservation keys: 64-bit, given as decimal or 0x-hex, or "auto".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace resfence {

// "--key auto": derive the key from /etc/machine-id when it is needed.
struct AutoKey {
  friend bool operator==(const AutoKey&, const AutoKey&) = default;
};
using KeySpec = std::variant<uint64_t, AutoKey>;

// Parses a key: decimal ("42"), hex with 0x/0X prefix ("0xdeadbeef"), at most
// 64 bits, no sign or spaces. 0 is refused: SPC-3 reserves key 0 to mean "no
// key" (registering 0 unregisters). Throws std::invalid_argument.
uint64_t parse_key(std::string_view text);

// parse_key(), or AutoKey for the word "auto".
KeySpec parse_key_spec(std::string_view text);

// The key "auto" stands for, from the contents of /etc/machine-id (32 hex
// digits; surrounding whitespace ignored): the 64-bit FNV-1a hash of
// "resfence-key-v1:" followed by the lowercase machine-id, with 0 mapped to 1.
// Stable across reboots and tool versions (the "v1" pins the derivation);
// hashed rather than truncated so the key does not disclose the machine-id.
// Throws std::invalid_argument if the machine-id is malformed.
uint64_t derive_auto_key(std::string_view machine_id);

// Reads `path` (normally /etc/machine-id) and derives the key. Throws
// std::runtime_error naming the file when it cannot be read.
uint64_t auto_key_from_file(const std::string& path);

}  // namespace resfence
