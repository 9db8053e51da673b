--- Expected allowed amounts: the Medicare physician fee schedule for the
-- behavioral-health codes, and per-payer fee schedules loaded from CSV.
--
-- Medicare: amount = [(work RVU x work GPCI) + (PE RVU x PE GPCI) + (MP RVU
-- x MP GPCI)] x CF (rules-reference 5.3), with the facility or non-facility
-- PE RVU by place of service, then the practitioner reduction (MFT/MHC at
-- 75% of the psychologist amount, rules-reference 4.3/5.3). Computed in
-- integers (RVUs in hundredths, GPCIs in thousandths, CF in ten-thousandths)
-- and rounded half up to the cent once, at the end.
--
-- Data carried: CY2026 RVUs of rules-reference 5.2 (CMS PPRRVU2026_Jul_nonQPP,
-- RVU26C), CY2026 conversion factors of 5.1. National GPCIs are 1.000;
-- locality GPCIs come from CMS's GPCI file (Addendum E / GPCI20xx.csv
-- layout) through load_gpci. A date or code with no data gives nil and a
-- reason, never a guessed number.
-- @module bhclaim.fees
-- SPDX-License-Identifier: MIT

local M = {}

local format, concat = string.format, table.concat

-- {====================================================================
-- Data
-- =====================================================================

--- Medicare PFS by calendar year. Values are strings as published.
M.PFS = {
  ["2026"] = {
    from = "2026-01-01", to = "2026-12-31",
    cf = "33.4009", cf_qp = "33.5675",
    cf_source = "rules-reference 5.1: CY2026 PFS final rule (CMS-1832-F), non-QP and QP "
      .. "conversion factors",
    rvu_source = "rules-reference 5.2: CMS PPRRVU2026_Jul_nonQPP.csv (RVU26C, July 2026 release), "
      .. "read from stormchaser-creator/CredentialDOMD:scripts/data/PPRRVU2026_Jul_nonQPP.csv"
      .. "@af55107fe7e4b96ea5dec0fa03d1cd36ff70a436",
    -- code = { status, work, PE non-facility, PE facility, MP }
    rvus = {
      ["90853"] = { "A", "0.67", "0.23", "0.05", "0.01" },
      ["90785"] = { "A", "0.33", "0.11", "0.02", "0.00" },
      ["90849"] = { "A", "0.67", "0.52", "0.21", "0.02" },
      ["90846"] = { "R", "2.74", "0.40", "0.20", "0.03" },
      ["90847"] = { "A", "2.86", "0.40", "0.20", "0.02" },
      ["90832"] = { "A", "1.94", "0.62", "0.13", "0.01" },
      ["90834"] = { "A", "2.56", "0.83", "0.17", "0.02" },
      ["90837"] = { "A", "3.78", "1.20", "0.25", "0.02" },
      ["90833"] = { "A", "1.71", "0.66", "0.19", "0.07" },
      ["90836"] = { "A", "2.17", "0.84", "0.24", "0.08" },
      ["90838"] = { "A", "2.86", "1.11", "0.32", "0.12" },
      ["90791"] = { "A", "3.84", "1.33", "0.25", "0.02" },
      ["90792"] = { "A", "4.16", "1.72", "0.44", "0.17" },
      ["90839"] = { "A", "3.58", "1.19", "0.27", "0.03" },
      ["90840"] = { "A", "1.71", "0.58", "0.14", "0.02" },
      ["90863"] = { "I", "0.48", "0.27", "0.11", "0.03" },
    },
  },
}

-- PFS status indicators that are paid under the fee schedule.
local PAID_STATUS = { A = "active", R = "restricted coverage (paid when covered)" }

--- Setting by place of service: "facility" or "non_facility", with whether
-- a source in rules-reference settles it.
-- Confirmed: 02 facility and 10 non-facility (3.1, CMS transmittal 12671);
-- 11 office non-facility and the hospital POS 19/21/22/23 facility (5.3,
-- "e.g. the office" / "e.g. the hospital"). The rest follow CMS's PFS
-- facility list as commonly published; rules-reference 7.6 marks the
-- classification of every other POS UNCONFIRMED, and so do we.
M.POS_SETTING = {
  ["02"] = { "facility", true }, ["10"] = { "non_facility", true },
  ["11"] = { "non_facility", true }, ["19"] = { "facility", true },
  ["21"] = { "facility", true }, ["22"] = { "facility", true },
  ["23"] = { "facility", true },
  ["24"] = { "facility", false }, ["26"] = { "facility", false },
  ["31"] = { "facility", false }, ["34"] = { "facility", false },
  ["41"] = { "facility", false }, ["42"] = { "facility", false },
  ["51"] = { "facility", false }, ["52"] = { "facility", false },
  ["53"] = { "facility", false }, ["56"] = { "facility", false },
  ["61"] = { "facility", false },
  ["03"] = { "non_facility", false }, ["04"] = { "non_facility", false },
  ["12"] = { "non_facility", false }, ["13"] = { "non_facility", false },
  ["14"] = { "non_facility", false }, ["15"] = { "non_facility", false },
  ["16"] = { "non_facility", false }, ["17"] = { "non_facility", false },
  ["18"] = { "non_facility", false }, ["20"] = { "non_facility", false },
  ["27"] = { "non_facility", false }, ["32"] = { "non_facility", false },
  ["33"] = { "non_facility", false }, ["49"] = { "non_facility", false },
  ["50"] = { "non_facility", false }, ["54"] = { "non_facility", false },
  ["55"] = { "non_facility", false }, ["57"] = { "non_facility", false },
  ["58"] = { "non_facility", false }, ["60"] = { "non_facility", false },
  ["62"] = { "non_facility", false }, ["65"] = { "non_facility", false },
  ["71"] = { "non_facility", false }, ["72"] = { "non_facility", false },
  ["81"] = { "non_facility", false }, ["99"] = { "non_facility", false },
}

--- Practitioner payment percentages of the fee schedule amount, by
-- credential (upper case). Only what rules-reference sources: physicians and
-- psychologists at 100%, MFT and MHC at 75% (4.3, CAA 2023 s. 4121, CY2024
-- PFS). Other credentials (clinical social workers, NPs, PAs) have no
-- sourced percentage: expected() answers nil with the reason.
M.PRACTITIONER = {
  MD = { 100, "physician" }, DO = { 100, "physician" },
  PHD = { 100, "psychologist" }, PSYD = { 100, "psychologist" },
  PSYCHOLOGIST = { 100, "psychologist" },
  MFT = { 75, "marriage and family therapist" }, LMFT = { 75, "marriage and family therapist" },
  MHC = { 75, "mental health counselor" }, LMHC = { 75, "mental health counselor" },
  LPC = { 75, "mental health counselor" }, LCPC = { 75, "mental health counselor" },
  LPCC = { 75, "mental health counselor" },
}
M.PRACTITIONER_SOURCE = "rules-reference 4.3 and 5.3: MFT and MHC paid at 75% of the "
  .. "psychologist amount (CAA 2023 s. 4121; CY2024 PFS)"

-- {====================================================================
-- Exact decimals
-- =====================================================================

-- "0.67" -> 67 at scale 100; nil when the text has more places than scale.
local function scaled(s, places)
  if type(s) ~= "string" then return nil end
  local whole, frac = s:match("^(%d+)%.?(%d*)$")
  if not whole or #frac > places then return nil end
  return tonumber(whole) * 10 ^ places + tonumber((frac .. string.rep("0", places))
    :sub(1, places))
end

-- Rounds a non-negative integer n / d half up to an integer.
local function div_round(n, d)
  return math.floor((n + d / 2) / d)
end

local function money(cents)
  local whole = math.floor(cents / 100)
  return format("%.0f.%02.0f", whole, cents - whole * 100)
end

-- {====================================================================
-- Locality GPCIs (CMS file layout)
-- =====================================================================

local gpci_by_year = {}

-- Splits one CSV line (quotes as in RFC 4180, no newlines inside fields).
local function csv_fields(line)
  local out, i, n = {}, 1, #line
  while i <= n + 1 do
    if line:sub(i, i) == '"' then
      local buf, j = {}, i + 1
      while true do
        local q = line:find('"', j, true)
        if not q then return nil, "unterminated quote" end
        buf[#buf + 1] = line:sub(j, q - 1)
        if line:sub(q + 1, q + 1) == '"' then
          buf[#buf + 1] = '"'
          j = q + 2
        else
          i = q + 1
          break
        end
      end
      out[#out + 1] = concat(buf)
      if i <= n and line:sub(i, i) ~= "," then return nil, "text after a quoted field" end
      i = i + 1
    else
      local c = line:find(",", i, true) or n + 1
      out[#out + 1] = line:sub(i, c - 1)
      i = c + 1
    end
  end
  return out
end
M.csv_fields = csv_fields

local function trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

local function lines_of(text)
  text = text:gsub("^\239\187\191", "")
  local list = {}
  for l in (text .. "\n"):gmatch("([^\n]*)\n") do list[#list + 1] = (l:gsub("\r$", "")) end
  if list[#list] == "" then list[#list] = nil end
  return list
end

--- Loads locality GPCIs from CMS's GPCI file (GPCI20xx.csv / Addendum E):
-- title rows, then a header with "Medicare Administrative Contractor
-- (MAC)", "State", "Locality Number", "Locality Name", "<year> PW GPCI (with
-- 1.0 Floor)", "<year> PE GPCI", "<year> MP GPCI", then one row per
-- locality; notes after the table are skipped. Localities are keyed
-- "MAC-locality" ("01112-05").
-- @tparam string text the file's contents
-- @tparam string year "2026": the column names must carry it
-- @tparam[opt] string source a name for messages and factors
-- @treturn[1] number localities loaded
-- @return[2] nil
-- @treturn[2] string "line N: ..."
function M.load_gpci(text, year, source)
  if type(text) ~= "string" then
    error("bad argument #1 to 'load_gpci' (string expected, got " .. type(text) .. ")", 2)
  end
  if type(year) ~= "string" or not year:match("^%d%d%d%d$") then
    error("bad argument #2 to 'load_gpci' (a year as \"YYYY\" expected)", 2)
  end
  source = source or "CMS GPCI file " .. year
  local want = { mac = "Medicare Administrative Contractor (MAC)", state = "State",
    number = "Locality Number", name = "Locality Name",
    work = year .. " PW GPCI (with 1.0 Floor)", pe = year .. " PE GPCI",
    mp = year .. " MP GPCI" }
  local cols, table_ = nil, {}
  local count = 0
  for n, line in ipairs(lines_of(text)) do
    local f, err = csv_fields(line)
    if not f then return nil, format("%s: line %d: %s", source, n, err) end
    if not cols then
      local found = {}
      for i, v in ipairs(f) do found[trim(v)] = i end
      if found[want.mac] then
        cols = {}
        for _, k in ipairs({ "mac", "state", "number", "name", "work", "pe", "mp" }) do
          local name = want[k]
          if not found[name] then
            return nil, format("%s: line %d: no column \"%s\"", source, n, name)
          end
          cols[k] = found[name]
        end
      end
    elseif trim(f[cols.mac] or "") ~= "" and trim(f[cols.number] or "") ~= "" then
      local mac, number = trim(f[cols.mac]), trim(f[cols.number])
      local g = { mac = mac, state = trim(f[cols.state] or ""), number = number,
        name = trim(f[cols.name] or ""), source = source }
      for _, k in ipairs({ "work", "pe", "mp" }) do
        local v = trim(f[cols[k]] or "")
        if not scaled(v, 3) then
          if mac:match("^%d") then
            return nil, format("%s: line %d: %s GPCI \"%s\" is not a decimal with up to 3 places",
              source, n, k, v)
          end
          g = nil
          break
        end
        g[k] = v
      end
      if g then
        table_[mac .. "-" .. number] = g
        count = count + 1
      end
    end
  end
  if not cols then return nil, source .. ": no header row with \"" .. want.mac .. "\"" end
  if count == 0 then return nil, source .. ": no locality rows" end
  gpci_by_year[year] = table_
  return count
end

--- A loaded locality's GPCIs, or nil.
-- @tparam string year
-- @tparam string key "MAC-locality"
function M.gpci(year, key)
  return gpci_by_year[year] and gpci_by_year[year][key]
end

-- {====================================================================
-- Payer fee schedules (CSV)
-- =====================================================================

local schedule_mt = {}
schedule_mt.__index = schedule_mt

local function modifiers_key(list)
  local copy = {}
  for i, m in ipairs(list or {}) do copy[i] = tostring(m):upper() end
  table.sort(copy)
  return concat(copy, ":")
end

local function valid_date(s)
  return type(s) == "string" and s:match("^%d%d%d%d%-%d%d%-%d%d$") ~= nil
end

--- Reads a payer fee schedule from CSV: a header naming the columns code,
-- modifiers, amount, from, to (any order; modifiers joined by ":" or
-- space, empty for none; amount a decimal with up to 2 places; from/to
-- dates YYYY-MM-DD, to may be empty = open).
-- @tparam string text
-- @tparam string name the payer's name (for factors and messages)
-- @treturn[1] table schedule, usable as expected{payer = schedule}
-- @return[2] nil
-- @treturn[2] string "NAME: line N: field: ..."
function M.schedule(text, name)
  if type(text) ~= "string" then
    error("bad argument #1 to 'schedule' (string expected, got " .. type(text) .. ")", 2)
  end
  if type(name) ~= "string" then
    error("bad argument #2 to 'schedule' (string expected, got " .. type(name) .. ")", 2)
  end
  local rows, cols = {}, nil
  for n, line in ipairs(lines_of(text)) do
    if trim(line) ~= "" then
      local f, err = csv_fields(line)
      if not f then return nil, format("%s: line %d: %s", name, n, err) end
      if not cols then
        cols = {}
        for i, v in ipairs(f) do cols[trim(v):lower()] = i end
        for _, k in ipairs({ "code", "modifiers", "amount", "from", "to" }) do
          if not cols[k] then return nil, format("%s: line %d: no column \"%s\"", name, n, k) end
        end
      else
        local function field(k) return trim(f[cols[k]] or "") end
        local row = { code = field("code"):upper(), amount = field("amount"),
          from = field("from"), to = field("to"), line = n }
        local mods = {}
        for m in field("modifiers"):gmatch("[^:%s]+") do mods[#mods + 1] = m end
        row.modifiers, row.key = mods, modifiers_key(mods)
        if row.code == "" then return nil, format("%s: line %d: code: empty", name, n) end
        if not scaled(row.amount, 2) then
          return nil, format("%s: line %d: amount: \"%s\" is not a decimal with up to 2 places",
            name, n, row.amount)
        end
        if not valid_date(row.from) then
          return nil, format("%s: line %d: from: \"%s\" is not YYYY-MM-DD", name, n, row.from)
        end
        if row.to ~= "" and not valid_date(row.to) then
          return nil, format("%s: line %d: to: \"%s\" is not YYYY-MM-DD", name, n, row.to)
        end
        if row.to == "" then row.to = nil end
        rows[#rows + 1] = row
      end
    end
  end
  if not cols then return nil, name .. ": empty fee schedule" end
  return setmetatable({ name = name, rows = rows }, schedule_mt)
end

--- The row for a code, modifiers and date, or nil and why.
function schedule_mt:find(code, modifiers, date)
  local key, found = modifiers_key(modifiers), nil
  for _, r in ipairs(self.rows) do
    if r.code == code and r.key == key and r.from <= date and (not r.to or date <= r.to) then
      if found then
        return nil, format("%s: lines %d and %d both price %s%s on %s", self.name, found.line,
          r.line, code, key ~= "" and (":" .. key) or "", date)
      end
      found = r
    end
  end
  if not found then
    return nil, format("%s: no fee for %s%s on %s", self.name, code,
      key ~= "" and (" with " .. key) or "", date)
  end
  return found
end

-- {====================================================================
-- expected
-- =====================================================================

local function argcheck(ok, n, msg)
  if not ok then error(format("bad argument #%d to 'expected' (%s)", n, msg), 3) end
end

local function medicare(q)
  local year = q.date:sub(1, 4)
  local pfs = M.PFS[year]
  if not pfs or q.date < pfs.from or q.date > pfs.to then
    local have = {}
    for y in pairs(M.PFS) do have[#have + 1] = "CY" .. y end
    table.sort(have)
    return nil, format("no Medicare fee schedule data for %s (carried: %s)", q.date,
      concat(have, ", "))
  end
  local r = pfs.rvus[q.code]
  if not r then
    return nil, format("no CY%s RVUs carried for %s (carried: the behavioral-health codes of "
      .. "rules-reference 5.2)", year, q.code)
  end
  if not PAID_STATUS[r[1]] then
    return nil, format("%s has PFS status %s in CY%s: not paid under the fee schedule", q.code,
      r[1], year)
  end
  local pos = q.place_of_service
  local setting = M.POS_SETTING[pos]
  if not setting then
    return nil, format("place of service %s has no facility/non-facility setting", tostring(pos))
  end
  local g, locality = { work = "1.000", pe = "1.000", mp = "1.000" }, "national (GPCIs 1.000)"
  if q.locality then
    g = M.gpci(year, q.locality)
    if not g then
      return nil, format("locality %s: no CY%s GPCIs loaded (bhclaim.fees.load_gpci)",
        q.locality, year)
    end
    locality = format("%s %s (%s)", q.locality, g.name, g.source)
  end
  local pct, kind = 100, "not given: the full fee schedule amount"
  if q.credential then
    local p = M.PRACTITIONER[q.credential:upper():gsub("[%.%s]", "")]
    if not p then
      return nil, format("credential %s: no sourced Medicare payment percentage "
        .. "(rules-reference 5.3 lists it UNCONFIRMED or does not name it)", q.credential)
    end
    pct, kind = p[1], p[2]
  end
  local pe = setting[1] == "facility" and r[4] or r[3]
  local cf = q.qualifying_apm and pfs.cf_qp or pfs.cf
  -- RVU x100 times GPCI x1000: scale 1e5; times CF x1e4: scale 1e9.
  local sum = scaled(r[2], 2) * scaled(g.work, 3) + scaled(pe, 2) * scaled(g.pe, 3)
    + scaled(r[5], 2) * scaled(g.mp, 3)
  local units = q.units or 1
  -- sum x CF has scale 1e9 (dollars), so 1e7 per cent. The practitioner
  -- percentage applies to the rounded full (psychologist) amount, then
  -- each unit is paid that amount.
  local full = div_round(sum * scaled(cf, 4), 1e7)
  local cents = div_round(full * pct, 100) * units
  local factors = {
    { name = "fee schedule", value = "Medicare PFS CY" .. year, source = pfs.rvu_source },
    { name = "PFS status", value = r[1] .. " (" .. PAID_STATUS[r[1]] .. ")" },
    { name = "work RVU", value = r[2] },
    { name = setting[1] == "facility" and "PE RVU (facility)" or "PE RVU (non-facility)",
      value = pe },
    { name = "MP RVU", value = r[5] },
    { name = "locality", value = locality },
    { name = "work GPCI", value = g.work }, { name = "PE GPCI", value = g.pe },
    { name = "MP GPCI", value = g.mp },
    { name = "conversion factor", value = cf, source = pfs.cf_source,
      note = q.qualifying_apm and "qualifying APM participant" or "non-qualifying APM" },
    { name = "setting", value = setting[1], note = "place of service " .. pos ..
      (setting[2] and "" or " (UNCONFIRMED: rules-reference 7.6)"), confirmed = setting[2] },
    { name = "full amount", value = money(full), note = "per unit, before the practitioner "
      .. "percentage" },
    { name = "practitioner", value = pct .. "%", note = kind,
      source = pct ~= 100 and M.PRACTITIONER_SOURCE or nil },
    { name = "units", value = tostring(units) },
  }
  return money(cents), factors
end

--- The expected allowed amount of a service.
-- @tparam table q `code`, `date` (YYYY-MM-DD), `place_of_service` (for
--   Medicare), `modifiers` (list; Medicare ignores them: 95/93 do not change
--   payment, rules-reference 3.1), `payer` ("medicare" (default) or a
--   schedule from bhclaim.fees.schedule), `locality` ("MAC-locality" of a
--   loaded GPCI file; national GPCIs when absent), `credential` (rendering
--   provider's credential: MFT/MHC get 75%), `qualifying_apm` (true: the QP
--   conversion factor), `units` (default 1)
-- @treturn[1] string amount with two decimals
-- @treturn[1] table factors: list of {name, value, source, note}
-- @return[2] nil
-- @treturn[2] string why there is no amount
function M.expected(q)
  argcheck(type(q) == "table", 1, "table expected, got " .. type(q))
  argcheck(type(q.code) == "string", 1, "field 'code' must be a string")
  argcheck(valid_date(q.date), 1, "field 'date' must be YYYY-MM-DD")
  argcheck(q.units == nil or (type(q.units) == "number" and q.units >= 0 and
    q.units == math.floor(q.units)), 1, "field 'units' must be a whole number")
  argcheck(q.modifiers == nil or type(q.modifiers) == "table", 1,
    "field 'modifiers' must be a list")
  local payer = q.payer or "medicare"
  if payer == "medicare" then
    if q.place_of_service == nil then
      return nil, "place of service needed for the Medicare fee schedule (facility or not)"
    end
    return medicare(q)
  end
  argcheck(getmetatable(payer) == schedule_mt, 1,
    "field 'payer' must be \"medicare\" or a schedule from bhclaim.fees.schedule")
  local row, why = payer:find(q.code:upper(), q.modifiers, q.date)
  if not row then return nil, why end
  local units = q.units or 1
  local cents = scaled(row.amount, 2) * units
  return money(cents), {
    { name = "fee schedule", value = payer.name, note = format("line %d: %s to %s", row.line,
      row.from, row.to or "open") },
    { name = "fee", value = money(scaled(row.amount, 2)) },
    { name = "units", value = tostring(units) },
  }
end

--- Factors as one line of text ("work RVU 0.67, ...").
-- @tparam table factors
-- @treturn string
function M.factors_text(factors)
  local parts = {}
  for _, f in ipairs(factors or {}) do
    parts[#parts + 1] = f.name .. " " .. tostring(f.value) .. (f.note and (" (" .. f.note .. ")")
      or "")
  end
  return concat(parts, "; ")
end

return M
