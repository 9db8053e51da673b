--- Group sessions: a practice records a group once; bhclaim turns it into
-- one claim per attending patient and checks the session as a whole
-- (absentees, cloned notes) and every claim it makes.
-- The session's JSON form is in docs/session-json.md.
-- @module bhclaim.session
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")
local payer = require("bhclaim.payer")
local report_mod = require("bhclaim.report")
local args = require("bhclaim.args")
local reports = require("bhclaim.reports")

local M = {}

--- Similarity at or above which two participation notes count as cloned:
-- the Dice coefficient of their word bigrams after case, punctuation and
-- participants' names are set aside (bh_note_similarity). 0.8 means four
-- in five word pairs are shared: a template with a word or two changed.
M.CLONE_THRESHOLD = 0.8

-- Functions that set a claim's place of service and modifiers from the
-- session, each called as hook(session, participant, claim, profile) in
-- order. The in-person one is below; the telehealth module adds its own.
M.line_hooks = {}

local session_mt = {}
session_mt.__index = session_mt

local function session_finding(rule, severity, path, message, hint, source)
  return { rule = rule, severity = severity, path = path, message = message,
    hint = hint or "", source = source or "bhclaim session contract" }
end

local function pad2(n)
  return (n < 10 and "0" or "") .. n
end

local function minutes_between(start, finish)
  local h1, m1 = tostring(start or ""):match("^(%d%d):(%d%d)$")
  local h2, m2 = tostring(finish or ""):match("^(%d%d):(%d%d)$")
  if not h1 or not h2 then return nil end
  local d = (tonumber(h2) * 60 + tonumber(m2)) - (tonumber(h1) * 60 + tonumber(m1))
  return d >= 0 and d or nil
end

local function is_table(v)
  return type(v) == "table"
end

-- A value, with JSON null (bhclaim.null, a truthy light userdata) as nil,
-- so `participant.modality or session.modality` falls back as meant.
local function given(v)
  if v == core.null then return nil end
  return v
end

local function present(p)
  return is_table(p) and p.present ~= false
end

local function person_label(p, index)
  local name = is_table(p) and is_table(p.patient) and p.patient.name
  if is_table(name) and type(name.last) == "string" then
    local first = type(name.first) == "string" and (" " .. name.first:sub(1, 1) .. ".") or ""
    return string.format("participants[%d] (%s%s)", index, name.last, first)
  end
  return string.format("participants[%d]", index)
end

--- Makes a session from a table or its JSON text.
-- @param t session table or JSON text
-- @treturn[1] table the session
-- @return[2] nil (JSON text that does not parse)
-- @treturn[2] string message with line and byte
-- @treturn[2] string error id
-- @raise when t is neither a table nor a string, or the table is cyclic or
--   nested more than 200 levels deep (the session keeps a raw copy of it)
function M.new(t)
  if type(t) == "string" then
    local decoded, msg, id = core.decode(t)
    if decoded == nil then return nil, msg, id end
    t = decoded
  elseif type(t) == "table" then
    -- A copy read raw: the caller's metatables never run while checking.
    t = args.deep("session", 1, t)
  else
    error("bad argument #1 to 'session' (table or JSON string expected, got "
      .. type(t) .. ")", 2)
  end
  return setmetatable({ data = t }, session_mt)
end

-- Raises unless self is a session and opts a table or nil; returns a raw
-- copy of opts (its `profiles` and `disable` read raw too).
local function method_args(fname, self, opts)
  if type(self) ~= "table" or not rawequal(getmetatable(self), session_mt) then
    args.argerror(fname, 1, "a session from bhclaim.session expected, got " .. type(self), 3)
  end
  opts = args.shallow(fname, 1, opts, true, 3)
  if type(opts.profiles) == "table" then opts.profiles = args.shallow(fname, 1, opts.profiles) end
  if type(opts.disable) == "table" then opts.disable = args.shallow(fname, 1, opts.disable) end
  return opts
end

function session_mt:__tostring()
  local d = self.data
  local n = is_table(d.participants) and #d.participants or 0
  return string.format("bhclaim.Session (%s, %s, %d participants)", tostring(d.id or "?"),
    tostring(d.date or "?"), n)
