// crm-server: the HTTP API of the CRM (README, "API"; docs/openapi.yaml). The server is
// ServerRuntime (server/runtime); main() adds the flags, the demo's tokens for the person who
// started it, and the signals.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "server/app/server_config.h"
#include "server/runtime/server_runtime.h"

namespace crm::server {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;
// Where the demo's tokens are written, inside the data directory: only hashes are in the log,
// so this file is the one place a demo user's token can be found again.
constexpr std::string_view kDemoUsersFile = "demo-users.txt";

std::string DemoUsersText(const demo::DemoReport& report) {
  std::string text = "# Demo users of this data directory: id, role, team, name, bearer token.\n";
  for (const demo::DemoUser& user : report.users) {
    text += user.id + "\t" + user.role + "\t" + (user.team.empty() ? "-" : user.team) + "\t" + user.name + "\t" +
            user.token + (user.active ? "" : "\t(deactivated)") + "\n";
  }
  return text;
}

bool WriteDemoUsers(const demo::DemoReport& report, const std::string& data_dir) {
  const std::filesystem::path path = std::filesystem::path(data_dir) / kDemoUsersFile;
  std::ofstream out(path, std::ios::trunc);
  out << DemoUsersText(report);
  out.close();
  if (!out) return false;
  std::error_code ignored;  // the tokens only open a demo; a file system without modes still works
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               ignored);
  return true;
}

int Serve(const app::ServerConfig& config) {
  const http::LogSink sink = http::StderrLogSink();
  Result<std::unique_ptr<ServerRuntime>> runtime = ServerRuntime::Start(config);
  if (!runtime.ok()) {
    LogLifecycle(sink, "fatal", {{"code", runtime.status().reason()}, {"message", runtime.status().message()}});
    std::fprintf(stderr, "crm-server: %s\n", runtime.status().message().c_str());
    return kExitFailure;
  }
  if ((*runtime)->demo().has_value()) {
    const demo::DemoReport& report = *(*runtime)->demo();
    LogLifecycle(sink, "demo_loaded",
                 {{"customers", report.customers}, {"contracts", report.contracts}, {"seq", report.last_seq}});
    if (!WriteDemoUsers(report, config.data_dir)) {
      std::fprintf(stderr, "crm-server: could not write %s/%s; the demo users' tokens are:\n%s",
                   config.data_dir.c_str(), std::string(kDemoUsersFile).c_str(), DemoUsersText(report).c_str());
    }
  }
  std::printf("crm-server: listening on port %u (%s), data in %s, %llu events%s\n",
              static_cast<unsigned>((*runtime)->port()), config.http.listen_address.c_str(), config.data_dir.c_str(),
              static_cast<unsigned long long>((*runtime)->head_seq()), config.test_clock ? ", test clock" : "");
  std::fflush(stdout);
  const int signal = http::WaitForShutdownSignal((*runtime)->http());
  (*runtime)->Stop();
  LogLifecycle(sink, "shutdown", {{"signal", signal}, {"seq", (*runtime)->head_seq()}});
  return 0;
}

}  // namespace
}  // namespace crm::server

int main(int argc, char** argv) {
  namespace app = crm::server::app;
  const auto config = app::ParseServerConfig(argc, argv, [](const char* name) { return std::getenv(name); });
  if (!config.ok()) {
    std::fprintf(stderr, "crm-server: %s\n\n%s", config.status().message().c_str(), app::ServerHelp().c_str());
    return crm::server::kExitUsage;
  }
  if (config->help) {
    std::fputs(app::ServerHelp().c_str(), stdout);
    return 0;
  }
  return crm::server::Serve(*config);
}
