-- Specs for bhclaim.reports: text, JSON and CSV of a checked claim, and the
-- batch summary (counts, count by rule, charges at risk exact in cents).

local bhclaim = require("bhclaim")
local reports = require("bhclaim.reports")
local read_file = require("spec.support").read_file

local OPTS = { today = "2026-11-26" }

local function claim_from(path)
  return assert(bhclaim.decode(read_file(path)))
end

local function finding(rule, severity, path, message, hint)
  return { rule = rule, severity = severity, path = path, message = message,
    hint = hint or "", source = "spec" }
end

-- An entry without running the checks: the formats only read these fields.
local function fake_entry(claim, findings)
  local counts = { error = 0, warning = 0, info = 0 }
  for _, f in ipairs(findings) do counts[f.severity] = counts[f.severity] + 1 end
  return reports.entry(claim, { ok = counts.error == 0, claim_id = claim.id,
    findings = findings, counts = counts })
end

local function two_line_claim()
  return {
    id = "C-1",
    subscriber = { name = { last = "Roe", first = "Sam" } },
    patient = bhclaim.null,
    lines = {
      { code = "90853", date = "2026-03-02", charge = "33.33" },
      { code = "90785", date = "2026-03-03", charge = 0.1 },
    },
  }
end

describe("reports: claim facts", function()
  it("names the subscriber when the patient is null, else the patient", function()
    local c = two_line_claim()
    assert.equal("Roe, Sam", reports.patient(c))
    c.patient = { name = { last = "Roe", first = "Kim" } }
    assert.equal("Roe, Kim", reports.patient(c))
    assert.equal("", reports.patient({}))
  end)

  it("takes the date of the first line", function()
    assert.equal("2026-03-02", reports.first_date(two_line_claim()))
    assert.equal("", reports.first_date({ lines = {} }))
  end)

  it("shows in CSV the code of the line a path points at, else the first line's", function()
    -- the code column of one finding's row (the patient left out: no quotes)
    local function code_at(claim, path)
      local e = reports.entry(claim, { claim_id = "X", ok = true,
        counts = { error = 0, warning = 0, info = 1 },
        findings = { { rule = "practice.x", severity = "info", path = path, message = "m" } } })
      e.patient = ""
      return (reports.csv(e, { name = "in", line = 1 }):match("^X,,[^,]*,([^,]*),"))
    end
    local c = two_line_claim()
    assert.equal("90785", code_at(c, "lines[2].modifiers[1]"))
    assert.equal("90853", code_at(c, "lines[1]"))
    assert.equal("90853", code_at(c, "billing_provider.npi"))
    assert.equal("90853", code_at(c, "lines[9].units"))
    assert.equal("", code_at({}, "diagnoses[1]"))
  end)
end)

describe("reports: money", function()
  it("reads charges as integer cents", function()
    assert.equal(4500, reports.cents("45.00"))
    assert.equal(4500, reports.cents("45"))
    assert.equal(4550, reports.cents("45.5"))
    assert.equal(10, reports.cents(".10"))
    assert.equal(10, reports.cents(0.1))
    assert.equal(-1205, reports.cents("-12.05"))
    assert.is_nil(reports.cents("12.345"))
    assert.is_nil(reports.cents("abc"))
    assert.is_nil(reports.cents(bhclaim.null))
  end)

  it("prints cents with two decimals", function()
    assert.equal("0.00", reports.money(0))
    assert.equal("0.07", reports.money(7))
    assert.equal("1234.50", reports.money(123450))
    assert.equal("-12.05", reports.money(-1205))
    assert.equal("90071992547409.91", reports.money(9007199254740991))
  end)

  it("sums charges at risk exactly (no binary-fraction drift)", function()
    local s = reports.summary()
    for i = 1, 1000 do
      local c = { id = "C" .. i, lines = { { code = "90853", charge = "0.10" },
        { code = "90785", charge = 0.2 } } }
      reports.summary_add(s, fake_entry(c, { finding("npi.checksum", "error", "") }))
    end
    assert.equal(30000, s.cents_at_risk)
    assert.equal("300.00", reports.money(s.cents_at_risk))
    local clean = { id = "OK", lines = { { code = "90853", charge = "99.99" } } }
    reports.summary_add(s, fake_entry(clean, {}))
    assert.equal("300.00", reports.money(s.cents_at_risk))
  end)
end)

describe("reports: text", function()
  it("prints a clean claim on one line", function()
    local e = fake_entry(two_line_claim(), {})
    assert.equal("C-1  Roe, Sam  2026-03-02: clean", reports.text(e))
  end)

  it("prints each finding with its path, message and fix", function()
    local e = fake_entry(two_line_claim(), {
      finding("code.pos.unknown", "error", "place_of_service", "Not a POS code.", "Use 11."),
      finding("doc.plan", "warning", "", "No plan.") })
    local text = reports.text(e)
    assert.truthy(text:find("^C%-1  Roe, Sam  2026%-03%-02: 1 error, 1 warning, 0 notes\n"))
    assert.truthy(text:find("error   code.pos.unknown       place_of_service", 1, true))
    assert.truthy(text:find("          fix: Use 11.", 1, true))
    assert.truthy(text:find("(claim)", 1, true))
  end)

  it("prints a checked example claim", function()
    local claim = claim_from("examples/claims/bad_npi.json")
    local e = reports.entry(claim, assert(bhclaim.check(claim, OPTS)))
    assert.truthy(reports.text(e):find("npi.checksum", 1, true))
  end)
end)

