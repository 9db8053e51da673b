--- 835 remittances explained: outcome, allowed amount, each adjustment's
-- text and hint, remarks; matched to the claims that were sent.
-- Works on the plain tables of the 835 reader contract (core.remit_read,
-- docs/remit.md): explain() adds fields to them and sets a metatable so
-- they print readably; match() pairs claim payments with submitted claims.
-- @module bhclaim.remit
-- SPDX-License-Identifier: MIT

local adjustments = require("bhclaim.adjustments")
local listing = require("bhclaim.listing")

local M = {}

local format, concat = string.format, table.concat

-- {====================================================================
-- Money: integer cents, exact
-- =====================================================================

--- A decimal amount ("123.45", "-10.00", "34.6", "20") as integer cents;
-- nil for anything else (more than two places included: never rounded).
-- @tparam string s
-- @treturn number|nil
function M.cents(s)
  if type(s) ~= "string" then return nil end
  local sign, whole, frac = s:match("^([%-]?)(%d*)%.?(%d*)$")
  if not sign or (whole == "" and frac == "") or #frac > 2 then return nil end
  local c = tonumber(whole == "" and "0" or whole) * 100 + tonumber((frac .. "00"):sub(1, 2))
  return sign == "-" and -c or c
end

--- Integer cents as a decimal string with two places.
-- @tparam number c
-- @treturn string
function M.money(c)
  local sign = c < 0 and "-" or ""
  c = math.abs(c)
  local whole = math.floor(c / 100)
  return format("%s%.0f.%02.0f", sign, whole, c - whole * 100)
end

local cents, money = M.cents, M.money

-- {====================================================================
-- Outcome and allowed amount
-- =====================================================================

--- CLP02 claim status codes (005010X221A1) and what they mean.
M.CLAIM_STATUS = {
  ["1"] = "processed as primary", ["2"] = "processed as secondary",
  ["3"] = "processed as tertiary", ["4"] = "denied",
  ["19"] = "processed as primary, forwarded to additional payer(s)",
  ["20"] = "processed as secondary, forwarded to additional payer(s)",
  ["21"] = "processed as tertiary, forwarded to additional payer(s)",
  ["22"] = "reversal of previous payment",
  ["23"] = "not our claim, forwarded to additional payer(s)",
  ["25"] = "predetermination pricing only, no payment",
}

-- Statuses some payers still send for a claim not yet decided (4010-era
-- CLP02 values; not in the 5010 list, so "pending" rather than an error).
local PENDING_STATUS = { ["5"] = true, ["13"] = true, ["15"] = true, ["16"] = true,
  ["17"] = true, ["25"] = true }

-- CARCs that reduce payment without denying anything: the contract's fee
-- schedule, the patient's share, prior payers, sequestration.
local NOT_A_DENIAL = { ["45"] = true, ["42"] = true, A2 = true, ["94"] = true, ["23"] = true,
  ["253"] = true, ["1"] = true, ["2"] = true, ["3"] = true }

-- Whether an adjustment denies (part of) a service: any group but PR
-- whose reason is not in NOT_A_DENIAL.
local function is_denial(adj)
  return adj.group ~= "PR" and not NOT_A_DENIAL[adj.reason]
end
M.is_denial = is_denial

-- CARCs that reduce the payment after the allowed amount was set: they
-- are not taken from the charge to find the allowed amount.
local AFTER_ALLOWANCE = { ["253"] = true }

local function sum_group(list, group)
  local total = 0
  for _, a in ipairs(list or {}) do
    if a.group == group then total = total + (cents(a.amount) or 0) end
  end
  return total
end

-- The CO adjustments that make up the contractual reduction: every CO
-- adjustment but sequestration (CARC 253).
local function contractual(list)
  local total = 0
  for _, a in ipairs(list or {}) do
    if a.group == "CO" and not AFTER_ALLOWANCE[a.reason] then
      total = total + (cents(a.amount) or 0)
    end
  end
  return total
end

local function amount_of(list, qualifier)
  for _, a in ipairs(list or {}) do
    if a.qualifier == qualifier then return a.amount end
  end
  return nil
end

-- Fills adjustment texts and hints in place.
local function explain_adjustments(list)
  for _, a in ipairs(list or {}) do
    a.text, a.hint, a.known = adjustments.explain(a.group, a.reason)
  end
end

local function has_denial(list)
  for _, a in ipairs(list or {}) do
    if is_denial(a) then return true end
  end
  return false
end

local function has_reason(list, reason)
  for _, a in ipairs(list or {}) do
    if a.reason == reason then return true end
  end
  return false
end

-- A line's outcome: reversed (its claim is), pending (nothing paid and
-- CARC 133), denied (nothing paid, nothing left to the patient, non-zero
-- charge), partial (an adjustment that denies part of it), else paid.
local function line_outcome(line, reversed)
  if reversed then return "reversed" end
  local charge, paid = cents(line.charge) or 0, cents(line.paid) or 0
  if paid == 0 and has_reason(line.adjustments, "133") then return "pending" end
  local pr = sum_group(line.adjustments, "PR")
  if paid == 0 and pr == 0 and charge ~= 0 then return "denied" end
  if has_denial(line.adjustments) then return "partial" end
  return "paid"
end
M.line_outcome = line_outcome

--- A service line's allowed amount: AMT*B6 when sent; else 0.00 for a
-- denied line and nil (unknown) for a pending one; else its charge less its
-- CO adjustments (sequestration, CO-253, is taken after the allowed amount,
-- so it is not subtracted).
-- @tparam table line
-- @treturn string|nil amount
-- @treturn string how it was found: "AMT*B6", "denied", "pending",
--   "charge less CO"
function M.line_allowed(line)
  local b6 = amount_of(line.amounts, "B6")
  if b6 then return b6, "AMT*B6" end
  local outcome = line.outcome or line_outcome(line, false)
  if outcome == "denied" then return "0.00", "denied" end
  if outcome == "pending" then return nil, "pending" end
  local charge = cents(line.charge)
  if not charge then return nil, "no charge" end
  return money(charge - contractual(line.adjustments)), "charge less CO"
end

--- A claim payment's outcome, from CLP02 and the amounts:
--   reversed  CLP02 22;
--   pending   CLP02 5, 13, 15, 16, 17 or 25, or nothing paid and an
--             adjustment with CARC 133 (disposition pending);
--   denied    CLP02 4, or nothing paid and nothing left to the patient
--             (paid and patient responsibility both 0) on a non-zero charge;
--   partial   some line denied (paid 0, no PR) or some claim or line
--             adjustment that denies (group CO, OA or PI with a CARC other
--             than 45, 42, A2, 94, 23, 253, 1, 2, 3);
--   paid      otherwise (the charge is paid, left to the patient or
--             written off by contract).
-- @tparam table claim a contract claim table
-- @treturn string
function M.outcome(claim)
  local status = claim.status
  if status == "22" then return "reversed" end
  local paid, pr = cents(claim.paid) or 0, cents(claim.patient_responsibility) or 0
  if PENDING_STATUS[status] then return "pending" end
  if paid == 0 then
    if has_reason(claim.adjustments, "133") then return "pending" end
    for _, l in ipairs(claim.lines or {}) do
      if has_reason(l.adjustments, "133") then return "pending" end
    end
  end
  if status == "4" then return "denied" end
  if paid == 0 and pr == 0 and (cents(claim.charge) or 0) ~= 0 then return "denied" end
  if has_denial(claim.adjustments) then return "partial" end
  for _, l in ipairs(claim.lines or {}) do
    if (l.outcome or line_outcome(l, false)) ~= "paid" then return "partial" end
  end
  return "paid"
end

--- A claim payment's allowed amount: the claim's AMT*B6 when sent; else
-- 0.00 for a denied claim; else the sum of its lines' allowed amounts when
-- it has lines; else its charge less its claim-level CO adjustments (but
-- CO-253).
-- @tparam table claim
-- @treturn string|nil
-- @treturn string how: "AMT*B6", "denied", "sum of lines", "charge less CO"
function M.claim_allowed(claim)
  local b6 = amount_of(claim.amounts, "B6")
  if b6 then return b6, "AMT*B6" end
  -- A denied claim allows nothing, whatever its claim-level CO amounts.
  if (claim.outcome or M.outcome(claim)) == "denied" then return "0.00", "denied" end
  if claim.lines and #claim.lines > 0 then
    local total = 0
    for _, l in ipairs(claim.lines) do
      local la, how = l.allowed, l.allowed_from
      if not how then la, how = M.line_allowed(l) end
      local a = cents(la)
      if not a then return nil, "line: " .. how end
      total = total + a
    end
    return money(total - contractual(claim.adjustments)), "sum of lines"
  end
  local charge = cents(claim.charge)
  if not charge then return nil, "no charge" end
  return money(charge - contractual(claim.adjustments)), "charge less CO"
end

local rarc_cache = {}

local function remark(code, source, qualifier)
  code = tostring(code)
  local e = rarc_cache[code]
  if not e then
    e = adjustments.rarc(code)
    rarc_cache[code] = e
  end
  if qualifier and qualifier ~= "HE" then
    -- LQ*RX: an NCPDP reject reason, not a RARC.
    return { code = code, qualifier = qualifier, source = source,
      text = "NCPDP reject reason " .. code .. " (not in bhclaim's catalogue)", known = false }
  end
  return { code = code, qualifier = qualifier, source = source, text = e.text, hint = e.hint,
    known = e.known }
end

-- The claim's remark codes from MOA and MIA, each {code, text, source}.
local function claim_remarks(claim)
  local out = {}
  for _, part in ipairs({ { claim.outpatient, "MOA" }, { claim.inpatient, "MIA" } }) do
    for _, code in ipairs(part[1] and part[1].remarks or {}) do
      out[#out + 1] = remark(code, part[2])
    end
  end
  return out
end

-- {====================================================================
-- Printing
-- =====================================================================

local function person_name(p)
  if not p then return nil end
  local parts = {}
  for _, k in ipairs({ "first", "middle", "last" }) do
    if p[k] then parts[#parts + 1] = p[k] end
  end
  return #parts > 0 and concat(parts, " ") or p.id
end

-- SVC01 as text, qualifier:code:modifiers, leaving out what was not sent
-- (a sample sends only "HC"; another a code the reader could not split).
local function code_text(line)
  local parts = {}
  if line.code_qualifier then parts[1] = line.code_qualifier end
  if line.code then parts[#parts + 1] = line.code end
  for _, m in ipairs(line.modifiers or {}) do parts[#parts + 1] = m end
  return #parts > 0 and concat(parts, ":") or "(no code)"
end

-- An adjustment as one line: amount, explained code, hint.
local function adjustment_line(a)
  return format("%s %s  %s", tostring(a.amount), a.text, a.hint and ("- " .. a.hint) or "")
end

--- A claim payment as text (several lines).
-- @tparam table c an explained claim
-- @treturn string
function M.claim_text(c)
  local out = {}
  out[1] = format("claim %s %s: charge %s, paid %s, allowed %s, patient %s%s%s",
    tostring(c.claim_id), c.outcome, tostring(c.charge), tostring(c.paid),
    c.allowed or "unknown", tostring(c.patient_responsibility or "0.00"),
    c.payer_claim_number and (", payer claim " .. c.payer_claim_number) or "",
    person_name(c.patient) and (", patient " .. person_name(c.patient)) or "")
  listing.add_adjustments(out, c, adjustment_line)
  for _, l in ipairs(c.lines or {}) do
    out[#out + 1] = format("  line %s %s%s: charge %s, paid %s, allowed %s, units %s%s",
      code_text(l), l.outcome, l.date and (" on " .. l.date) or "", l.charge or "not sent",
      l.paid or "not sent", l.allowed or "unknown", tostring(l.units or "1"),
      l.control_number and (", control " .. l.control_number) or "")
    if l.original then
      local o = l.original
      out[#out + 1] = "    billed" .. (o.code and (" as " .. code_text(o)) or "") ..
        (o.units and ((o.code and ", " or " ") .. "units " .. o.units) or "")
    end
    for _, x in ipairs(l.extra_elements or {}) do
      out[#out + 1] = format("    SVC%s: %s (past SVC07, kept as sent)", tostring(x.position),
        tostring(x.value))
    end
    listing.add_adjustments(out, l, adjustment_line)
  end
  return concat(out, "\n")
end

local remittance_mt = {}
remittance_mt.__index = remittance_mt

local claim_mt = { __tostring = M.claim_text }

remittance_mt.__tostring = function(r)
  local out = {}
  local p = r.payment or {}
  out[1] = format("835 from %s to %s", r.payer and r.payer.name or "?",
    r.payee and r.payee.name or "?")
  for _, ct in ipairs(r.payer and r.payer.contacts or {}) do
    local numbers = {}
    for _, n in ipairs(ct) do
      numbers[#numbers + 1] = tostring(n.qualifier) .. (n.value and (" " .. n.value) or "")
    end
    out[#out + 1] = format("payer contact %s%s: %s", tostring(ct.function_code),
      ct.name and (" " .. ct.name) or "", concat(numbers, ", "))
  end
  -- An 835 may pay several payees (one N1*PE loop each): name each claim's.
  local several = r.payees and #r.payees > 1
  out[#out + 1] = format("payment %s (%s%s)%s, trace %s", tostring(p.amount), tostring(p.method),
    p.credit_debit and (" " .. p.credit_debit) or "", p.date and (" on " .. p.date) or "",
    r.trace and tostring(r.trace.number) or "?")
  for _, c in ipairs(r.claims or {}) do
    if several then
      local payee = r.payees[c.payee_index or 1]
      out[#out + 1] = format("to payee %s:", payee and (payee.name or payee.id) or "?")
    end
    out[#out + 1] = M.claim_text(c)
  end
  for _, pa in ipairs(r.provider_adjustments or {}) do
    for _, a in ipairs(pa.adjustments or {}) do
      out[#out + 1] = format("provider adjustment %s %s%s", tostring(a.reason),
        tostring(a.amount), a.reference and (" (" .. a.reference .. ")") or "")
    end
  end
  return concat(out, "\n")
end

--- The claim payments of this remittance.
function remittance_mt:each_claim()
  local i = 0
  return function()
    i = i + 1
    return self.claims and self.claims[i]
  end
end

-- {====================================================================
-- Explaining contract tables
-- =====================================================================

local function explain_line(line, reversed)
  explain_adjustments(line.adjustments)
  line.outcome = line_outcome(line, reversed)
  line.allowed, line.allowed_from = M.line_allowed(line)
  local remarks = {}
  for _, r in ipairs(line.remarks or {}) do
    remarks[#remarks + 1] = remark(r.code, "LQ", r.qualifier)
  end
  line.remarks = remarks
  line.date = line.date or (line.dates and line.dates.from)
  line.modifiers = line.modifiers or {}
  return line
end

--- Explains one claim payment in place: outcome, allowed (+ allowed_from),
-- adjustments' text and hint, remarks {code, text}, each line likewise.
-- @tparam table claim a contract claim table
-- @treturn table the same table
function M.explain_claim(claim)
  if type(claim) ~= "table" then
    error("bad argument #1 to 'explain_claim' (table expected, got " .. type(claim) .. ")", 2)
  end
  claim.adjustments = claim.adjustments or {}
  claim.lines = claim.lines or {}
  explain_adjustments(claim.adjustments)
  -- Lines first: the claim's outcome and allowed amount read theirs.
  for _, l in ipairs(claim.lines) do explain_line(l, claim.status == "22") end
  claim.outcome = M.outcome(claim)
  claim.status_text = M.CLAIM_STATUS[claim.status] or ("CLP02 " .. tostring(claim.status))
  claim.allowed, claim.allowed_from = M.claim_allowed(claim)
  claim.remarks = claim_remarks(claim)
  return setmetatable(claim, claim_mt)
end

--- Explains remittance tables (the 835 reader's list) in place and gives
-- them a metatable that prints them.
-- @tparam table list remittance tables
-- @treturn table the same list
function M.explain(list)
  if type(list) ~= "table" then
    error("bad argument #1 to 'explain' (table expected, got " .. type(list) .. ")", 2)
  end
  for _, r in ipairs(list) do
    for _, c in ipairs(r.claims or {}) do M.explain_claim(c) end
    setmetatable(r, remittance_mt)
  end
  return list
end

--- Whether a value is an explained remittance.
function M.is_remittance(v)
  return getmetatable(v) == remittance_mt
end

--- Reads 835 text: the core's reader (core.remit_read), then explain();
-- the list prints as its remittances, one after the other.
-- @tparam string text
-- @treturn[1] table list of remittances (one per ST..SE)
-- @return[2] nil
-- @treturn[2] string "segment N (ID): ..."
-- @treturn[2] string error id ("x12.syntax", "x12.value")
function M.read(text)
  local list, msg, id = listing.read(text, "remit_read", M.explain)
  return list, msg, id  -- not a tail call: listing.read's error level counts this frame
end

-- {====================================================================
-- Matching payments to submitted claims
-- =====================================================================

local function upper(s)
  return type(s) == "string" and s:upper() or nil
end

local function claim_patient(claim)
  local p = claim.patient
  if p == nil or type(p) ~= "table" then p = claim.subscriber end
  if type(p) ~= "table" then return nil end
  local name = type(p.name) == "table" and p.name or {}
  return upper(name.last), upper(name.first)
end

local function first_line_date(claim)
  local first
  for _, l in ipairs(claim.lines or {}) do
    if type(l.date) == "string" and (not first or l.date < first) then first = l.date end
  end
  return first
end

local function payment_date(c)
  local d = c.dates and c.dates.statement_from
  for _, l in ipairs(c.lines or {}) do
    local ld = l.date or (l.dates and l.dates.from)
    if ld and (not d or ld < d) then d = ld end
  end
  return d
end

local function modifiers_key(list)
  local copy = {}
  for i, m in ipairs(list or {}) do copy[i] = tostring(m) end
  table.sort(copy)
  return concat(copy, ":")
end

local function line_key(code, modifiers, date)
  return tostring(code) .. "|" .. modifiers_key(modifiers) .. "|" .. tostring(date)
end

-- Matches the payment's lines to the claim's: REF*6R against the submitted
-- line's control_number (when the claim table carries one), then code +
-- modifiers + date. Each submitted line is used once.
local function match_lines(payment, claim)
  local by_control, by_key, used = {}, {}, {}
  for i, l in ipairs(claim.lines or {}) do
    if l.control_number then by_control[tostring(l.control_number)] = i end
    local k = line_key(l.code, l.modifiers, l.date or first_line_date(claim))
    by_key[k] = by_key[k] or {}
    local list = by_key[k]
    list[#list + 1] = i
  end
  local matched, unmatched = 0, 0
  for _, pl in ipairs(payment.lines or {}) do
    local idx, how = nil, nil
    if pl.control_number and by_control[pl.control_number] and
        not used[by_control[pl.control_number]] then
      idx, how = by_control[pl.control_number], "control number"
    else
      local date = pl.date or (pl.dates and pl.dates.from) or payment_date(payment)
      for _, i in ipairs(by_key[line_key(pl.code, pl.modifiers, date)] or {}) do
        if not used[i] then
          idx, how = i, "code, modifiers and date"
          break
        end
      end
    end
    if idx then
      used[idx] = true
      pl.submitted_line, pl.matched_by = idx, how
      matched = matched + 1
    else
      pl.submitted_line, pl.matched_by = nil, nil
      unmatched = unmatched + 1
    end
  end
  local unanswered = {}
  for i = 1, #(claim.lines or {}) do
    if not used[i] then unanswered[#unanswered + 1] = i end
  end
  return matched, unmatched, unanswered
end

local function patient_key(last, first, date)
  if not last or not date then return nil end
  return last .. "|" .. (first or "") .. "|" .. date
end

--- Matches claim payments to submitted claims: by claim id (CLP01 = the
-- claim's id), then payer claim number (CLP07 = the claim's
-- payer_claim_number, when the caller recorded one), then patient name and
-- first date of service. Each submitted claim is used once. Each payment
-- gets `matched` (true/false), `submitted` (the claim), `matched_by`, and
-- its lines `submitted_line` (index) and `matched_by`.
-- @tparam table payments explained claim payments (from remittances' claims)
-- @tparam table claims submitted claim tables (claim JSON form)
-- @treturn table {matched = {{payment, claim}}, unmatched_payments = {...},
--   unanswered_claims = {...}}
function M.match(payments, claims)
  if type(payments) ~= "table" then
    error("bad argument #1 to 'match' (table expected, got " .. type(payments) .. ")", 2)
  end
  if type(claims) ~= "table" then
    error("bad argument #2 to 'match' (table expected, got " .. type(claims) .. ")", 2)
  end
  local by_id, by_number, by_patient, used = {}, {}, {}, {}
  for i, c in ipairs(claims) do
    if c.id ~= nil and by_id[tostring(c.id)] == nil then by_id[tostring(c.id)] = i end
    if c.payer_claim_number then by_number[tostring(c.payer_claim_number)] = i end
    local last, first = claim_patient(c)
    local k = patient_key(last, first, first_line_date(c))
    if k and not by_patient[k] then by_patient[k] = i end
  end
  local result = { matched = {}, unmatched_payments = {}, unanswered_claims = {} }
  for _, p in ipairs(payments) do
    local idx, how = by_id[tostring(p.claim_id)], "claim id"
    -- A reversal and its correction both answer the same claim: let a
    -- claim be matched again by id, but not by the weaker keys.
    if not idx and p.payer_claim_number then
      idx, how = by_number[p.payer_claim_number], "payer claim number"
      if idx and used[idx] then idx = nil end
    end
    if not idx then
      local person = p.patient or {}
      local k = patient_key(upper(person.last), upper(person.first), payment_date(p))
      idx, how = k and by_patient[k], "patient and date"
      if idx and used[idx] then idx = nil end
    end
    if idx then
      used[idx] = true
      p.matched, p.matched_by, p.submitted = true, how, claims[idx]
      local _, unmatched_lines, unanswered = match_lines(p, claims[idx])
      p.unmatched_lines, p.unanswered_lines = unmatched_lines, unanswered
      result.matched[#result.matched + 1] = { payment = p, claim = claims[idx] }
    else
      p.matched, p.matched_by, p.submitted = false, nil, nil
      result.unmatched_payments[#result.unmatched_payments + 1] = p
    end
  end
  for i, c in ipairs(claims) do
    if not used[i] then result.unanswered_claims[#result.unanswered_claims + 1] = c end
  end
  return result
end

-- {====================================================================
-- The remit report: one entry per claim payment
-- =====================================================================

local fees_module

local function fees()
  fees_module = fees_module or require("bhclaim.fees")
  return fees_module
end

-- Copies adjustments for a report entry; with a rule index, each denying
-- one gets the rule ids that predict it (given the first remark code).
local function copy_adjustments(list, index, remarks)
  local out = {}
  for i, a in ipairs(list or {}) do
    out[i] = { group = a.group, reason = a.reason, amount = a.amount, quantity = a.quantity,
      text = a.text, hint = a.hint }
    if index then
      out[i].rules = is_denial(a) and index:rules(a.group, a.reason,
        remarks and remarks[1] and remarks[1].code) or {}
    end
  end
  return out
end

local function copy_remarks(list)
  local out = {}
  for i, r in ipairs(list or {}) do out[i] = { code = r.code, text = r.text } end
  return out
end

-- The union of the adjustments' rule ids (copy_adjustments set them).
local function rules_of(adjs, into)
  for _, a in ipairs(adjs) do
    for _, r in ipairs(a.rules or {}) do into[r] = true end
  end
  return into
end

local function sorted_keys(set)
  local out = {}
  for k in pairs(set) do out[#out + 1] = k end
  table.sort(out)
  return out
end

-- The fee query for a matched line: code, date, POS, payer, credential.
local function fee_query(pl, claim, opts)
  local sl = pl.submitted_line and claim.lines[pl.submitted_line] or {}
  local payer = "medicare"
  local kind = type(claim.payer) == "table" and claim.payer.kind or nil
  if kind ~= "medicare" then
    local key = type(claim.payer) == "table" and (claim.payer.id or claim.payer.name) or nil
    payer = opts.schedules and key and opts.schedules[key]
    if not payer then
      return nil, format("no fee schedule for payer %s (%s)", tostring(key), tostring(kind))
    end
  end
  -- The units billed: a payer that allows fewer shows as a variance.
  local units = tonumber(sl.units) or tonumber(pl.units) or 1
  if units ~= math.floor(units) then
    return nil, "units " .. tostring(pl.units) .. " are not whole"
  end
  local pos = sl.place_of_service
  if pos == nil or type(pos) ~= "string" then pos = claim.place_of_service end
  local credential = type(claim.rendering_provider) == "table" and
    claim.rendering_provider.credential or nil
  if type(credential) ~= "string" then credential = nil end
  if opts.credential == false then credential = nil end
  return { code = pl.code, modifiers = pl.modifiers, date = pl.date or sl.date,
    place_of_service = type(pos) == "string" and pos or nil, payer = payer,
    locality = opts.locality, credential = credential, units = units,
    qualifying_apm = opts.qualifying_apm }
end

local FOLLOW_UP = { paid = true, partial = true }

-- fees.expected, remembered per query within one report (opts._expected):
-- a remittance repeats a few codes, places and dates many times.
local function expected_cached(q, opts)
  local cache = opts._expected
  local key = concat({ q.code, concat(q.modifiers or {}, ":"), q.date,
    tostring(q.place_of_service), tostring(q.payer), tostring(q.locality),
    tostring(q.credential), q.units, tostring(q.qualifying_apm) }, "|")
  local hit = cache[key]
  if not hit then
    hit = { fees().expected(q) }
    cache[key] = hit
  end
  return hit[1], hit[2]
end

local function line_entry(pl, claim, opts, index)
  local original = pl.original and { code_qualifier = pl.original.code_qualifier,
    code = pl.original.code, modifiers = pl.original.modifiers or {},
    units = pl.original.units } or nil
  local e = { code = pl.code, modifiers = pl.modifiers or {}, control_number = pl.control_number,
    original = original, extra_elements = pl.extra_elements,
    date = pl.date, units = pl.units, charge = pl.charge, paid = pl.paid, allowed = pl.allowed,
    outcome = pl.outcome, adjustments = copy_adjustments(pl.adjustments, index, pl.remarks),
    remarks = copy_remarks(pl.remarks) }
  e.rules = index and sorted_keys(rules_of(e.adjustments, {})) or nil
  if claim then
    e.matched = pl.submitted_line ~= nil
    if e.matched then
      local q, why = fee_query(pl, claim, opts)
      local amount, factors
      if q and q.date then
        amount, factors = expected_cached(q, opts)
      else
        factors = why or "no date of service"
      end
      e.expected_allowed = amount
      if amount then
        e.expected_factors = factors
      else
        e.expected_reason = factors
      end
      if amount and FOLLOW_UP[pl.outcome] and pl.allowed then
        e.variance = money(cents(pl.allowed) - cents(amount))
      end
    end
  end
  return e
end

-- The name (else id) of the payee a claim payment was made to: the
-- N1*PE loop in effect (claim.payee_index into remittance.payees).
local function payee_of(r, c)
  local p = r.payees and r.payees[c.payee_index or 1] or r.payee
  return p and (p.name or p.id) or nil
end

--- The report entries for explained remittances: one per claim payment,
-- with the fields `bhclaim remit --format json` prints (docs/remit.md).
-- @tparam table remittances explained remittances (bhclaim.remit.read)
-- @tparam[opt] table opts `claims` (submitted claim tables: adds matched,
--   expected_allowed, variance, findings), `rule_index` (from
--   bhclaim.adjustments.rule_index: adds rules; default the core's
--   catalogue when it has one, false for none), `schedules` (payer id or
--   name -> bhclaim.fees.schedule, for payers other than Medicare),
--   `locality`, `qualifying_apm` (passed to bhclaim.fees.expected)
-- @treturn table entries
-- @treturn table|nil the match result (with opts.claims)
function M.report(remittances, opts)
  if type(remittances) ~= "table" then
    error("bad argument #1 to 'report' (table expected, got " .. type(remittances) .. ")", 2)
  end
  local given = opts or {}
  opts = { _expected = {} }
  for k, v in pairs(given) do opts[k] = v end
  if given.rule_index == nil then opts.rule_index = adjustments.core_rule_index() end
  local payments = {}
  for _, r in ipairs(remittances) do
    for _, c in ipairs(r.claims or {}) do payments[#payments + 1] = { c, r } end
  end
  local matching
  if opts.claims then
    local list = {}
    for i, p in ipairs(payments) do list[i] = p[1] end
    matching = M.match(list, opts.claims)
  end
  local entries = {}
  for _, pr in ipairs(payments) do
    local c, r = pr[1], pr[2]
    local claim = opts.claims and c.submitted or nil
    local e = { claim_id = c.claim_id, payer_claim_number = c.payer_claim_number,
      status = c.status, outcome = c.outcome, charge = c.charge, paid = c.paid,
      allowed = c.allowed, patient_responsibility = c.patient_responsibility or "0.00",
      payer = r.payer and r.payer.name, trace = r.trace and r.trace.number,
      payee = payee_of(r, c),
      adjustments = copy_adjustments(c.adjustments, opts.rule_index, c.remarks),
      remarks = copy_remarks(c.remarks), lines = {}, findings = {} }
    local rules = rules_of(e.adjustments, {})
    local expected, missing = 0, nil
    for i, pl in ipairs(c.lines or {}) do
      local le = line_entry(pl, claim, opts, opts.rule_index)
      e.lines[i] = le
      for _, rule in ipairs(le.rules or {}) do rules[rule] = true end
      if le.expected_allowed then
        expected = expected + cents(le.expected_allowed)
      else
        missing = missing or le.expected_reason or "a line is not matched"
      end
      if le.variance and cents(le.variance) < 0 then
        e.findings[#e.findings + 1] = { rule = "remit.variance", severity = "warning",
          path = format("lines[%d]", i),
          message = format("%s allowed %s, %s below the expected %s", le.code, le.allowed,
            money(-cents(le.variance)), le.expected_allowed),
          hint = "Underpaid: check the payer's fee schedule and the claim's place of service "
            .. "and modifiers; ask the payer to reprocess (or appeal) if the rate is wrong." }
      end
    end
    e.rules = opts.rule_index and sorted_keys(rules) or nil
    if opts.claims then
      e.matched = c.matched or false
      e.matched_by = c.matched_by
      if e.matched and #(c.lines or {}) > 0 and not missing then
        e.expected_allowed = money(expected)
        if FOLLOW_UP[c.outcome] and c.allowed then
          e.variance = money(cents(c.allowed) - expected)
        end
      elseif e.matched then
        e.expected_reason = missing or "no service lines in the 835"
      end
      if c.unanswered_lines and #c.unanswered_lines > 0 then
        e.unanswered_lines = c.unanswered_lines
      end
    end
    entries[#entries + 1] = e
  end
  return entries, matching
end

--- Denied and partly paid lines grouped by group + CARC (+ RARC): counts,
-- amounts, text, hint and rule ids, largest amount first.
-- @tparam table entries from report()
-- @treturn table list of {group, reason, remark, count, amount, text, hint,
--   rules, claims}
function M.denials(entries)
  local groups, order = {}, {}
  local function add(e, a, remarks)
    if not is_denial(a) then return end
    local remark_code = remarks[1] and remarks[1].code or nil
    local key = tostring(a.group) .. "-" .. tostring(a.reason) .. "/" .. (remark_code or "")
    local g = groups[key]
    if not g then
      g = { group = tostring(a.group), reason = tostring(a.reason), remark = remark_code,
        remark_text = remarks[1] and remarks[1].text or nil, count = 0, cents = 0,
        text = a.text, hint = a.hint, rules = a.rules or {}, claims = {} }
      groups[key] = g
      order[#order + 1] = g
    end
    g.count = g.count + 1
    g.cents = g.cents + (cents(a.amount) or 0)
    g.claims[#g.claims + 1] = e.claim_id
  end
  for _, e in ipairs(entries) do
    if e.outcome == "denied" or e.outcome == "partial" then
      for _, a in ipairs(e.adjustments) do add(e, a, e.remarks) end
      for _, l in ipairs(e.lines) do
        for _, a in ipairs(l.adjustments) do add(e, a, l.remarks) end
      end
    end
  end
  table.sort(order, function(x, y)
    if x.cents ~= y.cents then return x.cents > y.cents end
    return x.group .. x.reason < y.group .. y.reason
  end)
  for _, g in ipairs(order) do
    g.amount = money(g.cents)
    g.cents = nil
  end
  return order
end

return M
