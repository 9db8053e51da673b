-- Specs for the documentation rules of bhclaim.check and session:check
-- (docs/rules.md, csrc/group.c, lua/bhclaim/session.lua): doc.participation,
-- doc.necessity, doc.plan, doc.signature, doc.times, doc.cloned and
-- check.skipped. Each rule has cases that fire it (exact rule, severity and
-- path) and near misses that must not. Claims are fresh copies of
-- spec/fixtures/base_claim.json, sessions of spec/fixtures/session_group.json;
-- opts.today is always "2026-11-26".

local bhclaim = require("bhclaim")
local support = require("spec.support")
local TODAY = support.TODAY
local read_file = support.read_file
local deep_copy = support.deep_copy
local check_with = support.check_with
local findings_for = support.findings_for
local dump = support.dump
local assert_finding = support.assert_finding
local assert_no_finding = support.assert_no_finding
local contains = support.contains

local SESSION = assert(bhclaim.decode(read_file("spec/fixtures/session_group.json")))

local function session_data()
  return deep_copy(SESSION)
end

-- session:check of `data` with opts.today set.
local function check_session(data, opts)
  local o = {}
  for k, v in pairs(opts or {}) do
    o[k] = v
  end
  o.today = TODAY
  local s = assert(bhclaim.session(data))
  return s:check(o)
end

-- The report of the claim made for participants[i].
local function claim_report(session_report, i)
  for _, c in ipairs(session_report.claims) do
    if c.participant == i then
      return c.report
    end
  end
  error("no claim for participants[" .. i .. "]")
end

local ELEMENTS = {
  { rule = "doc.participation", field = "participation" },
  { rule = "doc.necessity", field = "medical_necessity" },
  { rule = "doc.plan", field = "plan_goal" },
}

for _, el in ipairs(ELEMENTS) do
  local path = "documentation." .. el.field

  local function with_text(text)
    return function(c) c.documentation[el.field] = text end
  end

  describe(el.rule, function()
    it("is an error at " .. path .. " when the element is missing", function()
      local report = check_with(with_text(nil))
      local f = assert_finding(report, el.rule, "error", path)
      assert.is_truthy(contains(f.message, "has no"), f.message)
    end)

    it("is an error when the element is JSON null", function()
      local report = check_with(with_text(bhclaim.null))
      assert_finding(report, el.rule, "error", path)
    end)

    for _, text in ipairs({ "N/A", "see above", "participated", "Patient participated in group.",
      "", "  ", "TBD" }) do
      it(string.format("is an error for the placeholder %q", text), function()
        local report = check_with(with_text(text))
        local f = assert_finding(report, el.rule, "error", path)
        assert.is_truthy(contains(f.message, "says nothing specific"), f.message)
      end)
    end

    it("warns for a 10-character note (doc_min_chars, unconfirmed)", function()
      local report = check_with(with_text("Short note"))
      local f = assert_finding(report, el.rule, "warning", path)
      assert.is_truthy(contains(f.source, "unconfirmed"), f.source)
      assert.is_true(report.ok, dump(report))
    end)

    it("warns for a 10-character note under Medicaid and commercial too", function()
      for _, kind in ipairs({ "medicaid", "commercial" }) do
        local report = check_with(function(c)
          c.payer.kind = kind
          c.lines[1].modifiers = setmetatable({ "HQ", "HO" }, bhclaim.array_mt)
          c.documentation[el.field] = "Short note"
        end)
        assert_finding(report, el.rule, "warning", path)
      end
    end)

    it("accepts a note of exactly doc_min_chars (15) characters", function()
      local report = check_with(with_text("Reframed a fear"))
      assert_no_finding(report, el.rule)
    end)

    it("accepts a real sentence", function()
      local report = check_with(with_text(
        "Named two triggers for low mood this week and practiced a coping plan with peers."))
      assert_no_finding(report, el.rule)
    end)

    it("accepts a sentence that merely contains a placeholder word", function()
      local report = check_with(with_text(
        "Participated actively; described her week and one avoided situation."))
      assert_no_finding(report, el.rule)
    end)

    it("is an error for a profile's own placeholder", function()
      local p = bhclaim.payer { extends = "medicare", name = "strict",
        placeholders = { "Good group session today" } }
      local report = check_with(with_text("Good group session, today."), { payer = p })
      assert_finding(report, el.rule, "error", path)
      report = check_with(with_text("Good group session, today."))
      assert_no_finding(report, el.rule)
    end)
  end)
end

