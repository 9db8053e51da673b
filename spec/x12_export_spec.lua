-- x12_export_spec.lua: what bhclaim writes as 837P is exactly what the claim
-- says, or the claim is refused with its reason; check announces the same
-- thing first (x12.* rules, claim.schema, claim.total).
local bhclaim = require("bhclaim")
local support = require("spec.support")
local base_claim, check = support.base_claim, support.check

local ENVELOPE = dofile("examples/envelope.lua")
ENVELOPE.date = support.TODAY
ENVELOPE.check = { today = support.TODAY }

local function unchecked()
  local e = support.deep_copy(ENVELOPE)
  e.unchecked = true
  return e
end

local function rules_of(report, severity)
  local out = {}
  for _, f in ipairs(report.findings) do
    if f.severity == severity then out[#out + 1] = f.rule .. " " .. f.path end
  end
  table.sort(out)
  return out
end

local function has(report, rule, path)
  for _, f in ipairs(report.findings) do
    if f.rule == rule and f.path == path then return true end
  end
  return false
end

local function segment(text, prefix)
  for seg in text:gmatch("[^~\n]+") do
    if seg:sub(1, #prefix) == prefix then return seg end
  end
  return nil
end

local function count(text, pattern)
  local n = 0
  for _ in text:gmatch(pattern) do n = n + 1 end
  return n
end

describe("837P export: limits are refused, never cut", function()
  local cases = {
    { "51 lines", "lines", function(c)
      for i = 2, 51 do c.lines[i] = support.deep_copy(c.lines[1]) end
    end },
    { "5 modifiers", "lines[1].modifiers", function(c)
      c.lines[1].modifiers = { "HQ", "GT", "95", "59", "25" }
    end },
    { "13 diagnoses", "diagnoses", function(c)
      c.diagnoses = { "F33.1", "F41.1", "F43.10", "F32.A", "F40.10", "F42.2", "F43.22",
        "F43.21", "F34.1", "F41.0", "F50.00", "F51.01", "F60.3" }
    end },
    { "5 pointers", "lines[1].dx_pointers", function(c)
      c.diagnoses = { "F33.1", "F41.1", "F43.10", "F32.A", "F40.10" }
      c.lines[1].dx_pointers = { 1, 2, 3, 4, 5 }
    end },
  }
  for _, case in ipairs(cases) do
    local what, path, mutate = case[1], case[2], case[3]
    it("refuses " .. what .. " even unchecked, and check says so first", function()
      local claim = base_claim()
      mutate(claim)
      local report = check(claim)
      assert.is_true(has(report, "claim.schema", path), path)
      local text, msg, id = bhclaim.x12.write({ claim }, unchecked())
      assert.is_nil(text)
      assert.are.equal("x12.claim", id)
      assert.truthy(msg:find(path, 1, true), msg)
      assert.truthy(msg:find("at most", 1, true), msg)
      text, msg, id = bhclaim.x12.write({ claim }, ENVELOPE)
      assert.is_nil(text)
      assert.are.equal("x12.check", id)
      assert.truthy(msg:find("claim.schema", 1, true), msg)
    end)
  end

  it("refuses a stated total that is not the sum of the lines", function()
    local claim = base_claim()
    claim.total_charge = "50.00"
    assert.are.same({ "claim.total total_charge" }, rules_of(check(claim), "error"))
    local text, msg = bhclaim.x12.write({ claim }, unchecked())
    assert.is_nil(text)
    assert.truthy(msg:find("total_charge", 1, true), msg)
  end)
end)

describe("837P export: text is folded by the table, or refused", function()
  it("folds accents, warns with the folded spelling, and writes that spelling", function()
    local claim = base_claim()
    claim.subscriber.name = { last = "Muñoz Peña", first = "José", middle = "Zoë" }
    claim.subscriber.address.line1 = "12 Rue de l’Église"
    local report = check(claim)
    assert.is_true(report.ok)
    assert.are.same({ "x12.text subscriber.address.line1", "x12.text subscriber.name.first",
      "x12.text subscriber.name.last", "x12.text subscriber.name.middle" },
      rules_of(report, "warning"))
    local last = report:by_rule("x12.text")
    local said = {}
    for _, f in ipairs(last) do said[#said + 1] = f.message end
    assert.truthy(table.concat(said, " "):find('"MUNOZ PENA"', 1, true))
    local text = assert(bhclaim.x12.write({ claim }, ENVELOPE))
    assert.are.equal("NM1*IL*1*MUNOZ PENA*JOSE*ZOE***MI*1EG4TE5MK72", segment(text, "NM1*IL"))
    assert.are.equal("N3*12 RUE DE L'EGLISE", segment(text, "N3*12 RUE"))
  end)

  it("keeps a one-letter accented first name and spells out ß, Ø, Æ", function()
    local claim = base_claim()
    claim.subscriber.name = { last = "Strauß-Ørsted", first = "É", suffix = "Æ" }
    local text = assert(bhclaim.x12.write({ claim }, ENVELOPE))
    assert.are.equal("NM1*IL*1*STRAUSS-ORSTED*E***AE*MI*1EG4TE5MK72", segment(text, "NM1*IL"))
  end)

  it("puts a space for a separator inside text, and says so", function()
    local claim = base_claim()
    claim.subscriber.address.line1 = "48 Elm St*Apt 2~B"
    local report = check(claim)
    assert.is_true(has(report, "x12.text", "subscriber.address.line1"))
    local text = assert(bhclaim.x12.write({ claim }, ENVELOPE))
    assert.truthy(text:find("\nN3*48 ELM ST APT 2 B~", 1, true))
  end)

  it("refuses a character with no folding, and text too long for its element", function()
    local claim = base_claim()
    claim.subscriber.name.last = "王"
    assert.are.same({ "x12.text subscriber.name.last" }, rules_of(check(claim), "error"))
    local text, msg = bhclaim.x12.write({ claim }, unchecked())
    assert.is_nil(text)
    assert.truthy(msg:find("subscriber.name.last", 1, true), msg)
    claim = base_claim()
    claim.subscriber.address.line1 = string.rep("A", 56)
    assert.are.same({ "x12.text subscriber.address.line1" }, rules_of(check(claim), "error"))
    text, msg = bhclaim.x12.write({ claim }, unchecked())
    assert.is_nil(text)
    assert.truthy(msg:find("55 characters", 1, true), msg)
    claim = base_claim()
    claim.note = string.rep("n", 81)
    assert.are.same({ "x12.text note" }, rules_of(check(claim), "error"))
    claim.note = string.rep("n", 80)
    text = assert(bhclaim.x12.write({ claim }, ENVELOPE))
    assert.are.equal("NTE*ADD*" .. string.rep("n", 80), segment(text, "NTE"))
  end)
end)

describe("837P export: the guide's rules", function()
  it("requires the subscriber's address when the subscriber is the patient", function()
    local claim = base_claim()
    claim.subscriber.address = nil
    assert.are.same({ "x12.address subscriber.address" }, rules_of(check(claim), "error"))
    local text, msg = bhclaim.x12.write({ claim }, unchecked())
    assert.is_nil(text)
    assert.truthy(msg:find("subscriber.address", 1, true), msg)
  end)

  it("requires the patient's address when the patient is not the subscriber", function()
    local claim = base_claim()
    claim.subscriber.relationship = "child"
    claim.patient = { name = { last = "Roe", first = "Alex" }, birth_date = "2012-05-14",
      sex = "M" }
    assert.are.same({ "x12.address patient.address" }, rules_of(check(claim), "error"))
  end)

  it("requires a 9-digit billing ZIP, real states and 5- or 9-digit ZIPs", function()
    local claim = base_claim()
    claim.billing_provider.address.zip = "43215"
    claim.subscriber.address.state = "oh"
    claim.subscriber.address.zip = "4321"
    assert.are.same({ "x12.state subscriber.address.state",
      "x12.zip billing_provider.address.zip", "x12.zip subscriber.address.zip" },
      rules_of(check(claim), "error"))
    assert.is_nil((bhclaim.x12.write({ claim }, unchecked())))
  end)

  it("writes REF*F8 for a replacement and refuses one without it", function()
    local claim = base_claim()
    claim.frequency = "7"
    assert.are.same({ "x12.frequency payer_claim_number" }, rules_of(check(claim), "error"))
    assert.is_nil((bhclaim.x12.write({ claim }, unchecked())))
    claim.payer_claim_number = "PAYER-9981"
    local text = assert(bhclaim.x12.write({ claim }, ENVELOPE))
    assert.are.equal("REF*F8*PAYER-9981", segment(text, "REF*F8"))
    local back = assert(bhclaim.x12.read(text))
    assert.are.equal("PAYER-9981", back[1].payer_claim_number)
    assert.are.equal("7", back[1].frequency)
    claim.frequency = "6"
    assert.are.same({ "x12.frequency frequency" }, rules_of(check(claim), "error"))
  end)

  it("refuses lower-case codes rather than changing them", function()
    local claim = base_claim()
    claim.lines[1].modifiers = { "hq" }
    claim.diagnoses[2] = "f41.1"
    local errors = rules_of(check(claim), "error")
    assert.truthy(table.concat(errors, ","):find("x12.case lines[1].modifiers[1]", 1, true))
    assert.truthy(table.concat(errors, ","):find("x12.case diagnoses[2]", 1, true))
    local text, msg = bhclaim.x12.write({ claim }, unchecked())
    assert.is_nil(text)
    assert.truthy(msg:find("diagnoses[2]", 1, true), msg)
  end)

  it("starts another subscriber HL after 100 claims", function()
    local claims = {}
    for i = 1, 201 do
      local c = base_claim()
      c.id = "CLM-" .. i
      claims[i] = c
    end
    local text = assert(bhclaim.x12.write(claims, unchecked()))
    assert.are.equal(3, count(text, "\nHL%*%d+%*1%*22%*"))
    assert.are.equal(201, count(text, "\nCLM%*"))
    assert.are.equal(201, #assert(bhclaim.x12.read(text)))
  end)

  it("refuses envelope values the guide does not allow, naming the field", function()
    local claim = base_claim()
    for _, case in ipairs({
      { "sender_id", string.rep("S", 16), "sender_id" },
      { "app_receiver", "R", "GS03" },
      { "usage", "X", "usage" },
      { "interchange_control", 1000000000, "control numbers" },
    }) do
      local env = unchecked()
      env[case[1]] = case[2]
      local text, msg = bhclaim.x12.write({ claim }, env)
      assert.is_nil(text)
      assert.truthy(msg:find(case[3], 1, true), msg)
    end
  end)
end)

describe("837P export: the fields remittance matching and secondary billing need", function()
  local function full_claim()
    local c = base_claim()
    c.payer.responsibility = "S"
    c.payer.filing_code = "VA"
    c.payer.group_number = "GRP-7781"
    c.payer.group_name = "Acme Staff Plan"
    c.other_payers = { { responsibility = "P", relationship = "18", filing_code = "MB",
      paid = "36.00", subscriber = { name = { last = "Roe", first = "Sam" },
        member_id = "1EG4TE5MK72" }, payer = { name = "Medicare Part B", id = "04412" } } }
    c.billing_provider.pay_to_address = { line1 = "PO Box 77", city = "Columbus", state = "OH",
      zip = "43216" }
    c.referring_provider = { name = { last = "Kim", first = "Ada" }, npi = "1245319599" }
    c.service_facility = { name = "Riverbend Annex", npi = "1234567893",
      address = { line1 = "9 Annex Rd", city = "Columbus", state = "OH", zip = "43215" } }
    c.provider_signature, c.assignment, c.benefits_assignment = "Y", "C", "N"
    c.release_of_information, c.patient_signature_source = "I", "P"
    c.lines[1].date_end = "2026-03-04"
    c.lines[1].control_number = "LN-0001"
    c.lines[1].rendering_provider = { name = { last = "Doe", first = "Jane" },
      npi = "1245319599", taxonomy = "1041C0700X" }
    local l2 = support.deep_copy(c.lines[1])
    l2.code, l2.unit_type, l2.units = "90785", "MJ", 30
    l2.control_number, l2.date_end, l2.rendering_provider = nil, nil, nil
    c.lines[2] = l2
    c.total_charge = nil
    return c
  end

  it("writes SBR01/03/04/09 as given, 2010AB, 2310A, 2310C, CLM06-10, RD8, MJ, REF*6R, 2420A",
    function()
      local text = assert(bhclaim.x12.write({ full_claim() }, unchecked()))
      for _, want in ipairs({ "SBR*S*18*GRP-7781*ACME STAFF PLAN*****VA", "NM1*87*2",
        "N3*PO BOX 77", "NM1*DN*1*KIM*ADA****XX*1245319599",
        "NM1*77*2*RIVERBEND ANNEX*****XX*1234567893", "N3*9 ANNEX RD",
        "CLM*CLM-2026-0001*90***11:B:1*Y*C*N*I*P", "DTP*472*RD8*20260302-20260304",
        "REF*6R*LN-0001", "SV1*HC:90785*45*MJ*30***1:2", "REF*6R*CLM-2026-0001-2",
        "NM1*82*1*DOE*JANE****XX*1245319599" }) do
        assert.is_truthy(text:find("\n" .. want .. "~", 1, true), want)
      end
    end)

  it("reads every one of them back as it was written", function()
    local c = full_claim()
    local text = assert(bhclaim.x12.write({ c }, unchecked()))
    local back = assert(bhclaim.x12.read(text))[1]
    assert.are.same(
      { "S", "VA", "GRP-7781", "ACME STAFF PLAN" },
      { back.payer.responsibility, back.payer.filing_code, back.payer.group_number,
        back.payer.group_name })
    assert.are.equal("PO BOX 77", back.billing_provider.pay_to_address.line1)
    assert.are.equal("1245319599", back.referring_provider.npi)
    assert.are.equal("RIVERBEND ANNEX", back.service_facility.name)
    assert.are.equal("9 ANNEX RD", back.service_facility.address.line1)
    assert.are.same({ "Y", "C", "N", "I", "P" }, { back.provider_signature, back.assignment,
      back.benefits_assignment, back.release_of_information, back.patient_signature_source })
    assert.are.equal("2026-03-04", back.lines[1].date_end)
    assert.are.equal("LN-0001", back.lines[1].control_number)
    assert.are.equal("1041C0700X", back.lines[1].rendering_provider.taxonomy)
    assert.are.equal("MJ", back.lines[2].unit_type)
    assert.are.equal(30, back.lines[2].units)
    assert.are.equal("CLM-2026-0001-2", back.lines[2].control_number)
    assert.is_nil(back.lines[2].rendering_provider)
    assert.are.equal(text, bhclaim.x12.write({ back }, unchecked()))
  end)

  it("refuses COB that does not add up, and check says so", function()
    local c = full_claim()
    c.other_payers = nil
    assert.are.same({ "x12.cob other_payers" }, rules_of(check(c), "error"))
    assert.is_nil((bhclaim.x12.write({ c }, unchecked())))
    c = full_claim()
    c.lines[1].adjudications = { { payer_id = "04412", paid = "36.00", code = "90853",
      date = "2026-11-01", adjustments = { { group = "PR", reason = "2", amount = "9.00" } } } }
    assert.are.same({}, rules_of(check(c), "error"))
    assert.is_string((bhclaim.x12.write({ c }, unchecked())))
    c.lines[1].adjudications[1].paid = "30.00"
    assert.are.same({ "x12.cob lines[1].adjudications[1]" }, rules_of(check(c), "error"))
    c.lines[1].adjudications[1].paid = "36.00"
    c.lines[1].adjudications[1].payer_id = "99999"
    assert.are.same({ "x12.cob lines[1].adjudications[1].payer_id" }, rules_of(check(c), "error"))
    assert.is_nil((bhclaim.x12.write({ c }, unchecked())))
  end)

  it("refuses codes outside their lists", function()
    for _, mutate in ipairs({
      function(c) c.payer.responsibility = "X" end,
      function(c) c.payer.filing_code = "QQ" end,
      function(c) c.lines[1].unit_type = "HR" end,
      function(c) c.assignment = "Z" end,
    }) do
      local c = full_claim()
      mutate(c)
      assert.is_nil((bhclaim.x12.write({ c }, unchecked())))
      assert.are.equal(1, #check(c):by_rule("x12.code"))
    end
  end)
end)

describe("837P export: 2300 dates and references", function()
  it("writes them in the guide's order and reads them back", function()
    local c = base_claim()
    c.prior_authorization = "PA-1"
    c.claim_references = { { qualifier = "EA", value = "MRN-77" },
      { qualifier = "D9", value = "TRACE-1" }, { qualifier = "9F", value = "REF-9" } }
    c.claim_dates = { { qualifier = "304", date = "2026-02-01" },
      { qualifier = "431", date = "2026-01-05", date_end = "2026-01-09" } }
    local text = assert(bhclaim.x12.write({ c }, ENVELOPE))
    local from = text:find("\nCLM%*")
    local order = {}
    for seg in text:sub(from):gmatch("\n((%u%w%w?)%*[^~]*)~") do
      if seg:match("^REF") or seg:match("^DTP%*[34]") then order[#order + 1] = seg end
      if seg:match("^HI") then break end
    end
    assert.are.same({ "DTP*431*RD8*20260105-20260109", "DTP*304*D8*20260201", "REF*9F*REF-9",
      "REF*G1*PA-1", "REF*D9*TRACE-1", "REF*EA*MRN-77" }, order)
    local back = assert(bhclaim.x12.read(text))[1]
    assert.are.equal(3, #back.claim_references)
    assert.are.equal("2026-01-09", back.claim_dates[1].date_end)
  end)

  it("refuses a qualifier the 2300 loop does not have, and check says so", function()
    local c = base_claim()
    c.claim_references = { { qualifier = "G1", value = "PA-2" } }
    assert.are.equal(1, #check(c):by_rule("x12.code"))
    local text, msg = bhclaim.x12.write({ c }, unchecked())
    assert.is_nil(text)
    assert.truthy(msg:find("claim_references[1].qualifier", 1, true), msg)
  end)
end)
