-- 270 and 276 writers: what we write reads back as what was asked, and
-- the envelope is refused as the 837P writer refuses it.
-- SPDX-License-Identifier: MIT
local bhclaim = require("bhclaim")
local elig, status = bhclaim.eligibility, bhclaim.status

local function envelope(extra)
  local e = { sender_id = "CLINIC01", receiver_id = "PAYER01", date = "2026-03-02",
    time = "0730", interchange_control = 12, group_control = 3, transaction_control = 7 }
  for k, v in pairs(extra or {}) do e[k] = v end
  return e
end

local PAYER = { name = "Blue Plan", id = "BP001" }
local PROVIDER = { name = "Riverbend Counseling LLC", id = "1234567893" }

local function inquiries()
  return {
    { payer = PAYER, provider = PROVIDER,
      subscriber = { last = "Albright", first = "Nora", member_id = "XK12345",
        birth_date = "1948-02-11", gender = "F" },
      trace = { number = "T-1", originator = "1123456789" }, date = "2026-03-02",
      service_types = { "MH", "A6", "A4", "A8", "30" } },
    { payer = PAYER, provider = PROVIDER,
      subscriber = { last = "Baker", first = "Tom", member_id = "XK99" },
      dependent = { last = "Baker", first = "Ann", birth_date = "2010-05-05", gender = "F" },
      trace = { number = "T-2", originator = "1123456789" }, from = "2026-03-01",
      to = "2026-03-31" },
    { payer = { name = "Other Plan", id = "OP7" }, provider = { last = "Doe", first = "Jane",
      id = "1245319599" },
      subscriber = { last = "o'neil  \195\169", first = "Sam\tJr", member_id = "Z1" },
      trace = { number = "T-3", originator = "1123456789" }, date = "2026-03-02" },
  }
end