describe("documentation blocks", function()
  it("reports every element of a present but empty documentation block", function()
    local report = check_with(function(c) c.documentation = {} end)
    assert_finding(report, "doc.participation", "error", "documentation.participation")
    assert_finding(report, "doc.necessity", "error", "documentation.medical_necessity")
    assert_finding(report, "doc.plan", "error", "documentation.plan_goal")
    assert_finding(report, "doc.signature", "error", "documentation.signature")
    assert_no_finding(report, "check.skipped")
  end)
end)

describe("doc.signature", function()
  local PATH = "documentation.signature"

  it("is an error when the note is not signed", function()
    local report = check_with(function(c) c.documentation.signature = nil end)
    local f = assert_finding(report, "doc.signature", "error", PATH)
    assert.is_truthy(contains(f.message, "not signed"), f.message)
  end)

  it("is an error when the signature is JSON null", function()
    local report = check_with(function(c) c.documentation.signature = bhclaim.null end)
    assert_finding(report, "doc.signature", "error", PATH)
  end)

  it("is an error for a signature without a credential", function()
    local report = check_with(function(c) c.documentation.signature.credential = nil end)
    local f = assert_finding(report, "doc.signature", "error", PATH)
    assert.is_truthy(contains(f.message, "credential"), f.message)
  end)

  it("is an error for a signature without a name or a date", function()
    local report = check_with(function(c) c.documentation.signature.name = nil end)
    local f = assert_finding(report, "doc.signature", "error", PATH)
    assert.is_truthy(contains(f.message, "name"), f.message)
    report = check_with(function(c) c.documentation.signature.date = nil end)
    f = assert_finding(report, "doc.signature", "error", PATH)
    assert.is_truthy(contains(f.message, "date"), f.message)
  end)

  it("accepts a complete signature", function()
    local report = check_with(function() end)
    assert_no_finding(report, "doc.signature")
  end)
end)

describe("doc.times", function()
  local function individual(c)
    c.session.kind = "individual"
    c.session.patients_present = nil
    c.lines[1].code = "90834"
  end

  it("is an error at 'session' for an individual session without times", function()
    local report = check_with(function(c)
      individual(c)
      c.session.start = nil
      c.session["end"] = nil
      c.session.minutes = nil
    end)
    assert_finding(report, "doc.times", "error", "session")
  end)

  it("warns at session.minutes for 60 minutes stated with 13:00-13:30", function()
    local report = check_with(function(c)
      individual(c)
      c.session.start = "13:00"
      c.session["end"] = "13:30"
      c.session.minutes = 60
    end)
    local f = assert_finding(report, "doc.times", "warning", "session.minutes")
    assert.is_truthy(contains(f.message, "60"), f.message)
    assert.is_truthy(contains(f.message, "30"), f.message)
  end)

  it("warns when the minutes differ by 6", function()
    local report = check_with(function(c)
      individual(c)
      c.session.start = "13:00"
      c.session["end"] = "13:54"
      c.session.minutes = 60
    end)
    assert_finding(report, "doc.times", "warning", "session.minutes")
  end)

  it("accepts minutes within 5 of the times", function()
    local report = check_with(function(c)
      individual(c)
      c.session.start = "13:00"
      c.session["end"] = "13:55"
      c.session.minutes = 60
    end)
    assert_no_finding(report, "doc.times")
  end)

  it("accepts consistent times and minutes, or minutes alone, or times alone", function()
    local report = check_with(individual)
    assert_no_finding(report, "doc.times")
    report = check_with(function(c)
      individual(c)
      c.session.start = nil
      c.session["end"] = nil
    end)
    assert_no_finding(report, "doc.times")
    report = check_with(function(c)
      individual(c)
      c.session.minutes = nil
    end)
    assert_no_finding(report, "doc.times")
  end)

  it("leaves a group session without times to group.duration", function()
    local report = check_with(function(c)
      c.session.start = nil
      c.session["end"] = nil
      c.session.minutes = nil
    end)
    assert_no_finding(report, "doc.times")
    assert_finding(report, "group.duration", "error", "session")
  end)
end)

