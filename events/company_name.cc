#include "events/company_name.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <vector>

namespace crm::events {

Result<std::string> NormalizeCompanyName(std::string_view name) {
  // u_strFromUTF8 refuses ill-formed input instead of substituting U+FFFD silently, so two
  // different broken names can never normalise to the same thing.
  UErrorCode error = U_ZERO_ERROR;
  int32_t utf16_length = 0;
  u_strFromUTF8(nullptr, 0, &utf16_length, name.data(), static_cast<int32_t>(name.size()), &error);
  if (error != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(error)) {
    return Status::InvalidArgument("invalid_utf8", "the name is not valid UTF-8");
  }
  std::vector<UChar> utf16(static_cast<std::size_t>(utf16_length) + 1);
  error = U_ZERO_ERROR;
  u_strFromUTF8(utf16.data(), utf16_length + 1, nullptr, name.data(), static_cast<int32_t>(name.size()), &error);
  if (U_FAILURE(error)) return Status::InvalidArgument("invalid_utf8", "the name is not valid UTF-8");

  error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(error);
  if (U_FAILURE(error)) return Status::Internal("icu_unavailable", u_errorName(error));
  const icu::UnicodeString input(false, utf16.data(), utf16_length);  // read-only alias
  const icu::UnicodeString folded = nfkc_casefold->normalize(input, error);
  if (U_FAILURE(error)) return Status::Internal("icu_normalize_failed", u_errorName(error));

  icu::UnicodeString compact;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    if (!u_isUWhiteSpace(c)) compact.append(c);
    i += U16_LENGTH(c);
  }
  std::string out;
  compact.toUTF8String(out);
  return out;
}

}  // namespace crm::events
