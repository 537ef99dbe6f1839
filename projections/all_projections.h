// Every stored projection of the product, as the server and crm-replay host them. Adding a view
// here is all it takes for both to build, store, catch up, snapshot and verify it.
#pragma once

#include <vector>

#include "projections/projection.h"

namespace crm::projections {

std::vector<ProjectionKind> AllProjections();

}  // namespace crm::projections
