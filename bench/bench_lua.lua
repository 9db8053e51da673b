-- bench_lua.lua: times bhclaim.check through the Lua binding, on claims already
-- decoded into tables (what a script holds) and on their JSON text.
-- Runs on Lua 5.1-5.4 and LuaJIT; bench/run.sh sets LUA_PATH and LUA_CPATH.
-- Usage: lua bench/bench_lua.lua FILE.ndjson [MAX_CLAIMS]
-- SPDX-License-Identifier: MIT

local bhclaim = require("bhclaim")

local path = arg[1] or "bench/out/claims.ndjson"
local max_claims = tonumber(arg[2])
local opts = { today = "2026-11-26" }   -- fixed, so date.future never depends on the day

local function read_lines(file_name)
  local f = assert(io.open(file_name, "rb"))
  local lines, bytes = {}, 0
  for line in f:lines() do
    if line ~= "" then
      lines[#lines + 1] = line
      bytes = bytes + #line
      if max_claims and #lines >= max_claims then break end
    end
  end
  f:close()
  return lines, bytes
end

-- Not timed: the tables a script would already hold before checking.
local function decode_all(lines)
  local tables = {}
  for i = 1, #lines do
    local t, msg = bhclaim.decode(lines[i])
    if t == nil then error("line " .. i .. ": " .. tostring(msg)) end
    tables[i] = t
  end
  return tables
end

-- One timed pass. The tally (reports with an error, findings) shows the
-- checks really ran; it costs a few table reads per claim.
local function timed(inputs)
  local failed, with_errors, findings = 0, 0, 0
  collectgarbage("collect")
  local start = os.clock()
  for i = 1, #inputs do
    local report = bhclaim.check(inputs[i], opts)
    if report == nil then
      failed = failed + 1
    else
      findings = findings + #report.findings
      if not report.ok then with_errors = with_errors + 1 end
    end
  end
  local seconds = os.clock() - start
  return seconds, { failed = failed, with_errors = with_errors, findings = findings }
end

local function show(label, seconds, n, bytes, seen)
  print(label)
  print(string.format("      %.3f s   %10.0f claims/s   %7.1f MB/s", seconds,
    n / seconds, bytes / 1e6 / seconds))
  print(string.format("      findings %d; claims with errors %d (%.2f%%); failed %d",
    seen.findings, seen.with_errors, 100 * seen.with_errors / n, seen.failed))
end

local lines, bytes = read_lines(path)
local n = #lines
local version = type(jit) == "table" and jit.version or _VERSION  -- luacheck: ignore jit
print(string.format("%s on %s: %d claims, %.1f MB of JSON (os.clock, one pass each)",
  bhclaim._VERSION, version, n, bytes / 1e6))

local decode_start = os.clock()
local tables = decode_all(lines)
print(string.format("  (decode into tables, untimed setup: %.3f s)", os.clock() - decode_start))

local t_seconds, t_seen = timed(tables)
show("(c) bhclaim.check(table, opts)", t_seconds, n, bytes, t_seen)
tables = nil  -- luacheck: ignore tables
collectgarbage("collect")

local j_seconds, j_seen = timed(lines)
show("(d) bhclaim.check(json_string, opts)", j_seconds, n, bytes, j_seen)
print(string.format("table input runs at %.0f%% of JSON-string input throughput",
  100 * j_seconds / t_seconds))
