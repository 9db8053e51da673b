-- json_write_spec.lua: the one writer from a Lua value to JSON text
-- (csrc/lua/json_write.c). encode's output for tricky values is pinned to
-- what encode printed before the writer was shared (then a cJSON tree), and
-- check's lenient use of the same writer keeps its findings.

local bhclaim = require("bhclaim")
local support = require("spec.support")

local A, null = bhclaim.array_mt, bhclaim.null

-- Negation at run time: Lua 5.1 folds the literal -0.0 into 0.
local function neg(x) return -x end

-- A table n levels deep, the innermost empty.
local function nest(n)
  local root = {}
  local t = root
  for _ = 1, n - 1 do
    t[1] = {}
    t = t[1]
  end
  return root
end

local function cycle()
  local c = { lines = { {} } }
  c.lines[1].back = c
  return c
end

-- name, value, encoded (true) or refused (false), the text or the reason.
local CASES = {
  { "zero", function() return 0 end,
    true, "0" },
  { "one", function() return 1 end,
    true, "1" },
  { "minus one", function() return -1 end,
    true, "-1" },
  { "42", function() return 42 end,
    true, "42" },
  { "1e15", function() return 1e15 end,
    true, "1000000000000000" },
  { "2^53", function() return 2^53 end,
    true, "9007199254740992" },
  { "2^53 + 2", function() return 2^53 + 2 end,
    true, "9007199254740994" },
  { "1e16", function() return 1e16 end,
    true, "10000000000000000" },
  { "1e17", function() return 1e17 end,
    true, "1e+17" },
  { "1e300", function() return 1e300 end,
    true, "1e+300" },
  { "-0.0", function() return neg(0.0) end,
    true, "-0" },
  { "0.1", function() return 0.1 end,
    true, "0.1" },
  { "1/3", function() return 1/3 end,
    true, "0.3333333333333333" },
  { "123.456", function() return 123.456 end,
    true, "123.456" },
  { "-2.5", function() return -2.5 end,
    true, "-2.5" },
  { "-0.25", function() return -0.25 end,
    true, "-0.25" },
  { "5e-324", function() return 5e-324 end,
    true, "4.94065645841247e-324" },
  { "largest double", function() return 1.7976931348623157e308 end,
    true, "1.7976931348623157e+308" },
  { "pi", function() return math.pi end,
    true, "3.141592653589793" },
  { "1e-7", function() return 1e-7 end,
    true, "1e-07" },
  { "100.25", function() return 100.25 end,
    true, "100.25" },
  { "2^63", function() return 2^63 end,
    true, "9.223372036854776e+18" },
  { "-1e21", function() return -1e21 end,
    true, "-1e+21" },
  { "0.1 + 0.2", function() return 0.1 + 0.2 end,
    true, "0.30000000000000004" },
  { "empty string", function() return "" end,
    true, "\"\"" },
  { "quote, backslash, slash", function() return "a\"b\\c/d" end,
    true, "\"a\\\"b\\\\c/d\"" },
  { "short escapes", function() return "\b\f\n\r\t" end,
    true, "\"\\b\\f\\n\\r\\t\"" },
  { "other controls and DEL", function() return "\1\31\127\27" end,
    true, "\"\\u0001\\u001f\127\\u001b\"" },
  { "UTF-8", function() return "\195\169 \230\151\165\230\156\172 \240\159\152\128" end,
    true, "\"\195\169 \230\151\165\230\156\172 \240\159\152\128\"" },
  { "invalid UTF-8", function() return "\255\254\192" end,
    true, "\"\255\254\192\"" },
  { "true", function() return true end,
    true, "true" },
  { "false", function() return false end,
    true, "false" },
  { "null", function() return null end,
    true, "null" },
  { "empty table", function() return {} end,
    true, "{}" },
  { "empty table with array_mt", function() return setmetatable({}, A) end,
    true, "[]" },
  { "array", function() return { 1, "two", true, null, { 3 } } end,
    true, "[1,\"two\",true,null,[3]]" },
  { "array_mt sequence", function() return setmetatable({ "a", "b" }, A) end,
    true, "[\"a\",\"b\"]" },
  { "array_mt with a hole", function() return setmetatable({ [1] = 1, [2] = null, [3] = 3 }, A) end,
    true, "[1,null,3]" },
  { "nested", function() return { a = { b = { c = {} } }, list = { {}, { x = 1 } } } end,
    true, "{\"a\":{\"b\":{\"c\":{}}},\"list\":[{},{\"x\":1}]}" },
  { "empty tables under array keys", function() return { lines = {}, diagnoses = {}, modifiers = {},
      dx_pointers = {}, participants = {}, findings = {}, other = {} } end,
    true, "{\"modifiers\":[],\"diagnoses\":[],\"lines\":[],\"dx_pointers\":[],\""
      .. "findings\":[],\"other\":{},\"participants\":[]}" },
  { "key order", function() return { zeta = 1, alpha = 2, id = "x", date = "d",
      lines = { { units = 1,
      code = "90853", modifiers = { "95" }, charge = 10.5, dx_pointers = { 1 } } },
      note = "n", code = "c", payer = { kind = "medicare", name = "P" }, Zed = 0, _u = 1,
      ["10"] = "ten", ["a b"] = "space", ["k\"q"] = "quote key", ["\195\169"] = "UTF-8 key",
      ["line\n"] = "control key",
      session = { participants = {}, start = "10:00", ["end"] = "11:00" } } end,
    true, "{\"id\":\"x\",\"date\":\"d\",\"code\":\"c\",\"payer\":{\"kind\":\"medicare\",\""
      .. "name\":\"P\"},\"note\":\"n\",\"lines\":[{\"code\":\"90853\",\"modifiers\":["
      .. "\"95\"],\"units\":1,\"charge\":10.5,\"dx_pointers\":[1]}],\"session\":"
      .. "{\"start\":\"10:00\",\"end\":\"11:00\",\"participants\":[]},\"10\":\"ten\""
      .. ",\"Zed\":0,\"_u\":1,\"a b\":\"space\",\"alpha\":2,\"k\\\"q\":\"quote key\",\""
      .. "line\\n\":\"control key\",\"zeta\":1,\"\195\169\":\"UTF-8 key\"}" },
  { "string keys that look like numbers", function() return { ["1"] = "a", ["2"] = "b" } end,
    true, "{\"1\":\"a\",\"2\":\"b\"}" },
  { "199 levels", function() return nest(199) end,
    true, string.rep("[", 198) .. "{}" .. string.rep("]", 198) },
  { "a function", function() return { a = print } end,
    false, "cannot encode a function at a" },
  { "a userdata", function() return { f = io.stdout } end,
    false, "cannot encode userdata at f" },
  { "a coroutine", function() return { 1, coroutine.create(function() end) } end,
    false, "cannot encode thread at [2]" },
  { "NaN", function() return { x = { y = 0/0 } } end,
    false, "cannot encode NaN or an infinity at x.y" },
  { "an infinity", function() return { 1, 2, -1/0 } end,
    false, "cannot encode NaN or an infinity at [3]" },
  { "a NUL in a string", function() return { name = "a\0b" } end,
    false, "cannot encode a string holding a NUL byte at name" },
  { "mixed keys", function() return { a = { 1, 2, x = 3 } } end,
    false, "cannot encode a table with keys that are neither 1..n nor st"
      .. "rings at a" },
  { "a sparse list", function() return { list = { [1] = 1, [3] = 3 } } end,
    false, "cannot encode a table with keys that are neither 1..n nor st"
      .. "rings at list" },
  { "a float key", function() return { [1.5] = 1 } end,
    false, "cannot encode a table with keys that are neither 1..n nor st"
      .. "rings" },
  { "a cycle", function() return cycle() end,
    false, "cannot encode a cycle back to an enclosing table at lines[1]"
      .. ".back" },
  { "202 levels", function() return nest(202) end,
    false, "cannot encode a table nested more than 200 levels deep at "
      .. string.rep("[1]", 42) .. "[" },
  { "a function alone", function() return print end,
    false, "cannot encode a function" },
  { "NaN alone", function() return 0/0 end,
    false, "cannot encode NaN or an infinity" },
}

