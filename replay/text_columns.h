// Plain-text tables for people (history, what-if): columns padded to a width with spaces.
#pragma once

#include <cstddef>
#include <string>

namespace crm::replay {

// `text` widened with spaces to `width` bytes; longer text is kept whole, never cut.
inline std::string Padded(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

}  // namespace crm::replay
