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
local args = require("bhclaim.args")
local batch = require("bhclaim.batch")
local eligibility = require("bhclaim.eligibility")
local coverage = require("bhclaim.coverage")
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
  provider_kind = true, summary = true, together = true }
local PROVIDER_KINDS = { practitioner = true, fqhc = true, rhc = true, cah_method_ii = true,
  hospital_outpatient = true }

local function resolve_payer(value, fname)
  if value == nil then return nil end
  fname = fname or "check"
  if type(value) == "string" then
    local p = payer.builtin(value)
    if not p then
      argerror(fname, 2, "field 'payer' names no built-in profile: " .. value, 1)
    end
    return p
  end
  if payer.is_profile(value) then return value end
  argerror(fname, 2, "field 'payer' must be a profile from bhclaim.payer or a built-in name", 1)
end

local function resolve_rule_sets(value, fname)
  if value == nil then return {} end
  fname = fname or "check"
  if rules.is_set(value) then return { value } end
  if type(value) == "table" then
    value = args.shallow("check", 2, value, false, 3)
    for i, set in ipairs(value) do
      if not rules.is_set(set) then
        argerror(fname, 2, "field 'rules[" .. i .. "]' is not a rule set (bhclaim.ruleset)",
          1)
      end
    end
    return value
  end
  argerror(fname, 2, "field 'rules' must be a rule set or a list of them", 1)
end

-- Every rule id a check can report: the core's catalogue, plus the ids of
-- the custom rules given.
local catalogue_ids

local function known_rule_ids(sets)
  if not catalogue_ids then
    catalogue_ids = {}
    for _, row in ipairs(core.rules_catalog()) do catalogue_ids[row.rule] = true end
  end
  local ids = setmetatable({}, { __index = catalogue_ids })
  for _, set in ipairs(sets or {}) do
    for _, rule in ipairs(set.rules) do ids[rule.id] = true end
  end
  return ids
end

-- Edit distance of two short strings (for "did you mean").
local function distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

