/*
** lbhclaim.c: the binding between Lua and the bhclaim core (module
** "bhclaim.core"). The only file that includes Lua headers. It converts Lua
** values to and from JSON, runs core checks, and turns core results
** into plain tables; the workflow layer lives in lua/bhclaim/.
** SPDX-License-Identifier: MIT
*/
/***
The C core's Lua face: look-ups, checks, JSON, profiles, NCCI tables,
telehealth and X12. Scripts use the `bhclaim` module built on it.
@module bhclaim.core
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bhclaim.h"
#include "core.h"
#include "lcompat.h"
#include "lua/areas.h"
#include "lua/json_write.h"
#include "lua/profile.h"

#define SCRATCH_MT "bhclaim.Scratch"
#define NCCI_MT "bhclaim.Ncci"

typedef struct ncci_ud {
    bh_ncci *ncci;              /* NULL once collected */
} ncci_ud;

static bh_ncci *check_ncci(lua_State *L, int idx);
static void set_string(lua_State *L, const char *key, const char *value);
static void set_date(lua_State *L, const char *key, bh_date date);
static void push_summary(lua_State *L, const bh_claim *c);

/* {====================================================================
** Scratch: the per-module claim, report and JSON text
** ===================================================================== */

/* One per loaded module (an upvalue of every function), never global: each
** Lua state gets its own. It owns anything that must not leak when a Lua
** call raises (out of memory) halfway through a conversion. */
typedef struct scratch {
    bh_claim *claim;        /* reused claim model */
    bh_report *report;      /* reused findings */
    bhl_json_buf json;      /* JSON text written from a Lua value */
} scratch;

static int scratch_gc(lua_State *L) {
    scratch *s = luaL_checkudata(L, 1, SCRATCH_MT);
    bh_claim_free(s->claim);
    bh_report_free(s->report);
    bhl_json_buf_free(&s->json);
    s->claim = NULL;
    s->report = NULL;
    return 0;
}

static scratch *get_scratch(lua_State *L) {
    scratch *s = lua_touserdata(L, lua_upvalueindex(1));
    bh_report_reset(s->report);
    return s;
}

/* {====================================================================
** Values JSON cannot hold, met while checking a claim table
** ===================================================================== */

/* Adds a claim.schema finding for each value JSON could not hold. They go
** in before the reader's findings, which then skip the same paths. */
static bh_status report_unsupported(const bhl_json_walk *w, bh_report *report) {
    int i;
    for (i = 0; i < w->n_unsupported; i++) {
        bh_finding f = {.rule = "claim.schema", .severity = BH_SEV_ERROR,
                        .path = w->unsupported_path[i],
                        .hint = "Keep only strings, numbers, booleans, bhclaim.null and "
                                "tables without cycles in a claim.",
                        .source = "bhclaim claim JSON contract"};
        if (bh_report_addf(report, &f, "The claim holds %s, which JSON cannot carry.",
                           w->unsupported_what[i]) != BH_OK)
            return BH_ERR_NOMEM;
    }
    return BH_OK;
}

/* {====================================================================
** JSON text -> Lua value
** ===================================================================== */

#define JSON_MT "bhclaim.Json"

/* Values read by the core, owned by a userdata while they become Lua
** values, so a raise halfway (memory) leaks nothing. */
typedef struct json_ud {
    bh_json *json;              /* NULL once freed */
} json_ud;

static int json_gc(lua_State *L) {
    json_ud *u = luaL_checkudata(L, 1, JSON_MT);
    bh_json_free(u->json);
    u->json = NULL;
    return 0;
}

static void push_value(lua_State *L, const bh_json_value *v) {
    const bh_json_value *child;
    int i = 0;
    double d;
    luaL_checkstack(L, 4, "JSON nested too deeply");
    switch (bh_json_kind_of(v)) {
    case BH_JSON_OBJECT:
        lua_createtable(L, 0, bh_json_count(v));
        for (child = bh_json_first(v); child != NULL; child = bh_json_next(child)) {
            push_value(L, child);
            lua_setfield(L, -2, bh_json_key(child));
        }
        break;
    case BH_JSON_ARRAY:
        lua_createtable(L, bh_json_count(v), 0);
        for (child = bh_json_first(v); child != NULL; child = bh_json_next(child)) {
            push_value(L, child);
            lua_rawseti(L, -2, ++i);
        }
        lua_pushlightuserdata(L, (void *)&bhl_array_mt_key);
        lua_rawget(L, LUA_REGISTRYINDEX);
        lua_setmetatable(L, -2);
        break;
    case BH_JSON_STRING:
        lua_pushstring(L, bh_json_string(v));
        break;
    case BH_JSON_NUMBER:
        d = bh_json_number(v);
        /* Whole numbers within 2^53 are exact: make them integers on 5.3+. */
        if (d == floor(d) && fabs(d) < 9007199254740992.0) lua_pushinteger(L, (lua_Integer)d);
        else lua_pushnumber(L, d);
        break;
    case BH_JSON_TRUE:
    case BH_JSON_FALSE:
        lua_pushboolean(L, bh_json_kind_of(v) == BH_JSON_TRUE);
        break;
    case BH_JSON_NULL:
        lua_pushlightuserdata(L, NULL);
        break;
    }
}

/* Pushes the fail triple nil, message, id (luv style). */
static int push_fail(lua_State *L, const bh_error *err) {
    lua_pushnil(L);
    lua_pushstring(L, err->message);
    lua_pushstring(L, err->id);
    return 3;
}

/***
Decodes JSON text into Lua values (objects to tables, arrays to tables with
the array metatable, null to bhclaim.null).
@function decode
@tparam string json
@return[1] the value
@return[2] nil
@treturn[2] string "line L, byte B: what was expected"
@treturn[2] string error id: "json.syntax", "json.depth" or "json.nul"
*/
static int l_decode(lua_State *L) {
    size_t len;
    const char *json = luaL_checklstring(L, 1, &len);
    bh_error err;
    json_ud *u = lua_newuserdata(L, sizeof *u);
    u->json = NULL;
    bhl_set_class(L, JSON_MT, json_gc, NULL, NULL);
    u->json = bh_json_parse(json, len, &err);
    if (u->json == NULL) {
        if (err.code == BH_ERR_NOMEM) return luaL_error(L, "bhclaim.decode: out of memory");
        return push_fail(L, &err);
    }
    push_value(L, bh_json_root(u->json));
    bh_json_free(u->json);
    u->json = NULL;
    return 1;
}

/***
Encodes a Lua value as JSON text. Keys of the claim contract come first in
contract order, others sorted, so output is deterministic.
@function encode
@param value a table, string, number, boolean or bhclaim.null
@treturn string JSON text
@raise "bad argument #1 to 'encode' (cannot encode ... at path)" when the
  value holds a function, a userdata, a NUL byte (in a string or a key), NaN
  or infinity, a cycle, a table with keys neither 1..n nor strings, or tables
  nested more than 200 levels deep
*/
static int l_encode(lua_State *L) {
    scratch *s = get_scratch(L);
    bhl_json_walk w;
    luaL_checkany(L, 1);
    if (!bhl_json_write(L, 1, BHL_JSON_STRICT, &s->json, &w)) {
        if (w.error == NULL) return luaL_error(L, "bhclaim.encode: out of memory");
        return bhl_json_raise(L, &w, "encode", 1, "cannot encode ");
    }
    /* The scratch owns the text while lua_pushlstring may raise (memory). */
    lua_pushlstring(L, s->json.text, s->json.len);
    return 1;
}

/* {====================================================================
** Checking
** ===================================================================== */

/* 1 when finding i repeats the path of one of the first `first` findings
** (a value reported as unsupported, then seen by the reader as null). */
static int repeats_path(const bh_report *report, size_t i, size_t first) {
    size_t j;
    if (i < first) return 0;
    for (j = 0; j < first; j++)
        if (strcmp(bh_report_get(report, j)->path, bh_report_get(report, i)->path) == 0)
            return 1;
    return 0;
}

/* The field names of reports and findings, made Lua strings once per Lua
** state and kept in a registry table under &report_keys_key: a field is then
** set with lua_rawset of a string already made, where lua_setfield would
** hash and look up the C string for every field of every report. */
static const char report_keys_key = 'R';

enum report_key {
    RK_OK = 1, RK_CLAIM_ID, RK_FINDINGS, RK_COUNTS, RK_DISABLED, RK_SUMMARY,
    RK_RULE, RK_SEVERITY, RK_PATH, RK_MESSAGE, RK_HINT, RK_SOURCE, RK_DENIAL, RK_ID,
    RK_SEVERITY_NAME,       /* + severity: "info", "warning", "error" */
    RK_END = RK_SEVERITY_NAME + BH_SEV_ERROR + 1
};

static const char *const report_key_names[RK_SEVERITY_NAME] = {
    NULL, "ok", "claim_id", "findings", "counts", "disabled", "summary",
    "rule", "severity", "path", "message", "hint", "source", "denial", "id"
};

/* Pushes the table of report keys (made on first use) and returns its
** absolute stack index. */
static int push_report_keys(lua_State *L) {
    int k;
    lua_pushlightuserdata(L, (void *)&report_keys_key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_createtable(L, RK_END - 1, 0);
        for (k = RK_OK; k < RK_END; k++) {
            lua_pushstring(L, k < RK_SEVERITY_NAME ? report_key_names[k]
                                                   : bh_severity_name((bh_severity)(k - RK_SEVERITY_NAME)));
            lua_rawseti(L, -2, k);
        }
        lua_pushlightuserdata(L, (void *)&report_keys_key);
        lua_pushvalue(L, -2);
        lua_rawset(L, LUA_REGISTRYINDEX);
    }
    return lua_gettop(L);
}

