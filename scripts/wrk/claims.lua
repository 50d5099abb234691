-- wrk script: fee-claim submission as the claimants of the demo ledger do it from their
-- phones. Each claim is two requests: POST /api/v1/claims (with its line) and
-- POST /api/v1/claims/{number}/submit. A connection asks for a new claim unless one of
-- its thread's claims waits to be submitted.
--
-- NERACA_BENCH_TOKENS names a file of "PERSON TOKEN" lines (claimants of one district
-- each); NERACA_BENCH_FROM is the first activity date (YYYY-MM-DD); activities are spread
-- over the 20 days from it so that claims differ as real ones do.

local tokens = {}      -- { {person, district, token}, ... }
local byPerson = {}    -- person -> token
local waiting = {}     -- numbers created, not yet submitted, with their token
local next = 0
local year, month, day

function init(args)
  local path = os.getenv("NERACA_BENCH_TOKENS")
  for line in io.lines(path) do
    local person, district, token = line:match("^(%S+) (%S+) (%S+)$")
    if person then
      table.insert(tokens, {person = person, district = district, token = token})
      byPerson[person] = token
    end
  end
  year, month, day = os.getenv("NERACA_BENCH_FROM"):match("^(%d+)-(%d+)-(%d+)$")
  year, month, day = tonumber(year), tonumber(month), tonumber(day)
  -- Threads start at different claimants.
  next = math.random(#tokens)
end

local function date(offset)
  local t = os.time({year = year, month = month, day = day, hour = 12}) + offset * 86400
  return os.date("!%Y-%m-%d", t)
end

request = function()
  local claim = table.remove(waiting)
  if claim then
    return wrk.format("POST", "/api/v1/claims/" .. claim.number .. "/submit", {
      ["Authorization"] = "Bearer " .. claim.token, ["Content-Type"] = "application/json"}, "{}")
  end
  next = next % #tokens + 1
  local who = tokens[next]
  local offset = math.random(0, 19)
  local body = string.format(
    '{"district":"%s","budgetLine":"1.1","activity":"Village meeting %d","activityFrom":"%s","activityTo":"%s",' ..
    '"lines":[{"category":"honorarium","quantity":1,"unitRate":"%d.00"}]}',
    who.district, math.random(1, 1000000), date(offset), date(offset), 100000 + math.random(0, 199) * 1000)
  return wrk.format("POST", "/api/v1/claims", {
    ["Authorization"] = "Bearer " .. who.token, ["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status == 201 then
    local number = body:match('"number":"(FC%-[^"]+)"')
    local claimant = body:match('"claimant":"([^"]+)"')
    if number and claimant and byPerson[claimant] then
      table.insert(waiting, {number = number, token = byPerson[claimant]})
    end
  end
end
