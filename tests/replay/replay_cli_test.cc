// crm-replay's shell: --help and bad arguments for every subcommand, and the small helpers
// (times, CSV, event JSON, progress lines).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "replay/cli_args.h"
#include "replay/commands.h"
#include "replay/csv.h"
#include "replay/event_description.h"
#include "replay/event_json.h"
#include "replay/progress_bar.h"
#include "replay/time_format.h"
#include "testutil/sample_events.h"
#include "testutil/status_matchers.h"

namespace crm::replay {
namespace {

struct Ran {
  int exit_code = -1;
  std::string out;
  std::string err;
};

Ran RunArgs(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int exit_code = RunCrmReplay(args, out, err);
  return Ran{exit_code, out.str(), err.str()};
}

TEST(ReplayCliTest, EverySubcommandPrintsHelpWithItsOptionsAndDefaults) {
  ASSERT_EQ(Subcommands().size(), 9u);
  for (const Subcommand& command : Subcommands()) {
    const Ran ran = RunArgs({std::string(command.name), "--help"});
    EXPECT_EQ(ran.exit_code, 0) << command.name;
    EXPECT_TRUE(ran.err.empty()) << command.name;
    EXPECT_EQ(ran.out.rfind("usage: crm-replay " + std::string(command.name), 0), 0u) << ran.out;
    EXPECT_NE(ran.out.find("--data DIR"), std::string::npos) << ran.out;
    EXPECT_NE(ran.out.find("(default: required)"), std::string::npos) << ran.out;
    EXPECT_NE(ran.out.find("exit status: 0"), std::string::npos) << ran.out;
    // Every option line states its default.
    std::istringstream lines(ran.out);
    bool in_options = false;
    for (std::string line; std::getline(lines, line);) {
      if (line == "options:") in_options = true;
      if (in_options && line.starts_with("  --") && !line.starts_with("  --help")) {
        EXPECT_NE(line.find("(default: "), std::string::npos) << command.name << ": " << line;
      }
    }
    EXPECT_EQ(RunArgs({std::string(command.name), "-h"}).exit_code, 0);
  }
  const Ran overview = RunArgs({"--help"});
  EXPECT_EQ(overview.exit_code, 0);
  for (const Subcommand& command : Subcommands()) {
    EXPECT_NE(overview.out.find("  " + std::string(command.name) + " "), std::string::npos) << overview.out;
  }
}

TEST(ReplayCliTest, BadArgumentsExit2WithOneLine) {
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"frobnicate", "--data", "/tmp/x"},
      {"verify"},
      {"verify", "--data"},
      {"verify", "--data", "/tmp/x", "--bogus"},
      {"verify", "--data", "/tmp/x", "--data", "/tmp/y"},
      {"verify", "--data", "/tmp/x", "extra"},
      {"verify", "--data=/tmp/x", "--no-index=yes"},
      {"rebuild", "--data", "/tmp/x", "--progress", "sometimes"},
      {"history", "--data", "/tmp/x"},
      {"history", "C1", "C2", "--data", "/tmp/x"},
      {"audit-report", "--data", "/tmp/x", "--from", "yesterday"},
      {"audit-report", "--data", "/tmp/x", "--from", "2026-03-02", "--to", "2026-03-01"},
      {"audit-report", "--data", "/tmp/x", "--format", "pdf"},
      {"what-if", "--data", "/tmp/x"},
      {"what-if", "--data", "/tmp/x", "--policy", "/tmp/x.json", "--to", "2026-02-30"},
      {"export", "--data", "/tmp/x", "--format", "xml"},
      {"export", "--data", "/tmp/x", "--from-seq", "ten"},
      {"export", "--data", "/tmp/x", "--from-seq", "0"},
      {"export", "--data", "/tmp/x", "--from-seq", "9", "--to-seq", "3"},
      {"export", "--data", "/tmp/x", "--view", "customers"},
      {"backup", "--data", "/tmp/x"},
      {"restore", "--data", "/tmp/x"},
  };
  for (const std::vector<std::string>& args : bad) {
    std::string joined;
    for (const std::string& arg : args) joined += arg + " ";
    const Ran ran = RunArgs(args);
    EXPECT_EQ(ran.exit_code, 2) << joined;
    EXPECT_TRUE(ran.out.empty()) << joined << ran.out;
    if (!args.empty()) {
      EXPECT_EQ(std::count(ran.err.begin(), ran.err.end(), '\n'), 1) << joined << ran.err;
    }
  }
}

