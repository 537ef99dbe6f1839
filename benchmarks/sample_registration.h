// The customer the command benchmarks register, the same in every benchmark that compares
// systems on it (command_benchmark, peers/peers_driver): a full company name numbered `number`
// (unique per number), valid for every rule of registration.
#pragma once

#include <string>

#include "aggregates/commands.h"

namespace crm::bench {

inline aggregates::RegisterCustomer SampleRegistration(int number) {
  return {.customer_id = "",
          .name = "泰州市第" + std::to_string(number) + "空调设备有限公司",
          .region = "江苏省泰州市",
          .industry = "空调",
          .address = "靖江市人民路1号",
          .phone = "0523-84561234",
          .intro = "生产和销售中央空调",
          .website = ""};
}

}  // namespace crm::bench
