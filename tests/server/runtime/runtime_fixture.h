// A real crm-server (ServerRuntime, as main() runs it) on 127.0.0.1 with an ephemeral port, a
// test clock and a data directory of its own, driven over HTTP; with a small company made
// through the API and helpers that walk customers through the process.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "events/domain_values.h"
#include "server/runtime/api_client.h"
#include "server/runtime/server_runtime.h"
#include "testutil/temp_dir.h"

namespace crm::server::testing {

// 2026-03-02T02:00:00Z: a Monday, 10:00 in Shanghai.
inline constexpr events::TimeMs kMonday10am = 1772416800000;
inline constexpr events::TimeMs kMinuteMs = 60 * 1000;
inline constexpr events::TimeMs kHourMs = 60 * kMinuteMs;
inline constexpr events::TimeMs kDayMs = events::kMsPerDay;
inline constexpr std::string_view kAdminToken = "root-token";

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts a server on the fixture's data directory (again, after StopServer).
  void StartServer(bool test_clock = true);
  void StopServer();
  ApiClient& api() { return *client_; }
  ServerRuntime& runtime() { return *runtime_; }

  // The company, made through POST /v1/users by the admin: team east: sales s1, s2, manager m1;
  // team west: sales s3, manager m2; reviewer r1; after-sales a1 (east) and a2 (west); finance
  // f1; auditor au1.
  void MakeCompany();
  std::string CreateUser(const std::string& id, const std::string& role, const std::string& team,
                         const std::string& manager_id = "");
  const std::string& Token(const std::string& user_id) const { return tokens_.at(user_id); }

  void SetClock(events::TimeMs now_ms);
  events::TimeMs now_ms() const { return now_ms_; }

  // A customer registered by `sales` (201); returns its id.
  std::string Register(const std::string& sales, const std::string& name);
  // ...approved by r1.
  std::string Approved(const std::string& sales, const std::string& name);
  // ...promoted to intention by the manager of `sales`.
  std::string Intention(const std::string& sales, const std::string& name, const std::string& manager);
  // ...signed with contract `contract_no` (two lines summing to `total_fen`), handed to `aftersales`.
  std::string Formal(const std::string& sales, const std::string& name, const std::string& manager,
                     const std::string& contract_no, events::Fen total_fen, const std::string& aftersales);
  // A customer registered by `sales` and abandoned at once: in the pool.
  std::string InPool(const std::string& sales, const std::string& name);

  static Json RegistrationBody(const std::string& name);
  Json ContractBody(const std::string& contract_no, events::Fen total_fen, const std::string& aftersales) const;

  testutil::TempDir dir_;
  std::unique_ptr<ServerRuntime> runtime_;
  std::unique_ptr<ApiClient> client_;
  std::map<std::string, std::string> tokens_;
  events::TimeMs now_ms_ = kMonday10am;
  std::size_t worker_threads_ = 48;  // of the next StartServer
};

// Prints the answer on failure.
#define EXPECT_ANSWER(response, expected_status)                                      \
  EXPECT_EQ((response).status, static_cast<unsigned>(expected_status)) << (response).raw
#define ASSERT_ANSWER(response, expected_status)                                      \
  ASSERT_EQ((response).status, static_cast<unsigned>(expected_status)) << (response).raw

}  // namespace crm::server::testing
