#include "server/http/connection.h"

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <exception>
#include <string_view>
#include <utility>

namespace crm::server::http::internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

// Bytes asked of the socket by one read while waiting for a request or lingering.
constexpr std::size_t kReadChunkBytes = 8u << 10;
constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

// Beast 1.74 speaks boost::string_view. (BOOST_BEAST_USE_STD_STRING_VIEW would change the
// types of inline functions that the tests' own Beast code also instantiates: an ODR hazard.)
std::string_view ToStd(beast::string_view text) {
  return {text.data(), text.size()};
}
beast::string_view ToBeast(std::string_view text) {
  return {text.data(), text.size()};
}

bool IsHttpParseError(const error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return false;
  // A client that hung up mid-request gets no answer: nobody would read it.
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// RFC 9110 "token": what a header name may be made of.
bool IsToken(std::string_view text) {
  constexpr std::string_view kPunctuation = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kPunctuation.find(c) != std::string_view::npos;
  });
}

// Refuses the headers the transport owns, and names or values that would corrupt the response
// (a CR or LF in a value could start a header of its own).
bool IsAcceptableExtraHeader(std::string_view name, std::string_view value) {
  for (const std::string_view owned : {"content-length", "content-type", "connection", "transfer-encoding"}) {
    if (beast::iequals(ToBeast(name), ToBeast(owned))) return false;
  }
  return IsToken(name) && value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace

Connection::Connection(ServerCore& core, asio::ip::tcp::socket socket, bool admitted)
    : core_(core), socket_(std::move(socket)), timer_(socket_.get_executor()), admitted_(admitted) {
  error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  if (!ec) {
    remote_address_ = remote.address().to_string();
    remote_port_ = remote.port();
  }
  // Each answer goes out in one write; without this, Nagle's algorithm can hold the tail of it
  // back for a delayed ACK.
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

Connection::~Connection() {
  core_.Unregister(this, admitted_);
}

void Connection::Start() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->Begin(); });
}

void Connection::Begin() {
  if (phase_ == Phase::kClosed) return;  // stopped before it began
  if (!admitted_) {
    log_request_ = false;  // not a request: counted in rejected[connection_cap], not logged
    request_started_ = std::chrono::steady_clock::now();
    AnswerTransportError(503, RejectReason::kConnectionCap, "overloaded", "too many open connections; retry later");
    return;
  }
  WaitForRequest(/*fresh_connection=*/true);
}

void Connection::NotifyStopping() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::kIdle) self->Close();
  });
}

void Connection::ForceClose() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->Close(); });
}

// ---- Reading ----

void Connection::WaitForRequest(bool fresh_connection) {
  if (core_.stopping()) {
    Close();
    return;
  }
  phase_ = Phase::kIdle;
  if (buffer_.size() > 0) {  // a pipelined request has begun already
    BeginRequest();
    return;
  }
  // An idle connection keeps only what one read needs: a large request's buffer is not held
  // for the whole keep-alive time-out.
  if (buffer_.capacity() > kReadChunkBytes) buffer_.shrink_to_fit();
  // A fresh connection that sends nothing is a slow client too: it gets the request's
  // time-out, not the keep-alive one, so idle sockets cannot hold the connection cap for long.
  const HttpServerOptions& options = core_.options;
  ArmTimer(fresh_connection ? std::min(options.idle_timeout_ms, options.request_read_timeout_ms)
                            : options.idle_timeout_ms);
  socket_.async_read_some(buffer_.prepare(kReadChunkBytes), [self = shared_from_this()](error_code ec, std::size_t n) {
    // The client left, or the idle time-out closed the socket (perhaps just as bytes arrived).
    if (ec || self->phase_ == Phase::kClosed) {
      self->Close();
      return;
    }
    self->buffer_.commit(n);
    self->BeginRequest();
  });
}

