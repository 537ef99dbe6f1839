// EventCursor: a forward scan over the log by seq, for replays, rebuilds and feeds.
//
//   for (auto cursor = log.Scan(1); cursor->Valid(); cursor->Next()) Apply(cursor->event());
//   if (!cursor->status().ok()) ...   // a scan stops at the first unreadable event
//
// A cursor is used by one thread at a time and must not outlive the EventLog it came from.
#pragma once

#include "events/envelope.h"
#include "events/status.h"

namespace crm::log {

class EventCursor {
 public:
  virtual ~EventCursor() = default;

  // False at the end of the range, or when status() is not ok.
  virtual bool Valid() const = 0;
  // REQUIRES: Valid().
  virtual void Next() = 0;
  // REQUIRES: Valid(). The reference stays good until the next call to Next().
  virtual const events::RecordedEvent& event() const = 0;
  // Why the scan stopped early, if it did.
  virtual Status status() const = 0;
};

}  // namespace crm::log
