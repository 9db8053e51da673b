-- 271 reader (core.inquiry_read through bhclaim.eligibility.read): the
-- public samples field by field, the error answer, malformed input.
-- SPDX-License-Identifier: MIT
local bhclaim = require("bhclaim")
package.path = "spec/?.lua;" .. package.path
local support = require("inquiry_support")
local elig = bhclaim.eligibility

local SAMPLES = { "270_lfh_dependent.270", "270_lfh_subscriber.270", "271_lfh_dependent.271",
  "271_lfh_error.271", "271_lfh_subscriber.271" }

local REPEATED = { "1", "33", "35", "47", "86", "88", "98", "AL", "MH", "UC" }

describe("eligibility.read", function()
  it("reads every public sample without losing an element", function()
    for _, name in ipairs(SAMPLES) do
      local text = support.fixture(name)
      local sets, msg = elig.read(text)
      assert.is_table(sets, name .. ": " .. tostring(msg))
      assert.same({}, support.missing(text, sets), name)
    end
  end)

  it("the loss check notices a dropped value", function()
    local text = support.fixture("271_lfh_subscriber.271")
    local sets = elig.read(text)
    sets[1].payers[1].receivers[1].subscribers[1].benefits[4].amount = nil
    assert.same({ "EB07=10.00" }, support.missing(text, sets))
  end)

  it("reads the subscriber 271 field by field", function()
    local sets = elig.read(support.fixture("271_lfh_subscriber.271"))
    assert.equal(1, #sets)
    local set = sets[1]
    assert.equal("271", set.kind)
    assert.equal("4321", set.set_control_number)
    assert.equal("005010X279A1", set.implementation)
    assert.same({ structure = "0022", purpose = "11", reference = "10001234",
      date = "2006-05-01", time = "1319" }, set.header)
    assert.same({ functional_id = "HB", sender = "000000005", receiver = "54321",
      date = "2013-10-31", time = "1147", control_number = "1", version = "005010X279A1" },
      set.group)
    assert.equal("000000907", set.interchange.control_number)
    local payer = set.payers[1]
    assert.same({ entity = "PR", entity_type = "2", last = "ABC COMPANY", id_qualifier = "PI",
      id = "841610001" }, payer.name)
    assert.equal("payer", payer.level)
    local receiver = payer.receivers[1]
    assert.same({ entity = "1P", entity_type = "2", last = "BONE AND JOIN CLINIC",
      id_qualifier = "SV", id = "2000035" }, receiver.name)
    assert.same({
      hl = "3", level = "subscriber", child_code = "0",
      traces = { { type = "2", number = "93175-012547", originator = "9877281234" } },
      name = { entity = "IL", entity_type = "1", last = "SMITH", first = "JOHN",
        id_qualifier = "MI", id = "123456789" },
      address = { line1 = "15197 BROADWAY AVENUE", line2 = "APT 215", city = "KANSAS CITY",
        state = "MO", zip = "64108" },
      birth_date = "1963-05-19", gender = "M",
      dates = { { qualifier = "346", format = "D8", date = "2006-01-01" } },
      benefits = {
        { kind = "1", kind_meaning = "Active Coverage", service_types = { "30" },
          plan = "GOLD 123 PLAN" },
        { kind = "L", kind_meaning = "Primary Care Provider",
          entities = { { entity = "P3", entity_type = "1", last = "JONES", first = "MARCUS",
            id_qualifier = "SV", id = "0202034" } } },
        { kind = "1", kind_meaning = "Active Coverage", service_types = REPEATED },
        { kind = "B", kind_meaning = "Co-Payment", service_types = REPEATED,
          insurance_type = "HM", plan = "GOLD 123 PLAN", time_period = "27",
          time_period_meaning = "Visit", amount = "10.00", in_network = "Y",
          in_network_meaning = "In network" },
        { kind = "B", kind_meaning = "Co-Payment", service_types = REPEATED,
          insurance_type = "HM", plan = "GOLD 123 PLAN", time_period = "27",
          time_period_meaning = "Visit", amount = "30.00", in_network = "N",
          in_network_meaning = "Out of network" },
      },
    }, receiver.subscribers[1])
  end)

  it("reads the dependent 271: INS, DTP and benefits on the dependent", function()
    local sets = elig.read(support.fixture("271_lfh_dependent.271"))
    local sub = sets[1].payers[1].receivers[1].subscribers[1]
    assert.is_nil(sub.benefits)
    assert.equal("1963-05-19", sub.birth_date)
    local dep = sub.dependents[1]
    assert.equal("dependent", dep.level)
    assert.same({ entity = "03", entity_type = "1", last = "SMITH", first = "MARY" }, dep.name)
    assert.same({ is_subscriber = "N", relationship = "19" }, dep.insured)
    assert.equal("1998-10-14", dep.birth_date)
    assert.equal("F", dep.gender)
    assert.equal(5, #dep.benefits)
    local members = elig.members(sets)
    assert.equal(1, #members)
    assert.equal("dependent", members[1].level)
    assert.equal(sub, members[1].subscriber)
    assert.equal("123456789", members[1].subscriber.name.id)
  end)

  it("reads the error 271: AAA with reject reason and follow-up, no member", function()
    local sets = elig.read(support.fixture("271_lfh_error.271"))
    local receiver = sets[1].payers[1].receivers[1]
    assert.same({ { valid = "Y", reason = "50",
      reason_meaning = "Provider Ineligible for Inquiries", follow_up = "N",
      follow_up_meaning = "Resubmission Not Allowed" } }, receiver.errors)
    assert.is_nil(receiver.subscribers)
    assert.same({}, elig.members(sets))
    assert.matches("AAA 50 Provider Ineligible for Inquiries", tostring(sets))
  end)

  it("reads the 2000A AAA that stands between HL and the payer's NM1", function()
    local text = support.envelope("ST*271*0001*005010X279A1~BHT*0022*11*X1*20260301*1200~"
      .. "HL*1**20*0~AAA*Y**42*R~NM1*PR*2*PAYER*****PI*P1~SE*6*0001~", "HB", "005010X279A1")
    local sets, msg = elig.read(text)
    assert.is_table(sets, msg)
    assert.same({ { valid = "Y", reason = "42",
      reason_meaning = "Unable to Respond at Current Time", follow_up = "R",
      follow_up_meaning = "Resubmission Allowed" } }, sets[1].payers[1].errors)
    assert.equal("PAYER", sets[1].payers[1].name.last)
  end)

  it("reads a 270: EQ service types and the inquiry date", function()
    local sets = elig.read(support.fixture("270_lfh_dependent.270"))
    local dep = sets[1].payers[1].receivers[1].subscribers[1].dependents[1]
    assert.equal("270", sets[1].kind)
    assert.same({ { service_types = { "30" } } }, dep.inquiries)
    assert.same({ { qualifier = "291", format = "D8", date = "2006-05-01" } }, dep.dates)
    assert.same({ { type = "1", number = "93175-012547", originator = "9877281234" } },
      dep.traces)
  end)

  it("prints readably", function()
    local text = tostring(elig.read(support.fixture("271_lfh_subscriber.271")))
    assert.matches("subscriber SMITH, JOHN %[MI 123456789%]", text)
    assert.matches("B  Co%-Payment %[1,33,35,47,86,88,98,AL,MH,UC%]", text)
    assert.matches("%$10.00 per Visit In network", text)
  end)

  it("finds the answer for a claim's member: by member id, a dependent by name too", function()
    local index = elig.index(elig.read(support.fixture("271_lfh_dependent.271")))
    local dep = elig.find(index, { member_id = "123456789" },
      { name = { last = "Smith", first = "Mary" } })
    assert.is_table(dep)
    assert.equal("dependent", dep.level)
    assert.equal(dep, elig.find(index, { member_id = "123456789" }, { name = "Mary Smith" }))
    assert.is_nil(elig.find(index, { member_id = "123456789" }), "no subscriber answer")
    assert.is_nil(elig.find(index, { member_id = "000" }))
    index = elig.index(elig.read(support.fixture("271_lfh_subscriber.271")))
    assert.equal("subscriber", elig.find(index, { member_id = "123456789" }).level)
  end)

  it("summarises a member: active, plan, dates", function()
    local members = elig.members(elig.read(support.fixture("271_lfh_subscriber.271")))
    local s = elig.summary(members[1])
    assert.is_true(s.active)
    assert.equal("GOLD 123 PLAN", s.plan)
    assert.equal("2006-01-01", s.from)
    assert.is_nil(s.to)
  end)

  it("keeps EB fields beyond the samples: percent, quantity, auth, POS, MSG, 2120", function()
    local text = support.envelope(table.concat({
      "ST*271*0001*005010X279A1~BHT*0022*11*X1*20260301*1200~",
      "HL*1**20*1~NM1*PR*2*PAYER*****PI*P1~HL*2*1*21*1~NM1*1P*2*CLINIC*****XX*1234567893~",
      "HL*3*2*22*0~NM1*IL*1*DOE*JANE****MI*M1~REF*6P*G123*GROUP NAME~DMG*D8*19800101*F~",
      "MPI*C*AO*A*ARMY*E5*RD8*20200101-20301231~",
      "DTP*346*D8*20260101~DTP*347*D8*20261231~",
      "EB*A*IND*A6^MH*HM*BH PLAN*23**0.2***Y*Y~",
      "EB*F**A6******VS*20*N~HSD*VS*20***23~",
      "EB*C*IND*MH***29*150~",
      "EB*U**MH~MSG*CALL BEHAVIORAL HEALTH VENDOR~III*ZZ*02~LS*2120~",
      "NM1*VN*2*MIND CARE*****PI*BH9~PER*IC**TE*8005551212~LE*2120~",
      "EB*I**A4~AAA*N**72*C~",
      "SE*24*0001~" }), "HB", "005010X279A1")
    local sets, msg = elig.read(text)
    assert.is_table(sets, msg)
    assert.same({}, support.missing(text, sets))
    local m = elig.members(sets)[1].member
    assert.same({ { qualifier = "6P", value = "G123", description = "GROUP NAME" } },
      m.references)
    local co = m.benefits[1]
    assert.equal("0.2", co.percent)
    assert.equal("Y", co.authorization_required)
    assert.equal("Authorization or certification required", co.authorization_required_meaning)
    assert.equal("Individual", co.coverage_level_meaning)
    assert.same({ "A6", "MH" }, co.service_types)
    local lim = m.benefits[2]
    assert.equal("VS", lim.quantity_qualifier)
    assert.equal("20", lim.quantity)
    assert.same({ { quantity_qualifier = "VS", quantity = "20", time_period = "23" } },
      lim.deliveries)
    local carve = m.benefits[4]
    assert.equal("Contact Following Entity for Eligibility or Benefit Information",
      carve.kind_meaning)
    assert.same({ "CALL BEHAVIORAL HEALTH VENDOR" }, carve.messages)
    assert.same({ { qualifier = "ZZ", code = "02" } }, carve.places_of_service)
    assert.equal("MIND CARE", carve.entities[1].last)
    assert.same({ { function_code = "IC", numbers = { { qualifier = "TE",
      value = "8005551212" } } } }, carve.entities[1].contacts)
    assert.equal("Invalid/Missing Subscriber/Insured ID", m.benefits[5].errors[1].reason_meaning)
    assert.same({ information_status = "C", employment_status = "AO", affiliation = "A",
      description = "ARMY", rank = "E5", date_format = "RD8", date = "20200101-20301231" },
      m.military)
    assert.equal("Remaining", m.benefits[3].time_period_meaning)
    assert.equal("150.00", m.benefits[3].amount)
    local s = elig.summary(elig.members(sets)[1])
    assert.equal("G123", s.group_number)
    assert.equal("2026-12-31", s.to)
  end)

  it("takes other separators and an ST without envelope", function()
    local text = support.fixture("271_lfh_subscriber.271")
    local sets = assert(elig.read(text))
    local other = text:gsub("%*", "|"):gsub("%^", "!")
    local sets2, msg = elig.read(other)
    assert.is_table(sets2, msg)
    assert.same(sets[1].payers, sets2[1].payers)
    -- Without an ISA there is no repetition separator: EB03 stays whole.
    local bare = text:match("(ST%*.-SE%*[^~]*~)")
    local sets3, msg3 = elig.read(bare)
    assert.is_table(sets3, msg3)
    local sub = sets3[1].payers[1].receivers[1].subscribers[1]
    assert.same(sets[1].payers[1].receivers[1].subscribers[1].name, sub.name)
    assert.same({ "1^33^35^47^86^88^98^AL^MH^UC" }, sub.benefits[3].service_types)
    assert.is_nil(sets3[1].interchange)
  end)

  it("refuses what it does not model, naming the segment", function()
    local base = "ST*271*1*005010X279A1~BHT*0022*11*X*20260301*1200~HL*1**20*1~NM1*PR*2*P*****PI*1~"
    local cases = {
      { base .. "XYZ*1~SE*5*1~", "segment 5 %(XYZ%)" },
      { base .. "HL*2*1*21*1~NM1*1P*2*C*****XX*1~HL*3*2*22*0~NM1*IL*1*D****MI*1~EQ*30~SE*9*1~",
        "segment 9 %(EQ%)" },
      { base .. "HL*2*1*21*1~NM1*1P*2*C*****XX*1~HL*3*2*22*0~NM1*IL*1*D****MI*1~EB*1*********"
        .. "*****X~SE*9*1~", "EB15" },
      { base .. "HL*2*9*21*1~SE*5*1~", "HL02 names no earlier HL" },
      { base .. "HL*2*1*21*1~NM1*1P*2*C*****XX*1~HL*3*2*22*0~NM1*IL*1*D****MI*1~EB*B*****"
        .. "*1X~SE*9*1~", "EB07 is not an amount" },
      { base, "ends before SE" },
      { "", "" },
    }
    for _, c in ipairs(cases) do
      local sets, msg, id = elig.read(c[1])
      assert.is_nil(sets, c[2])
      assert.matches(c[2], msg)
      assert.matches("^x12%.", id)
    end
  end)

  it("reads a 276 as not eligibility", function()
    local sets, msg = elig.read(support.fixture("276_lfh_claim_level.276"))
    assert.is_nil(sets)
    assert.matches("ST01 must be 270 or 271", msg)
  end)

  it("explains codes from its lists and nothing else", function()
    assert.equal("Psychotherapy", elig.meaning("service_type", "A6"))
    assert.equal("Mental Health", elig.meaning("service_type", "MH"))
    assert.equal("Psychiatric - Outpatient", elig.meaning("service_type", "A8"))
    assert.is_nil(elig.meaning("service_type", "ZZ"))
    assert.is_nil(elig.meaning("no_such_list", "1"))
    assert.has_error(function() elig.meaning(1, "1") end,
      "bad argument #1 to 'meaning' (string expected)")
  end)

  it("raises on a non-string", function()
    assert.has_error(function() elig.read(42) end,
      "bad argument #1 to 'read' (string expected, got number)")
  end)
end)
