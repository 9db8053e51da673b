-- `bhclaim check --rules` and `--coverage`: the batch path
-- (csrc/lua/check_batch.c) asks the Lua layer for the custom rules' and the
-- coverage rules' findings of each claim (opts.rule_findings) and reports
-- them with the core's. The same records must give what the
-- Lua path gives (bhclaim.check with the rules, the tracker, reports.lua):
-- the same bytes, messages, summary and exit status, for NDJSON, a JSON
-- array and an 837P, whatever the rules add or raise. The Lua path is
-- forced by a check option the batch path leaves to Lua (provider_kind,
-- given as its default).
-- SPDX-License-Identifier: MIT
local bhclaim = require("bhclaim")
local cli = require("bhclaim.cli")
local support = require("spec.support")

local TODAY = support.TODAY
local tmpfile = support.write_temp
local LONG_ID = "practice." .. string.rep("very_long_rule_name_", 4)
-- a 271 for member 123456789 (JOHN SMITH): claims of that member get
-- coverage findings
local COVERAGE = "spec/fixtures/x12-samples/271_lfh_subscriber.271"

-- Rules that find something on most claims, with odd texts; one raises
-- on some claims, one has an id longer than the batch path's tallies keep.
local RULES = tmpfile(([[
return {
  { id = "practice.each_line", severity = "info", description = "every line",
    check = function(claim, report)
      for i, line in ipairs(claim.lines or {}) do
        report:add{ path = "lines[" .. i .. "].code",
          message = "Line " .. i .. " bills " .. tostring(line.code) .. ', "quoted", a\nbreak',
          hint = "a, b; c\r\nd" }
      end
    end },
  { id = "practice.no_patient", severity = "warning", description = "no path, no hint",
    check = function(claim, report)
      if claim.patient == nil then report:add{ message = "The subscriber is the patient." } end
    end },
  { id = "%s", severity = "error", description = "a long id",
    applies = function(claim) return #(claim.diagnoses or {}) > 1 end,
    check = function(_, report) report:add{ message = "More than one diagnosis." } end },
  { id = "practice.raises", severity = "error", description = "fails on some claims",
    check = function(claim)
      if tostring(claim.id):match("[05]$") then
        error(setmetatable({}, { __tostring = function() return "a table, not a string" end }))
      end
    end },
}
]]):format(LONG_ID))

-- Claims of several shapes: repeats (claim.duplicate), a code under the
-- commercial profile's frequency limit (handed to the Lua path), one or
-- two diagnoses, with and without a patient block.
local function claims()
  local out = {}
  for i = 1, 24 do
    local c = support.base_claim()
    c.id = "R-" .. (i % 20)
    c.x_expect = nil
    c.total_charge = nil
    if i % 3 == 0 then
      c.diagnoses = { c.diagnoses[1] }
      for _, l in ipairs(c.lines) do l.dx_pointers = { 1 } end
    end
    if i % 4 == 0 then c.patient = nil end
    if i % 7 == 0 then
      c.payer.kind = "commercial"
      c.lines[1].code = "90791"
    end
    if i <= 20 then c.lines[1].date = string.format("2026-%02d-%02d", 1 + i % 9, 1 + i) end
    if i % 7 == 0 then c.lines[1].date = string.format("2026-%02d-10", 1 + i / 7) end
    if i % 5 == 0 then c.subscriber.member_id = "123456789" end
    out[i] = c
  end
  return out
end

local function run(path, fmt, lua)
  local out, err = support.buffer(), support.buffer()
  local f = assert(io.open(path, "rb"))
  local status, stats = cli.check_source({ format = fmt, today = TODAY, rules = RULES,
    coverage = COVERAGE },
    { name = "in", fh = f }, { stdout = out, stderr = err, quiet = true },
    lua and { provider_kind = "practitioner" } or nil)
  f:close()
  assert(status, stats)
  return out:text(), err:text(), status, stats
end

local function same_both_ways(path, fmt)
  local out_c, err_c, status_c, stats_c = run(path, fmt, false)
  local out_l, err_l, status_l, stats_l = run(path, fmt, true)
  assert.equal(out_l, out_c)
  assert.equal(err_l, err_c)
  assert.equal(status_l, status_c)
  assert.same(stats_l, stats_c)
  return out_c, stats_c
end

describe("check --rules --coverage on the batch path", function()
  local list = claims()
  local texts = {}
  for i, c in ipairs(list) do texts[i] = assert(bhclaim.encode(c)) end
  local env = dofile("examples/envelope.lua")
  env.unchecked = true
  local inputs = {
    { "NDJSON", tmpfile(table.concat(texts, "\n") .. "\n") },
    { "a JSON array", tmpfile("[" .. table.concat(texts, ",\n") .. "]") },
    { "an 837P", tmpfile(assert(bhclaim.x12.write(list, env))) },
  }
  for _, input in ipairs(inputs) do
    for _, fmt in ipairs({ "text", "json", "csv" }) do
      it("gives what the Lua path gives: " .. input[1] .. ", " .. fmt, function()
        local out, stats = same_both_ways(input[2], fmt)
        assert.equal(24, stats.claims)
        for _, id in ipairs({ "practice.each_line", "practice.no_patient", LONG_ID,
          "practice.raises", "claim.duplicate", "code.frequency", "coverage.member" }) do
          assert.truthy(stats.rules[id], id .. " found")
        end
        if fmt ~= "text" then assert.truthy(out:find("practice.raises", 1, true)) end
      end)
    end
  end
end)
