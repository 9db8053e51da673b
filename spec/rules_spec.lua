-- Specs for the core rules of bhclaim.check: one describe block per rule id of
-- docs/rules.md, each with cases that must fire the rule (exact rule, severity
-- and path) and near misses that must not.
-- Every case mutates a fresh copy of spec/fixtures/base_claim.json, a clean claim.

local bhclaim = require("bhclaim")
local support = require("spec.support")
local TODAY = support.TODAY
local BASE_PATH = support.BASE_PATH
local read_file = support.read_file
local base_claim = support.base_claim
local dump = support.dump
local assert_finding = support.assert_finding
local assert_no_finding = support.assert_no_finding

local BASE_JSON = read_file(BASE_PATH)

-- Copies tables (keeping their metatables, e.g. bhclaim.array_mt); other values,
-- bhclaim.null among them, are shared.
local function deep_copy(value, seen)
  if type(value) ~= "table" then
    return value
  end
  seen = seen or {}
  if seen[value] then
    return seen[value]
  end
  local copy = {}
  seen[value] = copy
  for k, v in pairs(value) do
    copy[deep_copy(k, seen)] = deep_copy(v, seen)
  end
  return setmetatable(copy, getmetatable(value))
end

local function check(claim)
  local report, msg, id = bhclaim.check(claim, { today = TODAY })
  assert.is_table(report, "check returned no report: " .. tostring(msg) .. " " .. tostring(id))
  return report
end

-- Checks a fresh copy of the base claim after `mutate` changed it.
local function check_with(mutate)
  local claim = base_claim()
  mutate(claim)
  return check(claim)
end

-- Sets the date of service of the only line, and the signature to the same
-- day so that no date.order finding gets in the way.
local function set_service_date(claim, date)
  claim.lines[1].date = date
  claim.documentation.signature.date = date
end

local function count_severity(report, severity)
  local n = 0
  for _, f in ipairs(report.findings) do
    if f.severity == severity then
      n = n + 1
    end
  end
  return n
end

