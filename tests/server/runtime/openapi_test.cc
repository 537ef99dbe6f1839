// docs/openapi.yaml and the server agree: the document describes exactly the "METHOD /pattern"
// pairs the running server routes (ServerRuntime::Routes()), with the test clock's endpoint
// marked as existing only under --test-clock.
//
// No YAML library is at hand in C++, so the document is read line by line under the layout rule
// its header states: under the top-level `paths:` key, a path is a key indented by exactly two
// spaces, a method by exactly four, and `x-crm-test-clock-only: true` by six inside an operation.
// Anything else at those two indents fails the test, so a change of layout cannot silently hide
// an endpoint from the comparison.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "server/runtime/runtime_fixture.h"

#ifndef CRM_SOURCE_DIR
#error "CRM_SOURCE_DIR must name the source tree (tests/server/runtime/CMakeLists.txt)"
#endif

namespace crm::server::testing {
namespace {

struct OpenApiOperations {
  std::set<std::string> all;              // "POST /v1/customers/{id}/protect"
  std::set<std::string> test_clock_only;  // the subset marked x-crm-test-clock-only
  std::vector<std::string> problems;      // lines the layout rule does not allow
};

std::size_t Indent(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\t')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return text;
}

// "post:" -> "post"; "" when the line is not a bare key (a key with a value after the colon).
std::string BareKey(std::string_view text) {
  if (text.size() < 2 || text.back() != ':') return {};
  return std::string(text.substr(0, text.size() - 1));
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return text;
}

OpenApiOperations ReadOperations(const std::string& file) {
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"};
  // Path-item fields that are not operations.
  static const std::set<std::string> kPathItemFields = {"summary", "description", "parameters", "servers", "$ref"};
  OpenApiOperations found;
  std::ifstream in(file);
  if (!in) {
    found.problems.push_back("cannot open " + file);
    return found;
  }
  bool in_paths = false;
  std::string path;
  std::string operation;  // "POST /v1/..." while inside one
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string_view text = Trim(line);
    if (text.empty() || text.front() == '#') continue;
    const std::size_t indent = Indent(line);
    const std::string where = "line " + std::to_string(number) + ": " + std::string(text);
    if (indent == 0) {
      in_paths = text == "paths:";
      path.clear();
      operation.clear();
      continue;
    }
    if (!in_paths) continue;
    if (indent == 1 || indent == 3) {
      found.problems.push_back(where + " (odd indentation under paths)");
    } else if (indent == 2) {
      const std::string key = BareKey(text);
      if (key.empty() || key.front() != '/') {
        found.problems.push_back(where + " (expected a path key at indent 2)");
        path.clear();
      } else {
        path = key;
      }
      operation.clear();
    } else if (indent == 4) {
      operation.clear();
      std::string key = BareKey(text);
      if (key.empty()) key = std::string(text.substr(0, text.find(':')));  // "parameters: [...]"
      if (kMethods.contains(key)) {
        if (path.empty()) {
          found.problems.push_back(where + " (a method outside a path)");
        } else if (BareKey(text).empty()) {
          found.problems.push_back(where + " (an operation must be a block)");
        } else {
          operation = Upper(key) + " " + path;
          if (!found.all.insert(operation).second) found.problems.push_back(where + " (described twice)");
        }
      } else if (!kPathItemFields.contains(key)) {
        found.problems.push_back(where + " (expected a method at indent 4)");
      }
    } else if (indent == 6 && !operation.empty() && text.starts_with("x-crm-test-clock-only:")) {
      if (Trim(text.substr(text.find(':') + 1)) == "true") found.test_clock_only.insert(operation);
    }
  }
  return found;
}

std::string Listed(const std::set<std::string>& names) {
  std::ostringstream out;
  for (const std::string& name : names) out << "\n  " << name;
  return out.str();
}

// What `a` has that `b` lacks.
std::set<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> rest;
  for (const std::string& name : a) {
    if (!b.contains(name)) rest.insert(name);
  }
  return rest;
}

std::set<std::string> Served(ServerRuntime& runtime) {
  const std::vector<std::string> routes = runtime.Routes();
  std::set<std::string> served(routes.begin(), routes.end());
  EXPECT_EQ(served.size(), routes.size()) << "a route is registered twice";
  return served;
}

void ExpectSame(const std::set<std::string>& served, const std::set<std::string>& documented) {
  EXPECT_EQ(served, documented) << "served but not in docs/openapi.yaml:" << Listed(Minus(served, documented))
                                << "\nin docs/openapi.yaml but not served:" << Listed(Minus(documented, served));
}

class OpenApiTest : public RuntimeTest {
 protected:
  static OpenApiOperations Document() {
    OpenApiOperations document = ReadOperations(std::string(CRM_SOURCE_DIR) + "/docs/openapi.yaml");
    EXPECT_TRUE(document.problems.empty()) << Listed({document.problems.begin(), document.problems.end()});
    return document;
  }
};

TEST_F(OpenApiTest, DescribesEveryRouteServedWithTheTestClock) {
  const OpenApiOperations document = Document();
  ASSERT_FALSE(document.all.empty()) << "no operation found under paths:";
  const std::set<std::string> served = Served(runtime());
  ASSERT_TRUE(served.contains("POST /v1/test/clock"));
  ExpectSame(served, document.all);
}

TEST_F(OpenApiTest, MarksTheEndpointsThatExistOnlyWithTheTestClock) {
  const OpenApiOperations document = Document();
  EXPECT_EQ(document.test_clock_only, (std::set<std::string>{"POST /v1/test/clock"}));
  StopServer();
  StartServer(/*test_clock=*/false);
  ExpectSame(Served(runtime()), Minus(document.all, document.test_clock_only));
}

TEST_F(OpenApiTest, ParserRejectsAnotherLayout) {
  // The comparison is only as good as the parser: a document indented otherwise must not read
  // as "no endpoints, nothing to compare" without a problem being reported.
  const std::string file = dir_.Sub("openapi.yaml");
  {
    std::ofstream out(file);
    out << "openapi: 3.0.3\npaths:\n    /v1/health:\n      get:\n        responses: {}\n"
           "  /v1/pool:\n    get:\n      responses: {}\n    Post:\n      responses: {}\ncomponents: {}\n";
  }
  const OpenApiOperations read = ReadOperations(file);
  EXPECT_EQ(read.all, (std::set<std::string>{"GET /v1/pool"}));
  EXPECT_EQ(read.problems.size(), 2u) << Listed({read.problems.begin(), read.problems.end()});
}

}  // namespace
}  // namespace crm::server::testing
