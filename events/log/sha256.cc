#include "events/log/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace crm::log {
namespace {

// libcrypto failing to hash is not an expected condition (no I/O, fixed algorithm): crash
// loudly rather than let an unverifiable hash into the chain.
[[noreturn]] void HashingFailed() {
  std::abort();
}

class DigestContext {
 public:
  DigestContext() : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {
    if (md_ == nullptr || ctx_ == nullptr) HashingFailed();
  }
  ~DigestContext() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;

  events::Sha256Digest Digest(std::string_view bytes) {
    events::Sha256Digest out{};
    unsigned int out_bytes = 0;
    if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1 || EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1 ||
        EVP_DigestFinal_ex(ctx_, out.data(), &out_bytes) != 1 || out_bytes != out.size()) {
      HashingFailed();
    }
    return out;
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

}  // namespace

events::Sha256Digest Sha256(std::string_view bytes) {
  thread_local DigestContext context;
  return context.Digest(bytes);
}

std::string ToHex(const events::Sha256Digest& digest) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (const auto byte : digest) {
    hex.push_back(kHexDigits[byte >> 4]);
    hex.push_back(kHexDigits[byte & 0xf]);
  }
  return hex;
}

}  // namespace crm::log
