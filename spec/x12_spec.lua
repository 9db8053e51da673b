-- x12_spec.lua: bhclaim.x12 from Lua: write, read and check an 837P,
-- large batches in several transaction sets, and summaries for reports.
local bhclaim = require("bhclaim")
local support = require("spec.support")
local read_file = support.read_file
local base_claim = support.base_claim

local ENVELOPE = {
  sender_id = "RIVERBEND", receiver_id = "CLEARHOUSE", submitter_name = "Riverbend Counseling",
  submitter_id = "RB001", contact_name = "Billing Office", contact_phone = "6145550100",
  receiver_name = "Clearhouse", receiver_id_1000b = "CH01", date = "2026-11-26", time = "1015",
}

local function claims_as_json(n)
  local claim = base_claim()
  local text = bhclaim.encode(claim)
  local out = {}
  for i = 1, n do
    out[i] = (text:gsub('"id":"[^"]*"', '"id":"CLM-' .. i .. '"', 1))
  end
  return out
end

describe("bhclaim.x12", function()
  it("writes, reads back and writes the same bytes", function()
    local text = assert(bhclaim.x12.write({ base_claim(), base_claim() }, ENVELOPE))
    local claims, envelope, err = bhclaim.x12.read(text)
    assert.is_nil(err)
    assert.are.equal(2, #claims)
    assert.are.equal(text, bhclaim.x12.write(claims, envelope))
  end)

  it("takes claims as JSON text as well as tables", function()
    local from_text = bhclaim.x12.write(claims_as_json(3), ENVELOPE)
    local tables = {}
    for i, t in ipairs(claims_as_json(3)) do tables[i] = bhclaim.decode(t) end
    assert.are.equal(from_text, bhclaim.x12.write(tables, ENVELOPE))
  end)

  it("writes more than 5000 claims as several transaction sets, and reads them back", function()
    local text = assert(bhclaim.x12.write(claims_as_json(10001), ENVELOPE))
    local sets = 0
    for _ in text:gmatch("\nST%*837%*") do sets = sets + 1 end
    assert.are.equal(3, sets)
    assert.matches("\nGE%*3%*", text)
    local claims, envelope, err = bhclaim.x12.read(text)
    assert.is_nil(err)
    assert.are.equal(10001, #claims)
    assert.are.equal("CLM-10001", claims[10001].id)
    assert.are.equal(text, bhclaim.x12.write(claims, envelope))
  end)

  it("names the claim and field it cannot write", function()
    local claim = base_claim()
    claim.subscriber.member_id = nil
    local unchecked = support.deep_copy(ENVELOPE)
    unchecked.unchecked = true
    local text, msg, id = bhclaim.x12.write({ base_claim(), claim }, unchecked)
    assert.is_nil(text)
    assert.matches("member_id", msg)
    assert.are.equal("x12.claim", id)
    text, msg, id = bhclaim.x12.write({ base_claim(), claim }, ENVELOPE)
    assert.is_nil(text)
    assert.matches("claim 2: CLM%-2026%-0001: refused by check: .*subscriber.member_id", msg)
    assert.are.equal("x12.check", id)
  end)

  it("checks an 837P in the core, with a summary per claim", function()
    local claim = base_claim()
    claim.billing_provider.npi = "1234567890"
    local unchecked = support.deep_copy(ENVELOPE)
    unchecked.unchecked = true
    local text = assert(bhclaim.x12.write({ base_claim(), claim }, unchecked))
    local reports, _, err = bhclaim.x12.check(text, { today = "2026-11-26" })
    assert.is_nil(err)
    assert.are.equal(2, #reports)
    assert.is_true(reports[1].ok)
    assert.is_false(reports[2].ok)
    assert.are.equal("npi.checksum", reports[2]:by_rule("npi.checksum")[1].rule)
    local s = reports[1].summary
    assert.are.equal("ROE, SAM", s.patient)
    assert.are.equal("2026-03-02", s.date)
    assert.are.same({ "90853" }, s.codes)
    assert.are.equal(4500, s.cents)
  end)

  it("gives the same findings as reading then checking each claim", function()
    local text = read_file("spec/fixtures/x12/many_claims_2gs.837")
    local reports = bhclaim.x12.check(text, { today = "2026-11-26" })
    local claims = bhclaim.x12.read(text)
    assert.are.equal(#claims, #reports)
    for i, claim in ipairs(claims) do
      local r = bhclaim.check(claim, { today = "2026-11-26" })
      assert.are.equal(#r.findings, #reports[i].findings)
      for j, f in ipairs(r.findings) do assert.are.equal(f.rule, reports[i].findings[j].rule) end
    end
  end)

  it("fails a structural error with nil, message, id, and the claims before it", function()
    local text = read_file("spec/fixtures/x12/bad_se_count.837")
    local claims, err, id, partial = bhclaim.x12.read(text)
    assert.is_nil(claims)
    assert.matches("segment %d+ %(SE%)", err)
    assert.is_string(id)
    assert.is_table(partial.claims)
    assert.is_table(partial.envelope)
  end)
end)

describe("a dependant's subscriber", function()
  it("needs no birth date or sex (the 837P carries none for them)", function()
    local claim = base_claim()
    claim.subscriber.relationship = "child"
    claim.subscriber.birth_date, claim.subscriber.sex = nil, nil
    claim.patient = { name = { last = "Roe", first = "Kit" }, birth_date = "2015-05-05",
      sex = "M" }
    local r = bhclaim.check(claim, { today = "2026-11-26" })
    for _, f in ipairs(r.findings) do assert.are_not.equal("claim.schema", f.rule) end
  end)
  it("but a subscriber who is the patient does", function()
    local claim = base_claim()
    claim.subscriber.birth_date = nil
    local r = bhclaim.check(claim, { today = "2026-11-26" })
    assert.are.equal("subscriber.birth_date", r:by_rule("claim.schema")[1].path)
  end)
end)
