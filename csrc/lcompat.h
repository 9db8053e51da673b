/*
** lcompat.h: the few Lua C API differences between 5.1 (and LuaJIT) and
** 5.2-5.4 that the binding uses. Included by lbhclaim.c alone. Shims carry
** our own prefix so they never clash with LuaJIT's partial 5.2 API.
** SPDX-License-Identifier: MIT
*/
#ifndef BH_LCOMPAT_H
#define BH_LCOMPAT_H

#include "lua.h"
#include "lauxlib.h"

#if LUA_VERSION_NUM < 502
/* luaL_setfuncs with shared upvalues, as 5.2 has it. */
static inline void bhc_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
    luaL_checkstack(L, nup + 1, "too many upvalues");
    for (; l->name != NULL; l++) {
        int i;
        for (i = 0; i < nup; i++) lua_pushvalue(L, -nup);
        lua_pushcclosure(L, l->func, nup);
        lua_setfield(L, -(nup + 2), l->name);
    }
    lua_pop(L, nup);
}
#define bhc_rawlen(L, i) lua_objlen(L, (i))
#else
#define bhc_setfuncs luaL_setfuncs
#define bhc_rawlen(L, i) lua_rawlen(L, (i))
#endif

/* 5.3 added integers: push whole numbers as integers there so that 1
** prints as 1, not 1.0; 5.1 has doubles only. */
#if LUA_VERSION_NUM >= 503
#define bhc_isinteger(L, i) lua_isinteger(L, (i))
#else
#define bhc_isinteger(L, i) 0
#endif

#endif
