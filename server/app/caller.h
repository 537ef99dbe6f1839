// Who is calling: the user behind a request's bearer token (api.md "Auth"). The token itself is
// never stored or logged; only its SHA-256 is compared with the one the user was created with.
#pragma once

#include <string_view>

#include "aggregates/service/command_service.h"
#include "events/status.h"

namespace crm::server::app {

// Longest token we hash; a longer Authorization header is not one of ours.
inline constexpr std::size_t kTokenBytesMax = 512;

// The user of `authorization` ("Bearer <token>", the scheme in any case):
//   401 missing_token      no header, another scheme, or an empty token
//   401 unknown_token      no user has this token
//   403 user_deactivated   the user exists and may do nothing any more
Result<aggregates::UserState> Authenticate(std::string_view authorization, aggregates::CommandService& service);

}  // namespace crm::server::app
