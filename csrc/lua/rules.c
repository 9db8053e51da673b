/*
** rules.c (binding): the rules catalogue and each finding's predicted
** denial, from the core's one table (csrc/rules_catalog.c).
** SPDX-License-Identifier: MIT
*/
#include <stdlib.h>
#include <string.h>
#include "areas.h"
#include "../bhclaim.h"

static void set_field(lua_State *L, const char *key, const char *value) {
    if (value == NULL) return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

/* {group=, carc=, rarc=} (rarc absent when none). */
static void push_denial_row(lua_State *L, const bh_rule_denial *row) {
    lua_createtable(L, 0, 3);
    set_field(L, "group", row->group);
    set_field(L, "carc", row->carc);
    set_field(L, "rarc", row->rarc);
}

void bhl_push_denial(lua_State *L, const char *rule, const char *path) {
    const bh_rule_denial *row = bh_rule_denial_find(rule, path);
    if (row == NULL || row->group == NULL) lua_pushnil(L);
    else push_denial_row(L, row);
}

/***
Every rule id with the denial it predicts.
@function rules_catalog
@treturn table list of {rule, severity (absent when it depends on the data),
  group, carc, rarc (absent when none), source, path (only on rows for one
  path)}; group and carc are absent for rules that predict no denial
*/
static int l_rules_catalog(lua_State *L) {
    size_t i, n;
    const bh_rule_denial *rows = bh_rules_catalog(&n);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 7);
        set_field(L, "rule", rows[i].rule);
        set_field(L, "path", rows[i].path);
        set_field(L, "severity", rows[i].severity);
        set_field(L, "group", rows[i].group);
        set_field(L, "carc", rows[i].carc);
        set_field(L, "rarc", rows[i].rarc);
        set_field(L, "source", rows[i].source);
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/***
The denial a finding of a rule (at a path) predicts.
@function rule_denial
@tparam string rule
@tparam[opt] string path
@treturn table|nil {group, carc, rarc}, or nil when the rule predicts none
  or is not a core rule
*/
static int l_rule_denial(lua_State *L) {
    const char *rule = luaL_checkstring(L, 1);
    const char *path = luaL_optstring(L, 2, NULL);
    bhl_push_denial(L, rule, path);
    return 1;
}

/***
1 when a rule id is one the core or the Lua layer emits.
@function rule_known
@tparam string rule
@treturn boolean
*/
static int l_rule_known(lua_State *L) {
    lua_pushboolean(L, bh_rule_denial_find(luaL_checkstring(L, 1), NULL) != NULL);
    return 1;
}

void bhl_push_claim_keys(lua_State *L, const bh_claim *claim) {
    char key[256];
    int i;
    if (bh_claim_patient_key(claim, key, sizeof key) == 0) return;
    lua_pushstring(L, key);
    lua_setfield(L, -2, "patient_key");
    lua_createtable(L, claim->n_lines, 0);
    for (i = 0; i < claim->n_lines; i++) {
        bh_line_key(&claim->lines[i], key, sizeof key);
        lua_pushstring(L, key);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "line_keys");
    set_field(L, "frequency", claim->frequency);
    if (claim->payer.kind != BH_PAYER_UNKNOWN)
        set_field(L, "payer_kind", bh_payer_kind_name(claim->payer.kind));
}

/* {====================================================================
** A set of keys outside the Lua heap, for the rules across claims: a
** batch holds one key per line, and a Lua table of that many strings is
** traversed by every garbage-collection cycle while the batch is checked.
** ===================================================================== */

#define KEYSET_MT "bhclaim.KeySet"

typedef struct keyset_entry {
    char *key;              /* NULL: empty slot */
    size_t len;
    unsigned long hash;
    lua_Number value;
} keyset_entry;

typedef struct keyset {
    keyset_entry *slots;
    size_t cap;             /* a power of two, or 0 */
    size_t count;
} keyset;

static unsigned long fnv1a(const char *s, size_t n) {
    unsigned long h = 2166136261UL;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619UL;
    }
    return h;
}

static keyset_entry *keyset_slot(keyset *k, const char *key, size_t len, unsigned long h) {
    size_t i = h & (k->cap - 1);
    while (k->slots[i].key != NULL &&
           !(k->slots[i].hash == h && k->slots[i].len == len &&
             memcmp(k->slots[i].key, key, len) == 0))
        i = (i + 1) & (k->cap - 1);
    return &k->slots[i];
}

static int keyset_grow(keyset *k) {
    size_t cap = k->cap ? k->cap * 2 : 1024, i;
    keyset_entry *old = k->slots, *slots = calloc(cap, sizeof *slots);
    size_t old_cap = k->cap;
    if (slots == NULL) return 0;
    k->slots = slots;
    k->cap = cap;
    for (i = 0; i < old_cap; i++)
        if (old[i].key != NULL) *keyset_slot(k, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
    return 1;
}

static int keyset_gc(lua_State *L) {
    keyset *k = luaL_checkudata(L, 1, KEYSET_MT);
    size_t i;
    for (i = 0; i < k->cap; i++) free(k->slots[i].key);
    free(k->slots);
    k->slots = NULL;
    k->cap = k->count = 0;
    return 0;
}

int bhl_key_set_put(lua_State *L, int idx, const char *key, size_t len, lua_Number value,
                    lua_Number *old) {
    keyset *k = luaL_checkudata(L, idx, KEYSET_MT);
    unsigned long h = fnv1a(key, len);
    keyset_entry *e;
    if ((k->count + 1) * 2 > k->cap && !keyset_grow(k))
        return luaL_error(L, "bhclaim: out of memory");
    e = keyset_slot(k, key, len, h);
    if (e->key != NULL) {
        *old = e->value;
        return 1;
    }
    e->key = malloc(len + 1);
    if (e->key == NULL) return luaL_error(L, "bhclaim: out of memory");
    memcpy(e->key, key, len);
    e->key[len] = '\0';
    e->len = len;
    e->hash = h;
    e->value = value;
    k->count++;
    return 0;
}

/* set:put(key, value) -> the value the key already had (and keeps), or nil
** after storing value. */
static int keyset_put(lua_State *L) {
    size_t len;
    const char *key = luaL_checklstring(L, 2, &len);
    lua_Number value = luaL_checknumber(L, 3), old;
    if (bhl_key_set_put(L, 1, key, len, value, &old)) lua_pushnumber(L, old);
    else lua_pushnil(L);
    return 1;
}

/***
A set of strings held outside the Lua heap, each with a number:
set:put(key, value) returns the number stored earlier for the key, or nil
after storing this one. For the rules across claims (bhclaim.batch).
@function key_set
@treturn userdata
*/
static int l_key_set(lua_State *L) {
    keyset *k = lua_newuserdata(L, sizeof *k);
    k->slots = NULL;
    k->cap = k->count = 0;
    if (luaL_newmetatable(L, KEYSET_MT)) {
        lua_pushcfunction(L, keyset_gc);
        lua_setfield(L, -2, "__gc");
        lua_newtable(L);
        lua_pushcfunction(L, keyset_put);
        lua_setfield(L, -2, "put");
        lua_setfield(L, -2, "__index");
    }
    lua_setmetatable(L, -2);
    return 1;
}

static const luaL_Reg rules_functions[] = {
    {"key_set", l_key_set},
    {"rules_catalog", l_rules_catalog},
    {"rule_denial", l_rule_denial},
    {"rule_known", l_rule_known},
    {NULL, NULL}
};

void bhl_open_rules(lua_State *L) {
    bhc_setfuncs(L, rules_functions, 0);
}