void Connection::BeginRequest() {
  phase_ = Phase::kReading;
  request_started_ = std::chrono::steady_clock::now();
  timed_out_ = false;
  log_request_ = true;
  method_.clear();
  path_.clear();
  body_bytes_in_ = 0;
  code_.clear();
  error_.clear();
  version_ = 11;
  head_request_ = false;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(core_.options.header_bytes_max));
  parser_->body_limit(static_cast<std::uint64_t>(core_.options.request_body_bytes_max));
  // One deadline for the whole request, header and body: every read below counts against it.
  ArmTimer(core_.options.request_read_timeout_ms);
  bhttp::async_read_header(socket_, buffer_, *parser_,
                           [self = shared_from_this()](error_code ec, std::size_t) { self->OnHeader(ec); });
}

void Connection::OnHeader(error_code ec) {
  // A Content-Length above body_limit fails here (error::body_limit), before any body byte is
  // read into the message.
  if (ec || phase_ == Phase::kClosed) {
    OnReadError(ec);
    return;
  }
  const auto& header = parser_->get();
  version_ = header.version();
  method_ = std::string(ToStd(header.method_string()));
  const std::string_view target = ToStd(header.target());
  path_ = std::string(target.substr(0, target.find('?')));
  if (parser_->is_done()) {
    Dispatch();
    return;
  }
  if (version_ >= 11 && beast::iequals(header[bhttp::field::expect], "100-continue")) {
    asio::async_write(socket_, asio::buffer(kContinueResponse.data(), kContinueResponse.size()),
                      [self = shared_from_this()](error_code write_ec, std::size_t) {
                        if (write_ec || self->phase_ == Phase::kClosed) {
                          self->OnReadError(write_ec);
                          return;
                        }
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

void Connection::ReadBody() {
  bhttp::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](error_code ec, std::size_t) {
    if (ec || self->phase_ == Phase::kClosed) {
      self->OnReadError(ec);
      return;
    }
    self->Dispatch();
  });
}

void Connection::OnReadError(error_code ec) {
  if (phase_ == Phase::kClosed) return;
  if (method_.empty() && parser_) {  // the header failed, but its request line may be known
    const auto& partial = parser_->get();
    method_ = std::string(ToStd(partial.method_string()));
    const std::string_view target = ToStd(partial.target());
    path_ = std::string(target.substr(0, target.find('?')));
  }
  if (timed_out_) {
    AnswerTransportError(408, RejectReason::kRequestTimeout, "request_timeout", "the request did not arrive in time");
  } else if (ec == bhttp::error::body_limit) {
    AnswerTransportError(413, RejectReason::kBodyTooLarge, "body_too_large",
                         "the request body exceeds " + std::to_string(core_.options.request_body_bytes_max) + " bytes");
  } else if (ec == bhttp::error::header_limit) {
    AnswerTransportError(431, RejectReason::kHeadersTooLarge, "headers_too_large",
                         "the request headers exceed " + std::to_string(core_.options.header_bytes_max) + " bytes");
  } else if (IsHttpParseError(ec)) {
    AnswerTransportError(400, RejectReason::kBadRequest, "bad_request", "malformed request: " + ec.message());
  } else {
    Close();  // the client went away mid-request
  }
}

// ---- Handling ----

void Connection::Dispatch() {
  CancelTimer();
  auto& message = parser_->get();
  keep_alive_ = message.keep_alive();
  HttpRequest request;
  if (!ParseTarget(ToStd(message.target()), &request.path, &request.query)) {
    parser_.reset();
    AnswerTransportError(400, RejectReason::kBadRequest, "bad_request", "malformed request target");
    return;
  }
  path_ = request.path;
  request.method = method_;
  head_request_ = message.method() == bhttp::verb::head;
  request.authorization = std::string(ToStd(message[bhttp::field::authorization]));
  request.idempotency_key = std::string(ToStd(message["Idempotency-Key"]));
  request.content_type = std::string(ToStd(message[bhttp::field::content_type]));
  request.body = std::move(message.body());
  request.remote_address = remote_address_;
  request.remote_port = remote_port_;
  request.stop_token = core_.stop_source.get_token();
  body_bytes_in_ = request.body.size();
  parser_.reset();
  if (core_.options.async_handler && DispatchAsync(request)) return;

  Counters& counters = core_.counters;
  if (counters.requests_queued.fetch_add(1) >= core_.options.queued_requests_max) {
    counters.requests_queued.fetch_sub(1);
    counters.Reject(RejectReason::kQueueFull);
    code_ = "overloaded";
    status_ = 503;
    // The request was read in full, so the connection stays usable.
    WriteResponse(ErrorResponse(503, "overloaded", "the server is busy; retry later"), keep_alive_);
    return;
  }
  counters.requests_in_flight.fetch_add(1);
  phase_ = Phase::kHandling;
  const bool quick = core_.quick_workers.has_value() && core_.options.is_quick(request);
  asio::post(quick ? *core_.quick_workers : *core_.workers, [self = shared_from_this(), request = std::move(request)] {
    Counters& worker_counters = self->core_.counters;
    worker_counters.requests_queued.fetch_sub(1);
    HandlerOutcome outcome = RunHandler(self->core_.handler, request);
    worker_counters.requests_handled.fetch_add(1);
    worker_counters.requests_in_flight.fetch_sub(1);
    asio::post(self->socket_.get_executor(),
               [self, outcome = std::move(outcome)]() mutable { self->OnHandled(std::move(outcome)); });
  });
}

bool Connection::DispatchAsync(const HttpRequest& request) {
  Counters& counters = core_.counters;
  counters.requests_in_flight.fetch_add(1);
  core_.AsyncStarted();
  phase_ = Phase::kHandling;
  auto answered = std::make_shared<std::atomic<bool>>(false);
  const auto answer = [self = shared_from_this(), answered](HandlerOutcome outcome) {
    if (answered->exchange(true)) return;  // once
    Counters& answer_counters = self->core_.counters;
    answer_counters.requests_handled.fetch_add(1);
    answer_counters.requests_in_flight.fetch_sub(1);
    asio::post(self->socket_.get_executor(),
               [self, outcome = std::move(outcome)]() mutable { self->OnHandled(std::move(outcome)); });
    // After the post: Stop() stops the I/O threads only once every answer is on its way.
    self->core_.AsyncAnswered();
  };
  HttpResponder responder;
  responder.respond = [answer](HttpResponse response) { answer(Checked(std::move(response))); };
  responder.post = [&core = core_](std::function<void()> task) { asio::post(core.io_context, std::move(task)); };
  responder.post_blocking = [&core = core_](std::function<void()> task) { asio::post(*core.workers, std::move(task)); };
  bool taken = false;
  try {
    taken = core_.options.async_handler(request, responder);
  } catch (...) {
    answer(Thrown());
    return true;
  }
  if (!taken) {
    counters.requests_in_flight.fetch_sub(1);
    core_.AsyncAnswered();
  }
  return taken;
}

Connection::HandlerOutcome Connection::Checked(HttpResponse response) {
  HandlerOutcome outcome;
  outcome.response = std::move(response);
  if (outcome.response.status < 200 || outcome.response.status > 599) {
    outcome.error = "handler answered status " + std::to_string(outcome.response.status);
    outcome.response = ErrorResponse(500, "internal", "internal server error");
  }
  return outcome;
}

Connection::HandlerOutcome Connection::RunHandler(const HttpHandler& handler, const HttpRequest& request) {
  try {
    return Checked(handler(request));
  } catch (...) {
    return Thrown();
  }
}

Connection::HandlerOutcome Connection::Thrown() {
  HandlerOutcome outcome{.response = ErrorResponse(500, "internal", "internal server error"), .error = {}};
  try {
    throw;
  } catch (const std::exception& e) {
    outcome.error = e.what();
    if (outcome.error.empty()) outcome.error = "exception without a message";
  } catch (...) {
    outcome.error = "exception of unknown type";
  }
  return outcome;
}

void Connection::OnHandled(HandlerOutcome outcome) {
  if (phase_ == Phase::kClosed) return;  // force-closed while the handler ran
  if (outcome.response.status == 500 && !outcome.error.empty()) {
    core_.counters.handler_exceptions.fetch_add(1);
    code_ = "internal";
    error_ = std::move(outcome.error);
  }
  status_ = outcome.response.status;
  WriteResponse(std::move(outcome.response), keep_alive_ && !core_.stopping());
}

// ---- Writing ----

void Connection::AnswerTransportError(unsigned status, RejectReason reason, std::string_view code,
                                      std::string_view message) {
  core_.counters.Reject(reason);
  status_ = status;
  code_ = std::string(code);
  WriteResponse(ErrorResponse(status, code, message), /*keep_alive=*/false);
}

void Connection::WriteResponse(HttpResponse response, bool keep_alive) {
  phase_ = Phase::kWriting;
  keep_alive_ = keep_alive;
  response_ = {};
  response_.version(version_ == 10 ? 10 : 11);
  response_.result(response.status);
  response_.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) {
    if (IsAcceptableExtraHeader(name, value)) response_.insert(name, value);
  }
  // A 204 or 304 has no body by definition; Beast would throw rather than send one.
  if (response.status == 204 || response.status == 304) response.body.clear();
  response_.body() = std::move(response.body);
  response_.keep_alive(keep_alive);
  response_.prepare_payload();
  if (head_request_) {  // the length a GET would have had, and no body
    const std::size_t body_bytes = response_.body().size();
    response_.body().clear();
    response_.content_length(body_bytes);
  }
  ArmTimer(core_.options.write_timeout_ms);
  bhttp::async_write(socket_, response_,
                     [self = shared_from_this()](error_code ec, std::size_t) { self->OnWritten(ec); });
}

void Connection::OnWritten(error_code ec) {
  if (!ec) core_.counters.responses_written.fetch_add(1);
  LogRequest();
  if (ec || phase_ == Phase::kClosed) {
    Close();
  } else if (!keep_alive_) {
    Linger();
  } else {
    WaitForRequest(/*fresh_connection=*/false);
  }
}

void Connection::LogRequest() const {
  if (!log_request_) return;
  const std::chrono::duration<double, std::milli> duration = std::chrono::steady_clock::now() - request_started_;
  core_.log.Request(RequestLogEntry{
      .method = method_,
      .path = path_,
      .status = status_,
      .duration_ms = duration.count(),
      .body_bytes_in = body_bytes_in_,
      .body_bytes_out = response_.body().size(),
      .remote_address = remote_address_,
      .code = code_,
      .error = error_,
  });
}

// ---- Closing ----

void Connection::Linger() {
  phase_ = Phase::kLingering;
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  buffer_.clear();
  lingered_bytes_ = 0;
  ArmTimer(kLingerTimeoutMs);
  LingerRead();
}

void Connection::LingerRead() {
  socket_.async_read_some(buffer_.prepare(kReadChunkBytes), [self = shared_from_this()](error_code ec, std::size_t n) {
    self->lingered_bytes_ += n;
    if (ec || self->phase_ == Phase::kClosed || self->lingered_bytes_ > kLingerBytesMax) {
      self->Close();  // the client has read the answer and closed (or gave up on it)
      return;
    }
    self->LingerRead();
  });
}

void Connection::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  CancelTimer();
  error_code ignored;
  socket_.close(ignored);  // pending operations complete with operation_aborted
}

// ---- The timer ----

void Connection::ArmTimer(std::uint32_t timeout_ms) {
  timer_.expires_after(std::chrono::milliseconds(timeout_ms));  // cancels a pending wait
  timer_.async_wait([self = shared_from_this()](error_code ec) { self->OnTimer(ec); });
}

void Connection::CancelTimer() {
  timer_.cancel();
}

void Connection::OnTimer(error_code ec) {
  if (ec == asio::error::operation_aborted) return;
  // Re-armed after this wait completed but before it ran: not this wait's deadline.
  if (timer_.expiry() > std::chrono::steady_clock::now()) return;
  switch (phase_) {
    case Phase::kReading: {
      timed_out_ = true;
      error_code ignored;
      socket_.cancel(ignored);  // the pending read completes and answers 408
      break;
    }
    case Phase::kIdle:
    case Phase::kWriting:
    case Phase::kLingering: Close(); break;
    case Phase::kHandling:
    case Phase::kClosed: break;
  }
}

}  // namespace crm::server::http::internal
