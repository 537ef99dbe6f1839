// `peers_driver mix`: the workload's full mix of commands (benchmarks/workload: registrations,
// protections, reviews, follow-ups, requests and decisions, reassignments, contracts, payments,
// abandons and the sweeper's expiries), the same decided events persisted by every system.
#pragma once

#include "peers/driver_support.h"

namespace crm::bench::peers {

// Runs flags.system ∈ {ours, sqlite, postgres} and prints one PEER_RESULT line; dies on errors.
int RunMix(const Flags& flags);

}  // namespace crm::bench::peers
