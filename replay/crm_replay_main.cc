// crm-replay: the tool compliance reviewers and engineers run against a data directory.
#include <iostream>
#include <string>
#include <vector>

#include "replay/verify_command.h"

namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: crm-replay <command> --data DIR [options]\n"
         "commands:\n"
         "  verify     walk the hash chain and the stream index; name the first bad seq\n"
         "Run `crm-replay <command> --help` for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? crm::replay::kExitUsage : crm::replay::kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "verify") return crm::replay::RunVerify(rest, std::cout, std::cerr);
  std::cerr << "crm-replay: unknown command '" << args[0] << "'\n";
  PrintUsage(std::cerr);
  return crm::replay::kExitUsage;
}
