#include "projections/projection.h"

namespace crm::projections {

Status Projection::LoadSnapshot(std::shared_ptr<const SnapshotRows> rows) {
  for (const SnapshotRows::Row& row : rows->rows()) CRM_RETURN_IF_ERROR(LoadRow(row.key, row.value));
  return FinishLoad();
}

}  // namespace crm::projections
