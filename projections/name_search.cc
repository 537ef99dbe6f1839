#include "projections/name_search.h"

#include <algorithm>

#include "events/company_name.h"

namespace crm::projections {
namespace {

// The code points of valid UTF-8, each as its bytes.
std::vector<std::string_view> CodePoints(std::string_view utf8) {
  std::vector<std::string_view> points;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    points.push_back(utf8.substr(i, length));
    i += length;
  }
  return points;
}

void AddUnique(std::vector<std::string>& terms, std::string term) {
  if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(std::move(term));
}

std::vector<std::string> Bigrams(const std::vector<std::string_view>& points) {
  std::vector<std::string> bigrams;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    AddUnique(bigrams, std::string(points[i]).append(points[i + 1]));
  }
  return bigrams;
}

// Calls visit(term) for each code point and each pair of adjacent ones, repeats included: the
// terms of NameTerms without building them.
template <typename Visit>
void ForEachTerm(std::string_view normalized, Visit&& visit) {
  const std::vector<std::string_view> points = CodePoints(normalized);
  for (const std::string_view point : points) visit(point);
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    visit(std::string_view(points[i].data(), points[i].size() + points[i + 1].size()));
  }
}

}  // namespace

std::vector<std::string> NameTerms(std::string_view normalized) {
  const std::vector<std::string_view> points = CodePoints(normalized);
  std::vector<std::string> terms;
  for (const std::string_view point : points) AddUnique(terms, std::string(point));
  for (std::string& bigram : Bigrams(points)) AddUnique(terms, std::move(bigram));
  return terms;
}

std::vector<std::string> QueryTerms(std::string_view normalized_query) {
  const std::vector<std::string_view> points = CodePoints(normalized_query);
  if (points.size() == 1) return {std::string(points.front())};
  return Bigrams(points);
}

void NameIndex::Add(const std::string& customer_id, const std::string& normalized_name) {
  const auto [known, added] = ordinals_.try_emplace(customer_id, static_cast<Ordinal>(ids_.size()));
  const Ordinal ordinal = known->second;
  if (added) {
    ids_.push_back(customer_id);
    names_.push_back(normalized_name);
    // The largest ordinal so far: appending keeps every list ascending, and a term seen twice
    // in the name finds the ordinal already at the back.
    ForEachTerm(normalized_name, [&](std::string_view term) {
      auto list = postings_.find(term);
      if (list == postings_.end()) list = postings_.emplace(std::string(term), std::vector<Ordinal>()).first;
      if (list->second.empty() || list->second.back() != ordinal) list->second.push_back(ordinal);
    });
    return;
  }
  for (const std::string& term : NameTerms(names_[ordinal])) {
    std::vector<Ordinal>& list = postings_[term];
    const auto at = std::lower_bound(list.begin(), list.end(), ordinal);
    if (at != list.end() && *at == ordinal) list.erase(at);
  }
  names_[ordinal] = normalized_name;
  for (std::string& term : NameTerms(normalized_name)) {
    std::vector<Ordinal>& list = postings_[std::move(term)];
    const auto at = std::lower_bound(list.begin(), list.end(), ordinal);
    if (at == list.end() || *at != ordinal) list.insert(at, ordinal);
  }
}

Result<std::vector<std::string>> NameIndex::Search(std::string_view query, std::size_t limit) const {
  CRM_ASSIGN_OR_RETURN(const std::string normalized, events::NormalizeCompanyName(query));
  if (normalized.empty()) return Status::InvalidArgument("empty_query", "type part of a company name to search for");
  // Start from the rarest term: the intersection can only shrink, so it bounds the work.
  std::vector<const std::vector<Ordinal>*> lists;
  for (const std::string& term : QueryTerms(normalized)) {
    const auto it = postings_.find(term);
    if (it == postings_.end()) return std::vector<std::string>{};
    lists.push_back(&it->second);
  }
  std::sort(lists.begin(), lists.end(), [](const auto* a, const auto* b) { return a->size() < b->size(); });
  std::vector<const std::string*> matches;
  for (const Ordinal ordinal : *lists.front()) {
    const bool in_all = std::all_of(lists.begin() + 1, lists.end(), [ordinal](const auto* list) {
      return std::binary_search(list->begin(), list->end(), ordinal);
    });
    if (in_all && names_[ordinal].find(normalized) != std::string::npos) matches.push_back(&ids_[ordinal]);
  }
  // Ordinals follow the order customers were added, answers the order of their ids.
  const std::size_t wanted = std::min({limit, kResultsMax, matches.size()});
  const auto by_id = [](const std::string* a, const std::string* b) { return *a < *b; };
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(wanted), matches.end(), by_id);
  std::vector<std::string> found;
  found.reserve(wanted);
  for (std::size_t i = 0; i < wanted; ++i) found.push_back(*matches[i]);
  return found;
}

}  // namespace crm::projections
