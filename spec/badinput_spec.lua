-- Specs for bad input to bhclaim: malformed JSON, wrong types, huge and deep
-- values, NUL bytes, cycles, and misuse of the Lua API. A bad claim must give
-- findings or a fail triple, never a raise; misuse must raise with the function
-- and argument named.

local bhclaim = require("bhclaim")
local support = require("spec.support")
local BASE_PATH = support.BASE_PATH
local read_file = support.read_file
local base_claim = support.base_claim

local OPTS = { today = "2026-11-26" }

local BASE_JSON = read_file(BASE_PATH)

local function dump(report)
  local parts = {}
  for _, f in ipairs(report.findings) do
    parts[#parts + 1] = string.format("  %s %s at %q", tostring(f.severity), tostring(f.rule),
      tostring(f.path))
  end
  return #parts == 0 and "  (no findings)" or table.concat(parts, "\n")
end

local function has_finding(report, rule, path)
  for _, f in ipairs(report.findings) do
    if f.rule == rule and (path == nil or f.path == path) then
      return true
    end
  end
  return false
end

-- Calls check in protected mode: asserts it did not raise and returned a report.
local function safe_check(claim)
  local ok, report, msg, id = pcall(bhclaim.check, claim, OPTS)
  assert.is_true(ok, "check raised: " .. tostring(report))
  assert.is_table(report, "check returned no report: " .. tostring(msg) .. " " .. tostring(id))
  return report
end

local function assert_schema(report, path)
  assert.is_true(has_finding(report, "claim.schema", path),
    string.format("expected claim.schema at %q; findings:\n%s", tostring(path), dump(report)))
  assert.is_false(report.ok)
end

-- A claim whose mutation is given as a function of a fresh base copy.
local function check_with(mutate)
  local claim = base_claim()
  mutate(claim)
  return safe_check(claim)
end

describe("malformed JSON", function()
  it("check of truncated JSON returns nil, a message naming the byte, json.syntax", function()
    local text = BASE_JSON:sub(1, 120)
    local report, msg, id = bhclaim.check(text, OPTS)
    assert.is_nil(report)
    assert.is_string(msg)
    assert.is_truthy(msg:find("byte", 1, true), msg)
    assert.are.equal("json.syntax", id)
  end)

  it("check of text that is not JSON at all returns the fail triple", function()
    local report, msg, id = bhclaim.check("claim, please", OPTS)
    assert.is_nil(report)
    assert.is_truthy(msg:find("byte", 1, true), msg)
    assert.are.equal("json.syntax", id)
  end)

  it("check of an empty string returns the fail triple", function()
    local report, msg, id = bhclaim.check("", OPTS)
    assert.is_nil(report)
    assert.is_string(msg)
    assert.are.equal("json.syntax", id)
  end)

  it("decode of invalid JSON returns nil, message, json.syntax", function()
    for _, text in ipairs({ "{", "[1, 2", "{\"a\": }", "{\"a\" 1}", "[1,]x", "tru" }) do
      local value, msg, id = bhclaim.decode(text)
      assert.is_nil(value, text)
      assert.is_string(msg, text)
      assert.are.equal("json.syntax", id, text)
    end
  end)

  it("decode does not echo the input text in its message", function()
    local value, msg = bhclaim.decode("{\"ssn\": \"123-45-6789\", ")
    assert.is_nil(value)
    assert.is_falsy(msg:find("123-45-6789", 1, true), msg)
  end)

  it("check of a JSON value that is not an object gives claim.schema or the fail triple",
    function()
      for _, text in ipairs({ "[]", "42", "\"claim\"", "null" }) do
        local ok, report, msg, id = pcall(bhclaim.check, text, OPTS)
        assert.is_true(ok, "check raised on " .. text .. ": " .. tostring(report))
        if report then
          assert_schema(report, nil)
        else
          assert.is_string(msg, text)
          assert.is_string(id, text)
        end
      end
    end)
end)

