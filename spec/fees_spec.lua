-- Specs for expected allowed amounts (bhclaim.fees): the Medicare PFS
-- worked figures of rules-reference 5.3, locality GPCIs from a fixture in
-- CMS's GPCI file layout, practitioner reductions, payer CSV schedules.
local fees = require("bhclaim").fees
local read_file = require("spec.support").read_file

local function factor(factors, name)
  for _, f in ipairs(factors) do
    if f.name == name then return f end
  end
  return nil
end

local function medicare(code, pos, extra)
  local q = { code = code, date = "2026-03-02", place_of_service = pos }
  for k, v in pairs(extra or {}) do q[k] = v end
  return fees.expected(q)
end

describe("bhclaim.fees: Medicare PFS CY2026", function()
  it("reproduces the reference's worked national amounts", function()
    assert.are.equal("30.39", (medicare("90853", "11")))
    assert.are.equal("24.38", (medicare("90853", "02")))
    assert.are.equal("14.70", (medicare("90785", "10")))
    assert.are.equal("11.69", (medicare("90785", "02")))
    assert.are.equal("30.55", (medicare("90853", "11", { qualifying_apm = true })))
    assert.are.equal("24.50", (medicare("90853", "02", { qualifying_apm = true })))
  end)

  it("names every factor that made the amount", function()
    local amount, factors = medicare("90853", "02")
    assert.are.equal("24.38", amount)
    assert.are.equal("0.67", factor(factors, "work RVU").value)
    assert.are.equal("0.05", factor(factors, "PE RVU (facility)").value)
    assert.are.equal("0.01", factor(factors, "MP RVU").value)
    assert.are.equal("1.000", factor(factors, "PE GPCI").value)
    assert.are.equal("33.4009", factor(factors, "conversion factor").value)
    assert.are.equal("facility", factor(factors, "setting").value)
    assert.is_true(factor(factors, "setting").confirmed)
    assert.are.equal("100%", factor(factors, "practitioner").value)
    assert.is_truthy(factor(factors, "fee schedule").source:find("PPRRVU2026", 1, true))
    assert.is_truthy(fees.factors_text(factors):find("work RVU 0.67", 1, true))
  end)

  it("marks a place of service whose setting no source settles", function()
    local amount, factors = medicare("90853", "53")
    assert.are.equal("24.38", amount)
    local s = factor(factors, "setting")
    assert.is_false(s.confirmed)
    assert.is_truthy(s.note:find("UNCONFIRMED", 1, true))
    local none, why = medicare("90853", "98")
    assert.is_nil(none)
    assert.are.equal("place of service 98 has no facility/non-facility setting", why)
  end)

  it("multiplies by units and pays MFT/MHC 75% of the psychologist amount", function()
    assert.are.equal("60.78", (medicare("90853", "11", { units = 2 })))
    assert.are.equal("22.79", (medicare("90853", "11", { credential = "LMFT" })))
    assert.are.equal("22.79", (medicare("90853", "11", { credential = "L.P.C." })))
    assert.are.equal("30.39", (medicare("90853", "11", { credential = "PsyD" })))
    local amount, factors = medicare("90853", "11", { credential = "MHC" })
    assert.are.equal("22.79", amount)
    assert.are.equal("75%", factor(factors, "practitioner").value)
    assert.are.equal(fees.PRACTITIONER_SOURCE, factor(factors, "practitioner").source)
  end)

  it("answers nil and a reason where no data settles the amount", function()
    local a, why = medicare("90853", "11", { credential = "LCSW" })
    assert.is_nil(a)
    assert.is_truthy(why:find("credential LCSW: no sourced Medicare payment percentage", 1, true))
    a, why = fees.expected({ code = "90853", date = "2025-12-31", place_of_service = "11" })
    assert.is_nil(a)
    assert.are.equal("no Medicare fee schedule data for 2025-12-31 (carried: CY2026)", why)
    a, why = medicare("99213", "11")
    assert.is_nil(a)
    assert.is_truthy(why:find("no CY2026 RVUs carried for 99213", 1, true))
    a, why = medicare("90863", "11")
    assert.is_nil(a)
    assert.are.equal("90863 has PFS status I in CY2026: not paid under the fee schedule", why)
    a, why = fees.expected({ code = "90853", date = "2026-03-02" })
    assert.is_nil(a)
    assert.is_truthy(why:find("place of service needed", 1, true))
    a, why = medicare("90853", "11", { locality = "12345-99" })
    assert.is_nil(a)
    assert.is_truthy(why:find("no CY2026 GPCIs loaded", 1, true))
  end)

  it("raises on misuse", function()
    assert.has_error(function() fees.expected("90853") end,
      "bad argument #1 to 'expected' (table expected, got string)")
    assert.has_error(function() fees.expected({ code = "90853", date = "3/2/2026" }) end,
      "bad argument #1 to 'expected' (field 'date' must be YYYY-MM-DD)")
    assert.has_error(function() medicare("90853", "11", { units = 1.5 }) end,
      "bad argument #1 to 'expected' (field 'units' must be a whole number)")
    assert.has_error(function() medicare("90853", "11", { payer = "aetna" }) end)
  end)
end)

