-- Specs for the NCCI rules of bhclaim.check (ncci.ptp, ncci.mue) and for
-- the CMS file loaders of bhclaim.ncci (csrc/ncci.c): compiled-in edits,
-- payer-profile pairs and MUE values, and edits loaded from small files
-- written in CMS's practitioner layouts into os.tmpname() paths. Loaded
-- files always go into a fresh table (bhclaim.ncci.new) passed as
-- opts.ncci, never into the module's own. opts.today is "2026-11-26".

local bhclaim = require("bhclaim")
local support = require("spec.support")
local check_with = support.check_with
local set_service_date = support.set_service_date
local new_line = support.new_line
local findings_for = support.findings_for
local dump = support.dump
local assert_finding = support.assert_finding
local assert_no_finding = support.assert_no_finding
local contains = support.contains

local PTP_HEADER = "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\t"
  .. "Deletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\t"
  .. "PTP Edit Rationale"
local MUE_HEADER = "HCPCS/CPT Code,Practitioner Services MUE Values,"
  .. "MUE Adjudication Indicator,MUE Rationale"

-- Paths made by the specs, removed after each test.
local made = {}

local function write_temp(text, suffix)
  local base = os.tmpname()
  local path = base .. (suffix or "")
  if suffix then
    made[#made + 1] = base   -- os.tmpname may have created the base file
  end
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  made[#made + 1] = path
  return path
end

local function remove_temps()
  for i = #made, 1, -1 do
    os.remove(made[i])
    made[i] = nil
  end
end

-- A practitioner PTP text file: notice lines, the header, then rows.
local function ptp_file(rows)
  local lines = {
    "CPT codes, descriptions and other data only are copyright 2025 American Medical "
      .. "Association. All Rights Reserved.",
    "Practitioner PTP Edits v321r0 Effective January 1, 2026",
    "",
    PTP_HEADER,
  }
  for _, r in ipairs(rows) do
    lines[#lines + 1] = r
  end
  return write_temp(table.concat(lines, "\r\n") .. "\r\n")
end

-- A practitioner MUE CSV named like CMS's, effective 2026-01-01 unless
-- `eff` ("MM-DD-YYYY") says otherwise.
local function mue_file(rows, eff)
  local lines = {
    "CPT codes and descriptions only are copyright 2025 American Medical Association.",
    "Medically Unlikely Edits, Practitioner Services",
    MUE_HEADER,
  }
  for _, r in ipairs(rows) do
    lines[#lines + 1] = r
  end
  return write_temp(table.concat(lines, "\n") .. "\n",
    "_MCR_MUE_PractitionerServices_Eff_" .. (eff or "01-01-2026") .. ".csv")
end

local STANDARD_PTP = {
  "90853\t90785\t\t20250101\t*\t0\tMisuse of column two code with column one code",
  "90853\t90832\t\t20141001\t*\t0\tMutually exclusive procedures",
  "90791\t90853\t\t20200101\t20260301\t1\tStandards of medical / surgical services",
}
local STANDARD_MUE = {
  '90853,3,"3 Date of Service Edit: Clinical",Clinical: Data',
  '90832,2,"2 Date of Service Edit: Policy",Nature of Service',
}

-- A fresh table with the standard files loaded, and the counts returned.
local function loaded_table()
  local t = bhclaim.ncci.new()
  local counts, err = bhclaim.ncci.load { ptp = ptp_file(STANDARD_PTP),
    mue = mue_file(STANDARD_MUE), into = t }
  assert.is_table(counts, tostring(err))
  return t, counts
end

describe("ncci.ptp (compiled-in edits and profile pairs)", function()
  it("is an error at the 90832 line's code for 90853 + 90832 on one date", function()
    local report = check_with(function(c) c.lines[2] = new_line("90832") end)
    local f = assert_finding(report, "ncci.ptp", "error", "lines[2].code")
    assert.is_truthy(contains(f.message, "90832"), f.message)
    assert.is_truthy(contains(f.source, "NCCI PTP"), f.source)
  end)

  it("names the column-2 line when it comes first", function()
    local report = check_with(function(c)
      c.lines[2] = c.lines[1]
      c.lines[1] = new_line("90832")
    end)
    assert_finding(report, "ncci.ptp", "error", "lines[1].code")
    assert_no_finding(report, "ncci.ptp", "lines[2].code")
  end)

  for _, m in ipairs({ "XE", "59", "XP", "XS", "XU" }) do
    it("passes 90853 + 90832 with " .. m .. " on the 90832 line (indicator 1)", function()
      local report = check_with(function(c) c.lines[2] = new_line("90832", nil, { m }) end)
      assert_no_finding(report, "ncci.ptp")
    end)
  end

  it("still fires when the bypass modifier is on the 90853 line, not the 90832", function()
    local report = check_with(function(c)
      c.lines[1].modifiers = setmetatable({ "XE" }, bhclaim.array_mt)
      c.lines[2] = new_line("90832")
    end)
    assert_finding(report, "ncci.ptp", "error", "lines[2].code")
  end)

  it("does not fire on different dates", function()
    local report = check_with(function(c) c.lines[2] = new_line("90832", "2026-03-01") end)
    assert_no_finding(report, "ncci.ptp")
  end)

  it("fires for 90834 and 90837 with 90853 as well, under every profile", function()
    for _, kind in ipairs({ "medicare", "medicaid", "commercial" }) do
      for _, code in ipairs({ "90834", "90837" }) do
        local report = check_with(function(c)
          c.payer.kind = kind
          c.lines[2] = new_line(code)
        end)
        assert_finding(report, "ncci.ptp", "error", "lines[2].code")
      end
    end
  end)

  it("is an error for the Medicare profile pair 99213 + 90834", function()
    local report = check_with(function(c)
      c.session.kind = "individual"
      c.lines[1].code = "99213"
      c.lines[2] = new_line("90834")
    end)
    local f = assert_finding(report, "ncci.ptp", "error", "lines[2].code")
    assert.is_truthy(contains(f.source, "payer profile medicare"), f.source)
  end)

  it("keeps the Medicare pair 99213 + 90834 with 59 (indicator 0)", function()
    local report = check_with(function(c)
      c.session.kind = "individual"
      c.lines[1].code = "99213"
      c.lines[2] = new_line("90834", nil, { "59" })
    end)
    assert_finding(report, "ncci.ptp", "error", "lines[2].code")
  end)

  it("accepts 99213 + 90833 under Medicare", function()
    local report = check_with(function(c)
      c.session.kind = "individual"
      c.lines[1].code = "99213"
      c.lines[2] = new_line("90833")
    end)
    assert_no_finding(report, "ncci.ptp")
  end)

  it("does not apply the Medicare pair 99213 + 90834 to a commercial claim", function()
    local report = check_with(function(c)
      c.payer.kind = "commercial"
      c.session.kind = "individual"
      c.lines[1].code = "99213"
      c.lines[2] = new_line("90834")
    end)
    assert_no_finding(report, "ncci.ptp")
  end)

  it("warns for an unconfirmed profile pair", function()
    local p = bhclaim.payer {
      extends = "commercial", name = "c",
      ptp = { { column1 = "90853", column2 = "90846", modifier_indicator = 0,
        source = "test", unconfirmed = true } },
    }
    local report = check_with(function(c)
      c.payer.kind = "commercial"
      c.lines[2] = new_line("90846")
    end, { payer = p })
    assert_finding(report, "ncci.ptp", "warning", "lines[2].code")
  end)
end)

describe("ncci.mue (profile values)", function()
  it("warns at lines[1].units for 2 units of 90853 (Medicare, unconfirmed 1)", function()
    local report = check_with(function(c) c.lines[1].units = 2 end)
    local f = assert_finding(report, "ncci.mue", "warning", "lines[1].units")
    assert.is_truthy(contains(f.source, "unconfirmed"), f.source)
    assert.is_true(report.ok, dump(report))
  end)

  it("accepts 1 unit of 90853", function()
    local report = check_with(function() end)
    assert_no_finding(report, "ncci.mue")
  end)

  it("sums two 90853 lines of 1 unit on one date (MAI 3) and warns once", function()
    local report = check_with(function(c) c.lines[2] = new_line("90853") end)
    assert_finding(report, "ncci.mue", "warning", "lines[2].units")
    assert.are.equal(1, #findings_for(report, "ncci.mue"), dump(report))
  end)

  it("does not sum 90853 lines on different dates", function()
    local report = check_with(function(c) c.lines[2] = new_line("90853", "2026-03-01") end)
    assert_no_finding(report, "ncci.mue")
  end)

  it("warns for 2 units under the Medicaid template", function()
    local report = check_with(function(c)
      c.payer.kind = "medicaid"
      c.lines[1].modifiers = setmetatable({ "HQ", "HO" }, bhclaim.array_mt)
      c.lines[1].units = 2
    end)
    assert_finding(report, "ncci.mue", "warning", "lines[1].units")
  end)

  it("has no MUE value under the commercial default", function()
    local report = check_with(function(c)
      c.payer.kind = "commercial"
      c.lines[1].units = 2
    end)
    assert_no_finding(report, "ncci.mue")
  end)

  it("is an error when a profile confirms its MUE value", function()
    local p = bhclaim.payer {
      extends = "medicare", name = "m",
      mue = { { code = "90853", value = 1, mai = 3, source = "test" } },
    }
    local report = check_with(function(c) c.lines[1].units = 2 end, { payer = p })
    assert_finding(report, "ncci.mue", "error", "lines[1].units")
  end)
end)

describe("bhclaim.ncci tables and CMS files", function()
  after_each(remove_temps)

  it("starts with the four compiled-in PTP edits and no MUE values", function()
    local t = bhclaim.ncci.new()
    local n_ptp, n_mue = t:counts()
    assert.are.equal(4, n_ptp)
    assert.are.equal(0, n_mue)
    local e = t:ptp("90853", "90832", "2026-03-02")
    assert.is_table(e)
    assert.are.equal(1, e.modifier_indicator)
    assert.are.equal("2014-10-01", e.from)
    assert.is_nil(t:ptp("90853", "90832", "2014-09-30"))
    assert.is_nil(t:mue("90853", "2026-03-02"))
    assert.is_string(tostring(t))
  end)

  it("loads the files and returns the counts of rows read", function()
    local t, counts = loaded_table()
    assert.are.equal(3, counts.ptp)
    assert.are.equal(2, counts.mue)
    local n_ptp, n_mue = t:counts()
    assert.are.equal(7, n_ptp)
    assert.are.equal(2, n_mue)
  end)

  it("looks loaded edits up with t:ptp and t:mue, either code order", function()
    local t = loaded_table()
    local e = t:ptp("90853", "90785", "2026-03-02")
    assert.is_table(e)
    assert.are.equal("90853", e.column1)
    assert.are.equal("90785", e.column2)
    assert.are.equal(0, e.modifier_indicator)
    assert.are.equal("2025-01-01", e.from)
    assert.is_truthy(contains(e.source, "PTP"), e.source)
    assert.is_table(t:ptp("90785", "90853", "2026-03-02"))
    assert.is_nil(t:ptp("90853", "90785", "2024-12-31"))
    local m = t:mue("90853", "2026-03-02")
    assert.is_table(m)
    assert.are.equal(3, m.value)
    assert.are.equal(3, m.mai)
    assert.are.equal("2026-01-01", m.from)
    assert.are.equal(2, t:mue("90832", "2026-03-02").mai)
  end)

  it("fires a loaded indicator-0 pair even with 59 on the column-2 line", function()
    local t = loaded_table()
    local report = check_with(function(c) c.lines[2] = new_line("90785", nil, { "59" }) end,
      { ncci = t })
    local f = assert_finding(report, "ncci.ptp", "error", "lines[2].code")
    assert.is_truthy(contains(f.message, "never"), f.message)
  end)

  it("passes the same claim with the compiled-in table (no 90853/90785 edit)", function()
    local report = check_with(function(c) c.lines[2] = new_line("90785", nil, { "59" }) end,
      { ncci = bhclaim.ncci.new() })
    assert_no_finding(report, "ncci.ptp")
  end)

  it("replaces the compiled-in indicator-1 row for 90853/90832 with the loaded one", function()
    local t = loaded_table()
    assert.are.equal(0, t:ptp("90853", "90832", "2026-03-02").modifier_indicator)
    local report = check_with(function(c) c.lines[2] = new_line("90832", nil, { "XE" }) end,
      { ncci = t })
    assert_finding(report, "ncci.ptp", "error", "lines[2].code")
    report = check_with(function(c) c.lines[2] = new_line("90832", nil, { "XE" }) end,
      { ncci = bhclaim.ncci.new() })
    assert_no_finding(report, "ncci.ptp")
  end)

  it("ends an edit on its deletion date", function()
    local t = loaded_table()
    local e = t:ptp("90791", "90853", "2026-02-28")
    assert.is_table(e)
    assert.are.equal("2026-02-28", e.to)
    assert.is_nil(t:ptp("90791", "90853", "2026-03-01"))
    local function claim_on(date)
      return function(c)
        c.session.kind = "individual"
        c.lines[1].code = "90791"
        c.lines[2] = new_line("90853")
        set_service_date(c, date)
      end
    end
    local report = check_with(claim_on("2026-02-27"), { ncci = t })
    assert_finding(report, "ncci.ptp", "error", "lines[2].code")
    report = check_with(claim_on("2026-03-01"), { ncci = t })
    assert_no_finding(report, "ncci.ptp")
    report = check_with(claim_on("2026-03-02"), { ncci = t })
    assert_no_finding(report, "ncci.ptp")
  end)

  it("lets a loaded MUE of 3 pass 2 units and make 4 an error", function()
    local t = loaded_table()
    local report = check_with(function(c) c.lines[1].units = 2 end, { ncci = t })
    assert_no_finding(report, "ncci.mue")
    report = check_with(function(c) c.lines[1].units = 3 end, { ncci = t })
    assert_no_finding(report, "ncci.mue")
    report = check_with(function(c) c.lines[1].units = 4 end, { ncci = t })
    local f = assert_finding(report, "ncci.mue", "error", "lines[1].units")
    assert.is_truthy(contains(f.source, "MAI 3"), f.source)
    assert.is_falsy(contains(f.source, "unconfirmed"), f.source)
  end)

  it("sums lines for a loaded MAI 3 value", function()
    local t = loaded_table()
    local report = check_with(function(c)
      c.lines[1].units = 2
      c.lines[2] = new_line("90853")
      c.lines[2].units = 2
    end, { ncci = t })
    assert_finding(report, "ncci.mue", "error", "lines[2].units")
  end)

  it("applies a loaded MUE from its Eff date only; before it the profile value", function()
    local t = loaded_table()
    assert.is_nil(t:mue("90853", "2025-12-31"))
    local report = check_with(function(c)
      c.lines[1].units = 2
      set_service_date(c, "2025-12-15")
    end, { ncci = t })
    local f = assert_finding(report, "ncci.mue", "warning", "lines[1].units")
    assert.is_truthy(contains(f.source, "payer profile medicare"), f.source)
    report = check_with(function(c)
      c.lines[1].units = 2
      set_service_date(c, "2026-01-01")
    end, { ncci = t })
    assert_no_finding(report, "ncci.mue")
  end)

  it("takes mue_from when the file name has no Eff date", function()
    local t = bhclaim.ncci.new()
    local path = write_temp(MUE_HEADER .. "\n" .. STANDARD_MUE[1] .. "\n", ".csv")
    local counts, err = bhclaim.ncci.load { mue = path, mue_from = "2026-04-01", into = t }
    assert.is_table(counts, tostring(err))
    assert.are.equal(1, counts.mue)
    assert.is_nil(t:mue("90853", "2026-03-31"))
    assert.are.equal(3, t:mue("90853", "2026-04-01").value)
  end)

  it("refuses an MUE file with neither an Eff date in its name nor mue_from", function()
    local path = write_temp(MUE_HEADER .. "\n" .. STANDARD_MUE[1] .. "\n", ".csv")
    local counts, err = bhclaim.ncci.load { mue = path, into = bhclaim.ncci.new() }
    assert.is_nil(counts)
    assert.is_truthy(contains(err, "mue_from"), err)
  end)

  it("returns nil and 'line N' for a PTP row with a bad date, loading nothing", function()
    local t = bhclaim.ncci.new()
    local path = ptp_file({
      "90853\t90785\t\t20250101\t*\t0\tMisuse of column two code with column one code",
      "90853\t90832\t\t2014101\t*\t0\tMutually exclusive procedures",
    })
    local counts, err = bhclaim.ncci.load { ptp = path, into = t }
    assert.is_nil(counts)
    assert.is_truthy(contains(err, "line 6"), err)
    assert.is_truthy(contains(err, path), err)
    assert.are.equal(4, (t:counts()))
    assert.is_nil(t:ptp("90853", "90785", "2026-03-02"))
  end)

  it("returns nil and 'line N' for a PTP row with modifier indicator 7", function()
    local path = ptp_file({
      "90853\t90785\t\t20250101\t*\t7\tMisuse of column two code with column one code",
    })
    local counts, err = bhclaim.ncci.load { ptp = path, into = bhclaim.ncci.new() }
    assert.is_nil(counts)
    assert.is_truthy(contains(err, "line 5"), err)
    assert.is_truthy(contains(err, "modifier indicator"), err)
  end)

  it("returns nil and 'line N' for an MUE row that is not a number", function()
    local t = bhclaim.ncci.new()
    local path = mue_file({ STANDARD_MUE[2], '90853,three,"3 Date of Service Edit",Data' })
    local counts, err = bhclaim.ncci.load { mue = path, into = t }
    assert.is_nil(counts)
    assert.is_truthy(contains(err, "line 5"), err)
    local _, n_mue = t:counts()
    assert.are.equal(0, n_mue)
  end)

  it("returns nil and a message for a file that cannot be read", function()
    local counts, err = bhclaim.ncci.load { ptp = "/nonexistent/bhclaim-ptp.txt",
      into = bhclaim.ncci.new() }
    assert.is_nil(counts)
    assert.is_string(err)
  end)

  it("raises on a non-table argument", function()
    assert.has_error(function() bhclaim.ncci.load("ptp.txt") end)
  end)
end)
