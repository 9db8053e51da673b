--- Payer profiles: the numbers and lists a payer (or a state program) sets,
-- as Lua tables a practice reads and edits. A profile is checked field by
-- field (a wrong name or type is refused, never ignored), then compiled
-- for the C core.
-- @module bhclaim.payer
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")
local args = require("bhclaim.args")

local M = {}

local BUILTIN = { medicare = true, medicaid = true, commercial = true }

-- What each field holds. "number" fields are {value=, source=, unconfirmed=}.
local SCHEMA = {
  name = "string", kind = "string", description = "string", extends = "extends",
  min_participants = "number", max_participants = "number", min_minutes = "number",
  min_share_percent = "number", doc_min_chars = "number",
  group_modifier = "string_value", credentials = "credentials",
  placeholders = "strings", mue = "mue", ptp = "ptp", telehealth = "table",
  timely_filing = "filing", prior_auth = "codes", not_paid = "codes", dx_allowed = "codes",
  frequency = "frequency",
}
local KINDS = { medicare = true, medicaid = true, commercial = true, other = true }

-- Raised without position: the public functions re-raise it as a bad
-- argument at their caller, payer.load returns it.
local function fail(profile_name, msg)
  error(string.format("%s%s", profile_name and
    ("profile '" .. profile_name .. "': ") or "", msg), 0)
end

local function expect_type(pname, where, value, wanted)
  if type(value) ~= wanted then
    fail(pname, string.format("field '%s' must be a %s, got %s", where, wanted, type(value)))
  end
end

local function check_keys(pname, where, t, allowed)
  for k in pairs(t) do
    if not allowed[k] then
      fail(pname, string.format("unknown field '%s%s'", where ~= "" and (where .. ".") or "",
        tostring(k)))
    end
  end
end

local function check_date(pname, where, v)
  if v ~= nil and (type(v) ~= "string" or not v:match("^%d%d%d%d%-%d%d%-%d%d$")) then
    fail(pname, string.format("field '%s' must be a date YYYY-MM-DD", where))
  end
end

local VALUE_KEYS = { value = true, source = true, unconfirmed = true }

local function check_value(pname, key, v, value_type)
  expect_type(pname, key, v, "table")
  check_keys(pname, key, v, VALUE_KEYS)
  expect_type(pname, key .. ".value", v.value, value_type)
  if value_type == "number" and (v.value < 0 or v.value ~= math.floor(v.value)) then
    fail(pname, string.format("field '%s.value' must be a whole number >= 0", key))
  end
  if v.source ~= nil then expect_type(pname, key .. ".source", v.source, "string") end
  if v.unconfirmed ~= nil then
    expect_type(pname, key .. ".unconfirmed", v.unconfirmed, "boolean")
  end
end

local CRED_KEYS = { source = true, unconfirmed = true, accepted = true }
local CRED_ENTRY = { credential = true, modifier = true, from = true }
local MUE_KEYS = { code = true, value = true, mai = true, from = true, to = true,
  source = true, unconfirmed = true }
local PTP_KEYS = { column1 = true, column2 = true, modifier_indicator = true, from = true,
  to = true, source = true, unconfirmed = true }

local function check_list(pname, key, list, keys, each)
  expect_type(pname, key, list, "table")
  for i, e in ipairs(list) do
    local where = string.format("%s[%d]", key, i)
    expect_type(pname, where, e, "table")
    check_keys(pname, where, e, keys)
    each(where, e)
  end
end

local FILING_KEYS = { value = true, unit = true, source = true, unconfirmed = true }
local CODES_KEYS = { codes = true, source = true, unconfirmed = true }
local FREQUENCY_KEYS = { code = true, max = true, days = true, months = true, source = true,
  unconfirmed = true }

local function check_flags(pname, where, v)
  if v.source ~= nil then expect_type(pname, where .. ".source", v.source, "string") end
  if v.unconfirmed ~= nil then
    expect_type(pname, where .. ".unconfirmed", v.unconfirmed, "boolean")
  end
end

local function whole(pname, where, v, least)
  if type(v) ~= "number" or v < least or v ~= math.floor(v) then
    fail(pname, string.format("field '%s' must be a whole number >= %d", where, least))
  end
end

