// crm-server: the HTTP API (docs in the README). The server itself arrives with issue 5; until
// then this program says so instead of pretending to serve.
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  const bool asked_for_help = argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0);
  std::fprintf(asked_for_help ? stdout : stderr,
               "usage: crm-server --data DIR --listen 127.0.0.1:8080 --admin-token T\n"
               "The HTTP server is not built yet (issue 5). The event log it will serve is ready:\n"
               "inspect a data directory with `crm-replay verify --data DIR`.\n");
  return asked_for_help ? 0 : 2;
}