/* Sets field `key` of the table at the top to the string `value`; nothing
** for NULL (the field stays absent, as lua_setfield of nil leaves it). */
static void set_key_string(lua_State *L, int keys, int key, const char *value) {
    if (value == NULL) return;
    lua_rawgeti(L, keys, key);
    lua_pushstring(L, value);
    lua_rawset(L, -3);
}

/* Sets field `key` of the table below the value at the top to that value
** (popped). */
static void set_key(lua_State *L, int keys, int key) {
    lua_rawgeti(L, keys, key);
    lua_insert(L, -2);
    lua_rawset(L, -3);
}

/* One finding as a table {rule, severity, path, message, hint, source,
** denial}; keys: the stack index of push_report_keys' table. */
static void push_finding_keyed(lua_State *L, int keys, const bh_finding *f) {
    lua_createtable(L, 0, 7);
    set_key_string(L, keys, RK_RULE, f->rule);
    lua_rawgeti(L, keys, RK_SEVERITY);
    lua_rawgeti(L, keys, RK_SEVERITY_NAME + (int)f->severity);
    lua_rawset(L, -3);
    set_key_string(L, keys, RK_PATH, f->path);
    set_key_string(L, keys, RK_MESSAGE, f->message);
    set_key_string(L, keys, RK_HINT, f->hint);
    set_key_string(L, keys, RK_SOURCE, f->source);
    bhl_push_denial(L, f->rule, f->path);
    if (lua_isnil(L, -1)) lua_pop(L, 1);
    else set_key(L, keys, RK_DENIAL);
}

/* One finding as a table {rule, severity, path, message, hint, source}. */
static void push_finding(lua_State *L, const bh_finding *f) {
    int keys = push_report_keys(L);
    push_finding_keyed(L, keys, f);
    lua_remove(L, keys);
}

static void push_findings(lua_State *L, const bh_report *report, size_t unsupported) {
    size_t i, n = bh_report_count(report);
    int out = 0;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        if (repeats_path(report, i, unsupported)) continue;
        push_finding(L, bh_report_get(report, i));
        lua_rawseti(L, -2, ++out);
    }
}

/* An optional provider-kind name ("practitioner", "fqhc"...) at arg. */
static bh_provider_kind opt_provider_kind(lua_State *L, int arg) {
    bh_provider_kind kind = BH_PROVIDER_PRACTITIONER;
    size_t len;
    const char *name = luaL_optlstring(L, arg, NULL, &len);
    if (name != NULL && !bh_provider_kind_parse(name, len, &kind))
        luaL_argerror(L, arg, "unknown provider kind");
    return kind;
}

/* How a report table is built: the one builder for check, x12_check and
** the 837P stream. */
typedef struct report_style {
    int report_mt, finding_mt;  /* stack indices of the metatables, 0 for none */
    int disabled;               /* stack index of {rule = reason}, 0 for none */
    int with_disabled;          /* set report.disabled, a list even when empty */
    int with_summary;           /* set report.summary */
    int claim_table;            /* stack index of the claim's table, 0 for none */
    size_t unsupported;         /* leading findings later ones may repeat */
} report_style;

static int compare_rules(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Pushes report.disabled, one record {rule, reason, suppressed = 0} per
** entry of the table at `disabled`, sorted by rule id, then a table from
** rule id to its record for counting what each rule suppressed. */
static void push_disabled_records(lua_State *L, int disabled) {
    size_t n = 0, i;
    const char **rules;
    lua_pushnil(L);
    while (lua_next(L, disabled) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) n++;
    }
    /* A userdata, not malloc: a Lua error below cannot leak it. The rule
    ** strings stay alive as keys of the disabled table. */
    rules = lua_newuserdata(L, (n ? n : 1) * sizeof *rules);
    i = 0;
    lua_pushnil(L);
    while (lua_next(L, disabled) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING && i < n) rules[i++] = lua_tostring(L, -1);
    }
    qsort(rules, i, sizeof *rules, compare_rules);
    lua_createtable(L, (int)i, 0);          /* records */
    lua_createtable(L, 0, (int)i);          /* rule -> record */
    for (n = 0; n < i; n++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, rules[n]);
        lua_setfield(L, -2, "rule");
        lua_pushstring(L, rules[n]);
        lua_rawget(L, disabled);
        lua_setfield(L, -2, "reason");
        lua_pushinteger(L, 0);
        lua_setfield(L, -2, "suppressed");
        lua_pushvalue(L, -1);
        lua_rawseti(L, -4, (int)n + 1);
        lua_setfield(L, -2, rules[n]);
    }
    lua_remove(L, -3);                      /* the userdata */
}

/* 1 when the finding's rule is turned off: its record (in the table at
** `by_rule`, 0 for none) counts it. */
static int suppressed(lua_State *L, int by_rule, const char *rule) {
    lua_Integer count;
    if (by_rule == 0) return 0;
    lua_getfield(L, by_rule, rule);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    lua_getfield(L, -1, "suppressed");
    count = lua_tointeger(L, -1) + 1;
    lua_pop(L, 1);
    lua_pushinteger(L, count);
    lua_setfield(L, -2, "suppressed");
    lua_pop(L, 1);
    return 1;
}

/* Pushes the claim id `id`: the claim table's own id string when it holds
** the same bytes (a string already made), else a new one. */
static void push_claim_id(lua_State *L, int keys, const char *id, int claim_table) {
    if (claim_table) {
        size_t len;
        const char *s;
        lua_rawgeti(L, keys, RK_ID);
        lua_rawget(L, claim_table);
        s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        if (s != NULL && strlen(id) == len && memcmp(s, id, len) == 0) return;
        lua_pop(L, 1);
    }
    lua_pushstring(L, id);
}

/* Pushes a report as lua/bhclaim/report.lua describes it: {ok, claim_id,
** findings (errors, then warnings, then notes, each in the order found;
** those of disabled rules left out and counted), counts, disabled,
** summary}, with the metatables of st. */
static void push_report(lua_State *L, const bh_claim *claim, const bh_report *report,
                        const report_style *st) {
    size_t i, n = bh_report_count(report);
    int out = 0, sev, by_rule = 0, keys = push_report_keys(L);
    int disabled = st->disabled;
    size_t counts[3] = {0, 0, 0};
    if (disabled) {
        /* An empty {rule = reason} gives what no table gives: no records. */
        lua_pushnil(L);
        if (lua_next(L, disabled) == 0) disabled = 0;
        else lua_pop(L, 2);
    }
    if (disabled) {
        push_disabled_records(L, disabled);     /* records, by rule */
        lua_insert(L, -2);
        by_rule = lua_gettop(L) - 1;
    }
    lua_createtable(L, 0, 7);
    if (disabled) {
        lua_insert(L, -2);
        set_key(L, keys, RK_DISABLED);
    } else if (st->with_disabled || st->disabled) {
        lua_newtable(L);
        set_key(L, keys, RK_DISABLED);
    }
    lua_rawgeti(L, keys, RK_FINDINGS);
    lua_createtable(L, (int)n, 0);
    for (sev = BH_SEV_ERROR; sev >= BH_SEV_INFO; sev--) {
        for (i = 0; i < n; i++) {
            const bh_finding *f = bh_report_get(report, i);
            if ((int)f->severity != sev || repeats_path(report, i, st->unsupported)) continue;
            if (suppressed(L, by_rule, f->rule)) continue;
            counts[sev]++;
            push_finding_keyed(L, keys, f);
            if (st->finding_mt) {
                lua_pushvalue(L, st->finding_mt);
                lua_setmetatable(L, -2);
            }
            lua_rawseti(L, -2, ++out);
        }
    }
    lua_rawset(L, -3);
    lua_rawgeti(L, keys, RK_COUNTS);
    lua_createtable(L, 0, 3);
    for (sev = BH_SEV_ERROR; sev >= BH_SEV_INFO; sev--) {
        lua_rawgeti(L, keys, RK_SEVERITY_NAME + sev);
        lua_pushinteger(L, (lua_Integer)counts[sev]);
        lua_rawset(L, -3);
    }
    lua_rawset(L, -3);
    lua_rawgeti(L, keys, RK_OK);
    lua_pushboolean(L, counts[BH_SEV_ERROR] == 0);
    lua_rawset(L, -3);
    if (claim->id != NULL) {
        lua_rawgeti(L, keys, RK_CLAIM_ID);
        push_claim_id(L, keys, claim->id, st->claim_table);
        lua_rawset(L, -3);
    }
    if (st->with_summary) {
        push_summary(L, claim);
        set_key(L, keys, RK_SUMMARY);
    }
    if (st->report_mt) {
        lua_pushvalue(L, st->report_mt);
        lua_setmetatable(L, -2);
    }
    if (by_rule) lua_remove(L, by_rule);
    lua_remove(L, keys);
}

static bh_date opt_date(lua_State *L, int arg) {
    size_t len;
    const char *text = luaL_optlstring(L, arg, NULL, &len);
    bh_date date = 0;
    if (text != NULL && !bh_date_parse(text, len, &date))
        luaL_argerror(L, arg, "date expected as YYYY-MM-DD");
    return date;
}

