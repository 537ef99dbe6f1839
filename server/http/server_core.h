// What the server and its connections share: options, handler, log, counters, the I/O context,
// the worker pool and the registry of live connections. Internal to server/http.
//
// Lifetime: a ServerCore outlives every Connection. The io_context and the worker pool are its
// last members, so that when they are destroyed (and destroy the handlers still queued in them,
// and with those the last Connections) the registry, the counters and the log still exist.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <unordered_map>
#include <vector>

#include "server/http/http_server.h"
#include "server/http/server_log.h"

namespace crm::server::http::internal {

class Connection;

struct Counters {
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> requests_in_flight{0};
  std::atomic<std::uint64_t> requests_queued{0};
  std::atomic<std::uint64_t> requests_handled{0};
  std::atomic<std::uint64_t> handler_exceptions{0};
  std::atomic<std::uint64_t> responses_written{0};
  std::array<std::atomic<std::uint64_t>, kRejectReasonCount> rejected{};

  void Reject(RejectReason reason) { rejected[static_cast<std::size_t>(reason)].fetch_add(1); }
  HttpServerStats Read() const;
};

class ServerCore {
 public:
  ServerCore(HttpServerOptions options, HttpHandler handler);

  // Adds a connection to the registry; false (and nothing added) once stopping has begun.
  bool Register(const std::shared_ptr<Connection>& connection);
  // Called by ~Connection: removes it, and releases its admission.
  void Unregister(const Connection* connection, bool admitted);

  // Marks the server as stopping (Register refuses from now on) and returns the live
  // connections.
  std::vector<std::shared_ptr<Connection>> BeginStopping();
  bool stopping() const { return stopping_.load(); }
  std::vector<std::shared_ptr<Connection>> LiveConnections();

  // Waits until no admitted connection is open (connections_admitted_only) or none at all is
  // left, or until the deadline. True when that happened in time.
  bool WaitForConnectionsClosed(std::chrono::steady_clock::time_point deadline, bool connections_admitted_only);

  // Requests an AsyncHttpHandler took and has not answered yet. Stop() waits for them before it
  // stops the pools and I/O threads their continuations run on.
  void AsyncStarted();
  void AsyncAnswered();
  // True when none is left by the deadline.
  bool WaitForAsyncAnswered(std::chrono::steady_clock::time_point deadline);

  const HttpServerOptions options;
  const HttpHandler handler;
  const ServerLog log;
  Counters counters;
  std::stop_source stop_source;

 private:
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable closed_;  // also signals async answers
  std::uint64_t async_open_ = 0;    // guarded by mutex_
  // Weak: the registry lets Stop() reach every connection without keeping any alive.
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> live_;  // guarded by mutex_

 public:
  boost::asio::io_context io_context;
  // Emplaced by Start(), with options.worker_threads threads.
  std::optional<boost::asio::thread_pool> workers;
  // Emplaced by Start() when options.is_quick is set, with options.quick_threads threads.
  std::optional<boost::asio::thread_pool> quick_workers;
};

}  // namespace crm::server::http::internal
