-- x12_validate.lua: a structural validator of 837P interchanges against the
-- 005010X222A1 rules bhclaim's writer must keep (no implementation-guide
-- validator installs here: none is packaged for Debian or npm). It reads the
-- bytes itself, sharing no code with bhclaim's reader, and checks:
--   envelope: ISA fixed width and values, GS02/GS03 2-15 characters, GS08 and
--     ST03 005010X222A1, SE01 = segments ST..SE, SE02 = ST02, GE01 = sets,
--     GE02 = GS06, IEA01 = groups, IEA02 = ISA13, BHT after ST;
--   characters: printable ASCII only, no element left empty at a segment's end;
--   hierarchy: HL numbered 1.. in each set, parents of the right level, HL04
--     1 exactly when a child follows, at most 100 claims under one HL;
--   loops: 2010AA NM1*85 with a 10-digit NPI, N3, N4 with a 9-digit ZIP, REF
--     EI/SY; 2010BA N3/N4 and DMG when SBR02 is 18; 2010BB NM1*PR; 2000C PAT,
--     NM1*QC, N3/N4, DMG; 2320 OI and 2330A/B for every other payer;
--   claims: CLM05 pos:B:freq with freq 1, 7 or 8 and REF*F8 for 7 and 8;
--     CLM02 = the sum of SV102; HI with 1-12 qualifier:code composites of one
--     code set, upper case, no dot; LX 1..n, at most 50; SV101 HC:code with at
--     most 4 upper-case modifiers; SV103 UN or MJ; SV107 1-4 pointers into HI;
--     DTP*472 D8 or RD8 real dates; REF*6R on every line;
--   values: element lengths (NM103 60, NM104 35, NM105 25, NM107 10, N301 55,
--     N302 55, N401 30, NTE02 80), N402 a US state code, N403 5 or 9 digits.
-- Usage as a module: local v = dofile("scripts/x12_validate.lua");
--   local problems = v.validate(text)  -- a list of "segment N (ID): ..." strings
-- Usage as a command: lua scripts/x12_validate.lua FILE... (exit 1 on problems)
-- SPDX-License-Identifier: MIT

local M = {}

local STATES = {}
for s in ([[AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO
  MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI
  FM MH PW AA AE AP]]):gmatch("%u%u") do STATES[s] = true end

local MAX_LEN = { NM1 = { [3] = 60, [4] = 35, [5] = 25, [7] = 10 }, N3 = { 55, 55 },
  N4 = { 30 }, NTE = { [2] = 80 } }

local function real_date(s)
  local y, m, d = (s or ""):match("^(%d%d%d%d)(%d%d)(%d%d)$")
  if not y then return false end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local days = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  if y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0) then days[2] = 29 end
  return m >= 1 and m <= 12 and d >= 1 and d <= days[m]
end

-- Cents of an X12 decimal, or nil.
local function cents(s)
  local neg, whole, frac = (s or ""):match("^(%-?)(%d*)%.?(%d?%d?)$")
  if not whole or (whole == "" and frac == "") then return nil end
  local v = tonumber(whole ~= "" and whole or "0") * 100
    + tonumber(frac ~= "" and (frac .. "0"):sub(1, 2) or "0")
  return neg == "-" and -v or v
end

