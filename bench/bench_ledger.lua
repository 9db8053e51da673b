-- bench_ledger.lua: the claim ledger on each backend (bench/run.sh).
--   lua bench/bench_ledger.lua [N] [LINES]
-- Submits N claims (default 100000) carrying LINES service lines in all
-- (default 1000000, so LINES/N lines each), posts an 835 paying them, and
-- times `ar` over the result. Wall-clock times; claims/s for submitting
-- and posting. SQLite in a scratch file; PostgreSQL in a private cluster
-- (spec/ledger_support.lua) when PostgreSQL 15 is installed.
-- SPDX-License-Identifier: MIT
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path

local S = dofile("spec/ledger_support.lua")
local ledger = require("bhclaim.ledger")
local bhclaim = require("bhclaim")

local N = tonumber(arg[1]) or 100000
local LINES = tonumber(arg[2]) or 1000000
local per = math.max(1, math.floor(LINES / N))

local format = string.format

local function wall()
  local p = io.popen("date +%s.%N")
  local t = tonumber(p:read("*l"))
  p:close()
  return t
end

-- N claims as NDJSON, `per` lines of 1.00 each.
local function claims_text()
  local base = bhclaim.decode(bhclaim.encode(S.claims()[1]))
  local line = base.lines[1]
  line.charge = "1.00"
  local lines = {}
  for i = 1, per do lines[i] = line end
  base.lines = lines
  local template = bhclaim.encode(base)
  local out = {}
  for i = 1, N do
    out[i] = (template:gsub('"id":"CLM%-A"', '"id":"B-' .. i .. '"'))
  end
  return table.concat(out, "\n") .. "\n"
end

local function remit_text()
  local payments = {}
  local charge = format("%d.00", per)
  for i = 1, N do
    payments[i] = { id = "B-" .. i, status = "1", charge = charge, paid = charge,
      patient = "0.00", lines = { { code = "90853", charge = charge, paid = charge } } }
  end
  return S.remit_835("BENCH", "20260401", payments)
end

local function run(name, url, ctext, rtext)
  local lg = assert(ledger.open(url))
  local t0 = wall()
  local r = assert(lg:submit(ctext, { file = "bench.ndjson", date = "2026-03-05" }))
  local t1 = wall()
  assert(r.submitted == N, "submitted " .. tostring(r.submitted))
  print(format("%-9s submit %d claims (%d lines): %.1f s, %.0f claims/s", name, N, N * per,
    t1 - t0, N / (t1 - t0)))
  r = assert(lg:post(rtext, { file = "bench.835" }))
  local t2 = wall()
  assert(r.claims == N, "posted " .. tostring(r.claims))
  print(format("%-9s post 835 of %d claim payments: %.1f s, %.0f claims/s", name, N, t2 - t1,
    N / (t2 - t1)))
  local ar = assert(lg:ar({ as_of = "2026-03-20" }))
  local t3 = wall()
  assert(ar.payer_total == N * per * 100)
  print(format("%-9s ar as of 2026-03-20 (before payment: %d claims, %d lines open): %.2f s",
    name, N, N * per, t3 - t2))
  ar = assert(lg:ar({ as_of = "2026-04-02" }))
  local t4 = wall()
  assert(ar.payer_total == 0)
  print(format("%-9s ar as of 2026-04-02 (all paid): %.2f s", name, t4 - t3))
  lg:close()
end

local ctext, rtext = claims_text(), remit_text()
local backends = S.backends()
local ok, err = pcall(function()
  for _, b in ipairs(backends) do run(b.name, b.new_url(), ctext, rtext) end
end)
for _, b in ipairs(backends) do b.stop() end
if not ok then error(err, 0) end
