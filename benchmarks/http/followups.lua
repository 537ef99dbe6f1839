-- POST /v1/customers/{id}/followups (a durable command: 200 only after its event is fsynced),
-- rotating over (customer, token) pairs that run-wrk.sh prepared from each salesperson's
-- GET /v1/ownership: every request carries the token of the customer's holder, and consecutive
-- requests go to customers of different salespeople.
--   wrk -s followups.lua URL -- PAIRS_FILE     (lines: customer id <TAB> token)
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

local next_request
local body = '{"channel":"phone","notes":"wrk benchmark: called, asked for a quote"}'

setup = report.setup

function init(args)
  next_request = report.rotate_over_pairs(args[1], function(customer, token)
    return wrk.format("POST", "/v1/customers/" .. customer .. "/followups", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
    }, body)
  end)
end

function request()
  return next_request()
end

done = report.done
