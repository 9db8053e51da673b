--- CARC, RARC and group codes of the 835, explained.
-- Each code carries: its official short wording where that may be carried
-- (`text`, nil when not carried), where the wording comes from (`source`, a
-- key of SOURCES), our own plain-language `hint` (what to do), the `action`
-- it usually calls for, and a note on the group codes it goes with.
--
-- Sources (also in data/PROVENANCE.md, "CARC/RARC catalogue"):
--  * rules-reference section 6 (docs/rules-reference.md): the behavioral-health
--    CARC/RARC table; CARC wording as the X12 list carried in a public C#
--    copy, RARC wording as in several public code copies.
--  * openemr/openemr: src/Billing/BillingUtilities.php@003893015c544e784232
--    b8952d20c72848845a67, CLAIM_ADJUSTMENT_REASON_CODES, a public copy of
--    the X12 CARC list, for the codes met in the shared 835 samples that
--    section 6 does not list (1, 2, 3, 23, 26, 94, 133, 147, 176, 251), and a few more codes
--    behavioral-health claims meet (24, 31, 39, 140, 146, 150, 152, 272, 273,
--    B7, B12, B13, B15).
--  * Codes the current list no longer carries (42, A2, A7; RARC N14, which
--    a public copy of the RARC list marks "Stop: 10/01/2007") are kept as
--    `deactivated` with no wording: an old 835 still shows them.
-- Authoritative lists: https://x12.org/codes/claim-adjustment-reason-codes
-- and https://x12.org/codes/remittance-advice-remark-codes.
-- The hints are ours, not X12's or CMS's.
--
-- An unknown code is never dropped: carc()/rarc() answer with known = false
-- and a text saying the code is not in the catalogue.
-- @module bhclaim.adjustments
-- SPDX-License-Identifier: MIT

local M = {}

M.SOURCES = {
  reference = "rules-reference section 6 (X12 CARC list as carried in a public copy; "
    .. "RARC wording as in public copies); verify at x12.org",
  openemr = "openemr/openemr: src/Billing/BillingUtilities.php@"
    .. "003893015c544e784232b8952d20c72848845a67 (public copy of the X12 CARC list)",
  deactivated = "not in the current X12 list (deactivated code; wording not carried)",
}

-- What a code usually calls for.
M.ACTIONS = {
  correct_and_resubmit = "correct the claim and send it again (a new claim or a replacement, "
    .. "frequency 7, as the payer asks)",
  appeal = "appeal (a redetermination for Medicare) with the documentation",
  bill_patient = "the patient owes it: bill the patient or the secondary payer",
  bill_other_payer = "send the claim to the payer that is responsible",
  none = "nothing to fix: an expected adjustment",
  review = "look at the payer's remark codes and policy before deciding",
  wait = "wait for the payer's final answer",
}

--- Group codes (CAS01).
M.GROUPS = {
  CO = { code = "CO", name = "Contractual Obligations",
    note = "the provider bears it under the contract or the law: do not bill the patient" },
  PR = { code = "PR", name = "Patient Responsibility",
    note = "the patient (or a secondary payer) may be billed for it" },
  OA = { code = "OA", name = "Other Adjustments",
    note = "neither CO nor PR applies (e.g. prior payer's payment, duplicates)" },
  PI = { code = "PI", name = "Payer Initiated Reductions",
    note = "the payer's reduction, not a contract term; do not bill the patient" },
  CR = { code = "CR", name = "Corrections and Reversals",
    note = "a 4010 group code, not valid in 005010 835s; kept to show old files" },
}

local function carc(code, text, source, action, hint, groups)
  return { kind = "carc", code = code, text = text, source = source, action = action,
    hint = hint, groups = groups }
end

