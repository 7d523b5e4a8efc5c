#include "victim.h"

#include <gtest/gtest.h>

#include "errors.h"

namespace resfence {
namespace {

constexpr DeviceId kDev{8, 0};

TEST(VictimKey, TheHolder) {
  const ReservationInfo res{kDev, 1, 0xa1, RESFENCE_PR_WRITE_EXCLUSIVE};
  EXPECT_EQ(victim_key(res, {kDev, 1, {0xa1, 0xb1}}, 0xb1), 0xa1U);
}

TEST(VictimKey, AllRegistrantsTakesTheOtherRegisteredKey) {
  // we-ar/ea-ar report holder key 0: every registrant holds it.
  const ReservationInfo res{kDev, 4, 0, RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS};
  EXPECT_EQ(victim_key(res, {kDev, 4, {0xa1}}, 0xb1), 0xa1U);
  EXPECT_EQ(victim_key(res, {kDev, 4, {0xa1, 0xb1, 0xa1}}, 0xb1), 0xa1U);  // per-nexus repeats
}

TEST(VictimKey, AllRegistrantsWithSeveralOthersIsAmbiguous) {
  const ReservationInfo res{kDev, 4, 0, RESFENCE_PR_EXCLUSIVE_ACCESS_ALL_REGS};
  try {
    victim_key(res, {kDev, 4, {0xa1, 0xa2}}, 0xb1);
    FAIL();
  } catch (const CommandError& e) {
    EXPECT_EQ(e.code(), ExitCode::kFailure);
    EXPECT_NE(std::string(e.what()).find("0x00000000000000a1, 0x00000000000000a2"),
              std::string::npos);
  }
}

TEST(VictimKey, AllRegistrantsWithOnlyOurKey) {
  const ReservationInfo res{kDev, 4, 0, RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS};
  EXPECT_THROW(victim_key(res, {kDev, 4, {0xb1}}, 0xb1), CommandError);
}

TEST(VictimKey, NotReserved) {
  const ReservationInfo res{kDev, 4, std::nullopt, std::nullopt};
  EXPECT_THROW(victim_key(res, {kDev, 4, {0xa1}}, 0xb1), CommandError);
}

}  // namespace
}  // namespace resfence
