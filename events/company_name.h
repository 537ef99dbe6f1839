// The normal form of a company name, on which duplicates are found and names are searched
// (domain rule 1): Unicode NFKC with case folding (so full-width "ＡＢＣ" and "abc" match),
// then every whitespace character removed (Chinese names have no meaningful spaces).
//
// Shared by aggregates (uniqueness) and projections (search), so both agree by construction.
#pragma once

#include <string>
#include <string_view>

#include "events/status.h"

namespace crm::events {

// kInvalidArgument/invalid_utf8 when `name` is not well-formed UTF-8. Thread-safe.
Result<std::string> NormalizeCompanyName(std::string_view name);

}  // namespace crm::events
