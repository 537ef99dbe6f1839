// POST /v1/users, POST /v1/users/{id}/deactivate, POST /v1/users/{id}/handover, PUT /v1/policy,
// POST /v1/test/clock. The deciders check roles (admin, manager) like every other rule.
#include <utility>

#include "events/log/sha256.h"
#include "events/time_format.h"
#include "aggregates/field_checks.h"
#include "server/api/body_reader.h"
#include "server/api/command_bodies.h"
#include "server/app/caller.h"
#include "server/app/command_routes.h"
#include "server/app/command_runner.h"
#include "server/app/token.h"

namespace crm::server::app {
namespace {

using aggregates::CommandMeta;
using aggregates::CommandOutcome;
using aggregates::UserState;

CommandRoute OnUser(AppContext& app, const PathParams& params) {
  return CommandRoute{.success_status = 200, .hidden_reason = "user_not_found",
                      .hidden_what = "user " + params.at("id"), .visible = UserVisible(app, params.at("id")),
                      .decorate = {}};
}

RouteHandler CreateUserHandler(AppContext& app) {
  return [&app](const http::HttpRequest& request, const PathParams&) {
    // The token is made before the decision and answered once; a refused creation forgets it.
    // A replayed Idempotency-Key answers without it: the first answer carried it, and the log
    // keeps only its hash.
    auto token = std::make_shared<std::string>();
    const CommandRoute route{
        .success_status = 201, .hidden_reason = {}, .hidden_what = {}, .visible = {},
        .decorate = [token](const CommandOutcome& outcome, Json& answer) {
          if (const auto* created = FindEvent<events::UserCreated>(outcome)) answer["id"] = created->user_id;
          answer["token"] = outcome.duplicate ? Json(nullptr) : Json(*token);
        }};
    return RunCommand(app, request, route,
                      [&](const UserState&, const CommandMeta& meta, const api::Json& body) -> Result<CommandOutcome> {
                        CRM_ASSIGN_OR_RETURN(aggregates::CreateUser command, api::ParseCreateUser(body));
                        CRM_ASSIGN_OR_RETURN(*token, NewToken());
                        command.token_sha256 = log::Sha256(*token);
                        return app.commands.ExecuteUser(meta, aggregates::UserCommand(std::move(command)));
                      });
  };
}

RouteHandler DeactivateUserHandler(AppContext& app) {
  return [&app](const http::HttpRequest& request, const PathParams& params) {
    return RunCommand(app, request, OnUser(app, params),
                      [&](const UserState&, const CommandMeta& meta, const api::Json& body) -> Result<CommandOutcome> {
                        api::BodyReader reader(body);
                        aggregates::DeactivateUser command{.user_id = params.at("id"),
                                                           .reason = reader.OptionalString(
                                                               "reason", aggregates::kLongTextBytesMax)};
                        CRM_RETURN_IF_ERROR(reader.Finish());
                        return app.commands.ExecuteUser(meta, aggregates::UserCommand(std::move(command)));
                      });
  };
}

RouteHandler HandOverHandler(AppContext& app) {
  return [&app](const http::HttpRequest& request, const PathParams& params) {
    CommandRoute route = OnUser(app, params);
    route.decorate = [](const CommandOutcome& outcome, Json& answer) {
      const auto* handover = FindEvent<events::CustomersHandedOver>(outcome);
      answer["customerIds"] = handover != nullptr ? Json(handover->customer_ids) : Json::array();
    };
    return RunCommand(app, request, route,
                      [&](const UserState&, const CommandMeta& meta, const api::Json& body) -> Result<CommandOutcome> {
                        CRM_ASSIGN_OR_RETURN(aggregates::HandOverCustomers command,
                                             api::ParseHandOver(body, params.at("id")));
                        return app.commands.HandOver(meta, command);
                      });
  };
}

RouteHandler ChangePolicyHandler(AppContext& app) {
  return [&app](const http::HttpRequest& request, const PathParams&) {
    const CommandRoute route{.success_status = 200, .hidden_reason = {}, .hidden_what = {}, .visible = {},
                             .decorate = {}};
    return RunCommand(app, request, route,
                      [&](const UserState&, const CommandMeta& meta, const api::Json& body) -> Result<CommandOutcome> {
                        // Merged into the policy in force now; the decider checks every range.
                        CRM_ASSIGN_OR_RETURN(aggregates::ChangePolicy command,
                                             api::ParsePolicyChange(body, app.commands.PolicyAt(meta.now_ms)));
                        return app.commands.ChangePolicy(meta, command);
                      });
  };
}

Result<Json> SetTestClock(AppContext& app, const http::HttpRequest& request) {
  CRM_ASSIGN_OR_RETURN(const UserState caller, Authenticate(request.authorization, app.commands));
  CRM_RETURN_IF_ERROR(RequireRole(caller, {events::Role::kAdmin}));
  CRM_ASSIGN_OR_RETURN(const api::Json body, api::ParseJsonBody(request.body.empty() ? "{}" : request.body,
                                                                api::JsonBodyOptions{.depth_max = app.options.json_depth_max}));
  CRM_ASSIGN_OR_RETURN(const events::TimeMs now_ms, api::ParseTestClock(body));
  CRM_RETURN_IF_ERROR(app.clock.Set(now_ms));
  // The releases the new time made due are written now, so the feed shows them at once.
  if (app.options.after_clock_change) app.options.after_clock_change();
  return Json{{"now", events::FormatRfc3339(now_ms)}, {"seq", app.log.HeadSeq()}};
}

}  // namespace

void AddAdminCommandRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/users", CreateUserHandler(app));
  router.Add("POST", "/v1/users/{id}/deactivate", DeactivateUserHandler(app));
  router.Add("POST", "/v1/users/{id}/handover", HandOverHandler(app));
  router.Add("PUT", "/v1/policy", ChangePolicyHandler(app));
  if (app.clock.is_test()) {
    // Without --test-clock the endpoint does not exist (api.md): an unknown path, 404.
    router.Add("POST", "/v1/test/clock", [&app](const http::HttpRequest& request, const PathParams&) {
      Result<Json> answer = SetTestClock(app, request);
      if (!answer.ok()) return StatusResponse(answer.status());
      return JsonResponse(200, *answer);
    });
  }
}

}  // namespace crm::server::app
