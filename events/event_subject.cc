#include "events/event_subject.h"

#include <type_traits>

namespace crm::events {

const std::string* CustomerIdOf(const Event& event) {
  return std::visit(
      [](const auto& e) -> const std::string* {
        using E = std::decay_t<decltype(e)>;
        if constexpr (requires { e.customer_id; } && !std::is_same_v<E, ContractSigned> &&
                      !std::is_same_v<E, PaymentRecorded>) {
          return &e.customer_id;
        } else {
          return nullptr;
        }
      },
      event);
}

}  // namespace crm::events
