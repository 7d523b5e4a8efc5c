#include "interruptible_sleep.h"

#include <signal.h>  // NOLINT(modernize-deprecated-headers): sigtimedwait

#include <ctime>

namespace resfence {

// Blocking the signals (rather than handling them) means an operator's
// Ctrl-C ends a takeover wait with exit 10 instead of the default action
// killing the tool half way, and a signal that arrives while `started` prints
// the announcement is not lost: it stays pending until sigtimedwait() takes it.
bool interruptible_sleep(std::chrono::milliseconds d, const std::function<void()>& started) {
  sigset_t set;
  sigemptyset(&set);
  for (const int sig : {SIGINT, SIGTERM}) {
    struct sigaction sa {};
    if (sigaction(sig, nullptr, &sa) == 0 && sa.sa_handler == SIG_IGN) continue;
    sigaddset(&set, sig);
  }
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &set, &old);
  started();
  const auto deadline = std::chrono::steady_clock::now() + d;
  bool completed = true;
  for (;;) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds(0)) break;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    const timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    const int sig = sigtimedwait(&set, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) {
      completed = false;
      break;
    }
    // EAGAIN: timed out; EINTR: another signal, recompute and wait again.
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return completed;
}

}  // namespace resfence
