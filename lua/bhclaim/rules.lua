--- Rules written in Lua: a practice's own checks, grouped into rule sets,
-- run after the core's checks in the same pass. A rule that raises becomes
-- a finding naming the rule; the batch goes on.
-- @module bhclaim.rules
-- SPDX-License-Identifier: MIT

local M = {}

-- Prefixes owned by the core's rule ids (DESIGN.md): custom rules use others.
local CORE_PREFIXES = { "claim.", "code.", "npi.", "tin.", "taxonomy.", "date.", "line.",
  "group.", "ncci.", "addon.", "provider.", "doc.", "telehealth.", "check.", "coverage." }
local SEVERITIES = { error = true, warning = true, info = true }
local RULE_KEYS = { id = true, severity = true, description = true, applies = true,
  check = true, source = true }

-- Raised without position: M.set and set:add re-raise at their caller.
local function fail(msg)
  error("bhclaim.rule: " .. msg, 0)
end

local function validate_rule(r)
  if type(r) ~= "table" then fail("a rule is a table, got " .. type(r)) end
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
-- @raise on a malformed rule, at the caller's line
function set_mt:add(rule)
  local ok, result = pcall(validate_rule, rule)
  if not ok then error(result, 2) end
  self.rules[#self.rules + 1] = result
  return self
end

--- A rule set: a name and a list of rules.
-- @tparam string name
-- @tparam[opt] table rules
-- @raise on a malformed rule
function M.set(name, rules)
  if type(name) ~= "string" then
    error("bad argument #1 to 'ruleset' (string expected, got " .. type(name) .. ")", 2)
  end
  local s = setmetatable({ name = name, rules = {} }, set_mt)
  for _, r in ipairs(rules or {}) do
    local ok, result = pcall(validate_rule, r)
    if not ok then error(result, 2) end
    s.rules[#s.rules + 1] = result
  end
  return s
end

--- Loads a rule file: a Lua file returning a rule set, or a list of rules.
-- @treturn[1] table the rule set
-- @return[2] nil
-- @treturn[2] string why
function M.load(path)
  local chunk, err = loadfile(path)
  if not chunk then return nil, err end
  local ok, result = pcall(chunk)
  if not ok then return nil, path .. ": " .. tostring(result) end
  if getmetatable(result) == set_mt then return result end
  local ok2, set = pcall(M.set, path, result)
  if not ok2 then return nil, path .. ": " .. tostring(set) end
  return set
end

function M.is_set(v)
  return getmetatable(v) == set_mt
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

--- Runs every rule of the sets on a claim table, adding to the report.
-- Rules whose id is disabled are skipped; a rule that raises becomes an
-- error finding naming it.
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
            message = "The rule failed to run: " .. tostring(err),
            hint = "Fix the rule in rule set '" .. set.name .. "'.",
            source = "rule set " .. set.name })
        end
      end
    end
  end
end

return M
