-- Specs for payer profiles (lua/bhclaim/payer.lua, docs/payers.md):
-- bhclaim.payer builds a profile over a built-in one, refusing unknown
-- fields, wrong types and unknown bases; bhclaim.payers.load reads one from
-- a file; opts.payer picks the profile a check uses. A value not flagged
-- unconfirmed gives errors, an unconfirmed one warnings. Claims are fresh
-- copies of spec/fixtures/base_claim.json; opts.today is "2026-11-26".

local bhclaim = require("bhclaim")
local support = require("spec.support")
local TODAY = support.TODAY
local base_claim = support.base_claim
local check_with = support.check_with
local dump = support.dump
local assert_finding = support.assert_finding
local assert_no_finding = support.assert_no_finding
local contains = support.contains

-- The base claim as a clean Medicaid claim (HQ group and HO LCSW modifiers).
local function medicaid(c)
  c.payer.kind = "medicaid"
  c.payer.name = "Ohio Medicaid"
  c.lines[1].modifiers = setmetatable({ "HQ", "HO" }, bhclaim.array_mt)
end

local function raises(fn, part)
  local ok, err = pcall(fn)
  assert.is_false(ok, "expected an error containing " .. part)
  assert.is_truthy(contains(tostring(err), part), tostring(err))
  return err
end

local OHIO = bhclaim.payer {
  extends = "medicaid", name = "medicaid-oh",
  max_participants = { value = 10, source = "Ohio Medicaid manual" },
}

describe("bhclaim.payer", function()
  it("extends a built-in profile, keeping the fields it does not set", function()
    assert.are.equal("medicaid-oh", OHIO.name)
    assert.are.equal("medicaid", OHIO.kind)
    assert.are.equal(10, OHIO.max_participants.value)
    assert.are.equal("HQ", OHIO.group_modifier.value)
    assert.are.equal(2, OHIO.min_participants.value)
    assert.is_truthy(contains(tostring(OHIO), "medicaid-oh"), tostring(OHIO))
  end)

  it("makes 11 present an error (the value is not flagged unconfirmed)", function()
    local report = check_with(function(c)
      medicaid(c)
      c.session.patients_present = 11
    end, { payer = OHIO })
    local f = assert_finding(report, "group.participants", "error", "session.patients_present")
    assert.is_truthy(contains(f.message, "at most 10"), f.message)
    assert.is_truthy(contains(f.source, "Ohio Medicaid manual"), f.source)
    assert.is_truthy(contains(f.source, "medicaid-oh"), f.source)
  end)

  it("accepts 10 present", function()
    local report = check_with(function(c)
      medicaid(c)
      c.session.patients_present = 10
    end, { payer = OHIO })
    assert_no_finding(report, "group.participants")
    assert.is_true(report.ok, dump(report))
  end)

  it("keeps the template's unconfirmed values as warnings", function()
    local report = check_with(function(c)
      medicaid(c)
      c.lines[1].modifiers = setmetatable({ "HO" }, bhclaim.array_mt)
      c.session.patients_present = 1
    end, { payer = OHIO })
    assert_finding(report, "group.modifier", "warning", "lines[1].modifiers")
    assert_finding(report, "group.participants", "warning", "session.patients_present")
  end)

  it("leaves the built-in Medicaid profile unchanged", function()
    local report = check_with(function(c)
      medicaid(c)
      c.session.patients_present = 11
    end)
    assert_no_finding(report, "group.participants")
  end)

  it("extends another profile table", function()
    local p = bhclaim.payer { extends = OHIO, name = "medicaid-oh-2",
      min_participants = { value = 3, source = "test" } }
    local report = check_with(function(c)
      medicaid(c)
      c.session.patients_present = 2
    end, { payer = p })
    assert_finding(report, "group.participants", "error", "session.patients_present")
    report = check_with(function(c)
      medicaid(c)
      c.session.patients_present = 11
    end, { payer = p })
    assert_finding(report, "group.participants", "error", "session.patients_present")
  end)

  it("replaces the credential list when a profile sets its own", function()
    local p = bhclaim.payer { extends = "medicare", name = "cadc-ok",
      credentials = { source = "test", accepted = { { credential = "CADC" } } } }
    local report = check_with(function(c) c.rendering_provider.credential = "CADC" end,
      { payer = p })
    assert_no_finding(report, "provider.credential")
    report = check_with(function() end, { payer = p })
    assert_finding(report, "provider.credential", "error", "rendering_provider.credential")
  end)

  it("raises on an unknown field, naming it", function()
    raises(function()
      bhclaim.payer { extends = "medicaid", name = "x", max_participant = { value = 10 } }
    end, "unknown field 'max_participant'")
  end)

  it("raises on an unknown field inside a value", function()
    raises(function()
      bhclaim.payer { extends = "medicaid", max_participants = { value = 10, sauce = "x" } }
    end, "unknown field 'max_participants.sauce'")
  end)

  it("raises on a wrong type, naming the field", function()
    raises(function()
      bhclaim.payer { extends = "medicaid", name = "x", max_participants = 10 }
    end, "max_participants")
    raises(function()
      bhclaim.payer { extends = "medicaid", max_participants = { value = "10" } }
    end, "max_participants.value")
    raises(function()
      bhclaim.payer { extends = "medicaid", min_minutes = { value = 45, source = 1 } }
    end, "min_minutes.source")
    raises(function()
      bhclaim.payer { extends = "medicaid", name = 5 }
    end, "'name'")
  end)

  it("raises on a value that is not a whole number >= 0", function()
    raises(function()
      bhclaim.payer { extends = "medicare", min_minutes = { value = -1 } }
    end, "min_minutes.value")
    raises(function()
      bhclaim.payer { extends = "medicare", min_minutes = { value = 2.5 } }
    end, "min_minutes.value")
  end)

  it("raises on an unknown base profile", function()
    raises(function()
      bhclaim.payer { extends = "medicaid-tx", name = "x" }
    end, "unknown base profile 'medicaid-tx'")
  end)

  it("raises on a kind outside its list", function()
    raises(function() bhclaim.payer { extends = "medicare", kind = "tricare" } end, "'kind'")
  end)

  it("raises on an MUE entry with a bad adjudication indicator", function()
    raises(function()
      bhclaim.payer { extends = "medicare",
        mue = { { code = "90853", value = 1, mai = 4 } } }
    end, "mue[1].mai")
  end)
end)

