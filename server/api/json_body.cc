#include "server/api/json_body.h"

#include <string>
#include <utility>
#include <vector>

#include "events/utf8.h"

namespace crm::server::api {
namespace {

// Builds the value from nlohmann's SAX events, refusing too deep a nesting and a repeated key
// the moment they appear, so that neither a deep value nor a silently overwritten field ever
// exists. Every callback returns false to stop the parse; `problem_` says why.
class StrictBuilder {
 public:
  explicit StrictBuilder(std::size_t depth_max) : depth_max_(depth_max) {}

  bool null() { return Put(Json(nullptr)); }
  bool boolean(bool value) { return Put(Json(value)); }
  bool number_integer(Json::number_integer_t value) { return Put(Json(value)); }
  bool number_unsigned(Json::number_unsigned_t value) { return Put(Json(value)); }
  bool number_float(Json::number_float_t value, const Json::string_t& /*text*/) { return Put(Json(value)); }
  bool string(Json::string_t& value) { return Put(Json(std::move(value))); }
  bool binary(Json::binary_t& /*value*/) {
    // JSON text has no binary values; only the binary formats produce this event.
    problem_ = Status::InvalidArgument("invalid_json", "the request body is not valid JSON");
    return false;
  }

  bool start_object(std::size_t /*elements*/) { return Open(Json::object()); }
  bool start_array(std::size_t /*elements*/) { return Open(Json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(Json::string_t& name) {
    // REQUIRES (the parser's grammar): the innermost open container is an object.
    Json& object = *open_.back();
    if (object.contains(name)) {
      problem_ = Status::InvalidArgument("duplicate_field", "\"" + name + "\" appears twice in the request",
                                         {{"field", name}});
      return false;
    }
    key_ = std::move(name);
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/, const nlohmann::detail::exception& ex) {
    std::string detail = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, ..." -> "parse error at line 1, ..."
    if (const std::size_t end = detail.find("] "); detail.starts_with("[json.exception") && end != std::string::npos) {
      detail.erase(0, end + 2);
    }
    // nlohmann counts the position from 1 (one past the byte that failed); we report offsets.
    const std::size_t offset = position == 0 ? 0 : position - 1;
    problem_ = Status::InvalidArgument("invalid_json", "the request body is not valid JSON",
                                       {{"offset", std::to_string(offset)}, {"detail", std::move(detail)}});
    return false;
  }

  Status problem() const { return problem_; }
  Json TakeRoot() { return std::move(root_); }

 private:
  // Stores a finished value where the grammar says it goes: the root, the open array's end or
  // the open object's pending key. Returns where it went.
  Json* Place(Json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& container = *open_.back();
    if (container.is_array()) {
      container.push_back(std::move(value));
      return &container.back();
    }
    return &(container[std::move(key_)] = std::move(value));
  }

  bool Put(Json value) {
    Place(std::move(value));
    return true;
  }

  bool Open(Json empty_container) {
    if (open_.size() + 1 > depth_max_) {
      problem_ = Status::InvalidArgument(
          "too_deep", "the request nests objects and arrays more than " + std::to_string(depth_max_) + " levels deep",
          {{"maxDepth", std::to_string(depth_max_)}});
      return false;
    }
    // The pointer stays valid while the container is open: a map node never moves, and its
    // parent array only grows once this child is closed.
    open_.push_back(Place(std::move(empty_container)));
    return true;
  }

  bool Close() {
    open_.pop_back();
    return true;
  }

  const std::size_t depth_max_;
  Json root_;
  std::vector<Json*> open_;  // borrowed from root_: the containers not yet closed, outermost first
  std::string key_;          // the key of the object value that comes next
  Status problem_;
};

bool IsJsonWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

Result<Json> ParseJsonBody(std::string_view body, const JsonBodyOptions& options) {
  // Checked over the whole body first, so that a bad byte is named as such wherever it is, and
  // the parser only ever sees UTF-8.
  if (const std::size_t bad = events::FirstInvalidUtf8Offset(body); bad != std::string_view::npos) {
    return Status::InvalidArgument("invalid_utf8", "the request body is not valid UTF-8 text",
                                   {{"offset", std::to_string(bad)}});
  }
  bool blank = true;
  for (char c : body) blank = blank && IsJsonWhitespace(c);
  if (blank) {
    return Status::InvalidArgument("not_an_object", "the request needs a JSON object as its body; send {} if empty");
  }

  StrictBuilder builder(options.depth_max < 1 ? 1 : options.depth_max);
  bool parsed = false;
  try {
    parsed = Json::sax_parse(body.begin(), body.end(), &builder, Json::input_format_t::json, /*strict=*/true,
                             /*ignore_comments=*/false);
  } catch (const nlohmann::json::exception& e) {
    // SAX mode reports errors through parse_error(); this is the belt to that pair of braces.
    return Status::InvalidArgument("invalid_json", "the request body is not valid JSON", {{"detail", e.what()}});
  }
  if (!parsed) {
    Status problem = builder.problem();
    if (problem.ok()) problem = Status::InvalidArgument("invalid_json", "the request body is not valid JSON");
    return problem;
  }
  Json root = builder.TakeRoot();
  if (!root.is_object()) {
    return Status::InvalidArgument("not_an_object", "the request body must be a JSON object ({...})",
                                   {{"got", root.type_name()}});
  }
  return root;
}

}  // namespace crm::server::api
