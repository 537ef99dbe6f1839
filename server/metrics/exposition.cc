#include "server/metrics/exposition.h"

#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace crm::metrics {
namespace {

bool IsLetterOrUnderscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Doubles hold every integer up to 2^53 exactly; beyond it "integral" says nothing useful.
constexpr double kExactIntegerMax = 9007199254740992.0;  // 2^53
// Where AppendValue switches between fixed and scientific notation (as Go's strconv 'g' does at
// the small end, so bucket bounds read like client_golang's).
constexpr double kFixedNotationMin = 1e-4;
constexpr double kFixedNotationMax = 1e21;

}  // namespace

bool IsValidMetricName(std::string_view name) {
  if (name.empty() || name.size() > kMetricNameBytesMax) return false;
  if (!IsLetterOrUnderscore(name[0]) && name[0] != ':') return false;
  for (char c : name) {
    if (!IsLetterOrUnderscore(c) && !IsDigit(c) && c != ':') return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || name.size() > kLabelNameBytesMax) return false;
  if (!IsLetterOrUnderscore(name[0]) || name.starts_with("__")) return false;
  for (char c : name) {
    if (!IsLetterOrUnderscore(c) && !IsDigit(c)) return false;
  }
  return true;
}

void AppendEscapedHelp(std::string& out, std::string_view help) {
  for (char c : help) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

void AppendEscapedLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

void AppendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  const double magnitude = std::fabs(value);
  if (magnitude < kExactIntegerMax && value == std::trunc(value)) {
    if (value < 0) out += '-';  // -0.0 is not below 0 and prints as "0"
    AppendValue(out, static_cast<std::uint64_t>(magnitude));
    return;
  }
  // Fixed notation of a double in [1e-4, 1e21) with at most 17 significant digits fits in 48
  // bytes; scientific needs at most 24.
  std::array<char, 64> buffer;
  const std::chars_format format = magnitude >= kFixedNotationMin && magnitude < kFixedNotationMax
                                       ? std::chars_format::fixed
                                       : std::chars_format::scientific;
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, format);
  if (error != std::errc{}) {
    out += "NaN";  // unreachable with the buffer above; a wrong number would be worse than NaN
    return;
  }
  out.append(buffer.data(), end);
}

void AppendValue(std::string& out, std::uint64_t value) {
  std::array<char, 24> buffer;  // 2^64 has 20 digits
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  (void)error;  // cannot fail: the buffer holds every uint64_t
  out.append(buffer.data(), end);
}

std::string FormatValue(double value) {
  std::string out;
  AppendValue(out, value);
  return out;
}

}  // namespace crm::metrics
