-- gen_claims.lua: writes N synthetic group-therapy claims as NDJSON for `make bench`.
-- Deterministic on Lua 5.1-5.4 and LuaJIT: its own Park-Miller generator, so the
-- file is byte-identical whichever interpreter runs it. About 5% of claims carry
-- one deliberate mistake (bad NPI, header ICD-10 code, unknown POS).
-- Usage: lua gen_claims.lua [N=100000] [out=bench/out/claims.ndjson]
-- SPDX-License-Identifier: MIT

local n_claims = tonumber(arg and arg[1]) or 100000
local out_path = (arg and arg[2]) or "bench/out/claims.ndjson"

local concat, format, floor = table.concat, string.format, math.floor

-- Park-Miller minimal standard (a = 16807, m = 2^31 - 1). The state stays
-- below 2^31, so state * a < 2^46 is exact in a double and in an integer:
-- every version draws the same sequence.
local seed = 20260302
local function rand(n)
  seed = (seed * 16807) % 2147483647
  return seed % n + 1
end

local function pick(list) return list[rand(#list)] end
local function chance(percent) return rand(1000) <= percent * 10 end

-- {====================================================================
-- Identifiers
-- =====================================================================

-- NPI check digit: Luhn over the nine digits as if prefixed by 80840,
-- i.e. plain Luhn plus the constant 24 (rules-reference 7.3).
local function npi_check_digit(nine)
  local sum = 24
  for i = 9, 1, -1 do
    local d = tonumber(nine:sub(i, i))
    if (9 - i) % 2 == 0 then
      d = d * 2
      if d > 9 then d = d - 9 end
    end
    sum = sum + d
  end
  return (10 - sum % 10) % 10
end

local function make_npi(first)
  local nine = tostring(first) .. format("%08d", rand(99999999) - 1)
  return nine .. npi_check_digit(nine)
end

-- A wrong check digit: the one mistake an NPI typo most often makes.
local function break_npi(npi)
  local last = tonumber(npi:sub(10, 10))
  return npi:sub(1, 9) .. ((last + 1 + rand(8)) % 10)
end

local digits = "0123456789"
local letters = "ACDEFGHJKMNPQRTUVWXY"   -- MBI letters: no B, I, L, O, S, Z
local function chars(set, n)
  local t = {}
  for i = 1, n do
    local k = rand(#set)
    t[i] = set:sub(k, k)
  end
  return concat(t)
end

-- Medicare Beneficiary Identifier shape: C A AN N A AN N A A N N.
local function make_mbi()
  return chars("123456789", 1) .. chars(letters, 1) .. chars(letters .. digits, 1)
    .. chars(digits, 1) .. chars(letters, 1) .. chars(letters .. digits, 1)
    .. chars(digits, 1) .. chars(letters, 2) .. chars(digits, 2)
end

-- {====================================================================
-- Reference pools (fixed, drawn once from the generator)
-- =====================================================================

local last_names = { "Roe", "Quill", "Marsh", "Okafor", "Nguyen", "Patel", "Garcia",
  "Kowalski", "Haddad", "Johansson", "Brooks", "Delgado", "Fitzgerald", "Yamamoto",
  "Abernathy", "Castellanos", "Lindqvist", "Obi", "Morrison", "Thibodeaux", "Whitaker",
  "Rahman", "Esposito", "Blackwood", "Chen", "Duarte", "Sokolov", "Mensah" }
local first_names = { "Sam", "Arden", "Elena", "Jordan", "Maya", "Luis", "Priya",
  "Tomasz", "Nadia", "Erik", "Keisha", "Rafael", "Siobhan", "Kenji", "Harper",
  "Marisol", "Ingrid", "Chidi", "Wesley", "Amelie", "Trevor", "Farah", "Giulia",
  "Declan", "Wei", "Joana", "Mikhail", "Ama", "Rowan", "Beatrice" }
local cities = {
  { "Columbus", "OH", "43215" }, { "Dayton", "OH", "45402" }, { "Toledo", "OH", "43604" },
  { "Lexington", "KY", "40507" }, { "Pittsburgh", "PA", "15222" },
  { "Madison", "WI", "53703" }, { "Ann Arbor", "MI", "48104" }, { "Asheville", "NC", "28801" },
}
local streets = { "Main St", "Oak Ave", "Riverside Dr", "High St", "Market St",
  "Church Rd", "Maple Ln", "Commerce Blvd" }

local practices = {}
local practice_names = { "Riverbend Counseling LLC", "Harbor Light Behavioral Health",
  "Northside Community Mental Health Center", "Clear Path Recovery Services",
  "Lakeview Psychological Associates", "Summit Family Therapy Group",
  "Cedar Grove Wellness Center", "Meridian Behavioral Care PC",
  "Blue Ridge Counseling Collaborative", "Prairie Sky Mental Health Clinic",
  "Hillcrest Addiction and Recovery", "Greenway Psychotherapy Partners" }
local practice_taxonomies = { "261QM0801X", "251S00000X", "193200000X", "261QM0801X" }
for i = 1, #practice_names do
  local city = pick(cities)
  practices[i] = {
    name = practice_names[i], npi = make_npi(1),
    tin = format("%02d-%07d", 10 + rand(89), rand(9999999) - 1),
    taxonomy = pick(practice_taxonomies),
    line1 = format("%d %s", rand(980) + 19, pick(streets)),
    -- The 837P wants the billing provider's ZIP+4 (2010AA N403).
    city = city[1], state = city[2], zip = city[3] .. format("-%04d", rand(9999)),
  }
end

local credentials = {
  { "LCSW", "1041C0700X" }, { "LCSW", "1041C0700X" }, { "PhD", "103TC0700X" },
  { "PsyD", "103TC0700X" }, { "LPC", "101YP2500X" }, { "LMFT", "106H00000X" },
  { "MD", "2084P0800X" }, { "PMHNP", "363LP0808X" },
}
local clinicians = {}
for i = 1, 40 do
  local cred = pick(credentials)
  clinicians[i] = { last = pick(last_names), first = pick(first_names),
    npi = make_npi(rand(2)), credential = cred[1], taxonomy = cred[2],
    practice = practices[(i - 1) % #practices + 1] }
end

local payers = {
  medicare = { { "04412", "Medicare Part B" }, { "15202", "Medicare Part B" },
    { "12502", "Medicare Part B" } },
  medicaid = { { "SKOH0", "Ohio Medicaid" }, { "MCDKY", "Kentucky Medicaid" },
    { "77046", "Pennsylvania Medical Assistance" }, { "MCDWI", "Wisconsin Medicaid" } },
  commercial = { { "87726", "UnitedHealthcare" }, { "60054", "Aetna" },
    { "62308", "Cigna" }, { "00950", "Anthem Blue Cross" }, { "SB580", "Highmark" } },
}

local icd_codes = { "F33.1", "F41.1", "F43.10", "F43.23", "F32.A", "F90.0", "F10.20",
  "F84.0", "Z63.0", "F31.81", "F41.9", "F43.12" }
-- Categories that need more characters: the mistake a hurried coder makes.
local icd_headers = { "F32", "F43.1", "F33", "F41", "F10.2" }
-- Place-of-service codes the CMS list leaves unassigned.
local bad_pos = { "88", "38", "45", "77", "64" }

-- {====================================================================
-- Note text: composed from fragments so notes differ, as real ones must
-- =====================================================================

local purposes = {
  "Relapse-prevention skills group for co-occurring mood and substance use disorders",
  "Cognitive behavioral skills group for mood disorders",
  "Dialectical behavior therapy skills group: distress tolerance module",
  "Trauma-informed coping skills group for adults with PTSD symptoms",
  "Anxiety management group using exposure and cognitive restructuring",
  "Adolescent social skills and emotion regulation group",
  "Grief and adjustment support group led by a licensed clinician",
  "Parenting stress and family conflict psychoeducation group",
}
local openers = {
  "Described two triggers from the past week",
  "Reported a conflict at work that raised anxiety to 7 out of 10",
  "Identified an automatic thought about being a burden and reframed it with peer feedback",
  "Shared progress on the sleep schedule agreed last session",
  "Arrived late and was initially withdrawn",
  "Disclosed a lapse after 41 days of sobriety",
  "Practiced a grounding exercise when recalling an intrusive memory",
  "Reviewed the weekly mood log and noted three low days",
  "Described avoidance of a family gathering because of panic symptoms",
  "Reported improved concentration at school since starting the homework plan",
}
local middles = {
  "practiced urge surfing with peers and named two coping statements",
  "role-played an assertive request and received feedback from two members",
  "completed a thought record in session and rated belief change from 80 to 45 percent",
  "used the TIPP skill when distress rose during the check-in",
  "offered support to a newer member, showing improved interpersonal engagement",
  "needed prompting to stay on topic but engaged in the chain analysis",
  "identified values-based actions for the coming week",
  "rehearsed a refusal skill for a high-risk situation",
  "described body sensations during the exposure exercise without leaving the room",
}
local closers = {
  "Affect brighter at close; agreed to practice the skill daily.",
  "Remained guarded; clinician will check in individually next week.",
  "Denied SI/HI; safety plan reviewed and unchanged.",
  "Homework: two thought records and one pleasant activity.",
  "Rated group helpfulness 8/10 and committed to attending next week.",
  "Reported cravings at 3/10 by the end of session.",
  "Requested handout on sleep hygiene; provided.",
}
local necessities = {
  "Recurrent major depression, moderate; group targets isolation and relapse.",
  "Generalized anxiety with daily worry impairing work attendance; group builds coping skills.",
  "PTSD symptoms with avoidance and hyperarousal limiting daily function.",
  "Alcohol use disorder, moderate, in early remission; group supports relapse prevention.",
  "Adjustment disorder with mixed anxiety and depressed mood after job loss.",
  "ADHD with peer conflict and emotional dysregulation at school.",
  "Bipolar II disorder with recent depressive episode; group supports mood monitoring.",
}
local necessity_tails = {
  " PHQ-9 16 at intake, 12 at last review.",
  " GAD-7 14 at intake.",
  " Functional impairment documented in the comprehensive assessment.",
  " Unable to sustain gains with individual therapy alone.",
  " Prognosis fair with continued weekly attendance.",
  " Medication managed by the prescriber; adherence discussed.",
}
local goals = {
  "Goal 1: reduce PHQ-9 below 10",
  "Goal 2: reduce depressive episodes",
  "Goal 1: attend work five days a week without panic-related absence",
  "Goal 3: maintain abstinence and attend two peer meetings weekly",
  "Goal 2: use two coping skills when distress exceeds 6/10",
  "Goal 1: reduce school conflict reports to fewer than one per month",
  "Goal 2: sleep at least six hours on five nights a week",
}

local function participation_text()
  return pick(openers) .. "; " .. pick(middles) .. ". " .. pick(closers)
end

local function necessity_text()
  local t = pick(necessities)
  if chance(60) then t = t .. pick(necessity_tails) end
  return t
end

-- {====================================================================
-- JSON writing (compact, one claim per line)
-- =====================================================================

local function str(s)
  if s == nil then return "null" end
  return '"' .. s:gsub('[%c"\\]', function(c)
    return format("\\u%04x", c:byte())
  end) .. '"'
end

local function date_text(y, m, d) return format("%04d-%02d-%02d", y, m, d) end

local function clock(minutes)
  return format("%02d:%02d", floor(minutes / 60), minutes % 60)
end

local function name_json(last, first)
  return '{"last":' .. str(last) .. ',"first":' .. str(first) .. '}'
end

local function person_json(member_id, relationship)
  local y, m, d = 1948 + rand(60), rand(12), rand(28)
  local sex = pick({ "F", "M", "F", "M", "U" })
  local parts = { '{"name":', name_json(pick(last_names), pick(first_names)) }
  if member_id then parts[#parts + 1] = ',"member_id":' .. str(member_id) end
  parts[#parts + 1] = ',"birth_date":' .. str(date_text(y, m, d))
  parts[#parts + 1] = ',"sex":' .. str(sex)
  if relationship then parts[#parts + 1] = ',"relationship":' .. str(relationship) end
  -- The 837P wants the address of whoever is the patient (2010BA, 2010CA).
  local city = pick(cities)
  parts[#parts + 1] = format(',"address":{"line1":%s,"city":%s,"state":%s,"zip":%s}',
    str(format("%d %s", rand(980) + 19, pick(streets))), str(city[1]), str(city[2]),
    str(city[3]))
  parts[#parts + 1] = '}'
  return concat(parts)
end

local function member_id(kind)
  if kind == "medicare" then return make_mbi() end
  if kind == "medicaid" then return format("%09d%02d", rand(999999999), rand(99)) end
  return chars("ABCDEFGHJKLMNPRSTUVWXYZ", 3) .. chars(digits, 9)
end

local function array_json(items)
  return "[" .. concat(items, ",") .. "]"
end

-- {====================================================================
-- One claim
-- =====================================================================

local mistakes = { "npi", "icd_header", "pos" }

local function claim_json(i)
  local kind = pick({ "medicare", "medicare", "medicaid", "medicaid", "commercial",
    "commercial", "commercial" })
  local payer = pick(payers[kind])
  local clinician = clinicians[rand(#clinicians)]
  local practice = clinician.practice
  local mistake = chance(5) and pick(mistakes) or nil

  local month, day = rand(9), rand(28)
  local dos = date_text(2026, month, day)

  -- Modality: mostly in person; video groups use POS 10 from home, 02 from a
  -- facility (rules-reference 3.1); Medicare takes no 95, others want it.
  local modality = chance(82) and "in_person" or "video"
  local location = "facility"
  local pos = pick({ "11", "11", "11", "53", "57" })
  local modifiers = {}
  if modality == "video" then
    location = chance(75) and "home" or "facility"
    pos = location == "home" and "10" or "02"
    if kind ~= "medicare" then modifiers[1] = str("95") end
  end
  if mistake == "pos" then pos = pick(bad_pos) end

  local n_dx = rand(4)
  local dx = {}
  local used = {}
  while #dx < n_dx do
    local code = pick(icd_codes)
    if not used[code] then
      used[code] = true
      dx[#dx + 1] = code
    end
  end
  if mistake == "icd_header" then dx[rand(n_dx)] = pick(icd_headers) end
  local dx_json = {}
  for k = 1, n_dx do dx_json[k] = str(dx[k]) end
  local pointers = {}
  for k = 1, n_dx do pointers[k] = tostring(k) end

  local start = (8 + rand(9)) * 60 + pick({ 0, 0, 15, 30 })
  local minutes = pick({ 60, 60, 90, 75, 45, 90 })
  local present = 2 + rand(9)
  local charge = pick({ "45.00", "52.00", "52.00", "60.00", "75.00", "85.00", "110.00" })

  local lines = {
    '{"code":"90853","modifiers":' .. array_json(modifiers) .. ',"units":1,"charge":'
      .. str(charge) .. ',"date":' .. str(dos) .. ',"place_of_service":null,"dx_pointers":'
      .. array_json(pointers) .. '}',
  }
  if chance(20) then
    lines[#lines + 1] = '{"code":"90785","modifiers":' .. array_json(modifiers)
      .. ',"units":1,"charge":"18.00","date":' .. str(dos)
      .. ',"place_of_service":null,"dx_pointers":[1]}'
  end
  if kind == "medicaid" and chance(30) then
    lines[#lines + 1] = '{"code":"H0004","modifiers":["HO","HQ"],"units":'
      .. tostring(floor(minutes / 15)) .. ',"charge":"24.00","date":' .. str(dos)
      .. ',"place_of_service":null,"dx_pointers":' .. array_json(pointers) .. '}'
  end

  local rendering_npi = clinician.npi
  if mistake == "npi" then rendering_npi = break_npi(rendering_npi) end

  local relationship = chance(85) and "self" or pick({ "child", "spouse" })
  local subscriber = person_json(member_id(kind), relationship)
  local patient = relationship == "self" and "null" or person_json(nil, nil)

  -- Notes are signed the same day or within two days; day <= 28 keeps it valid.
  local sig_day = day
  if not chance(70) and day <= 26 then sig_day = day + rand(2) end
  local prior_auth = (kind == "medicaid" and chance(50))
    and str(format("PA%08d", rand(99999999))) or "null"

  return concat({
    '{"id":', str(format("CLM-2026-%06d", i)),
    ',"payer":{"id":', str(payer[1]), ',"name":', str(payer[2]), ',"kind":', str(kind), '}',
    ',"billing_provider":{"name":', str(practice.name), ',"npi":', str(practice.npi),
    ',"tin":', str(practice.tin), ',"taxonomy":', str(practice.taxonomy),
    ',"address":{"line1":', str(practice.line1), ',"city":', str(practice.city),
    ',"state":', str(practice.state), ',"zip":', str(practice.zip), '}}',
    ',"rendering_provider":{"name":', name_json(clinician.last, clinician.first),
    ',"npi":', str(rendering_npi), ',"credential":', str(clinician.credential),
    ',"taxonomy":', str(clinician.taxonomy), '}',
    ',"subscriber":', subscriber,
    ',"patient":', patient,
    ',"diagnoses":', array_json(dx_json),
    ',"place_of_service":', str(pos),
    ',"prior_authorization":', prior_auth,
    ',"lines":', array_json(lines),
    ',"session":{"kind":"group","start":', str(clock(start)),
    ',"end":', str(clock(start + minutes)), ',"minutes":', tostring(minutes),
    ',"patients_present":', tostring(present), ',"modality":', str(modality),
    ',"patient_location":', str(location), ',"provider_location":"office"',
    ',"last_in_person":null}',
    ',"documentation":{"purpose":', str(pick(purposes)),
    ',"participation":', str(participation_text()),
    ',"medical_necessity":', str(necessity_text()),
    ',"plan_goal":', str(pick(goals)),
    ',"signature":{"name":', str(clinician.first .. " " .. clinician.last),
    ',"credential":', str(clinician.credential),
    ',"date":', str(date_text(2026, month, sig_day)), '}}}',
  })
end

local out = assert(io.open(out_path, "wb"))
local batch = {}
for i = 1, n_claims do
  batch[#batch + 1] = claim_json(i)
  if #batch == 1000 or i == n_claims then
    batch[#batch + 1] = ""      -- so the batch ends with a newline
    out:write(concat(batch, "\n"))
    batch = {}
  end
end
out:close()
