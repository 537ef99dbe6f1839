#include "projections/all_projections.h"

#include "projections/analytics_view.h"
#include "projections/contracts_view.h"
#include "projections/customers_view.h"

namespace crm::projections {

std::vector<ProjectionKind> AllProjections() {
  return {CustomersView::Kind(), ContractsView::Kind(), AnalyticsView::Kind()};
}

}  // namespace crm::projections
