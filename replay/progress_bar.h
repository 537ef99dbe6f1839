// Progress of a long run (rebuild) on stderr. On a terminal: one line redrawn in place with \r
// (a bar, events done/total, events/s, ETA). Otherwise (a log file, a pipe): a plain line at
// most once per kPlainLineIntervalMs, so logs stay readable.
//
// Not thread-safe: one ProgressBar per run, fed from one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace crm::replay {

inline constexpr std::int64_t kPlainLineIntervalMs = 1000;
inline constexpr std::int64_t kRedrawIntervalMs = 100;  // a terminal redraw faster is only flicker
inline constexpr std::size_t kBarWidthChars = 30;

enum class ProgressStyle { kBar, kLines, kNone };

// kBar when `err` is the process's stderr and that is a terminal, else kLines.
ProgressStyle DetectProgressStyle(const std::ostream& err);

// One progress line, without \r or newline: "customers [=====>    ] 1200/5000 events, 1.2M events/s, ETA 3s".
// `bar`: draw the bar (terminals only). total 0 is treated as done.
std::string RenderProgress(std::string_view label, std::uint64_t done, std::uint64_t total, double events_per_s,
                           bool bar);

class ProgressBar {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `err` is borrowed for the bar's life. `clock`: Default: the steady clock (tests pass theirs).
  ProgressBar(std::ostream& err, ProgressStyle style, Clock clock = {});

  // Starts a new label whose work began at `since` with `done` events already done: the rate is
  // measured from there.
  void Start(std::string_view label, std::uint64_t done, std::chrono::steady_clock::time_point since);
  // Draws if due (see the header comment); `label` must be the started one.
  void Update(std::uint64_t done, std::uint64_t total);
  // Ends the label's line: a terminal line is finished with a newline.
  void Finish(std::uint64_t done, std::uint64_t total);

 private:
  static std::int64_t ToMs(std::chrono::steady_clock::time_point time);
  std::int64_t NowMs() const { return ToMs(clock_()); }
  void Draw(std::uint64_t done, std::uint64_t total, bool final_line);

  std::ostream& err_;
  const ProgressStyle style_;
  Clock clock_;
  std::string label_;
  std::int64_t started_ms_ = 0;
  std::uint64_t started_done_ = 0;
  std::int64_t last_draw_ms_ = 0;
  bool drawn_ = false;
};

}  // namespace crm::replay
