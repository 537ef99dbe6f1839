// One readable line per event: what changed, for the tables people read (`history`,
// `audit-report`). Machines read event_json.h instead; these words may change freely.
#pragma once

#include <string>

#include "events/event_types.h"

namespace crm::replay {

// "protected for s1 until 2026-04-01T02:00:00Z, review by 2026-03-05T02:00:00Z (registration)".
// Free text from the event (reasons, notes) is cut to kDescriptionTextCharsMax characters.
std::string DescribeEvent(const events::Event& event);

// Longest quoted free text in a description, in Unicode characters: a table row stays one line.
inline constexpr std::size_t kDescriptionTextCharsMax = 60;

// `text` cut to at most `chars_max` Unicode characters (never inside a UTF-8 sequence), with "…"
// when something was cut; newlines become spaces so a row stays one line.
std::string Shorten(std::string_view text, std::size_t chars_max);

// Fen as yuan for people: 1250000 -> "12500.00".
std::string FormatYuan(events::Fen fen);

}  // namespace crm::replay
