-- The denial each finding predicts: the core's one catalogue of rule ids,
-- the denial on each finding (Lua, JSON, text, CSV), and docs/rules.md.
local core = require("bhclaim.core")
local reports = require("bhclaim.reports")
local S = require("spec.support")

local function catalogue_by_rule()
  local by = {}
  for _, row in ipairs(core.rules_catalog()) do
    if row.path == nil then by[row.rule] = row end
  end
  return by
end

describe("rules catalogue", function()
  it("lists each rule once (besides path rows) with its source", function()
    local seen = {}
    for _, row in ipairs(core.rules_catalog()) do
      assert.is_string(row.rule)
      assert.is_string(row.source)
      assert.is_true(#row.source > 0)
      local key = row.rule .. "|" .. tostring(row.path)
      assert.is_nil(seen[key], "twice: " .. key)
      seen[key] = true
      if row.group then
        assert.truthy(row.group == "CO" or row.group == "OA" or row.group == "PR")
        assert.truthy(tostring(row.carc):match("^%d+$"), row.rule)
      else
        assert.is_nil(row.carc)
        assert.is_nil(row.rarc)
      end
      if row.severity ~= nil then
        assert.truthy(row.severity == "error" or row.severity == "warning"
          or row.severity == "info")
      end
    end
  end)

  it("carries the issue's examples", function()
    local by = catalogue_by_rule()
    assert.same({ "CO", "50" }, { by["doc.necessity"].group, by["doc.necessity"].carc })
    assert.is_nil(by["doc.necessity"].rarc)
    assert.same({ "CO", "97", "M15" }, { by["ncci.ptp"].group, by["ncci.ptp"].carc,
      by["ncci.ptp"].rarc })
    assert.same({ "CO", "5", "M77" }, { by["telehealth.pos"].group, by["telehealth.pos"].carc,
      by["telehealth.pos"].rarc })
    assert.same({ "CO", "29" }, { by["claim.timely_filing"].group, by["claim.timely_filing"].carc })
    assert.same({ "OA", "18" }, { by["claim.duplicate"].group, by["claim.duplicate"].carc })
    assert.same({ "CO", "11" }, { by["code.dx_procedure"].group, by["code.dx_procedure"].carc })
  end)

  it("tells the billing NPI from the rendering NPI", function()
    assert.same({ group = "CO", carc = "16", rarc = "N290" },
      core.rule_denial("npi.checksum", "rendering_provider.npi"))
    assert.same({ group = "CO", carc = "16", rarc = "N257" },
      core.rule_denial("npi.checksum", "billing_provider.npi"))
  end)

  it("predicts nothing for notes and for custom rules", function()
    assert.is_nil(core.rule_denial("check.skipped"))
    assert.is_nil(core.rule_denial("practice.friday"))
    assert.is_false(core.rule_known("practice.friday"))
    assert.is_true(core.rule_known("ncci.ptp"))
  end)

  it("has a row in docs/rules.md for every rule, with its denial", function()
    local doc = S.read_file("docs/rules.md")
    for _, row in ipairs(core.rules_catalog()) do
      assert.truthy(doc:find("`" .. row.rule .. "`", 1, true), "not in docs/rules.md: " .. row.rule)
      if row.group and row.path == nil then
        local text = row.group .. "-" .. row.carc .. (row.rarc and (" " .. row.rarc) or "")
        assert.truthy(doc:find("| `" .. row.rule .. "` | " .. text .. " |", 1, true),
          "denial of " .. row.rule .. " (" .. text .. ") not in the denial table")
      end
    end
  end)
end)

describe("finding.denial", function()
  it("is on each finding from the core", function()
    local r = S.check_with(function(c) c.rendering_provider.npi = "1234567890" end)
    local f = S.assert_finding(r, "npi.checksum", "error", "rendering_provider.npi")
    assert.same({ group = "CO", carc = "16", rarc = "N290" }, f.denial)
  end)

  it("is nil for a note", function()
    local r = S.check_with(function(c) c.documentation = nil end)
    local f = S.assert_finding(r, "check.skipped", "info", "")
    assert.is_nil(f.denial)
  end)

  it("is written in JSON with rarc null, and in the text and CSV reports", function()
    local f = { rule = "doc.necessity", severity = "error", path = "documentation.x",
      message = "m", hint = "h", source = "s", denial = { group = "CO", carc = "50" } }
    local e = { claim_id = "C", patient = "P", date = "2026-03-02", ok = false,
      counts = { error = 1, warning = 0, info = 0 }, findings = { f }, codes = { "90853" } }
    assert.truthy(S.contains(reports.json(e),
      '"source":"s","denial":{"group":"CO","carc":"50","rarc":null}}'))
    assert.truthy(S.contains(reports.text(e), "\n          denial: CO-50"))
    f.denial = nil
    assert.truthy(S.contains(reports.json(e), '"source":"s","denial":null}'))
    assert.is_nil(S.contains(reports.text(e), "denial:") or nil)
  end)

  it("is given to findings a Lua rule adds under a catalogued id", function()
    local r = S.check_with(function() end)
    local f = r:add({ rule = "doc.plan", severity = "warning", path = "documentation.plan_goal",
      message = "m", hint = "", source = "" })
    assert.same({ group = "CO", carc = "50" }, f.denial)
    assert.truthy(S.contains(tostring(r), "denial: CO-50"))
  end)
end)
