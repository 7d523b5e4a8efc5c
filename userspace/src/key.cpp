#include "key.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace resfence {

namespace {

int digit_value(char c, int base) {
  int v = -1;
  if (c >= '0' && c <= '9')
    v = c - '0';
  else if (c >= 'a' && c <= 'f')
    v = c - 'a' + 10;
  else if (c >= 'A' && c <= 'F')
    v = c - 'A' + 10;
  return v < base ? v : -1;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

uint64_t parse_key(std::string_view text) {
  int base = 10;
  std::string_view digits = text;
  if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  if (digits.empty())
    throw std::invalid_argument(quoted(text) + " is not a key (decimal, 0x-hex or auto)");
  uint64_t value = 0;
  for (const char c : digits) {
    const int d = digit_value(c, base);
    if (d < 0)
      throw std::invalid_argument(quoted(text) + " is not a key (decimal, 0x-hex or auto)");
    const auto b = static_cast<uint64_t>(base);
    const auto ud = static_cast<uint64_t>(d);
    if (value > (UINT64_MAX - ud) / b)
      throw std::invalid_argument(quoted(text) + " does not fit in 64 bits");
    value = value * b + ud;
  }
  if (value == 0)
    throw std::invalid_argument("key 0 is reserved by SCSI (it means no key); pick another");
  return value;
}

KeySpec parse_key_spec(std::string_view text) {
  if (text == "auto") return AutoKey{};
  return parse_key(text);
}

uint64_t derive_auto_key(std::string_view machine_id) {
  const size_t b = machine_id.find_first_not_of(" \t\r\n");
  const size_t e = machine_id.find_last_not_of(" \t\r\n");
  const std::string_view id =
      b == std::string_view::npos ? std::string_view{} : machine_id.substr(b, e - b + 1);
  if (id.size() != 32)
    throw std::invalid_argument("machine-id must be 32 hex digits, got " +
                                std::to_string(id.size()) + " characters");
  std::string input = "resfence-key-v1:";
  for (const char c : id) {
    if (digit_value(c, 16) < 0) throw std::invalid_argument("machine-id is not hexadecimal");
    input += (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (const char c : input) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  return h == 0 ? 1 : h;
}

uint64_t auto_key_from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read (needed for --key auto)");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return derive_auto_key(ss.str());
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace resfence
