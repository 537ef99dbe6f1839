// golden-writer DIR: writes the golden record of every sample event into DIR, skipping files
// that exist. Run once per schema version (into golden/vN); never to refresh old versions.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "events/codec.h"
#include "testutil/sample_events.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: golden-writer DIR\n";
    return 2;
  }
  const std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  const std::vector<crm::events::Event> samples = crm::testutil::SampleEventsV1();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const std::filesystem::path file = dir / crm::testutil::GoldenFileName(i, samples[i]);
    if (std::filesystem::exists(file)) continue;
    const std::string record =
        crm::events::EncodeRecord(crm::testutil::SampleEnvelopeV1(i), crm::events::EncodeEvent(samples[i]));
    std::ofstream(file, std::ios::binary).write(record.data(), static_cast<std::streamsize>(record.size()));
    std::cout << "wrote " << file.string() << "\n";
  }
  return 0;
}