-- The known ids nearest an unknown one: within a third of its length in
-- edits, or sharing its family prefix ("doc." for "doc.plans").
local function near_matches(id, ids)
  local out, family = {}, id:match("^([^.]+%.)")
  local all = {}
  for k in pairs(catalogue_ids) do all[#all + 1] = k end
  for k in pairs(ids) do all[#all + 1] = k end
  table.sort(all)
  local seen = {}
  for _, k in ipairs(all) do
    if not seen[k] and (distance(id, k) <= math.max(2, math.floor(#id / 3))
        or (family and k:sub(1, #family) == family)) then
      out[#out + 1] = k
      seen[k] = true
    end
  end
  return out
end

-- { ["doc.plan"] = "reason" } or { {rule = "doc.plan", reason = "..."} };
-- an id no check reports is a misuse and raises, naming near matches.
local function resolve_disabled(value, sets, fname)
  local out = {}
  if value == nil then return out end
  fname = fname or "check"
  if type(value) ~= "table" then argerror(fname, 2, "field 'disable' must be a table", 1) end
  for k, v in next, value do
    if type(k) == "string" then
      out[k] = type(v) == "string" and v or "disabled"
    elseif type(v) == "table" and type(rawget(v, "rule")) == "string" then
      local reason = rawget(v, "reason")
      out[rawget(v, "rule")] = type(reason) == "string" and reason or "disabled"
    else
      argerror(fname, 2, "field 'disable' maps rule ids to reasons", 1)
    end
  end
  local ids = known_rule_ids(sets)
  for id in pairs(out) do
    if not ids[id] then
      local near = near_matches(id, ids)
      argerror(fname, 2, string.format("field 'disable' names no rule: '%s'%s", id,
        #near > 0 and (" (near: " .. table.concat(near, ", ") .. ")") or ""), 1)
    end
  end
  return out
end

-- What check_options reads when no options are given, and what check
-- uses when opts has no rules or nothing disabled: shared, never written.
local NO_OPTIONS, NO_RULE_SETS, NOTHING_DISABLED = {}, {}, {}
-- The last opts.today found well formed: a caller checking claim after
-- claim passes the same string, which is then not matched again.
local last_today

-- Checks opts (read raw: a metatable on the options table never runs in
-- here) and returns the date for the core and opts itself, to be read raw.
local function check_options(opts)
  if opts == nil then
    opts = NO_OPTIONS
  else
    args.check_type("check", 2, opts, "table", false, 3)
  end
  for k in next, opts do
    if not OPTION_KEYS[k] then
      argerror("check", 2, "unknown option '" .. tostring(k) .. "'", 1)
    end
  end
  local provider_kind, together = rawget(opts, "provider_kind"), rawget(opts, "together")
  if provider_kind ~= nil and not PROVIDER_KINDS[provider_kind] then
    argerror("check", 2, "field 'provider_kind' must be practitioner, fqhc, rhc, "
      .. "cah_method_ii or hospital_outpatient", 1)
  end
  if together ~= nil and type(together) ~= "table" then
    argerror("check", 2, "field 'together' must be a list of claims", 1)
  end
  local date = rawget(opts, "today")
  if date == nil then return os.date("%Y-%m-%d"), opts end
  if date == false then return nil, opts end
  if date ~= last_today then
    if type(date) ~= "string" or not date:match("^%d%d%d%d%-%d%d%-%d%d$") then
      argerror("check", 2, "field 'today' must be a date as YYYY-MM-DD or false", 1)
    end
    last_today = date
  end
  return date, opts
end

-- The token x12.write passes as check's third argument; never exported.
local RETURN_MISUSE = {}

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
-- @raise when claim is neither a table nor a string, opts is malformed, or
--   the claim table is cyclic (the error names the path that leads back)
function M.check(claim, opts, misuse)
  -- misuse == RETURN_MISUSE (a private token): a claim that is not a claim
  -- is returned as false, reason, for the caller (x12.write) to raise under
  -- its own name; for anyone else it is check's bad argument #1.
  local kind = type(claim)
  if kind ~= "table" and kind ~= "string" then
    local reason = "table or JSON string expected, got " .. kind
    if misuse == RETURN_MISUSE then return false, reason end
    argerror("check", 1, reason)
  end
  local date
  date, opts = check_options(opts)
  -- Each option read once, raw, before any rule runs.
  local payer_opt, rules_opt, disable_opt = rawget(opts, "payer"), rawget(opts, "rules"),
    rawget(opts, "disable")
  local profile = payer_opt ~= nil and resolve_payer(payer_opt) or nil
  local sets = rules_opt ~= nil and resolve_rule_sets(rules_opt) or NO_RULE_SETS
  local disabled = disable_opt ~= nil and resolve_disabled(disable_opt, sets)
    or NOTHING_DISABLED
  -- The core returns false, reason for a cyclic claim table; what it
  -- raises is re-raised here so the error points at the caller's line.
  local ok, r, msg, id = pcall(core.check, claim, date,
    profile and profile:compiled() or nil, rawget(opts, "ncci") or ncci_table(),
    profiles_by_kind(), rawget(opts, "provider_kind"), rawget(opts, "summary") == true,
    disabled, report.report_mt, report.finding_mt)
  if not ok then error(r, 2) end
  if r == nil then return nil, msg, id end
  if r == false then  -- a cyclic table: msg names the path that leads back
    if misuse == RETURN_MISUSE then return false, msg end
    argerror("check", 1, msg)
  end
  local claim_table = claim
  if kind == "string" and (#sets > 0 or claim:find('"coverage"', 1, true)) then
    claim_table = core.decode(claim)
  end
  -- Lua rules, then the coverage rules when the claim carries the payer's
  -- 271 answer.
  rules.add_findings(sets, claim_table, r, disabled, rawget(opts, "together"))
  return r
end

-- The tracker of check_batch and batch_tracker; misuse of opts raises
-- naming fname (the public function, two frames up).
local function batch_tracker(opts, fname)
  local profile = resolve_payer(opts.payer, fname)
  local sets = resolve_rule_sets(opts.rules, fname)
  local disabled = resolve_disabled(opts.disable, sets, fname)
  return batch.tracker(function(kind)
    return profile or payer.for_kind(kind)
  end, disabled)
end

--- Checks claims given together: each as bhclaim.check does, then the
-- rules across them: claim.duplicate (the same patient, code, modifiers
-- and date on two original claims) and code.frequency (the profile's
-- `frequency` limits), each reported on the later claim, naming the first.
-- @tparam table claims list of claim tables or JSON texts
-- @tparam[opt] table opts as for check
-- @treturn table reports, one per claim in order; `false` for a JSON text
--   that does not parse
-- @treturn table failures: {index =, message =, id =} for each `false`
-- @raise when claims is not a list, or opts is malformed
function M.check_batch(claims, opts)
  if type(claims) ~= "table" then
    argerror("check_batch", 1, "table expected, got " .. type(claims))
  end
  if opts ~= nil and type(opts) ~= "table" then
    argerror("check_batch", 2, "table expected, got " .. type(opts))
  end
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.summary = true
  local tracker = batch_tracker(o, "check_batch")
  local out, failures = {}, {}
  for i, claim in ipairs(claims) do
    local r, msg, id = M.check(claim, o)
    if r then
      tracker:add(r)
      if not (opts and opts.summary == true) then r.summary = nil end
      out[i] = r
    else
      out[i] = false
      failures[#failures + 1] = { index = i, message = msg, id = id }
    end
  end
  return out, failures
end

--- A tracker for the rules across claims, for callers that check claims
-- one by one (the command line): tracker:add(report) adds claim.duplicate
-- and code.frequency findings to a report checked with `summary = true`.
-- @tparam[opt] table opts `payer` (the profile whose frequency limits apply;
--   default the built-in profile of each claim's payer kind), `disable`
-- @treturn table tracker
function M.batch_tracker(opts)
  if opts ~= nil and type(opts) ~= "table" then
    argerror("batch_tracker", 1, "table expected, got " .. type(opts))
  end
  return batch_tracker(opts or {}, "batch_tracker")
end

--- What a report makes its claim: "clean" (no error and no warning; notes
-- do not count), "with_warnings" or "with_errors". The one definition of
-- a clean claim (bhclaim.reports.outcome): the command line's totals and
-- session:check's counts use it too.
-- @tparam table report a report from bhclaim.check
-- @treturn string
function M.outcome(r)
  local t = type(r)
  local counts = (t == "table" or t == "userdata") and r.counts or nil
  if type(counts) ~= "table" then
    argerror("outcome", 1, "report expected, got "
      .. (t == "table" and "a table without counts" or t))
  end
  return require("bhclaim.reports").outcome(counts)
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

--- Eligibility (270/271) and claim status (276/277): docs/eligibility.md,
-- docs/status.md.
M.eligibility = eligibility
--- Coverage rules and the patient's expected share (lua/bhclaim/coverage.lua).
M.coverage = coverage
M.status = require("bhclaim.status")

--- X12 837P (005010X222A1).
M.x12 = {}

-- Why export refuses a claim whose check returned r, msg (a report, or
-- nil and why the JSON text could not be read), or nil when it has no error.
local function refusal_of(r, msg)
  if not r then return msg end
  if r.ok then return nil end
  local errors = {}
  for _, f in ipairs(r.findings) do
    if f.severity == "error" then errors[#errors + 1] = f.rule .. " at " .. f.path end
  end
  return format("%s: refused by check: %s", tostring(r.claim_id), concat(errors, ", "))
end

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
-- @raise when claims or opts is not a table, or a claim table is cyclic
function M.x12.write(claims, opts)
  if type(claims) ~= "table" then argerror("write", 1, "table expected, got " .. type(claims)) end
  opts = args.shallow("write", 2, opts)
  if opts.check ~= nil and type(opts.check) ~= "table" then
    argerror("write", 2, "opts.check must be a table")
  end
  if not opts.unchecked then
    -- A claim with error findings is refused: what is written has passed check.
    local i, claim = 1, rawget(claims, 1)
    while claim ~= nil do
      local ok, r, msg = pcall(M.check, claim, opts.check, RETURN_MISUSE)
      if not ok then error(r, 2) end
      -- A claim check cannot read (a cycle...) is write's bad argument.
      if r == false then argerror("write", 1, format("claim %d: %s", i, msg)) end
      local reason = refusal_of(r, msg)
      if reason then return nil, format("claim %d: %s", i, reason), "x12.check" end
      i = i + 1
      claim = rawget(claims, i)
    end
  end
  local ok, text, msg, id = pcall(core.x12_write, claims, opts)
  if not ok then error(text, 2) end
  return text, msg, id
end

-- The failure of an 837P read: nil, message, id, and what was read before
-- the error as a fourth value, so assert(bhclaim.x12.read(s)) fails.
local function x12_fail(msg, id, key, items, env)
  if id == nil or id == "" then id = "x12.syntax" end
  return nil, msg, id, { [key] = items, envelope = env }
end

--- Why export refuses a claim after checking it, or nil when it has no error.
-- @param claim a claim table or its JSON text
-- @tparam[opt] table check_opts options for bhclaim.check
-- @treturn[1] nil the claim has no error finding
-- @treturn[2] string "<id>: refused by check: <rule> at <path>, ..."
function M.x12.refusal(claim, check_opts)
  return refusal_of(M.check(claim, check_opts))
end

--- Reads an 837P interchange.
-- @tparam string text
-- @tparam[opt] table opts `lenient` (ignore segment-count mismatches in
--   files made elsewhere)
-- @treturn[1] table claims
-- @treturn[1] table envelope (as write takes it)
-- @return[2] nil (a structural error: the interchange is not whole)
-- @treturn[2] string "segment N (ID): what was expected"
-- @treturn[2] string error id ("x12.segment", "x12.element", "x12.truncated",
--   "x12.loop", "x12.limit", ...)
-- @treturn[2] table partial: `claims` (those read before the error) and
--   `envelope`
-- @raise when text is not a string
function M.x12.read(text, opts)
  if type(text) ~= "string" then argerror("read", 1, "string expected, got " .. type(text)) end
  opts = args.shallow("read", 2, opts, true)
  local claims, env, msg, id = core.x12_read(text, opts.lenient or false)
  if msg ~= nil then return x12_fail(msg, id, "claims", claims, env) end
  return claims, env
end

--- The compiled profiles an 837P check applies, by payer kind: the given
-- profile for every kind, else each kind's built-in one. The command
-- line's streamed 837P check takes the same.
-- @param[opt] profile a profile from bhclaim.payer
-- @treturn table `{ medicare =, medicaid =, commercial = }`
function M.x12.profiles(profile)
  if not profile then return profiles_by_kind() end
  local c = profile:compiled()
  return { medicare = c, medicaid = c, commercial = c }
end

--- Reads an 837P interchange and checks every claim in it, in one pass in
-- the core (no claim tables are built unless opts.rules needs them).
-- @tparam string text
-- @tparam[opt] table opts as for check (today, payer, disable, ncci,
--   provider_kind, rules), plus `lenient`
-- @treturn[1] table reports, one per claim, each with `summary`
-- @treturn[1] table envelope
-- @return[2] nil (a structural error: the interchange is not whole)
-- @treturn[2] string "segment N (ID): what was expected"
-- @treturn[2] string error id, as for read
-- @treturn[2] table partial: `reports` (those of the claims before the
--   error) and `envelope`
-- @raise when text is not a string or opts is malformed
function M.x12.check(text, opts)
  if type(text) ~= "string" then argerror("check", 1, "string expected, got " .. type(text)) end
  opts = args.shallow("check", 2, opts, true)
  local lenient = opts.lenient or false
  local check_opts = {}
  for k, v in pairs(opts) do
    if k ~= "lenient" then check_opts[k] = v end
  end
  if check_opts.rules then
    -- Lua rules read claim tables: read them, then check each.
    local claims, env, msg, id = core.x12_read(text, lenient)
    local out = {}
    check_opts.summary = true
    for i, claim in ipairs(claims) do out[i] = M.check(claim, check_opts) end
    if msg ~= nil then return x12_fail(msg, id, "reports", out, env) end
    return out, env
  end
  local date
  date, check_opts = check_options(check_opts)
  local by_kind = M.x12.profiles(resolve_payer(check_opts.payer))
  local disabled = resolve_disabled(check_opts.disable, nil)
  -- The core builds the finished reports, disabled rules left out.
  local out, env, msg, id = core.x12_check(text, lenient, date, by_kind,
    check_opts.ncci or ncci_table(), check_opts.provider_kind, report.report_mt,
    report.finding_mt, next(disabled) ~= nil and disabled or nil)
  if msg ~= nil then return x12_fail(msg, id, "reports", out, env) end
  return out, env
end

--- Remittances (835) and acknowledgements (999, TA1, 277CA) explained,
-- CARC/RARC catalogue, expected fees (docs/remit.md).
M.remit = require("bhclaim.remit")
M.ack = require("bhclaim.ack")
M.adjustments = require("bhclaim.adjustments")
M.fees = require("bhclaim.fees")

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
  files = args.shallow("load", 1, files)
  for _, key in ipairs { "ptp", "mue", "mue_from" } do
    if files[key] ~= nil and type(files[key]) ~= "string" then
      argerror("load", 1, "field '" .. key .. "' must be a string, got " .. type(files[key]))
    end
  end
  if files.into ~= nil and (type(files.into) ~= "userdata" or
      not pcall(function() return files.into:counts() end)) then
    argerror("load", 1, "field 'into' must be a table from bhclaim.ncci.new")
  end
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
-- @raise "bad argument #1 to 'encode' (cannot encode ... at path)" when the
--   value holds something JSON cannot: a function, a userdata, NaN or an
--   infinity, a NUL byte, a cycle, tables nested more than 200 levels.
--   Integers (Lua 5.3+) are written exactly; floats in the fewest digits
--   that read back as the same number.
function M.encode(value)
  if value == nil then argerror("encode", 1, "value expected") end
  local ok, result = pcall(core.encode, value)
  if not ok then error(result, 2) end
  return result
end

--- A short guide to the module, or to one topic: check, codes, session,
-- telehealth, payers, rules, ncci, x12, remit, eligibility (help() lists
-- them). The texts are in lua/bhclaim/help.lua.
-- @tparam[opt] string topic
-- @treturn string
-- @raise bad argument when topic is not a string or not a topic
function M.help(topic)
  local text = require("bhclaim.help").text(topic, core.version)
  return text  -- not a tail call: help's errors name the caller of M.help
end

return M
