-- Specs for bhclaim.listing: the one layout of the lists remittances and
-- acknowledgements print (lua/bhclaim/listing.lua), as bhclaim.remit,
-- bhclaim.ack and the remit and ack commands use it.

local bhclaim = require("bhclaim")
local listing = require("bhclaim.listing")

local ACK_999 = "ISA*00*          *00*          *ZZ*RECEIVER       *ZZ*SENDER         "
  .. "*260302*1200*^*00501*000000001*0*P*:~GS*FA*RECEIVER*SENDER*20260302*1200*1*X*005010X231A1~"
  .. "ST*999*0001*005010X231A1~AK1*HC*28*005010X222A1~AK2*837*0028~"
  .. "IK3*NM*17**8~IK5*R*5~AK9*R*1*1*0~SE*7*0001~GE*1*1~IEA*1*000000001~"

describe("bhclaim.listing", function()
  it("adds each item's lines after the indent, tostring by default", function()
    local out = { "head" }
    listing.add_lines(out, { "a", 2 }, "  ")
    listing.add_lines(out, nil, "  ")
    listing.add_lines(out, { { n = 1 } }, "> ", function(x) return "one " .. x.n, "two" end)
    assert.same({ "head", "  a", "  2", "> one 1", "> two" }, out)
  end)

  it("lays out adjustments, then remarks, four spaces in", function()
    local out = {}
    listing.add_adjustments(out, {
      adjustments = { { amount = "5.00" }, { amount = "1.00" } },
      remarks = { { code = "N1", text = "Appeal." } },
    }, function(a) return "adj " .. a.amount end)
    assert.same({ "    adj 5.00", "    adj 1.00", "    remark N1: Appeal." }, out)
    out = {}
    listing.add_adjustments(out, {}, tostring)
    assert.same({}, out)
  end)

  it("makes read lists print as their items with a blank line between", function()
    local list = listing.read(ACK_999 .. ACK_999, "ack_read", bhclaim.ack.explain)
    assert.equal(2, #list)
    assert.equal(tostring(list[1]) .. "\n\n" .. tostring(list[2]), tostring(list))
    assert.truthy(tostring(list[1]):find("REJECTED", 1, true))
  end)

  it("passes the reader's failure on as nil, message, id", function()
    local list, msg, id = listing.read("not X12", "remit_read", bhclaim.remit.explain)
    assert.is_nil(list)
    assert.equal("string", type(msg))
    assert.equal("string", type(id))
  end)

  it("blames the caller of remit.read and ack.read for a text that is not a string", function()
    for _, read in ipairs({ bhclaim.remit.read, bhclaim.ack.read }) do
      local ok, err = pcall(function()
        local r = read(42)   -- not a tail call: the error names this line
        return r
      end)
      assert.is_false(ok)
      assert.truthy(err:find("listing_spec.lua:%d+: bad argument #1 to 'read' %(string expected, "
        .. "got number%)"), err)
    end
  end)

  it("gives an acknowledgement entry's errors, then its status texts, as its messages", function()
    assert.same({ "e1", "e2", "s1" },
      bhclaim.ack.messages({ errors = { "e1", "e2" }, status = { "s1" } }))
    assert.same({}, bhclaim.ack.messages({ status = "A" }))
  end)
end)
