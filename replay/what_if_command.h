// `crm-replay what-if --policy file.json [--from T] [--to T] [--json]`: replays every hold
// under other rule values (hold_replay.h) and lists the holds whose fate would differ, with
// totals. What it cannot know is in hold_replay.h and docs/replay.md.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "replay/exit_codes.h"

namespace crm::replay {

// Exit 0 with the comparison (also when nothing differs); 2 on bad arguments, a policy file
// that cannot be read or has an unknown field or a wrong type, or a directory that cannot be
// read.
int RunWhatIf(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
