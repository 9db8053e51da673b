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

static const luaL_Reg rules_functions[] = {
    {"rules_catalog", l_rules_catalog},
    {"rule_denial", l_rule_denial},
    {"rule_known", l_rule_known},
    {NULL, NULL}
};

void bhl_open_rules(lua_State *L) {
    bhc_setfuncs(L, rules_functions, 0);
}
