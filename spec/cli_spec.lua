-- Specs for the bhclaim command line (scripts/bhclaim), run as a subprocess
-- under the interpreter running the specs: exit codes, each format, input
-- detection, --reject, --jobs, codes, derive, export, help.

local bhclaim = require("bhclaim")
local support = require("spec.support")
local LUA, read_file, quote = support.LUA, support.read_file, support.quote
local tmpfile, remove_temps = support.temp_files()

local TODAY = "2026-11-26"

-- Runs scripts/bhclaim with the words given (already shell words) and an
-- optional stdin file; returns stdout, stderr, exit status.
local function run(words, stdin)
  local err = tmpfile()
  local body, status = support.sh_status(LUA .. " scripts/bhclaim " .. words
    .. (stdin and (" <" .. quote(stdin)) or "") .. " 2>" .. quote(err))
  return body, read_file(err), status
end

local function lines_of(text)
  local out = {}
  for line in text:gmatch("[^\n]+") do out[#out + 1] = line end
  return out
end

-- Compact NDJSON made from the example claims: n records, ids made unique.
local EXAMPLES = { "clean_commercial", "bad_npi", "clean_medicare", "unknown_pos",
  "clean_medicaid_group", "zero_charge" }
local function ndjson(n)
  local out = {}
  for i = 1, n do
    local name = EXAMPLES[(i - 1) % #EXAMPLES + 1]
    local claim = assert(bhclaim.decode(read_file("examples/claims/" .. name .. ".json")))
    claim.id = string.format("N-%03d", i)
    -- a patient of its own: the examples repeat, and a repeat would be a
    -- claim.duplicate of the record it copies
    claim.subscriber.member_id = string.format("%s%03d", claim.subscriber.member_id, i)
    out[i] = bhclaim.encode(claim)
  end
  return out
end

local ENVELOPE = [[
return { sender_id = "RIVERBEND", receiver_id = "CLEARHOUSE",
  submitter_name = "Riverbend Counseling", submitter_id = "RB0001",
  contact_name = "Billing Office", contact_phone = "6145550100",
  receiver_name = "Clearing House", receiver_id_1000b = "CH0001",
  date = "2026-11-26", time = "0930", interchange_control = 7 }
]]

teardown(remove_temps)

describe("bhclaim CLI: usage", function()
  it("prints help for the tool and each command, exit 0", function()
    local out, _, status = run("--help")
    assert.equal(0, status)
    for _, word in ipairs({ "check", "audit", "export", "codes", "derive" }) do
      assert.truthy(out:find(word, 1, true))
    end
    for _, command in ipairs({ "check", "audit", "export", "codes", "derive" }) do
      local text, _, s = run(command .. " --help")
      assert.equal(0, s)
      assert.truthy(text:find("usage: bhclaim " .. command, 1, true))
    end
    local text = run("help export")
    assert.truthy(text:find("--envelope", 1, true))
  end)

  it("exits 2 on an unknown command, an unknown option, or no command", function()
    local _, err, status = run("frobnicate")
    assert.equal(2, status)
    assert.truthy(err:find("unknown command 'frobnicate'", 1, true))
    _, err, status = run("check --bogus x")
    assert.equal(2, status)
    assert.truthy(err:find("unknown option '--bogus'", 1, true))
    _, _, status = run("")
    assert.equal(2, status)
    _, err, status = run("codes --to 837p F33.1")
    assert.equal(2, status)
    assert.truthy(err:find("does not apply", 1, true))
    _, _, status = run("check --format xml examples/claims/bad_npi.json")
    assert.equal(2, status)
  end)
end)

describe("bhclaim CLI: check", function()
  it("exits 0 on a clean claim and 1 when a claim has an error", function()
    local out, _, status = run("check --today " .. TODAY .. " examples/claims/clean_medicare.json")
    assert.equal(0, status)
    assert.truthy(out:find(": clean\n", 1, true))
    out, _, status = run("check --today " .. TODAY .. " examples/claims/bad_npi.json "
      .. "examples/claims/clean_medicare.json")
    assert.equal(1, status)
    assert.truthy(out:find("npi.checksum", 1, true))
    assert.truthy(out:find("2 claims: 1 clean, 1 with errors", 1, true))
  end)

  it("exits 2 on a missing file or input that is not JSON nor 837P", function()
    local _, err, status = run("check /nonexistent/claims.json")
    assert.equal(2, status)
    assert.truthy(err:find("cannot read", 1, true))
    _, err, status = run("check " .. tmpfile("hello, world\n"))
    assert.equal(2, status)
    assert.truthy(err:find("not JSON, NDJSON or X12 837P", 1, true))
    _, _, status = run("check " .. tmpfile('{"id": "X",\n "lines": [\n'))
    assert.equal(2, status)
  end)

  it("checks every example claim with each format", function()
    local files = "examples/claims/*.json"
    local text, _, status = run("check --today " .. TODAY .. " " .. files)
    assert.equal(1, status)
    assert.truthy(text:find("20 claims: ", 1, true))
    local json = run("check --format json --today " .. TODAY .. " " .. files)
    local records = lines_of(json)
    assert.equal(20, #records)
    for _, line in ipairs(records) do
      local r = assert(bhclaim.decode(line))
      assert.is_boolean(r.ok)
      assert.is_table(r.counts)
      assert.is_table(r.findings)
      assert.truthy(line:find('^{"claim_id":'))
    end
    local csv = run("check --format csv --today " .. TODAY .. " " .. files)
    local rows = lines_of(csv)
    assert.equal("claim_id,patient,date,code,rule,severity,path,message,hint,"
      .. "denial_group,denial_carc,denial_rarc,source,line\r", rows[1])
    assert.truthy(csv:find('CLM-2026-0198,"Albright, Nora",2026-02-16,', 1, true))
    assert.truthy(#rows > 17)
    -- every claim has a row: a clean one with its finding columns empty;
    -- the last two columns name the file and line of the record
    local clean = run("check --format csv --today " .. TODAY
      .. " examples/claims/clean_commercial.json")
    local crow = lines_of(clean)[2]
    assert.truthy(crow:find(",90853,,,,,,,,,examples/claims/clean_commercial.json,1\r$"), crow)
    for _, line in ipairs(lines_of(json)) do
      local id = assert(bhclaim.decode(line)).claim_id
      assert.truthy(csv:find(id, 1, true), id)
    end
  end)

  it("reads standard input, JSON arrays and sessions", function()
    local out, _, status = run("check --format json --today " .. TODAY,
      "examples/claims/clean_commercial.json")
    assert.equal(0, status)
    assert.equal(1, #lines_of(out))
    local array = "[" .. table.concat(ndjson(3), ",\n") .. "]"
    out, _, status = run("check --format json --today " .. TODAY .. " " .. tmpfile(array))
    assert.equal(1, status)
    assert.equal(3, #lines_of(out))
    out = run("check --format json --today " .. TODAY .. " examples/sessions/day-2026-04-07.json")
    assert.truthy(out:find('"session":true', 1, true))
    assert.truthy(out:find('"claim_id":"GRP-2026-04-07-AM-01"', 1, true))
  end)

  it("checks the other NDJSON records around a truncated line", function()
    local records = ndjson(7)
    local bad = records[4]:sub(1, 90)
    records[4] = bad
    records[6] = "[1, 2]"
    local input = tmpfile(table.concat(records, "\n") .. "\n")
    local reject = tmpfile()
    local out, err, status = run("check --format json --today " .. TODAY .. " --reject "
      .. reject .. " " .. input)
    assert.equal(1, status)
    local ids = {}
    for _, line in ipairs(lines_of(out)) do
      ids[#ids + 1] = assert(bhclaim.decode(line)).claim_id
    end
    assert.same({ "N-001", "N-002", "N-003", "N-005", "N-007" }, ids)
    assert.truthy(err:find(input .. ":4: bad record skipped: line 4, byte ", 1, true))
    assert.truthy(err:find(input .. ":6: bad record skipped: an array, not an object", 1, true))
    local rejected = lines_of(read_file(reject))
    assert.equal(2, #rejected)
    local r1, r2 = assert(bhclaim.decode(rejected[1])), assert(bhclaim.decode(rejected[2]))
    assert.equal(4, r1.line)
    assert.equal(bad, r1.record)
    assert.equal("json.syntax", r1.error)
    assert.truthy(r1.reason:find("^line 4, byte %d+: "))
    assert.equal(6, r2.line)
    assert.equal("[1, 2]", r2.record)
    local text = run("check --today " .. TODAY .. " " .. input)
    assert.truthy(text:find("5 claims: 4 clean, 1 with errors, 0 with warnings; "
      .. "2 bad records", 1, true))
  end)

  it("reports a duplicate across the records and files of one run, naming the first", function()
    local records = ndjson(3)
    local copy = assert(bhclaim.decode(records[1]))
    copy.id = "N-COPY"
    local second = tmpfile(bhclaim.encode(copy) .. "\n")
    local first = tmpfile(table.concat(records, "\n") .. "\n")
    local out = run("check --format json --today " .. TODAY .. " " .. first .. " " .. second)
    local rows = lines_of(out)
    assert.equal(4, #rows)
    local last = assert(bhclaim.decode(rows[4]))
    assert.equal("N-COPY", last.claim_id)
    local dup
    for _, f in ipairs(last.findings) do
      if f.rule == "claim.duplicate" then dup = f end
    end
    assert.truthy(dup, out)
    assert.truthy(dup.message:find("claim N-001", 1, true))
    assert.same({ group = "OA", carc = "18" }, { group = dup.denial.group, carc = dup.denial.carc })
    for i = 1, 3 do
      assert.falsy(rows[i]:find("claim.duplicate", 1, true))
    end
  end)

  it("gives the same output with --jobs 2 as with --jobs 1", function()
    local records = ndjson(41)
    records[20] = records[20]:sub(1, 50)
    local input = tmpfile(table.concat(records, "\n") .. "\n")
    for _, fmt in ipairs({ "text", "json", "csv" }) do
      local rej1, rej2 = tmpfile(), tmpfile()
      local words = "check --today " .. TODAY .. " --format " .. fmt .. " "
      local out1, err1, s1 = run(words .. "--jobs 1 --reject " .. rej1 .. " " .. input)
      local out2, err2, s2 = run(words .. "--jobs 2 --reject " .. rej2 .. " " .. input)
      assert.equal(1, s1)
      assert.equal(s1, s2)
      assert.equal(out1, out2)
      assert.equal(err1, err2)
      assert.equal(read_file(rej1), read_file(rej2))
      assert.truthy(err2:find(":20: bad record", 1, true))
    end
    local a1 = run("audit --format json --today " .. TODAY .. " --jobs 1 " .. input)
    local a3 = run("audit --format json --today " .. TODAY .. " --jobs 3 " .. input)
    assert.equal(a1, a3)
    assert.equal(40, assert(bhclaim.decode(a1)).claims)
  end)

  it("hands --ncci-ptp to every --jobs child", function()
    local ptp = tmpfile(table.concat({ "Practitioner PTP Edits v321r0", "",
      "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\t"
        .. "Deletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\t"
        .. "PTP Edit Rationale",
      "90853\t90785\t\t20250101\t*\t0\tMisuse of column two code with column one code" },
      "\r\n") .. "\r\n")
    local records = {}
    for i = 1, 30 do
      local claim = assert(bhclaim.decode(read_file("spec/fixtures/base_claim.json")))
      claim.id = string.format("P-%03d", i)
      claim.subscriber.member_id = string.format("M%03d", i)
      claim.lines[2] = { code = "90785", modifiers = setmetatable({ "59" }, bhclaim.array_mt),
        units = 1, charge = "20.00", date = "2026-03-02",
        dx_pointers = setmetatable({ 1 }, bhclaim.array_mt) }
      records[i] = bhclaim.encode(claim)
    end
    local input = tmpfile(table.concat(records, "\n") .. "\n")
    local words = "check --format json --today " .. TODAY .. " --ncci-ptp " .. ptp
    local out1, _, s1 = run(words .. " --jobs 1 " .. input)
    local out3, _, s3 = run(words .. " --jobs 3 " .. input)
    assert.equal(1, s1)
    assert.equal(1, s3)
    assert.equal(out1, out3)
    local reports = lines_of(out3)
    assert.equal(30, #reports)
    for _, line in ipairs(reports) do assert.truthy(line:find('"rule":"ncci.ptp"', 1, true)) end
  end)
end)

describe("bhclaim CLI: 837P input", function()
  it("checks the claims read before a structural error and rejects the segment", function()
    local reject = tmpfile()
    local out, err, status = run("check --format json --today " .. TODAY .. " --reject "
      .. reject .. " spec/fixtures/x12/bad_se_count.837")
    assert.equal(1, status)
    assert.equal(1, #lines_of(out))
    assert.truthy(err:find("segment 30 (SE)", 1, true))
    local r = assert(bhclaim.decode(lines_of(read_file(reject))[1]))
    assert.equal(30, r.line)
    assert.equal("SE*27*0001~", r.record)
    local _, _, lenient = run("check --lenient --today " .. TODAY
      .. " spec/fixtures/x12/bad_se_count.837")
    assert.equal(0, lenient)
  end)

  it("exits 2 when the ISA itself is bad", function()
    local _, err, status = run("check spec/fixtures/x12/bad_isa_not_fixed_width.837")
    assert.equal(2, status)
    assert.truthy(err:find("segment 1 (ISA)", 1, true))
  end)
end)

describe("bhclaim CLI: audit", function()
  it("prints the summary with charges at risk", function()
    local out, _, status = run("audit --today " .. TODAY .. " examples/claims/*.json")
    assert.equal(1, status)
    assert.truthy(out:find("claims checked  20", 1, true))
    assert.truthy(out:find("top findings", 1, true))
    local json = assert(bhclaim.decode((run("audit --format json --today " .. TODAY
      .. " examples/claims/*.json"))))
    assert.equal(20, json.claims)
    assert.equal(20, json.clean + json.with_errors + json.with_warnings)
    assert.truthy(json.charges_at_risk:match("^%d+%.%d%d$"))
  end)
end)

describe("bhclaim CLI: export", function()
  -- The ids of the session day's claims: all of them, or those check passes.
  local function session_ids(only_ok)
    local session_out = run("check --format json --today " .. TODAY
      .. " examples/sessions/day-2026-04-07.json")
    local ids = {}
    for _, l in ipairs(lines_of(session_out)) do
      local r = bhclaim.decode(l)
      if not r.session and (r.ok or not only_ok) then ids[#ids + 1] = r.claim_id end
    end
    return ids
  end

  local function exported_ids(x12)
    local out = run("check --format json --today " .. TODAY .. " " .. tmpfile(x12))
    local ids = {}
    for _, l in ipairs(lines_of(out)) do ids[#ids + 1] = bhclaim.decode(l).claim_id end
    return ids
  end

  it("checks every claim and refuses those with errors, with their rule ids", function()
    local env = tmpfile(ENVELOPE)
    local reject = os.tmpname()
    local x12, err, status = run("export --to 837p --today " .. TODAY .. " --envelope " .. env
      .. " --reject " .. reject .. " examples/sessions/day-2026-04-07.json")
    assert.equal(1, status, err)
    assert.truthy(x12:find("^ISA%*"))
    assert.same(session_ids(true), exported_ids(x12))
    local refused = #session_ids(false) - #session_ids(true)
    assert.is_true(refused > 0)
    local rejects = lines_of(read_file(reject))
    os.remove(reject)
    assert.equal(refused, #rejects)
    for _, l in ipairs(rejects) do
      local r = bhclaim.decode(l)
      assert.equal("x12.check", r.error)
      assert.truthy(r.reason:find("refused by check: ", 1, true))
    end
    local why = "GRP-2026-04-07-AM-02: refused by check: code.icd10.header at diagnoses[1]"
    assert.truthy(err:find(why, 1, true))
  end)

  it("writes every claim with --unchecked, and the 837P checks with the same claims", function()
    local env = tmpfile(ENVELOPE)
    local x12, err, status = run("export --to 837p --unchecked --envelope " .. env
      .. " examples/sessions/day-2026-04-07.json")
    assert.equal(0, status, err)
    assert.same(session_ids(false), exported_ids(x12))
  end)

  it("refuses an envelope value out of the guide's range before writing (exit 2)", function()
    local env = tmpfile(ENVELOPE .. "\n")
    local out, err, status = run("export --to 837p --envelope " .. env
      .. " --sender SENDERIDLONGERTHAN15 examples/claims/clean_medicare.json")
    assert.equal(2, status, err)
    assert.equal("", out)
    assert.truthy(err:find("--sender", 1, true), err)
  end)

  it("refuses 837P without an envelope (exit 2)", function()
    local _, err, status = run("export --to 837p examples/claims/clean_medicare.json")
    assert.equal(2, status)
    assert.truthy(err:find("missing: sender_id", 1, true))
  end)

  it("writes JSON, NDJSON and CSV of the claims", function()
    local out, _, status = run("export --to json examples/claims/clean_medicare.json "
      .. "examples/claims/bad_npi.json")
    assert.equal(0, status)
    local list = assert(bhclaim.decode(out))
    assert.equal(2, #list)
    assert.equal("CLM-2026-0412", list[1].id)
    out = run("export --to ndjson examples/claims/clean_medicare.json")
    assert.equal(1, #lines_of(out))
    out = run("export --to csv examples/claims/clean_medicare.json")
    local rows = lines_of(out)
    assert.truthy(rows[1]:find("^claim_id,patient,member_id,"))
    assert.equal(2, #rows)
  end)
end)

describe("bhclaim CLI: codes and derive", function()
  it("guesses the kind of each code", function()
    local out, _, status = run("codes F33.1 90853 95 10")
    assert.equal(0, status)
    assert.truthy(out:find("ICD-10-CM F33.1", 1, true))
    assert.truthy(out:find("90853", 1, true))
    assert.truthy(out:find("modifier 95", 1, true))
    assert.truthy(out:find("POS 10", 1, true))
    out, _, status = run("codes --pos 99 --icd10 F33")
    assert.equal(0, status)
    assert.truthy(out:find("F33", 1, true))
    out, _, status = run("codes ZZ")
    assert.equal(1, status)
    assert.truthy(out:find("ZZ: ", 1, true))
    out = run("codes --format json --cpt 90853")
    assert.equal("cpt", assert(bhclaim.decode(out)).kind)
  end)

  it("derives telehealth POS and modifiers", function()
    local out, _, status = run("derive --code 90853 --date 2026-03-02 --payer medicare "
      .. "--modality video --patient-location home")
    assert.equal(0, status)
    assert.truthy(out:find("place of service 10", 1, true))
    local _, err
    _, err, status = run("derive --code 90853")
    assert.equal(2, status)
    assert.truthy(err:find("--date", 1, true))
    out = run("derive --format json --code 90853 --date 2026-03-02 --payer medicare "
      .. "--modality video --patient-location home")
    assert.equal("10", assert(bhclaim.decode(out)).place_of_service)
  end)
end)
