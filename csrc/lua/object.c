/*
** object.c (binding): the metatable of a userdata class, made once per
** Lua state and shared by every object of the class.
** SPDX-License-Identifier: MIT
*/
#include "areas.h"

void bhl_set_class(lua_State *L, const char *name, lua_CFunction gc, lua_CFunction tostring,
                   const luaL_Reg *methods) {
    if (luaL_newmetatable(L, name)) {
        lua_pushcfunction(L, gc);
        lua_setfield(L, -2, "__gc");
        if (tostring != NULL) {
            lua_pushcfunction(L, tostring);
            lua_setfield(L, -2, "__tostring");
        }
        if (methods != NULL) {
            lua_newtable(L);
            bhc_setfuncs(L, methods, 0);
            lua_setfield(L, -2, "__index");
        }
    }
    lua_setmetatable(L, -2);
}
