--- `bhclaim check` and `bhclaim audit`: the run context, the record loop
-- (good records checked, bad ones counted and written out) and the readers
-- of every input kind (NDJSON, JSON, a JSON array, an 837P). `export`
-- reads its input through the same context and readers.
-- @module bhclaim.cli_check
-- SPDX-License-Identifier: MIT

local bhclaim = require("bhclaim")
local core = require("bhclaim.core")
local reports = require("bhclaim.reports")
local report_mod = require("bhclaim.report")
local rules = require("bhclaim.rules")
local cli_eligibility = require("bhclaim.cli_eligibility")
local cli_jobs = require("bhclaim.cli_jobs")
local U = require("bhclaim.cli_util")

local M = {}

local format, concat = string.format, table.concat
local poll_signal, checked = U.poll_signal, U.checked
local temp_path, copy_from = U.temp_path, U.copy_from
local valid_date, date_error, whole, choice_error = U.valid_date, U.date_error, U.whole,
  U.choice_error
local load_profile, show_progress, erase_progress = U.load_profile, U.show_progress,
  U.erase_progress
local is_object, count_lines, clean_up = U.is_object, U.count_lines, U.clean_up
local run_jobs, run_part, write_part_stats = cli_jobs.run_jobs, cli_jobs.run_part,
  cli_jobs.write_part_stats

-- Records after which a progress line is shown (when stderr is a terminal).
local PROGRESS_EVERY = 1000
-- Bytes read at once to detect the kind of an input.
local PEEK = 65536
-- Bytes read at once when streaming a JSON array.
local CHUNK = U.CHUNK
-- Claims an 837P stream hands over at once.
local X12_BATCH = 500

local HELP = {}

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
  --ncci-ptp FILE          CMS's practitioner PTP file (a .TXT) and
  --ncci-mue FILE          practitioner MUE file (a .csv), used with the
                           compiled-in edits (bhclaim.ncci.load)
  --ncci-mue-from DATE     the MUE file's effective date, when its name has
                           no Eff_MM-DD-YYYY
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

