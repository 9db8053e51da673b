--- The `bhclaim` command line: check, export, audit, codes, derive.
-- Workflow layer: scripts/bhclaim only calls main() and sets the exit code.
-- Here: the options, the parsing of the command line, help and main; each
-- command's work is in its own file: cli_check.lua (check, audit, and the
-- input readers export shares), cli_jobs.lua (--jobs), cli_export.lua,
-- cli_codes.lua, cli_derive.lua, cli_remit.lua (remit, ack),
-- cli_eligibility.lua (eligibility, status), cli_ledger.lua, cli_serve.lua;
-- cli_util.lua holds what they share (faults, checked output, option values).
-- Exit status: 0 no error finding, 1 some claim has an error finding or a bad
-- record, 2 usage or unreadable input. See docs/cli.md.
-- @module bhclaim.cli
-- SPDX-License-Identifier: MIT

local argparse = require("argparse")
local bhclaim = require("bhclaim")
local core = require("bhclaim.core")
local cli_remit = require("bhclaim.cli_remit")
local cli_ledger = require("bhclaim.cli_ledger")
local cli_check = require("bhclaim.cli_check")
local cli_export = require("bhclaim.cli_export")
local cli_codes = require("bhclaim.cli_codes")
local cli_derive = require("bhclaim.cli_derive")
local U = require("bhclaim.cli_util")

local M = {}

local format = string.format
local Fault, poll_signal, checked, clean_up = U.Fault, U.poll_signal, U.checked, U.clean_up

