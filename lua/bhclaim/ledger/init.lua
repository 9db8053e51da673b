--- The claim ledger: what was sent, acknowledged, paid, denied, appealed
-- and written off, kept in SQLite (a file) or PostgreSQL, with A/R ageing
-- and a follow-up worklist (docs/ledger.md).
-- Each file is posted in one transaction; posting the same 837 (control
-- numbers), acknowledgement or 835 (payer + trace number) again changes
-- nothing and says so. Money is integer cents; balances come from the
-- claim's events, so any past date can be reported.
-- @module bhclaim.ledger
-- SPDX-License-Identifier: MIT

local sql = require("bhclaim.ledger.sql")
local terms_mod = require("bhclaim.ledger.terms")
local remit = require("bhclaim.remit")
local ack_mod = require("bhclaim.ack")
local adjustments = require("bhclaim.adjustments")

local M = {}

local format, concat = string.format, table.concat
local cents, money = remit.cents, remit.money

--- The kinds of event a claim's history holds.
M.EVENTS = { "submitted", "accepted", "rejected", "paid", "partly paid", "denied",
  "reversed", "adjusted", "written off", "appealed", "note" }
local EVENT = {}
for _, k in ipairs(M.EVENTS) do EVENT[k] = true end

--- The A/R ageing buckets: days from the submission date.
M.BUCKETS = { "0-30", "31-60", "61-90", "91-120", "over 120" }

--- How many days before the timely-filing limit a claim enters the worklist.
M.FILING_WARNING_DAYS = 30

