-- Specs for rules written in Lua (lua/bhclaim/rules.lua, docs/rules.md
-- "Custom rules and turning rules off"): bhclaim.ruleset, opts.rules,
-- opts.disable and report.disabled. Claims are fresh copies of
-- spec/fixtures/base_claim.json; opts.today is "2026-11-26".

local bhclaim = require("bhclaim")
local support = require("spec.support")
local TODAY = support.TODAY
local BASE_PATH = support.BASE_PATH
local read_file = support.read_file
local base_claim = support.base_claim
local check = support.check
local check_with = support.check_with
local findings_for = support.findings_for
local dump = support.dump
local assert_finding = support.assert_finding
local assert_no_finding = support.assert_no_finding
local contains = support.contains

local function raises(fn, part)
  local ok, err = pcall(fn)
  assert.is_false(ok, "expected an error containing " .. part)
  assert.is_truthy(contains(tostring(err), part), tostring(err))
  return err
end

local function weekend_rule(extra)
  local r = {
    id = "practice.no_weekend", severity = "warning",
    description = "Groups do not meet on weekends",
    applies = function() return true end,
    check = function(_, report)
      report:add { path = "lines[1].date", message = "Weekend group" }
    end,
  }
  for k, v in pairs(extra or {}) do
    r[k] = v
  end
  return r
end

local function practice(rules)
  return bhclaim.ruleset("practice", rules)
end

