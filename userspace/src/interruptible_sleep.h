// The takeover wait: a sleep that SIGINT/SIGTERM end cleanly.
#pragma once

#include <chrono>
#include <functional>

namespace resfence {

// Blocks SIGINT/SIGTERM, calls `started`, and waits for one of them or the
// timeout; returns false if a signal ended the wait. The signal is consumed,
// so restoring the mask afterwards does not deliver it. A signal the parent
// set to SIG_IGN stays ignored.
bool interruptible_sleep(std::chrono::milliseconds d, const std::function<void()>& started);

}  // namespace resfence
