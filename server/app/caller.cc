#include "server/app/caller.h"

#include "events/log/sha256.h"

namespace crm::server::app {
namespace {

constexpr std::string_view kBearer = "bearer ";

bool StartsWithBearer(std::string_view header) {
  if (header.size() < kBearer.size()) return false;
  for (std::size_t i = 0; i < kBearer.size(); ++i) {
    const char c = header[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != kBearer[i]) return false;
  }
  return true;
}

Status Unauthenticated(std::string reason, std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(reason), std::move(message));
}

}  // namespace

Result<aggregates::UserState> Authenticate(std::string_view authorization, aggregates::CommandService& service) {
  if (!StartsWithBearer(authorization)) {
    return Unauthenticated("missing_token", "send Authorization: Bearer <token>");
  }
  std::string_view token = authorization.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return Unauthenticated("missing_token", "send Authorization: Bearer <token>");
  if (token.size() > kTokenBytesMax) return Unauthenticated("unknown_token", "no user has this token");
  std::optional<aggregates::UserState> user = service.FindUserByToken(log::Sha256(token));
  if (!user.has_value()) return Unauthenticated("unknown_token", "no user has this token");
  if (!user->active) {
    return Status::PermissionDenied("user_deactivated", "user " + user->user_id + " has been deactivated");
  }
  return *std::move(user);
}

}  // namespace crm::server::app
