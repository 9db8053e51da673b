--- Payer profiles: the numbers and lists a payer (or a state program) sets,
-- as Lua tables a practice reads and edits. A profile is checked field by
-- field (a wrong name or type is refused, never ignored), then compiled
-- for the C core.
-- @module bhclaim.payer
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")
local args = require("bhclaim.args")

local M = {}

-- The built-in profiles (lua/bhclaim/payers/), one per payer kind but other.
local BUILTIN = {}
for _, kind in ipairs(core.names.payer_kind) do
  if kind ~= "other" then BUILTIN[kind] = true end
end

-- Raised without position: the public functions re-raise it as a bad
-- argument at their caller, payer.load returns it.
local function fail(profile_name, msg)
  error(string.format("%s%s", profile_name and
    ("profile '" .. profile_name .. "': ") or "", msg), 0)
end

-- The fields, their types, ranges and allowed values are the core's one
-- profile schema (csrc/lua/profile.c), which also compiles the profile.
local function validate(t)
  if type(t) ~= "table" then fail(nil, "a profile is a table, got " .. type(t)) end
  local ok, msg = core.profile_check(t)
  if not ok then error(msg, 0) end
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
