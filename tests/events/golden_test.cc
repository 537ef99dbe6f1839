// The schema-evolution guard: records written by every released schema version stay decodable,
// to the same values, forever. The files under golden/v1 were written once by golden_writer
// and are never regenerated; a schema change that breaks them breaks old data directories.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "events/codec.h"
#include "testutil/sample_events.h"
#include "testutil/status_matchers.h"

namespace crm::events {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(GoldenTest, Version1RecordsDecodeToTheirOriginalValues) {
  const std::filesystem::path dir = std::filesystem::path(CRM_GOLDEN_DIR) / "v1";
  const std::vector<Event> samples = testutil::SampleEventsV1();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const std::filesystem::path file = dir / testutil::GoldenFileName(i, samples[i]);
    SCOPED_TRACE(file.string());
    ASSERT_TRUE(std::filesystem::exists(file)) << "golden sample missing";
    ASSERT_OK_AND_ASSIGN(const RecordedEvent decoded, DecodeRecord(ReadFile(file)));
    EXPECT_EQ(decoded.envelope, testutil::SampleEnvelopeV1(i));
    EXPECT_EQ(decoded.event, samples[i]);
  }
}

TEST(GoldenTest, Version1HasOneRecordPerEventTypeOfThatVersion) {
  const std::filesystem::path dir = std::filesystem::path(CRM_GOLDEN_DIR) / "v1";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files += entry.path().extension() == ".bin";
  EXPECT_EQ(files, testutil::SampleEventsV1().size());
}

}  // namespace
}  // namespace crm::events
