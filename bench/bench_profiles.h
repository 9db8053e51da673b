/*
** bench_profiles.h: the payer profiles the benches check with: the built-in
** ones by payer kind, compiled by the Lua layer itself
** (require("bhclaim").x12.profiles(), what bhclaim.check and the command
** line use when no payer is named), so no profile value is copied into a
** bench and every path does the same work. Lua 5.4 runs only before the
** clock starts; bhclaim.core comes from LUA_CPATH. Static functions: each
** bench is one translation unit.
** SPDX-License-Identifier: MIT
*/
#ifndef BENCH_PROFILES_H
#define BENCH_PROFILES_H

#include <stdio.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include "bhclaim.h"

/* The built-in profiles by payer kind, compiled by the Lua layer. The Lua
** state owns them; it stays open for the whole run. */
typedef struct profiles {
    lua_State *L;
    const bh_profile *by_kind[BH_PAYER_OTHER + 1];
} profiles;

/* A compiled profile is a full userdata whose block starts with its
** bh_profile (profile_ud in csrc/lbhclaim.c); the name is checked so a
** change of that layout stops the bench instead of measuring garbage. */
static const bh_profile *profile_field(lua_State *L, const char *kind) {
    const bh_profile *p;
    lua_getfield(L, -1, kind);
    p = lua_type(L, -1) == LUA_TUSERDATA ? lua_touserdata(L, -1) : NULL;
    lua_pop(L, 1);      /* the table, kept in the registry, keeps it alive */
    if (p == NULL || p->name == NULL || strcmp(p->name, kind) != 0) {
        fprintf(stderr, "bench_core: bhclaim.x12.profiles().%s is not a compiled "
                        "profile named %s\n", kind, kind);
        return NULL;
    }
    return p;
}

/* Loads bhclaim (LUA_PATH, LUA_CPATH) and takes bhclaim.x12.profiles().
** Kinds map as profile_for_kind in csrc/lbhclaim.c maps them: other and
** unknown payer kinds get the commercial profile. Returns 0 on failure. */
static int profiles_load(profiles *ps) {
    static const char *const chunk = "return require('bhclaim').x12.profiles()";
    memset(ps, 0, sizeof *ps);
    if ((ps->L = luaL_newstate()) == NULL) return 0;
    luaL_openlibs(ps->L);
    if (luaL_loadstring(ps->L, chunk) != LUA_OK || lua_pcall(ps->L, 0, 1, 0) != LUA_OK ||
        !lua_istable(ps->L, -1)) {
        fprintf(stderr, "bench_core: %s: %s\n", chunk,
                lua_isstring(ps->L, -1) ? lua_tostring(ps->L, -1) : "no table");
        return 0;
    }
    ps->by_kind[BH_PAYER_MEDICARE] = profile_field(ps->L, "medicare");
    ps->by_kind[BH_PAYER_MEDICAID] = profile_field(ps->L, "medicaid");
    ps->by_kind[BH_PAYER_COMMERCIAL] = profile_field(ps->L, "commercial");
    ps->by_kind[BH_PAYER_UNKNOWN] = ps->by_kind[BH_PAYER_OTHER] =
        ps->by_kind[BH_PAYER_COMMERCIAL];
    lua_setfield(ps->L, LUA_REGISTRYINDEX, "bench_core.profiles");
    return ps->by_kind[BH_PAYER_MEDICARE] != NULL && ps->by_kind[BH_PAYER_MEDICAID] != NULL &&
           ps->by_kind[BH_PAYER_COMMERCIAL] != NULL;
}

static const bh_profile *profile_of(const profiles *ps, const bh_claim *claim) {
    unsigned kind = (unsigned)claim->payer.kind;
    return kind <= BH_PAYER_OTHER ? ps->by_kind[kind] : ps->by_kind[BH_PAYER_COMMERCIAL];
}

/* Closes the Lua state, and with it the profiles. */
static void profiles_close(profiles *ps) {
    if (ps->L != NULL) lua_close(ps->L);
    memset(ps, 0, sizeof *ps);
}

#endif
