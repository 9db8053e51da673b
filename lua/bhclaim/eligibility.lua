--- Eligibility: 270 inquiries out, 271 answers in (005010X279A1).
-- `read` gives the payer's answer as plain tables (docs/eligibility.md),
-- `members` flattens it to one view per subscriber or dependent (what a
-- claim's `coverage` holds), `summary` says active or not, plan, group and
-- dates, `request` writes the 270.
-- @module bhclaim.eligibility
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")
local args = require("bhclaim.args")

local M = {}

--- The meaning of a code in one of the readers' lists ("eb_kind",
-- "service_type", "coverage_level", "time_period", "quantity", "network",
-- "authorization", "reject_reason", "follow_up", "status_category",
-- "status_code"), or nil when the code is not kept.
function M.meaning(list, code)
  if type(list) ~= "string" then args.argerror("meaning", 1, "string expected") end
  if type(code) ~= "string" then return nil end
  return core.inquiry_meaning(list, code)
end

-- {--- plain-text rendering ---

local function person_text(p)
  if p == nil then return "(no name)" end
  local parts = {}
  if p.last then parts[#parts + 1] = p.last end
  if p.first then parts[#parts + 1] = p.first end
  local s = table.concat(parts, ", ")
  if p.id then
    s = s .. " [" .. (p.id_qualifier and (p.id_qualifier .. " ") or "") .. p.id .. "]"
  end
  return s
end
M.person_text = person_text

local function error_text(e)
  return string.format("AAA %s %s (%s), follow-up %s %s", e.reason or "?",
    e.reason_meaning or "unknown reason", e.valid == "Y" and "request valid" or "request invalid",
    e.follow_up or "?", e.follow_up_meaning or "")
end
M.error_text = error_text

local function list_text(list)
  return list and table.concat(list, ",") or ""
end

local function benefit_text(b, indent)
  local parts = { string.format("%-2s %s", b.kind, b.kind_meaning or "") }
  if b.service_types then parts[#parts + 1] = "[" .. list_text(b.service_types) .. "]" end
  if b.coverage_level then parts[#parts + 1] = b.coverage_level end
  if b.plan then parts[#parts + 1] = '"' .. b.plan .. '"' end
  if b.amount then parts[#parts + 1] = "$" .. b.amount end
  if b.percent then parts[#parts + 1] = b.percent .. " (fraction)" end
  if b.quantity then
    parts[#parts + 1] = b.quantity .. " "
      .. (b.quantity_qualifier_meaning or b.quantity_qualifier or "")
  end
  if b.time_period then parts[#parts + 1] = "per " .. (b.time_period_meaning or b.time_period) end
  if b.in_network then parts[#parts + 1] = b.in_network_meaning or ("network " .. b.in_network) end
  if b.authorization_required == "Y" then parts[#parts + 1] = "AUTHORIZATION REQUIRED" end
  if b.places_of_service then
    local pos = {}
    for _, p in ipairs(b.places_of_service) do pos[#pos + 1] = p.code end
    parts[#parts + 1] = "POS " .. table.concat(pos, ",")
  end
  local out = { table.concat(parts, " ") }
  for _, d in ipairs(b.dates or {}) do
    out[#out + 1] = string.format("%s    date %s %s", indent, d.qualifier, d.date or
      ((d.from or "") .. ".." .. (d.to or "")))
  end
  for _, m in ipairs(b.messages or {}) do out[#out + 1] = indent .. "    msg: " .. m end
  for _, e in ipairs(b.entities or {}) do
    out[#out + 1] = indent .. "    entity " .. (e.entity or "") .. ": " .. person_text(e)
  end
  for _, e in ipairs(b.errors or {}) do out[#out + 1] = indent .. "    " .. error_text(e) end
  return table.concat(out, "\n")
end

local function level_lines(out, lv, indent)
  out[#out + 1] = string.format("%s%s %s", indent, lv.level, person_text(lv.name))
  for _, e in ipairs(lv.errors or {}) do out[#out + 1] = indent .. "  " .. error_text(e) end
  if lv.birth_date then out[#out + 1] = indent .. "  born " .. lv.birth_date end
  for _, d in ipairs(lv.dates or {}) do
    out[#out + 1] = string.format("%s  date %s %s", indent, d.qualifier, d.date or
      ((d.from or "") .. ".." .. (d.to or "")))
  end
  for _, b in ipairs(lv.benefits or {}) do
    out[#out + 1] = indent .. "  EB " .. benefit_text(b, indent)
  end
  for _, q in ipairs(lv.inquiries or {}) do
    out[#out + 1] = indent .. "  EQ [" .. list_text(q.service_types) .. "]"
  end
  for _, key in ipairs({ "receivers", "providers", "subscribers", "dependents" }) do
    for _, child in ipairs(lv[key] or {}) do level_lines(out, child, indent .. "  ") end
  end
end

local list_mt = {}
function list_mt.__tostring(list)
  local out = {}
  for _, set in ipairs(list) do out[#out + 1] = tostring(set) end
  return table.concat(out, "\n")
end
M.list_mt = list_mt

--- What the two inquiry families ("eligibility" here, "status" in
-- bhclaim.status) share: the metatable of a set, printed with
-- lines_of(out, level, indent) for each payer, and the family's
-- reader and writer (read and request below).
-- @treturn table set metatable
-- @treturn function read(text)
-- @treturn function request(items, envelope)
function M.inquiry_family(family, lines_of)
  local set_mt = {}
  set_mt.__index = set_mt
  function set_mt.__tostring(set)
    local out = { string.format("%s set %s (%s)", set.kind, set.set_control_number or "?",
      set.implementation or "") }
    for _, p in ipairs(set.payers or {}) do lines_of(out, p, "  ") end
    return table.concat(out, "\n")
  end
  local function read(text)
    args.check_type("read", 1, text, "string")
    local sets, msg, id = core.inquiry_read(family, text)
    if sets == nil then return nil, msg, id end
    for _, s in ipairs(sets) do setmetatable(s, set_mt) end
    return setmetatable(sets, list_mt)
  end
  local function request(items, envelope)
    args.check_type("request", 1, items, "table")
    args.check_type("request", 2, envelope, "table")
    return core.inquiry_write(family, items, envelope)
  end
  return set_mt, read, request
end

local set_mt, read, request = M.inquiry_family("eligibility", level_lines)
M.set_mt = set_mt

--- Reads every 270 or 271 set of an X12 text.
-- @string text
-- @treturn[1] table list of sets (each prints readably)
-- @return[2] nil, message naming the segment, id ("x12.syntax", "x12.value")
M.read = read

--- One view per subscriber and per dependent of every set, in order:
-- `{ kind, level, member, subscriber, receiver, payer, errors }` where
-- member is the level table itself, subscriber the 2000C level (the same
-- as member for a subscriber), receiver and payer the levels above, and
-- errors every AAA on the way down (each with `at` naming its level).
function M.members(sets)
  local out = {}
  local function walk(set, lv, chain)
    local here = {}
    for k, v in pairs(chain) do here[k] = v end
    here[lv.level] = lv
    if lv.level == "subscriber" or lv.level == "dependent" then
      local errors = {}
      for _, key in ipairs({ "payer", "receiver", "provider", "subscriber", "dependent" }) do
        local l = here[key]
        if l then
          for _, e in ipairs(l.errors or {}) do
            local copy = { at = key }
            for k, v in pairs(e) do copy[k] = v end
            errors[#errors + 1] = copy
          end
        end
      end
      -- A subscriber with dependents is a view of its own only when it
      -- carries answers itself (benefits, inquiries or errors).
      local has_children = lv.dependents and #lv.dependents > 0
      if not has_children or (lv.benefits or lv.inquiries or lv.errors) then
        out[#out + 1] = { kind = set.kind, level = lv.level, member = lv,
          subscriber = here.subscriber, receiver = here.receiver, payer = here.payer,
          provider = here.provider, errors = errors }
      end
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

-- {--- matching answers to claims ---

local function upper(s)
  return type(s) == "string" and s:upper() or ""
end

local function name_of(p)
  local name = type(p) == "table" and p.name
  if type(name) == "table" then return name.last, name.first end
  if type(name) == "string" then
    local last, first = name:match("^%s*([^,]+),%s*(.-)%s*$")
    if last then return last, first end
    first, last = name:match("^%s*(.-)%s+(%S+)%s*$")
    return last or name, first
  end
  if type(p) == "table" then return p.last, p.first end
  return nil, nil
end

--- An index of member views by the payer's member id (the 2100C NM109);
-- a dependent is indexed by that id and its own last and first name.
function M.index(sets)
  local out = {}
  for _, m in ipairs(M.members(sets)) do
    local id = m.subscriber and m.subscriber.name and m.subscriber.name.id
    if id then
      local key = id
      if m.level == "dependent" and m.member.name then
        key = id .. "|" .. upper(m.member.name.last) .. "|" .. upper(m.member.name.first)
      end
      out[key] = m
    end
  end
  return out
end

--- The view of an index for a claim's insured (`subscriber`, with
-- `member_id`) and patient (a table when not the subscriber), or nil.
function M.find(index, insured, patient)
  local id = type(insured) == "table" and insured.member_id
  if type(id) ~= "string" then return nil end
  if type(patient) == "table" and patient ~= insured then
    local last, first = name_of(patient)
    local m = index[id .. "|" .. upper(last) .. "|" .. upper(first)]
    if m then return m end
  end
  return index[id]
end

-- {--- what the answer says, in short ---

local ACTIVE = { ["1"] = true, ["2"] = true, ["3"] = true, ["4"] = true, ["5"] = true }
local INACTIVE = { ["6"] = true, ["7"] = true, ["8"] = true }
M.ACTIVE_KINDS, M.INACTIVE_KINDS = ACTIVE, INACTIVE

-- Date qualifiers (element 374) that open or close coverage: 346/347 plan
-- begin/end, 356/357 eligibility begin/end, 348/349 benefit begin/end;
-- 291 plan and 307 eligibility are given as a date or a range.
local BEGIN = { ["346"] = true, ["356"] = true, ["348"] = true }
local END = { ["347"] = true, ["357"] = true, ["349"] = true }
local SPAN = { ["291"] = true, ["307"] = true }

local function coverage_window(levels)
  local from, to
  for _, lv in ipairs(levels) do
    for _, d in ipairs(lv.dates or {}) do
      if BEGIN[d.qualifier] and d.date and (from == nil or d.date > from) then from = d.date end
      if END[d.qualifier] and d.date and (to == nil or d.date < to) then to = d.date end
      if SPAN[d.qualifier] then
        local a, b = d.from or d.date, d.to
        if a and (from == nil or a > from) then from = a end
        if b and (to == nil or b < to) then to = b end
      end
    end
  end
  return from, to
end

--- What a member view (from `members`) or a member level table says:
-- `active` (true, false, or nil when no EB says), `plan` (EB05 of the
-- first active benefit), `group_number` and `group_name` (REF*6P or
-- REF*18), `from`/`to` (the coverage window from DTP), `errors`.
function M.summary(view)
  local member = view.member or view
  local levels = { member }
  if view.subscriber and view.subscriber ~= member then levels[#levels + 1] = view.subscriber end
  local s = { errors = view.errors or member.errors or {} }
  local any_active, any_inactive = false, false
  for _, b in ipairs(member.benefits or {}) do
    if ACTIVE[b.kind] then
      any_active = true
      s.plan = s.plan or b.plan
    elseif INACTIVE[b.kind] then
      any_inactive = true
    end
  end
  if any_active then s.active = true elseif any_inactive then s.active = false end
  for _, lv in ipairs(levels) do
    for _, r in ipairs(lv.references or {}) do
      if (r.qualifier == "6P" or r.qualifier == "18") and s.group_number == nil then
        s.group_number, s.group_name = r.value, r.description
      end
    end
  end
  s.from, s.to = coverage_window(levels)
  return s
end

--- Writes a 270 for the inquiries.
-- @tparam table items list of `{ payer = {name, id}, provider = {name or
--   last/first, id (NPI)}, subscriber = {last, first, member_id,
--   birth_date, gender}, dependent = {...} or nil, trace = {number,
--   originator}, date or from/to, service_types = {"30", "MH", ...} }`
-- @tparam table envelope as for bhclaim.x12.write (sender_id, receiver_id,
--   date, time, control numbers, separators...)
-- @treturn[1] string the interchange
-- @return[2] nil, message naming the item and field, "x12.write"
M.request = request

return M