/***
Checks one claim with the core rules.
@function check
@param claim a table of the claim JSON form, or its JSON text
@tparam[opt] string today "YYYY-MM-DD" for date.future; nil turns it off
@param[opt] profile a compiled payer profile
@param[opt] ncci NCCI tables
@tparam[opt] table profiles compiled profiles by payer kind, when no profile
@tparam[opt] string provider_kind
@tparam[opt] boolean summary true: the report carries its summary
@tparam[opt] table disabled {rule = reason}: their findings are left out
and counted in report.disabled
@tparam[opt] table report_mt the report's metatable
@tparam[opt] table finding_mt each finding's metatable
@treturn[1] table report {ok, claim_id, findings (errors, warnings, then
notes), counts, disabled, summary}
@return[2] nil (the JSON text did not parse)
@treturn[2] string message naming line and byte
@treturn[2] string error id
@return[3] false (a claim table with a cycle: the caller's argument error)
@treturn[3] string "a cycle back to an enclosing table at PATH"
*/
/* What batch reports print about a claim, without its whole table:
** {patient = "Last, First", date = first line's date, codes = {line codes},
** cents = sum of the usable line charges}. */
static void push_summary(lua_State *L, const bh_claim *c) {
    int64_t cents = 0;
    int i;
    bh_buffer name;
    lua_createtable(L, 0, 4);
    bh_buffer_init(&name);
    if (bh_claim_write_patient(&name, c) != BH_OK) {
        bh_buffer_free(&name);
        luaL_error(L, "bhclaim: out of memory");
        return;
    }
    lua_pushlstring(L, name.data ? name.data : "", name.len);
    bh_buffer_free(&name);
    lua_setfield(L, -2, "patient");
    if (c->n_lines > 0 && c->lines[0].date != 0) set_date(L, "date", c->lines[0].date);
    else set_string(L, "date", "");
    lua_createtable(L, c->n_lines, 0);
    for (i = 0; i < c->n_lines; i++) {
        lua_pushstring(L, c->lines[i].code ? c->lines[i].code : "");
        lua_rawseti(L, -2, i + 1);
        if (c->lines[i].charge_state == BH_FIELD_OK) cents += c->lines[i].charge;
    }
    lua_setfield(L, -2, "codes");
    lua_pushnumber(L, (lua_Number)cents);
    lua_setfield(L, -2, "cents");
    bhl_push_claim_keys(L, c);
}

/* The profile for the claim's payer kind from a table {medicare=, medicaid=,
** commercial=} of compiled profiles; other and unknown kinds use commercial. */
static const bh_profile *profile_for_kind(lua_State *L, int idx, bh_payer_kind kind) {
    const char *name = kind == BH_PAYER_MEDICARE || kind == BH_PAYER_MEDICAID
                           ? bh_payer_kind_name(kind) : bh_payer_kind_name(BH_PAYER_COMMERCIAL);
    const bh_profile *p = NULL;
    lua_getfield(L, idx, name);
    if (lua_type(L, -1) == LUA_TUSERDATA)
        p = &((profile_ud *)luaL_checkudata(L, -1, PROFILE_MT))->profile;
    lua_pop(L, 1);  /* the table keeps the profile alive */
    return p;
}

static int l_check(lua_State *L) {
    scratch *s = get_scratch(L);
    bh_check_options options;
    bh_status status;
    bh_error err;
    size_t unsupported = 0;
    memset(&options, 0, sizeof options);
    options.today = opt_date(L, 2);
    if (!lua_isnoneornil(L, 3))
        options.profile = &((profile_ud *)luaL_checkudata(L, 3, PROFILE_MT))->profile;
    if (!lua_isnoneornil(L, 4)) options.ncci = check_ncci(L, 4);
    options.provider_kind = opt_provider_kind(L, 6);
    if (lua_type(L, 1) == LUA_TSTRING) {
        size_t len;
        const char *json = lua_tolstring(L, 1, &len);
        status = bh_claim_parse_json(s->claim, json, len, s->report, &err);
    } else {
        bhl_json_walk w;
        luaL_checktype(L, 1, LUA_TTABLE);
        status = bhl_read_claim_table(L, 1, s->claim, s->report);
        if (status != BH_ERR_LIMIT) goto read;
        /* What JSON cannot hold (or a cycle): the text path names it. */
        if (!bhl_json_write(L, 1, BHL_JSON_LENIENT, &s->json, &w)) {
            if (w.error == NULL) return luaL_error(L, "bhclaim.check: out of memory");
            /* A cycle: not a claim at all. The caller raises it as its own
            ** argument error, naming itself (check, x12.write). */
            lua_pushboolean(L, 0);
            bhl_json_push_error(L, &w, "");
            return 2;
        }
        if (report_unsupported(&w, s->report) != BH_OK)
            return luaL_error(L, "bhclaim.check: out of memory");
        unsupported = (size_t)w.n_unsupported;
        status = bh_claim_parse_json(s->claim, s->json.text, s->json.len, s->report, &err);
    }
read:
    if (status == BH_ERR_SYNTAX || status == BH_ERR_LIMIT) return push_fail(L, &err);
    if (options.profile == NULL && lua_type(L, 5) == LUA_TTABLE)
        options.profile = profile_for_kind(L, 5, s->claim->payer.kind);
    if (status == BH_OK) status = bh_claim_check(s->claim, &options, s->report);
    if (status != BH_OK) return luaL_error(L, "bhclaim.check: out of memory");
    {
        report_style st;
        st.with_summary = lua_toboolean(L, 7);
        st.disabled = lua_type(L, 8) == LUA_TTABLE ? 8 : 0;
        st.with_disabled = 1;
        st.report_mt = lua_type(L, 9) == LUA_TTABLE ? 9 : 0;
        st.finding_mt = lua_type(L, 10) == LUA_TTABLE ? 10 : 0;
        st.claim_table = lua_type(L, 1) == LUA_TTABLE ? 1 : 0;
        st.unsupported = unsupported;
        push_report(L, s->claim, s->report, &st);
    }
    return 1;
}

/* {====================================================================
** Look-ups
** ===================================================================== */

static void set_string(lua_State *L, const char *key, const char *value) {
    if (value == NULL) return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

static void set_int(lua_State *L, const char *key, long value) {
    lua_pushinteger(L, (lua_Integer)value);
    lua_setfield(L, -2, key);
}

static void set_bool(lua_State *L, const char *key, int value) {
    lua_pushboolean(L, value);
    lua_setfield(L, -2, key);
}

static void set_date(lua_State *L, const char *key, bh_date date) {
    char text[11];
    if (date == 0) return;
    bh_date_format(date, text);
    set_string(L, key, text);
}

/***
ICD-10-CM look-up for a date of service.
@function icd10
@tparam string code with or without the dot
@tparam[opt] string date "YYYY-MM-DD"; default the newest year carried
@treturn table {code, dotted, status ("billable", "header", "invalid"),
  fiscal_year, description, category_title, billable_in, header_in}
*/
static int l_icd10(lua_State *L) {
    size_t len;
    const char *code = luaL_checklstring(L, 1, &len);
    bh_date date = opt_date(L, 2);
    bh_icd10_info info;
    static const char *const names[] = {"invalid", "billable", "header"};
    bh_icd10_lookup(code, len, date, &info);
    lua_createtable(L, 0, 10);
    set_string(L, "code", info.code);
    set_string(L, "dotted", info.dotted);
    set_string(L, "status", names[info.status]);
    set_int(L, "fiscal_year", info.fiscal_year);
    set_bool(L, "in_range", info.in_range);
    set_string(L, "description", info.description);
    set_string(L, "category_title", info.category_title);
    if (info.billable_in_other_year) set_int(L, "billable_in", info.billable_in_other_year);
    if (info.header_in_other_year) set_int(L, "header_in", info.header_in_other_year);
    return 1;
}

/***
CPT or HCPCS Level II look-up.
@function procedure
@tparam string code
@treturn table {code, kind, known, addon, from, to, description,
  short_description, source}
*/
static int l_procedure(lua_State *L) {
    size_t len;
    const char *code = luaL_checklstring(L, 1, &len);
    bh_procedure_info info;
    static const char *const kinds[] = {"not a procedure code", "CPT Category I",
                                        "CPT Category II", "CPT Category III",
                                        "HCPCS Level II"};
    bh_procedure_lookup(code, len, &info);
    lua_createtable(L, 0, 9);
    lua_pushlstring(L, code, len);
    lua_setfield(L, -2, "code");
    set_string(L, "kind", kinds[info.kind]);
    set_bool(L, "known", info.known);
    set_bool(L, "addon", info.addon);
    set_date(L, "from", info.from);
    set_date(L, "to", info.to);
    set_string(L, "description", info.description);
    set_string(L, "short_description", info.short_description);
    set_string(L, "source", info.source);
    return 1;
}

/***
Modifier look-up.
@function modifier
@tparam string code two characters
@treturn table {code, known, level ("CPT" or "HCPCS"), description, source}
*/
static int l_modifier(lua_State *L) {
    size_t len;
    const char *code = luaL_checklstring(L, 1, &len);
    bh_modifier_info info;
    bh_modifier_lookup(code, len, &info);
    lua_createtable(L, 0, 5);
    lua_pushlstring(L, code, len);
    lua_setfield(L, -2, "code");
    set_bool(L, "known", info.known);
    if (info.known) set_string(L, "level", info.is_cpt ? "CPT" : "HCPCS");
    set_string(L, "description", info.description);
    set_string(L, "source", info.source);
    return 1;
}

/***
Place-of-service look-up.
@function pos
@tparam string code two digits
@treturn table {code, known, name, from, telehealth, source}
*/
static int l_pos(lua_State *L) {
    size_t len;
    const char *code = luaL_checklstring(L, 1, &len);
    bh_pos_info info;
    bh_pos_lookup(code, len, &info);
    lua_createtable(L, 0, 6);
    lua_pushlstring(L, code, len);
    lua_setfield(L, -2, "code");
    set_bool(L, "known", info.known);
    set_string(L, "name", info.name);
    set_date(L, "from", info.from);
    set_bool(L, "telehealth", info.telehealth);
    set_string(L, "source", info.source);
    return 1;
}

static int check_identifier(lua_State *L, int (*valid)(const char *, size_t)) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_pushboolean(L, valid(s, len));
    return 1;
}

static int l_npi_valid(lua_State *L) { return check_identifier(L, bh_npi_valid); }
static int l_tin_valid(lua_State *L) { return check_identifier(L, bh_tin_valid); }
static int l_taxonomy_valid(lua_State *L) { return check_identifier(L, bh_taxonomy_valid); }

