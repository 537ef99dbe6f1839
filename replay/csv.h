// CSV as RFC 4180 writes it: fields separated by commas, a field quoted when it holds a comma,
// a quote, CR or LF, quotes inside doubled. Lines end with LF (Unix tools count them; every
// spreadsheet reads them).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace crm::replay {

std::string CsvField(std::string_view value);

// One record: the fields, comma-separated, then "\n".
void WriteCsvRow(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace crm::replay
