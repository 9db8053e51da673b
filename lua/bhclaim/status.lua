--- Claim status: 276 inquiries out, 277 answers in (005010X212).
-- `read` gives the payer's answer as plain tables (docs/status.md),
-- `claims` flattens it to one view per claim, `request` writes the 276.
-- @module bhclaim.status
-- SPDX-License-Identifier: MIT

local eligibility = require("bhclaim.eligibility")

local M = {}

local person_text = eligibility.person_text

local function status_text(st)
  local parts = {}
  for _, c in ipairs(st.codes or {}) do
    parts[#parts + 1] = string.format("%s:%s%s %s%s", c.category or "", c.code or "",
      c.entity and (":" .. c.entity) or "", c.category_meaning or "",
      c.code_meaning and (" - " .. c.code_meaning) or "")
  end
  local s = table.concat(parts, "; ")
  if st.date then s = s .. " on " .. st.date end
  if st.charge then s = s .. ", charge " .. st.charge end
  if st.paid then s = s .. ", paid " .. st.paid end
  if st.free_text then s = s .. ' "' .. st.free_text .. '"' end
  return s
end
M.status_text = status_text

local function ref_value(refs, qualifier)
  for _, r in ipairs(refs or {}) do
    if r.qualifier == qualifier then return r.value end
  end
  return nil
end

local function claim_lines(out, c, indent)
  local dates = ""
  for _, d in ipairs(c.dates or {}) do
    dates = dates .. " " .. (d.date or ((d.from or "") .. ".." .. (d.to or "")))
  end
  out[#out + 1] = string.format("%sclaim %s payer no. %s%s", indent,
    c.trace and c.trace.number or "?", ref_value(c.references, "1K") or "-", dates)
  for _, st in ipairs(c.statuses or {}) do out[#out + 1] = indent .. "  " .. status_text(st) end
  for _, a in ipairs(c.amounts or {}) do
    out[#out + 1] = string.format("%s  amount %s %s", indent, a.qualifier, a.amount)
  end
  for _, l in ipairs(c.lines or {}) do
    local p = l.procedure or {}
    out[#out + 1] = string.format("%s  line %s %s charge %s paid %s", indent, p.qualifier or "",
      p.code or "", l.charge or "-", l.paid or "-")
    for _, st in ipairs(l.statuses or {}) do out[#out + 1] = indent .. "    " .. status_text(st) end
  end
end

local function level_lines(out, lv, indent)
  out[#out + 1] = string.format("%s%s %s", indent, lv.level, person_text(lv.name))
  if lv.trace then out[#out + 1] = indent .. "  trace " .. (lv.trace.number or "") end
  for _, st in ipairs(lv.statuses or {}) do out[#out + 1] = indent .. "  " .. status_text(st) end
  for _, c in ipairs(lv.claims or {}) do claim_lines(out, c, indent .. "  ") end
  for _, key in ipairs({ "receivers", "providers", "subscribers", "dependents" }) do
    for _, child in ipairs(lv[key] or {}) do level_lines(out, child, indent .. "  ") end
  end
end

local set_mt, read, request = eligibility.inquiry_family("status", level_lines)
M.set_mt = set_mt

--- Reads every 276 or 277 set of an X12 text.
-- @string text
-- @treturn[1] table list of sets (each prints readably)
-- @return[2] nil, message naming the segment, id ("x12.syntax", "x12.value")
M.read = read

--- One view per claim of every set: `{ kind, claim, patient, subscriber,
-- provider, receiver, payer, claim_id (TRN02), payer_claim_number
-- (REF*1K), patient_control_number (REF*EJ), status (the first STC's
-- first code: {category, code, ...}) }`, in order.
function M.claims(sets)
  local out = {}
  local function walk(set, lv, chain)
    local here = {}
    for k, v in pairs(chain) do here[k] = v end
    here[lv.level] = lv
    for _, c in ipairs(lv.claims or {}) do
      local first = c.statuses and c.statuses[1]
      out[#out + 1] = { kind = set.kind, claim = c, patient = lv, subscriber = here.subscriber,
        provider = here.provider, receiver = here.receiver, payer = here.payer,
        claim_id = c.trace and c.trace.number,
        payer_claim_number = ref_value(c.references, "1K"),
        patient_control_number = ref_value(c.references, "EJ"),
        status = first and first.codes and first.codes[1] }
    end
    for _, key in ipairs({ "receivers", "providers", "subscribers", "dependents" }) do
      for _, child in ipairs(lv[key] or {}) do walk(set, child, here) end
    end
  end
  for _, set in ipairs(sets) do
    for _, p in ipairs(set.payers or {}) do walk(set, p, {}) end
  end
  return out
end

--- Writes a 276 for the inquiries.
-- @tparam table items list of `{ payer = {name, id}, receiver = {name, id},
--   provider = {name, id (NPI)}, subscriber = {last, first, member_id,
--   birth_date, gender}, dependent = {...} or nil, claim = { trace =
--   {number}, payer_claim_number, bill_type, patient_control_number,
--   charge, date or from/to, lines = {{code, modifiers, charge, units,
--   control_number, date}} } }`
-- @tparam table envelope as for bhclaim.x12.write
-- @treturn[1] string the interchange
-- @return[2] nil, message naming the item and field, "x12.write"
M.request = request

return M
