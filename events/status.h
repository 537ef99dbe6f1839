// Status and Result: how every fallible call in the product reports an expected failure.
//
// A Status carries three things:
//   - code():    the category, which the HTTP layer maps to a status (kConflict -> 409, ...);
//   - reason():  a stable machine code that clients may switch on ("already_protected",
//                "wrong_expected_version"); never reworded once released;
//   - message(): words a salesperson understands; may be reworded freely.
// plus optional details (string key/values such as the existing customer's id).
//
// Expected failures are values; bugs crash. Nothing in the domain throws.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace crm {

enum class StatusCode : unsigned char {
  kOk = 0,
  kInvalidArgument,    // malformed or invalid input (400)
  kUnauthenticated,    // no or unknown credentials (401)
  kPermissionDenied,   // role or data scope forbids it (403)
  kNotFound,           // unknown, or not visible to the caller (404)
  kConflict,           // the rules refuse it in the current state (409)
  kTooLarge,           // a size limit was exceeded (413)
  kResourceExhausted,  // a rate or capacity limit was hit (429)
  kCorruption,         // stored bytes are not what was written
  kIOError,            // the disk or the OS failed us
  kUnavailable,        // shutting down, or not open
  kInternal,           // an invariant broke; a bug
};

std::string_view StatusCodeName(StatusCode code);

using StatusDetails = std::map<std::string, std::string>;

class [[nodiscard]] Status {
 public:
  // An ok status: costs one null pointer.
  Status() = default;

  Status(StatusCode code, std::string reason, std::string message, StatusDetails details = {});

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string reason, std::string message, StatusDetails details = {});
  static Status NotFound(std::string reason, std::string message, StatusDetails details = {});
  static Status Conflict(std::string reason, std::string message, StatusDetails details = {});
  static Status PermissionDenied(std::string reason, std::string message, StatusDetails details = {});
  static Status TooLarge(std::string reason, std::string message, StatusDetails details = {});
  static Status Corruption(std::string reason, std::string message, StatusDetails details = {});
  static Status IOError(std::string reason, std::string message, StatusDetails details = {});
  static Status Unavailable(std::string reason, std::string message, StatusDetails details = {});
  static Status Internal(std::string reason, std::string message, StatusDetails details = {});

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return ok() ? StatusCode::kOk : state_->code; }
  // Empty when ok().
  const std::string& reason() const;
  const std::string& message() const;
  const StatusDetails& details() const;

  // "conflict/wrong_expected_version: stream ... (streamId=...)"; "ok" when ok().
  std::string ToString() const;

  // Marks a status as deliberately dropped, so that every ignored error is greppable.
  void IgnoreError() const {}

 private:
  struct State {
    StatusCode code;
    std::string reason;
    std::string message;
    StatusDetails details;
  };
  // Shared and immutable: copying a failed Status is cheap and thread-safe.
  std::shared_ptr<const State> state_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_or_status_(std::move(value)) {}  // NOLINT: implicit by design
  // REQUIRES: !status.ok(); an ok status without a value is a bug.
  Result(Status status) : value_or_status_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(value_or_status_).ok()) {
      value_or_status_ = Status::Internal("ok_status_without_value", "Result built from an ok Status");
    }
  }

  // From a Result of another type whose value makes a T (a Result<const char*> where a
  // Result<std::string> is expected); a failure stays the same failure.
  template <typename U>
    requires(!std::is_same_v<U, T> && std::is_constructible_v<T, U &&>)
  Result(Result<U> other)  // NOLINT: implicit by design, like the two above
      : value_or_status_(Converted(std::move(other))) {}

  bool ok() const { return std::holds_alternative<T>(value_or_status_); }

  // The failure; an ok Status when ok().
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(value_or_status_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(value_or_status_); }
  const T& value() const& { return std::get<T>(value_or_status_); }
  T&& value() && { return std::get<T>(std::move(value_or_status_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  template <typename U>
  static std::variant<T, Status> Converted(Result<U>&& other) {
    if (!other.ok()) return other.status();
    return std::variant<T, Status>(std::in_place_index<0>, std::move(other).value());
  }

  std::variant<T, Status> value_or_status_;
};

}  // namespace crm

#define CRM_STATUS_CONCAT_INNER(a, b) a##b
#define CRM_STATUS_CONCAT(a, b) CRM_STATUS_CONCAT_INNER(a, b)

// Returns the Status of `expr` from the enclosing function when it is not ok.
#define CRM_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::crm::Status crm_status_ = (expr);        \
    if (!crm_status_.ok()) return crm_status_; \
  } while (false)

// `lhs = value of expr` when expr (a Result) is ok; otherwise returns its Status.
#define CRM_ASSIGN_OR_RETURN(lhs, expr) CRM_ASSIGN_OR_RETURN_IMPL(CRM_STATUS_CONCAT(crm_result_, __LINE__), lhs, expr)
#define CRM_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
