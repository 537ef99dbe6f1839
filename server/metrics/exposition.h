// The Prometheus text exposition format, version 0.0.4, as pure functions: the name rules, the
// escaping and the number syntax that Registry::Render writes. The format:
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
//
//   # HELP <name> <help, with \ and newline escaped>
//   # TYPE <name> counter|gauge|histogram
//   <name>{<label>="<value, with \ " and newline escaped>",...} <value>
//
// A histogram <name> writes <name>_bucket{...,le="<upper bound>"} (cumulative, ending with
// le="+Inf"), <name>_sum{...} and <name>_count{...}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace crm::metrics {

// What GET /metrics answers in its Content-Type header.
inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

// Limits on what a registration may name; longer names are a bug in the registering code.
inline constexpr std::size_t kMetricNameBytesMax = 128;
inline constexpr std::size_t kLabelNameBytesMax = 64;

// [a-zA-Z_:][a-zA-Z0-9_:]*, at most kMetricNameBytesMax bytes.
bool IsValidMetricName(std::string_view name);

// [a-zA-Z_][a-zA-Z0-9_]*, at most kLabelNameBytesMax bytes, and not starting with "__" (reserved
// for Prometheus itself).
bool IsValidLabelName(std::string_view name);

// Appends `help` with \ as \\ and newline as \n.
void AppendEscapedHelp(std::string& out, std::string_view help);

// Appends `value` with \ as \\, " as \" and newline as \n. Other bytes pass through: label values
// are expected to be UTF-8 already (route patterns and view names, never client input).
void AppendEscapedLabelValue(std::string& out, std::string_view value);

// Appends a sample value: "NaN", "+Inf", "-Inf"; an integral value below 2^53 in magnitude as an
// integer ("42"); otherwise the shortest text that reads back as the same double, in fixed
// notation from 1e-4 up to 1e21 ("0.0005", "2.5") and scientific outside it ("1e-05"). Bucket
// bounds use the same text in le="...".
void AppendValue(std::string& out, double value);
void AppendValue(std::string& out, std::uint64_t value);

// AppendValue into a fresh string, for tests and labels.
std::string FormatValue(double value);

}  // namespace crm::metrics
