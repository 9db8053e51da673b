-- End to end: claims written as an 837P by bhclaim.x12.write, the payer's
-- 835 answer (spec/fixtures/remit/e2e_medicare.835, written by hand for
-- them), and `bhclaim remit FILE.835 --claims FILE.837` matching the two:
-- a paid claim, a partly paid one (one line underpaid, one denied), a
-- denied one, a payment for a claim never sent and a sent claim with no
-- answer.
local bhclaim = require("bhclaim")
local support = require("spec.support")

local ANSWER = "spec/fixtures/remit/e2e_medicare.835"

local run = support.run_cli

local lines = support.lines

local function copy(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = copy(x) end
  return setmetatable(t, getmetatable(v))
end

-- examples/claims/clean_medicare.json (Medicare, 90853, POS 11) with its
-- id, subscriber and one 90853 line per date.
local function claim(base, id, last, first, dates)
  local c = copy(base)
  c.id = id
  c.subscriber.name = { last = last, first = first }
  local line = c.lines[1]
  c.lines = {}
  for i, d in ipairs(dates) do
    c.lines[i] = copy(line)
    c.lines[i].date = d
  end
  return c
end

describe("bhclaim remit against the 837P that was sent", function()
  local sent = os.tmpname()

  setup(function()
    local f = assert(io.open("examples/claims/clean_medicare.json", "rb"))
    local base = assert(bhclaim.decode(f:read("*a")))
    f:close()
    local claims = {
      claim(base, "E2E-0001", "Okafor", "Grace", { "2026-04-07" }),
      claim(base, "E2E-0002", "Patel", "Ravi", { "2026-04-07", "2026-04-14" }),
      claim(base, "E2E-0003", "Nguyen", "Lan", { "2026-04-14" }),
      claim(base, "E2E-0004", "Brooks", "Ana", { "2026-04-14" }),
    }
    local envelope = dofile("examples/envelope.lua")
    envelope.unchecked = true  -- these claims are for matching; check is not the point
    local x12 = assert(bhclaim.x12.write(claims, envelope))
    f = assert(io.open(sent, "wb"))
    f:write(x12)
    f:close()
  end)

  teardown(function() os.remove(sent) end)

  it("matches payments and claims both ways, with expected allowed and variance", function()
    local out, err, status = run({ "remit", ANSWER, "--claims", sent, "--format", "json" })
    assert.are.equal("", err)
    assert.are.equal(1, status)  -- partial, denied, a variance
    local l = lines(out)
    assert.are.equal(5, #l)  -- 4 payments, 1 sent claim with no answer
    local e = {}
    for i, s in ipairs(l) do e[i] = bhclaim.decode(s) end

    -- Expected amounts: 90853 national non-facility, $30.39. An 837P
    -- carries no credential (the JSON's LCSW is not in it), so the line is
    -- priced at the full amount, as for a psychologist.
    -- Paid at the fee schedule: no variance, no finding.
    assert.are.same({ "E2E-0001", "paid", true, "claim id", "30.39", "30.39", "0.00" },
      { e[1].claim_id, e[1].outcome, e[1].matched, e[1].matched_by, e[1].allowed,
        e[1].expected_allowed, e[1].variance })
    assert.is_true(e[1].lines[1].matched)
    assert.are.equal(0, #e[1].findings)

    -- Partly paid: line 1 allowed 25.00 of 30.39, line 2 denied CO-16/N290.
    assert.are.same({ "E2E-0002", "partial", true, "25.00", "60.78", "-35.78" },
      { e[2].claim_id, e[2].outcome, e[2].matched, e[2].allowed, e[2].expected_allowed,
        e[2].variance })
    assert.are.same({ true, "paid", "30.39", "-5.39" }, { e[2].lines[1].matched,
      e[2].lines[1].outcome, e[2].lines[1].expected_allowed, e[2].lines[1].variance })
    assert.are.same({ true, "denied", "30.39" }, { e[2].lines[2].matched,
      e[2].lines[2].outcome, e[2].lines[2].expected_allowed })
    assert.are.equal(bhclaim.null, e[2].lines[2].variance)
    assert.are.equal("N290", e[2].lines[2].remarks[1].code)
    assert.are.equal(1, #e[2].findings)
    assert.are.same({ "remit.variance", "lines[1]" }, { e[2].findings[1].rule,
      e[2].findings[1].path })

    -- Denied: expected shown, no variance (nothing was allowed to compare).
    assert.are.same({ "E2E-0003", "denied", true, "0.00", "30.39" },
      { e[3].claim_id, e[3].outcome, e[3].matched, e[3].allowed, e[3].expected_allowed })
    assert.are.equal(bhclaim.null, e[3].variance)

    -- Paid for a claim never sent.
    assert.are.same({ "E2E-0099", false }, { e[4].claim_id, e[4].matched })
    assert.are.equal(bhclaim.null, e[4].expected_allowed)
    assert.are.equal(bhclaim.null, e[4].variance)

    -- Sent, no answer.
    assert.are.same({ "E2E-0004", "unanswered", false },
      { e[5].claim_id, e[5].outcome, e[5].matched })
  end)

  it("says the same in text and CSV", function()
    local out, err, status = run({ "remit", ANSWER, "--claims", sent })
    assert.are.equal("", err)
    assert.are.equal(1, status)
    assert.is_truthy(out:find("claim E2E-0002 partial: charge 90.00, paid 19.60, allowed 25.00 "
      .. "(expected 60.78, variance -35.78)", 1, true))
    assert.is_truthy(out:find("claim E2E-0099 paid: charge 45.00, paid 4.22, allowed 5.40, "
      .. "patient 1.06 - NOT MATCHED to a sent claim", 1, true))
    assert.is_truthy(out:find("4 claim payment(s): paid 2, partial 1, denied 1, reversed 0, "
      .. "pending 0; paid in all 47.64", 1, true))
    assert.is_truthy(out:find("claim E2E-0004 sent, no answer in these 835s", 1, true))
    assert.is_truthy(out:find("3 matched, 1 not matched to a sent claim; 1 sent claim(s) with "
      .. "no answer", 1, true))
    out = run({ "remit", ANSWER, "--claims", sent, "--format", "csv" })
    local rows = lines(out)
    assert.are.equal(6, #rows)  -- header, 5 service lines
    assert.are.equal("E2E-0002,PCN-E2,partial,true,1,90853,,2026-04-07,1,45.00,19.60,25.00,"
      .. "30.39,-5.39,paid,CO-45 20.00; CO-253 0.40; PR-2 5.00,,", rows[3])
    assert.is_truthy(rows[6]:find("^E2E%-0099,PCN%-E9,paid,false,1,90853,"))
  end)

  it("matches nothing when the claims sent are others", function()
    local out, err = run({ "remit", ANSWER, "--claims", "examples/claims/clean_commercial.json",
      "--format", "json" })
    assert.are.equal("", err)
    local l = lines(out)
    assert.are.equal(5, #l)
    for i = 1, 4 do assert.is_false(bhclaim.decode(l[i]).matched) end
    assert.are.same({ "LHP-26-000318", "unanswered" }, { bhclaim.decode(l[5]).claim_id,
      bhclaim.decode(l[5]).outcome })
  end)
end)
