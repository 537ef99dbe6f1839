#include "server/app/command_runner.h"

#include "events/log/sha256.h"
#include "projections/json/event_json.h"
#include "server/app/caller.h"
#include "server/app/visibility.h"

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

bool MayHide(const Status& status, const CommandRoute& route) {
  const bool about_access = status.reason() == "not_owner" || status.reason() == "not_your_team";
  return about_access && static_cast<bool>(route.visible);
}

Status Hide(const Status& status, const CommandRoute& route, const aggregates::UserState& caller) {
  if (!MayHide(status, route) || route.visible(caller)) return status;
  return Status::NotFound(route.hidden_reason, "no " + route.hidden_what);
}

Visibility ViewerOf(AppContext& app, const aggregates::UserState& caller) {
  return Visibility(caller, [&app](const std::string& id) { return app.commands.FindUser(id); });
}

// The live views, once they hold every acknowledged command (as a read would see them); a
// refusal is answered even if they lag, judged on what they hold.
void WaitForAcknowledged(AppContext& app) {
  (void)WaitForViews(app, app.log.HeadSeq());
}

// What every command request starts from: its caller, its body and its meta.
struct Prepared {
  aggregates::UserState caller;
  api::Json body;
  aggregates::CommandMeta meta;
};

Result<Prepared> Prepare(AppContext& app, const http::HttpRequest& request) {
  CRM_ASSIGN_OR_RETURN(aggregates::UserState caller, Authenticate(request.authorization, app.commands));
  CRM_ASSIGN_OR_RETURN(api::Json body,
                       api::ParseJsonBody(request.body.empty() ? "{}" : request.body,
                                          api::JsonBodyOptions{.depth_max = app.options.json_depth_max}));
  CRM_ASSIGN_OR_RETURN(aggregates::CommandMeta meta, MetaFor(app, request, caller));
  return Prepared{.caller = std::move(caller), .body = std::move(body), .meta = std::move(meta)};
}

Json AnswerOf(const CommandRoute& route, const aggregates::CommandOutcome& outcome) {
  Json answer = Json::object();
  answer["seq"] = outcome.last_seq;
  if (route.decorate) route.decorate(outcome, answer);
  Json appended = Json::array();
  for (const events::RecordedEvent& recorded : outcome.events) {
    appended.push_back(projections::json::ApiEventJson(recorded));
  }
  answer["events"] = std::move(appended);
  return answer;
}

Result<Json> Execute(AppContext& app, const http::HttpRequest& request, const CommandRoute& route,
                     const CommandExecutor& execute) {
  CRM_ASSIGN_OR_RETURN(const Prepared prepared, Prepare(app, request));
  Result<aggregates::CommandOutcome> outcome = execute(prepared.caller, prepared.meta, prepared.body);
  if (!outcome.ok()) return Hide(outcome.status(), route, prepared.caller);
  return AnswerOf(route, *outcome);
}

}  // namespace

VisibleFn CustomerVisible(AppContext& app, std::string customer_id) {
  return [&app, customer_id = std::move(customer_id)](const aggregates::UserState& caller) {
    WaitForAcknowledged(app);
    const Visibility viewer = ViewerOf(app, caller);
    const events::TimeMs now = app.clock.Now();
    bool seen = false;
    const Status read = app.views.Read<projections::CustomersView>(
        projections::CustomersView::kName, [&](const projections::CustomersView& customers, events::Seq) {
          const projections::CustomerSummary* customer = customers.Find(customer_id);
          seen = customer != nullptr && viewer.SeesCustomer(*customer, now);
        });
    return read.ok() && seen;
  };
}

VisibleFn UserVisible(AppContext& app, std::string user_id) {
  return [&app, user_id = std::move(user_id)](const aggregates::UserState& caller) {
    return ViewerOf(app, caller).SeesUser(user_id);
  };
}

VisibleFn ContractVisible(AppContext& app, std::string contract_no) {
  return [&app, contract_no = std::move(contract_no)](const aggregates::UserState& caller) {
    WaitForAcknowledged(app);
    const Visibility viewer = ViewerOf(app, caller);
    const events::TimeMs now = app.clock.Now();
    std::optional<projections::ContractRecord> record;
    const Status contracts = app.views.Read<projections::ContractsView>(
        projections::kContractsViewName, [&](const projections::ContractsView& view, events::Seq) {
          if (const projections::ContractRecord* found = view.Find(contract_no)) record = *found;
        });
    if (!contracts.ok() || !record.has_value()) return false;
    bool seen = false;
    const Status customers = app.views.Read<projections::CustomersView>(
        projections::CustomersView::kName, [&](const projections::CustomersView& view, events::Seq) {
          seen = viewer.SeesContract(*record, view.Find(record->contract.customer_id), now);
        });
    return customers.ok() && seen;
  };
}

http::HttpResponse RunCommand(AppContext& app, const http::HttpRequest& request, const CommandRoute& route,
                              const CommandExecutor& execute) {
  Result<Json> answer = Execute(app, request, route, execute);
  if (!answer.ok()) return StatusResponse(answer.status());
  return JsonResponse(route.success_status, *answer);
}

void RunCommandAsync(AppContext& app, const http::HttpRequest& request, CommandRoute route,
                     const AsyncCommandExecutor& execute, const http::HttpResponder& responder) {
  Result<Prepared> prepared = Prepare(app, request);
  if (!prepared.ok()) return responder.respond(StatusResponse(prepared.status()));
  auto shared_route = std::make_shared<const CommandRoute>(std::move(route));
  execute(prepared->caller, prepared->meta, prepared->body, responder,
          [shared_route, caller = prepared->caller, responder](Result<aggregates::CommandOutcome> outcome) {
            if (outcome.ok()) {
              return responder.respond(JsonResponse(shared_route->success_status, AnswerOf(*shared_route, *outcome)));
            }
            if (!MayHide(outcome.status(), *shared_route)) return responder.respond(StatusResponse(outcome.status()));
            responder.post_blocking([shared_route, caller, responder, status = outcome.status()] {
              responder.respond(StatusResponse(Hide(status, *shared_route, caller)));
            });
          });
}

}  // namespace crm::server::app
