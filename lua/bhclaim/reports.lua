--- Batch reports: a checked claim's findings as text (for people), JSON (one
-- object per claim, stable keys) and CSV (one row per finding), and the batch
-- summary (counts, count by rule id, charges at risk, top findings).
-- Workflow layer over report tables; it never checks a claim. The report
-- lines are written by the core's writers (core.report_line), which the
-- check command's batch path uses too.
-- @module bhclaim.reports
-- SPDX-License-Identifier: MIT

local M = {}

local concat, format = table.concat, string.format

-- {====================================================================
-- Claim facts a report shows
-- =====================================================================

local function is_table(v)
  return type(v) == "table"
end

local function str(v)
  if type(v) == "string" then return v end
  if type(v) == "number" then return tostring(v) end
  return nil
end

--- "Last, First" of the patient, or of the subscriber when the patient is
-- the subscriber (patient null or absent); "" when neither has a name.
-- @tparam table claim
-- @treturn string
function M.patient(claim)
  if not is_table(claim) then return "" end
  local person = is_table(claim.patient) and claim.patient or claim.subscriber
  local name = is_table(person) and person.name
  if not is_table(name) then return "" end
  local last, first = str(name.last), str(name.first)
  if last and first then return last .. ", " .. first end
  return last or first or ""
end

--- The date of the claim's first service line ("" when it has none).
-- @tparam table claim
-- @treturn string
function M.first_date(claim)
  local lines = is_table(claim) and claim.lines
  local first = is_table(lines) and lines[1]
  return is_table(first) and str(first.date) or ""
end

-- {====================================================================
-- Money: integer cents, exact
-- =====================================================================

--- A charge ("45.00", "45", "45.5", 45.5) as integer cents, or nil.
-- @param charge decimal string or number
-- @treturn number|nil cents (an integral number)
function M.cents(charge)
  if type(charge) == "number" then
    if charge ~= charge or charge == math.huge or charge == -math.huge then return nil end
    return math.floor(charge * 100 + 0.5)
  end
  if type(charge) ~= "string" then return nil end
  local sign, whole, frac = charge:match("^%s*([%-+]?)(%d+)%.?(%d?%d?)%s*$")
  if not whole then
    sign, frac = charge:match("^%s*([%-+]?)%.(%d%d?)%s*$")
    whole = "0"
  end
  if not whole or not frac then return nil end
  frac = (frac .. "00"):sub(1, 2)
  local cents = tonumber(whole) * 100 + tonumber(frac)
  return sign == "-" and -cents or cents
end

--- Integer cents printed with two decimals ("1234.05").
-- @tparam number cents
-- @treturn string
function M.money(cents)
  local sign = cents < 0 and "-" or ""
  local abs = math.abs(cents)
  local whole = math.floor(abs / 100)
  return sign .. format("%.0f.%02.0f", whole, abs - whole * 100)
end

--- The sum of a claim's line charges in cents (lines without a readable
-- charge count nothing).
-- @tparam table claim
-- @treturn number
function M.claim_cents(claim)
  local sum = 0
  local lines = is_table(claim) and claim.lines
  if not is_table(lines) then return 0 end
  for _, line in ipairs(lines) do
    local c = is_table(line) and M.cents(line.charge)
    if c then sum = sum + c end
  end
  return sum
end

-- {====================================================================
-- Entries: one checked claim (or a session's own findings)
-- =====================================================================

--- An entry: what the formats below print for one claim.
-- @tparam table claim the claim table (may be nil)
-- @tparam table report a report from bhclaim.check (ok, claim_id, findings, counts)
-- @treturn table entry {claim_id, patient, date, ok, counts, findings, claim}
function M.entry(claim, report)
  local id = report.claim_id
  if id == nil and is_table(claim) then id = str(claim.id) end
  local s = report.summary
  if s and not is_table(claim) then
    -- The core's summary (check with opts.summary): no claim table needed.
    return { claim_id = id, patient = s.patient, date = s.date, codes = s.codes,
      cents = s.cents, ok = report.ok, counts = report.counts, findings = report.findings }
  end
  local codes = {}
  local lines = is_table(claim) and claim.lines
  for i, line in ipairs(is_table(lines) and lines or {}) do
    codes[i] = is_table(line) and str(line.code) or ""
  end
  return {
    claim_id = id, patient = M.patient(claim), date = M.first_date(claim), codes = codes,
    cents = M.claim_cents(claim), ok = report.ok, counts = report.counts,
    findings = report.findings, claim = claim,
  }
end

--- The entry of a session's own findings (shape problems, absentees).
-- @tparam table data the session table
-- @tparam table findings
-- @treturn table entry with `session = true`
function M.session_entry(data, findings)
  local counts = { error = 0, warning = 0, info = 0 }
  for _, f in ipairs(findings) do
    counts[f.severity] = (counts[f.severity] or 0) + 1
  end
  local code = is_table(data) and str(data.code) or "90853"
  return {
    claim_id = is_table(data) and str(data.id) or nil, patient = "",
    date = is_table(data) and str(data.date) or "", ok = counts.error == 0,
    counts = counts, findings = findings, session = true,
    claim = { lines = { { code = code } } },
  }
end

-- {====================================================================
-- JSON
-- =====================================================================

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function escape_char(c)
  return ESCAPES[c] or format("\\u%04x", c:byte())
end

--- A JSON string literal (control characters escaped; other bytes as given).
-- @tparam string s
-- @treturn string
function M.json_string(s)
  if not s:find('[%c"\\]') then return '"' .. s .. '"' end
  return '"' .. s:gsub('[%c"\\]', escape_char) .. '"'
end

local math_type = rawget(math, "type")  -- Lua 5.3+: integers apart from floats

local function json_value(v, path)
  local t = type(v)
  if t == "string" then return M.json_string(v) end
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then
      error("bad argument #1 to 'json_encode' (NaN or an infinity at " .. path .. ")", 0)
    end
    if math_type and math_type(v) == "integer" then return format("%d", v) end
    if v == math.floor(v) and math.abs(v) < 2 ^ 53 then return format("%.0f", v) end
    for digits = 15, 16 do
      local text = format("%." .. digits .. "g", v)
      if tonumber(text) == v then return text end
    end
    return format("%.17g", v)
  end
  if t == "boolean" then return tostring(v) end
  return "null"
end

local function encode(v, path, open, depth)
  if type(v) ~= "table" then return json_value(v, path) end
  if depth > 200 then
    error("bad argument #1 to 'json_encode' (a table nested more than 200 levels deep at "
      .. path .. ")", 0)
  end
  if open[v] then
    error("bad argument #1 to 'json_encode' (a cycle back to an enclosing table at "
      .. path .. ")", 0)
  end
  open[v] = true
  local n, keys = #v, {}
  for k in pairs(v) do keys[#keys + 1] = k end
  local out
  if #keys == n and n > 0 then
    local items = {}
    for i = 1, n do items[i] = encode(v[i], path .. "[" .. i .. "]", open, depth + 1) end
    out = "[" .. concat(items, ",") .. "]"
  else
    local names = {}
    for _, k in ipairs(keys) do names[#names + 1] = tostring(k) end
    table.sort(names)
    local items = {}
    for _, k in ipairs(names) do
      local value = v[k]
      if value == nil then value = v[tonumber(k)] end
      items[#items + 1] = M.json_string(k) .. ":"
        .. encode(value, path == "" and k or (path .. "." .. k), open, depth + 1)
    end
    out = "{" .. concat(items, ",") .. "}"
  end
  open[v] = nil
  return out
end

--- A JSON value with object keys sorted (for look-up answers): tables with
-- 1..n keys are arrays, other tables objects; functions and userdata null.
-- Integers are written exactly, floats so that they read back the same.
-- @param v
-- @treturn string
-- @raise on a cycle, NaN or an infinity, naming the path
function M.json_encode(v)
  local ok, text = pcall(encode, v, "", {}, 0)
  if not ok then error(text, 2) end
  return text
end

-- {====================================================================
-- CSV (RFC 4180: CRLF, fields with , " CR or LF quoted, " doubled)
-- =====================================================================

--- One CSV field.
-- @param v string, number or nil
-- @treturn string
function M.csv_field(v)
  v = v == nil and "" or tostring(v)
  if v:find('[,"\r\n]') then return '"' .. v:gsub('"', '""') .. '"' end
  return v
end

--- One CSV record from a list of values, ending in CRLF.
-- @tparam table values
-- @tparam[opt] number n how many fields (for trailing nils)
-- @treturn string
function M.csv_row(values, n)
  local out = {}
  for i = 1, n or #values do out[i] = M.csv_field(values[i]) end
  return concat(out, ",") .. "\r\n"
end

M.CSV_COLUMNS = { "claim_id", "patient", "date", "code", "rule", "severity", "path",
  "message", "hint", "denial_group", "denial_carc", "denial_rarc", "source", "line" }

--- The header record of the findings CSV.
-- @treturn string
function M.csv_header()
  return M.csv_row(M.CSV_COLUMNS)
end

-- {====================================================================
-- Report lines: written by the core (csrc/report_write.c), the one
-- definition of the formats, for the batch path and for these alike
-- =====================================================================

local report_line = require("bhclaim.core").report_line

-- The text and JSON lines without their line break, as callers add it.
local function without_newline(line)
  return line:sub(1, -2)
end

--- A biller-readable block: a head line, then each finding with its fix
-- (a session's own findings: "session " first).
-- @tparam table e entry
-- @treturn string (no trailing newline)
function M.text(e)
  return without_newline(report_line(e, "text", nil, tostring))
end

--- One JSON object on one line; keys in this order: claim_id, patient,
-- date, ok, counts {error, warning, info}, findings [{rule, severity, path,
-- message, hint, source, denial {group, carc, rarc} or null}] (plus
-- `"session":true` for a session's own). Values of Lua-made findings that
-- are not strings are written as json_encode writes them.
-- @tparam table e entry
-- @treturn string
function M.json(e)
  return without_newline(report_line(e, "json", nil, json_value))
end

--- The CSV records of an entry: one per finding, or one with the finding
-- columns empty for a clean claim; the code column is the code of the line
-- the finding's path names (else the first line's); the last two columns
-- say where the record came from: the input's name and the record's line
-- (for an 837P, the claim's position in the interchange: 1 for the first
-- claim).
-- @tparam table e entry
-- @tparam[opt] table where {name, line} or {name, x12_claim}
-- @treturn string
function M.csv(e, where)
  return report_line(e, "csv", where, tostring)
end

-- {====================================================================
-- Batch summary
-- =====================================================================

--- A new, empty summary.
-- @treturn table {claims, clean, with_errors, with_warnings, bad_records,
--   sessions, cents_at_risk, rules = {id -> {count, claims, severity,
--   message, hint, claim_id}}}
function M.summary()
  return { claims = 0, clean = 0, with_errors = 0, with_warnings = 0, bad_records = 0,
    sessions = 0, cents_at_risk = 0, rules = {} }
end

local function count_rules(s, e)
  local seen = {}
  for _, f in ipairs(e.findings) do
    local r = s.rules[f.rule]
    if not r then
      r = { count = 0, claims = 0, severity = f.severity, message = f.message,
        hint = f.hint, claim_id = e.claim_id }
      s.rules[f.rule] = r
    end
    r.count = r.count + 1
    if not seen[f.rule] then
      seen[f.rule] = true
      r.claims = r.claims + 1
    end
  end
end

--- What a claim's finding counts make it: the one definition of a clean
-- claim, used by the command line's totals, session:check and
-- bhclaim.outcome. "with_errors" (an error finding), "with_warnings"
-- (warnings but no error) or "clean" (no error and no warning; notes do
-- not count): a warning is a likely denial, so a claim with one is not
-- clean. The names are the summary's counters.
-- @tparam table counts {error = n, warning = n, info = n} (missing: 0)
-- @treturn string "clean", "with_warnings" or "with_errors"
function M.outcome(counts)
  if (counts.error or 0) > 0 then return "with_errors" end
  if (counts.warning or 0) > 0 then return "with_warnings" end
  return "clean"
end

--- Adds an entry: a claim counts as clean, with errors or with warnings
-- (M.outcome); a claim with errors adds its line charges to the charges
-- at risk.
-- @tparam table s summary
-- @tparam table e entry
function M.summary_add(s, e)
  count_rules(s, e)
  if e.session then
    s.sessions = s.sessions + 1
    return
  end
  s.claims = s.claims + 1
  local outcome = M.outcome(e.counts)
  s[outcome] = s[outcome] + 1
  if outcome == "with_errors" then s.cents_at_risk = s.cents_at_risk + (e.cents or 0) end
end

--- Adds summary b into a (b's examples only for rules a has not seen, so
-- merging the parts of a batch in input order gives the whole's summary).
-- @tparam table a
-- @tparam table b
-- @treturn table a
function M.summary_merge(a, b)
  for _, k in ipairs({ "claims", "clean", "with_errors", "with_warnings", "bad_records",
      "sessions", "cents_at_risk" }) do
    a[k] = a[k] + b[k]
  end
  for id, r in pairs(b.rules) do
    local mine = a.rules[id]
    if mine then
      mine.count, mine.claims = mine.count + r.count, mine.claims + r.claims
    else
      a.rules[id] = { count = r.count, claims = r.claims, severity = r.severity,
        message = r.message, hint = r.hint, claim_id = r.claim_id }
    end
  end
  return a
end

--- The rules by count (most first, then by id).
-- @tparam table s summary
-- @treturn table list of {rule, count, claims, severity, message, hint, claim_id}
function M.ranked(s)
  local list = {}
  for id, r in pairs(s.rules) do
    list[#list + 1] = { rule = id, count = r.count, claims = r.claims, severity = r.severity,
      message = r.message, hint = r.hint, claim_id = r.claim_id }
  end
  table.sort(list, function(x, y)
    if x.count ~= y.count then return x.count > y.count end
    return x.rule < y.rule
  end)
  return list
end

local function plural(n, word)
  return n .. " " .. word .. (n == 1 and "" or "s")
end

--- The summary as text; `top` (default 10) top findings with an example.
-- @tparam table s summary
-- @tparam[opt] number top
-- @treturn string (ends with a newline)
function M.summary_text(s, top)
  local out = {
    format("claims checked  %d", s.claims),
    format("  clean         %d", s.clean),
    format("  with errors   %d", s.with_errors),
    format("  with warnings %d (and no error)", s.with_warnings),
    format("bad records     %d", s.bad_records),
    format("charges at risk %s (line charges of claims with errors)", M.money(s.cents_at_risk)),
  }
  if s.sessions > 0 then out[#out + 1] = format("sessions        %d", s.sessions) end
  local ranked = M.ranked(s)
  if #ranked > 0 then
    out[#out + 1] = "findings by rule"
    for _, r in ipairs(ranked) do
      out[#out + 1] = format("  %-24s %-7s %8s on %s", r.rule, r.severity,
        plural(r.count, "finding"), plural(r.claims, "claim"))
    end
    out[#out + 1] = "top findings"
    for i = 1, math.min(top or 10, #ranked) do
      local r = ranked[i]
      out[#out + 1] = format("  %d. %s (%s, %d): %s", i, r.rule, r.severity, r.count,
        tostring(r.message))
      if r.hint and r.hint ~= "" then out[#out + 1] = "     fix: " .. r.hint end
      out[#out + 1] = "     first seen on " .. tostring(r.claim_id or "(no id)")
    end
  end
  return concat(out, "\n") .. "\n"
end

--- The summary as one JSON object (keys in a fixed order).
-- @tparam table s summary
-- @tparam[opt] number top
-- @treturn string (ends with a newline)
function M.summary_json(s, top)
  local ranked = M.ranked(s)
  local by_rule, tops = {}, {}
  for i, r in ipairs(ranked) do
    by_rule[i] = M.json_string(r.rule) .. ":" .. format("%d", r.count)
    if i <= (top or 10) then
      tops[i] = format('{"rule":%s,"severity":%s,"count":%d,"claims":%d,"message":%s,'
        .. '"hint":%s,"claim_id":%s}', json_value(r.rule), json_value(r.severity), r.count,
        r.claims, json_value(r.message), json_value(r.hint), json_value(r.claim_id))
    end
  end
  return format('{"claims":%d,"clean":%d,"with_errors":%d,"with_warnings":%d,'
    .. '"bad_records":%d,"sessions":%d,"charges_at_risk":"%s","by_rule":{%s},'
    .. '"top_findings":[%s]}\n', s.claims, s.clean, s.with_errors, s.with_warnings,
    s.bad_records, s.sessions, M.money(s.cents_at_risk), concat(by_rule, ","),
    concat(tops, ","))
end

--- The summary as CSV: a metric,value block then one row per rule.
-- @tparam table s summary
-- @treturn string
function M.summary_csv(s)
  local out = { M.csv_row({ "rule", "severity", "count", "claims", "message", "hint" }) }
  for _, r in ipairs(M.ranked(s)) do
    out[#out + 1] = M.csv_row({ r.rule, r.severity, r.count, r.claims, r.message, r.hint }, 6)
  end
  local totals = { { "(claims checked)", s.claims }, { "(clean)", s.clean },
    { "(with errors)", s.with_errors }, { "(with warnings)", s.with_warnings },
    { "(bad records)", s.bad_records }, { "(charges at risk)", M.money(s.cents_at_risk) } }
  for _, t in ipairs(totals) do out[#out + 1] = M.csv_row({ t[1], "", t[2] }, 6) end
  return concat(out)
end

return M
