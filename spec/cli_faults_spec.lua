-- Specs for how the bhclaim command line fails (issue 8): write errors,
-- empty inputs, SIGINT and SIGTERM, a closed pipe with and without --jobs,
-- bad option values, and one-line JSON arrays read as a stream. The CLI
-- runs as a subprocess under the interpreter running the specs, with a
-- private TMPDIR so that a temporary file left behind is seen.

local bhclaim = require("bhclaim")
local support = require("spec.support")
local LUA, read_file, write_file, quote = support.LUA, support.read_file, support.write_file,
  support.quote

local TODAY = "2026-11-26"
local CLI = LUA .. " scripts/bhclaim"

local function sh(cmd)
  local pipe = assert(io.popen(cmd, "r"))
  local out = pipe:read("*a")
  pipe:close()
  return out
end

-- A private directory for this spec file: inputs, outputs, and the TMPDIR
-- the CLI runs with.
local DIR = os.tmpname()
os.remove(DIR)
assert(sh("mkdir " .. quote(DIR) .. " && echo ok") == "ok\n")
local TMP = DIR .. "/tmp"
sh("mkdir " .. quote(TMP))

local function path(name) return DIR .. "/" .. name end

-- What is left in the CLI's TMPDIR ("" when nothing).
local function leftovers()
  return sh("ls -A " .. quote(TMP))
end

-- Runs `words` (shell words after "bhclaim") with TMPDIR set; returns
-- stdout, stderr, exit status.
local function run(words, stdin)
  local err = path("stderr")
  local body, status = support.sh_status("TMPDIR=" .. quote(TMP) .. " " .. CLI .. " " .. words
    .. (stdin and (" <" .. quote(stdin)) or "") .. " 2>" .. quote(err))
  return body, read_file(err), status
end

-- NDJSON of n claims made from the examples, ids made unique.
local EXAMPLES = { "clean_commercial", "bad_npi", "clean_medicare", "unknown_pos",
  "clean_medicaid_group", "zero_charge" }