describe("custom rules", function()
  it("add a finding with their id and severity", function()
    local report = check(base_claim(), { rules = practice { weekend_rule() } })
    local f = assert_finding(report, "practice.no_weekend", "warning", "lines[1].date")
    assert.are.equal("Weekend group", f.message)
    assert.is_string(f.hint)
    assert.is_string(f.source)
    assert.are.equal(1, report.counts.warning, dump(report))
    assert.is_true(report.ok)
  end)

  it("make the report not ok with an error severity", function()
    local report = check(base_claim(), {
      rules = practice { weekend_rule { severity = "error" } } })
    assert_finding(report, "practice.no_weekend", "error", "lines[1].date")
    assert.are.equal(1, report.counts.error)
  end)

  it("are skipped when applies returns false", function()
    local called = false
    local report = check(base_claim(), { rules = practice { weekend_rule {
      applies = function() return false end,
      check = function() called = true end,
    } } })
    assert_no_finding(report, "practice.no_weekend")
    assert.is_false(called)
  end)

  it("run without an applies function", function()
    local report = check(base_claim(), { rules = practice { weekend_rule { applies = nil } } })
    assert_finding(report, "practice.no_weekend", "warning", "lines[1].date")
  end)

  it("see the claim and can judge it", function()
    local rule = weekend_rule {
      applies = function(c) return c.session ~= nil end,
      check = function(c, report)
        if c.session.patients_present > 5 then
          report:add { path = "session.patients_present", message = "Large group",
            severity = "info" }
        end
      end,
    }
    local report = check(base_claim(), { rules = practice { rule } })
    assert_finding(report, "practice.no_weekend", "info", "session.patients_present")
    report = check_with(function(c) c.session.patients_present = 4 end,
      { rules = practice { rule } })
    assert_no_finding(report, "practice.no_weekend")
  end)

  it("turn a raise into an error finding naming the rule, and checking goes on", function()
    local report = check(base_claim(), { rules = practice {
      { id = "practice.boom", severity = "warning", description = "raises",
        check = function() error("kaboom in the rule") end },
      weekend_rule(),
    } })
    local hits = findings_for(report, "practice.boom")
    assert.are.equal(1, #hits, dump(report))
    assert.are.equal("error", hits[1].severity)
    assert.is_truthy(contains(hits[1].message, "kaboom in the rule"), hits[1].message)
    assert.is_false(report.ok)
    assert_finding(report, "practice.no_weekend", "warning", "lines[1].date")
  end)

  it("turn a raise in applies into an error finding too", function()
    local report = check(base_claim(), { rules = practice { weekend_rule {
      applies = function() error("applies broke") end } } })
    local hits = findings_for(report, "practice.no_weekend")
    assert.are.equal(1, #hits, dump(report))
    assert.are.equal("error", hits[1].severity)
    assert.is_truthy(contains(hits[1].message, "applies broke"), hits[1].message)
  end)

  -- Regression: a rule raising a value whose __tostring raises made the
  -- error escape bhclaim.check instead of becoming a finding.
  describe("turn any raised value into an error finding", function()
    local bad_tostring = setmetatable({}, { __tostring = function() error("tostring broke") end })
    local non_string = setmetatable({}, { __tostring = function() return {} end })
    local cases = {
      { "a table", {}, "table" },
      { "a table whose __tostring raises", bad_tostring, "table value that cannot be shown" },
      { "a table whose __tostring returns no string", non_string, "" },
      { "nil", nil, "raised no message" },
      { "a userdata", io.stdout, "file" },
      { "a number", 42, "42" },
      { "false", false, "false" },
    }
    for _, case in ipairs(cases) do
      it(case[1], function()
        for _, where in ipairs { "check", "applies" } do
          local rule = weekend_rule()
          rule[where] = function() error(case[2]) end
          local report = check(base_claim(), { rules = practice { rule } })
          local hits = findings_for(report, "practice.no_weekend")
          assert.are.equal(1, #hits, dump(report))
          assert.are.equal("error", hits[1].severity)
          assert.is_truthy(contains(hits[1].message, "The rule failed to run: "), hits[1].message)
          assert.is_truthy(contains(hits[1].message, case[3]), hits[1].message)
          assert.is_false(report.ok)
        end
      end)
    end
  end)

  it("receive a decoded table when the claim is JSON text", function()
    local seen
    local rule = weekend_rule { check = function(c) seen = c end }
    local report = check(read_file(BASE_PATH), { rules = practice { rule } })
    assert.is_table(report)
    assert.is_table(seen)
    assert.are.equal("CLM-2026-0001", seen.id)
    assert.are.equal("90853", seen.lines[1].code)
  end)

  it("run from a list of rule sets", function()
    local other = bhclaim.ruleset("billing", { {
      id = "billing.charge", severity = "info", description = "charge note",
      check = function(_, report) report:add { message = "Charge noted" } end,
    } })
    local report = check(base_claim(), { rules = { practice { weekend_rule() }, other } })
    assert_finding(report, "practice.no_weekend", "warning", "lines[1].date")
    assert_finding(report, "billing.charge", "info", "")
  end)

  it("can be added to a set one by one", function()
    local set = bhclaim.ruleset("practice"):add(weekend_rule())
    assert.is_truthy(contains(tostring(set), "practice"), tostring(set))
    local report = check(base_claim(), { rules = set })
    assert_finding(report, "practice.no_weekend", "warning", "lines[1].date")
  end)
end)

describe("bhclaim.ruleset", function()
  it("raises on an id with a core prefix", function()
    for _, id in ipairs({ "doc.mine", "group.mine", "ncci.mine", "check.mine", "modifier.mine",
      "payer.mine" }) do
      raises(function() practice { weekend_rule { id = id } } end, "core prefix")
    end
  end)

  it("raises on a bad severity", function()
    raises(function() practice { weekend_rule { severity = "fatal" } } end, "severity")
  end)

  it("raises on an id that is not dotted", function()
    raises(function() practice { weekend_rule { id = "noweekend" } } end, "'id'")
  end)

  it("raises on a missing check function or an unknown field", function()
    raises(function() practice { weekend_rule { check = "yes" } } end, "'check'")
    raises(function() practice { weekend_rule { priority = 1 } } end, "unknown field 'priority'")
  end)

  it("raises on a name that is not a string", function()
    raises(function() bhclaim.ruleset(42, {}) end, "bad argument #1 to 'ruleset'")
  end)

  it("is required of opts.rules", function()
    raises(function() bhclaim.check(base_claim(), { today = TODAY, rules = { weekend_rule() } })
    end, "bad argument #2 to 'check'")
  end)
end)

describe("opts.disable", function()
  it("suppresses a custom rule and lists it in report.disabled", function()
    local report = check(base_claim(), {
      rules = practice { weekend_rule() },
      disable = { ["practice.no_weekend"] = "holiday schedule" },
    })
    assert_no_finding(report, "practice.no_weekend")
    assert.are.equal(1, #report.disabled)
    assert.are.equal("practice.no_weekend", report.disabled[1].rule)
    assert.are.equal("holiday schedule", report.disabled[1].reason)
  end)

  it("removes a core rule's findings and records the reason and count", function()
    local function bad_npi(c) c.billing_provider.npi = "1234567890" end
    local before = check_with(bad_npi)
    assert_finding(before, "npi.checksum", "error", "billing_provider.npi")
    local report = check_with(bad_npi, { disable = { ["npi.checksum"] = "tested elsewhere" } })
    assert_no_finding(report, "npi.checksum")
    assert.is_true(report.ok, dump(report))
    assert.are.equal(0, report.counts.error)
    assert.are.equal(1, #report.disabled)
    assert.are.same({ rule = "npi.checksum", reason = "tested elsewhere", suppressed = 1 },
      report.disabled[1])
  end)

  it("records a disabled rule that had nothing to report", function()
    local report = check(base_claim(), { disable = { ["doc.plan"] = "not used here" } })
    assert.are.equal(1, #report.disabled)
    assert.are.equal("doc.plan", report.disabled[1].rule)
    assert.are.equal(0, report.disabled[1].suppressed)
  end)

  it("takes a list of {rule=, reason=} too", function()
    local report = check_with(function(c) c.billing_provider.npi = "1234567890" end,
      { disable = { { rule = "npi.checksum", reason = "tested elsewhere" } } })
    assert_no_finding(report, "npi.checksum")
    assert.are.equal("tested elsewhere", report.disabled[1].reason)
  end)

  it("leaves report.disabled empty when nothing is disabled", function()
    local report = check(base_claim())
    assert.are.same({}, report.disabled)
  end)

  it("names disabled rules in the report text", function()
    local report = check(base_claim(), { disable = { ["doc.plan"] = "not used here" } })
    assert.is_truthy(contains(tostring(report), "doc.plan (not used here)"), tostring(report))
  end)
end)
