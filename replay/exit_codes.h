// The exit codes every crm-replay subcommand answers with, so that scripts can tell "the data
// is wrong" (1) from "the tool could not look at it" (2).
#pragma once

namespace crm::replay {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;  // the data is not what it should be, or not found
inline constexpr int kExitUsage = 2;        // bad arguments, or the data could not be opened/read

}  // namespace crm::replay
