--- Telehealth: the place of service and modifiers a service needs by payer,
-- provider kind, where the patient was and the date of service, and whether
-- it is allowed at all. The rules are effective-dated data in the core
-- (docs/telehealth.md).
-- @module bhclaim.telehealth
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")
local args = require("bhclaim.args")
local payer = require("bhclaim.payer")

local M = {}

local QUERY_KEYS = { code = true, date = true, payer = true, modality = true,
  patient_location = true, provider_kind = true, last_in_person = true,
  first_telehealth = true, group_session = true }

local answer_mt = {}
answer_mt.__index = answer_mt

function answer_mt.__tostring(a)
  local q = a.query
  local head = string.format("%s %s on %s, %s, patient at %s: %s", q.payer_name, q.code, q.date,
    q.modality:gsub("_", " "), q.patient_location or "an unknown place",
    not a.known and "no rule carried for this payer and date"
      or (a.allowed and "allowed" or "NOT allowed"))
  local out = { head }
  if a.known and a.telehealth then
    out[#out + 1] = string.format("  place of service %s%s; modifiers: %s",
      a.place_of_service or "(depends on where the patient was)",
      a.rate and (" (" .. a.rate .. " rate)") or "",
      #a.modifiers > 0 and table.concat(a.modifiers, " ") or "none")
  end
  if a.in_person ~= "not_applicable" then
    out[#out + 1] = "  in-person visit requirement: " .. a.in_person:gsub("_", " ")
      .. (a.in_person_since and (" (a visit on or after " .. a.in_person_since .. ")") or "")
  end
  for _, r in ipairs(a.reasons) do
    local dates = ""
    if r.from or r.to then dates = string.format(" [%s to %s]", r.from or "...", r.to or "...") end
    out[#out + 1] = string.format("  - %s (%s%s%s)", r.text, r.source, dates,
      r.unconfirmed and "; unconfirmed" or "")
  end
  return table.concat(out, "\n")
end

local function argerror(msg)
  error("bad argument #1 to 'derive' (" .. msg .. ")", 3)
end

--- Derives what a service needs.
-- @tparam table q `code`, `date` ("YYYY-MM-DD"), `payer` (a kind name:
--   medicare, medicaid, commercial, other; or a profile from bhclaim.payer),
--   `modality` (in_person, video, audio_only), `patient_location` (home,
--   facility, other), `provider_kind` (practitioner, fqhc, rhc,
--   cah_method_ii, hospital_outpatient), `last_in_person` (date or nil),
--   `first_telehealth` (boolean or nil), `group_session` (boolean)
-- @treturn table answer: `allowed`, `place_of_service`, `modifiers`, `rate`,
--   `in_person`, `reasons` (each with `text`, `source`, `from`, `to`,
--   `unconfirmed`); prints as text
-- @raise on a missing or malformed field
function M.derive(q)
  if type(q) ~= "table" then argerror("table expected, got " .. type(q)) end
  q = args.shallow("derive", 1, q)   -- read raw: the caller's metatable never runs
  for k in pairs(q) do
    if not QUERY_KEYS[k] then argerror("unknown field '" .. tostring(k) .. "'") end
  end
  if type(q.code) ~= "string" then argerror("field 'code' must be a string") end
  if not core.procedure(q.code).known then
    argerror("field 'code' is not a known CPT or HCPCS code")
  end
  if type(q.date) ~= "string" then argerror("field 'date' must be a date YYYY-MM-DD") end
  local profile, kind = nil, q.payer
  if payer.is_profile(q.payer) then
    profile = q.payer
    kind = profile.kind
  elseif q.payer ~= nil and type(q.payer) ~= "string" then
    argerror("field 'payer' must be a payer kind or a profile")
  end
  local query = {
    code = q.code, date = q.date, payer = kind, modality = q.modality or "in_person",
    patient_location = q.patient_location, provider_kind = q.provider_kind,
    last_in_person = q.last_in_person, first_telehealth = q.first_telehealth,
    group_session = q.group_session,
    profile = profile and profile.telehealth and profile:compiled() or nil,
  }
  local ok, answer = pcall(core.telehealth_derive, query)
  if not ok then error(answer, 2) end
  answer.query = {
    code = q.code, date = q.date, modality = query.modality,
    patient_location = q.patient_location,
    payer_name = profile and (profile.name or kind) or (kind or "unknown payer"),
  }
  return setmetatable(answer, answer_mt)
end

--- Adds modifier m to a claim line's modifiers unless the line has it. The
-- one way the session hooks add modifiers. A fifth modifier is kept, never
-- dropped: the check refuses the line (claim.schema: the 837P allows 4).
-- @tparam table line a claim line with a `modifiers` list
-- @tparam string m
function M.add_modifier(line, m)
  for _, have in ipairs(line.modifiers) do
    if have == m then return end
  end
  line.modifiers[#line.modifiers + 1] = m
end
local add_modifier = M.add_modifier

--- The session hook: a participant seen by video or by phone gets the place
-- of service and modifiers the payer wants on each line of the claim.
function M.session_hook(session, _, claim, profile)
  local s = claim.session
  if s.modality ~= "video" and s.modality ~= "audio_only" then return end
  local answer = M.derive{
    code = claim.lines[1].code, date = claim.lines[1].date, payer = profile,
    modality = s.modality, patient_location = s.patient_location,
    provider_kind = session.data.provider_kind, last_in_person = s.last_in_person,
    group_session = true,
  }
  if not answer.known then return end
  if answer.place_of_service then claim.place_of_service = answer.place_of_service end
  for _, line in ipairs(claim.lines) do
    for _, m in ipairs(answer.modifiers) do add_modifier(line, m) end
  end
end

return M