describe("bhclaim.fees: locality GPCIs from CMS's file layout", function()
  it("loads the fixture and prices a locality", function()
    local n = assert(fees.load_gpci(read_file("spec/fixtures/remit/GPCI2026_fixture.csv"),
      "2026", "GPCI2026 fixture"))
    assert.are.equal(2, n)
    local g = fees.gpci("2026", "99999-01")
    assert.are.equal("TEST LOCALITY, \"HIGH PE\"", g.name)
    assert.are.equal("1.200", g.pe)
    -- (0.67 x 1.000 + 0.23 x 1.200 + 0.01 x 0.800) x 33.4009 = 31.8645
    local amount, factors = medicare("90853", "11", { locality = "99999-01" })
    assert.are.equal("31.86", amount)
    assert.are.equal("0.800", factor(factors, "MP GPCI").value)
    -- (0.67 + 0.05 x 1.200 + 0.008) x 33.4009 = 24.6499
    assert.are.equal("24.65", (medicare("90853", "02", { locality = "99999-01" })))
    -- (0.67 + 0.23 x 0.900 + 0.01 x 1.100) x 33.4009 = 29.6600
    assert.are.equal("29.66", (medicare("90853", "11", { locality = "99999-99" })))
  end)

  it("names the line and column of a bad file", function()
    local _, msg = fees.load_gpci("a,b\n1,2\n", "2026", "x.csv")
    assert.are.equal("x.csv: no header row with \"Medicare Administrative Contractor (MAC)\"", msg)
    local text = read_file("spec/fixtures/remit/GPCI2026_fixture.csv")
    _, msg = fees.load_gpci(text, "2025", "x.csv")
    assert.are.equal("x.csv: line 2: no column \"2025 PW GPCI (with 1.0 Floor)\"", msg)
    _, msg = fees.load_gpci(text:gsub('"1.200"', '"1.2a"'), "2026", "x.csv")
    assert.are.equal("x.csv: line 3: pe GPCI \"1.2a\" is not a decimal with up to 3 places", msg)
  end)
end)

describe("bhclaim.fees: payer fee schedules from CSV", function()
  local schedule = assert(fees.schedule(read_file("spec/fixtures/remit/fees_acme.csv"), "Acme"))

  local function acme(code, date, modifiers)
    return fees.expected({ code = code, date = date, modifiers = modifiers, payer = schedule })
  end

  it("prices by code, modifiers (any order) and effective dates", function()
    assert.are.equal("42.00", (acme("90853", "2026-03-02")))
    assert.are.equal("44.50", (acme("90853", "2026-07-01")))
    assert.are.equal("40.00", (acme("90853", "2026-03-02", { "95" })))
    assert.are.equal("38.25", (acme("90853", "2026-03-02", { "HO", "HQ" })))
    local amount, factors = acme("90853", "2027-01-05")
    assert.are.equal("44.50", amount)
    assert.are.equal("line 3: 2026-07-01 to open", factor(factors, "fee schedule").note)
    assert.are.equal("24.00", (fees.expected({ code = "90785", date = "2025-05-01",
      payer = schedule, units = 2 })))
  end)

  it("answers nil and a reason for a date or modifier with no fee", function()
    local a, why = acme("90785", "2026-03-02")
    assert.is_nil(a)
    assert.are.equal("Acme: no fee for 90785 on 2026-03-02", why)
    a, why = acme("90853", "2026-03-02", { "93" })
    assert.is_nil(a)
    assert.are.equal("Acme: no fee for 90853 with 93 on 2026-03-02", why)
  end)

  it("refuses a bad row naming the line and field, and overlapping rows", function()
    local _, msg = fees.schedule("code,modifiers,amount,from,to\n90853,,4.005,2026-01-01,\n", "P")
    assert.are.equal("P: line 2: amount: \"4.005\" is not a decimal with up to 2 places", msg)
    _, msg = fees.schedule("code,amount,from,to\n", "P")
    assert.are.equal("P: line 1: no column \"modifiers\"", msg)
    _, msg = fees.schedule("code,modifiers,amount,from,to\n90853,,4.00,2026-13,\n", "P")
    assert.are.equal("P: line 2: from: \"2026-13\" is not YYYY-MM-DD", msg)
    local s = assert(fees.schedule("code,modifiers,amount,from,to\n90853,,4.00,2026-01-01,\n"
      .. "90853,,5.00,2026-06-01,\n", "P"))
    local a, why = fees.expected({ code = "90853", date = "2026-07-01", payer = s })
    assert.is_nil(a)
    assert.are.equal("P: lines 2 and 3 both price 90853 on 2026-07-01", why)
  end)
end)
