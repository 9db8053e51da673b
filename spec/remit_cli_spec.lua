-- Specs for acknowledgements (bhclaim.ack) and the `bhclaim remit` and
-- `bhclaim ack` commands, run in-process through bhclaim.cli.main.
--
-- #contract_fixture: until core.remit_read / core.ack_read are on the
-- branch, with_reader() stands in for them, returning the hand-built tables
-- of spec/fixtures/remit/tables.lua (mirroring the shared samples) for
-- whatever file is named. To switch to the real readers, drop
-- with_reader() and read the sample files themselves.
local bhclaim = require("bhclaim")
local cli = require("bhclaim.cli")
local core = require("bhclaim.core")
local T = dofile("spec/fixtures/remit/tables.lua")

local SAMPLES = "spec/fixtures/x12-samples/"

local function buffer()
  local b = { parts = {} }
  function b.write(self, ...)
    for _, s in ipairs({ ... }) do self.parts[#self.parts + 1] = s end
    return self
  end
  function b.flush() end
  function b.text(self) return table.concat(self.parts) end
  return b
end

-- Runs the command line; returns stdout, stderr, exit status.
local function run(argv)
  local out, err = buffer(), buffer()
  local status = cli.main(argv, { stdout = out, stderr = err })
  return out:text(), err:text(), status
end

-- Calls f with core.remit_read and core.ack_read answering `tables()`.
local function with_reader(tables, f)
  local saved_remit, saved_ack = core.remit_read, core.ack_read
  core.remit_read = function(text)
    assert(type(text) == "string")
    return tables()
  end
  core.ack_read = core.remit_read
  local ok, err = pcall(f)
  core.remit_read, core.ack_read = saved_remit, saved_ack
  if not ok then error(err, 0) end
end

local function lines(text)
  local out = {}
  for l in text:gmatch("[^\n]+") do out[#out + 1] = l end
  return out
end

local function write_temp(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

describe("bhclaim.ack #contract_fixture", function()
  it("explains a rejecting 999 with each error's text", function()
    local a = bhclaim.ack.explain(T.ack_999_rejected())[1]
    assert.is_false(a.accepted)
    local s = a.sets[1]
    assert.is_false(s.accepted)
    assert.are.equal("Rejected", s.status_text)
    assert.are.same({ "5: One or More Segments in Error" }, s.code_texts)
    assert.are.equal("Unrecognized segment ID", s.errors[1].text)
    local e = bhclaim.ack.entries(a)[1]
    assert.are.equal("999", e.kind)
    assert.are.same({ "5: One or More Segments in Error",
      "segment NM at 17: 1 Unrecognized segment ID" }, e.errors)
    assert.is_truthy(tostring(a):find("group R: Rejected (0 of 1 sets accepted)", 1, true))
  end)

  it("explains an accepting 999, a TA1 and 277CA claims", function()
    assert.is_true(bhclaim.ack.explain(T.ack_999_accepted())[1].accepted)
    local ta1 = bhclaim.ack.explain(T.ta1_rejected())[1]
    assert.is_false(ta1.accepted)
    assert.are.equal("Invalid Interchange Content (e.g., Invalid GS Segment)", ta1.note_text)
    local rej = bhclaim.ack.explain(T.ack_277ca_rejected())[1].claims[1]
    assert.is_false(rej.accepted)
    assert.are.equal("A7: Acknowledgement/Rejected for Invalid Information; 562: Entity's "
      .. "National Provider Identifier (NPI).; entity 85 (billing provider)", rej.status[1].text)
    local acc = bhclaim.ack.explain(T.ack_277ca_accepted())[1].claims[1]
    assert.is_true(acc.accepted)
  end)

  it("answers a 999 without sets by its group, and 277CA provider-level rejections", function()
    local a = bhclaim.ack.explain({ { kind = "999", acknowledged_group = { functional_id = "HC",
      control_number = "7" }, sets = {}, group_status = "R", group_codes = { "4", "99" } } })[1]
    local e = bhclaim.ack.entries(a)
    assert.are.equal(1, #e)
    assert.is_false(e[1].accepted)
    assert.are.equal("group HC", e[1].set_id)
    assert.are.same({ "4: Group Control Number in the Functional Group Header and Trailer Do "
      .. "Not Agree", "99: unknown group error code 99" }, e[1].errors)
    local p = bhclaim.ack.explain({ { kind = "277CA", claims = {},
      providers = { { name = "PROVLNAME", id = "123456789",
        status = { { category = "A3", code = "24", entity = "85" } } } } } })[1]
    e = bhclaim.ack.entries(p)
    assert.are.equal(1, #e)
    assert.are.same({ "277CA", "provider", false, "123456789" },
      { e[1].kind, e[1].level, e[1].accepted, e[1].control_number })
    assert.are.equal("A3: Acknowledgement/Returned as unprocessable claim; 24: Entity not "
      .. "approved as an electronic submitter.; entity 85 (billing provider)", e[1].status[1])
  end)

  it("decides 277CA acceptance from the categories and shows unknown codes", function()
    assert.is_true(bhclaim.ack.claim_accepted({ status = { { category = "A1" },
      { category = "A2" } } }))
    assert.is_false(bhclaim.ack.claim_accepted({ status = { { category = "A2" },
      { category = "A6" } } }))
    assert.is_false(bhclaim.ack.claim_accepted({ status = { { category = "Q9" } } }))
    assert.is_false(bhclaim.ack.claim_accepted({ status = {} }))
    assert.are.equal("Q9: unknown category Q9; 7777: unknown status code 7777",
      bhclaim.ack.status_text({ category = "Q9", code = "7777" }))
  end)
end)

describe("bhclaim remit #contract_fixture", function()
  local file = SAMPLES .. "835_pyx12_mult_loops.txt"

  it("prints one JSON object per claim payment with the documented fields", function()
    with_reader(T.group_therapy, function()
      local out, err, status = run({ "remit", file, "--format", "json" })
      assert.are.equal("", err)
      assert.are.equal(1, status)  -- denied, pending
      local l = lines(out)
      assert.are.equal(7, #l)
      local e = bhclaim.decode(l[3])
      assert.are.equal("CLM-2026-0003", e.claim_id)
      assert.are.equal("PCN0003", e.payer_claim_number)
      assert.are.equal("denied", e.outcome)
      assert.are.equal("45.00", e.charge)
      assert.are.equal("0.00", e.paid)
      assert.are.equal("0.00", e.allowed)
      assert.are.equal("0.00", e.patient_responsibility)
      local line = e.lines[1]
      assert.are.equal("90853", line.code)
      assert.are.same({}, setmetatable(line.modifiers, nil))
      assert.are.equal("45.00", line.charge)
      assert.are.equal("1", line.units)
      local adj = line.adjustments[1]
      assert.are.same({ "CO", "16", "45.00" }, { adj.group, adj.reason, adj.amount })
      assert.is_truthy(adj.text:find("^CO%-16: Claim/service lacks information"))
      assert.is_string(adj.hint)
      assert.are.equal("N290", line.remarks[1].code)
      assert.is_string(line.remarks[1].text)
      assert.is_true(l[1]:find('^{"claim_id":"CLM%-2026%-0001","payer_claim_number":') ~= nil)
    end)
  end)

  it("adds matched, expected_allowed, variance and findings with --claims", function()
    local claims = {}
    for _, c in ipairs(dofile("spec/fixtures/remit/submitted.lua")()) do
      claims[#claims + 1] = bhclaim.encode(c)
    end
    local path = write_temp(table.concat(claims, "\n") .. "\n")
    with_reader(T.group_therapy, function()
      local out, err, status = run({ "remit", file, "--claims", path, "--format", "json" })
      assert.are.equal("", err)
      assert.are.equal(1, status)
      local l = lines(out)
      assert.are.equal(8, #l)  -- 7 payments, 1 claim with no answer
      local e2 = bhclaim.decode(l[2])
      assert.is_true(e2.matched)
      assert.are.equal("30.39", e2.expected_allowed)
      assert.are.equal("-5.39", e2.variance)
      assert.are.equal("remit.variance", e2.findings[1].rule)
      assert.is_false(bhclaim.decode(l[7]).matched)
      -- Unknown values are null, never missing keys.
      local pending = bhclaim.decode(l[6])
      assert.are.equal("pending", pending.outcome)
      assert.are.equal(bhclaim.null, pending.allowed)
      assert.are.equal(bhclaim.null, pending.variance)
      assert.are.equal(bhclaim.null, pending.lines[1].control_number)
      assert.are.equal(bhclaim.null, bhclaim.decode(l[7]).expected_allowed)
      local last = bhclaim.decode(l[8])
      assert.are.same({ "CLM-2026-0009", "unanswered", false },
        { last.claim_id, last.outcome, last.matched })
      local text = run({ "remit", file, "--claims", path })
      assert.is_truthy(text:find("7 claim payment(s): paid 3, partial 0, denied 2, reversed 1, "
        .. "pending 1; paid in all 43.42", 1, true))
      assert.is_truthy(text:find("6 matched, 1 not matched to a sent claim; 1 sent claim(s) "
        .. "with no answer", 1, true))
      assert.is_truthy(text:find("claim CLM-2026-0009 sent, no answer", 1, true))
    end)
    os.remove(path)
  end)

  it("matches against sent claims given as 837P", function()
    local envelope = { sender_id = "RIVERBEND", receiver_id = "CLEARHOUSE",
      submitter_name = "Riverbend Counseling", submitter_id = "RB001",
      contact_name = "Billing Office", contact_phone = "6145550100",
      receiver_name = "Clearhouse", receiver_id_1000b = "CH01", date = "2026-04-02",
      time = "1015" }
    local x12 = assert(bhclaim.x12.write(dofile("spec/fixtures/remit/submitted.lua")(),
      envelope))
    local path = write_temp(x12)
    with_reader(T.group_therapy, function()
      local out, err, status = run({ "remit", file, "--claims", path, "--format", "json" })
      assert.are.equal("", err)
      assert.are.equal(1, status)
      local l = lines(out)
      assert.are.equal(8, #l)
      local e1 = bhclaim.decode(l[1])
      assert.is_true(e1.matched)
      assert.are.equal("claim id", e1.matched_by)
      -- 837P carries no line control number here: the line matches by code.
      assert.are.equal("30.39", e1.expected_allowed)
      assert.are.equal("patient and date", bhclaim.decode(l[2]).matched_by)
    end)
    os.remove(path)
  end)

  it("reads through the core's reader when there is one", function()
    with_reader(T.bcbsnc, function()
      local list = assert(bhclaim.remit.read("ST*835*1234~"))
      assert.is_true(bhclaim.remit.is_remittance(list[1]))
      assert.are.equal("paid", list[1].claims[1].outcome)
      local acks = assert(bhclaim.ack.read("ISA*"))
      assert.are.equal("835", acks[1].kind)
    end)
    local saved = core.remit_read
    core.remit_read = function() return nil, "segment 1 (ST): not an 835", "x12.syntax" end
    local ok, list, msg, id = pcall(bhclaim.remit.read, "ST*837*1~")
    core.remit_read = saved
    assert.is_true(ok)
    assert.is_nil(list)
    assert.are.same({ "segment 1 (ST): not an 835", "x12.syntax" }, { msg, id })
  end)

  it("groups denials with --denials", function()
    with_reader(T.group_therapy, function()
      local out, _, status = run({ "remit", file, "--denials", "--format", "json" })
      assert.are.equal(1, status)
      local groups = {}
      for _, l in ipairs(lines(out)) do groups[#groups + 1] = bhclaim.decode(l) end
      assert.are.equal(3, #groups)
      assert.are.same({ "CO", "16", "N290", 1, "45.00" }, { groups[1].group, groups[1].reason,
        groups[1].remark, groups[1].count, groups[1].amount })
      assert.is_string(groups[1].hint)
      assert.is_table(groups[1].rules)
      local text = run({ "remit", file, "--denials" })
      assert.is_truthy(text:find("CO-16/N290  1 line(s)  45.00", 1, true))
    end)
  end)

  it("writes CSV, one row per service line", function()
    with_reader(T.bcbsnc, function()
      local out, _, status = run({ "remit", file, "--format", "csv" })
      assert.are.equal(0, status)  -- paid
      local l = lines(out)
      assert.are.equal(3, #l)
      assert.is_truthy(l[1]:find("^claim_id,payer_claim_number,outcome,matched,line,code"))
      assert.are.equal("200200964A52,94151100100,paid,,1,59430,,2010-12-31,1,1210.00,1057.86,"
        .. "1175.40,,,paid,CO-42 34.60; PR-2 117.54,,", l[2])
    end)
  end)

  it("prints odd data in every format without an internal error", function()
    local function odd()
      return { { kind = "835", claims = { { claim_id = "X", status = "4",
        adjustments = { { group = "CO", amount = "1.00" } },
        lines = { { code = "90853", adjustments = { { reason = "16" } },
          remarks = { { qualifier = "HE" } } } } } } } }
    end
    with_reader(odd, function()
      for _, argv in ipairs({ { "remit", file }, { "remit", file, "--format", "json" },
          { "remit", file, "--format", "csv" }, { "remit", file, "--denials" } }) do
        local _, err, status = run(argv)
        assert.are.equal("", err, table.concat(argv, " "))
        assert.are.equal(1, status, table.concat(argv, " "))
      end
    end)
  end)

  it("exits 2 on usage errors and missing files, 1 on a malformed 835", function()
    local _, err, status = run({ "remit" })
    assert.are.equal(2, status)
    assert.is_truthy(err:find("remit wants at least one 835 file", 1, true))
    _, _, status = run({ "remit", "/nonexistent/x.835" })
    assert.are.equal(2, status)
    _, _, status = run({ "remit", file, "--format", "xml" })
    assert.are.equal(2, status)
    _, _, status = run({ "remit", file, "--locality", "01112-05" })
    assert.are.equal(2, status)
    _, _, status = run({ "remit", file, "--fees", "nofile" })
    assert.are.equal(2, status)
    local session = write_temp('{"participants": []}')
    _, err, status = run({ "remit", file, "--claims", session })
    os.remove(session)
    assert.are.equal(2, status)
    assert.is_truthy(err:find("record 1 is not a claim", 1, true))
    local saved = core.remit_read
    core.remit_read = function() return nil, "segment 3 (CLP): bad amount", "x12.value" end
    local ok, out, err2, st = pcall(run, { "remit", file })
    core.remit_read = saved
    assert.is_true(ok)
    assert.are.equal(1, st)
    assert.are.equal("", out)
    assert.is_truthy(err2:find("segment 3 (CLP): bad amount (x12.value)", 1, true))
  end)
end)

describe("bhclaim ack #contract_fixture", function()
  local file = SAMPLES .. "835_pyx12_mult_loops.txt"

  it("prints one entry per set or claim, exit 1 when something is rejected", function()
    with_reader(T.ack_999_rejected, function()
      local out, _, status = run({ "ack", file, "--format", "json" })
      assert.are.equal(1, status)
      local e = bhclaim.decode(lines(out)[1])
      assert.are.same({ "999", false }, { e.kind, e.accepted })
      assert.are.equal("segment NM at 17: 1 Unrecognized segment ID", e.errors[2])
    end)
    with_reader(T.ack_277ca_accepted, function()
      local out, _, status = run({ "ack", file })
      assert.are.equal(0, status)
      assert.is_truthy(out:find("277CA claim 5781: accepted", 1, true))
    end)
    local _, err, status = run({ "ack" })
    assert.are.equal(2, status)
    assert.is_truthy(err:find("ack wants at least one file", 1, true))
  end)

  it("is listed in the help", function()
    local out = run({ "help" })
    assert.is_truthy(out:find("remit   FILE.835...", 1, true))
    assert.is_truthy(out:find("ack     FILE...", 1, true))
    local _, _, status = run({ "remit", "--help" })
    assert.are.equal(0, status)
  end)
end)
