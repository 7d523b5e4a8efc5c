#include "duration.h"

#include <gtest/gtest.h>

namespace resfence {
namespace {

TEST(ParseSeconds, WholeAndFractional) {
  EXPECT_EQ(parse_seconds_ms("2"), 2000U);
  EXPECT_EQ(parse_seconds_ms("0.5"), 500U);
  EXPECT_EQ(parse_seconds_ms("0.05"), 50U);
  EXPECT_EQ(parse_seconds_ms("1.25"), 1250U);
  EXPECT_EQ(parse_seconds_ms("0.001"), 1U);
  EXPECT_EQ(parse_seconds_ms("3600"), 3600000U);
  EXPECT_EQ(parse_seconds_ms("0"), 0U);
  EXPECT_EQ(parse_seconds_ms("007"), 7000U);
}

TEST(ParseSeconds, Rejects) {
  for (const char* bad : {"", ".", "1.", ".5", "-1", "+1", "1e3", "1s", "abc", "0.0001", "1.2345",
                          " 1", "1 ", "inf", "nan", "1,5", "9999999999999", "0x10"})
    EXPECT_THROW(parse_seconds_ms(bad), std::invalid_argument) << "'" << bad << "'";
}

TEST(ParseSecondsInRange, IntervalLimits) {
  EXPECT_EQ(parse_seconds_in_range("0.1", 100, 3600000), 100U);
  EXPECT_EQ(parse_seconds_in_range("3600", 100, 3600000), 3600000U);
  EXPECT_THROW(parse_seconds_in_range("0.099", 100, 3600000), std::invalid_argument);
  EXPECT_THROW(parse_seconds_in_range("3600.001", 100, 3600000), std::invalid_argument);
  EXPECT_THROW(parse_seconds_in_range("0", 100, 3600000), std::invalid_argument);
}

TEST(ParseSecondsInRange, ZeroAllowedForLease) {
  EXPECT_EQ(parse_seconds_in_range("0", 100, 3600000, true), 0U);
  EXPECT_EQ(parse_seconds_in_range("0.000", 100, 3600000, true), 0U);
  EXPECT_THROW(parse_seconds_in_range("0.05", 100, 3600000, true), std::invalid_argument);
}

TEST(ParseSecondsInRange, MessageNamesTheRange) {
  try {
    parse_seconds_in_range("0.05", 100, 3600000);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "'0.05' is out of range: must be between 0.1 s and 3600 s");
  }
}

TEST(FormatSeconds, TrimsTrailingZeros) {
  EXPECT_EQ(format_seconds(2000), "2 s");
  EXPECT_EQ(format_seconds(500), "0.5 s");
  EXPECT_EQ(format_seconds(1250), "1.25 s");
  EXPECT_EQ(format_seconds(1), "0.001 s");
  EXPECT_EQ(format_seconds(0), "0 s");
  EXPECT_EQ(format_seconds(3600000), "3600 s");
}

}  // namespace
}  // namespace resfence
