// Time travel and verification: as-of views, from-zero folds, stored rows against a fresh fold.
#include <rocksdb/write_batch.h>

#include <algorithm>

#include "projections/store/projection_host.h"
#include "projections/store/projection_host_internal.h"
#include "projections/store/view_format.h"

namespace crm::projections::store {

using events::Seq;

Result<AsOfView> ProjectionHost::AsOf(std::string_view name, Seq seq) const {
  Slot* slot = Find(name);
  if (slot == nullptr) return Status::NotFound("unknown_projection", "no projection named '" + std::string(name) + "'");
  const Seq at = std::min(seq, log_->HeadSeq());
  std::unique_ptr<Projection> projection;
  std::uint32_t version = 0;
  Seq snapshot_seq = 0;
  {
    const std::shared_lock lock(slot->mutex);
    if (slot->serving == nullptr) {
      return Status::Unavailable("projection_rebuilding",
                                 "view '" + std::string(name) + "' is being rebuilt; try again shortly");
    }
    version = slot->serving_kind->version;
    if (std::optional<AsOfView> kept = as_of_cache_.Find(name, version, at)) return *std::move(kept);
    projection = slot->serving_kind->make();
    if (slot->family != nullptr) {
      CRM_ASSIGN_OR_RETURN(const std::optional<Seq> snapshot,
                           ViewFamily(log_->store().db(), slot->family).LoadSnapshotAtOrBefore(at, *projection));
      snapshot_seq = snapshot.value_or(0);  // none: nothing was loaded, the fold starts at zero
    }
  }
  Seq applied = snapshot_seq;
  CRM_RETURN_IF_ERROR(FoldInMemory(*projection, applied, at));
  const AsOfView view{.projection = reaper_->Share(std::move(projection)), .seq = at, .snapshot_seq = snapshot_seq};
  as_of_cache_.Add(name, version, view);
  return view;
}

Result<std::unique_ptr<Projection>> ProjectionHost::FoldFromZero(std::string_view name, Seq seq) const {
  Slot* slot = Find(name);
  if (slot == nullptr) return Status::NotFound("unknown_projection", "no projection named '" + std::string(name) + "'");
  std::unique_ptr<Projection> projection = slot->target().make();
  Seq applied = 0;
  CRM_RETURN_IF_ERROR(FoldInMemory(*projection, applied, std::min(seq, log_->HeadSeq())));
  return projection;
}

Result<StoredViewCheck> ProjectionHost::CheckStored(std::string_view name) const {
  Slot* slot = Find(name);
  if (slot == nullptr) return Status::NotFound("unknown_projection", "no projection named '" + std::string(name) + "'");
  StoredViewCheck check;
  CRM_ASSIGN_OR_RETURN(const std::optional<CatalogEntry> active, catalog_->Active(name));
  rocksdb::ColumnFamilyHandle* handle = active.has_value() ? log_->store().Family(active->family) : nullptr;
  const ProjectionKind* kind = active.has_value() ? slot->KindOf(active->version) : nullptr;
  if (handle == nullptr || kind == nullptr) return check;
  check.stored = true;
  const ViewFamily family(log_->store().db(), handle);
  CRM_ASSIGN_OR_RETURN(check.checkpoint_seq, family.ReadCheckpoint());
  std::unique_ptr<Projection> fresh = kind->make();
  Seq applied = 0;
  CRM_RETURN_IF_ERROR(FoldInMemory(*fresh, applied, check.checkpoint_seq));
  CRM_ASSIGN_OR_RETURN(check.difference, family.CompareRows(*fresh));
  return check;
}

}  // namespace crm::projections::store
