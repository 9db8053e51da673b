-- json_reader_spec.lua: decode and check read JSON with one reader (the
-- claim reader in csrc/claim_json.c; csrc/json.c builds the values of a
-- text it accepts), so the same bad text gets the same message, byte and
-- id from both, and what one accepts the other reads.
local bhclaim = require("bhclaim")
local core = require("bhclaim.core")

local BAD = {
  { "", "json.syntax", "line 1, byte 1: empty input: expected a JSON value" },
  { "{", "json.syntax", "line 1, byte 2: unexpected end of input (truncated JSON?)" },
  { '{"a":1,}', "json.syntax", "line 1, byte 8: expected a key in quotes" },
  { '{"a" 1}', "json.syntax", "line 1, byte 6: expected ':' after the key" },
  { '{"a":1} x', "json.syntax",
    "line 1, byte 9: expected the end of input after the JSON value" },
  { '"abc', "json.syntax", "line 1, byte 5: unexpected end of input (truncated JSON?)" },
  { '{"a":01}', "json.syntax", "line 1, byte 7: expected ',' or '}'" },
  { '{"a":"\1"}', "json.syntax",
    "line 1, byte 7: a raw control character inside a string (it must be escaped)" },
  { '{"a":"\\u0000"}', "json.nul",
    "line 1, byte 7: the text holds a NUL character (\\u0000), which claims cannot carry" },
  { string.rep("[", 300), "json.depth", "line 1, byte 201: nested deeper than 200 levels" },
}

describe("one JSON reader for decode and check", function()
  for _, case in ipairs(BAD) do
    local text, id, message = case[1], case[2], case[3]
    it("refuses " .. string.format("%q", text:sub(1, 12)) .. " alike", function()
      local v, dmsg, did = core.decode(text)
      assert.is_nil(v)
      assert.are.same({ message, id }, { dmsg, did })
      local r, cmsg, cid = bhclaim.check(text, { today = "2026-11-26" })
      assert.is_nil(r)
      assert.are.same({ message, id }, { cmsg, cid })
    end)
  end

  it("decodes every kind of value with the array metatable and null", function()
    local v = assert(core.decode(' {"a":[1,2.5,"x",true,false,null],"b":{},"c":[]} \n'))
    assert.are.same({ 1, 2.5, "x", true, false }, { v.a[1], v.a[2], v.a[3], v.a[4], v.a[5] })
    assert.are.equal(core.null, v.a[6])
    assert.are.equal(core.array_mt, getmetatable(v.a))
    assert.are.equal(core.array_mt, getmetatable(v.c))
    assert.is_nil(getmetatable(v.b))
    assert.are.equal("\240\159\152\128", core.decode('"\\ud83d\\ude00"'))
  end)
end)
