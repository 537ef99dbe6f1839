#include "replay/progress_bar.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace crm::replay {
namespace {

constexpr double kMsPerSecond = 1000.0;

std::string Rate(double per_second) {
  char text[32];
  if (per_second >= 1e6) {
    std::snprintf(text, sizeof text, "%.1fM", per_second / 1e6);
  } else if (per_second >= 1e3) {
    std::snprintf(text, sizeof text, "%.1fk", per_second / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.0f", per_second);
  }
  return text;
}

std::string Duration(double seconds) {
  const auto whole = static_cast<long long>(std::ceil(seconds));
  char text[32];
  if (whole >= 3600) {
    std::snprintf(text, sizeof text, "%lldh%02lldm", whole / 3600, whole / 60 % 60);
  } else if (whole >= 60) {
    std::snprintf(text, sizeof text, "%lldm%02llds", whole / 60, whole % 60);
  } else {
    std::snprintf(text, sizeof text, "%llds", whole);
  }
  return text;
}

}  // namespace

ProgressStyle DetectProgressStyle(const std::ostream& err) {
  return &err == &std::cerr && isatty(STDERR_FILENO) == 1 ? ProgressStyle::kBar : ProgressStyle::kLines;
}

std::string RenderProgress(std::string_view label, std::uint64_t done, std::uint64_t total, double events_per_s,
                           bool bar) {
  const double fraction = total == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  std::string line(label);
  if (bar) {
    const auto filled = static_cast<std::size_t>(fraction * kBarWidthChars);
    std::string drawn(filled, '=');
    if (filled < kBarWidthChars) drawn.push_back('>');
    drawn.resize(kBarWidthChars, ' ');
    line += " [" + drawn + "]";
  }
  char percent[16];
  std::snprintf(percent, sizeof percent, " %3.0f%%", fraction * 100);
  line += percent;
  line += " " + std::to_string(done) + "/" + std::to_string(total) + " events";
  if (events_per_s > 0) {
    line += ", " + Rate(events_per_s) + " events/s";
    if (done < total) line += ", ETA " + Duration(static_cast<double>(total - done) / events_per_s);
  }
  return line;
}

ProgressBar::ProgressBar(std::ostream& err, ProgressStyle style, Clock clock)
    : err_(err),
      style_(style),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

std::int64_t ProgressBar::ToMs(std::chrono::steady_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

void ProgressBar::Start(std::string_view label, std::uint64_t done, std::chrono::steady_clock::time_point since) {
  label_ = label;
  started_ms_ = ToMs(since);
  started_done_ = done;
  last_draw_ms_ = NowMs();
  drawn_ = false;
}

void ProgressBar::Update(std::uint64_t done, std::uint64_t total) {
  if (style_ == ProgressStyle::kNone) return;
  const std::int64_t interval = style_ == ProgressStyle::kBar ? kRedrawIntervalMs : kPlainLineIntervalMs;
  if (NowMs() - last_draw_ms_ < interval) return;
  Draw(done, total, false);
}

void ProgressBar::Finish(std::uint64_t done, std::uint64_t total) {
  if (style_ == ProgressStyle::kNone) return;
  // A plain log gets its last line only if it showed progress at all: short runs stay quiet.
  if (style_ == ProgressStyle::kBar || drawn_) Draw(done, total, true);
}

void ProgressBar::Draw(std::uint64_t done, std::uint64_t total, bool final_line) {
  const std::int64_t now_ms = NowMs();
  last_draw_ms_ = now_ms;
  drawn_ = true;
  const double seconds = static_cast<double>(now_ms - started_ms_) / kMsPerSecond;
  const double rate = seconds > 0 && done > started_done_ ? static_cast<double>(done - started_done_) / seconds : 0;
  const std::string line = RenderProgress(label_, done, total, rate, style_ == ProgressStyle::kBar);
  if (style_ == ProgressStyle::kBar) {
    // \x1b[K clears what a longer previous line left on the right.
    err_ << "\r" << line << "\x1b[K" << (final_line ? "\n" : "") << std::flush;
  } else {
    err_ << line << "\n" << std::flush;
  }
}

}  // namespace crm::replay
