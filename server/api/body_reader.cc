#include "server/api/body_reader.h"

#include <limits>
#include <utility>

#include "events/time_format.h"

namespace crm::server::api {
namespace {

constexpr std::string_view kTimeInWords = "a time like 2026-03-03T09:00:00Z";

// What a wrong_type message says a field must be, in plain words.
std::string_view ExpectedInWords(std::string_view expected) {
  if (expected == "string") return "text in quotes";
  if (expected == "integer") return "a whole number";
  if (expected == "boolean") return "true or false";
  if (expected == "object") return "an object {...}";
  if (expected == "array") return "a list [...]";
  return expected;
}

// nlohmann's names, with integers told apart from other numbers.
std::string_view TypeName(const Json& value) {
  if (value.is_number_integer()) return "integer";
  return value.type_name();
}

}  // namespace

BodyReader::BodyReader(const Json& object) : BodyReader(object, "", nullptr) {}

BodyReader::BodyReader(const Json& object, std::string prefix, BodyReader* root)
    : object_(object), prefix_(std::move(prefix)), root_(root == nullptr ? this : root) {
  if (!object_.is_object()) {
    // Only reachable through the public constructor: nested readers are made for objects.
    AddProblem(
        Status::InvalidArgument("wrong_type", "the request body must be a JSON object ({...})",
                                {{"field", ""}, {"expected", "object"}, {"got", std::string(TypeName(object_))}}));
  }
}

std::string BodyReader::PathOf(std::string_view name) const {
  return prefix_ + std::string(name);
}

void BodyReader::AddProblem(Status problem) {
  if (!problem.ok() && root_->first_problem_.ok()) root_->first_problem_ = std::move(problem);
}

const Json* BodyReader::Find(std::string_view name) {
  if (!object_.is_object()) return nullptr;
  read_.emplace(name);
  const auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool BodyReader::Present(const Json* value, std::string_view name) {
  if (value != nullptr) return true;
  const std::string path = PathOf(name);
  AddProblem(Status::InvalidArgument("missing_field", path + " is required", {{"field", path}}));
  return false;
}

void BodyReader::WrongType(std::string_view name, std::string_view expected, const Json& got,
                           std::string_view in_words) {
  const std::string path = PathOf(name);
  AddProblem(Status::InvalidArgument(
      "wrong_type", path + " must be " + std::string(in_words.empty() ? ExpectedInWords(expected) : in_words),
      {{"field", path}, {"expected", std::string(expected)}, {"got", std::string(TypeName(got))}}));
}

std::string BodyReader::CheckedText(std::string_view name, const Json& value, std::size_t bytes_max) {
  if (!value.is_string()) {
    WrongType(name, "string", value);
    return {};
  }
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() > bytes_max) {
    const std::string path = PathOf(name);
    // The deciders' code and words for the same problem (aggregates/field_checks.h).
    AddProblem(Status::InvalidArgument("text_too_long",
                                       path + " is longer than " + std::to_string(bytes_max) + " bytes",
                                       {{"field", path}, {"maxBytes", std::to_string(bytes_max)}}));
    return {};
  }
  return text;
}

std::optional<std::int64_t> BodyReader::CheckedInt64(std::string_view name, const Json& value) {
  if (value.is_number_integer()) {
    // nlohmann reads every integer without a '-' as unsigned, up to 2^64-1: compare before
    // casting, so that 2^63 is refused rather than wrapped to a negative number.
    if (value.is_number_unsigned()) {
      const auto u = value.get<Json::number_unsigned_t>();
      if (u <= static_cast<Json::number_unsigned_t>(std::numeric_limits<std::int64_t>::max())) {
        return static_cast<std::int64_t>(u);
      }
    } else {
      return value.get<std::int64_t>();
    }
  }
  WrongType(name, "integer", value);
  return std::nullopt;
}

std::optional<events::TimeMs> BodyReader::CheckedTime(std::string_view name, const Json& value) {
  if (!value.is_string()) {
    WrongType(name, "string", value, kTimeInWords);
    return std::nullopt;
  }
  Result<events::TimeMs> time = events::ParseRfc3339(value.get_ref<const std::string&>());
  if (!time.ok()) {
    const std::string path = PathOf(name);
    AddProblem(
        Status::InvalidArgument("invalid_time", path + " must be " + std::string(kTimeInWords), {{"field", path}}));
    return std::nullopt;
  }
  return *time;
}

std::vector<std::string> BodyReader::CheckedStringArray(std::string_view name, const Json& value,
                                                        std::size_t item_bytes_max) {
  if (!value.is_array()) {
    WrongType(name, "array", value);
    return {};
  }
  std::vector<std::string> items;
  items.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    items.push_back(CheckedText(std::string(name) + "[" + std::to_string(i) + "]", value[i], item_bytes_max));
  }
  return items;
}

