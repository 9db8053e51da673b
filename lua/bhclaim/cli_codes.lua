--- `bhclaim codes`: looks up ICD-10-CM, CPT/HCPCS, modifier and place of
-- service codes (bhclaim.codes).
-- @module bhclaim.cli_codes
-- SPDX-License-Identifier: MIT

local bhclaim = require("bhclaim")
local reports = require("bhclaim.reports")
local U = require("bhclaim.cli_util")

local M = {}

local format, concat = string.format, table.concat
local valid_date, date_error, choice_error, plain = U.valid_date, U.date_error,
  U.choice_error, U.plain

M.HELP = [[
usage: bhclaim codes [--date YYYY-MM-DD] [CODE...] [--icd10 C] [--cpt C]
                     [--modifier C] [--pos C] [--format text|json]

Looks codes up. A bare CODE is tried as every kind its shape allows
(F33.1 ICD-10-CM; 90853 CPT; H0004 HCPCS or ICD-10-CM; HQ, 95 modifier;
10 place of service or modifier) and each kind that knows it answers.
--date chooses the ICD-10-CM fiscal year by date of service.

exit status: 0 every code found, 1 some code not found, 2 usage.]]

-- The kinds a bare code's shape allows, most likely first.
local function kinds_for(code)
  local c = code:upper()
  local kinds = {}
  if c:match("^%d%d$") then return { "pos", "modifier" } end
  if c:match("^%w%w$") then return { "modifier" } end
  if c:match("^%a%d[%dA-Z]%.?[%dA-Z]*$") and #c <= 8 then kinds[#kinds + 1] = "icd10" end
  if c:match("^%d%d%d%d[%dA-Z]$") or c:match("^%a%d%d%d%d$") then
    table.insert(kinds, c:match("^%a%d%d%d%d$") and 1 or #kinds + 1, "cpt")
  end
  return kinds
end

local LOOKUPS = {
  icd10 = function(code, date) return bhclaim.codes.icd10(code, date) end,
  cpt = function(code) return bhclaim.codes.cpt(code) end,
  modifier = function(code) return bhclaim.codes.modifier(code) end,
  pos = function(code) return bhclaim.codes.pos(code) end,
}

local function lookup(code, kinds, date)
  local found, misses = {}, {}
  for _, kind in ipairs(kinds) do
    local info, why = LOOKUPS[kind](code, date)
    if info then found[#found + 1] = { kind = kind, info = info } else misses[#misses + 1] = why end
  end
  return found, misses
end

--- Runs `codes` (a: the parsed command line; env: as cli.main's).
function M.run(a, env)
  local date = a.opts.date
  if date and not valid_date(date) then return nil, date_error("--date", date) end
  if a.opts.format then
    local msg = choice_error("--format", a.opts.format, { "text", "json" })
    if msg then return nil, msg end
  end
  local queries = {}
  for _, code in ipairs(a.args) do queries[#queries + 1] = { code, kinds_for(code) } end
  for _, kind in ipairs({ "icd10", "cpt", "modifier", "pos" }) do
    for _, code in ipairs(a.lists[kind] or {}) do queries[#queries + 1] = { code, { kind } } end
  end
  if #queries == 0 then return nil, "codes wants at least one code" end
  local json, status = a.opts.format == "json", 0
  for _, q in ipairs(queries) do
    local found, misses = lookup(q[1], q[2], date)
    if #found == 0 then
      status = 1
      local why = #misses > 0 and concat(misses, "; ") or "not the shape of any code"
      env.out:write(json and format('{"code":%s,"found":false,"message":%s}\n',
        reports.json_string(q[1]), reports.json_string(why)) or (q[1] .. ": " .. why .. "\n"))
    end
    for _, f in ipairs(found) do
      env.out:write(json and format('{"code":%s,"found":true,"kind":%s,"result":%s}\n',
        reports.json_string(q[1]), reports.json_string(f.kind), reports.json_encode(plain(f.info)))
        or (tostring(f.info) .. "\n"))
    end
  end
  return status
end

return M
