// HttpServer: the HTTP/1.1 transport of crm-server (Boost.Asio + Beast behind this header).
//
// It reads requests, enforces the transport limits below, hands each complete request to the
// HttpHandler on a worker thread, and writes the answer back on the connection. It knows
// nothing of routes, tokens or JSON bodies beyond the error body of api.md.
//
// Threads: `io_threads` threads run every socket operation and never block; `worker_threads`
// threads run the handler, and `quick_threads` threads run it for the requests `is_quick`
// picks out. A connection handles one request at a time (pipelined requests are answered in
// order).
//
// Transport answers, each with the api.md error body and a stable code:
//   400 bad_request        malformed request line, header, chunk or query string
//   408 request_timeout    the whole request did not arrive within request_read_timeout_ms
//   413 body_too_large     Content-Length above request_body_bytes_max (answered before any body
//                          byte is read), or a chunked body that grows past it
//   431 headers_too_large  the request line and headers exceed header_bytes_max
//   500 internal           the handler threw
//   503 overloaded         connection cap reached, or the worker queue is full
// Each of these but 503 "overloaded" for a full queue closes the connection.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "events/status.h"
#include "server/http/http_types.h"

namespace crm::server::http {

inline constexpr std::string_view kListenAddressDefault = "127.0.0.1:8080";
inline constexpr std::size_t kIoThreadsDefault = 2;
inline constexpr std::size_t kWorkerThreadsDefault = 64;
inline constexpr std::size_t kQuickThreadsDefault = 4;
inline constexpr std::size_t kRequestBodyBytesMaxDefault = std::size_t{1} << 20;  // 1 MiB
inline constexpr std::size_t kHeaderBytesMaxDefault = std::size_t{16} << 10;      // 16 KiB
inline constexpr std::uint32_t kRequestReadTimeoutMsDefault = 10'000;
inline constexpr std::uint32_t kIdleTimeoutMsDefault = 60'000;
inline constexpr std::uint32_t kWriteTimeoutMsDefault = 10'000;
inline constexpr std::size_t kConnectionsMaxDefault = 1024;
inline constexpr std::size_t kQueuedRequestsMaxDefault = 256;
inline constexpr std::uint32_t kDrainTimeoutMsDefault = 10'000;
// After a response that closes the connection, the server stops sending and reads (and drops)
// what the client still sends, for at most this long and this many bytes, before closing: a
// close with unread bytes pending makes the kernel send RST, which can destroy the answer
// (a 413, say) before the client has read it.
inline constexpr std::uint32_t kLingerTimeoutMs = 2'000;
inline constexpr std::size_t kLingerBytesMax = std::size_t{4} << 20;  // 4 MiB
// Limits on the options themselves, so that a typo in a flag cannot ask for a million threads.
inline constexpr std::size_t kIoThreadsMax = 256;
inline constexpr std::size_t kWorkerThreadsMax = 4096;

// Receives one JSON object per call, without a trailing newline. Called from many threads at
// once: REQUIRES: thread-safe.
using LogSink = std::function<void(std::string_view line)>;

// Writes each line and a newline to stderr in one fwrite (stdio locks the stream per call, so
// lines from different threads never interleave).
LogSink StderrLogSink();

struct HttpServerOptions {
  // "host:port" or "[ipv6]:port"; the host must be an IP address. Port 0 binds an ephemeral
  // port; HttpServer::port() tells which after Start().
  // Default: kListenAddressDefault ("127.0.0.1:8080").
  std::string listen_address = std::string(kListenAddressDefault);
  // Threads that run socket I/O. Default: kIoThreadsDefault (2). 1..kIoThreadsMax.
  std::size_t io_threads = kIoThreadsDefault;
  // Threads that run the handler: handlers block on fsync'd appends and long polls, so they
  // never run on I/O threads. Default: kWorkerThreadsDefault (64). 1..kWorkerThreadsMax.
  std::size_t worker_threads = kWorkerThreadsDefault;
  // Requests that never wait (no fsync, no long poll: `is_quick` says which) run on a pool of
  // their own this size instead. With 64 mostly idle workers every request woke a sleeping
  // thread; a few busy ones take the next request while still awake, and a read no longer
  // queues behind commands waiting for the disk (docs/benchmarks.md, "Peers": the pool page).
  // Default: kQuickThreadsDefault (4). 1..kWorkerThreadsMax.
  std::size_t quick_threads = kQuickThreadsDefault;
  // Which requests go to the quick pool; called on an I/O thread, so it must not block.
  // Default: none (every request to the workers).
  std::function<bool(const HttpRequest& request)> is_quick;
  // Offered each request before the pools (AsyncHttpHandler). Default: none.
  AsyncHttpHandler async_handler;
  // Largest request body. Default: kRequestBodyBytesMaxDefault (1 MiB).
  std::size_t request_body_bytes_max = kRequestBodyBytesMaxDefault;
  // Largest request line plus headers. Default: kHeaderBytesMaxDefault (16 KiB).
  std::size_t header_bytes_max = kHeaderBytesMaxDefault;
  // Time from a request's first byte to its last: a client that trickles bytes is answered 408
  // and cut off. Default: kRequestReadTimeoutMsDefault (10 s).
  std::uint32_t request_read_timeout_ms = kRequestReadTimeoutMsDefault;
  // How long a kept-alive connection may wait for its next request's first byte before it is
  // closed (silently, as HTTP allows). A fresh connection waits for its first request at most
  // request_read_timeout_ms, so that silent sockets cannot hold the connection cap.
  // Default: kIdleTimeoutMsDefault (60 s).
  std::uint32_t idle_timeout_ms = kIdleTimeoutMsDefault;
  // Time to write one response: a client that does not read is cut off.
  // Default: kWriteTimeoutMsDefault (10 s).
  std::uint32_t write_timeout_ms = kWriteTimeoutMsDefault;
  // Open connections at most. A connection beyond it is accepted, answered 503 "overloaded"
  // with Connection: close at once, and closed: unlike leaving it in the kernel's backlog, the
  // client learns at once that it should back off. Default: kConnectionsMaxDefault (1024).
  std::size_t connections_max = kConnectionsMaxDefault;
  // Complete requests waiting for a free worker at most; one more is answered 503
  // "overloaded" and the connection stays open. Default: kQueuedRequestsMaxDefault (256).
  std::size_t queued_requests_max = kQueuedRequestsMaxDefault;
  // How long Stop() waits for in-flight requests before it closes their connections.
  // Default: kDrainTimeoutMsDefault (10 s).
  std::uint32_t drain_timeout_ms = kDrainTimeoutMsDefault;
  // Where request and lifecycle lines go. Default: StderrLogSink().
  LogSink log_sink;
};

// Why the transport refused a connection or a request. The names are stable (metric labels).
enum class RejectReason : unsigned char {
  kConnectionCap = 0,  // "connection_cap": 503, connections_max open already
  kQueueFull,          // "queue_full": 503, queued_requests_max waiting already
  kBodyTooLarge,       // "body_too_large": 413
  kHeadersTooLarge,    // "headers_too_large": 431
  kBadRequest,         // "bad_request": 400
  kRequestTimeout,     // "request_timeout": 408
};
inline constexpr std::size_t kRejectReasonCount = 6;
std::string_view RejectReasonName(RejectReason reason);

// A reading of the server's counters (each read atomically; the set is not a snapshot).
struct HttpServerStats {
  std::uint64_t connections_open = 0;                        // admitted and not yet closed
  std::uint64_t connections_accepted = 0;                    // since Start, rejected ones included
  std::uint64_t requests_in_flight = 0;                      // complete requests queued for or in a handler
  std::uint64_t requests_queued = 0;                         // of those, waiting for a worker
  std::uint64_t requests_handled = 0;                        // handler calls that returned or threw
  std::uint64_t handler_exceptions = 0;                      // answered 500
  std::uint64_t responses_written = 0;                       // every answer written in full, transport errors too
  std::array<std::uint64_t, kRejectReasonCount> rejected{};  // indexed by RejectReason

