--- Follow-up terms per payer: how long to appeal a denial, how long the
-- payer usually takes to answer, how long after the service a claim may be
-- filed. Each value names its source; a value no source settles is given
-- by the practice (a terms file or table) and flagged unconfirmed.
-- @module bhclaim.ledger.terms
-- SPDX-License-Identifier: MIT

local M = {}

--- The terms a payer profile may set, and what each means.
M.FIELDS = {
  appeal_days = "days from the initial determination (the 835's payment date) to ask for "
    .. "the first-level appeal",
  usual_days = "days after submission within which the payer usually answers",
  filing_days = "days after the date of service within which the claim must be filed",
}

--- Medicare Part B, from the regulations and the statute.
M.medicare = {
  appeal_days = { value = 120, confirmed = true,
    source = "42 CFR 405.942(a): a redetermination is requested within 120 days from the "
      .. "date of receipt of the notice of initial determination" },
  filing_days = { value = 365, confirmed = true,
    source = "42 CFR 424.44(a)(1): claims are filed no later than 12 months (1 calendar "
      .. "year) after the date of service" },
  usual_days = { value = 30, confirmed = true,
    source = "Social Security Act 1842(c)(2): clean claims are paid within 30 days of "
      .. "receipt" },
}

-- A value given by the practice: kept, flagged unconfirmed unless it
-- names its source.
local function practice_value(v, where)
  if type(v) == "number" then
    if v ~= math.floor(v) or v < 0 then
      return nil, where .. ": a whole number of days expected"
    end
    return { value = v, confirmed = false, source = "practice's terms (unconfirmed)" }
  end
  if type(v) == "table" and type(v.value) == "number" and v.value == math.floor(v.value) then
    local src = type(v.source) == "string" and v.source ~= "" and v.source or nil
    return { value = v.value, confirmed = src ~= nil and v.confirmed ~= false,
      source = src or "practice's terms (unconfirmed)" }
  end
  return nil, where .. ": a number of days or {value, source} expected"
end

--- Builds the terms lookup: the built-in Medicare terms, then the
-- practice's (by payer id, name or kind: `{appeal_days, usual_days,
-- filing_days}`, each a number or `{value, source}`).
-- @tparam[opt] table given payer id, name or kind -> terms
-- @treturn[1] table terms with `:of(claim_row)`
-- @return[2] nil
-- @treturn[2] string what is wrong
function M.new(given)
  local by = { medicare = M.medicare }
  for key, t in pairs(given or {}) do
    if type(t) ~= "table" then return nil, "terms for " .. tostring(key) .. ": a table expected" end
    local out = {}
    for field in pairs(M.FIELDS) do
      if t[field] ~= nil then
        local v, err = practice_value(t[field], "terms for " .. tostring(key) .. "." .. field)
        if not v then return nil, err end
        out[field] = v
      end
    end
    for field in pairs(t) do
      if not M.FIELDS[field] then
        return nil, "terms for " .. tostring(key) .. ": unknown field " .. tostring(field)
      end
    end
    by[key] = out
  end
  return setmetatable({ by = by }, { __index = M })
end

--- The terms for a claim (a ledger row with payer_id, payer_name,
-- payer_kind): the payer id's, else its name's, else its kind's; each
-- field may be nil (unknown: the worklist says so).
function M:of(row)
  return self.by[row.payer_id or false] or self.by[row.payer_name or false]
    or self.by[row.payer_kind or false] or {}
end

return M
