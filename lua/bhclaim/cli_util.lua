--- What the command line's commands share: faults (a signal, a closed
-- pipe, a failed write) that unwind a run to main, checked output files,
-- the run's temporary directory and children, option value checks and the
-- progress line. Internal to bhclaim.cli and its cli_*.lua commands.
-- @module bhclaim.cli_util
-- SPDX-License-Identifier: MIT

local bhclaim = require("bhclaim")
local core = require("bhclaim.core")

local M = {}

local format, concat = string.format, table.concat

-- Bytes read at once when copying or streaming: below LuaJIT's threshold
-- for giving a string its own mmap, so a read costs no fresh pages (1 MiB
-- reads made a --jobs 2 run's copying spend a third of its time in page
-- faults and munmap).
local CHUNK = 65536
M.CHUNK = CHUNK

-- {====================================================================
-- Small helpers
-- =====================================================================

local function is_object(v)
  return type(v) == "table" and getmetatable(v) ~= core.array_mt
end

-- {====================================================================
-- Faults: a signal, a closed pipe, a failed write. Each unwinds the run
-- to main (as an error of its own kind), which cleans up and exits.
-- =====================================================================

local Fault = {}
Fault.__tostring = function(f) return "bhclaim: " .. f.kind .. ": " .. tostring(f.message) end

local function fault(kind, message)
  error(setmetatable({ kind = kind, message = message }, Fault), 0)
end

-- Ends the run when SIGINT or SIGTERM came (core.process_catch set the flag).
local function poll_signal()
  local name, number = core.process_signal()
  if name then fault("signal", number) end
end

-- A file whose every write, flush and close is checked: a failure ends the
-- run with "write error on NAME: reason" (a closed pipe ends it quietly).
local Checked = {}
Checked.__index = Checked

local function write_failed(self, msg, code)
  poll_signal()   -- an interrupted write is the signal's doing
  if code == core.process_EPIPE then fault("pipe") end
  fault("write", format("write error on %s: %s", self.name, tostring(msg)))
end

local function checked(file, name)
  return setmetatable({ file = file, name = name }, Checked)
end

-- io's files answer a failure with nil, message, code; a writer of the
-- caller's (a table with a write method, as scripts and specs pass) may
-- return nothing on success.
local function failed(ok, msg)
  return not ok and msg ~= nil
end

function Checked:write(...)
  local ok, msg, code = self.file:write(...)
  if failed(ok, msg) then write_failed(self, msg, code) end
  return self
end

-- Ends the run for a failed write made to self.file elsewhere (the check
-- command's batch path writes from C): msg and code as io's files give them.
function Checked:failed(msg, code)
  write_failed(self, msg, code)
end

function Checked:flush()
  local ok, msg, code = self.file:flush()
  if failed(ok, msg) then write_failed(self, msg, code) end
end

function Checked:close()
  local ok, msg, code = self.file:close()
  if failed(ok, msg) then write_failed(self, msg, code) end
end

-- The Lua file behind `out` (itself, or a checked file's), or nil.
local function file_of(out)
  local f = getmetatable(out) == Checked and out.file or out
  if io.type(f) == "file" then return f end
  return nil
end

-- Copies fh from byte `from` to out in C (core.process_copy, no Lua string
-- per block) when both are Lua files; the offset reached, or nil when they
-- are not. A failure ends the run as Lua's own reads and writes would.
local function copy_in_c(fh, out, from, lines)
  local to = file_of(out)
  if not to or io.type(fh) ~= "file" then return nil end
  local pos, msg, what, code = core.process_copy(fh, to, from, lines)
  if pos then return pos end
  poll_signal()
  if what == "write" and getmetatable(out) == Checked then write_failed(out, msg, code) end
  fault(what, format("%s error: %s", what, tostring(msg)))
end

-- Copies a file to `out` from byte `from` on; returns the offset reached.
-- Seeking clears the end-of-file mark, so a file another process is still
-- writing can be followed. With no `from` (a pipe) it copies what is left.
local function copy_from(fh, out, from)
  if from then
    local reached = copy_in_c(fh, out, from, false)
    if reached then return reached end
  end
  local pos = from and fh:seek("set", from) or 0
  while true do
    poll_signal()
    local block = fh:read(CHUNK)
    if not block then break end
    out:write(block)
    pos = pos + #block
  end
  return pos
end

-- As copy_from, but stops after the last whole line: a running child's
-- half-written line waits, so a progress line never lands inside it.
local function copy_lines_from(fh, out, from)
  local reached = copy_in_c(fh, out, from, true)
  if reached then return reached end
  fh:seek("set", from)
  local pos = from
  while true do
    local block = fh:read(CHUNK)
    if not block then break end
    local last = block:match("^.*()\n")   -- anchored: one pass, from the end
    if not last then break end
    out:write(last == #block and block or block:sub(1, last))
    pos = pos + last
    if last < #block then break end
  end
  return pos
end

local function copy_file_to(path, out)
  local f = io.open(path, "rb")
  if not f then return end
  copy_from(f, out, 0)
  f:close()
end

-- {====================================================================
-- The run's private temporary directory and children
-- =====================================================================

-- One directory (mkdtemp, mode 0700) under $TMPDIR per run, made when first
-- needed; main removes it, with what is in it, on every way out.
local function temp_path(run, name)
  if not run.tmpdir then
    local base = (os.getenv("TMPDIR") or ""):gsub("/+$", "")
    if base == "" then base = "/tmp" end
    local dir, err = core.process_mkdtemp(base .. "/bhclaim.XXXXXX")
    if not dir then fault("temp", "cannot make a temporary directory: " .. tostring(err)) end
    run.tmpdir = dir
  end
  return run.tmpdir .. "/" .. name
end

-- Ends the children still running and reaps them, then removes the
-- temporary directory. Children are killed outright (SIGKILL): their work
-- is thrown away and all they wrote is in that directory.
local function clean_up(run)
  for pid in pairs(run.children) do core.process_kill(pid, true) end
  for pid in pairs(run.children) do
    core.process_wait(pid, true)
    run.children[pid] = nil
  end
  if run.tmpdir then
    local ok, err = core.process_rmtree(run.tmpdir)
    if not ok then io.stderr:write("bhclaim: cannot remove " .. tostring(err) .. "\n") end
    run.tmpdir = nil
  end
end

-- {====================================================================
-- Parsing a command line with argparse (cli.lua's and cli_serve.lua's)
-- =====================================================================

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- The option words of a name: -h is --help's short form.
local function option_words(name)
  if name == "help" then return "-h --help" end
  return "--" .. name
end

-- Declares every option of `options` (name -> "flag", "value" or "list")
-- on an argparse parser, in name order. Each use of an option calls
-- record(name, value) in the order given (true for a flag), so that a
-- repeated value option can keep its last value and a list each one.
local function declare_options(parser, options, record)
  for _, name in ipairs(sorted_keys(options)) do
    local kind = options[name]
    local option = kind == "flag" and parser:flag(option_words(name))
      or parser:option(option_words(name)):args(1)
    option:target(name):count("*"):action(function(_, _, value)
      record(name, kind == "flag" or value)
    end)
  end
end

-- The words for argparse: "--name VALUE" of an option that takes a value
-- becomes "--name=VALUE", so that the word after such an option is its
-- value whatever it looks like ("--top -1" is a bad --top, not an unknown
-- option "-1"; "--reject -r.ndjson" names a file), as the command line
-- has always read it. Words after "--" are left as they are. argv is read
-- from index `first` (default 1).
local function joined_values(argv, options, first)
  local words, i = {}, first or 1
  while i <= #argv do
    local word = argv[i]
    local name = type(word) == "string" and word:match("^%-%-([%w%-]+)$")
    local kind = name and options[name]
    if (kind == "value" or kind == "list") and argv[i + 1] ~= nil then
      words[#words + 1] = word .. "=" .. argv[i + 1]
      i = i + 2
    else
      words[#words + 1] = word
      i = i + 1
      if word == "--" then
        for k = i, #argv do words[#words + 1] = argv[k] end
        break
      end
    end
  end
  return words
end

-- parser:pparse(words): the result table, or nil and argparse's message
-- on one line (argparse puts its "Did you mean" tip on a line of its own).
local function parse_words(parser, words)
  local ok, result = parser:pparse(words)
  if ok then return result end
  local msg = tostring(result):gsub("\nDid you mean (.-)%?$", " (did you mean %1?)")
  return nil, (msg:gsub("\n", " "))
end

-- {====================================================================
-- Option values
-- =====================================================================

local DAYS_IN_MONTH = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

-- A real calendar date as YYYY-MM-DD, in the years the core accepts
-- (1800-2999, bh_date_parse).
local function valid_date(s)
  if type(s) ~= "string" then return false end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then return false end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if y < 1800 or y > 2999 or m < 1 or m > 12 or d < 1 then return false end
  local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
  return d <= ((m == 2 and leap) and 29 or DAYS_IN_MONTH[m])
end

local function date_error(option, value)
  return format("%s wants a real calendar date as YYYY-MM-DD (years 1800-2999), not '%s'",
    option, tostring(value))
end

-- A whole number within [low, high] written in decimal digits, or nil.
local function whole(s, low, high)
  if type(s) ~= "string" or not s:match("^%d+$") or #s > 12 then return nil end
  local n = tonumber(s)
  if n < low or n > high then return nil end
  return n
end

local function one_of_text(list)
  if #list == 1 then return list[1] end
  return concat(list, ", ", 1, #list - 1) .. " or " .. list[#list]
end

-- nil when value is one of list, else a message naming the option.
local function choice_error(option, value, list)
  for _, v in ipairs(list) do
    if v == value then return nil end
  end
  return format("%s wants %s, not '%s'", option, one_of_text(list), tostring(value))
end

local function load_profile(spec)
  local p = bhclaim.payers.builtin(spec)
  if p then return p end
  local f = io.open(spec, "rb")
  if not f then
    return nil, "--profile: '" .. spec .. "' is neither a built-in profile (medicare, "
      .. "medicaid, commercial) nor a readable file"
  end
  f:close()
  local profile, err = bhclaim.payers.load(spec)
  if not profile then return nil, "--profile: " .. tostring(err) end
  return profile
end

-- Shown on stderr while records are read (when stderr is a terminal).
local function show_progress(ctx, records)
  ctx.err:write(format("\rbhclaim: %d records", records))
  ctx.progress_shown = true
end

-- Erases the progress line before stdout writes to the same terminal.
local function erase_progress(ctx)
  if ctx.progress_shown then
    ctx.err:write("\r\27[K")
    ctx.progress_shown = false
  end
end

-- Line breaks in s (a find loop: gsub would copy the string).
local function count_lines(s)
  local n, at = 0, s:find("\n", 1, true)
  while at do
    n, at = n + 1, s:find("\n", at + 1, true)
  end
  return n
end

local function plain(t)
  local out = {}
  for k, v in pairs(t) do
    if type(v) ~= "function" and type(v) ~= "userdata" then out[k] = v end
  end
  return out
end

-- The table an --envelope FILE returns (its fields copied), or an empty
-- table without the option; nil and a message naming the option when the
-- file does not load or return a table.
local function envelope_file(path)
  local env = {}
  if path then
    local chunk, err = loadfile(path)
    if not chunk then return nil, "--envelope: " .. tostring(err) end
    local ok, t = pcall(chunk)
    if not ok or type(t) ~= "table" then
      return nil, "--envelope: " .. path .. " must return a table"
    end
    for k, v in pairs(t) do env[k] = v end
  end
  return env
end

M.envelope_file = envelope_file
M.is_object, M.Fault, M.fault, M.poll_signal = is_object, Fault, fault, poll_signal
M.checked, M.copy_from, M.copy_lines_from, M.copy_file_to = checked, copy_from,
  copy_lines_from, copy_file_to
M.temp_path, M.clean_up = temp_path, clean_up
M.valid_date, M.date_error, M.whole, M.choice_error = valid_date, date_error, whole, choice_error
M.load_profile, M.show_progress, M.erase_progress = load_profile, show_progress, erase_progress
M.count_lines, M.plain = count_lines, plain
M.sorted_keys, M.declare_options, M.joined_values, M.parse_words = sorted_keys,
  declare_options, joined_values, parse_words

return M
