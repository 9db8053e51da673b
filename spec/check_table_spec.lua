-- bhclaim.check reads a claim table straight into the core's claim model
-- (csrc/lua/claim_table.c) and builds its report in C: a table must give
-- exactly the findings its JSON text gives, and reports keep every field.

local bhclaim = require("bhclaim")
local core = require("bhclaim.core")
local support = require("spec.support")
local base_claim = support.base_claim

local OPTS = { today = support.TODAY }

-- The findings as sorted lines: a table's members come in lua_next order,
-- its JSON text's in text order, so the order within a severity may differ.
local function finding_lines(r)
  local out = {}
  for _, f in ipairs(r.findings) do
    out[#out + 1] = table.concat({ f.severity, f.rule, f.path, f.message }, "|")
  end
  table.sort(out)
  return out
end

-- Checks the claim with set(claim, value) applied, and the JSON text of the
-- claim with `text` at the same place: both must give the same findings.
local function same_as_text(set, value, text)
  local claim = base_claim()
  set(claim, value)
  local r_table = assert(bhclaim.check(claim, OPTS))
  local placeholder = "PLACEHOLDER_VALUE"
  claim = base_claim()
  set(claim, placeholder)
  local json = bhclaim.encode(claim):gsub('"' .. placeholder .. '"', function() return text end)
  local r_text = assert(bhclaim.check(json, OPTS))
  assert.are.same(finding_lines(r_text), finding_lines(r_table))
  return r_table
end

-- A string as JSON text, as check writes a table's string: control
-- characters and DEL escaped, NUL as SUB (JSON text cannot carry a NUL).
local function json_string(str)
  return '"' .. str:gsub('[%c"\\]', function(c)
    if c == '"' or c == "\\" then return "\\" .. c end
    if c == "\0" then c = "\26" end
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function has(r, rule, path, message)
  for _, f in ipairs(r.findings) do
    if f.rule == rule and f.path == path and (message == nil or f.message == message) then
      return true
    end
  end
  return false
end

describe("check(table) gives the findings of the table's JSON text", function()
  local function set_lines(c, v) c.lines = v end
  local function set_adjudications(c, v) c.lines[1].adjudications = v end
  local function set_diagnoses(c, v) c.diagnoses = v end

  it("for an empty table under an array key of the contract and under another key", function()
    local r = same_as_text(set_lines, {}, "[]")
    assert.is_true(has(r, "claim.schema", "lines", "At least one entry is required."))
    -- adjudications is not one of the keys an empty table is an array
    -- under: it reads as {}, which an array field takes as absent.
    r = same_as_text(set_adjudications, {}, "{}")
    assert.is_false(has(r, "claim.schema", "lines[1].adjudications"))
    same_as_text(set_adjudications, setmetatable({}, core.array_mt), "{}")
  end)

  it("for a table marked with array_mt that also has a string key", function()
    local r = same_as_text(set_diagnoses, setmetatable({ "F32.1", note = "x" }, core.array_mt),
      '["F32.1"]')
    assert.is_false(has(r, "claim.schema", "diagnoses"))
    -- without the metatable it is an object
    r = same_as_text(set_diagnoses, { "F32.1", note = "x" }, '{"note": "x"}')
    assert.is_true(has(r, "claim.schema", "diagnoses", "Expected an array, found an object."))
    -- an object under an array key, with the metatable and no element
    same_as_text(set_diagnoses, setmetatable({ note = "x" }, core.array_mt), "[]")
  end)

  it("for a table whose keys are not 1..n", function()
    same_as_text(function(c, v) c.lines[1].modifiers = v end, { [2] = "HQ" }, "{}")
    same_as_text(function(c, v) c.payer = v end, { [true] = 1, id = "X" }, '{"id": "X"}')
  end)

  it("for arrays whose keys lua_next gives out of order, with holes, or mixed", function()
    -- integer keys put into a table with a hash part (whose string keys
    -- are then removed) stay there, and lua_next gives them in hash order
    local function hash_ordered(list)
      local t = { a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7 }
      for i = #list, 1, -1 do t[i] = list[i] end
      for _, k in ipairs({ "a", "b", "c", "d", "e", "f", "g" }) do t[k] = nil end
      return t
    end
    local diagnoses = hash_ordered({ "F32.1", "F41.1", "Z63.0", "F43.10", "F41.1" })
    same_as_text(set_diagnoses, diagnoses, bhclaim.encode(diagnoses))
    same_as_text(function(c, v) c.lines[1].dx_pointers = v end, hash_ordered({ 1, 1, 1, 1, 1 }),
      "[1, 1, 1, 1, 1]")
    -- a hole: an object without array_mt, an array with null in it with it
    same_as_text(set_diagnoses, { "F32.1", nil, "F41.1" }, "{}")
    local holed = setmetatable({ "F32.1", nil, "F41.1" }, core.array_mt)
    same_as_text(set_diagnoses, holed, bhclaim.encode(holed))
    -- a first key 1 and a string key: an object, read again when found so
    local mixed = { "90853" }
    mixed.code = "90853"
    same_as_text(function(c, v) c.lines[1] = v end, mixed, '{"code": "90853"}')
    -- the same deep inside an array read in order
    local lines = { { code = "90853", units = 1, charge = "75.00", date = "2026-03-02",
      dx_pointers = { 1, x = 2 } } }
    same_as_text(set_lines, lines,
      '[{"code": "90853", "units": 1, "charge": "75.00", "date": "2026-03-02", ' ..
      '"dx_pointers": {"x": 2}}]')
  end)

  it("for control characters, NUL and DEL in strings", function()
    for _, str in ipairs({ "a\0b", "tab\there", "del\127", "\255\254 not UTF-8" }) do
      local r = same_as_text(function(c, v) c.billing_provider.npi = v end, str,
        json_string(str))
      if str:find("[%c]") then
        assert.is_true(has(r, "claim.schema", "billing_provider.npi",
          "The text holds a control character (such as a NUL byte or a line break); " ..
          "it cannot be sent to a payer."), str)
      end
    end
  end)

  it("for a key longer than any the contract has, and a key holding a NUL", function()
    same_as_text(function(c, v) c[string.rep("k", 60)] = v end, "x", '"x"')
    same_as_text(function(c, v) c.payer = v end,
      { ["id\0"] = "X", name = "P", kind = "commercial" },
      '{"id\\u001a": "X", "name": "P", "kind": "commercial"}')
  end)

  it("for negative, fractional and huge numbers", function()
    local function units(c, v) c.lines[1].units = v end
    local function charge(c, v) c.lines[1].charge = v end
    local function pointers(c, v) c.lines[1].dx_pointers = v end
    same_as_text(units, -2, "-2")
    same_as_text(units, 1e300, "1e300")
    same_as_text(charge, 45.125, "45.125")
    same_as_text(charge, 0.1 + 0.2, "0.30000000000000004")
    same_as_text(pointers, { 1.5 }, "[1.5]")
    same_as_text(pointers, { -0.0 }, "[-0]")
    same_as_text(function(c, v) c.session = v end, { minutes = 2 ^ 53 },
      '{"minutes": 9007199254740992}')
    -- a negative units of a line adjudication is the wrong type, as in text
    local r = same_as_text(set_adjudications,
      { { payer_id = "P", code = "90853", date = "2026-03-02", units = -1 } },
      '[{"payer_id": "P", "code": "90853", "date": "2026-03-02", "units": -1}]')
    assert.is_true(has(r, "claim.schema", "lines[1].adjudications[1].units"))
  end)

  it("for more entries than the 837P allows", function()
    local many = {}
    for i = 1, 14 do many[i] = "F32.1" end
    local r = same_as_text(set_diagnoses, many, bhclaim.encode(many))
    assert.is_true(has(r, "claim.schema", "diagnoses",
      "The 837P allows at most 12 entries here."))
  end)

  it("for a value JSON cannot hold, under a known and an unknown key", function()
    local claim = base_claim()
    claim.note = print
    claim.extra = { deep = { 0 / 0 } }
    local r = assert(bhclaim.check(claim, OPTS))
    assert.is_true(has(r, "claim.schema", "note"))
    assert.is_true(has(r, "claim.schema", "extra.deep[1]"))
  end)
end)

describe("check's report, built in C", function()
  it("counts and orders findings by severity and keeps every field", function()
    local claim = base_claim()
    claim.lines[1].code = "99999"
    claim.payer.name = nil
    local r = assert(bhclaim.check(claim, { today = support.TODAY, summary = true }))
    assert.is_false(r.ok)
    assert.are.equal(claim.id, r.claim_id)
    assert.are.same({}, r.disabled)
    assert.is_table(r.summary)
    local rank, last = { error = 1, warning = 2, info = 3 }, 1
    local counts = { error = 0, warning = 0, info = 0 }
    for _, f in ipairs(r.findings) do
      assert.is_true(rank[f.severity] >= last)
      last = rank[f.severity]
      counts[f.severity] = counts[f.severity] + 1
      assert.are.equal(getmetatable(f), getmetatable(r.findings[1]))
    end
    assert.are.same(counts, r.counts)
    assert.is_truthy(tostring(r):find(claim.id, 1, true))
    assert.is_nil(assert(bhclaim.check(base_claim(), OPTS)).summary)
  end)

  it("leaves disabled rules out and records each, sorted, with what it suppressed", function()
    local claim = base_claim()
    claim.lines[1].code = "99999"
    local before = assert(bhclaim.check(claim, OPTS))
    local rule = before.findings[1].rule
    local r = assert(bhclaim.check(claim, { today = support.TODAY,
      disable = { [rule] = "payer waives it", ["doc.plan"] = "not sent" } }))
    local n = 0
    for _, f in ipairs(before.findings) do
      if f.rule == rule then n = n + 1 end
    end
    assert.is_false(has(r, rule, before.findings[1].path))
    assert.are.equal(#before.findings - n, #r.findings)
    local records = { { rule = rule, reason = "payer waives it", suppressed = n },
      { rule = "doc.plan", reason = "not sent", suppressed = 0 } }
    table.sort(records, function(a, b) return a.rule < b.rule end)
    assert.are.same(records, r.disabled)
    assert.are.equal(before.counts[before.findings[1].severity] - n,
      r.counts[before.findings[1].severity])
  end)

  it("does not read the clock when today is given", function()
    local date = os.date
    local called = false
    os.date = function(...) called = true return date(...) end   -- luacheck: ignore
    local ok, err = pcall(bhclaim.check, base_claim(), OPTS)
    os.date = date   -- luacheck: ignore
    assert.is_true(ok, err)
    assert.is_false(called)
  end)

  it("gives a table's read findings in path order, whatever order lua_next walks", function()
    -- Ill-typed members at several places: lua_next visits them in an
    -- order that changes from run to run (Lua 5.4 randomises its hash
    -- seed), so the reader puts what it found in path order, digits by value.
    local claim = base_claim()
    for i = 2, 10 do claim.lines[i] = support.deep_copy(claim.lines[1]) end
    claim.lines[10].units = "x"
    claim.lines[2].units = "z"
    claim.lines[2].charge = "y"
    claim.billing_provider.npi = 5
    claim.total_charge = "q"
    claim.frequency = true
    local r = assert(bhclaim.check(claim, OPTS))
    local paths = {}
    for _, f in ipairs(r.findings) do
      if f.rule == "claim.schema" then paths[#paths + 1] = f.path end
    end
    assert.are.same({ "billing_provider.npi", "frequency", "lines[2].charge", "lines[2].units",
      "lines[10].units", "total_charge" }, paths)
  end)
end)