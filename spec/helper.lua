-- spec/helper.lua: puts the in-tree build of bhclaim.core on package.cpath,
-- choosing the ABI from the running interpreter. BHCLAIM_BUILD selects
-- another build tree (the sanitizer run uses build-asan).
local build = os.getenv("BHCLAIM_BUILD") or "build"
local abi = _VERSION:match("(%d+%.%d+)")
if type(jit) == "table" then abi = "5.1" end  -- LuaJIT shares 5.1's ABI
package.cpath = build .. "/" .. abi .. "/?.so;" .. package.cpath
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path

-- GC stress: collect at every step so a missing reference in the binding
-- shows up as a crash here rather than in production.
if os.getenv("BHCLAIM_GC_STRESS") then
  collectgarbage("setpause", 0)
  collectgarbage("setstepmul", 1000)
end
