--- bhclaim: check and prepare behavioral-health insurance claims.
-- The workflow layer over the C core (bhclaim.core): argument checking, the
-- report objects, look-ups and help. A bad claim never raises: it gets
-- findings. Misusing the API raises, naming the function and argument.
-- @module bhclaim
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")
local report = require("bhclaim.report")
local codes = require("bhclaim.codes")
local payer = require("bhclaim.payer")
local rules = require("bhclaim.rules")
local session = require("bhclaim.session")
local telehealth = require("bhclaim.telehealth")
local format, concat = string.format, table.concat

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

-- Raises "bad argument #n to 'fname' (msg)" at the caller of the public
-- function; `depth` counts the helper frames between (0 when called from
-- the public function itself).
local function argerror(fname, n, msg, depth)
  error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg), 3 + (depth or 0))
end

-- The NCCI edit table checks use unless opts.ncci names another: the
-- compiled-in edits plus whatever bhclaim.ncci.load brought in.
local default_ncci

local function ncci_table()
  if not default_ncci then default_ncci = core.ncci() end
  return default_ncci
end

local default_profiles

-- The built-in profiles, compiled, by payer kind: the core picks the one
-- for the claim's payer.kind when no profile is given.
local function profiles_by_kind()
  if not default_profiles then
    default_profiles = {
      medicare = payer.for_kind("medicare"):compiled(),
      medicaid = payer.for_kind("medicaid"):compiled(),
      commercial = payer.for_kind("commercial"):compiled(),
    }
  end
  return default_profiles
end

local OPTION_KEYS = { today = true, payer = true, rules = true, disable = true, ncci = true,
  provider_kind = true, summary = true }
local PROVIDER_KINDS = { practitioner = true, fqhc = true, rhc = true, cah_method_ii = true,
  hospital_outpatient = true }

local function resolve_payer(value)
  if value == nil then return nil end
  if type(value) == "string" then
    local p = payer.builtin(value)
    if not p then
      argerror("check", 2, "field 'payer' names no built-in profile: " .. value, 1)
    end
    return p
  end
  if type(value) == "table" and getmetatable(value) ~= nil and value.compiled then
    return value
  end
  argerror("check", 2, "field 'payer' must be a profile from bhclaim.payer or a built-in name", 1)
end

local function resolve_rule_sets(value)
  if value == nil then return {} end
  if rules.is_set(value) then return { value } end
  if type(value) == "table" then
    for i, set in ipairs(value) do
      if not rules.is_set(set) then
        argerror("check", 2, "field 'rules[" .. i .. "]' is not a rule set (bhclaim.ruleset)",
          1)
      end
    end
    return value
  end
  argerror("check", 2, "field 'rules' must be a rule set or a list of them", 1)
end

-- { ["doc.plan"] = "reason" } or { {rule = "doc.plan", reason = "..."} }
local function resolve_disabled(value)
  local out = {}
  if value == nil then return out end
  if type(value) ~= "table" then argerror("check", 2, "field 'disable' must be a table", 1) end
  for k, v in pairs(value) do
    if type(k) == "string" then
      out[k] = type(v) == "string" and v or "disabled"
    elseif type(v) == "table" and type(v.rule) == "string" then
      out[v.rule] = type(v.reason) == "string" and v.reason or "disabled"
    else
      argerror("check", 2, "field 'disable' maps rule ids to reasons", 1)
    end
  end
  return out
end

local function check_options(opts)
  if opts ~= nil and type(opts) ~= "table" then
    argerror("check", 2, "table expected, got " .. type(opts), 1)
  end
  opts = opts or {}
  for k in pairs(opts) do
    if not OPTION_KEYS[k] then
      argerror("check", 2, "unknown option '" .. tostring(k) .. "'", 1)
    end
  end
  local date = os.date("%Y-%m-%d")
  if opts.provider_kind ~= nil and not PROVIDER_KINDS[opts.provider_kind] then
    argerror("check", 2, "field 'provider_kind' must be practitioner, fqhc, rhc, "
      .. "cah_method_ii or hospital_outpatient", 1)
  end
  if opts.today ~= nil then
    date = opts.today
    if date ~= false and (type(date) ~= "string" or
        not date:match("^%d%d%d%d%-%d%d%-%d%d$")) then
      argerror("check", 2, "field 'today' must be a date as YYYY-MM-DD or false", 1)
    end
    if date == false then date = nil end
  end
  return date, opts
