--- The ledger's storage: the one module that speaks SQL.
-- Two dialects through LuaSQL's maintained drivers: SQLite (luasql.sqlite3,
-- a file) and PostgreSQL (luasql.postgres). Every statement the ledger runs
-- is named here; values reach SQL only through the driver's escaping
-- (conn:escape; LuaSQL 2.6 has no prepared statements), never pasted raw.
-- The schema is versioned: `schema_version` holds the last migration run.
-- @module bhclaim.ledger.sql
-- SPDX-License-Identifier: MIT

local M = {}

local format, concat = string.format, table.concat

-- {====================================================================
-- URLs
-- =====================================================================

-- Decodes %XX escapes of a URL part.
local function unescape(s)
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

-- A libpq conninfo value, quoted (single quotes, backslash escapes).
local function conninfo_value(v)
  return "'" .. v:gsub("\\", "\\\\"):gsub("'", "\\'") .. "'"
end

--- Parses a ledger URL: a file path (SQLite) or
-- `postgresql://[user[:password]@][host][:port]/dbname[?host=/socket/dir]`
-- (`postgres://` too).
-- @tparam string url
-- @treturn[1] table `{dialect = "sqlite", path = ...}` or
--   `{dialect = "postgres", conninfo = ..., dbname = ...}`
-- @return[2] nil
-- @treturn[2] string what is wrong
function M.parse_url(url)
  if type(url) ~= "string" or url == "" then return nil, "empty ledger URL" end
  local rest = url:match("^postgresql://(.*)$") or url:match("^postgres://(.*)$")
  if not rest then
    if url:match("^%a[%w+.-]*://") then
      return nil, "unsupported ledger URL scheme in '" .. url .. "' (a file path or postgresql://)"
    end
    return { dialect = "sqlite", path = url }
  end
  local query
  rest, query = rest:match("^([^?]*)%??(.*)$")
  local authority, dbname = rest:match("^([^/]*)/?(.*)$")
  local parts = {}
  local userinfo, hostport = authority:match("^(.*)@(.*)$")
  if not userinfo then hostport = authority end
  if userinfo and userinfo ~= "" then
    local user, password = userinfo:match("^([^:]*):?(.*)$")
    parts.user = unescape(user)
    if password ~= "" then parts.password = unescape(password) end
  end
  if hostport ~= "" then
    local host, port = hostport:match("^(.-):(%d+)$")
    parts.host = unescape(host or hostport)
    parts.port = port
  end
  if dbname ~= "" then parts.dbname = unescape(dbname) end
  for pair in query:gmatch("[^&]+") do
    local k, v = pair:match("^([^=]+)=(.*)$")
    if not k then return nil, "bad query parameter '" .. pair .. "' in ledger URL" end
    parts[unescape(k)] = unescape(v)
  end
  if not parts.dbname then return nil, "ledger URL names no database: '" .. url .. "'" end
  local keys = {}
  for k in pairs(parts) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. conninfo_value(parts[k]) end
  return { dialect = "postgres", conninfo = concat(out, " "), dbname = parts.dbname }
end

-- {====================================================================
-- Values
-- =====================================================================

-- Columns read back as integers (PostgreSQL's driver gives strings).
local TEXT_IDS = { claim_id = true, payer_id = true, clp_claim_id = true, sender_id = true,
  receiver_id = true }

local function integer_column(name)
  if TEXT_IDS[name] then return false end
  return name == "id" or name == "version" or name == "accepted" or name == "line_no"
    or name == "bucket" or name == "denial" or name:match("_cents$") ~= nil
    or name:match("_day$") ~= nil or name:match("_id$") ~= nil or name:match("^n_") ~= nil
end

-- One value as SQL text: NULL, an integer, or a string through the
-- driver's escaping. Anything else is refused (never guessed).
local function literal(conn, v)
  local t = type(v)
  if v == nil then return "NULL" end
  if t == "boolean" then return v and "1" or "0" end
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge or v ~= math.floor(v) then
      error("ledger: not an integer for SQL: " .. tostring(v), 3)
    end
    return format("%.0f", v)
  end
  if t == "string" then
    if v:find("\0", 1, true) then error("ledger: a NUL byte in a value for SQL", 3) end
    return "'" .. conn:escape(v) .. "'"
  end
  error("ledger: cannot store a " .. t .. " in SQL", 3)
end

-- Binds the ? placeholders of sql to args (n of them, nils allowed).
local function bind(conn, sql, args, n)
  local i = 0
  local text = sql:gsub("%?", function()
    i = i + 1
    return literal(conn, args[i])
  end)
  if i ~= n then error(format("ledger: statement takes %d values, got %d", i, n), 3) end
  return text
end

-- {====================================================================
-- Schema: migrations, in order; {ID} is the dialect's key column
-- =====================================================================

local ID = { sqlite = "INTEGER PRIMARY KEY AUTOINCREMENT", postgres = "BIGSERIAL PRIMARY KEY" }

local MIGRATIONS = {
  { version = 1, statements = {
    [[CREATE TABLE submissions (id {ID}, file TEXT, format TEXT NOT NULL,
      submission_key TEXT NOT NULL UNIQUE, isa_control TEXT, gs_control TEXT, st_control TEXT,
      sender_id TEXT, receiver_id TEXT, interchange_date TEXT, submitted_date TEXT NOT NULL,
      n_claims BIGINT NOT NULL, recorded_by TEXT, recorded_at TEXT NOT NULL)]],
    [[CREATE TABLE claims (claim_id TEXT PRIMARY KEY, payer_id TEXT, payer_name TEXT,
      payer_kind TEXT, patient_key TEXT NOT NULL, patient_name TEXT,
      first_service_date TEXT, first_service_day BIGINT, last_service_date TEXT,
      charge_cents BIGINT NOT NULL, status TEXT NOT NULL,
      submission_id BIGINT NOT NULL REFERENCES submissions(id),
      submitted_date TEXT NOT NULL, submitted_day BIGINT NOT NULL,
      first_submitted_date TEXT NOT NULL,
      payer_claim_number TEXT, paid_cents BIGINT NOT NULL,
      payer_balance_cents BIGINT NOT NULL, patient_balance_cents BIGINT NOT NULL,
      status_date TEXT, document TEXT NOT NULL)]],
    [[CREATE TABLE claim_lines (claim_id TEXT NOT NULL REFERENCES claims(claim_id),
      line_no BIGINT NOT NULL, code TEXT, modifiers TEXT, units TEXT, charge_cents BIGINT NOT NULL,
      service_date TEXT, control_number TEXT, PRIMARY KEY (claim_id, line_no))]],
    [[CREATE TABLE acknowledgements (id {ID}, file TEXT, kind TEXT NOT NULL,
      ack_key TEXT NOT NULL UNIQUE, control_number TEXT, ack_date TEXT, accepted BIGINT NOT NULL,
      detail TEXT, recorded_by TEXT, recorded_at TEXT NOT NULL)]],
    [[CREATE TABLE remittances (id {ID}, file TEXT, payer_key TEXT NOT NULL, payer_id TEXT,
      payer_name TEXT, trace_number TEXT NOT NULL, payment_cents BIGINT NOT NULL,
      payment_date TEXT, n_claims BIGINT NOT NULL, recorded_by TEXT, recorded_at TEXT NOT NULL,
      UNIQUE (payer_key, trace_number))]],
    [[CREATE TABLE claim_payments (id {ID},
      remittance_id BIGINT NOT NULL REFERENCES remittances(id),
      claim_id TEXT REFERENCES claims(claim_id), clp_claim_id TEXT NOT NULL, status_code TEXT,
      outcome TEXT NOT NULL, charge_cents BIGINT NOT NULL, paid_cents BIGINT NOT NULL,
      patient_cents BIGINT NOT NULL, allowed_cents BIGINT, expected_cents BIGINT,
      variance_cents BIGINT, payer_claim_number TEXT, payment_date TEXT NOT NULL,
      payment_day BIGINT NOT NULL)]],
    [[CREATE TABLE line_payments (id {ID},
      claim_payment_id BIGINT NOT NULL REFERENCES claim_payments(id), line_no BIGINT,
      code TEXT, modifiers TEXT, service_date TEXT, charge_cents BIGINT NOT NULL,
      paid_cents BIGINT NOT NULL, allowed_cents BIGINT, expected_cents BIGINT, outcome TEXT)]],
    [[CREATE TABLE adjustments (id {ID},
      claim_payment_id BIGINT NOT NULL REFERENCES claim_payments(id),
      line_payment_id BIGINT REFERENCES line_payments(id), group_code TEXT NOT NULL,
      reason TEXT NOT NULL, amount_cents BIGINT NOT NULL, quantity TEXT, remark TEXT,
      denial BIGINT NOT NULL)]],
    [[CREATE TABLE events (id {ID}, claim_id TEXT NOT NULL REFERENCES claims(claim_id),
      kind TEXT NOT NULL, event_date TEXT NOT NULL, event_day BIGINT NOT NULL,
      payer_delta_cents BIGINT NOT NULL, patient_delta_cents BIGINT NOT NULL, detail TEXT,
      source TEXT, recorded_by TEXT, recorded_at TEXT NOT NULL)]],
    "CREATE INDEX events_claim ON events (claim_id, event_day)",
    "CREATE INDEX claim_payments_claim ON claim_payments (claim_id)",
    "CREATE INDEX adjustments_payment ON adjustments (claim_payment_id)",
    "CREATE INDEX line_payments_payment ON line_payments (claim_payment_id)",
  } },
}

--- The schema version this code migrates to.
M.SCHEMA_VERSION = MIGRATIONS[#MIGRATIONS].version

-- {====================================================================
-- Named statements: the only SQL the ledger runs
-- =====================================================================

local Q = {
  submission_by_key = "SELECT id FROM submissions WHERE submission_key = ?",
  insert_submission = [[INSERT INTO submissions (file, format, submission_key, isa_control,
    gs_control, st_control, sender_id, receiver_id, interchange_date, submitted_date, n_claims,
    recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id]],
  claim = "SELECT * FROM claims WHERE claim_id = ?",
  claims_of_submission = [[SELECT claim_id, status, charge_cents FROM claims
    WHERE submission_id = ? ORDER BY claim_id]],
  insert_claim = [[INSERT INTO claims (claim_id, payer_id, payer_name, payer_kind, patient_key,
    patient_name, first_service_date, first_service_day, last_service_date, charge_cents, status,
    submission_id, submitted_date, submitted_day, first_submitted_date, paid_cents,
    payer_balance_cents, patient_balance_cents, status_date, document)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, ?, ?)]],
  -- A corrected claim sent again after a front-end rejection.
  resubmit_claim = [[UPDATE claims SET payer_id = ?, payer_name = ?, payer_kind = ?,
    patient_key = ?, patient_name = ?, first_service_date = ?, first_service_day = ?,
    last_service_date = ?, charge_cents = ?, status = ?, submission_id = ?, submitted_date = ?,
    submitted_day = ?, payer_balance_cents = payer_balance_cents + ?, status_date = ?,
    document = ? WHERE claim_id = ?]],
  delete_lines = "DELETE FROM claim_lines WHERE claim_id = ?",
  insert_line = [[INSERT INTO claim_lines (claim_id, line_no, code, modifiers, units,
    charge_cents, service_date, control_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)]],
  lines_of_claim = "SELECT * FROM claim_lines WHERE claim_id = ? ORDER BY line_no",
  set_status = "UPDATE claims SET status = ?, status_date = ? WHERE claim_id = ?",
  apply_payment = [[UPDATE claims SET status = ?, status_date = ?,
    paid_cents = paid_cents + ?, payer_balance_cents = payer_balance_cents + ?,
    patient_balance_cents = patient_balance_cents + ?,
    payer_claim_number = COALESCE(?, payer_claim_number) WHERE claim_id = ?]],
  apply_writeoff = [[UPDATE claims SET status = ?, status_date = ?,
    payer_balance_cents = payer_balance_cents + ? WHERE claim_id = ?]],
  insert_event = [[INSERT INTO events (claim_id, kind, event_date, event_day,
    payer_delta_cents, patient_delta_cents, detail, source, recorded_by, recorded_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)]],
  events_of_claim = "SELECT * FROM events WHERE claim_id = ? ORDER BY event_day, id",
  ack_by_key = "SELECT id FROM acknowledgements WHERE ack_key = ?",
  insert_ack = [[INSERT INTO acknowledgements (file, kind, ack_key, control_number, ack_date,
    accepted, detail, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)]],
  submissions_by_st = [[SELECT id FROM submissions WHERE st_control = ? AND gs_control = ?]],
  submissions_by_isa = "SELECT id FROM submissions WHERE isa_control = ?",
  remittance_by_key = "SELECT id FROM remittances WHERE payer_key = ? AND trace_number = ?",
  insert_remittance = [[INSERT INTO remittances (file, payer_key, payer_id, payer_name,
    trace_number, payment_cents, payment_date, n_claims, recorded_by, recorded_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id]],
  insert_claim_payment = [[INSERT INTO claim_payments (remittance_id, claim_id, clp_claim_id,
    status_code, outcome, charge_cents, paid_cents, patient_cents, allowed_cents, expected_cents,
    variance_cents, payer_claim_number, payment_date, payment_day)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id]],
  insert_line_payment = [[INSERT INTO line_payments (claim_payment_id, line_no, code,
    modifiers, service_date, charge_cents, paid_cents, allowed_cents, expected_cents, outcome)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id]],
  insert_adjustment = [[INSERT INTO adjustments (claim_payment_id, line_payment_id, group_code,
    reason, amount_cents, quantity, remark, denial) VALUES (?, ?, ?, ?, ?, ?, ?, ?)]],
  payments_of_claim = [[SELECT p.*, r.trace_number, r.payer_name AS remit_payer, r.file
    FROM claim_payments p JOIN remittances r ON r.id = p.remittance_id
    WHERE p.claim_id = ? ORDER BY p.payment_day, p.id]],
  line_payments_of = "SELECT * FROM line_payments WHERE claim_payment_id = ? ORDER BY id",
  adjustments_of = "SELECT * FROM adjustments WHERE claim_payment_id = ? ORDER BY id",
  -- Open balances as of a day (events up to it), per claim, then per
  -- group and ageing bucket from the submission day.
  ar_by_payer = [[SELECT t.grp AS grp, t.grp_name AS grp_name,
      CASE WHEN ? - t.submitted_day <= 30 THEN 1 WHEN ? - t.submitted_day <= 60 THEN 2
        WHEN ? - t.submitted_day <= 90 THEN 3 WHEN ? - t.submitted_day <= 120 THEN 4
        ELSE 5 END AS bucket,
      SUM(t.payer_cents) AS payer_cents, SUM(t.patient_cents) AS patient_cents,
      COUNT(*) AS n_claims
    FROM (SELECT c.claim_id, COALESCE(c.payer_id, '') AS grp, MAX(c.payer_name) AS grp_name,
        c.submitted_day, SUM(e.payer_delta_cents) AS payer_cents,
        SUM(e.patient_delta_cents) AS patient_cents
      FROM claims c JOIN events e ON e.claim_id = c.claim_id
      WHERE e.event_day <= ? AND c.submitted_day <= ?
      GROUP BY c.claim_id, c.payer_id, c.submitted_day) t
    WHERE t.payer_cents <> 0 OR t.patient_cents <> 0
    GROUP BY t.grp, t.grp_name, 3 ORDER BY t.grp, 3]],
  ar_by_patient = [[SELECT t.grp AS grp, t.grp_name AS grp_name,
      CASE WHEN ? - t.submitted_day <= 30 THEN 1 WHEN ? - t.submitted_day <= 60 THEN 2
        WHEN ? - t.submitted_day <= 90 THEN 3 WHEN ? - t.submitted_day <= 120 THEN 4
        ELSE 5 END AS bucket,
      SUM(t.payer_cents) AS payer_cents, SUM(t.patient_cents) AS patient_cents,
      COUNT(*) AS n_claims
    FROM (SELECT c.claim_id, c.patient_key AS grp, MAX(c.patient_name) AS grp_name,
        c.submitted_day, SUM(e.payer_delta_cents) AS payer_cents,
        SUM(e.patient_delta_cents) AS patient_cents
      FROM claims c JOIN events e ON e.claim_id = c.claim_id
      WHERE e.event_day <= ? AND c.submitted_day <= ?
      GROUP BY c.claim_id, c.patient_key, c.submitted_day) t
    WHERE t.payer_cents <> 0 OR t.patient_cents <> 0
    GROUP BY t.grp, t.grp_name, 3 ORDER BY t.grp, 3]],
  -- Claims open as of a day with what the worklist needs.
  open_claims = [[SELECT c.claim_id, c.payer_id, c.payer_name, c.payer_kind, c.status,
      c.submitted_date, c.submitted_day, c.first_submitted_date, c.first_service_date,
      c.first_service_day, c.charge_cents, c.patient_name,
      SUM(e.payer_delta_cents) AS payer_cents
    FROM claims c JOIN events e ON e.claim_id = c.claim_id
    WHERE e.event_day <= ? AND c.submitted_day <= ?
    GROUP BY c.claim_id, c.payer_id, c.payer_name, c.payer_kind, c.status, c.submitted_date,
      c.submitted_day, c.first_submitted_date, c.first_service_date, c.first_service_day,
      c.charge_cents, c.patient_name
    HAVING SUM(e.payer_delta_cents) <> 0]],
  last_events = [[SELECT claim_id, kind, event_date, event_day, detail FROM events
    WHERE event_day <= ? AND kind <> 'note' ORDER BY claim_id, event_day, id]],
  denials_until = [[SELECT p.id AS payment_id, p.claim_id, c.payer_name, c.payer_id,
      p.outcome, p.payment_date, p.payment_day, p.variance_cents,
      p.allowed_cents, p.expected_cents, a.group_code, a.reason, a.remark, a.amount_cents,
      a.denial
    FROM claim_payments p JOIN claims c ON c.claim_id = p.claim_id
      LEFT JOIN adjustments a ON a.claim_payment_id = p.id
    WHERE p.payment_day <= ? AND p.claim_id IS NOT NULL ORDER BY p.claim_id, p.payment_day, p.id,
      a.id]],
  count_claims = "SELECT COUNT(*) AS n_claims FROM claims",
  count_events = "SELECT COUNT(*) AS n_events FROM events",
  count_remittances = "SELECT COUNT(*) AS n_remittances FROM remittances",
  count_payments = "SELECT COUNT(*) AS n_payments FROM claim_payments",
}

-- {====================================================================
-- Connections
-- =====================================================================

local db_mt = {}
db_mt.__index = db_mt

local function driver(dialect)
  local name = dialect == "sqlite" and "luasql.sqlite3" or "luasql.postgres"
  local ok, mod = pcall(require, name)
  if not ok then return nil, "the " .. name .. " driver is not installed (Debian: "
    .. (dialect == "sqlite" and "lua-sql-sqlite3" or "lua-sql-postgres") .. ")" end
  return mod
end

-- Runs raw SQL text; returns the cursor or the row count, or raises.
local function run(self, text)
  local res, err = self.conn:execute(text)
  if res == nil then error({ ledger_sql = true, message = tostring(err) }, 0) end
  return res
end

-- Runs raw SQL text whose rows (if any, as PRAGMA gives) are not wanted.
local function exec(self, text)
  local res = run(self, text)
  if type(res) == "userdata" then res:close() end
end

local function fetch_all(cur)
  local rows = {}
  if type(cur) ~= "userdata" then return rows end
  while true do
    local row = cur:fetch({}, "a")
    if not row then break end
    for k, v in pairs(row) do
      if type(v) == "string" and integer_column(k) then row[k] = tonumber(v) end
    end
    rows[#rows + 1] = row
  end
  cur:close()
  return rows
end

--- Runs named statement `name` with its values; returns the rows
-- (a list of tables keyed by column name; empty for statements without).
-- Raises `{ledger_sql = true, message}` on a database error.
-- @tparam string name a statement of this module
-- @param ... the values, in placeholder order (nil for NULL)
-- @treturn table rows
function db_mt:rows(name, ...)
  local sql = Q[name]
  if not sql then error("ledger: no statement named " .. tostring(name), 2) end
  return fetch_all(run(self, bind(self.conn, sql, { ... }, select("#", ...))))
end

--- Runs named INSERT statement `name` (one ending in RETURNING id) and
-- returns the new row's id. SQLite's driver gives no cursor for
-- RETURNING, so there the id comes from last_insert_rowid() on the same
-- connection.
-- @tparam string name
-- @param ... the values
-- @treturn number id
function db_mt:insert(name, ...)
  local sql = Q[name]
  if not sql or not sql:match("RETURNING id$") then
    error("ledger: no INSERT ... RETURNING id statement named " .. tostring(name), 2)
  end
  if self.dialect == "sqlite" then
    exec(self, bind(self.conn, (sql:gsub("%s*RETURNING id$", "")), { ... }, select("#", ...)))
    return fetch_all(run(self, "SELECT last_insert_rowid() AS id"))[1].id
  end
  return fetch_all(run(self, bind(self.conn, sql, { ... }, select("#", ...))))[1].id
end

--- The first row of named statement `name`, or nil.
function db_mt:one(name, ...)
  return self:rows(name, ...)[1]
end

--- Starts a write transaction: SQLite takes the write lock at once
-- (BEGIN IMMEDIATE, waiting up to the busy timeout), so two writers never
-- deadlock upgrading a read lock.
function db_mt:begin()
  exec(self, self.dialect == "sqlite" and "BEGIN IMMEDIATE" or "BEGIN")
end

--- Inside a transaction: waits until no other transaction holds `key`
-- (a file's identity: an 835's payer and trace number...), so two
-- processes posting the same file at once post it once. PostgreSQL: a
-- transaction-level advisory lock on the key's hash; SQLite needs none
-- (BEGIN IMMEDIATE already lets one writer in at a time).
-- @tparam string key
function db_mt:lock_key(key)
  if self.dialect == "postgres" then
    fetch_all(run(self, bind(self.conn, "SELECT pg_advisory_xact_lock(hashtext(?)) AS locked",
      { key }, 1)))
  end
end

--- Commits the transaction.
function db_mt:commit() exec(self, "COMMIT") end

--- Rolls the transaction back; never raises (used on error paths).
function db_mt:rollback() pcall(exec, self, "ROLLBACK") end

--- Runs fn(self) in one transaction: committed when it returns, rolled back
-- when it raises (the error is raised again).
function db_mt:transaction(fn)
  self:begin()
  local ok, a, b, c = pcall(fn, self)
  if not ok then
    self:rollback()
    error(a, 0)
  end
  self:commit()
  return a, b, c
end

--- Closes the connection and the environment.
function db_mt:close()
  if self.conn then pcall(self.conn.close, self.conn); self.conn = nil end
  if self.env then pcall(self.env.close, self.env); self.env = nil end
end

-- The version of the schema in the database (0 for a new one).
local function schema_version(self)
  local rows = fetch_all(run(self, "SELECT MAX(version) AS version FROM schema_version"))
  return rows[1] and tonumber(rows[1].version) or 0
end

-- Brings the schema to SCHEMA_VERSION in one transaction; a second
-- process opening a new ledger at the same time waits for the first.
local function migrate(self)
  self:begin()
  local ok, err = pcall(function()
    if self.dialect == "postgres" then
      exec(self, "SELECT pg_advisory_xact_lock(4242001)")
    end
    exec(self, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL, "
      .. "applied_at TEXT NOT NULL)")
    local have = schema_version(self)
    if have > M.SCHEMA_VERSION then
      error({ ledger_sql = true, message = format("the ledger's schema is version %d, newer "
        .. "than this bhclaim knows (%d)", have, M.SCHEMA_VERSION) }, 0)
    end
    for _, m in ipairs(MIGRATIONS) do
      if m.version > have then
        for _, stmt in ipairs(m.statements) do
          exec(self, (stmt:gsub("{ID}", ID[self.dialect])))
        end
        exec(self, bind(self.conn, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
          { m.version, os.date("!%Y-%m-%dT%H:%M:%SZ") }, 2))
      end
    end
  end)
  if not ok then
    self:rollback()
    return nil, type(err) == "table" and err.message or tostring(err)
  end
  self:commit()
  return true
end

--- Opens (creating and migrating when needed) the ledger at url.
-- SQLite: WAL journal and a busy timeout (opts.busy_ms, default 60000), so
-- readers never block the writer and writers wait their turn.
-- @tparam string url a file path or a postgresql:// URL
-- @tparam[opt] table opts `busy_ms`
-- @treturn[1] table the connection (`rows`, `one`, `transaction`, `close`, `dialect`)
-- @return[2] nil
-- @treturn[2] string why it could not be opened
function M.open(url, opts)
  local u, err = M.parse_url(url)
  if not u then return nil, err end
  local mod
  mod, err = driver(u.dialect)
  if not mod then return nil, err end
  local env = u.dialect == "sqlite" and mod.sqlite3() or mod.postgres()
  local conn
  if u.dialect == "sqlite" then
    conn, err = env:connect(u.path)
  else
    conn, err = env:connect(u.conninfo)
  end
  if not conn then
    env:close()
    return nil, format("cannot open the ledger %s: %s", url, tostring(err))
  end
  local self = setmetatable({ env = env, conn = conn, dialect = u.dialect, url = url }, db_mt)
  local ok, e = pcall(function()
    if u.dialect == "sqlite" then
      exec(self, format("PRAGMA busy_timeout = %d", math.floor((opts and opts.busy_ms) or 60000)))
      exec(self, "PRAGMA journal_mode = WAL")
      exec(self, "PRAGMA foreign_keys = ON")
    else
      exec(self, "SET client_min_messages = warning")
    end
  end)
  if not ok then
    self:close()
    return nil, format("cannot open the ledger %s: %s", url,
      type(e) == "table" and e.message or tostring(e))
  end
  local done
  done, err = migrate(self)
  if not done then
    self:close()
    return nil, format("cannot set up the ledger %s: %s", url, err)
  end
  return self
end

-- For the specs: the statement names.
M._statements = Q

return M