-- One schema (csrc/lua/profile.c) checks a profile on every path: the
-- Lua builder, the core's compiler and a profile file for --profile.
describe("the payer profile schema on every path", function()
  local core = require("bhclaim.core")

  -- A profile table as Lua source for a profile file.
  local function source(v)
    if type(v) == "string" then return string.format("%q", v) end
    if type(v) ~= "table" then return tostring(v) end
    local parts = {}
    for k, x in pairs(v) do
      local key = "[" .. (type(k) == "number" and k or string.format("%q", k)) .. "]"
      parts[#parts + 1] = key .. " = " .. source(x)
    end
    return "{ " .. table.concat(parts, ", ") .. " }"
  end
  local BAD = {
    { "a misspelt key", { extends = "medicare", min_minute = { value = 45 } },
      "unknown field 'min_minute'" },
    { "a bad date", { extends = "medicare", name = "x",
        mue = { { code = "90853", value = 1, from = "2024-02-30" } } },
      "profile 'x': field 'mue[1].from' must be a date YYYY-MM-DD" },
    { "a bad telehealth key", { extends = "medicaid", telehealth = { pos_hom = "10" } },
      "unknown field 'telehealth.pos_hom'" },
    { "an ill-typed telehealth value", { extends = "medicaid",
        telehealth = { audio_only_covered = "yes" } },
      "field 'telehealth.audio_only_covered' must be a boolean, got string" },
    { "a bad telehealth date", { extends = "medicaid", telehealth = { from = "2022-3-1" } },
      "field 'telehealth.from' must be a date YYYY-MM-DD" },
    { "a code longer than a procedure code", { extends = "medicare",
        ptp = { { column1 = "908530", column2 = "90791", modifier_indicator = 0 } } },
      "field 'ptp[1].column1' must be a procedure code of 5 characters at most" },
  }

  for _, case in ipairs(BAD) do
    local what, t, message = case[1], case[2], case[3]

    it("refuses " .. what .. " in bhclaim.payer", function()
      raises(function() bhclaim.payer(t) end, "bad argument #1 to 'payer' (" .. message .. ")")
    end)

    it("refuses " .. what .. " in core.profile", function()
      local plain = {}
      for k, v in pairs(t) do if k ~= "extends" then plain[k] = v end end
      raises(function() core.profile(plain) end, message)
      local ok, msg = core.profile_check(plain)
      assert.is_nil(ok)
      assert.are.equal(message, msg)
    end)

    it("refuses " .. what .. " in a profile file given to --profile", function()
      local path = os.tmpname()
      local f = assert(io.open(path, "wb"))
      f:write("return ", source(t), "\n")
      f:close()
      local claim = os.tmpname()
      f = assert(io.open(claim, "wb"))
      f:write(support.read_file("spec/fixtures/base_claim.json"))
      f:close()
      local out, err, status = support.run_cli({ "check", "--profile", path, claim })
      os.remove(path)
      os.remove(claim)
      assert.are.equal(2, status, out .. err)
      assert.is_truthy(contains(err, message), err)
    end)
  end

  it("compiles the built-in profiles and a file profile", function()
    for _, kind in ipairs(core.names.payer_kind) do
      assert.are.equal("userdata", type(bhclaim.payer { extends = kind == "other"
        and "commercial" or kind }:compiled()))
    end
  end)
end)

describe("bhclaim.payers.load", function()
  local paths = {}

  local function write_profile(text)
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
    paths[#paths + 1] = path
    return path
  end

  after_each(function()
    for i = #paths, 1, -1 do
      os.remove(paths[i])
      paths[i] = nil
    end
  end)

  it("loads a file returning a profile table", function()
    local path = write_profile([[
return {
  extends = "medicare",
  name = "medicare-jh",
  max_participants = { value = 8, source = "MAC article" },
}
]])
    local p, err = bhclaim.payers.load(path)
    assert.is_table(p, tostring(err))
    assert.are.equal("medicare-jh", p.name)
    assert.are.equal("medicare", p.kind)
    local report = check_with(function(c) c.session.patients_present = 9 end, { payer = p })
    assert_finding(report, "group.participants", "error", "session.patients_present")
    report = check_with(function(c) c.session.patients_present = 8 end, { payer = p })
    assert_no_finding(report, "group.participants")
  end)

  it("returns nil and a message for a file with a syntax error", function()
    local p, err = bhclaim.payers.load(write_profile("return { extends = "))
    assert.is_nil(p)
    assert.is_string(err)
  end)

  it("returns nil and a message for a file that raises", function()
    local path = write_profile("error('no profile here')")
    local p, err = bhclaim.payers.load(path)
    assert.is_nil(p)
    assert.is_truthy(contains(err, "no profile here"), err)
  end)

  it("returns nil and the field for a profile with an unknown field", function()
    local path = write_profile("return { extends = 'medicare', max_participant = {value = 8} }")
    local p, err = bhclaim.payers.load(path)
    assert.is_nil(p)
    assert.is_truthy(contains(err, "unknown field 'max_participant'"), err)
    assert.is_truthy(contains(err, path), err)
  end)

  it("returns nil and a message for a missing file", function()
    local p, err = bhclaim.payers.load("/nonexistent/bhclaim-profile.lua")
    assert.is_nil(p)
    assert.is_string(err)
  end)
end)

describe("opts.payer", function()
  it("uses the Medicaid profile for a Medicare claim given opts.payer = 'medicaid'", function()
    local report = check_with(function() end, { payer = "medicaid" })
    local f = assert_finding(report, "group.modifier", "warning", "lines[1].modifiers")
    assert.is_truthy(contains(f.source, "payer profile medicaid"), f.source)
    assert_finding(report, "provider.credential", "warning", "lines[1].modifiers")
  end)

  it("turns Medicare's 13-present error into Medicaid's warning", function()
    local report = check_with(function(c) c.session.patients_present = 13 end,
      { payer = "medicaid" })
    assert_finding(report, "group.participants", "warning", "session.patients_present")
  end)

  it("uses the Medicare profile for a Medicaid claim given opts.payer = 'medicare'", function()
    local report = check_with(function(c)
      c.payer.kind = "medicaid"
      c.session.patients_present = 13
    end, { payer = "medicare" })
    assert_no_finding(report, "group.modifier")
    assert_finding(report, "group.participants", "error", "session.patients_present")
  end)

  it("takes the built-in profile for the claim's payer.kind by default", function()
    local report = check_with(function(c) c.payer.kind = "medicaid" end)
    assert_finding(report, "group.modifier", "warning", "lines[1].modifiers")
  end)

  it("raises on a name that is no built-in profile", function()
    raises(function() bhclaim.check(base_claim(), { today = TODAY, payer = "medicaid-oh" }) end,
      "bad argument #2 to 'check'")
  end)

  it("raises on a plain table that is not a profile", function()
    raises(function()
      bhclaim.check(base_claim(), { today = TODAY, payer = { name = "x" } })
    end, "bad argument #2 to 'check'")
  end)

  it("gives the built-in profiles by name", function()
    for _, name in ipairs({ "medicare", "medicaid", "commercial" }) do
      local p = bhclaim.payers.builtin(name)
      assert.is_table(p)
      assert.are.equal(name, p.kind)
    end
    assert.is_nil(bhclaim.payers.builtin("tricare"))
  end)
end)