local CHECKERS = {
  -- { value = 12, unit = "months" | "days", source =, unconfirmed = }
  filing = function(pname, key, v)
    expect_type(pname, key, v, "table")
    check_keys(pname, key, v, FILING_KEYS)
    whole(pname, key .. ".value", v.value, 1)
    if v.unit ~= "months" and v.unit ~= "days" then
      fail(pname, "field '" .. key .. ".unit' must be \"months\" or \"days\"")
    end
    check_flags(pname, key, v)
  end,
  -- { codes = { "90853", "H" (a prefix) }, source =, unconfirmed = }
  codes = function(pname, key, v)
    expect_type(pname, key, v, "table")
    check_keys(pname, key, v, CODES_KEYS)
    expect_type(pname, key .. ".codes", v.codes, "table")
    for i, code in ipairs(v.codes) do
      local where = key .. ".codes[" .. i .. "]"
      expect_type(pname, where, code, "string")
      if not code:match("^[%w.]+$") then
        fail(pname, "field '" .. where .. "' must be a code or a code prefix")
      end
    end
    check_flags(pname, key, v)
  end,
  -- { { code = "90791", max = 1, months = 6 }, { code = "90853", max = 3, days = 7 } }
  frequency = function(pname, key, v)
    check_list(pname, key, v, FREQUENCY_KEYS, function(where, e)
      expect_type(pname, where .. ".code", e.code, "string")
      whole(pname, where .. ".max", e.max, 1)
      if (e.days == nil) == (e.months == nil) then
        fail(pname, "field '" .. where .. "' needs one of days or months")
      end
      if e.days ~= nil then whole(pname, where .. ".days", e.days, 1) end
      if e.months ~= nil then whole(pname, where .. ".months", e.months, 1) end
      check_flags(pname, where, e)
    end)
  end,
  string = function(pname, key, v) expect_type(pname, key, v, "string") end,
  number = function(pname, key, v) check_value(pname, key, v, "number") end,
  string_value = function(pname, key, v) check_value(pname, key, v, "string") end,
  table = function(pname, key, v) expect_type(pname, key, v, "table") end,
  extends = function(pname, key, v)
    if type(v) ~= "string" and type(v) ~= "table" then
      fail(pname, "field '" .. key .. "' must name a profile or be one")
    end
  end,
  strings = function(pname, key, v)
    expect_type(pname, key, v, "table")
    for i, s in ipairs(v) do expect_type(pname, key .. "[" .. i .. "]", s, "string") end
  end,
  credentials = function(pname, key, v)
    expect_type(pname, key, v, "table")
    check_keys(pname, key, v, CRED_KEYS)
    check_list(pname, key .. ".accepted", v.accepted or {}, CRED_ENTRY, function(where, e)
      expect_type(pname, where .. ".credential", e.credential, "string")
      if e.modifier ~= nil then expect_type(pname, where .. ".modifier", e.modifier, "string") end
      check_date(pname, where .. ".from", e.from)
    end)
  end,
  mue = function(pname, key, v)
    check_list(pname, key, v, MUE_KEYS, function(where, e)
      expect_type(pname, where .. ".code", e.code, "string")
      expect_type(pname, where .. ".value", e.value, "number")
      if e.mai ~= nil and e.mai ~= 1 and e.mai ~= 2 and e.mai ~= 3 then
        fail(pname, "field '" .. where .. ".mai' must be 1, 2 or 3")
      end
      check_date(pname, where .. ".from", e.from)
      check_date(pname, where .. ".to", e.to)
    end)
  end,
  ptp = function(pname, key, v)
    check_list(pname, key, v, PTP_KEYS, function(where, e)
      expect_type(pname, where .. ".column1", e.column1, "string")
      expect_type(pname, where .. ".column2", e.column2, "string")
      local mi = e.modifier_indicator
      if mi ~= 0 and mi ~= 1 and mi ~= 9 then
        fail(pname, "field '" .. where .. ".modifier_indicator' must be 0, 1 or 9")
      end
      check_date(pname, where .. ".from", e.from)
      check_date(pname, where .. ".to", e.to)
    end)
  end,
}

local function validate(t)
  local pname = type(t) == "table" and type(t.name) == "string" and t.name or nil
  if type(t) ~= "table" then fail(nil, "a profile is a table, got " .. type(t)) end
  for k, v in pairs(t) do
    local kind = SCHEMA[k]
    if not kind then fail(pname, string.format("unknown field '%s'", tostring(k))) end
    CHECKERS[kind](pname, k, v)
  end
  if t.kind ~= nil and not KINDS[t.kind] then
    fail(pname, "field 'kind' must be medicare, medicaid, commercial or other")
  end
  return t