describe("bhclaim.encode", function()
  for _, case in ipairs(CASES) do
    local name, value, encoded, expected = case[1], case[2], case[3], case[4]
    if encoded then
      it("writes " .. name .. " as before", function()
        assert.are.equal(expected, bhclaim.encode(value()))
      end)
    else
      it("refuses " .. name .. ", naming the path", function()
        local ok, err = pcall(bhclaim.encode, value())
        assert.is_false(ok)
        assert.are.equal("bad argument #1 to 'encode' (" .. expected .. ")",
          tostring(err):gsub("^[^:]*:%d+: ", ""))
      end)
    end
  end

  it("writes integers exactly on Lua 5.3+", function()
    local max, min = rawget(math, "maxinteger"), rawget(math, "mininteger")
    if not max then return end  -- floats only before 5.3
    assert.are.equal("[9223372036854775807,-9223372036854775808,9007199254740993,"
      .. "123456789012345678,3]", bhclaim.encode({ max, min, 9007199254740993,
        123456789012345678, 3.0 }))
  end)

  it("refuses a key holding a NUL byte instead of cutting it short", function()
    local ok, err = pcall(bhclaim.encode, { a = { ["x\0y"] = 1 } })
    assert.is_false(ok)
    assert.is_truthy(support.contains(tostring(err),
      "bad argument #1 to 'encode' (cannot encode a key holding a NUL byte at a.x)"), err)
  end)

  it("reads back what it writes", function()
    local claim = support.base_claim()
    assert.are.same(claim, bhclaim.decode(bhclaim.encode(claim)))
  end)
end)