end

-- Session-level shape problems, reported once rather than on every claim.
function session_mt:problems()
  local d, out = self.data, {}
  if type(d.date) ~= "string" then
    out[#out + 1] = session_finding("claim.schema", "error", "date",
      "The session has no date.", "Give the date as YYYY-MM-DD.")
  end
  if not is_table(d.participants) then
    out[#out + 1] = session_finding("claim.schema", "error", "participants",
      "The session has no list of participants.", "List each patient in participants.")
    return out
  end
  for i, p in ipairs(d.participants) do
    if not is_table(p) then
      out[#out + 1] = session_finding("claim.schema", "error", "participants[" .. i .. "]",
        "A participant must be an object.", "Describe each participant as an object.")
    elseif not is_table(p.patient) then
      out[#out + 1] = session_finding("claim.schema", "error",
        "participants[" .. i .. "].patient", "The participant has no patient block.",
        "Give each participant's patient name, birth date, sex and member id.")
    end
  end
  return out
end

local function count_present(d)
  local n = 0
  if is_table(d.participants) then
    for _, p in ipairs(d.participants) do
      if present(p) then n = n + 1 end
    end
  end
  return n
end

local function charge_for(d, p, code)
  local default = is_table(d.charges) and given(d.charges[code]) or nil
  if code == "90785" then return given(p.interactive_complexity_charge) or default end
  return given(p.charge) or default
end

