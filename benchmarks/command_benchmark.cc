// Durable commands per second: a follow-up command through the CommandService (load the
// customer, check owner and fields, decide, append with the expected version, sync, re-cache)
// beside the raw append of the same event through EventLog (issue 2's figure), at 1, 8 and 64
// concurrent submitters, in the same run on the same log.
//
//   build/release/bin/command_benchmark --benchmark_repetitions=5
//       --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
//
// Each submitter is a salesperson working their own customers, as a sales team does; the ratio
// is what deciding costs on top of the durable append.
#include <benchmark/benchmark.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aggregates/service/command_service.h"
#include "bench_util.h"
#include "sample_registration.h"
#include "events/log/event_log.h"
#include "testutil/temp_dir.h"

namespace crm::bench {
namespace {

constexpr events::TimeMs kT0 = 1772416800000;  // Monday 2026-03-02 10:00 Shanghai
constexpr int kSubmittersMax = 64;
// Customers each salesperson holds and cycles through.
constexpr int kCustomersPerSubmitter = 8;
const char* const kNotes = "电话沟通了新版报价，客户对实施周期有顾虑，约定下周三上门演示并带上技术顾问。";

// One log and service for the whole run, with a salesperson per submitter already holding
// customers; built on first use, because registering them is itself ~1000 durable commands.
struct Company {
  std::unique_ptr<testutil::TempDir> dir;
  std::unique_ptr<log::EventLog> log;
  std::unique_ptr<aggregates::CommandService> service;
  std::vector<std::vector<std::string>> customers;  // [submitter][i]
};

Result<std::unique_ptr<Company>> BuildCompany() {
  auto company = std::make_unique<Company>();
  company->dir = std::make_unique<testutil::TempDir>();
  log::LogOptions options;
  options.store.path = company->dir->path() + "/data";
  CRM_ASSIGN_OR_RETURN(company->log, log::EventLog::Open(options));
  CRM_ASSIGN_OR_RETURN(company->service, aggregates::CommandService::Open(*company->log));
  aggregates::CommandService& service = *company->service;
  const auto as = [](std::string user) {
    return aggregates::CommandMeta{
        .actor_id = std::move(user), .now_ms = kT0, .idempotency_key = {}, .request_fingerprint = std::nullopt};
  };
  // Every user needs a token of their own (token_in_use): byte 0 tells them apart.
  events::Sha256Digest token{};
  token[0] = 0xFF;
  CRM_RETURN_IF_ERROR(service
                          .CreateFirstAdmin({.user_id = "root",
                                             .name = "root",
                                             .role = events::Role::kAdmin,
                                             .team = "",
                                             .manager_id = "",
                                             .token_sha256 = token},
                                            kT0)
                          .status());
  token[0] = 0xFE;
  CRM_RETURN_IF_ERROR(service
                          .ExecuteUser(as("root"), aggregates::CreateUser{.user_id = "r1",
                                                                          .name = "r1",
                                                                          .role = events::Role::kReviewer,
                                                                          .team = "",
                                                                          .manager_id = "",
                                                                          .token_sha256 = token})
                          .status());
  company->customers.resize(kSubmittersMax);
  for (int s = 0; s < kSubmittersMax; ++s) {
    const std::string user = "s" + std::to_string(s);
    token[0] = static_cast<std::uint8_t>(s + 1);
    CRM_RETURN_IF_ERROR(service
                            .ExecuteUser(as("root"), aggregates::CreateUser{.user_id = user,
                                                                            .name = user,
                                                                            .role = events::Role::kSales,
                                                                            .team = "east",
                                                                            .manager_id = "",
                                                                            .token_sha256 = token})
                            .status());
    for (int c = 0; c < kCustomersPerSubmitter; ++c) {
      CRM_ASSIGN_OR_RETURN(
          const aggregates::CommandOutcome registered,
          service.RegisterCustomer(as(user), bench::SampleRegistration(s * 100 + c)));
      const auto& id = std::get<events::CustomerRegistered>(registered.events.front().event).customer_id;
      CRM_RETURN_IF_ERROR(
          service.ExecuteCustomer(as("r1"), id, aggregates::ReviewProtection{.approve = true, .reason = ""}).status());
      company->customers[static_cast<std::size_t>(s)].push_back(id);
    }
  }
  return company;
}

std::unique_ptr<Company> company;
std::once_flag company_built;
Status company_status;

bool EnsureCompany(benchmark::State& state) {
  std::call_once(company_built, [] {
    auto built = BuildCompany();
    company_status = built.status();
    if (built.ok()) company = std::move(built).value();
  });
  if (!company_status.ok()) state.SkipWithError(company_status.ToString().c_str());
  return company_status.ok();
}

aggregates::RecordFollowUp FollowUpCommand() {
  return aggregates::RecordFollowUp{
      .channel = events::FollowUpChannel::kPhone, .notes = kNotes, .next_contact_at_ms = kT0 + 7 * events::kMsPerDay};
}

void BM_FollowUpCommand(benchmark::State& state) {
  if (!EnsureCompany(state)) return;
  const std::size_t submitter = static_cast<std::size_t>(state.thread_index());
  const std::vector<std::string>& customers = company->customers[submitter];
  const aggregates::CommandMeta meta{.actor_id = "s" + std::to_string(submitter),
                                     .now_ms = kT0 + events::kMsPerSecond,
                                     .idempotency_key = {},
                                     .request_fingerprint = std::nullopt};
  const aggregates::CustomerCommand command = FollowUpCommand();
  // In the product every append goes through the service; here the raw benchmark's appends
  // bypass it, so its directory catches up with them once, outside the measurement.
  company->service->FindUser("root");
  std::size_t i = 0;
  for (auto _ : state) {
    const auto outcome = company->service->ExecuteCustomer(meta, customers[i++ % customers.size()], command);
    if (!outcome.ok()) {
      state.SkipWithError(outcome.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// The same event, appended directly: no state loaded, nothing decided, any version. It goes to
// a twin of each customer's stream ("customer-R<n>"), so that it does not outdate the command
// service's cached states between the two benchmarks' interleaved repetitions.
void BM_RawAppend(benchmark::State& state) {
  if (!EnsureCompany(state)) return;
  const std::size_t submitter = static_cast<std::size_t>(state.thread_index());
  const std::vector<std::string>& customers = company->customers[submitter];
  const std::string actor = "s" + std::to_string(submitter);
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& customer = customers[i++ % customers.size()];
    log::AppendBatch batch;
    batch.recorded_at_ms = kT0 + events::kMsPerSecond;
    batch.streams.push_back({"customer-R" + customer,
                             log::kAnyVersion,
                             {{events::FollowUpRecorded{.customer_id = customer,
                                                        .follow_up_id = "f" + std::to_string(i),
                                                        .channel = events::FollowUpChannel::kPhone,
                                                        .notes = kNotes,
                                                        .next_contact_at_ms = kT0 + 7 * events::kMsPerDay},
                               actor, std::nullopt}}});
    const auto appended = company->log->Append(std::move(batch));
    if (!appended.ok()) {
      state.SkipWithError(appended.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void Submitters(benchmark::internal::Benchmark* b) {
  b->Threads(1)->Threads(8)->Threads(kSubmittersMax)->UseRealTime();
}

BENCHMARK(BM_FollowUpCommand)->Apply(Submitters);
BENCHMARK(BM_RawAppend)->Apply(Submitters);

}  // namespace
}  // namespace crm::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  crm::bench::RatioReporter reporter("BM_FollowUpCommand", "BM_RawAppend",
                                     "Durable commands: CommandService vs raw EventLog append (sync on)");
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  if (reporter.any_errors()) {
    crm::bench::company.reset();
    return 1;
  }
  crm::bench::company.reset();
  return 0;
}