describe("reports: JSON", function()
  it("writes the stable keys in order on one line", function()
    local e = fake_entry(two_line_claim(), {
      finding("line.charge", "error", "lines[2].charge", 'Say "more"\n.', "Fix it") })
    local json = reports.json(e)
    assert.falsy(json:find("\n", 1, true))
    assert.truthy(json:find('^{"claim_id":"C%-1","patient":"Roe, Sam","date":"2026%-03%-02",'
      .. '"ok":false,"counts":{"error":1,"warning":0,"info":0},"findings":%[{"rule":'
      .. '"line.charge","severity":"error","path":"lines%[2%]%.charge","message":'))
    local back = assert(bhclaim.decode(json))
    assert.equal('Say "more"\n.', back.findings[1].message)
    assert.equal("spec", back.findings[1].source)
    assert.equal("Fix it", back.findings[1].hint)
  end)

  it("writes null for a claim without id and [] for no findings", function()
    local e = reports.entry({}, { ok = true, findings = {},
      counts = { error = 0, warning = 0, info = 0 } })
    assert.equal('{"claim_id":null,"patient":"","date":"","ok":true,'
      .. '"counts":{"error":0,"warning":0,"info":0},"findings":[]}', reports.json(e))
  end)

  it("escapes control characters", function()
    assert.equal('"a\\tb\\u0001\\\\"', reports.json_string("a\tb\1\\"))
  end)
end)

describe("reports: CSV", function()
  it("quotes fields with commas, quotes and line breaks (RFC 4180)", function()
    assert.equal("plain", reports.csv_field("plain"))
    assert.equal('"Roe, Sam"', reports.csv_field("Roe, Sam"))
    assert.equal('"say ""hi"""', reports.csv_field('say "hi"'))
    assert.equal('"two\nlines"', reports.csv_field("two\nlines"))
    assert.equal("", reports.csv_field(nil))
    assert.equal("a,,3\r\n", reports.csv_row({ "a", nil, 3 }, 3))
  end)

  it("writes the header and one row per finding with the line's code and source", function()
    assert.equal("claim_id,patient,date,code,rule,severity,path,message,hint,"
      .. "denial_group,denial_carc,denial_rarc,source,line\r\n", reports.csv_header())
    local npi = finding("npi.checksum", "error", "billing_provider.npi", "Bad NPI", "")
    npi.denial = { group = "CO", carc = "16", rarc = "N257" }
    local e = fake_entry(two_line_claim(), {
      finding("line.charge", "error", "lines[2].charge", 'Charge "0.10", too low', "Raise"),
      npi })
    assert.equal('C-1,"Roe, Sam",2026-03-02,90785,line.charge,error,lines[2].charge,'
      .. '"Charge ""0.10"", too low",Raise,,,,in.ndjson,7\r\n'
      .. 'C-1,"Roe, Sam",2026-03-02,90853,npi.checksum,error,billing_provider.npi,'
      .. "Bad NPI,,CO,16,N257,in.ndjson,7\r\n",
      reports.csv(e, { name = "in.ndjson", line = 7 }))
    assert.equal('C-1,"Roe, Sam",2026-03-02,90853,,,,,,,,,"a,b.837",3\r\n',
      reports.csv(fake_entry(two_line_claim(), {}), { name = "a,b.837", line = 1,
        x12_claim = 3 }))
    assert.equal('C-1,"Roe, Sam",2026-03-02,90853,,,,,,,,,,\r\n',
      reports.csv(fake_entry(two_line_claim(), {})))
  end)
end)

describe("reports: summary", function()
  local function batch()
    local s = reports.summary()
    local c = two_line_claim()
    reports.summary_add(s, fake_entry(c, { finding("npi.checksum", "error", "", "Bad NPI") }))
    reports.summary_add(s, fake_entry(c, { finding("doc.plan", "warning", "", "No plan"),
      finding("doc.plan", "warning", "", "No plan") }))
    reports.summary_add(s, fake_entry(c, { finding("check.skipped", "info", "", "Skipped") }))
    reports.summary_add(s, fake_entry(c, {}))
    return s
  end

  it("counts clean, with errors, with warnings, and by rule", function()
    local s = batch()
    assert.equal(4, s.claims)
    assert.equal(2, s.clean)
    assert.equal(1, s.with_errors)
    assert.equal(1, s.with_warnings)
    assert.equal(2, s.rules["doc.plan"].count)
    assert.equal(1, s.rules["doc.plan"].claims)
    assert.equal(3343, s.cents_at_risk)
    local ranked = reports.ranked(s)
    assert.equal("doc.plan", ranked[1].rule)
    assert.equal("check.skipped", ranked[2].rule)
  end)

  it("merges parts into the same summary as the whole", function()
    local whole = batch()
    local merged = reports.summary_merge(reports.summary(), batch())
    reports.summary_merge(merged, reports.summary())
    assert.same(whole, merged)
  end)

  it("prints text, JSON and CSV", function()
    local s = batch()
    s.bad_records = 2
    local text = reports.summary_text(s, 2)
    assert.truthy(text:find("claims checked  4", 1, true))
    assert.truthy(text:find("charges at risk 33.43", 1, true))
    assert.truthy(text:find("bad records     2", 1, true))
    assert.truthy(text:find("  2. check.skipped", 1, true))
    assert.falsy(text:find("  3. ", 1, true))
    local json = assert(bhclaim.decode(reports.summary_json(s)))
    assert.equal(4, json.claims)
    assert.equal("33.43", json.charges_at_risk)
    assert.equal(2, json.by_rule["doc.plan"])
    assert.equal("doc.plan", json.top_findings[1].rule)
    local csv = reports.summary_csv(s)
    assert.truthy(csv:find("doc.plan,warning,2,1,No plan,\r\n", 1, true))
    assert.truthy(csv:find("(charges at risk),,33.43,,,\r\n", 1, true))
  end)
end)