/* {====================================================================
** Payer profiles and NCCI tables as userdata
** ===================================================================== */


static int get_bool(lua_State *L, int idx, const char *key) {
    int out;
    lua_getfield(L, idx, key);
    out = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return out;
}

static bh_date get_date(lua_State *L, int idx, const char *key) {
    bh_date d = 0;
    size_t len;
    lua_getfield(L, idx, key);
    if (lua_type(L, -1) == LUA_TSTRING) {
        const char *v = lua_tolstring(L, -1, &len);
        if (!bh_date_parse(v, len, &d)) d = 0;
    }
    lua_pop(L, 1);
    return d;
}

static int ncci_gc(lua_State *L) {
    ncci_ud *u = luaL_checkudata(L, 1, NCCI_MT);
    bh_ncci_free(u->ncci);
    u->ncci = NULL;
    return 0;
}

static bh_ncci *check_ncci(lua_State *L, int idx) {
    ncci_ud *u = luaL_checkudata(L, idx, NCCI_MT);
    if (u->ncci == NULL) luaL_error(L, "attempt to use a closed bhclaim.Ncci");
    return u->ncci;
}

/* The methods of an NCCI table name themselves in their errors, whatever
** the interpreter knows of the call (a tail call or pcall leaves it '?').
** Arguments count as in a method call: self is #1 only when wrong itself. */
static int method_error(lua_State *L, int arg, const char *fname, const char *msg) {
    lua_pushfstring(L, "bad argument #%d to '%s' (%s)", arg > 1 ? arg - 1 : 1, fname, msg);
    return lua_error(L);
}