local function split(s, sep)
  local out, start = {}, 1
  while true do
    local i = s:find(sep, start, true)
    if not i then
      out[#out + 1] = s:sub(start)
      return out
    end
    out[#out + 1] = s:sub(start, i - 1)
    start = i + 1
  end
end

--- Validates one interchange; returns the list of problems (empty when valid).
function M.validate(text)
  local problems = {}
  if #text < 106 or text:sub(1, 3) ~= "ISA" then
    return { "not an interchange: it does not start with a 106-character ISA" }
  end
  local E, C, R, T = text:sub(4, 4), text:sub(105, 105), text:sub(83, 83), text:sub(106, 106)
  local segs = {}
  for raw in text:gmatch("([^" .. T:gsub("%p", "%%%0") .. "]*)" .. T:gsub("%p", "%%%0")) do
    local s = raw:gsub("^[\r\n]+", "")
    if s ~= "" then segs[#segs + 1] = s end
  end
  local n = 0
  local function bad(fmt, ...)
    problems[#problems + 1] = string.format("segment %d (%s): ", n, segs[n] and
      segs[n]:sub(1, 3):gsub("%" .. E .. ".*", "") or "?") .. string.format(fmt, ...)
  end

  -- state
  local isa13, gs06, st02, st_at, sets, groups, version
  local hl_level, hl04, hl_children, last_hl, hl_claims = {}, {}, {}, 0, {}
  local cur_hl, level_of_cur, sbr02, seen, claim, line, lx, n_dx, code_set
  local other
  local function close_claim()
    if not claim then return end
    if claim.lines == 0 then bad("claim %s has no service line", claim.id) end
    if claim.total ~= claim.sum then
      bad("CLM02 of claim %s is %s, the lines sum to %s", claim.id, claim.total, claim.sum)
    end
    if (claim.freq == "7" or claim.freq == "8") and not claim.f8 then
      bad("claim %s has frequency %s without REF*F8", claim.id, claim.freq)
    end
    if line and not line.ref6r then
      bad("a line of claim %s has no REF*6R (bhclaim's rule)", claim.id)
    end
    if other and not (other.oi and other.il and other.pr) then
      bad("claim %s: a 2320 loop lacks OI, 2330A or 2330B", claim.id)
    end
    claim, line, other = nil, nil, nil
  end
  local function close_entity()
    if not seen then return end
    if seen.kind == "85" and not (seen.n3 and seen.n4 and seen.ref) then
      bad("2010AA needs N3, N4 and REF*EI/SY")
    elseif seen.kind == "IL" and sbr02 == "18" and not (seen.n3 and seen.n4 and seen.dmg) then
      bad("2010BA needs N3, N4 and DMG when the subscriber is the patient")
    elseif seen.kind == "QC" and not (seen.n3 and seen.n4 and seen.dmg) then
      bad("2010CA needs N3, N4 and DMG")
    end
    seen = nil
  end

  for i, s in ipairs(segs) do
    n = i
    if s:find("[^\32-\126]") then bad("a character outside printable ASCII") end
    if s:sub(-1) == E then bad("ends with an empty element") end
    local el = split(s, E)
    local id = el[1]
    for k, max in pairs(MAX_LEN[id] or {}) do
      if el[k + 1] and #el[k + 1] > max then bad("%s%02d is longer than %d", id, k, max) end
    end
    if id == "ISA" then
      if #s ~= 105 then bad("ISA is not 106 characters with its terminator") end
      if #el ~= 17 then bad("ISA has %d elements, not 16", #el - 1) end
      if el[16] ~= "T" and el[16] ~= "P" then bad("ISA15 is not T or P") end
      if not (el[14] or ""):match("^%d%d%d%d%d%d%d%d%d$") then bad("ISA13 is not 9 digits") end
      if R:match("[%w%s]") or C:match("[%w%s]") then bad("separators must be punctuation") end
      isa13, groups = el[14], 0
    elseif id == "GS" then
      for k = 3, 4 do
        local v = el[k] or ""
        if #v < 2 or #v > 15 then bad("GS%02d is not 2-15 characters", k - 1) end
      end
      if el[9] ~= "005010X222A1" and el[9] ~= "005010X222A2" then
        bad("GS08 is not 005010X222A1 or A2")
      end
      gs06, sets, groups, version = el[7], 0, groups + 1, el[9]
    elseif id == "ST" then
      if el[2] ~= "837" or el[4] ~= version then bad("ST is not an 837 of the GS08 version") end
      st02, st_at, sets = el[3], i, sets + 1
      hl_level, hl04, hl_children, last_hl, hl_claims = {}, {}, {}, 0, {}
      if not (segs[i + 1] or ""):match("^BHT" .. E:gsub("%p", "%%%0") .. "0019") then
        bad("BHT*0019 must follow ST")
      end
    elseif id == "SE" then
      close_entity()
      close_claim()
      if tonumber(el[2]) ~= i - st_at + 1 then bad("SE01 %s, counted %d", el[2], i - st_at + 1) end
      if el[3] ~= st02 then bad("SE02 differs from ST02") end
      for h in pairs(hl_level) do
        if (hl_children[h] and "1" or "0") ~= hl04[h] then
          bad("HL %d: HL04 does not say whether a child follows", h)
        end
      end
      for h, count in pairs(hl_claims) do
        if count > 100 then bad("HL %d holds %d claims (at most 100)", h, count) end
      end
    elseif id == "GE" then
      if tonumber(el[2]) ~= sets then bad("GE01 %s, counted %d sets", el[2], sets) end
      if el[3] ~= gs06 then bad("GE02 differs from GS06") end
    elseif id == "IEA" then
      if tonumber(el[2]) ~= groups then bad("IEA01 %s, counted %d groups", el[2], groups) end
      if el[3] ~= isa13 then bad("IEA02 differs from ISA13") end
    elseif id == "HL" then
      close_entity()
      close_claim()
      local num, parent, level = tonumber(el[2]), tonumber(el[3]), el[4]
      if num ~= last_hl + 1 then bad("HL01 %s does not follow %d", el[2], last_hl) end
      last_hl = num or last_hl
      local want = ({ ["20"] = nil, ["22"] = "20", ["23"] = "22" })[level]
      if level ~= "20" and level ~= "22" and level ~= "23" then bad("HL03 is not 20, 22 or 23") end
      if want and hl_level[parent] ~= want then bad("HL02 does not point at an HL*%s", want) end
      if level == "20" and el[3] and el[3] ~= "" then bad("HL*20 has a parent") end
      if parent then hl_children[parent] = true end
      if num then hl_level[num], hl04[num] = level, el[5] end
      cur_hl, level_of_cur = num, level
      if level == "22" then sbr02 = nil end
    elseif id == "SBR" and not claim then
      sbr02 = el[3]
    elseif id == "SBR" and claim then
      if other and not (other.oi and other.il and other.pr) then
        bad("claim %s: a 2320 loop lacks OI, 2330A or 2330B", claim.id)
      end
      other = {}
    elseif id == "OI" and other then
      other.oi = true
    elseif id == "NM1" then
      close_entity()
      local kind = el[2]
      if kind == "85" or kind == "IL" or kind == "QC" then
        if not other then seen = { kind = kind } end
      end
      if el[9] == "XX" and not (el[10] or ""):match("^%d%d%d%d%d%d%d%d%d%d$") then
        bad("NM109 NPI is not 10 digits")
      end
      if other and kind == "IL" then other.il = true end
      if other and kind == "PR" then other.pr = true end
    elseif id == "N3" and seen then
      seen.n3 = true
    elseif id == "N4" then
      if not STATES[el[3] or ""] then bad("N402 is not a US state code") end
      local zip = el[4] or ""
      if not (zip:match("^%d%d%d%d%d$") or zip:match("^%d%d%d%d%d%d%d%d%d$")) then
        bad("N403 is not 5 or 9 digits")
      elseif seen and seen.kind == "85" and #zip ~= 9 then
        bad("2010AA N403 is not 9 digits")
      end
      if seen then seen.n4 = true end
    elseif id == "DMG" then
      if el[2] ~= "D8" or not real_date(el[3]) then bad("DMG is not D8 and a real date") end
      if seen then seen.dmg = true end
    elseif id == "REF" then
      if seen and seen.kind == "85" and (el[2] == "EI" or el[2] == "SY") then seen.ref = true end
      if claim and el[2] == "F8" then claim.f8 = true end
      if line and el[2] == "6R" then line.ref6r = true end
    elseif id == "CLM" then
      close_entity()
      close_claim()
      hl_claims[cur_hl] = (hl_claims[cur_hl] or 0) + 1
      if level_of_cur == "20" then bad("CLM under a billing provider HL") end
      local c5 = split(el[6] or "", C)
      if not (c5[1] or ""):match("^%d%d$") or c5[2] ~= "B" then bad("CLM05 is not pos:B:freq") end
      if c5[3] ~= "1" and c5[3] ~= "7" and c5[3] ~= "8" then bad("CLM05-3 is not 1, 7 or 8") end
      claim = { id = el[2], total = cents(el[3]), sum = 0, freq = c5[3], lines = 0 }
      lx, n_dx, code_set = 0, 0, nil
    elseif id == "HI" and claim then
      local q = split(el[2] or "", C)[1]
      if q == "ABK" or q == "BK" then
        n_dx = #el - 1
        if n_dx > 12 then bad("HI holds %d codes (at most 12)", n_dx) end
        for k = 2, #el do
          local parts = split(el[k], C)
          local set = (parts[1] == "ABK" or parts[1] == "ABF") and "10"
            or (parts[1] == "BK" or parts[1] == "BF") and "9" or nil
          if not set or not (parts[2] or ""):match("^[%u%d]+$") then
            bad("HI%02d is not a qualifier:code composite of upper-case letters and digits", k - 1)
          end
          if (k == 2) ~= (parts[1] == "ABK" or parts[1] == "BK") then
            bad("HI%02d qualifier out of place", k - 1)
          end
          if code_set and set ~= code_set then bad("HI mixes ICD-9 and ICD-10") end
          code_set = set
        end
      end
    elseif id == "LX" then
      if line and not line.ref6r then
        bad("a line of claim %s has no REF*6R (bhclaim's rule)", claim and claim.id)
      end
      other = nil
      lx = lx + 1
      if tonumber(el[2]) ~= lx then bad("LX01 %s is not %d", el[2], lx) end
      if lx > 50 then bad("more than 50 lines") end
      line = {}
      if claim then claim.lines = claim.lines + 1 end
    elseif id == "SV1" and claim then
      local c1 = split(el[2] or "", C)
      if c1[1] ~= "HC" or not (c1[2] or ""):match("^[%u%d]+$") then bad("SV101 is not HC:code") end
      if #c1 > 6 then bad("SV101 has more than 4 modifiers") end
      for k = 3, #c1 do
        if not c1[k]:match("^[%u%d][%u%d]$") then bad("SV101-%d is not a modifier", k) end
      end
      claim.sum = claim.sum + (cents(el[3]) or 0)
      if el[4] ~= "UN" and el[4] ~= "MJ" then bad("SV103 is not UN or MJ") end
      local ptrs = split(el[8] or "", C)
      if #ptrs < 1 or #ptrs > 4 or ptrs[1] == "" then bad("SV107 holds 1 to 4 pointers") end
      for _, p in ipairs(ptrs) do
        local v = tonumber(p)
        if not v or v < 1 or v > n_dx then bad("SV107 pointer %s is not a diagnosis", p) end
      end
    elseif id == "DTP" and el[2] == "472" then
      local ok = (el[3] == "D8" and real_date(el[4]))
        or (el[3] == "RD8" and real_date((el[4] or ""):sub(1, 8))
          and real_date((el[4] or ""):sub(10))
          and (el[4] or ""):sub(9, 9) == "-" and (el[4]):sub(1, 8) <= (el[4]):sub(10))
      if not ok then bad("DTP*472 is not D8 or RD8 with real dates") end
    end
  end
  if segs[#segs] and not segs[#segs]:match("^IEA") then
    n = #segs
    bad("the interchange does not end with IEA")
  end
  return problems
end

-- As a command: validate each file named.
if arg and arg[0] and arg[0]:match("x12_validate%.lua$") then
  local failed = false
  for _, path in ipairs(arg) do
    local f = assert(io.open(path, "rb"))
    local text = f:read("*a")
    f:close()
    local problems = M.validate(text)
    for _, p in ipairs(problems) do io.stderr:write(path, ": ", p, "\n") end
    if #problems > 0 then failed = true end
    io.stdout:write(path, ": ", #problems == 0 and "valid" or (#problems .. " problems"), "\n")
  end
  os.exit(failed and 1 or 0)
end

return M
