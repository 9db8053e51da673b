/*
** eligibility.c: the binding of the 270/271 and 276/277 readers and
** writers (x12_inquiry.h): core.inquiry_read, core.inquiry_write and
** core.inquiry_meaning. The core builds a cJSON tree; it becomes plain
** tables here (absent values stay nil, lists are sequences).
** SPDX-License-Identifier: MIT
*/
#include <string.h>
#include "x12_inquiry.h"
#include "areas.h"

#define TREE_MT "bhclaim.InquiryTree"
#define MAX_DEPTH 64

/* A cJSON tree held by a userdata, so that a Lua error while building
** tables (out of memory) cannot leak it: __gc frees it. */
typedef struct tree_ud {
    cJSON *tree;
} tree_ud;

static int tree_gc(lua_State *L) {
    tree_ud *u = (tree_ud *)luaL_checkudata(L, 1, TREE_MT);
    cJSON_Delete(u->tree);
    u->tree = NULL;
    return 0;
}

static tree_ud *new_tree_ud(lua_State *L) {
    tree_ud *u = (tree_ud *)lua_newuserdata(L, sizeof *u);
    u->tree = NULL;
    bhl_set_class(L, TREE_MT, tree_gc, NULL, NULL);
    return u;
}

static int family_arg(lua_State *L, int idx, const char *fname) {
    const char *f = luaL_checkstring(L, idx);
    if (strcmp(f, "eligibility") == 0) return BH_INQ_ELIGIBILITY;
    if (strcmp(f, "status") == 0) return BH_INQ_STATUS;
    return luaL_error(L, "bad argument #%d to '%s' (\"eligibility\" or \"status\" expected)",
                      idx, fname);
}

static int push_failure(lua_State *L, const bh_error *err) {
    lua_pushnil(L);
    lua_pushstring(L, err->message);
    lua_pushstring(L, err->id[0] ? err->id : "x12.syntax");
    return 3;
}

/* {--- cJSON -> Lua --- */

static void push_json(lua_State *L, const cJSON *v) {
    const cJSON *c;
    int i = 0;
    luaL_checkstack(L, 4, "nesting too deep");
    if (cJSON_IsString(v)) lua_pushstring(L, v->valuestring);
    else if (cJSON_IsNumber(v)) lua_pushnumber(L, v->valuedouble);
    else if (cJSON_IsBool(v)) lua_pushboolean(L, cJSON_IsTrue(v));
    else if (cJSON_IsArray(v)) {
        lua_createtable(L, cJSON_GetArraySize(v), 0);
        cJSON_ArrayForEach(c, v) {
            push_json(L, c);
            lua_rawseti(L, -2, ++i);
        }
    } else if (cJSON_IsObject(v)) {
        lua_createtable(L, 0, 8);
        cJSON_ArrayForEach(c, v) {
            push_json(L, c);
            lua_setfield(L, -2, c->string);
        }
    } else {
        lua_pushnil(L);
    }
}

/* {--- Lua -> cJSON (the inquiries given to the writer) --- */

static cJSON *to_json(lua_State *L, int idx, int depth, const char **why);

static cJSON *table_to_json(lua_State *L, int idx, int depth, const char **why) {
    size_t n = (size_t)bhc_rawlen(L, idx), i;
    cJSON *out;
    if (n > 0) {
        out = cJSON_CreateArray();
        for (i = 1; out != NULL && i <= n; i++) {
            cJSON *item;
            lua_rawgeti(L, idx, (int)i);
            item = to_json(L, lua_gettop(L), depth + 1, why);
            lua_pop(L, 1);
            if (item == NULL || !cJSON_AddItemToArray(out, item)) {
                cJSON_Delete(item);
                cJSON_Delete(out);
                return NULL;
            }
        }
        return out;
    }
    out = cJSON_CreateObject();
    lua_pushnil(L);
    while (out != NULL && lua_next(L, idx) != 0) {
        cJSON *item;
        if (lua_type(L, -2) != LUA_TSTRING) {
            *why = "a table mixes list items and keys, or has a key that is not a string";
            lua_pop(L, 2);
            cJSON_Delete(out);
            return NULL;
        }
        item = to_json(L, lua_gettop(L), depth + 1, why);
        if (item == NULL || !cJSON_AddItemToObject(out, lua_tostring(L, -2), item)) {
            cJSON_Delete(item);
            cJSON_Delete(out);
            lua_pop(L, 2);
            return NULL;
        }
        lua_pop(L, 1);
    }
    return out;
}

