--- Argument checking shared by the Lua API: the `bad argument` errors, and
-- raw copies of argument tables, so that a caller's metatables (__index,
-- __pairs, __len... that raise or lie) and cycles never run inside the
-- library. Internal: not part of the public API.
-- @module bhclaim.args
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")

local M = {}

-- The same limit as the core's JSON readers and table walkers (BH_MAX_DEPTH).
M.MAX_DEPTH = 200

--- Raises "bad argument #n to 'fname' (msg)" at `level` (default: the
-- caller of the function that calls this).
function M.argerror(fname, n, msg, level)
  error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg), (level or 2) + 1)
end

--- Raises unless `value` is of type `wanted` (or nil when `optional`).
function M.check_type(fname, n, value, wanted, optional, level)
  if type(value) == wanted or (optional and value == nil) then return value end
  M.argerror(fname, n, wanted .. " expected, got " .. type(value), (level or 2) + 1)
end

--- A table's fields read raw (no __pairs, no __index), in a plain table.
-- @raise bad argument when t is not a table (nil allowed when `optional`)
function M.shallow(fname, n, t, optional, level)
  if t == nil and optional then return {} end
  M.check_type(fname, n, t, "table", false, (level or 2) + 1)
  local out = {}
  for k, v in next, t do out[k] = v end
  return out
end

-- "participants[2].address" from the keys walked so far.
local function render(keys, n)
  local parts = {}
  for i = 1, n do
    local k = keys[i]
    if type(k) == "number" then
      parts[#parts + 1] = "[" .. tostring(k) .. "]"
    else
      parts[#parts + 1] = (#parts > 0 and "." or "") .. tostring(k)
    end
  end
  return table.concat(parts)
end

--- A deep copy read raw: metatables are dropped (bhclaim.array_mt kept),
-- a cycle or nesting deeper than MAX_DEPTH raises a bad argument naming
-- the path. Tables shared by two fields are copied twice, as JSON would.
function M.deep(fname, n, t, level)
  level = (level or 2) + 2  -- copy's frames sit between argerror and deep
  local open, keys = {}, {}
  local function copy(v, depth)
    if type(v) ~= "table" then return v end
    if open[v] then
      M.argerror(fname, n, "a cycle back to an enclosing table at " .. render(keys, depth),
        level + depth)
    end
    if depth >= M.MAX_DEPTH then
      M.argerror(fname, n, "a table nested more than " .. M.MAX_DEPTH .. " levels deep at "
        .. render(keys, depth), level + depth)
    end
    open[v] = true
    local out = {}
    for k, x in next, v do
      keys[depth + 1] = k
      out[k] = copy(x, depth + 1)
    end
    keys[depth + 1] = nil
    open[v] = nil
    if rawequal(getmetatable(v), core.array_mt) then setmetatable(out, core.array_mt) end
    return out
  end
  local out = copy(t, 0)  -- not a tail call: error levels count this frame
  return out
end

return M
