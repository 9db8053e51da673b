-- Specs for acknowledgements (bhclaim.ack) and the `bhclaim remit` and
-- `bhclaim ack` commands, run in-process through bhclaim.cli.main on real
-- X12: the mirrored samples (spec/fixtures/x12-samples) and the
-- group-therapy remittance spec/fixtures/remit/group_therapy.835.
local bhclaim = require("bhclaim")
local support = require("spec.support")

local SAMPLES = "spec/fixtures/x12-samples/"
local GROUP_THERAPY = "spec/fixtures/remit/group_therapy.835"

local run = support.run_cli

local read_file = support.read_file

local lines = support.lines

local write_temp = support.write_temp

local function ack_sample(name)
  return assert(bhclaim.ack.read(read_file(SAMPLES .. name)))
end

describe("bhclaim.ack", function()
  it("explains a rejecting 999 with each error's text", function()
    local a = ack_sample("999_imsweb_rejected.txt")[1]
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
    assert.is_true(ack_sample("999_imsweb_accepted.txt")[1].accepted)
    local ta1 = ack_sample("ta1_uhin_4010.edi")[1]
    assert.are.equal("TA1", ta1.kind)
    assert.is_false(ta1.accepted)
    assert.are.equal("Invalid Interchange Content (e.g., Invalid GS Segment)", ta1.note_text)
    local rej = ack_sample("277ca_imsweb_rejected.txt")[1].claims[1]
    assert.is_false(rej.accepted)
    assert.are.equal("3920394930203", rej.claim_id)
    assert.are.equal("1107000000001120", rej.payer_claim_number)
    assert.are.equal("A7: Acknowledgement/Rejected for Invalid Information; 562: Entity's "
      .. "National Provider Identifier (NPI).; entity 85 (billing provider)", rej.status[1].text)
    local acc = ack_sample("277ca_imsweb_accepted.txt")[1].claims[1]
    assert.is_true(acc.accepted)
    assert.are.equal("5781", acc.claim_id)
  end)

  it("answers a 999 without sets by its group", function()
    local a = assert(bhclaim.ack.read(
      "ST*999*0001*005010X231A1~AK1*HC*7*005010X222A1~AK9*R*1*1*0*4*99~SE*4*0001~"))[1]
    local e = bhclaim.ack.entries(a)
    assert.are.equal(1, #e)
    assert.is_false(e[1].accepted)
    assert.are.equal("group HC", e[1].set_id)
    assert.are.equal("7", e[1].control_number)
    assert.are.same({ "4: Group Control Number in the Functional Group Header and Trailer Do "
      .. "Not Agree", "99: unknown group error code 99" }, e[1].errors)
  end)

  it("reports a 277CA status at a level above the claims (HL 21, HL 19)", function()
    local text = read_file(SAMPLES .. "277ca_imsweb_rejected.txt")
    text = text:gsub("(TRN%*1%*1107000000000001FF~)", "%1STC*A3|24|85*20110311*U*199.14~")
    text = text:gsub("SE%*24%*", "SE*25*")
    local a = assert(bhclaim.ack.read(text))[1]
    local levels = {}
    for _, l in ipairs(a.levels) do levels[#levels + 1] = l.level end
    assert.are.same({ "20", "21", "19" }, levels)
    local e = bhclaim.ack.entries(a)
    assert.are.equal(3, #e)
    assert.are.same({ "277CA", "receiver", true, "ETIN" },
      { e[1].kind, e[1].level, e[1].accepted, e[1].control_number })
    assert.are.same({ "277CA", "provider", false, "123456789" },
      { e[2].kind, e[2].level, e[2].accepted, e[2].control_number })
    assert.are.equal("A3: Acknowledgement/Returned as unprocessable claim; 24: Entity not "
      .. "approved as an electronic submitter.; entity 85 (billing provider)", e[2].status[1])
    assert.are.equal("3920394930203", e[3].claim_id)
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

describe("bhclaim remit", function()
  local file = GROUP_THERAPY

  it("prints one JSON object per claim payment with the documented fields", function()
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
    assert.are.same({ "N290", "MA130" }, { line.remarks[1].code, line.remarks[2].code })
    assert.is_string(line.remarks[1].text)
    assert.is_true(l[1]:find('^{"claim_id":"CLM%-2026%-0001","payer_claim_number":') ~= nil)
    local first = bhclaim.decode(l[1])
    assert.are.equal("1", first.lines[1].control_number)  -- REF*6R
    assert.are.equal("30.39", first.allowed)               -- AMT*B6
    local last = bhclaim.decode(l[7])
    assert.are.equal("N130", last.remarks[1].code)         -- MOA
    assert.are.equal("ZZ999", last.lines[1].remarks[1].code)
    assert.are.equal("90785", last.lines[1].code)
  end)

  it("adds matched, expected_allowed, variance and findings with --claims", function()
    local claims = {}
    for _, c in ipairs(dofile("spec/fixtures/remit/submitted.lua")()) do
      claims[#claims + 1] = bhclaim.encode(c)
    end
    local path = write_temp(table.concat(claims, "\n") .. "\n")
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
    os.remove(path)
  end)

  it("matches against sent claims given as 837P", function()
    local envelope = { sender_id = "RIVERBEND", receiver_id = "CLEARHOUSE",
      submitter_name = "Riverbend Counseling", submitter_id = "RB001",
      contact_name = "Billing Office", contact_phone = "6145550100",
      receiver_name = "Clearhouse", receiver_id_1000b = "CH01", date = "2026-04-02",
      time = "1015", unchecked = true }  -- the fixture claims are for matching, not checking
    local x12 = assert(bhclaim.x12.write(dofile("spec/fixtures/remit/submitted.lua")(),
      envelope))
    local path = write_temp(x12)
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
    os.remove(path)
  end)

  it("reads through the core's reader, and passes its errors on", function()
    local list = assert(bhclaim.remit.read(read_file(SAMPLES
      .. "835_edi835parser_bcbsnc_st_only.txt")))
    assert.is_true(bhclaim.remit.is_remittance(list[1]))
    assert.are.equal("paid", list[1].claims[1].outcome)
    local acks = assert(bhclaim.ack.read(read_file(SAMPLES .. "999_imsweb_accepted.txt")))
    assert.are.equal("999", acks[1].kind)
    local nothing, msg, id = bhclaim.remit.read("ST*835*1~BPR*I*1.00*C*CHK~CLP*X*1*1*0~SE*4*1~")
    assert.is_nil(nothing)
    assert.are.same({ "segment 3 (CLP): out of place: expected TRN, CUR, REF, DTM or N1*PR",
      "x12.syntax" }, { msg, id })
    nothing, msg, id = bhclaim.ack.read("ST*837*1~SE*2*1~")
    assert.is_nil(nothing)
    assert.are.same({ "segment 1 (ST): ST01 must be 999 or 277", "x12.syntax" }, { msg, id })
  end)

  it("groups denials with --denials", function()
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

  it("writes CSV, one row per service line", function()
    local out, _, status = run({ "remit", SAMPLES .. "835_edi835parser_bcbsnc_st_only.txt",
      "--format", "csv" })
    assert.are.equal(0, status)  -- paid
    local l = lines(out)
    assert.are.equal(4, #l)
    assert.is_truthy(l[1]:find("^claim_id,payer_claim_number,outcome,matched,line,code"))
    assert.are.equal("200200964A52,94151100100,paid,,1,59430,,2010-12-31,1,1210.00,1057.86,"
      .. "1175.40,,,paid,CO-42 34.60; PR-2 117.54,,", l[2])
    -- The third SVC sends no charge (SVC02 empty) and AMT*B6 742.
    assert.are.equal("200200964A52,94151100100,paid,,3,59426,,2010-12-31,,,,742.00,,,paid,,,",
      l[4])
  end)

  it("prints odd data in every format without an internal error", function()
    local path = write_temp("ST*835*1~BPR*H*0*C*NON************20260401~TRN*1*T1*1000000001~"
      .. "N1*PR*P~N1*PE*Q*XX*1234567893~LX*1~CLP*X*4*1.00*0**MB~CAS*CO*ZZZ*1.00~"
      .. "SVC*HC:90853*1.00*0~LQ*HE*Q1~SE*12*1~")
    for _, argv in ipairs({ { "remit", path }, { "remit", path, "--format", "json" },
        { "remit", path, "--format", "csv" }, { "remit", path, "--denials" } }) do
      local _, err, status = run(argv)
      assert.are.equal("", err, table.concat(argv, " "))
      assert.are.equal(1, status, table.concat(argv, " "))
    end
    local out = run({ "remit", path, "--format", "json" })
    local e = bhclaim.decode(out)
    assert.are.same({ "X", "denied", "0.00" }, { e.claim_id, e.outcome, e.allowed })
    assert.are.equal(bhclaim.null, e.payer_claim_number)
    os.remove(path)
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
    local bad = write_temp("ST*835*1~BPR*I*1.00*C*CHK~CLP*X*1*1*0~SE*4*1~")
    local out, err2, st = run({ "remit", bad })
    assert.are.equal(1, st)
    assert.are.equal("", out)
    assert.is_truthy(err2:find(bad .. ": segment 3 (CLP): out of place", 1, true))
    assert.is_truthy(err2:find("(x12.syntax)", 1, true))
    -- An 837 is not an 835: refused naming the segment.
    out, err2, st = run({ "remit", SAMPLES .. "837p_imsweb_valid.txt" })
    assert.are.equal(1, st)
    assert.are.equal("", out)
    assert.is_truthy(err2:find("segment %d+ %(ST%)"))
    os.remove(bad)
  end)
end)

describe("bhclaim ack", function()
  it("prints one entry per set or claim, exit 1 when something is rejected", function()
    local out, _, status = run({ "ack", SAMPLES .. "999_imsweb_rejected.txt", "--format",
      "json" })
    assert.are.equal(1, status)
    local e = bhclaim.decode(lines(out)[1])
    assert.are.same({ "999", false, "837", "0028", "R" },
      { e.kind, e.accepted, e.set_id, e.control_number, e.status })
    assert.are.equal("segment NM at 17: 1 Unrecognized segment ID", e.errors[2])
    -- Every field is present, null when unknown.
    assert.are.equal(bhclaim.null, e.claim_id)
    assert.are.equal(bhclaim.null, e.level)
    out, _, status = run({ "ack", SAMPLES .. "277ca_imsweb_accepted.txt" })
    assert.are.equal(0, status)
    assert.is_truthy(out:find("277CA claim 5781: accepted", 1, true))
    assert.is_truthy(out:find("277CA receiver ETIN: accepted", 1, true))
    local _, err
    _, err, status = run({ "ack" })
    assert.are.equal(2, status)
    assert.is_truthy(err:find("ack wants at least one file", 1, true))
    _, err, status = run({ "ack", SAMPLES .. "999_imsweb_accepted.txt", "--format", "xml" })
    assert.are.equal(2, status)
    assert.is_truthy(err:find("text, json or csv", 1, true))
  end)

  it("writes CSV, one row per entry, from several files", function()
    local out, err, status = run({ "ack", SAMPLES .. "999_imsweb_rejected.txt",
      SAMPLES .. "ta1_uhin_4010.edi", SAMPLES .. "277ca_imsweb_rejected.txt", "--format", "csv" })
    assert.are.equal("", err)
    assert.are.equal(1, status)
    local l = lines(out)
    assert.are.equal(5, #l)
    assert.are.equal("kind,level,accepted,set_id,control_number,claim_id,payer_claim_number,"
      .. "status,status_text,messages", l[1])
    assert.are.equal("999,,false,837,0028,,,R,Rejected,5: One or More Segments in Error | "
      .. "segment NM at 17: 1 Unrecognized segment ID", l[2])
    assert.are.equal("TA1,,false,,000000100,,,R,The Transmitted Interchange Control Structure "
      .. "Header and Trailer are Rejected Because of Errors.,\"024: Invalid Interchange Content "
      .. "(e.g., Invalid GS Segment)\"", l[3])
    assert.are.equal("277CA,receiver,true,,ETIN,,,,,A1: Acknowledgement/Receipt; 20: Accepted "
      .. "for processing.", l[4])
    assert.is_truthy(l[5]:find("^277CA,,false,,,3920394930203,1107000000001120,,,A7: "))
  end)

  it("answers every acknowledgement sample in every format", function()
    for _, name in ipairs({ "999_imsweb_accepted.txt", "999_imsweb_rejected.txt",
        "999_pyx12_multi_gs.txt", "ta1_uhin_4010.edi", "277ca_imsweb_accepted.txt",
        "277ca_imsweb_rejected.txt" }) do
      local acks = ack_sample(name)
      assert.is_truthy(tostring(acks):find("^%w+ "), name)  -- print(bhclaim.ack.read(text))
      local n = 0
      for _, a in ipairs(acks) do
        assert.is_string(tostring(a))
        n = n + #bhclaim.ack.entries(a)
      end
      for _, fmt in ipairs({ "text", "json", "csv" }) do
        local out, err, status = run({ "ack", SAMPLES .. name, "--format", fmt })
        assert.are.equal("", err, name)
        assert.is_true(status == 0 or status == 1, name)
        if fmt == "json" then
          local rows = lines(out)
          assert.are.equal(n, #rows, name)
          for _, r in ipairs(rows) do
            local e = bhclaim.decode(r)
            assert.is_boolean(e.accepted, name)
            assert.is_string(e.kind, name)
          end
        elseif fmt == "csv" then
          assert.are.equal(n + 1, #lines(out), name)
        end
      end
    end
  end)

  it("is listed in the help", function()
    local out = run({ "help" })
    assert.is_truthy(out:find("remit   FILE.835...", 1, true))
    assert.is_truthy(out:find("ack     FILE...", 1, true))
    local _, _, status = run({ "remit", "--help" })
    assert.are.equal(0, status)
  end)
end)
