-- Specs for the group-psychotherapy rules of bhclaim.check (docs/rules.md,
-- csrc/group.c): group.participants, group.duration, group.modifier,
-- provider.credential and addon.primary. Each rule has cases that fire it
-- (exact rule, severity and path) and near misses that must not, per payer
-- profile where the profile matters: Medicare's confirmed values give
-- errors, unconfirmed ones (Medicaid template, commercial default) warnings.
-- Every case mutates a fresh copy of spec/fixtures/base_claim.json (a clean
-- Medicare 90853 claim) and checks with opts.today = "2026-11-26".

local bhclaim = require("bhclaim")
local support = require("spec.support")
local check_with = support.check_with
local set_service_date = support.set_service_date
local new_line = support.new_line
local dump = support.dump
local assert_finding = support.assert_finding
local assert_no_finding = support.assert_no_finding
local contains = support.contains

-- The base claim for another payer kind, kept clean: a Medicaid claim
-- carries the template's HQ (group) and HO (LCSW) modifiers.
local function as_payer(claim, kind)
  claim.payer.kind = kind
  if kind == "medicaid" then
    claim.payer.name = "Ohio Medicaid"
    claim.lines[1].modifiers = setmetatable({ "HQ", "HO" }, bhclaim.array_mt)
  elseif kind == "commercial" then
    claim.payer.name = "Aetna"
  end
  return claim
end

local function check_as(kind, mutate, opts)
  return check_with(function(c)
    as_payer(c, kind)
    mutate(c)
  end, opts)
end

describe("the base claim under each built-in profile", function()
  for _, kind in ipairs({ "medicare", "medicaid", "commercial" }) do
    it("is clean for " .. kind, function()
      local report = check_as(kind, function() end)
      assert.is_true(report.ok, dump(report))
      assert.are.equal(0, report.counts.error + report.counts.warning, dump(report))
    end)
  end
end)

describe("group.participants", function()
  local PATH = "session.patients_present"

  it("is an error when a group session does not state patients_present", function()
    local report = check_with(function(c) c.session.patients_present = nil end)
    local f = assert_finding(report, "group.participants", "error", PATH)
    assert.is_truthy(contains(f.message, "not documented"), f.message)
  end)

  it("is an error without patients_present under every profile", function()
    for _, kind in ipairs({ "medicaid", "commercial" }) do
      local report = check_as(kind, function(c) c.session.patients_present = nil end)
      assert_finding(report, "group.participants", "error", PATH)
    end
  end)

  it("does not ask an individual session for patients_present", function()
    local report = check_with(function(c)
      c.session.kind = "individual"
      c.session.patients_present = nil
      c.lines[1].code = "90834"
    end)
    assert_no_finding(report, "group.participants")
  end)

  it("warns on 1 present for Medicare (the minimum of 2 is unconfirmed)", function()
    local report = check_with(function(c) c.session.patients_present = 1 end)
    local f = assert_finding(report, "group.participants", "warning", PATH)
    assert.is_truthy(contains(f.message, "at least 2"), f.message)
    assert.is_truthy(contains(f.source, "unconfirmed"), f.source)
    assert.is_true(report.ok, dump(report))
  end)

  it("accepts 2 present for Medicare", function()
    local report = check_with(function(c) c.session.patients_present = 2 end)
    assert_no_finding(report, "group.participants")
  end)

  it("is an error on 13 present for Medicare (the maximum of 12 is confirmed)", function()
    local report = check_with(function(c) c.session.patients_present = 13 end)
    local f = assert_finding(report, "group.participants", "error", PATH)
    assert.is_truthy(contains(f.message, "at most 12"), f.message)
    assert.is_falsy(contains(f.source, "unconfirmed"), f.source)
  end)

  it("accepts 12 present for Medicare", function()
    local report = check_with(function(c) c.session.patients_present = 12 end)
    assert_no_finding(report, "group.participants")
    assert.is_true(report.ok, dump(report))
  end)

  it("only warns on 13 present for the Medicaid template", function()
    local report = check_as("medicaid", function(c) c.session.patients_present = 13 end)
    local f = assert_finding(report, "group.participants", "warning", PATH)
    assert.is_truthy(contains(f.source, "unconfirmed"), f.source)
  end)

  it("warns on 1 present for the Medicaid template, accepts 12", function()
    local report = check_as("medicaid", function(c) c.session.patients_present = 1 end)
    assert_finding(report, "group.participants", "warning", PATH)
    report = check_as("medicaid", function(c) c.session.patients_present = 12 end)
    assert_no_finding(report, "group.participants")
  end)

  it("only warns on 13 or 1 present for the commercial default, accepts 12", function()
    local report = check_as("commercial", function(c) c.session.patients_present = 13 end)
    assert_finding(report, "group.participants", "warning", PATH)
    report = check_as("commercial", function(c) c.session.patients_present = 1 end)
    assert_finding(report, "group.participants", "warning", PATH)
    report = check_as("commercial", function(c) c.session.patients_present = 12 end)
    assert_no_finding(report, "group.participants")
  end)
end)

