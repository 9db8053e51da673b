-- Regression specs for faults of the Lua binding and API (issue 8): cyclic
-- tables, numbers in encode, and the x12 read/check failure convention.
-- Each describe block names the fault it keeps fixed.

local bhclaim = require("bhclaim")
local support = require("spec.support")
local base_claim = support.base_claim
local contains = support.contains

local OPTS = { today = support.TODAY }

local function raises(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok, "expected a raise")
  return tostring(err)
end

local function x12_options()
  return {
    sender_id = "SENDER01", receiver_id = "RECEIVER01", submitter_name = "Practice",
    submitter_id = "SUB01", contact_name = "Billing", contact_phone = "5555550100",
    receiver_name = "Payer", receiver_id_1000b = "PAYER01", date = "2026-11-26", time = "1200",
  }
end

-- Two keys leading back to the root gave 2^200 paths to walk: check never
-- returned. Every function that walks a table now stops at the first
-- table met again on its own path.
describe("a cyclic table", function()
  local function doubly_cyclic()
    local claim = base_claim()
    claim.lines[1].self = claim
    claim.lines[1].other = claim
    return claim
  end

  it("makes check raise a bad argument naming the path, at once", function()
    local err = raises(bhclaim.check, doubly_cyclic(), OPTS)
    assert.is_truthy(contains(err, "bad argument #1 to 'check' (a cycle"), err)
    assert.is_truthy(err:find("at lines%[1%]%.[a-z]+%)"), err)
  end)

  it("makes encode raise a bad argument naming the path", function()
    local err = raises(bhclaim.encode, doubly_cyclic())
    assert.is_truthy(contains(err, "bad argument #1 to 'encode' (cannot encode a cycle"), err)
    assert.is_truthy(err:find("at lines%[1%]%.[a-z]+%)"), err)
  end)

  it("makes x12.write raise a bad argument naming the claim and path", function()
    local err = raises(bhclaim.x12.write, { base_claim(), doubly_cyclic() }, x12_options())
    assert.is_truthy(contains(err, "bad argument #1 to 'write' (claim 2: a cycle"), err)
  end)

  it("in an array names the index", function()
    local t = {}
    t[1] = { t }
    local err = raises(bhclaim.encode, { x = t })
    assert.is_truthy(contains(err, "at x[1][1])"), err)
  end)

  it("makes session and payer raise a bad argument, not overflow the stack", function()
    local data = assert(bhclaim.decode(support.read_file("spec/fixtures/session_group.json")))
    data.participants[2].patient.x_loop = data.participants
    local err = raises(bhclaim.session, data)
    assert.is_truthy(contains(err, "bad argument #1 to 'session' (a cycle back to an "
      .. "enclosing table at participants[2].patient.x_loop)"), err)
    local profile = { extends = "medicare", telehealth = {} }
    profile.telehealth.self = profile
    err = raises(bhclaim.payer, profile)
    assert.is_truthy(contains(err, "bad argument #1 to 'payer' (a cycle back to an "
      .. "enclosing table at telehealth.self)"), err)
  end)

  it("still leaves tables nested more than 200 levels to a finding in check", function()
    local claim = base_claim()
    local cur = {}
    claim.x_deep = cur
    for _ = 1, 300 do
      cur.a = {}
      cur = cur.a
    end
    local report = assert(bhclaim.check(claim, OPTS))
    assert.is_false(report.ok)
    local hit = false
    for _, f in ipairs(report.findings) do
      if f.rule == "claim.schema" and contains(f.message, "nested more than 200") then
        hit = true
      end
    end
    assert.is_true(hit)
    local err = raises(bhclaim.encode, claim)
    assert.is_truthy(contains(err, "bad argument #1 to 'encode' (cannot encode a table nested"),
      err)
  end)
end)

