// `crm-replay verify`: walks the hash chain and the stream index of a data directory.
// (Issue 4 extends it to re-derive and compare every projection.)
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace crm::replay {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;  // the data is not what it should be
inline constexpr int kExitUsage = 2;        // bad arguments, or the data could not be opened

// `args` are the arguments after "verify". Writes the verdict to `out`, progress and errors to
// `err`.
int RunVerify(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
