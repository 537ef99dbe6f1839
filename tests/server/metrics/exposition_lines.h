// Picks lines out of a rendered exposition, so a test can check a few series without caring
// about the rest of the page.
#pragma once

#include <string>
#include <vector>

namespace crm::metrics {

inline std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(begin, end - begin);
    if (line.starts_with(prefix)) lines.push_back(std::move(line));
    begin = end + 1;
  }
  return lines;
}

}  // namespace crm::metrics
