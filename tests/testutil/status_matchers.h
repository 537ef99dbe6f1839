// Assertions on Status and Result, in the spirit of RocksDB's ASSERT_OK.
#pragma once

#include <gtest/gtest.h>

#include "events/status.h"

// Both accept streamed context, like gtest's own: ASSERT_OK(log->Read(seq)) << "seq " << seq;
// (the switch keeps an enclosing if/else unambiguous, as gtest does).
#define ASSERT_OK(expr) CRM_TEST_OK_IMPL(expr, FAIL())
#define EXPECT_OK(expr) CRM_TEST_OK_IMPL(expr, ADD_FAILURE())
#define CRM_TEST_OK_IMPL(expr, on_failure)                                                               \
  switch (0)                                                                                             \
  case 0:                                                                                                \
  default:                                                                                               \
    if (const ::crm::Status crm_test_status_ = ::crm::testutil::StatusOf(expr); crm_test_status_.ok()) { \
    } else                                                                                               \
      on_failure << crm_test_status_.ToString() << " "

// lhs = value of the Result `expr`; fails the test (and returns) when it is an error.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(CRM_STATUS_CONCAT(crm_test_result_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)   \
  auto tmp = (expr);                                \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString(); \
  lhs = std::move(tmp).value()

// Asserts that `expr` (a Status or Result) failed with this machine reason.
#define EXPECT_REASON(expr, expected_reason)                                              \
  do {                                                                                    \
    const ::crm::Status crm_test_status_ = ::crm::testutil::StatusOf(expr);               \
    EXPECT_EQ(crm_test_status_.reason(), expected_reason) << crm_test_status_.ToString(); \
  } while (false)

namespace crm::testutil {

inline Status StatusOf(const Status& status) {
  return status;
}
template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.status();
}

}  // namespace crm::testutil
