-- POST /v1/customers/{id}/followups (a durable command: 200 only after its event is fsynced),
-- rotating over (customer, token) pairs that run-wrk.sh prepared from each salesperson's
-- GET /v1/ownership: every request carries the token of the customer's holder, and consecutive
-- requests go to customers of different salespeople.
--   wrk -s followups.lua URL -- PAIRS_FILE     (lines: customer id <TAB> token)
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

local requests_list, next_index
local body = '{"channel":"phone","notes":"wrk benchmark: called, asked for a quote"}'

setup = report.setup

function init(args)
  local pairs_list = report.load_pairs(args[1])
  requests_list = {}
  for i, pair in ipairs(pairs_list) do
    requests_list[i] = wrk.format("POST", "/v1/customers/" .. pair[1] .. "/followups", {
      ["Authorization"] = "Bearer " .. pair[2],
      ["Content-Type"] = "application/json",
    }, body)
  end
  next_index = ((thread_index or 0) * math.floor(#requests_list / 2)) % #requests_list
end

function request()
  next_index = next_index % #requests_list + 1
  return requests_list[next_index]
end

done = report.done
