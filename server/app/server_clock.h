// ServerClock: the "now" crm-server decides and reads with. Normally the machine's clock; with
// --test-clock a clock that stands still until an admin sets it (api.md "Test clock"), so that
// tests can walk through 30-day expiries and review time-outs in seconds.
//
// The test clock only moves forward: the log records times in order, and a clock set back would
// make a command look older than the events it was decided after.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <mutex>

#include "events/domain_values.h"
#include "events/status.h"

namespace crm::server::app {

using events::TimeMs;

class ServerClock {
 public:
  enum class Mode : unsigned char { kSystem, kTest };

  // kSystem: the machine's clock. kTest: a clock standing at `test_start_ms` until Set.
  explicit ServerClock(Mode mode, TimeMs test_start_ms = 0)
      : test_(mode == Mode::kTest), test_now_ms_(test_start_ms) {}
  ServerClock(const ServerClock&) = delete;
  ServerClock& operator=(const ServerClock&) = delete;

  TimeMs Now() const;
  bool is_test() const { return test_; }

  // kNotFound/test_clock_disabled on the system clock (the endpoint does not exist then);
  // kConflict/clock_backwards for a time before Now(). REQUIRES: nothing.
  Status Set(TimeMs now_ms);

 private:
  bool test_;
  std::mutex set_mutex_;  // one Set at a time, so that two forward moves cannot cross
  std::atomic<TimeMs> test_now_ms_;
};

}  // namespace crm::server::app
