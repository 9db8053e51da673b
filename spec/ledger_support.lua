-- spec/ledger_support.lua: the ledger specs' day of work (claims, 837,
-- 999, 277CA, 835 texts built here so every amount is visible) and the
-- backends they run on: a SQLite file in a temporary directory, and a
-- private PostgreSQL cluster (initdb + pg_ctl on a Unix socket in a
-- temporary directory) when PostgreSQL 15 is installed.
local bhclaim = require("bhclaim")

local M = {}

local format, concat = string.format, table.concat

-- {=== claims ===

local function claim(id, lines, patient)
  local out = {
    id = id,
    payer = { id = "04412", name = "MEDICARE PART B", kind = "medicare" },
    billing_provider = { name = "RIVERBEND COUNSELING", npi = "1234567893", tin = "123456789",
      taxonomy = "261QM0801X",
      address = { line1 = "12 MAIN ST", city = "COLUMBUS", state = "OH", zip = "43215-4101" } },
    rendering_provider = { name = { last = "DOE", first = "JANE" }, npi = "1245319599",
      credential = "PhD", taxonomy = "103T00000X" },
    subscriber = { name = { last = patient[1], first = patient[2] }, member_id = "1EG4TE5MK72",
      birth_date = patient[3], sex = "F", relationship = "self",
      address = { line1 = "1 ELM ST", city = "COLUMBUS", state = "OH", zip = "43215" } },
    diagnoses = { "F331" }, place_of_service = "11", lines = {},
  }
  for i, l in ipairs(lines) do
    out.lines[i] = { code = l[1], modifiers = {}, units = 1, charge = l[2], date = l[3],
      dx_pointers = { 1 } }
  end
  return out
end

--- The day's batch: five Medicare claims of 2026-03-02.
function M.claims()
  return {
    claim("CLM-A", { { "90853", "45.00", "2026-03-02" } }, { "ROE", "SAM", "1980-04-01" }),
    claim("CLM-B", { { "90853", "45.00", "2026-03-02" }, { "90785", "20.00", "2026-03-02" } },
      { "POE", "ANN", "1975-02-03" }),
    claim("CLM-C", { { "90853", "45.00", "2026-03-02" } }, { "LOE", "BEN", "1990-05-06" }),
    claim("CLM-D", { { "90853", "45.00", "2026-03-02" } }, { "MOE", "CAL", "1985-07-08" }),
    claim("CLM-E", { { "90853", "45.00", "2026-03-02" } }, { "NOE", "DAN", "1970-09-10" }),
  }
end

--- CLM-D as corrected after its rejection (the JSON resubmission).
function M.corrected_d()
  local c = M.claims()[4]
  c.subscriber.member_id = "1EG4TE5MK73"
  return c
end

M.ENVELOPE = { sender_id = "RIVERBEND", receiver_id = "MEDICAREMAC", submitter_name = "RIVERBEND",
  submitter_id = "RB1", contact_name = "JANE BILLER", contact_phone = "6145550100",
  receiver_name = "MEDICARE MAC", receiver_id_1000b = "04412", date = "2026-03-05", time = "0930",
  interchange_control = 501, group_control = 501, transaction_control = 1 }

--- The 837P of the batch (submitted 2026-03-05).
function M.batch_837(claims, envelope)
  local text, err = bhclaim.x12.write(claims or M.claims(), envelope or M.ENVELOPE)
  assert(text, err)
  return text
end

-- {=== X12 answers ===

local function pad(s, n) return s .. string.rep(" ", n - #s) end

local function interchange(sender, receiver, date6, control, gs_id, gs_date, body)
  local segs = {
    format("ISA*00*          *00*          *ZZ*%s*ZZ*%s*%s*1200*^*00501*%09d*0*T*:",
      pad(sender, 15), pad(receiver, 15), date6, control),
    format("GS*%s*%s*%s*%s*1200*%d*X*%s", gs_id, sender, receiver, gs_date, control,
      gs_id == "HP" and "005010X221A1" or gs_id == "FA" and "005010X231A1" or "005010X214"),
  }
  for _, s in ipairs(body) do segs[#segs + 1] = s end
  segs[#segs + 1] = format("GE*1*%d", control)
  segs[#segs + 1] = format("IEA*1*%09d", control)
  return concat(segs, "~\n") .. "~\n"
end

local function set(id, control, version, body)
  local segs = { format("ST*%s*%s*%s", id, control, version) }
  for _, s in ipairs(body) do segs[#segs + 1] = s end
  segs[#segs + 1] = format("SE*%d*%s", #segs + 1, control)
  return segs
end

--- A 999 accepting (or rejecting) transaction set 0001 of group 501.
function M.ack_999(accept)
  local body = set("999", "0001", "005010X231A1", {
    "AK1*HC*501*005010X222A1", "AK2*837*0001*005010X222A1",
    accept and "IK5*A" or "IK5*R*5", accept and "AK9*A*1*1*1" or "AK9*R*1*1*0" })
  return interchange("MEDICAREMAC", "RIVERBEND", "260306", 7001, "FA", "20260306", body)
end

--- A 277CA: every claim accepted but CLM-D (rejected: invalid subscriber id).
function M.ack_277ca()
  local body = { "BHT*0085*08*277CA1*20260307*1200*TH", "HL*1**20*1",
    "NM1*PR*2*MEDICARE MAC*****PI*04412", "TRN*1*277CA1", "DTP*050*D8*20260307",
    "DTP*009*D8*20260307", "HL*2*1*21*1", "NM1*41*2*RIVERBEND*****46*RB1", "TRN*2*501",
    "STC*A1:19*20260307*WQ*200.00", "HL*3*2*19*1", "NM1*85*2*RIVERBEND*****XX*1234567893" }
  local hl = 3
  for _, c in ipairs({ { "CLM-A", "ROE" }, { "CLM-B", "POE" }, { "CLM-C", "LOE" },
    { "CLM-D", "MOE" }, { "CLM-E", "NOE" } }) do
    hl = hl + 1
    body[#body + 1] = format("HL*%d*3*PT", hl)
    body[#body + 1] = format("NM1*QC*1*%s*X****MI*1EG4TE5MK72", c[2])
    body[#body + 1] = "TRN*2*" .. c[1]
    if c[1] == "CLM-D" then
      body[#body + 1] = "STC*A7:562:IL*20260307*WQ*45.00"
    else
      body[#body + 1] = "STC*A2:20*20260307*WQ*45.00"
      body[#body + 1] = "REF*1K*PCN-" .. c[1]:sub(-1)
    end
    body[#body + 1] = "DTP*472*D8*20260302"
  end
  return interchange("MEDICAREMAC", "RIVERBEND", "260307", 7002, "HN", "20260307",
    set("277", "0001", "005010X214", body))
end

--- An 835 CLP loop: {id, status, charge, paid, patient, lines = {{code,
-- charge, paid, allowed, cas = {{group, reason, amount}}}}}.
local function clp(c)
  local segs = { format("CLP*%s*%s*%s*%s*%s*MB*PCN-%s*11*1", c.id, c.status, c.charge, c.paid,
    c.patient or "", c.id:sub(-1)), format("NM1*QC*1*%s*X****MI*1EG4TE5MK72", c.last or "ROE") }
  for _, a in ipairs(c.cas or {}) do segs[#segs + 1] = format("CAS*%s*%s*%s", a[1], a[2], a[3]) end
  for _, l in ipairs(c.lines or {}) do
    segs[#segs + 1] = format("SVC*HC:%s*%s*%s**1", l.code, l.charge, l.paid)
    segs[#segs + 1] = "DTM*472*20260302"
    for _, a in ipairs(l.cas or {}) do
      segs[#segs + 1] = format("CAS*%s*%s*%s", a[1], a[2], a[3])
    end
    if l.allowed then segs[#segs + 1] = "AMT*B6*" .. l.allowed end
  end
  return segs
end

--- An 835 of the given claim payments (trace number, payment date 8 digits).
function M.remit_835(trace, date8, payments, control)
  local total = 0
  for _, p in ipairs(payments) do total = total + math.floor(tonumber(p.paid) * 100 + 0.5) end
  local body = { format("BPR*I*%d.%02d*C*CHK************%s", math.floor(total / 100), total % 100,
    date8), "TRN*1*" .. trace .. "*1512345678", "DTM*405*" .. date8,
    "N1*PR*MEDICARE PART B*XV*04412", "N3*PO BOX 1", "N4*COLUMBUS*OH*43215",
    "N1*PE*RIVERBEND COUNSELING*XX*1234567893", "LX*1" }
  for _, p in ipairs(payments) do
    for _, s in ipairs(clp(p)) do body[#body + 1] = s end
  end
  return interchange("MEDICAREMAC", "RIVERBEND", date8:sub(3), control or 9001, "HP", date8,
    set("835", "0001", "005010X221A1", body))
end

--- The day's 835 (paid 2026-04-01): A paid, B partly paid (90785
-- denied CO-50), C denied (CO-50), E underpaid (allowed 25.00, expected
-- 30.39 for 90853 at a non-facility office, national).
function M.day_835()
  return M.remit_835("TRACE0401", "20260401", {
    { id = "CLM-A", status = "1", charge = "45.00", paid = "24.31", patient = "6.08",
      lines = { { code = "90853", charge = "45.00", paid = "24.31", allowed = "30.39",
        cas = { { "CO", "45", "14.61" }, { "PR", "2", "6.08" } } } } },
    { id = "CLM-B", status = "1", charge = "65.00", paid = "24.31", patient = "6.08", last = "POE",
      lines = { { code = "90853", charge = "45.00", paid = "24.31", allowed = "30.39",
        cas = { { "CO", "45", "14.61" }, { "PR", "2", "6.08" } } },
        { code = "90785", charge = "20.00", paid = "0.00", allowed = "0.00",
          cas = { { "CO", "50", "20.00" } } } } },
    { id = "CLM-C", status = "4", charge = "45.00", paid = "0.00", patient = "0.00", last = "LOE",
      lines = { { code = "90853", charge = "45.00", paid = "0.00", allowed = "0.00",
        cas = { { "CO", "50", "45.00" } } } } },
    { id = "CLM-E", status = "1", charge = "45.00", paid = "20.00", patient = "5.00", last = "NOE",
      lines = { { code = "90853", charge = "45.00", paid = "20.00", allowed = "25.00",
        cas = { { "CO", "45", "20.00" }, { "PR", "2", "5.00" } } } } },
  })
end

--- A large 835: n claim payments for claims LARGE-1..n, each paid 10.00 of 10.00.
function M.large_835(n, trace)
  local payments = {}
  for i = 1, n do
    payments[i] = { id = "LARGE-" .. i, status = "1", charge = "10.00", paid = "10.00",
      patient = "0.00", lines = { { code = "90853", charge = "10.00", paid = "10.00" } } }
  end
  return M.remit_835(trace or "BIG1", "20260401", payments)
end

--- n claims LARGE-1..n as NDJSON.
function M.large_claims(n)
  local out = {}
  for i = 1, n do
    local c = claim("LARGE-" .. i, { { "90853", "10.00", "2026-03-02" } },
      { "BIG", "P" .. i, "1980-01-01" })
    out[i] = bhclaim.encode(c)
  end
  return concat(out, "\n") .. "\n"
end

-- {=== files and backends ===

function M.tmpdir()
  local p = io.popen("mktemp -d /tmp/bhclaim-ledger.XXXXXX")
  local d = p:read("*l")
  p:close()
  return d
end

function M.write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

function M.sh(cmd)
  local ok, _, code = os.execute(cmd)
  if type(ok) == "number" then return ok == 0 end -- Lua 5.1
  return ok == true and code == 0
end

local PG_BIN = os.getenv("BHCLAIM_PG_BIN") or "/usr/lib/postgresql/15/bin"

--- Whether a private PostgreSQL cluster can be started here.
function M.have_postgres()
  return M.sh("test -x " .. PG_BIN .. "/initdb && test -x " .. PG_BIN .. "/pg_ctl")
    and pcall(require, "luasql.postgres")
end

--- Starts a private cluster in a temporary directory, Unix socket only;
-- returns {url = ..., stop = function}. As root it runs as the postgres
-- user (initdb refuses root), which gets the directory.
function M.start_postgres()
  local dir = M.tmpdir()
  local as = ""
  local uid = io.popen("id -u"):read("*l")
  if uid == "0" then
    assert(M.sh("chown postgres " .. dir), "cannot chown " .. dir)
    as = "runuser -u postgres -- "
  end
  local function stop()
    M.sh(as .. PG_BIN .. "/pg_ctl -D " .. dir .. "/data -m immediate -w stop >/dev/null 2>&1")
    M.sh("rm -rf " .. dir)
  end
  local ok = M.sh(as .. PG_BIN .. "/initdb -D " .. dir .. "/data -A trust -U bhclaim --no-sync "
    .. "-E UTF8 >" .. dir .. "/initdb.log 2>&1")
    and M.sh(as .. PG_BIN .. "/pg_ctl -D " .. dir .. "/data -o \"-k " .. dir
      .. " -c listen_addresses= -c fsync=off -c max_connections=20\" -l " .. dir
      .. "/server.log -w start >/dev/null 2>&1")
  if not ok then
    stop()
    error("could not start a PostgreSQL cluster in " .. dir)
  end
  local n = 0
  return {
    dir = dir,
    -- A fresh database per call, so each spec starts empty.
    new_url = function()
      n = n + 1
      local name = "ledger" .. n
      assert(M.sh(as .. PG_BIN .. "/createdb -h " .. dir .. " -U bhclaim " .. name))
      return "postgresql://bhclaim@/" .. name .. "?host=" .. dir
    end,
    stop = stop,
  }
end

--- The backends the ledger specs run on: {name, new_url(), stop()}.
-- BHCLAIM_LEDGER_BACKENDS (default "sqlite,postgres") names them:
-- "sqlite" for the sanitizer runs (the ledger is Lua, its SQL the same),
-- "postgres" for the PostgreSQL half of the bench alone.
function M.backends()
  local list = {}
  local wanted = os.getenv("BHCLAIM_LEDGER_BACKENDS") or "sqlite,postgres"
  if wanted:find("sqlite", 1, true) then
    local dir = M.tmpdir()
    local n = 0
    list[#list + 1] = { name = "sqlite", new_url = function()
      n = n + 1
      return dir .. "/ledger" .. n .. ".db"
    end, stop = function() M.sh("rm -rf " .. dir) end }
  end
  if wanted:find("postgres", 1, true) and M.have_postgres() then
    local pg = M.start_postgres()
    list[#list + 1] = { name = "postgres", new_url = pg.new_url, stop = pg.stop }
  end
  return list
end

return M