end

-- Drops the findings of disabled rules, recording each rule once with its
-- reason and how many findings it would have made.
local function apply_disabled(findings, disabled)
  local kept, records, seen = {}, {}, {}
  for _, f in ipairs(findings) do
    if disabled[f.rule] then
      if not seen[f.rule] then
        seen[f.rule] = { rule = f.rule, reason = disabled[f.rule], suppressed = 0 }
        records[#records + 1] = seen[f.rule]
      end
      seen[f.rule].suppressed = seen[f.rule].suppressed + 1
    else
      kept[#kept + 1] = f
    end
  end
  for rule, reason in pairs(disabled) do
    if not seen[rule] then
      records[#records + 1] = { rule = rule, reason = reason, suppressed = 0 }
    end
  end
  table.sort(records, function(a, b) return a.rule < b.rule end)
  return kept, records
end

--- Checks one claim.
-- @param claim a table in the claim JSON form (docs/claim-json.md), or its JSON text
-- @tparam[opt] table opts
--   `today` ("YYYY-MM-DD", default the machine's date; `false` turns the
--   future-date check off);
--   `payer` (a profile from bhclaim.payer, or "medicare", "medicaid",
--   "commercial"; default: the built-in profile for the claim's payer.kind);
--   `rules` (a rule set from bhclaim.ruleset, or a list of them);
--   `disable` ({ ["doc.plan"] = "reason" }: core or custom rules turned off,
--   recorded in report.disabled);
--   `ncci` (a table from bhclaim.ncci.new; default the module's, see
--   bhclaim.ncci.load);
--   `provider_kind` (practitioner, fqhc, rhc, cah_method_ii,
--   hospital_outpatient: for the telehealth rules; default practitioner);
--   `summary` (true: report.summary = {patient, date, codes, cents}, what a
--   batch report prints, so a caller holding JSON text need not decode it)
-- @treturn[1] table report: `ok`, `claim_id`, `findings`, `counts`,
--   `disabled`; prints as text
-- @return[2] nil (JSON text that does not parse)
-- @treturn[2] string "line L, byte B: ..."
-- @treturn[2] string error id ("json.syntax", "json.depth", "json.nul")
-- @raise when claim is neither a table nor a string, or opts is malformed
function M.check(claim, opts)
  local kind = type(claim)
  if kind ~= "table" and kind ~= "string" then
    argerror("check", 1, "table or JSON string expected, got " .. kind)
  end
  local date
  date, opts = check_options(opts)
  local profile = resolve_payer(opts.payer)
  local sets = resolve_rule_sets(opts.rules)
  local disabled = resolve_disabled(opts.disable)
  local findings, claim_id, extra = core.check(claim, date,
    profile and profile:compiled() or nil, opts.ncci or ncci_table(), profiles_by_kind(),
    opts.provider_kind, opts.summary == true)
  if findings == nil then return nil, claim_id, extra end
  local records
  if next(disabled) ~= nil then findings, records = apply_disabled(findings, disabled) end
  local r = report.new(findings, claim_id)
  r.disabled = records or {}
  if opts.summary == true then r.summary = extra end
  if #sets > 0 then
    local claim_table = claim
    if kind == "string" then claim_table = core.decode(claim) end
    rules.run(sets, claim_table, r, disabled)
  end
  return r
end

--- Payer profiles: bhclaim.payer{ extends = "medicaid", ... } builds one,
-- bhclaim.payers.load(path) reads one from a file.
M.payer = payer.new
M.payers = { load = payer.load, builtin = payer.builtin, validate = payer.validate }

--- Group sessions: bhclaim.session(t_or_json) -> session with
-- :claims() and :check() (lua/bhclaim/session.lua).
M.session = session.new

--- Telehealth: bhclaim.telehealth.derive{code=, date=, payer=, modality=,
-- patient_location=, provider_kind=, last_in_person=}.
M.telehealth = { derive = telehealth.derive }

--- X12 837P (005010X222A1).
M.x12 = {}

--- Writes claims as one 837P interchange.
-- @tparam table claims list of claim tables
-- @tparam table opts envelope: `sender_id`, `receiver_id`, `submitter_name`,
--   `submitter_id`, `contact_name`, `contact_phone`, `receiver_name`,
--   `receiver_id_1000b`, `date`, `time` ("HHMM") are required;
--   `interchange_control`, `group_control`, `transaction_control`, `usage`
--   ("T"/"P"), separators and `newlines` are optional;
--   `check` (options for bhclaim.check: today, payer, rules...) and
--   `unchecked` (true: skip the check, for claims checked elsewhere)
-- @treturn[1] string the interchange
-- @return[2] nil
-- @treturn[2] string which claim and field could not be written, or which
--   claim check refused and the rule ids of its errors
-- @treturn[2] string "x12.claim", or "x12.check" for a claim check refused
function M.x12.write(claims, opts)
  if type(claims) ~= "table" then argerror("write", 1, "table expected, got " .. type(claims)) end
  if type(opts) ~= "table" then argerror("write", 2, "table expected, got " .. type(opts)) end
  if opts.check ~= nil and type(opts.check) ~= "table" then
    argerror("write", 2, "opts.check must be a table")
  end
  if not opts.unchecked then
    -- A claim with error findings is refused: what is written has passed check.
    for i = 1, #claims do
      local reason = M.x12.refusal(claims[i], opts.check)
      if reason then return nil, format("claim %d: %s", i, reason), "x12.check" end
    end
  end
  return core.x12_write(claims, opts)
end

--- Why export refuses a claim after checking it, or nil when it has no error.
-- @param claim a claim table or its JSON text
-- @tparam[opt] table check_opts options for bhclaim.check
-- @treturn[1] nil the claim has no error finding
-- @treturn[2] string "<id>: refused by check: <rule> at <path>, ..."
function M.x12.refusal(claim, check_opts)
  local r, msg = M.check(claim, check_opts)
  if not r then return msg end
  if r.ok then return nil end
  local errors = {}
  for _, f in ipairs(r.findings) do
    if f.severity == "error" then errors[#errors + 1] = f.rule .. " at " .. f.path end
  end
  return format("%s: refused by check: %s", tostring(r.claim_id), concat(errors, ", "))
end

--- Reads an 837P interchange.
-- @tparam string text
-- @tparam[opt] table opts `lenient` (ignore segment-count mismatches in
--   files made elsewhere)
-- @treturn table claims
-- @treturn table envelope (as write takes it)
-- @treturn[opt] string on a structural error: "segment N (ID): ..."; the
--   claims read before it are returned
function M.x12.read(text, opts)
  if type(text) ~= "string" then argerror("read", 1, "string expected, got " .. type(text)) end
  return core.x12_read(text, type(opts) == "table" and opts.lenient or false)
end

--- Reads an 837P interchange and checks every claim in it, in one pass in
-- the core (no claim tables are built unless opts.rules needs them).
-- @tparam string text
-- @tparam[opt] table opts as for check (today, payer, disable, ncci,
--   provider_kind, rules), plus `lenient`
-- @treturn table reports, one per claim, each with `summary`
-- @treturn table envelope
-- @treturn[opt] string on a structural error: "segment N (ID): ..."; the
--   reports of the claims before it are returned
function M.x12.check(text, opts)
  if type(text) ~= "string" then argerror("check", 1, "string expected, got " .. type(text)) end
  local lenient = type(opts) == "table" and opts.lenient or false
  local check_opts = {}
  for k, v in pairs(opts or {}) do
    if k ~= "lenient" then check_opts[k] = v end
  end
  if check_opts.rules then
    -- Lua rules read claim tables: read them, then check each.
    local claims, env, err = core.x12_read(text, lenient)
    local out = {}
    check_opts.summary = true
    for i, claim in ipairs(claims) do out[i] = M.check(claim, check_opts) end
    return out, env, err
  end
  local date
  date, check_opts = check_options(check_opts)
  local profile = resolve_payer(check_opts.payer)
  local by_kind = profiles_by_kind()
  if profile then
    local c = profile:compiled()
    by_kind = { medicare = c, medicaid = c, commercial = c }
  end
  local disabled = resolve_disabled(check_opts.disable)
  if next(disabled) == nil then
    -- The core builds the finished reports: nothing to filter in Lua.
    return core.x12_check(text, lenient, date, by_kind, check_opts.ncci or ncci_table(),
      check_opts.provider_kind, report.report_mt, report.finding_mt)
  end
  local results, env, err = core.x12_check(text, lenient, date, by_kind,
    check_opts.ncci or ncci_table(), check_opts.provider_kind)
  local out = {}
  for i, res in ipairs(results) do
    local findings, records = res.findings, nil
    if next(disabled) ~= nil then findings, records = apply_disabled(findings, disabled) end
    local r = report.new(findings, res.id)
    r.disabled = records or {}
    r.summary = res.summary
    out[i] = r
  end
  return out, env, err
end

--- Rule sets of Lua rules: bhclaim.ruleset(name, { rule, ... }).
M.ruleset = rules.set
M.rules = { load = rules.load }

--- NCCI tables: bhclaim.ncci.load{ ptp = path, mue = path [, mue_from = date] }
-- brings CMS's practitioner PTP and MUE files into the edits checks use.
M.ncci = {}

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("*a")
  f:close()
  return text
end

--- A fresh NCCI table holding only the compiled-in edits.
function M.ncci.new()
  return core.ncci()
end

--- Loads CMS files into an NCCI table (default: the module's own).
-- @tparam table files `ptp` (path of a practitioner PTP text file), `mue`
--   (path of a practitioner MUE CSV), `mue_from` (its effective date; taken
--   from an "Eff_MM-DD-YYYY" file name when absent), `into` (a table from
--   bhclaim.ncci.new)
-- @treturn[1] table counts {ptp = n, mue = n}
-- @return[2] nil
-- @treturn[2] string "file: line N: what was expected"
function M.ncci.load(files)
  if type(files) ~= "table" then argerror("load", 1, "table expected, got " .. type(files)) end
  local target = files.into or ncci_table()
  local counts = { ptp = 0, mue = 0 }
  if files.ptp then
    local text, err = read_file(files.ptp)
    if not text then return nil, err end
    local n, msg = target:load_ptp(text, "CMS NCCI practitioner PTP file " .. files.ptp)
    if not n then return nil, files.ptp .. ": " .. msg end
    counts.ptp = n
  end
  if files.mue then
    local from = files.mue_from
    if not from then
      local m, d, y = files.mue:match("Eff_(%d%d)%-(%d%d)%-(%d%d%d%d)")
      if not m then return nil, files.mue .. ": give mue_from (no Eff_MM-DD-YYYY in the name)" end
      from = y .. "-" .. m .. "-" .. d
    end
    local text, err = read_file(files.mue)
    if not text then return nil, err end
    local n, msg = target:load_mue(text, from, "CMS NCCI practitioner MUE file " .. files.mue)
    if not n then return nil, files.mue .. ": " .. msg end
    counts.mue = n
  end
  return counts
end

--- The module's NCCI table (compiled-in plus loaded edits).
function M.ncci.table()
  return ncci_table()
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