describe("group.duration", function()
  local MIN45 = bhclaim.payer {
    extends = "medicare", name = "t", min_minutes = { value = 45, source = "test" },
  }
  local MIN45_UNCONFIRMED = bhclaim.payer {
    extends = "medicare", name = "t-unconfirmed",
    min_minutes = { value = 45, source = "test", unconfirmed = true },
  }
  local SHARE50 = bhclaim.payer {
    extends = "medicare", name = "t", min_share_percent = { value = 50, source = "test" },
  }

  local function no_times(c)
    c.session.start = nil
    c.session["end"] = nil
    c.session.minutes = nil
  end

  local function thirty_minutes(c)
    c.session["end"] = "10:30"
    c.session.minutes = 30
  end

  it("is an error at 'session' when a group session has no times and no minutes", function()
    local report = check_with(no_times)
    local f = assert_finding(report, "group.duration", "error", "session")
    assert.is_truthy(contains(f.message, "no times"), f.message)
  end)

  it("is an error under the Medicaid and commercial profiles too", function()
    for _, kind in ipairs({ "medicaid", "commercial" }) do
      local report = check_as(kind, no_times)
      assert_finding(report, "group.duration", "error", "session")
    end
  end)

  it("is an error when only a start time is given", function()
    local report = check_with(function(c)
      c.session["end"] = nil
      c.session.minutes = nil
    end)
    assert_finding(report, "group.duration", "error", "session")
  end)

  it("accepts minutes without times", function()
    local report = check_with(function(c)
      c.session.start = nil
      c.session["end"] = nil
    end)
    assert_no_finding(report, "group.duration")
  end)

  it("accepts times without minutes", function()
    local report = check_with(function(c) c.session.minutes = nil end)
    assert_no_finding(report, "group.duration")
  end)

  it("leaves a session without times to doc.times when it is not a group", function()
    local report = check_with(function(c)
      no_times(c)
      c.session.kind = "individual"
      c.lines[1].code = "90834"
    end)
    assert_no_finding(report, "group.duration")
  end)

  it("is an error when a 30-minute session is under a confirmed min_minutes of 45", function()
    local report = check_with(thirty_minutes, { payer = MIN45 })
    local f = assert_finding(report, "group.duration", "error", "session")
    assert.is_truthy(contains(f.message, "30 minutes"), f.message)
    assert.is_truthy(contains(f.source, "payer profile t"), f.source)
  end)

  it("warns when min_minutes is unconfirmed", function()
    local report = check_with(thirty_minutes, { payer = MIN45_UNCONFIRMED })
    assert_finding(report, "group.duration", "warning", "session")
  end)

  it("accepts a 45-minute session under min_minutes 45", function()
    local report = check_with(function(c)
      c.session["end"] = "10:45"
      c.session.minutes = 45
    end, { payer = MIN45 })
    assert_no_finding(report, "group.duration")
  end)

  it("accepts a 30-minute session under the built-in Medicare profile (no minimum)", function()
    local report = check_with(thirty_minutes)
    assert_no_finding(report, "group.duration")
  end)

  it("is an error at session.minutes_present for 20 of 60 minutes under 50%", function()
    local report = check_with(function(c) c.session.minutes_present = 20 end,
      { payer = SHARE50 })
    local f = assert_finding(report, "group.duration", "error", "session.minutes_present")
    assert.is_truthy(contains(f.message, "20 of 60"), f.message)
  end)

  it("accepts 30 of 60 minutes (exactly 50%)", function()
    local report = check_with(function(c) c.session.minutes_present = 30 end,
      { payer = SHARE50 })
    assert_no_finding(report, "group.duration")
  end)

  it("does not judge the share when minutes_present is not stated", function()
    local report = check_with(function() end, { payer = SHARE50 })
    assert_no_finding(report, "group.duration")
  end)

  it("does not judge 20 of 60 minutes without a min_share_percent", function()
    local report = check_with(function(c) c.session.minutes_present = 20 end)
    assert_no_finding(report, "group.duration")
  end)
end)