-- encode wrote 9007199254740993 as 9.00719925474099e+15 (cJSON's doubles).
describe("encode of numbers", function()
  -- Integer arithmetic (5.3+) keeps 2^53 + 1; doubles (5.1, LuaJIT) cannot.
  local has_integers = 9007199254740992 + 1 ~= 9007199254740992

  it("writes integers exactly", function()
    if has_integers then
      -- A literal the 5.1 parser would round: built from integers instead.
      local big = 9007199254740992 + 1
      assert.are.equal('{"x":9007199254740993}', bhclaim.encode({ x = big }))
      assert.are.equal('{"x":-9223372036854775807}',
        bhclaim.encode({ x = -9223372036854775807 }))
    end
    assert.are.equal('{"x":1000000000000000}', bhclaim.encode({ x = 1e15 }))
    assert.are.equal('[1,2,3]', bhclaim.encode(setmetatable({ 1, 2, 3 }, bhclaim.array_mt)))
  end)

  it("writes floats so that they read back the same", function()
    for _, v in ipairs { 0.1, 1 / 3, 2 / 3, 1e300, -1.5e-300, 123456.789, 2 ^ 60 + 0.0 } do
      local text = bhclaim.encode({ v })
      local back = assert(bhclaim.decode(text))[1]
      assert.are.equal(v, back, text)
    end
    assert.are.equal("[0.1]", bhclaim.encode({ 0.1 }))
  end)

  it("refuses NaN and infinities naming the path", function()
    for _, v in ipairs { 0 / 0, 1 / 0, -1 / 0 } do
      local err = raises(bhclaim.encode, { lines = { { units = v } } })
      assert.is_truthy(contains(err,
        "bad argument #1 to 'encode' (cannot encode NaN or an infinity at lines[1].units)"), err)
    end
  end)

  it("makes NaN in a claim a claim.schema finding at its path in check", function()
    local claim = base_claim()
    claim.lines[1].units = 0 / 0
    local report = assert(bhclaim.check(claim, OPTS))
    local hit = false
    for _, f in ipairs(report.findings) do
      if f.rule == "claim.schema" and f.path == "lines[1].units" then hit = true end
    end
    assert.is_true(hit)
  end)
end)

-- x12.read of a broken file returned {}, envelope, "segment 30: ...", so
-- assert(bhclaim.x12.read(s)) never failed. Now nil, message, id, partial.
describe("x12.read and x12.check of a broken interchange", function()
  local function broken()
    -- Two good claims, then the transaction set's trailer cut off.
    local text = assert(bhclaim.x12.write({ base_claim(), base_claim() }, x12_options()))
    local cut = text:find("SE%*")
    return text:sub(1, cut - 1)
  end

  it("read fails with nil, message, id and keeps the claims read in partial", function()
    local claims, msg, id, partial = bhclaim.x12.read(broken())
    assert.is_nil(claims)
    assert.is_string(msg)
    assert.is_truthy(id:match("^x12%."), id)
    assert.are.equal(1, #partial.claims) -- the second ends at the missing SE
    assert.are.equal("CLM-2026-0001", partial.claims[1].id)
    assert.are.equal("SENDER01", partial.envelope.sender_id)
    assert.is_false(pcall(function() return assert(bhclaim.x12.read(broken())) end))
  end)

  it("read fails on text that is no interchange at all", function()
    for _, text in ipairs { "", "hello", ("\0"):rep(200), ("ISA*"):rep(100) } do
      local claims, msg, id, partial = bhclaim.x12.read(text)
      assert.is_nil(claims)
      assert.is_string(msg)
      assert.is_string(id)
      assert.are.same({}, partial.claims)
    end
  end)

  it("check fails the same way, keeping the reports in partial", function()
    local variants = {
      {}, { disable = { ["date.future"] = "test" } },
      { rules = bhclaim.ruleset("practice", {}) },
    }
    for _, extra in ipairs(variants) do
      local opts = { today = support.TODAY }
      for k, v in pairs(extra) do opts[k] = v end
      local reports, msg, id, partial = bhclaim.x12.check(broken(), opts)
      assert.is_nil(reports)
      assert.is_string(msg)
      assert.is_truthy(id:match("^x12%."), id)
      assert.are.equal(1, #partial.reports)
      assert.is_true(partial.reports[1].ok)
      assert.is_table(partial.envelope)
    end
  end)

  it("succeeds with two values on a whole interchange", function()
    local text = assert(bhclaim.x12.write({ base_claim() }, x12_options()))
    local n = select("#", bhclaim.x12.read(text))
    assert.are.equal(2, n)
    assert.are.equal(2, select("#", bhclaim.x12.check(text, OPTS)))
  end)
end)

-- Each value JSON cannot hold in a checked table leaked a cJSON item (64
-- bytes plus its text): LeakSanitizer saw it on deep and garbage tables.
-- These checks leak nothing under the sanitizer pass of run-tests.sh
-- (detect_leaks=1); here they must give findings at the right paths.
describe("check of deep and garbage tables", function()
  it("gives a claim.schema finding per unsupported value", function()
    local claim = base_claim()
    claim.lines[1].x_fn = function() end
    claim.lines[1].x_file = io.stdout
    claim.lines[1].x_nan = 0 / 0
    local deep = {}
    claim.x_deep = deep
    for _ = 1, 1000 do
      deep[1] = {}
      deep = deep[1]
    end
    local report = assert(bhclaim.check(claim, OPTS))
    local paths = {}
    for _, f in ipairs(report.findings) do
      if f.rule == "claim.schema" then paths[f.path] = true end
    end
    for _, p in ipairs { "lines[1].x_fn", "lines[1].x_file", "lines[1].x_nan" } do
      assert.is_true(paths[p] == true, p)
    end
  end)
end)

-- reports.json_encode (the CLI's look-up answers) walked a cyclic table
-- until the stack overflowed and wrote NaN as "nan" and big integers
-- through doubles.
describe("reports.json_encode", function()
  local reports = require("bhclaim.reports")

  it("raises naming the path on a cycle, NaN or deep nesting", function()
    local t = {}
    t.a = { t }
    assert.is_truthy(contains(raises(reports.json_encode, t), "cycle back to an enclosing "
      .. "table at a[1])"))
    assert.is_truthy(contains(raises(reports.json_encode, { x = { 0 / 0 } }),
      "NaN or an infinity at x[1])"))
    local deep = {}
    local cur = deep
    for _ = 1, 1000 do
      cur.a = {}
      cur = cur.a
    end
    assert.is_truthy(contains(raises(reports.json_encode, deep), "nested more than 200"))
  end)

  it("writes integers exactly and floats so that they read back the same", function()
    local big = 9007199254740992 + 1
    local text = reports.json_encode({ x = big, y = 0.1, z = 1 / 3 })
    if big ~= 9007199254740992 then
      assert.is_truthy(contains(text, '"x":9007199254740993'), text)
    end
    local back = assert(bhclaim.decode(text))
    assert.are.equal(0.1, back.y)
    assert.are.equal(1 / 3, back.z)
  end)
end)
