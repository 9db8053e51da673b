-- practice.lua: a practice's own checks, run after bhclaim's.
-- Load with bhclaim.rules.load("examples/rules/practice.lua").
local FEE_FLOOR_CENTS = 4000  -- this practice's lowest contracted rate for 90853

local function cents(charge)
  local whole, frac = tostring(charge or ""):match("^(%d+)%.?(%d*)$")
  if not whole then return nil end
  return tonumber(whole) * 100 + tonumber((frac .. "00"):sub(1, 2))
end

return {
  {
    id = "practice.medicaid_prior_auth",
    severity = "warning",
    description = "Our Medicaid contract wants a prior authorization on group claims",
    applies = function(claim)
      return type(claim.payer) == "table" and claim.payer.kind == "medicaid"
    end,
    check = function(claim, report)
      if type(claim.prior_authorization) ~= "string" then
        report:add{ path = "prior_authorization",
          message = "No prior authorization number on a Medicaid group claim.",
          hint = "Add the authorization from the member's treatment plan approval." }
      end
    end,
  },
  {
    id = "practice.fee_floor",
    severity = "warning",
    description = "90853 billed under our lowest contracted rate",
    check = function(claim, report)
      for i, line in ipairs(claim.lines or {}) do
        local c = cents(line.charge)
        if line.code == "90853" and c and c < FEE_FLOOR_CENTS then
          report:add{ path = "lines[" .. i .. "].charge",
            message = "90853 is billed under the practice's fee floor of $40.00.",
            hint = "Bill the usual charge; the payer pays its allowed amount." }
        end
      end
    end,
  },
}
