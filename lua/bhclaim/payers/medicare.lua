-- Medicare Part B profile for group psychotherapy. Every value names its
-- source (sections of docs/rules-reference.md); a
-- value no source settled is flagged unconfirmed, and its findings are
-- warnings, not errors.
-- SPDX-License-Identifier: MIT

local E_M = { "99202", "99203", "99204", "99205", "99211", "99212", "99213", "99214", "99215" }

local ptp = {}
-- Diagnostic evaluation and E/M by the same provider on one day are not
-- reportable together (WPS LCD L34616, revision effective 2024-10-31).
for _, eval in ipairs({ "90791", "90792" }) do
  for _, em in ipairs(E_M) do
    ptp[#ptp + 1] = { column1 = em, column2 = eval, modifier_indicator = 0,
      source = "LCD L34616 (WPS): 90791/90792 not with E/M the same day" }
  end
end
-- With an E/M visit, psychotherapy is billed with the add-on codes
-- 90833/90836/90838, not the stand-alone codes (LCD L39852).
for _, psy in ipairs({ "90832", "90834", "90837" }) do
  for _, em in ipairs(E_M) do
    ptp[#ptp + 1] = { column1 = em, column2 = psy, modifier_indicator = 0,
      source = "LCD L39852: psychotherapy with E/M uses add-on codes 90833/90836/90838" }
  end
end

return {
  name = "medicare",
  kind = "medicare",
  description = "Medicare Part B (practitioner claims)",
  min_participants = { value = 2, unconfirmed = true,
    source = "a group needs at least two patients: AAPC forum, trade sources; "
      .. "no CMS text found (rules-reference 1.2)" },
  max_participants = { value = 12,
    source = "NGS LCD L33632 as summarized (rules-reference 1.2)" },
  doc_min_chars = { value = 15, unconfirmed = true,
    source = "bhclaim default: a note element this short rarely says anything "
      .. "patient-specific" },
  credentials = {
    source = "LCD L34616 (physicians, clinical psychologists, NPs, CNSs, PAs, clinical "
      .. "social workers); MFTs and MHCs from 2024-01-01 (CAA 2023 s. 4121, CY2024 PFS)",
    accepted = {
      { credential = "MD" }, { credential = "DO" },
      { credential = "PHD" }, { credential = "PSYD" },
      { credential = "NP" }, { credential = "APRN" }, { credential = "PMHNP" },
      { credential = "CNS" }, { credential = "PA" }, { credential = "PAC" },
      { credential = "LCSW" }, { credential = "LICSW" }, { credential = "LCSWC" },
      { credential = "CSW" },
      { credential = "LMFT", from = "2024-01-01" }, { credential = "MFT", from = "2024-01-01" },
      { credential = "LPC", from = "2024-01-01" }, { credential = "LPCC", from = "2024-01-01" },
      { credential = "LMHC", from = "2024-01-01" }, { credential = "LCPC", from = "2024-01-01" },
      { credential = "LCMHC", from = "2024-01-01" }, { credential = "MHC", from = "2024-01-01" },
    },
  },
  mue = {
    { code = "90853", value = 1, mai = 3, unconfirmed = true,
      source = "one unit per patient per session (AAPC, rules-reference 1.1); the CMS "
        .. "practitioner MUE was not found: load the CMS file" },
  },
  ptp = ptp,
  timely_filing = { value = 12, unit = "months", unconfirmed = true,
    source = "one calendar year after the date of service (42 CFR 424.44 as issue 11 "
      .. "states it; not in the rules reference, so unconfirmed here)" },
  not_paid = { codes = { "H", "T1015" }, unconfirmed = true,
    source = "H codes and T1015 are state Medicaid codes (HCPCS Level II; rules-reference "
      .. "3.4 shows H0004 on a Medicaid claim); that Medicare pays none is not stated in "
      .. "the rules reference" },
}
