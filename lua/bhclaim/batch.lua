--- Rules across the claims given together: claim.duplicate (the same
-- service billed on two original claims) and code.frequency (a payer's
-- limit such as one 90791 per patient per six months). A tracker sees the
-- reports of a batch in order and adds each finding to the later claim,
-- naming the earlier one, so a streaming caller (the CLI) can use it too.
-- The patient and line keys come from the core (bh_claim_patient_key,
-- bh_line_key), through each report's summary.
-- @module bhclaim.batch
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")

local M = {}

-- Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian).
local function day_number(date)
  local y, m, d = date:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function days_in_month(y, m)
  local days = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  if m == 2 and ((y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0) then return 29 end
  return days[m]
end

-- The day number `months` before a date (clamped to the month's last day).
local function months_before(date, months)
  local y, m, d = date:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  local total = tonumber(y) * 12 + tonumber(m) - 1 - months
  local ny, nm = math.floor(total / 12), total % 12 + 1
  local nd = math.min(tonumber(d), days_in_month(ny, nm))
  return day_number(string.format("%04d-%02d-%02d", ny, nm, nd))
end

-- Code, then the date, of a line key "CODE|MOD|...|YYYYMMDD|".
local function key_parts(key)
  local code = key:match("^([^|]*)|")
  local y, m, d = key:match("(%d%d%d%d)(%d%d)(%d%d)|$")
  if not code or not y then return nil end
  return code, y .. "-" .. m .. "-" .. d
end

local tracker_mt = {}
tracker_mt.__index = tracker_mt

--- A tracker for one batch.
-- @tparam[opt] function profile_for (payer_kind) -> profile table or nil:
--   where code.frequency limits come from (default: none)
-- @tparam[opt] table disabled rule ids turned off ({ [id] = reason })
function M.tracker(profile_for, disabled)
  -- seen: full line key -> claim number * 64 + line, and claim number ->
  -- label, in a set the core keeps outside the Lua heap (a batch holds one
  -- key per line).
  return setmetatable({ seen = core.key_set(), n = 0, lines = {}, limits = {},
    profile_for = profile_for, disabled = disabled or {} }, tracker_mt)
end

-- Adds a finding, or counts it under report.disabled when its rule is off.
local function add_finding(tracker, report, f)
  if tracker.disabled[f.rule] then
    for _, d in ipairs(report.disabled or {}) do
      if d.rule == f.rule then d.suppressed = d.suppressed + 1 end
    end
    return
  end
  f.denial = core.rule_denial(f.rule, f.path)
  report:add(f)
end

-- claim.duplicate: the same patient and line on an earlier original claim.
function tracker_mt:duplicates(report, s, n)
  if s.frequency ~= nil and s.frequency ~= "1" then return end
  local keys, patient, seen = s.line_keys, s.patient_key, self.seen
  for i = 1, #keys do
    local key = keys[i]
    if key ~= "" then
      local first = seen:put(patient .. key, n * 64 + i)
      -- the lines of one claim are not duplicates of each other
      if first ~= nil and math.floor(first / 64) ~= n then
        -- the finding's wording is the core's, as the command line's batch path writes it
        add_finding(self, report, core.duplicate_finding(seen:label_of(math.floor(first / 64)),
          first % 64, i))
      end
    end
  end
end

-- A profile's frequency limits by code, worked out once per profile.
function tracker_mt:limits_of(profile)
  local by_code = self.limits[profile]
  if by_code == nil then
    by_code = false
    if type(profile.frequency) == "table" then
      for _, limit in ipairs(profile.frequency) do
        by_code = by_code or {}
        by_code[limit.code] = by_code[limit.code] or {}
        table.insert(by_code[limit.code], limit)
      end
    end
    self.limits[profile] = by_code
  end
  return by_code
end

-- code.frequency: a profile limit on one code per patient over a period.
function tracker_mt:frequency(report, s, label)
  local profile = self.profile_for and self.profile_for(s.payer_kind)
  local by_code = profile and self:limits_of(profile)
  if not by_code or s.frequency == "8" then return end   -- a void takes a service away
  local codes = s.codes or {}
  for i, key in ipairs(s.line_keys) do
    local limits = by_code[codes[i]]
    local code, date
    if limits and key ~= "" then code, date = key_parts(key) end
    for _, limit in ipairs(code and limits or {}) do
      local bucket_key = s.patient_key .. code
      local bucket = self.lines[bucket_key] or {}
      self.lines[bucket_key] = bucket
      local today = day_number(date)
      local start = limit.days and (today - limit.days + 1)
        or (months_before(date, limit.months) + 1)
      local count, first, replaced = 1, nil, false
      for _, seen in ipairs(bucket) do
        if seen.day >= start and seen.day <= today then
          count = count + 1
          first = first or seen
        end
        -- a replacement (frequency 7) of a service already counted
        -- stands in for it: not a further service
        if s.frequency == "7" and seen.day == today then replaced = true end
      end
      if not replaced then bucket[#bucket + 1] = { day = today, label = label, line = i } end
      if count > limit.max and not replaced then
        local period = limit.days and (limit.days .. " days") or (limit.months .. " months")
        add_finding(self, report, { rule = "code.frequency",
          severity = limit.unconfirmed and "warning" or "error",
          path = string.format("lines[%d].code", i),
          message = string.format("%d of %s for this patient within %s (this payer allows "
            .. "%d); the first in the period is on claim %s.", count, code, period, limit.max,
            first.label),
          hint = "Check the dates; bill a further service only with the payer's approval.",
          source = string.format("payer profile %s: %s%s", tostring(profile.name),
            limit.source or "frequency limit",
            limit.unconfirmed and " (unconfirmed profile value)" or "") })
      end
    end
  end
end

--- Sees one report (checked with opts.summary = true) and adds the
-- findings that need the earlier claims of the batch.
-- @tparam table report
-- @tparam[opt] string label how findings name this claim (default its id)
-- @treturn table the report
function tracker_mt:add(report, label)
  local s = report.summary
  if type(s) ~= "table" or not s.patient_key then return report end
  label = label or report.claim_id or "(claim without id)"
  self.n = self.n + 1
  self.seen:label(self.n, label)
  self:duplicates(report, s, self.n)
  self:frequency(report, s, label)
  return report
end

return M
