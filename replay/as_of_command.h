// `crm-replay as-of <time|seq:N> <view> [filters]`: any view as the system stood at a past time
// or log position, as JSON (the same JSON crm-server answers with).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace crm::replay {

int RunAsOf(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
