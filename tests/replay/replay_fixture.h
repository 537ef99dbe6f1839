// A data directory with a small, known history, made through the real command service, and a
// way to run crm-replay on it as the program would (RunCrmReplay with captured output).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "aggregates/service/service_fixture.h"
#include "events/log/rocks_store.h"

namespace crm::testutil {

// A Monday; every time of the story is an offset from it.
inline constexpr events::TimeMs kStoryStartMs = kMonday10am;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class ReplayTest : public ServiceTest {
 protected:
  // The story (every id is returned by the service; names fixed):
  //   formal_     s1 registers at +0, approved, promoted, signs HT-1 (100000 fen) at +0, f1 pays 40000
  //   expired_    s2 registers at +1h, approved, never acts: expires at +30d+1h (swept at +31d)
  //   pooled_     s8 registers at +2h and abandons it at once
  //   reassigned_ s3 registers at +3h, extension of 10 days granted by m1, reassigned to s4 by m1
  //   promoted_   s5 registers at +4h, approved, promoted at +25d (so a 20-day potential would
  //               have released it before the promotion)
  //   policy      root sets potentialDays 20 at +26d (nothing registered after that)
  //   users       s7 becomes a manager at +1d; s6 is deactivated at +1d
  //   sweep       at +31d: expired_ (and nothing else) is released
  void BuildStory();

  // Closes the service and the log, so that write commands may open the directory.
  void CloseService();

  std::string DataDir() const { return dir_.Sub("log"); }

  // crm-replay <args...> with --data appended when `with_data` (the usual case).
  RunResult Run(std::vector<std::string> args, bool with_data = true) const;

  // The stored value of every key of `family` in the data directory (opened read-only).
  std::map<std::string, std::string> FamilyRows(const std::string& family) const;

  std::string formal_, expired_, pooled_, reassigned_, promoted_;
};

// Splits output into lines (without the newlines).
std::vector<std::string> Lines(const std::string& text);

// Parses RFC 4180 CSV (quoted fields, doubled quotes, LF or CRLF) into records of fields.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text);

}  // namespace crm::testutil
