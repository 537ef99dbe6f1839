// POST /v1/customers..., POST /v1/contracts/{no}/payments: each parses its body into a command
// (server/api/command_bodies.h) and hands it to the command service, which decides with the
// caller as actor. Roles and ownership are the deciders' rules; the shell only hides what the
// caller may not see (a refusal for ownership or team on a customer they cannot see is 404).
#include <utility>

#include "events/time_format.h"
#include "server/api/command_bodies.h"
#include "server/app/command_routes.h"
#include "server/app/command_runner.h"

namespace crm::server::app {
namespace {

using aggregates::CommandMeta;
using aggregates::CommandOutcome;
using aggregates::UserState;

CommandRoute OnCustomer(AppContext& app, const PathParams& params, unsigned success_status, AnswerDecorator decorate) {
  return CommandRoute{.success_status = success_status,
                      .hidden_reason = "customer_not_found",
                      .hidden_what = "customer " + params.at("id"),
                      .visible = CustomerVisible(app, params.at("id")),
                      .decorate = std::move(decorate)};
}

// A route whose body becomes one CustomerCommand through `parse(body, params)`.
template <class Parse>
RouteHandler CustomerCommandHandler(AppContext& app, Parse parse, unsigned success_status = 200,
                                    AnswerDecorator decorate = {}) {
  return [&app, parse, success_status, decorate](const http::HttpRequest& request, const PathParams& params) {
    return RunCommand(app, request, OnCustomer(app, params, success_status, decorate),
                      [&](const UserState&, const CommandMeta& meta, const api::Json& body) -> Result<CommandOutcome> {
                        CRM_ASSIGN_OR_RETURN(auto command, parse(body, params));
                        return app.commands.ExecuteCustomer(meta, params.at("id"),
                                                            aggregates::CustomerCommand(std::move(command)));
                      });
  };
}

// The same route answered without holding a thread while the append syncs. Claims and
// reassignments hold a user's lock from decision to append, so they still run on a worker.
template <class Parse>
AsyncRouteHandler CustomerCommandAsyncHandler(AppContext& app, Parse parse, unsigned success_status = 200,
                                              AnswerDecorator decorate = {}) {
  return [&app, parse, success_status, decorate](const http::HttpRequest& request, const PathParams& params,
                                                 const http::HttpResponder& responder) {
    RunCommandAsync(
        app, request, OnCustomer(app, params, success_status, decorate),
        [&](const UserState&, const CommandMeta& meta, const api::Json& body, const http::HttpResponder& answer_with,
            aggregates::CommandService::OutcomeDone done) {
          auto parsed = parse(body, params);
          if (!parsed.ok()) return done(parsed.status());
          aggregates::CustomerCommand command(std::move(*parsed));
          std::string customer_id = params.at("id");
          if (aggregates::CommandService::HoldsUserLock(command)) {
            return answer_with.post_blocking([&app, meta, customer_id, command, done] {
              done(app.commands.ExecuteCustomer(meta, customer_id, command));
            });
          }
          app.commands.ExecuteCustomerAsync(meta, std::move(customer_id), std::move(command), answer_with.post,
                                            std::move(done));
        },
        responder);
  };
}

// Registers a customer command route, answerable both ways.
template <class Parse>
void AddCustomerCommand(Router& router, AppContext& app, std::string pattern, Parse parse,
                        unsigned success_status = 200, AnswerDecorator decorate = {}) {
  router.Add("POST", std::move(pattern), CustomerCommandHandler(app, parse, success_status, decorate),
             CustomerCommandAsyncHandler(app, parse, success_status, decorate));
}

void DecorateRegistration(const CommandOutcome& outcome, Json& answer) {
  if (const auto* registered = FindEvent<events::CustomerRegistered>(outcome)) answer["id"] = registered->customer_id;
  if (const auto* protected_event = FindEvent<events::CustomerProtected>(outcome)) {
    answer["stage"] = "potential";
    answer["ownerId"] = protected_event->owner_id;
    answer["deadline"] = events::FormatRfc3339(protected_event->deadline_ms);
    answer["reviewDeadline"] = events::FormatRfc3339(protected_event->review_deadline_ms);
  }
}

void DecorateExtensionRequest(const CommandOutcome& outcome, Json& answer) {
  if (const auto* requested = FindEvent<events::ExtensionRequested>(outcome)) answer["requestId"] = requested->request_id;
}

void DecoratePromotionRequest(const CommandOutcome& outcome, Json& answer) {
  // Without promotionNeedsApproval the request promotes at once and no request is left open.
  const auto* requested = FindEvent<events::PromotionRequested>(outcome);
  answer["requestId"] = requested != nullptr ? Json(requested->request_id) : Json(nullptr);
  if (const auto* promoted = FindEvent<events::CustomerPromoted>(outcome)) {
    answer["stage"] = "intention";
    answer["deadline"] = events::FormatRfc3339(promoted->deadline_ms);
  }
}

void DecoratePayment(const CommandOutcome& outcome, Json& answer) {
  if (const auto* payment = FindEvent<events::PaymentRecorded>(outcome)) answer["paymentId"] = payment->payment_id;
}

}  // namespace

void AddCustomerCommandRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/customers", [&app](const http::HttpRequest& request, const PathParams&) {
    const CommandRoute route{.success_status = 201, .hidden_reason = {}, .hidden_what = {}, .visible = {},
                             .decorate = DecorateRegistration};
    return RunCommand(app, request, route,
                      [&](const UserState&, const CommandMeta& meta, const api::Json& body) -> Result<CommandOutcome> {
                        CRM_ASSIGN_OR_RETURN(aggregates::RegisterCustomer command, api::ParseRegisterCustomer(body));
                        return app.commands.RegisterCustomer(meta, std::move(command));
                      });
  });
  const auto no_path = [](auto parse) {
    return [parse](const api::Json& body, const PathParams&) { return parse(body); };
  };
  const auto request_id = [](auto parse) {
    return [parse](const api::Json& body, const PathParams& params) { return parse(body, params.at("rid")); };
  };
  AddCustomerCommand(router, app, "/v1/customers/{id}/protect", no_path(api::ParseProtectCustomer));
  AddCustomerCommand(router, app, "/v1/customers/{id}/review", no_path(api::ParseReviewProtection));
  AddCustomerCommand(router, app, "/v1/customers/{id}/contacts", no_path(api::ParseAddContact));
  AddCustomerCommand(router, app, "/v1/customers/{id}/followups", no_path(api::ParseRecordFollowUp));
  AddCustomerCommand(router, app, "/v1/customers/{id}/extension-requests", no_path(api::ParseRequestExtension), 201,
                     DecorateExtensionRequest);
  AddCustomerCommand(router, app, "/v1/customers/{id}/extension-requests/{rid}/decision",
                     request_id(api::ParseDecideExtension));
  AddCustomerCommand(router, app, "/v1/customers/{id}/promotion-requests", no_path(api::ParseRequestPromotion), 201,
                     DecoratePromotionRequest);
  AddCustomerCommand(router, app, "/v1/customers/{id}/promotion-requests/{rid}/decision",
                     request_id(api::ParseDecidePromotion));
  AddCustomerCommand(router, app, "/v1/customers/{id}/abandon", no_path(api::ParseAbandonCustomer));
  AddCustomerCommand(router, app, "/v1/customers/{id}/contracts", no_path(api::ParseSignContract), 200,
                     [](const CommandOutcome& outcome, Json& answer) {
                       if (const auto* signed_event = FindEvent<events::ContractSigned>(outcome)) {
                         answer["contractNo"] = signed_event->contract_no;
                       }
                     });
  AddCustomerCommand(router, app, "/v1/customers/{id}/reassign", no_path(api::ParseReassignCustomer));
  router.Add("POST", "/v1/contracts/{no}/payments", [&app](const http::HttpRequest& request, const PathParams& params) {
    const CommandRoute route{.success_status = 200, .hidden_reason = "contract_not_found",
                             .hidden_what = "contract " + params.at("no"),
                             .visible = ContractVisible(app, params.at("no")), .decorate = DecoratePayment};
    return RunCommand(app, request, route,
                      [&](const UserState&, const CommandMeta& meta, const api::Json& body) -> Result<CommandOutcome> {
                        CRM_ASSIGN_OR_RETURN(aggregates::RecordPayment command,
                                             api::ParseRecordPayment(body, params.at("no")));
                        return app.commands.RecordPayment(meta, command);
                      });
  });
}

}  // namespace crm::server::app
