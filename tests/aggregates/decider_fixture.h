// The deciders' test bench: "given events, when command, then events or error".
//
// DeciderTest records events the way the command service will (increasing seq, per-stream
// versions, recorded and effective times), folds them into a Directory, each customer's
// CustomerState and each contract's ContractState, and decides commands against that state
// with a DecisionContext whose policy is the one in force at the fixture's clock (now()).
//
// Every test starts with the same staff:
//   root admin; s1, s2 sales in team "east"; s3 sales in team "west"; m1 manager of "east";
//   m2 manager of "west"; r1 reviewer; a1 after-sales; f1 finance; au1 auditor.
// and the clock at kT0, a Monday 10:00 in Asia/Shanghai.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/commands.h"
#include "aggregates/company_calendar.h"
#include "aggregates/contract_state.h"
#include "aggregates/customer_decider.h"
#include "aggregates/customer_state.h"
#include "aggregates/decision.h"
#include "aggregates/directory.h"
#include "aggregates/user_decider.h"
#include "aggregates/user_state.h"
#include "events/envelope.h"
#include "events/event_types.h"

namespace crm::aggregates::decider_test {

namespace detail {
constexpr int Digits(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}
}  // namespace detail

// "2026-03-02T02:00:00Z" -> ms since the epoch. REQUIRES: exactly that shape, UTC.
constexpr TimeMs Ms(std::string_view iso_utc) {
  using detail::Digits;
  const std::chrono::year_month_day ymd{std::chrono::year{Digits(iso_utc, 0, 4)},
                                        std::chrono::month{static_cast<unsigned>(Digits(iso_utc, 5, 2))},
                                        std::chrono::day{static_cast<unsigned>(Digits(iso_utc, 8, 2))}};
  const TimeMs days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  const TimeMs seconds = (Digits(iso_utc, 11, 2) * 60 + Digits(iso_utc, 14, 2)) * 60 + Digits(iso_utc, 17, 2);
  return days * events::kMsPerDay + seconds * events::kMsPerSecond;
}

inline constexpr TimeMs kMs = 1;
inline constexpr TimeMs kMinute = 60 * events::kMsPerSecond;
inline constexpr TimeMs kHour = 60 * kMinute;
inline constexpr TimeMs kDay = events::kMsPerDay;
inline constexpr TimeMs kUsersCreatedAt = Ms("2026-03-01T00:00:00Z");
// Monday 2 March 2026, 10:00 in Shanghai (UTC+8).
inline constexpr TimeMs kT0 = Ms("2026-03-02T02:00:00Z");
// kT0 + 3 working days: Thursday 5 March 10:00 Shanghai.
inline constexpr TimeMs kT0ReviewDeadline = Ms("2026-03-05T02:00:00Z");
// A protection taken at kT0 ends 30 x 24 hours later: 2026-04-01T02:00:00Z.
inline constexpr TimeMs kDeadline = kT0 + 30 * kDay;
static_assert(kT0 == 1772416800000);

// The event `decided` holds, as E; a test failure (and a default E) when it holds another type.
template <typename E>
const E& As(const DecidedEvent& decided) {
  if (const E* event = std::get_if<E>(&decided.event)) return *event;
  ADD_FAILURE() << "expected " << E::kName << ", got " << events::EventTypeName(decided.event);
  static const E kEmpty{};
  return kEmpty;
}

// The persisted type names of a decision's events, in order.
std::vector<std::string> TypeNames(const Decision& decision);

class DeciderTest : public ::testing::Test {
 protected:
  DeciderTest();

  // ---- The clock ---------------------------------------------------------------------------
  TimeMs now() const { return now_; }
  // REQUIRES: never earlier than an event already recorded (recorded times never decrease).
  void At(TimeMs now_ms) { now_ = now_ms; }
  void Advance(TimeMs delta_ms) { now_ += delta_ms; }

