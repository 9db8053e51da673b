-- Specs for the claim ledger (bhclaim.ledger, `bhclaim ledger`), run the
-- same on every backend: a SQLite file, and a private PostgreSQL cluster
-- started for this file (spec/ledger_support.lua) when PostgreSQL 15 is
-- installed. Nothing is mocked: real databases, real posting processes.
local S = dofile("spec/ledger_support.lua")
local ledger = require("bhclaim.ledger")
local support = require("spec.support")
local bhclaim = require("bhclaim")

local backends = S.backends()
local scratch = S.tmpdir()

-- The interpreter running these specs, for child processes.
local function interpreter()
  if type(rawget(_G, "jit")) == "table" then return "luajit" end
  return "lua" .. _VERSION:match("(%d+%.%d+)")
end

-- Child processes use the plain build and no sanitizer preload.
local CHILD_ENV = "env -u LD_PRELOAD BHCLAIM_BUILD=build BHCLAIM_GC_STRESS= "

local run = support.run_cli

local function kinds(items)
  local out = {}
  for _, it in ipairs(items) do
    out[#out + 1] = it.kind .. " " .. it.claim_id .. " " .. it.amount
  end
  return out
end

-- The day of work through the Lua API; returns the ledger.
local function work_day(url)
  local lg = assert(ledger.open(url))
  local r = assert(lg:submit(S.batch_837(), { file = "batch.837" }))
  assert.are.equal("recorded", r.status)
  assert.are.equal(5, r.submitted)
  r = assert(lg:ack(S.ack_999(true), { file = "day.999" }))
  assert.are.equal(0, r.rejected)
  r = assert(lg:ack(S.ack_277ca(), { file = "day.277" }))
  assert.are.same({ 4, 1 }, { r.accepted, r.rejected })
  r = assert(lg:submit({ S.corrected_d() }, { file = "fix.json", date = "2026-03-09" }))
  assert.are.same({ 0, 1 }, { r.submitted, r.resubmitted })
  r = assert(lg:post(S.day_835(), { file = "day.835" }))
  assert.are.same({ paid = 2, partial = 1, denied = 1 }, r.outcomes)
  assert(lg:appeal("CLM-C", { date = "2026-04-10" }))
  return lg
end

teardown(function()
  for _, b in ipairs(backends) do b.stop() end
  S.sh("rm -rf " .. scratch)
end)

for _, backend in ipairs(backends) do
  describe("ledger on " .. backend.name, function()
    it("runs the day: submitted, acknowledged, corrected, paid, denied, appealed", function()
      local lg = work_day(backend.new_url())
      local ar = assert(lg:ar({ as_of = "2026-04-15" }))
      -- Owed by the payer: B's denied 90785 (20.00), C denied (45.00), D
      -- unanswered (45.00); all submitted 31-60 days before 2026-04-15.
      assert.are.same({ 0, 11000, 0, 0, 0 }, ar.payer)
      assert.are.same({ 0, 1716, 0, 0, 0 }, ar.patient)
      assert.are.equal("04412", ar.groups[1].id)
      ar = assert(lg:ar({ as_of = "2026-03-20" }))
      assert.are.same({ 24500, 0, 0, 0, 0 }, ar.payer)  -- before the 835: all 5 claims
      assert.are.same({ 0, 0, 0, 0, 0 }, ar.patient)
      ar = assert(lg:ar({ as_of = "2026-06-30", by = "patient" }))
      assert.are.same({ 0, 0, 0, 11000, 0 }, ar.payer)
      assert.are.equal(5, #ar.groups)  -- B, C, D owe via payer; A, B, E patient shares
      local items = assert(lg:worklist({ as_of = "2026-04-15" }))
      assert.are.same({ "no answer CLM-D 4500", "denied CLM-B 2000", "underpaid CLM-E 539" },
        kinds(items))
      assert.are.equal("2026-07-30", items[2].due)  -- 2026-04-01 + 120 days
      assert.matches("405.942", items[2].due_source)
      assert.matches("CO%-50", items[2].detail)
      items = assert(lg:worklist({ as_of = "2027-02-20" }))
      assert.are.same({ "no answer CLM-D 4500", "timely filing CLM-D 4500", "denied CLM-B 2000",
        "underpaid CLM-E 539" }, kinds(items))
      assert.are.equal("2027-03-02", items[2].due)
      assert.are.equal(-205, items[3].days_left)
      lg:close()
    end)

    it("changes nothing when the same files are posted again, and says so", function()
      local lg = work_day(backend.new_url())
      local before = assert(lg:counts())
      assert.are.equal("already recorded", assert(lg:submit(S.batch_837())).status)
      assert.are.equal("already posted", assert(lg:ack(S.ack_277ca())).status)
      assert.are.equal("already posted", assert(lg:post(S.day_835())).status)
      local again = assert(lg:submit({ S.claims()[1] }, { date = "2026-03-06" }))
      assert.are.equal("already recorded", again.status)
      assert.are.same(before, assert(lg:counts()))
      lg:close()
    end)

    it("keeps quotes and SQL in ids and names as data", function()
      local lg = assert(ledger.open(backend.new_url()))
      local c = S.claims()[1]
      c.id = "X'); DROP TABLE claims; --"
      c.subscriber.name = { last = "O'Brien \"Bob\"", first = "Robert'); DELETE FROM events; --" }
      c.payer.name = "ACME's \\ Health"
      local r = assert(lg:submit({ c }, { date = "2026-03-05" }))
      assert.are.equal(1, r.submitted)
      assert(lg:note(c.id, "called payer; they said 'resubmit'"))
      local s = assert(lg:show(c.id))
      assert.are.equal(c.id, s.claim.claim_id)
      assert.are.equal("O'BRIEN \"BOB\"|ROBERT'); DELETE FROM EVENTS; --|1980-04-01",
        s.claim.patient_key)
      assert.are.equal("ACME's \\ Health", s.claim.payer_name)
      assert.are.equal("called payer; they said 'resubmit'", s.events[2].detail)
      assert.are.same({ claims = 1, events = 2, remittances = 0, payments = 0 },
        assert(lg:counts()))
      lg:close()
    end)

    it("reports bad records and unknown claims, and refuses what it cannot post", function()
      local lg = assert(ledger.open(backend.new_url()))
      local r = assert(lg:submit('{"id": "A1", "lines": [{"charge": "1.234"}]}\n{"id":\n',
        { file = "bad.ndjson", date = "2026-03-05" }))
      assert.are.equal(2, #r.rejected)
      assert.matches("line 2", r.rejected[1].message)
      assert.matches("lines%[1%]%.charge", r.rejected[2].message)
      local ok, msg, id = lg:post("", { file = "empty.835" })
      assert.is_nil(ok)
      assert.matches("empty", msg)
      assert.are.equal("ledger.empty", id)
      ok, _, id = lg:appeal("NOPE")
      assert.is_nil(ok)
      assert.are.equal("ledger.unknown_claim", id)
      r = assert(lg:post(S.day_835()))
      assert.are.equal(4, #r.unmatched)  -- nothing submitted: every payment is unmatched
      assert.has_error(function() lg:writeoff("A1", {}) end,
        "bad argument #2 to 'writeoff' (opts.reason: a non-empty string expected)")
      assert.has_error(function() lg:ar({ as_of = "2026-02-30" }) end,
        "bad argument #1 to 'ar' (opts.as_of: YYYY-MM-DD expected)")
      lg:close()
    end)

    it("rejects every claim of a transaction set the 999 rejects", function()
      local lg = assert(ledger.open(backend.new_url()))
      assert(lg:submit(S.batch_837()))
      local r = assert(lg:ack(S.ack_999(false), { file = "rejected.999" }))
      assert.are.equal(5, r.rejected)
      local items = assert(lg:worklist({ as_of = "2026-03-10" }))
      assert.are.equal(5, #items)
      for _, it in ipairs(items) do
        assert.are.equal("rejected", it.kind)
        assert.matches("999: transaction set 0001 rejected", it.detail)
      end
      assert.are.equal("rejected", assert(lg:show("CLM-A")).claim.status)
      lg:close()
    end)

    it("writes off what the payer still owes, dated", function()
      local lg = work_day(backend.new_url())
      assert.are.equal(2000, assert(lg:writeoff("CLM-B", { reason = "small balance",
        date = "2026-04-20" })))
      local ar = assert(lg:ar({ as_of = "2026-04-21" }))
      assert.are.same({ 0, 9000, 0, 0, 0 }, ar.payer)
      ar = assert(lg:ar({ as_of = "2026-04-19" }))
      assert.are.same({ 0, 11000, 0, 0, 0 }, ar.payer)
      local ok, _, id = lg:writeoff("CLM-B", { reason = "again" })
      assert.is_nil(ok)
      assert.are.equal("ledger.no_balance", id)
      lg:close()
    end)

    it("runs the day from the command line", function()
      local url = backend.new_url()
      local dir = scratch .. "/cli-" .. backend.name
      S.sh("mkdir -p " .. dir)
      local files = {
        batch = S.write(dir .. "/batch.837", S.batch_837()),
        a999 = S.write(dir .. "/day.999", S.ack_999(true)),
        a277 = S.write(dir .. "/day.277", S.ack_277ca()),
        fix = S.write(dir .. "/fix.json", bhclaim.encode(S.corrected_d())),
        remit = S.write(dir .. "/day.835", S.day_835()),
      }
      local out, err, st = run({ "ledger", "submit", files.batch, "--db", url })
      assert.are.equal(0, st, err)
      assert.matches("recorded 5 claim", out)
      out, _, st = run({ "ledger", "submit", files.batch, "--db", url })
      assert.are.equal(0, st)
      assert.matches("already recorded, nothing changed", out)
      out, err, st = run({ "ledger", "ack", files.a999, files.a277, "--db", url })
      assert.are.equal(0, st, err)
      assert.matches("4 claim%(s%) accepted, 1 rejected", out)
      _, err, st = run({ "ledger", "submit", files.fix, "--date", "2026-03-09", "--db", url })
      assert.are.equal(0, st, err)
      out, err, st = run({ "ledger", "post", files.remit, "--db", url })
      assert.are.equal(0, st, err)
      assert.matches("2 paid, 1 partial, 1 denied", out)
      out, _, st = run({ "ledger", "post", files.remit, "--db", url })
      assert.are.equal(0, st)
      assert.matches("already posted", out)
      _, err, st = run({ "ledger", "appeal", "CLM-C", "--date", "2026-04-10", "--db", url })
      assert.are.equal(0, st, err)
      out, err, st = run({ "ledger", "ar", "--as-of", "2026-04-15", "--format", "json",
        "--db", url })
      assert.are.equal(0, st, err)
      local ar = bhclaim.decode(out)
      assert.are.equal("110.00", ar.payers["04412"]["31-60"])
      assert.are.equal("0.00", ar.payers["04412"]["0-30"])
      assert.are.equal("110.00", ar.total.total)
      assert.are.equal("17.16", ar.patient_responsibility.total)
      out, _, st = run({ "ledger", "ar", "--as-of", "2026-04-15", "--format", "csv", "--db", url })
      assert.are.equal(0, st)
      assert.matches("payer,04412,MEDICARE PART B,0.00,110.00,0.00,0.00,0.00,110.00\r\n", out, 1,
        true)
      out, _, st = run({ "ledger", "worklist", "--as-of", "2026-04-15", "--db", url })
      assert.are.equal(0, st)
      assert.matches("45.00  no answer     CLM%-D", out)
      assert.matches("due 2026%-07%-30 %(106 days left%)", out)
      -- The 276 for what had no answer: CLM-D only.
      out, err, st = run({ "status", "request", "--envelope", "examples/envelope.lua", "--db", url,
        "--as-of", "2026-04-15" })
      assert.are.equal(0, st, err)
      assert.matches("ST*276*", out, 1, true)
      assert.matches("TRN*1*CLM-D", out, 1, true)
      assert.is_nil(out:find("CLM-A", 1, true))
      out, err, st = run({ "status", "request", "--envelope", "examples/envelope.lua", "--db", url,
        "--as-of", "2026-03-06" })
      assert.are.equal(0, st, err)
      assert.are.equal("", out)
      assert.matches("no claim waiting", err)
      out, _, st = run({ "ledger", "show", "CLM-B", "--db", url })
      assert.are.equal(0, st)
      assert.matches("partly paid", out)
      assert.matches("CO%-50", out)
      _, err, st = run({ "ledger", "show", "NOPE", "--db", url })
      assert.are.equal(1, st)
      assert.matches("no claim 'NOPE'", err)
      _, err, st = run({ "ledger", "writeoff", "CLM-B", "--db", url })
      assert.are.equal(2, st)
      assert.matches("%-%-reason is required", err)
      _, err, st = run({ "ledger", "ar", "--as-of", "tomorrow", "--db", url })
      assert.are.equal(2, st)
      assert.matches("YYYY%-MM%-DD", err)
    end)

    it("holds all or none of a large 835 when its poster is killed mid-way", function()
      local url = backend.new_url()
      local n = 600
      local lg = assert(ledger.open(url))
      assert.are.equal(n, assert(lg:submit(S.large_claims(n), { date = "2026-03-05" })).submitted)
      local file = S.write(scratch .. "/large-" .. backend.name .. ".835", S.large_835(n))
      local marker = scratch .. "/marker-" .. backend.name
      local p = io.popen(CHILD_ENV .. interpreter() .. " spec/ledger_child.lua '" .. url .. "' "
        .. file .. " stall " .. marker .. " >/dev/null 2>&1 & echo $!")
      local pid = p:read("*l")
      p:close()
      local waited = 0
      while not io.open(marker, "rb") and waited < 1200 do
        S.sh("sleep 0.1")
        waited = waited + 1
      end
      assert.truthy(io.open(marker, "rb"), "the poster never reached the middle of the file")
      assert.truthy(S.sh("kill -9 " .. pid))
      S.sh("while kill -0 " .. pid .. " 2>/dev/null; do sleep 0.1; done")
      local c = assert(lg:counts())
      assert.are.same({ 0, 0, n }, { c.remittances, c.payments, c.events })
      assert.are.same({ n * 1000, 0, 0, 0, 0 }, assert(lg:ar({ as_of = "2026-03-06" })).payer)
      -- Posted again, whole.
      local r = assert(lg:post(io.open(file, "rb"):read("*a"), { file = file }))
      assert.are.equal(n, r.claims)
      c = assert(lg:counts())
      assert.are.same({ 1, n, 2 * n }, { c.remittances, c.payments, c.events })
      assert.are.same({ 0, 0, 0, 0, 0 }, assert(lg:ar({ as_of = "2026-04-02" })).payer)
      lg:close()
    end)

    it("loses nothing when two processes post different files at once", function()
      local url = backend.new_url()
      local n = 200
      local lg = assert(ledger.open(url))
      assert(lg:submit(S.large_claims(2 * n), { date = "2026-03-05" }))
      -- Two 835s: the first pays LARGE-1..n, the second LARGE-n+1..2n.
      local f1 = S.write(scratch .. "/p1-" .. backend.name .. ".835", S.large_835(n, "T1"))
      -- The second pays LARGE-n+1..2n.
      local payments = {}
      for i = n + 1, 2 * n do
        payments[#payments + 1] = { id = "LARGE-" .. i, status = "1", charge = "10.00",
          paid = "10.00", patient = "0.00",
          lines = { { code = "90853", charge = "10.00", paid = "10.00" } } }
      end
      local f2 = S.write(scratch .. "/p2-" .. backend.name .. ".835",
        S.remit_835("T2", "20260401", payments, 9002))
      local cmd = CHILD_ENV .. interpreter() .. " spec/ledger_child.lua '" .. url .. "' "
      assert.truthy(S.sh(cmd .. f1 .. " > " .. f1 .. ".out 2>&1 & p1=$!; " .. cmd .. f2 .. " > "
        .. f2 .. ".out 2>&1 & p2=$!; wait $p1; s1=$?; wait $p2; s2=$?; "
        .. "[ $s1 = 0 ] && [ $s2 = 0 ]"))
      local c = assert(lg:counts())
      assert.are.same({ 2, 2 * n, 4 * n }, { c.remittances, c.payments, c.events })
      assert.are.same({ 0, 0, 0, 0, 0 }, assert(lg:ar({ as_of = "2026-04-02" })).payer)
      -- The same file by two processes at once: posted once.
      local others = {}
      for i = 1, 50 do
        others[i] = { id = "OTHER-" .. i, status = "1", charge = "10.00", paid = "10.00",
          patient = "0.00", lines = { { code = "90853", charge = "10.00", paid = "10.00" } } }
      end
      local f3 = S.write(scratch .. "/p3-" .. backend.name .. ".835",
        S.remit_835("T3", "20260402", others, 9003))
      assert.truthy(S.sh(cmd .. f3 .. " > " .. f3 .. ".a 2>&1 & p1=$!; " .. cmd .. f3 .. " > "
        .. f3 .. ".b 2>&1 & p2=$!; wait $p1; s1=$?; wait $p2; s2=$?; "
        .. "[ $s1 = 0 ] && [ $s2 = 0 ]"))
      local said = io.open(f3 .. ".a"):read("*a") .. io.open(f3 .. ".b"):read("*a")
      assert.matches("already posted", said)
      c = assert(lg:counts())
      assert.are.same({ 3, 2 * n + 50 }, { c.remittances, c.payments })
      lg:close()
    end)
  end)
end
