--- `bhclaim derive`: the place of service and modifiers a telehealth
-- service needs (bhclaim.telehealth.derive).
-- @module bhclaim.cli_derive
-- SPDX-License-Identifier: MIT

local bhclaim = require("bhclaim")
local reports = require("bhclaim.reports")
local U = require("bhclaim.cli_util")

local M = {}

local valid_date, date_error, choice_error, load_profile, plain = U.valid_date, U.date_error,
  U.choice_error, U.load_profile, U.plain

M.HELP = [[
usage: bhclaim derive --code CODE --date YYYY-MM-DD [OPTIONS]

Says which place of service and modifiers a telehealth service needs, and
whether it is allowed (bhclaim.telehealth.derive).

options:
  --code CODE              procedure code (required)
  --date YYYY-MM-DD        date of service (required)
  --payer KIND             medicare, medicaid, commercial, other
  --profile NAME|FILE      a payer profile instead of --payer
  --modality M             in_person (default), video, audio_only
  --patient-location L     home, facility, other
  --provider-kind K        practitioner, fqhc, rhc, cah_method_ii,
                           hospital_outpatient
  --last-in-person DATE    the patient's last in-person visit
  --group                  a group session
  --first-telehealth       the first telehealth service of the patient
  --format text|json

exit status: 0 allowed, 1 not allowed or no rule carried, 2 usage.]]

-- The values derive's options take (bhclaim.telehealth.derive's names).
local DERIVE_CHOICES = {
  payer = { "medicare", "medicaid", "commercial", "other" },
  modality = { "in_person", "video", "audio_only" },
  ["patient-location"] = { "home", "facility", "other" },
  ["provider-kind"] = { "practitioner", "fqhc", "rhc", "cah_method_ii", "hospital_outpatient" },
  format = { "text", "json" },
}

--- Runs `derive` (a: the parsed command line; env: as cli.main's).
function M.run(a, env)
  local o = a.opts
  if not o.code or not o.date then return nil, "derive wants --code and --date" end
  if not valid_date(o.date) then return nil, date_error("--date", o.date) end
  if o["last-in-person"] and not valid_date(o["last-in-person"]) then
    return nil, date_error("--last-in-person", o["last-in-person"])
  end
  for option, list in pairs(DERIVE_CHOICES) do
    if o[option] then
      local msg = choice_error("--" .. option, o[option], list)
      if msg then return nil, msg end
    end
  end
  local payer = o.payer
  if o.profile then
    local p, err = load_profile(o.profile)
    if not p then return nil, err end
    payer = p
  end
  local ok, answer = pcall(bhclaim.telehealth.derive, {
    code = o.code, date = o.date, payer = payer, modality = o.modality,
    patient_location = o["patient-location"], provider_kind = o["provider-kind"],
    last_in_person = o["last-in-person"], group_session = o.group and true or nil,
    first_telehealth = o["first-telehealth"] and true or nil })
  if not ok then return nil, (tostring(answer):gsub("^[^:]*:%d+: ", "")) end
  if o.format == "json" then
    env.out:write(reports.json_encode(plain(answer)), "\n")
  else
    env.out:write(tostring(answer), "\n")
  end
  return (answer.known and answer.allowed) and 0 or 1
end

return M
