-- Coverage rules (lua/bhclaim/coverage.lua) run by bhclaim.check when a
-- claim carries its 271 answer: each rule positive and negative, and the
-- patient's expected share.
-- SPDX-License-Identifier: MIT
local bhclaim = require("bhclaim")
package.path = "spec/?.lua;" .. package.path
local support = require("inquiry_support")
local elig, coverage = bhclaim.eligibility, bhclaim.coverage

-- A 271 for JANE DOE, member M1, born 1980-01-01, covered 2026-01-01 to
-- 2026-12-31, with the benefits given (EB segments with what follows).
local function answer(benefits, extra)
  local body = table.concat({
    "ST*271*0001*005010X279A1~BHT*0022*11*X1*20260301*1200~",
    "HL*1**20*1~NM1*PR*2*PAYER*****PI*P1~HL*2*1*21*1~NM1*1P*2*CLINIC*****XX*1234567893~",
    "HL*3*2*22*0~TRN*2*T1*1123456789~NM1*IL*1*DOE*JANE****MI*M1~", extra or "",
    "DMG*D8*19800101*F~DTP*356*D8*20260101~DTP*357*D8*20261231~",
    benefits, "SE*99*0001~" })
  local sets = assert(elig.read(support.envelope(body, "HB", "005010X279A1")))
  return elig.members(sets)[1]
end

local ACTIVE = "EB*1**30**GOLD PLAN~"

local function claim(fields)
  local c = bhclaim.decode(support.fixture("../../../examples/claims/clean_commercial.json"))
  c.id = "C1"
  c.subscriber = { name = { last = "Doe", first = "Jane" }, member_id = "M1",
    birth_date = "1980-01-01", sex = "F", relationship = "self" }
  c.patient = nil
  c.x_expect = nil
  for _, l in ipairs(c.lines) do l.date = "2026-02-16" end
  for k, v in pairs(fields or {}) do c[k] = v end
  return c
end