describe("wrong types", function()
  it("lines as a string gives claim.schema at 'lines'", function()
    assert_schema(check_with(function(c) c.lines = "x" end), "lines")
  end)

  it("diagnoses as a number gives claim.schema at 'diagnoses'", function()
    assert_schema(check_with(function(c) c.diagnoses = 5 end), "diagnoses")
  end)

  it("payer as a boolean gives claim.schema at 'payer'", function()
    assert_schema(check_with(function(c) c.payer = true end), "payer")
  end)

  it("a line that is a string gives claim.schema at 'lines[1]'", function()
    assert_schema(check_with(function(c) c.lines = { "x" } end), "lines[1]")
  end)

  it("a modifier given as a number gives claim.schema at 'lines[1].modifiers[1]'", function()
    assert_schema(check_with(function(c) c.lines[1].modifiers = { 95 } end),
      "lines[1].modifiers[1]")
  end)

  it("a diagnosis given as a number gives claim.schema at 'diagnoses[2]'", function()
    assert_schema(check_with(function(c) c.diagnoses[2] = 33.1 end), "diagnoses[2]")
  end)

  it("a pointer given as a string gives claim.schema at 'lines[1].dx_pointers[1]'",
    function()
      assert_schema(check_with(function(c) c.lines[1].dx_pointers = { "1" } end),
        "lines[1].dx_pointers[1]")
    end)

  it("an NPI given as a number gives claim.schema at 'billing_provider.npi'", function()
    assert_schema(check_with(function(c) c.billing_provider.npi = 1234567893 end),
      "billing_provider.npi")
  end)

  it("a subscriber given as an array gives claim.schema at 'subscriber'", function()
    assert_schema(check_with(function(c) c.subscriber = { 1, 2, 3 } end), "subscriber")
  end)

  it("a session given as a string gives claim.schema at 'session'", function()
    assert_schema(check_with(function(c) c.session = "group" end), "session")
  end)

  it("a function or userdata value gives claim.schema, not a raise", function()
    assert_schema(check_with(function(c) c.id = function() end end), "id")
    assert_schema(check_with(function(c) c.id = io.stdout end), "id")
  end)

  it("wrong types in a JSON string give the same findings", function()
    local claim = base_claim()
    claim.lines = "x"
    local report = safe_check(bhclaim.encode(claim))
    assert_schema(report, "lines")
  end)
end)

describe("huge strings", function()
  local MB = string.rep("A", 1024 * 1024)

  it("a 1 MB claim id gives a report, no crash", function()
    local report = check_with(function(c) c.id = MB end)
    assert.is_table(report.findings)
  end)

  it("a 1 MB line code gives code.cpt.format or claim.schema at 'lines[1].code'", function()
    local report = check_with(function(c) c.lines[1].code = MB end)
    assert.is_true(has_finding(report, "code.cpt.format", "lines[1].code")
      or has_finding(report, "claim.schema", "lines[1].code"), dump(report))
    assert.is_false(report.ok)
  end)

  it("a 1 MB diagnosis gives a finding at 'diagnoses[1]'", function()
    local report = check_with(function(c) c.diagnoses[1] = MB end)
    assert.is_true(has_finding(report, "code.icd10.invalid", "diagnoses[1]")
      or has_finding(report, "claim.schema", "diagnoses[1]"), dump(report))
  end)

  it("a 1 MB modifier, NPI and date each give findings", function()
    local report = check_with(function(c)
      c.lines[1].modifiers = { MB }
      c.billing_provider.npi = MB
      c.lines[1].date = MB
    end)
    assert.is_false(report.ok)
  end)

  it("a 1 MB claim as a JSON string with a huge unknown key is checked", function()
    local claim = base_claim()
    claim.x_blob = MB
    local report = safe_check(bhclaim.encode(claim))
    assert.is_true(report.ok, dump(report))
  end)
end)

