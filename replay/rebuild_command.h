// `crm-replay rebuild [--projection NAME]`: rebuilds stored views from zero, blue/green
// (projections/store/projection_host.h), with progress on stderr and a summary on stdout.
// Opens the directory read-write: refused while a server holds it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "replay/exit_codes.h"

namespace crm::replay {

// Exit 0 when every asked view was rebuilt and switched in; 2 on bad arguments (an unknown
// projection, listing the known ones), a directory in use or one that cannot be read.
int RunRebuild(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
