-- medicaid_alaska.lua: a state Medicaid profile built on bhclaim's template.
-- Load with bhclaim.payers.load("examples/payers/medicaid_alaska.lua").
-- Only the telehealth values below come from the state's own manual; the
-- group values stay the template's, flagged unconfirmed, until the practice
-- enters the numbers from its Alaska Medicaid provider manual.
return {
  extends = "medicaid",
  name = "medicaid-ak",
  description = "Alaska Medicaid (telehealth values from the state manual)",
  telehealth = {
    pos_home = "10", pos_other = "02", audio_modifier = "FQ", audio_only_covered = true,
    from = "2022-03-01",
    source = "Alaska Medicaid telehealth manual: from DOS 2022-03-01, POS 10 if the member "
      .. "is at home, 02 otherwise; FQ for audio-only (rules-reference 3.4)",
  },
}
