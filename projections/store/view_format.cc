#include "projections/store/view_format.h"

namespace crm::projections::store {

std::string ViewFamilyName(std::string_view projection, std::uint64_t generation) {
  return std::string(kViewFamilyPrefix) + std::string(projection) + "." + std::to_string(generation);
}

std::string_view ProjectionOfFamily(std::string_view family) {
  if (!family.starts_with(kViewFamilyPrefix)) return {};
  family.remove_prefix(kViewFamilyPrefix.size());
  const std::size_t dot = family.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : family.substr(0, dot);
}

std::string EncodeBigEndian64(std::uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i, value >>= 8) bytes[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
  return bytes;
}

std::uint64_t DecodeBigEndian64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

std::string RowKey(std::string_view row_key) {
  return kRowPrefix + std::string(row_key);
}

std::string SnapshotPrefix(events::Seq seq, char kind) {
  return kind + EncodeBigEndian64(seq);
}

std::string SnapshotChunkKey(events::Seq seq, std::uint32_t chunk, char kind) {
  std::string key = SnapshotPrefix(seq, kind);
  for (int shift = 24; shift >= 0; shift -= 8) key.push_back(static_cast<char>((chunk >> shift) & 0xff));
  return key;
}

}  // namespace crm::projections::store