describe("eligibility.request (270)", function()
  it("round trips: the 270 reads back as what was asked", function()
    local text, msg = elig.request(inquiries(), envelope())
    assert.is_string(text, msg)
    local sets = assert(elig.read(text))
    assert.equal(1, #sets)
    local set = sets[1]
    assert.equal("270", set.kind)
    assert.equal("0007", set.set_control_number)
    assert.equal("005010X279A1", set.implementation)
    assert.same({ structure = "0022", purpose = "13", reference = "7", date = "2026-03-02",
      time = "0730" }, set.header)
    assert.equal(2, #set.payers)
    local p1 = set.payers[1]
    assert.same({ entity = "PR", entity_type = "2", last = "BLUE PLAN", id_qualifier = "PI",
      id = "BP001" }, p1.name)
    assert.equal(1, #p1.receivers, "the same provider shares one 2000B")
    local r = p1.receivers[1]
    assert.same({ entity = "1P", entity_type = "2", last = "RIVERBEND COUNSELING LLC",
      id_qualifier = "XX", id = "1234567893" }, r.name)
    local s1 = r.subscribers[1]
    assert.same({ entity = "IL", entity_type = "1", last = "ALBRIGHT", first = "NORA",
      id_qualifier = "MI", id = "XK12345" }, s1.name)
    assert.equal("1948-02-11", s1.birth_date)
    assert.equal("F", s1.gender)
    assert.same({ { type = "1", number = "T-1", originator = "1123456789" } }, s1.traces)
    assert.same({ { qualifier = "291", format = "D8", date = "2026-03-02" } }, s1.dates)
    assert.same({ { service_types = { "MH", "A6", "A4", "A8", "30" } } }, s1.inquiries)
    local s2 = r.subscribers[2]
    assert.equal("XK99", s2.name.id)
    local d = s2.dependents[1]
    assert.same({ entity = "03", entity_type = "1", last = "BAKER", first = "ANN" }, d.name)
    assert.same({ { qualifier = "291", format = "RD8", from = "2026-03-01", to = "2026-03-31" } },
      d.dates)
    assert.same({ { service_types = { "30" } } }, d.inquiries, "30 when none is asked")
    local s3 = set.payers[2].receivers[1].subscribers[1]
    assert.equal("O'NEIL E", s3.name.last, "names fold as the 837P's do, never drop")
    assert.equal("SAM JR", s3.name.first)
    assert.same({ entity = "1P", entity_type = "1", last = "DOE", first = "JANE",
      id_qualifier = "XX", id = "1245319599" }, set.payers[2].receivers[1].name)
  end)

  it("writes the envelope as the 837P writer does", function()
    local text = assert(elig.request(inquiries(), envelope({ usage = "P",
      element_sep = "|", segment_term = "~", newlines = false })))
    assert.equal("ISA|00|          |00|          |ZZ|CLINIC01       |ZZ|PAYER01        |260302"
      .. "|0730|^|00501|000000012|0|P|:~GS|HS|CLINIC01|PAYER01|20260302|0730|3|X|005010X279A1~",
      text:sub(1, 106 + 54))
    assert.matches("SE|%d+|0007~GE|1|3~IEA|1|000000012~$", text)
    assert.is_table(elig.read(text))
  end)

  it("refuses, naming the item and field", function()
    local cases = {
      { function(i) i[1].subscriber.member_id = "X*1" end, "item 1: subscriber.member_id" },
      { function(i) i[2].trace = nil end, "item 2: trace is missing" },
      { function(i) i[1].date = "2026-02-30" end, "item 1: date is not a date" },
      { function(i) i[1].service_types = { "MHX" } end, "item 1: service_types%[1%]" },
      { function(i) i[3].payer = nil end, "item 3: payer is missing" },
      { function(i) i[1].subscriber.last = nil end, "item 1: subscriber.last is missing" },
      { function(i) i[1].subscriber.member_id = 12 end, "must be a string" },
      { function(i) i[1].subscriber.last = "Snow\226\152\131man" end,
        "item 1: subscriber.last holds a character %(byte 5%) that X12 cannot carry" },
      { function(i) i[1].subscriber.first = string.rep("A", 36) end,
        "item 1: subscriber.first is longer than the element's 35 characters" },
    }
    for _, c in ipairs(cases) do
      local items = inquiries()
      c[1](items)
      local text, msg, id = elig.request(items, envelope())
      assert.is_nil(text, c[2])
      assert.matches(c[2], msg)
      assert.equal("x12.write", id)
    end
    local text, msg = elig.request(inquiries(), envelope({ sender_id = "" }))
    assert.is_nil(text)
    assert.matches("^options: sender_id", msg)
    text, msg = elig.request(inquiries(), envelope({ version = "005010X222A1" }))
    assert.is_nil(text)
    assert.matches("version must be 005010X279A1", msg)
    text, msg = elig.request(inquiries(), envelope({ date = "2026-13-01" }))
    assert.is_nil(text)
    assert.matches("date is missing", msg)
    text, msg = elig.request({}, envelope())
    assert.is_nil(text)
    assert.matches("non%-empty list", msg)
  end)

  it("raises on misuse", function()
    assert.has_error(function() elig.request("x", {}) end,
      "bad argument #1 to 'request' (table expected, got string)")
    assert.has_error(function() elig.request({}, nil) end,
      "bad argument #2 to 'request' (table expected, got nil)")
  end)
end)

describe("status.request (276)", function()
  local function claims()
    return {
      { payer = PAYER, receiver = { name = "Riverbend", id = "ETIN1" }, provider = PROVIDER,
        subscriber = { last = "Albright", first = "Nora", member_id = "XK12345",
          birth_date = "1948-02-11", gender = "F" },
        claim = { trace = { number = "CLM-1" }, patient_control_number = "CLM-1",
          payer_claim_number = "PCN77", charge = "45.00", date = "2026-02-16",
          lines = { { code = "90853", modifiers = { "95", "HQ" }, charge = "45.00", units = "1",
            control_number = "L1", date = "2026-02-16" } } } },
      { payer = PAYER, receiver = { name = "Riverbend", id = "ETIN1" }, provider = PROVIDER,
        subscriber = { last = "Baker", first = "Tom", member_id = "XK99" },
        dependent = { last = "Baker", first = "Ann", birth_date = "2010-05-05", gender = "F" },
        claim = { trace = { number = "CLM-2" }, patient_control_number = "CLM-2",
          charge = "90.50", from = "2026-02-01", to = "2026-02-28" } },
    }
  end

  it("round trips: the 276 reads back as what was asked", function()
    local text, msg = status.request(claims(), envelope())
    assert.is_string(text, msg)
    local sets = assert(status.read(text))
    assert.equal("276", sets[1].kind)
    assert.equal("005010X212", sets[1].implementation)
    local views = status.claims(sets)
    assert.equal(2, #views)
    local v = views[1]
    assert.equal("CLM-1", v.claim_id)
    assert.equal("PCN77", v.payer_claim_number)
    assert.equal("CLM-1", v.patient_control_number)
    assert.same({ entity = "IL", entity_type = "1", last = "ALBRIGHT", first = "NORA",
      id_qualifier = "MI", id = "XK12345" }, v.subscriber.name)
    assert.equal("1948-02-11", v.subscriber.birth_date)
    assert.same({ entity = "41", entity_type = "2", last = "RIVERBEND", id_qualifier = "46",
      id = "ETIN1" }, v.receiver.name)
    assert.equal("1234567893", v.provider.name.id)
    assert.same({ { qualifier = "T3", amount = "45.00" } }, v.claim.amounts)
    assert.same({ { qualifier = "472", format = "D8", date = "2026-02-16" } }, v.claim.dates)
    assert.same({ {
      procedure = { qualifier = "HC", code = "90853", modifiers = { "95", "HQ" } },
      charge = "45.00", units = "1",
      references = { { qualifier = "FJ", value = "L1" } },
      dates = { { qualifier = "472", format = "D8", date = "2026-02-16" } },
    } }, v.claim.lines)
    local w = views[2]
    assert.equal("dependent", w.patient.level)
    assert.same({ entity = "QC", entity_type = "1", last = "BAKER", first = "ANN" },
      w.patient.name)
    assert.equal("2010-05-05", w.patient.birth_date)
    assert.same({ { qualifier = "T3", amount = "90.50" } }, w.claim.amounts)
    assert.same({ { qualifier = "472", format = "RD8", from = "2026-02-01", to = "2026-02-28" } },
      w.claim.dates)
    assert.equal(1, #sets[1].payers[1].receivers[1].providers, "one 2000C for one provider")
  end)

  it("refuses a bad line, naming it", function()
    local c = claims()
    c[1].claim.lines[1].modifiers = { "95", "HQ", "GT", "59", "XU" }
    local text, msg = status.request(c, envelope())
    assert.is_nil(text)
    assert.matches("item 1: claim.lines%[1%].modifiers", msg)
    c = claims()
    c[2].claim.charge = "12.345"
    text, msg = status.request(c, envelope())
    assert.is_nil(text)
    assert.matches("item 2: claim.charge is not an amount", msg)
  end)
end)
