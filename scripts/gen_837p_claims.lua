-- gen_837p_claims.lua: varied claims in the claim JSON form, made to push the
-- 837P writer: 1-6 lines (one claim in 100 has 51), up to 4 modifiers (one
-- in 100 has 5), 1-12 diagnoses (one in 100 has 13), dependants, secondary
-- claims with the primary's payment and line adjudications, accents and
-- separators in names and addresses, ZIP+4, prior authorizations, minutes
-- (MJ) and date ranges, frequencies 1, 7 and 8 (one 7 in 5 without the
-- payer's claim number), text no table folds, and a run of 130 claims of
-- one subscriber. Deterministic: its own Park-Miller generator, so every
-- Lua draws the same claims. Each claim says in x_refuse whether the
-- writer must refuse it (nil: it must be written).
-- As a module: local gen = dofile("scripts/gen_837p_claims.lua");
--   local claims = gen.claims(n, seed)
-- As a command: lua scripts/gen_837p_claims.lua [N=6000] [SEED=837] > claims.ndjson
-- SPDX-License-Identifier: MIT

local M = {}

local format = string.format

local function generator(seed)
  local state = seed % 2147483646 + 1
  local g = {}
  function g.rand(n)
    state = (state * 16807) % 2147483647
    return state % n + 1
  end
  function g.pick(list) return list[g.rand(#list)] end
  function g.chance(percent) return g.rand(1000) <= percent * 10 end
  return g
end

local BILLING = {
  { name = "Riverbend Counseling LLC", npi = "1234567893", tin = "12-3456789",
    taxonomy = "261QM0801X",
    address = { line1 = "12 Main St", city = "Columbus", state = "OH", zip = "43215-4101" } },
  { name = "Cedar Hollow Psychology Group PC", npi = "1520408877", tin = "123456789",
    taxonomy = "193200000X",
    address = { line1 = "77 Orchard Ave, Suite 3", city = "Ann Arbor", state = "MI",
      zip = "481042213" } },
}
local RENDERING = {
  { name = { last = "Doe", first = "Jane" }, npi = "1245319599", credential = "LCSW",
    taxonomy = "1041C0700X" },
  { name = { last = "Lindqvist", first = "Hanna" }, npi = "1144273616", credential = "PhD",
    taxonomy = "103T00000X" },
}
local LAST = { "Roe", "Muñoz Peña", "O'Brien", "Strauß", "Ørsted-Nuñez", "Smith*Jones",
  "García", "Nguyen", "Łukasz", "Dupont~Durand", "Kim" }
local FIRST = { "Sam", "José", "Zoë", "Ana", "Chloé", "Björn", "Lee", "Renée", "Ævar" }
local STREET = { "48 Elm St", "12 Rue de l'Église", "5 Oak Ave:Apt 2", "9 Çelik Sk",
  "200 Main St^Unit 4", "1 Åsgatan" }
local PLACES = { { "Columbus", "OH", "43215" }, { "Portland", "OR", "972041234" },
  { "San Juan", "PR", "00901" }, { "Ann Arbor", "MI", "48104-2213" } }
local DX = { "F33.1", "F41.1", "F43.10", "F32.A", "F40.10", "F42.2", "F43.22", "F43.21",
  "F34.1", "F41.0", "F60.3", "F90.2", "F43.23", "F33.0", "F41.9" }
local MODIFIERS = { "HQ", "HO", "HN", "76", "59", "25" }
local PAYERS = {
  { id = "04412", name = "Medicare Part B", kind = "medicare" },
  { id = "OHMCD", name = "Ohio Medicaid", kind = "medicaid" },
  { id = "60054", name = "Aetna", kind = "commercial" },
}

local function address(g)
  local p = g.pick(PLACES)
  return { line1 = g.pick(STREET), city = p[1], state = p[2], zip = p[3] }
end

local function person(g)
  return { name = { last = g.pick(LAST), first = g.pick(FIRST) },
    birth_date = format("19%02d-%02d-%02d", 40 + g.rand(59), g.rand(12), g.rand(28)),
    sex = g.pick({ "M", "F", "U" }), address = address(g) }
end

-- Distinct values drawn from list.
local function distinct(g, list, n)
  local pool, out = {}, {}
  for i, v in ipairs(list) do pool[i] = v end
  for i = 1, n do
    local k = g.rand(#pool - i + 1) + i - 1
    pool[i], pool[k] = pool[k], pool[i]
    out[i] = pool[i]
  end
  return out
end

local function line(g, i, n_dx, day)
  local l = { code = "90853", units = 1, charge = format("%d.%02d", 40 + g.rand(60), g.rand(99)),
    date = format("2026-%02d-%02d", 1 + (day + i) % 10, 1 + g.rand(27)),
    dx_pointers = {}, modifiers = {} }
  for k, v in ipairs(distinct(g, { 1, 2, 3, 4 }, math.min(n_dx, g.rand(4)))) do
    l.dx_pointers[k] = v <= n_dx and v or 1
  end
  if #l.dx_pointers == 0 then l.dx_pointers = { 1 } end
  local seen, ptrs = {}, {}
  for _, p in ipairs(l.dx_pointers) do
    if not seen[p] then
      seen[p] = true
      ptrs[#ptrs + 1] = p
    end
  end
  l.dx_pointers = ptrs
  l.modifiers = distinct(g, MODIFIERS, g.rand(5) - 1)
  if g.chance(10) then
    local d = l.date
    l.date_end = d:sub(1, 8) .. format("%02d", math.min(28, tonumber(d:sub(9, 10)) + 1))
  end
  if g.chance(5) then
    l.unit_type, l.units = "MJ", 60 + g.rand(60)
  end
  if g.chance(10) then l.control_number = format("LCN%06d", g.rand(999999)) end
  return l
end

local function secondary(g, c)
  local paid_total = 0
  for _, l in ipairs(c.lines) do
    local whole, frac = l.charge:match("^(%d+)%.(%d+)$")
    local cents = tonumber(whole) * 100 + tonumber(frac)
    local paid = math.floor(cents * 0.8)
    paid_total = paid_total + paid
    l.adjudications = { { payer_id = "04412", paid = format("%d.%02d", math.floor(paid / 100),
      paid % 100), code = l.code, modifiers = l.modifiers, units = l.units,
      date = "2026-11-01",
      adjustments = { { group = "PR", reason = "2", amount = format("%d.%02d",
        math.floor((cents - paid) / 100), (cents - paid) % 100) } } } }
  end
  c.payer = { id = "60054", name = "Aetna", kind = "commercial", responsibility = "S",
    filing_code = "CI", group_number = "GRP" .. g.rand(9999) }
  c.other_payers = { { responsibility = "P", relationship = "18", filing_code = "MB",
    paid = format("%d.%02d", math.floor(paid_total / 100), paid_total % 100),
    subscriber = { name = c.subscriber.name, member_id = "1EG4TE5MK72" },
    payer = { name = "Medicare Part B", id = "04412" } } }
end

local function claim(g, i)
  local c = { id = format("GEN-%05d", i), payer = g.pick(PAYERS),
    billing_provider = g.pick(BILLING), place_of_service = "11" }
  if g.chance(70) then c.rendering_provider = g.pick(RENDERING) end
  local sub = person(g)
  sub.member_id = format("M%09d", g.rand(999999999))
  if g.chance(25) then
    sub.relationship = g.pick({ "spouse", "child", "other" })
    c.patient = person(g)
  else
    sub.relationship = "self"
  end
  c.subscriber = sub
  local n_dx = g.chance(1) and 13 or g.rand(12)
  c.diagnoses = distinct(g, DX, math.min(n_dx, #DX))
  if n_dx == 13 then c.x_refuse = "13 diagnoses" end
  local n_lines = g.chance(1) and 51 or g.rand(6)
  c.lines = {}
  for k = 1, n_lines do c.lines[k] = line(g, k, math.min(n_dx, 12), i) end
  if n_lines == 51 then c.x_refuse = "51 lines" end
  if g.chance(1) then
    c.lines[1].modifiers = { "HQ", "HO", "HN", "76", "59" }
    c.x_refuse = "5 modifiers"
  end
  if g.chance(20) then c.prior_authorization = format("PA%07d", g.rand(9999999)) end
  if g.chance(10) then
    c.frequency = g.pick({ "7", "8" })
    if g.chance(80) then c.payer_claim_number = format("PCN%08d", g.rand(99999999))
    else c.x_refuse = "frequency " .. c.frequency .. " without payer_claim_number" end
  end
  if g.chance(8) and n_lines < 51 then secondary(g, c) end
  if g.chance(1) then
    c.subscriber.name.first = "王"
    c.x_refuse = "a name with no folding"
  end
  if g.chance(1) then
    c.subscriber.address = nil
    c.patient = nil
    c.subscriber.relationship = "self"
    c.x_refuse = "no subscriber address"
  end
  if g.chance(5) then c.note = "Group met 60 min; pt engaged – “good progress”" end
  return c
end

--- n claims from seed: the varied ones, then a run of 130 of one subscriber.
function M.claims(n, seed)
  local g = generator(seed or 837)
  local out = {}
  for i = 1, n - 130 do out[i] = claim(g, i) end
  local base = claim(g, n - 129)
  while base.x_refuse or base.other_payers do base = claim(g, n - 129) end
  for i = n - 129, n do
    local c = {}
    for k, v in pairs(base) do c[k] = v end
    c.id = format("GEN-%05d", i)
    out[i] = c
  end
  return out
end

if arg and arg[0] and arg[0]:match("gen_837p_claims%.lua$") then
  -- From a checkout: the in-tree Lua layer and build of bhclaim.core.
  local abi = _VERSION:match("(%d+%.%d+)")
  if type(rawget(_G, "jit")) == "table" then abi = "5.1" end
  package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
  package.cpath = "build/" .. abi .. "/?.so;" .. package.cpath
  local bhclaim = require("bhclaim")
  for _, c in ipairs(M.claims(tonumber(arg[1]) or 6000, tonumber(arg[2]) or 837)) do
    io.stdout:write(bhclaim.encode(c), "\n")
  end
end

return M
