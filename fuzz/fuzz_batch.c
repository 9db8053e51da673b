/*
** fuzz_batch.c: the command line's batch path in the binding (Lua 5.4):
** core.check_batch's lines (NDJSON text split into records, each parsed,
** checked with the built-in profile of its payer kind and reported in
** text, JSON or CSV, with a custom rule's findings) and file_lines (the
** same read from a file a few bytes at a time, through the batch's own
** input buffer). Unlike the other harnesses this one links the binding
** and Lua, because the splitting, the held input and the hand-over of
** records to the Lua path live there.
** Properties (checked in Lua, a failed assert aborts): every call moves
** on, and both ways give the same report lines and summary.
** SPDX-License-Identifier: MIT
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int luaopen_bhclaim_core(lua_State *L);

/* Given the core module and the built-in profiles by payer kind, returns
** the function run on each input: run(text, format, want). */
static const char RUN[] =
    "local core, by_kind = ...\n"
    /* custom rules' findings (--rules): the claim's id, whatever its bytes,
    ** as message and hint, under a rule id as long as the id */
    "local function rule_findings(record)\n"
    "  local claim = core.decode(record)\n"
    "  if type(claim) ~= 'table' then return nil end\n"
    "  local id = type(claim.id) == 'string' and claim.id or nil\n"
    "  if not id then return {} end\n"
    "  return { { rule = 'fuzz.' .. string.rep('x', #id % 90), severity = 'warning',\n"
    "    path = '', message = id, hint = id, source = 'fuzz' } }\n"
    "end\n"
    "local function new_opts(format)\n"
    "  return { format = format, today = '2026-03-15', source = 'fuzz', by_kind = by_kind,\n"
    "    tracker = { seen = core.key_set(), n = 0 }, rule_findings = rule_findings },\n"
    "    { claims = 0, clean = 0, with_errors = 0, with_warnings = 0, records = 0,\n"
    "      rules = {} }\n"
    "end\n"
    /* the records the Lua path would take are skipped, as a line */
    "local function skip(text, pos)\n"
    "  local nl = text:find('\\n', pos, true)\n"
    "  return nl and nl + 1 or #text + 1\n"
    "end\n"
    "local function by_lines(text, format)\n"
    "  local b, opts, stats = core.check_batch(), new_opts(format)\n"
    "  local pos, line, out = 1, 1, {}\n"
    "  while pos <= #text do\n"
    "    local o, next_pos, next_line, _, handed = b:lines(text, pos, line, opts, stats, true)\n"
    "    assert(next_pos >= pos and next_line >= line, 'lines moves on')\n"
    "    out[#out + 1] = o\n"
    "    pos, line = next_pos, next_line\n"
    "    if handed then pos, line = skip(text, pos), line + 1 end\n"
    "  end\n"
    "  return table.concat(out), stats\n"
    "end\n"
    "local function by_file(text, format, want)\n"
    "  local b, opts, stats = core.check_batch(), new_opts(format)\n"
    "  local f = assert(io.tmpfile())\n"
    "  f:write(text)\n"
    "  f:seek('set', 0)\n"
    "  local line, out = 1, {}\n"
    "  while true do\n"
    "    local o, got, next_line, _, handed, at_end = b:file_lines(f, want, line, opts, stats)\n"
    "    assert(o, got)\n"
    "    out[#out + 1] = o\n"
    "    line = next_line\n"
    "    if handed then line = line + 1 elseif at_end then break end\n"
    "  end\n"
    "  f:close()\n"
    "  local rest = b:take_input()\n"
    "  if rest ~= '' then\n"
    "    local o, _, _, _, handed = b:lines(rest, 1, line, opts, stats, true)\n"
    "    out[#out + 1] = o\n"
    "    if handed then assert(not rest:find('\\n', 1, true), 'one line is left') end\n"
    "  end\n"
    "  return table.concat(out), stats\n"
    "end\n"
    "return function(text, format, want)\n"
    "  local a, sa = by_lines(text, format)\n"
    "  local b, sb = by_file(text, format, want)\n"
    "  assert(a == b, 'the same report lines read from a file')\n"
    "  assert(sa.claims == sb.claims and sa.clean == sb.clean and\n"
    "    sa.with_errors == sb.with_errors, 'the same summary read from a file')\n"
    "end\n";

/* One Lua state for the whole run (made once: loading the profiles is
** slow), holding the function above in the registry. */
static lua_State *state;
static int run_ref = LUA_NOREF;

static void fail(const char *what) {
    fprintf(stderr, "fuzz_batch: %s: %s\n", what, lua_tostring(state, -1));
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    state = luaL_newstate();
    if (state == NULL) abort();
    luaL_openlibs(state);
    /* the Lua layer from the tree (fuzz.sh runs from the project root) */
    if (luaL_dostring(state, "package.path = 'lua/?.lua;lua/?/init.lua;' .. package.path"))
        fail("package.path");
    luaL_getsubtable(state, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(state, luaopen_bhclaim_core);
    lua_setfield(state, -2, "bhclaim.core");
    lua_pop(state, 1);
    if (luaL_loadbuffer(state, RUN, sizeof RUN - 1, "=fuzz_batch")) fail("load");
    if (luaL_dostring(state, "return require('bhclaim.core'), "
                             "require('bhclaim').x12.profiles()"))
        fail("require");
    if (lua_pcall(state, 2, 1, 0)) fail("set-up");
    run_ref = luaL_ref(state, LUA_REGISTRYINDEX);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const formats[] = {"text", "json", "csv", "none"};
    lua_settop(state, 0);
    lua_rawgeti(state, LUA_REGISTRYINDEX, run_ref);
    lua_pushlstring(state, (const char *)data, size);
    lua_pushstring(state, formats[size % 4]);
    lua_pushinteger(state, 1 + (lua_Integer)(size % 97));   /* bytes a read */
    if (lua_pcall(state, 3, 0, 0)) fail("run");
    lua_gc(state, LUA_GCCOLLECT, 0);
    return 0;
}
