-- roundtrip_spec.lua: a day of sessions -> claims -> check; the same claims
-- -> 837P -> check. Findings a claim can carry in an 837P must come out the
-- same both times; those that rest on the notes and session details (which
-- an 837P does not carry) are replaced by one check.skipped note.
local bhclaim = require("bhclaim")
local support = require("spec.support")
local read_file = support.read_file

local TODAY = "2026-11-26"
-- The day has claims with errors on purpose: they are written unchecked so
-- that their findings can be compared after the trip.
local ENVELOPE = dofile("examples/envelope.lua")
ENVELOPE.unchecked = true
-- Rules that read the session or documentation block (or the credential,
-- which an 837P does not carry), and the practice's own rules.
local NEEDS_BLOCKS = { "doc.", "group.", "telehealth.", "check.skipped", "provider.credential" }

local function portable(report)
  local out = {}
  for _, f in ipairs(report.findings) do
    local keep = true
    for _, prefix in ipairs(NEEDS_BLOCKS) do
      if f.rule:sub(1, #prefix) == prefix then keep = false end
    end
    if keep then out[#out + 1] = f.rule .. " " .. f.path end
  end
  table.sort(out)
  return out
end

describe("check -> export --to 837p -> check", function()
  local day = assert(bhclaim.decode(read_file("examples/sessions/day-2026-04-07.json")))
  local claims, first = {}, {}
  for _, data in ipairs(day) do
    local report = bhclaim.session(data):check{ today = TODAY }
    for _, c in ipairs(report.claims) do
      claims[#claims + 1] = c.claim
      first[#first + 1] = c.report
    end
  end

  it("gives the same findings for what the 837P carries", function()
    local text = assert(bhclaim.x12.write(claims, ENVELOPE))
    local second, _, err = bhclaim.x12.check(text, { today = TODAY })
    assert.is_nil(err)
    assert.are.equal(#first, #second)
    local compared = 0
    for i = 1, #first do
      assert.are.equal(first[i].claim_id, second[i].claim_id)
      assert.are.same(portable(first[i]), portable(second[i]))
      compared = compared + #portable(first[i])
    end
    assert.is_true(compared > 0)    -- the day has claim-level mistakes to compare
  end)

  it("says on each 837P claim which checks could not run", function()
    local text = assert(bhclaim.x12.write(claims, ENVELOPE))
    for _, r in ipairs((bhclaim.x12.check(text, { today = TODAY }))) do
      assert.are.equal(1, #r:by_rule("check.skipped"))
    end
  end)
end)
