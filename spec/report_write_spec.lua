-- Report lines have one writer (csrc/report_write.c). The check command's
-- batch path (core.check_batch, csrc/lua/check_batch.c) gives it a view of
-- the claim model; its Lua path (bhclaim.check, the tracker of
-- bhclaim.batch, reports.entry) gives it report tables through
-- core.report_line (reports.text/json/csv). The two paths give the same
-- bytes, messages, summary and exit status for the same records; the Lua
-- path is forced by a check option the batch path leaves to Lua
-- (provider_kind, given as its default). Lua entries, with the odd values
-- custom rules may put in a finding, are checked against expected bytes.
local bhclaim = require("bhclaim")
local cli = require("bhclaim.cli")
local support = require("spec.support")

local TODAY = support.TODAY

local function encode(claim)
  return assert(bhclaim.encode(claim))
end

local function variant(edit)
  local c = support.base_claim()
  edit(c)
  return encode(c)
end

local function records()
  local session = support.read_file("spec/fixtures/session_group.json"):gsub("\n%s*", "")
  return {
    encode(support.base_claim()),
    variant(function(c) c.id = 'A"\\\1\127\195\169,x\ty' end),  -- refused by claim.schema
    variant(function(c) c.id = 'Q"B\\C,\195\169' end),
    variant(function(c) c.id = nil end),
    variant(function(c)
      c.patient = bhclaim.null
      c.subscriber.name = { first = "Only" }
    end),
    variant(function(c)
      c.id = "N-LAST"
      c.patient = bhclaim.null
      c.subscriber.name = { last = "" }
    end),
    variant(function(c) c.subscriber.name = { last = "Roe, Jr.", first = 'Sam "S"\nX' } end),
    variant(function(c) c.subscriber.name = { last = 'O"Hara, Jr.', first = "S\195\169" } end),
    variant(function(c) c.lines[1].modifiers = { 'H"\\' } end),
    encode(support.base_claim()),                    -- claim.duplicate of the first
    variant(function(c) c.frequency = "7" end),   -- a replacement: not a duplicate
    variant(function(c)                           -- code.frequency: the Lua tracker's part
      c.id = "EVAL-1"
      c.payer.kind = "commercial"
      c.lines[1].code = "90791"
    end),
    variant(function(c)
      c.id = "EVAL-2"
      c.payer.kind = "commercial"
      c.lines[1].code = "90791"
    end),
    variant(function(c)
      c.id = "TWO"
      c.lines[2] = { code = "90785", date = c.lines[1].date, charge = "0.00", units = 1,
        dx_pointers = { 1 } }
      c.lines[1].charge = "12.34"
    end),
    variant(function(c) c.payer.kind = "other" end),
    variant(function(c) c.payer.kind = "medicaid" end),
    session,
    '{"id": "broken", ',
    "[1, 2]",
    "   ",
    "",
    encode(support.base_claim()) .. "\r",
    "  " .. variant(function(c) c.id = "SPACED" end) .. "  ",
  }
end

local tmpfile = support.write_temp
-- Runs check over the file with the given format; lua = true forces the
-- Lua path. Returns output, stderr, status, summary.
local function run(path, fmt, lua, opts)
  local out, err = support.buffer(), support.buffer()
  local f = assert(io.open(path, "rb"))
  local o = { format = fmt, today = TODAY }
  for k, v in pairs(opts or {}) do o[k] = v end
  local status, stats = cli.check_source(o, { name = "in", fh = f },
    { stdout = out, stderr = err, quiet = true },
    lua and { provider_kind = "practitioner" } or nil)
  f:close()
  return out:text(), err:text(), status, stats
end

-- Runs the file both ways and asserts the same output, messages, status
-- and summary; returns the summary.
local function same_both_ways(path, fmt, opts)
  local out_c, err_c, status_c, stats_c = run(path, fmt, false, opts)
  local out_l, err_l, status_l, stats_l = run(path, fmt, true, opts)
  assert.equal(out_l, out_c)
  assert.equal(err_l, err_c)
  assert.equal(status_l, status_c)
  assert.same(stats_l, stats_c)
  return stats_c
end

