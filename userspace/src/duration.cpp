#include "duration.h"

#include <algorithm>

namespace resfence {

uint64_t parse_seconds_ms(std::string_view text) {
  if (text.empty()) throw std::invalid_argument("empty duration");
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (whole.empty())
    throw std::invalid_argument("'" + std::string(text) + "' needs digits before the point");
  if (dot != std::string_view::npos && frac.empty())
    throw std::invalid_argument("'" + std::string(text) + "' needs digits after the point");
  auto all_digits = [](std::string_view s) {
    return std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!all_digits(whole) || !all_digits(frac))
    throw std::invalid_argument("'" + std::string(text) +
                                "' is not a number of seconds (e.g. 2 or 0.5)");
  if (frac.size() > 3)
    throw std::invalid_argument("'" + std::string(text) +
                                "' is finer than the millisecond resolution");
  // Bound the whole part before multiplying: anything above ~10^15 s is nonsense
  // and would overflow.
  if (whole.size() > 12) throw std::invalid_argument("'" + std::string(text) + "' is too large");
  uint64_t ms = 0;
  for (const char c : whole) ms = ms * 10 + static_cast<uint64_t>(c - '0');
  ms *= 1000;
  uint64_t scale = 100;
  for (const char c : frac) {
    ms += static_cast<uint64_t>(c - '0') * scale;
    scale /= 10;
  }
  return ms;
}

uint32_t parse_seconds_in_range(std::string_view text, uint32_t min_ms, uint32_t max_ms,
                                bool allow_zero) {
  const uint64_t ms = parse_seconds_ms(text);
  if (ms == 0 && allow_zero) return 0;
  if (ms < min_ms || ms > max_ms)
    throw std::invalid_argument("'" + std::string(text) + "' is out of range: must be between " +
                                format_seconds(min_ms) + " and " + format_seconds(max_ms) +
                                (allow_zero ? " (or 0 to disable)" : ""));
  return static_cast<uint32_t>(ms);
}

std::string format_seconds(uint64_t ms) {
  std::string s = std::to_string(ms / 1000);
  if (const uint64_t frac = ms % 1000; frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 3 - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s + " s";
}

}  // namespace resfence
