--- Printing what the X12 answers hold (remittances, acknowledgements):
-- the indented lines of a list (adjustments, remarks, errors, status
-- texts), the remark line, and the list read() returns, which prints as
-- its items one after the other. bhclaim.remit, bhclaim.ack and the
-- remit and ack commands (cli_remit.lua) print through these, so that a
-- list is laid out one way. Internal: not part of the public API.
-- @module bhclaim.listing
-- SPDX-License-Identifier: MIT

local M = {}

local format, concat = string.format, table.concat

local function as_text(x)
  return tostring(x)
end

--- Appends to `out` the lines of each item of `list` (nil: none), each
-- line after `indent`: the lines are what describe(item) returns (one or
-- more strings; default tostring(item)).
-- @tparam table out lines so far
-- @tparam table|nil list items
-- @tparam string indent
-- @tparam[opt] function describe
function M.add_lines(out, list, indent, describe)
  describe = describe or as_text
  for _, item in ipairs(list or {}) do
    local lines = { describe(item) }
    for _, line in ipairs(lines) do out[#out + 1] = indent .. line end
  end
end

-- A remark (RARC or MOA/MIA code, explained) as "remark CODE: text".
local function remark_line(r)
  return format("remark %s: %s", r.code, r.text)
end

--- Appends the adjustments of a claim payment or a service line, then its
-- remarks, four spaces in under it: each adjustment as
-- describe_adjustment(a) says (one or more lines), each remark as
-- "remark CODE: text".
-- @tparam table out lines so far
-- @tparam table x an explained claim, line or report entry
-- @tparam function describe_adjustment
function M.add_adjustments(out, x, describe_adjustment)
  M.add_lines(out, x.adjustments, "    ", describe_adjustment)
  M.add_lines(out, x.remarks, "    ", remark_line)
end

-- Read lists print as their items, a blank line between two.
local list_mt = { __tostring = function(list)
  local out = {}
  for i, x in ipairs(list) do out[i] = tostring(x) end
  return concat(out, "\n\n")
end }

--- The read() of bhclaim.remit and bhclaim.ack: `text` read by the core's
-- reader `reader` (a bhclaim.core function name: "remit_read",
-- "ack_read"), the list explained by `explain` and given a metatable that
-- prints it (print(bhclaim.remit.read(text)) at the prompt).
-- @tparam string text
-- @tparam string reader
-- @tparam function explain
-- @treturn[1] table the explained list
-- @return[2] nil
-- @treturn[2] string message
-- @treturn[2] string error id
-- @raise bad argument #1 to 'read' when text is not a string (at the
--   caller of read)
function M.read(text, reader, explain)
  if type(text) ~= "string" then
    error("bad argument #1 to 'read' (string expected, got " .. type(text) .. ")", 3)
  end
  local list, msg, id = require("bhclaim.core")[reader](text)
  if not list then return nil, msg, id end
  return setmetatable(explain(list), list_mt)
end

return M
