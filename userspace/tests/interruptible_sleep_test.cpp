#include "interruptible_sleep.h"

#include <gtest/gtest.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): sigaction

#include <chrono>

namespace resfence {
namespace {

using std::chrono::milliseconds;

bool blocked(int sig) {
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, nullptr, &cur);
  return sigismember(&cur, sig) == 1;
}

TEST(InterruptibleSleep, CompletesWithoutASignal) {
  bool announced = false;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(interruptible_sleep(milliseconds(20), [&] { announced = true; }));
  // A lower bound only: a sleep never ends early (no upper bound: CI is slow).
  EXPECT_GE(std::chrono::steady_clock::now() - t0, milliseconds(20));
  EXPECT_TRUE(announced);
  EXPECT_FALSE(blocked(SIGTERM));
}

TEST(InterruptibleSleep, SignalDuringTheAnnouncementEndsTheWaitAndIsConsumed) {
  // The announcement runs with the signals blocked: a SIGTERM sent by a reader
  // of it stays pending and ends the wait at once. If it were left pending,
  // restoring the mask would deliver it and kill this test binary.
  EXPECT_FALSE(interruptible_sleep(std::chrono::hours(1), [] { raise(SIGTERM); }));
  EXPECT_FALSE(blocked(SIGTERM));
  sigset_t pending;
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGTERM), 0);
}

TEST(InterruptibleSleep, SigintEndsTheWaitToo) {
  EXPECT_FALSE(interruptible_sleep(std::chrono::hours(1), [] { raise(SIGINT); }));
}

TEST(InterruptibleSleep, AnIgnoredSignalStaysIgnored) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old {};
  ASSERT_EQ(sigaction(SIGINT, &ignore, &old), 0);
  EXPECT_TRUE(interruptible_sleep(milliseconds(20), [] { raise(SIGINT); }));
  ASSERT_EQ(sigaction(SIGINT, &old, nullptr), 0);
}

}  // namespace
}  // namespace resfence
