#include "replay/cli_args.h"

#include <algorithm>
#include <charconv>

#include "replay/exit_codes.h"

namespace crm::replay {
namespace {

constexpr std::size_t kUsageColumnChars = 28;  // where the help of an option starts

const OptionSpec* FindOption(const CommandSpec& spec, std::string_view name) {
  for (const OptionSpec& option : spec.options) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

Status Invalid(std::string message) {
  return Status::InvalidArgument("bad_arguments", std::move(message));
}

}  // namespace

std::string ParsedArgs::Get(std::string_view name, std::string_view fallback) const {
  const auto it = values.find(name);
  return it == values.end() ? std::string(fallback) : it->second;
}

OptionSpec DataDirOption() {
  return OptionSpec{.name = "--data",
                    .value_name = "DIR",
                    .default_text = "required",
                    .help = "the data directory (crm-server's --data)",
                    .required = true};
}

Result<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args) {
  ParsedArgs parsed;
  if (std::any_of(args.begin(), args.end(), [](const std::string& a) { return a == "--help" || a == "-h"; })) {
    parsed.help = true;
    return parsed;
  }
  bool only_positionals = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positionals || !arg.starts_with("-") || arg == "-") {
      parsed.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positionals = true;
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const OptionSpec* option = FindOption(spec, name);
    if (option == nullptr) return Invalid("unknown option '" + name + "'");
    if (parsed.Has(name)) return Invalid("option " + name + " given twice");
    if (option->value_name.empty()) {
      if (equals != std::string::npos) return Invalid("option " + name + " takes no value");
      parsed.values.emplace(name, "");
      continue;
    }
    if (equals != std::string::npos) {
      parsed.values.emplace(name, arg.substr(equals + 1));
    } else if (i + 1 < args.size()) {
      parsed.values.emplace(name, args[++i]);
    } else {
      return Invalid("option " + name + " needs a value (" + option->value_name + ")");
    }
    if (parsed.Get(name).empty()) return Invalid("option " + name + " needs a non-empty value");
  }
  for (const OptionSpec& option : spec.options) {
    if (option.required && !parsed.Has(option.name)) {
      return Invalid(option.name + " " + option.value_name + " is required");
    }
  }
  if (parsed.positionals.size() < spec.positionals.size()) {
    return Invalid("missing <" + spec.positionals[parsed.positionals.size()] + ">");
  }
  if (parsed.positionals.size() > spec.positionals.size()) {
    return Invalid("unexpected argument '" + parsed.positionals[spec.positionals.size()] + "'");
  }
  return parsed;
}

void PrintUsage(const CommandSpec& spec, std::ostream& out) {
  out << "usage: crm-replay " << spec.name;
  for (const std::string& positional : spec.positionals) out << " <" << positional << ">";
  for (const OptionSpec& option : spec.options) {
    const std::string shown = option.name + (option.value_name.empty() ? "" : " " + option.value_name);
    out << (option.required ? " " + shown : " [" + shown + "]");
  }
  out << "\n\n" << spec.description << "\noptions:\n";
  for (const OptionSpec& option : spec.options) {
    std::string left = "  " + option.name + (option.value_name.empty() ? "" : " " + option.value_name);
    left.resize(std::max(left.size() + 2, kUsageColumnChars), ' ');
    out << left << option.help << " (default: " << option.default_text << ")\n";
  }
  std::string help = "  --help, -h";
  help.resize(kUsageColumnChars, ' ');
  out << help << "print this help and exit 0\n"
      << "exit status: 0 success, 1 a check failed or nothing was found, 2 bad arguments or unreadable data\n";
}

std::optional<int> ParseOrExit(const CommandSpec& spec, const std::vector<std::string>& args, std::ostream& out,
                               std::ostream& err, ParsedArgs& parsed) {
  Result<ParsedArgs> result = ParseArgs(spec, args);
  if (!result.ok()) {
    return Fail(err, spec.name, result.status().message() + " (see crm-replay " + spec.name + " --help)", kExitUsage);
  }
  parsed = std::move(result).value();
  if (parsed.help) {
    PrintUsage(spec, out);
    return kExitOk;
  }
  return std::nullopt;
}

int Fail(std::ostream& err, std::string_view command, std::string_view message, int exit_code) {
  err << "crm-replay " << command << ": " << message << "\n";
  return exit_code;
}

Result<std::uint64_t> ParseCount(std::string_view text, std::string_view option) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Invalid(std::string(option) + " must be a whole number, not '" + std::string(text) + "'");
  }
  return value;
}

}  // namespace crm::replay
