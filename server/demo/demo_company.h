// LoadDemoCompany: a realistic sales company with 90 days of history, written through the real
// commands, so that a new user can explore every endpoint with curl minutes after ./run.sh.
//
// Why it goes through CommandService and not straight into the log: every demo event is then one
// the rulebook accepted (quotas, cooldowns, review deadlines, signing times), the hash chain and
// the directory are built as in production, and a refusal is a bug of this generator (it fails
// with the Status, it never skips a step).
//
// What someone exploring the API finds, and why each is there:
//   - people: three sales teams by region (华东一组 Jiangsu, 华东二组 Zhejiang and Shanghai, 华南组
//     Guangdong and Fujian), four salespeople and a manager each, a reviewer (客服审核), two
//     after-sales users, finance and an auditor; Chinese display names, ASCII ids ("wang.lei").
//     Every token is printed once; only its SHA-256 is stored, as for any user. One salesperson
//     of 华南组 left three weeks ago: the manager handed their customers over and the admin
//     deactivated them (rule 12; their token answers 403).
//   - the policy: the 2026 public holidays (so "3 working days" skips 国庆) and a default
//     after-sales owner for 华东's first contracts; 华南's contracts name their own.
//   - customers with full company names (行政区划 + 字号 + 行业 + 组织形式, "靖江市春意空调有限公司"), a
//     region and industry matching their team, landlines with the city's area code, contacts
//     with mobiles, and follow-ups whose next-contact times make reminders (some overdue).
//   - every stage at now_ms: potential (some expiring within days, some extended), pending
//     reviews, intention, formal with contracts (lines sum to the total) and payments (some
//     partial, so receivables exist, some follow-on contracts); pending extension and promotion
//     requests for managers to decide; the pool with each reason (expired, abandoned,
//     rejected, review_timed_out), some customers reclaimed from it by a colleague.
//   - time: commands are issued in time order with their simulated time as `now`, on working
//     days between 09:00 and 18:00 company time (a deadline-bound step may fall outside them),
//     and the sweeper runs hourly, so release events exist as the server's sweeper writes them.
//
// Determinism: the same seed, customers and now_ms give the same commands in the same order,
// so the same events; only the tokens come from OpenSSL's RAND_bytes unless
// deterministic_tokens is set (a demo server must not accept tokens computable from a
// published default seed).
//
// Cost: 300 customers are about 2 800 events in 2 400 appends, one command at a time (their
// order is the history). Each append waits for its fsync, so the disk sets the time: 1 to 10 s
// on the shared test machine (fdatasync 0.5-4 ms), 0.1 s on a log opened with sync = false.
// A server that wants the load instant may load into an unsynced log and reopen it synced:
// a crash during the load leaves a partial demo, which a second load refuses anyway.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aggregates/service/command_service.h"
#include "events/event_types.h"
#include "events/status.h"

namespace crm::demo {

// The history covers this many days before DemoOptions::now_ms.
inline constexpr std::int64_t kDemoHistoryDays = 90;
// Fewer customers than this cannot have every stage and pool reason at once.
inline constexpr std::size_t kDemoCustomersMin = 30;
// Bounded by the distinct city x trade-name pairs the names are built from (1 800).
inline constexpr std::size_t kDemoCustomersMax = 1500;

struct DemoUser {
  std::string id;      // "wang.lei"
  std::string name;    // "王磊"
  std::string role;    // the wire name: "sales", "manager", ...
  std::string team;    // "华东一组"; empty for the admin
  std::string token;   // in clear, to print once: "demo-sales-wang-lei-<16 hex>"
  bool active = true;  // false for the salesperson who left
};

struct DemoOptions {
  // Seed of every choice except the tokens. Default: 20260301.
  std::uint64_t seed = 20260301;
  // Customers registered. Default: 300; kDemoCustomersMin..kDemoCustomersMax.
  std::size_t customers = 300;
  // The history ends here: the server's clock when it loads the demo. Required (> 0).
  events::TimeMs now_ms = 0;
  // SHA-256 of the token of the first admin (id "admin"), e.g. the server's --admin-token.
  // Default: none: the demo makes the admin's token too and lists it in DemoReport::users.
  std::optional<events::Sha256Digest> admin_token_sha256;
  // Tokens from the seed instead of RAND_bytes, for tests that compare two loads byte for
  // byte. Default: false.
  bool deterministic_tokens = false;
};

struct DemoReport {
  std::vector<DemoUser> users;  // the admin first when the demo made its token
  std::size_t customers = 0;    // registered
  std::size_t formal = 0;       // at now_ms
  std::size_t in_pool = 0;      // at now_ms
  std::size_t pending_reviews = 0;
  std::size_t pending_requests = 0;  // extensions and promotions waiting for a manager
  std::size_t contracts = 0;
  std::size_t payments = 0;
  events::Fen receivable_fen = 0;  // signed minus paid, over every contract
  events::Seq last_seq = 0;        // the demo's last event
};

// Loads the demo company into an empty log.
//
// REQUIRES: the log is empty: no user exists. The demo creates the first admin itself, at the
// start of the history, because the log keeps recorded times non-decreasing: an admin created
// at the real now (as the server does from --admin-token) would pin the whole 90 days of
// history to that instant. So a server loading the demo calls this instead of
// CreateFirstAdmin, with admin_token_sha256 = SHA-256(--admin-token). Otherwise:
//   kConflict/demo_needs_empty_log   a user exists already (also stops a second load)
//   kInvalidArgument/invalid_demo_options   customers out of range, now_ms missing
// Any other Status is a command the rulebook refused: a bug of the generator, with the step
// that failed in its message. The log then holds the demo up to that step.
//
// `service` is borrowed for the call. Not for concurrent use with other writers of the same
// log: the history's times are in the past, and the log would raise them to another
// writer's newer times.
Result<DemoReport> LoadDemoCompany(aggregates::CommandService& service, const DemoOptions& options);

}  // namespace crm::demo
