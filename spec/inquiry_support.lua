-- Helpers for the 270/271/276/277 specs: reading fixtures, and a check that
-- every element value of a file's body appears in what the reader returned.
-- SPDX-License-Identifier: MIT
local M = {}

function M.fixture(name)
  local f = assert(io.open("spec/fixtures/x12-samples/" .. name, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local function leaves(t, out)
  for _, v in pairs(t) do
    if type(v) == "table" then leaves(v, out) else out[tostring(v)] = true end
  end
  return out
end

local function plain_split(s, sep)
  local out, start = {}, 1
  while true do
    local i = s:find(sep, start, true)
    if not i then
      out[#out + 1] = s:sub(start)
      return out
    end
    out[#out + 1] = s:sub(start, i - 1)
    start = i + 1
  end
end

-- Elements whose value the reader turns into structure rather than text:
-- HL01-03 (numbering and the level's name), LS01/LE01, DMG01 (D8), DTP
-- values (split into dates), the envelope.
local SKIP = { ISA = true, GS = true, GE = true, IEA = true, ST = true, SE = true,
  LS = true, LE = true }

local function normalized(v)
  local out = { v }
  if v:match("^%d%d%d%d%d%d%d%d$") then
    out[#out + 1] = v:sub(1, 4) .. "-" .. v:sub(5, 6) .. "-" .. v:sub(7, 8)
  end
  local a, b = v:match("^(%d%d%d%d%d%d%d%d)%-(%d%d%d%d%d%d%d%d)$")
  if a then
    out[#out + 1] = a:sub(1, 4) .. "-" .. a:sub(5, 6) .. "-" .. a:sub(7, 8)
    out[#out + 1] = b:sub(1, 4) .. "-" .. b:sub(5, 6) .. "-" .. b:sub(7, 8)
  end
  if v:match("^%-?%d+%.?%d*$") then out[#out + 1] = string.format("%.2f", tonumber(v)) end
  return out
end

--- Wraps one ST..SE text in an interchange (ISA with '^' repetition and
-- ':' component separators) and a group with functional id fid.
function M.envelope(body, fid, version)
  local isa = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    .. "*260301*1200*^*00501*000000001*0*T*:~"
  assert(#isa == 106)
  return isa .. "GS*" .. fid .. "*SENDER*RECEIVER*20260301*1200*1*X*" .. version .. "~"
    .. body .. "GE*1*1~IEA*1*000000001~"
end

--- Returns the list of "SEG##=value" the result lacks (empty when none).
function M.missing(text, result)
  local seen = leaves(result, {})
  local e, term, comp, rep = text:sub(4, 4), text:sub(106, 106), text:sub(105, 105),
    text:sub(83, 83)
  if text:sub(1, 2) == "ST" then
    -- no envelope: the element separator follows ST, the terminator ends
    -- the ST segment, ':' is the component separator, no repetition.
    e = text:sub(3, 3)
    term = text:match("^ST[^%w]%w+[^%w][^%p]*[^%w]?[^%p]*(%p)")
    comp, rep = ":", "\0"
  end
  local lacks = {}
  for raw in text:gmatch("[^" .. term:gsub("%p", "%%%0") .. "]+") do
    local seg = raw:gsub("^%s+", "")
    local els = plain_split(seg, e)
    local id = els[1]
    if id ~= "" and not SKIP[id] then
      for i = 2, #els do
        local skip = (id == "HL" and i <= 4) or (id == "DMG" and i == 2)
        if not skip and els[i] ~= "" then
          for _, r in ipairs(plain_split(els[i], rep)) do
            for _, c in ipairs(plain_split(r, comp)) do
              if c ~= "" then
                local found = false
                for _, n in ipairs(normalized(c)) do found = found or seen[n] end
                if not found then lacks[#lacks + 1] = string.format("%s%02d=%s", id, i - 1, c) end
              end
            end
          end
        end
      end
    end
  end
  return lacks
end

return M
