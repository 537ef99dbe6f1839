// crm-replay's subcommands, and the whole program as a function so that tests can run it.
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "replay/exit_codes.h"

namespace crm::replay {

using RunFn = int (*)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

struct Subcommand {
  std::string_view name;
  std::string_view synopsis;  // after the name, for the overview
  std::string_view summary;   // one line
  RunFn run;
};

std::span<const Subcommand> Subcommands();

// `args` without the program name: "<command> [args...]". Exit codes: exit_codes.h.
int RunCrmReplay(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crm::replay
