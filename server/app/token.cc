#include "server/app/token.h"

#include <openssl/rand.h>

#include <array>

namespace crm::server::app {

Result<std::string> NewToken() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return Status::Internal("no_randomness", "OpenSSL's random generator failed");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string token = "crm_";
  for (const unsigned char byte : bytes) {
    token.push_back(kDigits[byte >> 4]);
    token.push_back(kDigits[byte & 0xf]);
  }
  return token;
}

}  // namespace crm::server::app
