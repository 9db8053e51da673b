--- The `bhclaim remit` and `bhclaim ack` commands (docs/remit.md).
-- cli.lua hooks them in: their options, help texts and run functions come
-- from here.
-- Exit status: remit 0 when every file was read and no claim payment needs
-- follow-up, 1 when one is denied, partly paid, pending or underpaid, or a
-- file is not a readable 835; ack 0 when everything was accepted, 1 when
-- something was rejected or a file is not a readable acknowledgement; both
-- 2 on a usage error or a file that cannot be opened.
-- @module bhclaim.cli_remit
-- SPDX-License-Identifier: MIT

local bhclaim = require("bhclaim")
local remit = require("bhclaim.remit")
local ack = require("bhclaim.ack")
local fees = require("bhclaim.fees")
local listing = require("bhclaim.listing")
local reports = require("bhclaim.reports")

local M = {}

local format, concat = string.format, table.concat

--- Options these commands add to the command line ("value", "list", "flag").
M.OPTIONS = { claims = "list", denials = "flag", fees = "list", gpci = "value",
  locality = "value", ["qualifying-apm"] = "flag" }

--- The options each command allows (besides --help and --today).
M.ALLOWED = {
  remit = { "format", "claims", "denials", "fees", "gpci", "locality", "qualifying-apm" },
  ack = { "format" },
}

M.HELP = {}

M.HELP.remit = [[
usage: bhclaim remit FILE.835... [--claims FILE]... [--format text|json|csv]
                     [--denials] [--fees PAYER=FILE.csv]... [--gpci FILE
                     --locality MAC-LOC] [--qualifying-apm]

Explains 835 remittances: one entry per claim payment with its outcome
(paid, partial, denied, reversed, pending), charge, paid, allowed, patient
responsibility, each adjustment's text and hint, remark codes, lines.

options:
  --format text|json|csv   text for people (default); json: one object per
                           claim payment per line; csv: one row per line
  --claims FILE            the claims that were sent (claim JSON, a JSON
                           array, NDJSON or an 837P); repeat for more files.
                           Adds matched, expected_allowed, variance (allowed
                           less expected) and underpayment findings, and
                           lists the sent claims with no answer
  --denials                denied and partly paid lines grouped by group +
                           CARC (+ RARC): count, amount, hint, rule ids
  --fees PAYER=FILE.csv    a payer's fee schedule (code, modifiers, amount,
                           from, to) for claims whose payer id or name is
                           PAYER; Medicare claims use the PFS
  --gpci FILE              CMS GPCI file (GPCI20xx.csv layout) for --locality
  --locality MAC-LOC       Medicare locality (e.g. 01112-05); national
                           GPCIs (1.000) when absent
  --qualifying-apm         the qualifying APM conversion factor

exit status: 0 every file read and nothing to follow up, 1 a claim payment
denied, partly paid, pending or underpaid, or a file that is not a readable
835, 2 usage or a file that cannot be opened.]]

M.HELP.ack = [[
usage: bhclaim ack FILE... [--format text|json|csv]

Explains acknowledgements: one entry per 999 set, per TA1, per 277CA claim
and per 277CA level above the claims that carries a status, with kind (999,
TA1, 277CA), accepted (true/false) and each error or status with its text.
json: one object per entry, every field below present (null when unknown).
csv: a header, then one row per entry: kind, level, accepted, set_id,
control_number, claim_id, payer_claim_number, status, status_text,
messages (errors and status texts joined by " | ").

exit status: 0 everything accepted, 1 something rejected or a file that is
not a readable acknowledgement, 2 usage or a file that cannot be opened.]]

