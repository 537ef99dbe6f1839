// Request bodies as crm-server reads them: strict JSON (RFC 8259), UTF-8 only, one object at
// the top, no key twice, nesting bounded. Everything a client can get wrong about the *shape*
// of a body is refused here with kInvalidArgument (HTTP 400) and a stable reason, before any
// command is built; what the values mean is the deciders' business (aggregates/).
//
// Reasons: invalid_utf8 (details.offset: the first bad byte), invalid_json (details.offset,
// details.detail: the parser's words), too_deep (details.maxDepth), not_an_object (also for an
// empty body), duplicate_field (details.field).
//
// Nothing here throws: the parser runs in SAX mode and reports its errors as values, and the
// one place an exception could still surface (nlohmann's own) is caught at this edge.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "events/status.h"

namespace crm::server::api {

// A request body as parsed. A std::map underneath (not ordered_json): lookups and the
// duplicate check stay O(log n) however many keys a hostile body carries.
using Json = nlohmann::json;

// The deepest nesting of objects and arrays a body may have: `{}` is depth 1, `{"a":[1]}`
// depth 2. Our deepest body (a contract: object > lines > line) is 3; 32 leaves room for what
// clients add without letting a body make any recursive walk (dump, destruction) deep.
inline constexpr std::size_t kJsonDepthMax = 32;

struct JsonBodyOptions {
  // Deeper bodies are refused with too_deep as soon as the parser reaches depth_max + 1, without
  // reading further. Default: kJsonDepthMax. REQUIRES: >= 1.
  std::size_t depth_max = kJsonDepthMax;
};

// Parses a request body that must be one JSON object. Linear in the body's size; never
// recurses on the body's nesting, and never builds a value deeper than depth_max (destroying a
// nlohmann value recurses, so a deep one must never exist).
Result<Json> ParseJsonBody(std::string_view body, const JsonBodyOptions& options = {});

}  // namespace crm::server::api
