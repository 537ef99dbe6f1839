#include "server/app/command_runner.h"

#include "events/log/sha256.h"
#include "projections/json/event_json.h"
#include "server/app/caller.h"

namespace crm::server::app {
namespace {

Result<aggregates::CommandMeta> MetaFor(AppContext& app, const http::HttpRequest& request,
                                        const aggregates::UserState& caller) {
  aggregates::CommandMeta meta;
  meta.actor_id = caller.user_id;
  meta.now_ms = app.clock.Now();
  if (!request.idempotency_key.empty()) {
    if (request.idempotency_key.size() > kIdempotencyKeyBytesMax) {
      return Status::InvalidArgument("invalid_idempotency_key",
                                     "Idempotency-Key is longer than " + std::to_string(kIdempotencyKeyBytesMax) +
                                         " bytes");
    }
    // Scoped to the caller: two users' keys never collide. Bound to the request: the same key
    // with another path or body is idempotency_key_reused, not a silent replay.
    meta.idempotency_key = caller.user_id + "\n" + request.idempotency_key;
    meta.request_fingerprint = log::Sha256(request.method + " " + request.path + "\n" + request.body);
  }
  return meta;
}

Status Hide(const Status& status, const CommandRoute& route) {
  if (status.reason() != "not_your_team" || route.hidden_reason.empty()) return status;
  return Status::NotFound(route.hidden_reason, "no " + route.hidden_what);
}

Result<Json> Execute(AppContext& app, const http::HttpRequest& request, const CommandRoute& route,
                     const CommandExecutor& execute) {
  CRM_ASSIGN_OR_RETURN(const aggregates::UserState caller, Authenticate(request.authorization, app.commands));
  CRM_ASSIGN_OR_RETURN(const api::Json body, api::ParseJsonBody(request.body.empty() ? "{}" : request.body,
                                                                api::JsonBodyOptions{.depth_max = app.options.json_depth_max}));
  CRM_ASSIGN_OR_RETURN(const aggregates::CommandMeta meta, MetaFor(app, request, caller));
  Result<aggregates::CommandOutcome> outcome = execute(caller, meta, body);
  if (!outcome.ok()) return Hide(outcome.status(), route);
  Json answer = Json::object();
  answer["seq"] = outcome->last_seq;
  if (route.decorate) route.decorate(*outcome, answer);
  Json appended = Json::array();
  for (const events::RecordedEvent& recorded : outcome->events) {
    appended.push_back(projections::json::ApiEventJson(recorded));
  }
  answer["events"] = std::move(appended);
  return answer;
}

}  // namespace

http::HttpResponse RunCommand(AppContext& app, const http::HttpRequest& request, const CommandRoute& route,
                              const CommandExecutor& execute) {
  Result<Json> answer = Execute(app, request, route, execute);
  if (!answer.ok()) return StatusResponse(answer.status());
  return JsonResponse(route.success_status, *answer);
}

}  // namespace crm::server::app
