#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "server/http/http_server.h"

namespace crm::server::http {

int WaitForShutdownSignal(HttpServer& server) {
  // A context of its own: the server's io threads must not be the ones that wait for this.
  boost::asio::io_context signal_context(1);
  boost::asio::signal_set signals(signal_context, SIGINT, SIGTERM);
  int received = 0;
  signals.async_wait([&received](const boost::system::error_code& ec, int signal_number) {
    if (!ec) received = signal_number;
  });
  signal_context.run();
  server.Stop();
  return received;
}

}  // namespace crm::server::http
