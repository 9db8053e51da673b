--- The `bhclaim` command line: check, export, audit, codes, derive.
-- Workflow layer: scripts/bhclaim only calls main() and sets the exit code;
-- everything else (input detection, streaming, --jobs, reject files) is here.
-- Exit status: 0 no error finding, 1 some claim has an error finding or a bad
-- record, 2 usage or unreadable input. See docs/cli.md.
-- @module bhclaim.cli
-- SPDX-License-Identifier: MIT

local bhclaim = require("bhclaim")
local core = require("bhclaim.core")
local reports = require("bhclaim.reports")
local cli_remit = require("bhclaim.cli_remit")
local report_mod = require("bhclaim.report")
local cli_ledger = require("bhclaim.cli_ledger")

local M = {}

local format, concat = string.format, table.concat

-- Records after which a progress line is shown (when stderr is a terminal).
local PROGRESS_EVERY = 1000
-- Bytes read at once to detect the kind of an input.
local PEEK = 65536
-- Bytes read at once when streaming a JSON array.
local CHUNK = 1048576
-- Claims an 837P stream hands over at once.
local X12_BATCH = 500
-- Milliseconds between two looks at running --jobs children.
local POLL_MS = 20

-- {====================================================================
-- Help
-- =====================================================================

local HELP = {}

HELP.main = [[
usage: bhclaim COMMAND [OPTIONS] [ARGS]

Checks behavioral-health claims (JSON, NDJSON, group sessions, X12 837P)
and turns them into 837P, JSON or CSV.

commands:
  check   [FILE...]        check claims; findings as text, JSON or CSV
  audit   [FILE...]        check claims; print the batch summary only
  export  --to FMT [FILE...]  write the claims as 837p, json, ndjson or csv
  codes   CODE...          look up ICD-10-CM, CPT/HCPCS, modifier, POS codes
  derive  --code --date .. telehealth: place of service and modifiers
  remit   FILE.835...      explain remittances, match them to sent claims
  ack     FILE...          explain 999, TA1 and 277CA acknowledgements
  eligibility request|read 270 out, 271 in (coverage before the session)
  status  request|read     276 out, 277 in (claim status)
  ledger  SUBCOMMAND ...   the claim ledger: submit, ack, post, ar, worklist...
  serve   [OPTIONS]        the check service: nginx, HTTPS, API keys (docs/service.md)
  help    [COMMAND]        this text, or a command's

options for every command: --help, --today YYYY-MM-DD
exit status: 0 no error finding, 1 some claim has an error finding (or a
bad record), 2 usage error or unreadable input.
Run 'bhclaim COMMAND --help' for a command's options; docs/cli.md has it all.]]

local INPUT_HELP = [[
input: FILEs or standard input ('-' or none); the kind is detected by
content: a JSON object (a claim, or a group session when it has
"participants"), a JSON array of them, NDJSON (one object per line), or an
X12 837P interchange (starts with ISA).]]

local CHECK_OPTIONS = [[
  --format text|json|csv   text for people (default); json: one object per
                           claim per line; csv: one row per finding
  --profile NAME|FILE      payer profile for every claim: medicare, medicaid,
                           commercial or a Lua profile file (default: by
                           each claim's payer.kind)
  --rules FILE.lua         custom Lua rules (bhclaim.rules.load)
  --coverage FILE.271      the payer's 271: each claim gets the answer for
                           its member id and the coverage.* rules run
  --today YYYY-MM-DD       the date future-date checks compare with
  --reject FILE            write bad records there, one JSON object per line:
                           {"source","line","reason","error","record"}
  --jobs N                 split a large NDJSON input over N processes
                           (same output as one)
  --lenient                read 837P segment-count mismatches leniently]]

HELP.check = "usage: bhclaim check [OPTIONS] [FILE...]\n\n"
  .. "Checks every claim and prints its findings.\n\n" .. INPUT_HELP .. "\n\noptions:\n"
  .. CHECK_OPTIONS .. "\n\nexit status: 0 no error finding, 1 an error finding or a bad "
  .. "record, 2 usage\nor unreadable input."

HELP.audit = "usage: bhclaim audit [OPTIONS] [FILE...]\n\n"
  .. "Checks every claim and prints the batch summary: claims checked, clean,\n"
  .. "with errors, with warnings, bad records, charges at risk, findings by rule\n"
  .. "and the top findings.\n\n" .. INPUT_HELP .. "\n\noptions: as for check, and\n"
  .. "  --top N                  how many top findings to show (default 10)\n"
  .. CHECK_OPTIONS:gsub("text for people %(default%); json: one object per\n"
    .. "%s+claim per line; csv: one row per finding", "summary as text, one JSON object,\n"
    .. "                           or CSV by rule")

HELP.export = [[
usage: bhclaim export --to 837p|json|ndjson|csv [OPTIONS] [FILE...]

Writes the claims of the input (sessions become one claim per present
participant) to standard output.
  837p    one X12 837P 005010X222A1 interchange; every claim is checked
          first and one with an error finding goes to the reject file
  json    a JSON array of claims       ndjson  one claim per line
  csv     one row per service line

options:
  --to FMT                 the output format (required)
  --profile NAME|FILE      profile used to turn sessions into claims
  --envelope FILE.lua      837P envelope: a Lua file returning a table with
                           sender_id, receiver_id, submitter_name,
                           submitter_id, contact_name, contact_phone,
                           receiver_name, receiver_id_1000b (required) and
                           usage, interchange_control, group_control,
                           transaction_control, date, time, separators
                           (element_sep, component_sep, repetition_sep,
                           segment_term), newlines
  --sender ID, --receiver ID, --usage T|P, --control N, --time HHMM
                           override the envelope's values
  --today YYYY-MM-DD       the interchange date (default: today)
  --reject FILE            bad records (and claims 837P cannot carry)
  --lenient                read 837P input leniently
  --unchecked              837p: skip the check (the writer still refuses
                           what the 837P cannot carry exactly)

exit status: 0 every record written, 1 some record could not be, 2 usage
or unreadable input.]]

HELP.codes = [[
usage: bhclaim codes [--date YYYY-MM-DD] [CODE...] [--icd10 C] [--cpt C]
                     [--modifier C] [--pos C] [--format text|json]

Looks codes up. A bare CODE is tried as every kind its shape allows
(F33.1 ICD-10-CM; 90853 CPT; H0004 HCPCS or ICD-10-CM; HQ, 95 modifier;
10 place of service or modifier) and each kind that knows it answers.
--date chooses the ICD-10-CM fiscal year by date of service.

exit status: 0 every code found, 1 some code not found, 2 usage.]]

HELP.remit, HELP.ack = cli_remit.HELP.remit, cli_remit.HELP.ack
HELP.ledger = cli_ledger.HELP

HELP.derive = [[
usage: bhclaim derive --code CODE --date YYYY-MM-DD [OPTIONS]

Says which place of service and modifiers a telehealth service needs, and
whether it is allowed (bhclaim.telehealth.derive).

options:
  --code CODE              procedure code (required)
  --date YYYY-MM-DD        date of service (required)
  --payer KIND             medicare, medicaid, commercial, other
  --profile NAME|FILE      a payer profile instead of --payer
  --modality M             in_person (default), video, audio_only
  --patient-location L     home, facility, other
  --provider-kind K        practitioner, fqhc, rhc, cah_method_ii,
                           hospital_outpatient
  --last-in-person DATE    the patient's last in-person visit
  --group                  a group session
  --first-telehealth       the first telehealth service of the patient
  --format text|json

exit status: 0 allowed, 1 not allowed or no rule carried, 2 usage.]]

-- {====================================================================
-- Arguments
-- =====================================================================

-- Options: "value" takes an argument, "list" takes one and may repeat,
-- "flag" takes none. Hidden ones (--part ...) are for --jobs children.
local OPTIONS = {
  help = "flag", format = "value", profile = "value", rules = "value", today = "value",
  reject = "value", jobs = "value", lenient = "flag", top = "value", to = "value",
  envelope = "value", sender = "value", receiver = "value", usage = "value",
  control = "value", time = "value", date = "value", code = "value", payer = "value",
  modality = "value", ["patient-location"] = "value", ["provider-kind"] = "value",
  ["last-in-person"] = "value", group = "flag", ["first-telehealth"] = "flag",
  icd10 = "list", cpt = "list", modifier = "list", pos = "list", version = "flag",
  part = "value", range = "value", ["first-line"] = "value", name = "value",
  unchecked = "flag",
  progress = "value",
}
for name, kind in pairs(cli_remit.OPTIONS) do OPTIONS[name] = kind end
for name, kind in pairs(cli_ledger.OPTIONS) do OPTIONS[name] = kind end

local COMMON = { "help", "today" }
local CHECKING = { "format", "profile", "rules", "reject", "jobs", "lenient", "part",
  "range", "first-line", "name", "progress" }
local ALLOWED_LIST = {
  check = CHECKING,
  audit = { "top" },
  export = { "to", "profile", "envelope", "sender", "receiver", "usage", "control", "time",
    "reject", "lenient", "unchecked" },
  codes = { "date", "icd10", "cpt", "modifier", "pos", "format" },
  derive = { "code", "date", "payer", "profile", "modality", "patient-location",
    "provider-kind", "last-in-person", "group", "first-telehealth", "format" },
  remit = cli_remit.ALLOWED.remit, ack = cli_remit.ALLOWED.ack,
  ledger = cli_ledger.ALLOWED,
}
for _, name in ipairs(CHECKING) do ALLOWED_LIST.audit[#ALLOWED_LIST.audit + 1] = name end
-- eligibility and status (lua/bhclaim/cli_eligibility.lua)
local cli_eligibility = require("bhclaim.cli_eligibility")
cli_eligibility.register_options(OPTIONS, ALLOWED_LIST)

local ALLOWED = {}
for command, list in pairs(ALLOWED_LIST) do
  ALLOWED[command] = {}
  for _, name in ipairs(list) do ALLOWED[command][name] = true end
  for _, name in ipairs(COMMON) do ALLOWED[command][name] = true end
end

local function usage_error(msg)
  return { usage_error = msg }
end

local function set_option(a, name, value)
  if OPTIONS[name] == "list" then
    a.lists[name] = a.lists[name] or {}
    local list = a.lists[name]
    list[#list + 1] = value
  else
    a.opts[name] = value
  end
  a.order[#a.order + 1] = { name, value }
end

-- Reads one option at argv[i]; returns the next index or nil, message.
local function take_option(a, argv, i)
  local word = argv[i]
  local name, inline = word:match("^%-%-([%w%-]+)=(.*)$")
  name = name or word:match("^%-%-([%w%-]+)$")
  if word == "-h" then name = "help" end
  local kind = name and OPTIONS[name]
  if not kind then return nil, "unknown option '" .. word .. "'" end
  if kind == "flag" then
    if inline then return nil, "option --" .. name .. " takes no value" end
    set_option(a, name, true)
    return i + 1
  end
  local value = inline or argv[i + 1]
  if value == nil then return nil, "option --" .. name .. " needs a value" end
  set_option(a, name, value)
  return inline and i + 1 or i + 2
end

--- Parses the command line.
-- @tparam table argv arguments (arg[1..n])
-- @treturn table {command, opts, lists, args} or {usage_error = msg}
function M.parse(argv)
  local a = { opts = {}, lists = {}, args = {}, order = {} }
  local i, n, rest = 1, #argv, false
  while i <= n do
    local word = argv[i]
    if rest or word == "-" or word:sub(1, 1) ~= "-" then
      if a.command == nil then a.command = word else a.args[#a.args + 1] = word end
      i = i + 1
    elseif word == "--" then
      rest, i = true, i + 1
    else
      local nxt, msg = take_option(a, argv, i)
      if not nxt then return usage_error(msg) end
      i = nxt
    end
  end
  if a.command and a.command ~= "help" and not ALLOWED[a.command] then
    return usage_error("unknown command '" .. a.command .. "'")
  end
  if a.command and ALLOWED[a.command] then
    for _, pair in ipairs(a.order) do
      if not ALLOWED[a.command][pair[1]] and pair[1] ~= "version" then
        return usage_error(format("option --%s does not apply to '%s'", pair[1], a.command))
      end
    end
  end
  return a
end

-- {====================================================================
-- Small helpers
-- =====================================================================

local function is_object(v)
  return type(v) == "table" and getmetatable(v) ~= core.array_mt
end

-- {====================================================================
-- Faults: a signal, a closed pipe, a failed write. Each unwinds the run
-- to main (as an error of its own kind), which cleans up and exits.
-- =====================================================================

local Fault = {}
Fault.__tostring = function(f) return "bhclaim: " .. f.kind .. ": " .. tostring(f.message) end

local function fault(kind, message)
  error(setmetatable({ kind = kind, message = message }, Fault), 0)
end

-- Ends the run when SIGINT or SIGTERM came (core.process_catch set the flag).
local function poll_signal()
  local name, number = core.process_signal()
  if name then fault("signal", number) end
end

-- A file whose every write, flush and close is checked: a failure ends the
-- run with "write error on NAME: reason" (a closed pipe ends it quietly).
local Checked = {}
Checked.__index = Checked

local function write_failed(self, msg, code)
  poll_signal()   -- an interrupted write is the signal's doing
  if code == core.process_EPIPE then fault("pipe") end
  fault("write", format("write error on %s: %s", self.name, tostring(msg)))
end

local function checked(file, name)
  return setmetatable({ file = file, name = name }, Checked)
end

-- io's files answer a failure with nil, message, code; a writer of the
-- caller's (a table with a write method, as scripts and specs pass) may
-- return nothing on success.
local function failed(ok, msg)
  return not ok and msg ~= nil
end

function Checked:write(...)
  local ok, msg, code = self.file:write(...)
  if failed(ok, msg) then write_failed(self, msg, code) end
  return self
end

function Checked:flush()
  local ok, msg, code = self.file:flush()
  if failed(ok, msg) then write_failed(self, msg, code) end
end

function Checked:close()
  local ok, msg, code = self.file:close()
  if failed(ok, msg) then write_failed(self, msg, code) end
end

-- Copies a file to `out` from byte `from` on; returns the offset reached.
-- Seeking clears the end-of-file mark, so a file another process is still
-- writing can be followed. With no `from` (a pipe) it copies what is left.
local function copy_from(fh, out, from)
  local pos = from and fh:seek("set", from) or 0
  while true do
    poll_signal()
    local block = fh:read(CHUNK)
    if not block then break end
    out:write(block)
    pos = pos + #block
  end
  return pos
end

-- As copy_from, but stops after the last whole line: a running child's
-- half-written line waits, so a progress line never lands inside it.
local function copy_lines_from(fh, out, from)
  fh:seek("set", from)
  local pos = from
  while true do
    local block = fh:read(CHUNK)
    if not block then break end
    local last = block:match("^.*()\n")   -- anchored: one pass, from the end
    if not last then break end
    out:write(last == #block and block or block:sub(1, last))
    pos = pos + last
    if last < #block then break end
  end
  return pos
end

local function copy_file_to(path, out)
  local f = io.open(path, "rb")
  if not f then return end
  copy_from(f, out)
  f:close()
end

-- {====================================================================
-- The run's private temporary directory and children
-- =====================================================================

-- One directory (mkdtemp, mode 0700) under $TMPDIR per run, made when first
-- needed; main removes it, with what is in it, on every way out.
local function temp_path(run, name)
  if not run.tmpdir then
    local base = (os.getenv("TMPDIR") or ""):gsub("/+$", "")
    if base == "" then base = "/tmp" end
    local dir, err = core.process_mkdtemp(base .. "/bhclaim.XXXXXX")
    if not dir then fault("temp", "cannot make a temporary directory: " .. tostring(err)) end
    run.tmpdir = dir
  end
  return run.tmpdir .. "/" .. name
end

-- Ends the children still running and reaps them, then removes the
-- temporary directory. Children are killed outright (SIGKILL): their work
-- is thrown away and all they wrote is in that directory.
local function clean_up(run)
  for pid in pairs(run.children) do core.process_kill(pid, true) end
  for pid in pairs(run.children) do
    core.process_wait(pid, true)
    run.children[pid] = nil
  end
  if run.tmpdir then
    local ok, err = core.process_rmtree(run.tmpdir)
    if not ok then io.stderr:write("bhclaim: cannot remove " .. tostring(err) .. "\n") end
    run.tmpdir = nil
  end
end

-- {====================================================================
-- Option values
-- =====================================================================

local DAYS_IN_MONTH = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

-- A real calendar date as YYYY-MM-DD, in the years the core accepts
-- (1800-2999, bh_date_parse).
local function valid_date(s)
  if type(s) ~= "string" then return false end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then return false end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if y < 1800 or y > 2999 or m < 1 or m > 12 or d < 1 then return false end
  local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
  return d <= ((m == 2 and leap) and 29 or DAYS_IN_MONTH[m])
end

local function date_error(option, value)
  return format("%s wants a real calendar date as YYYY-MM-DD (years 1800-2999), not '%s'",
    option, tostring(value))
end

-- A whole number within [low, high] written in decimal digits, or nil.
local function whole(s, low, high)
  if type(s) ~= "string" or not s:match("^%d+$") or #s > 12 then return nil end
  local n = tonumber(s)
  if n < low or n > high then return nil end
  return n
end

local function one_of_text(list)
  if #list == 1 then return list[1] end
  return concat(list, ", ", 1, #list - 1) .. " or " .. list[#list]
end

-- nil when value is one of list, else a message naming the option.
local function choice_error(option, value, list)
  for _, v in ipairs(list) do
    if v == value then return nil end
  end
  return format("%s wants %s, not '%s'", option, one_of_text(list), tostring(value))
end

-- {====================================================================
-- The run context: options resolved once, output, totals
-- =====================================================================

local FORMATS = { "text", "json", "csv" }
-- --jobs beyond this is a typing mistake, not a machine.
local MAX_JOBS = 256

local function load_profile(spec)
  local p = bhclaim.payers.builtin(spec)
  if p then return p end
  local f = io.open(spec, "rb")
  if not f then
    return nil, "--profile: '" .. spec .. "' is neither a built-in profile (medicare, "
      .. "medicaid, commercial) nor a readable file"
  end
  f:close()
  local profile, err = bhclaim.payers.load(spec)
  if not profile then return nil, "--profile: " .. tostring(err) end
  return profile
end

-- Resolves --profile, --rules, --today, --format, --jobs, --top.
local function resolve(a, ctx)
  local o = a.opts
  if o.today and not valid_date(o.today) then return date_error("--today", o.today) end
  ctx.today = o.today or os.date("%Y-%m-%d")
  ctx.format = o.format or "text"
  local msg = choice_error("--format", ctx.format, FORMATS)
  if msg then return msg end
  ctx.jobs = whole(o.jobs or "1", 1, MAX_JOBS)
  if not ctx.jobs then
    return format("--jobs wants a whole number from 1 to %d, not '%s'", MAX_JOBS, o.jobs)
  end
  ctx.top = whole(o.top or "10", 0, 1e9)
  if not ctx.top then
    return format("--top wants a whole number of at least 0, not '%s'", o.top)
  end
  if o.range and not o.range:match("^%d+:%d+$") then return "--range wants FROM:TO" end
  ctx.check_opts = { today = ctx.today }
  if o.profile then
    local p, err = load_profile(o.profile)
    if not p then return err end
    ctx.profile, ctx.check_opts.payer = p, p
  end
  if o.rules then
    local set, err = bhclaim.rules.load(o.rules)
    if not set then return "--rules: " .. tostring(err) end
    ctx.check_opts.rules = set
  end
  -- claim.duplicate and code.frequency across the records of this run
  -- (of this process: with --jobs, each part on its own).
  ctx.check_opts.summary = true
  ctx.tracker = bhclaim.batch_tracker({ payer = ctx.profile })
  return cli_eligibility.resolve_coverage(a, ctx)
end

-- Adds the findings that need the run's earlier claims to a report.
local function track(ctx, report)
  if ctx.tracker then ctx.tracker:add(report) end
  return report
end

local function new_context(a, env, mode)
  local ctx = { mode = mode, args = a, env = env, out = env.out, err = env.stderr,
    run = env.run, stats = reports.summary(), records = 0, unreadable = false,
    part = a.opts.part, lenient = a.opts.lenient and true or false }
  local msg = resolve(a, ctx)
  if msg then return nil, msg end
  if a.opts.reject then
    local f, err = io.open(a.opts.reject, "wb")
    if not f then return nil, "--reject: cannot write " .. tostring(err) end
    ctx.reject = checked(f, a.opts.reject)
  end
  -- Progress goes to a terminal on stderr. When stdout is that same
  -- terminal, stdout is line-buffered and the progress line is erased
  -- before each report, so it never cuts a report line.
  local _, err_tty, same = core.process_terminals()
  ctx.show_progress = not ctx.part and not env.quiet and env.stderr == io.stderr and err_tty
  ctx.share_terminal = ctx.show_progress and same and env.stdout == io.stdout
  if ctx.share_terminal then io.stdout:setvbuf("line") end
  return ctx
end

-- {====================================================================
-- Records: good ones are checked, bad ones counted and written out
-- =====================================================================

local function show_progress(ctx, records)
  ctx.err:write(format("\rbhclaim: %d records", records))
  ctx.progress_shown = true
end

-- Erases the progress line before stdout writes to the same terminal.
local function erase_progress(ctx)
  if ctx.progress_shown then
    ctx.err:write("\r\27[K")
    ctx.progress_shown = false
  end
end

-- Counts a record and looks for a signal; every PROGRESS_EVERY records
-- shows the count (or, in a --jobs child, leaves it for the parent).
local function progress(ctx)
  ctx.records = ctx.records + 1
  poll_signal()
  if ctx.records % PROGRESS_EVERY ~= 0 then return end
  if ctx.show_progress and ctx.records > 1000 then show_progress(ctx, ctx.records) end
  local path = ctx.args.opts.progress
  if path then
    local f = io.open(path, "wb")
    if f then
      f:write(ctx.records)
      f:close()
    end
  end
end

local function where_text(where)
  local s = where.name
  if where.line then s = s .. ":" .. where.line end
  if where.element then s = s .. " (element " .. where.element .. ")" end
  return s
end

--- Counts a bad record, tells stderr, and writes it whole to the reject file.
local function bad_record(ctx, where, raw, reason, id)
  ctx.stats.bad_records = ctx.stats.bad_records + 1
  progress(ctx)
  erase_progress(ctx)
  ctx.err:write(format("bhclaim: %s: bad record skipped: %s\n", where_text(where), reason))
  if ctx.reject then
    local j = reports.json_string
    ctx.reject:write(format('{"source":%s,"line":%s,"element":%s,"reason":%s,"error":%s,'
      .. '"record":%s}\n', j(where.name), where.line and format("%d", where.line) or "null",
      where.element and format("%d", where.element) or "null", j(reason), j(id or "bad"),
      j(raw)))
  end
end

local function emit(ctx, e)
  reports.summary_add(ctx.stats, e)
  progress(ctx)
  local fmt = ctx.mode == "check" and ctx.format or nil
  if ctx.share_terminal then erase_progress(ctx) end
  if fmt == "text" then
    ctx.out:write(reports.text(e), "\n")
  elseif fmt == "json" then
    ctx.out:write(reports.json(e), "\n")
  elseif fmt == "csv" then
    ctx.out:write(reports.csv(e))
  end
end

-- A claim: checked (or collected, when exporting).
local function claim_record(ctx, claim, text, where)
  if ctx.sink then return ctx.sink(ctx, claim, where) end
  if ctx.coverage and cli_eligibility.attach_coverage(ctx, claim) then text = nil end
  local input = (text and not ctx.check_opts.rules) and text or claim
  local report, msg, id = bhclaim.check(input, ctx.check_opts)
  if not report then return bad_record(ctx, where, text or "", msg, id) end
  emit(ctx, reports.entry(claim, track(ctx, report)))
end

local function session_record(ctx, value, where)
  local session = bhclaim.session(value)
  if ctx.sink then
    local claims = session:claims(ctx.profile and { payer = ctx.profile } or nil)
    for _, claim in ipairs(claims) do ctx.sink(ctx, claim, where) end
    return
  end
  if ctx.coverage then cli_eligibility.attach_session_coverage(ctx, value) end
  local r = session:check(ctx.check_opts)
  if #r.findings > 0 then emit(ctx, reports.session_entry(value, r.findings)) end
  for _, c in ipairs(r.claims) do emit(ctx, reports.entry(c.claim, track(ctx, c.report))) end
end

-- One JSON value that should be an object (a claim or a session).
local function value_record(ctx, value, text, where)
  if not is_object(value) then
    local kind = type(value) == "table" and "an array" or ("a " .. type(value))
    if value == core.null then kind = "null" end
    local ok, encoded = pcall(bhclaim.encode, value)
    local raw = text or (ok and encoded) or tostring(value)
    return bad_record(ctx, where, raw, format("%s, not an object", kind), "not.object")
  end
  if value.participants ~= nil then return session_record(ctx, value, where) end
  return claim_record(ctx, value, text, where)
end

-- "line 1, byte 57: ..." from decoding one line becomes "line 17, byte 57: ...".
local function rebase(msg, line)
  msg = tostring(msg)
  local rel, tail = msg:match("^line (%d+)(.*)$")
  if rel then return format("line %d%s", line + tonumber(rel) - 1, tail) end
  return format("line %d: %s", line, msg)
end

local WHITE = { [9] = true, [10] = true, [13] = true, [32] = true }

-- A whole JSON object on one line: "{" first and "}" last, white space
-- aside. Looks at the two ends byte by byte: a pattern anchored at the end
-- would walk the whole (long) line.
local function object_line(line)
  local i, j = 1, #line
  while i <= j and WHITE[line:byte(i)] do i = i + 1 end
  while j >= i and WHITE[line:byte(j)] do j = j - 1 end
  return j > i and line:byte(i) == 123 and line:byte(j) == 125   -- "{" and "}"
end

--- One NDJSON line. A claim object goes to the core as text (with a
-- summary for the report), so the line is parsed once; sessions and
-- anything else are decoded first.
local function ndjson_line(ctx, text, where)
  if not ctx.sink and not ctx.coverage and object_line(text)
      and not text:find('"participants"', 1, true) then
    local report, msg, id = bhclaim.check(text, ctx.check_opts)
    if not report then return bad_record(ctx, where, text, rebase(msg, where.line), id) end
    return emit(ctx, reports.entry(nil, track(ctx, report)))
  end
  if ctx.sink and ctx.raw_claims and object_line(text)
      and not text:find('"participants"', 1, true) then
    return ctx.sink(ctx, text, where)   -- 837P export reads the JSON text itself
  end
  local value, msg, id = core.decode(text)
  if value == nil then return bad_record(ctx, where, text, rebase(msg, where.line), id) end
  return value_record(ctx, value, text, where)
end

-- {====================================================================
-- Inputs: detection and reading
-- =====================================================================

-- A line holding one whole JSON object: the mark of NDJSON.
-- Runs NDJSON records from `pending` (text already read, starting at line
-- `first`) then from the file, stopping after `limit` bytes when given.
local function ndjson_stream(ctx, src, pending, first, limit)
  local lineno, pos = first - 1, 1
  local fh = src.fh
  local function handle(line)
    lineno = lineno + 1
    if line:find("%S") then ndjson_line(ctx, line, { name = src.name, line = lineno }) end
  end
  while true do
    local nl = pending:find("\n", pos, true)
    if not nl then break end
    handle(pending:sub(pos, nl - 1))
    pos = nl + 1
  end
  local tail = pending:sub(pos)
  local used = #pending
  local more = fh and (limit == nil or used < limit) and fh:read("*l")
  if more then
    handle(tail .. more)
    used = used + #more + 1
  elseif tail ~= "" then
    return handle(tail)
  end
  if not more then return end
  for line in fh:lines() do
    if limit and used >= limit then break end
    used = used + #line + 1
    handle(line)
  end
end

local function first_line_of(text)
  return text:match("^[^\n]*")
end

-- Line breaks in s (a find loop: gsub would copy the string).
local function count_lines(s)
  local n, at = 0, s:find("\n", 1, true)
  while at do
    n, at = n + 1, s:find("\n", at + 1, true)
  end
  return n
end

-- The arguments core x12 stream checks take, resolved as bhclaim.x12.check
-- resolves them: the date, the compiled profiles by payer kind (--profile
-- for every kind) and the module's NCCI table.
local function x12_check_args(ctx)
  return ctx.today, bhclaim.x12.profiles(ctx.profile), bhclaim.ncci.table()
end

-- Checks (or hands to the export) the claims of an 837P stream, a batch at
-- a time, so neither the file nor its claims are held whole.
local function x12_claims(ctx, src, stream, first)
  local n, state, batch = 0, nil, nil  -- luacheck: ignore 311
  local today, by_kind, ncci = x12_check_args(ctx)
  local opts = ctx.check_opts
  repeat
    poll_signal()
    if ctx.sink or ctx.coverage or opts.rules then
      batch, state = stream:read(X12_BATCH)
      for _, claim in ipairs(batch) do
        n = n + 1
        if ctx.sink or ctx.coverage then
          -- The export takes claim tables; --coverage attaches the 271
          -- answer to each claim before checking it.
          claim_record(ctx, claim, nil, { name = src.name, line = first, element = n })
        else
          -- Lua rules read claim tables, as bhclaim.x12.check does then.
          emit(ctx, reports.entry(nil, track(ctx, bhclaim.check(claim, { today = opts.today,
            payer = opts.payer, rules = opts.rules, summary = true }))))
        end
      end
    else
      batch, state = stream:check(X12_BATCH, today, by_kind, ncci, nil, report_mod.report_mt,
        report_mod.finding_mt)
      for _, r in ipairs(batch) do
        n = n + 1
        emit(ctx, reports.entry(nil, track(ctx, r)))
      end
    end
  until state ~= "more"
  return n, state
end

-- An 837P: mapped and read claim by claim (standard input is spooled to
-- the run's temporary directory first).
local function x12_input(ctx, src, block)
  local path = src.path
  if not path then
    path = temp_path(ctx.run, "stdin.837")
    local f = checked(assert(io.open(path, "wb")), path)
    f:write(block)
    copy_from(src.fh, f, nil)
    f:close()
  end
  local stream, msg, line, raw = core.x12_stream(path, ctx.lenient)
  if not stream then
    bad_record(ctx, { name = src.name, line = line ~= 0 and line or nil }, raw, msg, "x12")
    ctx.unreadable = true
    return
  end
  local lead = block:find("ISA", 1, true) or 1
  local n, state = x12_claims(ctx, src, stream, count_lines(block:sub(1, lead - 1)) + 1)
  if state == "error" then
    local err, err_line, segment = stream:error()
    bad_record(ctx, { name = src.name, line = err_line }, segment, err, "x12")
    if n == 0 then ctx.unreadable = true end
  end
  stream:close()
  if not src.path then os.remove(path) end
end

-- A JSON array, streamed: its elements are split out as the text comes
-- and each is one record (a claim object is checked from its text, as an
-- NDJSON line is). A broken array structure ends the input as unreadable.
local function array_input(ctx, src, text)
  local scanner = core.json_array_scanner(src.first)
  local n = 0
  while text do
    local elements, lines = scanner:feed(text)
    if not elements then
      bad_record(ctx, { name = src.name, line = src.first }, "", lines, "json.array")
      ctx.unreadable = true
      return
    end
    for i, element in ipairs(elements) do
      n = n + 1
      ndjson_line(ctx, element, { name = src.name, line = lines[i], element = n })
    end
    poll_signal()
    text = src.fh:read(CHUNK)
  end
  local count, msg = scanner:finish()
  if not count then
    bad_record(ctx, { name = src.name, line = src.first }, scanner:rest(), msg, "json.array")
    ctx.unreadable = true
  end
end

-- A whole JSON text that is not an array: an object, or (failing that)
-- NDJSON whose first line is broken, or one bad record.
local function json_input(ctx, src, text, first)
  local value, msg, id = core.decode(text)
  if value ~= nil then
    if is_object(value) then return value_record(ctx, value, nil, { name = src.name,
      line = first }) end
    for i, v in ipairs(value) do
      value_record(ctx, v, nil, { name = src.name, line = first, element = i })
    end
    return
  end
  local lines = 0
  for line in text:gmatch("[^\n]+") do
    if object_line(line) then lines = lines + 1 end
    if lines >= 2 then return ndjson_stream(ctx, { name = src.name }, text .. "\n", 1) end
  end
  bad_record(ctx, { name = src.name, line = first }, text, rebase(msg, 1), id)
  ctx.unreadable = true
end

local run_jobs  -- defined with --jobs below

-- Reads on until `block` holds a line break after `from` (or the input
-- ends). Each read is searched alone and the pieces joined once: looking
-- through the whole block after every read made a long line quadratic.
local function read_line_end(src, block, from)
  if block:find("\n", from, true) then return block end
  local parts = { block }
  while true do
    local more = src.fh:read(PEEK)
    if not more then break end
    parts[#parts + 1] = more
    if more:find("\n", 1, true) then break end
  end
  return concat(parts)
end

local function rest_of(src)
  return src.fh:read("*a") or ""
end

-- Reads the first block, decides what the input is, and runs it.
local function run_source(ctx, src)
  local block = src.fh:read(PEEK) or ""
  if block:sub(1, 3) == "\239\187\191" then block = block:sub(4) end
  local lead, blank_lines = block:find("%S"), 0
  while not lead do
    -- Only white space so far: read on (a blank head of a large file).
    local more = src.fh:read(PEEK)
    if not more then
      poll_signal()   -- a read cut short by Ctrl-C looks like the end
      ctx.err:write(format("bhclaim: %s: no records\n", src.name))
      ctx.unreadable = true
      return
    end
    blank_lines = blank_lines + count_lines(block)
    block = more
    lead = block:find("%S")
  end
  local first = blank_lines + count_lines(block:sub(1, lead - 1)) + 1
  local c = block:sub(lead, lead)
  if c == "{" then
    block = read_line_end(src, block, lead)
    if object_line(first_line_of(block:sub(lead))) then
      if ctx.jobs > 1 and not ctx.part and not ctx.sink then return run_jobs(ctx, src, block) end
      return ndjson_stream(ctx, src, block, blank_lines + 1)
    end
    return json_input(ctx, src, block .. rest_of(src), first)
  elseif c == "[" then
    src.first = first
    return array_input(ctx, src, block)
  elseif block:sub(lead, lead + 2) == "ISA" then
    return x12_input(ctx, src, block)
  end
  ctx.err:write(format("bhclaim: %s: not JSON, NDJSON or X12 837P (it does not start "
    .. "with '{', '[' or 'ISA')\n", src.name))
  ctx.unreadable = true
end

local function open_source(ctx, name)
  if name == "-" then return { name = "(stdin)", fh = io.stdin } end
  local fh, err = io.open(name, "rb")
  if not fh then
    ctx.err:write("bhclaim: cannot read " .. tostring(err) .. "\n")
    ctx.unreadable = true
    return nil
  end
  return { name = name, fh = fh, path = name }
end

local function run_sources(ctx, files)
  if #files == 0 then files = { "-" } end
  for _, name in ipairs(files) do
    local src = open_source(ctx, name)
    if src then
      run_source(ctx, src)
      if src.fh ~= io.stdin then src.fh:close() end
    end
  end
end

-- {====================================================================
-- --jobs: N child processes over byte ranges of one NDJSON file
-- =====================================================================

-- The words that run this same script under the same interpreter.
local function self_command(env)
  local words = {}
  for _, word in ipairs(env.interpreter or { "lua" }) do words[#words + 1] = word end
  words[#words + 1] = env.script or "bhclaim"
  return words
end

-- The path of a regular file holding the input (stdin is spooled to the
-- run's temporary directory).
local function input_path(ctx, src, block)
  if src.path then return src.path end
  local tmp = temp_path(ctx.run, "stdin.ndjson")
  local f = checked(assert(io.open(tmp, "wb")), tmp)
  f:write(block)
  copy_from(src.fh, f, nil)
  f:close()
  return tmp
end

-- Byte ranges of about size/n each, cut at line ends. Each child counts
-- the lines before its own range (see run_part), in parallel with the
-- others, rather than the parent counting them before any child starts.
local function split_ranges(path, n)
  local f = assert(io.open(path, "rb"))
  local size = f:seek("end")
  local cuts = { 0 }
  for k = 1, n - 1 do
    f:seek("set", math.floor(size * k / n))
    f:read("*l")
    local at = math.max(f:seek(), cuts[#cuts])
    cuts[#cuts + 1] = math.min(at, size)
  end
  cuts[#cuts + 1] = size
  f:close()
  local ranges = {}
  for k = 1, n do
    if cuts[k + 1] > cuts[k] then
      ranges[#ranges + 1] = { from = cuts[k], to = cuts[k + 1] }
    end
  end
  return ranges
end

-- The line number of byte offset `upto` (1 when it is 0).
local function line_at(fh, upto)
  local line, pos = 1, 0
  fh:seek("set", 0)
  while pos < upto do
    local block = fh:read(math.min(1048576, upto - pos))
    if not block then break end
    line, pos = line + count_lines(block), pos + #block
  end
  return line
end

local function child_argv(ctx, path, range, files)
  local o = ctx.args.opts
  local words = self_command(ctx.env)
  local function add(...)
    for _, w in ipairs({ ... }) do words[#words + 1] = w end
  end
  add(ctx.mode, "--part", files.stats, "--range", range.from .. ":" .. range.to,
    "--name", files.name, "--today", ctx.today, "--progress", files.progress)
  if ctx.mode == "check" then add("--format", ctx.format) end
  if o.profile then add("--profile", o.profile) end
  if o.rules then add("--rules", o.rules) end
  if o.coverage then add("--coverage", o.coverage) end
  if ctx.reject then add("--reject", files.reject) end
  add("--", path)
  return words
end

local function load_stats(path)
  local chunk = loadfile(path)
  local ok, stats = pcall(chunk or error)
  if ok and type(stats) == "table" then return stats end
  return nil
end

-- The records the children have counted so far (their --progress files).
local function children_progress(jobs)
  local total = 0
  for _, job in ipairs(jobs) do
    local f = io.open(job.files.progress, "rb")
    if f then
      total = total + (tonumber(f:read("*a")) or 0)
      f:close()
    end
  end
  return total
end

-- Follows a running child's output into ours until it ends, so the first
-- range's reports come out at once (and a closed pipe is seen at once),
-- showing the children's progress meanwhile. Returns its exit status.
local function follow_child(ctx, job, jobs)
  local fh, pos, status = nil, 0
  while true do
    poll_signal()
    status = core.process_wait(job.pid)
    fh = fh or io.open(job.files.out, "rb")
    if fh then
      if ctx.share_terminal then erase_progress(ctx) end
      pos = (status and copy_from or copy_lines_from)(fh, ctx.out, pos)
    end
    if status then break end
    if ctx.show_progress then
      local n = children_progress(jobs)
      if n > 1000 and (n ~= ctx.last_shown or not ctx.progress_shown) then
        show_progress(ctx, n)
        ctx.last_shown = n
      end
    end
    core.process_sleep(POLL_MS)
  end
  ctx.run.children[job.pid] = nil
  if fh then fh:close() end
  return status
end

-- Replays a child's output in order and merges its totals.
local function collect_child(ctx, job, jobs)
  local status = follow_child(ctx, job, jobs)
  erase_progress(ctx)
  copy_file_to(job.files.err, ctx.err)
  if ctx.reject then copy_file_to(job.files.reject, ctx.reject) end
  local stats = load_stats(job.files.stats)
  if not stats then
    ctx.err:write("bhclaim: a --jobs child failed (exit status " .. tostring(status) .. ")\n")
    ctx.unreadable = true
  else
    reports.summary_merge(ctx.stats, stats.summary)
    if stats.unreadable then ctx.unreadable = true end
  end
  for key, p in pairs(job.files) do
    if key ~= "name" then os.remove(p) end
  end
end

run_jobs = function(ctx, src, block)
  local path = input_path(ctx, src, block)
  local jobs = {}
  for k, range in ipairs(split_ranges(path, ctx.jobs)) do
    local files = { name = src.name }
    for _, key in ipairs({ "out", "err", "stats", "reject", "progress" }) do
      files[key] = temp_path(ctx.run, key .. "." .. k)
    end
    local pid, err = core.process_spawn(child_argv(ctx, path, range, files), files.out,
      files.err)
    if not pid then fault("spawn", err) end
    ctx.run.children[pid] = true
    jobs[#jobs + 1] = { pid = pid, files = files }
  end
  for _, job in ipairs(jobs) do collect_child(ctx, job, jobs) end
  if path ~= src.path then os.remove(path) end
end

-- A child's own work: NDJSON lines of one byte range.
local function run_part(ctx, path)
  local from, to = ctx.args.opts.range:match("^(%d+):(%d+)$")
  local fh = io.open(path, "rb")
  if not fh or not from then
    ctx.unreadable = true
    return
  end
  local first = tonumber(ctx.args.opts["first-line"]) or line_at(fh, tonumber(from))
  fh:seek("set", tonumber(from))
  local src = { name = ctx.args.opts.name or path, fh = fh }
  ndjson_stream(ctx, src, "", first, tonumber(to) - tonumber(from))
  fh:close()
end

-- A Lua literal of plain data (numbers, strings, booleans, tables).
local function serialize(v)
  if type(v) == "table" then
    local out = {}
    for k, x in pairs(v) do
      out[#out + 1] = "[" .. serialize(k) .. "]=" .. serialize(x)
    end
    return "{" .. concat(out, ",") .. "}"
  elseif type(v) == "string" then
    return format("%q", v)
  elseif type(v) == "number" then
    return format("%.17g", v)
  end
  return tostring(v)
end

local function write_part_stats(ctx)
  local f = assert(io.open(ctx.part, "wb"))
  f:write("return ", serialize({ summary = ctx.stats, unreadable = ctx.unreadable }), "\n")
  f:close()
end

-- {====================================================================
-- check and audit
-- =====================================================================

local function summary_line(s)
  return format("%d claim%s: %d clean, %d with errors, %d with warnings; %d bad record%s; "
    .. "charges at risk %s\n", s.claims, s.claims == 1 and "" or "s", s.clean, s.with_errors,
    s.with_warnings, s.bad_records, s.bad_records == 1 and "" or "s",
    reports.money(s.cents_at_risk))
end

local function finish(ctx)
  erase_progress(ctx)
  if ctx.reject then ctx.reject:close() end
  if ctx.part then return write_part_stats(ctx) end
  local s = ctx.stats
  if ctx.mode == "audit" then
    if ctx.format == "json" then
      ctx.out:write(reports.summary_json(s, ctx.top))
    elseif ctx.format == "csv" then
      ctx.out:write(reports.summary_csv(s))
    else
      ctx.out:write(reports.summary_text(s, ctx.top))
    end
  elseif ctx.format == "text" then
    ctx.out:write(summary_line(s))
  end
end

local function exit_status(ctx)
  if ctx.unreadable then return 2 end
  local s = ctx.stats
  if s.with_errors > 0 or s.bad_records > 0 then return 1 end
  for _, r in pairs(s.rules) do
    if r.severity == "error" then return 1 end
  end
  return 0
end

local function run_checks(a, env, mode)
  local ctx, msg = new_context(a, env, mode)
  if not ctx then return nil, msg end
  if ctx.mode == "check" and ctx.format == "csv" and not ctx.part then
    ctx.out:write(reports.csv_header())
  end
  if ctx.part then
    run_part(ctx, a.args[1])
  else
    run_sources(ctx, a.args)
  end
  finish(ctx)
  return exit_status(ctx)
end

--- Runs `check` over one open source, as `check` does over a file: the
-- service (bhclaim.service) hands its request body here so that its answer
-- is the command line's, line for line.
-- @tparam table opts the check options by name (format, today, profile, rules, lenient)
-- @tparam table src {name, fh}: fh has the file methods read(n), read("*l"),
--   read("*a") and lines()
-- @tparam table env stdout, stderr (objects with write); quiet = true
-- @tparam[opt] table check_opts more options for bhclaim.check (disable, ncci)
-- @treturn number|nil exit status as `check` gives it (or nil, message)
-- @treturn table the summary (reports.summary)
function M.check_source(opts, src, env, check_opts)
  -- What M.main sets up for a run: checked output, the run's own state
  -- (temporary directory, children), removed when the source is done.
  env.out = env.out or checked(env.stdout, "(stdout)")
  env.run = env.run or { children = {} }
  local ctx, msg = new_context({ opts = opts, args = {}, lists = {} }, env, "check")
  if not ctx then return nil, msg end
  for k, v in pairs(check_opts or {}) do ctx.check_opts[k] = v end
  local ok, err = pcall(function()
    run_source(ctx, src)
    finish(ctx)
  end)
  clean_up(env.run)
  if not ok then error(err, 0) end
  return exit_status(ctx), ctx.stats
end

-- {====================================================================
-- export
-- =====================================================================

local EXPORTS = { ["837p"] = true, json = true, ndjson = true, csv = true }
local ENVELOPE_REQUIRED = { "sender_id", "receiver_id", "submitter_name", "submitter_id",
  "contact_name", "contact_phone", "receiver_name", "receiver_id_1000b" }

local function valid_time(s)
  local h, m = tostring(s):match("^(%d%d)(%d%d)$")
  return h ~= nil and tonumber(h) <= 23 and tonumber(m) <= 59
end

local function envelope(a, today)
  local env = {}
  if a.opts.envelope then
    local chunk, err = loadfile(a.opts.envelope)
    if not chunk then return nil, "--envelope: " .. tostring(err) end
    local ok, t = pcall(chunk)
    if not ok or type(t) ~= "table" then
      return nil, "--envelope: " .. a.opts.envelope .. " must return a table"
    end
    for k, v in pairs(t) do env[k] = v end
  end
  local o = a.opts
  for _, option in ipairs({ "sender", "receiver" }) do
    if o[option] and not o[option]:match("^[%w ]+$") or o[option] and #o[option] > 15 then
      return nil, format("--%s wants an id of 1 to 15 letters, digits or spaces, not '%s'",
        option, o[option])
    end
  end
  local msg = o.usage and choice_error("--usage", o.usage, { "T", "P" })
  if msg then return nil, msg end
  if o.time and not valid_time(o.time) then
    return nil, format("--time wants HHMM (0000 to 2359), not '%s'", o.time)
  end
  env.sender_id = o.sender or env.sender_id
  env.receiver_id = o.receiver or env.receiver_id
  env.usage = o.usage or env.usage
  env.time = o.time or env.time or os.date("%H%M")
  env.date = env.date or today
  if not valid_date(env.date) then return nil, date_error("--envelope: date", env.date) end
  if not valid_time(env.time) then
    return nil, format("--envelope: time wants HHMM (0000 to 2359), not '%s'", tostring(env.time))
  end
  local control = o.control and whole(o.control, 1, 999999999)
  if o.control and not control then
    return nil, format("--control wants a whole number from 1 to 999999999, not '%s'", o.control)
  end
  if control then
    env.interchange_control, env.group_control, env.transaction_control =
      control, control, control
  end
  local missing = {}
  for _, k in ipairs(ENVELOPE_REQUIRED) do
    if type(env[k]) ~= "string" or env[k] == "" then missing[#missing + 1] = k end
  end
  if #missing > 0 then
    return nil, "export --to 837p needs an envelope (--envelope FILE.lua); missing: "
      .. concat(missing, ", ")
  end
  return env
end

local CLAIM_CSV = { "claim_id", "patient", "member_id", "payer_id", "payer_name",
  "billing_npi", "rendering_npi", "diagnoses", "line", "date", "code", "modifiers", "units",
  "charge", "place_of_service", "dx_pointers" }

local function field(t, k)
  local v = type(t) == "table" and t[k] or nil
  if type(v) == "string" or type(v) == "number" then return v end
  return nil
end

local function joined(list)
  if type(list) ~= "table" then return "" end
  local out = {}
  for i, v in ipairs(list) do out[i] = tostring(v) end
  return concat(out, " ")
end

local function claim_csv(claim)
  local member = field(claim.subscriber, "member_id")
  local rows = {}
  for i, line in ipairs(type(claim.lines) == "table" and claim.lines or {}) do
    if type(line) == "table" then
      rows[#rows + 1] = reports.csv_row({ field(claim, "id"), reports.patient(claim), member,
        field(claim.payer, "id"), field(claim.payer, "name"),
        field(claim.billing_provider, "npi"), field(claim.rendering_provider, "npi"),
        joined(claim.diagnoses), i, field(line, "date"), field(line, "code"),
        joined(line.modifiers), field(line, "units"), field(line, "charge"),
        field(line, "place_of_service") or field(claim, "place_of_service"),
        joined(line.dx_pointers) }, #CLAIM_CSV)
    end
  end
  return concat(rows)
end

-- Claims in one 837P transaction set: the core's BH_X12_CLAIMS_PER_SET,
-- as bhclaim.x12.write writes them.
local SET_CLAIMS = core.x12_claims_per_set

-- Writes the pending claims as one transaction set. Claims the 837P cannot
-- carry go to the reject file, and the set waits for others to fill their
-- places (so sets hold SET_CLAIMS claims each, as bhclaim.x12.write's do),
-- unless this is the last one.
local function flush_set(ctx, last)
  local p = ctx.pending
  if #p.texts == 0 or ctx.envelope_error then return end
  local text = ctx.writer:add(p.texts)
  if not text then
    local kept = { texts = {}, wheres = {} }
    for i, t in ipairs(p.texts) do
      local ok, why = bhclaim.x12.write({ t }, ctx.x12_env)
      if not ok and tostring(why):match("^options: ") then
        -- An envelope value out of range refuses the run, not each claim.
        ctx.envelope_error = "--envelope: " .. why
        p.texts, p.wheres = {}, {}
        return
      end
      if ok then
        kept.texts[#kept.texts + 1], kept.wheres[#kept.wheres + 1] = t, p.wheres[i]
      else
        bad_record(ctx, p.wheres[i], t, why, "x12.claim")
      end
    end
    ctx.pending = kept
    if #kept.texts == 0 or (#kept.texts < SET_CLAIMS and not last) then return end
    local msg
    text, msg = ctx.writer:add(kept.texts)
    if not text then fault("write", "the 837P could not be written: " .. tostring(msg)) end
  end
  ctx.out:write(text)
  ctx.pending = { texts = {}, wheres = {} }
end

local function export_sink(to)
  if to == "837p" then
    -- A claim arrives as a table or, from NDJSON, as its JSON text, which
    -- the writer reads without a Lua table in between.
    return function(ctx, claim, where)
      local refused = not ctx.args.opts.unchecked and bhclaim.x12.refusal(claim, ctx.check_opts)
      if refused then
        local raw = type(claim) == "string" and claim or bhclaim.encode(claim)
        return bad_record(ctx, where, raw, refused, "x12.check")
      end
      local p = ctx.pending
      p.texts[#p.texts + 1] = type(claim) == "string" and claim or bhclaim.encode(claim)
      p.wheres[#p.wheres + 1] = where
      if #p.texts >= SET_CLAIMS then flush_set(ctx, false) end
    end
  end
  return function(ctx, claim)
    ctx.stats.claims = ctx.stats.claims + 1
    if to == "csv" then return ctx.out:write(claim_csv(claim)) end
    local text = bhclaim.encode(claim)
    if to == "ndjson" then return ctx.out:write(text, "\n") end
    ctx.out:write(ctx.stats.claims == 1 and "[\n" or ",\n", text)
  end
end

local function run_export(a, env)
  local to = a.opts.to
  if not to then return nil, "export wants --to 837p, json, ndjson or csv" end
  if not EXPORTS[to] then
    return nil, format("--to wants 837p, json, ndjson or csv, not '%s'", to)
  end
  local ctx, msg = new_context(a, env, "export")
  if not ctx then return nil, msg end
  local x12_env
  if to == "837p" then
    x12_env, msg = envelope(a, ctx.today)
    if not x12_env then return nil, msg end
  end
  ctx.sink, ctx.pending = export_sink(to), { texts = {}, wheres = {} }
  ctx.raw_claims = to == "837p"
  if to == "837p" then
    -- The sink checked each claim (or --unchecked): the writer does not again.
    x12_env.unchecked = true
    ctx.x12_env, ctx.writer = x12_env, core.x12_writer(x12_env)
  end
  if to == "csv" then ctx.out:write(reports.csv_row(CLAIM_CSV)) end
  run_sources(ctx, a.args)
  if to == "837p" then
    flush_set(ctx, true)
    if ctx.envelope_error then
      ctx.err:write("bhclaim: " .. ctx.envelope_error .. "\n")
      return 2
    end
    ctx.out:write(ctx.writer:finish())
  end
  if to == "json" then ctx.out:write(ctx.stats.claims == 0 and "[]\n" or "\n]\n") end
  if ctx.reject then ctx.reject:close() end
  if ctx.unreadable then return 2 end
  return ctx.stats.bad_records > 0 and 1 or 0
end

-- {====================================================================
-- codes and derive
-- =====================================================================

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

local function plain(t)
  local out = {}
  for k, v in pairs(t) do
    if type(v) ~= "function" and type(v) ~= "userdata" then out[k] = v end
  end
  return out
end

local function run_codes(a, env)
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

-- The values derive's options take (bhclaim.telehealth.derive's names).
local DERIVE_CHOICES = {
  payer = { "medicare", "medicaid", "commercial", "other" },
  modality = { "in_person", "video", "audio_only" },
  ["patient-location"] = { "home", "facility", "other" },
  ["provider-kind"] = { "practitioner", "fqhc", "rhc", "cah_method_ii", "hospital_outpatient" },
  format = { "text", "json" },
}

local function run_derive(a, env)
  local o = a.opts
  if not o.code or not o.date then return nil, "derive wants --code and --date" end
  if not valid_date(o.date) then return nil, date_error("--date", o.date) end
  if o["last-in-person"] and not valid_date(o["last-in-person"]) then
    return nil, date_error("--last-in-person", o["last-in-person"])
  end
  for option, list in pairs(DERIVE_CHOICES) do
    if o[option] then
      local msg = choice_error("--" .. option, o[option], list)
      if msg then return nil, msg end
    end
  end
  local payer = o.payer
  if o.profile then
    local p, err = load_profile(o.profile)
    if not p then return nil, err end
    payer = p
  end
  local ok, answer = pcall(bhclaim.telehealth.derive, {
    code = o.code, date = o.date, payer = payer, modality = o.modality,
    patient_location = o["patient-location"], provider_kind = o["provider-kind"],
    last_in_person = o["last-in-person"], group_session = o.group and true or nil,
    first_telehealth = o["first-telehealth"] and true or nil })
  if not ok then return nil, (tostring(answer):gsub("^[^:]*:%d+: ", "")) end
  if o.format == "json" then
    env.out:write(reports.json_encode(plain(answer)), "\n")
  else
    env.out:write(tostring(answer), "\n")
  end
  return (answer.known and answer.allowed) and 0 or 1
end

-- {====================================================================
-- main
-- =====================================================================

local COMMANDS = {
  check = function(a, env) return run_checks(a, env, "check") end,
  audit = function(a, env) return run_checks(a, env, "audit") end,
  export = run_export, codes = run_codes, derive = run_derive,
  remit = cli_remit.run_remit, ack = cli_remit.run_ack,
  ledger = cli_ledger.run,
}
cli_eligibility.register_commands(COMMANDS, HELP)

local function help(env, topic)
  local text = HELP[topic or "main"]
  if topic == "serve" then text = require("bhclaim.cli_serve").HELP end
  if not text then
    env.stderr:write("bhclaim: no help for '" .. tostring(topic) .. "'\n")
    return 2
  end
  env.out:write(text, "\n")
  return 0
end

local function usage(env, msg, command)
  env.stderr:write("bhclaim: " .. msg .. "\n")
  env.stderr:write("Try 'bhclaim " .. (command and (command .. " ") or "") .. "--help'.\n")
  return 2
end

-- Marks a real bug's error with where it happened; faults pass as they are.
local function with_traceback(e)
  if getmetatable(e) == Fault then return e end
  return debug.traceback(tostring(e), 2)
end

-- The exit status and message of a fault: 128 + the signal's number for
-- SIGINT (130) and SIGTERM (143); a closed pipe ends quietly with 141, as
-- a filter killed by SIGPIPE would; other faults exit 2.
local function fault_status(env, f)
  if f.kind == "signal" then
    env.stderr:write("bhclaim: interrupted\n")
    return 128 + f.message
  elseif f.kind == "pipe" then
    return 141
  end
  env.stderr:write("bhclaim: " .. tostring(f.message) .. "\n")
  return 2
end

local function run_command(a, env)
  local status, msg = COMMANDS[a.command](a, env)
  if status == nil then return usage(env, msg, a.command) end
  poll_signal()
  env.out:flush()
  return status
end

--- Runs the command line.
-- @tparam table argv the arguments (arg[1..n])
-- @tparam[opt] table env `stdout`, `stderr` (files), `interpreter` (the
--   words that started Lua, for --jobs children), `script` (this script's
--   path), `signals` (true: catch SIGINT and SIGTERM, ignore SIGPIPE; for
--   the command itself, not for a host that calls main)
-- @treturn number exit status: 0, 1 or 2; 130/143 after SIGINT/SIGTERM,
--   141 when standard output was a closed pipe
function M.main(argv, env)
  env = env or {}
  env.stdout, env.stderr = env.stdout or io.stdout, env.stderr or io.stderr
  if argv[1] == "serve" then return require("bhclaim.cli_serve").main(argv, env) end
  if env.signals then core.process_catch() end
  env.out = checked(env.stdout, "(stdout)")
  env.run = { children = {} }
  local ok, status = xpcall(function()
    local a, status = M.parse(argv), 0
    if a.usage_error then return usage(env, a.usage_error) end
    if a.opts.version then
      env.out:write(bhclaim._VERSION, "\n")
    elseif a.command == "help" or a.opts.help then
      local topic = a.command
      if topic == "help" then topic = a.args[1] end
      status = help(env, topic)
    elseif not a.command then
      env.stderr:write(HELP.main, "\n")
      return 2
    else
      return run_command(a, env)
    end
    env.out:flush()
    return status
  end, with_traceback)
  clean_up(env.run)
  if ok then return status end
  if getmetatable(status) == Fault then return fault_status(env, status) end
  env.stderr:write("bhclaim: internal error: " .. tostring(status) .. "\n")
  return 2
end

return M
