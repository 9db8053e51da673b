-- Specs for the one definition of a clean claim (bhclaim.outcome, from
-- bhclaim.reports.outcome): a claim is clean with no error and no warning
-- (notes do not count), and bhclaim.check's callers, session:check and the
-- command line's totals all count claims by it.

local bhclaim = require("bhclaim")
local support = require("spec.support")
local TODAY = support.TODAY

local function report_of(mutate)
  local claim = support.base_claim()
  if mutate then mutate(claim) end
  return assert(bhclaim.check(claim, { today = TODAY }))
end

-- The spec's session with participant 2's participation note copied from
-- participant 1: both get a doc.cloned warning and nothing else.
local function cloned_session()
  local data = assert(bhclaim.decode(support.read_file("spec/fixtures/session_group.json")))
  data.participants[2].participation = data.participants[1].participation
  return data
end

describe("bhclaim.outcome", function()
  it("is clean for a claim with no finding", function()
    local r = report_of()
    assert.equal(0, #r.findings, tostring(r))
    assert.equal("clean", bhclaim.outcome(r))
  end)

  it("is clean for a claim with notes only", function()
    local r = report_of(function(c) c.session, c.documentation = nil, nil end)
    assert.equal(0, r.counts.error + r.counts.warning, tostring(r))
    assert.is_true(r.counts.info > 0, tostring(r))
    assert.equal("clean", bhclaim.outcome(r))
  end)

  it("is with_warnings for a claim with a warning and no error", function()
    local r = report_of(function(c) c.lines[1].units = 2 end)  -- ncci.mue, profile value
    assert.equal(0, r.counts.error, tostring(r))
    assert.is_true(r.counts.warning > 0, tostring(r))
    assert.is_true(r.ok)   -- ok (no error) is not clean
    assert.equal("with_warnings", bhclaim.outcome(r))
  end)

  it("is with_errors for a claim with an error", function()
    local r = report_of(function(c) c.lines[1].charge = "0.00" end)
    assert.is_true(r.counts.error > 0, tostring(r))
    assert.equal("with_errors", bhclaim.outcome(r))
  end)

  it("raises a bad argument for what is not a report", function()
    assert.has_error(function() bhclaim.outcome(nil) end,
      "bad argument #1 to 'outcome' (report expected, got nil)")
    assert.has_error(function() bhclaim.outcome({}) end,
      "bad argument #1 to 'outcome' (report expected, got a table without counts)")
  end)
end)

describe("one definition of clean", function()
  it("session:check counts a warning-only claim with warnings, not clean", function()
    local r = bhclaim.session(cloned_session()):check({ today = TODAY })
    local by_outcome = { clean = 0, with_warnings = 0, with_errors = 0 }
    for _, c in ipairs(r.claims) do
      local o = bhclaim.outcome(c.report)
      by_outcome[o] = by_outcome[o] + 1
    end
    assert.equal(2, by_outcome.with_warnings, tostring(r))
    assert.equal(by_outcome.clean, r.clean)
    assert.equal(by_outcome.with_warnings, r.with_warnings)
    assert.equal(by_outcome.with_errors, r.with_errors)
    assert.equal(#r.claims, r.clean + r.with_warnings + r.with_errors)
    assert.truthy(tostring(r):find(string.format("%d clean, %d with errors, %d with warnings",
      r.clean, r.with_errors, r.with_warnings), 1, true), tostring(r))
  end)

  it("bhclaim audit counts the same session's claims the same way", function()
    local session = cloned_session()
    local r = bhclaim.session(session):check({ today = TODAY })
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write(bhclaim.encode(session))
    f:close()
    local out, err = support.run_cli({ "audit", "--format", "json", "--today", TODAY, path })
    os.remove(path)
    local totals = assert(bhclaim.decode(out), err)
    assert.equal(r.clean, totals.clean)
    assert.equal(r.with_warnings, totals.with_warnings)
    assert.equal(r.with_errors, totals.with_errors)
  end)
end)
