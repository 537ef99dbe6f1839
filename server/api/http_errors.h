// How a refusal goes on the wire (api.md "Errors"): the HTTP status its category maps to, and
// the body {"error":{"code":reason,"message":message,"details":{...}}}.
//
// The status is the category's, as docs/rules.md's refusal table lists it:
//
//   kInvalidArgument 400   kUnauthenticated 401   kPermissionDenied 403   kNotFound 404
//   kConflict 409          kTooLarge 413          kResourceExhausted 429  kUnavailable 503
//   kCorruption, kIOError, kInternal 500          (kOk 200)
//
// kTooLarge is 413 for every reason, handover_too_large included: docs/rules.md lists it as 413
// ("more than 4000 customers in one handover"), and clients switch on the code anyway.
// Visibility is not decided here: where a route must hide an object (not_your_team on a
// customer the caller cannot see is 404, rules.md), the route turns the Status into
// kNotFound before answering.
#pragma once

#include <string>

#include "events/status.h"

namespace crm::server::api {

// The HTTP status for `status`'s category; 200 for ok.
int HttpStatusFor(const Status& status);

// The error body, compact, UTF-8 (any invalid byte in a message is replaced, never thrown on).
// Details keep their string values. A 500's words and details stay in the server's log, not in
// the answer: they name files and invariants, which tell a client nothing it can act on and an
// attacker something; the code is kept so that a report can be matched to the log.
// REQUIRES: !status.ok().
std::string ErrorBodyJson(const Status& status);

}  // namespace crm::server::api
