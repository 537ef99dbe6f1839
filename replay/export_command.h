// `crm-replay export --format jsonl|csv [--from-seq N] [--to-seq N]`: the log's events, for
// other systems and spreadsheets. (Views are exported by a later `--view NAME`; the record
// writers below are shared with it.)
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "replay/exit_codes.h"

namespace crm::replay {

// Exit 0 with every event in the range on `out`; 2 on bad arguments or a directory that cannot
// be read (events already written stay written: check the exit status).
int RunExport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
