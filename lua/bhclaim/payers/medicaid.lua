-- Medicaid template: the values a state program sets. Copy it, or extend
-- it with bhclaim.payer{ extends = "medicaid", ... }, and put in your
-- state's numbers. Everything here is flagged unconfirmed: no state's
-- manual settled it (rules-reference 1.2, 3.4), so findings are warnings
-- until a practice sets its program's values.
-- SPDX-License-Identifier: MIT

return {
  name = "medicaid",
  kind = "medicaid",
  description = "Medicaid template (state values to be set)",
  min_participants = { value = 2, unconfirmed = true,
    source = "a group needs at least two patients (trade sources); states differ, "
      .. "e.g. 4-10 in one (rules-reference 1.2)" },
  max_participants = { value = 12, unconfirmed = true,
    source = "12 commonly cited; states differ (rules-reference 1.2)" },
  doc_min_chars = { value = 15, unconfirmed = true,
    source = "bhclaim default: a note element this short rarely says anything "
      .. "patient-specific" },
  group_modifier = { value = "HQ", unconfirmed = true,
    source = "HCPCS HQ 'Group setting'; required by some Medicaid programs "
      .. "(rules-reference 3.4)" },
  credentials = {
    unconfirmed = true,
    source = "HCPCS credential-level modifiers (HO masters, HP doctoral, HN bachelors, "
      .. "HL intern); which program wants which is set per state (rules-reference 3.4)",
    accepted = {
      { credential = "MD" }, { credential = "DO" },
      { credential = "PHD", modifier = "HP" }, { credential = "PSYD", modifier = "HP" },
      { credential = "NP" }, { credential = "APRN" }, { credential = "PMHNP" },
      { credential = "LCSW", modifier = "HO" }, { credential = "LICSW", modifier = "HO" },
      { credential = "LMSW", modifier = "HO" },
      { credential = "LPC", modifier = "HO" }, { credential = "LPCC", modifier = "HO" },
      { credential = "LMHC", modifier = "HO" }, { credential = "LMFT", modifier = "HO" },
      { credential = "LCPC", modifier = "HO" }, { credential = "LCMHC", modifier = "HO" },
    },
  },
  prior_auth = { unconfirmed = true, codes = { "96130", "96131", "96132", "96133", "96136",
      "96137", "96138", "96139" },
    source = "bhclaim template: psychological and neuropsychological testing; which codes "
      .. "a state program authorizes is set per state (no source in the rules reference)" },
  mue = {
    { code = "90853", value = 1, mai = 3, unconfirmed = true,
      source = "one unit per patient per session (AAPC, rules-reference 1.1); e.g. Vermont "
        .. "Medicaid: 1 session per day from 2015-07-01 (secondary copy)" },
  },
}
