// Argument parsing and --help for crm-replay's subcommands. Each subcommand describes itself in
// a CommandSpec; the same spec parses its arguments and prints its usage, so the help can never
// leave out an option or misstate a default.
//
// Accepted forms: `--name VALUE`, `--name=VALUE`, `--flag`, positionals in order, and `--`
// after which everything is positional. `-h` is `--help`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "events/status.h"

namespace crm::replay {

struct OptionSpec {
  std::string name;          // with the dashes: "--data"
  std::string value_name;    // "DIR"; empty for a flag that takes no value
  std::string default_text;  // what --help prints as the default: "required", "off", "jsonl"
  std::string help;          // one line
  bool required = false;     // parsing fails without it
};

struct CommandSpec {
  std::string name;                      // "history"
  std::vector<std::string> positionals;  // names of the required positionals, in order
  std::string description;               // free text under the synopsis, lines end with \n
  std::vector<OptionSpec> options;       // --help is implied
};

struct ParsedArgs {
  bool help = false;
  std::vector<std::string> positionals;
  std::map<std::string, std::string, std::less<>> values;  // option name -> value ("" for flags)

  bool Has(std::string_view name) const { return values.find(name) != values.end(); }
  // The option's value, or `fallback` when it was not given.
  std::string Get(std::string_view name, std::string_view fallback = {}) const;
};

// The option every subcommand takes: the data directory.
OptionSpec DataDirOption();

// kInvalidArgument with a one-line message on an unknown option, a missing value or required
// option, a repeated option, or the wrong number of positionals. `--help` anywhere wins.
Result<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args);

void PrintUsage(const CommandSpec& spec, std::ostream& out);

// Parses for a Run* entry point. Returns the exit code to leave with when there is nothing more
// to do: kExitOk after printing --help to `out`, kExitUsage after one line on `err`. nullopt:
// `parsed` is filled, go on.
std::optional<int> ParseOrExit(const CommandSpec& spec, const std::vector<std::string>& args, std::ostream& out,
                               std::ostream& err, ParsedArgs& parsed);

// Prints "crm-replay <command>: <message>" on `err` and returns `exit_code`.
int Fail(std::ostream& err, std::string_view command, std::string_view message, int exit_code);

// A decimal number in [0, 2^64): for --from-seq and the like.
Result<std::uint64_t> ParseCount(std::string_view text, std::string_view option);

}  // namespace crm::replay
