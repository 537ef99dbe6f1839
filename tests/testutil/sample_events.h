// One event of every type, with every field set to a distinctive non-default value, so that a
// field the codec forgets or swaps cannot survive a round trip.
#pragma once

#include <string>
#include <vector>

#include "events/envelope.h"
#include "events/event_types.h"

namespace crm::testutil {

// The samples as of event schema version 1, in the order of the Event variant. Frozen: the
// golden records in tests/events/golden/v1 were written from exactly these values. When the
// schema grows, add the new fields' expected defaults in golden_test.cc, not here.
std::vector<events::Event> SampleEventsV1();

// The envelope the golden record of sample `index` (0-based) carries.
events::EventEnvelope SampleEnvelopeV1(std::size_t index);

// "07-CustomerProtected.bin": the golden file of sample `index`.
std::string GoldenFileName(std::size_t index, const events::Event& event);

}  // namespace crm::testutil
