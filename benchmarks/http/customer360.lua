-- GET /v1/customers/{id} (the customer 360), rotating over (customer, token) pairs that
-- run-wrk.sh prepared: each customer read with the token of the salesperson who holds it.
--   wrk -s customer360.lua URL -- PAIRS_FILE     (lines: customer id <TAB> token)
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

local next_request

setup = report.setup

function init(args)
  next_request = report.rotate_over_pairs(args[1], function(customer, token)
    return wrk.format("GET", "/v1/customers/" .. customer, { ["Authorization"] = "Bearer " .. token })
  end)
end

function request()
  return next_request()
end

done = report.done
