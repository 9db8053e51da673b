-- Specs for the command line's argument parsing (argparse, lua/bhclaim/cli.lua)
-- and the CMS NCCI file options (--ncci-ptp, --ncci-mue, --ncci-mue-from),
-- run in this process through bhclaim.cli.main (support.run_cli).

local bhclaim = require("bhclaim")
local support = require("spec.support")
local run_cli, lines = support.run_cli, support.lines
local TODAY = support.TODAY

local temps = {}

local function write_temp(text, suffix)
  local base = os.tmpname()
  temps[#temps + 1] = base
  local path = base .. (suffix or "")
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  temps[#temps + 1] = path
  return path
end

teardown(function()
  for _, p in ipairs(temps) do os.remove(p) end
end)

-- The base claim (90853 on 2026-03-02, one unit) with a second line:
-- 90785 with modifier 59 on the same date, which no compiled-in NCCI edit
-- bundles.
local function pair_claim_file(units)
  local claim = support.base_claim()
  claim.lines[1].units = units or 1
  claim.lines[2] = support.new_line("90785", nil, { "59" })
  return write_temp(bhclaim.encode(claim), ".json")
end

-- CMS's practitioner PTP layout: notices, the header, tab-separated rows.
local function ptp_file(rows)
  local out = { "CPT codes, descriptions and other data only are copyright 2025 American "
      .. "Medical Association. All Rights Reserved.",
    "Practitioner PTP Edits v321r0 Effective January 1, 2026", "",
    "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\t"
      .. "Deletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\t"
      .. "PTP Edit Rationale" }
  for _, r in ipairs(rows) do out[#out + 1] = r end
  return write_temp(table.concat(out, "\r\n") .. "\r\n", ".TXT")
end

-- CMS's practitioner MUE CSV; `suffix` is the file name's end.
local function mue_file(rows, suffix)
  local out = { "CPT codes and descriptions only are copyright 2025 American Medical Association.",
    "Medically Unlikely Edits, Practitioner Services",
    "HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale" }
  for _, r in ipairs(rows) do out[#out + 1] = r end
  return write_temp(table.concat(out, "\n") .. "\n", suffix)
end

local PAIR_NEVER = "90853\t90785\t\t20250101\t*\t0\tMisuse of column two code with column one code"
local MUE_ONE = '90853,1,"3 Date of Service Edit: Clinical",Clinical: Data'

-- The rules of the findings of the one JSON report line of a check.
local function rules_of(out)
  local found = {}
  for _, line in ipairs(lines(out)) do
    for _, f in ipairs(assert(bhclaim.decode(line)).findings) do found[f.rule] = f.severity end
  end
  return found
end

describe("bhclaim command line: arguments (argparse)", function()
  local claim = "examples/claims/clean_medicare.json"

  it("takes options before the command, after the files, and as --opt=value", function()
    local a, _, s1 = run_cli({ "--today", TODAY, "--format", "json", "check", claim })
    local b, _, s2 = run_cli({ "check", claim, "--format=json", "--today=" .. TODAY })
    assert.equal(0, s1)
    assert.equal(0, s2)
    assert.equal(a, b)
    assert.truthy(a:find('^{"claim_id":'))
  end)

  it("keeps the last value of a repeated option and every value of a list option", function()
    local out, _, status = run_cli({ "check", "--format", "text", "--format", "json",
      "--today", TODAY, claim })
    assert.equal(0, status)
    assert.truthy(out:find('^{"claim_id":'))
    out, _, status = run_cli({ "codes", "--format", "json", "--icd10", "F33.1",
      "--icd10=F41.1", "--cpt", "90853" })
    assert.equal(0, status)
    assert.equal(3, #lines(out))
  end)

  it("takes the word after an option that wants a value as that value, '-' or not", function()
    local _, err, status = run_cli({ "audit", "--top", "-1", claim })
    assert.equal(2, status)
    assert.truthy(err:find("--top wants a whole number of at least 0, not '-1'", 1, true), err)
    _, err, status = run_cli({ "check", "--today", TODAY, "--rules", "-no-such-rules.lua", claim })
    assert.equal(2, status)
    assert.truthy(err:find("--rules: ", 1, true), err)
    assert.truthy(err:find("-no-such-rules.lua", 1, true), err)
  end)

  it("reads a word after -- as a file, even one that starts with '-'", function()
    local _, err, status = run_cli({ "check", "--today", TODAY, "--", "-no-such-file.json" })
    assert.equal(2, status)
    assert.truthy(err:find("cannot read -no-such-file.json", 1, true), err)
    assert.falsy(err:find("unknown option", 1, true), err)
  end)

  -- Each is a usage error: exit 2, nothing on stdout, one line naming the
  -- problem and one pointing at --help.
  local usage_cases = {
    { { "check", "--formt", "json", claim },
      "unknown option '--formt' (did you mean '--format'?)" },
    { { "check", "--bogus", claim }, "unknown option '--bogus'" },
    { { "check", claim, "--format" }, "option '--format' requires an argument" },
    { { "check", "--lenient=yes", claim }, "option '--lenient' does not take arguments" },
    { { "codes", "--to", "837p", "F33.1" }, "option --to does not apply to 'codes'" },
    { { "derive", "--ncci-ptp", "x.TXT" }, "option --ncci-ptp does not apply to 'derive'" },
    { { "frobnicate" }, "unknown command 'frobnicate'" },
    { { "-x" }, "unknown option '-x' (did you mean '-h'?)" },
  }
  for _, case in ipairs(usage_cases) do
    it("refuses " .. table.concat(case[1], " ") .. " as a usage error", function()
      local out, err, status = run_cli(case[1])
      assert.equal(2, status)
      assert.equal("", out)
      local l = lines(err)
      assert.equal(2, #l, err)
      assert.equal("bhclaim: " .. case[2], l[1])
      assert.truthy(l[2]:find("^Try 'bhclaim "), err)
    end)
  end

  it("gives -h, --help and help COMMAND the same text", function()
    local a = run_cli({ "check", "-h" })
    local b = run_cli({ "--help", "check" })
    local c = run_cli({ "help", "check" })
    assert.truthy(a:find("usage: bhclaim check", 1, true))
    assert.equal(a, b)
    assert.equal(a, c)
    for _, option in ipairs({ "--ncci-ptp", "--ncci-mue", "--ncci-mue-from" }) do
      assert.truthy(a:find(option, 1, true), option)
      assert.truthy(run_cli({ "help", "audit" }):find(option, 1, true), option)
    end
    assert.truthy(run_cli({ "help", "export" }):find("--ncci-ptp", 1, true))
  end)
end)

describe("bhclaim command line: --ncci-ptp, --ncci-mue", function()
  it("checks with a loaded PTP edit that the compiled-in table lacks", function()
    local file = pair_claim_file()
    local out, _, status = run_cli({ "check", "--format", "json", "--today", TODAY, file })
    assert.is_nil(rules_of(out)["ncci.ptp"], out)
    assert.equal(0, status, out)
    out, _, status = run_cli({ "check", "--format", "json", "--today", TODAY,
      "--ncci-ptp", ptp_file({ PAIR_NEVER }), file })
    assert.equal("error", rules_of(out)["ncci.ptp"], out)
    assert.equal(1, status)
    -- The run's table is its own: the module's table never saw the file.
    assert.is_nil(bhclaim.ncci.table():ptp("90853", "90785", "2026-03-02"))
  end)

  it("checks with a loaded MUE, dated by the file name or --ncci-mue-from", function()
    local file = pair_claim_file(2)
    local named = mue_file({ MUE_ONE }, "_MCR_MUE_PractitionerServices_Eff_01-01-2026.csv")
    local out, _, status = run_cli({ "check", "--format", "json", "--today", TODAY,
      "--ncci-mue", named, file })
    assert.equal("error", rules_of(out)["ncci.mue"], out)
    assert.equal(1, status)
    local plain = mue_file({ MUE_ONE }, ".csv")
    out = run_cli({ "check", "--format", "json", "--today", TODAY, "--ncci-mue", plain,
      "--ncci-mue-from", "2026-01-01", file })
    assert.equal("error", rules_of(out)["ncci.mue"], out)
    -- From a date after the service: the loaded MUE does not apply to it
    -- yet, and the profile's unconfirmed value (a warning) does.
    out = run_cli({ "check", "--format", "json", "--today", TODAY, "--ncci-mue", plain,
      "--ncci-mue-from", "2026-04-01", file })
    assert.equal("warning", rules_of(out)["ncci.mue"], out)
  end)

  it("applies the files in audit and in export --to 837p's check", function()
    local file = pair_claim_file()
    local ptp = ptp_file({ PAIR_NEVER })
    local out, _, status = run_cli({ "audit", "--format", "json", "--today", TODAY,
      "--ncci-ptp", ptp, file })
    assert.equal(1, status)
    assert.truthy(out:find('"ncci.ptp"', 1, true), out)
    local err
    out, err, status = run_cli({ "export", "--to", "837p", "--envelope",
      "examples/envelope.lua", "--today", TODAY, "--ncci-ptp", ptp, file })
    assert.equal(1, status, err)
    assert.truthy(err:find("refused by check: ncci.ptp", 1, true), err)
    assert.falsy(out:find("CLM*", 1, true), out)
  end)

  local refusals = {
    { { "--ncci-ptp", "/nonexistent/ptp.TXT" }, "--ncci-ptp: " },
    { { "--ncci-mue", "/nonexistent/mue_Eff_01-01-2026.csv" }, "--ncci-mue: " },
    { { "--ncci-mue-from", "2026-01-01" }, "--ncci-mue-from wants --ncci-mue" },
    { { "--ncci-mue", "MUE.csv", "--ncci-mue-from", "2026-02-30" },
      "--ncci-mue-from wants a real" },
  }
  for _, case in ipairs(refusals) do
    it("is a usage error: " .. table.concat(case[1], " "), function()
      local argv = { "check", "--today", TODAY }
      for _, w in ipairs(case[1]) do argv[#argv + 1] = w end
      argv[#argv + 1] = "examples/claims/clean_medicare.json"
      local out, err, status = run_cli(argv)
      assert.equal(2, status)
      assert.equal("", out)
      assert.truthy(err:find("bhclaim: " .. case[2], 1, true), err)
    end)
  end

  it("names the file and line of a malformed MUE file", function()
    local bad = mue_file({ "90853,many,3,x" }, "_Eff_01-01-2026.csv")
    local _, err, status = run_cli({ "check", "--today", TODAY, "--ncci-mue", bad,
      "examples/claims/clean_medicare.json" })
    assert.equal(2, status)
    assert.truthy(err:find("--ncci-mue: " .. bad .. ": ", 1, true), err)
  end)
end)