describe("check's batch path", function()
  local list = records()
  local ndjson = tmpfile(table.concat(list, "\n") .. "\n")
  local objects = {}
  for _, r in ipairs(list) do
    if r:find("%S") and r ~= '{"id": "broken", ' then objects[#objects + 1] = r end
  end
  local array = tmpfile("[\n" .. table.concat(objects, ",\n") .. "\n]\n")
  local oneline = tmpfile("[" .. table.concat(objects, ",") .. "]")

  for _, input in ipairs({ { "NDJSON", ndjson }, { "a JSON array", array },
      { "a one-line array", oneline } }) do
    for _, fmt in ipairs({ "text", "json", "csv" }) do
      it("writes what the Lua path writes: " .. input[1] .. ", " .. fmt, function()
        assert.truthy(same_both_ways(input[2], fmt).claims >= 15)
      end)
    end
  end

  it("writes what the Lua path writes for an 837P", function()
    local claims = {}
    local env = dofile("examples/envelope.lua")
    env.date, env.time, env.unchecked = "2026-05-01", "1200", true
    for _, text in ipairs(objects) do
      local t = bhclaim.decode(text)
      -- the claims an 837P can carry
      if t and t.participants == nil and bhclaim.x12.write({ t }, env) then
        claims[#claims + 1] = t
      end
    end
    local x12 = tmpfile(assert(bhclaim.x12.write(claims, env)))
    for _, fmt in ipairs({ "text", "json", "csv" }) do
      local claims_read = same_both_ways(x12, fmt).claims
      assert.truthy(claims_read >= 10, claims_read)
    end
    local csv = run(x12, "csv", false)
    assert.truthy(csv:find(",in,1\r\n", 1, true))
    assert.truthy(csv:find("code.frequency", 1, true))
  end)

  it("finds claim.duplicate and code.frequency as the Lua path does", function()
    local out = run(ndjson, "json", false)
    assert.truthy(out:find('"rule":"claim.duplicate"', 1, true))
    assert.truthy(out:find('"rule":"code.frequency"', 1, true))
    assert.truthy(out:find('"claim_id":"Q\\"B\\\\C,\195\169"', 1, true))
  end)

  it("gives the same with a profile for every claim", function()
    for _, fmt in ipairs({ "text", "json" }) do
      same_both_ways(ndjson, fmt, { profile = "commercial" })
    end
  end)

  it("writes what the Lua path writes across read chunks, long lines and handed lines", function()
    -- 64 KiB reads (batch:file_lines) end inside records, sessions and bad
    -- lines; one record is longer than a read and one has white space
    -- inside it longer than two.
    local many = {}
    for i = 1, 120 do
      for _, r in ipairs(list) do many[#many + 1] = r end
      if i % 40 == 0 then
        many[#many + 1] = list[1]:gsub("^{", "{" .. string.rep(" ", 150000), 1)
      end
    end
    local big = tmpfile(table.concat(many, "\n"))   -- no "\n" after the last line
    for _, fmt in ipairs({ "json", "csv" }) do
      local claims_read = same_both_ways(big, fmt).claims
      assert.truthy(claims_read > 2000, claims_read)
    end
  end)

  it("file_lines reads an open file and says when reading fails", function()
    local core = require("bhclaim.core")
    local b = core.check_batch()
    local opts = { format = "json", today = TODAY, by_kind = {},
      tracker = require("bhclaim.batch").tracker() }
    local stats = { claims = 0, clean = 0, with_errors = 0, with_warnings = 0, rules = {} }
    local f = assert(io.open(ndjson, "rb"))
    local out, got, line, done, handed, at_end = b:file_lines(f, 65536, 1, opts, stats)
    assert.truthy(out:find('"claim_id":', 1, true))
    assert.equal(#support.read_file(ndjson), got)
    assert.truthy(done >= 1 and line > 1)
    assert.is_string(handed)
    assert.is_false(at_end)
    f:close()
    assert.has_error(function() b:file_lines(f, 10, 1, opts, stats) end)
    assert.has_error(function() b:file_lines({}, 10, 1, opts, stats) end)
    -- written to a file in place of returned: the same bytes
    local function lines_of(out_file)
      local fresh = core.check_batch()
      local o = { format = "json", today = TODAY, by_kind = {},
        tracker = require("bhclaim.batch").tracker() }
      local s = { claims = 0, clean = 0, with_errors = 0, with_warnings = 0, rules = {} }
      local input = assert(io.open(ndjson, "rb"))
      local text = fresh:file_lines(input, 65536, 1, o, s, out_file)
      input:close()
      return text, s.claims
    end
    local returned, claims = lines_of(nil)
    local path = tmpfile("")
    local sink = assert(io.open(path, "wb"))
    assert.equal("", (lines_of(sink)))
    sink:close()
    assert.equal(returned, support.read_file(path))
    assert.truthy(claims >= 1)
    support.assert_write_fails(function(full)
      local input = assert(io.open(ndjson, "rb"))
      local answers = { core.check_batch():file_lines(input, 65536, 1, { format = "json",
        today = TODAY, by_kind = {}, tracker = require("bhclaim.batch").tracker() },
        { claims = 0, clean = 0, with_errors = 0, with_warnings = 0, rules = {} }, full) }
      input:close()
      return answers[1], answers[2], answers[3], answers[4]
    end)
    local dir = io.open(".", "rb")
    if dir then   -- a directory opens for reading on Linux; reading it fails
      b:take_input()
      local nothing, message, what = b:file_lines(dir, 10, 1, opts, stats)
      assert.is_nil(nothing)
      assert.matches("directory", message)
      assert.equal("read", what)
      dir:close()
    end
  end)

  it("file_line_at counts the lines before a byte offset", function()
    local core = require("bhclaim.core")
    local text = "a\nbb\n\nccc\n" .. string.rep("x\n", 70000)
    local f = assert(io.open(tmpfile(text), "rb"))
    assert.equal(1, core.file_line_at(f, 0))
    assert.equal(1, core.file_line_at(f, 1))
    assert.equal(2, core.file_line_at(f, 2))
    assert.equal(4, core.file_line_at(f, 6))
    assert.equal(70005, core.file_line_at(f, #text))
    assert.equal(70005, core.file_line_at(f, #text + 100))   -- the end stops the count
    f:close()
    assert.has_error(function() core.file_line_at(f, 0) end)
    assert.has_error(function() core.file_line_at(io.stdout, -1) end)
  end)

  it("refuses a bad format or options table", function()
    local core = require("bhclaim.core")
    local b = core.check_batch()
    assert.has_error(function() b:lines("{}", 1, 1, { format = "xml" }, {}) end)
    assert.has_error(function() b:lines("{}", 1, 1, nil, {}) end)
    assert.has_error(function() b:lines("{}", 5, 1, {}, {}) end)
  end)
end)

describe("core.report_line (reports.text, json and csv)", function()
  local reports = require("bhclaim.reports")
  local core = require("bhclaim.core")

  -- A custom rule's findings: numbers, booleans, no hint, control
  -- characters, quotes, commas and CRLF in a message, a NUL byte.
  local function odd_entry()
    return {
      claim_id = "L-1", patient = "Roe, Sam", date = "2026-03-02", ok = false,
      counts = { error = 1, warning = 1, info = 0 }, codes = { "90853", "90785" },
      findings = {
        { rule = "practice.note", severity = "error", path = "lines[2].units",
          message = 'Say "hi",\r\nthen\tgo\1\0!', hint = nil, source = 42,
          denial = { group = "CO", carc = 97, rarc = false } },
        { rule = 7, severity = "warning", path = false, message = 0.1, hint = "",
          source = true },
      },
    }
  end

  it("writes a Lua-made finding's values as text", function()
    assert.equal("L-1  Roe, Sam  2026-03-02: 1 error, 1 warning, 0 notes\n"
      .. "  error   practice.note          lines[2].units\n"
      .. '          Say "hi",\r\nthen\tgo\1\0!\n'
      .. "          denial: CO-97\n"
      .. "  warning 7                      (claim)\n"
      .. "          0.1", reports.text(odd_entry()))
  end)

  it("writes a Lua-made finding's values as JSON: numbers and booleans bare", function()
    assert.equal('{"claim_id":"L-1","patient":"Roe, Sam","date":"2026-03-02","ok":false,'
      .. '"counts":{"error":1,"warning":1,"info":0},"findings":['
      .. '{"rule":"practice.note","severity":"error","path":"lines[2].units",'
      .. '"message":"Say \\"hi\\",\\r\\nthen\\tgo\\u0001\\u0000!","hint":null,"source":42,'
      .. '"denial":{"group":"CO","carc":97,"rarc":false}},'
      .. '{"rule":7,"severity":"warning","path":false,"message":0.1,"hint":"",'
      .. '"source":true,"denial":null}]}', reports.json(odd_entry()))
  end)

  it("writes a Lua-made finding's values as CSV, quoted where RFC 4180 says", function()
    assert.equal('L-1,"Roe, Sam",2026-03-02,90785,practice.note,error,lines[2].units,'
      .. '"Say ""hi"",\r\nthen\tgo\1\0!",,CO,97,false,in.json,3\r\n'
      .. 'L-1,"Roe, Sam",2026-03-02,90853,7,warning,false,0.1,,,,,in.json,3\r\n',
      reports.csv(odd_entry(), { name = "in.json", line = 3 }))
    assert.truthy(reports.csv(odd_entry(), { name = "x.837", x12_claim = 2, line = 9 })
      :find(",x.837,2\r\n$"))
  end)

  it("writes a session's own findings with their mark", function()
    local e = reports.session_entry({ id = "S-1", date = "2026-04-07", code = "90853" },
      { { rule = "session.x", severity = "warning", path = "participants[2]", message = "m",
        hint = "h", source = "s" } })
    assert.equal("session S-1  2026-04-07: 0 errors, 1 warning, 0 notes\n"
      .. "  warning session.x              participants[2]\n"
      .. "          m\n"
      .. "          fix: h", reports.text(e))
    assert.equal('{"claim_id":"S-1","patient":"","date":"2026-04-07","ok":true,'
      .. '"counts":{"error":0,"warning":1,"info":0},"findings":[{"rule":"session.x",'
      .. '"severity":"warning","path":"participants[2]","message":"m","hint":"h",'
      .. '"source":"s","denial":null}],"session":true}', reports.json(e))
    assert.equal("S-1,,2026-04-07,,session.x,warning,participants[2],m,h,,,,,\r\n",
      reports.csv(e))
  end)

  it("writes a clean entry without id, and absent values as text says them", function()
    local clean = { patient = "", date = "", ok = true, counts = {}, findings = {} }
    assert.equal("(no id): clean", reports.text(clean))
    assert.equal('{"claim_id":null,"patient":"","date":"","ok":true,'
      .. '"counts":{"error":0,"warning":0,"info":0},"findings":[]}', reports.json(clean))
    assert.equal(",,,,,,,,,,,,,\r\n", reports.csv(clean))
    local bare = { claim_id = false, patient = "", date = "", ok = false,
      counts = { error = 1 }, findings = { { denial = {} } } }
    assert.equal("(no id): 1 error, 0 warnings, 0 notes\n"
      .. "  nil     nil                    (claim)\n"
      .. "          nil\n"
      .. "          denial: nil-nil", reports.text(bare))
  end)

  it("takes the code of the line a finding's path names, else the first line's", function()
    local paths = { "lines[2]", "lines[3].units", "lines[9].units", "lines[0]", "lines[x",
      "lines[2", "lines[99999999999999999999].code", "diagnoses[1]" }
    local fs = {}
    for i, p in ipairs(paths) do fs[i] = { rule = "r", severity = "info", path = p } end
    local e = { claim_id = "C", patient = "", date = "", ok = true, counts = { info = #fs },
      findings = fs, codes = { "90853", "90785", false } }
    local codes = {}
    for row in reports.csv(e):gmatch("[^\r\n]+") do
      codes[#codes + 1] = row:match("^C,,,([^,]*),")
    end
    assert.same({ "90785", "90853", "90853", "90853", "90853", "90853", "90853", "90853" },
      codes)
  end)

  it("refuses what it cannot write, naming it", function()
    local e = odd_entry()
    assert.has_error(function() core.report_line(e, "xml", nil, tostring) end)
    assert.has_error(function() core.report_line(e, "text", nil, nil) end)
    assert.has_error(function() core.report_line(nil, "text", nil, tostring) end)
    local bad_finding = odd_entry()
    bad_finding.findings[2] = "not a finding"
    assert.matches("findings%[2%] is not a table", select(2, pcall(reports.text, bad_finding)))
    local bad_count = odd_entry()
    bad_count.counts.error = 1.5
    assert.matches("counts.error is not a whole number", select(2, pcall(reports.json, bad_count)))
    local no_ok = odd_entry()
    no_ok.ok = nil
    assert.matches("ok is not a boolean", select(2, pcall(reports.json, no_ok)))
    local nan = odd_entry()
    nan.findings[1].source = 0 / 0
    assert.is_false(pcall(reports.json, nan))   -- JSON has no NaN
    local shown = odd_entry()
    shown.findings[2].message = setmetatable({}, { __tostring = function() return "shown" end })
    assert.truthy(reports.text(shown):find("\n          shown$"))
    assert.truthy(reports.json(shown):find('"message":null', 1, true))
  end)
end)
