-- luacheck: the intersection of Lua 5.1-5.4 and LuaJIT, no globals.
std = "min"
max_line_length = 100
files["spec/**/*_spec.lua"] = { std = "+busted" }
files["spec/helper.lua"] = { globals = { "jit" } }
files["bench/*.lua"] = { read_globals = { "jit" } }
exclude_files = { "luarocks-tree/**", "build/**", "build-asan/**" }
