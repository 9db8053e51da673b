-- gen_tables.lua: writes the code tables compiled into the bhclaim core.
-- Reads the public lists in data/ (see data/PROVENANCE.md) and writes sorted
-- C arrays into csrc/data/. Run by the Makefile; runs on Lua 5.1-5.4 and
-- LuaJIT. Usage: lua gen_tables.lua DATA_DIR OUT_DIR
-- SPDX-License-Identifier: MIT

local data_dir, out_dir = arg[1] or "data", arg[2] or "csrc/data"

local function fail(msg)
  io.stderr:write("gen_tables: ", msg, "\n")
  os.exit(1)
end

local function read_file(name)
  local f, err = io.open(data_dir .. "/" .. name, "rb")
  if not f then fail(err) end
  local text = f:read("*a")
  f:close()
  -- A BOM or CRLF line ends must not leak into codes or titles.
  return (text:gsub("^\239\187\191", ""):gsub("\r\n", "\n"))
end

-- Splits one CSV record (RFC 4180 quoting) starting at pos; returns the
-- fields and the position after the record's line end.
local function csv_record(text, pos)
  local fields, n = {}, #text
  while true do
    local value
    if text:sub(pos, pos) == '"' then
      local parts, i = {}, pos + 1
      while true do
        local q = text:find('"', i, true)
        if not q then fail("unterminated quote in CSV at byte " .. pos) end
        parts[#parts + 1] = text:sub(i, q - 1)
        if text:sub(q + 1, q + 1) == '"' then
          parts[#parts + 1] = '"'
          i = q + 2
        else
          pos = q + 1
          break
        end
      end
      value = table.concat(parts)
    else
      local stop = text:find("[,\n]", pos) or (n + 1)
      value = text:sub(pos, stop - 1)
      pos = stop
    end
    fields[#fields + 1] = value
    local c = text:sub(pos, pos)
    if c == "," then
      pos = pos + 1
    else
      return fields, pos + 1
    end
  end
end

-- Reads a CSV file with a header into an array of tables keyed by column.
local function read_csv(name)
  local text = read_file(name)
  local header, pos = csv_record(text, 1)
  local rows = {}
  while pos <= #text do
    local fields
    fields, pos = csv_record(text, pos)
    if not (#fields == 1 and fields[1] == "") then
      if #fields ~= #header then
        fail(name .. ": row " .. (#rows + 2) .. " has " .. #fields .. " fields")
      end
      local row = {}
      for i, h in ipairs(header) do row[h] = fields[i] end
      rows[#rows + 1] = row
    end
  end
  return rows
end

local function optional_csv(name)
  local f = io.open(data_dir .. "/" .. name, "rb")
  if not f then return nil end
  f:close()
  return read_csv(name)
end

-- A C string literal; the data is ASCII, anything else is escaped in octal.
local function cstr(s)
  if s == nil or s == "" then return "NULL" end
  return '"' .. s:gsub('[%c"\\\128-\255]', function(c)
    return string.format("\\%03o", c:byte())
  end) .. '"'
end

local function date_int(s, where)
  if s == nil or s == "" then return "0" end
  local y, m, d = s:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
  if not y then fail(where .. ": bad date '" .. s .. "'") end
  return y .. m .. d
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- {=== hash indexes: codes.c finds a code with one hash and a probe or two
-- instead of a binary search. The hash must stay the one codes.c computes
-- (code_hash there); tests/test_codes.c looks every table code up through
-- the index, so a drift between the two fails the build's tests.

local function is_prime(n)
  if n < 2 then return false end
  local d = 2
  while d * d <= n do
    if n % d == 0 then return false end
    d = d + 1
  end
  return true
end

-- A prime slot count for n codes, the table at most 70% full.
local function slot_count(n)
  local s = math.floor(n * 10 / 7) + 1
  if s < 7 then s = 7 end
  while not is_prime(s) do s = s + 1 end
  return s
end

-- Polynomial hash of the code's bytes modulo the slot count. Every value
-- stays below 2^32, so Lua 5.1's doubles and C's uint32_t agree.
local function code_hash(code, n_slots)
  local h = 0
  for i = 1, #code do h = (h * 131 + code:byte(i)) % n_slots end
  return h
end

-- Emits `const bh_code_index NAME` over codes (the table's order, sorted):
-- slot holds 1 + the index of the first row with that code, linear probing.
local function index_body(name, codes)
  local n_slots = slot_count(#codes)
  local slots = {}
  for i = 0, n_slots - 1 do slots[i] = 0 end
  for i, code in ipairs(codes) do
    if i == 1 or codes[i - 1] ~= code then
      local s = code_hash(code, n_slots)
      while slots[s] ~= 0 do s = (s + 1) % n_slots end
      slots[s] = i
    end
  end
  local out = { "static const uint32_t " .. name .. "_slots[] = {\n" }
  for i = 0, n_slots - 1 do
    out[#out + 1] = slots[i] .. ((i % 16 == 15 or i == n_slots - 1) and ",\n" or ",")
  end
  out[#out + 1] = string.format("};\nconst bh_code_index %s = {%s_slots, %d};\n\n",
                                name, name, n_slots)
  return table.concat(out)
end

local function write_table_file(file, sources, body)
  local path = out_dir .. "/" .. file
  local f, err = io.open(path, "wb")
  if not f then fail(err) end
  f:write("/* ", file, ": GENERATED by scripts/gen_tables.lua from ",
          table.concat(sources, ", "),
          " (see data/PROVENANCE.md). Do not edit. */\n",
          "#include \"../tables.h\"\n\n", body)
  f:close()
end

-- ICD-10-CM: one row per code with the fiscal years it is billable in.
local function gen_icd10()
  local years = {}
  local function load(name, bit)
    for code in read_file(name):gmatch("[^\n]+") do
      if not code:match("^[A-Z][0-9A-Z][0-9A-Z][0-9A-Z]?[0-9A-Z]?[0-9A-Z]?[0-9A-Z]?$") then
        fail(name .. ": not a code: " .. code)
      end
      years[code] = (years[code] or 0) + bit
    end
  end
  load("icd10cm_codes_2026.txt", 1)
  load("icd10cm_codes_2027.txt", 2)
  local out, codes = {}, sorted_keys(years)
  out[#out + 1] = "const bh_icd10_code bh_icd10_codes[] = {\n"
  for _, code in ipairs(codes) do
    out[#out + 1] = string.format('{"%s",%d},\n', code, years[code])
  end
  out[#out + 1] = "};\nconst size_t bh_icd10_codes_count = " .. #codes .. ";\n\n"
  out[#out + 1] = index_body("bh_icd10_codes_index", codes)

  -- Code titles: the data carries them only for codes in the FY2027 change
  -- lists, so every other code has none (never invented).
  local titles = {}
  local function title(code, mask, text)
    local key = code .. "/" .. mask
    titles[key] = { code = code, mask = mask, text = text }
  end
  local dir = "icd10cm_fy2027_changes/"
  for _, r in ipairs(read_csv(dir .. "added.csv")) do title(r.code, 2, r.longTitle) end
  for _, r in ipairs(read_csv(dir .. "deleted.csv")) do title(r.code, 1, r.longTitle) end
  for _, r in ipairs(read_csv(dir .. "billable-status-changes.csv")) do
    title(r.code, 3, r.longTitle)
  end
  for _, r in ipairs(read_csv(dir .. "revised.csv")) do
    title(r.code, 1, r.previousLongTitle)
    title(r.code, 2, r.newLongTitle)
  end
  local keys = sorted_keys(titles)
  out[#out + 1] = "const bh_icd10_title bh_icd10_titles[] = {\n"
  for _, k in ipairs(keys) do
    local t = titles[k]
    out[#out + 1] = string.format('{"%s",%d,%s},\n', t.code, t.mask, cstr(t.text))
  end
  out[#out + 1] = "};\nconst size_t bh_icd10_titles_count = " .. #keys .. ";\n\n"
  local title_codes = {}
  for i, k in ipairs(keys) do title_codes[i] = titles[k].code end
  out[#out + 1] = index_body("bh_icd10_titles_index", title_codes)

  local cats = {}
  for _, r in ipairs(read_csv("icd10cm-categories-April-1-2026.csv")) do
    cats[r["ICD10-CM-CODE"]] = r.description
  end
  for _, r in ipairs(read_csv(dir .. "added.csv")) do
    if #r.code == 3 and not cats[r.code] then cats[r.code] = r.longTitle end
  end
  local ckeys = sorted_keys(cats)
  out[#out + 1] = "const bh_icd10_category bh_icd10_categories[] = {\n"
  for _, code in ipairs(ckeys) do
    out[#out + 1] = string.format('{"%s",%s},\n', code, cstr(cats[code]))
  end
  out[#out + 1] = "};\nconst size_t bh_icd10_categories_count = " .. #ckeys .. ";\n\n"
  out[#out + 1] = index_body("bh_icd10_categories_index", ckeys)
  write_table_file("icd10_tables.c", {
    "data/icd10cm_codes_2026.txt", "data/icd10cm_codes_2027.txt",
    "data/icd10cm-categories-April-1-2026.csv", "data/icd10cm_fy2027_changes/",
  }, table.concat(out))
end

-- HCPCS Level II codes, CPT catalogue, and modifiers of both levels.
local function gen_procedures()
  local hcpcs, modifiers = {}, {}
  for _, r in ipairs(read_csv("hcpcs_level2_2026_jan.csv")) do
    local code = r.HCPCS_CODE
    if code:match("^[A-Z]%d%d%d%d$") then
      hcpcs[code] = r
    elseif code:match("^[A-Z0-9][A-Z0-9]$") then
      modifiers[code] = { is_cpt = 0, text = r.LONG_DESCRIPTION,
                          source = "CMS HCPCS Level II, January 2026" }
    else
      fail("hcpcs: unexpected code " .. code)
    end
  end
  local out, keys = {}, sorted_keys(hcpcs)
  out[#out + 1] = "const bh_hcpcs_code bh_hcpcs_codes[] = {\n"
  for _, code in ipairs(keys) do
    local r = hcpcs[code]
    out[#out + 1] = string.format('{"%s",%s,%s},\n', code,
      cstr(r.SHORT_DESCRIPTION), cstr(r.LONG_DESCRIPTION))
  end
  out[#out + 1] = "};\nconst size_t bh_hcpcs_codes_count = " .. #keys .. ";\n\n"
  out[#out + 1] = index_body("bh_hcpcs_codes_index", keys)

  local cpt = optional_csv("cpt_behavioral_health.csv") or {}
  local cpt_rows = {}
  for _, r in ipairs(cpt) do
    if not r.code:match("^%d%d%d%d[%dFT]$") then fail("cpt: bad code " .. r.code) end
    cpt_rows[r.code] = r
  end
  keys = sorted_keys(cpt_rows)
  out[#out + 1] = "const bh_cpt_code bh_cpt_codes[] = {\n"
  for _, code in ipairs(keys) do
    local r = cpt_rows[code]
    out[#out + 1] = string.format('{"%s",%d,%s,%s,%s,%s},\n', code,
      tonumber(r.addon) or 0, date_int(r.from, code), date_int(r.to, code),
      cstr(r.description), cstr(r.source))
  end
  if #keys == 0 then out[#out + 1] = '{"",0,0,0,NULL,NULL},\n' end
  out[#out + 1] = "};\nconst size_t bh_cpt_codes_count = " .. #keys .. ";\n\n"
  out[#out + 1] = index_body("bh_cpt_codes_index", keys)

  for _, r in ipairs(optional_csv("cpt_modifiers.csv") or {}) do
    modifiers[r.modifier] = { is_cpt = 1, text = r.description, source = r.source }
  end
  keys = sorted_keys(modifiers)
  out[#out + 1] = "const bh_modifier bh_modifiers[] = {\n"
  for _, code in ipairs(keys) do
    local m = modifiers[code]
    out[#out + 1] = string.format('{"%s",%d,%s,%s},\n', code, m.is_cpt,
      cstr(m.text), cstr(m.source))
  end
  out[#out + 1] = "};\nconst size_t bh_modifiers_count = " .. #keys .. ";\n\n"
  out[#out + 1] = index_body("bh_modifiers_index", keys)
  write_table_file("procedure_tables.c", {
    "data/hcpcs_level2_2026_jan.csv", "data/cpt_behavioral_health.csv",
    "data/cpt_modifiers.csv",
  }, table.concat(out))
end

-- Places of service: the CMS list, plus first-use dates and POS 66.
local function gen_pos()
  local pos = {}
  local text = read_file("place_of_service_cms.json")
  local entry = '"code"%s*:%s*"(%d%d)"%s*,%s*"description"%s*:%s*"([^"]*)"%s*,%s*'
    .. '"is_telehealth"%s*:%s*(%d)'
  for code, name, tele in text:gmatch(entry) do
    pos[code] = { name = name, from = "", telehealth = tonumber(tele),
                  source = "CMS Place of Service code set (data/place_of_service_cms.json)" }
  end
  for _, r in ipairs(read_csv("place_of_service_dates.csv")) do
    local p = pos[r.code] or { name = r.name, telehealth = 0 }
    p.from, p.source = r.from, r.source
    pos[r.code] = p
  end
  local out, keys = {}, sorted_keys(pos)
  if #keys < 50 then fail("place_of_service_cms.json: only " .. #keys .. " codes read") end
  out[#out + 1] = "const bh_pos bh_pos_codes[] = {\n"
  for _, code in ipairs(keys) do
    local p = pos[code]
    out[#out + 1] = string.format('{"%s",%s,%d,%s,%s},\n', code, date_int(p.from, code),
      p.telehealth, cstr(p.name), cstr(p.source))
  end
  out[#out + 1] = "};\nconst size_t bh_pos_codes_count = " .. #keys .. ";\n\n"
  out[#out + 1] = index_body("bh_pos_codes_index", keys)
  write_table_file("pos_tables.c", { "data/place_of_service_cms.json",
    "data/place_of_service_dates.csv" }, table.concat(out))
end

gen_icd10()
gen_procedures()
gen_pos()