/* luaL_testudata, which Lua 5.1 lacks. */
static void *test_udata(lua_State *L, int idx, const char *tname) {
    void *p = lua_touserdata(L, idx);
    int same;
    if (p == NULL || lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
    luaL_getmetatable(L, tname);
    same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return same ? p : NULL;
}

static bh_ncci *ncci_self(lua_State *L, const char *fname) {
    ncci_ud *u = test_udata(L, 1, NCCI_MT);
    if (u == NULL) {
        method_error(L, 1, fname, lua_pushfstring(L, "bhclaim.Ncci expected, got %s",
                                                  luaL_typename(L, 1)));
    }
    if (u->ncci == NULL) luaL_error(L, "attempt to use a closed bhclaim.Ncci");
    return u->ncci;
}

static const char *method_string(lua_State *L, int arg, const char *fname, int optional,
                                 size_t *len) {
    if (optional && lua_isnoneornil(L, arg)) return NULL;
    if (lua_type(L, arg) != LUA_TSTRING)
        method_error(L, arg, fname, lua_pushfstring(L, "string expected, got %s",
                                                    luaL_typename(L, arg)));
    return lua_tolstring(L, arg, len);
}

static bh_date method_date(lua_State *L, int arg, const char *fname) {
    size_t len;
    const char *text = method_string(L, arg, fname, 1, &len);
    bh_date date = 0;
    if (text != NULL && !bh_date_parse(text, len, &date))
        method_error(L, arg, fname, "date expected as YYYY-MM-DD");
    return date;
}

static int ncci_tostring(lua_State *L) {
    ncci_ud *u = luaL_checkudata(L, 1, NCCI_MT);
    if (u->ncci == NULL) lua_pushliteral(L, "bhclaim.Ncci (closed)");
    else lua_pushfstring(L, "bhclaim.Ncci (%d PTP edits, %d MUE values)",
                         (int)bh_ncci_ptp_count(u->ncci), (int)bh_ncci_mue_count(u->ncci));
    return 1;
}

/* ncci:load_ptp(text [, source]) / ncci:load_mue(text, from [, source]) */
static int ncci_load(lua_State *L, int mue) {
    const char *fname = mue ? "load_mue" : "load_ptp";
    bh_ncci *ncci = ncci_self(L, fname);
    size_t len, added = 0;
    const char *text = method_string(L, 2, fname, 0, &len);
    bh_mue_load_opts opts;
    bh_error err;
    bh_status st;
    opts.from = mue ? method_date(L, 3, fname) : 0;
    opts.source = method_string(L, mue ? 4 : 3, fname, 1, NULL);
    st = mue ? bh_ncci_load_mue(ncci, text, len, &opts, &added, &err)
             : bh_ncci_load_ptp(ncci, text, len, opts.source, &added, &err);
    if (st == BH_ERR_NOMEM) return luaL_error(L, "bhclaim: out of memory");
    if (st != BH_OK) return push_fail(L, &err);
    lua_pushinteger(L, (lua_Integer)added);
    return 1;
}

static int ncci_load_ptp(lua_State *L) { return ncci_load(L, 0); }
static int ncci_load_mue(lua_State *L) { return ncci_load(L, 1); }

static int ncci_counts(lua_State *L) {
    bh_ncci *ncci = ncci_self(L, "counts");
    lua_pushinteger(L, (lua_Integer)bh_ncci_ptp_count(ncci));
    lua_pushinteger(L, (lua_Integer)bh_ncci_mue_count(ncci));
    return 2;
}

/* ncci:mue(code [, date]) and ncci:ptp(a, b [, date]) for look-ups. */
static int ncci_mue(lua_State *L) {
    bh_ncci *ncci = ncci_self(L, "mue");
    const char *code = method_string(L, 2, "mue", 0, NULL);
    const bh_mue_edit *e = bh_ncci_find_mue(ncci, code, method_date(L, 3, "mue"));
    if (e == NULL) return 0;
    lua_createtable(L, 0, 6);
    set_string(L, "code", e->code);
    set_int(L, "value", e->value);
    set_int(L, "mai", e->mai);
    set_date(L, "from", e->from);
    set_date(L, "to", e->to);
    set_string(L, "source", e->source);
    return 1;
}

static int ncci_ptp(lua_State *L) {
    bh_ncci *ncci = ncci_self(L, "ptp");
    const char *a = method_string(L, 2, "ptp", 0, NULL), *b = method_string(L, 3, "ptp", 0, NULL);
    const bh_ptp_edit *e = bh_ncci_find_ptp(ncci, a, b, method_date(L, 4, "ptp"));
    if (e == NULL) return 0;
    lua_createtable(L, 0, 7);
    set_string(L, "column1", e->column1);
    set_string(L, "column2", e->column2);
    set_int(L, "modifier_indicator", e->modifier_indicator);
    set_date(L, "from", e->from);
    set_date(L, "to", e->to);
    set_string(L, "source", e->source);
    set_bool(L, "unconfirmed", e->unconfirmed);
    return 1;
}

static const luaL_Reg ncci_methods[] = {
    {"load_ptp", ncci_load_ptp},
    {"load_mue", ncci_load_mue},
    {"counts", ncci_counts},
    {"mue", ncci_mue},
    {"ptp", ncci_ptp},
    {NULL, NULL}
};

/***
A new NCCI edit table holding the compiled-in edits.
@function ncci
@treturn userdata bhclaim.Ncci with load_ptp, load_mue, counts, mue, ptp
*/
static int l_ncci(lua_State *L) {
    ncci_ud *u = lua_newuserdata(L, sizeof *u);
    u->ncci = NULL;
    bhl_set_class(L, NCCI_MT, ncci_gc, ncci_tostring, ncci_methods);
    u->ncci = bh_ncci_new();
    if (u->ncci == NULL) return luaL_error(L, "bhclaim: out of memory");
    return 1;
}

/***
Similarity of two notes, 0 to 1 (see bh_note_similarity).
@function note_similarity
@tparam string a
@tparam string b
@tparam[opt] table names words to set aside (participants' names)
@treturn number
*/
static int l_note_similarity(lua_State *L) {
    const char *a = luaL_checkstring(L, 1), *b = luaL_checkstring(L, 2);
    const char *names[64];
    int n = 0;
    if (lua_type(L, 3) == LUA_TTABLE) {
        int i, total = (int)bhc_rawlen(L, 3);
        for (i = 1; i <= total && n < 64; i++) {
            lua_rawgeti(L, 3, i);
            if (lua_type(L, -1) == LUA_TSTRING) names[n++] = lua_tostring(L, -1);
            lua_pop(L, 1);  /* the table keeps the string alive */
        }
    }
    lua_pushnumber(L, bh_note_similarity(a, b, names, n));
    return 1;
}

/* Collects similar pairs into a preallocated list (filled after the
** comparison, so no Lua call happens while C holds memory). */
typedef struct pair_list {
    int (*pairs)[2];
    double *sims;
    int n, cap;
} pair_list;

static void collect_pair(int i, int j, double sim, void *ctx) {
    pair_list *pl = ctx;
    if (pl->n == pl->cap) return;
    pl->pairs[pl->n][0] = i;
    pl->pairs[pl->n][1] = j;
    pl->sims[pl->n++] = sim;
}

#define MAX_NOTES 256

/***
The pairs of notes at or above a similarity threshold.
@function similar_pairs
@tparam table notes list of strings (false or nil entries are skipped)
@tparam table names words to set aside
@tparam number threshold
@treturn table list of {i, j, similarity} (1-based, i < j)
*/
static int l_similar_pairs(lua_State *L) {
    const char *notes[MAX_NOTES], *names[64];
    int (*pairs)[2];
    double *sims;
    pair_list pl;
    bh_notes_compare_opts opts;
    int n, n_names = 0, i, total;
    double threshold = luaL_checknumber(L, 3);
    bh_status st;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    n = (int)bhc_rawlen(L, 1);
    luaL_argcheck(L, n <= MAX_NOTES, 1, "too many notes (at most 256)");
    for (i = 0; i < n; i++) {
        lua_rawgeti(L, 1, i + 1);
        notes[i] = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        lua_pop(L, 1);  /* the table keeps the string alive */
    }
    total = (int)bhc_rawlen(L, 2);
    for (i = 1; i <= total && n_names < 64; i++) {
        lua_rawgeti(L, 2, i);
        if (lua_type(L, -1) == LUA_TSTRING) names[n_names++] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    /* Room for every pair, owned by Lua (userdata) so nothing leaks on a raise. */
    pl.cap = n * (n - 1) / 2 + 1;
    pairs = lua_newuserdata(L, (size_t)pl.cap * (sizeof *pairs + sizeof *sims));
    sims = (double *)(void *)(pairs + pl.cap);
    pl.pairs = pairs;
    pl.sims = sims;
    pl.n = 0;
    opts.names = names;
    opts.n_names = n_names;
    opts.threshold = threshold;
    opts.found = collect_pair;
    opts.ctx = &pl;
    st = bh_notes_compare(notes, n, &opts);
    if (st != BH_OK) return luaL_error(L, "bhclaim: out of memory");
    lua_createtable(L, pl.n, 0);
    for (i = 0; i < pl.n; i++) {
        lua_createtable(L, 3, 0);
        lua_pushinteger(L, pairs[i][0] + 1);
        lua_rawseti(L, -2, 1);
        lua_pushinteger(L, pairs[i][1] + 1);
        lua_rawseti(L, -2, 2);
        lua_pushnumber(L, sims[i]);
        lua_rawseti(L, -2, 3);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* {====================================================================
** Telehealth derivation
** ===================================================================== */

/* Reads an enumerated string field of the table at idx, raising
** "bad argument #1 to 'derive' (field 'x' ...)" when it is not one of names. */
static int field_option(lua_State *L, int idx, const char *key, const char *const *names,
                        int fallback) {
    int i;
    const char *v;
    lua_getfield(L, idx, key);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return fallback;
    }
    v = lua_tostring(L, -1);
    for (i = 0; v != NULL && names[i] != NULL; i++) {
        if (strcmp(v, names[i]) == 0) {
            lua_pop(L, 1);
            return i;
        }
    }
    return luaL_error(L, "bad argument #1 to 'derive' (field '%s' is not one of the "
                         "accepted values)", key);
}

static void push_reason(lua_State *L, const bh_telehealth_reason *r) {
    static const char *const aspects[] = {"list", "site", "pos", "rate", "video_modifier",
                                          "audio_allowed", "audio_modifier", "group_modifier",
                                          "in_person"};
    lua_createtable(L, 0, 8);
    set_string(L, "aspect", (unsigned)r->aspect < 9 ? aspects[r->aspect] : "?");
    set_string(L, "text", r->text);
    set_string(L, "source", r->source);
    set_bool(L, "allowed", r->allowed);
    set_date(L, "from", r->from);
    set_date(L, "to", r->to);
    set_string(L, "confidence", bh_confidence_name(r->confidence));
    set_bool(L, "unconfirmed", r->unconfirmed);
}

/***
Derives place of service, modifiers and whether a service is allowed.
@function telehealth_derive
@tparam table q {code, date, payer (kind name), profile (compiled, optional),
  modality, patient_location, provider_kind, last_in_person, first_telehealth,
  group_session}
@treturn table {known, telehealth, allowed, place_of_service, modifiers,
  audio_alternative, rate, in_person, in_person_since, reasons}
*/
static int l_telehealth_derive(lua_State *L) {
    bh_telehealth_query q;
    bh_telehealth_answer a;
    size_t len;
    const char *date_text;
    int i;
    luaL_checktype(L, 1, LUA_TTABLE);
    memset(&q, 0, sizeof q);
    lua_getfield(L, 1, "code");
    q.code = lua_tostring(L, -1);   /* kept alive by the table */
    lua_pop(L, 1);
    if (q.code == NULL) return luaL_error(L, "bad argument #1 to 'derive' (field 'code' "
                                             "expected)");
    lua_getfield(L, 1, "date");
    date_text = lua_tolstring(L, -1, &len);
    if (date_text == NULL || !bh_date_parse(date_text, len, &q.date))
        return luaL_error(L, "bad argument #1 to 'derive' (field 'date' expected as YYYY-MM-DD)");
    lua_pop(L, 1);
    q.payer = (bh_payer_kind)field_option(L, 1, "payer", bh_payer_kind_names, 0);
    /* an absent modality is in person; "unknown" is no input name */
    q.modality = (bh_modality)(field_option(L, 1, "modality", bh_modality_names + 1, 0) + 1);
    q.patient_location = (bh_patient_location)field_option(L, 1, "patient_location",
                                                           bh_patient_location_names, 0);
    q.provider_kind = (bh_provider_kind)field_option(L, 1, "provider_kind",
                                                     bh_provider_kind_names, 0);
    q.last_in_person = get_date(L, 1, "last_in_person");
    lua_getfield(L, 1, "first_telehealth");
    q.first_telehealth = lua_isnil(L, -1) ? -1 : lua_toboolean(L, -1);
    lua_pop(L, 1);
    q.group_session = get_bool(L, 1, "group_session");
    lua_getfield(L, 1, "profile");
    if (lua_type(L, -1) == LUA_TUSERDATA)
        q.profile = ((profile_ud *)luaL_checkudata(L, -1, PROFILE_MT))->profile.telehealth;
    lua_pop(L, 1);  /* the caller's table keeps the profile alive */
    if (bh_telehealth_derive(&q, &a) != BH_OK)
        return luaL_error(L, "bad argument #1 to 'derive' (the query is incomplete)");
    lua_createtable(L, 0, 11);
    set_bool(L, "known", a.known);
    set_bool(L, "telehealth", a.telehealth);
    set_bool(L, "allowed", a.allowed);
    set_string(L, "place_of_service", a.place_of_service[0] ? a.place_of_service : NULL);
    lua_createtable(L, a.n_modifiers, 0);
    for (i = 0; i < a.n_modifiers; i++) {
        lua_pushstring(L, a.modifiers[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "modifiers");
    set_string(L, "audio_alternative", a.audio_alternative);
    set_string(L, "rate", a.rate);
    set_string(L, "in_person", bh_in_person_state_name(a.in_person));
    set_date(L, "in_person_since", a.in_person_since);
    lua_createtable(L, a.n_reasons, 0);
    for (i = 0; i < a.n_reasons; i++) {
        push_reason(L, &a.reasons[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "reasons");
    return 1;
}

/* {====================================================================
** X12 837P
** ===================================================================== */

#define BATCH_MT "bhclaim.Batch"

/* Claims being written and the output buffer, owned by a userdata so a
** raise halfway (out of memory in a Lua call) leaks nothing. */
typedef struct batch_ud {
    bh_claim **claims;      /* n claims, each from bh_claim_new */
    size_t n;
    bh_buffer out;
    bh_x12_reader *reader;  /* while reading, else NULL */
    bh_x12_writer *writer;  /* while writing, else NULL */
} batch_ud;


static int batch_gc(lua_State *L) {
    batch_ud *b = luaL_checkudata(L, 1, BATCH_MT);
    size_t i;
    for (i = 0; i < b->n; i++) bh_claim_free(b->claims[i]);
    free(b->claims);
    b->claims = NULL;
    b->n = 0;
    bh_buffer_free(&b->out);
    bh_x12_reader_free(b->reader);
    b->reader = NULL;
    bh_x12_writer_free(b->writer);
    b->writer = NULL;
    return 0;
}

static batch_ud *new_batch(lua_State *L) {
    batch_ud *b = lua_newuserdata(L, sizeof *b);
    memset(b, 0, sizeof *b);
    bh_buffer_init(&b->out);
    bhl_set_class(L, BATCH_MT, batch_gc, NULL, NULL);
    return b;
}

static const char *opt_field(lua_State *L, int idx, const char *key) {
    const char *v;
    lua_getfield(L, idx, key);
    v = lua_tostring(L, -1);    /* the options table keeps it alive */
    lua_pop(L, 1);
    return v;
}

static char opt_char(lua_State *L, int idx, const char *key, char fallback) {
    const char *v = opt_field(L, idx, key);
    return v != NULL && v[0] != '\0' ? v[0] : fallback;
}

static long opt_long(lua_State *L, int idx, const char *key, long fallback) {
    long v = fallback;
    lua_getfield(L, idx, key);
    if (lua_type(L, -1) == LUA_TNUMBER) v = (long)lua_tonumber(L, -1);
    lua_pop(L, 1);
    return v;
}

void read_x12_options(lua_State *L, int idx, bh_x12_options *o) {
    const char *v;
    bh_x12_options_default(o);
    if (lua_type(L, idx) != LUA_TTABLE) return;
    if ((v = opt_field(L, idx, "sender_qualifier")) != NULL) o->sender_qualifier = v;
    if ((v = opt_field(L, idx, "sender_id")) != NULL) o->sender_id = v;
    if ((v = opt_field(L, idx, "receiver_qualifier")) != NULL) o->receiver_qualifier = v;
    if ((v = opt_field(L, idx, "receiver_id")) != NULL) o->receiver_id = v;
    if ((v = opt_field(L, idx, "app_sender")) != NULL) o->app_sender = v;
    if ((v = opt_field(L, idx, "app_receiver")) != NULL) o->app_receiver = v;
    if ((v = opt_field(L, idx, "submitter_name")) != NULL) o->submitter_name = v;
    if ((v = opt_field(L, idx, "submitter_id")) != NULL) o->submitter_id = v;
    if ((v = opt_field(L, idx, "contact_name")) != NULL) o->contact_name = v;
    if ((v = opt_field(L, idx, "contact_phone")) != NULL) o->contact_phone = v;
    if ((v = opt_field(L, idx, "receiver_name")) != NULL) o->receiver_name = v;
    if ((v = opt_field(L, idx, "receiver_id_1000b")) != NULL) o->receiver_id_1000b = v;
    if ((v = opt_field(L, idx, "version")) != NULL) o->version = v;
    o->interchange_control = opt_long(L, idx, "interchange_control", o->interchange_control);
    o->group_control = opt_long(L, idx, "group_control", o->group_control);
    o->transaction_control = opt_long(L, idx, "transaction_control", o->transaction_control);
    o->usage = opt_char(L, idx, "usage", o->usage);
    o->ack_requested = opt_char(L, idx, "ack_requested", o->ack_requested);
    o->element_sep = opt_char(L, idx, "element_sep", o->element_sep);
    o->component_sep = opt_char(L, idx, "component_sep", o->component_sep);
    o->repetition_sep = opt_char(L, idx, "repetition_sep", o->repetition_sep);
    o->segment_term = opt_char(L, idx, "segment_term", o->segment_term);
    lua_getfield(L, idx, "newlines");
    if (lua_type(L, -1) == LUA_TBOOLEAN) o->newline = lua_toboolean(L, -1);
    lua_pop(L, 1);
    o->date = get_date(L, idx, "date");
    v = opt_field(L, idx, "time");
    if (v != NULL && strlen(v) == 4) o->time = atoi(v);
}

/* A claim whose JSON had a field the model could not take (a wrong type,
** more entries than the 837P allows) would be written without it: it is
** refused instead, with the first such field. Pushes nil, message, id and
** returns 1 then; 0 when the claim is whole. */
static int refuse_unreadable(lua_State *L, const bh_report *report, const bh_claim *claim,
                             int at) {
    size_t i, n = bh_report_count(report);
    for (i = 0; i < n; i++) {
        const bh_finding *f = bh_report_get(report, i);
        if (f->severity != BH_SEV_ERROR || strcmp(f->rule, "claim.schema") != 0) continue;
        lua_pushnil(L);
        lua_pushfstring(L, "claim %d (%s): %s: %s", at, claim->id ? claim->id : "no id",
                        f->path[0] ? f->path : "claim", f->message);
        lua_pushstring(L, "x12.claim");
        return 1;
    }
    return 0;
}

/***
Writes claims as one X12 837P (005010X222A1) interchange.
@function x12_write
@tparam table claims list of claim tables
@tparam table options envelope: ids, names, control numbers, separators, date, time
@treturn[1] string the interchange
@return[2] nil
@treturn[2] string which claim and field could not be written
@treturn[2] string "x12.claim"
*/
static int l_x12_write(lua_State *L) {
    scratch *s = get_scratch(L);
    bh_x12_options options;
    batch_ud *b;
    bh_error err;
    size_t i, n, held, done = 0;
    bh_status st;
    luaL_checktype(L, 1, LUA_TTABLE);
    read_x12_options(L, 2, &options);
    n = (size_t)bhc_rawlen(L, 1);
    b = new_batch(L);
    held = n < BH_X12_CLAIMS_PER_SET ? n : BH_X12_CLAIMS_PER_SET;
    b->claims = calloc(held ? held : 1, sizeof *b->claims);
    if (b->claims == NULL) return luaL_error(L, "bhclaim: out of memory");
    for (i = 0; i < held; i++) {
        if ((b->claims[i] = bh_claim_new()) == NULL) return luaL_error(L, "bhclaim: out of memory");
        b->n = i + 1;
    }
    if (n > 0 && (b->writer = bh_x12_writer_new(&options, &b->out, &err)) == NULL) {
        if (err.code == BH_ERR_NOMEM) return luaL_error(L, "bhclaim: out of memory");
        lua_pushnil(L);
        lua_pushstring(L, err.message);
        lua_pushstring(L, "x12.claim");
        return 3;
    }
    /* One transaction set per BH_X12_CLAIMS_PER_SET claims, reusing the models. */
    while (done < n) {
        size_t k, in_set = n - done < held ? n - done : held;
        for (k = 0; k < in_set; k++) {
            bhl_json_walk w;
            const char *json;
            size_t json_len;
            int at = (int)(done + k) + 1;
            lua_rawgeti(L, 1, at);
            if (lua_type(L, -1) != LUA_TTABLE && lua_type(L, -1) != LUA_TSTRING)
            {
                lua_pushfstring(L, "bad argument #1 to 'write' (claim %d is neither a "
                                   "table nor JSON text)", at);
                return lua_error(L);
            }
            if (lua_type(L, -1) == LUA_TSTRING) {
                /* JSON text (an NDJSON line) goes straight to the reader. */
                json = lua_tolstring(L, -1, &json_len);
            } else {
                if (!bhl_json_write(L, -1, BHL_JSON_LENIENT, &s->json, &w)) {
                    if (w.error != NULL) {
                        char where[32];
                        snprintf(where, sizeof where, "claim %d: ", at);
                        return bhl_json_raise(L, &w, "write", 1, where);
                    }
                    return luaL_error(L, "bhclaim: out of memory");
                }
                json = s->json.text;
                json_len = s->json.len;
            }
            bh_report_reset(s->report);
            st = bh_claim_parse_json(b->claims[k], json, json_len, s->report, &err);
            lua_pop(L, 1);
            if (st != BH_OK) {
                lua_pushnil(L);
                lua_pushfstring(L, "claim %d: %s", at, err.message);
                lua_pushstring(L, "x12.claim");
                return 3;
            }
            if (refuse_unreadable(L, s->report, b->claims[k], at)) return 3;
        }
        st = bh_x12_writer_add(b->writer, (const bh_claim *const *)b->claims, in_set);
        if (st == BH_ERR_NOMEM) return luaL_error(L, "bhclaim: out of memory");
        if (st != BH_OK) break;
        done += in_set;
    }
    if (n == 0) {
        lua_pushnil(L);
        lua_pushstring(L, "no claims to write");
        lua_pushstring(L, "x12.claim");
        return 3;
    }
    if (st == BH_OK) st = bh_x12_writer_finish(b->writer);
    if (st == BH_ERR_NOMEM) return luaL_error(L, "bhclaim: out of memory");
    if (st != BH_OK) {
        lua_pushnil(L);
        lua_pushstring(L, err.message[0] ? err.message : "the 837P could not be written");
        lua_pushstring(L, "x12.claim");
        return 3;
    }
    lua_pushlstring(L, b->out.data, b->out.len);
    return 1;
}

static void set_name(lua_State *L, const char *key, const bh_name *n, int as_string) {
    if (n->last == NULL) return;
    if (as_string && n->first == NULL) {
        set_string(L, key, n->last);
        return;
    }
    lua_createtable(L, 0, 4);
    set_string(L, "last", n->last);
    set_string(L, "first", n->first);
    set_string(L, "middle", n->middle);
    set_string(L, "suffix", n->suffix);
    lua_setfield(L, -2, key);
}

static void set_address(lua_State *L, const char *key, const bh_address *a) {
    if (a->line1 == NULL && a->city == NULL) return;
    lua_createtable(L, 0, 5);
    set_string(L, "line1", a->line1);
    set_string(L, "line2", a->line2);
    set_string(L, "city", a->city);
    set_string(L, "state", a->state);
    set_string(L, "zip", a->zip);
    lua_setfield(L, -2, key);
}

static void set_money(lua_State *L, const char *key, int64_t cents) {
    char text[24];
    bh_money_format(cents, text);
    set_string(L, key, text);
}

static void push_array_mt(lua_State *L) {
    lua_pushlightuserdata(L, (void *)&bhl_array_mt_key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_setmetatable(L, -2);
}

static void push_person(lua_State *L, const bh_person *p, int subscriber) {
    lua_createtable(L, 0, 7);
    set_name(L, "name", &p->name, 0);
    set_string(L, "member_id", p->member_id);
    set_date(L, "birth_date", p->birth_date);
    set_string(L, "sex", p->sex);
    if (subscriber) set_string(L, "relationship", p->relationship);
    set_address(L, "address", &p->address);
}

static void push_provider(lua_State *L, const char *key, const bh_provider *p, int org) {
    if (p->state != BH_FIELD_OK && p->npi == NULL && p->name.last == NULL) return;
    lua_createtable(L, 0, 5);
    set_name(L, "name", &p->name, org);
    set_string(L, "npi", p->npi);
    set_string(L, "taxonomy", p->taxonomy);
    set_string(L, "credential", p->credential);
    set_address(L, "address", &p->address);
    lua_setfield(L, -2, key);
}

static void push_adjustments(lua_State *L, const bh_adjustment *list, int n) {
    int i;
    if (n == 0) return;
    lua_createtable(L, n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 4);
        set_string(L, "group", list[i].group);
        set_string(L, "reason", list[i].reason);
        set_money(L, "amount", list[i].amount);
        set_string(L, "quantity", list[i].quantity);
        lua_rawseti(L, -2, i + 1);
    }
    push_array_mt(L);
    lua_setfield(L, -2, "adjustments");
}

static void push_adjudications(lua_State *L, const bh_line *l) {
    int i, j;
    if (l->n_adjudications == 0) return;
    lua_createtable(L, l->n_adjudications, 0);
    for (i = 0; i < l->n_adjudications; i++) {
        const bh_adjudication *a = &l->adjudications[i];
        lua_createtable(L, 0, 7);
        set_string(L, "payer_id", a->payer_id);
        set_money(L, "paid", a->paid);
        set_string(L, "code", a->code);
        lua_createtable(L, a->n_modifiers, 0);
        for (j = 0; j < a->n_modifiers; j++) {
            lua_pushstring(L, a->modifiers[j]);
            lua_rawseti(L, -2, j + 1);
        }
        push_array_mt(L);
        lua_setfield(L, -2, "modifiers");
        if (a->units > 0) {
            lua_pushnumber(L, a->units);
            lua_setfield(L, -2, "units");
        }
        push_adjustments(L, a->adjustments, a->n_adjustments);
        set_date(L, "date", a->date);
        lua_rawseti(L, -2, i + 1);
    }
    push_array_mt(L);
    lua_setfield(L, -2, "adjudications");
}

static void push_other_payers(lua_State *L, const bh_claim *c) {
    int i;
    if (c->n_other_payers == 0) return;
    lua_createtable(L, c->n_other_payers, 0);
    for (i = 0; i < c->n_other_payers; i++) {
        const bh_other_payer *o = &c->other_payers[i];
        lua_createtable(L, 0, 12);
        set_string(L, "responsibility", o->responsibility);
        set_string(L, "relationship", o->relationship);
        set_string(L, "group_number", o->group_number);
        set_string(L, "group_name", o->group_name);
        set_string(L, "filing_code", o->filing_code);
        if (o->paid_state == BH_FIELD_OK) set_money(L, "paid", o->paid);
        if (o->remaining_state == BH_FIELD_OK) set_money(L, "remaining", o->remaining);
        set_string(L, "benefits_assignment", o->benefits_assignment);
        set_string(L, "patient_signature_source", o->patient_signature_source);
        set_string(L, "release_of_information", o->release_of_information);
        push_adjustments(L, o->adjustments, o->n_adjustments);
        lua_createtable(L, 0, 3);
        set_name(L, "name", &o->subscriber_name, 0);
        set_string(L, "member_id", o->member_id);
        set_address(L, "address", &o->subscriber_address);
        lua_setfield(L, -2, "subscriber");
        lua_createtable(L, 0, 2);
        set_string(L, "name", o->payer_name);
        set_string(L, "id", o->payer_id);
        lua_setfield(L, -2, "payer");
        lua_rawseti(L, -2, i + 1);
    }
    push_array_mt(L);
    lua_setfield(L, -2, "other_payers");
}

/* claim_dates and claim_references (2300 DTP and REF). */
static void push_claim_lists(lua_State *L, const bh_claim *c) {
    int i;
    if (c->n_claim_dates > 0) {
        lua_createtable(L, c->n_claim_dates, 0);
        for (i = 0; i < c->n_claim_dates; i++) {
            lua_createtable(L, 0, 3);
            set_string(L, "qualifier", c->claim_dates[i].qualifier);
            set_date(L, "date", c->claim_dates[i].date);
            set_date(L, "date_end", c->claim_dates[i].date_end);
            lua_rawseti(L, -2, i + 1);
        }
        push_array_mt(L);
        lua_setfield(L, -2, "claim_dates");
    }
    if (c->n_claim_references > 0) {
        lua_createtable(L, c->n_claim_references, 0);
        for (i = 0; i < c->n_claim_references; i++) {
            lua_createtable(L, 0, 2);
            set_string(L, "qualifier", c->claim_references[i].qualifier);
            set_string(L, "value", c->claim_references[i].value);
            lua_rawseti(L, -2, i + 1);
        }
        push_array_mt(L);
        lua_setfield(L, -2, "claim_references");
    }
}

static void push_line(lua_State *L, const bh_line *l) {
    int j;
    lua_createtable(L, 0, 11);
    set_string(L, "code", l->code);
    lua_createtable(L, l->n_modifiers, 0);
    for (j = 0; j < l->n_modifiers; j++) {
        lua_pushstring(L, l->modifiers[j]);
        lua_rawseti(L, -2, j + 1);
    }
    push_array_mt(L);
    lua_setfield(L, -2, "modifiers");
    if (l->units_state == BH_FIELD_OK) {
        lua_pushnumber(L, l->units);
        lua_setfield(L, -2, "units");
    }
    if (l->charge_state == BH_FIELD_OK) set_money(L, "charge", l->charge);
    set_date(L, "date", l->date);
    set_string(L, "place_of_service", l->place_of_service);
    lua_createtable(L, l->n_dx_pointers, 0);
    for (j = 0; j < l->n_dx_pointers; j++) {
        lua_pushinteger(L, l->dx_pointers[j]);
        lua_rawseti(L, -2, j + 1);
    }
    push_array_mt(L);
    lua_setfield(L, -2, "dx_pointers");
    set_date(L, "date_end", l->date_end);
    set_string(L, "unit_type", l->unit_type);
    set_string(L, "control_number", l->control_number);
    push_provider(L, "rendering_provider", &l->rendering_provider, 0);
    push_adjudications(L, l);
}

/* A claim model as a table of the claim JSON form. */
static void push_claim(lua_State *L, const bh_claim *c) {
    int i;
    luaL_checkstack(L, 16, "claim too deep");
    lua_createtable(L, 0, 14);
    set_string(L, "id", c->id);
    lua_createtable(L, 0, 3);
    set_string(L, "id", c->payer.id);
    set_string(L, "name", c->payer.name);
    if (c->payer.kind != BH_PAYER_UNKNOWN)
        set_string(L, "kind", bh_payer_kind_name(c->payer.kind));
    set_string(L, "responsibility", c->payer.responsibility);
    set_string(L, "filing_code", c->payer.filing_code);
    set_string(L, "group_number", c->payer.group_number);
    set_string(L, "group_name", c->payer.group_name);
    lua_setfield(L, -2, "payer");
    lua_createtable(L, 0, 6);
    set_name(L, "name", &c->billing_provider.name, 1);
    set_string(L, "npi", c->billing_provider.npi);
    set_string(L, "tin", c->billing_provider.tin);
    set_string(L, "taxonomy", c->billing_provider.taxonomy);
    set_address(L, "address", &c->billing_provider.address);
    set_address(L, "pay_to_address", &c->pay_to_address);
    lua_setfield(L, -2, "billing_provider");
    push_provider(L, "referring_provider", &c->referring_provider, 0);
    push_provider(L, "service_facility", &c->service_facility, 1);
    if (c->rendering_provider.npi != NULL || c->rendering_provider.name.last != NULL) {
        lua_createtable(L, 0, 4);
        set_name(L, "name", &c->rendering_provider.name, 0);
        set_string(L, "npi", c->rendering_provider.npi);
        set_string(L, "taxonomy", c->rendering_provider.taxonomy);
        set_string(L, "credential", c->rendering_provider.credential);
        lua_setfield(L, -2, "rendering_provider");
    }
    push_person(L, &c->subscriber, 1);
    lua_setfield(L, -2, "subscriber");
    if (c->patient.state == BH_FIELD_OK || c->patient.name.last != NULL) {
        push_person(L, &c->patient, 0);
    } else {
        lua_pushlightuserdata(L, NULL);
    }
    lua_setfield(L, -2, "patient");
    lua_createtable(L, c->n_diagnoses, 0);
    for (i = 0; i < c->n_diagnoses; i++) {
        lua_pushstring(L, c->diagnoses[i] ? c->diagnoses[i] : "");
        lua_rawseti(L, -2, i + 1);
    }
    push_array_mt(L);
    lua_setfield(L, -2, "diagnoses");
    set_string(L, "diagnosis_code_set", c->diagnosis_code_set);
    set_string(L, "place_of_service", c->place_of_service);
    set_string(L, "prior_authorization", c->prior_authorization);
    if (c->total_charge_state == BH_FIELD_OK) set_money(L, "total_charge", c->total_charge);
    set_string(L, "frequency", c->frequency);
    set_string(L, "payer_claim_number", c->payer_claim_number);
    set_string(L, "provider_signature", c->provider_signature);
    set_string(L, "assignment", c->assignment);
    set_string(L, "benefits_assignment", c->benefits_assignment);
    set_string(L, "release_of_information", c->release_of_information);
    set_string(L, "patient_signature_source", c->patient_signature_source);
    push_other_payers(L, c);
    push_claim_lists(L, c);
    set_string(L, "note", c->note);
    lua_createtable(L, c->n_lines, 0);
    for (i = 0; i < c->n_lines; i++) {
        push_line(L, &c->lines[i]);
        lua_rawseti(L, -2, i + 1);
    }
    push_array_mt(L);
    lua_setfield(L, -2, "lines");
}

static void push_envelope(lua_State *L, const bh_x12_options *o) {
    char one[2] = {0, 0}, hhmm[5];
    lua_createtable(L, 0, 24);
    set_string(L, "sender_qualifier", o->sender_qualifier);
    set_string(L, "sender_id", o->sender_id);
    set_string(L, "receiver_qualifier", o->receiver_qualifier);
    set_string(L, "receiver_id", o->receiver_id);
    set_string(L, "app_sender", o->app_sender);
    set_string(L, "app_receiver", o->app_receiver);
    set_string(L, "submitter_name", o->submitter_name);
    set_string(L, "submitter_id", o->submitter_id);
    set_string(L, "contact_name", o->contact_name);
    set_string(L, "contact_phone", o->contact_phone);
    set_string(L, "receiver_name", o->receiver_name);
    set_string(L, "receiver_id_1000b", o->receiver_id_1000b);
    set_string(L, "version", o->version);
    set_int(L, "interchange_control", o->interchange_control);
    set_int(L, "group_control", o->group_control);
    set_int(L, "transaction_control", o->transaction_control);
    one[0] = o->usage; set_string(L, "usage", one);
    one[0] = o->ack_requested; set_string(L, "ack_requested", one);
    one[0] = o->element_sep; set_string(L, "element_sep", one);
    one[0] = o->component_sep; set_string(L, "component_sep", one);
    one[0] = o->repetition_sep; set_string(L, "repetition_sep", one);
    one[0] = o->segment_term; set_string(L, "segment_term", one);
    set_bool(L, "newlines", o->newline);
    set_date(L, "date", o->date);
    snprintf(hhmm, sizeof hhmm, "%04d", o->time % 10000);
    set_string(L, "time", hhmm);
}

/***
Reads an X12 837P interchange into claims.
@function x12_read
@tparam string text
@tparam[opt] boolean lenient ignore segment-count mismatches (other systems' files)
@treturn table claims (tables of the claim JSON form); on an error, those
  read before it
@treturn table envelope (as x12_write takes it)
@treturn[opt] string on a structural error: "segment N (ID): what was expected"
@treturn[opt] string its error id ("x12.segment", "x12.element", ...)
*/
static int l_x12_read(lua_State *L) {
    scratch *s = get_scratch(L);
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    int lenient = lua_toboolean(L, 2), rc, n = 0;
    batch_ud *b = new_batch(L);     /* owns the reader */
    int batch_idx = lua_gettop(L);
    bh_x12_options envelope;
    bh_error err;
    memset(&err, 0, sizeof err);
    b->reader = bh_x12_reader_new(text, len, &err);
    lua_newtable(L);                /* claims */
    if (b->reader == NULL) {
        lua_newtable(L);
        lua_pushstring(L, err.message);
        lua_pushstring(L, err.id);
        return 4;
    }
    if (lenient) bh_x12_reader_set_flags(b->reader, BH_X12_LENIENT);
    while ((rc = bh_x12_reader_next(b->reader, s->claim, &err)) == 1) {
        push_claim(L, s->claim);
        lua_rawseti(L, -2, ++n);
    }
    bh_x12_reader_envelope(b->reader, &envelope);
    push_envelope(L, &envelope);
    (void)batch_idx;
    if (rc < 0) {
        lua_pushstring(L, err.message);
        lua_pushstring(L, err.id);
        return 4;
    }
    return 2;
}

/***
Reads an 837P interchange and checks each claim in one pass, without
building claim tables: what a batch check of an 837P file needs.
@function x12_check
@tparam string text
@tparam boolean lenient
@tparam[opt] string today "YYYY-MM-DD"
@tparam[opt] table profiles compiled profiles by payer kind
@tparam[opt] userdata ncci
@tparam[opt] string provider_kind
@tparam[opt] table report_mt when given, each result is a finished report
  ({ok, claim_id, findings, counts, summary}) with this metatable
@tparam[opt] table finding_mt the metatable of each finding then
@tparam[opt] table disabled with report_mt, {rule = reason}: those rules'
  findings are left out and counted in report.disabled
@treturn table results: {id =, findings =, summary =} per claim, or reports;
  on an error, those of the claims before it
@treturn table envelope
@treturn[opt] string on a structural error: "segment N (ID): ..."
@treturn[opt] string its error id
*/
static int l_x12_check(lua_State *L) {
    scratch *s = get_scratch(L);
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    int lenient = lua_toboolean(L, 2), rc, n = 0;
    int report_mt = lua_type(L, 7) == LUA_TTABLE ? 7 : 0;
    int finding_mt = lua_type(L, 8) == LUA_TTABLE ? 8 : 0;
    bh_check_options options;
    batch_ud *b;
    bh_x12_options envelope;
    bh_error err;
    memset(&options, 0, sizeof options);
    options.today = opt_date(L, 3);
    if (!lua_isnoneornil(L, 5)) options.ncci = check_ncci(L, 5);
    options.provider_kind = opt_provider_kind(L, 6);
    memset(&err, 0, sizeof err);
    b = new_batch(L);               /* owns the reader */
    b->reader = bh_x12_reader_new(text, len, &err);
    lua_newtable(L);                /* results */
    if (b->reader == NULL) {
        lua_newtable(L);
        lua_pushstring(L, err.message);
        lua_pushstring(L, err.id);
        return 4;
    }
    if (lenient) bh_x12_reader_set_flags(b->reader, BH_X12_LENIENT);
    while ((rc = bh_x12_reader_next(b->reader, s->claim, &err)) == 1) {
        bh_report_reset(s->report);
        options.profile = lua_type(L, 4) == LUA_TTABLE
                              ? profile_for_kind(L, 4, s->claim->payer.kind) : NULL;
        if (bh_claim_check(s->claim, &options, s->report) != BH_OK)
            return luaL_error(L, "bhclaim: out of memory");
        if (report_mt) {
            report_style st;
            memset(&st, 0, sizeof st);
            st.report_mt = report_mt;
            st.finding_mt = finding_mt;
            st.disabled = lua_type(L, 9) == LUA_TTABLE ? 9 : 0;
            st.with_summary = 1;
            push_report(L, s->claim, s->report, &st);
        } else {
            lua_createtable(L, 0, 3);
            set_string(L, "id", s->claim->id);
            push_findings(L, s->report, 0);
            lua_setfield(L, -2, "findings");
            push_summary(L, s->claim);
            lua_setfield(L, -2, "summary");
        }
        lua_rawseti(L, -2, ++n);
    }
    bh_x12_reader_envelope(b->reader, &envelope);
    push_envelope(L, &envelope);
    if (rc < 0) {
        lua_pushstring(L, err.message);
        lua_pushstring(L, err.id);
        return 4;
    }
    return 2;
}

/* {====================================================================
** For the binding areas in csrc/lua/ (declared in csrc/lua/areas.h)
** ===================================================================== */

void bhl_push_claim(lua_State *L, const bh_claim *claim) {
    push_claim(L, claim);
}

void bhl_read_x12_options(lua_State *L, int idx, bh_x12_options *opt) {
    read_x12_options(L, idx, opt);
}

const bh_profile *bhl_profile_for_kind(lua_State *L, int idx, bh_payer_kind kind) {
    return profile_for_kind(L, idx, kind);
}

bh_ncci *bhl_check_ncci(lua_State *L, int idx) {
    return check_ncci(L, idx);
}

void bhl_push_x12_check(lua_State *L, int opts, const bh_claim *claim, bh_report *report) {
    int report_mt = lua_type(L, opts + 4) == LUA_TTABLE ? opts + 4 : 0;
    int finding_mt = lua_type(L, opts + 5) == LUA_TTABLE ? opts + 5 : 0;
    bh_check_options options;
    memset(&options, 0, sizeof options);
    options.today = opt_date(L, opts);
    options.profile = lua_type(L, opts + 1) == LUA_TTABLE
                          ? profile_for_kind(L, opts + 1, claim->payer.kind) : NULL;
    if (!lua_isnoneornil(L, opts + 2)) options.ncci = check_ncci(L, opts + 2);
    options.provider_kind = opt_provider_kind(L, opts + 3);
    bh_report_reset(report);
    if (bh_claim_check(claim, &options, report) != BH_OK)
        luaL_error(L, "bhclaim: out of memory");
    if (report_mt) {
        report_style st;
        memset(&st, 0, sizeof st);
        st.report_mt = report_mt;
        st.finding_mt = finding_mt;
        st.with_summary = 1;
        push_report(L, claim, report, &st);
        return;
    }
    lua_createtable(L, 0, 3);
    set_string(L, "id", claim->id);
    push_findings(L, report, 0);
    lua_setfield(L, -2, "findings");
    push_summary(L, claim);
    lua_setfield(L, -2, "summary");
}

/* {====================================================================
** Module
** ===================================================================== */

static const luaL_Reg core_functions[] = {
    {"decode", l_decode},
    {"encode", l_encode},
    {"check", l_check},
    {"icd10", l_icd10},
    {"procedure", l_procedure},
    {"modifier", l_modifier},
    {"pos", l_pos},
    {"npi_valid", l_npi_valid},
    {"tin_valid", l_tin_valid},
    {"taxonomy_valid", l_taxonomy_valid},
    {"ncci", l_ncci},
    {"note_similarity", l_note_similarity},
    {"similar_pairs", l_similar_pairs},
    {"telehealth_derive", l_telehealth_derive},
    {"x12_write", l_x12_write},
    {"x12_read", l_x12_read},
    {"x12_check", l_x12_check},
    {NULL, NULL}
};

/* Creates the scratch closed (NULL pointers, metatable set) before
** allocating, so an allocation failure cannot leak (liolib's newprefile). */
static scratch *new_scratch(lua_State *L) {
    scratch *s = lua_newuserdata(L, sizeof *s);
    memset(&s->json, 0, sizeof s->json);
    s->claim = NULL;
    s->report = NULL;
    bhl_set_class(L, SCRATCH_MT, scratch_gc, NULL, NULL);
    s->claim = bh_claim_new();
    s->report = bh_report_new();
    if (s->claim == NULL || s->report == NULL) luaL_error(L, "bhclaim: out of memory");
    return s;
}

int luaopen_bhclaim_core(lua_State *L);

int luaopen_bhclaim_core(lua_State *L) {
    lua_newtable(L);
    new_scratch(L);
    bhc_setfuncs(L, core_functions, 1);
    bhl_open_remit(L);
    bhl_open_rules(L);
    bhl_open_key_set(L);
    bhl_open_credential(L);
    bhl_open_eligibility(L);
    bhl_open_profile(L);
    lua_pushlightuserdata(L, (void *)&bhl_array_mt_key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushstring(L, "array");
        lua_setfield(L, -2, "__jsontype");
        lua_pushlightuserdata(L, (void *)&bhl_array_mt_key);
        lua_pushvalue(L, -2);
        lua_rawset(L, LUA_REGISTRYINDEX);
    }
    lua_setfield(L, -2, "array_mt");
    lua_pushlightuserdata(L, NULL);
    lua_setfield(L, -2, "null");
    lua_pushstring(L, BH_VERSION);
    lua_setfield(L, -2, "version");
    lua_pushinteger(L, BH_X12_CLAIMS_PER_SET);
    lua_setfield(L, -2, "x12_claims_per_set");
    bhl_open_process(L);
    bhl_open_stream(L);
    bhl_open_check_batch(L);
    bhl_open_report_line(L);
    return 1;
}
