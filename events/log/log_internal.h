// Internal to event_log: the read paths shared by EventLog, AppendWriter and the verifier.
// Each takes the database and family explicitly and an optional snapshot, so that a caller can
// read several things at one consistent point.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <string_view>
#include <vector>

#include "events/envelope.h"
#include "events/log/event_cursor.h"
#include "events/log/event_log.h"
#include "events/log/keys.h"
#include "events/log/rocks_store.h"

namespace crm::log {

// The stream's newest version among events at or before max_seq; 0 when it has none.
Result<StreamVersion> ReadStreamHead(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* streams, std::string_view stream_id,
                                     Seq max_seq);

// Seqs of the stream's events from from_version on, up to max_seq, in version order.
Result<std::vector<Seq>> ReadStreamSeqs(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* streams,
                                        std::string_view stream_id, StreamVersion from_version, Seq max_seq);

// The event at seq, with its stored hash. kNotFound when absent.
Result<RecordedEvent> ReadEventAt(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Seq seq,
                                  const rocksdb::Snapshot* snapshot = nullptr);
Result<events::EventEnvelope> ReadEnvelopeAt(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Seq seq);

// A cursor over from_seq..last_seq (inclusive). REQUIRES: last_seq < kLatestSeq.
std::unique_ptr<EventCursor> NewRocksEventCursor(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Seq from_seq,
                                                 Seq last_seq);

// Checks and returns the head at open: meta "head" must name the last event, whose bytes must
// match its hash and link to its predecessor. A fresh log's head is all zero.
Result<Head> CheckTail(RocksStore& store);

// The refusal of an idempotency key seen before with another request fingerprint.
Status IdempotencyKeyReused(const std::string& command_id);
// A seen command's answer, or the refusal above when the fingerprints differ.
Result<AppendResult> AnswerForSeenCommand(const CommandEntry& seen, const std::string& command_id,
                                          const std::optional<Sha256Digest>& request_fingerprint);

// The full walk behind EventLog::VerifyChain, at one snapshot.
Result<ChainReport> WalkChain(RocksStore& store, const VerifyOptions& options);

}  // namespace crm::log
