--- Code and identifier look-ups for scripts and the interactive prompt.
-- Every result is a table that prints as one readable line.
-- @module bhclaim.codes
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")

local M = {}

local function check_string(fname, value, arg)
  if type(value) ~= "string" then
    error(string.format("bad argument #%d to '%s' (string expected, got %s)",
      arg, fname, type(value)), 3)
  end
end

local function check_date(fname, value, arg)
  if value ~= nil and (type(value) ~= "string" or not value:match("^%d%d%d%d%-%d%d%-%d%d$")) then
    error(string.format("bad argument #%d to '%s' (date expected as YYYY-MM-DD, got %s)",
      arg, fname, type(value) == "string" and ("'" .. value .. "'") or type(value)), 3)
  end
end

local icd10_mt = {}
function icd10_mt.__tostring(c)
  local what
  if c.billable then
    what = "billable"
  else
    what = "category, not billable (code a more specific code)"
  end
  local title = c.description or
    (c.category_title and ("in category " .. c.code:sub(1, 3) .. " " .. c.category_title)) or
    "no title carried"
  return string.format("ICD-10-CM %s (FY%d): %s - %s", c.dotted, c.fiscal_year, what, title)
end

--- Looks up an ICD-10-CM code for a date of service.
-- @tparam string code "F33.1" or "F331", any case
-- @tparam[opt] string date "YYYY-MM-DD" (default: the newest year carried)
-- @treturn[1] table {code, dotted, billable, status, fiscal_year, description,
--   category_title, billable_in, header_in}
-- @return[2] nil
-- @treturn[2] string why the code is not one of that year
function M.icd10(code, date)
  check_string("icd10", code, 1)
  check_date("icd10", date, 2)
  local info = core.icd10(code, date)
  if info.status == "invalid" then
    local msg = string.format("%s is not an ICD-10-CM code in FY%d", code, info.fiscal_year)
    if info.billable_in then msg = msg .. " (it is billable in FY" .. info.billable_in .. ")" end
    if info.header_in then msg = msg .. " (it is a category in FY" .. info.header_in .. ")" end
    return nil, msg
  end
  info.billable = info.status == "billable"
  return setmetatable(info, icd10_mt)
end

local procedure_mt = {}
function procedure_mt.__tostring(c)
  local dates = ""
  if c.from or c.to then
    dates = string.format(" [%s to %s]", c.from or "...", c.to or "...")
  end
  return string.format("%s %s%s%s: %s", c.kind, c.code, c.addon and " (add-on)" or "", dates,
    c.description or "")
end

--- Looks up a CPT (behavioral-health catalogue) or HCPCS Level II code.
-- @tparam string code
-- @treturn[1] table {code, kind, addon, from, to, description, short_description, source}
-- @return[2] nil
-- @treturn[2] string why it is not known
function M.cpt(code)
  check_string("cpt", code, 1)
  local info = core.procedure(code)
  if not info.known then
    if info.kind == "not a procedure code" then
      return nil, code .. " is not a CPT or HCPCS code shape"
    end
    return nil, string.format("%s has the %s shape but is not in the %s", code, info.kind,
      info.kind == "HCPCS Level II" and "CMS HCPCS file" or "behavioral-health catalogue")
  end
  if info.kind == "HCPCS Level II" then
    -- data/PROVENANCE.md: the carried CMS file drops termination dates, so
    -- a listed code may have been terminated already.
    info.note = "listed in the January 2026 CMS HCPCS file, which carries no termination "
      .. "dates: a code terminated earlier may still be listed"
  end
  return setmetatable(info, procedure_mt)
end

local simple_mt = {}
function simple_mt.__tostring(c)
  return string.format("%s %s: %s", c.label, c.code, c.description or c.name or "")
end

--- Looks up a CPT or HCPCS modifier.
-- @tparam string code two characters, e.g. "95" or "HQ"
-- @treturn[1] table {code, level, description, source}
-- @return[2] nil
-- @treturn[2] string
function M.modifier(code)
  check_string("modifier", code, 1)
  local info = core.modifier(code)
  if not info.known then return nil, code .. " is not a known CPT or HCPCS modifier" end
  info.label = info.level .. " modifier"
  return setmetatable(info, simple_mt)
end

--- Looks up a place-of-service code.
-- @tparam string code two digits, e.g. "10"
-- @treturn[1] table {code, name, from, telehealth, source}
-- @return[2] nil
-- @treturn[2] string
function M.pos(code)
  check_string("pos", code, 1)
  local info = core.pos(code)
  if not info.known then return nil, code .. " is not a CMS place-of-service code" end
  info.label = "POS"
  return setmetatable(info, simple_mt)
end

local function validator(fname, core_fn, reason)
  return function(s)
    check_string(fname, s, 1)
    if core_fn(s) then return true end
    return false, reason
  end
end

M.npi = { valid = validator("valid", core.npi_valid,
  "not 10 digits starting with 1 or 2 with a valid check digit") }
M.tin = { valid = validator("valid", core.tin_valid,
  "not nine digits (EIN XX-XXXXXXX or SSN XXX-XX-XXXX), or all zeros") }
M.taxonomy = { valid = validator("valid", core.taxonomy_valid,
  "not nine upper-case letters or digits followed by X") }

return M
