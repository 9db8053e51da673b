-- spec/ledger_child.lua: a separate posting process for the ledger specs.
--   lua spec/ledger_child.lua URL FILE.835 [stall MARKER]
-- Posts FILE.835 to the ledger at URL and exits 0 (1 on failure). With
-- "stall MARKER": halfway through the file (inside its transaction) it
-- writes MARKER and waits to be killed.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local build = os.getenv("BHCLAIM_BUILD") or "build"
local abi = _VERSION:match("(%d+%.%d+)")
if type(rawget(_G, "jit")) == "table" then abi = "5.1" end
package.cpath = build .. "/" .. abi .. "/?.so;" .. package.cpath

local ledger = require("bhclaim.ledger")
local url, file, mode, marker = arg[1], arg[2], arg[3], arg[4]
local f = assert(io.open(file, "rb"))
local text = f:read("*a")
f:close()
local lg = assert(ledger.open(url))
local opts = { file = file }
if mode == "stall" then
  opts.progress = function(done, total)
    if done == math.floor(total / 2) then
      local m = assert(io.open(marker, "wb"))
      m:write(tostring(done))
      m:close()
      for _ = 1, 600 do os.execute("sleep 0.1") end
      os.exit(3)
    end
  end
end
local r, msg = lg:post(text, opts)
lg:close()
if not r then
  io.stderr:write(tostring(msg), "\n")
  os.exit(1)
end
io.stdout:write(r.status, " ", r.claims, "\n")
os.exit(0)
