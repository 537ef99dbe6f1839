// `crm-replay verify`: the hash chain, the stream index, and every stored view against a fresh
// fold (checks.h). Read-only, safe beside a running server.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "replay/exit_codes.h"

namespace crm::replay {

// `args` are the arguments after "verify". Writes the verdict to `out`, progress and errors to
// `err`. Exit 0 when every check holds, 1 naming the first bad seq or the first differing row
// key, 2 on bad arguments or a directory that cannot be read.
int RunVerify(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
