#include "server/http/http_server.h"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "server/http/connection.h"
#include "server/http/server_core.h"

namespace crm::server::http {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// After a failed accept (out of file descriptors, say) the next one would fail at once too.
constexpr std::uint32_t kAcceptRetryDelayMs = 100;
// Once Stop() has closed every socket, how long it waits for the connections to notice before
// it stops the io_context regardless.
constexpr std::uint32_t kStopCloseWaitMs = 1'000;
constexpr std::size_t kHeaderBytesMin = 1u << 10;

Result<tcp::endpoint> ParseListenAddress(std::string_view text) {
  const auto invalid = [&] {
    return Status::InvalidArgument("invalid_listen_address",
                                   "listen address must be host:port or [ipv6]:port: " + std::string(text));
  };
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return invalid();
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return invalid();
  }
  error_code address_ec;
  const asio::ip::address address = asio::ip::make_address(std::string(host), address_ec);
  if (address_ec) return invalid();
  return tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

Status ValidateOptions(const HttpServerOptions& options) {
  const auto invalid = [](std::string what) { return Status::InvalidArgument("invalid_http_option", std::move(what)); };
  if (options.io_threads < 1 || options.io_threads > kIoThreadsMax) {
    return invalid("io_threads must be 1.." + std::to_string(kIoThreadsMax));
  }
  if (options.worker_threads < 1 || options.worker_threads > kWorkerThreadsMax) {
    return invalid("worker_threads must be 1.." + std::to_string(kWorkerThreadsMax));
  }
  if (options.quick_threads < 1 || options.quick_threads > kWorkerThreadsMax) {
    return invalid("quick_threads must be 1.." + std::to_string(kWorkerThreadsMax));
  }
  if (options.header_bytes_max < kHeaderBytesMin || options.header_bytes_max > UINT32_MAX) {
    return invalid("header_bytes_max must be " + std::to_string(kHeaderBytesMin) + "..4294967295");
  }
  if (options.request_read_timeout_ms == 0 || options.idle_timeout_ms == 0 || options.write_timeout_ms == 0) {
    return invalid("time-outs must be positive");
  }
  if (options.connections_max == 0 || options.queued_requests_max == 0) {
    return invalid("connections_max and queued_requests_max must be positive");
  }
  return Status::Ok();
}

}  // namespace

std::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kConnectionCap: return "connection_cap";
    case RejectReason::kQueueFull: return "queue_full";
    case RejectReason::kBodyTooLarge: return "body_too_large";
    case RejectReason::kHeadersTooLarge: return "headers_too_large";
    case RejectReason::kBadRequest: return "bad_request";
    case RejectReason::kRequestTimeout: return "request_timeout";
  }
  return "unknown";
}

// ---- ServerCore ----

namespace internal {

HttpServerStats Counters::Read() const {
  HttpServerStats stats;
  stats.connections_open = connections_open.load();
  stats.connections_accepted = connections_accepted.load();
  stats.requests_in_flight = requests_in_flight.load();
  stats.requests_queued = requests_queued.load();
  stats.requests_handled = requests_handled.load();
  stats.handler_exceptions = handler_exceptions.load();
  stats.responses_written = responses_written.load();
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) stats.rejected[i] = rejected[i].load();
  return stats;
}

ServerCore::ServerCore(HttpServerOptions options_in, HttpHandler handler_in)
    : options(std::move(options_in)),
      handler(std::move(handler_in)),
      log(options.log_sink),
      io_context(static_cast<int>(std::max<std::size_t>(options.io_threads, 1))) {}

bool ServerCore::Register(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  if (stopping_.load()) return false;
  live_.emplace(connection.get(), connection);
  return true;
}

void ServerCore::Unregister(const Connection* connection, bool admitted) {
  std::lock_guard lock(mutex_);
  live_.erase(connection);
  if (admitted) counters.connections_open.fetch_sub(1);
  closed_.notify_all();
}

std::vector<std::shared_ptr<Connection>> ServerCore::BeginStopping() {
  std::lock_guard lock(mutex_);
  stopping_.store(true);
  std::vector<std::shared_ptr<Connection>> live;
  for (const auto& [key, weak] : live_) {
    if (auto connection = weak.lock()) live.push_back(std::move(connection));
  }
  return live;
}

