// Bearer tokens the server issues (POST /v1/users): 32 random bytes from OpenSSL's CSPRNG, as
// "crm_" + 64 hex digits. Only their SHA-256 is stored (api.md "Auth").
#pragma once

#include <string>

#include "events/status.h"

namespace crm::server::app {

// kInternal/no_randomness when the CSPRNG fails (it does not, on a seeded system).
Result<std::string> NewToken();

}  // namespace crm::server::app