TEST(ReplayCliTest, ParsesEveryOptionForm) {
  const CommandSpec spec{
      .name = "x",
      .positionals = {"id"},
      .description = "",
      .options = {
          DataDirOption(),
          OptionSpec{.name = "--json", .value_name = "", .default_text = "off", .help = "", .required = false}}};
  ASSERT_OK_AND_ASSIGN(const ParsedArgs a, ParseArgs(spec, {"--data=/d", "C1", "--json"}));
  EXPECT_EQ(a.Get("--data"), "/d");
  EXPECT_TRUE(a.Has("--json"));
  EXPECT_EQ(a.positionals, std::vector<std::string>{"C1"});
  ASSERT_OK_AND_ASSIGN(const ParsedArgs b, ParseArgs(spec, {"--data", "/d", "--", "--odd-id"}));
  EXPECT_EQ(b.positionals, std::vector<std::string>{"--odd-id"});
  EXPECT_FALSE(b.Has("--json"));
}

TEST(TimeFormatTest, FormatsAndParsesRfc3339) {
  EXPECT_EQ(FormatTime(1772416800000), "2026-03-02T02:00:00Z");
  EXPECT_EQ(FormatTime(1772416800123), "2026-03-02T02:00:00.123Z");
  EXPECT_EQ(FormatTimeMs(1772416800000), "2026-03-02T02:00:00.000Z");
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTime(951782400000), "2000-02-29T00:00:00Z");

  ASSERT_OK_AND_ASSIGN(const TimeMs utc, ParseTimeArg("2026-03-02T02:00:00Z", "--from"));
  EXPECT_EQ(utc, 1772416800000);
  ASSERT_OK_AND_ASSIGN(const TimeMs shanghai, ParseTimeArg("2026-03-02T10:00:00+08:00", "--from"));
  EXPECT_EQ(shanghai, 1772416800000);
  ASSERT_OK_AND_ASSIGN(const TimeMs fraction, ParseTimeArg("2026-03-02T02:00:00.1239z", "--from"));
  EXPECT_EQ(fraction, 1772416800123);
  ASSERT_OK_AND_ASSIGN(const TimeMs date, ParseTimeArg("2026-03-02", "--from"));
  EXPECT_EQ(date, 1772416800000 - 2 * 3600 * 1000);
  for (const std::string bad : {"2026-02-29", "2026-03-02T24:00:00Z", "2026-03-02T02:00:00", "2026-3-2",
                                "2026-03-02 02:00:00Z", "2026-03-02T02:00:00.Z", "tomorrow", ""}) {
    SCOPED_TRACE(bad);
    EXPECT_REASON(ParseTimeArg(bad, "--from"), "invalid_time");
  }
  for (TimeMs t : {TimeMs{0}, TimeMs{1772416800123}, TimeMs{-86'400'001}, TimeMs{4102444800000}}) {
    ASSERT_OK_AND_ASSIGN(const TimeMs back, ParseTimeArg(FormatTimeMs(t), "--to"));
    EXPECT_EQ(back, t);
  }
}

TEST(CsvTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("靖江市"), "靖江市");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  std::ostringstream out;
  WriteCsvRow(out, {"1", "{\"a\":1}", ""});
  EXPECT_EQ(out.str(), "1,\"{\"\"a\"\":1}\",\n");
}

// Keys per event type: every field of events/event_types.h, in the Event variant's order.
constexpr std::size_t kDataKeys[] = {6, 2, 3, 2, 4, 1, 9, 5, 3, 3, 3, 8, 5, 4, 5, 3, 3, 4, 3, 4, 4, 4, 4, 10, 8};

void ExpectNoEmptyLeaf(const Json& json, const std::string& path) {
  if (json.is_object() || json.is_array()) {
    EXPECT_FALSE(json.empty()) << path;
    for (const auto& [key, value] : json.items()) ExpectNoEmptyLeaf(value, path + "/" + key);
  } else if (json.is_string()) {
    EXPECT_FALSE(json.get<std::string>().empty()) << path;
  } else if (json.is_number()) {
    EXPECT_NE(json.get<double>(), 0) << path;
  } else {
    EXPECT_FALSE(json.is_null()) << path;
  }
}

