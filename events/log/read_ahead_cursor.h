// ReadAhead: a cursor that reads and decodes the log on a thread of its own, batches of events
// ahead of its caller.
//
//   auto cursor = log::ReadAhead(log.Scan(from, to));
//   for (; cursor->Valid(); cursor->Next()) Apply(cursor->event());
//
// A long fold spends about 0.7 µs an event reading and decoding and one to two applying it to
// the views; with the reading on the other core the caller only applies (docs/benchmarks.md,
// "Projection rebuild"). Worth it for long scans only: the thread costs tens of microseconds
// to start, and a batch is read whether or not the caller gets to it.
//
// The same contract as the cursor it wraps: events in seq order, a stop at the first error
// with status() saying why, one calling thread. event() stays good until the next Next().
// Destroying the cursor stops the reader and waits for it.
#pragma once

#include <memory>

#include "events/log/event_cursor.h"
#include "events/log/event_log.h"

namespace crm::log {

// Takes `source` over: from now on only the reader thread touches it.
std::unique_ptr<EventCursor> ReadAhead(std::unique_ptr<EventCursor> source);

// A scan this long reads ahead in ScanAhead: 4,096 events take about 3 ms to read, against tens
// of microseconds to start the thread.
inline constexpr Seq kReadAheadEventsMin = 4096;

// log.Scan(from_seq, max_seq), read ahead when it covers kReadAheadEventsMin events or more.
std::unique_ptr<EventCursor> ScanAhead(const EventLog& log, Seq from_seq, Seq max_seq = kLatestSeq);

}  // namespace crm::log