  std::uint64_t Rejected(RejectReason reason) const { return rejected[static_cast<std::size_t>(reason)]; }
};

class HttpServer {
 public:
  // `handler` is called as HttpHandler says; it is kept until the server is destroyed.
  HttpServer(HttpServerOptions options, HttpHandler handler);
  // Stops the server if it is running.
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads; logs "listening". kInvalidArgument for bad options
  // or an unparsable listen address, kIOError when the address cannot be bound.
  // REQUIRES: called at most once.
  Status Start();

  // Stops accepting, closes idle connections, lets requests that are being read or handled
  // finish and be answered (with Connection: close), for at most drain_timeout_ms; then closes
  // whatever is left, joins every thread and logs "stopped". Requests HttpRequest::stop_token
  // first. Handlers still running at the drain deadline are waited for: a handler must return
  // in bounded time. Thread-safe and idempotent: a second call waits for the first.
  // REQUIRES: not called from a handler.
  void Stop();

  // The bound port. REQUIRES: Start() returned ok.
  std::uint16_t port() const;

  // Thread-safe; may be called at any time.
  HttpServerStats Stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Blocks the calling thread until SIGINT or SIGTERM arrives (via asio::signal_set), then calls
// server.Stop() and returns the signal's number. `server` is borrowed for the call.
int WaitForShutdownSignal(HttpServer& server);

}  // namespace crm::server::http
