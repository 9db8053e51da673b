-- The shared samples the contract fixtures mirror, read by the core's
-- readers: each must give what its fixture gives (claim ids, outcomes,
-- amounts; acknowledgement kinds and accepted flags). This is the switch
-- from hand-built tables to the readers (#contract_fixture): while the core
-- has no reader, read() must say so (remit.unavailable / ack.unavailable)
-- and these specs check only that.
local bhclaim = require("bhclaim")
local core = require("bhclaim.core")
local T = dofile("spec/fixtures/remit/tables.lua")

local SAMPLES = "spec/fixtures/x12-samples/"

local function read_sample(name)
  local f = io.open(SAMPLES .. name, "rb")
  if not f then return nil end
  local text = f:read("*a")
  f:close()
  return text
end

local REMITS = {
  { "835_edi835parser_bcbsnc_st_only.txt", "bcbsnc" },
  { "835_edi835parser_emedny.txt", "emedny" },
  { "835_pyx12_mult_loops.txt", "pyx12_denied" },
}

local ACKS = {
  { "999_imsweb_rejected.txt", "ack_999_rejected" },
  { "999_imsweb_accepted.txt", "ack_999_accepted" },
  { "ta1_uhin_4010.edi", "ta1_rejected" },
  { "277ca_imsweb_rejected.txt", "ack_277ca_rejected" },
  { "277ca_imsweb_accepted.txt", "ack_277ca_accepted" },
}

local function summary(list)
  local out = {}
  for _, r in ipairs(list) do
    for _, c in ipairs(r.claims) do
      out[#out + 1] = { c.claim_id, c.status, c.outcome, c.charge, c.paid,
        c.patient_responsibility or "0.00", c.payer_claim_number }
    end
  end
  return out
end

describe("the mirrored 835 samples through core.remit_read #contract_fixture", function()
  for _, pair in ipairs(REMITS) do
    it(pair[1] .. " gives what fixture " .. pair[2] .. " gives", function()
      local text = read_sample(pair[1])
      assert.is_string(text, pair[1] .. " not found")
      local list, msg, id = bhclaim.remit.read(text)
      if type(core.remit_read) ~= "function" then
        assert.is_nil(list)
        assert.are.equal("remit.unavailable", id)
        assert.is_string(msg)
        return
      end
      assert.is_table(list, tostring(msg))
      assert.are.same(summary(bhclaim.remit.explain(T[pair[2]]())), summary(list))
    end)
  end
end)

describe("the mirrored acknowledgement samples through core.ack_read #contract_fixture",
  function()
  for _, pair in ipairs(ACKS) do
    it(pair[1] .. " gives what fixture " .. pair[2] .. " gives", function()
      local text = read_sample(pair[1])
      assert.is_string(text, pair[1] .. " not found")
      local list, msg, id = bhclaim.ack.read(text)
      if type(core.ack_read) ~= "function" then
        assert.is_nil(list)
        assert.are.equal("ack.unavailable", id)
        assert.is_string(msg)
        return
      end
      assert.is_table(list, tostring(msg))
      local function entries(l)
        local out = {}
        for _, a in ipairs(l) do
          for _, e in ipairs(bhclaim.ack.entries(a)) do
            out[#out + 1] = { e.kind, e.accepted, e.claim_id or e.control_number }
          end
        end
        return out
      end
      assert.are.same(entries(bhclaim.ack.explain(T[pair[2]]())), entries(list))
    end)
  end
end)
