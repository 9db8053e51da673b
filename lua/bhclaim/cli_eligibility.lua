--- The command line's eligibility and status commands:
-- `bhclaim eligibility request|read` and `bhclaim status request|read`
-- (docs/cli.md, docs/eligibility.md, docs/status.md). cli.lua registers
-- them with `register_options` and `register_commands`.
-- @module bhclaim.cli_eligibility
-- SPDX-License-Identifier: MIT

local bhclaim = require("bhclaim")
local reports = require("bhclaim.reports")
local U = require("bhclaim.cli_util")

local M = {}
local format, concat = string.format, table.concat

M.HELP = {}
M.HELP.eligibility = [[
usage: bhclaim eligibility request --envelope FILE.lua [--service-type A6,MH,...] [INPUT]
       bhclaim eligibility read [--format text|json|csv] [FILE.271]

request: writes one 270 (005010X279A1) to standard output for INPUT (JSON,
  a JSON array or NDJSON) of inquiries as docs/eligibility.md describes,
  claims in the claim JSON form, or group sessions (one inquiry per
  present participant). From a claim: the subscriber (the patient as a
  dependent), the payer, the billing provider, the first date of service,
  trace number = claim id. --service-type sets EQ01 for every inquiry
  (default: each inquiry's service_types, else 30).
read: prints the payer's answer: per subscriber and dependent, AAA errors
  with reason and follow-up, benefits (EB) with service types, amounts,
  percent, visits, authorization, network, messages and other entities.
  csv: one row per benefit or error.

  --envelope FILE.lua   a Lua file returning the envelope table: sender_id,
                        receiver_id, and optionally qualifiers, control
                        numbers, usage, separators, date, time,
                        trace_originator (TRN03, default '1' + the
                        billing provider's EIN)
  --sender ID, --receiver ID, --usage T|P, --control N, --time HHMM
                        override the envelope file
exit status: 0 written or read, 1 an inquiry refused, 2 usage or input
that is not a 270/271.]]

M.HELP.status = [[
usage: bhclaim status request --envelope FILE.lua [INPUT]
       bhclaim status request --envelope FILE.lua --db URL [--as-of DATE]
       bhclaim status read [--format text|json|csv] [FILE.277]

request: writes one 276 (005010X212) for INPUT: inquiries as docs/status.md
  describes, or claims in the claim JSON form (claim id as trace and
  patient control number, total charge, dates of service, lines). The
  information receiver (2100B) is the envelope's submitter_name and
  submitter_id. With --db (and no INPUT) it asks about the claims the
  ledger's worklist lists as having had no answer past the payer's usual
  days, as of --as-of (default today); nothing to ask about is exit 0
  with nothing written and a note on stderr.
read: prints each claim's status: category and code with their meaning,
  dates, amounts, payer claim number, and line-level status.
  csv: one row per status code (claim and line level).

options as for 'bhclaim eligibility'.
exit status: 0 written or read, 1 an inquiry refused, 2 usage or input
that is not a 276/277.]]

--- Adds the options and what each command takes to cli.lua's tables.
function M.register_options(options, allowed_list)
  options["service-type"] = "value"
  options.coverage = "value"
  table.insert(allowed_list.check, "coverage")
  table.insert(allowed_list.audit, "coverage")
  local shared = { "envelope", "sender", "receiver", "usage", "control", "time", "format" }
  allowed_list.eligibility = { "service-type" }
  allowed_list.status = { "db", "as-of" }
  for _, name in ipairs(shared) do
    allowed_list.eligibility[#allowed_list.eligibility + 1] = name
    allowed_list.status[#allowed_list.status + 1] = name
  end
end

-- {--- input ---

local function read_input(path)
  local f, err
  if path == nil or path == "-" then
    f = io.stdin
  else
    f, err = io.open(path, "rb")
    if not f then return nil, tostring(err) end
  end
  local text = f:read("*a")
  if f ~= io.stdin then f:close() end
  if text == nil or text:match("^%s*$") then
    return nil, (path or "standard input") .. ": empty input"
  end
  return text
end

-- JSON array, one object, or NDJSON: a list of tables.
local function read_records(text, name)
  local ok, v = pcall(bhclaim.decode, text)
  if ok and type(v) == "table" then
    if v[1] ~= nil or next(v) == nil then return v end
    return { v }
  end
  local out, n = {}, 0
  for line in text:gmatch("[^\n]+") do
    n = n + 1
    if not line:match("^%s*$") then
      local ok2, rec = pcall(bhclaim.decode, line)
      if not ok2 or type(rec) ~= "table" then
        return nil, format("%s: line %d is not a JSON object", name, n)
      end
      out[#out + 1] = rec
    end
  end
  if #out == 0 then return nil, name .. ": not JSON or NDJSON" end
  return out
end

local function load_envelope(a)
  local env, err = U.envelope_file(a.opts.envelope)
  if not env then return nil, err end
  local o = a.opts
  env.sender_id = o.sender or env.sender_id
  env.receiver_id = o.receiver or env.receiver_id
  env.usage = o.usage or env.usage
  env.time = o.time or env.time or os.date("%H%M")
  env.date = env.date or o.today or os.date("%Y-%m-%d")
  local control = o.control and tonumber(o.control)
  if o.control and not control then return nil, "--control wants a number" end
  if control then
    env.interchange_control, env.group_control, env.transaction_control =
      control, control, control
  end
  for _, k in ipairs({ "sender_id", "receiver_id" }) do
    if type(env[k]) ~= "string" or env[k] == "" then
      return nil, "the envelope needs " .. k .. " (--envelope FILE.lua or --"
        .. (k == "sender_id" and "sender" or "receiver") .. ")"
    end
  end
  -- Only the 270/276 envelope fields go to the writer.
  local out = {}
  for _, k in ipairs({ "sender_qualifier", "sender_id", "receiver_qualifier", "receiver_id",
    "app_sender", "app_receiver", "version", "interchange_control", "group_control",
    "transaction_control", "usage", "ack_requested", "element_sep", "component_sep",
    "repetition_sep", "segment_term", "newlines", "date", "time" }) do
    out[k] = env[k]
  end
  return out, env
end

-- {--- claims -> inquiries ---

local function is_claim(r)
  return type(r.lines) == "table" and type(r.subscriber) == "table"
end

local function person(p)
  local name = p.name
  local out = { birth_date = p.birth_date, gender = p.sex }
  if type(name) == "table" then
    out.last, out.first, out.middle, out.suffix = name.last, name.first, name.middle, name.suffix
  elseif type(name) == "string" then
    local last, first = name:match("^%s*([^,]+),%s*(.-)%s*$")
    if not last then first, last = name:match("^%s*(.-)%s+(%S+)%s*$") end
    out.last, out.first = last or name, first
  end
  return out
end

local function claim_dates(c)
  local from, to
  for _, l in ipairs(c.lines) do
    if type(l) == "table" and type(l.date) == "string" then
      if from == nil or l.date < from then from = l.date end
      if to == nil or l.date > to then to = l.date end
    end
  end
  return from, to
end

local function originator(env, c)
  if env.trace_originator then return env.trace_originator end
  local tin = c.billing_provider and c.billing_provider.tin
  local digits = type(tin) == "string" and tin:gsub("%D", "") or ""
  if #digits == 9 then return "1" .. digits end
  return nil
end

local function common_parties(c)
  local sub = person(c.subscriber)
  sub.member_id = c.subscriber.member_id
  local dep
  if c.subscriber.relationship ~= "self" and type(c.patient) == "table" then
    dep = person(c.patient)
  end
  local payer = type(c.payer) == "table" and { name = c.payer.name, id = c.payer.id } or nil
  local bp = c.billing_provider or {}
  return sub, dep, payer, { name = bp.name, id = bp.npi }
end

local function claim_to_270(c, env, service_types)
  local sub, dep, payer, provider = common_parties(c)
  local from = claim_dates(c)
  return { payer = payer, provider = provider, subscriber = sub, dependent = dep,
    trace = { number = c.id, originator = originator(env, c) }, date = from,
    service_types = service_types }
end

local function money_text(v)
  if type(v) == "number" then return format("%.2f", v) end
  return v
end

local function claim_to_276(c, env)
  local sub, dep, payer, provider = common_parties(c)
  local from, to = claim_dates(c)
  local lines, total = {}, 0
  for i, l in ipairs(c.lines) do
    local charge = money_text(l.charge)
    total = total + (tonumber(charge) or 0)
    lines[#lines + 1] = { code = l.code, modifiers = l.modifiers, charge = charge,
      units = l.units and format("%d", l.units) or nil, control_number = tostring(i),
      date = l.date }
  end
  local claim = { trace = { number = c.id }, patient_control_number = c.id,
    charge = money_text(c.total_charge) or format("%.2f", total), lines = lines }
  if from == to then claim.date = from else claim.from, claim.to = from, to end
  return { payer = payer, provider = provider, subscriber = sub, dependent = dep,
    receiver = { name = env.submitter_name, id = env.submitter_id }, claim = claim }
end

local function split_codes(s)
  local out = {}
  for code in s:gmatch("[^,%s]+") do out[#out + 1] = code end
  return out
end

-- {--- output ---

local function csv_write(out, rows, header)
  out:write(reports.csv_row(header))
  for _, r in ipairs(rows) do out:write(reports.csv_row(r, #header)) end
end

local ELIG_CSV = { "set", "level", "last", "first", "member_id", "birth_date", "kind",
  "meaning", "service_types", "coverage_level", "in_network", "time_period", "amount",
  "percent", "quantity_qualifier", "quantity", "authorization_required", "plan", "messages",
  "follow_up" }

local function eligibility_rows(sets)
  local rows = {}
  local function walk(set, lv, sub_id)
    local name = lv.name or {}
    local id = (lv.level == "subscriber" and name.id) or sub_id
    local base = { set.set_control_number, lv.level, name.last, name.first, id, lv.birth_date }
    for _, e in ipairs(lv.errors or {}) do
      rows[#rows + 1] = { base[1], base[2], base[3], base[4], base[5], base[6], "AAA " ..
        (e.reason or ""), e.reason_meaning, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
        nil, e.follow_up_meaning or e.follow_up }
    end
    for _, b in ipairs(lv.benefits or {}) do
      rows[#rows + 1] = { base[1], base[2], base[3], base[4], base[5], base[6], b.kind,
        b.kind_meaning, concat(b.service_types or {}, " "), b.coverage_level, b.in_network,
        b.time_period_meaning or b.time_period, b.amount, b.percent, b.quantity_qualifier,
        b.quantity, b.authorization_required, b.plan, concat(b.messages or {}, " | ") }
    end
    for _, key in ipairs({ "receivers", "providers", "subscribers", "dependents" }) do
      for _, child in ipairs(lv[key] or {}) do walk(set, child, id) end
    end
  end
  for _, set in ipairs(sets) do
    for _, p in ipairs(set.payers or {}) do walk(set, p, nil) end
  end
  return rows
end

local STATUS_CSV = { "claim_id", "payer_claim_number", "patient_control_number", "last",
  "first", "line", "procedure", "category", "category_meaning", "code", "code_meaning",
  "entity", "date", "charge", "paid", "free_text" }

local function status_rows(sets)
  local rows = {}
  local function add(v, line_no, proc, st)
    for _, c in ipairs(st.codes or {}) do
      local name = v.patient.name or {}
      rows[#rows + 1] = { v.claim_id, v.payer_claim_number, v.patient_control_number,
        name.last, name.first, line_no, proc, c.category, c.category_meaning, c.code,
        c.code_meaning, c.entity, st.date, st.charge, st.paid, st.free_text }
    end
  end
  for _, v in ipairs(bhclaim.status.claims(sets)) do
    for _, st in ipairs(v.claim.statuses or {}) do add(v, nil, nil, st) end
    for i, l in ipairs(v.claim.lines or {}) do
      local p = l.procedure or {}
      for _, st in ipairs(l.statuses or {}) do add(v, tostring(i), p.code, st) end
    end
  end
  return rows
end

-- {--- check --coverage FILE.271 ---

--- Reads --coverage into ctx.coverage (member id -> member view); returns
-- a message when the file cannot be read or is not a 271.
function M.resolve_coverage(a, ctx)
  local path = a.opts.coverage
  if not path then return nil end
  local text, err = read_input(path)
  if not text then return "--coverage: " .. err end
  local sets, msg = bhclaim.eligibility.read(text)
  if not sets then return "--coverage: " .. path .. ": " .. msg end
  ctx.coverage = bhclaim.eligibility.index(sets)
  return nil
end

--- Gives a claim table the 271 answer for its member (unless it carries
-- one); returns true when the claim is to be checked as a table.
function M.attach_coverage(ctx, claim)
  if type(claim) ~= "table" then return false end
  if claim.coverage == nil then
    local patient = type(claim.patient) == "table" and claim.patient or nil
    claim.coverage = bhclaim.eligibility.find(ctx.coverage, claim.subscriber, patient)
  end
  return claim.coverage ~= nil
end

--- The same for each participant of a group session.
function M.attach_session_coverage(ctx, session)
  for _, p in ipairs(type(session.participants) == "table" and session.participants or {}) do
    if type(p) == "table" and p.coverage == nil then
      local insured = type(p.subscriber) == "table" and p.subscriber or p.patient
      p.coverage = bhclaim.eligibility.find(ctx.coverage, insured, p.patient)
    end
  end
end

-- {--- the commands ---

local function fail(env, msg, status)
  env.stderr:write("bhclaim: ", msg, "\n")
  return status
end

-- The ledger's claims with no answer past the payer's usual days.
local function unanswered_claims(a)
  local ledger = require("bhclaim.ledger")
  local as_of = a.opts["as-of"] or a.opts.today or os.date("%Y-%m-%d")
  if not ledger.day(as_of) then return nil, "--as-of " .. as_of .. ": YYYY-MM-DD expected" end
  local lg, err = ledger.open(a.opts.db)
  if not lg then return nil, err end
  local claims, msg = lg:unanswered({ as_of = as_of })
  lg:close()
  if not claims then return nil, msg end
  return claims
end

local function run_request(a, env, family)
  if #a.args > 2 then return nil, "request takes at most one INPUT" end
  local envelope, full = load_envelope(a)
  if not envelope then return nil, full end
  local name = a.args[2] or "standard input"
  local records
  if a.opts.db and family == "status" then
    if a.args[2] then return nil, "status request takes INPUT or --db, not both" end
    local rerr
    name = a.opts.db
    records, rerr = unanswered_claims(a)
    if not records then return fail(env, rerr, 2) end
    if #records == 0 then
      env.stderr:write("bhclaim: the ledger has no claim waiting past its usual days\n")
      return 0
    end
  else
    local text, err = read_input(a.args[2])
    if not text then return fail(env, err, 2) end
    local rerr
    records, rerr = read_records(text, name)
    if not records then return fail(env, rerr, 2) end
  end
  local service_types = a.opts["service-type"] and split_codes(a.opts["service-type"])
  -- A group session stands for the claims of its present participants.
  local expanded = {}
  for _, r in ipairs(records) do
    if type(r) == "table" and type(r.participants) == "table" then
      local session, serr = bhclaim.session(r)
      if not session then return fail(env, name .. ": " .. tostring(serr), 2) end
      for _, c in ipairs((session:claims())) do expanded[#expanded + 1] = c end
    else
      expanded[#expanded + 1] = r
    end
  end
  records = expanded
  local items = {}
  for _, r in ipairs(records) do
    local item
    if is_claim(r) then
      item = family == "eligibility" and claim_to_270(r, full, service_types) or
        claim_to_276(r, full)
    else
      item = r
      if service_types and family == "eligibility" then item.service_types = service_types end
    end
    items[#items + 1] = item
  end
  local module = family == "eligibility" and bhclaim.eligibility or bhclaim.status
  local x12, msg = module.request(items, envelope)
  if not x12 then return fail(env, name .. ": " .. msg, 1) end
  env.stdout:write(x12)
  return 0
end

local function run_read(a, env, family)
  if #a.args > 2 then return nil, "read takes at most one FILE" end
  local fmt = a.opts.format or "text"
  if fmt ~= "text" and fmt ~= "json" and fmt ~= "csv" then
    return nil, "--format wants text, json or csv"
  end
  local name = a.args[2] or "standard input"
  local text, err = read_input(a.args[2])
  if not text then return fail(env, err, 2) end
  local module = family == "eligibility" and bhclaim.eligibility or bhclaim.status
  local sets, msg = module.read(text)
  if not sets then return fail(env, name .. ": " .. msg, 2) end
  if fmt == "json" then
    env.stdout:write(bhclaim.encode(sets), "\n")
  elseif fmt == "csv" then
    if family == "eligibility" then csv_write(env.stdout, eligibility_rows(sets), ELIG_CSV)
    else csv_write(env.stdout, status_rows(sets), STATUS_CSV) end
  else
    env.stdout:write(tostring(sets), "\n")
  end
  return 0
end

local function command(family)
  return function(a, env)
    local verb = a.args[1]
    if verb == "request" then return run_request(a, env, family) end
    if verb == "read" then return run_read(a, env, family) end
    return nil, format("'%s' wants request or read", family)
  end
end

--- Adds the commands and their help to cli.lua's tables.
function M.register_commands(commands, help)
  commands.eligibility = command("eligibility")
  commands.status = command("status")
  help.eligibility = M.HELP.eligibility
  help.status = M.HELP.status
end

return M