std::vector<std::shared_ptr<Connection>> ServerCore::LiveConnections() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Connection>> live;
  for (const auto& [key, weak] : live_) {
    if (auto connection = weak.lock()) live.push_back(std::move(connection));
  }
  return live;
}

bool ServerCore::WaitForConnectionsClosed(std::chrono::steady_clock::time_point deadline,
                                          bool connections_admitted_only) {
  std::unique_lock lock(mutex_);
  return closed_.wait_until(lock, deadline, [&] {
    return connections_admitted_only ? counters.connections_open.load() == 0 : live_.empty();
  });
}

void ServerCore::AsyncStarted() {
  std::lock_guard lock(mutex_);
  ++async_open_;
}

void ServerCore::AsyncAnswered() {
  std::lock_guard lock(mutex_);
  --async_open_;
  closed_.notify_all();
}

bool ServerCore::WaitForAsyncAnswered(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return closed_.wait_until(lock, deadline, [&] { return async_open_ == 0; });
}

}  // namespace internal

// ---- HttpServer::Impl ----

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : core_(std::move(options), std::move(handler)),
        acceptor_(asio::make_strand(core_.io_context)),
        accept_retry_timer_(acceptor_.get_executor()) {}

  ~Impl() { Stop(); }

  Status Start();
  void Stop();
  std::uint16_t port() const { return port_; }
  HttpServerStats Stats() const { return core_.counters.Read(); }

 private:
  Status Listen(const tcp::endpoint& endpoint);
  void Accept();
  void OnAccept(error_code ec, tcp::socket socket);
  void RunIoThread();

  // First, so that it is destroyed last: connections destroyed with the io_context use it.
  internal::ServerCore core_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_timer_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_guard_;
  std::vector<std::thread> io_threads_;
  std::uint16_t port_ = 0;

  std::mutex lifecycle_mutex_;  // serialises Start() and Stop()
  bool started_ = false;        // guarded by lifecycle_mutex_
  bool stopped_ = false;        // guarded by lifecycle_mutex_
};

Status HttpServer::Impl::Start() {
  std::lock_guard lock(lifecycle_mutex_);
  if (started_) return Status::Unavailable("already_started", "HttpServer::Start may be called once");
  if (!core_.handler) return Status::InvalidArgument("invalid_http_option", "the handler is empty");
  CRM_RETURN_IF_ERROR(ValidateOptions(core_.options));
  CRM_ASSIGN_OR_RETURN(const tcp::endpoint endpoint, ParseListenAddress(core_.options.listen_address));
  CRM_RETURN_IF_ERROR(Listen(endpoint));

  core_.workers.emplace(core_.options.worker_threads);
  if (core_.options.is_quick) core_.quick_workers.emplace(core_.options.quick_threads);
  work_guard_.emplace(core_.io_context.get_executor());
  asio::post(acceptor_.get_executor(), [this] { Accept(); });
  io_threads_.reserve(core_.options.io_threads);
  for (std::size_t i = 0; i < core_.options.io_threads; ++i) io_threads_.emplace_back([this] { RunIoThread(); });
  started_ = true;

  core_.log.Event("listening",
                  {{"address", endpoint.address().to_string()},
                   {"port", port_},
                   {"ioThreads", core_.options.io_threads},
                   {"workerThreads", core_.options.worker_threads},
                   {"quickThreads", core_.quick_workers.has_value() ? core_.options.quick_threads : std::size_t{0}},
                   {"connectionsMax", core_.options.connections_max}});
  return Status::Ok();
}

