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

local M = {}

local format, concat = string.format, table.concat

-- Records after which a progress line is shown (when stderr is a terminal).
local PROGRESS_EVERY = 1000
-- Bytes read at once to detect the kind of an input.
local PEEK = 65536

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
participant) to standard output, unchecked.
  837p    one X12 837P 005010X222A1 interchange
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
}

local COMMON = { "help", "today" }
local CHECKING = { "format", "profile", "rules", "reject", "jobs", "lenient", "part",
  "range", "first-line", "name" }
local ALLOWED_LIST = {
  check = CHECKING,
  audit = { "top" },
  export = { "to", "profile", "envelope", "sender", "receiver", "usage", "control", "time",
    "reject", "lenient" },
  codes = { "date", "icd10", "cpt", "modifier", "pos", "format" },
  derive = { "code", "date", "payer", "profile", "modality", "patient-location",
    "provider-kind", "last-in-person", "group", "first-telehealth", "format" },
}
for _, name in ipairs(CHECKING) do ALLOWED_LIST.audit[#ALLOWED_LIST.audit + 1] = name end

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

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function copy_file_to(path, out)
  local f = io.open(path, "rb")
  if not f then return end
  while true do
    local block = f:read(1048576)
    if not block then break end
    out:write(block)
  end
  f:close()
end

-- os.execute's success on 5.1 (0) and on 5.2+ (true).
local function execute_ok(cmd)
  local r = os.execute(cmd)
  return r == true or r == 0
end

local function valid_date(s)
  return type(s) == "string" and s:match("^%d%d%d%d%-%d%d%-%d%d$") ~= nil
end

-- {====================================================================
-- The run context: options resolved once, output, totals
-- =====================================================================

local FORMATS = { text = true, json = true, csv = true }

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
  if o.today and not valid_date(o.today) then return "--today wants YYYY-MM-DD" end
  ctx.today = o.today or os.date("%Y-%m-%d")
  ctx.format = o.format or "text"
  if not FORMATS[ctx.format] then return "--format wants text, json or csv" end
  ctx.jobs = tonumber(o.jobs or "1")
  if not ctx.jobs or ctx.jobs < 1 or ctx.jobs ~= math.floor(ctx.jobs) then
    return "--jobs wants a whole number of at least 1"
  end
  ctx.top = tonumber(o.top or "10")
  if not ctx.top or ctx.top < 0 then return "--top wants a number" end
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
  return nil
end

local function new_context(a, env, mode)
  local ctx = { mode = mode, args = a, env = env, out = env.stdout, err = env.stderr,
    stats = reports.summary(), records = 0, unreadable = false, part = a.opts.part,
    lenient = a.opts.lenient and true or false }
  local msg = resolve(a, ctx)
  if msg then return nil, msg end
  if a.opts.reject then
    local f, err = io.open(a.opts.reject, "wb")
    if not f then return nil, "--reject: cannot write " .. tostring(err) end
    ctx.reject = f
  end
  ctx.show_progress = not ctx.part and not env.quiet and execute_ok("test -t 2")
  return ctx
end

-- {====================================================================
-- Records: good ones are checked, bad ones counted and written out
-- =====================================================================

local function progress(ctx)
  ctx.records = ctx.records + 1
  if ctx.show_progress and ctx.records % PROGRESS_EVERY == 0 and ctx.records > 1000 then
    ctx.err:write(format("\rbhclaim: %d records", ctx.records))
    ctx.progress_shown = true
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
  local input = (text and not ctx.check_opts.rules) and text or claim
  local report, msg, id = bhclaim.check(input, ctx.check_opts)
  if not report then return bad_record(ctx, where, text or "", msg, id) end
  emit(ctx, reports.entry(claim, report))
end

local function session_record(ctx, value, where)
  local session = bhclaim.session(value)
  if ctx.sink then
    local claims = session:claims(ctx.profile and { payer = ctx.profile } or nil)
    for _, claim in ipairs(claims) do ctx.sink(ctx, claim, where) end
    return
  end
  local r = session:check(ctx.check_opts)
  if #r.findings > 0 then emit(ctx, reports.session_entry(value, r.findings)) end
  for _, c in ipairs(r.claims) do emit(ctx, reports.entry(c.claim, c.report)) end
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

local function trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

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
  if not ctx.sink and object_line(text) and not text:find('"participants"', 1, true) then
    local opts = ctx.check_opts
    opts.summary = true
    local report, msg, id = bhclaim.check(text, opts)
    opts.summary = nil
    if not report then return bad_record(ctx, where, text, rebase(msg, where.line), id) end
    return emit(ctx, reports.entry(nil, report))
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

-- The segment whose number an 837P error names, and the line it starts on.
local function x12_segment(text, msg)
  local n = tonumber(tostring(msg):match("segment (%d+)"))
  local start = text:find("ISA", 1, true)
  if not n or not start or #text < start + 105 then return "", nil end
  local term = text:sub(start + 105, start + 105)
  local pos = start
  for _ = 2, n do
    local at = text:find(term, pos, true)
    if not at then return text:sub(pos), count_lines(text:sub(1, pos - 1)) + 1 end
    pos = at + 1
    while text:sub(pos, pos):match("^[\r\n]$") and term ~= "\n" do pos = pos + 1 end
  end
  local stop = text:find(term, pos, true) or #text
  return text:sub(pos, stop), count_lines(text:sub(1, pos - 1)) + 1
end

local function x12_input(ctx, src, text)
  local base = text:find("ISA", 1, true) or 1
  local first = count_lines(text:sub(1, base - 1)) + 1
  local claims, err, _
  if ctx.sink then
    claims, _, err = bhclaim.x12.read(text, { lenient = ctx.lenient })
    for i, claim in ipairs(claims) do
      claim_record(ctx, claim, nil, { name = src.name, line = first, element = i })
    end
  else
    -- Read and check in the core: no claim tables for a plain check.
    local opts = { lenient = ctx.lenient }
    for k, v in pairs(ctx.check_opts) do opts[k] = v end
    claims, _, err = bhclaim.x12.check(text, opts)
    for _, report in ipairs(claims) do emit(ctx, reports.entry(nil, report)) end
  end
  if err then
    local raw, line = x12_segment(text, err)
    bad_record(ctx, { name = src.name, line = line }, raw, err, "x12")
    if #claims == 0 then ctx.unreadable = true end
  end
end

-- A whole JSON text: an object, an array, or (failing that) NDJSON whose
-- first line is broken, or one bad record.
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

-- Reads the first block, decides what the input is, and runs it.
local function run_source(ctx, src)
  local block = src.fh:read(PEEK) or ""
  if block:sub(1, 3) == "\239\187\191" then block = block:sub(4) end
  local lead = block:find("%S")
  if not lead then return end
  while not block:find("\n", lead, true) do
    local more = src.fh:read(PEEK)
    if not more then break end
    block = block .. more
  end
  local first = count_lines(block:sub(1, lead - 1)) + 1
  local c = block:sub(lead, lead)
  if c == "{" and object_line(first_line_of(block:sub(lead))) then
    if ctx.jobs > 1 and not ctx.part and not ctx.sink then return run_jobs(ctx, src, block) end
    return ndjson_stream(ctx, src, block, 1)
  elseif c == "{" or c == "[" then
    return json_input(ctx, src, block .. (src.fh:read("*a") or ""), first)
  elseif block:sub(lead, lead + 2) == "ISA" then
    return x12_input(ctx, src, block .. (src.fh:read("*a") or ""))
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

-- A command line that runs this same script under the same interpreter.
local function self_command(env)
  local parts = {}
  for _, word in ipairs(env.interpreter or { "lua" }) do parts[#parts + 1] = shell_quote(word) end
  parts[#parts + 1] = shell_quote(env.script or "bhclaim")
  return concat(parts, " ")
end

-- The path of a regular file holding the input (stdin is spooled).
local function input_path(src, block)
  if src.path then return src.path, false end
  local tmp = os.tmpname()
  local f = assert(io.open(tmp, "wb"))
  f:write(block)
  while true do
    local more = src.fh:read(1048576)
    if not more then break end
    f:write(more)
  end
  f:close()
  return tmp, true
end

-- Byte offsets splitting the file into n ranges at line ends, with the
-- line number each range starts on.
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

local function child_command(ctx, path, range, files)
  local o = ctx.args.opts
  local words = { self_command(ctx.env), ctx.mode, "--part", shell_quote(files.stats),
    "--range", range.from .. ":" .. range.to,
    "--name", shell_quote(files.name), "--today", ctx.today }
  if ctx.mode == "check" then words[#words + 1] = "--format " .. ctx.format end
  if o.profile then words[#words + 1] = "--profile " .. shell_quote(o.profile) end
  if o.rules then words[#words + 1] = "--rules " .. shell_quote(o.rules) end
  if ctx.reject then words[#words + 1] = "--reject " .. shell_quote(files.reject) end
  words[#words + 1] = shell_quote(path)
  words[#words + 1] = ">" .. shell_quote(files.out) .. " 2>" .. shell_quote(files.err)
  words[#words + 1] = "; echo $?"
  return concat(words, " ")
end

local function load_stats(path)
  local chunk = loadfile(path)
  local ok, stats = pcall(chunk or error)
  if ok and type(stats) == "table" then return stats end
  return nil
end

-- Replays a finished child's output in order and merges its totals.
local function collect_child(ctx, job)
  local status = job.pipe:read("*a")
  job.pipe:close()
  copy_file_to(job.files.out, ctx.out)
  copy_file_to(job.files.err, ctx.err)
  if ctx.reject then copy_file_to(job.files.reject, ctx.reject) end
  local stats = load_stats(job.files.stats)
  if not stats then
    ctx.err:write("bhclaim: a --jobs child failed (exit status " .. trim(status or "?") .. ")\n")
    ctx.unreadable = true
  else
    reports.summary_merge(ctx.stats, stats.summary)
    if stats.unreadable then ctx.unreadable = true end
  end
  for _, p in pairs(job.files) do
    if p ~= job.files.name then os.remove(p) end
  end
end

run_jobs = function(ctx, src, block)
  local path, spooled = input_path(src, block)
  local jobs = {}
  for _, range in ipairs(split_ranges(path, ctx.jobs)) do
    local files = { out = os.tmpname(), err = os.tmpname(), stats = os.tmpname(),
      reject = os.tmpname(), name = src.name }
    local cmd = child_command(ctx, path, range, files)
    jobs[#jobs + 1] = { pipe = assert(io.popen(cmd, "r")), files = files }
  end
  for _, job in ipairs(jobs) do collect_child(ctx, job) end
  if spooled then os.remove(path) end
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
  if ctx.progress_shown then ctx.err:write("\r\27[K") end
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
  local ctx, msg = new_context({ opts = opts, args = {}, lists = {} }, env, "check")
  if not ctx then return nil, msg end
  for k, v in pairs(check_opts or {}) do ctx.check_opts[k] = v end
  run_source(ctx, src)
  finish(ctx)
  return exit_status(ctx), ctx.stats
end

-- {====================================================================
-- export
-- =====================================================================

local EXPORTS = { ["837p"] = true, json = true, ndjson = true, csv = true }
local ENVELOPE_REQUIRED = { "sender_id", "receiver_id", "submitter_name", "submitter_id",
  "contact_name", "contact_phone", "receiver_name", "receiver_id_1000b" }

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
  env.sender_id = o.sender or env.sender_id
  env.receiver_id = o.receiver or env.receiver_id
  env.usage = o.usage or env.usage
  env.time = o.time or env.time or os.date("%H%M")
  env.date = env.date or today
  local control = o.control and tonumber(o.control)
  if o.control and not control then return nil, "--control wants a number" end
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

local function export_sink(to)
  if to == "837p" then
    -- A claim arrives as a table or, from NDJSON, as its JSON text, which
    -- the writer reads without a Lua table in between.
    return function(ctx, claim, where)
      ctx.claims[#ctx.claims + 1] = claim
      ctx.wheres[#ctx.wheres + 1] = where
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

-- Writes the 837P; claims the writer refuses go to the reject file.
local function write_837p(ctx, env)
  local text, msg = bhclaim.x12.write(ctx.claims, env)
  if text or #ctx.claims == 0 then return text or "" end
  local kept = {}
  for i, claim in ipairs(ctx.claims) do
    local ok, why = bhclaim.x12.write({ claim }, env)
    if ok then
      kept[#kept + 1] = claim
    else
      local raw = type(claim) == "string" and claim or bhclaim.encode(claim)
      bad_record(ctx, ctx.wheres[i], raw, why or msg, "x12.claim")
    end
  end
  if #kept == 0 then return "" end
  return bhclaim.x12.write(kept, env) or ""
end

local function run_export(a, env)
  local to = a.opts.to
  if not EXPORTS[to or ""] then return nil, "export wants --to 837p, json, ndjson or csv" end
  local ctx, msg = new_context(a, env, "export")
  if not ctx then return nil, msg end
  local x12_env
  if to == "837p" then
    x12_env, msg = envelope(a, ctx.today)
    if not x12_env then return nil, msg end
  end
  ctx.sink, ctx.claims, ctx.wheres = export_sink(to), {}, {}
  ctx.raw_claims = to == "837p"
  if to == "csv" then ctx.out:write(reports.csv_row(CLAIM_CSV)) end
  run_sources(ctx, a.args)
  if to == "837p" then ctx.out:write(write_837p(ctx, x12_env)) end
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
  if date and not valid_date(date) then return nil, "--date wants YYYY-MM-DD" end
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
      env.stdout:write(json and format('{"code":%s,"found":false,"message":%s}\n',
        reports.json_string(q[1]), reports.json_string(why)) or (q[1] .. ": " .. why .. "\n"))
    end
    for _, f in ipairs(found) do
      env.stdout:write(json and format('{"code":%s,"found":true,"kind":%s,"result":%s}\n',
        reports.json_string(q[1]), reports.json_string(f.kind), reports.json_encode(plain(f.info)))
        or (tostring(f.info) .. "\n"))
    end
  end
  return status
end

local function run_derive(a, env)
  local o = a.opts
  if not o.code or not o.date then return nil, "derive wants --code and --date" end
  if not valid_date(o.date) then return nil, "--date wants YYYY-MM-DD" end
  if o["last-in-person"] and not valid_date(o["last-in-person"]) then
    return nil, "--last-in-person wants YYYY-MM-DD"
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
    env.stdout:write(reports.json_encode(plain(answer)), "\n")
  else
    env.stdout:write(tostring(answer), "\n")
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
}

local function help(env, topic)
  local text = HELP[topic or "main"]
  if topic == "serve" then text = require("bhclaim.cli_serve").HELP end
  if not text then
    env.stderr:write("bhclaim: no help for '" .. tostring(topic) .. "'\n")
    return 2
  end
  env.stdout:write(text, "\n")
  return 0
end

local function usage(env, msg, command)
  env.stderr:write("bhclaim: " .. msg .. "\n")
  env.stderr:write("Try 'bhclaim " .. (command and (command .. " ") or "") .. "--help'.\n")
  return 2
end

--- Runs the command line.
-- @tparam table argv the arguments (arg[1..n])
-- @tparam[opt] table env `stdout`, `stderr` (files), `interpreter` (the
--   words that started Lua, for --jobs children), `script` (this script's path)
-- @treturn number exit status: 0, 1 or 2
function M.main(argv, env)
  env = env or {}
  env.stdout, env.stderr = env.stdout or io.stdout, env.stderr or io.stderr
  if argv[1] == "serve" then return require("bhclaim.cli_serve").main(argv, env) end
  local a = M.parse(argv)
  if a.usage_error then return usage(env, a.usage_error) end
  if a.opts.version then
    env.stdout:write(bhclaim._VERSION, "\n")
    return 0
  end
  if a.command == "help" then return help(env, a.args[1]) end
  if a.opts.help then return help(env, a.command) end
  if not a.command then
    env.stderr:write(HELP.main, "\n")
    return 2
  end
  local ok, status, msg = pcall(COMMANDS[a.command], a, env)
  if not ok then
    env.stderr:write("bhclaim: internal error: " .. tostring(status) .. "\n")
    status = 2
  elseif status == nil then
    status = usage(env, msg, a.command)
  end
  env.stdout:flush()
  return status
end

return M
