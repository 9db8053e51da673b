-- Commercial default: what most commercial payers ask of group
-- psychotherapy, as trade sources describe it. Payer contracts differ, so
-- every value is flagged unconfirmed (findings are warnings); a practice
-- extends this profile with its payers' own rules.
-- SPDX-License-Identifier: MIT

return {
  name = "commercial",
  kind = "commercial",
  description = "Commercial default",
  min_participants = { value = 2, unconfirmed = true,
    source = "a group needs at least two patients (trade sources, rules-reference 1.2)" },
  max_participants = { value = 12, unconfirmed = true,
    source = "12 is the maximum commonly cited (AAPC, rules-reference 1.2)" },
  doc_min_chars = { value = 15, unconfirmed = true,
    source = "bhclaim default: a note element this short rarely says anything "
      .. "patient-specific" },
  frequency = {
    { code = "90791", max = 1, months = 6, unconfirmed = true,
      source = "BCBS IL: a diagnostic evaluation once at onset, repeated only after six "
        .. "months (rules-reference 1.4, one payer's policy)" },
    { code = "90792", max = 1, months = 6, unconfirmed = true,
      source = "BCBS IL: a diagnostic evaluation once at onset, repeated only after six "
        .. "months (rules-reference 1.4, one payer's policy)" },
  },
  credentials = {
    unconfirmed = true,
    source = "licensed clinicians commonly credentialed by commercial plans; set your "
      .. "contracts' list",
    accepted = {
      { credential = "MD" }, { credential = "DO" }, { credential = "PHD" },
      { credential = "PSYD" }, { credential = "NP" }, { credential = "APRN" },
      { credential = "PMHNP" }, { credential = "PA" }, { credential = "PAC" },
      { credential = "LCSW" }, { credential = "LICSW" }, { credential = "LPC" },
      { credential = "LPCC" }, { credential = "LMHC" }, { credential = "LMFT" },
      { credential = "LCPC" }, { credential = "LCMHC" },
    },
  },
}
