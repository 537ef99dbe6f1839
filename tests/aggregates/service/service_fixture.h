// A CommandService on a real log in a temporary directory, with a small company of users, and
// helpers that walk a customer through the process. For tests of the service as a whole.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "aggregates/service/command_service.h"
#include "testutil/temp_dir.h"

namespace crm::testutil {

// 2026-03-02T02:00:00Z: a Monday, 10:00 in Shanghai.
inline constexpr events::TimeMs kMonday10am = 1772416800000;
inline constexpr events::TimeMs kHourMs = 3600 * 1000;
inline constexpr events::TimeMs kDayMs = events::kMsPerDay;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Closes the service and the log and opens both again on the same directory.
  void Reopen(aggregates::CommandServiceOptions options = {});

  // Users made in SetUp: admin "root"; sales "s1".."s8" in team "east"; manager "m1" (east);
  // reviewer "r1"; after-sales "a1"; finance "f1".
  aggregates::CommandMeta As(const std::string& user_id, events::TimeMs now_ms, const std::string& key = "") const;
  void CreateUser(const std::string& id, events::Role role, const std::string& team = "");

  // A registered, approved customer held by `sales`; returns its id.
  std::string Registered(const std::string& sales, const std::string& name, events::TimeMs at_ms);
  // ...and promoted to intention by m1.
  std::string Intention(const std::string& sales, const std::string& name, events::TimeMs at_ms);
  // ...and signed (contract `contract_no`, total `total_fen`), handed to a1.
  std::string Formal(const std::string& sales, const std::string& name, const std::string& contract_no,
                     events::Fen total_fen, events::TimeMs at_ms);
  // A customer in the pool: registered by s8 and abandoned at `at_ms`.
  std::string InPool(const std::string& name, events::TimeMs at_ms);
  void SetPolicy(const events::Policy& policy, events::TimeMs at_ms);

  static aggregates::RegisterCustomer Registration(const std::string& name);
  static aggregates::SignContract Contract(const std::string& contract_no, events::Fen total_fen,
                                           events::TimeMs signed_at_ms);

  TempDir dir_;
  std::unique_ptr<log::EventLog> log_;
  std::unique_ptr<aggregates::CommandService> service_;
};

}  // namespace crm::testutil
