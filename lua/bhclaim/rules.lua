--- Rules written in Lua: a practice's own checks, grouped into rule sets,
-- run after the core's checks in the same pass. A rule that raises becomes
-- a finding naming the rule; the batch goes on.
-- @module bhclaim.rules
-- SPDX-License-Identifier: MIT

local args = require("bhclaim.args")
local coverage = require("bhclaim.coverage")

local M = {}

-- Prefixes owned by the core's rule ids (DESIGN.md): custom rules use others.
local CORE_PREFIXES = { "claim.", "code.", "npi.", "tin.", "taxonomy.", "date.", "line.",
  "group.", "ncci.", "addon.", "provider.", "doc.", "telehealth.", "check.", "modifier.",
  "payer.", "coverage." }
local SEVERITIES = { error = true, warning = true, info = true }
local RULE_KEYS = { id = true, severity = true, description = true, applies = true,
  check = true, source = true }

-- Raised without position: M.set and set:add re-raise at their caller.
local function fail(msg)
  error(msg, 0)
end

-- A raw copy of the rule table, checked: the caller's metatables never run.
local function validate_rule(r)
  if type(r) ~= "table" then fail("a rule is a table, got " .. type(r)) end
  local plain = {}
  for k, v in next, r do plain[k] = v end
  r = plain
  for k in pairs(r) do
    if not RULE_KEYS[k] then fail(string.format("unknown field '%s' in rule %s", tostring(k),
      tostring(r.id))) end
  end
  if type(r.id) ~= "string" or not r.id:match("^[%w_]+%.[%w_.]+$") then
    fail("field 'id' must be a dotted id such as 'practice.friday_groups', got "
      .. tostring(r.id))
  end
  for _, prefix in ipairs(CORE_PREFIXES) do
    if r.id:sub(1, #prefix) == prefix then
      fail(string.format("id '%s' uses the core prefix '%s'; pick a prefix of your own",
        r.id, prefix))
    end
  end
  if not SEVERITIES[r.severity] then
    fail(string.format("rule %s: field 'severity' must be error, warning or info", r.id))
  end
  if type(r.description) ~= "string" then
    fail(string.format("rule %s: field 'description' must be a string", r.id))
  end
  if type(r.check) ~= "function" then
    fail(string.format("rule %s: field 'check' must be a function", r.id))
  end
  if r.applies ~= nil and type(r.applies) ~= "function" then
    fail(string.format("rule %s: field 'applies' must be a function", r.id))
  end
  return r
end

local set_mt = {}
set_mt.__index = set_mt
function set_mt.__tostring(s)
  return string.format("bhclaim rule set '%s' (%d rules)", s.name, #s.rules)
end

--- Adds a rule to the set.
-- @raise "bad argument #1 to 'add' (...)" on a malformed rule
function set_mt:add(rule)
  if not rawequal(getmetatable(self), set_mt) then
    args.argerror("add", 1, "a rule set from bhclaim.ruleset expected, got " .. type(self))
  end
  local ok, result = pcall(validate_rule, rule)
  if not ok then args.argerror("add", 1, result) end
  self.rules[#self.rules + 1] = result
  return self
end

-- The set from a raw list of rules; raises a plain message naming the rule.
local function build_set(name, rules)
  local s = setmetatable({ name = name, rules = {} }, set_mt)
  for i, r in ipairs(rules) do
    local ok, result = pcall(validate_rule, r)
    if not ok then fail("rule " .. i .. ": " .. result) end
    s.rules[#s.rules + 1] = result
  end
  return s
end

--- A rule set: a name and a list of rules.
-- @tparam string name
-- @tparam[opt] table rules
-- @raise "bad argument #2 to 'ruleset' (rule N: ...)" on a malformed rule
function M.set(name, rules)
  args.check_type("ruleset", 1, name, "string")
  rules = args.shallow("ruleset", 2, rules, true)
  local ok, s = pcall(build_set, name, rules)
  if not ok then args.argerror("ruleset", 2, s) end
  return s
end

--- Loads a rule file: a Lua file returning a rule set, or a list of rules.
-- @treturn[1] table the rule set
-- @return[2] nil
-- @treturn[2] string why
-- @raise when path is not a string
function M.load(path)
  args.check_type("load", 1, path, "string")
  local chunk, err = loadfile(path)
  if not chunk then return nil, err end
  local ok, result = pcall(chunk)
  if not ok then return nil, path .. ": " .. tostring(result) end
  if M.is_set(result) then return result end
  if type(result) ~= "table" then
    return nil, path .. ": returns a " .. type(result) .. ", not a rule set or a list of rules"
  end
  local ok2, set = pcall(build_set, path, args.shallow("load", 1, result))
  if not ok2 then return nil, path .. ": " .. tostring(set) end
  return set
end

function M.is_set(v)
  return type(v) == "table" and rawequal(getmetatable(v), set_mt)
end

-- The report a rule sees: add() fills in the rule's id, severity and source.
local function proxy(rule, report)
  return {
    add = function(_, finding)
      if type(finding) ~= "table" or type(finding.message) ~= "string" then
        error("report:add takes a table with at least a message", 2)
      end
      return report:add({
        rule = rule.id,
        severity = finding.severity or rule.severity,
        path = finding.path or "",
        message = finding.message,
        hint = finding.hint or "",
        source = finding.source or rule.source or ("rule set rule " .. rule.id),
      })
    end,
  }
end

-- Text for whatever a rule raised: error() takes any value, and turning a
-- table into text can itself raise (a __tostring that raises or returns no
-- string), which must not escape the check that ran the rule.
local function describe_error(err)
  if type(err) == "string" then return err end
  if type(err) == "number" then return tostring(err) end
  if err == nil then return "nil (the rule raised no message)" end
  local ok, text = pcall(tostring, err)
  if ok and type(text) == "string" then return text end
  return "a " .. type(err) .. " value that cannot be shown as text"
end
M.describe_error = describe_error

-- A copy of a claim table in which JSON null (bhclaim.null, a light
-- userdata that is true in Lua) reads as nil, so `if not claim.x` means
-- "absent or null" as the claim contract says. Metatables (array_mt) are
-- kept; a null inside an array leaves a hole there.
local NULL = require("bhclaim.core").null

local function view(value, seen)
  if type(value) ~= "table" then return value end
  if seen[value] then return seen[value] end
  local out = {}
  seen[value] = out
  for k, v in pairs(value) do
    if v ~= NULL then out[k] = view(v, seen) end
  end
  return setmetatable(out, getmetatable(value))
end

--- The claim as rules see it: a copy with JSON null as nil.
-- @tparam table claim
-- @treturn table
function M.view(claim)
  return view(claim, {})
end

--- Runs every rule of the sets on a claim table, adding to the report.
-- Rules whose id is disabled are skipped; a rule that raises becomes an
-- error finding naming it, whatever value it raised.
function M.run(sets, claim, report, disabled)
  for _, set in ipairs(sets) do
    for _, rule in ipairs(set.rules) do
      if not disabled[rule.id] then
        local ok, err = pcall(function()
          if rule.applies == nil or rule.applies(claim) then
            rule.check(claim, proxy(rule, report))
          end
        end)
        if not ok then
          report:add({ rule = rule.id, severity = "error", path = "",
            message = "The rule failed to run: " .. describe_error(err),
            hint = "Fix the rule in rule set '" .. set.name .. "'.",
            source = "rule set " .. set.name })
        end
      end
    end
  end
end

-- A coverage finding of a disabled rule: counted in report.disabled.
local function count_disabled(report, rule, reason)
  local rec
  for _, d in ipairs(report.disabled) do
    if d.rule == rule then rec = d end
  end
  if rec == nil then
    rec = { rule = rule, reason = reason, suppressed = 0 }
    report.disabled[#report.disabled + 1] = rec
  end
  rec.suppressed = (rec.suppressed or 0) + 1
end

--- Adds to a report what the Lua layer checks after the core, in the order
-- bhclaim.check gives (the command line's batch path uses it too): the
-- rule sets' findings (M.run on M.view of the claim), then, when the claim
-- carries its payer's 271 answer, the coverage rules' (bhclaim.coverage).
-- @tparam table sets rule sets (may be empty)
-- @param claim the claim table (nil when its text did not decode)
-- @tparam table report
-- @tparam table disabled rule id -> reason
-- @tparam[opt] table together the claims given together (coverage.findings)
function M.add_findings(sets, claim, report, disabled, together)
  if #sets > 0 then M.run(sets, M.view(claim), report, disabled) end
  if type(claim) ~= "table" or rawget(claim, "coverage") == nil then return end
  for _, f in ipairs(coverage.findings(claim, together)) do
    if disabled[f.rule] then count_disabled(report, f.rule, disabled[f.rule])
    else report:add(f) end
  end
end

return M
