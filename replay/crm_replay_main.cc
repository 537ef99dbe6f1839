// crm-replay: the tool compliance reviewers and engineers run against a data directory
// (docs/replay.md). main() only hands the arguments to the subcommands (commands.h).
#include <iostream>
#include <string>
#include <vector>

#include "replay/commands.h"

int main(int argc, char** argv) {
  return crm::replay::RunCrmReplay(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