describe("check.skipped", function()
  it("is one info finding when the claim has no session and documentation", function()
    local report = check_with(function(c)
      c.session = nil
      c.documentation = nil
    end)
    local hits = findings_for(report, "check.skipped")
    assert.are.equal(1, #hits, dump(report))
    assert.are.equal("info", hits[1].severity)
    assert.are.equal("", hits[1].path)
    assert.is_true(report.ok, dump(report))
    assert.are.equal(0, report.counts.error + report.counts.warning, dump(report))
    for _, rule in ipairs({ "doc.participation", "doc.signature", "doc.times",
      "group.participants", "group.duration" }) do
      assert_no_finding(report, rule)
    end
  end)

  it("is one info finding when only the documentation block is absent", function()
    local report = check_with(function(c) c.documentation = nil end)
    local hits = findings_for(report, "check.skipped")
    assert.are.equal(1, #hits, dump(report))
    assert.are.equal("info", hits[1].severity)
    assert.is_truthy(contains(hits[1].message, "documentation"), hits[1].message)
  end)

  it("is one info finding when only the session block is absent", function()
    local report = check_with(function(c) c.session = nil end)
    local hits = findings_for(report, "check.skipped")
    assert.are.equal(1, #hits, dump(report))
    assert.is_truthy(contains(hits[1].message, "session"), hits[1].message)
  end)

  it("is absent when the claim has both blocks", function()
    local report = check_with(function() end)
    assert_no_finding(report, "check.skipped")
  end)
end)

describe("doc.cloned", function()
  local PATH = "documentation.participation"
  local NOTE = "Identified an automatic thought about work and reframed it with peer feedback."

  it("is absent from the fixture's distinct notes", function()
    local r = check_session(session_data())
    for _, c in ipairs(r.claims) do
      assert_no_finding(c.report, "doc.cloned")
    end
    assert.is_true(r.ok)
  end)

  it("warns on both claims when two participation notes are identical", function()
    local d = session_data()
    d.participants[1].participation = NOTE
    d.participants[3].participation = NOTE
    local r = check_session(d)
    for _, i in ipairs({ 1, 3 }) do
      local f = assert_finding(claim_report(r, i), "doc.cloned", "warning", PATH)
      assert.is_truthy(contains(f.message, "participants[1] (Quill A.)"), f.message)
      assert.is_truthy(contains(f.message, "participants[3] (Lindqvist C.)"), f.message)
      assert.is_truthy(contains(f.message, "identical"), f.message)
    end
    assert_no_finding(claim_report(r, 2), "doc.cloned")
    assert_no_finding(claim_report(r, 5), "doc.cloned")
    assert.is_true(claim_report(r, 1).ok, "a warning leaves the claim ok")
  end)

  it("still flags notes that differ only by the patients' names", function()
    local d = session_data()
    d.participants[1].participation = "Arden Quill identified an automatic thought about work "
      .. "and reframed it with peer feedback from Bea."
    d.participants[3].participation = "Cory Lindqvist identified an automatic thought about "
      .. "work and reframed it with peer feedback from Milo."
    local r = check_session(d)
    assert_finding(claim_report(r, 1), "doc.cloned", "warning", PATH)
    assert_finding(claim_report(r, 3), "doc.cloned", "warning", PATH)
  end)

  it("flags a template with one word changed as nearly the same", function()
    local d = session_data()
    d.participants[2].participation = "Identified an automatic thought about work and "
      .. "reframed it with peer feedback and a worksheet today in group."
    d.participants[5].participation = "Identified an automatic thought about home and "
      .. "reframed it with peer feedback and a worksheet today in group."
    local r = check_session(d)
    local f = assert_finding(claim_report(r, 2), "doc.cloned", "warning", PATH)
    assert.is_truthy(contains(f.message, "nearly the same"), f.message)
    assert_finding(claim_report(r, 5), "doc.cloned", "warning", PATH)
  end)

  it("does not flag two genuinely different notes", function()
    local d = session_data()
    d.participants[1].participation = NOTE
    d.participants[3].participation = "Described an argument with a teacher and rehearsed "
      .. "asking for help in a role play with two peers."
    local r = check_session(d)
    for _, c in ipairs(r.claims) do
      assert_no_finding(c.report, "doc.cloned")
    end
  end)

  it("does not compare an absent participant's note", function()
    local d = session_data()
    d.participants[4].participation = d.participants[1].participation
    local r = check_session(d)
    for _, c in ipairs(r.claims) do
      assert_no_finding(c.report, "doc.cloned")
    end
  end)

  it("is turned off by disable = {['doc.cloned'] = 'reviewed'}", function()
    local d = session_data()
    d.participants[1].participation = NOTE
    d.participants[3].participation = NOTE
    local r = check_session(d, { disable = { ["doc.cloned"] = "reviewed" } })
    for _, c in ipairs(r.claims) do
      assert_no_finding(c.report, "doc.cloned")
    end
    local disabled = claim_report(r, 1).disabled
    assert.are.equal(1, #disabled)
    assert.are.equal("doc.cloned", disabled[1].rule)
    assert.are.equal("reviewed", disabled[1].reason)
  end)

  it("never runs in a single claim's check", function()
    local report = check_with(function() end)
    assert_no_finding(report, "doc.cloned")
  end)
end)