local function pointers(diagnoses)
  local out = {}
  local n = is_table(diagnoses) and math.min(#diagnoses, 4) or 0
  for i = 1, n do out[i] = i end
  if n == 0 then out[1] = 1 end
  return setmetatable(out, core.array_mt)
end

local function copy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = copy(x) end
  return setmetatable(out, getmetatable(v))
end

-- What every claim of a session shares, worked out once per session.
local function session_facts(d)
  return {
    code = type(d.code) == "string" and d.code or "90853",
    minutes = minutes_between(d.start, d["end"]) or given(d.minutes),
    patients_present = count_present(d),
  }
end

-- The claim of one present participant, before the line hooks run. Every
-- table is the claim's own, so editing one claim changes no other.
local function build_claim(d, p, index, facts)
  local code = facts.code
  local modality = given(p.modality) or given(d.modality) or "in_person"
  local subscriber, patient
  if is_table(p.subscriber) then
    subscriber, patient = copy(p.subscriber), copy(p.patient)
  else
    subscriber = copy(p.patient)
    if is_table(subscriber) then subscriber.relationship = subscriber.relationship or "self" end
    patient = core.null
  end
  local function line(line_code)
    return { code = line_code, modifiers = setmetatable({}, core.array_mt), units = 1,
      charge = charge_for(d, p, line_code), date = d.date,
      dx_pointers = pointers(p.diagnoses) }
  end
  local lines = { line(code) }
  if p.interactive_complexity == true then lines[2] = line("90785") end
  return {
    id = given(p.claim_id) or (tostring(given(d.id) or "SESSION") .. "-" .. pad2(index)),
    payer = copy(p.payer),
    billing_provider = copy(d.billing_provider),
    rendering_provider = copy(d.facilitator),
    subscriber = subscriber,
    patient = patient,
    diagnoses = copy(p.diagnoses),
    place_of_service = d.place_of_service,
    prior_authorization = p.prior_authorization,
    -- the payer's 271 answer for this participant (bhclaim.coverage rules)
    coverage = is_table(p.coverage) and p.coverage or nil,
    lines = lines,
    session = {
      kind = "group", start = d.start, ["end"] = d["end"],
      minutes = facts.minutes,
      patients_present = facts.patients_present,
      minutes_present = given(p.minutes_present),
      modality = modality,
      patient_location = given(p.patient_location) or given(d.patient_location),
      provider_location = given(d.provider_location),
      last_in_person = given(p.last_in_person),
    },
    documentation = {
      purpose = d.purpose,
      participation = p.participation,
      medical_necessity = p.medical_necessity,
      plan_goal = p.plan_goal,
      signature = copy(d.signature),
    },
  }
end

-- The profile for a participant: opts.payer for everyone, else
-- opts.profiles[kind] (a practice's own profile for a payer kind), else
-- the built-in one for the participant's payer kind.
local function profile_for(p, opts)
  if opts and opts.payer then
    return type(opts.payer) == "string" and payer.builtin(opts.payer) or opts.payer
  end
  local kind = is_table(p.payer) and p.payer.kind or nil
  if opts and is_table(opts.profiles) and opts.profiles[kind] then return opts.profiles[kind] end
  return payer.for_kind(kind)
end

-- bhclaim.check options for one participant's claim.
local function claim_options(opts, p)
  local out = {}
  for k, v in pairs(opts or {}) do
    if k ~= "profiles" then out[k] = v end
  end
  if not out.payer then out.payer = profile_for(p, opts) end
  return out
end

local function add_modifier(line, m)
  for _, have in ipairs(line.modifiers) do
    if have == m then return end
  end
  line.modifiers[#line.modifiers + 1] = m
end

-- The credential modifier a profile wants for a credential as written
-- ("LCSW-R", "Ph.D.") on a date, or false, as the core matches it (one
-- definition: bhclaim.core.credential_match); cached per profile, as a
-- session asks the same question for every participant.
local credential_modifiers = setmetatable({}, { __mode = "k" })

local function credential_modifier(profile, cred, date)
  local cache = credential_modifiers[profile]
  if not cache then
    cache = {}
    credential_modifiers[profile] = cache
  end
  local key = cred .. "|" .. (date or "")
  local m = cache[key]
  if m == nil then
    m = false
    local accepted = is_table(profile.credentials) and profile.credentials.accepted
    if is_table(accepted) then
      local verdict, modifier = core.credential_match(accepted, cred, date)
      if verdict == "eligible" and modifier then m = modifier end
    end
    cache[key] = m
  end
  return m
end

-- In person: the payer's group modifier and the credential modifier it
-- wants for the facilitator, on the group line.
local function in_person_hook(_, _, claim, profile)
  local line = claim.lines[1]
  if is_table(profile.group_modifier) then add_modifier(line, profile.group_modifier.value) end
  local cred = is_table(claim.rendering_provider) and claim.rendering_provider.credential
  if type(cred) == "string" then
    local date = claim.lines[1] and claim.lines[1].date
    local m = credential_modifier(profile, cred, type(date) == "string" and
      date:match("^%d%d%d%d%-%d%d%-%d%d$") and date or nil)
    if m then add_modifier(line, m) end
  end
end
M.line_hooks[1] = in_person_hook
M.line_hooks[2] = require("bhclaim.telehealth").session_hook

--- The claims of the session: one per present participant, in order.
-- @tparam[opt] table opts `payer` to use one profile for every claim, or
--   `profiles` ({ medicaid = profile, ... }) to use a practice's profile for
--   a payer kind (default: the built-in profile of each participant's kind)
-- @treturn table claims (tables of the claim JSON form)
-- @treturn table absentees: info findings, one per participant not present
function session_mt:claims(opts)
  opts = method_args("claims", self, opts)
  local d, claims, absent = self.data, {}, {}
  if not is_table(d.participants) then return claims, absent end
  local facts = session_facts(d)
  for i, p in ipairs(d.participants) do
    if is_table(p) and is_table(p.patient) then
      if present(p) then
        local claim = build_claim(d, p, i, facts)
        local profile = profile_for(p, opts)
        for _, hook in ipairs(M.line_hooks) do hook(self, p, claim, profile) end
        claims[#claims + 1] = claim
      else
        absent[#absent + 1] = session_finding("group.attendance", "info",
          "participants[" .. i .. "]",
          person_label(p, i) .. " did not attend; no claim is made for this patient.",
          "Nothing to bill; record the absence in the patient's chart.")
      end
    end
  end
  return claims, absent
end

-- Names of all participants, set aside when comparing notes.
local function all_names(d)
  local names = {}
  for _, p in ipairs(d.participants) do
    local name = is_table(p) and is_table(p.patient) and p.patient.name
    if is_table(name) then
      for _, part in ipairs({ name.first, name.last }) do
        if type(part) == "string" then names[#names + 1] = part end
      end
    end
  end
  return names
end

-- doc.cloned: each pair of present participants whose notes are the same
-- or nearly. Returns findings by participant index.
local function cloned_notes(d)
  local by_index, notes, texts = {}, {}, {}
  for i, p in ipairs(d.participants) do
    if present(p) and is_table(p.patient) and type(p.participation) == "string" then
      notes[#notes + 1] = { index = i, p = p }
      texts[#texts + 1] = p.participation
    end
  end
  local pairs_found = core.similar_pairs(texts, all_names(d), M.CLONE_THRESHOLD)
  for _, pair in ipairs(pairs_found) do
    local x, y, sim = notes[pair[1]], notes[pair[2]], pair[3]
    for _, two in ipairs({ { x, y }, { y, x } }) do
      local me, other = two[1], two[2]
      local list = by_index[me.index] or {}
      by_index[me.index] = list
      list[#list + 1] = {
        rule = "doc.cloned", severity = "warning", path = "documentation.participation",
        message = string.format("The participation note of %s is %s that of %s "
          .. "(similarity %.2f); auditors treat cloned notes as missing.",
          person_label(me.p, me.index), sim >= 0.999 and "identical to" or "nearly the same as",
          person_label(other.p, other.index), sim),
        hint = "Write what this patient said or did, in their own note.",
        source = "CMS/MAC documentation reviews: member-specific notes (rules-reference 4.2)",
      }
    end
  end
  return by_index
end

local session_report_mt = {}
session_report_mt.__index = session_report_mt

function session_report_mt.__tostring(r)
  local out = { string.format("session %s: %d claim%s, %d clean, %d with errors, "
    .. "%d with warnings", tostring(r.session_id), #r.claims, #r.claims == 1 and "" or "s",
    r.clean, r.with_errors, r.with_warnings) }
  for _, f in ipairs(r.findings) do out[#out + 1] = "  " .. tostring(f) end
  for _, c in ipairs(r.claims) do
    out[#out + 1] = tostring(c.report):gsub("\n", "\n  ")
  end
  return table.concat(out, "\n")
end

--- Checks the session as a whole and every claim it makes.
-- @tparam[opt] table opts as for bhclaim.check (today, payer, rules, disable,
--   ncci), plus `profiles` as for session:claims
-- @treturn table session report: `ok`, `findings` (session-level:
--   shape problems, absentees), `claims` (each {claim=, report=}), counts
--   `clean`, `with_warnings` and `with_errors` (bhclaim.outcome of each
--   claim's report: clean means no error and no warning); prints as text
function session_mt:check(opts)
  opts = method_args("check", self, opts)
  local bhclaim = require("bhclaim")
  local d = self.data
  local findings = self:problems()
  local claims, absent = self:claims(opts)
  for _, f in ipairs(absent) do findings[#findings + 1] = f end
  local clones = is_table(d.participants) and cloned_notes(d) or {}
  local result = setmetatable({ session_id = d.id, findings = findings, claims = {},
    clean = 0, with_warnings = 0, with_errors = 0 }, session_report_mt)
  local disabled = opts and opts.disable or {}
  local claim_index = 0
  for i, p in ipairs(is_table(d.participants) and d.participants or {}) do
    if is_table(p) and is_table(p.patient) and present(p) then
      claim_index = claim_index + 1
      local claim = claims[claim_index]
      local r = bhclaim.check(claim, claim_options(opts, p))
      if not disabled["doc.cloned"] then
        for _, f in ipairs(clones[i] or {}) do r:add(f) end
      end
      result.claims[#result.claims + 1] = { claim = claim, report = r, participant = i }
      local outcome = reports.outcome(r.counts)   -- the command line's "clean"
      result[outcome] = result[outcome] + 1
    end
  end
  for _, f in ipairs(findings) do
    if f.denial == nil then f.denial = core.rule_denial(f.rule, f.path) end
    setmetatable(f, report_mod.finding_mt)
  end
  result.ok = result.with_errors == 0
  for _, f in ipairs(findings) do
    if f.severity == "error" then result.ok = false end
  end
  return result
end

return M
