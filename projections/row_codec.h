// RowWriter / RowReader: the byte form of a projection's rows (docs/storage-format.md,
// "Projection families").
//
// Rows are rebuilt from the log whenever their format changes (the projection's version is
// bumped), so the form is private to each projection and needs no schema evolution of its own:
// unsigned varints, zig-zag signed varints, and length-prefixed bytes, in the order the
// projection wrote them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "events/status.h"

namespace crm::projections {

class RowWriter {
 public:
  void U64(std::uint64_t value);
  void I64(std::int64_t value);
  void Bool(bool value) { U64(value ? 1 : 0); }
  void Bytes(std::string_view value);

  const std::string& data() const { return data_; }
  std::string Take() { return std::move(data_); }

 private:
  std::string data_;
};

// Reads what a RowWriter wrote. A read past the end or a malformed varint makes every later
// read return zero values and Finish() report corruption, so callers check once at the end.
class RowReader {
 public:
  explicit RowReader(std::string_view data) : rest_(data) {}

  std::uint64_t U64() {
    // Inline for the one-byte values most fields are (lengths, counts, enums, flags): loading
    // a snapshot reads tens of them per row (docs/benchmarks.md, "As-of reads").
    if (!failed_ && !rest_.empty() && (static_cast<std::uint8_t>(rest_.front()) & 0x80) == 0) {
      const auto value = static_cast<std::uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      return value;
    }
    return LongU64();
  }
  std::int64_t I64();
  bool Bool() { return U64() != 0; }
  std::string Bytes();
  // The same without a copy: a view into the data the reader was given.
  std::string_view BytesView() {
    const std::uint64_t size = U64();
    if (failed_ || size > rest_.size()) {
      failed_ = true;
      return {};
    }
    const std::string_view value = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return value;
  }
  // A count of items about to be read; a count larger than the bytes left is corruption, so a
  // damaged row cannot make the caller reserve gigabytes.
  std::size_t Count();

  bool ok() const { return !failed_; }
  bool at_end() const { return rest_.empty(); }
  // The bytes not read yet.
  std::string_view rest() const { return rest_; }

  // Ok when every read succeeded and nothing is left over. The error names the row by the
  // parts of `what` joined, which are only joined then: a load finishes every row it reads.
  Status Finish(std::initializer_list<std::string_view> what) const;

 private:
  // U64 of a value that takes more than one byte, or of none left.
  std::uint64_t LongU64();

  std::string_view rest_;
  bool failed_ = false;
};

}  // namespace crm::projections