local function rules_of(report, prefix)
  local out = {}
  for _, f in ipairs(report.findings) do
    if f.rule:sub(1, #prefix) == prefix then out[#out + 1] = f end
  end
  return out
end

local function check(c, opts)
  opts = opts or {}
  opts.today = opts.today or "2026-03-01"
  return rules_of(assert(bhclaim.check(c, opts)), "coverage.")
end

describe("coverage rules", function()
  it("a clean claim with matching active coverage has no coverage finding", function()
    local c = claim({ coverage = answer(ACTIVE .. "EB*B**MH****15~") })
    assert.same({}, check(c))
    assert.same({}, coverage.findings(claim()), "no coverage, no finding")
  end)

  it("coverage.inactive: inactive answer, and a date outside the window", function()
    local f = check(claim({ coverage = answer("EB*6**30~") }))
    assert.equal(1, #f)
    assert.equal("coverage.inactive", f[1].rule)
    assert.equal("lines[1].date", f[1].path)
    assert.same({ group = "CO", carc = "27" }, f[1].denial)
    local c = claim({ coverage = answer(ACTIVE) })
    c.lines[1].date = "2025-12-31"
    f = check(c)
    assert.equal(1, #f)
    assert.equal("coverage.inactive", f[1].rule)
    assert.matches("outside the coverage the payer reports %(2026%-01%-01 to 2026%-12%-31%)",
      f[1].message)
    c.lines[1].date = "2026-12-31"
    assert.same({}, check(c), "the last covered day is covered")
  end)

  it("coverage.member: id, name, birth date, and AAA not found", function()
    local c = claim({ coverage = answer(ACTIVE) })
    c.subscriber.member_id = "M2"
    local f = check(c)
    assert.equal(1, #f)
    assert.equal("coverage.member", f[1].rule)
    assert.equal("subscriber.member_id", f[1].path)
    assert.equal("140", f[1].denial.carc)
    c = claim({ coverage = answer(ACTIVE) })
    c.subscriber.name = { last = "Doe-Smith", first = "Jane" }
    f = check(c)
    assert.equal("subscriber.name", f[1].path)
    c.subscriber.name = { last = "d'oe", first = "JANE " }
    assert.same({}, check(c), "names compare without case or punctuation")
    c.subscriber.name = "Jane Doe"
    assert.same({}, check(c), "a name given as one string")
    c = claim({ coverage = answer(ACTIVE) })
    c.subscriber.birth_date = "1980-01-02"
    f = check(c)
    assert.equal("subscriber.birth_date", f[1].path)
    assert.equal("31", f[1].denial.carc)
    c = claim({ coverage = answer("", "AAA*Y**75*C~") })
    f = check(c)
    assert.equal(1, #f)
    assert.matches("AAA 75 Subscriber/Insured Not Found", f[1].message)
  end)

  it("coverage.member compares the patient when the subscriber is someone else", function()
    local c = claim({ coverage = answer(ACTIVE) })
    c.subscriber.relationship = "child"
    c.patient = { name = { last = "Doe", first = "Jane" }, birth_date = "1980-01-01", sex = "F" }
    assert.same({}, check(c))
    c.patient.name.first = "Ann"
    local f = check(c)
    assert.equal("patient.name", f[1].path)
  end)

  it("coverage.service: non-covered service type, and a carve-out plan", function()
    local f = check(claim({ coverage = answer(ACTIVE .. "EB*I**A6~") }))
    assert.equal(1, #f)
    assert.equal("coverage.service", f[1].rule)
    assert.equal("204", f[1].denial.carc)
    assert.same({}, check(claim({ coverage = answer(ACTIVE .. "EB*I**A4~") })),
      "psychiatric evaluation not covered says nothing of group psychotherapy")
    local carve = "EB*U**MH~MSG*BEHAVIORAL HEALTH BY MIND CARE~LS*2120~"
      .. "NM1*VN*2*MIND CARE*****PI*BH9~LE*2120~"
    f = check(claim({ coverage = answer(ACTIVE .. carve) }))
    assert.equal(1, #f)
    assert.equal("109", f[1].denial.carc)
    assert.matches("MIND CARE", f[1].message)
    -- a repeated service-type list counts for each of its values
    f = check(claim({ coverage = answer(ACTIVE .. "EB*U**1^33^MH^UC~") }))
    assert.equal(1, #f)
    assert.equal("coverage.service", f[1].rule)
    -- the evaluation code maps to A4/A8
    local c = claim({ coverage = answer(ACTIVE .. "EB*I**A8~") })
    c.lines[1].code = "90791"
    assert.equal(1, #check(c))
  end)

  it("coverage.auth: EB11 Y and no authorization; none when the claim has one", function()
    local eb = ACTIVE .. "EB*B**A6****20.00****Y*Y~"
    local f = check(claim({ coverage = answer(eb) }))
    assert.equal(1, #f)
    assert.equal("coverage.auth", f[1].rule)
    assert.equal("prior_authorization", f[1].path)
    assert.equal("197", f[1].denial.carc)
    assert.same({}, check(claim({ coverage = answer(eb), prior_authorization = "AUTH1" })))
    assert.same({}, check(claim({ coverage = answer(ACTIVE .. "EB*B**A6****20.00****N*Y~") })))
  end)

  it("coverage.limit: visits past the remaining count among claims given together", function()
    local cov = answer(ACTIVE .. "EB*F**A6***29***VS*2~")
    local claims = {}
    for i, d in ipairs({ "2026-02-02", "2026-02-09", "2026-02-16" }) do
      local c = claim({ coverage = cov, id = "C" .. i })
      c.lines[1].date = d
      claims[i] = c
    end
    assert.same({}, check(claims[3]), "alone, one visit is within the two remaining")
    assert.same({}, check(claims[2], { together = claims }))
    local f = check(claims[3], { together = claims })
    assert.equal(1, #f)
    assert.equal("coverage.limit", f[1].rule)
    assert.equal("119", f[1].denial.carc)
    assert.matches("Visit 3 on 2026%-02%-16 is past the 2 visits the payer reports remaining",
      f[1].message)
    -- another member's claims do not count
    claims[1].subscriber = { name = { last = "Roe", first = "Al" }, member_id = "M9",
      birth_date = "1970-01-01", sex = "M", relationship = "self" }
    assert.same({}, rules_of(assert(bhclaim.check(claims[3], { today = "2026-03-01",
      together = claims, disable = { ["coverage.member"] = "other member" } })),
      "coverage.limit"))
  end)

  it("a disabled coverage rule is recorded, not reported", function()
    local r = assert(bhclaim.check(claim({ coverage = answer("EB*6**30~") }),
      { today = "2026-03-01", disable = { ["coverage.inactive"] = "verified by phone" } }))
    assert.same({}, rules_of(r, "coverage."))
    assert.equal(1, r.disabled[1].suppressed)
  end)

  it("works on a JSON claim carrying coverage", function()
    local c = claim({ coverage = answer("EB*6**30~") })
    local f = rules_of(assert(bhclaim.check(bhclaim.encode(c), { today = "2026-03-01" })),
      "coverage.")
    assert.equal(1, #f)
  end)

  it("maps procedures to service types", function()
    assert.same({ "30", "A6", "MH" }, coverage.service_types("90853"))
    assert.same({ "30", "A4", "A8", "MH" }, coverage.service_types("90792"))
    assert.is_nil(coverage.service_types("99213"))
  end)
end)

describe("coverage.responsibility", function()
  it("adds deductible remaining, co-insurance and co-payment", function()
    local cov = answer(ACTIVE .. "EB*C**MH***29*20~EB*A**MH*****0.2~EB*B**MH***27*10~"
      .. "EB*B**MH***27*40*****N~")
    local r = assert(coverage.responsibility(claim({ coverage = cov }), "120.00"))
    assert.same({ allowed = "120.00", copay = "10.00", coinsurance_percent = "0.2",
      deductible_remaining = "20.00", deductible = "20.00", coinsurance = "20.00",
      copays = "10.00", patient = "50.00", notes = {} }, r)
    r = assert(coverage.responsibility(claim({ coverage = cov }), "15.00"))
    assert.equal("15.00", r.patient, "never more than the allowed amount")
  end)

  it("says what it does not know", function()
    local r = assert(coverage.responsibility(claim({ coverage = answer("EB*C**MH***23*500~") })))
    assert.equal("0.00", r.patient)
    assert.matches("not the amount remaining", r.notes[1])
    assert.is_nil(coverage.responsibility(claim()))
  end)
end)

describe("coverage in a group session", function()
  it("a participant's coverage goes with its claim into session:check", function()
    local data = bhclaim.decode(support.fixture("../session_group.json"))
    local p = data.participants[1]
    -- a 271 for this participant whose coverage ended before the session
    local body = table.concat({
      "ST*271*0001*005010X279A1~BHT*0022*11*X1*20260301*1200~",
      "HL*1**20*1~NM1*PR*2*MEDICARE*****PI*04412~HL*2*1*21*1~",
      "NM1*1P*2*RIVERBEND*****XX*1234567893~HL*3*2*22*0~",
      "NM1*IL*1*QUILL*ARDEN****MI*7QK2TE5MK73~DMG*D8*19510914*M~",
      "DTP*356*D8*20250101~DTP*357*D8*20260331~EB*1**30~SE*11*0001~" })
    local sets = assert(elig.read(support.envelope(body, "HB", "005010X279A1")))
    p.coverage = elig.members(sets)[1]
    local report = assert(bhclaim.session(data)):check({ today = "2026-11-26" })
    local first = report.claims[1].report
    assert.equal(1, #rules_of(first, "coverage.inactive"))
    assert.same({}, rules_of(report.claims[2].report, "coverage."))
  end)
end)
