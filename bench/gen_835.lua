-- gen_835.lua: a large 835 for `make bench`, made from a real sample
-- (spec/fixtures/x12-samples/835_edi835parser_uhc_legacy.txt, '>' component
-- separator, line CAS/REF*6R/AMT): its two claim payments repeated with
-- distinct claim ids and line control numbers, in one ST..SE with SE01
-- counted. Usage: lua gen_835.lua N OUT (N claim payments).
local n, out = tonumber(arg[1]), arg[2]
assert(n and out, "usage: gen_835.lua N OUT")
local f = assert(io.open("spec/fixtures/x12-samples/835_edi835parser_uhc_legacy.txt", "rb"))
local text = f:read("*a")
f:close()

local segs = {}
for s in text:gmatch("([^~]+)~") do segs[#segs + 1] = (s:gsub("^[\r\n]+", "")) end
local head, claims, tail, current = {}, {}, {}, nil
for _, s in ipairs(segs) do
  if s:sub(1, 4) == "CLP*" then
    current = { s }
    claims[#claims + 1] = current
  elseif s:sub(1, 3) == "SE*" or s:sub(1, 3) == "GE*" or s:sub(1, 4) == "IEA*" then
    current = nil
    tail[#tail + 1] = s
  elseif current then
    current[#current + 1] = s
  else
    head[#head + 1] = s
  end
end

local w = assert(io.open(out, "wb"))
local count = 0
for _, s in ipairs(head) do
  w:write(s, "~\n")
  if s:sub(1, 3) ~= "ISA" and s:sub(1, 2) ~= "GS" then count = count + 1 end
end
for i = 1, n do
  local block = claims[(i - 1) % #claims + 1]
  local line = 0
  local buf = {}
  for _, s in ipairs(block) do
    if s:sub(1, 4) == "CLP*" then
      s = s:gsub("^CLP%*[^*]*", string.format("CLP*RM%07d", i))
    elseif s:sub(1, 7) == "REF*6R*" then
      line = line + 1
      s = string.format("REF*6R*%07d%02d", i, line)
    end
    buf[#buf + 1] = s
  end
  count = count + #buf
  w:write(table.concat(buf, "~\n"), "~\n")
end
count = count + 1
w:write(string.format("SE*%d*000000064~\n", count))
for _, s in ipairs(tail) do
  if s:sub(1, 3) ~= "SE*" then w:write(s, "~\n") end
end
assert(w:close())
