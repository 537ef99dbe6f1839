// RowMapSink: a view's rows collected in key order, for comparing two states of a view
// (crm-replay verify, the as-of and round-trip tests). Also remembers the keys put, in call
// order, so a test can see what a flush wrote.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "projections/projection.h"

namespace crm::projections {

class RowMapSink final : public RowSink {
 public:
  void Put(std::string_view key, std::string_view value) override {
    rows[std::string(key)] = std::string(value);
    put_keys.emplace_back(key);
  }
  void Delete(std::string_view key) override { rows.erase(std::string(key)); }

  std::map<std::string, std::string> rows;
  std::vector<std::string> put_keys;  // in call order, repeats kept
};

// Every row of `projection`, by key.
inline std::map<std::string, std::string> RowsOf(const Projection& projection) {
  RowMapSink sink;
  projection.WriteRows(sink);
  return std::move(sink.rows);
}

}  // namespace crm::projections