-- {====================================================================
-- Dates: "YYYY-MM-DD" <-> day numbers (days since 1970-01-01), exact
-- =====================================================================

--- The day number of a date, or nil for anything but a valid YYYY-MM-DD.
function M.day(date)
  if type(date) ~= "string" then return nil end
  local y, m, d = date:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local mdays = { 31, (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) and 29 or 28,
    31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  if m < 1 or m > 12 or d < 1 or d > mdays[m] then return nil end
  -- days_from_civil (H. Hinnant), integer arithmetic only.
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

--- The date of a day number.
function M.date(day)
  local z = day + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524)
    - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return format("%04d-%02d-%02d", y, m, d)
end

-- A control number as compared: digits without leading zeros (an 837
-- read back gives 1 where the 999's AK2 says 0001), other text as is.
local function control(v)
  if v == nil then return nil end
  local t = tostring(v)
  if type(v) == "number" then t = string.format("%.0f", v) end
  return (t:gsub("^0+(%d)", "%1"))
end

local function today() return os.date("!%Y-%m-%d") end
local function now() return os.date("!%Y-%m-%dT%H:%M:%SZ") end

-- {====================================================================
-- Errors: expected failures are nil, message, id
-- =====================================================================

local function fail(msg, id) error({ ledger_fail = true, message = msg, id = id }, 0) end

local function failure(e)
  if type(e) == "table" and e.ledger_fail then return nil, e.message, e.id end
  if type(e) == "table" and e.ledger_sql then return nil, "ledger: " .. e.message, "ledger.sql" end
  error(e, 0)
end

-- Runs fn protected; a database error or a fail() becomes nil, msg, id;
-- anything else (a bug) is raised again.
local function guarded(fn)
  local ok, a, b, c = pcall(fn)
  if ok then return a, b, c end
  return failure(a)
end

local function argerror(fname, n, msg)
  error(format("bad argument #%d to '%s' (%s)", n, fname, msg), 3)
end

-- {====================================================================
-- Claim facts from a claim table (claim JSON or an 837P claim)
-- =====================================================================

local function amount_cents(v)
  if type(v) == "number" then
    local s = format("%.2f", v)
    if tonumber(s) ~= v then return nil end
    return cents(s)
  end
  return cents(v)
end

local function name_parts(n)
  if type(n) == "string" then return n, "" end
  if type(n) ~= "table" then return "", "" end
  return n.last or "", n.first or ""
end

local function is_table(v) return type(v) == "table" end

-- The patient: the claim's patient when given, else the subscriber.
local function patient_of(claim)
  local p = is_table(claim.patient) and claim.patient or is_table(claim.subscriber) and
    claim.subscriber or {}
  local last, first = name_parts(p.name)
  local key = format("%s|%s|%s", last:upper(), first:upper(), tostring(p.birth_date or ""))
  local shown = first ~= "" and (last .. ", " .. first) or last
  return key, shown
end

local function modifiers_text(list)
  if type(list) ~= "table" then return "" end
  local out = {}
  for i, m in ipairs(list) do out[i] = tostring(m) end
  return concat(out, ":")
end

local function units_text(u)
  if type(u) == "number" and u == math.floor(u) then return format("%d", u) end
  return u ~= nil and tostring(u) or nil
end

-- The facts the ledger keeps of a claim, or nil and which field is wrong.
local function claim_facts(claim)
  if type(claim) ~= "table" then return nil, "not a claim object" end
  if type(claim.id) ~= "string" or claim.id == "" then
    return nil, "id: a non-empty string expected"
  end
  if type(claim.lines) ~= "table" or #claim.lines == 0 then
    return nil, "lines: at least one line expected"
  end
  local payer = is_table(claim.payer) and claim.payer or {}
  local f = { id = claim.id, payer_id = payer.id, payer_name = payer.name,
    payer_kind = payer.kind, lines = {}, charge = 0 }
  f.patient_key, f.patient_name = patient_of(claim)
  local first, last
  for i, l in ipairs(claim.lines) do
    if type(l) ~= "table" then return nil, format("lines[%d]: an object expected", i) end
    local c = amount_cents(l.charge)
    if not c then
      return nil, format("lines[%d].charge: an amount with at most two decimals expected", i)
    end
    if l.date ~= nil and not M.day(l.date) then
      return nil, format("lines[%d].date: YYYY-MM-DD expected", i)
    end
    f.charge = f.charge + c
    f.lines[i] = { code = l.code, modifiers = modifiers_text(l.modifiers),
      units = units_text(l.units), charge = c, date = l.date,
      control_number = l.control_number }
    if l.date then
      if not first or l.date < first then first = l.date end
      if not last or l.date > last then last = l.date end
    end
  end
  f.first_date, f.last_date = first, last
  return f
end

-- {====================================================================
-- The ledger object
-- =====================================================================

local ledger_mt = {}
ledger_mt.__index = ledger_mt

local function who(opts) return opts and opts.by or os.getenv("USER") or "bhclaim" end

-- What the events of one ledger action share: the connection, the date
-- they take effect, what the action was (its source) and who took it.
local function action(db, date, source, by)
  return { db = db, date = date, source = source, by = by }
end

-- Records an event of a claim: change = { payer = cents, patient = cents,
-- detail = text }, the balances' changes (0 when absent).
local function event(act, claim_id, kind, change)
  assert(EVENT[kind], kind)
  act.db:rows("insert_event", claim_id, kind, act.date, M.day(act.date), change.payer or 0,
    change.patient or 0, change.detail, act.source, act.by, now())
end

local function claim_row(db, id)
  return db:one("claim", id)
end

-- Statuses a submission may replace: a claim the clearinghouse or payer
-- rejected at the front end is corrected and sent again.
local RESUBMITTABLE = { rejected = true }

-- Records one claim of a submission (its facts f, claim_facts); returns
-- "submitted", "resubmitted" or nil and why it was skipped.
local function record_claim(act, sub_id, claim, f, encode)
  local db, date = act.db, act.date
  local doc = encode(claim)
  local old = claim_row(db, f.id)
  local fsd = f.first_date
  if old and not RESUBMITTABLE[old.status] then
    return nil, format("already in the ledger (%s, submitted %s)", old.status, old.submitted_date)
  end
  if old then
    db:rows("resubmit_claim", f.payer_id, f.payer_name, f.payer_kind, f.patient_key,
      f.patient_name, fsd, M.day(fsd), f.last_date, f.charge, "submitted", sub_id, date,
      M.day(date), f.charge - old.charge_cents, date, doc, f.id)
    db:rows("delete_lines", f.id)
  else
    db:rows("insert_claim", f.id, f.payer_id, f.payer_name, f.payer_kind, f.patient_key,
      f.patient_name, fsd, M.day(fsd), f.last_date, f.charge, "submitted", sub_id, date,
      M.day(date), date, f.charge, date, doc)
  end
  for i, l in ipairs(f.lines) do
    db:rows("insert_line", f.id, i, l.code, l.modifiers, l.units, l.charge, l.date,
      l.control_number)
  end
  if old then
    event(act, f.id, "submitted", { payer = f.charge - old.charge_cents,
      detail = format("resubmitted after rejection, charge %s", money(f.charge)) })
    return "resubmitted"
  end
  event(act, f.id, "submitted", { payer = f.charge, detail = format("charge %s", money(f.charge)) })
  return "submitted"
end

-- Claims from a submission's text: an 837P, a JSON object or array, NDJSON.
-- Returns claims, envelope (837) and rejected records.
local function parse_claims(bhclaim, text, name)
  local rejected = {}
  if text:match("^%s*ISA") then
    local claims, env, id = bhclaim.x12.read(text)
    if not claims then fail(format("%s: %s", name, env), id) end
    return claims, env, rejected
  end
  local value = bhclaim.decode(text)
  if type(value) == "table" then
    if value[1] ~= nil or getmetatable(value) == bhclaim.array_mt then
      return value, nil, rejected
    end
    return { value }, nil, rejected
  end
  local claims, n = {}, 0
  for line in text:gmatch("[^\n]+") do
    n = n + 1
    if line:match("%S") then
      local v, msg = bhclaim.decode(line)
      if type(v) == "table" then
        claims[#claims + 1] = v
      else
        rejected[#rejected + 1] = { record = n, message = format("%s: line %d: %s", name, n,
          tostring(msg or "not a JSON object")) }
      end
    end
  end
  return claims, nil, rejected
end

--- Records a submission: an 837P, claim JSON (object or array) or NDJSON
-- text, or a list of claim tables. One transaction. An 837 whose control
-- numbers were recorded before changes nothing; a claim already in the
-- ledger is skipped unless it was rejected (then this is its corrected
-- resubmission).
-- @tparam string|table input
-- @tparam[opt] table opts `file` (name recorded), `date` (submission date
--   for JSON; an 837 uses its interchange date), `by` (who recorded it)
-- @treturn[1] table `{status = "recorded"|"already recorded", file, submitted,
--   resubmitted, skipped = {{id, reason}}, rejected = {{record, message}}}`
-- @return[2] nil
-- @treturn[2] string message
-- @treturn[2] string id
function ledger_mt:submit(input, opts)
  if type(input) ~= "string" and type(input) ~= "table" then
    argerror("submit", 1, "string or table expected, got " .. type(input))
  end
  opts = opts or {}
  local bhclaim = require("bhclaim")
  return guarded(function()
    local name = opts.file or "(claims)"
    local claims, env, rejected
    if type(input) == "string" then
      if not input:match("%S") then fail(name .. ": empty", "ledger.empty") end
      claims, env, rejected = parse_claims(bhclaim, input, name)
    else
      claims, rejected = input, {}
    end
    local date = env and env.date or opts.date or today()
    if not M.day(date) then
      fail(format("%s: submission date '%s' is not YYYY-MM-DD", name, tostring(date)),
        "ledger.date")
    end
    local result = { file = opts.file, date = date, submitted = 0, resubmitted = 0, skipped = {},
      rejected = rejected }
    local key
    if env then
      key = format("837:%s:%s:%s:%s", env.sender_id or "", control(env.interchange_control) or "",
        control(env.group_control) or "", control(env.transaction_control) or "")
    end
    local ok, err = pcall(self.db.transaction, self.db, function(db)
      if key then db:lock_key(key) end
      if key and db:one("submission_by_key", key) then
        result.status = "already recorded"
        return
      end
      local facts = {}
      for i, c in ipairs(claims) do
        local f, why = claim_facts(c)
        if f then
          facts[#facts + 1] = { c, f }
        else
          rejected[#rejected + 1] = { record = i, message = format("%s: claim %d%s: %s", name, i,
            type(c) == "table" and type(c.id) == "string" and (" (" .. c.id .. ")") or "", why) }
        end
      end
      local sub_id = db:insert("insert_submission", opts.file, env and "837P" or "json",
        key or format("json:%s:%s:%d", now(), facts[1] and facts[1][2].id or "", #facts),
        env and control(env.interchange_control), env and control(env.group_control),
        env and control(env.transaction_control), env and env.sender_id, env and env.receiver_id,
        env and env.date, date, #facts, who(opts), now())
      local act = action(db, date, "submit " .. (opts.file or ""), who(opts))
      for _, cf in ipairs(facts) do
        local what, why = record_claim(act, sub_id, cf[1], cf[2], bhclaim.encode)
        if what then
          result[what] = result[what] + 1
        else
          result.skipped[#result.skipped + 1] = { id = cf[2].id, reason = why }
        end
      end
      if result.submitted + result.resubmitted == 0 and #claims > 0 and #rejected == 0 then
        -- Nothing new: undo the empty submission row, say so.
        error({ ledger_nothing = true }, 0)
      end
      result.status = "recorded"
    end)
    if not ok then
      if type(err) ~= "table" or not err.ledger_nothing then error(err, 0) end
      result.status = "already recorded"
    end
    return result
  end)
end

-- {====================================================================
-- Acknowledgements
-- =====================================================================

local function ack_key(a)
  if a.kind == "TA1" then
    return format("TA1:%s:%s:%s:%s", a.control_number or "", a.date or "", a.time or "",
      a.status or "")
  end
  local i, g = a.interchange or {}, a.group or {}
  return format("%s:%s:%s:%s:%s", a.kind, i.sender_id or "", i.control_number or "",
    g.control_number or "", a.set_control_number or "")
end

local function status_texts(list)
  local out = {}
  for _, s in ipairs(list or {}) do out[#out + 1] = s.text or s.code end
  return concat(out, "; ")
end

-- Marks the claims of the given submissions rejected (those not answered
-- since); returns how many.
local function reject_submissions(act, subs, detail)
  local db, n = act.db, 0
  for _, s in ipairs(subs) do
    for _, c in ipairs(db:rows("claims_of_submission", s.id)) do
      if c.status == "submitted" or c.status == "accepted" then
        db:rows("set_status", "rejected", act.date, c.claim_id)
        event(act, c.claim_id, "rejected", { detail = detail })
        n = n + 1
      end
    end
  end
  return n
end

local function post_999(act, a, result)
  local db = act.db
  local gs = a.acknowledged_group and a.acknowledged_group.control_number
  for _, s in ipairs(a.sets or {}) do
    if not s.accepted then
      local errs = {}
      for _, e in ipairs(s.errors or {}) do errs[#errs + 1] = e.text or e.code end
      local detail = format("999: transaction set %s rejected (%s)%s", tostring(s.control_number),
        s.status_text or s.status or "?", #errs > 0 and (": " .. concat(errs, "; ")) or "")
      local subs = db:rows("submissions_by_st", control(s.control_number), control(gs))
      if #subs == 0 then
        result.unmatched[#result.unmatched + 1] = format("999 set %s of group %s",
          tostring(s.control_number), tostring(gs))
      end
      result.rejected = result.rejected + reject_submissions(act, subs, detail)
    end
  end
end

local function post_ta1(act, a, result)
  if a.accepted then return end
  local subs = act.db:rows("submissions_by_isa", control(a.control_number))
  if #subs == 0 then
    result.unmatched[#result.unmatched + 1] = "TA1 interchange " .. tostring(a.control_number)
  end
  local detail = format("TA1: interchange %s rejected (%s)", tostring(a.control_number),
    a.note_text or a.note_code or "?")
  result.rejected = result.rejected + reject_submissions(act, subs, detail)
end

local function post_277ca(act, a, result)
  local db, date = act.db, act.date
  for _, c in ipairs(a.claims or {}) do
    local row = c.claim_id and claim_row(db, c.claim_id)
    if not row then
      result.unmatched[#result.unmatched + 1] = "277CA claim " .. tostring(c.claim_id)
    elseif c.accepted then
      if row.status == "submitted" then
        db:rows("set_status", "accepted", date, row.claim_id)
        event(act, row.claim_id, "accepted", { detail = "277CA: accepted for adjudication"
          .. (c.payer_claim_number and (", payer claim number " .. c.payer_claim_number) or "") })
        result.accepted = result.accepted + 1
      end
    elseif row.status == "submitted" or row.status == "accepted" then
      db:rows("set_status", "rejected", date, row.claim_id)
      event(act, row.claim_id, "rejected", { detail = "277CA: " .. status_texts(c.status) })
      result.rejected = result.rejected + 1
    end
  end
end

--- Posts acknowledgements (999, TA1, 277CA) from one file's text, in one
-- transaction: rejected sets, interchanges and claims mark their claims
-- rejected; 277CA acceptances mark them accepted. An acknowledgement
-- posted before is skipped.
-- @tparam string text
-- @tparam[opt] table opts `file`, `by`, `date` (when the acknowledgement
--   carries none)
-- @treturn[1] table `{status, file, acknowledgements, accepted, rejected,
--   already, unmatched = {...}}`
-- @return[2] nil
-- @treturn[2] string message
-- @treturn[2] string id
function ledger_mt:ack(text, opts)
  if type(text) ~= "string" then argerror("ack", 1, "string expected, got " .. type(text)) end
  opts = opts or {}
  return guarded(function()
    local name = opts.file or "(acknowledgement)"
    if not text:match("%S") then fail(name .. ": empty", "ledger.empty") end
    local list, msg, id = ack_mod.read(text)
    if not list then fail(name .. ": " .. tostring(msg), id) end
    if #list == 0 then fail(name .. ": no acknowledgement in the file", "ledger.empty") end
    local result = { file = opts.file, acknowledgements = #list, accepted = 0, rejected = 0,
      already = 0, unmatched = {} }
    local source, by = "ack " .. (opts.file or ""), who(opts)
    self.db:transaction(function(db)
      for _, a in ipairs(list) do
        local key = ack_key(a)
        db:lock_key(key)
        if db:one("ack_by_key", key) then
          result.already = result.already + 1
        else
          local date = a.date or (a.group and a.group.date)
            or (a.interchange and a.interchange.date) or opts.date or today()
          local act = action(db, date, source, by)
          if a.kind == "999" then post_999(act, a, result)
          elseif a.kind == "TA1" then post_ta1(act, a, result)
          else post_277ca(act, a, result) end
          db:rows("insert_ack", opts.file, a.kind, key, a.set_control_number or a.control_number,
            date, a.accepted == false and 0 or 1, nil, by, now())
        end
      end
    end)
    result.status = result.already == #list and "already posted" or "posted"
    return result
  end)
end

-- {====================================================================
-- Remittances
-- =====================================================================

local OUTCOME_EVENT = { paid = "paid", partial = "partly paid", denied = "denied",
  reversed = "reversed", pending = "adjusted" }
local OUTCOME_STATUS = { paid = "paid", partial = "partly paid", denied = "denied",
  reversed = "reversed", pending = "pending" }

-- The claim payment's amounts: paid, patient's share (PR), contractual
-- reductions (other groups, non-denying CARCs) and denied, in cents; line
-- adjustments when the claim has lines, plus claim-level ones.
local function payment_amounts(c)
  local pr, contract, denied = 0, 0, 0
  local function add(list)
    for _, a in ipairs(list or {}) do
      local amt = cents(a.amount) or 0
      if a.group == "PR" then pr = pr + amt
      elseif remit.is_denial(a) then denied = denied + amt
      else contract = contract + amt end
    end
  end
  add(c.adjustments)
  for _, l in ipairs(c.lines or {}) do add(l.adjustments) end
  return cents(c.paid) or 0, pr, contract, denied
end

local function first_remark(list)
  return list and list[1] and list[1].code or nil
end

local function store_adjustments(db, pay_id, line_id, list, remark)
  for _, a in ipairs(list or {}) do
    db:rows("insert_adjustment", pay_id, line_id, a.group, a.reason, cents(a.amount) or 0,
      a.quantity, remark, remit.is_denial(a) and 1 or 0)
  end
end

-- Expected and variance of a claim payment: over its lines paid in full
-- or in part that have an expected amount (a denied line is a denial,
-- not an underpayment); nil when no line has one.
local function line_variance(e)
  local expected, variance
  for _, le in ipairs(e and e.lines or {}) do
    if le.variance then
      expected = (expected or 0) + cents(le.expected_allowed)
      variance = (variance or 0) + cents(le.variance)
    end
  end
  return expected, variance
end

-- Posts claim payment c of remittance {r, id} (its expected fees e).
local function post_claim_payment(act, remittance, c, e, result)
  local db, date, r, rem_id = act.db, act.date, remittance.r, remittance.id
  local row = claim_row(db, c.claim_id)
  local paid, pr, contract, denied = payment_amounts(c)
  local expected, variance = line_variance(e)
  local pay_id = db:insert("insert_claim_payment", rem_id, row and row.claim_id, c.claim_id,
    c.status, c.outcome, cents(c.charge) or 0, paid, pr, c.allowed and cents(c.allowed),
    expected, variance,
    c.payer_claim_number, date, M.day(date))
  store_adjustments(db, pay_id, nil, c.adjustments, first_remark(c.remarks))
  for i, l in ipairs(c.lines or {}) do
    local le = e and e.lines[i] or {}
    local lid = db:insert("insert_line_payment", pay_id, l.submitted_line, l.code,
      modifiers_text(l.modifiers), l.date, cents(l.charge) or 0, cents(l.paid) or 0,
      l.allowed and cents(l.allowed), le.expected_allowed and cents(le.expected_allowed), l.outcome)
    local rk
    for _, rm in ipairs(l.remarks or {}) do rk = rk or rm.code end
    store_adjustments(db, pay_id, lid, l.adjustments, rk or first_remark(c.remarks))
  end
  if not row then
    result.unmatched[#result.unmatched + 1] = c.claim_id
    return
  end
  local kind = OUTCOME_EVENT[c.outcome] or "adjusted"
  local detail = format("%s: paid %s, patient %s, contractual %s, denied %s (trace %s)",
    c.status_text or ("CLP02 " .. tostring(c.status)), money(paid), money(pr), money(contract),
    money(denied), r.trace and r.trace.number or "?")
  db:rows("apply_payment", OUTCOME_STATUS[c.outcome] or "adjusted", date, paid,
    -(paid + pr + contract), pr, c.payer_claim_number, row.claim_id)
  event(act, row.claim_id, kind, { payer = -(paid + pr + contract), patient = pr, detail = detail })
  result.claims = result.claims + 1
  result.outcomes[c.outcome] = (result.outcomes[c.outcome] or 0) + 1
end

--- Posts 835 remittances from one file's text, in one transaction. A
-- remittance whose payer and trace number were posted before is skipped;
-- claim payments are matched to ledger claims by CLP01, compared with the
-- expected allowed amount (bhclaim.remit.report), and move the claims'
-- balances: paid, patient responsibility and contractual reductions come
-- off what the payer owes; denied amounts stay open until appealed or
-- written off.
-- @tparam string text
-- @tparam[opt] table opts `file`, `by`, `date` (when the 835 has no
--   payment date), `schedules`, `locality` (as bhclaim.remit.report),
--   `progress` (called with claim payments done and the total, inside the
--   transaction: for a progress display on large files)
-- @treturn[1] table `{status, file, remittances, already, claims,
--   outcomes = {paid = n, ...}, unmatched = {claim ids}}`
-- @return[2] nil
-- @treturn[2] string message
-- @treturn[2] string id
function ledger_mt:post(text, opts)
  if type(text) ~= "string" then argerror("post", 1, "string expected, got " .. type(text)) end
  opts = opts or {}
  local bhclaim = require("bhclaim")
  return guarded(function()
    local name = opts.file or "(835)"
    if not text:match("%S") then fail(name .. ": empty", "ledger.empty") end
    local list, msg, id = remit.read(text)
    if not list then fail(name .. ": " .. tostring(msg), id) end
    if #list == 0 then fail(name .. ": no 835 in the file", "ledger.empty") end
    local result = { file = opts.file, remittances = #list, already = 0, claims = 0,
      outcomes = {}, unmatched = {} }
    local source, by = "post " .. (opts.file or ""), who(opts)
    local done, total = 0, 0
    for _, r in ipairs(list) do total = total + #(r.claims or {}) end
    self.db:transaction(function(db)
      for _, r in ipairs(list) do
        local trace = r.trace and r.trace.number
        if not trace then fail(name .. ": an 835 without a TRN trace number cannot be posted "
          .. "(its repetition could not be recognised)", "ledger.trace") end
        local payer = r.payer or {}
        local payer_key = payer.id or payer.name
          or (r.interchange and r.interchange.sender_id) or ""
        db:lock_key("835:" .. payer_key .. ":" .. trace)
        if db:one("remittance_by_key", payer_key, trace) then
          result.already = result.already + 1
        else
          local date = (r.payment and r.payment.date) or r.production_date or opts.date or today()
          local rem_id = db:insert("insert_remittance", opts.file, payer_key, payer.id, payer.name,
            trace, cents(r.payment and r.payment.amount) or 0, date, #(r.claims or {}), by, now())
          local docs, seen = {}, {}
          for _, c in ipairs(r.claims or {}) do
            local row = c.claim_id and not seen[c.claim_id] and claim_row(db, c.claim_id)
            if row then
              seen[c.claim_id] = true
              docs[#docs + 1] = bhclaim.decode(row.document)
            end
          end
          local entries = remit.report({ r }, { claims = docs, schedules = opts.schedules,
            locality = opts.locality, rule_index = false })
          local act, remittance = action(db, date, source, by), { r = r, id = rem_id }
          for i, c in ipairs(r.claims or {}) do
            post_claim_payment(act, remittance, c, entries[i], result)
            done = done + 1
            if opts.progress then opts.progress(done, total) end
          end
        end
      end
    end)
    result.status = result.already == #list and "already posted" or "posted"
    return result
  end)
end

-- {====================================================================
-- Notes, appeals, write-offs
-- =====================================================================

local function need_claim(db, id)
  local row = claim_row(db, id)
  if not row then fail(format("no claim '%s' in the ledger", id), "ledger.unknown_claim") end
  return row
end

local function check_date(fname, d)
  if d ~= nil and not M.day(d) then argerror(fname, 2, "opts.date: YYYY-MM-DD expected") end
  return d or today()
end

--- Adds a note to a claim's history.
-- @tparam string id claim id
-- @tparam string text
-- @tparam[opt] table opts `date`, `by`
-- @treturn[1] true
-- @return[2] nil, message, id
function ledger_mt:note(id, text, opts)
  if type(id) ~= "string" then argerror("note", 1, "string expected, got " .. type(id)) end
  if type(text) ~= "string" or text == "" then argerror("note", 2, "non-empty string expected") end
  local date = check_date("note", opts and opts.date)
  return guarded(function()
    self.db:transaction(function(db)
      need_claim(db, id)
      event(action(db, date, "note", who(opts)), id, "note", { detail = text })
    end)
    return true
  end)
end

--- Records an appeal of a denied or partly paid claim.
-- @tparam string id
-- @tparam[opt] table opts `date` (default today), `note`, `by`
-- @treturn[1] true
-- @return[2] nil, message, id
function ledger_mt:appeal(id, opts)
  if type(id) ~= "string" then argerror("appeal", 1, "string expected, got " .. type(id)) end
  local date = check_date("appeal", opts and opts.date)
  return guarded(function()
    self.db:transaction(function(db)
      local row = need_claim(db, id)
      db:rows("set_status", "appealed", date, id)
      event(action(db, date, "appeal", who(opts)), id, "appealed",
        { detail = (opts and opts.note) or ("appealed (was " .. row.status .. ")") })
    end)
    return true
  end)
end

--- Writes off what the payer still owes on a claim.
-- @tparam string id
-- @tparam table opts `reason` (required), `date`, `by`
-- @treturn[1] number the amount written off, in cents
-- @return[2] nil, message, id
function ledger_mt:writeoff(id, opts)
  if type(id) ~= "string" then argerror("writeoff", 1, "string expected, got " .. type(id)) end
  if type(opts) ~= "table" or type(opts.reason) ~= "string" or opts.reason == "" then
    argerror("writeoff", 2, "opts.reason: a non-empty string expected")
  end
  local date = check_date("writeoff", opts.date)
  return guarded(function()
    return self.db:transaction(function(db)
      local row = need_claim(db, id)
      local amount = row.payer_balance_cents
      if amount == 0 then
        fail(format("claim '%s' has no open balance to write off", id), "ledger.no_balance")
      end
      db:rows("apply_writeoff", "written off", date, -amount, id)
      event(action(db, date, "writeoff", who(opts)), id, "written off", { payer = -amount,
        detail = format("%s written off: %s", money(amount), opts.reason) })
      return amount
    end)
  end)
end

-- {====================================================================
-- Reports
-- =====================================================================

local function as_of_day(fname, as_of)
  as_of = as_of or today()
  local d = M.day(as_of)
  if not d then argerror(fname, 1, "opts.as_of: YYYY-MM-DD expected") end
  return as_of, d
end

--- Open balances in ageing buckets (days from the submission date) as of
-- a date, by payer or by patient; the patient's responsibility apart.
-- @tparam[opt] table opts `as_of` (default today), `by` ("payer" or "patient")
-- @treturn[1] table `{as_of, by, groups = {{id, name, payer = {5 cents},
--   patient = {5 cents}, payer_total, patient_total, claims}}, payer = {5},
--   patient = {5}, payer_total, patient_total}`
-- @return[2] nil, message, id
function ledger_mt:ar(opts)
  opts = opts or {}
  local as_of, d = as_of_day("ar", opts.as_of)
  local by = opts.by or "payer"
  if by ~= "payer" and by ~= "patient" then
    argerror("ar", 1, "opts.by: payer or patient expected")
  end
  return guarded(function()
    local rows = self.db:rows(by == "payer" and "ar_by_payer" or "ar_by_patient", d, d, d, d, d, d)
    local out = { as_of = as_of, by = by, groups = {}, payer = { 0, 0, 0, 0, 0 },
      patient = { 0, 0, 0, 0, 0 }, payer_total = 0, patient_total = 0 }
    local index = {}
    for _, r in ipairs(rows) do
      local g = index[r.grp]
      if not g then
        g = { id = r.grp, name = r.grp_name, payer = { 0, 0, 0, 0, 0 }, patient = { 0, 0, 0, 0, 0 },
          payer_total = 0, patient_total = 0, claims = 0 }
        index[r.grp] = g
        out.groups[#out.groups + 1] = g
      end
      local b = r.bucket
      g.payer[b] = g.payer[b] + r.payer_cents
      g.patient[b] = g.patient[b] + r.patient_cents
      g.payer_total = g.payer_total + r.payer_cents
      g.patient_total = g.patient_total + r.patient_cents
      g.claims = g.claims + r.n_claims
      out.payer[b] = out.payer[b] + r.payer_cents
      out.patient[b] = out.patient[b] + r.patient_cents
      out.payer_total = out.payer_total + r.payer_cents
      out.patient_total = out.patient_total + r.patient_cents
    end
    return out
  end)
end

-- The last event (not a note) of each claim up to a day.
local function last_events(db, d)
  local last = {}
  for _, e in ipairs(db:rows("last_events", d)) do last[e.claim_id] = e end
  return last
end

-- The latest claim payment of each claim up to a day, with its denying
-- adjustments (rows come ordered by claim, day, payment, adjustment).
local function latest_payments(db, d)
  local latest = {}
  for _, r in ipairs(db:rows("denials_until", d)) do
    local p = latest[r.claim_id]
    if not p or p.id ~= r.payment_id then
      p = { id = r.payment_id, payer = r.payer_name or r.payer_id, outcome = r.outcome,
        payment_date = r.payment_date, payment_day = r.payment_day,
        variance_cents = r.variance_cents, allowed_cents = r.allowed_cents,
        expected_cents = r.expected_cents, denials = {} }
      latest[r.claim_id] = p
    end
    if r.denial == 1 then
      p.denials[#p.denials + 1] = { group = r.group_code, reason = r.reason, remark = r.remark,
        amount = r.amount_cents }
    end
  end
  return latest
end

local function term(t, field)
  local v = t[field]
  if not v then return nil end
  return v
end

local function denial_item(c, p, t, as_of_d)
  local amount, reasons, hints = 0, {}, {}
  for _, a in ipairs(p.denials) do
    amount = amount + a.amount
    local info = adjustments.carc(a.reason)
    reasons[#reasons + 1] = format("%s-%s%s: %s", a.group, a.reason,
      a.remark and ("/" .. a.remark) or "", info.text or "?")
    if info.hint then hints[#hints + 1] = info.hint end
  end
  if amount <= 0 then amount = c.payer_cents end
  local item = { kind = "denied", claim_id = c.claim_id, amount = amount,
    payer = c.payer_name or c.payer_id, detail = concat(reasons, "; "),
    hint = hints[1] or "review the denial; correct and resubmit, or appeal" }
  local appeal = term(t, "appeal_days")
  if appeal then
    local due = p.payment_day + appeal.value
    item.due = M.date(due)
    item.due_source = appeal.source
    item.due_confirmed = appeal.confirmed
    item.days_left = due - as_of_d
  else
    item.due_reason = "no appeal deadline in the payer's terms"
  end
  return item
end

--- What needs a person as of a date, most money first: front-end
-- rejections, denials (reason, hint, appeal deadline), underpayments
-- against the expected amount, claims with no answer past the payer's
-- usual days, claims nearing their timely-filing limit.
-- @tparam[opt] table opts `as_of` (default today), `terms` (payer id,
--   name or kind -> terms, see bhclaim.ledger.terms)
-- @treturn[1] table list of `{kind, claim_id, amount (cents), payer,
--   detail, hint, due, due_source, due_confirmed, days_left}`
-- @return[2] nil, message, id
function ledger_mt:worklist(opts)
  opts = opts or {}
  local _, d = as_of_day("worklist", opts.as_of)
  local terms, terr = terms_mod.new(opts.terms or self.terms_given)
  if not terms then argerror("worklist", 1, terr) end
  return guarded(function()
    local db = self.db
    local last = last_events(db, d)
    local latest = latest_payments(db, d)
    local items = {}
    local function add(it) items[#items + 1] = it end
    for _, c in ipairs(db:rows("open_claims", d, d)) do
      local t = terms:of(c)
      local e = last[c.claim_id] or {}
      local payer = c.payer_name or c.payer_id
      if e.kind == "rejected" then
        add({ kind = "rejected", claim_id = c.claim_id, amount = c.payer_cents, payer = payer,
          detail = e.detail, hint = "correct the claim and submit it again" })
      elseif (e.kind == "denied" or e.kind == "partly paid") and latest[c.claim_id] then
        add(denial_item(c, latest[c.claim_id], t, d))
      elseif e.kind == "submitted" or e.kind == "accepted" then
        local usual = term(t, "usual_days")
        local waited = d - c.submitted_day
        if usual and waited > usual.value then
          add({ kind = "no answer", claim_id = c.claim_id, amount = c.payer_cents, payer = payer,
            detail = format("no answer %d days after submission on %s (usual: %d days)", waited,
              c.submitted_date, usual.value), due_source = usual.source,
            due_confirmed = usual.confirmed,
            hint = "ask the payer for the claim's status (276/277 or the portal)" })
        end
      end
      local filing = term(t, "filing_days")
      if filing and c.first_service_day and (e.kind == "rejected" or e.kind == "submitted") then
        local limit = c.first_service_day + filing.value
        if limit - d <= M.FILING_WARNING_DAYS then
          add({ kind = "timely filing", claim_id = c.claim_id, amount = c.payer_cents,
            payer = payer,
            detail = format("service %s: filing limit %s", c.first_service_date, M.date(limit)),
            due = M.date(limit), due_source = filing.source, due_confirmed = filing.confirmed,
            days_left = limit - d,
            hint = "get the claim accepted before the limit; keep proof of timely filing" })
        end
      end
    end
    for id, p in pairs(latest) do
      local e = last[id] or {}
      if p.variance_cents and p.variance_cents < 0 and e.kind ~= "appealed"
        and e.kind ~= "written off" then
        add({ kind = "underpaid", claim_id = id, amount = -p.variance_cents, payer = p.payer,
          detail = format("allowed %s, expected %s (paid %s)", money(p.allowed_cents or 0),
            money(p.expected_cents or 0), p.payment_date),
          hint = "check the fee schedule, place of service and modifiers; ask the payer to "
            .. "reprocess or appeal" })
      end
    end
    table.sort(items, function(a, b)
      if a.amount ~= b.amount then return a.amount > b.amount end
      if a.claim_id ~= b.claim_id then return a.claim_id < b.claim_id end
      return a.kind < b.kind
    end)
    return items
  end)
end

--- The claims the worklist says have had no answer past the payer's usual
-- days, as the claim tables that were submitted: what a 276 claim-status
-- request asks about (`bhclaim status request --db`).
-- @tparam[opt] table opts as for worklist: `as_of`, `terms`
-- @treturn[1] table claim tables, most money first
-- @return[2] nil, message, id
function ledger_mt:unanswered(opts)
  local items, msg, id = self:worklist(opts)
  if not items then return nil, msg, id end
  local bhclaim = require("bhclaim")
  return guarded(function()
    local out = {}
    for _, it in ipairs(items) do
      if it.kind == "no answer" then
        local doc = need_claim(self.db, it.claim_id).document
        out[#out + 1] = assert(bhclaim.decode(doc))
      end
    end
    return out
  end)
end

--- A claim's lines, payments and history.
-- @tparam string id
-- @treturn[1] table `{claim, lines, payments = {{..., lines, adjustments}}, events}`
-- @return[2] nil, message, id
function ledger_mt:show(id)
  if type(id) ~= "string" then argerror("show", 1, "string expected, got " .. type(id)) end
  return guarded(function()
    local db = self.db
    local row = need_claim(db, id)
    row.document = nil
    local out = { claim = row, lines = db:rows("lines_of_claim", id), payments = {},
      events = db:rows("events_of_claim", id) }
    for _, p in ipairs(db:rows("payments_of_claim", id)) do
      p.lines = db:rows("line_payments_of", p.id)
      p.adjustments = db:rows("adjustments_of", p.id)
      for _, a in ipairs(p.adjustments) do
        a.text = adjustments.explain(a.group_code, a.reason)
      end
      out.payments[#out.payments + 1] = p
    end
    return out
  end)
end

--- Counts of what the ledger holds (claims, events, remittances, payments).
function ledger_mt:counts()
  return guarded(function()
    local db = self.db
    return { claims = db:one("count_claims").n_claims, events = db:one("count_events").n_events,
      remittances = db:one("count_remittances").n_remittances,
      payments = db:one("count_payments").n_payments }
  end)
end

--- Closes the ledger.
function ledger_mt:close()
  self.db:close()
end

--- Opens a ledger (creating it when new).
-- @tparam string url a file path (SQLite) or a postgresql:// URL
-- @tparam[opt] table opts `terms` (payer id, name or kind -> follow-up
--   terms, see bhclaim.ledger.terms), `busy_ms` (SQLite busy timeout)
-- @treturn[1] table the ledger: submit, ack, post, note, appeal, writeoff,
--   ar, worklist, show, counts, close
-- @return[2] nil
-- @treturn[2] string message
-- @treturn[2] string "ledger.open"
function M.open(url, opts)
  if type(url) ~= "string" then argerror("open", 1, "string expected, got " .. type(url)) end
  if opts ~= nil and type(opts) ~= "table" then
    argerror("open", 2, "table expected, got " .. type(opts))
  end
  opts = opts or {}
  if opts.terms then
    local ok, err = terms_mod.new(opts.terms)
    if not ok then argerror("open", 2, "opts.terms: " .. err) end
  end
  local db, err = sql.open(url, opts)
  if not db then return nil, err, "ledger.open" end
  return setmetatable({ db = db, terms_given = opts.terms, url = url }, ledger_mt)
end

--- Amounts as decimal strings, for reports.
M.money = money

return M