describe("the base claim fixture", function()
  it("is ok, with no error or warning findings", function()
    local report = check(base_claim())
    assert.is_true(report.ok, dump(report))
    assert.are.equal(0, count_severity(report, "error"), dump(report))
    assert.are.equal(0, count_severity(report, "warning"), dump(report))
    assert.are.equal(0, report.counts.error)
    assert.are.equal(0, report.counts.warning)
  end)

  it("is ok when given as a JSON string", function()
    local report = check(BASE_JSON)
    assert.is_true(report.ok, dump(report))
    assert.are.equal(0, report.counts.error + report.counts.warning, dump(report))
  end)

  it("gives findings with every field of the contract", function()
    local report = check_with(function(c) c.billing_provider.npi = "1234567890" end)
    assert.is_true(#report.findings > 0)
    for _, f in ipairs(report.findings) do
      assert.is_string(f.rule)
      assert.is_truthy(f.severity == "error" or f.severity == "warning"
        or f.severity == "info", "severity " .. tostring(f.severity))
      assert.is_string(f.path)
      assert.is_string(f.message)
      assert.is_true(#f.message > 0)
      assert.is_string(f.hint)
      assert.is_string(f.source)
    end
  end)

  it("counts findings per severity", function()
    local report = check_with(function(c)
      c.billing_provider.npi = "1234567890"
      c.lines[1].code = "27447"
      c.lines[1].date = "2025-06-01"
      c.documentation.signature.date = "2025-06-01"
    end)
    assert.are.equal(count_severity(report, "error"), report.counts.error)
    assert.are.equal(count_severity(report, "warning"), report.counts.warning)
    assert.are.equal(count_severity(report, "info"), report.counts.info)
    assert.is_true(report.counts.error >= 1)
    assert.is_true(report.counts.warning >= 1)
    assert.is_true(report.counts.info >= 1)
  end)

  it("has a readable tostring naming its findings", function()
    local report = check_with(function(c) c.billing_provider.npi = "1234567890" end)
    local text = tostring(report)
    assert.is_string(text)
    assert.is_truthy(text:find("npi.checksum", 1, true), text)
    assert.is_truthy(text:find("billing_provider.npi", 1, true), text)
  end)
end)

describe("claim.schema", function()
  local function assert_schema(mutate, path)
    local report = check_with(mutate)
    assert_finding(report, "claim.schema", "error", path)
  end

  it("fires on a missing claim id at 'id'", function()
    assert_schema(function(c) c.id = nil end, "id")
  end)

  it("fires on a missing payer.kind at 'payer.kind'", function()
    assert_schema(function(c) c.payer.kind = nil end, "payer.kind")
  end)

  it("fires on a payer.kind outside its list at 'payer.kind'", function()
    assert_schema(function(c) c.payer.kind = "bogus" end, "payer.kind")
  end)

  it("accepts every listed payer.kind", function()
    for _, kind in ipairs({ "medicare", "medicaid", "commercial", "other" }) do
      local report = check_with(function(c) c.payer.kind = kind end)
      assert_no_finding(report, "claim.schema", "payer.kind")
    end
  end)

  it("fires on a missing payer.id and payer.name", function()
    local report = check_with(function(c)
      c.payer.id = nil
      c.payer.name = nil
    end)
    assert_finding(report, "claim.schema", "error", "payer.id")
    assert_finding(report, "claim.schema", "error", "payer.name")
  end)

  it("fires on a missing billing provider address city", function()
    assert_schema(function(c) c.billing_provider.address.city = nil end,
      "billing_provider.address.city")
  end)

  it("fires on a missing billing provider npi", function()
    assert_schema(function(c) c.billing_provider.npi = nil end, "billing_provider.npi")
  end)

  it("fires on a missing subscriber member_id", function()
    assert_schema(function(c) c.subscriber.member_id = nil end, "subscriber.member_id")
  end)

  it("fires on a subscriber sex outside M, F, U", function()
    assert_schema(function(c) c.subscriber.sex = "X" end, "subscriber.sex")
  end)

  it("fires on a relationship outside its list", function()
    assert_schema(function(c) c.subscriber.relationship = "cousin" end,
      "subscriber.relationship")
  end)

  it("fires on relationship 'child' without a patient block at 'patient'", function()
    assert_schema(function(c) c.subscriber.relationship = "child" end, "patient")
  end)

  it("accepts relationship 'child' with a full patient block", function()
    local report = check_with(function(c)
      c.subscriber.relationship = "child"
      c.patient = { name = { last = "Roe", first = "Alex" }, birth_date = "2012-05-14",
        sex = "M", address = c.subscriber.address }
    end)
    assert_no_finding(report, "claim.schema")
    assert.is_true(report.ok, dump(report))
  end)

  it("fires on a patient block missing its birth date", function()
    assert_schema(function(c)
      c.subscriber.relationship = "spouse"
      c.patient = { name = { last = "Roe", first = "Lee" }, sex = "M" }
    end, "patient.birth_date")
  end)

  it("does not require a rendering provider", function()
    local report = check_with(function(c) c.rendering_provider = nil end)
    assert_no_finding(report, "claim.schema")
  end)

  it("fires on a rendering provider without an npi", function()
    assert_schema(function(c) c.rendering_provider.npi = nil end, "rendering_provider.npi")
  end)

  it("fires on an empty diagnoses list at 'diagnoses'", function()
    assert_schema(function(c) c.diagnoses = {} end, "diagnoses")
  end)

  it("fires on a missing place_of_service", function()
    assert_schema(function(c) c.place_of_service = nil end, "place_of_service")
  end)

  it("fires on an empty lines list at 'lines'", function()
    assert_schema(function(c) c.lines = {} end, "lines")
  end)

  it("fires on a line without a code at 'lines[1].code'", function()
    assert_schema(function(c) c.lines[1].code = nil end, "lines[1].code")
  end)

  it("fires on a line without a date at 'lines[1].date'", function()
    assert_schema(function(c) c.lines[1].date = nil end, "lines[1].date")
  end)

  local twelve = { "F33.1", "F41.1", "F43.10", "F43.12", "F41.9", "F90.0", "Z63.0",
    "Z65.8", "Z71.89", "F32.A", "F43.23", "F40.10" }

  it("accepts 12 diagnoses", function()
    local report = check_with(function(c) c.diagnoses = deep_copy(twelve) end)
    assert_no_finding(report, "claim.schema")
  end)

  it("fires on 13 diagnoses at 'diagnoses'", function()
    assert_schema(function(c)
      c.diagnoses = deep_copy(twelve)
      c.diagnoses[13] = "F84.0"
    end, "diagnoses")
  end)

  it("accepts 4 modifiers on a line", function()
    local report = check_with(function(c) c.lines[1].modifiers = { "HQ", "HO", "59", "XE" } end)
    assert_no_finding(report, "claim.schema")
  end)

  it("fires on 5 modifiers at 'lines[1].modifiers'", function()
    assert_schema(function(c)
      c.lines[1].modifiers = { "HQ", "HO", "59", "XE", "GT" }
    end, "lines[1].modifiers")
  end)

  it("accepts 4 pointers with 4 diagnoses", function()
    local report = check_with(function(c)
      c.diagnoses = { "F33.1", "F41.1", "F43.10", "Z63.0" }
      c.lines[1].dx_pointers = { 1, 2, 3, 4 }
    end)
    assert_no_finding(report, "claim.schema")
    assert_no_finding(report, "line.dx_pointer")
  end)

  it("fires on 5 pointers at 'lines[1].dx_pointers'", function()
    assert_schema(function(c)
      c.diagnoses = { "F33.1", "F41.1", "F43.10", "Z63.0", "F90.0" }
      c.lines[1].dx_pointers = { 1, 2, 3, 4, 5 }
    end, "lines[1].dx_pointers")
  end)

  local function lines_of(n)
    return function(c)
      local line = c.lines[1]
      c.lines = {}
      for i = 1, n do
        c.lines[i] = deep_copy(line)
      end
    end
  end

  it("accepts 50 lines", function()
    local report = check_with(lines_of(50))
    assert_no_finding(report, "claim.schema")
  end)

  it("fires on 51 lines at 'lines'", function()
    assert_schema(lines_of(51), "lines")
  end)

  it("fires on units given as a string, and not also line.units", function()
    local report = check_with(function(c) c.lines[1].units = "one" end)
    assert_finding(report, "claim.schema", "error", "lines[1].units")
    assert_no_finding(report, "line.units", "lines[1].units")
  end)

  it("fires on a string holding a control character", function()
    assert_schema(function(c) c.subscriber.member_id = "1EG4\1TE5MK72" end,
      "subscriber.member_id")
  end)

  it("keeps unknown keys quiet", function()
    local report = check_with(function(c)
      c.x_custom = { a = { 1, 2 } }
      c.lines[1].x_note = "kept"
    end)
    assert_no_finding(report, "claim.schema")
    assert.is_true(report.ok, dump(report))
  end)
end)

describe("claim.total", function()
  it("fires when total_charge is not the sum of the lines", function()
    local report = check_with(function(c) c.total_charge = "90.00" end)
    assert_finding(report, "claim.total", "error", "total_charge")
  end)

  it("fires when two lines do not add up to total_charge", function()
    local report = check_with(function(c)
      c.lines[2] = deep_copy(c.lines[1])
      c.lines[2].charge = "30.00"
      c.total_charge = "90.00"
    end)
    assert_finding(report, "claim.total", "error", "total_charge")
  end)

  it("accepts a total equal to the only line, as string or number", function()
    assert_no_finding(check_with(function(c) c.total_charge = "45.00" end), "claim.total")
    assert_no_finding(check_with(function(c) c.total_charge = 45 end), "claim.total")
  end)

  it("accepts a total equal to the sum of two lines", function()
    local report = check_with(function(c)
      c.lines[2] = deep_copy(c.lines[1])
      c.lines[2].charge = 45.5
      c.total_charge = "90.50"
    end)
    assert_no_finding(report, "claim.total")
  end)

  it("stays quiet when the claim states no total", function()
    assert_no_finding(check(base_claim()), "claim.total")
  end)
end)

describe("code.cpt.format", function()
  for _, code in ipairs({ "9085", "ABCDE", "908533", "H00044", "9085F3" }) do
    it("fires on the code " .. string.format("%q", code), function()
      local report = check_with(function(c) c.lines[1].code = code end)
      assert_finding(report, "code.cpt.format", "error", "lines[1].code")
    end)
  end

  it("fires on the second line's code at 'lines[2].code'", function()
    local report = check_with(function(c)
      c.lines[2] = deep_copy(c.lines[1])
      c.lines[2].code = "ABCDE"
    end)
    assert_finding(report, "code.cpt.format", "error", "lines[2].code")
    assert_no_finding(report, "code.cpt.format", "lines[1].code")
  end)

  for _, code in ipairs({ "90853", "H0004", "0591T", "3725F", "27447" }) do
    it("accepts the shape of " .. code, function()
      local report = check_with(function(c) c.lines[1].code = code end)
      assert_no_finding(report, "code.cpt.format")
    end)
  end
end)

describe("code.cpt.unknown", function()
  it("is an error for an HCPCS code not in the CMS file (H9999)", function()
    local report = check_with(function(c) c.lines[1].code = "H9999" end)
    assert_finding(report, "code.cpt.unknown", "error", "lines[1].code")
  end)

  it("is a warning for a CPT code outside the behavioral catalogue (27447)", function()
    local report = check_with(function(c) c.lines[1].code = "27447" end)
    assert_finding(report, "code.cpt.unknown", "warning", "lines[1].code")
    assert_no_finding(report, "code.cpt.format")
  end)

  it("accepts 90853", function()
    assert_no_finding(check(base_claim()), "code.cpt.unknown")
  end)

  it("accepts H0004, an HCPCS code in the CMS file", function()
    local report = check_with(function(c)
      c.payer.kind = "medicaid"
      c.lines[1].code = "H0004"
      c.lines[1].modifiers = { "HO", "HQ" }
    end)
    assert_no_finding(report, "code.cpt.unknown")
  end)

  it("does not also report a code of the wrong shape as unknown", function()
    local report = check_with(function(c) c.lines[1].code = "ABCDE" end)
    assert_no_finding(report, "code.cpt.unknown")
  end)
end)

describe("code.icd10.invalid", function()
  it("fires on F99.99, which is not a code", function()
    local report = check_with(function(c) c.diagnoses[1] = "F99.99" end)
    assert_finding(report, "code.icd10.invalid", "error", "diagnoses[1]")
  end)

  it("fires on a non-code at the second position", function()
    local report = check_with(function(c) c.diagnoses[2] = "XYZ.12" end)
    assert_finding(report, "code.icd10.invalid", "error", "diagnoses[2]")
    assert_no_finding(report, "code.icd10.invalid", "diagnoses[1]")
  end)

  it("accepts F33.9, F33.1 without its dot and in lower case", function()
    for _, code in ipairs({ "F33.9", "F331", "f33.1", "F32.A", "f32a" }) do
      local report = check_with(function(c) c.diagnoses[1] = code end)
      assert_no_finding(report, "code.icd10.invalid")
      assert_no_finding(report, "code.icd10.header")
    end
  end)

  it("fires on F64.A before FY2027 (2026-09-30), naming 2027", function()
    local report = check_with(function(c)
      c.diagnoses[2] = "F64.A"
      set_service_date(c, "2026-09-30")
    end)
    local f = assert_finding(report, "code.icd10.invalid", "error", "diagnoses[2]")
    assert.is_truthy(f.message:find("2027", 1, true), f.message)
  end)

  it("accepts F64.A in FY2027 (2026-10-05)", function()
    local report = check_with(function(c)
      c.diagnoses[2] = "F64.A"
      set_service_date(c, "2026-10-05")
    end)
    assert_no_finding(report, "code.icd10.invalid")
    assert_no_finding(report, "code.icd10.header")
  end)
end)

describe("code.icd10.header", function()
  for _, code in ipairs({ "F32", "F33", "f33", "F43.1" }) do
    it("fires on the category " .. code, function()
      local report = check_with(function(c) c.diagnoses[1] = code end)
      assert_finding(report, "code.icd10.header", "error", "diagnoses[1]")
      assert_no_finding(report, "code.icd10.invalid", "diagnoses[1]")
    end)
  end

  it("accepts the billable F33.1 and F32.A", function()
    local report = check_with(function(c) c.diagnoses = { "F33.1", "F32.A" } end)
    assert_no_finding(report, "code.icd10.header")
  end)

  it("accepts Z68.1 on 2026-09-30, while it is billable (FY2026)", function()
    local report = check_with(function(c)
      c.diagnoses[2] = "Z68.1"
      set_service_date(c, "2026-09-30")
    end)
    assert_no_finding(report, "code.icd10.header")
    assert_no_finding(report, "code.icd10.invalid")
  end)

  it("fires on Z68.1 on 2026-10-01 (a header in FY2027), naming 2026", function()
    local report = check_with(function(c)
      c.diagnoses[2] = "Z68.1"
      set_service_date(c, "2026-10-01")
    end)
    local f = assert_finding(report, "code.icd10.header", "error", "diagnoses[2]")
    assert.is_truthy(f.message:find("2026", 1, true), f.message)
  end)
end)

describe("code.icd10.duplicate", function()
  it("fires on F33.1 and F331 at the second", function()
    local report = check_with(function(c) c.diagnoses = { "F33.1", "F331" } end)
    assert_finding(report, "code.icd10.duplicate", "error", "diagnoses[2]")
    assert_no_finding(report, "code.icd10.duplicate", "diagnoses[1]")
  end)

  it("fires on a case-only difference", function()
    local report = check_with(function(c) c.diagnoses = { "F33.1", "f33.1" } end)
    assert_finding(report, "code.icd10.duplicate", "error", "diagnoses[2]")
  end)

  it("points at the later copy when they are apart", function()
    local report = check_with(function(c) c.diagnoses = { "F41.1", "F33.1", "F41.1" } end)
    assert_finding(report, "code.icd10.duplicate", "error", "diagnoses[3]")
  end)

  it("accepts two codes of the same category", function()
    local report = check_with(function(c) c.diagnoses = { "F33.1", "F33.9" } end)
    assert_no_finding(report, "code.icd10.duplicate")
  end)
end)

describe("code.icd10.year", function()
  it("is info at 'diagnoses' for a service date before FY2026", function()
    local report = check_with(function(c) set_service_date(c, "2025-06-01") end)
    assert_finding(report, "code.icd10.year", "info", "diagnoses")
  end)

  it("stays quiet on the first day of FY2026 (2025-10-01)", function()
    local report = check_with(function(c) set_service_date(c, "2025-10-01") end)
    assert_no_finding(report, "code.icd10.year")
  end)

  it("stays quiet in FY2027 (2026-11-26)", function()
    local report = check_with(function(c) set_service_date(c, "2026-11-26") end)
    assert_no_finding(report, "code.icd10.year")
  end)
end)

describe("code.modifier.unknown", function()
  for _, mod in ipairs({ "95", "HQ", "59", "XE", "93", "GT", "HO", "25" }) do
    it("accepts the modifier " .. mod, function()
      local report = check_with(function(c) c.lines[1].modifiers = { mod } end)
      assert_no_finding(report, "code.modifier.unknown")
    end)
  end

  it("fires on 9Z at 'lines[1].modifiers[1]'", function()
    local report = check_with(function(c) c.lines[1].modifiers = { "9Z" } end)
    assert_finding(report, "code.modifier.unknown", "error", "lines[1].modifiers[1]")
  end)

  it("fires on ZZ in second position only", function()
    local report = check_with(function(c) c.lines[1].modifiers = { "HQ", "ZZ" } end)
    assert_finding(report, "code.modifier.unknown", "error", "lines[1].modifiers[2]")
    assert_no_finding(report, "code.modifier.unknown", "lines[1].modifiers[1]")
  end)

  it("fires on the second line's modifier at 'lines[2].modifiers[1]'", function()
    local report = check_with(function(c)
      c.lines[2] = deep_copy(c.lines[1])
      c.lines[2].modifiers = { "9Z" }
    end)
    assert_finding(report, "code.modifier.unknown", "error", "lines[2].modifiers[1]")
  end)
end)

describe("code.pos.unknown", function()
  for _, pos in ipairs({ "28", "2", "47", "00" }) do
    it("fires on the claim POS " .. string.format("%q", pos), function()
      local report = check_with(function(c) c.place_of_service = pos end)
      assert_finding(report, "code.pos.unknown", "error", "place_of_service")
    end)
  end

  for _, pos in ipairs({ "11", "02", "10", "53", "99", "27" }) do
    it("accepts the claim POS " .. pos .. " in 2026", function()
      local report = check_with(function(c) c.place_of_service = pos end)
      assert_no_finding(report, "code.pos.unknown")
    end)
  end

  it("fires on POS 27 before it took effect (2023-06-01)", function()
    local report = check_with(function(c)
      c.place_of_service = "27"
      set_service_date(c, "2023-06-01")
    end)
    assert_finding(report, "code.pos.unknown", "error", "place_of_service")
  end)

  it("fires on a line's own POS at 'lines[1].place_of_service'", function()
    local report = check_with(function(c) c.lines[1].place_of_service = "28" end)
    assert_finding(report, "code.pos.unknown", "error", "lines[1].place_of_service")
    assert_no_finding(report, "code.pos.unknown", "place_of_service")
  end)

  it("accepts a line's own known POS", function()
    local report = check_with(function(c) c.lines[1].place_of_service = "53" end)
    assert_no_finding(report, "code.pos.unknown")
  end)
end)

describe("npi.checksum", function()
  for _, npi in ipairs({ "1234567890", "123456789", "12345678931", "123456789X" }) do
    it("fires on the billing NPI " .. npi, function()
      local report = check_with(function(c) c.billing_provider.npi = npi end)
      assert_finding(report, "npi.checksum", "error", "billing_provider.npi")
      assert_no_finding(report, "npi.checksum", "rendering_provider.npi")
    end)
  end

  it("fires on the rendering NPI at 'rendering_provider.npi'", function()
    local report = check_with(function(c) c.rendering_provider.npi = "1245319590" end)
    assert_finding(report, "npi.checksum", "error", "rendering_provider.npi")
    assert_no_finding(report, "npi.checksum", "billing_provider.npi")
  end)

  it("accepts the valid NPIs 1234567893 and 1245319599 and others", function()
    for _, npi in ipairs({ "1234567893", "1245319599", "1673415026", "1987654328" }) do
      local report = check_with(function(c)
        c.billing_provider.npi = npi
        c.rendering_provider.npi = npi
      end)
      assert_no_finding(report, "npi.checksum")
    end
  end)
end)

describe("tin.format", function()
  for _, tin in ipairs({ "12345678", "000000000", "12-345-6789", "00-0000000",
    "1234567890", "12-34567A9" }) do
    it("fires on the TIN " .. tin, function()
      local report = check_with(function(c) c.billing_provider.tin = tin end)
      assert_finding(report, "tin.format", "error", "billing_provider.tin")
    end)
  end

  for _, tin in ipairs({ "123456789", "12-3456789", "123-45-6789" }) do
    it("accepts the TIN " .. tin, function()
      local report = check_with(function(c) c.billing_provider.tin = tin end)
      assert_no_finding(report, "tin.format")
    end)
  end
end)

describe("taxonomy.format", function()
  for _, tax in ipairs({ "1041C0700", "1041c0700x", "1041C0700Y", "1041C-700X" }) do
    it("fires on the rendering taxonomy " .. tax, function()
      local report = check_with(function(c) c.rendering_provider.taxonomy = tax end)
      assert_finding(report, "taxonomy.format", "error", "rendering_provider.taxonomy")
    end)
  end

  it("fires on the billing taxonomy at 'billing_provider.taxonomy'", function()
    local report = check_with(function(c) c.billing_provider.taxonomy = "261QM0801" end)
    assert_finding(report, "taxonomy.format", "error", "billing_provider.taxonomy")
    assert_no_finding(report, "taxonomy.format", "rendering_provider.taxonomy")
  end)

  it("accepts 1041C0700X, 261QM0801X and 103T00000X", function()
    for _, tax in ipairs({ "1041C0700X", "261QM0801X", "103T00000X" }) do
      local report = check_with(function(c)
        c.rendering_provider.taxonomy = tax
        c.billing_provider.taxonomy = tax
      end)
      assert_no_finding(report, "taxonomy.format")
    end
  end)

  it("stays quiet when no taxonomy is given", function()
    local report = check_with(function(c)
      c.rendering_provider.taxonomy = nil
      c.billing_provider.taxonomy = nil
    end)
    assert_no_finding(report, "taxonomy.format")
  end)
end)

describe("date.invalid", function()
  for _, date in ipairs({ "2026-02-30", "2026-13-01", "2026-00-10", "2026-3-2",
    "03/02/2026" }) do
    it("fires on the service date " .. date, function()
      local report = check_with(function(c) c.lines[1].date = date end)
      assert_finding(report, "date.invalid", "error", "lines[1].date")
    end)
  end

  it("fires on an impossible birth date at 'subscriber.birth_date'", function()
    local report = check_with(function(c) c.subscriber.birth_date = "1980-02-30" end)
    assert_finding(report, "date.invalid", "error", "subscriber.birth_date")
  end)

  it("fires on a birth more than 150 years before the service (1870)", function()
    local report = check_with(function(c) c.subscriber.birth_date = "1870-01-01" end)
    assert_finding(report, "date.invalid", "error", "subscriber.birth_date")
  end)

  it("fires on an impossible signature date", function()
    local report = check_with(function(c)
      c.documentation.signature.date = "2026-02-30"
    end)
    assert_finding(report, "date.invalid", "error", "documentation.signature.date")
  end)

  it("accepts a leap day and a birth in 1900", function()
    local report = check_with(function(c)
      c.subscriber.birth_date = "1900-01-01"
      set_service_date(c, "2024-02-29")
    end)
    assert_no_finding(report, "date.invalid")
    report = check_with(function(c) c.subscriber.birth_date = "2000-02-29" end)
    assert_no_finding(report, "date.invalid")
  end)
end)

describe("date.future", function()
  for _, date in ipairs({ "2026-12-01", "2026-11-27" }) do
    it("fires on the service date " .. date .. " after today", function()
      local report = check_with(function(c) set_service_date(c, date) end)
      assert_finding(report, "date.future", "error", "lines[1].date")
    end)
  end

  it("fires on a birth date in 2027 at 'subscriber.birth_date'", function()
    local report = check_with(function(c) c.subscriber.birth_date = "2027-01-01" end)
    assert_finding(report, "date.future", "error", "subscriber.birth_date")
  end)

  it("accepts a service dated today", function()
    local report = check_with(function(c) set_service_date(c, TODAY) end)
    assert_no_finding(report, "date.future")
  end)

  it("follows opts.today", function()
    local claim = base_claim()
    local report = assert(bhclaim.check(claim, { today = "2026-03-01" }))
    assert_finding(report, "date.future", "error", "lines[1].date")
  end)
end)

describe("date.order", function()
  it("fires on a birth after the service at 'subscriber.birth_date'", function()
    local report = check_with(function(c) c.subscriber.birth_date = "2026-03-05" end)
    assert_finding(report, "date.order", "error", "subscriber.birth_date")
  end)

  it("accepts a birth on the day of service", function()
    local report = check_with(function(c) c.subscriber.birth_date = "2026-03-02" end)
    assert_no_finding(report, "date.order")
  end)

  it("fires on a patient born after the service at 'patient.birth_date'", function()
    local report = check_with(function(c)
      c.subscriber.relationship = "child"
      c.patient = { name = { last = "Roe", first = "Alex" }, birth_date = "2026-04-01",
        sex = "M" }
    end)
    assert_finding(report, "date.order", "error", "patient.birth_date")
  end)

  it("fires on a session that ends before it starts at 'session.end'", function()
    local report = check_with(function(c)
      c.session.start = "11:00"
      c.session["end"] = "10:00"
    end)
    assert_finding(report, "date.order", "error", "session.end")
  end)

  it("accepts a session from 10:00 to 11:00", function()
    assert_no_finding(check(base_claim()), "date.order")
  end)

  it("fires on a signature dated before the service", function()
    local report = check_with(function(c) c.documentation.signature.date = "2026-03-01" end)
    assert_finding(report, "date.order", "error", "documentation.signature.date")
  end)

  it("accepts a signature dated after the service", function()
    local report = check_with(function(c) c.documentation.signature.date = "2026-03-04" end)
    assert_no_finding(report, "date.order")
  end)
end)

describe("line.units", function()
  for _, units in ipairs({ 0, -1, 1.5, 10000 }) do
    it("fires on units " .. tostring(units), function()
      local report = check_with(function(c) c.lines[1].units = units end)
      assert_finding(report, "line.units", "error", "lines[1].units")
    end)
  end

  it("fires on missing units", function()
    local report = check_with(function(c) c.lines[1].units = nil end)
    assert_finding(report, "line.units", "error", "lines[1].units")
  end)

  it("fires on the second line's units only", function()
    local report = check_with(function(c)
      c.lines[2] = deep_copy(c.lines[1])
      c.lines[2].units = 0
    end)
    assert_finding(report, "line.units", "error", "lines[2].units")
    assert_no_finding(report, "line.units", "lines[1].units")
  end)

  for _, units in ipairs({ 1, 2, 9999 }) do
    it("accepts units " .. tostring(units), function()
      local report = check_with(function(c) c.lines[1].units = units end)
      assert_no_finding(report, "line.units")
    end)
  end
end)

describe("line.charge", function()
  for _, charge in ipairs({ "0.00", 0, "-1", -1, "100000000.00" }) do
    it("fires on the charge " .. string.format("%q", tostring(charge)), function()
      local report = check_with(function(c) c.lines[1].charge = charge end)
      assert_finding(report, "line.charge", "error", "lines[1].charge")
    end)
  end

  it("fires on a missing charge", function()
    local report = check_with(function(c) c.lines[1].charge = nil end)
    assert_finding(report, "line.charge", "error", "lines[1].charge")
  end)

  for _, charge in ipairs({ "45.00", 45, "45", 45.5, "0.01", "99999999.99" }) do
    it("accepts the charge " .. string.format("%q", tostring(charge)), function()
      local report = check_with(function(c) c.lines[1].charge = charge end)
      assert_no_finding(report, "line.charge")
      assert_no_finding(report, "claim.schema")
    end)
  end
end)

describe("line.dx_pointer", function()
  it("fires on a pointer past the diagnoses at 'lines[1].dx_pointers[2]'", function()
    local report = check_with(function(c) c.lines[1].dx_pointers = { 1, 3 } end)
    assert_finding(report, "line.dx_pointer", "error", "lines[1].dx_pointers[2]")
    assert_no_finding(report, "line.dx_pointer", "lines[1].dx_pointers[1]")
  end)

  it("fires on a pointer 0", function()
    local report = check_with(function(c) c.lines[1].dx_pointers = { 0 } end)
    assert_finding(report, "line.dx_pointer", "error", "lines[1].dx_pointers[1]")
  end)

  it("fires on the same pointer twice, at the second", function()
    local report = check_with(function(c) c.lines[1].dx_pointers = { 1, 1 } end)
    assert_finding(report, "line.dx_pointer", "error", "lines[1].dx_pointers[2]")
  end)

  it("fires on an empty pointer list at 'lines[1].dx_pointers'", function()
    local report = check_with(function(c) c.lines[1].dx_pointers = {} end)
    assert_finding(report, "line.dx_pointer", "error", "lines[1].dx_pointers")
  end)

  it("fires on missing pointers at 'lines[1].dx_pointers'", function()
    local report = check_with(function(c) c.lines[1].dx_pointers = nil end)
    assert_finding(report, "line.dx_pointer", "error", "lines[1].dx_pointers")
  end)

  it("accepts pointer 2 with two diagnoses", function()
    local report = check_with(function(c) c.lines[1].dx_pointers = { 2 } end)
    assert_no_finding(report, "line.dx_pointer")
  end)

  it("accepts pointers in any order", function()
    local report = check_with(function(c) c.lines[1].dx_pointers = { 2, 1 } end)
    assert_no_finding(report, "line.dx_pointer")
  end)
end)

describe("examples/claims", function()
  local EXAMPLES = {
    "clean_medicare", "clean_medicaid_group", "clean_commercial", "bad_npi", "icd10_header",
    "unknown_pos", "unknown_modifier", "zero_charge", "bad_pointer", "future_date",
    "duplicate_diagnosis", "bad_total", "missing_fields", "bad_taxonomy", "bad_tin",
  }

  for _, name in ipairs(EXAMPLES) do
    it(name .. ".json gives exactly the error rules in its x_expect", function()
      local claim = assert(bhclaim.decode(read_file("examples/claims/" .. name .. ".json")))
      assert.is_table(claim.x_expect)
      local report = check(claim)
      local expected, got = {}, {}
      for _, rule in ipairs(claim.x_expect) do
        expected[rule] = true
      end
      for _, f in ipairs(report.findings) do
        if f.severity == "error" then
          got[f.rule] = true
        end
      end
      assert.are.same(expected, got, dump(report))
      assert.are.equal(#claim.x_expect == 0, report.ok, dump(report))
      if #claim.x_expect == 0 then
        assert.are.equal(0, report.counts.warning, dump(report))
      end
    end)
  end
end)
