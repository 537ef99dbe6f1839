// Well-formed UTF-8 per Unicode 15 table 3-7 (no overlong forms, no surrogates, nothing above
// U+10FFFF), the one definition that field checks and request bodies share.
#pragma once

#include <cstddef>
#include <string_view>

namespace crm::events {

// The offset of the first byte that does not begin a well-formed sequence; npos when `text` is
// all well-formed UTF-8.
std::size_t FirstInvalidUtf8Offset(std::string_view text);

inline bool IsWellFormedUtf8(std::string_view text) {
  return FirstInvalidUtf8Offset(text) == std::string_view::npos;
}

}  // namespace crm::events