-- {====================================================================
-- Help
-- =====================================================================

local HELP = {}

HELP.main = [[
usage: bhclaim COMMAND [OPTIONS] [ARGS]

Checks behavioral-health claims (JSON, NDJSON, group sessions, X12 837P)
and turns them into 837P, JSON or CSV.

commands:
  check   [FILE...]        check claims; findings as text, JSON or CSV
  audit   [FILE...]        check claims; print the batch summary only
  export  --to FMT [FILE...]  write the claims as 837p, json, ndjson or csv
  codes   CODE...          look up ICD-10-CM, CPT/HCPCS, modifier, POS codes
  derive  --code --date .. telehealth: place of service and modifiers
  remit   FILE.835...      explain remittances, match them to sent claims
  ack     FILE...          explain 999, TA1 and 277CA acknowledgements
  eligibility request|read 270 out, 271 in (coverage before the session)
  status  request|read     276 out, 277 in (claim status)
  ledger  SUBCOMMAND ...   the claim ledger: submit, ack, post, ar, worklist...
  serve   [OPTIONS]        the check service: nginx, HTTPS, API keys (docs/service.md)
  help    [COMMAND]        this text, or a command's

options for every command: --help, --today YYYY-MM-DD
exit status: 0 no error finding, 1 some claim has an error finding (or a
bad record), 2 usage error or unreadable input.
Run 'bhclaim COMMAND --help' for a command's options; docs/cli.md has it all.]]


HELP.check, HELP.audit = cli_check.HELP.check, cli_check.HELP.audit
HELP.export, HELP.codes, HELP.derive = cli_export.HELP, cli_codes.HELP, cli_derive.HELP
HELP.remit, HELP.ack = cli_remit.HELP.remit, cli_remit.HELP.ack
HELP.ledger = cli_ledger.HELP

-- {====================================================================
-- Arguments
-- =====================================================================

-- Options: "value" takes an argument, "list" takes one and may repeat,
-- "flag" takes none. Hidden ones (--part ...) are for --jobs children.
local OPTIONS = {
  help = "flag", format = "value", profile = "value", rules = "value", today = "value",
  reject = "value", jobs = "value", lenient = "flag", top = "value", to = "value",
  envelope = "value", sender = "value", receiver = "value", usage = "value",
  control = "value", time = "value", date = "value", code = "value", payer = "value",
  modality = "value", ["patient-location"] = "value", ["provider-kind"] = "value",
  ["last-in-person"] = "value", group = "flag", ["first-telehealth"] = "flag",
  icd10 = "list", cpt = "list", modifier = "list", pos = "list", version = "flag",
  part = "value", range = "value", ["first-line"] = "value", name = "value",
  unchecked = "flag",
  progress = "value", ["ncci-ptp"] = "value", ["ncci-mue"] = "value", ["ncci-mue-from"] = "value",
}
for name, kind in pairs(cli_remit.OPTIONS) do OPTIONS[name] = kind end
for name, kind in pairs(cli_ledger.OPTIONS) do OPTIONS[name] = kind end

local COMMON = { "help", "today" }
local CHECKING = { "format", "profile", "rules", "reject", "jobs", "lenient", "part",
  "range", "first-line", "name", "progress", "ncci-ptp", "ncci-mue", "ncci-mue-from" }
local ALLOWED_LIST = {
  check = CHECKING,
  audit = { "top" },
  export = { "to", "profile", "envelope", "sender", "receiver", "usage", "control", "time",
    "reject", "lenient", "unchecked", "ncci-ptp", "ncci-mue", "ncci-mue-from" },
  codes = { "date", "icd10", "cpt", "modifier", "pos", "format" },
  derive = { "code", "date", "payer", "profile", "modality", "patient-location",
    "provider-kind", "last-in-person", "group", "first-telehealth", "format" },
  remit = cli_remit.ALLOWED.remit, ack = cli_remit.ALLOWED.ack,
  ledger = cli_ledger.ALLOWED,
}
for _, name in ipairs(CHECKING) do ALLOWED_LIST.audit[#ALLOWED_LIST.audit + 1] = name end
-- eligibility and status (lua/bhclaim/cli_eligibility.lua)
local cli_eligibility = require("bhclaim.cli_eligibility")
cli_eligibility.register_options(OPTIONS, ALLOWED_LIST)

local ALLOWED = {}
for command, list in pairs(ALLOWED_LIST) do
  ALLOWED[command] = {}
  for _, name in ipairs(list) do ALLOWED[command][name] = true end
  for _, name in ipairs(COMMON) do ALLOWED[command][name] = true end
end

local function usage_error(msg)
  return { usage_error = msg }
end

local function set_option(a, name, value)
  if OPTIONS[name] == "list" then
    a.lists[name] = a.lists[name] or {}
    local list = a.lists[name]
    list[#list + 1] = value
  else
    a.opts[name] = value
  end
  a.order[#a.order + 1] = { name, value }
end

-- An argparse parser of the whole command line. Every option is declared
-- once, on the top level, so that options may come before or after the
-- command and its files; each option's action records it into `a` in the
-- order given (a repeated value option keeps its last value, a list option
-- each one), and parse() then refuses an option the command does not take.
-- Commands take their words as `args`; serve parses its own (cli_serve).
local function new_parser(a)
  local parser = argparse("bhclaim"):add_help(false):command_target("command")
    :require_command(false)
  U.declare_options(parser, OPTIONS, function(name, value) set_option(a, name, value) end)
  local commands = U.sorted_keys(ALLOWED)
  commands[#commands + 1] = "help"
  for _, command in ipairs(commands) do
    parser:command(command):add_help(false):argument("args"):args("*")
  end
  return parser
end

--- Parses the command line (argparse).
-- @tparam table argv arguments (arg[1..n])
-- @treturn table {command, opts, lists, args, order} or {usage_error = msg}
function M.parse(argv)
  local a = { opts = {}, lists = {}, args = {}, order = {} }
  local result, msg = U.parse_words(new_parser(a), U.joined_values(argv, OPTIONS))
  if not result then return usage_error(msg) end
  a.command, a.args = result.command, result.args or {}
  if a.command and ALLOWED[a.command] then
    for _, pair in ipairs(a.order) do
      if not ALLOWED[a.command][pair[1]] and pair[1] ~= "version" then
        return usage_error(format("option --%s does not apply to '%s'", pair[1], a.command))
      end
    end
  end
  return a
end

--- Runs `check` over one open source (cli_check.check_source: the
-- service's entry).
M.check_source = cli_check.check_source

-- {====================================================================
-- main
-- =====================================================================

local COMMANDS = {
  check = function(a, env) return cli_check.run(a, env, "check") end,
  audit = function(a, env) return cli_check.run(a, env, "audit") end,
  export = cli_export.run, codes = cli_codes.run, derive = cli_derive.run,
  remit = cli_remit.run_remit, ack = cli_remit.run_ack,
  ledger = cli_ledger.run,
}
cli_eligibility.register_commands(COMMANDS, HELP)

local function help(env, topic)
  local text = HELP[topic or "main"]
  if topic == "serve" then text = require("bhclaim.cli_serve").HELP end
  if not text then
    env.stderr:write("bhclaim: no help for '" .. tostring(topic) .. "'\n")
    return 2
  end
  env.out:write(text, "\n")
  return 0
end

local function usage(env, msg, command)
  env.stderr:write("bhclaim: " .. msg .. "\n")
  env.stderr:write("Try 'bhclaim " .. (command and (command .. " ") or "") .. "--help'.\n")
  return 2
end

-- Marks a real bug's error with where it happened; faults pass as they are.
local function with_traceback(e)
  if getmetatable(e) == Fault then return e end
  return debug.traceback(tostring(e), 2)
end

-- The exit status and message of a fault: 128 + the signal's number for
-- SIGINT (130) and SIGTERM (143); a closed pipe ends quietly with 141, as
-- a filter killed by SIGPIPE would; other faults exit 2.
local function fault_status(env, f)
  if f.kind == "signal" then
    env.stderr:write("bhclaim: interrupted\n")
    return 128 + f.message
  elseif f.kind == "pipe" then
    return 141
  end
  env.stderr:write("bhclaim: " .. tostring(f.message) .. "\n")
  return 2
end

local function run_command(a, env)
  local status, msg = COMMANDS[a.command](a, env)
  if status == nil then return usage(env, msg, a.command) end
  poll_signal()
  env.out:flush()
  return status
end

--- Runs the command line.
-- @tparam table argv the arguments (arg[1..n])
-- @tparam[opt] table env `stdout`, `stderr` (files), `interpreter` (the
--   words that started Lua, for --jobs children), `script` (this script's
--   path), `signals` (true: catch SIGINT and SIGTERM, ignore SIGPIPE; for
--   the command itself, not for a host that calls main)
-- @treturn number exit status: 0, 1 or 2; 130/143 after SIGINT/SIGTERM,
--   141 when standard output was a closed pipe
function M.main(argv, env)
  env = env or {}
  env.stdout, env.stderr = env.stdout or io.stdout, env.stderr or io.stderr
  if argv[1] == "serve" then return require("bhclaim.cli_serve").main(argv, env) end
  if env.signals then core.process_catch() end
  env.out = checked(env.stdout, "(stdout)")
  env.run = { children = {} }
  local ok, status = xpcall(function()
    local a, status = M.parse(argv), 0
    if a.usage_error then return usage(env, a.usage_error) end
    if a.opts.version then
      env.out:write(bhclaim._VERSION, "\n")
    elseif a.command == "help" or a.opts.help then
      local topic = a.command
      if topic == "help" then topic = a.args[1] end
      status = help(env, topic)
    elseif not a.command then
      env.stderr:write(HELP.main, "\n")
      return 2
    else
      return run_command(a, env)
    end
    env.out:flush()
    return status
  end, with_traceback)
  clean_up(env.run)
  if ok then return status end
  if getmetatable(status) == Fault then return fault_status(env, status) end
  env.stderr:write("bhclaim: internal error: " .. tostring(status) .. "\n")
  return 2
end

return M
