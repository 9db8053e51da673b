-- telehealth_spec.lua: bhclaim.telehealth.derive answers every row of the
-- decision table in docs/telehealth.md, and check reports each
-- telehealth.* rule on claims (and stays quiet on near misses).
local bhclaim = require("bhclaim")

local TODAY = "2026-11-26"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

-- Rows of the decision table: | case | payer | date | code | modality |
-- patient_location | provider_kind | last_in_person | pos | modifiers |
-- allowed | source |
local function table_rows()
  local rows = {}
  for line in read("docs/telehealth.md"):gmatch("[^\n]+") do
    if line:match("^|%s*%d+%s*|") then
      local cells = {}
      for cell in line:gmatch("|([^|]*)") do cells[#cells + 1] = cell:match("^%s*(.-)%s*$") end
      rows[#rows + 1] = {
        case = cells[1], payer = cells[2], date = cells[3], code = cells[4],
        modality = cells[5], patient_location = cells[6], provider_kind = cells[7],
        last_in_person = cells[8], pos = cells[9], modifiers = cells[10],
        allowed = cells[11], source = cells[12],
      }
    end
  end
  return rows
end

local function copy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = copy(x) end
  return setmetatable(out, getmetatable(v))
end

local base = assert(bhclaim.decode(read("spec/fixtures/base_claim.json")))

local function claim_with(session, pos, modifiers, payer_kind)
  local c = copy(base)
  for k, v in pairs(session) do c.session[k] = v end
  c.place_of_service = pos
  c.lines[1].modifiers = setmetatable(modifiers or {}, bhclaim.array_mt)
  if payer_kind then c.payer.kind = payer_kind end
  return c
end

local function rules_of(report, rule)
  local out = {}
  for _, f in ipairs(report.findings) do
    if f.rule == rule then out[#out + 1] = f end
  end
  return out
end

describe("the telehealth decision table (docs/telehealth.md)", function()
  local rows = table_rows()

  it("has rows for every payer kind", function()
    local kinds = {}
    for _, r in ipairs(rows) do kinds[r.payer] = true end
    assert.is_true(#rows >= 40)
    assert.is_true(kinds.medicare and kinds.medicaid and kinds.commercial)
  end)

  for _, row in ipairs(rows) do
    it("row " .. row.case .. ": " .. row.payer .. " " .. row.date .. " " .. row.modality
        .. " at " .. row.patient_location .. " (" .. row.provider_kind .. ")", function()
      local answer = bhclaim.telehealth.derive{
        code = row.code, date = row.date, payer = row.payer, modality = row.modality,
        patient_location = row.patient_location, provider_kind = row.provider_kind,
        last_in_person = row.last_in_person ~= "-" and row.last_in_person or nil,
      }
      assert.are.equal(row.allowed == "yes", answer.allowed)
      assert.are.equal(row.pos ~= "-" and row.pos or nil, answer.place_of_service)
      local expected = row.modifiers ~= "-" and row.modifiers or ""
      assert.are.equal(expected, table.concat(answer.modifiers, " "))
      assert.is_string(tostring(answer))
    end)
  end
end)

describe("bhclaim.telehealth.derive", function()
  it("names its sources and dates", function()
    local a = bhclaim.telehealth.derive{ code = "90853", date = "2026-03-02", payer = "medicare",
      modality = "video", patient_location = "home" }
    assert.are.equal("10", a.place_of_service)
    assert.are.equal("non-facility", a.rate)
    assert.is_true(#a.reasons > 0)
    for _, r in ipairs(a.reasons) do assert.is_string(r.source) end
    assert.matches("POS 10", tostring(a))
  end)

  it("takes a state profile's values", function()
    local ak = assert(bhclaim.payers.load("examples/payers/medicaid_alaska.lua"))
    local a = bhclaim.telehealth.derive{ code = "90853", date = "2026-03-02", payer = ak,
      modality = "audio_only", patient_location = "home" }
    assert.are.equal("10", a.place_of_service)
    assert.matches("FQ", table.concat(a.modifiers, " "))
  end)

  it("raises on misuse, naming the function", function()
    assert.has_error(function() bhclaim.telehealth.derive(5) end)
    local ok, err = pcall(bhclaim.telehealth.derive, { code = "90853", date = "2026-03-02",
      modality = "hologram" })
    assert.is_false(ok)
    assert.matches("bad argument #1 to 'derive'", err)
    ok, err = pcall(bhclaim.telehealth.derive, { code = "90853", date = "2026-03-02",
      modaliti = "video" })
    assert.is_false(ok)
    assert.matches("unknown field 'modaliti'", err)
  end)
end)

describe("telehealth.pos", function()
  it("fires on POS 11 for a video session", function()
    local r = bhclaim.check(claim_with({ modality = "video", patient_location = "home" }, "11"),
      { today = TODAY })
    local f = rules_of(r, "telehealth.pos")
    assert.are.equal(1, #f)
    assert.are.equal("error", f[1].severity)
    assert.are.equal("place_of_service", f[1].path)
  end)
  it("fires on POS 02 for an in-person session", function()
    local r = bhclaim.check(claim_with({ modality = "in_person" }, "02"), { today = TODAY })
    assert.are.equal(1, #rules_of(r, "telehealth.pos"))
  end)
  it("fires on POS 02 with the patient at home (Medicare wants 10)", function()
    local r = bhclaim.check(claim_with({ modality = "video", patient_location = "home" }, "02"),
      { today = TODAY })
    assert.are.equal(1, #rules_of(r, "telehealth.pos"))
  end)
  it("is quiet on POS 10 at home and POS 11 in person", function()
    local r = bhclaim.check(claim_with({ modality = "video", patient_location = "home" }, "10"),
      { today = TODAY })
    assert.are.equal(0, #rules_of(r, "telehealth.pos"))
    r = bhclaim.check(claim_with({ modality = "in_person" }, "11"), { today = TODAY })
    assert.are.equal(0, #rules_of(r, "telehealth.pos"))
  end)
end)

describe("telehealth.modifier", function()
  it("fires on 95 on an in-person line", function()
    local r = bhclaim.check(claim_with({ modality = "in_person" }, "11", { "95" }),
      { today = TODAY })
    local f = rules_of(r, "telehealth.modifier")
    assert.are.equal(1, #f)
    assert.are.equal("lines[1].modifiers[1]", f[1].path)
  end)
  it("fires on 95 with 93 and on GT with 95", function()
    local r = bhclaim.check(claim_with({ modality = "video", patient_location = "home" }, "10",
      { "95", "93" }, "commercial"), { today = TODAY })
    assert.is_true(#rules_of(r, "telehealth.modifier") >= 1)
    r = bhclaim.check(claim_with({ modality = "video", patient_location = "home" }, "10",
      { "GT", "95" }, "commercial"), { today = TODAY })
    assert.is_true(#rules_of(r, "telehealth.modifier") >= 1)
  end)
  it("fires when a commercial video line lacks 95", function()
    local r = bhclaim.check(claim_with({ modality = "video", patient_location = "home" }, "10",
      {}, "commercial"), { today = TODAY })
    local f = rules_of(r, "telehealth.modifier")
    assert.are.equal(1, #f)
    assert.are.equal("lines[1].modifiers", f[1].path)
  end)
  it("is quiet on a commercial video line with 95 and a Medicare one without", function()
    local r = bhclaim.check(claim_with({ modality = "video", patient_location = "home" }, "10",
      { "95" }, "commercial"), { today = TODAY })
    assert.are.equal(0, #rules_of(r, "telehealth.modifier"))
    r = bhclaim.check(claim_with({ modality = "video", patient_location = "home" }, "10", {}),
      { today = TODAY })
    assert.are.equal(0, #rules_of(r, "telehealth.modifier"))
  end)
end)

describe("telehealth.audio_only", function()
  it("fires on audio-only without 93", function()
    local r = bhclaim.check(claim_with({ modality = "audio_only", patient_location = "home" },
      "10"), { today = TODAY })
    local f = rules_of(r, "telehealth.audio_only")
    assert.are.equal(1, #f)
    assert.are.equal("lines[1].modifiers", f[1].path)
  end)
  it("fires on audio-only with the patient at a clinic", function()
    local r = bhclaim.check(claim_with({ modality = "audio_only", patient_location = "facility" },
      "02", { "93" }), { today = TODAY })
    assert.are.equal(1, #rules_of(r, "telehealth.audio_only"))
  end)
  it("is quiet on audio-only at home with 93, and takes FQ for an FQHC", function()
    local r = bhclaim.check(claim_with({ modality = "audio_only", patient_location = "home" },
      "10", { "93" }), { today = TODAY })
    assert.are.equal(0, #rules_of(r, "telehealth.audio_only"))
    r = bhclaim.check(claim_with({ modality = "audio_only", patient_location = "home" }, "10",
      { "FQ" }), { today = TODAY, provider_kind = "fqhc" })
    assert.are.equal(0, #rules_of(r, "telehealth.audio_only"))
  end)
end)

describe("telehealth.in_person", function()
  local function in_2028(last_in_person)
    local c = claim_with({ modality = "video", patient_location = "home",
      last_in_person = last_in_person }, "10")
    c.lines[1].date = "2028-03-01"
    c.documentation.signature.date = "2028-03-01"
    return bhclaim.check(c, { today = "2028-06-01" })
  end
  it("is an error from 2028 when the last in-person visit is too old", function()
    local f = rules_of(in_2028("2026-01-15"), "telehealth.in_person")
    assert.are.equal(1, #f)
    assert.are.equal("error", f[1].severity)
  end)
  it("is a warning from 2028 when the last visit is unknown", function()
    local f = rules_of(in_2028(nil), "telehealth.in_person")
    assert.are.equal(1, #f)
    assert.are.equal("warning", f[1].severity)
  end)
  it("is quiet with a recent visit, and before 2028", function()
    assert.are.equal(0, #rules_of(in_2028("2028-01-10"), "telehealth.in_person"))
    local r = bhclaim.check(claim_with({ modality = "video", patient_location = "home" }, "10"),
      { today = TODAY })
    assert.are.equal(0, #rules_of(r, "telehealth.in_person"))
  end)
end)

describe("video group sessions", function()
  it("turn into claims that are already right", function()
    local day = assert(bhclaim.decode(read("examples/sessions/day-2026-04-07.json")))
    local video
    for _, s in ipairs(day) do
      if s.modality == "video" then video = s end
    end
    local ak = assert(bhclaim.payers.load("examples/payers/medicaid_alaska.lua"))
    local report = bhclaim.session(video):check{ today = TODAY, profiles = { medicaid = ak } }
    for _, c in ipairs(report.claims) do
      for _, rule in ipairs({ "telehealth.pos", "telehealth.modifier", "telehealth.audio_only" }) do
        assert.are.equal(0, #rules_of(c.report, rule))
      end
    end
    local phone = report.claims[3].claim
    assert.are.equal("audio_only", phone.session.modality)
    assert.are.equal("10", phone.place_of_service)
    assert.matches("FQ", table.concat(phone.lines[1].modifiers, " "))
  end)
end)

describe("bhclaim.telehealth.add_modifier", function()
  local add_modifier = require("bhclaim.telehealth").add_modifier

  it("adds a modifier once, in order, for the session hooks of both modules", function()
    local line = { modifiers = { "HQ" } }
    add_modifier(line, "95")
    add_modifier(line, "HQ")
    add_modifier(line, "95")
    assert.are.same({ "HQ", "95" }, line.modifiers)
  end)

  it("keeps a fifth modifier for the check to refuse, never drops it", function()
    local line = { modifiers = { "HQ", "HO", "95", "GT" } }
    add_modifier(line, "93")
    assert.are.same({ "HQ", "HO", "95", "GT", "93" }, line.modifiers)
    local claim = assert(bhclaim.decode(read("spec/fixtures/base_claim.json")))
    claim.lines[1].modifiers = setmetatable(line.modifiers, bhclaim.array_mt)
    local report = bhclaim.check(claim, { today = TODAY })
    local refused = false
    for _, f in ipairs(report.findings) do
      if f.rule == "claim.schema" and f.path == "lines[1].modifiers" then refused = true end
    end
    assert.is_true(refused)
  end)
end)
