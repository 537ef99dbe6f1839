// The checks of `crm-replay verify`, shared with `restore` (which runs them on what it restored):
//
//   1. the hash chain and the stream index, from seq 1 (EventLog::VerifyChain);
//   2. every stored view against a fresh fold from zero up to the view's checkpoint
//      (ProjectionHost::CheckStored), naming the first differing row key.
//
// A view with no stored rows (never built, or built by a version this program does not know)
// is reported as not stored: there is nothing to compare, and that is not a failure. Views are
// not checked when the chain is broken: the first bad seq is the finding, and a fold would stop
// at it anyway.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "events/log/event_log.h"
#include "events/status.h"
#include "projections/store/view_family.h"

namespace crm::replay {

struct ViewVerdict {
  std::string name;
  bool stored = false;
  events::Seq checkpoint_seq = 0;  // compared up to here
  std::optional<projections::store::RowDifference> difference;
};

struct CheckReport {
  log::ChainReport chain;
  bool stream_index_checked = false;
  events::Seq head_seq = 0;
  std::optional<events::Sha256Digest> head_hash;  // of the event at head_seq
  bool views_checked = false;
  std::vector<ViewVerdict> views;

  bool ok() const;
};

struct CheckOptions {
  // Default: true. False skips the stream index walk (faster; the chain alone).
  bool check_stream_index = true;
  // Default: true. False checks the log only.
  bool check_views = true;
  // Called every few thousand events of the chain walk with the seq reached. Default: none.
  std::function<void(events::Seq)> progress;
};

// Runs the checks on `log` (any open mode; nothing is written). A failed check is in the
// report; the Status is for a store that cannot be read at all.
Result<CheckReport> RunChecks(log::EventLog& log, const CheckOptions& options);

// The report for people: one line per check, then "ok" or "FAILED: <the first finding>".
void PrintCheckReport(const CheckReport& report, std::ostream& out);

// A row key or other stored bytes, printable: UTF-8 text as is, other bytes as \xNN, quoted.
std::string PrintableKey(std::string_view key);

}  // namespace crm::replay