TEST(EventJsonTest, EveryFieldOfEveryEventType) {
  const std::vector<events::Event> samples = testutil::SampleEventsV1();
  ASSERT_EQ(samples.size(), events::kEventTypeCount);
  ASSERT_EQ(std::size(kDataKeys), events::kEventTypeCount);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Json data = EventDataJson(samples[i]);
    const std::string type(events::EventTypeName(samples[i]));
    EXPECT_EQ(data.size(), kDataKeys[i]) << type << ": " << DumpJson(data);
    // The samples set every field to a non-default value, so a field the converter dropped or
    // left at a default shows up as an empty leaf.
    ExpectNoEmptyLeaf(data, type);
    EXPECT_FALSE(DescribeEvent(samples[i]).empty()) << type;
  }
  const Json created = EventDataJson(samples[0]);
  EXPECT_EQ(created["role"], "manager");
  EXPECT_EQ(created["tokenSha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(created["tokenSha256"].get<std::string>().substr(0, 4), "0108");
  const Json contract = EventDataJson(samples[23]);
  EXPECT_TRUE(contract["totalFen"].is_number_integer());
  EXPECT_TRUE(contract["signedAt"].get<std::string>().ends_with(".000Z"));
}

TEST(EventJsonTest, EnvelopeFieldsAndAbsentTimes) {
  events::RecordedEvent recorded;
  recorded.envelope.seq = 42;
  recorded.envelope.stream_id = "customer-C1";
  recorded.envelope.stream_version = 3;
  recorded.envelope.recorded_at_ms = 1772416800000;
  recorded.envelope.effective_at_ms = 1772416800000 - 1;
  recorded.envelope.actor_id = "s1";
  recorded.event = events::FollowUpRecorded{.customer_id = "C1",
                                            .follow_up_id = "f1",
                                            .channel = events::FollowUpChannel::kVisit,
                                            .notes = "n",
                                            .next_contact_at_ms = std::nullopt};
  const Json json = RecordedEventJson(recorded);
  EXPECT_EQ(DumpJson(json),
            R"({"seq":42,"stream":"customer-C1","version":3,"recorded":"2026-03-02T02:00:00.000Z",)"
            R"("effective":"2026-03-02T01:59:59.999Z","actor":"s1","commandId":"","type":"FollowUpRecorded",)"
            R"("data":{"customerId":"C1","followUpId":"f1","channel":"visit","notes":"n","nextContactAt":null}})");
  EXPECT_EQ(DumpJson(Json("bad \xff byte")), "\"bad \xEF\xBF\xBD byte\"") << "never throws on bad UTF-8";
}

TEST(EventDescriptionTest, ReadableLines) {
  const auto protected_ = events::CustomerProtected{.customer_id = "C1",
                                                    .owner_id = "s1",
                                                    .source = events::ProtectionSource::kRegistration,
                                                    .deadline_ms = 1775008800000,
                                                    .review_deadline_ms = 1772676000000};
  EXPECT_EQ(DescribeEvent(protected_),
            "protected for s1 until 2026-04-01T02:00:00Z, review by 2026-03-05T02:00:00Z (registration)");
  EXPECT_EQ(Shorten("一二三四五", 3), "一二三…");
  EXPECT_EQ(Shorten("a\nb", 10), "a b");
  EXPECT_EQ(FormatYuan(1250000), "12500.00");
  EXPECT_EQ(FormatYuan(-5), "-0.05");
}

TEST(ProgressBarTest, RendersBarRateAndEta) {
  EXPECT_EQ(RenderProgress("customers", 500, 1000, 100, true),
            "customers [===============>              ]  50% 500/1000 events, 100 events/s, ETA 5s");
  EXPECT_EQ(RenderProgress("customers", 2'000'000, 2'000'000, 2.5e6, false),
            "customers 100% 2000000/2000000 events, 2.5M events/s");
  EXPECT_EQ(RenderProgress("x", 0, 0, 0, false), "x 100% 0/0 events");
}

TEST(ProgressBarTest, PlainLinesAtMostOncePerInterval) {
  std::chrono::steady_clock::time_point now{};
  std::ostringstream err;
  ProgressBar bar(err, ProgressStyle::kLines, [&now] { return now; });
  bar.Start("v", 0, now);
  for (int i = 1; i <= 25; ++i) {
    now += std::chrono::milliseconds(100);
    bar.Update(static_cast<std::uint64_t>(i) * 10, 1000);
  }
  bar.Finish(1000, 1000);
  const std::string text = err.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text << "two in 2.5 s, then the end";
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(ProgressBarTest, TerminalRedrawsOneLine) {
  std::chrono::steady_clock::time_point now{};
  std::ostringstream err;
  ProgressBar bar(err, ProgressStyle::kBar, [&now] { return now; });
  bar.Start("v", 0, now);
  now += std::chrono::milliseconds(200);
  bar.Update(100, 1000);
  bar.Finish(1000, 1000);
  const std::string text = err.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 2) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

}  // namespace
}  // namespace crm::replay
