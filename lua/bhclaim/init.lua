--- bhclaim: check and prepare behavioral-health insurance claims.
-- The workflow layer over the C core (bhclaim.core): argument checking, the
-- report objects, look-ups and help. A bad claim never raises: it gets
-- findings. Misusing the API raises, naming the function and argument.
-- @module bhclaim
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")
local report = require("bhclaim.report")
local codes = require("bhclaim.codes")

local M = {
  version = core.version,
  _VERSION = "bhclaim " .. core.version,
  --- JSON null (a NULL light userdata, equal to cjson.null and ngx.null).
  null = core.null,
  --- Metatable marking a table as a JSON array (empty ones included).
  array_mt = core.array_mt,
  codes = { icd10 = codes.icd10, cpt = codes.cpt, modifier = codes.modifier, pos = codes.pos },
  npi = codes.npi,
  tin = codes.tin,
  taxonomy = codes.taxonomy,
}

local function argerror(fname, n, msg)
  error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg), 3)
end

local function today()
  return os.date("%Y-%m-%d")
end

--- Checks one claim.
-- @param claim a table in the claim JSON form (docs/claim-json.md), or its JSON text
-- @tparam[opt] table opts `today` ("YYYY-MM-DD", default the machine's date;
--   `false` turns the future-date check off)
-- @treturn[1] table report: `ok`, `claim_id`, `findings`, `counts`; prints as text
-- @return[2] nil (JSON text that does not parse)
-- @treturn[2] string "line L, byte B: ..."
-- @treturn[2] string error id ("json.syntax", "json.depth", "json.nul")
-- @raise when claim is neither a table nor a string, or opts is malformed
function M.check(claim, opts)
  local kind = type(claim)
  if kind ~= "table" and kind ~= "string" then
    argerror("check", 1, "table or JSON string expected, got " .. kind)
  end
  if opts ~= nil and type(opts) ~= "table" then
    argerror("check", 2, "table expected, got " .. type(opts))
  end
  local date = today()
  if opts and opts.today ~= nil then
    date = opts.today
    if date ~= false and (type(date) ~= "string" or
        not date:match("^%d%d%d%d%-%d%d%-%d%d$")) then
      argerror("check", 2, "field 'today' must be a date as YYYY-MM-DD or false")
    end
    if date == false then date = nil end
  end
  local findings, claim_id, err_id = core.check(claim, date)
  if findings == nil then return nil, claim_id, err_id end
  return report.new(findings, claim_id)
end

--- Decodes JSON text (objects to tables, arrays marked with array_mt, null to
-- bhclaim.null).
-- @tparam string json
-- @return[1] the value
-- @return[2] nil
-- @treturn[2] string "line L, byte B: ..."
-- @treturn[2] string error id
function M.decode(json)
  if type(json) ~= "string" then argerror("decode", 1, "string expected, got " .. type(json)) end
  return core.decode(json)
end

--- Encodes a Lua value as JSON; unknown keys are kept, known keys come first
-- in the contract's order.
-- @param value
-- @treturn string
-- @raise when the value holds something JSON cannot (function, userdata, cycle)
function M.encode(value)
  if value == nil then argerror("encode", 1, "value expected") end
  local ok, result = pcall(core.encode, value)
  if not ok then error(result, 2) end
  return result
end

local HELP = [[
bhclaim %s - check behavioral-health claims before they are sent

  report = bhclaim.check(claim [, {today="YYYY-MM-DD"}])
      claim: a table or JSON text (docs/claim-json.md); print(report)
      report.ok, report.findings[i].rule/.severity/.path/.message/.hint
  claim = bhclaim.decode(json)        json = bhclaim.encode(claim)
  bhclaim.codes.icd10("F33.1" [, date])   bhclaim.codes.cpt("90853")
  bhclaim.codes.pos("10")                 bhclaim.codes.modifier("95")
  bhclaim.npi.valid("1234567893")         bhclaim.tin.valid("12-3456789")
  bhclaim.taxonomy.valid("1041C0700X")

Rule ids and what they mean: docs/rules.md]]

--- A short guide to the module.
-- @treturn string
function M.help()
  return string.format(HELP, core.version)
end

return M
