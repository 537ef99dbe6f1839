// JSON written straight into a string, for the answers read most often (a page of the pool),
// where building a document and printing it cost more than the view itself. The output is
// byte for byte what nlohmann's dump() prints for the same values (compact, UTF-8 as is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crm::projections::json {

// `text` as a JSON string literal, quotes included. Malformed UTF-8 is replaced by U+FFFD as
// the server's dump() does.
void AppendJsonString(std::string& out, std::string_view text);
void AppendJsonNumber(std::string& out, std::uint64_t value);

}  // namespace crm::projections::json
