// Typed reads of the fields of a request body, with every problem a client can make in the
// body's shape turned into one kInvalidArgument Status (HTTP 400):
//
//   unknown_field  a field this request does not take (details.field; usually a misspelling,
//                  so it is reported before anything else it may have caused);
//   missing_field  a required field is absent or null (details.field);
//   wrong_type     a field holds the wrong kind of value (details.field, details.expected:
//                  "string", "integer", "boolean", "object", "array"; details.got);
//   text_too_long  a text is longer than the read allows (details.field, details.maxBytes);
//   invalid_time   a time is not RFC 3339 (details.field).
//
// Nested fields are named by path: "buyer.name", "lines[2].quantity".
//
//   BodyReader reader(body);
//   command.name = reader.RequiredString("name", aggregates::kShortTextBytesMax);
//   command.website = reader.OptionalString("website", aggregates::kShortTextBytesMax);
//   CRM_RETURN_IF_ERROR(reader.Finish());
//
// A read that fails returns a default value and remembers the problem; Finish() answers the
// first one. Only the shape is checked: blank texts, formats (mobiles, dates of holidays) and
// ranges (days, quantities) are the deciders', who answer them with their own codes.
//
// Not thread-safe; the body is borrowed and must outlive the reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "events/domain_values.h"
#include "events/status.h"
#include "server/api/json_body.h"

namespace crm::server::api {

class BodyReader {
 public:
  // `object` should be a JSON object (ParseJsonBody guarantees it); anything else is reported
  // as wrong_type by Finish().
  explicit BodyReader(const Json& object);

  BodyReader(const BodyReader&) = delete;
  BodyReader& operator=(const BodyReader&) = delete;

  // Texts: a JSON string of at most `bytes_max` bytes. Optional ones are "" when absent or null.
  std::string RequiredString(std::string_view name, std::size_t bytes_max);
  std::string OptionalString(std::string_view name, std::size_t bytes_max);
  // The same, telling "not given" (absent or null: nullopt) from "" (for merges, like the policy).
  std::optional<std::string> GivenString(std::string_view name, std::size_t bytes_max);

  // Whole numbers that fit in 64 signed bits; 1.5, 1e3 and "12" are wrong_type.
  std::int64_t RequiredInt64(std::string_view name);
  std::optional<std::int64_t> OptionalInt64(std::string_view name);

  bool RequiredBool(std::string_view name);
  std::optional<bool> OptionalBool(std::string_view name);

  // RFC 3339 strings (events::ParseRfc3339): "2026-03-03T09:00:00Z".
  events::TimeMs RequiredTime(std::string_view name);
  std::optional<events::TimeMs> OptionalTime(std::string_view name);

  // An array of texts, each of at most `item_bytes_max` bytes. The optional one is nullopt when
  // absent or null (so that "not given" and "[]" differ).
  std::vector<std::string> RequiredStringArray(std::string_view name, std::size_t item_bytes_max);
  std::optional<std::vector<std::string>> OptionalStringArray(std::string_view name, std::size_t item_bytes_max);

  // A nested object, read by `read` with a reader whose problems are this one's (named
  // "name.field") and whose unknown fields are checked when `read` returns. `read` is not called
  // when the field is missing or not an object.
  void RequiredObject(std::string_view name, const std::function<void(BodyReader&)>& read);

  // An array of objects: `read_item(item_reader, index)` once per element, in order.
  void RequiredObjectArray(std::string_view name, const std::function<void(BodyReader&, std::size_t)>& read_item);

  // Records a problem found by the caller (a value of the right type that still cannot be
  // used, like an unknown role), keeping the first one.
  void AddProblem(Status problem);

  // The field path of `name` in this reader: "buyer.name".
  std::string PathOf(std::string_view name) const;

  // Ok when every read succeeded and the object holds no field that was not read; else the
  // first unknown field, else the first other problem. Call once, after every read.
  Status Finish();

 private:
  BodyReader(const Json& object, std::string prefix, BodyReader* root);

  // The value of `name`, marking it read; nullptr when absent or null.
  const Json* Find(std::string_view name);
  // Records missing_field when `value` is nullptr; returns whether it is there.
  bool Present(const Json* value, std::string_view name);
  // `in_words` replaces the plain words for `expected` in the message when not empty.
  void WrongType(std::string_view name, std::string_view expected, const Json& got, std::string_view in_words = {});
  std::string CheckedText(std::string_view name, const Json& value, std::size_t bytes_max);
  std::optional<std::int64_t> CheckedInt64(std::string_view name, const Json& value);
  std::optional<bool> CheckedBool(std::string_view name, const Json& value);
  std::optional<events::TimeMs> CheckedTime(std::string_view name, const Json& value);
  std::vector<std::string> CheckedStringArray(std::string_view name, const Json& value, std::size_t item_bytes_max);
  // Records unknown_field for the first field of this object that was not read.
  void CheckNothingElse();

  const Json& object_;
  const std::string prefix_;  // "" at the top, "buyer." or "lines[2]." below
  BodyReader* const root_;    // this at the top; problems are kept there
  std::set<std::string, std::less<>> read_;
  Status first_unknown_;  // root only
  Status first_problem_;  // root only
};

}  // namespace crm::server::api
