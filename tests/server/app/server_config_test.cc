#include "server/app/server_config.h"

#include <gtest/gtest.h>

#include <map>

namespace crm::server::app {
namespace {

Result<ServerConfig> Parse(std::vector<const char*> args, std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "crm-server");
  return ParseServerConfig(static_cast<int>(args.size()), args.data(), [env](const char* name) -> const char* {
    const auto found = env.find(name);
    return found == env.end() ? nullptr : found->second.c_str();
  });
}

TEST(ServerConfigTest, DefaultsAreTheNamedConstants) {
  const Result<ServerConfig> config = Parse({});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_EQ(config->http.listen_address, "127.0.0.1:8080");
  EXPECT_EQ(config->http.request_body_bytes_max, std::size_t{1} << 20);
  EXPECT_EQ(config->json_depth_max, 32u);
  EXPECT_EQ(config->page_items_max, 1000u);
  EXPECT_EQ(config->sweep_interval_ms, 10'000u);
  EXPECT_FALSE(config->test_clock);
  EXPECT_FALSE(config->demo);
}

TEST(ServerConfigTest, FlagsBeatTheEnvironmentWhichBeatsDefaults) {
  const Result<ServerConfig> config =
      Parse({"--listen", "127.0.0.1:9000", "--threads=8", "--test-clock", "--test-clock-start", "2026-03-02T02:00:00Z"},
            {{"CRM_LISTEN", "0.0.0.0:1"}, {"CRM_DATA", "/srv/crm"}, {"CRM_ADMIN_TOKEN", "t0k"},
             {"CRM_MAX_BODY_BYTES", "4096"}});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->http.listen_address, "127.0.0.1:9000");
  EXPECT_EQ(config->data_dir, "/srv/crm");
  EXPECT_EQ(config->admin_token, "t0k");
  EXPECT_EQ(config->http.worker_threads, 8u);
  EXPECT_EQ(config->http.request_body_bytes_max, 4096u);
  EXPECT_TRUE(config->test_clock);
  EXPECT_EQ(config->test_clock_start_ms, 1772416800000);
}

TEST(ServerConfigTest, RefusesWhatItCannotUseNamingTheFlag) {
  for (const auto& args : std::vector<std::vector<const char*>>{{"--threads", "0"},
                                                               {"--threads", "lots"},
                                                               {"--threads"},
                                                               {"--max-json-depth", "2"},
                                                               {"--test-clock-start", "yesterday"},
                                                               {"--no-such-flag"},
                                                               {"--test-clock=maybe"}}) {
    const Result<ServerConfig> config = Parse(args);
    ASSERT_FALSE(config.ok()) << args[0];
    EXPECT_EQ(config.status().reason(), "invalid_flag");
    EXPECT_NE(config.status().message().find(std::string(args[0]).substr(0, 8)), std::string::npos);
  }
  const Result<ServerConfig> bad_env = Parse({}, {{"CRM_SWEEP_INTERVAL_MS", "-5"}});
  ASSERT_FALSE(bad_env.ok());
  EXPECT_NE(bad_env.status().message().find("CRM_SWEEP_INTERVAL_MS"), std::string::npos);
}

TEST(ServerConfigTest, HelpNamesEveryFlagItsVariableAndDefault) {
  const Result<ServerConfig> config = Parse({"--help"});
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->help);
  const std::string help = ServerHelp();
  for (const char* text : {"--data", "CRM_DATA", "./data", "--listen", "127.0.0.1:8080", "--admin-token",
                           "--threads", "--test-clock", "--max-body-bytes", "1048576", "--sweep-interval-ms"}) {
    EXPECT_NE(help.find(text), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace crm::server::app