-- {====================================================================
-- JSON and CSV
-- =====================================================================

local json_string = reports.json_string

-- Fields in print order; anything else follows, sorted.
local ORDER = { "claim_id", "payer_claim_number", "outcome", "status", "matched", "matched_by",
  "charge", "paid", "allowed", "expected_allowed", "variance", "expected_reason",
  "patient_responsibility", "payer", "trace", "kind", "accepted", "set_id", "control_number",
  "code", "modifiers", "date", "units", "group", "reason", "remark", "remark_text", "amount",
  "count", "quantity", "text", "hint", "adjustments", "remarks", "lines", "rules", "findings",
  "errors" }
local RANK = {}
for i, k in ipairs(ORDER) do RANK[k] = i end

-- Keys whose values are always arrays, empty ones included.
local ARRAYS = { adjustments = true, remarks = true, lines = true, rules = true, findings = true,
  errors = true, modifiers = true, status = true, claims = true, unanswered_lines = true,
  expected_factors = true }

-- Written as JSON null: the fields an entry always has, even when unknown.
local NULL = setmetatable({}, { __name = "null" })

local function encode(v, key)
  if v == NULL then return "null" end
  local t = type(v)
  if t == "string" then return json_string(v) end
  if t == "number" then
    return v == math.floor(v) and format("%.0f", v) or format("%.17g", v)
  end
  if t == "boolean" then return tostring(v) end
  if t ~= "table" then return "null" end
  if ARRAYS[key] or (#v > 0 and next(v, #v) == nil) then
    local items = {}
    for i, x in ipairs(v) do items[i] = encode(x) end
    return "[" .. concat(items, ",") .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    local ra, rb = RANK[a] or 1000, RANK[b] or 1000
    if ra ~= rb then return ra < rb end
    return tostring(a) < tostring(b)
  end)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = json_string(tostring(k)) .. ":" .. encode(v[k], k)
  end
  return "{" .. concat(parts, ",") .. "}"
end
M.json = encode

local ENTRY_FIELDS = { "claim_id", "payer_claim_number", "outcome", "charge", "paid", "allowed",
  "patient_responsibility" }
local MATCH_FIELDS = { "matched", "expected_allowed", "variance" }
local LINE_FIELDS = { "code", "control_number", "charge", "paid", "allowed", "units" }

-- A copy of a report entry with every documented field present (null when
-- unknown), so JSON readers find the same keys on every line.
local function complete(e, with_claims)
  local out = {}
  for k, v in pairs(e) do out[k] = v end
  local function fill(t, fields)
    for _, k in ipairs(fields) do
      if t[k] == nil then t[k] = NULL end
    end
  end
  fill(out, ENTRY_FIELDS)
  if with_claims then
    fill(out, MATCH_FIELDS)
    if out.rules == nil then out.rules = {} end
  end
  out.lines = {}
  for i, l in ipairs(e.lines or {}) do
    local c = {}
    for k, v in pairs(l) do c[k] = v end
    fill(c, LINE_FIELDS)
    if with_claims then fill(c, MATCH_FIELDS) end
    out.lines[i] = c
  end
  return out
end

local function csv_field(s)
  s = s == nil and "" or tostring(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

local function csv_row(list)
  local out = {}
  for i = 1, #list do out[i] = csv_field(list[i]) end
  return concat(out, ",")
end

local CSV_HEADER = { "claim_id", "payer_claim_number", "outcome", "matched", "line", "code",
  "modifiers", "date", "units", "charge", "paid", "allowed", "expected_allowed", "variance",
  "line_outcome", "adjustments", "remarks", "rules" }

local function adjustments_cell(list)
  local out = {}
  for _, a in ipairs(list) do
    out[#out + 1] = tostring(a.group) .. "-" .. tostring(a.reason) .. " " .. tostring(a.amount)
  end
  return concat(out, "; ")
end

local function remarks_cell(list)
  local out = {}
  for _, r in ipairs(list) do out[#out + 1] = r.code end
  return concat(out, " ")
end

local function csv_rows(e)
  local rows = {}
  local function row(i, l)
    return csv_row({ e.claim_id, e.payer_claim_number, e.outcome,
      e.matched == nil and "" or tostring(e.matched), i, l.code,
      l.modifiers and concat(l.modifiers, ":") or "", l.date, l.units, l.charge, l.paid,
      l.allowed, l.expected_allowed, l.variance, l.outcome, adjustments_cell(l.adjustments),
      remarks_cell(l.remarks), l.rules and concat(l.rules, " ") or "" })
  end
  if #e.lines == 0 then
    rows[1] = row("", { charge = e.charge, paid = e.paid, allowed = e.allowed,
      expected_allowed = e.expected_allowed, variance = e.variance, outcome = e.outcome,
      adjustments = e.adjustments, remarks = e.remarks, rules = e.rules })
  end
  for i, l in ipairs(e.lines) do rows[#rows + 1] = row(i, l) end
  return rows
end

-- {====================================================================
-- Text
-- =====================================================================

-- An adjustment as two lines: amount and explained code, then the hint
-- and the rules it bears on, indented under it.
local function adjustment_lines(a)
  return format("%s %s", tostring(a.amount), a.text), format("    %s%s", a.hint,
    (a.rules and #a.rules > 0) and (" [rules: " .. concat(a.rules, ", ") .. "]") or "")
end

local function entry_text(e)
  local out = {}
  out[1] = format("claim %s %s: charge %s, paid %s, allowed %s%s, patient %s%s",
    tostring(e.claim_id), e.outcome, tostring(e.charge), tostring(e.paid),
    e.allowed or "unknown",
    e.expected_allowed and (" (expected " .. e.expected_allowed .. ", variance " ..
      tostring(e.variance or "n/a") .. ")") or "",
    tostring(e.patient_responsibility),
    e.matched == false and " - NOT MATCHED to a sent claim" or "")
  listing.add_adjustments(out, e, adjustment_lines)
  for _, l in ipairs(e.lines) do
    out[#out + 1] = format("  line %s%s %s%s: charge %s, paid %s, allowed %s%s", tostring(l.code),
      #l.modifiers > 0 and (":" .. concat(l.modifiers, ":")) or "", l.outcome,
      l.date and (" on " .. l.date) or "", tostring(l.charge), tostring(l.paid),
      l.allowed or "unknown", l.expected_allowed and (", expected " .. l.expected_allowed)
        or (l.expected_reason and (", no expected amount: " .. l.expected_reason) or ""))
    listing.add_adjustments(out, l, adjustment_lines)
  end
  for _, f in ipairs(e.findings) do
    out[#out + 1] = format("  %s %s: %s", f.severity, f.rule, f.message)
  end
  return concat(out, "\n")
end

-- {====================================================================
-- Inputs
-- =====================================================================

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("*a")
  f:close()
  if not text then return nil, path .. ": could not be read" end
  return text
end

-- Reads each file in paths with read (remit.read, ack.read) and hands
-- each list it returns to take, in order. A file that cannot be opened
-- ends the run: its message on stderr and 2. A file read refuses is named
-- on stderr with the reason and the run goes on: 1. Otherwise 0.
local function read_each(paths, env, read, take)
  local status = 0
  for _, path in ipairs(paths) do
    local text, rerr = read_file(path)
    if not text then
      env.stderr:write("bhclaim: ", rerr, "\n")
      return 2
    end
    local list, msg, id = read(text)
    if list then
      take(list)
    else
      env.stderr:write(format("bhclaim: %s: %s (%s)\n", path, tostring(msg), tostring(id)))
      status = 1
    end
  end
  return status
end

-- Submitted claims from a claim JSON file, a JSON array, NDJSON or 837P.
local function load_claims(path, out)
  local text, err = read_file(path)
  if not text then return nil, err end
  local head = text:match("^%s*(.)")
  if head == nil then return nil, path .. ": empty" end
  if text:match("^%s*ISA") then
    local claims, msg = bhclaim.x12.read(text, { lenient = true })
    if not claims then return nil, path .. ": " .. msg end
    for _, c in ipairs(claims) do out[#out + 1] = c end
    return true
  end
  local value = bhclaim.decode(text)
  if type(value) == "table" then
    local list = value
    if not (value[1] ~= nil or getmetatable(value) == bhclaim.array_mt) then list = { value } end
    for i, c in ipairs(list) do
      if type(c) ~= "table" or c.participants ~= nil then
        return nil, format("%s: record %d is not a claim (a group session? export its claims "
          .. "first: bhclaim export --to ndjson)", path, i)
      end
      out[#out + 1] = c
    end
    return true
  end
  local n = 0
  for line in text:gmatch("[^\n]+") do
    n = n + 1
    if line:match("%S") then
      local v, msg = bhclaim.decode(line)
      if type(v) ~= "table" then
        return nil, format("%s: line %d: %s", path, n, tostring(msg or "not a JSON object"))
      end
      out[#out + 1] = v
    end
  end
  return true
end

local function load_schedules(list)
  local schedules = {}
  for _, spec in ipairs(list or {}) do
    local payer, path = spec:match("^([^=]+)=(.+)$")
    if not payer then return nil, "--fees wants PAYER=FILE.csv" end
    local text, err = read_file(path)
    if not text then return nil, err end
    local s, msg = fees.schedule(text, payer)
    if not s then return nil, path .. ": " .. msg end
    schedules[payer] = s
  end
  return schedules
end

-- {====================================================================
-- Commands
-- =====================================================================

local FOLLOW_UP = { denied = true, partial = true, pending = true }

local function options(a)
  local o = a.opts
  if o.format and o.format ~= "text" and o.format ~= "json" and o.format ~= "csv" then
    return nil, "--format wants text, json or csv"
  end
  if o.locality and not o.gpci then return nil, "--locality needs --gpci FILE" end
  local schedules, err = load_schedules(a.lists.fees)
  if not schedules then return nil, err end
  if o.gpci then
    local text, rerr = read_file(o.gpci)
    if not text then return nil, rerr end
    local year = (o.today or os.date("%Y-%m-%d")):sub(1, 4)
    year = text:match("(%d%d%d%d) PW GPCI") or year
    local n, msg = fees.load_gpci(text, year, o.gpci)
    if not n then return nil, msg end
  end
  return { schedules = schedules, locality = o.locality,
    qualifying_apm = o["qualifying-apm"] and true or nil }
end

local function write_denials(env, groups, json)
  for _, g in ipairs(groups) do
    if json then
      env.stdout:write(encode(g), "\n")
    else
      env.stdout:write(format("%s-%s%s  %d line(s)  %s\n  %s%s\n  %s%s\n", g.group, g.reason,
        g.remark and ("/" .. g.remark) or "", g.count, g.amount, g.text,
        g.remark_text and ("\n  " .. g.remark .. ": " .. g.remark_text) or "", g.hint,
        #g.rules > 0 and ("\n  rules: " .. concat(g.rules, ", ")) or ""))
    end
  end
end

--- bhclaim remit.
-- @treturn number|nil exit status, or nil and a usage message
function M.run_remit(a, env)
  if #a.args == 0 then return nil, "remit wants at least one 835 file" end
  local opts, err = options(a)
  if not opts then return nil, err end
  local fmt = a.opts.format or "text"
  if a.lists.claims then
    opts.claims = {}
    for _, path in ipairs(a.lists.claims) do
      local ok, msg = load_claims(path, opts.claims)
      if not ok then
        env.stderr:write("bhclaim: ", msg, "\n")
        return 2
      end
    end
  end
  local remittances = {}
  local status = read_each(a.args, env, remit.read, function(list)
    for _, r in ipairs(list) do remittances[#remittances + 1] = r end
  end)
  if status == 2 then return 2 end
  local entries, matching = remit.report(remittances, opts)
  for _, e in ipairs(entries) do
    if FOLLOW_UP[e.outcome] or #e.findings > 0 then status = 1 end
  end
  if a.opts.denials then
    write_denials(env, remit.denials(entries), fmt == "json")
    return status
  end
  if fmt == "csv" then env.stdout:write(csv_row(CSV_HEADER), "\n") end
  for _, e in ipairs(entries) do
    if fmt == "json" then
      env.stdout:write(encode(complete(e, opts.claims ~= nil)), "\n")
    elseif fmt == "csv" then
      for _, r in ipairs(csv_rows(e)) do env.stdout:write(r, "\n") end
    else
      env.stdout:write(entry_text(e), "\n")
    end
  end
  if fmt == "text" and #remittances > 0 then
    local counts, paid = {}, 0
    for _, e in ipairs(entries) do
      counts[e.outcome] = (counts[e.outcome] or 0) + 1
      paid = paid + (remit.cents(e.paid) or 0)
    end
    local parts = {}
    for _, o in ipairs({ "paid", "partial", "denied", "reversed", "pending" }) do
      parts[#parts + 1] = format("%s %d", o, counts[o] or 0)
    end
    env.stdout:write(format("%d claim payment(s): %s; paid in all %s\n", #entries,
      concat(parts, ", "), remit.money(paid)))
  end
  if matching then
    for _, c in ipairs(matching.unanswered_claims) do
      if fmt == "json" then
        env.stdout:write(encode({ claim_id = c.id, outcome = "unanswered", matched = false }),
          "\n")
      elseif fmt == "text" then
        env.stdout:write(format("claim %s sent, no answer in these 835s\n", tostring(c.id)))
      end
    end
    if fmt == "text" then
      env.stdout:write(format("%d matched, %d not matched to a sent claim; %d sent "
        .. "claim(s) with no answer\n", #matching.matched,
        #matching.unmatched_payments, #matching.unanswered_claims))
    end
  end
  return status
end

-- The fields of an acknowledgement entry, in the order of the CSV columns;
-- JSON writes each of them (null when unknown).
local ACK_FIELDS = { "kind", "level", "accepted", "set_id", "control_number", "claim_id",
  "payer_claim_number", "status", "status_text" }

local function ack_json(e)
  local out = {}
  for k, v in pairs(e) do out[k] = v end
  for _, k in ipairs(ACK_FIELDS) do
    if out[k] == nil then out[k] = NULL end
  end
  if out.errors == nil then out.errors = {} end
  return encode(out)
end

local function ack_csv(e)
  local row = {}
  for i, k in ipairs(ACK_FIELDS) do
    local v = e[k]
    if k == "status" and type(v) == "table" then v = nil end
    if type(v) == "boolean" then v = tostring(v) end
    row[i] = v == nil and "" or v
  end
  row[#ACK_FIELDS + 1] = concat(ack.messages(e), " | ")
  return csv_row(row)
end

--- bhclaim ack.
-- @treturn number|nil exit status, or nil and a usage message
function M.run_ack(a, env)
  if #a.args == 0 then return nil, "ack wants at least one file" end
  local fmt = a.opts.format or "text"
  if fmt ~= "text" and fmt ~= "json" and fmt ~= "csv" then
    return nil, "--format wants text, json or csv"
  end
  if fmt == "csv" then
    local header = {}
    for i, k in ipairs(ACK_FIELDS) do header[i] = k end
    header[#header + 1] = "messages"
    env.stdout:write(csv_row(header), "\n")
  end
  local rejected = false
  local status = read_each(a.args, env, ack.read, function(list)
    for _, x in ipairs(list) do
      for _, e in ipairs(ack.entries(x)) do
        if not e.accepted then rejected = true end
        local out
        if fmt == "json" then
          out = ack_json(e)
        elseif fmt == "csv" then
          out = ack_csv(e)
        else
          out = ack.entry_text(e)
        end
        env.stdout:write(out, "\n")
      end
    end
  end)
  if status == 0 and rejected then status = 1 end
  return status
end

return M
