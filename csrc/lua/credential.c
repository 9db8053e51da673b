/*
** credential.c (binding): credentials as written, read and matched by the
** core (csrc/credential.c), so the Lua layer keeps no copy of the rules.
** SPDX-License-Identifier: MIT
*/
#include <string.h>
#include "areas.h"
#include "../bhclaim.h"

/* Accepted entries read per call; payer lists are a few dozen. */
#define MAX_ACCEPTED 128

static const char *const verdict_names[] = {
    "eligible", "not_yet", "not_eligible", "degree_only", "unrecognised"};

static const char *const kind_names[] = {"unknown", "licence", "certification", "degree"};

static bh_date date_arg(lua_State *L, int arg) {
    size_t len;
    const char *text = luaL_optlstring(L, arg, NULL, &len);
    bh_date date = 0;
    if (text != NULL && !bh_date_parse(text, len, &date))
        luaL_argerror(L, arg, "date expected as YYYY-MM-DD");
    return date;
}

/***
Reads a credential as written.
@function credential
@tparam string text e.g. "APRN, PMHNP-BC"
@treturn table list of {text, kind (licence, certification, degree, unknown),
  class and source (the licence class and who says what it may bill, for a
  licence)}
*/
static int l_credential(lua_State *L) {
    bh_credential_parsed parsed;
    int i;
    bh_credential_parse(luaL_checkstring(L, 1), &parsed);
    lua_createtable(L, parsed.n, 0);
    for (i = 0; i < parsed.n; i++) {
        const bh_credential_token *t = &parsed.tokens[i];
        lua_createtable(L, 0, 3);
        lua_pushstring(L, t->text);
        lua_setfield(L, -2, "text");
        lua_pushstring(L, kind_names[t->kind]);
        lua_setfield(L, -2, "kind");
        if (t->kind == BH_CREDENTIAL_LICENCE) {
            lua_pushstring(L, bh_licence_class_name(t->cls));
            lua_setfield(L, -2, "class");
            lua_pushstring(L, bh_licence_class_source(t->cls));
            lua_setfield(L, -2, "source");
        }
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* Reads {credential=, modifier=, from=} entries of a profile's accepted
** list. Strings stay owned by the list (on the stack at arg). */
static int read_accepted(lua_State *L, int arg, bh_credential *out) {
    int i, n = 0;
    luaL_checktype(L, arg, LUA_TTABLE);
    for (i = 1;; i++) {
        lua_rawgeti(L, arg, i);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        if (n == MAX_ACCEPTED) luaL_argerror(L, arg, "more than 128 accepted credentials");
        if (!lua_istable(L, -1)) luaL_argerror(L, arg, "entries must be tables");
        lua_getfield(L, -1, "credential");
        out[n].credential = lua_tostring(L, -1);
        lua_getfield(L, -2, "modifier");
        out[n].modifier = lua_tostring(L, -1);
        lua_getfield(L, -3, "from");
        out[n].from = 0;
        if (lua_isstring(L, -1)) {
            size_t len;
            const char *from = lua_tolstring(L, -1, &len);
            bh_date_parse(from, len, &out[n].from);
        }
        lua_pop(L, 4);  /* the list keeps the strings alive */
        bh_credential_prepare(&out[n]);
        if (out[n].credential != NULL) n++;
    }
    return n;
}

/***
Matches a credential as written against a payer's accepted list on a date.
@function credential_match
@tparam table accepted a profile's credentials.accepted list
@tparam string written
@tparam[opt] string date "YYYY-MM-DD" (entries with a later `from` do not match)
@treturn string verdict: eligible, not_yet, not_eligible, degree_only, unrecognised
@treturn string|nil the matched entry's modifier
@treturn string|nil the licence class matched (or the first licence's)
*/
static int l_credential_match(lua_State *L) {
    bh_credential accepted[MAX_ACCEPTED];
    bh_credential_result result;
    bh_credential_verdict verdict;
    const char *written = luaL_checkstring(L, 2);
    bh_date date = date_arg(L, 3);
    int n = read_accepted(L, 1, accepted);
    verdict = bh_credential_match(accepted, n, written, date, &result);
    lua_pushstring(L, verdict_names[verdict]);
    if (result.entry != NULL && result.entry->modifier != NULL)
        lua_pushstring(L, result.entry->modifier);
    else
        lua_pushnil(L);
    if (result.cls != BH_LICENCE_NONE) lua_pushstring(L, bh_licence_class_name(result.cls));
    else lua_pushnil(L);
    return 3;
}

static const luaL_Reg credential_functions[] = {
    {"credential", l_credential},
    {"credential_match", l_credential_match},
    {NULL, NULL}
};

void bhl_open_credential(lua_State *L) {
    bhc_setfuncs(L, credential_functions, 0);
}
