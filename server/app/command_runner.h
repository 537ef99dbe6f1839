// How every command route runs (api.md "Conventions"): the caller from the token, the body as
// strict JSON (an empty body reads as {}), the Idempotency-Key scoped to the caller and bound to
// the request's bytes, the command service's decision, and the answer: the log position of the
// last event once it is durable ("seq") and the events the command appended.
#pragma once

#include <functional>
#include <string>

#include "server/api/json_body.h"
#include "server/app/route_support.h"

namespace crm::server::app {

// Longest Idempotency-Key accepted.
inline constexpr std::size_t kIdempotencyKeyBytesMax = 200;

// What the command route decides for one request. `caller` is authenticated and active.
using CommandExecutor = std::function<Result<aggregates::CommandOutcome>(
    const aggregates::UserState& caller, const aggregates::CommandMeta& meta, const api::Json& body)>;

// Adds the route's own fields (e.g. "id" of a new customer) to the answer.
using AnswerDecorator = std::function<void(const aggregates::CommandOutcome& outcome, Json& answer)>;

// Whether the caller may see the object a command is about (visibility.h).
using VisibleFn = std::function<bool(const aggregates::UserState& caller)>;

struct CommandRoute {
  unsigned success_status = 200;  // 201 for commands that create
  // The object the command is about. A refusal for ownership or team (not_owner,
  // not_your_team) on an object the caller cannot see is answered as if it did not exist
  // (api.md: not visible is 404), with this reason and words, e.g. "customer_not_found",
  // "customer C7"; a visible one keeps its 403. Default: none (nothing to hide).
  std::string hidden_reason;
  std::string hidden_what;
  VisibleFn visible;
  AnswerDecorator decorate;  // Default: none.
};

// VisibleFn of a customer, a user and a contract, judged on the live views now.
VisibleFn CustomerVisible(AppContext& app, std::string customer_id);
VisibleFn UserVisible(AppContext& app, std::string user_id);
VisibleFn ContractVisible(AppContext& app, std::string contract_no);

http::HttpResponse RunCommand(AppContext& app, const http::HttpRequest& request, const CommandRoute& route,
                              const CommandExecutor& execute);

// A CommandExecutor that answers through `done` (once, from any thread) instead of returning:
// it may queue the command (CommandService::ExecuteCustomerAsync, with responder.post) or hand
// a blocking one to a worker (responder.post_blocking). Called on an I/O thread.
using AsyncCommandExecutor =
    std::function<void(const aggregates::UserState& caller, const aggregates::CommandMeta& meta, const api::Json& body,
                       const http::HttpResponder& responder, aggregates::CommandService::OutcomeDone done)>;

// RunCommand for the transport's async path: the same answers, with no thread held while the
// command's append syncs. A refusal that may have to be hidden is judged on a worker (the
// views may have to catch up first).
void RunCommandAsync(AppContext& app, const http::HttpRequest& request, CommandRoute route,
                     const AsyncCommandExecutor& execute, const http::HttpResponder& responder);

// The first event of type E among the outcome's, or nullptr.
template <class E>
const E* FindEvent(const aggregates::CommandOutcome& outcome) {
  for (const events::RecordedEvent& recorded : outcome.events) {
    if (const auto* event = std::get_if<E>(&recorded.event)) return event;
  }
  return nullptr;
}

}  // namespace crm::server::app
