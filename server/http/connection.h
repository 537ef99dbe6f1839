// One accepted TCP connection: reads requests one at a time, hands each to a worker, writes
// the answer, and enforces the time-outs and size limits of HttpServerOptions. Internal to
// server/http.
//
// Threading: every member function but the constructor and destructor runs on the socket's
// strand; NotifyStopping() and ForceClose() post themselves there and may be called anywhere.
// Each pending operation holds a shared_ptr to the connection, so it lives until the last
// operation has completed (or the io_context is destroyed).
//
// One steady_timer guards whatever the connection is waiting for:
//   kIdle      no byte of the next request yet      idle_timeout_ms (on a fresh connection at
//                                                    most request_read_timeout_ms) -> close silently
//   kReading   a request, first byte to last        request_read_timeout_ms -> 408, close
//   kHandling  a worker runs the handler            none (the handler is trusted to return)
//   kWriting   the answer                           write_timeout_ms        -> close
//   kLingering sent a closing answer, dropping input kLingerTimeoutMs       -> close
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "server/http/http_types.h"
#include "server/http/server_core.h"

namespace crm::server::http::internal {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `core` is borrowed and outlives the connection. `admitted`: the connection holds one of
  // the connections_max places (counted in connections_open by the acceptor); when false it is
  // only answered 503 and closed.
  Connection(ServerCore& core, boost::asio::ip::tcp::socket socket, bool admitted);
  ~Connection();

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Begins serving, on the connection's strand. REQUIRES: once, after it is registered.
  void Start();
  // The server is stopping: an idle connection closes now, a busy one after its answer.
  void NotifyStopping();
  // Closes the socket now, whatever is going on.
  void ForceClose();

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kLingering, kClosed };

  struct HandlerOutcome {
    HttpResponse response;
    std::string error;  // what a throwing handler said, for the log
  };

  void Begin();
  // Reading.
  void WaitForRequest(bool fresh_connection);
  void BeginRequest();
  void OnHeader(boost::system::error_code ec);
  void ReadBody();
  void OnReadError(boost::system::error_code ec);
  // Handling.
  void Dispatch();
  // Offers the request to options.async_handler; true when it took it.
  bool DispatchAsync(const HttpRequest& request);
  static HandlerOutcome RunHandler(const HttpHandler& handler, const HttpRequest& request);
  static HandlerOutcome Checked(HttpResponse response);  // a status outside 200..599 becomes a 500
  static HandlerOutcome Thrown();  // a 500 naming the exception being handled; REQUIRES: in a catch
  void OnHandled(HandlerOutcome outcome);
  // Writing.
  void AnswerTransportError(unsigned status, RejectReason reason, std::string_view code, std::string_view message);
  void WriteResponse(HttpResponse response, bool keep_alive);
  void OnWritten(boost::system::error_code ec);
  void LogRequest() const;
  // Closing.
  void Linger();
  void LingerRead();
  void Close();
  // The timer.
  void ArmTimer(std::uint32_t timeout_ms);
  void CancelTimer();
  void OnTimer(boost::system::error_code ec);

  ServerCore& core_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  const bool admitted_;
  std::string remote_address_;
  std::uint16_t remote_port_ = 0;

  Phase phase_ = Phase::kIdle;
  bool timed_out_ = false;  // the read time-out fired while kReading
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::size_t lingered_bytes_ = 0;

  // About the current request, for its answer and its log line.
  std::chrono::steady_clock::time_point request_started_;
  unsigned version_ = 11;  // the request's HTTP version; the answer uses it
  bool keep_alive_ = false;
  bool head_request_ = false;  // answered with headers only
  bool log_request_ = true;
  std::string method_;
  std::string path_;
  std::size_t body_bytes_in_ = 0;
  unsigned status_ = 0;
  std::string code_;
  std::string error_;
};

}  // namespace crm::server::http::internal
