-- bhclaim eligibility request|read and bhclaim status request|read, run as
-- a subprocess under the interpreter running the specs.
-- SPDX-License-Identifier: MIT
local bhclaim = require("bhclaim")
local support = require("spec.support")
local LUA, read_file = support.LUA, support.read_file
local tmpfile, remove_temps = support.temp_files()

local function run(words, stdin)
  local err = tmpfile()
  local body, status = support.sh_status(LUA .. " scripts/bhclaim " .. words
    .. (stdin and (" <" .. support.quote(stdin)) or "") .. " 2>" .. support.quote(err))
  return body, read_file(err), status
end

local ENVELOPE = tmpfile([[
return { sender_id = "RIVERBEND", receiver_id = "PAYER01", submitter_name = "Riverbend",
  submitter_id = "RB0001", date = "2026-03-02", time = "0730", interchange_control = 7 }]])
local SAMPLES = "spec/fixtures/x12-samples/"

teardown(remove_temps)

describe("bhclaim eligibility", function()
  it("request writes a 270 for claims that reads back", function()
    local out, err, status = run("eligibility request --envelope '" .. ENVELOPE
      .. "' --service-type MH,A6 examples/claims/clean_commercial.json")
    assert.equal(0, status, err)
    local sets = assert(bhclaim.eligibility.read(out))
    local claim = bhclaim.decode(read_file("examples/claims/clean_commercial.json"))
    local sub = sets[1].payers[1].receivers[1].subscribers[1]
    assert.equal(claim.subscriber.member_id, sub.name.id)
    assert.same({ { service_types = { "MH", "A6" } } }, sub.inquiries)
    assert.equal(claim.id, sub.traces[1].number)
    assert.equal(claim.lines[1].date, sub.dates[1].date)
  end)

  it("request writes one inquiry per present participant of a group session", function()
    local out, err, status = run("eligibility request --envelope '" .. ENVELOPE
      .. "' spec/fixtures/session_group.json")
    assert.equal(0, status, err)
    local members = bhclaim.eligibility.members(assert(bhclaim.eligibility.read(out)))
    local session = bhclaim.decode(read_file("spec/fixtures/session_group.json"))
    local present = 0
    for _, p in ipairs(session.participants) do
      if p.present ~= false then present = present + 1 end
    end
    assert.equal(present, #members)
    assert.equal("QUILL", members[1].member.name.last)
    assert.same({ { service_types = { "30" } } }, members[1].member.inquiries)
  end)

  it("request refuses an inquiry it cannot write, exit 1", function()
    local input = tmpfile('[{"payer":{"name":"P","id":"1"},"provider":{"name":"C","id":"2"},'
      .. '"subscriber":{"last":"DOE","member_id":"M1"},"date":"2026-03-02"}]')
    local out, err, status = run("eligibility request --envelope '" .. ENVELOPE .. "' '"
      .. input .. "'")
    assert.equal(1, status)
    assert.equal("", out)
    assert.matches("item 1: trace is missing", err)
  end)

  it("request without an envelope is a usage error", function()
    local _, err, status = run("eligibility request examples/claims/clean_commercial.json")
    assert.equal(2, status)
    assert.matches("needs sender_id", err)
  end)

  it("read prints text, json and csv", function()
    local out, _, status = run("eligibility read " .. SAMPLES .. "271_lfh_error.271")
    assert.equal(0, status)
    assert.matches("AAA 50 Provider Ineligible for Inquiries", out)
    out, _, status = run("eligibility read --format json " .. SAMPLES .. "271_lfh_subscriber.271")
    assert.equal(0, status)
    local sets = bhclaim.decode(out)
    assert.equal("GOLD 123 PLAN", sets[1].payers[1].receivers[1].subscribers[1].benefits[1].plan)
    out, _, status = run("eligibility read --format csv", SAMPLES .. "271_lfh_subscriber.271")
    assert.equal(0, status)
    local lines = {}
    for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.equal(6, #lines)
    assert.matches("^set,level,last,first,member_id", lines[1])
    assert.matches("B,Co%-Payment,1 33 35 47 86 88 98 AL MH UC,,Y,Visit,10.00", lines[5])
  end)

  it("read fails on what is not a 271, exit 2", function()
    local _, err, status = run("eligibility read " .. SAMPLES .. "277_lfh_claim_level.277")
    assert.equal(2, status)
    assert.matches("ST01 must be 270 or 271", err)
    _, err, status = run("eligibility read", tmpfile(""))
    assert.equal(2, status)
    assert.matches("empty input", err)
    _, err, status = run("eligibility frobnicate")
    assert.equal(2, status)
    assert.matches("wants request or read", err)
  end)
end)

describe("bhclaim status", function()
  it("request writes a 276 for claims that reads back", function()
    local out, err, status = run("status request --envelope '" .. ENVELOPE
      .. "' examples/claims/clean_commercial.json")
    assert.equal(0, status, err)
    local views = bhclaim.status.claims(assert(bhclaim.status.read(out)))
    local claim = bhclaim.decode(read_file("examples/claims/clean_commercial.json"))
    assert.equal(1, #views)
    assert.equal(claim.id, views[1].claim_id)
    assert.equal(claim.id, views[1].patient_control_number)
    assert.equal("RB0001", views[1].receiver.name.id)
    assert.equal(claim.lines[1].code, views[1].claim.lines[1].procedure.code)
  end)

  it("read prints csv rows per status code", function()
    local out, _, status = run("status read --format csv " .. SAMPLES
      .. "277_lfh_claim_level.277")
    assert.equal(0, status)
    local lines = {}
    for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.equal(5, #lines)
    assert.matches("^ABCXYC3,051681010827,MA345678,MANN,JOSEPH,1,99203,F2,Finalized/Denial,88",
      lines[5])
  end)
end)

describe("bhclaim check --coverage", function()
  local function claim_file(member_id, as_ndjson)
    local c = bhclaim.decode(read_file("examples/claims/clean_commercial.json"))
    c.subscriber.member_id = member_id
    c.x_expect = nil
    local text = bhclaim.encode(c)
    if not as_ndjson then text = "[" .. text .. "]" end
    return tmpfile(text)
  end

  it("gives each claim the answer for its member id and runs the coverage rules", function()
    for _, nd in ipairs({ true, false }) do
      local out, err, status = run("check --today 2026-11-26 --format json --coverage "
        .. SAMPLES .. "271_lfh_subscriber.271 '" .. claim_file("123456789", nd) .. "'")
      assert.equal(1, status, err)
      local entry = bhclaim.decode(out:match("[^\n]+"))
      local rules = {}
      for _, f in ipairs(entry.findings) do rules[#rules + 1] = f.rule end
      assert.same({ "coverage.member", "coverage.member" }, rules)
    end
  end)

  it("checks a claim with no answer for its member without coverage rules", function()
    local out, err, status = run("check --today 2026-11-26 --coverage " .. SAMPLES
      .. "271_lfh_subscriber.271 '" .. claim_file("NOT-IN-271", true) .. "'")
    assert.equal(0, status, err)
    assert.matches("clean", out)
  end)

  it("runs the coverage rules for a claim that carries its answer, as bhclaim.check does",
    function()
      -- The claim holds the 271's member itself (no --coverage): the
      -- command line's batch path hands it to the Lua layer.
      local sets = assert(bhclaim.eligibility.read(read_file(SAMPLES
        .. "271_lfh_subscriber.271")))
      local c = bhclaim.decode(read_file("examples/claims/clean_commercial.json"))
      c.x_expect = nil
      c.coverage = bhclaim.eligibility.members(sets)[1]
      local text = bhclaim.encode(c)
      local want = {}
      for _, f in ipairs(assert(bhclaim.check(text, { today = "2026-11-26" })).findings) do
        want[#want + 1] = f.rule
      end
      assert.truthy(table.concat(want, " "):find("coverage.", 1, true), "a coverage finding")
      for _, input in ipairs({ text, "[" .. text .. "]" }) do
        local out, err = run("check --today 2026-11-26 --format json '" .. tmpfile(input) .. "'")
        local entry = bhclaim.decode(out:match("[^\n]+"))
        local got = {}
        for _, f in ipairs(entry.findings) do got[#got + 1] = f.rule end
        assert.same(want, got, err)
      end
    end)

  it("refuses a coverage file that is not a 271", function()
    local _, err, status = run("check --coverage " .. SAMPLES .. "277_lfh_claim_level.277 "
      .. "examples/claims/clean_commercial.json")
    assert.equal(2, status)
    assert.matches("%-%-coverage: .*ST01 must be 270 or 271", err)
  end)
end)
