// A small HTTP/1.1 client for the transport's tests: synchronous calls, each bounded by a
// time-out. (Beast's blocking calls would wait forever on a server that misbehaves, so each
// call runs the asynchronous operation with a deadline on the client's own io_context.)
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crm::server::http::testing {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

inline constexpr std::chrono::milliseconds kClientTimeout{5'000};

// A GET (or another method) of `target` on HTTP/1.1 with a Host header.
Request MakeRequest(std::string_view method, std::string_view target, std::string body = {});

class TestClient {
 public:
  TestClient() = default;
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // False when the connection is refused or does not complete in time.
  bool Connect(std::uint16_t port, std::chrono::milliseconds timeout = kClientTimeout);
  bool WriteRaw(std::string_view bytes, std::chrono::milliseconds timeout = kClientTimeout);
  bool Write(Request request, std::chrono::milliseconds timeout = kClientTimeout);
  // The next response, or nullopt on time-out, close or garbage.
  std::optional<Response> ReadResponse(std::chrono::milliseconds timeout = kClientTimeout);
  std::optional<Response> Send(Request request, std::chrono::milliseconds timeout = kClientTimeout);
  // True when the server has closed the connection (end of stream or reset) within the
  // time-out, with no further response bytes.
  bool ReadClosed(std::chrono::milliseconds timeout = kClientTimeout);
  // Raw bytes up to and including `delimiter` (empty on time-out or close); what follows it
  // stays buffered for the next read.
  std::string ReadUntil(std::string_view delimiter, std::chrono::milliseconds timeout = kClientTimeout);
  // Bytes the kernel holds for us, unread.
  std::size_t Available();
  void Close();

 private:
  template <typename StartOp>
  boost::system::error_code Run(std::chrono::milliseconds timeout, StartOp start);

  boost::asio::io_context io_context_;
  boost::beast::tcp_stream stream_{io_context_};
  boost::beast::flat_buffer buffer_;
};

}  // namespace crm::server::http::testing