static cJSON *to_json(lua_State *L, int idx, int depth, const char **why) {
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: return cJSON_CreateString(lua_tostring(L, idx));
    case LUA_TNUMBER: return cJSON_CreateNumber(lua_tonumber(L, idx));
    case LUA_TBOOLEAN: return cJSON_CreateBool(lua_toboolean(L, idx));
    case LUA_TTABLE:
        if (depth > MAX_DEPTH) {
            *why = "tables nested too deep";
            return NULL;
        }
        return table_to_json(L, idx, depth, why);
    default:
        *why = "a value is not a string, number, boolean or table";
        return NULL;
    }
}

/***
Reads every 270/271 (family "eligibility") or 276/277 ("status") set.
@function inquiry_read
@string family "eligibility" or "status"
@string text the file's content
@treturn table list of set tables (docs/eligibility.md, docs/status.md)
@return[2] nil, message naming the segment, id ("x12.syntax", "x12.value")
*/
static int l_inquiry_read(lua_State *L) {
    int family = family_arg(L, 1, "inquiry_read");
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    tree_ud *u = new_tree_ud(L);
    bh_error err;
    u->tree = bh_inquiry_read((bh_inquiry_family)family, text, len, &err);
    if (u->tree == NULL) return push_failure(L, &err);
    push_json(L, u->tree);
    cJSON_Delete(u->tree);
    u->tree = NULL;
    return 1;
}

/***
Writes a 270 (family "eligibility") or 276 ("status") interchange.
@function inquiry_write
@string family "eligibility" or "status"
@tparam table items the inquiries (docs/eligibility.md, docs/status.md)
@tparam table envelope as for x12_write: ids, control numbers, date, time...
@treturn[1] string the interchange
@return[2] nil, message naming the item and field, "x12.write"
*/
static int l_inquiry_write(lua_State *L) {
    int family = family_arg(L, 1, "inquiry_write");
    tree_ud *u;
    bh_x12_options opt;
    bh_buffer out;
    bh_error err;
    bh_status st;
    const char *why = "out of memory";
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    u = new_tree_ud(L);
    u->tree = to_json(L, 2, 0, &why);
    if (u->tree == NULL) return luaL_error(L, "bad argument #2 to 'inquiry_write' (%s)", why);
    read_x12_options(L, 3, &opt);
    lua_getfield(L, 3, "version");
    if (lua_isnil(L, -1)) opt.version = NULL;
    lua_pop(L, 1);
    bh_buffer_init(&out);
    st = bh_inquiry_write((bh_inquiry_family)family, u->tree, &opt, &out, &err);
    cJSON_Delete(u->tree);
    u->tree = NULL;
    if (st != BH_OK) {
        bh_buffer_free(&out);
        return push_failure(L, &err);
    }
    lua_pushlstring(L, out.data, out.len);
    bh_buffer_free(&out);
    return 1;
}

/***
The meaning of a code in one of the readers' code lists.
@function inquiry_meaning
@string list "eb_kind", "service_type", "reject_reason", "status_category"...
@string code
@treturn string|nil the meaning, nil when the code is not in the list kept
*/
static int l_inquiry_meaning(lua_State *L) {
    const char *m = bh_inquiry_meaning(luaL_checkstring(L, 1), luaL_checkstring(L, 2));
    if (m == NULL) lua_pushnil(L);
    else lua_pushstring(L, m);
    return 1;
}

static const luaL_Reg eligibility_functions[] = {
    {"inquiry_read", l_inquiry_read},
    {"inquiry_write", l_inquiry_write},
    {"inquiry_meaning", l_inquiry_meaning},
    {NULL, NULL}
};

void bhl_open_eligibility(lua_State *L) {
    bhc_setfuncs(L, eligibility_functions, 0);
}