describe("group.modifier", function()
  it("warns at lines[1].modifiers when a Medicaid 90853 line lacks HQ", function()
    local report = check_as("medicaid", function(c)
      c.lines[1].modifiers = setmetatable({ "HO" }, bhclaim.array_mt)
    end)
    local f = assert_finding(report, "group.modifier", "warning", "lines[1].modifiers")
    assert.is_truthy(contains(f.message, "HQ"), f.message)
    assert.is_truthy(contains(f.source, "unconfirmed"), f.source)
  end)

  it("accepts a Medicaid 90853 line with HQ", function()
    local report = check_as("medicaid", function() end)
    assert_no_finding(report, "group.modifier")
  end)

  it("names the 90853 line when it is not the first", function()
    local report = check_as("medicaid", function(c)
      c.lines[2] = c.lines[1]
      c.lines[1] = new_line("90785")
      c.lines[2].modifiers = setmetatable({ "HO" }, bhclaim.array_mt)
    end)
    assert_finding(report, "group.modifier", "warning", "lines[2].modifiers")
  end)

  it("asks nothing of Medicare or commercial lines", function()
    for _, kind in ipairs({ "medicare", "commercial" }) do
      local report = check_as(kind, function() end)
      assert_no_finding(report, "group.modifier")
    end
  end)

  it("is an error when a profile confirms the group modifier", function()
    local p = bhclaim.payer {
      extends = "medicaid", name = "medicaid-hq",
      group_modifier = { value = "HQ", source = "state manual" },
    }
    local report = check_as("medicaid", function(c)
      c.lines[1].modifiers = setmetatable({ "HO" }, bhclaim.array_mt)
    end, { payer = p })
    assert_finding(report, "group.modifier", "error", "lines[1].modifiers")
  end)
end)

describe("provider.credential", function()
  local function with_credential(cred)
    return function(c) c.rendering_provider.credential = cred end
  end

  it("is an error for an LMFT on Medicare before 2024-01-01", function()
    local report = check_with(function(c)
      c.rendering_provider.credential = "LMFT"
      set_service_date(c, "2023-12-15")
    end)
    local f = assert_finding(report, "provider.credential", "error",
      "rendering_provider.credential")
    assert.is_truthy(contains(f.message, "not yet accepted"), f.message)
  end)

  it("accepts an LMFT on Medicare on 2026-03-02", function()
    local report = check_with(with_credential("LMFT"))
    assert_no_finding(report, "provider.credential")
  end)

  it("accepts an LMFT on Medicare on 2024-01-01, the first day", function()
    local report = check_with(function(c)
      c.rendering_provider.credential = "LMFT"
      set_service_date(c, "2024-01-01")
    end)
    assert_no_finding(report, "provider.credential")
  end)

  it("is an error for a CADC on Medicare", function()
    local report = check_with(with_credential("CADC"))
    local f = assert_finding(report, "provider.credential", "error",
      "rendering_provider.credential")
    assert.is_truthy(contains(f.message, "CADC"), f.message)
  end)

  it("only warns for a CADC on the Medicaid and commercial profiles", function()
    for _, kind in ipairs({ "medicaid", "commercial" }) do
      local report = check_as(kind, with_credential("CADC"))
      assert_finding(report, "provider.credential", "warning", "rendering_provider.credential")
    end
  end)

  it("normalises 'Ph.D.' to PHD and accepts it", function()
    local report = check_with(with_credential("Ph.D."))
    assert_no_finding(report, "provider.credential")
    report = check_with(with_credential("l.c.s.w."))
    assert_no_finding(report, "provider.credential")
  end)

  it("warns when neither the rendering provider nor the signature states one", function()
    local report = check_with(function(c)
      c.rendering_provider.credential = nil
      c.documentation.signature.credential = nil
    end)
    assert_finding(report, "provider.credential", "warning", "rendering_provider.credential")
  end)

  it("takes the signature's credential when the rendering provider has none", function()
    local report = check_with(function(c) c.rendering_provider.credential = nil end)
    assert_no_finding(report, "provider.credential")
    report = check_with(function(c)
      c.rendering_provider.credential = nil
      c.documentation.signature.credential = "CADC"
    end)
    assert_finding(report, "provider.credential", "error", "documentation.signature.credential")
  end)

  it("warns at lines[1].modifiers when a Medicaid LCSW line lacks HO", function()
    local report = check_as("medicaid", function(c)
      c.lines[1].modifiers = setmetatable({ "HQ" }, bhclaim.array_mt)
    end)
    local f = assert_finding(report, "provider.credential", "warning", "lines[1].modifiers")
    assert.is_truthy(contains(f.message, "HO"), f.message)
  end)

  it("accepts a Medicaid LCSW line with HO", function()
    local report = check_as("medicaid", function() end)
    assert_no_finding(report, "provider.credential")
  end)

  it("wants HP for a Medicaid PhD, not HO", function()
    local report = check_as("medicaid", with_credential("PhD"))
    local f = assert_finding(report, "provider.credential", "warning", "lines[1].modifiers")
    assert.is_truthy(contains(f.message, "HP"), f.message)
  end)

  it("asks no credential modifier of Medicare", function()
    local report = check_with(function() end)
    assert_no_finding(report, "provider.credential")
  end)
end)

