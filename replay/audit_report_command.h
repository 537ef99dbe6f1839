// `crm-replay audit-report [--from T] [--to T]`: who did what in a window of the log, every
// release to the pool, reassignment, handover, policy change and user change; Markdown or JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "replay/exit_codes.h"

namespace crm::replay {

// Exit 0 with the report (an empty window is a report too); 2 on bad arguments or a directory
// that cannot be read.
int RunAuditReport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
