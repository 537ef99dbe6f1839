#include "events/status.h"

namespace crm {
namespace {

const std::string& EmptyString() {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}

const StatusDetails& EmptyDetails() {
  static const StatusDetails* const kEmpty = new StatusDetails();
  return *kEmpty;
}

}  // namespace

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kPermissionDenied: return "permission_denied";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kConflict: return "conflict";
    case StatusCode::kTooLarge: return "too_large";
    case StatusCode::kResourceExhausted: return "resource_exhausted";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kIOError: return "io_error";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

Status::Status(StatusCode code, std::string reason, std::string message, StatusDetails details) {
  if (code == StatusCode::kOk) return;
  state_ = std::make_shared<const State>(State{code, std::move(reason), std::move(message), std::move(details)});
}

#define CRM_DEFINE_STATUS_FACTORY(Name, Code)                                                   \
  Status Status::Name(std::string reason, std::string message, StatusDetails details) {         \
    return Status(StatusCode::Code, std::move(reason), std::move(message), std::move(details)); \
  }
CRM_DEFINE_STATUS_FACTORY(InvalidArgument, kInvalidArgument)
CRM_DEFINE_STATUS_FACTORY(NotFound, kNotFound)
CRM_DEFINE_STATUS_FACTORY(Conflict, kConflict)
CRM_DEFINE_STATUS_FACTORY(PermissionDenied, kPermissionDenied)
CRM_DEFINE_STATUS_FACTORY(TooLarge, kTooLarge)
CRM_DEFINE_STATUS_FACTORY(Corruption, kCorruption)
CRM_DEFINE_STATUS_FACTORY(IOError, kIOError)
CRM_DEFINE_STATUS_FACTORY(Unavailable, kUnavailable)
CRM_DEFINE_STATUS_FACTORY(Internal, kInternal)
#undef CRM_DEFINE_STATUS_FACTORY

const std::string& Status::reason() const {
  return ok() ? EmptyString() : state_->reason;
}
const std::string& Status::message() const {
  return ok() ? EmptyString() : state_->message;
}
const StatusDetails& Status::details() const {
  return ok() ? EmptyDetails() : state_->details;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(state_->code));
  out += "/" + state_->reason + ": " + state_->message;
  if (!state_->details.empty()) {
    out += " (";
    bool first = true;
    for (const auto& [key, value] : state_->details) {
      if (!first) out += ", ";
      out += key + "=" + value;
      first = false;
    }
    out += ")";
  }
  return out;
}

}  // namespace crm
