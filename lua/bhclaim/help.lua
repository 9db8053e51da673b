--- The texts of bhclaim.help(): a short guide to the module and one per
-- topic (what it is, its main functions, an example of each). Lines that
-- start with "    > " are examples, "    >> " continues one (as at the
-- Lua prompt): Lua statements that run as they are from the top of a
-- checkout, in order (spec/help_spec.lua runs every topic's).
-- Internal: bhclaim.help is the public entry.
-- @module bhclaim.help
-- SPDX-License-Identifier: MIT

local args = require("bhclaim.args")

local M = {}

--- The topics, in the order help() lists them.
M.TOPICS = { "check", "codes", "session", "telehealth", "payers", "rules", "ncci", "x12",
  "remit", "eligibility" }

-- Other spellings people type.
local ALIASES = { sessions = "session", payer = "payers", rule = "rules", claims = "check",
  claim = "check", code = "codes", ["837p"] = "x12", status = "eligibility",
  ack = "remit", fees = "remit" }

local MAIN = [[
bhclaim %s - check behavioral-health claims before they are sent

  report = bhclaim.check(claim [, {today="YYYY-MM-DD"}])
      claim: a table or JSON text (docs/claim-json.md); print(report)
      report.ok, report.findings[i].rule/.severity/.path/.message/.hint
  claim = bhclaim.decode(json)        json = bhclaim.encode(claim)
  bhclaim.codes.icd10("F33.1" [, date])   bhclaim.codes.cpt("90853")
  bhclaim.codes.pos("10")                 bhclaim.codes.modifier("95")
  bhclaim.npi.valid("1234567893")         bhclaim.tin.valid("12-3456789")
  bhclaim.taxonomy.valid("1041C0700X")
  rs = bhclaim.remit.read(text_835); print(rs[1])   acks = bhclaim.ack.read(text)
  bhclaim.fees.expected{code="90853", date="2026-03-02", place_of_service="11"}
  sets = bhclaim.eligibility.read(text_271)   print(sets)
  claim.coverage = bhclaim.eligibility.members(sets)[1]   (coverage.* rules)
  bhclaim.status.read(text_277)   bhclaim.eligibility.request / status.request

More on each topic: print(bhclaim.help("TOPIC")), TOPIC one of
  %s
(check: reports and clean claims; session: group sessions; payers: payer
profiles; rules: your own rules; ncci: CMS's PTP and MUE files; x12: the
837P; remit: 835s, acknowledgements, fees; eligibility: 270/271, 276/277.)

Rule ids and what they mean: docs/rules.md; remittances: docs/remit.md]]

local TEXT = {}

TEXT.check = [[
check: a claim's findings (docs/claim-json.md, docs/rules.md)

A claim is a table or its JSON text. check never raises for a bad claim:
it reports it; a JSON text that does not parse gives nil, message, id.

  report = bhclaim.check(claim [, opts])   opts: today, payer, rules,
                           disable, ncci; print(report) shows it
    > claim = bhclaim.decode(io.open("examples/claim.json"):read("*a"))
    > report = bhclaim.check(claim, { today = "2026-11-26" }); print(report)
  report.ok (no error), report.counts.error/.warning/.info, and
  report.findings[i]: rule, severity, path, message, hint, source, denial
    > for _, f in ipairs(report.findings) do print(f.rule, f.path) end
  bhclaim.outcome(report)  "clean" (no error and no warning), "with_warnings"
                           or "with_errors", as `bhclaim audit` counts claims
    > print(bhclaim.outcome(report))
  reports = bhclaim.check_batch(claims [, opts])  claims checked together:
                           also claim.duplicate and code.frequency
    > reports = bhclaim.check_batch({ claim, claim }, { today = "2026-11-26" })
    > print(reports[2])
  bhclaim.decode(json), bhclaim.encode(claim)   JSON in and out
    > print(bhclaim.encode(bhclaim.decode('{"id": "C-1"}')))]]

TEXT.codes = [[
codes: code look-ups (compiled-in tables with their sources)

  bhclaim.codes.icd10(code [, date])  ICD-10-CM, in the fiscal year of date
    > print(bhclaim.codes.icd10("F33.1", "2026-03-02"))
  bhclaim.codes.cpt(code)             CPT and HCPCS procedure codes
    > print(bhclaim.codes.cpt("90853"))
  bhclaim.codes.modifier(code), bhclaim.codes.pos(code)
    > print(bhclaim.codes.modifier("95")); print(bhclaim.codes.pos("10"))
  bhclaim.npi.valid, bhclaim.tin.valid, bhclaim.taxonomy.valid   shapes and
                           check digits
    > print(bhclaim.npi.valid("1234567893"), bhclaim.tin.valid("12-3456789"))
A code not found gives nil and why. Command line: bhclaim codes CODE...]]

TEXT.session = [[
session: a group session and the claims it makes (docs/session-json.md)

A session is one JSON object: date, times, facilitator, place, modality,
purpose, and the participants with their payer, diagnoses, attendance and
notes. Each present participant becomes one claim (90853, plus 90785 for
interactive complexity).

  s = bhclaim.session(data)   data: the session's table or JSON text
    > text = io.open("examples/sessions/day-2026-04-07.json"):read("*a")
    > day = bhclaim.decode(text)
    > s = bhclaim.session(day[1])
  claims, absent = s:claims([opts])   one claim per present participant,
                           and a group.attendance note per absentee
    > claims, absent = s:claims(); print(#claims, #absent)
  r = s:check([opts])         the session (cloned notes, attendance) and
                           every claim: r.findings, r.claims[i].report, and
                           r.clean, r.with_warnings, r.with_errors
    > r = s:check({ today = "2026-11-26" }); print(r)
Command line: bhclaim check SESSION.json (a session is detected by its
"participants").]]

TEXT.telehealth = [[
telehealth: place of service and modifiers of a remote service
(docs/telehealth.md)

Medicare 2024-2026 (POS 02/10, 93, FQ, GT, the in-person requirement), the
Medicaid template and the commercial default, as effective-dated data.

  bhclaim.telehealth.derive{ code, date, payer, modality, patient_location,
      provider_kind, last_in_person, group_session, first_telehealth }
                           what the service needs and whether it is allowed,
                           each reason with its source
    > print(bhclaim.telehealth.derive{ code = "90853", date = "2026-03-02",
    >>   payer = "medicare", modality = "video", patient_location = "home" })
  check's rules: telehealth.pos, telehealth.modifier, telehealth.audio_only,
  telehealth.in_person (a claim's session.modality and patient_location)
    > text = io.open("examples/claims/telehealth_pos11_on_video.json"):read("*a")
    > print(bhclaim.check(text, { today = "2026-11-26" }))
Command line: bhclaim derive --code 90853 --date 2026-03-02 --modality video]]

TEXT.payers = [[
payers: payer profiles (docs/payers.md)

A profile holds one payer's rules as data: group sizes, credentials,
modifiers, frequency limits, MUE values, telehealth, each value with its
source (or flagged unconfirmed). check picks the built-in profile of each
claim's payer.kind unless opts.payer names one.

  bhclaim.payers.builtin(name)   "medicare", "medicaid" or "commercial"
    > print(bhclaim.payers.builtin("medicaid").name)
  p = bhclaim.payer{ extends = NAME, name = ..., ... }   a practice's profile
    > p = bhclaim.payer{ extends = "medicaid", name = "medicaid-oh" }
  bhclaim.payers.load(path)      a profile from a Lua file
    > ak = assert(bhclaim.payers.load("examples/payers/medicaid_alaska.lua"))
    > print(ak.name)
  bhclaim.check(claim, { payer = p })   check with that profile
    > text = io.open("examples/claims/clean_medicaid_group.json"):read("*a")
    > print(bhclaim.check(text, { payer = ak, today = "2026-11-26" }))
Command line: bhclaim check --profile medicaid|FILE.lua]]

TEXT.rules = [[
rules: your own checks, and turning a rule off (docs/rules.md)

A rule is { id, severity, description, [applies = function(claim)],
check = function(claim, report) ... report:add{ path, message, hint } end }.
It runs after bhclaim's own rules and reads a copy of the claim.

  set = bhclaim.ruleset(name, { rule, ... })
    > set = bhclaim.ruleset("mine", { { id = "mine.id", severity = "info",
    >>   description = "Our claim ids start with CLM",
    >>   check = function(claim, report)
    >>     if not tostring(claim.id):match("^CLM") then
    >>       report:add{ path = "id", message = "Not one of our claim ids." }
    >>     end
    >>   end } })
  set = bhclaim.rules.load(path)   a Lua file returning a set or a list of rules
    > practice = assert(bhclaim.rules.load("examples/rules/practice.lua"))
  bhclaim.check(claim, { rules = set or { set, ... } })
    > claim = bhclaim.decode(io.open("examples/claim.json"):read("*a"))
    > print(bhclaim.check(claim, { rules = { set, practice }, today = "2026-11-26" }))
  opts.disable = { [rule id] = "reason" }   a rule turned off, the reason kept
    > print(bhclaim.check(claim, { today = "2026-11-26",
    >>   disable = { ["doc.plan"] = "plan reviewed monthly" } }))
Command line: bhclaim check --rules FILE.lua]]

TEXT.ncci = [[
ncci: NCCI procedure-to-procedure (PTP) pairs and medically unlikely
edits (MUE) (docs/rules.md: ncci.ptp, ncci.mue)

The compiled-in table holds the few sourced edits for these codes; CMS's
quarterly practitioner files add the rest.

  bhclaim.ncci.load{ ptp = PATH, mue = PATH [, mue_from = DATE] [, into = t] }
                           CMS's PTP (.TXT) and MUE (.csv) files into the
                           module's table (or t); nil, "file: line N: ..."
  t = bhclaim.ncci.new()   a table of the compiled-in edits only
    > t = bhclaim.ncci.new()
  t:ptp(column1, column2, date), t:mue(code, date)   an edit, or nil
    > print(t:ptp("90853", "90832", "2026-03-02").modifier_indicator)
  bhclaim.check(claim, { ncci = t })   check with that table (default: the
                           module's, bhclaim.ncci.table())
    > claim = bhclaim.decode(io.open("examples/claim.json"):read("*a"))
    > print(bhclaim.check(claim, { ncci = t, today = "2026-11-26" }).ok)
Command line: bhclaim check --ncci-ptp FILE --ncci-mue FILE]]

TEXT.x12 = [[
x12: the 837P professional claim (005010X222A1)

  text = bhclaim.x12.write(claims, envelope)   one interchange; a claim with
                           an error finding, or that the 837P cannot carry
                           exactly, is refused (nil, why, id)
    > claim = bhclaim.decode(io.open("examples/claims/clean_medicare.json"):read("*a"))
    > text = assert(bhclaim.x12.write({ claim }, dofile("examples/envelope.lua")))
  claims, envelope = bhclaim.x12.read(text [, { lenient = true }])
    > claims = assert(bhclaim.x12.read(text)); print(claims[1].id)
  reports = bhclaim.x12.check(text [, opts])   read and check in one pass
    > reports = assert(bhclaim.x12.check(text, { today = "2026-11-26" }))
    > print(reports[1])
  bhclaim.x12.refusal(claim [, opts])   why write would refuse a claim, or nil
    > print(bhclaim.x12.refusal(claim, { today = "2026-11-26" }))
Command line: bhclaim check FILE.837;
bhclaim export --to 837p --envelope FILE.lua]]

TEXT.remit = [[
remit: what came back - 835 remittances, 999/TA1/277CA acknowledgements,
expected fees (docs/remit.md)

  rs = bhclaim.remit.read(text)   one remittance per 835 set; print(rs[i])
                           explains every adjustment code
    > text = io.open("spec/fixtures/remit/group_therapy.835"):read("*a")
    > rs = assert(bhclaim.remit.read(text)); print(rs[1])
  acks = bhclaim.ack.read(text)   TA1, 999 and 277CA
    > text = io.open("spec/fixtures/x12-samples/999_imsweb_rejected.txt"):read("*a")
    > acks = assert(bhclaim.ack.read(text)); print(acks[1])
  bhclaim.fees.expected{ code, date, place_of_service, ... }   the Medicare
                           PFS amount, with its factors
    > print(bhclaim.fees.expected{ code = "90853", date = "2026-03-02",
    >>   place_of_service = "11" })
Command line: bhclaim remit FILE.835 --claims SENT; bhclaim ack FILE]]

TEXT.eligibility = [[
eligibility: coverage before the session (270/271) and claim status
(276/277) (docs/eligibility.md, docs/status.md)

  sets = bhclaim.eligibility.read(text)   a 271 (or 270); print(sets)
    > text = io.open("spec/fixtures/x12-samples/271_lfh_subscriber.271"):read("*a")
    > sets = assert(bhclaim.eligibility.read(text)); print(sets)
  bhclaim.eligibility.members(sets)   one coverage answer per member;
                           claim.coverage = one of them runs the coverage.* rules
    > print(bhclaim.eligibility.members(sets)[1].member_id)
  bhclaim.eligibility.request(items, envelope)   writes a 270 (items:
                           docs/eligibility.md; envelope as x12.write's)
  bhclaim.status.read(text)   a 277 (or 276); bhclaim.status.request(items,
                           envelope) writes a 276 (docs/status.md)
    > text = io.open("spec/fixtures/x12-samples/277_lfh_claim_level.277"):read("*a")
    > print(assert(bhclaim.status.read(text)))
Command line: bhclaim eligibility request|read; bhclaim status request|read]]

--- The guide (no topic) or one topic's text.
-- @tparam[opt] string topic one of M.TOPICS (or a plural, "837p"...)
-- @tparam string version the module's version, for the guide's head
-- @treturn string
-- @raise bad argument #1 to 'help' for another topic; level counts from
--   bhclaim.help's caller
function M.text(topic, version)
  if topic == nil then return string.format(MAIN, version, table.concat(M.TOPICS, ", ")) end
  args.check_type("help", 1, topic, "string", false, 3)
  local name = topic:lower()
  name = ALIASES[name] or name
  local text = TEXT[name]
  if not text then
    args.argerror("help", 1, "no topic '" .. topic .. "'; topics: "
      .. table.concat(M.TOPICS, ", "), 3)
  end
  return text
end

return M