-- {====================================================================
-- CARC
-- =====================================================================
local R, O, D = "reference", "openemr", "deactivated"

local CARC_LIST = {
  carc("1", "Deductible Amount", O, "bill_patient",
    "Applied to the patient's deductible; bill the patient or the secondary payer.", "PR"),
  carc("2", "Coinsurance Amount", O, "bill_patient",
    "The patient's coinsurance share; bill the patient or the secondary payer.", "PR"),
  carc("3", "Co-payment Amount", O, "bill_patient",
    "The patient's copay; collect it from the patient.", "PR"),
  carc("4", "The procedure code is inconsistent with the modifier used.", R,
    "correct_and_resubmit",
    "Wrong or missing modifier (95/93/FQ telehealth, HQ group, HO, 59/XE): fix the modifiers "
      .. "and resubmit."),
  carc("5", "The procedure code/type of bill is inconsistent with the place of service.", R,
    "correct_and_resubmit",
    "Place of service does not fit the code (POS 02/10 vs modifier, 90853 at POS 52): "
      .. "correct the POS and resubmit."),
  carc("8", "The procedure code is inconsistent with the provider type/specialty (taxonomy).", R,
    "correct_and_resubmit",
    "The rendering provider's taxonomy or credential is not allowed for the code: check the "
      .. "rendering NPI and taxonomy, resubmit under an eligible provider."),
  carc("11", "The diagnosis is inconsistent with the procedure.", R, "correct_and_resubmit",
    "Point the psychotherapy line at a mental-health diagnosis (F-code) and resubmit."),
  carc("16", "Claim/service lacks information or has submission/billing error(s).", R,
    "correct_and_resubmit",
    "Something is missing or invalid; the remark code (RARC) says what. Fix it and resubmit "
      .. "(not an appeal)."),
  carc("18", "Exact duplicate claim/service", R, "review",
    "Billed twice (e.g. the same group session). Do not resubmit; check whether the first "
      .. "claim was paid.", "OA"),
  carc("22", "This care may be covered by another payer per coordination of benefits.", R,
    "bill_other_payer",
    "Coordination of benefits: bill the primary payer first, then send its 835 to this one."),
  carc("23", "The impact of prior payer(s) adjudication including payments and/or "
    .. "adjustments.", O, "none",
    "What the prior payer paid or adjusted; nothing to fix.", "OA"),
  carc("24", "Charges are covered under a capitation agreement/managed care plan.", O, "none",
    "Paid through the capitation contract, not per claim; nothing to fix."),
  carc("26", "Expenses incurred prior to coverage.", O, "review",
    "Service before the coverage began: verify eligibility and the other coverage, bill the "
      .. "right payer or the patient."),
  carc("31", "Patient cannot be identified as our insured.", O, "correct_and_resubmit",
    "The payer cannot find the patient: check the member id, name and birth date against "
      .. "the card (run an eligibility check) and resubmit."),
  carc("39", "Services denied at the time authorization/pre-certification was requested.", O,
    "appeal", "The authorization was refused: appeal the authorization decision, or bill the "
      .. "patient if they agreed in writing."),
  carc("27", "Expenses incurred after coverage terminated.", R, "review",
    "Coverage had ended: check eligibility for the date, find the current payer."),
  carc("29", "The time limit for filing has expired.", R, "appeal",
    "Filed too late: appeal only with proof of timely filing (clearinghouse acceptance "
      .. "report)."),
  carc("42", nil, D, "none",
    "Deactivated code for a charge above the fee schedule (CARC 45 replaced it): a contractual "
      .. "write-off.", "CO"),
  carc("45", "Charge exceeds fee schedule/maximum allowable or contracted/legislated fee "
    .. "arrangement.", R, "none",
    "Contractual write-off (charge above the allowed amount); compare the allowed amount with "
      .. "the expected fee.", "CO PR"),
  carc("50", "These are non-covered services because this is not deemed a 'medical necessity' "
    .. "by the payer.", R, "appeal",
    "Medical necessity not shown: appeal with the note (diagnosis, treatment plan, session "
      .. "note) or check the LCD diagnosis list."),
  carc("58", "Treatment was deemed by the payer to have been rendered in an inappropriate or "
    .. "invalid place of service.", R, "correct_and_resubmit",
    "Wrong place of service: correct the POS and resubmit."),
  carc("94", "Processed in Excess of charges.", O, "none",
    "The payer allowed more than the charge; check the charge master.", "OA"),
  carc("96", "Non-covered charge(s).", R, "review",
    "Not covered (the RARC says why, e.g. 90849 under Medicare): bill the patient only with a "
      .. "valid advance notice, or appeal if covered."),
  carc("97", "The benefit for this service is included in the payment/allowance for another "
    .. "service/procedure that has already been adjudicated.", R, "correct_and_resubmit",
    "Bundled (NCCI) or an add-on without its primary code: add the primary or a valid "
      .. "NCCI modifier when distinct, and resubmit."),
  carc("109", "Claim/service not covered by this payer/contractor. You must send the "
    .. "claim/service to the correct payer/contractor.", R, "bill_other_payer",
    "Wrong payer: send the claim to the correct payer or contractor."),
  carc("119", "Benefit maximum for this time period or occurrence has been reached.", R, "review",
    "Visit limit reached: check the benefit, ask for an authorization of more visits, or bill "
      .. "the patient if allowed."),
  carc("133", "The disposition of this service line is pending further review.", O, "wait",
    "The payer has not decided yet; it will send a reversal and correction when it does.",
    "OA"),
  carc("140", "Patient/Insured health identification number and name do not match.", O,
    "correct_and_resubmit", "Correct the member id or name to match the card and resubmit."),
  carc("146", "Diagnosis was invalid for the date(s) of service reported.", O,
    "correct_and_resubmit",
    "Use a diagnosis code valid on the date of service (ICD-10-CM changes each October 1)."),
  carc("147", "Provider contracted/negotiated rate expired or not on file.", O, "review",
    "The payer has no rate for you: send the contract or fee schedule to the payer, then ask "
      .. "for reprocessing."),
  carc("150", "Payer deems the information submitted does not support this level of service.",
    O, "appeal", "The note does not support the code billed: appeal with the note, or correct "
      .. "the code to the level documented."),
  carc("151", "Payment adjusted because the payer deems the information submitted does not "
    .. "support this many/frequency of services.", R, "correct_and_resubmit",
    "Too many units or sessions (MUE-like): bill one unit per group session and patient; appeal "
      .. "with notes if the frequency was necessary."),
  carc("152", "Payer deems the information submitted does not support this length of service.",
    O, "appeal", "The documented time does not support the code (e.g. session minutes): correct "
      .. "the code to the time documented, or appeal with the note's start and end times."),
  carc("167", "This (these) diagnosis(es) is (are) not covered.", R, "correct_and_resubmit",
    "Diagnosis not on the payer's list (LCD): code the covered diagnosis that the note "
      .. "supports and resubmit."),
  carc("170", "Payment is denied when performed/billed by this type of provider.", R, "review",
    "The credential cannot bill this (unlicensed, intern without supervision modifier): bill "
      .. "under an eligible provider if the rules allow."),
  carc("176", "Prescription is not current.", O, "review",
    "The order or prescription had lapsed: renew it and ask for reprocessing."),
  carc("181", "Procedure code was invalid on the date of service.", R, "correct_and_resubmit",
    "The code did not exist on that date: use the code valid on the date of service."),
  carc("182", "Procedure modifier was invalid on the date of service.", R,
    "correct_and_resubmit", "The modifier was not valid on that date: correct it and resubmit."),
  carc("185", "The rendering provider is not eligible to perform the service billed.", R,
    "review",
    "Rendering NPI not enrolled with the payer for this service: enroll or bill under an "
      .. "enrolled provider."),
  carc("197", "Precertification/authorization/notification/pre-treatment absent.", R, "appeal",
    "No prior authorization on file: put the authorization number (REF*G1) on the claim, or "
      .. "ask for a retro-authorization."),
  carc("204", "This service/equipment/drug is not covered under the patient's current benefit "
    .. "plan", R, "review",
    "Excluded by the patient's plan: bill the patient if they agreed in writing."),
  carc("206", "National Provider Identifier - missing.", R, "correct_and_resubmit",
    "Add the missing NPI and resubmit."),
  carc("207", "National Provider Identifier - Invalid format", R, "correct_and_resubmit",
    "Correct the NPI (10 digits, valid check digit) and resubmit."),
  carc("208", "National Provider Identifier - Not matched.", R, "correct_and_resubmit",
    "The NPI does not match the payer's enrollment: check the NPI and name on file."),
  carc("231", "Mutually exclusive procedures cannot be done in the same day/setting.", R,
    "correct_and_resubmit",
    "NCCI mutually exclusive pair: bill the one performed, or a distinct-service modifier "
      .. "when documented."),
  carc("234", "This procedure is not paid separately.", R, "review",
    "Bundled into another payment; the RARC says which."),
  carc("236", "This procedure or procedure/modifier combination is not compatible with another "
    .. "procedure or procedure/modifier combination provided on the same day according to "
    .. "the National Correct Coding Initiative", R, "correct_and_resubmit",
    "NCCI pair edit (e.g. 90853 with individual psychotherapy the same day): use 59/XE only "
      .. "when the services were truly separate, or drop the column-two code."),
  carc("251", "The attachment/other documentation that was received was incomplete or "
    .. "deficient.", O, "appeal",
    "The records sent were incomplete: send the complete documentation the remark code "
      .. "names."),
  carc("253", "Sequestration - reduction in federal payment", R, "none",
    "Medicare sequestration: an expected reduction; nothing to fix.", "CO"),
  carc("272", "Coverage/program guidelines were not met.", O, "review",
    "The plan's program rules were not met: read the remark code and the plan's policy."),
  carc("273", "Coverage/program guidelines were exceeded.", O, "review",
    "Beyond the plan's program limits: ask for an authorization of more services."),
  carc("287", "Referral exceeded", R, "review",
    "More visits than the referral allows: get a new referral."),
  carc("288", "Referral absent", R, "correct_and_resubmit",
    "No referral on file: get the referral and put it on the claim."),
  carc("B7", "This provider was not certified/eligible to be paid for this procedure/service "
    .. "on this date of service.", O, "review",
    "The provider's enrollment or certification did not cover the date: check enrollment "
      .. "dates with the payer, bill under an enrolled provider."),
  carc("B12", "Services not documented in patient's medical records.", O, "appeal",
    "The records sent do not show the service: send the signed session note."),
  carc("B13", "Previously paid. Payment for this claim/service may have been provided in a "
    .. "previous payment.", O, "review",
    "Already paid on an earlier remittance: find that payment; do not resubmit."),
  carc("B15", "This service/procedure requires that a qualifying service/procedure be received "
    .. "and covered. The qualifying other service/procedure has not been received/adjudicated.",
    O, "correct_and_resubmit",
    "An add-on (e.g. 90785) without its primary service paid: bill the primary code on the "
      .. "same claim."),
  carc("A2", nil, D, "none",
    "Deactivated code for a contractual adjustment: a contractual write-off.", "CO"),
  carc("A7", nil, D, "review",
    "Deactivated code for a presumptive payment adjustment; the payer will settle it later."),
}

-- {====================================================================
-- RARC
-- =====================================================================

local function rarc(code, text, source, hint)
  return { kind = "rarc", code = code, text = text, source = source, hint = hint }
end

local RARC_LIST = {
  rarc("M15", "Separately billed services/tests have been bundled as they are considered "
    .. "components of the same procedure. Separate payment is not allowed.", R,
    "Bundled: do not bill the component separately."),
  rarc("M51", "Missing/incomplete/invalid procedure code(s).", R,
    "Correct the procedure code and resubmit."),
  rarc("M76", "Missing/incomplete/invalid diagnosis or condition.", R,
    "Correct the diagnosis codes or pointers and resubmit."),
  rarc("M77", "Missing/incomplete/invalid place of service.", R,
    "Correct the place of service and resubmit."),
  rarc("MA02", nil, "not_carried",
    "Appeal-rights notice: you may appeal this decision within the payer's time limit."),
  rarc("MA130", "Your claim contains incomplete and/or invalid information, and no appeal "
    .. "rights are afforded because the claim is unprocessable. Please submit a new claim with "
    .. "the complete/correct information.", R,
    "Unprocessable: submit a new, corrected claim (an appeal will not be heard)."),
  rarc("N14", nil, D,
    "Deactivated remark (2007): payment based on a contract or fee schedule; nothing to fix."),
  rarc("N20", "Service not payable with other service rendered on the same date.", R,
    "Same-day pair: bill only the payable service or document a distinct encounter."),
  rarc("N56", "Procedure code billed is not correct/valid for the services billed or the date "
    .. "of service billed.", R, "Use the code valid for the service and date."),
  rarc("N95", "This provider type/provider specialty may not bill this service.", R,
    "Bill under a provider type allowed for the code."),
  rarc("N115", "This decision was based on a Local Coverage Determination (LCD).", R,
    "Read the MAC's LCD for the code (coverage, diagnoses, documentation)."),
  rarc("N130", "Consult plan benefit documents/guidelines for information about restrictions "
    .. "for this service.", R, "Check the plan's benefit limits for the service."),
  rarc("N206", nil, "not_carried",
    "The documentation did not match the claim: compare the note with the billed code, "
      .. "date and provider, correct whichever is wrong."),
  rarc("N290", "Missing/incomplete/invalid rendering provider primary identifier.", R,
    "Put the rendering provider's NPI in loop 2310B and resubmit."),
  rarc("N362", "The number of Days or Units of Service exceeds our acceptable maximum.", R,
    "Units above the payer's maximum (MUE): correct the units."),
  rarc("N386", "This decision was based on a National Coverage Determination (NCD).", R,
    "Read the NCD for the service."),
  rarc("N657", "This should be billed with the appropriate code for these services.", R,
    "Use the code the payer names for the service."),
}

M.SOURCES.not_carried = "seen in the shared 835 samples; official wording not "
  .. "carried (no copy found): see x12.org"

M.CARC, M.RARC = {}, {}
for _, e in ipairs(CARC_LIST) do M.CARC[e.code] = e end
for _, e in ipairs(RARC_LIST) do M.RARC[e.code] = e end

local function unknown(kind, code)
  local what = kind == "carc" and "CARC" or "RARC"
  return { kind = kind, code = code, known = false,
    text = "unknown " .. what .. " " .. tostring(code) .. " (not in bhclaim's catalogue)",
    hint = "Look the code up at x12.org and in the payer's remittance guide.",
    action = "review" }
end

local function known(e)
  local out = {}
  for k, v in pairs(e) do out[k] = v end
  out.known = true
  if out.text == nil then
    out.text = e.source == "deactivated" and "deactivated " .. e.kind:upper() .. " " .. e.code
      or e.kind:upper() .. " " .. e.code .. " (official wording not carried)"
  end
  return out
end

local function check_code(fname, code)
  if type(code) ~= "string" and type(code) ~= "number" then
    error(string.format("bad argument #1 to '%s' (string expected, got %s)", fname, type(code)), 3)
  end
  return tostring(code)
end

--- A CARC's entry: `code`, `known`, `text`, `source`, `hint`, `action`,
-- `groups` (the group codes it goes with, when the list restricts them).
-- An unknown code gets known = false and a text saying so.
-- @tparam string code e.g. "45"
-- @treturn table
function M.carc(code)
  code = check_code("carc", code)
  local e = M.CARC[code]
  return e and known(e) or unknown("carc", code)
end

--- A RARC's entry (as carc); unknown codes get known = false.
-- @tparam string code e.g. "N290"
-- @treturn table
function M.rarc(code)
  code = check_code("rarc", code)
  local e = M.RARC[code]
  return e and known(e) or unknown("rarc", code)
end

--- A group code's entry {code, name, note}, or an unknown one.
-- @tparam string code "CO", "PR", "OA", "PI", "CR"
-- @treturn table
function M.group(code)
  code = check_code("group", code)
  return M.GROUPS[code] or { code = code, name = "unknown group code " .. code,
    note = "not a CAS01 group code", known = false }
end

--- One CAS adjustment explained: its text ("CO-45: Charge exceeds ...") and
-- hint (the code's hint, with the group's consequence).
-- @tparam string group CAS01
-- @tparam string reason the CARC
-- @treturn string text
-- @treturn string hint
-- @treturn boolean whether the CARC is in the catalogue
-- explain()'s answers by "group-reason": the catalogue does not change,
-- and a large 835 repeats a few pairs many times.
local explained = {}

function M.explain(group, reason)
  local key = tostring(group) .. "-" .. tostring(reason)
  local hit = explained[key]
  if hit then return hit[1], hit[2], hit[3] end
  local text, hint, is_known = M.explain_uncached(group, reason)
  explained[key] = { text, hint, is_known }
  return text, hint, is_known
end

--- explain() without its cache.
function M.explain_uncached(group, reason)
  -- Data from a file never raises: a missing code shows as "nil".
  group, reason = tostring(group), tostring(reason)
  local c = M.carc(reason)
  local g = M.group(group)
  local hint = c.hint
  if group == "PR" and c.action ~= "bill_patient" then
    hint = hint .. " (Group PR: the patient may be billed.)"
  elseif (group == "CO" or group == "PI") and c.action == "bill_patient" then
    hint = hint .. " (Group " .. group .. ": " .. g.note .. ".)"
  end
  return group .. "-" .. reason .. ": " .. c.text, hint, c.known
end

-- {====================================================================
-- Rule ids that predict a denial
-- =====================================================================

local function add(map, key, rule)
  if key == nil or key == "" then return end
  local list = map[key]
  if not list then
    list = {}
    map[key] = list
  end
  for _, r in ipairs(list) do
    if r == rule then return end
  end
  list[#list + 1] = rule
end

--- Inverts the rule catalogue (core.rules_catalog(): a list of
-- {rule=, group=, carc=, rarc=}, each rule's predicted denial) into look-ups
-- from a denial to the rule ids that would have caught it. The one
-- definition of "which rule predicts which denial" stays in the core's
-- table; this only turns it around.
-- @tparam table catalog list of {rule, group, carc, rarc}
-- @treturn table index with :rules(group, carc, rarc)
function M.rule_index(catalog)
  if type(catalog) ~= "table" then
    error("bad argument #1 to 'rule_index' (table expected, got " .. type(catalog) .. ")", 2)
  end
  local index = { by_carc = {}, by_pair = {}, by_rarc = {} }
  for i, e in ipairs(catalog) do
    if type(e) ~= "table" or type(e.rule) ~= "string" then
      error("bad argument #1 to 'rule_index' (entry " .. i .. " has no rule id)", 2)
    end
    if e.carc then
      add(index.by_carc, tostring(e.carc), e.rule)
      if e.group then add(index.by_pair, e.group .. "-" .. tostring(e.carc), e.rule) end
    end
    if e.rarc then add(index.by_rarc, tostring(e.rarc), e.rule) end
  end
  for _, map in pairs(index) do
    for _, list in pairs(map) do table.sort(list) end
  end
  --- The rule ids predicting a denial, sorted: those naming the same
  -- group and CARC (any group when none names it), narrowed to the RARC's
  -- rules when some rule names that RARC too.
  function index.rules(_, group, reason, remark)
    local list = index.by_pair[tostring(group) .. "-" .. tostring(reason)]
      or index.by_carc[tostring(reason)] or {}
    if remark and index.by_rarc[remark] then
      local narrowed, wanted = {}, {}
      for _, r in ipairs(index.by_rarc[remark]) do wanted[r] = true end
      for _, r in ipairs(list) do
        if wanted[r] then narrowed[#narrowed + 1] = r end
      end
      if #narrowed > 0 then return narrowed end
    end
    local copy = {}
    for i, r in ipairs(list) do copy[i] = r end
    return copy
  end
  return index
end

local core_index

--- The rule index of the core's own catalogue (core.rules_catalog(), each
-- rule's predicted denial), built once; nil while the core has no catalogue.
-- This is where the core's table is wired in: bhclaim.remit.report and
-- `bhclaim remit` use it when no index is given.
-- @tparam[opt] boolean rebuild true: read the catalogue again
-- @treturn table|nil
function M.core_rule_index(rebuild)
  if rebuild then core_index = nil end
  if core_index == nil then
    local ok, core = pcall(require, "bhclaim.core")
    if ok and type(core.rules_catalog) == "function" then
      core_index = M.rule_index(core.rules_catalog())
    else
      return nil
    end
  end
  return core_index
end

return M