local function claims(n)
  local out = {}
  for i = 1, n do
    local name = EXAMPLES[(i - 1) % #EXAMPLES + 1]
    local claim = assert(bhclaim.decode(read_file("examples/claims/" .. name .. ".json")))
    claim.id = string.format("F-%05d", i)
    out[i] = bhclaim.encode(claim)
  end
  return out
end

local LINES = claims(3000)
local BIG = write_file(path("faults-big.ndjson"), table.concat(LINES, "\n") .. "\n")
local SMALL = write_file(path("faults-small.ndjson"), table.concat(LINES, "\n", 1, 12) .. "\n")

-- Custom rules that take `ms` milliseconds a claim: a run that is
-- certainly still going when a signal or a closed pipe comes.
local function slow_rules(ms)
  return write_file(path("slow_rules_" .. ms .. ".lua"), [[
return { { id = "spec.slow", severity = "info", description = "takes its time",
  check = function()
    local stop = os.clock() + ]] .. ms / 1000 .. [[

    while os.clock() < stop do end
  end } }
]])
end
local SLOW_RULES = slow_rules(10)

local ENVELOPE = write_file(path("envelope.lua"), [[
return { sender_id = "RIVERBEND", receiver_id = "CLEARHOUSE",
  submitter_name = "Riverbend Counseling", submitter_id = "RB0001",
  contact_name = "Billing Office", contact_phone = "6145550100",
  receiver_name = "Clearing House", receiver_id_1000b = "CH0001",
  date = "2026-11-26", time = "0930", interchange_control = 7 }
]])

teardown(function()
  sh("rm -rf " .. quote(DIR))
end)

local function has_dev_full()
  return sh("test -w /dev/full && echo yes") == "yes\n"
end

describe("bhclaim write errors", function()
  local commands = {
    "check --today " .. TODAY .. " " .. SMALL,
    "check --today " .. TODAY .. " --format json " .. SMALL,
    "audit --today " .. TODAY .. " " .. SMALL,
    "export --to ndjson " .. SMALL,
    "export --to 837p --envelope " .. ENVELOPE .. " " .. SMALL,
    "codes F33.1",
  }
  for _, words in ipairs(commands) do
    it("fails with a message and status 2 on a full disk: " .. words:match("^%S+"), function()
      if not has_dev_full() then return pending("no /dev/full here") end
      local _, err, status = run(words .. " >/dev/full")
      assert.equal(2, status)
      assert.matches("bhclaim: write error on %(stdout%): No space left on device", err)
    end)
  end

  it("fails the same way when the disk fills in the middle of a large check", function()
    if not has_dev_full() then return pending("no /dev/full here") end
    local x12 = path("big.837")
    local _, _, exported = run("export --to 837p --envelope " .. ENVELOPE .. " " .. BIG .. " >"
      .. x12)
    assert.is_true(exported <= 1)
    -- report lines written from C a chunk at a time (NDJSON) or 500 claims at a time (837P)
    for _, input in ipairs({ BIG, x12 }) do
      local _, err, status = run("check --today " .. TODAY .. " --format json " .. input
        .. " >/dev/full")
      assert.equal(2, status)
      assert.matches("bhclaim: write error on %(stdout%): No space left on device", err)
    end
  end)

  it("checks writes to the --reject file too", function()
    if not has_dev_full() then return pending("no /dev/full here") end
    local bad = write_file(path("bad.ndjson"), LINES[1] .. "\n{\"broken\":\n" .. LINES[2] .. "\n")
    local _, err, status = run("check --today " .. TODAY .. " --reject /dev/full " .. bad
      .. " >/dev/null")
    assert.equal(2, status)
    assert.matches("write error on /dev/full: No space left on device", err, 1, true)
  end)
end)

describe("bhclaim empty input", function()
  local forms = {
    empty = "",
    blank = "  \n\t\n\n",
    bom = "\239\187\191",
    bom_and_blank = "\239\187\191\n  \n",
  }
  for name, text in pairs(forms) do
    for _, command in ipairs({ "check", "audit", "export --to json" }) do
      it(command .. " of a " .. name .. " file is 'no records', status 2", function()
        local file = write_file(path(name .. ".json"), text)
        local _, err, status = run(command .. " --today " .. TODAY .. " " .. file)
        assert.equal(2, status)
        assert.matches("bhclaim: " .. file:gsub("%p", "%%%0") .. ": no records", err)
      end)
    end
  end

  it("empty standard input is 'no records', status 2", function()
    local _, err, status = run("check --today " .. TODAY, "/dev/null")
    assert.equal(2, status)
    assert.matches("bhclaim: %(stdin%): no records", err)
  end)

  it("a good file beside an empty one still exits 2", function()
    local empty = write_file(path("empty2.json"), "")
    local out, _, status = run("check --today " .. TODAY .. " " .. SMALL .. " " .. empty)
    assert.equal(2, status)
    assert.matches("12 claims", out)
  end)
end)

-- Starts the CLI in the background (through sh), waits until `ready` (a
-- shell test; OUT in it stands for the CLI's stdout file) holds, sends
-- `signal`, and returns the exit status and stderr.
local interrupts = 0
local function interrupt(words, ready, signal, input)
  -- Fresh file names each time: a stale output file would look ready.
  interrupts = interrupts + 1
  local err, out = path("sig" .. interrupts .. ".err"), path("sig" .. interrupts .. ".out")
  local script = table.concat({
    (input or "") .. " TMPDIR=" .. quote(TMP) .. " " .. CLI .. " " .. words
      .. " >" .. quote(out) .. " 2>" .. quote(err) .. " &",
    "pid=$!",
    "n=0",
    "while ! ( " .. ready:gsub("OUT", quote(out)) .. " ) && [ $n -lt 600 ]; do "
      .. "sleep 0.05; n=$((n+1)); done",
    "kill -" .. signal .. " $pid",
    "wait $pid",
    "echo $?",
  }, "\n")
  local status = tonumber(sh("sh -c " .. quote(script)))
  return status, read_file(err)
end

-- Whether some process still has `token` in its command line.
-- `token` is a path under this spec file's own DIR: a bare file name
-- would also match the same spec run at once from another checkout.
local function running(token)
  if sh("command -v pgrep") == "" then return false end
  -- "[f]oo" matches foo but not the shell running this pgrep.
  local pattern = "[" .. token:sub(1, 1) .. "]" .. token:sub(2)
  -- Without LD_PRELOAD: pgrep hangs with the sanitizer run's libasan in it.
  return sh("env -u LD_PRELOAD pgrep -f " .. quote(pattern) .. " || true") ~= ""
end

describe("bhclaim signals", function()
  it("SIGINT: 'interrupted', status 130", function()
    local line = LINES[1]:gsub("'", "")
    local status, err = interrupt("check --today " .. TODAY, "test -s OUT", "INT",
      "yes " .. quote(line) .. " 2>/dev/null |")
    assert.equal(130, status)
    assert.matches("bhclaim: interrupted\n$", err)
    assert.equal("", leftovers())
  end)

  it("SIGTERM: 'interrupted', status 143", function()
    local line = LINES[2]:gsub("'", "")
    local status, err = interrupt("check --today " .. TODAY, "test -s OUT", "TERM",
      "yes " .. quote(line) .. " 2>/dev/null |")
    assert.equal(143, status)
    assert.matches("bhclaim: interrupted\n$", err)
  end)

  it("SIGINT with --jobs: children ended, temporary directory removed", function()
    local input = write_file(path("faults-jobs-int.ndjson"),
      table.concat(LINES, "\n", 1, 400) .. "\n")
    local status, err = interrupt("check --today " .. TODAY .. " --jobs 2 --rules "
      .. SLOW_RULES .. " " .. input, "ls " .. quote(TMP) .. "/*/out.2 >/dev/null 2>&1", "INT")
    assert.equal(130, status)
    assert.matches("bhclaim: interrupted\n$", err)
    assert.equal("", leftovers())
    assert.is_false(running(input))
  end)
end)

describe("bhclaim and a closed pipe", function()
  -- Runs the CLI into `| head -1`; returns its exit status and head's line.
  local function into_head(words)
    local status = path("pipe.status")
    local line = sh("{ TMPDIR=" .. quote(TMP) .. " " .. CLI .. " " .. words .. " 2>/dev/null; "
      .. "echo $? >" .. quote(status) .. "; } | head -1")
    return tonumber(read_file(status)), line
  end

  it("ends the run with status 141", function()
    local status, line = into_head("check --today " .. TODAY .. " " .. BIG)
    assert.equal(141, status)
    assert.matches("^F%-00001 ", line)
    assert.equal("", leftovers())
  end)

  it("ends the run with --jobs, killing the children, leaving no temporary file", function()
    local input = write_file(path("faults-jobs-pipe.ndjson"),
      table.concat(LINES, "\n", 1, 600) .. "\n")
    local status, line = into_head("check --today " .. TODAY .. " --jobs 2 --format json "
      .. "--rules " .. SLOW_RULES .. " " .. input)
    assert.equal(141, status)
    assert.matches('^{"claim_id":"F%-00001"', line)
    assert.equal("", leftovers())
    assert.is_false(running(input))
  end)

  it("--jobs over standard input leaves no spooled copy", function()
    local status = into_head("check --today " .. TODAY .. " --jobs 2 <" .. BIG)
    assert.equal(141, status)
    assert.equal("", leftovers())
  end)
end)

describe("bhclaim option values", function()
  local file = SMALL
  local cases = {
    { "check --today 2026-02-30 " .. file, "--today" },
    { "check --today 26-02-01 " .. file, "--today" },
    { "audit --today 2026-13-01 " .. file, "--today" },
    { "codes --date 2026-02-30 F33.1", "--date" },
    { "derive --code 90853 --date 2026-02-30", "--date" },
    { "derive --code 90853 --date 2026-03-02 --last-in-person 2025-02-29", "--last-in-person" },
    { "derive --code 90853 --date 2026-03-02 --modality fax", "--modality" },
    { "derive --code 90853 --date 2026-03-02 --payer acme", "--payer" },
    { "derive --code 90853 --date 2026-03-02 --patient-location moon", "--patient-location" },
    { "derive --code 90853 --date 2026-03-02 --provider-kind wizard", "--provider-kind" },
    { "derive --code 90853 --date 2026-03-02 --format xml", "--format" },
    { "check --jobs 0 " .. file, "--jobs" },
    { "check --jobs two " .. file, "--jobs" },
    { "check --jobs 1.5 " .. file, "--jobs" },
    { "check --format xml " .. file, "--format" },
    { "codes --format csv F33.1", "--format" },
    { "audit --top x " .. file, "--top" },
    { "check --profile nosuch " .. file, "--profile" },
    { "check --rules " .. path("nosuch.lua") .. " " .. file, "--rules" },
    { "export --to pdf " .. file, "--to" },
    { "export --to 837p --envelope " .. path("nosuch.lua") .. " " .. file, "--envelope" },
    { "export --to 837p --envelope " .. ENVELOPE .. " --usage X " .. file, "--usage" },
    { "export --to 837p --envelope " .. ENVELOPE .. " --control 0 " .. file, "--control" },
    { "export --to 837p --envelope " .. ENVELOPE .. " --control 12x " .. file, "--control" },
    { "export --to 837p --envelope " .. ENVELOPE .. " --time 2561 " .. file, "--time" },
    { "export --to 837p --envelope " .. ENVELOPE .. " --sender ABCDEFGHIJKLMNOP " .. file,
      "--sender" },
    { "export --to 837p --envelope " .. ENVELOPE .. " --today 2026-02-30 " .. file, "--today" },
  }
  for _, case in ipairs(cases) do
    it("is a usage error naming " .. case[2] .. ": " .. case[1]:gsub(DIR, "DIR"), function()
      local out, err, status = run(case[1])
      assert.equal(2, status)
      assert.equal("", out)
      assert.matches(case[2], err, 1, true)
      assert.is_nil(err:find("internal error", 1, true))
      assert.matches("Try 'bhclaim", err, 1, true)
    end)
  end

  it("a date in a leap year is accepted", function()
    local _, err, status = run("codes --date 2028-02-29 F33.1")
    assert.equal(0, status)
    assert.equal("", err)
  end)
end)

describe("bhclaim one-line JSON arrays", function()
  local n = 1200     -- over 1 MB: the array crosses read chunks
  local ndjson = write_file(path("same.ndjson"), table.concat(LINES, "\n", 1, n) .. "\n")
  local oneline = write_file(path("same.json"), "[" .. table.concat(LINES, ",", 1, n) .. "]")
  local pretty = write_file(path("pretty.json"), "[\n  " .. table.concat(LINES, ",\n  ", 1, n)
    .. "\n]\n")

  for _, fmt in ipairs({ "text", "json", "csv" }) do
    it("give the same " .. fmt .. " reports as NDJSON of the same claims", function()
      local a, err_a, status_a = run("check --today " .. TODAY .. " --format " .. fmt .. " "
        .. ndjson)
      local b, err_b, status_b = run("check --today " .. TODAY .. " --format " .. fmt .. " "
        .. oneline)
      local c = run("check --today " .. TODAY .. " --format " .. fmt .. " " .. pretty)
      assert.equal(status_a, status_b)
      assert.equal(err_a, err_b)
      if fmt == "csv" then
        -- the same rows but for the last two columns, where each record came from
        local function sans_where(t)
          return (t:gsub(",[^,\r\n]*,%d*\r\n", "\r\n"))
        end
        assert.truthy(a:find("/same.ndjson,1200\r\n", 1, true))
        assert.truthy(c:find("/pretty.json,1201\r\n", 1, true))
        a, b, c = sans_where(a), sans_where(b), sans_where(c)
      end
      assert.is_true(a == b, "one-line array reports differ from NDJSON's")
      assert.is_true(a == c, "pretty array reports differ from NDJSON's")
    end)
  end

  it("export the same claims as NDJSON input does", function()
    local a = run("export --to ndjson " .. ndjson)
    local b = run("export --to ndjson " .. oneline)
    assert.is_true(a == b)
  end)

  it("name the element of a bad record and go on", function()
    local file = write_file(path("bad_element.json"), "[" .. LINES[1] .. ",42,"
      .. LINES[2] .. ', {"id": }]')
    local out, err, status = run("check --today " .. TODAY .. " " .. file)
    assert.equal(1, status)
    assert.matches("%(element 2%): bad record skipped: a number, not an object", err)
    assert.matches("%(element 4%): bad record skipped", err)
    assert.matches("2 claims", out)
  end)

  it("report an array that is not closed, its unfinished tail rejected whole", function()
    local file = write_file(path("open.json"), "[" .. LINES[1] .. "," .. LINES[2])
    local reject = path("open.reject")
    local out, err, status = run("check --today " .. TODAY .. " --reject " .. reject .. " "
      .. file)
    assert.equal(2, status)
    assert.matches("the array is not closed", err)
    assert.matches("^1 claim:", out:match("[^\n]*\n$"))
    local rejected = assert(bhclaim.decode(read_file(reject)))
    assert.equal(LINES[2], rejected.record)
  end)
end)

describe("bhclaim progress on a terminal", function()
  local function script_works()
    return sh("command -v script >/dev/null && script -qc true /dev/null >/dev/null 2>&1 "
      .. "&& echo yes") == "yes\n"
  end

  -- Runs the CLI on a pseudo-terminal (stdout and stderr the same one).
  local function on_pty(words)
    local out = path("pty.out")
    sh("TMPDIR=" .. quote(TMP) .. " script -qc " .. quote(CLI .. " " .. words) .. " /dev/null >"
      .. quote(out) .. " 2>&1 </dev/null")
    return read_file(out)
  end

  -- Every progress line starts a line and is erased before anything else
  -- is written, so no report line holds one.
  local function assert_progress_clean(text)
    local shown = 0
    for at in text:gmatch("()bhclaim: %d+ records") do
      shown = shown + 1
      assert.equal("\r", text:sub(at - 1, at - 1))
      local before = at - 2
      assert.is_true(before < 1 or text:sub(before, before) == "\n"
        or text:sub(before - 3, before) == "\r\27[K", "progress cut into a line")
      local tail = text:match("^bhclaim: %d+ records(\r?\27?%[?K?)", at)
      assert.equal("\r\27[K", tail)
    end
    return shown
  end

  it("never cuts a report line, with and without --jobs", function()
    if not script_works() then return pending("no script(1) here") end
    local one = on_pty("check --today " .. TODAY .. " " .. BIG)
    assert.is_true(assert_progress_clean(one) > 0, "no progress shown")
    -- Each child counts past PROGRESS_EVERY (1000) well before it ends.
    local many = path("pty-jobs.ndjson")
    local f = assert(io.open(many, "wb"))
    for _ = 1, 4 do f:write(table.concat(LINES, "\n"), "\n") end
    f:close()
    local jobs = on_pty("check --today " .. TODAY .. " --jobs 2 " .. many)
    assert.is_true(assert_progress_clean(jobs) > 0, "no progress shown with --jobs")
    assert.equal("", leftovers())
  end)
end)
