// Durations on the command line are seconds with millisecond resolution
// ("2", "0.5", "1.25"): what an operator thinks in, exact in the u32
// milliseconds the module takes.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace resfence {

// Parses "SEC[.FRACTION]" with at most three fractional digits into
// milliseconds. No sign, exponent, or unit. Throws std::invalid_argument with a
// message naming what is wrong.
uint64_t parse_seconds_ms(std::string_view text);

// As parse_seconds_ms(), then checks min_ms <= value <= max_ms; a value of 0
// is also allowed when allow_zero (a disabled lease).
uint32_t parse_seconds_in_range(std::string_view text, uint32_t min_ms, uint32_t max_ms,
                                bool allow_zero = false);

// 2000 -> "2 s", 500 -> "0.5 s", 1250 -> "1.25 s".
std::string format_seconds(uint64_t ms);

}  // namespace resfence
