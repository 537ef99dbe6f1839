#include "aggregates/field_checks.h"

#include <algorithm>
#include <string>

namespace crm::aggregates {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), IsDigit);
}

// Well-formed UTF-8 per Unicode 15 table 3-7: no overlong forms, no surrogates, nothing above
// U+10FFFF. Hand-written because it is the definition itself, not a table of characters.
bool IsWellFormedUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (i + length > s.size()) return false;
    if (byte(i + 1) < low || byte(i + 1) > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

}  // namespace

Status CheckOptionalText(std::string_view field, std::string_view value, std::size_t bytes_max) {
  const StatusDetails details{{"field", std::string(field)}};
  if (value.size() > bytes_max) {
    return Status::InvalidArgument("text_too_long",
                                   std::string(field) + " is longer than " + std::to_string(bytes_max) + " bytes",
                                   {{"field", std::string(field)}, {"maxBytes", std::to_string(bytes_max)}});
  }
  if (!IsWellFormedUtf8(value)) {
    return Status::InvalidArgument("invalid_utf8", std::string(field) + " is not valid UTF-8", details);
  }
  return Status::Ok();
}

Status CheckRequiredText(std::string_view field, std::string_view value, std::size_t bytes_max) {
  if (IsBlank(value)) {
    return Status::InvalidArgument("missing_field", std::string(field) + " is required",
                                   {{"field", std::string(field)}});
  }
  return CheckOptionalText(field, value, bytes_max);
}

Status CheckIdentifier(std::string_view field, std::string_view value) {
  const bool ok = !value.empty() && value.size() <= kIdBytesMax && std::all_of(value.begin(), value.end(), [](char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-' ||
           c == '/';
  });
  if (ok) return Status::Ok();
  return Status::InvalidArgument("invalid_" + std::string(field),
                                 std::string(field) + " must be 1 to " + std::to_string(kIdBytesMax) +
                                     " characters of letters, digits, '.', '_', '-' or '/'",
                                 {{"field", std::string(field)}});
}

bool IsMobileNumber(std::string_view value) {
  return value.size() == 11 && value[0] == '1' && AllDigits(value);
}

bool IsLandlineNumber(std::string_view value) {
  // Area code: '0' and 2 or 3 more digits (010, 0523). Then 7 or 8 digits, then an optional
  // extension. A separator between the parts is optional; without one the split is ambiguous,
  // so any split that works is accepted.
  std::string_view rest = value;
  if (const std::size_t dash = rest.find('-', 0); dash != std::string_view::npos) {
    const std::string_view area = rest.substr(0, dash);
    if (area.size() < 3 || area.size() > 4 || area[0] != '0' || !AllDigits(area)) return false;
    rest = rest.substr(dash + 1);
    std::string_view number = rest;
    if (const std::size_t ext = rest.find('-'); ext != std::string_view::npos) {
      const std::string_view extension = rest.substr(ext + 1);
      if (extension.empty() || extension.size() > 6 || !AllDigits(extension)) return false;
      number = rest.substr(0, ext);
    }
    return (number.size() == 7 || number.size() == 8) && AllDigits(number) && number[0] != '0';
  }
  if (!AllDigits(value) || value.empty() || value[0] != '0') return false;
  return value.size() >= 3 + 7 && value.size() <= 4 + 8;
}

bool IsPostcode(std::string_view value) {
  return value.size() == 6 && AllDigits(value);
}

bool IsEmailAddress(std::string_view value) {
  if (value.size() > 254) return false;
  const std::size_t at = value.find('@');
  if (at == std::string_view::npos || at == 0 || value.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view domain = value.substr(at + 1);
  const std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  if (domain.find("..") != std::string_view::npos) return false;
  return std::none_of(value.begin(), value.end(),
                      [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ';'; });
}

}  // namespace crm::aggregates
