--- The `bhclaim ledger` command (docs/ledger.md): submit, ack, post,
-- note, appeal, writeoff, ar, worklist, show. cli.lua hooks it in: its
-- options, help text and run function come from here.
-- Exit status: 0 the work was done; 1 some file or record could not be
-- posted (the others were), or a claim is unknown; 2 usage, a file that
-- cannot be opened, or a ledger that cannot be opened.
-- @module bhclaim.cli_ledger
-- SPDX-License-Identifier: MIT

local ledger = require("bhclaim.ledger")
local reports = require("bhclaim.reports")

local M = {}

local format, concat = string.format, table.concat
local money = ledger.money

--- Options the command adds to the command line.
M.OPTIONS = { db = "value", ["as-of"] = "value", by = "value", reason = "value", terms = "value" }

--- The options it allows (besides --help and --today).
M.ALLOWED = { "db", "as-of", "by", "reason", "format", "date", "terms" }

M.HELP = [[
usage: bhclaim ledger submit FILE...        (837P, claim JSON or NDJSON) [--date D]
       bhclaim ledger ack FILE...           (999, TA1, 277CA)
       bhclaim ledger post FILE.835...
       bhclaim ledger note CLAIM_ID TEXT [--date D]
       bhclaim ledger appeal CLAIM_ID [--date D]
       bhclaim ledger writeoff CLAIM_ID --reason TEXT [--date D]
       bhclaim ledger ar [--as-of D] [--by payer|patient] [--format text|json|csv]
       bhclaim ledger worklist [--as-of D] [--terms FILE] [--format text|json|csv]
       bhclaim ledger show CLAIM_ID [--format text|json]
  --db URL   the ledger: a SQLite file (default $BHCLAIM_DB, else bhclaim.db)
             or postgresql://user@host/dbname (?host=/socket/dir)

Keeps what was sent, acknowledged, paid, denied and appealed. Each file is
posted in one transaction; the same 837 (control numbers), acknowledgement
or 835 (payer and trace number) posted again changes nothing and says so.
ar: open balances by payer (or patient) in ageing buckets from the
submission date, patient responsibility apart. worklist: what needs a
person, most money first. --terms FILE: JSON, payer id, name or kind ->
{appeal_days, usual_days, filing_days} (unsourced values are flagged
unconfirmed). Dates are YYYY-MM-DD.

exit status: 0 done, 1 a file, record or claim could not be posted or
found, 2 usage or the ledger or a file cannot be opened.]]

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("*a")
  f:close()
  if not text then return nil, path .. ": could not be read" end
  return text
end

local function url_of(a)
  return a.opts.db or os.getenv("BHCLAIM_DB") or "bhclaim.db"
end

