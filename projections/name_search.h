// Name search (domain rule 1, 撞单分析): any part of a company name finds every customer whose
// name contains it, so "春意" finds "靖江市春意空调有限公司". Chinese names have no spaces to
// split words on, so the index is over characters: every pair of adjacent characters (bigram)
// of the normalised name (events/company_name.h, the form uniqueness is checked on), plus every
// single character so that one-character queries work too.
//
// A query's bigrams select candidates (the intersection of their postings); each candidate is
// then confirmed by a substring test, because two bigrams can both occur in a name without
// being adjacent ("春意" and "意空" in "春意 ... 意空"). The keys are the same that the stored
// search view will keep in RocksDB (issue 4), so this class is its in-memory form.
//
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/status.h"

namespace crm::projections {

// The index terms of a normalised name or query: its single characters (code points) and its
// bigrams, without repeats, in first-seen order. "春意空" -> 春, 意, 空, 春意, 意空.
// REQUIRES: `normalized` is valid UTF-8 (normalised names always are).
std::vector<std::string> NameTerms(std::string_view normalized);

// The terms a query needs: its bigrams, or its single character when it has only one.
std::vector<std::string> QueryTerms(std::string_view normalized_query);

class NameIndex {
 public:
  // Results per query at most, so a one-character query on a big pool stays bounded.
  static constexpr std::size_t kResultsMax = 1000;

  // Indexes (or re-indexes) a customer under its normalised name.
  void Add(const std::string& customer_id, const std::string& normalized_name);

  // Customer ids, in id order, whose normalised name contains the normalised `query`; at most
  // `limit` (capped at kResultsMax). Normalises the query itself: errors are those of
  // events::NormalizeCompanyName; an empty query is kInvalidArgument/empty_query.
  Result<std::vector<std::string>> Search(std::string_view query, std::size_t limit = kResultsMax) const;

  std::size_t size() const { return ids_.size(); }

 private:
  using Ordinal = std::uint32_t;  // a customer's place in ids_, in the order first added

  // Postings hold ordinals, ascending: a customer added for the first time is appended to each
  // of its terms' lists, so indexing a log of new customers never searches a tree (a name has
  // some 40 terms; measured: docs/benchmarks.md "Projection rebuild").
  std::vector<std::string> ids_;                       // ordinal -> customer id
  std::vector<std::string> names_;                     // ordinal -> normalised name
  std::unordered_map<std::string, Ordinal> ordinals_;  // customer id -> ordinal
  // Looked up by the string_views of a name's terms, without building a string per term.
  struct TermHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view term) const { return std::hash<std::string_view>{}(term); }
  };
  std::unordered_map<std::string, std::vector<Ordinal>, TermHash, std::equal_to<>> postings_;  // term -> ordinals
};

}  // namespace crm::projections
