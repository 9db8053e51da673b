-- Specs for remittances explained (bhclaim.remit), the CARC/RARC catalogue
-- (bhclaim.adjustments), matching and the remit report. Remittances are read
-- from X12 by the core's reader (the mirrored samples and
-- spec/fixtures/remit/group_therapy.835); the pure functions (outcome,
-- allowed amount, explain_claim) also get small tables built here.
local bhclaim = require("bhclaim")
local remit = bhclaim.remit
local adjustments = bhclaim.adjustments
local submitted = dofile("spec/fixtures/remit/submitted.lua")

local FILES = {
  group_therapy = "spec/fixtures/remit/group_therapy.835",
  bcbsnc = "spec/fixtures/x12-samples/835_edi835parser_bcbsnc_st_only.txt",
  emedny = "spec/fixtures/x12-samples/835_edi835parser_emedny.txt",
  pyx12_denied = "spec/fixtures/x12-samples/835_pyx12_mult_loops.txt",
}

-- The explained remittances of one of FILES, read afresh.
local function read_835(name)
  local f = assert(io.open(FILES[name], "rb"))
  local text = f:read("*a")
  f:close()
  local list, msg = remit.read(text)
  assert(list, msg)
  return list
end

local function claims_of(list)
  local out = {}
  for _, r in ipairs(list) do
    for _, c in ipairs(r.claims) do out[#out + 1] = c end
  end
  return out
end

local function explained(name)
  return claims_of(read_835(name))
end

describe("bhclaim.adjustments", function()
  it("carries every CARC and RARC of rules-reference section 6, with wording and source",
    function()
    local carcs = { "4", "5", "8", "11", "16", "18", "22", "27", "29", "45", "50", "58", "96", "97",
      "109", "119", "151", "167", "170", "181", "182", "185", "197", "204", "206", "207", "208",
      "231", "234", "236", "253", "287", "288" }
    for _, code in ipairs(carcs) do
      local e = adjustments.carc(code)
      assert.is_true(e.known, code)
      assert.are.equal("reference", e.source, code)
      assert.is_string(e.hint, code)
      assert.is_truthy(adjustments.ACTIONS[e.action], code)
    end
    for _, code in ipairs({ "M15", "M51", "M76", "M77", "MA130", "N20", "N56", "N95", "N115",
        "N130", "N290", "N362", "N386", "N657" }) do
      local e = adjustments.rarc(code)
      assert.is_true(e.known, code)
      assert.are.equal("reference", e.source, code)
    end
    assert.are.equal("Claim/service lacks information or has submission/billing error(s).",
      adjustments.carc("16").text)
    assert.are.equal("Missing/incomplete/invalid rendering provider primary identifier.",
      adjustments.rarc("N290").text)
  end)

  it("carries the codes of the shared 835 samples, deactivated ones marked", function()
    for _, code in ipairs({ "1", "2", "3", "23", "26", "42", "94", "147", "176", "251", "A2",
        "A7" }) do
      assert.is_true(adjustments.carc(code).known, code)
    end
    assert.are.equal("Deductible Amount", adjustments.carc("1").text)
    assert.are.equal("openemr", adjustments.carc("147").source)
    assert.are.equal("deactivated", adjustments.carc("42").source)
    assert.are.equal("deactivated CARC 42", adjustments.carc("42").text)
    for _, code in ipairs({ "N14", "N206", "MA02" }) do
      assert.is_true(adjustments.rarc(code).known, code)
    end
    assert.is_truthy(adjustments.rarc("N206").text:find("not carried", 1, true))
    for key in pairs({ reference = 1, openemr = 1, deactivated = 1, not_carried = 1 }) do
      assert.is_string(adjustments.SOURCES[key])
    end
  end)

  it("shows an unknown code as unknown, never drops it", function()
    local c = adjustments.carc("999")
    assert.is_false(c.known)
    assert.are.equal("unknown CARC 999 (not in bhclaim's catalogue)", c.text)
    local r = adjustments.rarc("ZZ1")
    assert.is_false(r.known)
    assert.are.equal("unknown RARC ZZ1 (not in bhclaim's catalogue)", r.text)
    local text, hint, known = adjustments.explain("CO", "999")
    assert.are.equal("CO-999: unknown CARC 999 (not in bhclaim's catalogue)", text)
    assert.is_string(hint)
    assert.is_false(known)
    assert.is_false(adjustments.group("ZZ").known)
  end)

  it("explains an adjustment with its group", function()
    local text, hint = adjustments.explain("CO", "45")
    assert.are.equal("CO-45: Charge exceeds fee schedule/maximum allowable or "
      .. "contracted/legislated fee arrangement.", text)
    assert.is_truthy(hint:find("write-off", 1, true))
    local _, pr_hint = adjustments.explain("PR", "204")
    assert.is_truthy(pr_hint:find("Group PR", 1, true))
    local _, co_hint = adjustments.explain("CO", "2")
    assert.is_truthy(co_hint:find("do not bill the patient", 1, true))
    assert.has_error(function() adjustments.carc(nil) end,
      "bad argument #1 to 'carc' (string expected, got nil)")
  end)

  it("derives the rules that predict a denial from the rule catalogue", function()
    -- A literal catalogue in core.rules_catalog()'s form.
    local index = adjustments.rule_index({
      { rule = "npi.checksum", group = "CO", carc = "16", rarc = "N290" },
      { rule = "line.dx_pointer", group = "CO", carc = "16", rarc = "M76" },
      { rule = "addon.primary", group = "CO", carc = "97" },
      { rule = "ncci.ptp", group = "CO", carc = "97", rarc = "M15" },
      { rule = "date.future", carc = "110" },
    })
    assert.are.same({ "npi.checksum" }, index:rules("CO", "16", "N290"))
    assert.are.same({ "line.dx_pointer", "npi.checksum" }, index:rules("CO", "16"))
    assert.are.same({ "line.dx_pointer", "npi.checksum" }, index:rules("CO", "16", "N999"))
    assert.are.same({ "addon.primary", "ncci.ptp" }, index:rules("CO", "97"))
    assert.are.same({ "date.future" }, index:rules("OA", "110"))
    assert.are.same({}, index:rules("CO", "45"))
    assert.has_error(function() adjustments.rule_index({ { group = "CO" } }) end,
      "bad argument #1 to 'rule_index' (entry 1 has no rule id)")
  end)
end)

describe("bhclaim.adjustments: the core's rule catalogue", function()
  it("is inverted once and used by the report when no index is given", function()
    local core = require("bhclaim.core")
    local saved = core.rules_catalog
    core.rules_catalog = function()
      return { { rule = "npi.checksum", group = "CO", carc = "16", rarc = "N290" } }
    end
    local ok, err = pcall(function()
      local index = assert(adjustments.core_rule_index(true))
      assert.are.equal(index, adjustments.core_rule_index())
      local entries = remit.report(read_835("group_therapy"))
      assert.are.same({ "npi.checksum" }, entries[3].rules)
      entries = remit.report(read_835("group_therapy"), { rule_index = false })
      assert.is_nil(entries[3].rules)
    end)
    core.rules_catalog = saved
    adjustments.core_rule_index(true)
    assert(ok, err)
  end)
end)

describe("bhclaim.remit: outcomes and allowed amounts", function()
  it("explains a paid claim with AMT*B6 on one line and CO/PR on the other (BCBS NC)", function()
    local c = explained("bcbsnc")[1]
    assert.are.equal("paid", c.outcome)
    -- 1175.40 (AMT*B6) + 890.00 (charge less CO) + 742.00 (AMT*B6)
    assert.are.equal("2807.40", c.allowed)
    assert.are.equal("sum of lines", c.allowed_from)
    -- The third SVC sends no charge, and elements past SVC07 (kept as sent).
    assert.is_nil(c.lines[3].charge)
    assert.are.same({ { position = "08", value = "742" }, { position = "10", value = "1" } },
      c.lines[3].extra_elements)
    assert.are.same({ "HC", "59410" }, { c.lines[1].original.code_qualifier,
      c.lines[1].original.code })
    assert.are.equal("1175.40", c.lines[1].allowed)
    assert.are.equal("AMT*B6", c.lines[1].allowed_from)
    assert.are.equal("890.00", c.lines[2].allowed)
    assert.are.equal("charge less CO", c.lines[2].allowed_from)
    assert.are.equal("PR-2: Coinsurance Amount", c.lines[1].adjustments[2].text)
    assert.are.equal("processed as primary", c.status_text)
  end)

  it("tells paid, denied and partly paid claims apart (eMedNY)", function()
    local cs = explained("emedny")
    assert.are.same({ "paid", "denied", "partial" }, { cs[1].outcome, cs[2].outcome,
      cs[3].outcome })
    assert.are.equal("0.00", cs[2].allowed)
    assert.are.equal("denied", cs[2].lines[1].allowed_from)
    assert.are.equal("11.50", cs[3].allowed)
    assert.are.same({ "paid", "paid", "denied", "denied" }, { cs[3].lines[1].outcome,
      cs[3].lines[2].outcome, cs[3].lines[3].outcome, cs[3].lines[4].outcome })
    local r = cs[3].lines[3].remarks[1]
    assert.are.equal("N206", r.code)
    assert.is_string(r.text)
  end)

  it("marks CLP02 4 denied and keeps deactivated codes (pyx12)", function()
    local c = explained("pyx12_denied")[1]
    assert.are.equal("denied", c.outcome)
    assert.are.equal("0.00", c.allowed)
    assert.are.equal("OA-A7: deactivated CARC A7", c.lines[2].adjustments[1].text)
    assert.are.equal("2003-11-29", c.lines[1].date)
  end)

  it("explains reversals, pending claims and unknown codes (group therapy)", function()
    local cs = explained("group_therapy")
    local by = {}
    for _, c in ipairs(cs) do by[#by + 1] = c.outcome end
    assert.are.same({ "paid", "paid", "denied", "reversed", "paid", "pending", "denied" }, by)
    assert.are.equal("30.39", cs[1].allowed)
    -- Sequestration (CO-253) comes after the allowed amount.
    assert.are.equal("-30.39", cs[4].allowed)
    assert.are.equal("charge less CO", cs[4].lines[1].allowed_from)
    assert.are.equal("reversed", cs[4].lines[1].outcome)
    assert.is_nil(cs[6].allowed)
    assert.are.equal("pending", cs[6].lines[1].outcome)
    local unknown = cs[7].lines[1].adjustments[2]
    assert.are.equal("CO-999: unknown CARC 999 (not in bhclaim's catalogue)", unknown.text)
    assert.is_false(unknown.known)
    assert.are.equal("N130", cs[7].remarks[1].code)
    assert.are.equal("MOA", cs[7].remarks[1].source)
    assert.is_false(cs[7].lines[1].remarks[1].known)
  end)

  it("counts a paid claim with a denying adjustment as partial", function()
    local list = read_835("group_therapy")
    local c = list[1].claims[1]
    c.lines[1].adjustments[#c.lines[1].adjustments + 1] =
      { group = "CO", reason = "97", amount = "0.00" }
    assert.are.equal("partial", remit.explain_claim(c).outcome)
  end)

  it("never raises on odd data: missing amounts and codes are shown, not fatal", function()
    local c = remit.explain_claim({ claim_id = "X", status = "1",
      adjustments = { { group = "CO", amount = "1.00" } },
      outpatient = { remarks = { "MA01" } },
      lines = { { code = "90853", adjustments = { { reason = "45" } },
        remarks = { { qualifier = "HE" } } } } })
    assert.are.equal("CO-nil: unknown CARC nil (not in bhclaim's catalogue)", c.adjustments[1].text)
    assert.are.equal("nil-45: Charge exceeds fee schedule/maximum allowable or "
      .. "contracted/legislated fee arrangement.", c.lines[1].adjustments[1].text)
    assert.are.equal("nil", c.lines[1].remarks[1].code)
    assert.is_string(tostring(c))
    assert.is_string(tostring(remit.explain({ { claims = { c } } })[1]))
  end)

  it("prints a remittance readably", function()
    local r = read_835("group_therapy")[1]
    local text = tostring(r)
    assert.is_truthy(text:find("835 from MEDICARE PART B to Riverbend Counseling LLC", 1, true))
    assert.is_truthy(text:find("payment 39.42 (ACH C) on 2026-04-01, trace EFT0000123", 1, true))
    assert.is_truthy(text:find("claim CLM-2026-0003 denied", 1, true))
    assert.is_truthy(text:find("CO-16: Claim/service lacks information", 1, true))
    assert.is_truthy(text:find("remark N290: Missing/incomplete/invalid rendering", 1, true))
    assert.is_truthy(text:find("provider adjustment WO 4.00 (OVERPAY1)", 1, true))
    assert.is_true(remit.is_remittance(r))
  end)

  it("keeps amounts exact and refuses more than two places", function()
    assert.are.equal(3460, remit.cents("34.6"))
    assert.are.equal(-1000, remit.cents("-10.00"))
    assert.is_nil(remit.cents("1.005"))
    assert.is_nil(remit.cents("abc"))
    assert.are.equal("-0.05", remit.money(-5))
  end)

  it("raises on misuse and returns the reader's error on malformed text", function()
    assert.has_error(function() remit.explain("x") end,
      "bad argument #1 to 'explain' (table expected, got string)")
    assert.has_error(function() remit.read(1) end,
      "bad argument #1 to 'read' (string expected, got number)")
    local list, msg, id = remit.read("ISA*")
    assert.is_nil(list)
    assert.is_truthy(msg:find("^segment 1 %(ISA%)"), msg)
    assert.are.equal("x12.syntax", id)
  end)
end)

describe("bhclaim.remit: matching", function()
  it("matches by claim id, then patient and date; lines by control number or code", function()
    local payments = explained("group_therapy")
    local claims = submitted()
    local m = remit.match(payments, claims)
    assert.are.equal(6, #m.matched)
    assert.are.equal(1, #m.unmatched_payments)
    assert.are.equal("XYZ-NOT-OURS", m.unmatched_payments[1].claim_id)
    assert.are.equal(1, #m.unanswered_claims)
    assert.are.equal("CLM-2026-0009", m.unanswered_claims[1].id)
    assert.are.equal("claim id", payments[1].matched_by)
    assert.are.equal("control number", payments[1].lines[1].matched_by)
    assert.are.equal("patient and date", payments[2].matched_by)
    assert.are.equal("PRACTICE-0002", payments[2].submitted.id)
    assert.are.equal("code, modifiers and date", payments[2].lines[1].matched_by)
    -- The reversal (no 95) finds no line of the corrected claim (95); the
    -- correction does.
    assert.is_nil(payments[4].lines[1].submitted_line)
    assert.are.equal(1, payments[5].lines[1].submitted_line)
    assert.is_false(payments[7].matched)
  end)

  it("matches by payer claim number when the sent claim records one", function()
    local payments = explained("bcbsnc")
    local claim = require("spec.support").base_claim()
    claim.id = "OTHER"
    claim.payer_claim_number = "94151100100"
    local m = remit.match(payments, { claim })
    assert.are.equal(1, #m.matched)
    assert.are.equal("payer claim number", payments[1].matched_by)
    -- No line matches the 90853 line of the base claim.
    assert.are.equal(3, payments[1].unmatched_lines)
    assert.are.same({ 1 }, payments[1].unanswered_lines)
  end)

  it("uses each sent claim once for the weaker keys", function()
    local payments = explained("group_therapy")
    payments[1].claim_id, payments[2].claim_id = "A", "B"
    payments[2].patient = payments[1].patient
    local m = remit.match({ payments[1], payments[2] }, { submitted()[1] })
    assert.are.equal(1, #m.matched)
    assert.are.equal(1, #m.unmatched_payments)
  end)
end)

describe("bhclaim.remit: the report", function()
  local index = adjustments.rule_index({
    { rule = "npi.checksum", group = "CO", carc = "16", rarc = "N290" },
    { rule = "addon.primary", group = "CO", carc = "97" },
  })

  it("adds expected amounts, variances and an underpayment finding", function()
    local entries, m = remit.report(read_835("group_therapy"),
      { claims = submitted(), rule_index = index })
    assert.are.equal(7, #entries)
    assert.are.equal(1, #m.unanswered_claims)
    local e1, e2, e3 = entries[1], entries[2], entries[3]
    assert.is_true(e1.matched)
    assert.are.equal("30.39", e1.expected_allowed)
    assert.are.equal("0.00", e1.variance)
    assert.are.same({}, e1.findings)
    assert.are.equal("25.00", e2.allowed)
    assert.are.equal("-5.39", e2.variance)
    assert.are.equal("remit.variance", e2.findings[1].rule)
    assert.are.equal("lines[1]", e2.findings[1].path)
    assert.are.equal("90853 allowed 25.00, 5.39 below the expected 30.39",
      e2.findings[1].message)
    -- A denial is not an underpayment: no variance.
    assert.is_nil(e3.variance)
    assert.are.same({ "npi.checksum" }, e3.rules)
    assert.are.same({ "npi.checksum" }, e3.lines[1].adjustments[1].rules)
    -- The correction was billed at POS 10 (non-facility).
    assert.are.equal("30.39", entries[5].expected_allowed)
    assert.is_false(entries[7].matched)
    assert.is_nil(entries[7].expected_allowed)
  end)

  it("prices the units billed, so units the payer cut show as a variance", function()
    local claims = submitted()
    claims[1].lines[1].units = 2
    local entries = remit.report(read_835("group_therapy"), { claims = claims })
    assert.are.equal("60.78", entries[1].expected_allowed)
    assert.are.equal("-30.39", entries[1].variance)
    assert.are.equal("remit.variance", entries[1].findings[1].rule)
  end)

  it("gives no expected amount without a fee schedule for a commercial payer", function()
    local claims = submitted()
    claims[1].payer = { id = "ACME", name = "Acme Health", kind = "commercial" }
    local entries = remit.report(read_835("group_therapy"), { claims = claims })
    assert.is_nil(entries[1].expected_allowed)
    assert.are.equal("no fee schedule for payer ACME (commercial)",
      entries[1].lines[1].expected_reason)
    local f = assert(io.open("spec/fixtures/remit/fees_acme.csv", "rb"))
    local schedule = assert(bhclaim.fees.schedule(f:read("*a"), "ACME"))
    f:close()
    entries = remit.report(read_835("group_therapy"),
      { claims = claims, schedules = { ACME = schedule } })
    assert.are.equal("42.00", entries[1].expected_allowed)
    assert.are.equal("-11.61", entries[1].variance)
  end)

  it("groups denials by group, CARC and RARC with counts, amounts and rules", function()
    local entries = remit.report(read_835("group_therapy"), { rule_index = index })
    local groups = remit.denials(entries)
    assert.are.equal(3, #groups)
    assert.are.equal("CO", groups[1].group)
    assert.are.equal("16", groups[1].reason)
    assert.are.equal("N290", groups[1].remark)
    assert.are.equal(1, groups[1].count)
    assert.are.equal("45.00", groups[1].amount)
    assert.are.same({ "npi.checksum" }, groups[1].rules)
    assert.are.same({ "CLM-2026-0003" }, groups[1].claims)
    assert.are.equal("97", groups[2].reason)
    assert.are.same({ "addon.primary" }, groups[2].rules)
    assert.are.equal("999", groups[3].reason)
    assert.are.same({}, groups[3].rules)
  end)
end)
