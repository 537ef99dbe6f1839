// SHA-256 from OpenSSL's libcrypto, for the hash chain and for hashing bearer tokens.
#pragma once

#include <string>
#include <string_view>

#include "events/event_types.h"

namespace crm::log {

// Thread-safe; each thread keeps its own digest context, so the hot path allocates nothing.
events::Sha256Digest Sha256(std::string_view bytes);

// Lower-case hex, 64 characters.
std::string ToHex(const events::Sha256Digest& digest);

}  // namespace crm::log
