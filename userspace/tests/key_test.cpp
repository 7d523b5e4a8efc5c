#include "key.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace resfence {
namespace {

TEST(ParseKey, Decimal) {
  EXPECT_EQ(parse_key("1"), 1U);
  EXPECT_EQ(parse_key("42"), 42U);
  EXPECT_EQ(parse_key("18446744073709551615"), UINT64_MAX);
}

TEST(ParseKey, Hex) {
  EXPECT_EQ(parse_key("0x1"), 1U);
  EXPECT_EQ(parse_key("0xdeadBEEF"), 0xdeadbeefU);
  EXPECT_EQ(parse_key("0XFF"), 255U);
  EXPECT_EQ(parse_key("0xffffffffffffffff"), UINT64_MAX);
  EXPECT_EQ(parse_key("0x0000000000000000000000001"), 1U);  // leading zeros do not overflow
}

TEST(ParseKey, ZeroIsRefused) {
  EXPECT_THROW(parse_key("0"), std::invalid_argument);
  EXPECT_THROW(parse_key("0x0"), std::invalid_argument);
  EXPECT_THROW(parse_key("000"), std::invalid_argument);
  try {
    parse_key("0");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("key 0"), std::string::npos);
  }
}

TEST(ParseKey, Overflow) {
  EXPECT_THROW(parse_key("18446744073709551616"), std::invalid_argument);
  EXPECT_THROW(parse_key("0x10000000000000000"), std::invalid_argument);
  EXPECT_THROW(parse_key("99999999999999999999999"), std::invalid_argument);
}

TEST(ParseKey, Garbage) {
  for (const char* bad :
       {"", "0x", "x1", "-1", "+1", " 1", "1 ", "12a", "0xg", "1.0", "1e3", "0b101", "auto2"})
    EXPECT_THROW(parse_key(bad), std::invalid_argument) << "'" << bad << "'";
}

TEST(ParseKeySpec, AutoOrNumber) {
  EXPECT_TRUE(std::holds_alternative<AutoKey>(parse_key_spec("auto")));
  EXPECT_EQ(std::get<uint64_t>(parse_key_spec("0x10")), 16U);
  EXPECT_THROW(parse_key_spec("AUTO"), std::invalid_argument);
}

TEST(AutoKey, KnownValue) {
  // Pinned: the derivation is an ABI (a node must get the same key after an
  // upgrade). FNV-1a 64 of "resfence-key-v1:0123456789abcdef0123456789abcdef",
  // computed independently with Python.
  EXPECT_EQ(derive_auto_key("0123456789abcdef0123456789abcdef\n"), 0x9ab46370d7d59688ULL);
}

TEST(AutoKey, StableAndCaseInsensitive) {
  const uint64_t a = derive_auto_key("0123456789abcdef0123456789abcdef");
  EXPECT_EQ(a, derive_auto_key("  0123456789ABCDEF0123456789ABCDEF\n"));
  EXPECT_NE(a, derive_auto_key("0123456789abcdef0123456789abcdee"));
  EXPECT_NE(a, 0U);
}

TEST(AutoKey, MalformedMachineId) {
  EXPECT_THROW(derive_auto_key(""), std::invalid_argument);
  EXPECT_THROW(derive_auto_key("0123456789abcdef"), std::invalid_argument);
  EXPECT_THROW(derive_auto_key("0123456789abcdef0123456789abcdeg"), std::invalid_argument);
}

TEST(AutoKey, MissingFile) {
  EXPECT_THROW(auto_key_from_file("/nonexistent/machine-id"), std::runtime_error);
}

}  // namespace
}  // namespace resfence