-- {====================================================================
-- The run context: options resolved once, output, totals
-- =====================================================================

local FORMATS = { "text", "json", "csv" }
-- --jobs beyond this is a typing mistake, not a machine.
local MAX_JOBS = 256


-- --ncci-ptp and --ncci-mue: CMS's files loaded (bhclaim.ncci.load) into a
-- table of this run's own, with the compiled-in edits; nil when neither is
-- given (the module's table then). Returns the table or nil, message.
local function load_ncci(o)
  if o["ncci-mue-from"] then
    if not o["ncci-mue"] then return nil, "--ncci-mue-from wants --ncci-mue" end
    if not valid_date(o["ncci-mue-from"]) then
      return nil, date_error("--ncci-mue-from", o["ncci-mue-from"])
    end
  end
  if not o["ncci-ptp"] and not o["ncci-mue"] then return nil end
  local ncci = bhclaim.ncci.new()
  if o["ncci-ptp"] then
    local ok, err = bhclaim.ncci.load({ ptp = o["ncci-ptp"], into = ncci })
    if not ok then return nil, "--ncci-ptp: " .. tostring(err) end
  end
  if o["ncci-mue"] then
    local ok, err = bhclaim.ncci.load({ mue = o["ncci-mue"], mue_from = o["ncci-mue-from"],
      into = ncci })
    if not ok then return nil, "--ncci-mue: " .. tostring(err) end
  end
  return ncci
end

-- Resolves --profile, --rules, --ncci-*, --today, --format, --jobs, --top.
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
  local ncci, ncci_error = load_ncci(o)
  if ncci_error then return ncci_error end
  ctx.check_opts.ncci = ncci
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

-- Counts n records (default 1) and looks for a signal; every
-- PROGRESS_EVERY records shows the count (or, in a --jobs child, leaves it
-- for the parent).
local function progress(ctx, n)
  local before = ctx.records
  ctx.records = before + (n or 1)
  poll_signal()
  if math.floor(ctx.records / PROGRESS_EVERY) == math.floor(before / PROGRESS_EVERY) then
    return
  end
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

local function emit(ctx, e, where)
  reports.summary_add(ctx.stats, e)
  progress(ctx)
  local fmt = ctx.mode == "check" and ctx.format or nil
  if ctx.share_terminal then erase_progress(ctx) end
  if fmt == "text" then
    ctx.out:write(reports.text(e), "\n")
  elseif fmt == "json" then
    ctx.out:write(reports.json(e), "\n")
  elseif fmt == "csv" then
    ctx.out:write(reports.csv(e, where))
  end
end

-- A claim: checked (or collected, when exporting).
local function claim_record(ctx, claim, text, where)
  if ctx.sink then return ctx.sink(ctx, claim, where) end
  if ctx.coverage and cli_eligibility.attach_coverage(ctx, claim) then text = nil end
  local input = (text and not ctx.check_opts.rules) and text or claim
  local report, msg, id = bhclaim.check(input, ctx.check_opts)
  if not report then return bad_record(ctx, where, text or "", msg, id) end
  emit(ctx, reports.entry(claim, track(ctx, report)), where)
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
  if #r.findings > 0 then emit(ctx, reports.session_entry(value, r.findings), where) end
  for _, c in ipairs(r.claims) do
    emit(ctx, reports.entry(c.claim, track(ctx, c.report)), where)
  end
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
    return emit(ctx, reports.entry(nil, track(ctx, report)), where)
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
-- The batch path: records checked and reported in C (core.check_batch),
-- a chunk at a time; a record that needs Lua comes back to ndjson_line
-- -- see csrc/lua/check_batch.c for which. Output and summary are the
-- Lua path's, byte for byte.
-- =====================================================================

-- check_opts keys the batch path takes as bhclaim.check does; any other
-- (disable, provider_kind...) keeps the run on the Lua path.
local BATCH_CHECK_OPTS = { today = true, payer = true, summary = true, ncci = true,
  rules = true }
-- "" (unknown) and the core's payer kind names.
local PAYER_KINDS = { "" }
for _, kind in ipairs(core.names.payer_kind) do PAYER_KINDS[#PAYER_KINDS + 1] = kind end

-- Codes under a code.frequency limit, by payer kind ("" unknown), as the
-- tracker finds the profile of each kind: claims with one go to Lua.
local function limited_codes(tracker)
  local limited = {}
  for _, kind in ipairs(PAYER_KINDS) do
    local profile = tracker.profile_for and tracker.profile_for(kind ~= "" and kind or nil)
    local by_code = profile and tracker:limits_of(profile)
    if by_code then
      limited[kind] = {}
      for code in pairs(by_code) do limited[kind][code] = true end
    end
  end
  return limited
end

-- The findings the Lua layer adds to one claim of the batch path (its JSON
-- text, or an 837P claim's table), as bhclaim.check adds them after the
-- core's: --rules' (the rules see the claim with JSON null as nil), then,
-- with --coverage, the coverage rules' on the claim given its member's 271
-- answer. nil when the text does not decode: the claim then takes the Lua
-- path, which reports it. nil as the function when there is nothing to add.
local function lua_findings(ctx)
  local set = ctx.check_opts.rules
  if not set and not ctx.coverage then return nil end
  local sets, none = { set }, {}
  return function(record)
    local claim = record
    if type(record) == "string" then claim = core.decode(record) end
    if type(claim) ~= "table" then return nil end
    if ctx.coverage then cli_eligibility.attach_coverage(ctx, claim) end
    local r = setmetatable({ ok = true, counts = {}, findings = {}, disabled = {} },
      report_mod.report_mt)
    rules.add_findings(sets, claim, r, none)
    return r.findings
  end
end

-- The options of core.check_batch's calls for this run, or false when the
-- run cannot take the batch path (export, a check option left to Lua).
local function batch_options(ctx)
  if ctx.batch_opts ~= nil then return ctx.batch_opts end
  local usable = not ctx.sink and ctx.tracker ~= nil
  for k in pairs(ctx.check_opts) do
    if not BATCH_CHECK_OPTS[k] then usable = false end
  end
  if not usable then
    ctx.batch_opts = false
    return false
  end
  ctx.batch = core.check_batch()
  ctx.batch_opts = { format = ctx.mode == "check" and ctx.format or "none", today = ctx.today,
    ncci = ctx.check_opts.ncci or bhclaim.ncci.table(),
    by_kind = bhclaim.x12.profiles(ctx.profile), limited = limited_codes(ctx.tracker),
    tracker = ctx.tracker,
    rule_findings = lua_findings(ctx) }
  return ctx.batch_opts
end

local function batch_output(ctx, out, records)
  progress(ctx, records)
  if out ~= "" then
    if ctx.share_terminal then erase_progress(ctx) end
    ctx.out:write(out)
  end
end

-- Bytes the batch path reads at once: below LuaJIT's threshold for
-- allocating a string with its own mmap, so reading allocates no pages.
local BATCH_CHUNK = 65536

-- Runs the lines of text (its last line too when final, else only lines
-- ended by "\n") from line number `line` on; returns the unrun rest and its
-- line number.
local function batch_lines(ctx, bopts, src, text, line, final)
  local pos, len = 1, #text
  bopts.source = src.name
  while pos <= len do
    local out, next_pos, next_line, records, handed = ctx.batch:lines(text, pos, line, bopts,
      ctx.stats, final)
    batch_output(ctx, out, records)
    pos, line = next_pos, next_line
    if not handed then break end
    local nl = text:find("\n", pos, true) or len + 1
    ndjson_line(ctx, text:sub(pos, nl - 1), { name = src.name, line = line })
    pos, line = nl + 1, line + 1
  end
  return pos <= len and text:sub(pos) or "", line
end

-- The Lua file the batch path writes report lines to from C (stdout's),
-- or nil when progress lines share its terminal or the caller's writer is
-- not a file (then the lines come back as a string).
local function direct_out(ctx)
  local file = not ctx.share_terminal and ctx.out.file
  if io.type(file) == "file" then return file end
  return nil
end

-- Reads a Lua file into the batch (batch:file_lines: no Lua string per
-- chunk) from where `at` says: at.tail (input held from before), at.line
-- (its line number), at.used (bytes of the range read so far) and at.limit
-- (the range's bytes; nil: to the end). Returns the unfinished last line
-- and its line number.
local function file_batch(ctx, bopts, src, at)
  local batch, direct = ctx.batch, direct_out(ctx)
  local line, used, limit = at.line, at.used, at.limit
  batch:hold(at.tail)
  bopts.source = src.name
  while true do
    local want = limit and math.max(0, math.min(BATCH_CHUNK, limit - used)) or BATCH_CHUNK
    local out, got, next_line, records, handed, at_end = batch:file_lines(src.fh, want, line,
      bopts, ctx.stats, direct)
    if not out then
      local message, what, code = got, next_line, records
      if what == "write" then ctx.out:failed(message, code) end
      poll_signal()   -- a read cut short by Ctrl-C
      batch:take_input()
      ctx.err:write(format("bhclaim: %s: read error: %s\n", src.name, message))
      ctx.unreadable = true
      return "", line
    end
    used = used + got
    batch_output(ctx, out, records)
    line = next_line
    if handed then
      ndjson_line(ctx, handed, { name = src.name, line = line })
      line = line + 1
    elseif at_end or want == 0 then
      break
    end
    poll_signal()
  end
  return batch:take_input(), line
end

-- As file_batch for a reader that is not a Lua file (the service's
-- request body): Lua strings a chunk at a time.
local function chunk_batch(ctx, bopts, src, at)
  local tail, line, used, limit = at.tail, at.line, at.used, at.limit
  local fh, parts = src.fh, { tail }   -- a line longer than a chunk is joined once
  while limit == nil or used < limit do
    local more = fh:read(limit and math.min(BATCH_CHUNK, limit - used) or BATCH_CHUNK)
    if not more then break end
    used = used + #more
    parts[#parts + 1] = more
    if more:find("\n", 1, true) then
      poll_signal()
      local text = parts[1] == "" and #parts == 2 and more or concat(parts)
      tail, line = batch_lines(ctx, bopts, src, text, line, false)
      parts = { tail }
    end
  end
  return concat(parts), line
end

-- ndjson_stream on the batch path: the input is read a chunk at a time.
local function ndjson_batch(ctx, bopts, src, pending, first, limit)
  local fh, used = src.fh, #pending
  local tail, line = batch_lines(ctx, bopts, src, pending, first, fh == nil)
  if fh then
    local read_chunks = io.type(fh) == "file" and file_batch or chunk_batch
    tail, line = read_chunks(ctx, bopts, src, { tail = tail, line = line, used = used,
      limit = limit })
  end
  if fh and limit and tail ~= "" then
    -- the range ends inside a line: the line is this range's, whole
    local rest = fh:read("*l")
    if rest then tail = tail .. rest end
  end
  if tail ~= "" then batch_lines(ctx, bopts, src, tail, line, true) end
end

-- {====================================================================
-- Inputs: detection and reading
-- =====================================================================

-- A line holding one whole JSON object: the mark of NDJSON.
-- Runs NDJSON records from `pending` (text already read, starting at line
-- `first`) then from the file, stopping after `limit` bytes when given.
local function ndjson_stream(ctx, src, pending, first, limit)
  local bopts = batch_options(ctx)
  if bopts then return ndjson_batch(ctx, bopts, src, pending, first, limit) end
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


-- The arguments core x12 stream checks take, resolved as bhclaim.x12.check
-- resolves them: the date, the compiled profiles by payer kind (--profile
-- for every kind) and the NCCI table (--ncci-* or the module's).
local function x12_check_args(ctx)
  return ctx.today, bhclaim.x12.profiles(ctx.profile), ctx.check_opts.ncci or bhclaim.ncci.table()
end

-- Checks (or hands to the export) the claims of an 837P stream, a batch at
-- a time, so neither the file nor its claims are held whole.
local function x12_claims(ctx, src, stream, first)
  local n, state, batch = 0, nil, nil  -- luacheck: ignore 311
  local today, by_kind, ncci = x12_check_args(ctx)
  repeat
    poll_signal()
    if ctx.sink or (ctx.coverage and not batch_options(ctx)) then
      -- The export takes claim tables; on the Lua path --coverage attaches
      -- the 271 answer to each claim before checking it.
      batch, state = stream:read(X12_BATCH)
      for _, claim in ipairs(batch) do
        n = n + 1
        claim_record(ctx, claim, nil, { name = src.name, line = first, element = n,
          x12_claim = n })
      end
    elseif batch_options(ctx) then
      local bopts = batch_options(ctx)
      local out, done, report, claim
      bopts.source, bopts.report_mt, bopts.finding_mt = src.name, report_mod.report_mt,
        report_mod.finding_mt
      out, done, state, report, claim = ctx.batch:x12(stream, X12_BATCH, n, bopts, ctx.stats,
        direct_out(ctx))
      if not out then ctx.out:failed(done, report) end   -- message, error number
      batch_output(ctx, out, done)
      n = n + done
      if report then
        n = n + 1
        if claim then   -- --rules and --coverage: their findings follow the core's
          for _, f in ipairs(bopts.rule_findings(claim)) do report:add(f) end
        end
        emit(ctx, reports.entry(nil, track(ctx, report)), { name = src.name, x12_claim = n })
      end
    elseif ctx.check_opts.rules then
      -- Lua rules read claim tables, as bhclaim.x12.check does then.
      batch, state = stream:read(X12_BATCH)
      for _, claim in ipairs(batch) do
        n = n + 1
        local opts = ctx.check_opts
        emit(ctx, reports.entry(nil, track(ctx, bhclaim.check(claim, { today = opts.today,
          payer = opts.payer, rules = opts.rules, ncci = opts.ncci, summary = true }))),
          { name = src.name, x12_claim = n })
      end
    else
      batch, state = stream:check(X12_BATCH, today, by_kind, ncci, nil, report_mod.report_mt,
        report_mod.finding_mt)
      for _, r in ipairs(batch) do
        n = n + 1
        emit(ctx, reports.entry(nil, track(ctx, r)), { name = src.name, x12_claim = n })
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
    local bopts, i = batch_options(ctx), 1
    if bopts then bopts.source = src.name end
    while i <= #elements do
      if bopts then
        local out, next_i, records, code = ctx.batch:texts(elements, lines, i, bopts,
          ctx.stats, direct_out(ctx))
        if not out then ctx.out:failed(next_i, code) end   -- the message, the error number
        batch_output(ctx, out, records)
        n, i = n + next_i - i, next_i
      end
      if i <= #elements then
        n = n + 1
        ndjson_line(ctx, elements[i], { name = src.name, line = lines[i], element = n })
        i = i + 1
      end
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

--- Runs `check` or `audit` (mode) over the command line's files (a: the
-- parsed command line; env: as cli.main's).
function M.run(a, env, mode)
  local ctx, msg = new_context(a, env, mode)
  if not ctx then return nil, msg end
  if ctx.mode == "check" and ctx.format == "csv" and not ctx.part then
    ctx.out:write(reports.csv_header())
  end
  if ctx.part then
    run_part(ctx, a.args[1], ndjson_stream)
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
  local order = {}   -- as parse gives it (what --jobs children are handed)
  for name, value in pairs(opts) do order[#order + 1] = { name, value } end
  local ctx, msg = new_context({ opts = opts, args = {}, lists = {}, order = order }, env,
    "check")
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

M.HELP = HELP
M.new_context, M.run_sources, M.bad_record = new_context, run_sources, bad_record

return M
