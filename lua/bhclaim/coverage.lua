--- Coverage in the checks: the payer's 271 answer that applies to a claim
-- (`claim.coverage`, a member view from bhclaim.eligibility.members or a
-- member level table) checked against the claim, and the patient's
-- expected share from co-payment, co-insurance and remaining deductible.
-- The rules are written here, in Lua, and run by bhclaim.check whenever a
-- claim carries `coverage` (docs/eligibility.md, docs/rules.md).
-- @module bhclaim.coverage
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")
local eligibility = require("bhclaim.eligibility")

local M = {}

-- {--- procedure -> service types ---

-- Which 271 service types (X12 element 1365, 005010X279A1) govern a
-- procedure. MH (Mental Health) covers every behavioral-health line (issue
-- 14); 30 (Health Benefit Plan Coverage) is the plan as a whole and so
-- governs every line. Sources: the service type code list of
-- 005010X279A1 (A4 Psychiatric, A6 Psychotherapy, A8 Psychiatric -
-- Outpatient, AI Substance Abuse, MH Mental Health) and the CPT/HCPCS
-- descriptors of each code (rules-reference 1.1; CMS HCPCS file):
-- psychotherapy, family and group psychotherapy and their add-ons are
-- psychotherapy (A6); the psychiatric diagnostic evaluation is
-- psychiatric (A4), given in an outpatient setting (A8); H0004 is
-- behavioral-health counseling and therapy (A6); H0005 is alcohol and/or
-- drug group counseling (AI).
local PSYCHOTHERAPY = { "A6", "MH" }
local EVALUATION = { "A4", "A8", "MH" }
M.SERVICE_TYPES = {
  ["90785"] = PSYCHOTHERAPY,  -- interactive complexity (add-on to psychotherapy)
  ["90832"] = PSYCHOTHERAPY, ["90833"] = PSYCHOTHERAPY, ["90834"] = PSYCHOTHERAPY,
  ["90836"] = PSYCHOTHERAPY, ["90837"] = PSYCHOTHERAPY, ["90838"] = PSYCHOTHERAPY,
  ["90839"] = PSYCHOTHERAPY, ["90840"] = PSYCHOTHERAPY,  -- psychotherapy for crisis
  ["90845"] = PSYCHOTHERAPY,  -- psychoanalysis
  ["90846"] = PSYCHOTHERAPY, ["90847"] = PSYCHOTHERAPY, ["90849"] = PSYCHOTHERAPY,
  ["90853"] = PSYCHOTHERAPY,  -- group psychotherapy
  ["90791"] = EVALUATION, ["90792"] = EVALUATION,
  ["H0004"] = PSYCHOTHERAPY,
  ["H0005"] = { "AI", "MH" },
}

--- The service types whose benefits govern a procedure code: the mapped
-- ones plus "30"; nil for a code that is not behavioral health here.
function M.service_types(code)
  local mapped = M.SERVICE_TYPES[code]
  if mapped == nil then return nil end
  local out = { "30" }
  for _, t in ipairs(mapped) do out[#out + 1] = t end
  return out
end

-- Whether a benefit speaks for a line of these service types: a benefit
-- without EB03 speaks for the whole plan; otherwise one of its (repeated)
-- service types must be among the line's.
local function applies(benefit, types)
  local list = benefit.service_types
  if list == nil or #list == 0 then return true end
  for _, t in ipairs(list) do
    for _, u in ipairs(types) do
      if t == u then return true end
    end
  end
  return false
end

local function benefits_for(member, types, kinds)
  local out = {}
  for _, b in ipairs(member.benefits or {}) do
    if kinds[b.kind] and applies(b, types) then out[#out + 1] = b end
  end
  return out
end

-- {--- claim side ---

-- Names compare without case, spaces or punctuation (issue 14).
local function norm(s)
  if type(s) ~= "string" then return nil end
  local n = s:upper():gsub("[^%w]", "")
  return n ~= "" and n or nil
end

local function name_parts(name)
  if type(name) == "table" then return name.last, name.first end
  if type(name) == "string" then
    local last, first = name:match("^%s*([^,]+),%s*(.-)%s*$")
    if last then return last, first end
    first, last = name:match("^%s*(.-)%s+(%S+)%s*$")
    return last or name, first
  end
  return nil, nil
end

local function patient_of(claim)
  local sub = claim.subscriber or {}
  if type(claim.patient) == "table" and sub.relationship ~= "self" then
    return claim.patient, "patient"
  end
  return sub, "subscriber"
end

local function line_dates(claim)
  local out = {}
  for i, l in ipairs(claim.lines or {}) do
    if type(l) == "table" and type(l.date) == "string" then
      out[#out + 1] = { i = i, date = l.date }
    end
  end
  return out
end

-- {--- findings ---

local SOURCE_271 = "ASC X12 005010X279A1 (271)"

-- The denial each finding predicts comes from the core's rules catalogue
-- (csrc/rules_catalog.c), by rule id and path, when the finding is added.
local function finding(rule, path, message, hint, source)
  return { rule = rule, severity = "error", path = path, message = message, hint = hint,
    source = source, denial = core.rule_denial(rule, path) }
end

local function view_of(coverage)
  if coverage.member then return coverage end
  return { member = coverage, subscriber = coverage, errors = coverage.errors or {} }
end

-- coverage.inactive: the member has no active coverage, or a date of
-- service falls outside the coverage window the payer gave.
local function check_inactive(claim, view, out)
  local s = eligibility.summary(view)
  for _, d in ipairs(line_dates(claim)) do
    local path = "lines[" .. d.i .. "].date"
    if s.active == false then
      out[#out + 1] = finding("coverage.inactive", path,
        "The payer's 271 reports the coverage inactive (EB01 6, 7 or 8).",
        "Check the patient's current insurance; bill the payer that covers the date.",
        SOURCE_271 .. " EB01")
    elseif (s.from and d.date < s.from) or (s.to and d.date > s.to) then
      out[#out + 1] = finding("coverage.inactive", path,
        string.format("The date of service %s is outside the coverage the payer reports "
          .. "(%s to %s).", d.date, s.from or "...", s.to or "..."),
        "Ask the patient for the insurance in force on that date.",
        SOURCE_271 .. " DTP 346/347, 356/357")
    end
  end
end

-- AAA reject reasons (element 901) that say the payer cannot match the
-- member: 64-79 (patient or subscriber id, name, birth date, not found).
local MEMBER_REASONS = { ["64"] = true, ["65"] = true, ["67"] = true, ["68"] = true,
  ["71"] = true, ["72"] = true, ["73"] = true, ["75"] = true, ["76"] = true, ["77"] = true,
  ["78"] = true }

-- coverage.member: the claim's member id, patient name or birth date
-- differ from the payer's, or the payer could not find the member.
local function check_member(claim, view, out)
  local member, subscriber = view.member, view.subscriber or view.member
  for _, e in ipairs(view.errors or {}) do
    if MEMBER_REASONS[e.reason] then
      out[#out + 1] = finding("coverage.member", "subscriber",
        string.format("The payer could not match the member: AAA %s %s.", e.reason,
          e.reason_meaning or ""),
        "Correct the member's id, name and birth date from the insurance card and ask again.",
        SOURCE_271 .. " AAA03")
    end
  end
  local sub = claim.subscriber or {}
  local payer_id = subscriber.name and subscriber.name.id
  if payer_id and sub.member_id and norm(sub.member_id) ~= norm(payer_id) then
    out[#out + 1] = finding("coverage.member", "subscriber.member_id",
      string.format("The member id %s differs from the payer's %s.", sub.member_id, payer_id),
      "Bill with the member id the payer returned.", SOURCE_271 .. " 2100C NM109")
  end
  local patient, where = patient_of(claim)
  local last, first = name_parts(patient.name)
  local pname = member.name or {}
  if (pname.last and last and norm(last) ~= norm(pname.last)) or
     (pname.first and first and norm(first) ~= norm(pname.first)) then
    out[#out + 1] = finding("coverage.member", where .. ".name",
      string.format("The name %s, %s differs from the payer's %s, %s.", last or "", first or "",
        pname.last or "", pname.first or ""),
      "Bill the name as the payer has it, or have the member update it with the payer.",
      SOURCE_271 .. " 2100C/D NM103-NM104")
  end
  if member.birth_date and patient.birth_date and member.birth_date ~= patient.birth_date then
    out[#out + 1] = finding("coverage.member", where .. ".birth_date",
      string.format("The birth date %s differs from the payer's %s.", patient.birth_date,
        member.birth_date),
      "Check the birth date with the patient and the payer.", SOURCE_271 .. " 2100C/D DMG02")
  end
end

local NON_COVERED = { I = true }
local ELSEWHERE = { U = true, R = true }

local function entity_name(b)
  local e = b.entities and b.entities[1]
  if e == nil then return "another entity" end
  return eligibility.person_text(e)
end

-- coverage.service: a behavioral-health line whose service type the plan
-- does not cover, or covers through another entity (a carve-out plan).
local function check_service(claim, view, out)
  for i, l in ipairs(claim.lines or {}) do
    local types = type(l) == "table" and M.service_types(l.code)
    if types then
      local path = "lines[" .. i .. "].code"
      -- One finding per line and cause: the first benefit that says so.
      local b = benefits_for(view.member, types, NON_COVERED)[1]
      if b then
        out[#out + 1] = finding("coverage.service", path,
          string.format("The payer reports %s not covered (EB*I for %s).", l.code,
            table.concat(b.service_types or { "the plan" }, ",")),
          "Confirm the benefit; bill the patient only with a signed notice where the plan allows.",
          SOURCE_271 .. " EB01 I")
      end
      b = benefits_for(view.member, types, ELSEWHERE)[1]
      if b then
        -- The claim itself goes to another payer: said at the payer.
        out[#out + 1] = finding("coverage.service", "payer.id",
          string.format("Behavioral health for %s is handled by %s (EB*%s): the claim goes "
            .. "there.", l.code, entity_name(b), b.kind),
          "Send the claim to the carve-out plan named in the 271 (2120C/D).",
          SOURCE_271 .. " EB01 U/R, 2120C/D")
      end
    end
  end
end

local AUTH_KINDS = {}
for _, k in ipairs({ "1", "2", "3", "4", "5", "A", "B", "C", "F", "CB", "D" }) do
  AUTH_KINDS[k] = true
end

-- coverage.auth: a benefit for the line says authorization is required
-- (EB11 Y) and the claim carries no prior authorization number.
local function check_auth(claim, view, out)
  local auth = claim.prior_authorization
  if type(auth) == "string" and auth ~= "" then return end
  for _, l in ipairs(claim.lines or {}) do
    local types = type(l) == "table" and M.service_types(l.code)
    if types then
      for _, b in ipairs(benefits_for(view.member, types, AUTH_KINDS)) do
        if b.authorization_required == "Y" and b.in_network ~= "N" then
          out[#out + 1] = finding("coverage.auth", "prior_authorization",
            string.format("The payer requires an authorization for %s (EB11 Y) and the claim "
              .. "has none.", l.code),
            "Obtain the authorization and put its number in prior_authorization.",
            SOURCE_271 .. " EB11")
          return
        end
      end
    end
  end
end

local LIMIT_KINDS = { F = true }

--- The visit limit for a procedure: `{ visits, remaining (true when the
-- payer gave the visits remaining, EB06 29), benefit }` or nil.
function M.visit_limit(member, code)
  local types = M.service_types(code)
  if types == nil then return nil end
  local best
  for _, b in ipairs(benefits_for(member, types, LIMIT_KINDS)) do
    local n = b.quantity_qualifier == "VS" and tonumber(b.quantity)
    if n then
      local lim = { visits = n, remaining = b.time_period == "29", benefit = b }
      if best == nil or (lim.remaining and not best.remaining) or
         (lim.remaining == best.remaining and n < best.visits) then
        best = lim
      end
    end
  end
  return best
end

local function member_key(claim)
  local sub = claim.subscriber or {}
  local patient = patient_of(claim)
  local last, first = name_parts(patient.name)
  return table.concat({ norm(sub.member_id) or "", norm(last) or "", norm(first) or "",
    patient.birth_date or "" }, "|")
end

-- coverage.limit: the claims given together (in order of their dates)
-- use more visits than the payer allows. A visit is a distinct date of
-- service of a line the limit governs. With the visits remaining (EB06
-- 29) the count starts from them; with a period maximum only, the claims
-- given together are counted against the maximum (visits the payer already
-- paid are not known here, so the rule can only under-count).
local function check_limit(claim, view, out, together)
  local visits, limit = {}, nil
  for _, l in ipairs(claim.lines or {}) do
    if type(l) == "table" and l.code then
      limit = limit or M.visit_limit(view.member, l.code)
    end
  end
  if limit == nil then return end
  local key = member_key(claim)
  local dates = {}
  for _, c in ipairs(together or { claim }) do
    if type(c) == "table" and member_key(c) == key then
      for _, l in ipairs(c.lines or {}) do
        if type(l) == "table" and type(l.date) == "string" and
           M.visit_limit(view.member, l.code) then
          dates[l.date] = true
        end
      end
    end
  end
  for d in pairs(dates) do visits[#visits + 1] = d end
  table.sort(visits)
  local rank = {}
  for i, d in ipairs(visits) do rank[d] = i end
  for i, l in ipairs(claim.lines or {}) do
    local n = type(l) == "table" and rank[l.date]
    if n and n > limit.visits and M.visit_limit(view.member, l.code) then
      out[#out + 1] = finding("coverage.limit", "lines[" .. i .. "].date",
        string.format("Visit %d on %s is past the %d visit%s the payer %s.", n, l.date,
          limit.visits, limit.visits == 1 and "" or "s",
          limit.remaining and "reports remaining" or "allows for the period"),
        "Ask the payer for more visits (authorization) before billing, or bill the patient "
          .. "where the plan allows.", SOURCE_271 .. " EB01 F, EB09 VS")
    end
  end
end

--- Runs the coverage rules on a claim table carrying `coverage`. Returns
-- the list of findings (empty when none, or when the claim carries no
-- coverage). `together` is the list of claims given together (for the
-- visit limit); default the claim alone.
function M.findings(claim, together)
  local out = {}
  if type(claim) ~= "table" or type(claim.coverage) ~= "table" then return out end
  local view = view_of(claim.coverage)
  if type(view.member) ~= "table" then return out end
  check_member(claim, view, out)
  check_inactive(claim, view, out)
  check_service(claim, view, out)
  check_auth(claim, view, out)
  check_limit(claim, view, out, together)
  return out
end

-- {--- patient responsibility ---

local function cents(s)
  if s == nil then return nil end
  local whole, frac = tostring(s):match("^(%-?%d+)%.?(%d*)$")
  if whole == nil or #frac > 2 then return nil end
  local c = tonumber(whole) * 100 + (tonumber((frac .. "00"):sub(1, 2)) or 0) *
    (whole:sub(1, 1) == "-" and -1 or 1)
  return c
end

local function money(c)
  local sign = c < 0 and "-" or ""
  c = math.abs(c)
  return string.format("%s%d.%02d", sign, math.floor(c / 100), c % 100)
end

local function first_in_network(member, types, kind, period)
  for _, b in ipairs(benefits_for(member, types, { [kind] = true })) do
    if b.in_network ~= "N" and (period == nil or b.time_period == period) then return b end
  end
  return nil
end

--- The patient's expected share of a claim from its coverage: in-network
-- co-payment per visit (EB*B), co-insurance (EB*A, EB08 a fraction such
-- as 0.2) and the deductible remaining (EB*C with EB06 29). `allowed` is
-- the expected allowed amount (decimal string; default the claim's
-- charges). Returns `{ allowed, copay, coinsurance_percent,
-- deductible_remaining, deductible, coinsurance, copays, patient, notes }`
-- with amounts as decimal strings, or nil and a reason.
function M.responsibility(claim, allowed)
  if type(claim) ~= "table" or type(claim.coverage) ~= "table" then
    return nil, "the claim carries no coverage"
  end
  local member = view_of(claim.coverage).member
  local types, visit_dates, charge = nil, {}, 0
  for _, l in ipairs(claim.lines or {}) do
    if type(l) == "table" then
      types = types or M.service_types(l.code)
      if l.date then visit_dates[l.date] = true end
      charge = charge + (cents(l.charge) or 0)
    end
  end
  types = types or { "30" }
  local allowed_c = allowed ~= nil and cents(allowed) or charge
  if allowed_c == nil then return nil, "allowed is not an amount" end
  local notes = {}
  local copay_b = first_in_network(member, types, "B")
  local coins_b = first_in_network(member, types, "A")
  local ded_b = first_in_network(member, types, "C", "29")
  if ded_b == nil and first_in_network(member, types, "C") then
    notes[#notes + 1] = "the 271 gives a deductible but not the amount remaining (EB06 29)"
  end
  local visits = 0
  for _ in pairs(visit_dates) do visits = visits + 1 end
  local copay = copay_b and cents(copay_b.amount) or 0
  local pct = coins_b and tonumber(coins_b.percent) or 0
  local ded_left = ded_b and cents(ded_b.amount) or 0
  local ded_part = math.min(allowed_c, ded_left)
  local coins_part = math.floor((allowed_c - ded_part) * pct + 0.5)
  local copays = copay * math.max(visits, 1)
  local patient = math.min(allowed_c, ded_part + coins_part + copays)
  return {
    allowed = money(allowed_c),
    copay = copay_b and copay_b.amount or nil,
    coinsurance_percent = coins_b and coins_b.percent or nil,
    deductible_remaining = ded_b and ded_b.amount or nil,
    deductible = money(ded_part), coinsurance = money(coins_part), copays = money(copays),
    patient = money(patient), notes = notes,
  }
end

return M