Status HttpServer::Impl::Listen(const tcp::endpoint& endpoint) {
  const auto failed = [&](std::string_view step, const error_code& ec) {
    error_code ignored;
    acceptor_.close(ignored);
    return Status::IOError("listen_failed", std::string(step) + " " + endpoint.address().to_string() + ":" +
                                                std::to_string(endpoint.port()) + ": " + ec.message());
  };
  error_code ec;
  if (acceptor_.open(endpoint.protocol(), ec); ec) return failed("open", ec);
  // A restarted server must not wait out the previous one's TIME_WAIT sockets.
  if (acceptor_.set_option(tcp::acceptor::reuse_address(true), ec); ec) return failed("setsockopt", ec);
  if (acceptor_.bind(endpoint, ec); ec) return failed("bind", ec);
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) return failed("listen", ec);
  const tcp::endpoint bound = acceptor_.local_endpoint(ec);
  if (ec) return failed("getsockname", ec);
  port_ = bound.port();
  return Status::Ok();
}

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(core_.io_context),
                         [this](error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void HttpServer::Impl::OnAccept(error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || core_.stopping()) return;  // the socket closes as it goes
  if (ec) {
    core_.log.Event("accept_error", {{"message", ec.message()}});
    accept_retry_timer_.expires_after(std::chrono::milliseconds(kAcceptRetryDelayMs));
    accept_retry_timer_.async_wait([this](error_code wait_ec) {
      if (!wait_ec && !core_.stopping()) Accept();
    });
    return;
  }
  internal::Counters& counters = core_.counters;
  counters.connections_accepted.fetch_add(1);
  // Only this strand increments connections_open, so the check and the increment cannot race
  // with another admission; closing connections only make room.
  const bool admitted = counters.connections_open.load() < core_.options.connections_max;
  if (admitted) counters.connections_open.fetch_add(1);
  auto connection = std::make_shared<internal::Connection>(core_, std::move(socket), admitted);
  if (core_.Register(connection)) connection->Start();
  Accept();
}

void HttpServer::Impl::RunIoThread() {
  for (;;) {
    try {
      core_.io_context.run();
      return;
    } catch (const std::exception& e) {
      // A bug in a completion handler; the connection it belonged to is lost, the server is not.
      core_.log.Event("io_error", {{"message", e.what()}});
    }
  }
}

void HttpServer::Impl::Stop() {
  std::lock_guard lock(lifecycle_mutex_);
  if (!started_ || stopped_) return;
  const auto started_stopping = std::chrono::steady_clock::now();
  core_.log.Event("stopping", {{"connectionsOpen", core_.counters.connections_open.load()},
                               {"requestsInFlight", core_.counters.requests_in_flight.load()}});
  core_.stop_source.request_stop();
  for (const auto& connection : core_.BeginStopping()) connection->NotifyStopping();
  asio::post(acceptor_.get_executor(), [this] {
    error_code ignored;
    acceptor_.close(ignored);
    accept_retry_timer_.cancel();
  });

  const bool drained = core_.WaitForConnectionsClosed(
      started_stopping + std::chrono::milliseconds(core_.options.drain_timeout_ms), /*connections_admitted_only=*/true);
  if (!drained) {
    core_.log.Event("drain_timeout", {{"connectionsOpen", core_.counters.connections_open.load()},
                                      {"requestsInFlight", core_.counters.requests_in_flight.load()}});
  }
  // Left now: connections past the drain deadline, and refused or lingering ones.
  for (const auto& connection : core_.LiveConnections()) connection->ForceClose();
  // An async request still open is waiting for the disk, and its continuations need the pools
  // and I/O threads: wait for its answer (the log always answers) before stopping them.
  while (!core_.WaitForAsyncAnswered(std::chrono::steady_clock::now() +
                                     std::chrono::milliseconds(core_.options.drain_timeout_ms))) {
    core_.log.Event("waiting_for_async", {{"requestsInFlight", core_.counters.requests_in_flight.load()}});
  }
  core_.workers->join();  // a handler still running is waited for; its answer finds a closed socket
  if (core_.quick_workers.has_value()) core_.quick_workers->join();
  const bool closed =
      core_.WaitForConnectionsClosed(std::chrono::steady_clock::now() + std::chrono::milliseconds(kStopCloseWaitMs),
                                     /*connections_admitted_only=*/false);
  work_guard_.reset();
  core_.io_context.stop();
  for (std::thread& thread : io_threads_) thread.join();
  io_threads_.clear();
  stopped_ = true;

  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started_stopping;
  core_.log.Event("stopped", {{"drained", drained}, {"closed", closed}, {"ms", std::round(took.count())}});
}

// ---- HttpServer ----

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() {
  return impl_->Start();
}

void HttpServer::Stop() {
  impl_->Stop();
}

std::uint16_t HttpServer::port() const {
  return impl_->port();
}

HttpServerStats HttpServer::Stats() const {
  return impl_->Stats();
}

}  // namespace crm::server::http
