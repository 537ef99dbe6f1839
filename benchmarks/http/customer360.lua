-- GET /v1/customers/{id} (the customer 360), rotating over (customer, token) pairs that
-- run-wrk.sh prepared: each customer read with the token of the salesperson who holds it.
--   wrk -s customer360.lua URL -- PAIRS_FILE     (lines: customer id <TAB> token)
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

local requests_list, next_index

setup = report.setup

function init(args)
  local pairs_list = report.load_pairs(args[1])
  requests_list = {}
  for i, pair in ipairs(pairs_list) do
    requests_list[i] = wrk.format("GET", "/v1/customers/" .. pair[1],
                                  { ["Authorization"] = "Bearer " .. pair[2] })
  end
  -- Threads start half a list apart (thread_index is set by setup()).
  next_index = ((thread_index or 0) * math.floor(#requests_list / 2)) % #requests_list
end

function request()
  next_index = next_index % #requests_list + 1
  return requests_list[next_index]
end

done = report.done