end

-- Calls fn(...) and re-raises what it raises as "bad argument #n to
-- 'fname' (...)" at the caller of the public function.
local function as_argerror(fname, n, fn, ...)
  local ok, result = pcall(fn, ...)
  if not ok then
    error(string.format("bad argument #%d to '%s' (%s)", n, fname, tostring(result)), 3)
  end
  return result
end

--- Checks a profile table; raises naming the field when it is wrong.
-- @tparam table t
-- @treturn table t
-- @raise "bad argument #1 to 'validate' (profile 'name': field ...)"
function M.validate(t)
  args.check_type("validate", 1, t, "table")
  as_argerror("validate", 1, validate, args.deep("validate", 1, t))
  return t
end

local function copy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = copy(x) end
  return out
end

local builtin_cache = {}

local function builtin(name)
  if not builtin_cache[name] then
    builtin_cache[name] = validate(require("bhclaim.payers." .. name))
  end
  return builtin_cache[name]
end

local profile_mt = {}
profile_mt.__index = profile_mt
function profile_mt.__tostring(p)
  return string.format("bhclaim payer profile '%s' (%s)%s", p.name or "?", p.kind or "?",
    p.description and (": " .. p.description) or "")
end

-- Compiled forms, kept beside (not in) the profile tables so a profile
-- stays a plain table of its documented fields.
local compiled = setmetatable({}, { __mode = "k" })

--- The compiled form the core takes (made once per profile; edit a profile
-- through bhclaim.payer, not in place, so this stays in step).
function profile_mt:compiled()
  local c = compiled[self]
  if not c then
    c = core.profile(self)
    compiled[self] = c
  end
  return c
end

-- The profile from a raw copy of the caller's table; raises plain messages.
local function build(t)
  validate(t)
  local base = t.extends
  local out
  if type(base) == "string" then
    if not BUILTIN[base] then fail(t.name, "unknown base profile '" .. base .. "'") end
    out = copy(builtin(base))
  elseif type(base) == "table" then
    out = copy(validate(base))
  else
    out = {}
  end
  for k, v in pairs(t) do
    if k ~= "extends" then out[k] = copy(v) end
  end
  out.name = out.name or "custom"
  return setmetatable(out, profile_mt)
end

--- Builds a profile: a table of fields, optionally `extends` a built-in name
-- ("medicare", "medicaid", "commercial") or another profile. Top-level
-- fields of the new table replace the base's whole.
-- @tparam table t
-- @treturn table the profile
-- @raise "bad argument #1 to 'payer' (...)" on an unknown field, a wrong
--   type, an unknown base, a cycle
function M.new(t)
  args.check_type("payer", 1, t, "table")
  local profile = as_argerror("payer", 1, build, args.deep("payer", 1, t))
  return profile  -- not a tail call: the error's position is the caller's
end

--- Loads a profile from a Lua file that returns its table.
-- @tparam string path
-- @treturn[1] table the profile
-- @return[2] nil
-- @treturn[2] string why
-- @raise when path is not a string
function M.load(path)
  args.check_type("load", 1, path, "string")
  local chunk, err = loadfile(path)
  if not chunk then return nil, err end
  local ok, t = pcall(chunk)
  if not ok then return nil, path .. ": " .. tostring(t) end
  if type(t) ~= "table" then return nil, path .. ": a profile is a table, got " .. type(t) end
  local ok2, profile = pcall(function() return build(args.deep("payer", 1, t)) end)
  if not ok2 then return nil, path .. ": " .. tostring(profile) end
  return profile
end

local resolved = {}

--- The built-in profile for a payer kind (other -> commercial).
function M.for_kind(kind)
  local name = (kind == "medicare" or kind == "medicaid") and kind or "commercial"
  if not resolved[name] then resolved[name] = build({ extends = name }) end
  return resolved[name]
end

--- True when v is a profile made by bhclaim.payer.
function M.is_profile(v)
  return type(v) == "table" and rawequal(getmetatable(v), profile_mt)
end

--- A built-in profile by name.
function M.builtin(name)
  if not BUILTIN[name] then return nil end
  return M.for_kind(name)
end

return M
