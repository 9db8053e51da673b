-- day_of_sessions.lua: a day of group sessions at a small practice turned
-- into claims, checked with the practice's own rules and its state Medicaid
-- profile, and the reports printed. `make demo` runs it.
-- Usage: lua day_of_sessions.lua SESSIONS.json [TODAY]
local bhclaim = require("bhclaim")

local path = arg[1] or "examples/sessions/day-2026-04-07.json"
local today = arg[2] or "2026-11-26"

local f = assert(io.open(path, "rb"))
local sessions = assert(bhclaim.decode(f:read("*a")))
f:close()

local practice_rules = assert(bhclaim.rules.load("examples/rules/practice.lua"))
local alaska = assert(bhclaim.payers.load("examples/payers/medicaid_alaska.lua"))

local totals = { claims = 0, clean = 0, with_warnings = 0, with_errors = 0 }
local by_rule = {}
for _, data in ipairs(sessions) do
  local session = bhclaim.session(data)
  local report = session:check{ today = today, rules = practice_rules,
    profiles = { medicaid = alaska } }
  print(report)
  -- What each claim was billed as: place of service and line modifiers.
  for _, c in ipairs(report.claims) do
    local lines = {}
    for _, line in ipairs(c.claim.lines) do
      lines[#lines + 1] = line.code .. (#line.modifiers > 0 and
        (" " .. table.concat(line.modifiers, ":")) or "")
    end
    print(string.format("  billed %s: %s, POS %s, %s", c.claim.id, c.claim.session.modality,
      tostring(c.claim.place_of_service), table.concat(lines, ", ")))
  end
  print()
  totals.claims = totals.claims + #report.claims
  -- clean: no error and no warning (bhclaim.outcome), as `bhclaim audit` counts
  totals.clean = totals.clean + report.clean
  totals.with_warnings = totals.with_warnings + report.with_warnings
  totals.with_errors = totals.with_errors + report.with_errors
  for _, finding in ipairs(report.findings) do
    by_rule[finding.rule] = (by_rule[finding.rule] or 0) + 1
  end
  for _, c in ipairs(report.claims) do
    for _, finding in ipairs(c.report.findings) do
      by_rule[finding.rule] = (by_rule[finding.rule] or 0) + 1
    end
  end
end

print(string.format("%d sessions, %d claims: %d clean, %d with errors, %d with warnings",
  #sessions, totals.claims, totals.clean, totals.with_errors, totals.with_warnings))
local rules = {}
for rule in pairs(by_rule) do rules[#rules + 1] = rule end
table.sort(rules)
for _, rule in ipairs(rules) do print(string.format("  %-30s %d", rule, by_rule[rule])) end
