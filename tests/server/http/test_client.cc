#include "test_client.h"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <utility>

namespace crm::server::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

Request MakeRequest(std::string_view method, std::string_view target, std::string body) {
  Request request;
  request.version(11);
  request.method_string(beast::string_view(method.data(), method.size()));
  request.target(beast::string_view(target.data(), target.size()));
  request.set(bhttp::field::host, "127.0.0.1");
  if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

template <typename StartOp>
error_code TestClient::Run(std::chrono::milliseconds timeout, StartOp start) {
  error_code result = asio::error::would_block;
  stream_.expires_after(timeout);
  start([&result](error_code ec, std::size_t = 0) { result = ec; });
  io_context_.restart();
  io_context_.run();
  stream_.expires_never();
  return result;
}

bool TestClient::Connect(std::uint16_t port, std::chrono::milliseconds timeout) {
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  const error_code ec = Run(timeout, [&](auto done) {
    stream_.async_connect(endpoint, [done](error_code connect_ec) mutable { done(connect_ec); });
  });
  return !ec;
}

bool TestClient::WriteRaw(std::string_view bytes, std::chrono::milliseconds timeout) {
  const error_code ec =
      Run(timeout, [&](auto done) { asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()), done); });
  return !ec;
}

bool TestClient::Write(Request request, std::chrono::milliseconds timeout) {
  const error_code ec = Run(timeout, [&](auto done) { bhttp::async_write(stream_, request, done); });
  return !ec;
}

std::optional<Response> TestClient::ReadResponse(std::chrono::milliseconds timeout) {
  Response response;
  const error_code ec = Run(timeout, [&](auto done) { bhttp::async_read(stream_, buffer_, response, done); });
  if (ec) return std::nullopt;
  return response;
}

std::optional<Response> TestClient::Send(Request request, std::chrono::milliseconds timeout) {
  if (!Write(std::move(request), timeout)) return std::nullopt;
  return ReadResponse(timeout);
}

bool TestClient::ReadClosed(std::chrono::milliseconds timeout) {
  if (buffer_.size() > 0) return false;
  std::array<char, 256> scratch;
  std::size_t received = 0;
  error_code ec;
  ec = Run(timeout, [&](auto done) {
    stream_.async_read_some(asio::buffer(scratch), [&received, done](error_code read_ec, std::size_t n) mutable {
      received = n;
      done(read_ec);
    });
  });
  return received == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
}

std::string TestClient::ReadUntil(std::string_view delimiter, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  constexpr int kReadsMax = 1000;
  for (int reads = 0; reads < kReadsMax; ++reads) {
    const std::string_view buffered(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    if (const std::size_t at = buffered.find(delimiter); at != std::string_view::npos) {
      std::string text(buffered.substr(0, at + delimiter.size()));
      buffer_.consume(text.size());
      return text;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    std::size_t n = 0;
    const error_code ec = Run(left, [&](auto done) {
      stream_.async_read_some(buffer_.prepare(4096), [&n, done](error_code read_ec, std::size_t bytes) mutable {
        n = bytes;
        done(read_ec);
      });
    });
    if (ec) return {};
    buffer_.commit(n);
  }
  return {};
}

std::size_t TestClient::Available() {
  error_code ec;
  const std::size_t n = stream_.socket().available(ec);
  return ec ? 0 : n;
}

void TestClient::Close() {
  error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace crm::server::http::testing
