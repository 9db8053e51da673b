-- bench_remit.lua: matching claim payments to sent claims. Builds N sent
-- group-therapy claims and N claim payments in the 835 reader's table form
-- (default 100,000 each), in memory, then times
--   (m) bhclaim.remit.match: payments to claims (most by claim id, one in
--       ten by patient and date, one in fifty matching nothing), every
--       line by REF*6R or by code, modifiers and date;
--   (r) bhclaim.remit.report on the same, explained: matching plus
--       expected amounts (Medicare PFS), variances and findings.
-- Usage: lua bench_remit.lua [N]
-- SPDX-License-Identifier: MIT
local bhclaim = require("bhclaim")
local remit = bhclaim.remit

local N = tonumber(arg[1]) or 100000

local seed = 4242
local function rand(n)
  -- Park-Miller: the same sequence on doubles (5.1, LuaJIT) and integers.
  seed = (seed * 16807) % 2147483647
  return seed % n + 1
end

local LAST = { "ROE", "POE", "LOE", "DOE", "MOE", "NOE", "ZOE", "COE", "HOE", "JOE" }
local FIRST = { "SAM", "ALEX", "KIM", "RAY", "LEE", "PAT", "MAX", "JO", "AL", "BO" }

local function date_of(i)
  return string.format("2026-%02d-%02d", (i % 12) + 1, (i % 28) + 1)
end

local claims, payments = {}, {}
for i = 1, N do
  local last, first = LAST[rand(#LAST)] .. i, FIRST[rand(#FIRST)]
  local date = date_of(i)
  local add_on = rand(4) == 1
  local lines = { { code = "90853", modifiers = {}, units = 1, charge = "45.00", date = date,
    control_number = tostring(i) .. "-1" } }
  if add_on then
    lines[2] = { code = "90785", modifiers = {}, units = 1, charge = "20.00", date = date }
  end
  claims[i] = { id = "CLM" .. i, payer = { id = "04412", name = "Medicare Part B",
    kind = "medicare" }, place_of_service = rand(5) == 1 and "10" or "11",
    subscriber = { name = { last = last, first = first } }, lines = lines,
    rendering_provider = { credential = "PhD" } }
  local k = rand(50)
  local claim_id = k == 1 and ("NOPE" .. i) or (k <= 6 and ("PAYER" .. i) or ("CLM" .. i))
  local pl = { { code_qualifier = "HC", code = "90853", modifiers = {}, charge = "45.00",
    paid = "23.82", units = "1", date = date, control_number = k <= 25 and (i .. "-1") or nil,
    adjustments = { { group = "CO", reason = "45", amount = "14.61" },
      { group = "PR", reason = "2", amount = "6.08" },
      { group = "CO", reason = "253", amount = "0.49" } },
    amounts = { { qualifier = "B6", amount = "30.39" } }, remarks = {} } }
  if add_on then
    pl[2] = { code_qualifier = "HC", code = "90785", modifiers = {}, charge = "20.00",
      paid = "0.00", units = "1", date = date, remarks = { { qualifier = "HE", code = "N20" } },
      adjustments = { { group = "CO", reason = "97", amount = "20.00" } } }
  end
  payments[i] = { claim_id = claim_id, status = "1", charge = add_on and "65.00" or "45.00",
    paid = "23.82", patient_responsibility = "6.08", payer_claim_number = "PCN" .. i,
    patient = { last = k == 1 and "X" or last, first = first }, adjustments = {}, lines = pl }
end

local remittance = { { kind = "835", payer = { name = "MEDICARE" }, payment = {},
  claims = payments } }

local clock = os.clock
local t0 = clock()
remit.explain(remittance)
local t1 = clock()
local m = remit.match(payments, claims)
local t2 = clock()
local entries = remit.report(remittance, { claims = claims })
local t3 = clock()

print(string.format("%d payments, %d claims: %d matched, %d payments unmatched, "
  .. "%d claims unanswered", N, N, #m.matched, #m.unmatched_payments, #m.unanswered_claims))
print(string.format("explain    %8.3f s  %10.0f payments/s", t1 - t0, N / (t1 - t0)))
print(string.format("match      %8.3f s  %10.0f payments/s", t2 - t1, N / (t2 - t1)))
print(string.format("report     %8.3f s  %10.0f payments/s (match + expected + variance; "
  .. "%d entries)", t3 - t2, N / (t3 - t2), #entries))
