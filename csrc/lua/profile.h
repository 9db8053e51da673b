/*
** profile.h (binding): the compiled payer profile as a Lua userdata, shared
** by profile.c (which makes it) and lbhclaim.c (whose checks read it).
** SPDX-License-Identifier: MIT
*/
#ifndef BHCLAIM_LUA_PROFILE_H
#define BHCLAIM_LUA_PROFILE_H

#include "areas.h"
#include "../core.h"

#define PROFILE_MT "bhclaim.Profile"

/* A compiled payer profile: the C struct plus an arena owning its strings
** and arrays, so it lives exactly as long as the Lua value. */
typedef struct profile_ud {
    bh_profile profile;
    bh_telehealth_profile telehealth; /* profile.telehealth points here when set */
    bh_arena *arena;            /* NULL once collected */
} profile_ud;

/* Checks the profile table at idx against the profile schema. Returns 1
** when it holds, else 0 with msg set to "[profile 'name': ]field 'x' must
** be ..." or "unknown field 'x'". Leaves the stack as it was. */
int bhl_profile_check(lua_State *L, int idx, char *msg, size_t size);

#endif
