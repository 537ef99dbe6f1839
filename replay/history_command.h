// `crm-replay history <customerId>`: the ordered events of one customer (its stream and its
// contracts' streams) with recorded and effective time, actor, what changed, and the policy
// values in force at each event. A table for people; `--json`, one object per line.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "replay/exit_codes.h"

namespace crm::replay {

// Exit 0 with the history; 1 when there is no such customer; 2 on bad arguments or a directory
// that cannot be read.
int RunHistory(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
