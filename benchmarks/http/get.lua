-- GET of one fixed path (the URL given to wrk), with an optional bearer token.
--   wrk -s get.lua URL -- [TOKEN]
-- Used for GET /v1/pool?limit=50 (a salesperson's token) and GET /v1/health (no token, the peer).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

function init(args)
  if args[1] and args[1] ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. args[1]
  end
end

done = report.done
