-- 276/277 (005010X212) reader through bhclaim.status.read: the public
-- samples field by field, claim views, malformed input.
-- SPDX-License-Identifier: MIT
local bhclaim = require("bhclaim")
package.path = "spec/?.lua;" .. package.path
local support = require("inquiry_support")
local status = bhclaim.status

local SAMPLES = { "276_lfh_claim_level.276", "276_lfh_claim_level_ncpdp.276",
  "276_lfh_info_receiver.276", "276_lfh_provider_level.276", "277_imsweb_x212.txt",
  "277_lfh_claim_level.277", "277_lfh_claim_level_ncpdp.277", "277_lfh_info_receiver.277",
  "277_lfh_provider_level.277" }

describe("status.read", function()
  it("reads every public sample without losing an element", function()
    for _, name in ipairs(SAMPLES) do
      local text = support.fixture(name)
      local sets, msg = status.read(text)
      assert.is_table(sets, name .. ": " .. tostring(msg))
      assert.same({}, support.missing(text, sets), name)
    end
  end)

  it("reads the claim-level 277 field by field", function()
    local sets = status.read(support.fixture("277_lfh_claim_level.277"))
    local set = sets[1]
    assert.equal("277", set.kind)
    assert.same({ structure = "0010", purpose = "08", reference = "277X212", date = "2005-09-16",
      time = "0810", transaction_type = "DG" }, set.header)
    local views = status.claims(sets)
    assert.equal(3, #views)
    local a = views[1]
    assert.equal("ABCXYZ1", a.claim_id)
    assert.equal("05347006051", a.payer_claim_number)
    assert.equal("SM123456", a.patient_control_number)
    assert.equal("HOME HOSPITAL", a.provider.name.last)
    assert.equal("XYZ SERVICE", a.receiver.name.last)
    assert.equal("ABC INSURANCE", a.payer.name.last)
    assert.same({
      trace = { type = "2", number = "ABCXYZ1" },
      statuses = { { date = "2005-09-13", charge = "8513.88", codes = { { category = "P3",
        category_meaning = "Pending/Provider Requested Information", code = "317" } } } },
      references = { { qualifier = "1K", value = "05347006051" },
        { qualifier = "BLT", value = "111" }, { qualifier = "EJ", value = "SM123456" } },
      dates = { { qualifier = "472", format = "RD8", from = "2005-08-31", to = "2005-09-06" } },
    }, a.claim)
    assert.same({ category = "F0", category_meaning = "Finalized", code = "3",
      code_meaning = "Claim has been adjudicated and is awaiting payment cycle." },
      views[2].status)
    assert.equal("7599.00", views[2].claim.statuses[1].paid)
    local c = views[3]
    assert.equal("dependent", c.patient.level)
    assert.same({ entity = "QC", entity_type = "1", last = "MANN", first = "JOSEPH" },
      c.patient.name)
    assert.equal("MANN", c.subscriber.name.last)
    assert.same({ {
      procedure = { qualifier = "HC", code = "99203", modifiers = {} },
      charge = "150.00", paid = "0.00", units = "1.00",
      statuses = { { date = "2005-06-12", codes = { { category = "F2",
        category_meaning = "Finalized/Denial", code = "88", entity = "QC" } } } },
      dates = { { qualifier = "472", format = "D8", date = "2005-05-01" } },
    } }, c.claim.lines)
  end)

  it("reads status at the receiver and provider levels", function()
    local sets = status.read(support.fixture("277_lfh_info_receiver.277"))
    local r = sets[1].payers[1].receivers[1]
    assert.same({ type = "2", number = "ABC276XXX" }, r.trace)
    assert.same({ { date = "2005-09-16", codes = { { category = "E0", code = "0",
      category_meaning = "Response not possible - error on submitted request data",
      code_meaning = "Cannot provide further status electronically." } } } }, r.statuses)
    assert.same({}, status.claims(sets))
    sets = status.read(support.fixture("277_lfh_provider_level.277"))
    local p = sets[1].payers[1].receivers[1].providers[2]
    assert.equal("0", p.trace.number)
    assert.same({ category = "E0", code = "24", entity = "85",
      category_meaning = "Response not possible - error on submitted request data" },
      p.statuses[1].codes[1])
  end)

  it("keeps the NCPDP composite with its empty third part", function()
    local sets = status.read(support.fixture("277_lfh_claim_level_ncpdp.277"))
    local v = status.claims(sets)[1]
    assert.same({ category = "F2", category_meaning = "Finalized/Denial", code = "80",
      code_list = "RX" }, v.status)
  end)

  it("reads the McKesson-style 277: a source loop per claim, free text", function()
    local sets = status.read(support.fixture("277_imsweb_x212.txt"))
    local views = status.claims(sets)
    assert.equal(8, #views)
    assert.equal(8, #sets[1].payers)
    local st = views[1].claim.statuses[1]
    assert.equal("PAYER ACKNOWLEDGED RECEIPT OF THE CLAIM", st.free_text)
    assert.equal("WQ", st.action)
    assert.equal("600.00", st.charge)
    assert.equal("Acknowledgement/Receipt", views[1].status.category_meaning)
  end)

  it("reads a 276 with its claim, amount and line", function()
    local views = status.claims(status.read(support.fixture("276_lfh_claim_level.276")))
    assert.equal(3, #views)
    assert.same({ { qualifier = "T3", amount = "8513.88" } }, views[1].claim.amounts)
    assert.equal("1930-12-10", views[1].subscriber.birth_date)
    assert.equal("M", views[1].subscriber.gender)
    assert.equal("1995-11-01", views[3].patient.birth_date)
    assert.same({ qualifier = "HC", code = "99203", modifiers = {} },
      views[3].claim.lines[1].procedure)
  end)

  it("prints readably", function()
    local text = tostring(status.read(support.fixture("277_lfh_claim_level.277")))
    assert.matches("claim ABCXYZ1 payer no%. 05347006051 2005%-08%-31%.%.2005%-09%-06", text)
    assert.matches("F2:88:QC Finalized/Denial on 2005%-06%-12, charge 150%.00, paid 0%.00", text)
  end)

  it("refuses what it does not model, naming the segment", function()
    local base = "ST*277*1*005010X212~BHT*0010*08*X*20260301*1200*DG~HL*1**20*1~"
      .. "NM1*PR*2*P*****PI*1~HL*2*1*21*1~NM1*41*2*R*****46*1~HL*3*2*19*1~"
      .. "NM1*1P*2*C*****XX*1~HL*4*3*22*0~NM1*IL*1*D****MI*1~TRN*2*C1~"
    local cases = {
      { base .. "STC*A1:20:85:X:Y*20260301~SE*13*1~", "STC01 has more than 4 components" },
      { base .. "EB*1~SE*13*1~", "segment 12 %(EB%)" },
      { base .. "STC*A1*2026~SE*13*1~", "STC02 is not a date" },
      { base:gsub("TRN%*2%*C1~", "") .. "STC*A1~SE*12*1~", "segment 11 %(STC%)" },
      { "ST*276*1*005010X212~BHT*0010*13*X*20260301*1200~HL*1**20*1~NM1*PR*2*P~"
        .. "HL*2*1*21*1~NM1*41*2*R~HL*3*2*19*1~NM1*1P*2*C~HL*4*3*22*0~NM1*IL*1*D~"
        .. "TRN*1*C1~STC*A1~SE*13*1~", "STC is not part of a 276" },
    }
    for _, c in ipairs(cases) do
      local sets, msg, id = status.read(c[1])
      assert.is_nil(sets, c[2])
      assert.matches(c[2], msg)
      assert.matches("^x12%.", id)
    end
    local sets, msg = status.read(support.fixture("271_lfh_subscriber.271"))
    assert.is_nil(sets)
    assert.matches("ST01 must be 276 or 277", msg)
  end)
end)
