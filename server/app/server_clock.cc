#include "server/app/server_clock.h"

#include <chrono>

#include "events/time_format.h"

namespace crm::server::app {

TimeMs ServerClock::Now() const {
  if (test_) return test_now_ms_.load();
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count();
}

Status ServerClock::Set(TimeMs now_ms) {
  if (!test_) return Status::NotFound("not_found", "no such endpoint (the server runs without --test-clock)");
  std::lock_guard lock(set_mutex_);
  const TimeMs current = test_now_ms_.load();
  if (now_ms < current) {
    return Status::Conflict("clock_backwards",
                            "the test clock only moves forward; it stands at " + events::FormatRfc3339(current),
                            {{"now", events::FormatRfc3339(current)}});
  }
  test_now_ms_.store(now_ms);
  return Status::Ok();
}

}  // namespace crm::server::app