describe("deep nesting", function()
  local DEPTH = 5000

  it("JSON with 5000 nested arrays under an unknown key does not raise", function()
    local deep = string.rep("[", DEPTH) .. string.rep("]", DEPTH)
    local text = BASE_JSON:gsub("^%s*{", "{\"x_deep\": " .. deep .. ",", 1)
    local ok, report, msg, id = pcall(bhclaim.check, text, OPTS)
    assert.is_true(ok, "check raised: " .. tostring(report))
    if report == nil then
      assert.is_string(msg)
      assert.is_string(id)
    else
      assert.is_table(report.findings)
    end
  end)

  it("JSON with 5000 unclosed arrays returns the fail triple", function()
    local ok, report, msg, id = pcall(bhclaim.check, string.rep("[", DEPTH), OPTS)
    assert.is_true(ok, "check raised: " .. tostring(report))
    assert.is_nil(report)
    assert.is_string(msg)
    assert.is_string(id)
  end)

  it("decode of 5000 nested arrays does not raise", function()
    local deep = string.rep("[", DEPTH) .. string.rep("]", DEPTH)
    local ok, value, msg, id = pcall(bhclaim.decode, deep)
    assert.is_true(ok, "decode raised: " .. tostring(value))
    if value == nil then
      assert.is_string(msg)
      assert.is_string(id)
    end
  end)

  it("a Lua table nested 5000 deep under an unknown key gives claim.schema", function()
    local report = check_with(function(c)
      local inner = {}
      c.x_deep = inner
      for _ = 1, DEPTH do
        local t = {}
        inner[1] = t
        inner = t
      end
    end)
    assert_schema(report, nil)
  end)
end)

describe("NUL bytes", function()
  it("a code with a NUL inside gives claim.schema or code.cpt.format at 'lines[1].code'",
    function()
      local report = check_with(function(c) c.lines[1].code = "90853\0X" end)
      assert.is_true(has_finding(report, "claim.schema", "lines[1].code")
        or has_finding(report, "code.cpt.format", "lines[1].code"), dump(report))
      assert.is_false(report.ok)
    end)

  it("a code of exactly 90853 then NUL is not taken as 90853", function()
    local report = check_with(function(c) c.lines[1].code = "90853\0" end)
    assert.is_false(report.ok, dump(report))
  end)

  it("an NPI with a trailing NUL is not taken as valid", function()
    local report = check_with(function(c) c.billing_provider.npi = "1234567893\0" end)
    assert.is_false(report.ok, dump(report))
  end)

  it("JSON text with \\u0000 in a string: decode returns nil, message, id", function()
    local value, msg, id = bhclaim.decode("{\"id\": \"CLM\\u0000X\"}")
    assert.is_nil(value)
    assert.is_string(msg)
    assert.is_string(id)
  end)

  it("JSON text with \\u0000 in a claim: check does not raise", function()
    local text = BASE_JSON:gsub("CLM%-2026%-0001", "CLM\\u00002026", 1)
    local ok, report, msg, id = pcall(bhclaim.check, text, OPTS)
    assert.is_true(ok, "check raised: " .. tostring(report))
    if report == nil then
      assert.is_string(msg)
      assert.is_string(id)
    else
      assert.is_false(report.ok)
    end
  end)

  it("raw NUL bytes in JSON text do not raise", function()
    local text = BASE_JSON:sub(1, 40) .. "\0" .. BASE_JSON:sub(41)
    local ok, report = pcall(bhclaim.check, text, OPTS)
    assert.is_true(ok, "check raised: " .. tostring(report))
  end)
end)

-- A cyclic table cannot come from JSON: it is a bug in the caller, so
-- check raises naming the path that leads back (it used to walk every path
-- down to depth 200, which never ended with two keys pointing back).
describe("cycles", function()
  local function raises_cycle(claim, path)
    local ok, err = pcall(bhclaim.check, claim, OPTS)
    assert.is_false(ok, "check did not raise on a cycle")
    assert.is_truthy(tostring(err):find("bad argument #1 to 'check' (a cycle", 1, true),
      tostring(err))
    assert.is_truthy(tostring(err):find("at " .. path .. ")", 1, true), tostring(err))
  end

  it("a table holding itself under an unknown key raises naming the path", function()
    local claim = base_claim()
    local t = {}
    t.self = t
    claim.x_cycle = t
    raises_cycle(claim, "x_cycle.self")
  end)

  it("a claim holding itself raises naming the key", function()
    local claim = base_claim()
    claim.x_self = claim
    raises_cycle(claim, "x_self")
  end)

  it("a cycle inside a known block raises naming the path", function()
    local claim = base_claim()
    claim.lines[1].modifiers = claim.lines
    raises_cycle(claim, "lines[1].modifiers")
  end)

  it("a table shared by two fields is not a cycle", function()
    local claim = base_claim()
    local mods = setmetatable({}, bhclaim.array_mt)
    claim.lines[1].modifiers = mods
    claim.x_copy = { mods = mods }
    assert.is_true(safe_check(claim).ok)
  end)
end)

