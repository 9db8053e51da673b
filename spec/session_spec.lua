-- Specs for group sessions (lua/bhclaim/session.lua, docs/session-json.md):
-- bhclaim.session(t_or_json), session:claims() (one claim per present
-- participant, absentees as info findings "group.attendance") and
-- session:check() (a session report with each claim's report), and bad
-- input. The session is spec/fixtures/session_group.json: five participants
-- (Medicare, Medicaid, a commercial child on a parent's plan, an absent
-- Medicare patient, a commercial adult) led by an LCSW; opts.today is
-- always "2026-11-26".

local bhclaim = require("bhclaim")
local support = require("spec.support")
local deep_copy = support.deep_copy
local TODAY = support.TODAY
local read_file = support.read_file
local contains = support.contains

local SESSION_PATH = "spec/fixtures/session_group.json"

local SESSION_JSON = read_file(SESSION_PATH)
local SESSION = assert(bhclaim.decode(SESSION_JSON))

local function session_data()
  return deep_copy(SESSION)
end

local function has(list, value)
  for _, v in ipairs(list or {}) do
    if v == value then
      return true
    end
  end
  return false
end

local function dump(findings)
  local parts = {}
  for _, f in ipairs(findings) do
    parts[#parts + 1] = string.format("  %s %s at %q: %s", tostring(f.severity),
      tostring(f.rule), tostring(f.path), tostring(f.message))
  end
  return #parts == 0 and "  (no findings)" or table.concat(parts, "\n")
end

local function check_session(data, opts)
  local o = {}
  for k, v in pairs(opts or {}) do
    o[k] = v
  end
  o.today = TODAY
  return assert(bhclaim.session(data)):check(o)
end

local function findings_for(findings, rule)
  local out = {}
  for _, f in ipairs(findings) do
    if f.rule == rule then
      out[#out + 1] = f
    end
  end
  return out
end

describe("bhclaim.session from the fixture", function()
  local claims, absent

  before_each(function()
    claims, absent = assert(bhclaim.session(session_data())):claims()
  end)

  it("makes one claim per present participant", function()
    assert.are.equal(4, #claims)
    local ids = {}
    for i, c in ipairs(claims) do
      ids[i] = c.id
    end
    assert.are.same({ "GRP-2026-04-07-A-01", "GRP-2026-04-07-A-02", "GRP-2026-04-07-A-03",
      "GRP-2026-04-07-A-05" }, ids)
  end)

  it("gives each claim one 90853 line of 1 unit on the session date", function()
    for _, c in ipairs(claims) do
      assert.are.equal(1, #c.lines)
      local line = c.lines[1]
      assert.are.equal("90853", line.code)
      assert.are.equal(1, line.units)
      assert.are.equal("2026-04-07", line.date)
      assert.are.equal("52.00", line.charge)
    end
  end)

  it("points the line at the participant's diagnoses", function()
    assert.are.same({ "F33.1", "F41.1" }, claims[1].diagnoses)
    assert.are.same({ 1, 2 }, claims[1].lines[1].dx_pointers)
    assert.are.same({ "F41.1" }, claims[2].diagnoses)
    assert.are.same({ 1 }, claims[2].lines[1].dx_pointers)
  end)

  it("makes the facilitator the rendering provider", function()
    for _, c in ipairs(claims) do
      assert.are.equal("1245319599", c.rendering_provider.npi)
      assert.are.equal("LCSW", c.rendering_provider.credential)
      assert.are.equal("Marsh", c.rendering_provider.name.last)
      assert.are.equal("1234567893", c.billing_provider.npi)
    end
  end)

  it("makes a participant without a subscriber block the subscriber (self)", function()
    local c = claims[1]
    assert.are.equal(bhclaim.null, c.patient)
    assert.are.equal("self", c.subscriber.relationship)
    assert.are.equal("Quill", c.subscriber.name.last)
    assert.are.equal("7QK2TE5MK73", c.subscriber.member_id)
    assert.are.equal("medicare", c.payer.kind)
  end)

  it("keeps a subscriber block and sets the patient", function()
    local c = claims[3]
    assert.are.equal("child", c.subscriber.relationship)
    assert.are.equal("Dana", c.subscriber.name.first)
    assert.is_table(c.patient)
    assert.are.equal("Cory", c.patient.name.first)
    assert.are.equal("2010-06-21", c.patient.birth_date)
    assert.are.equal("commercial", c.payer.kind)
  end)

  it("fills the session block: group, times, patients present, minutes present", function()
    for _, c in ipairs(claims) do
      assert.are.equal("group", c.session.kind)
      assert.are.equal("13:00", c.session.start)
      assert.are.equal("14:00", c.session["end"])
      assert.are.equal(60, c.session.minutes)
      assert.are.equal(4, c.session.patients_present)
      assert.are.equal("in_person", c.session.modality)
    end
    assert.are.equal(55, claims[2].session.minutes_present)
  end)

  it("copies the documentation: purpose, the participant's notes, the signature", function()
    local c = claims[2]
    local p = SESSION.participants[2]
    assert.are.equal(SESSION.purpose, c.documentation.purpose)
    assert.are.equal(p.participation, c.documentation.participation)
    assert.are.equal(p.medical_necessity, c.documentation.medical_necessity)
    assert.are.equal(p.plan_goal, c.documentation.plan_goal)
    assert.are.same({ name = "Elena Marsh", credential = "LCSW", date = "2026-04-07" },
      c.documentation.signature)
    c.documentation.signature.name = "changed"
    assert.are.equal("Elena Marsh", claims[1].documentation.signature.name)
  end)

  it("returns the absentee as an info finding group.attendance naming participants[4]",
    function()
      assert.are.equal(1, #absent)
      local f = absent[1]
      assert.are.equal("group.attendance", f.rule)
      assert.are.equal("info", f.severity)
      assert.are.equal("participants[4]", f.path)
      assert.is_truthy(contains(f.message, "participants[4]"), f.message)
      assert.is_truthy(contains(f.message, "Penhallow"), f.message)
    end)

  it("puts HQ and HO on the Medicaid participant's line for an LCSW", function()
    local mods = claims[2].lines[1].modifiers
    assert.is_true(has(mods, "HQ"), table.concat(mods, ","))
    assert.is_true(has(mods, "HO"), table.concat(mods, ","))
  end)

  it("puts no group or credential modifier on Medicare and commercial lines", function()
    for _, i in ipairs({ 1, 3, 4 }) do
      assert.are.equal(0, #claims[i].lines[1].modifiers)
    end
  end)

  it("makes the same claims from the JSON text", function()
    local from_text = assert(bhclaim.session(SESSION_JSON))
    local text_claims, text_absent = from_text:claims()
    assert.are.equal(#claims, #text_claims)
    assert.are.equal(#absent, #text_absent)
    for i = 1, #claims do
      assert.are.equal(bhclaim.encode(claims[i]), bhclaim.encode(text_claims[i]))
    end
  end)

  it("makes claims that bhclaim.check finds clean", function()
    for _, c in ipairs(claims) do
      local report = bhclaim.check(c, { today = TODAY })
      assert.is_true(report.ok, tostring(report))
    end
  end)
end)

describe("session:claims options and participants", function()
  it("adds a 90785 line for interactive_complexity = true", function()
    local d = session_data()
    d.participants[1].interactive_complexity = true
    local claims = assert(bhclaim.session(d)):claims()
    local lines = claims[1].lines
    assert.are.equal(2, #lines)
    assert.are.equal("90785", lines[2].code)
    assert.are.equal(1, lines[2].units)
    assert.are.equal("2026-04-07", lines[2].date)
    assert.are.equal("15.00", lines[2].charge)
    assert.are.equal(1, #claims[2].lines)
    local report = bhclaim.check(claims[1], { today = TODAY })
    assert.are.equal(0, #report:by_rule("addon.primary"), tostring(report))
  end)

  it("gives HP, not HO, to a Medicaid participant when the facilitator is a PhD", function()
    local d = session_data()
    d.facilitator.credential = "PhD"
    local claims = assert(bhclaim.session(d)):claims()
    local mods = claims[2].lines[1].modifiers
    assert.is_true(has(mods, "HQ"))
    assert.is_true(has(mods, "HP"))
    assert.is_false(has(mods, "HO"))
  end)

  it("uses opts.payer for every participant", function()
    local claims = assert(bhclaim.session(session_data())):claims({ payer = "medicaid" })
    for _, c in ipairs(claims) do
      assert.is_true(has(c.lines[1].modifiers, "HQ"), c.id)
    end
  end)

  it("counts only present participants in patients_present", function()
    local d = session_data()
    d.participants[5].present = false
    local claims, absent = assert(bhclaim.session(d)):claims()
    assert.are.equal(3, #claims)
    assert.are.equal(2, #absent)
    assert.are.equal(3, claims[1].session.patients_present)
    assert.are.equal("participants[5]", absent[2].path)
  end)
end)

describe("session:check", function()
  it("gives a session report with each claim's report", function()
    local r = check_session(session_data())
    assert.is_true(r.ok, tostring(r))
    assert.are.equal("GRP-2026-04-07-A", r.session_id)
    assert.are.equal(4, #r.claims)
    assert.are.equal(4, r.clean)
    assert.are.equal(0, r.with_errors)
    local participants = {}
    for i, c in ipairs(r.claims) do
      participants[i] = c.participant
      assert.is_table(c.claim)
      assert.is_table(c.report)
      assert.is_true(c.report.ok, tostring(c.report))
      assert.are.equal(0, c.report.counts.error + c.report.counts.warning, tostring(c.report))
      assert.are.equal(c.claim.id, c.report.claim_id)
    end
    assert.are.same({ 1, 2, 3, 5 }, participants)
  end)

  it("lists the absentee among the session findings", function()
    local r = check_session(session_data())
    assert.are.equal(1, #r.findings, dump(r.findings))
    assert.are.equal("group.attendance", r.findings[1].rule)
    assert.are.equal("info", r.findings[1].severity)
    assert.are.equal("participants[4]", r.findings[1].path)
  end)

  it("counts a claim with an error", function()
    local d = session_data()
    d.participants[2].participation = "N/A"
    local r = check_session(d)
    assert.is_false(r.ok)
    assert.are.equal(3, r.clean)
    assert.are.equal(1, r.with_errors)
    local report = r.claims[2].report
    assert.are.equal(1, #report:by_rule("doc.participation"), tostring(report))
  end)

  it("passes check options through to every claim", function()
    local d = session_data()
    d.participants[1].participation = "N/A"
    local r = check_session(d, { disable = { ["doc.participation"] = "pilot" } })
    assert.is_true(r.ok, tostring(r))
    assert.are.equal("doc.participation", r.claims[1].report.disabled[1].rule)
  end)

  it("prints the session, its claims and findings", function()
    local s = assert(bhclaim.session(session_data()))
    local text = tostring(s)
    assert.is_truthy(contains(text, "GRP-2026-04-07-A"), text)
    assert.is_truthy(contains(text, "5 participants"), text)
    local rtext = tostring(s:check({ today = TODAY }))
    assert.is_truthy(contains(rtext, "GRP-2026-04-07-A"), rtext)
    assert.is_truthy(contains(rtext, "group.attendance"), rtext)
    assert.is_truthy(contains(rtext, "GRP-2026-04-07-A-05"), rtext)
  end)
end)

describe("bhclaim.session bad input", function()
  it("returns nil, a message and json.syntax for malformed JSON", function()
    local s, msg, id = bhclaim.session("{bad")
    assert.is_nil(s)
    assert.is_string(msg)
    assert.is_truthy(contains(msg, "line 1"), msg)
    assert.are.equal("json.syntax", id)
  end)

  it("raises on a number, naming the function and argument", function()
    local ok, err = pcall(bhclaim.session, 42)
    assert.is_false(ok)
    assert.is_truthy(contains(err, "bad argument #1 to 'session'"), err)
  end)

  it("raises on nil", function()
    assert.has_error(function() bhclaim.session(nil) end)
  end)

  it("reports a session without participants, without raising", function()
    local d = session_data()
    d.participants = nil
    local r = check_session(d)
    local hits = findings_for(r.findings, "claim.schema")
    assert.are.equal(1, #hits, dump(r.findings))
    assert.are.equal("error", hits[1].severity)
    assert.are.equal("participants", hits[1].path)
    assert.are.equal(0, #r.claims)
    assert.is_false(r.ok)
    local claims, absent = assert(bhclaim.session(d)):claims()
    assert.are.same({}, claims)
    assert.are.same({}, absent)
  end)

  it("reports participants = 'x', without raising", function()
    local d = session_data()
    d.participants = "x"
    local r = check_session(d)
    local hits = findings_for(r.findings, "claim.schema")
    assert.are.equal(1, #hits, dump(r.findings))
    assert.are.equal("participants", hits[1].path)
    assert.is_false(r.ok)
    assert.is_string(tostring(bhclaim.session(d)))
  end)

  it("reports a participant without a patient and checks the others", function()
    local d = session_data()
    d.participants[6] = { present = true, participation = "Spoke about her week at length." }
    local r = check_session(d)
    local hits = findings_for(r.findings, "claim.schema")
    assert.are.equal(1, #hits, dump(r.findings))
    assert.are.equal("error", hits[1].severity)
    assert.are.equal("participants[6].patient", hits[1].path)
    assert.are.equal(4, #r.claims)
    assert.is_false(r.ok)
  end)

  it("reports a participant that is not an object", function()
    local d = session_data()
    d.participants[6] = "Jones"
    local r = check_session(d)
    local hits = findings_for(r.findings, "claim.schema")
    assert.are.equal(1, #hits, dump(r.findings))
    assert.are.equal("participants[6]", hits[1].path)
    assert.are.equal(4, #r.claims)
  end)

  it("reports a session without a date", function()
    local d = session_data()
    d.date = nil
    local r = check_session(d)
    local hits = findings_for(r.findings, "claim.schema")
    assert.is_true(#hits >= 1, dump(r.findings))
    assert.are.equal("date", hits[1].path)
    assert.is_false(r.ok)
  end)
end)