local function csv_field(s)
  s = tostring(s == nil and "" or s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

local function csv_row(list)
  local out = {}
  for i = 1, #list do out[i] = csv_field(list[i]) end
  return concat(out, ",") .. "\r\n"
end

local function terms_of(a)
  if not a.opts.terms then return nil end
  local text, err = read_file(a.opts.terms)
  if not text then return nil, err end
  local bhclaim = require("bhclaim")
  local t = bhclaim.decode(text)
  if type(t) ~= "table" then return nil, a.opts.terms .. ": not a JSON object" end
  return t
end

-- {====================================================================
-- Posting files
-- =====================================================================

local function submit_line(file, r)
  if r.status == "already recorded" then
    return format("%s: already recorded, nothing changed", file)
  end
  return format("%s: recorded %d claim(s), %d resubmitted, %d skipped, %d rejected (submitted %s)",
    file, r.submitted, r.resubmitted, #r.skipped, #r.rejected, r.date)
end

local function post_files(a, env, lg, what)
  local status = 0
  if #a.args < 2 then return nil, "ledger " .. what .. ": no FILE given" end
  for i = 2, #a.args do
    local file = a.args[i]
    local text, err = read_file(file)
    if not text then
      env.stderr:write("bhclaim: ", err, "\n")
      return 2
    end
    local r, msg
    if what == "submit" then
      r, msg = lg:submit(text, { file = file, date = a.opts.date })
    elseif what == "ack" then
      r, msg = lg:ack(text, { file = file, date = a.opts.date })
    else
      r, msg = lg:post(text, { file = file, date = a.opts.date })
    end
    if not r then
      env.stderr:write("bhclaim: ", msg, " (nothing of this file was posted)\n")
      status = 1
    elseif what == "submit" then
      env.stdout:write(submit_line(file, r), "\n")
      for _, s in ipairs(r.skipped) do
        env.stdout:write(format("  skipped %s: %s\n", s.id, s.reason))
      end
      for _, j in ipairs(r.rejected) do env.stderr:write("  rejected ", j.message, "\n") end
      if #r.rejected > 0 or #r.skipped > 0 then status = math.max(status, 1) end
    elseif r.status == "already posted" then
      env.stdout:write(format("%s: already posted, nothing changed\n", file))
    elseif what == "ack" then
      env.stdout:write(format("%s: posted %d acknowledgement(s): %d claim(s) accepted, %d rejected"
        .. "%s\n", file, r.acknowledgements - r.already, r.accepted, r.rejected,
        r.already > 0 and format(" (%d already posted)", r.already) or ""))
    else
      local parts = {}
      for _, k in ipairs({ "paid", "partial", "denied", "reversed", "pending" }) do
        if r.outcomes[k] then parts[#parts + 1] = format("%d %s", r.outcomes[k], k) end
      end
      env.stdout:write(format("%s: posted %d remittance(s), %d claim payment(s)%s\n", file,
        r.remittances - r.already, r.claims, #parts > 0 and (": " .. concat(parts, ", ")) or ""))
    end
    if r and r.unmatched and #r.unmatched > 0 then
      env.stdout:write(format("  not in the ledger: %s\n", concat(r.unmatched, ", ")))
      status = math.max(status, 1)
    end
  end
  return status
end

-- {====================================================================
-- Reports
-- =====================================================================

local function bucket_object(list, total)
  local o = {}
  for i, name in ipairs(ledger.BUCKETS) do o[name] = money(list[i]) end
  o.total = money(total)
  return o
end

local function ar_json(r)
  local groups = {}
  for _, g in ipairs(r.groups) do
    local o = bucket_object(g.payer, g.payer_total)
    o.name = g.name
    o.claims = g.claims
    o.patient_responsibility = bucket_object(g.patient, g.patient_total)
    groups[g.id] = o
  end
  return { as_of = r.as_of, by = r.by, [r.by == "payer" and "payers" or "patients"] = groups,
    total = bucket_object(r.payer, r.payer_total),
    patient_responsibility = bucket_object(r.patient, r.patient_total) }
end

local function ar_row(label, list, total)
  local out = { format("%-34s", label:sub(1, 34)) }
  for i = 1, 5 do out[#out + 1] = format("%10s", money(list[i])) end
  out[#out + 1] = format("%11s", money(total))
  return concat(out, " ")
end

local function ar_text(r)
  local out = { format("A/R as of %s by %s (what payers owe; days from submission)", r.as_of,
    r.by) }
  local head = { format("%-34s", r.by) }
  for _, b in ipairs(ledger.BUCKETS) do head[#head + 1] = format("%10s", b) end
  head[#head + 1] = format("%11s", "total")
  out[#out + 1] = concat(head, " ")
  for _, g in ipairs(r.groups) do
    if g.payer_total ~= 0 then
      out[#out + 1] = ar_row(g.id .. (g.name and (" " .. g.name) or ""), g.payer, g.payer_total)
    end
  end
  out[#out + 1] = ar_row("total", r.payer, r.payer_total)
  out[#out + 1] = ""
  out[#out + 1] = "Patient responsibility"
  for _, g in ipairs(r.groups) do
    if g.patient_total ~= 0 then
      out[#out + 1] = ar_row(g.id .. (g.name and (" " .. g.name) or ""), g.patient, g.patient_total)
    end
  end
  out[#out + 1] = ar_row("total", r.patient, r.patient_total)
  return concat(out, "\n") .. "\n"
end

local function ar_csv(r)
  local out = { csv_row({ "owed_by", r.by, "name", "0-30", "31-60", "61-90", "91-120",
    "over_120", "total" }) }
  for _, side in ipairs({ "payer", "patient" }) do
    for _, g in ipairs(r.groups) do
      local row = { side, g.id, g.name }
      for i = 1, 5 do row[#row + 1] = money(g[side][i]) end
      row[#row + 1] = money(g[side .. "_total"])
      out[#out + 1] = csv_row(row)
    end
  end
  return concat(out)
end

local function run_ar(a, env, lg)
  local fmt = a.opts.format or "text"
  local r, msg = lg:ar({ as_of = a.opts["as-of"], by = a.opts.by })
  if not r then env.stderr:write("bhclaim: ", msg, "\n"); return 1 end
  if fmt == "json" then env.stdout:write(reports.json_encode(ar_json(r)), "\n")
  elseif fmt == "csv" then env.stdout:write(ar_csv(r))
  else env.stdout:write(ar_text(r)) end
  return 0
end

local WORK_FIELDS = { "kind", "claim_id", "amount", "payer", "detail", "hint", "due",
  "days_left", "due_source", "due_confirmed" }

local function item_plain(it)
  local o = {}
  for _, k in ipairs(WORK_FIELDS) do o[k] = it[k] end
  o.amount = money(it.amount)
  return o
end

local function item_text(it)
  local head = format("%10s  %-13s %-16s %s", money(it.amount), it.kind, it.claim_id,
    it.payer or "")
  local out = { head, "    " .. tostring(it.detail or "") }
  if it.due then
    out[#out + 1] = format("    due %s (%s)%s%s", it.due, it.days_left and (it.days_left < 0 and
      format("%d days ago", -it.days_left) or format("%d days left", it.days_left)) or "",
      it.due_confirmed == false and " UNCONFIRMED" or "",
      it.due_source and (": " .. it.due_source) or "")
  elseif it.due_reason then
    out[#out + 1] = "    " .. it.due_reason
  end
  if it.hint then out[#out + 1] = "    hint: " .. it.hint end
  return concat(out, "\n")
end

local function run_worklist(a, env, lg)
  local fmt = a.opts.format or "text"
  local terms, terr = terms_of(a)
  if terr then env.stderr:write("bhclaim: ", terr, "\n"); return 2 end
  local ok, items, msg = pcall(lg.worklist, lg, { as_of = a.opts["as-of"], terms = terms })
  if not ok then
    return nil, (tostring(items):gsub("^bad argument #%d+ to 'worklist' %((.*)%)$", "%1"))
  end
  if not items then env.stderr:write("bhclaim: ", msg, "\n"); return 1 end
  if fmt == "json" then
    for _, it in ipairs(items) do env.stdout:write(reports.json_encode(item_plain(it)), "\n") end
  elseif fmt == "csv" then
    env.stdout:write(csv_row(WORK_FIELDS))
    for _, it in ipairs(items) do
      local p, row = item_plain(it), {}
      for i, k in ipairs(WORK_FIELDS) do row[i] = p[k] == nil and "" or tostring(p[k]) end
      env.stdout:write(csv_row(row))
    end
  else
    env.stdout:write(format("Worklist as of %s: %d item(s), most money first\n",
      a.opts["as-of"] or os.date("!%Y-%m-%d"), #items))
    for _, it in ipairs(items) do env.stdout:write(item_text(it), "\n") end
  end
  return 0
end

local function show_text(s)
  local c = s.claim
  local out = { format("claim %s  %s  payer %s %s  patient %s", c.claim_id, c.status,
    tostring(c.payer_id or ""), tostring(c.payer_name or ""), tostring(c.patient_name or "")),
    format("  charge %s  paid %s  payer owes %s  patient owes %s  submitted %s (first %s)",
      money(c.charge_cents), money(c.paid_cents), money(c.payer_balance_cents),
      money(c.patient_balance_cents), c.submitted_date, c.first_submitted_date), "  lines:" }
  for _, l in ipairs(s.lines) do
    out[#out + 1] = format("    %d  %s%s  %s  units %s  %s", l.line_no, tostring(l.code or ""),
      (l.modifiers or "") ~= "" and (":" .. l.modifiers) or "", tostring(l.service_date or ""),
      tostring(l.units or ""), money(l.charge_cents))
  end
  for _, p in ipairs(s.payments) do
    out[#out + 1] = format("  payment %s trace %s: %s, paid %s, patient %s%s", p.payment_date,
      tostring(p.trace_number), p.outcome, money(p.paid_cents), money(p.patient_cents),
      p.variance_cents and format(", variance %s", money(p.variance_cents)) or "")
    for _, l in ipairs(p.lines) do
      out[#out + 1] = format("    line %s %s: charge %s paid %s allowed %s (%s)",
        tostring(l.line_no or "?"), tostring(l.code), money(l.charge_cents), money(l.paid_cents),
        l.allowed_cents and money(l.allowed_cents) or "?", tostring(l.outcome))
    end
    for _, adj in ipairs(p.adjustments) do
      out[#out + 1] = format("    %s %s%s", money(adj.amount_cents), adj.text,
        adj.remark and (" [" .. adj.remark .. "]") or "")
    end
  end
  out[#out + 1] = "  history:"
  for _, e in ipairs(s.events) do
    local delta = ""
    if e.payer_delta_cents ~= 0 or e.patient_delta_cents ~= 0 then
      delta = format(" (payer %s, patient %s)", money(e.payer_delta_cents),
        money(e.patient_delta_cents))
    end
    out[#out + 1] = format("    %s  %-11s %s%s  [%s, %s]", e.event_date, e.kind,
      tostring(e.detail or ""), delta, tostring(e.recorded_by), tostring(e.source))
  end
  return concat(out, "\n") .. "\n"
end

-- {====================================================================
-- Dispatch
-- =====================================================================

local function one_claim(a, env, fname, call)
  local id = a.args[2]
  if not id then return nil, "ledger " .. fname .. ": no CLAIM_ID given" end
  local ok, r, msg = pcall(call, id)
  if not ok then
    return nil, (tostring(r):gsub("^bad argument #%d+ to '[%w_]+' %((.*)%)$", "%1"))
  end
  if not r then env.stderr:write("bhclaim: ", msg, "\n"); return 1 end
  return 0, r
end

local SUB = {}
SUB.submit = function(a, env, lg) return post_files(a, env, lg, "submit") end
SUB.ack = function(a, env, lg) return post_files(a, env, lg, "ack") end
SUB.post = function(a, env, lg) return post_files(a, env, lg, "post") end
SUB.ar = run_ar
SUB.worklist = run_worklist
SUB.note = function(a, env, lg)
  if not a.args[3] then return nil, "ledger note: no TEXT given" end
  local st = one_claim(a, env, "note", function(id)
    return lg:note(id, concat(a.args, " ", 3), { date = a.opts.date }) end)
  if st == 0 then env.stdout:write("noted on ", a.args[2], "\n") end
  return st
end
SUB.appeal = function(a, env, lg)
  local st = one_claim(a, env, "appeal", function(id)
    return lg:appeal(id, { date = a.opts.date }) end)
  if st == 0 then env.stdout:write("appeal recorded on ", a.args[2], "\n") end
  return st
end
SUB.writeoff = function(a, env, lg)
  if not a.opts.reason then return nil, "ledger writeoff: --reason is required" end
  local st, amount = one_claim(a, env, "writeoff", function(id)
    return lg:writeoff(id, { reason = a.opts.reason, date = a.opts.date }) end)
  if st == 0 then env.stdout:write(format("wrote off %s on %s\n", money(amount), a.args[2])) end
  return st
end
SUB.show = function(a, env, lg)
  local st, s = one_claim(a, env, "show", function(id) return lg:show(id) end)
  if st ~= 0 then return st, s end
  if a.opts.format == "json" then env.stdout:write(reports.json_encode(s), "\n")
  else env.stdout:write(show_text(s)) end
  return 0
end

local FORMATS = { ar = { text = true, json = true, csv = true },
  worklist = { text = true, json = true, csv = true }, show = { text = true, json = true } }

--- Runs `bhclaim ledger SUBCOMMAND ...`.
-- @tparam table a the parsed command line (args, opts, lists)
-- @tparam table env stdout, stderr
-- @treturn number|nil exit status, or nil and a usage message
function M.run(a, env)
  local sub = a.args[1]
  if not sub then return nil, "ledger: no subcommand given (submit, ack, post, note, appeal, "
    .. "writeoff, ar, worklist, show)" end
  if not SUB[sub] then return nil, "ledger: unknown subcommand '" .. sub .. "'" end
  if a.opts.format and not (FORMATS[sub] and FORMATS[sub][a.opts.format]) then
    return nil, format("ledger %s: --format %s is not offered", sub, a.opts.format)
  end
  if a.opts.by and a.opts.by ~= "payer" and a.opts.by ~= "patient" then
    return nil, "ledger ar: --by payer or patient"
  end
  for _, k in ipairs({ "as-of", "date" }) do
    if a.opts[k] and not ledger.day(a.opts[k]) then
      return nil, format("--%s %s: YYYY-MM-DD expected", k, a.opts[k])
    end
  end
  local lg, err = ledger.open(url_of(a))
  if not lg then
    env.stderr:write("bhclaim: ", err, "\n")
    return 2
  end
  local ok, status, msg = pcall(SUB[sub], a, env, lg)
  lg:close()
  if not ok then error(status, 0) end
  return status, msg
end

return M