  // ---- Given -------------------------------------------------------------------------------
  // Records one event at now(), effective at `effective_at_ms` (default: now()).
  void Record(const std::string& stream_id, events::Event event, const std::string& actor_id,
              std::optional<TimeMs> effective_at_ms = std::nullopt);
  void Given(const Decision& decision);
  // Records an accepted decision and returns it; a test failure (and nothing recorded) if the
  // command was refused.
  Decision Accept(const Result<Decision>& result);

  // ---- When: the deciders, with the context at now() ---------------------------------------
  Result<Decision> RegisterAs(const std::string& actor_id, const RegisterCustomer& command);
  Result<Decision> DecideAs(const std::string& actor_id, const std::string& customer_id,
                            const CustomerCommand& command);
  Result<Decision> PayAs(const std::string& actor_id, const RecordPayment& command);
  Result<Decision> UserAs(const std::string& actor_id, const UserCommand& command);
  // `owned`: the states of every customer the directory lists as owned by the from-user.
  Result<Decision> HandoverAs(const std::string& actor_id, const HandOverCustomers& command);
  // The same with the owned customers given by the test.
  Result<Decision> HandoverAs(const std::string& actor_id, const HandOverCustomers& command,
                              const std::vector<CustomerState>& owned);
  Result<Decision> PolicyAs(const std::string& actor_id, const events::Policy& policy);
  // The sweeper's decision on one customer at now().
  Decision Sweep(const std::string& customer_id) const;

  // ---- State -------------------------------------------------------------------------------
  const Directory& directory() const { return directory_; }
  const CustomerState& Customer(const std::string& customer_id) const;
  const ContractState& Contract(const std::string& contract_no) const;
  const events::Policy& policy() const { return directory_.policy().InForceAt(now_); }
  const CompanyCalendar& calendar() const { return *calendar_; }
  // The recorded events of a stream, in order.
  std::vector<events::RecordedEvent> Stream(const std::string& stream_id) const;

  // ---- Valid commands, to be varied by the test ---------------------------------------------
  // A complete registration; the default name is unique per id (靖江市<id>空调有限公司).
  static RegisterCustomer Registration(const std::string& customer_id, const std::string& name = "");
  static AddContact Contact();
  // One line of `total_fen` fen, signed now, after-sales owner a1.
  SignContract Signing(const std::string& contract_no, Fen total_fen) const;
  RecordPayment Paying(const std::string& contract_no, Fen amount_fen) const;

  // ---- Scenario shortcuts, each accepted at now() -------------------------------------------
  // Registered by `owner`, review pending.
  void Registered(const std::string& customer_id, const std::string& owner = "s1");
  // Registered by `owner` and approved by r1.
  void Protected(const std::string& customer_id, const std::string& owner = "s1");
  // Registered by s3 and rejected by r1: in the pool with no cooldown for anyone.
  void InPool(const std::string& customer_id);
  // Protected, promotion requested and approved by the owner's manager.
  void Promoted(const std::string& customer_id, const std::string& owner = "s1");
  // Promoted, then signed (contract `contract_no`, `total_fen`) and handed to a1.
  void Formal(const std::string& customer_id, const std::string& contract_no = "HT-1", Fen total_fen = 100000,
              const std::string& owner = "s1");
  // A new policy in force from now(), through DecidePolicy; the calendar follows it.
  void SetPolicy(const events::Policy& policy);
  // Creates a user (by root) at now().
  void AddUser(const std::string& user_id, events::Role role, const std::string& team,
               const std::string& manager_id = "");

  static std::string ManagerOf(const std::string& sales_id) { return sales_id == "s3" ? "m2" : "m1"; }

 private:
  const UserState& Actor(const std::string& actor_id);
  DecisionContext Context(const UserState& actor) const;

  TimeMs now_ = kT0;
  TimeMs last_recorded_ms_ = 0;
  events::Seq seq_ = 0;
  Directory directory_;
  std::optional<CompanyCalendar> calendar_;
  std::map<std::string, CustomerState> customers_;
  std::map<std::string, ContractState> contracts_;
  std::map<std::string, events::StreamVersion> stream_versions_;
  std::vector<events::RecordedEvent> log_;
  std::map<std::string, UserState> unknown_actors_;
};

}  // namespace crm::aggregates::decider_test
