-- bench_lua.lua: one Lua path over an NDJSON batch, best of RUNS passes:
--   decode       lua-cjson's cjson.decode of each line: the peer;
--   check-table  bhclaim.check on claims already decoded into tables (what a
--                script holds; decoded by bhclaim.decode before the clock);
--   check-json   bhclaim.check on each line's JSON text.
-- Each check uses the built-in profile of the claim's payer kind (no opts.payer),
-- as the command line does. One path per process, so bench/run.sh can take its
-- peak memory (GNU time %M); check-table's includes the tables it holds.
-- Times are os.clock (CPU seconds). Runs on Lua 5.1-5.4 and LuaJIT; bench/run.sh
-- sets LUA_PATH and LUA_CPATH. Prints the figures, then one tab-separated
-- "RESULT" line for bench/table.lua.
-- Usage: lua bench/bench_lua.lua FILE.ndjson decode|check-table|check-json [RUNS=3]
-- SPDX-License-Identifier: MIT

local path, mode = arg[1], arg[2]
local runs = tonumber(arg[3] or "3")
local MODES = { decode = true, ["check-table"] = true, ["check-json"] = true }
if not path or not MODES[mode] or not runs or runs < 1 then
  io.stderr:write("usage: bench_lua.lua FILE.ndjson decode|check-table|check-json [RUNS=3]\n")
  os.exit(2)
end

local opts = { today = "2026-11-26" }   -- fixed, so date.future never depends on the day

local function read_lines(file_name)
  local f = assert(io.open(file_name, "rb"))
  local lines, bytes = {}, 0
  for line in f:lines() do
    if line ~= "" then
      lines[#lines + 1] = line
      bytes = bytes + #line
    end
  end
  f:close()
  return lines, bytes
end

-- One timed pass of bhclaim.check. The tally (claims with an error or a
-- warning) shows the checks ran and that every path did the same work.
local function check_pass(check, inputs)
  local failed, flagged = 0, 0
  collectgarbage("collect")
  local start = os.clock()
  for i = 1, #inputs do
    local report = check(inputs[i], opts)
    if report == nil then
      failed = failed + 1
    elseif report.counts.error + report.counts.warning > 0 then
      flagged = flagged + 1
    end
  end
  return os.clock() - start, flagged, failed
end

-- One timed pass of cjson.decode; the tables are dropped as made.
local function decode_pass(decode, lines)
  local failed = 0
  collectgarbage("collect")
  local start = os.clock()
  for i = 1, #lines do
    if type(decode(lines[i])) ~= "table" then failed = failed + 1 end
  end
  return os.clock() - start, -1, failed
end

local lines, bytes = read_lines(path)
local n = #lines
local version = type(jit) == "table" and jit.version or _VERSION  -- luacheck: ignore jit

local pass, inputs, label
if mode == "decode" then
  local cjson = require("cjson")
  label = "lua-cjson " .. tostring(cjson._VERSION) .. " cjson.decode(json_string)"
  pass, inputs = function(list) return decode_pass(cjson.decode, list) end, lines
else
  local bhclaim = require("bhclaim")
  if mode == "check-table" then
    label = "bhclaim.check(table, opts)"
    inputs = {}
    for i = 1, n do
      local t, msg = bhclaim.decode(lines[i])
      if t == nil then error("line " .. i .. ": " .. tostring(msg)) end
      inputs[i] = t
    end
    lines = nil  -- luacheck: ignore lines
  else
    label = "bhclaim.check(json_string, opts)"
    inputs = lines
  end
  pass = function(list) return check_pass(bhclaim.check, list) end
end

local best, flagged, failed = math.huge, -1, 0
for _ = 1, runs do
  local seconds
  seconds, flagged, failed = pass(inputs)
  if seconds < best then best = seconds end
end

print(string.format("%s on %s: %d claims, %.1f MB of JSON, best of %d (os.clock)",
  label, version, n, bytes / 1e6, runs))
print(string.format("      %.3f s   %10.0f claims/s   %7.1f MB/s", best, n / best,
  bytes / 1e6 / best))
if flagged >= 0 then
  print(string.format("      claims with an error or a warning %d (%.2f%%)", flagged,
    100 * flagged / n))
end
if failed > 0 then print(string.format("      failed: %d", failed)) end
-- peak memory: -1 here, bench/run.sh takes it from GNU time
print(string.format("RESULT\t%s\t%d\t%d\t%.6f\t%d\t-1", mode, n, bytes, best, flagged))
if failed > 0 then os.exit(1) end
