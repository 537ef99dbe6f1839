#include "server/app/caller.h"
#include "server/app/read_routes.h"

namespace crm::server::app {
namespace {

Result<JsonText> Read(AppContext& app, const std::vector<std::string_view>& known, const ReadFn& read,
                      const http::HttpRequest& request, const PathParams& params) {
  CRM_ASSIGN_OR_RETURN(aggregates::UserState caller, Authenticate(request.authorization, app.commands));
  CRM_ASSIGN_OR_RETURN(const api::QueryParams query, ReadQuery(request, known));
  CRM_ASSIGN_OR_RETURN(const ReadPoint point, ResolveReadPoint(app, query));
  const Visibility viewer(std::move(caller), [&app](const std::string& id) { return app.commands.FindUser(id); });
  return read(viewer, query, point, params);
}

}  // namespace

RouteHandler ReadHandler(AppContext& app, std::vector<std::string_view> known, ReadFn read) {
  return [&app, known = std::move(known), read = std::move(read)](const http::HttpRequest& request,
                                                                  const PathParams& params) {
    Result<JsonText> answer = Read(app, known, read, request, params);
    if (!answer.ok()) return StatusResponse(answer.status());
    return JsonResponse(200, std::move(answer).value());
  };
}

std::function<std::string(std::string_view)> UserNames(AppContext& app) {
  auto names = std::make_shared<std::map<std::string, std::string, std::less<>>>();
  return [&app, names](std::string_view user_id) -> std::string {
    if (user_id.empty()) return {};
    const auto found = names->find(user_id);
    if (found != names->end()) return found->second;
    const std::optional<aggregates::UserState> user = app.commands.FindUser(std::string(user_id));
    std::string name = user.has_value() ? user->name : std::string();
    names->emplace(std::string(user_id), name);
    return name;
  };
}

}  // namespace crm::server::app