-- A value JSON cannot hold sends check(table) to the lenient writer; what
-- the claim holds otherwise is read as the direct table reader reads it.
describe("check(table) through the lenient writer", function()
  local OPTS = { today = support.TODAY }

  local function rules_at(report)
    local out = {}
    for _, f in ipairs(report.findings) do out[#out + 1] = f.rule .. " " .. f.path end
    table.sort(out)
    return out
  end

  local function both_ways(mutate)
    local plain = support.base_claim()
    mutate(plain)
    local forced = support.base_claim()
    mutate(forced)
    forced.extra = print
    local direct = bhclaim.check(plain, OPTS)
    local lenient = bhclaim.check(forced, OPTS)
    local expected = rules_at(direct)
    expected[#expected + 1] = "claim.schema extra"
    table.sort(expected)
    assert.are.same(expected, rules_at(lenient))
    return lenient
  end

  it("finds the same as the direct reader, plus the unsupported value", function()
    both_ways(function() end)
  end)

  it("flags a DEL and other control characters as the direct reader does", function()
    both_ways(function(c) c.subscriber.name.last = "Ro\127e" end)
    both_ways(function(c) c.subscriber.name.first = "A\nB" end)
  end)

  it("reads a NUL in a string as a control character, not the string's end", function()
    both_ways(function(c) c.subscriber.name.last = "Ro\0e" end)
  end)

  it("writes null for NaN and names its path", function()
    local claim = support.base_claim()
    claim.lines[1].units = 0 / 0
    local r = bhclaim.check(claim, OPTS)
    assert.is_truthy(support.finding_at(r, "claim.schema", "lines[1].units"))
  end)
end)

describe("x12.write, for a claim check cannot read", function()
  local ENVELOPE = {
    sender_id = "SENDER01", receiver_id = "RECEIVER01", submitter_name = "Practice",
    submitter_id = "SUB01", contact_name = "Billing", contact_phone = "5555550100",
    receiver_name = "Payer", receiver_id_1000b = "PAYER01", date = "2026-11-26", time = "1200",
    check = { today = support.TODAY },
  }

  local function write_error(claims)
    local ok, err = pcall(bhclaim.x12.write, claims, ENVELOPE)
    assert.is_false(ok)
    return tostring(err)
  end

  it("raises write's bad argument naming the claim, for a value of another type", function()
    local err = write_error({ support.base_claim(), 42 })
    assert.is_truthy(support.contains(err, "bad argument #1 to 'write' (claim 2: table or "
      .. "JSON string expected, got number)"), err)
  end)

  it("raises write's bad argument naming the claim and path, for a cycle", function()
    local claim = support.base_claim()
    claim.subscriber.self = claim
    local err = write_error({ claim })
    assert.is_truthy(support.contains(err, "bad argument #1 to 'write' (claim 1: a cycle "
      .. "back to an enclosing table at subscriber.self)"), err)
  end)

  it("passes other errors of check on as they are", function()
    local opts = support.deep_copy(ENVELOPE)
    opts.check = { today = support.TODAY, colour = "red" }
    local ok, err2 = pcall(bhclaim.x12.write, { support.base_claim() }, opts)
    assert.is_false(ok)
    assert.is_truthy(support.contains(tostring(err2),
      "bad argument #2 to 'check' (unknown option 'colour')"), err2)
  end)

  it("leaves x12.refusal raising check's own bad argument", function()
    local ok, err = pcall(bhclaim.x12.refusal, 42, { today = support.TODAY })
    assert.is_false(ok)
    assert.is_truthy(support.contains(tostring(err), "bad argument #1 to 'check' (table or "
      .. "JSON string expected, got number)"), err)
  end)
end)
