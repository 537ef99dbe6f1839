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

struct CommandRoute {
  unsigned success_status = 200;  // 201 for commands that create
  // The object a refusal with not_your_team hides (api.md: not visible is 404): its not-found
  // reason and words, e.g. "customer_not_found", "customer C7".
  std::string hidden_reason;
  std::string hidden_what;
  AnswerDecorator decorate;  // Default: none.
};

http::HttpResponse RunCommand(AppContext& app, const http::HttpRequest& request, const CommandRoute& route,
                              const CommandExecutor& execute);

// The first event of type E among the outcome's, or nullptr.
template <class E>
const E* FindEvent(const aggregates::CommandOutcome& outcome) {
  for (const events::RecordedEvent& recorded : outcome.events) {
    if (const auto* event = std::get_if<E>(&recorded.event)) return event;
  }
  return nullptr;
}

}  // namespace crm::server::app
