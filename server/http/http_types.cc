#include "server/http/http_types.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace crm::server::http {

const std::string* HttpRequest::FindQuery(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string ErrorBody(std::string_view code, std::string_view message) {
  // Ordered, so that the bytes read as api.md writes them: code, message, details.
  const nlohmann::ordered_json body = {
      {"error", {{"code", code}, {"message", message}, {"details", nlohmann::ordered_json::object()}}}};
  // A message is ours, but may quote client bytes that are not UTF-8: replace, never throw.
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

HttpResponse ErrorResponse(unsigned status, std::string_view code, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = ErrorBody(code, message);
  return response;
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecode(std::string_view text, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else if (c != '%') {
      out->push_back(c);
    } else {
      if (text.size() - i < 3) return false;  // '%' needs two hex digits after it
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return false;
      out->push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return true;
}

bool ParseQuery(std::string_view query, QueryParams* out) {
  out->clear();
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    std::string name;
    std::string value;
    if (!PercentDecode(piece.substr(0, eq), true, &name)) return false;
    if (eq != std::string_view::npos && !PercentDecode(piece.substr(eq + 1), true, &value)) return false;
    out->emplace_back(std::move(name), std::move(value));
  }
  return true;
}

namespace {

bool StartsWithIgnoringCase(std::string_view text, std::string_view lower_prefix) {
  return text.size() >= lower_prefix.size() &&
         std::equal(lower_prefix.begin(), lower_prefix.end(), text.begin(),
                    [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

}  // namespace

bool ParseTarget(std::string_view target, std::string* path, QueryParams* query) {
  bool absolute_form = false;
  for (const std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (StartsWithIgnoringCase(target, scheme)) {
      const std::size_t authority_end = target.find_first_of("/?", scheme.size());
      target = authority_end == std::string_view::npos ? std::string_view() : target.substr(authority_end);
      absolute_form = true;
      break;
    }
  }
  const std::size_t question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  if (absolute_form && raw_path.empty()) {
    path->assign("/");  // "http://host" and "http://host?x" name the root
  } else if (raw_path.empty() || raw_path.front() != '/') {
    return false;
  } else {
    path->assign(raw_path);
  }
  if (question == std::string_view::npos) {
    query->clear();
    return true;
  }
  return ParseQuery(target.substr(question + 1), query);
}

}  // namespace crm::server::http