std::string BodyReader::RequiredString(std::string_view name, std::size_t bytes_max) {
  const Json* value = Find(name);
  return Present(value, name) ? CheckedText(name, *value, bytes_max) : std::string();
}

std::string BodyReader::OptionalString(std::string_view name, std::size_t bytes_max) {
  const Json* value = Find(name);
  return value != nullptr ? CheckedText(name, *value, bytes_max) : std::string();
}

std::optional<std::string> BodyReader::GivenString(std::string_view name, std::size_t bytes_max) {
  const Json* value = Find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    WrongType(name, "string", *value);
    return std::nullopt;
  }
  return CheckedText(name, *value, bytes_max);
}

std::int64_t BodyReader::RequiredInt64(std::string_view name) {
  const Json* value = Find(name);
  if (!Present(value, name)) return 0;
  return CheckedInt64(name, *value).value_or(0);
}

std::optional<std::int64_t> BodyReader::OptionalInt64(std::string_view name) {
  const Json* value = Find(name);
  return value != nullptr ? CheckedInt64(name, *value) : std::nullopt;
}

std::optional<bool> BodyReader::CheckedBool(std::string_view name, const Json& value) {
  if (!value.is_boolean()) {
    WrongType(name, "boolean", value);
    return std::nullopt;
  }
  return value.get<bool>();
}

bool BodyReader::RequiredBool(std::string_view name) {
  const Json* value = Find(name);
  if (!Present(value, name)) return false;
  return CheckedBool(name, *value).value_or(false);
}

std::optional<bool> BodyReader::OptionalBool(std::string_view name) {
  const Json* value = Find(name);
  return value != nullptr ? CheckedBool(name, *value) : std::nullopt;
}

events::TimeMs BodyReader::RequiredTime(std::string_view name) {
  const Json* value = Find(name);
  if (!Present(value, name)) return 0;
  return CheckedTime(name, *value).value_or(0);
}

std::optional<events::TimeMs> BodyReader::OptionalTime(std::string_view name) {
  const Json* value = Find(name);
  return value != nullptr ? CheckedTime(name, *value) : std::nullopt;
}

std::vector<std::string> BodyReader::RequiredStringArray(std::string_view name, std::size_t item_bytes_max) {
  const Json* value = Find(name);
  return Present(value, name) ? CheckedStringArray(name, *value, item_bytes_max) : std::vector<std::string>();
}

std::optional<std::vector<std::string>> BodyReader::OptionalStringArray(std::string_view name,
                                                                        std::size_t item_bytes_max) {
  const Json* value = Find(name);
  if (value == nullptr) return std::nullopt;
  return CheckedStringArray(name, *value, item_bytes_max);
}

void BodyReader::RequiredObject(std::string_view name, const std::function<void(BodyReader&)>& read) {
  const Json* value = Find(name);
  if (!Present(value, name)) return;
  if (!value->is_object()) {
    WrongType(name, "object", *value);
    return;
  }
  BodyReader nested(*value, PathOf(name) + ".", root_);
  read(nested);
  nested.CheckNothingElse();
}

void BodyReader::RequiredObjectArray(std::string_view name,
                                     const std::function<void(BodyReader&, std::size_t)>& read_item) {
  const Json* value = Find(name);
  if (!Present(value, name)) return;
  if (!value->is_array()) {
    WrongType(name, "array", *value);
    return;
  }
  for (std::size_t i = 0; i < value->size(); ++i) {
    const std::string item_name = std::string(name) + "[" + std::to_string(i) + "]";
    const Json& item = (*value)[i];
    if (!item.is_object()) {
      WrongType(item_name, "object", item);
      continue;
    }
    BodyReader nested(item, PathOf(item_name) + ".", root_);
    read_item(nested, i);
    nested.CheckNothingElse();
  }
}

void BodyReader::CheckNothingElse() {
  if (!object_.is_object() || !root_->first_unknown_.ok()) return;
  for (const auto& [key, value] : object_.items()) {
    if (read_.contains(key)) continue;
    const std::string path = PathOf(key);
    root_->first_unknown_ = Status::InvalidArgument(
        "unknown_field", "\"" + path + "\" is not something this request takes; check the spelling", {{"field", path}});
    return;
  }
}

Status BodyReader::Finish() {
  CheckNothingElse();
  if (!first_unknown_.ok()) return first_unknown_;
  return first_problem_;
}

}  // namespace crm::server::api
