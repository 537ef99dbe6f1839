-- Shared by the scenario scripts: the one machine-readable line run-wrk.sh reads, printed by
-- wrk's done() after its own summary. Times in microseconds; "status" counts the responses
-- wrk saw with a status above 399 (4xx/5xx); "socket" counts connect/read/write/timeout errors.
local report = {}

-- Loads "a<TAB>b" lines (e.g. customer id and bearer token) into a list of {a, b}.
function report.load_pairs(path)
  local pairs_list = {}
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in file:lines() do
    local a, b = line:match("^([^\t]+)\t([^\t]+)$")
    if a then pairs_list[#pairs_list + 1] = { a, b } end
  end
  file:close()
  assert(#pairs_list > 0, "no pairs in " .. path)
  return pairs_list
end

-- A function that returns the next of the requests `build(a, b)` makes from the pairs in
-- `path`, round and round; each thread starts half a list after the previous one.
function report.rotate_over_pairs(path, build)
  local list = {}
  for i, pair in ipairs(report.load_pairs(path)) do list[i] = build(pair[1], pair[2]) end
  local next_index = ((thread_index or 0) * math.floor(#list / 2)) % #list
  return function()
    next_index = next_index % #list + 1
    return list[next_index]
  end
end

-- Each wrk thread gets its own index so the threads start at different places in a list.
local thread_counter = 0
function report.setup(thread)
  thread:set("thread_index", thread_counter)
  thread_counter = thread_counter + 1
end

function report.done(summary, latency, requests)
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "WRK_RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "status=%d socket=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end

return report
