--- Reports: the findings of one claim, readable at a prompt and by scripts.
-- A report is a plain table (`ok`, `claim_id`, `findings`, `counts`) with a
-- metatable for `tostring`; each finding is a plain table with its own.
-- The core builds reports (bhclaim.core check and x12_check, given these
-- metatables); this module holds their methods and printing.
-- @module bhclaim.report
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")

local M = {}

local SEVERITY_ORDER = { error = 1, warning = 2, info = 3 }

local finding_mt = {}
finding_mt.__index = finding_mt

--- One line: severity, rule, path, message.
function finding_mt.__tostring(f)
  local where = (f.path ~= nil and f.path ~= "") and (" at " .. f.path) or ""
  return string.format("%s %s%s: %s", f.severity, f.rule, where, f.message)
end

local report_mt = {}
report_mt.__index = report_mt

local function plural(n, word)
  return n .. " " .. word .. (n == 1 and "" or "s")
end

--- A biller-readable text: a summary line, then each finding with its hint.
function report_mt.__tostring(r)
  local c = r.counts
  local head = string.format("%s: %s, %s, %s", r.claim_id or "(claim without id)",
    plural(c.error, "error"), plural(c.warning, "warning"), plural(c.info, "note"))
  local out = { head }
  if r.disabled and #r.disabled > 0 then
    local parts = {}
    for _, d in ipairs(r.disabled) do
      parts[#parts + 1] = string.format("%s (%s)", d.rule, d.reason)
    end
    out[#out + 1] = "  rules turned off: " .. table.concat(parts, ", ")
  end
  if #r.findings == 0 then
    out[1] = head .. " - clean"
    return table.concat(out, "\n")
  end
  for _, f in ipairs(r.findings) do
    out[#out + 1] = string.format("  %-7s %-22s %s", f.severity, f.rule,
      f.path ~= "" and f.path or "(claim)")
    out[#out + 1] = "          " .. f.message
    if f.hint ~= nil and f.hint ~= "" then
      out[#out + 1] = "          fix: " .. f.hint
    end
    if type(f.denial) == "table" then
      out[#out + 1] = string.format("          denial: %s-%s%s", f.denial.group, f.denial.carc,
        f.denial.rarc and (" " .. f.denial.rarc) or "")
    end
  end
  return table.concat(out, "\n")
end

local function argerror(fname, msg)
  error(string.format("bad argument #1 to '%s' (%s)", fname, msg), 3)
end

local function check_self(fname, self)
  if type(self) ~= "table" or not rawequal(getmetatable(self), report_mt) then
    argerror(fname, "a report from bhclaim.check expected, got " .. type(self))
  end
end

--- The findings of one rule id, in order.
function report_mt:by_rule(rule)
  check_self("by_rule", self)
  local out = {}
  for _, f in ipairs(self.findings) do
    if f.rule == rule then out[#out + 1] = f end
  end
  return out
end

--- Adds a finding (for rules written in Lua); keeps `ok` and `counts` true.
-- @tparam table finding `rule`, `severity` (error, warning, info), `message`
--   (strings), `path`, `hint`, `source` (strings or nil); read raw
-- @treturn table the finding as added (a copy)
-- @raise "bad argument #1 to 'add' (...)" on anything else
function report_mt:add(finding)
  check_self("add", self)
  if type(finding) ~= "table" then argerror("add", "table expected, got " .. type(finding)) end
  local f = {}
  for _, key in ipairs { "rule", "severity", "path", "message", "hint", "source" } do
    local v = rawget(finding, key)
    if v ~= nil and type(v) ~= "string" then
      argerror("add", "field '" .. key .. "' must be a string, got " .. type(v))
    end
    f[key] = v
  end
  if f.rule == nil or f.message == nil then
    argerror("add", "fields 'rule' and 'message' are needed")
  end
  if not SEVERITY_ORDER[f.severity] then
    argerror("add", "field 'severity' must be error, warning or info")
  end
  local denial = rawget(finding, "denial")
  if denial ~= nil and type(denial) ~= "table" then
    argerror("add", "field 'denial' must be a table, got " .. type(denial))
  end
  -- A finding of a catalogued rule without a `denial` gets the catalogue's.
  f.denial = denial or core.rule_denial(f.rule, f.path)
  finding = setmetatable(f, finding_mt)
  self.findings[#self.findings + 1] = finding
  self.counts[finding.severity] = (self.counts[finding.severity] or 0) + 1
  if finding.severity == "error" then self.ok = false end
  return finding
end

M.finding_mt = finding_mt
M.report_mt = report_mt

return M
