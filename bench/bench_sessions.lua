-- bench_sessions.lua: group sessions to checked claims. Builds N sessions of
-- 8 participants (default 10,000) in memory, then times
--   (s) session:check() for every session: claims made, session checks
--       (absentees, cloned notes) and every claim checked;
--   (k) bhclaim.check() alone on the same claims, made beforehand.
-- The session layer's cost is (s) - (k); the target is at most 2x (k).
-- Usage: lua bench_sessions.lua [N]
-- SPDX-License-Identifier: MIT
local bhclaim = require("bhclaim")

local N = tonumber(arg[1]) or 10000
local PARTICIPANTS = 8
local OPTS = { today = "2026-11-26" }

local seed = 12345
local function rand(n)
  -- Park-Miller: products stay below 2^53, so doubles (5.1, LuaJIT) and
  -- integers (5.3+) give the same sessions.
  seed = (seed * 16807) % 2147483647
  return seed % n + 1
end

local PAYERS = {
  { id = "04412", name = "Medicare Part B", kind = "medicare" },
  { id = "MCD01", name = "State Medicaid", kind = "medicaid" },
  { id = "60054", name = "Aetna", kind = "commercial" },
}
local DX = { "F33.1", "F41.1", "F43.10", "F43.23", "F32.A", "F90.0", "F10.20", "F84.0" }
-- Notes are put together from independent parts, as real notes differ;
-- one participant in about forty copies a neighbour's note, so doc.cloned
-- fires at a realistic rate.
local OPENINGS = { "Identified an automatic thought about", "Described a conflict over",
  "Shared a setback involving", "Role-played a talk about", "Reported a week dominated by",
  "Was quiet at first, then raised", "Brought a worksheet on", "Asked the group for help with" }
local TOPICS = { "work", "a sister", "the landlord", "school pickup", "money", "a neighbor",
  "sleep", "a court date", "an old friend", "the holidays", "driving", "church" }
local SKILLS = { "reframed it with peer feedback", "practiced a grounding skill",
  "used paced breathing", "made a behavioral activation plan", "tried a thought record",
  "rehearsed an assertive request", "listed pros and cons", "practiced urge surfing" }
local RESULTS = { "rated distress %d to %d.", "said anxiety fell from %d to %d.",
  "scored the skill %d of %d for usefulness.", "planned %d steps before session %d." }

local provider = { name = "Riverbend Counseling LLC", npi = "1234567893", tin = "12-3456789",
  taxonomy = "261QM0801X",
  address = { line1 = "12 Main St", city = "Columbus", state = "OH", zip = "43215" } }
local facilitator = { name = { last = "Marsh", first = "Elena" }, npi = "1245319599",
  credential = "LCSW", taxonomy = "1041C0700X" }

local function make_session(i)
  local parts = {}
  for p = 1, PARTICIPANTS do
    parts[p] = {
      patient = { name = { last = "Patient" .. i .. "x" .. p, first = "Pat" },
        birth_date = "19" .. (50 + rand(49)) .. "-0" .. rand(9) .. "-1" .. rand(9),
        sex = rand(2) == 1 and "F" or "M", member_id = "M" .. i .. "P" .. p },
      payer = PAYERS[rand(3)],
      diagnoses = { DX[rand(#DX)], DX[rand(#DX)] == "F41.1" and "F43.23" or "F41.1" },
      present = rand(10) > 1, minutes_present = 60,
      participation = OPENINGS[rand(#OPENINGS)] .. " " .. TOPICS[rand(#TOPICS)] .. "; "
        .. SKILLS[rand(#SKILLS)] .. " and " .. string.format(RESULTS[rand(#RESULTS)],
        rand(9), rand(9)),
      medical_necessity = "Recurrent depression with avoidance limiting work and family roles.",
      plan_goal = "Goal " .. rand(3) .. ": reduce PHQ-9 below 10",
      interactive_complexity = rand(8) == 1,
      charge = "52.00",
    }
    if p > 1 and rand(40) == 1 then parts[p].participation = parts[p - 1].participation end
  end
  return {
    id = "GRP-" .. i, date = "2026-0" .. rand(9) .. "-1" .. rand(9), start = "13:00",
    ["end"] = "14:00", code = "90853", charges = { ["90785"] = "15.00" },
    modality = "in_person", place_of_service = "11", purpose = "CBT skills group",
    billing_provider = provider, facilitator = facilitator,
    signature = { name = "Elena Marsh", credential = "LCSW", date = "2026-09-30" },
    participants = parts,
  }
end

local sessions = {}
for i = 1, N do sessions[i] = bhclaim.session(make_session(i)) end

-- Warm the caches (compiled profiles) so both passes start equal.
sessions[1]:check(OPTS)

local claims = {}
for _, s in ipairs(sessions) do
  local made = s:claims()
  for _, c in ipairs(made) do claims[#claims + 1] = c end
end

local t0 = os.clock()
local findings_s = 0
for _, s in ipairs(sessions) do
  local r = s:check(OPTS)
  for _, c in ipairs(r.claims) do findings_s = findings_s + #c.report.findings end
end
local session_seconds = os.clock() - t0

t0 = os.clock()
local findings_k = 0
for _, c in ipairs(claims) do
  findings_k = findings_k + #bhclaim.check(c, OPTS).findings
end
local check_seconds = os.clock() - t0

local added = session_seconds - check_seconds
print(string.format("%s: %d sessions of %d participants, %d claims", _VERSION .. (jit and
  (" (" .. jit.version .. ")") or ""), N, PARTICIPANTS, #claims))
print(string.format("(s) session:check()      %.3f s  %8.0f sessions/s  %8.0f claims/s",
  session_seconds, N / session_seconds, #claims / session_seconds))
print(string.format("(k) bhclaim.check alone  %.3f s  %8.0f claims/s", check_seconds,
  #claims / check_seconds))
print(string.format("core check's share of (s): %.0f%%; session layer adds %.2fx the cost "
  .. "of checking the claims alone (target <= 2x)", 100 * check_seconds / session_seconds,
  added / check_seconds))
print(string.format("findings: %d in (s), %d in (k) (the difference is doc.cloned)",
  findings_s, findings_k))
