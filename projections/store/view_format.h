// Every constant of how projections are kept in the database beside the log. The format is
// specified in docs/storage-format.md ("Projection families"); change one only with the other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "events/envelope.h"

namespace crm::projections::store {

// The catalog family: which family serves each projection and which one is being built.
//   "active/<name>"   -> "<version> <family>"
//   "building/<name>" -> "<version> <family>"
inline constexpr std::string_view kCatalogFamily = "projections";
inline constexpr std::string_view kActivePrefix = "active/";
inline constexpr std::string_view kBuildingPrefix = "building/";

// One family per projection build: "view.<name>.<generation>". A generation is never reused,
// so a rebuild of the same version still gets a fresh family beside the serving one.
inline constexpr std::string_view kViewFamilyPrefix = "view.";
// catalog "generation" -> decimal: the last generation handed out.
inline constexpr std::string_view kGenerationKey = "generation";

// Inside a view family:
//   "c"                           -> BE64(seq): the last event folded into the rows
//   "r" ++ row_key                -> the projection's row
//   "s" ++ BE64(seq) ++ BE32(i)   -> chunk i of the snapshot of every row as of seq
//   "d" ++ BE64(seq) ++ BE32(i)   -> chunk i of the delta snapshot at seq: the rows changed
//                                    since the snapshot before it (full or delta)
// A full chunk is a sequence of (varint key size, key, varint value size, value). A delta's
// chunk 0 starts with varint(seq of the snapshot before it); then, in every chunk, entries
// (varint key size, key, varint 0, varint value size, value) for a row put and
// (varint key size, key, varint 1) for a row deleted.
inline constexpr std::string_view kCheckpointKey = "c";
inline constexpr char kRowPrefix = 'r';
inline constexpr char kSnapshotPrefix = 's';
inline constexpr char kDeltaSnapshotPrefix = 'd';
inline constexpr std::size_t kSnapshotChunkBytesMax = 1u << 20;

std::string ViewFamilyName(std::string_view projection, std::uint64_t generation);
// The projection name of a view family, or empty when `family` is not one.
std::string_view ProjectionOfFamily(std::string_view family);

std::string EncodeBigEndian64(std::uint64_t value);
std::uint64_t DecodeBigEndian64(std::string_view bytes);  // REQUIRES: 8 bytes

std::string RowKey(std::string_view row_key);
// `kind` is kSnapshotPrefix or kDeltaSnapshotPrefix.
std::string SnapshotPrefix(events::Seq seq, char kind = kSnapshotPrefix);
std::string SnapshotChunkKey(events::Seq seq, std::uint32_t chunk, char kind = kSnapshotPrefix);

}  // namespace crm::projections::store
