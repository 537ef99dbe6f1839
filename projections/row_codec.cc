#include "projections/row_codec.h"

namespace crm::projections {
namespace {

constexpr int kVarintBytesMax = 10;

}  // namespace

void RowWriter::U64(std::uint64_t value) {
  while (value >= 0x80) {
    data_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  data_.push_back(static_cast<char>(value));
}

void RowWriter::I64(std::int64_t value) {
  U64((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
}

void RowWriter::Bytes(std::string_view value) {
  U64(value.size());
  data_.append(value);
}

std::uint64_t RowReader::LongU64() {
  std::uint64_t value = 0;
  for (int i = 0; i < kVarintBytesMax && !failed_; ++i) {
    if (rest_.empty()) break;
    const auto byte = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) return value;
  }
  failed_ = true;
  return 0;
}

std::int64_t RowReader::I64() {
  const std::uint64_t zigzag = U64();
  return static_cast<std::int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
}

std::string RowReader::Bytes() {
  return std::string(BytesView());
}

std::size_t RowReader::Count() {
  const std::uint64_t count = U64();
  if (failed_ || count > rest_.size()) {
    failed_ = true;
    return 0;
  }
  return static_cast<std::size_t>(count);
}

Status RowReader::Finish(std::initializer_list<std::string_view> what) const {
  if (!failed_ && rest_.empty()) return Status::Ok();
  std::string message;
  for (const std::string_view part : what) message.append(part);
  if (failed_) return Status::Corruption("projection_row_corrupt", message + ": truncated or malformed");
  return Status::Corruption("projection_row_corrupt",
                            message + ": " + std::to_string(rest_.size()) + " unexpected trailing bytes");
}

}  // namespace crm::projections