describe("empty and minimal claims", function()
  it("an empty table is not ok and names the missing fields", function()
    local report = safe_check({})
    assert.is_false(report.ok)
    for _, path in ipairs({ "id", "payer", "billing_provider", "subscriber", "diagnoses",
      "place_of_service", "lines" }) do
      assert_schema(report, path)
    end
  end)

  it("an empty JSON object is not ok", function()
    local report = safe_check("{}")
    assert.is_false(report.ok)
    assert_schema(report, "lines")
  end)

  it("a claim with an empty line gives a finding for each of its fields", function()
    local report = check_with(function(c) c.lines = { {} } end)
    assert_schema(report, "lines[1].code")
    assert_schema(report, "lines[1].date")
    assert.is_true(has_finding(report, "line.units", "lines[1].units"), dump(report))
    assert.is_true(has_finding(report, "line.charge", "lines[1].charge"), dump(report))
    assert.is_true(has_finding(report, "line.dx_pointer", "lines[1].dx_pointers"),
      dump(report))
  end)
end)

describe("API misuse", function()
  local function assert_raises_matching(pattern, fn, ...)
    local ok, err = pcall(fn, ...)
    assert.is_false(ok, "expected a raise")
    assert.is_truthy(tostring(err):find(pattern, 1, true), tostring(err))
  end

  it("check(42) raises bad argument #1 to 'check'", function()
    assert_raises_matching("bad argument #1 to 'check'", bhclaim.check, 42)
  end)

  it("check(nil) raises bad argument #1 to 'check'", function()
    assert_raises_matching("bad argument #1 to 'check'", bhclaim.check, nil)
  end)

  it("check() raises bad argument #1 to 'check'", function()
    assert_raises_matching("bad argument #1 to 'check'", bhclaim.check)
  end)

  it("check({}, 5) raises bad argument #2 to 'check'", function()
    assert_raises_matching("bad argument #2 to 'check'", bhclaim.check, {}, 5)
  end)

  it("decode of a table or nil raises bad argument #1", function()
    assert_raises_matching("bad argument #1", bhclaim.decode, {})
    assert_raises_matching("bad argument #1", bhclaim.decode, nil)
  end)

  it("encode(function() end) raises", function()
    local ok = pcall(bhclaim.encode, function() end)
    assert.is_false(ok)
  end)

  it("encode of a table holding a function raises", function()
    local ok = pcall(bhclaim.encode, { f = function() end })
    assert.is_false(ok)
  end)
end)

describe("JSON round trip", function()
  it("keeps unknown keys and nulls through decode, encode, decode", function()
    local text = BASE_JSON:gsub("^%s*{", "{\"x_custom\": {\"a\": [1, 2]},", 1)
    local first = assert(bhclaim.decode(text))
    assert.are.same({ a = { 1, 2 } }, first.x_custom)
    local encoded = bhclaim.encode(first)
    assert.is_string(encoded)
    local second = assert(bhclaim.decode(encoded))
    assert.are.same(first, second)
    assert.are.equal(bhclaim.null, second.patient)
    assert.are.equal(bhclaim.null, second.prior_authorization)
    assert.are.equal(bhclaim.null, second.lines[1].place_of_service)
    assert.are.equal(bhclaim.null, second.session.last_in_person)
    assert.are.same({ 1, 2 }, second.x_custom.a)
  end)

  it("keeps an empty modifiers list an array", function()
    local encoded = bhclaim.encode(assert(bhclaim.decode(BASE_JSON)))
    assert.is_truthy(encoded:find("\"modifiers\"%s*:%s*%[%s*%]"), encoded)
  end)

  it("decodes null as bhclaim.null, not nil", function()
    local value = assert(bhclaim.decode("{\"a\": null}"))
    assert.are.equal(bhclaim.null, value.a)
  end)

  it("checks a round-tripped claim the same as the original", function()
    local again = assert(bhclaim.decode(bhclaim.encode(base_claim())))
    local report = safe_check(again)
    assert.is_true(report.ok, dump(report))
  end)
end)
