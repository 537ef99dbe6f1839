// The demo's stories: what happens to each customer, and to the salesperson who leaves.
//
// Each customer is dealt a fate from a deck with fixed shares (so that even the smallest demo
// has every stage and every pool reason at now), and its story is planned backwards from what
// must be true at now: an intention customer at now was promoted less than 15 days ago, a
// review time-out happened more than 3 working days after its registration, and so on.
#pragma once

#include <vector>

#include "server/demo/demo_planner.h"

namespace crm::demo {

// Every step of the demo after the users and the policy, unsorted. The steps refer to
// `customers`, which must outlive them.
Result<std::vector<DemoStep>> PlanDemo(const std::vector<DemoCustomerProfile>& customers, const DemoTimeline& timeline,
                                       const DemoClock& clock, DemoRandom& random);

}  // namespace crm::demo
