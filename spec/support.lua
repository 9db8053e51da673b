-- spec/support.lua: helpers the rule specs share: the base claim
-- (spec/fixtures/base_claim.json, a clean Medicare 90853 claim), fresh
-- copies of it, check with a fixed today, and finding assertions.
local bhclaim = require("bhclaim")
local assert = require("luassert")

local M = {}

local TODAY = "2026-11-26"
M.TODAY = TODAY

local BASE_PATH = "spec/fixtures/base_claim.json"
M.BASE_PATH = BASE_PATH

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end
M.read_file = read_file

--- Writes text to path (binary); returns path.
local function write_file(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end
M.write_file = write_file

--- The interpreter running the specs, as a command ("lua5.4", "luajit"),
-- for specs that run the command line as a subprocess.
M.LUA = type(rawget(_G, "jit")) == "table" and "luajit"
  or ("lua" .. _VERSION:match("(%d+%.%d+)"))

--- s (or tostring(s)) as one POSIX shell word.
function M.quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

--- Runs a shell command; returns its stdout and its exit status.
function M.sh_status(cmd)
  local pipe = assert(io.popen(cmd .. "; echo \"exit=$?\"", "r"))
  local out = pipe:read("*a")
  pipe:close()
  local body, status = out:match("^(.-)exit=(%d+)\n?$")
  return body, tonumber(status)
end

--- Temporary files for one spec file: tmpfile(text) makes one (holding
-- text when given) and remembers it; remove_all() removes every one, for
-- the file's teardown.
function M.temp_files()
  local made = {}
  local function tmpfile(text)
    local path = os.tmpname()
    made[#made + 1] = path
    if text then write_file(path, text) end
    return path
  end
  local function remove_all()
    for _, path in ipairs(made) do os.remove(path) end
  end
  return tmpfile, remove_all
end

local BASE = assert(bhclaim.decode(read_file(BASE_PATH)))
M.BASE = BASE

-- Copies tables (keeping their metatables, e.g. bhclaim.array_mt); other
-- values, bhclaim.null among them, are shared.
local function deep_copy(value, seen)
  if type(value) ~= "table" then
    return value
  end
  seen = seen or {}
  if seen[value] then
    return seen[value]
  end
  local copy = {}
  seen[value] = copy
  for k, v in pairs(value) do
    copy[deep_copy(k, seen)] = deep_copy(v, seen)
  end
  return setmetatable(copy, getmetatable(value))
end
M.deep_copy = deep_copy

local function base_claim()
  return deep_copy(BASE)
end
M.base_claim = base_claim

-- bhclaim.check with opts.today always set to TODAY.
local function check(claim, opts)
  local o = {}
  for k, v in pairs(opts or {}) do
    o[k] = v
  end
  o.today = TODAY
  local report, msg, id = bhclaim.check(claim, o)
  assert.is_table(report, "check returned no report: " .. tostring(msg) .. " " .. tostring(id))
  return report
end
M.check = check

-- Checks a fresh copy of the base claim after `mutate` changed it.
local function check_with(mutate, opts)
  local claim = base_claim()
  mutate(claim)
  return check(claim, opts)
end
M.check_with = check_with

-- Sets the date of service of every line, and the signature to the same day.
local function set_service_date(claim, date)
  for _, line in ipairs(claim.lines) do
    line.date = date
  end
  claim.documentation.signature.date = date
end
M.set_service_date = set_service_date

-- A clean line of `code` on the base claim's date (or `date`).
local function new_line(code, date, modifiers)
  return {
    code = code,
    modifiers = setmetatable(modifiers or {}, bhclaim.array_mt),
    units = 1,
    charge = "20.00",
    date = date or "2026-03-02",
    dx_pointers = setmetatable({ 1 }, bhclaim.array_mt),
  }
end
M.new_line = new_line

local function findings_for(report, rule)
  local out = {}
  for _, f in ipairs(report.findings) do
    if f.rule == rule then
      out[#out + 1] = f
    end
  end
  return out
end
M.findings_for = findings_for

local function finding_at(report, rule, path)
  for _, f in ipairs(findings_for(report, rule)) do
    if f.path == path then
      return f
    end
  end
  return nil
end
M.finding_at = finding_at

local function dump(report)
  local parts = {}
  for _, f in ipairs(report.findings) do
    parts[#parts + 1] = string.format("  %s %s at %q: %s", tostring(f.severity),
      tostring(f.rule), tostring(f.path), tostring(f.message))
  end
  if #parts == 0 then
    return "  (no findings)"
  end
  return table.concat(parts, "\n")
end
M.dump = dump

-- Asserts a finding of `rule` at `path` with `severity`; returns it.
local function assert_finding(report, rule, severity, path)
  local f = finding_at(report, rule, path)
  assert.is_truthy(f, string.format("expected %s at %q; findings:\n%s", rule, path,
    dump(report)))
  assert.are.equal(severity, f.severity,
    string.format("severity of %s at %q; findings:\n%s", rule, path, dump(report)))
  if severity == "error" then
    assert.is_false(report.ok, "report.ok with an error finding")
  end
  return f
end
M.assert_finding = assert_finding

-- Asserts no finding of `rule` at all, or none at `path` when given.
local function assert_no_finding(report, rule, path)
  local hits = findings_for(report, rule)
  if path then
    hits = {}
    local f = finding_at(report, rule, path)
    if f then
      hits[1] = f
    end
  end
  assert.are.equal(0, #hits, string.format("unexpected %s%s; findings:\n%s", rule,
    path and (" at " .. string.format("%q", path)) or "", dump(report)))
end
M.assert_no_finding = assert_no_finding

local function contains(s, part)
  return type(s) == "string" and s:find(part, 1, true) ~= nil
end
M.contains = contains

-- A writer that keeps what is written (for the command line's stdout and
-- stderr in specs).
local function buffer()
  local b = { parts = {} }
  function b.write(self, ...)
    for _, part in ipairs({ ... }) do self.parts[#self.parts + 1] = part end
    return self
  end
  function b.flush() end
  function b.text(self) return table.concat(self.parts) end
  return b
end

M.buffer = buffer

--- Writes text to a new temporary file.
-- @treturn string its path
local function write_temp(text)
  return write_file(os.tmpname(), text)
end
M.write_temp = write_temp

--- Runs the command line in this process (bhclaim.cli.main).
-- @treturn string stdout
-- @treturn string stderr
-- @treturn number exit status
local function run_cli(argv)
  local out, err = buffer(), buffer()
  local status = require("bhclaim.cli").main(argv, { stdout = out, stderr = err })
  return out:text(), err:text(), status
end
M.run_cli = run_cli

--- The non-empty lines of a text.
local function lines(text)
  local out = {}
  for l in text:gmatch("[^\n]+") do out[#out + 1] = l end
  return out
end
M.lines = lines

--- Calls write(file) with /dev/full opened unbuffered (every write fails),
-- and checks that it answered a failed write as the core does: nil, the
-- message, "write" and the error number. Does nothing where there is no
-- /dev/full.
function M.assert_write_fails(write)
  local full = io.open("/dev/full", "wb")
  if not full then return end
  full:setvbuf("no")
  local nothing, message, what, code = write(full)
  full:close()
  assert.is_nil(nothing)
  assert.matches("space", message)
  assert.equal("write", what)
  assert.is_number(code)
end

return M
