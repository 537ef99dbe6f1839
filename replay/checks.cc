#include "replay/checks.h"

#include <algorithm>
#include <cstdio>

#include "events/log/read_ahead_cursor.h"
#include "events/log/sha256.h"
#include "projections/all_projections.h"
#include "projections/store/projection_catalog.h"
#include "projections/store/projection_host.h"

namespace crm::replay {
namespace {

using projections::ProjectionKind;
using projections::store::CatalogEntry;
using projections::store::ProjectionCatalog;
using projections::store::ProjectionHost;
using projections::store::ViewFamily;

// The same comparison as ProjectionHost::CheckStored, without loading the stored rows first:
// for when the host cannot open because a stored row does not even decode. Then verify must
// still name that row, and the byte comparison does.
Result<ViewVerdict> CheckWithoutHost(log::EventLog& log, const ProjectionCatalog& catalog,
                                     const std::vector<ProjectionKind>& kinds, const std::string& name) {
  ViewVerdict verdict;
  verdict.name = name;
  CRM_ASSIGN_OR_RETURN(const std::optional<CatalogEntry> active, catalog.Active(name));
  if (!active.has_value()) return verdict;
  rocksdb::ColumnFamilyHandle* handle = log.store().Family(active->family);
  const ProjectionKind* kind = nullptr;
  for (const ProjectionKind& candidate : kinds) {
    if (candidate.name == name && candidate.version == active->version) kind = &candidate;
  }
  if (handle == nullptr || kind == nullptr) return verdict;
  verdict.stored = true;
  const ViewFamily family(log.store().db(), handle);
  CRM_ASSIGN_OR_RETURN(verdict.checkpoint_seq, family.ReadCheckpoint());
  std::unique_ptr<projections::Projection> fresh = kind->make();
  auto cursor = log::ScanAhead(log, 1, verdict.checkpoint_seq);
  for (; cursor->Valid(); cursor->Next()) fresh->Apply(cursor->event());
  CRM_RETURN_IF_ERROR(cursor->status());
  CRM_ASSIGN_OR_RETURN(verdict.difference, family.CompareRows(*fresh));
  return verdict;
}

Result<std::vector<ViewVerdict>> CheckViews(log::EventLog& log) {
  std::vector<ProjectionKind> kinds = projections::AllProjections();
  std::vector<ViewVerdict> verdicts;
  Result<std::unique_ptr<ProjectionHost>> host = ProjectionHost::Open(log, kinds);
  if (host.ok()) {
    for (const std::string& name : (*host)->Names()) {
      CRM_ASSIGN_OR_RETURN(const projections::store::StoredViewCheck check, (*host)->CheckStored(name));
      verdicts.push_back(ViewVerdict{.name = name,
                                     .stored = check.stored,
                                     .checkpoint_seq = check.checkpoint_seq,
                                     .difference = check.difference});
    }
    return verdicts;
  }
  if (host.status().code() != StatusCode::kCorruption) return host.status();
  CRM_ASSIGN_OR_RETURN(const ProjectionCatalog catalog, ProjectionCatalog::Open(log.store()));
  std::vector<std::string> names;
  for (const ProjectionKind& kind : kinds) {
    if (names.empty() || names.back() != kind.name) names.push_back(kind.name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const std::string& name : names) {
    CRM_ASSIGN_OR_RETURN(ViewVerdict verdict, CheckWithoutHost(log, catalog, kinds, name));
    verdicts.push_back(std::move(verdict));
  }
  return verdicts;
}

}  // namespace

bool CheckReport::ok() const {
  if (!chain.ok) return false;
  for (const ViewVerdict& view : views) {
    if (view.difference.has_value()) return false;
  }
  return true;
}

Result<CheckReport> RunChecks(log::EventLog& log, const CheckOptions& options) {
  CheckReport report;
  log::VerifyOptions verify_options;
  verify_options.check_stream_index = options.check_stream_index;
  verify_options.progress = options.progress;
  CRM_ASSIGN_OR_RETURN(report.chain, log.VerifyChain(verify_options));
  report.stream_index_checked = options.check_stream_index;
  report.head_seq = log.HeadSeq();
  if (report.chain.ok && report.head_seq > 0) {
    CRM_ASSIGN_OR_RETURN(const events::RecordedEvent last, log.Read(report.head_seq));
    report.head_hash = last.hash;
  }
  if (options.check_views && report.chain.ok) {
    CRM_ASSIGN_OR_RETURN(report.views, CheckViews(log));
    report.views_checked = true;
  }
  return report;
}

void PrintCheckReport(const CheckReport& report, std::ostream& out) {
  if (report.chain.ok) {
    out << "chain: ok, " << report.chain.events_checked << " events, hash chain intact"
        << (report.stream_index_checked ? ", stream index consistent\n" : "\n");
    if (report.head_hash.has_value()) {
      out << "head: seq " << report.head_seq << ", sha256 " << log::ToHex(*report.head_hash) << "\n";
    }
  } else {
    out << "chain: FAILED at seq " << report.chain.first_bad_seq << ": " << report.chain.problem << " ("
        << report.chain.events_checked << " events before it are sound)\n";
  }
  std::string first_view_failure;
  for (const ViewVerdict& view : report.views) {
    out << "view " << view.name << ": ";
    if (!view.stored) {
      out << "not stored (no rows to compare)\n";
    } else if (!view.difference.has_value()) {
      out << "ok (compared up to seq " << view.checkpoint_seq << ")\n";
    } else {
      const std::string finding = "row key " + PrintableKey(view.difference->row_key) + ": " +
                                  view.difference->problem + " (compared up to seq " +
                                  std::to_string(view.checkpoint_seq) + ")";
      out << "FAILED at " << finding << "\n";
      if (first_view_failure.empty()) first_view_failure = "view " + view.name + " differs at " + finding;
    }
  }
  if (!report.chain.ok) {
    out << "FAILED: the first bad event is seq " << report.chain.first_bad_seq << "\n";
  } else if (!first_view_failure.empty()) {
    out << "FAILED: " << first_view_failure << "\n";
  } else {
    out << "ok\n";
  }
}

std::string PrintableKey(std::string_view key) {
  std::string out = "\"";
  for (const char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    // Bytes of multi-byte UTF-8 (>= 0x80) pass: Chinese names are common in keys.
    if (byte < 0x20 || byte == 0x7f || c == '"' || c == '\\') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

}  // namespace crm::replay
