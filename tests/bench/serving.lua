-- wrk script for tests/bench/serving.sh: GET /v1/recommendations/{user}?k=K for a user drawn
-- uniformly per request from USERS_FILE (one id per line, written by ServingBenchmark).
-- done() prints one RESULT line that serving.sh parses.

local users = {}
local k = os.getenv("K") or "20"

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local path = os.getenv("USERS_FILE")
  if path == nil then error("USERS_FILE is not set") end
  for line in io.lines(path) do
    if #line > 0 then users[#users + 1] = urlencode(line) end
  end
  if #users == 0 then error("no users in " .. path) end
  -- One seed per thread: the table's address differs between the threads' Lua states.
  local addr = tonumber((tostring({}):match("0x(%x+)")) or "0", 16) or 0
  math.randomseed((os.time() + addr) % 2147483647)
end

function request()
  return wrk.format("GET", "/v1/recommendations/" .. users[math.random(#users)] .. "?k=" .. k)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d"
      .. " p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