describe("addon.primary", function()
  it("is an error at lines[1].code for 90785 alone", function()
    local report = check_with(function(c) c.lines[1].code = "90785" end)
    local f = assert_finding(report, "addon.primary", "error", "lines[1].code")
    assert.is_truthy(contains(f.message, "90785"), f.message)
  end)

  it("accepts 90785 with 90853 on the same date", function()
    local report = check_with(function(c) c.lines[2] = new_line("90785") end)
    assert_no_finding(report, "addon.primary")
    assert.is_true(report.ok, dump(report))
  end)

  it("is an error for 90785 with 90839 only", function()
    local report = check_with(function(c)
      c.lines[1].code = "90839"
      c.lines[2] = new_line("90785")
    end)
    local f = assert_finding(report, "addon.primary", "error", "lines[2].code")
    assert.is_truthy(contains(f.message, "may not be reported"), f.message)
  end)

  it("is an error for 90785 with 90853 on a different date", function()
    local report = check_with(function(c)
      c.lines[2] = new_line("90785", "2026-03-03")
      c.documentation.signature.date = "2026-03-03"
    end)
    assert_finding(report, "addon.primary", "error", "lines[2].code")
  end)

  it("is an error for 90833 without an E/M code", function()
    local report = check_with(function(c)
      c.session.kind = "individual"
      c.lines[1].code = "90833"
    end)
    assert_finding(report, "addon.primary", "error", "lines[1].code")
  end)

  it("is an error for 90833 riding on 90853", function()
    local report = check_with(function(c) c.lines[2] = new_line("90833") end)
    assert_finding(report, "addon.primary", "error", "lines[2].code")
  end)

  it("accepts 90833 with 99213 on the same date", function()
    local report = check_with(function(c)
      c.session.kind = "individual"
      c.lines[1].code = "99213"
      c.lines[2] = new_line("90833")
    end)
    assert_no_finding(report, "addon.primary")
  end)

  it("is an error for 90840 without 90839, accepts it with 90839", function()
    local report = check_with(function(c)
      c.session.kind = "individual"
      c.lines[1].code = "90840"
    end)
    assert_finding(report, "addon.primary", "error", "lines[1].code")
    report = check_with(function(c)
      c.session.kind = "individual"
      c.lines[1].code = "90839"
      c.lines[2] = new_line("90840")
    end)
    assert_no_finding(report, "addon.primary")
  end)

  it("does not apply to a primary code", function()
    local report = check_with(function() end)
    assert_no_finding(report, "addon.primary")
  end)
end)
