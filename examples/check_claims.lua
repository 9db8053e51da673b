-- check_claims.lua: checks every claim file in a folder and prints each
-- report, then a summary. `make demo` runs it on examples/claims.
-- Usage: lua check_claims.lua FOLDER [TODAY]
local bhclaim = require("bhclaim")

local folder = arg[1] or "examples/claims"
local today = arg[2] or "2026-11-26"  -- fixed, so the demo reads the same every day

local function list_json(dir)
  local names = {}
  local pipe = assert(io.popen('ls "' .. dir .. '"'))
  for name in pipe:lines() do
    if name:match("%.json$") then names[#names + 1] = name end
  end
  pipe:close()
  table.sort(names)
  return names
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local clean, with_errors, with_warnings, unreadable = 0, 0, 0, 0
local by_rule = {}
local names = list_json(folder)
for _, name in ipairs(names) do
  local report, err = bhclaim.check(read(folder .. "/" .. name), { today = today })
  print("-- " .. name)
  if not report then
    unreadable = unreadable + 1
    print("   not JSON: " .. err)
  else
    print(tostring(report))
    -- clean: no error and no warning, as `bhclaim audit` counts (bhclaim.outcome)
    local outcome = bhclaim.outcome(report)
    if outcome == "with_errors" then
      with_errors = with_errors + 1
    elseif outcome == "with_warnings" then
      with_warnings = with_warnings + 1
    else
      clean = clean + 1
    end
    for _, f in ipairs(report.findings) do by_rule[f.rule] = (by_rule[f.rule] or 0) + 1 end
  end
  print()
end

print(string.format("%d claims: %d clean, %d with errors, %d with warnings only, %d unreadable",
  #names, clean, with_errors, with_warnings, unreadable))
local rules = {}
for rule in pairs(by_rule) do rules[#rules + 1] = rule end
table.sort(rules)
for _, rule in ipairs(rules) do print(string.format("  %-24s %d", rule, by_rule[rule])) end
