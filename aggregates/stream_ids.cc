#include "aggregates/stream_ids.h"

namespace crm::aggregates {
namespace {

std::string Prefixed(std::string_view prefix, std::string_view id) {
  std::string stream;
  stream.reserve(prefix.size() + id.size());
  stream.append(prefix).append(id);
  return stream;
}

}  // namespace

std::string CustomerStream(std::string_view customer_id) {
  return Prefixed("customer-", customer_id);
}
std::string ContractStream(std::string_view contract_no) {
  return Prefixed("contract-", contract_no);
}
std::string UserStream(std::string_view user_id) {
  return Prefixed("user-", user_id);
}

}  // namespace crm::aggregates
