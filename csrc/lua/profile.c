/*
** profile.c (binding): the payer profile schema, written once as field
** descriptors (name, type, range, allowed values, where the value goes in
** the compiled profile). The same descriptors drive the check of a profile
** table (core.profile_check, used by bhclaim.payer and by core.profile
** itself) and its compilation into a bh_profile (core.profile), so a field
** is refused by name on every path and no field is compiled unchecked.
** Also core.names, the core's name tables as Lua lists.
** SPDX-License-Identifier: MIT
*/
/***
Payer profiles and name tables.
@module bhclaim.core
*/
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "areas.h"
#include "profile.h"
#include "../core.h"

/* {====================================================================
** The schema
** ===================================================================== */

typedef enum field_type {
    FT_STRING,          /* a string, copied into the profile's arena */
    FT_MODIFIER_OFF,    /* a string, or false for "none" (stored as NULL) */
    FT_BOOL,            /* true or false, stored as 0/1 */
    FT_DATE,            /* "YYYY-MM-DD", a real date */
    FT_WHOLE,           /* a whole number >= least */
    FT_INT_CHOICE,      /* one of ints[] */
    FT_NAME,            /* one of names[], stored as its index */
    FT_CODE,            /* a procedure code, at most 5 characters, into char[6] */
    FT_STRINGS,         /* a list of strings (codes: letters, digits and dots) */
    FT_RECORD,          /* a table of `fields` */
    FT_LIST,            /* a list of tables of `fields` */
    FT_BASE             /* extends: a profile's name or a profile table */
} field_type;

#define NOT_COMPILED ((size_t)-1)

typedef struct field field;

/* Returns where a record's fields are compiled (its own struct) after
** setting its defaults; parent is the stack index of the enclosing table. */
typedef char *(*record_target)(lua_State *L, profile_ud *u, int parent);

struct field {
    const char *name;
    field_type type;
    int required;               /* absent is refused */
    int least;                  /* FT_WHOLE: smallest value */
    const int *ints;            /* FT_INT_CHOICE: allowed values, ending with -1 */
    const char *const *names;   /* FT_NAME: allowed names, NULL-terminated */
    int codes;                  /* FT_STRINGS: each entry a code or a code prefix */
    const field *fields;        /* FT_RECORD, FT_LIST: entry fields, ending with name NULL */
    const char *one_of[2];      /* FT_RECORD, FT_LIST entries: exactly one of two fields */
    size_t offset;              /* in the target struct, or NOT_COMPILED */
    size_t count_offset;        /* FT_LIST, FT_STRINGS: int count */
    size_t item_size;           /* FT_LIST: size of an entry's struct */
    int keep_list;              /* FT_LIST, FT_STRINGS: never a NULL array once read */
    int has_fallback;           /* store `fallback` when absent (numbers, dates, flags) */
    int fallback;
    record_target target;       /* FT_RECORD: a struct of its own, else the parent's */
};

#define END_FIELDS {NULL, FT_STRING, 0, 0, NULL, NULL, 0, NULL, {NULL, NULL}, 0, 0, 0, 0, 0, 0, \
                    NULL}

/* Designated initializers keep each row readable; unnamed members are 0. */
#define AT(st, member) .offset = offsetof(st, member)
#define SOURCE_FLAGS(st, src, unc) \
    {.name = "source", .type = FT_STRING, AT(st, src)}, \
    {.name = "unconfirmed", .type = FT_BOOL, AT(st, unc)}

static const int mai_values[] = {1, 2, 3, -1};
static const int modifier_indicators[] = {0, 1, 9, -1};
static const char *const filing_units[] = {"months", "days", NULL};

/* {value =, source =, unconfirmed =}: value -1 when the field is absent. */
static const field number_fields[] = {
    {.name = "value", .type = FT_WHOLE, .required = 1, AT(bh_profile_number, value),
     .has_fallback = 1, .fallback = -1},
    SOURCE_FLAGS(bh_profile_number, source, unconfirmed),
    END_FIELDS
};

static const field group_modifier_fields[] = {
    {.name = "value", .type = FT_STRING, .required = 1, AT(bh_profile, group_modifier)},
    SOURCE_FLAGS(bh_profile, group_modifier_source, group_modifier_unconfirmed),
    END_FIELDS
};

static const field credential_fields[] = {
    {.name = "credential", .type = FT_STRING, .required = 1, AT(bh_credential, credential)},
    {.name = "modifier", .type = FT_STRING, AT(bh_credential, modifier)},
    {.name = "from", .type = FT_DATE, AT(bh_credential, from)},
    END_FIELDS
};

/* An empty `accepted` list still means "check credentials": none is accepted. */
static const field credentials_fields[] = {
    SOURCE_FLAGS(bh_profile, credentials_source, credentials_unconfirmed),
    {.name = "accepted", .type = FT_LIST, .fields = credential_fields,
     AT(bh_profile, credentials), .count_offset = offsetof(bh_profile, n_credentials),
     .item_size = sizeof(bh_credential), .keep_list = 1},
    END_FIELDS
};

static const field mue_fields[] = {
    {.name = "code", .type = FT_CODE, .required = 1, AT(bh_mue_edit, code)},
    {.name = "value", .type = FT_WHOLE, .required = 1, AT(bh_mue_edit, value)},
    {.name = "mai", .type = FT_INT_CHOICE, .ints = mai_values, AT(bh_mue_edit, mai),
     .has_fallback = 1, .fallback = 1},
    {.name = "from", .type = FT_DATE, AT(bh_mue_edit, from)},
    {.name = "to", .type = FT_DATE, AT(bh_mue_edit, to)},
    SOURCE_FLAGS(bh_mue_edit, source, unconfirmed),
    END_FIELDS
};

static const field ptp_fields[] = {
    {.name = "column1", .type = FT_CODE, .required = 1, AT(bh_ptp_edit, column1)},
    {.name = "column2", .type = FT_CODE, .required = 1, AT(bh_ptp_edit, column2)},
    {.name = "modifier_indicator", .type = FT_INT_CHOICE, .required = 1,
     .ints = modifier_indicators, AT(bh_ptp_edit, modifier_indicator)},
    {.name = "from", .type = FT_DATE, AT(bh_ptp_edit, from)},
    {.name = "to", .type = FT_DATE, AT(bh_ptp_edit, to)},
    SOURCE_FLAGS(bh_ptp_edit, source, unconfirmed),
    END_FIELDS
};

/* Over the payer kind's defaults: what the table leaves out stays the
** template's, except the dates and the flag, which belong to the values
** the table sets. */
static const field telehealth_fields[] = {
    {.name = "video_modifier", .type = FT_MODIFIER_OFF,
     AT(bh_telehealth_profile, video_modifier)},
    {.name = "audio_modifier", .type = FT_STRING, AT(bh_telehealth_profile, audio_modifier)},
    {.name = "audio_only_covered", .type = FT_BOOL,
     AT(bh_telehealth_profile, audio_only_covered)},
    {.name = "pos_home", .type = FT_STRING, AT(bh_telehealth_profile, pos_home)},
    {.name = "pos_other", .type = FT_STRING, AT(bh_telehealth_profile, pos_other)},
    {.name = "group_modifier", .type = FT_STRING, AT(bh_telehealth_profile, group_modifier)},
    {.name = "from", .type = FT_DATE, AT(bh_telehealth_profile, from), .has_fallback = 1},
    {.name = "to", .type = FT_DATE, AT(bh_telehealth_profile, to), .has_fallback = 1},
    {.name = "source", .type = FT_STRING, AT(bh_telehealth_profile, source)},
    {.name = "unconfirmed", .type = FT_BOOL, AT(bh_telehealth_profile, unconfirmed),
     .has_fallback = 1},
    END_FIELDS
};

static const field filing_fields[] = {
    {.name = "value", .type = FT_WHOLE, .required = 1, .least = 1,
     AT(bh_profile, timely_filing.value), .has_fallback = 1, .fallback = -1},
    {.name = "unit", .type = FT_NAME, .required = 1, .names = filing_units,
     AT(bh_profile, timely_filing_in_days)},
    SOURCE_FLAGS(bh_profile, timely_filing.source, timely_filing.unconfirmed),
    END_FIELDS
};

static const field code_list_fields[] = {
    {.name = "codes", .type = FT_STRINGS, .required = 1, .codes = 1, AT(bh_code_list, codes),
     .count_offset = offsetof(bh_code_list, n), .keep_list = 1},
    SOURCE_FLAGS(bh_code_list, source, unconfirmed),
    END_FIELDS
};

/* Read by the Lua layer (bhclaim.batch), not by the core. */
static const field frequency_fields[] = {
    {.name = "code", .type = FT_STRING, .required = 1, .offset = NOT_COMPILED},
    {.name = "max", .type = FT_WHOLE, .required = 1, .least = 1, .offset = NOT_COMPILED},
    {.name = "days", .type = FT_WHOLE, .least = 1, .offset = NOT_COMPILED},
    {.name = "months", .type = FT_WHOLE, .least = 1, .offset = NOT_COMPILED},
    {.name = "source", .type = FT_STRING, .offset = NOT_COMPILED},
    {.name = "unconfirmed", .type = FT_BOOL, .offset = NOT_COMPILED},
    END_FIELDS
};

static char *telehealth_target(lua_State *L, profile_ud *u, int parent);

#define NUMBER(key) \
    {.name = #key, .type = FT_RECORD, .fields = number_fields, AT(bh_profile, key)}
#define CODE_LIST(key) \
    {.name = #key, .type = FT_RECORD, .fields = code_list_fields, AT(bh_profile, key)}

static const field profile_fields[] = {
    {.name = "name", .type = FT_STRING, AT(bh_profile, name)},
    {.name = "kind", .type = FT_NAME, .names = NULL, .offset = NOT_COMPILED},
    {.name = "description", .type = FT_STRING, .offset = NOT_COMPILED},
    {.name = "extends", .type = FT_BASE, .offset = NOT_COMPILED},
    NUMBER(min_participants),
    NUMBER(max_participants),
    NUMBER(min_minutes),
    NUMBER(min_share_percent),
    NUMBER(doc_min_chars),
    {.name = "group_modifier", .type = FT_RECORD, .fields = group_modifier_fields},
    {.name = "credentials", .type = FT_RECORD, .fields = credentials_fields},
    {.name = "placeholders", .type = FT_STRINGS, AT(bh_profile, placeholders),
     .count_offset = offsetof(bh_profile, n_placeholders)},
    {.name = "mue", .type = FT_LIST, .fields = mue_fields, AT(bh_profile, mue),
     .count_offset = offsetof(bh_profile, n_mue), .item_size = sizeof(bh_mue_edit)},
    {.name = "ptp", .type = FT_LIST, .fields = ptp_fields, AT(bh_profile, ptp),
     .count_offset = offsetof(bh_profile, n_ptp), .item_size = sizeof(bh_ptp_edit)},
    {.name = "telehealth", .type = FT_RECORD, .fields = telehealth_fields,
     .target = telehealth_target},
    {.name = "timely_filing", .type = FT_RECORD, .fields = filing_fields},
    CODE_LIST(prior_auth),
    CODE_LIST(not_paid),
    CODE_LIST(dx_allowed),
    {.name = "frequency", .type = FT_LIST, .fields = frequency_fields,
     .one_of = {"days", "months"}, .offset = NOT_COMPILED},
    END_FIELDS
};

/* {====================================================================
** Checking a profile table against the schema
** ===================================================================== */

typedef struct checker {
    char path[256];     /* the field being read: "mue[2].mai" */
    size_t len;
    char msg[512];      /* why the profile is refused */
} checker;

static size_t path_enter(checker *c, const char *key, long index) {
    size_t old = c->len;
    int n;
    if (key != NULL) n = snprintf(c->path + c->len, sizeof c->path - c->len, "%s%s",
                                  c->len > 0 ? "." : "", key);
    else n = snprintf(c->path + c->len, sizeof c->path - c->len, "[%ld]", index);
    if (n > 0) c->len += (size_t)n;
    if (c->len >= sizeof c->path) c->len = sizeof c->path - 1;
    return old;
}

static void path_leave(checker *c, size_t old) {
    c->len = old;
    c->path[old] = '\0';
}

static int refuse(checker *c, const char *fmt, const char *detail) {
    char what[256];
    snprintf(what, sizeof what, fmt, detail);
    snprintf(c->msg, sizeof c->msg, "field '%s' %s", c->path, what);
    return 0;
}

static int refuse_type(lua_State *L, checker *c, int idx, const char *wanted) {
    char what[96];
    snprintf(what, sizeof what, "must be a %s, got %s", wanted, luaL_typename(L, idx));
    return refuse(c, "%s", what);
}

/* "1, 2 or 3" / "medicare, medicaid, commercial or other" into out. */
static void list_choices(const int *ints, const char *const *names, char *out, size_t size) {
    size_t len = 0;
    int i, n = 0;
    out[0] = '\0';
    while (ints != NULL ? ints[n] >= 0 : names[n] != NULL) n++;
    for (i = 0; i < n && len < size; i++) {
        const char *sep = i == 0 ? "" : i == n - 1 ? " or " : ", ";
        int w = ints != NULL ? snprintf(out + len, size - len, "%s%d", sep, ints[i])
                             : snprintf(out + len, size - len, "%s%s", sep, names[i]);
        if (w > 0) len += (size_t)w;
    }
}

static int is_whole(lua_State *L, int idx, int least) {
    lua_Number v = lua_tonumber(L, idx);
    return v >= least && v <= 2147483647.0 && v == (lua_Number)(long)v;
}

static int is_code_text(const char *s, size_t len) {
    size_t i;
    if (len == 0) return 0;
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!(ch == '.' || (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z')))
            return 0;
    }
    return 1;
}

static int int_allowed(const int *ints, lua_Number v) {
    int i;
    for (i = 0; ints[i] >= 0; i++)
        if (v == ints[i]) return 1;
    return 0;
}

static const char *const *name_choices(const field *f) {
    return f->names != NULL ? f->names : bh_payer_kind_names + 1;
}

static int check_table(lua_State *L, checker *c, int idx, const field *fields,
                       const char *const one_of[2]);

static int check_strings(lua_State *L, checker *c, int idx, const field *f) {
    long i, n = (long)bhc_rawlen(L, idx);
    for (i = 1; i <= n; i++) {
        size_t old = path_enter(c, NULL, i), len;
        const char *s;
        lua_rawgeti(L, idx, (int)i);
        if (lua_type(L, -1) != LUA_TSTRING) return refuse_type(L, c, -1, "string");
        s = lua_tolstring(L, -1, &len);
        if (f->codes && !is_code_text(s, len))
            return refuse(c, "%s", "must be a code or a code prefix");
        lua_pop(L, 1);
        path_leave(c, old);
    }
    return 1;
}

static int check_list(lua_State *L, checker *c, int idx, const field *f) {
    long i, n = (long)bhc_rawlen(L, idx);
    for (i = 1; i <= n; i++) {
        size_t old = path_enter(c, NULL, i);
        lua_rawgeti(L, idx, (int)i);
        if (lua_type(L, -1) != LUA_TTABLE) return refuse_type(L, c, -1, "table");
        if (!check_table(L, c, lua_gettop(L), f->fields, f->one_of)) return 0;
        lua_pop(L, 1);
        path_leave(c, old);
    }
    return 1;
}

/* Checks the value at the top of the stack against f (the path names it). */
static int check_value(lua_State *L, checker *c, const field *f) {
    int t = lua_type(L, -1), top = lua_gettop(L);
    char choices[128];
    size_t len;
    bh_date date;
    switch (f->type) {
    case FT_STRING:
    case FT_CODE:
        if (t != LUA_TSTRING) return refuse_type(L, c, top, "string");
        lua_tolstring(L, top, &len);
        if (f->type == FT_CODE && (len > 5 || !is_code_text(lua_tostring(L, top), len)))
            return refuse(c, "%s", "must be a procedure code of 5 characters at most");
        return 1;
    case FT_MODIFIER_OFF:
        if (t == LUA_TSTRING || (t == LUA_TBOOLEAN && !lua_toboolean(L, top))) return 1;
        return refuse(c, "%s", "must be a modifier, or false for none");
    case FT_BOOL:
        return t == LUA_TBOOLEAN ? 1 : refuse_type(L, c, top, "boolean");
    case FT_DATE:
        if (t == LUA_TSTRING && lua_tolstring(L, top, &len) != NULL && len == 10 &&
            bh_date_parse(lua_tostring(L, top), len, &date))
            return 1;
        return refuse(c, "%s", "must be a date YYYY-MM-DD");
    case FT_WHOLE:
        if (t != LUA_TNUMBER) return refuse_type(L, c, top, "number");
        if (is_whole(L, top, f->least)) return 1;
        snprintf(choices, sizeof choices, "must be a whole number >= %d", f->least);
        return refuse(c, "%s", choices);
    case FT_INT_CHOICE:
        if (t == LUA_TNUMBER && int_allowed(f->ints, lua_tonumber(L, top))) return 1;
        list_choices(f->ints, NULL, choices, sizeof choices);
        return refuse(c, "must be %s", choices);
    case FT_NAME:
        if (t == LUA_TSTRING && lua_tolstring(L, top, &len) != NULL &&
            bh_name_index(name_choices(f), lua_tostring(L, top), len) >= 0)
            return 1;
        list_choices(NULL, name_choices(f), choices, sizeof choices);
        return refuse(c, "must be %s", choices);
    case FT_BASE:
        if (t == LUA_TSTRING || t == LUA_TTABLE) return 1;
        return refuse(c, "%s", "must name a profile or be one");
    case FT_STRINGS:
        return t == LUA_TTABLE ? check_strings(L, c, top, f) : refuse_type(L, c, top, "table");
    case FT_RECORD:
        if (t != LUA_TTABLE) return refuse_type(L, c, top, "table");
        return check_table(L, c, top, f->fields, f->one_of);
    case FT_LIST:
        return t == LUA_TTABLE ? check_list(L, c, top, f) : refuse_type(L, c, top, "table");
    }
    return 1;
}

static const field *field_named(const field *fields, const char *key) {
    for (; fields->name != NULL; fields++)
        if (strcmp(fields->name, key) == 0) return fields;
    return NULL;
}

/* Every key of the table at idx is a field, every field has its type,
** every required field is there. */
static int check_table(lua_State *L, checker *c, int idx, const field *fields,
                       const char *const one_of[2]) {
    const field *f;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        f = key != NULL ? field_named(fields, key) : NULL;
        if (f == NULL) {
            size_t old;
            lua_pushvalue(L, -2);   /* a copy: lua_tostring may not touch the key */
            old = path_enter(c, lua_tostring(L, -1) ? lua_tostring(L, -1)
                                                     : luaL_typename(L, -3), 0);
            snprintf(c->msg, sizeof c->msg, "unknown field '%s'", c->path);
            path_leave(c, old);
            return 0;
        }
        {
            size_t old = path_enter(c, key, 0);
            if (!check_value(L, c, f)) return 0;
            path_leave(c, old);
        }
        lua_pop(L, 1);
    }
    for (f = fields; f->name != NULL; f++) {
        int absent;
        if (!f->required) continue;
        lua_getfield(L, idx, f->name);
        absent = lua_isnil(L, -1);
        if (absent) {
            size_t old = path_enter(c, f->name, 0);
            check_value(L, c, f);   /* says what the field must be */
            path_leave(c, old);
            return 0;
        }
        lua_pop(L, 1);
    }
    if (one_of != NULL && one_of[0] != NULL) {
        int a, b;
        lua_getfield(L, idx, one_of[0]);
        lua_getfield(L, idx, one_of[1]);
        a = !lua_isnil(L, -2);
        b = !lua_isnil(L, -1);
        lua_pop(L, 2);
        if (a == b) {
            char what[96];
            snprintf(what, sizeof what, "needs one of %s or %s", one_of[0], one_of[1]);
            return refuse(c, "%s", what);
        }
    }
    return 1;
}

int bhl_profile_check(lua_State *L, int idx, char *msg, size_t size) {
    checker c;
    int ok, top = lua_gettop(L);
    idx = idx < 0 ? top + idx + 1 : idx;
    c.path[0] = '\0';
    c.len = 0;
    c.msg[0] = '\0';
    luaL_checkstack(L, 40, "profile nested too deeply");
    ok = check_table(L, &c, idx, profile_fields, NULL);
    lua_settop(L, top);
    if (!ok) {
        const char *name;
        lua_getfield(L, idx, "name");
        name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (name != NULL) snprintf(msg, size, "profile '%s': %s", name, c.msg);
        else snprintf(msg, size, "%s", c.msg);
        lua_settop(L, top);
    }
    return ok;
}

/* {====================================================================
** Compiling a checked profile table
** ===================================================================== */

static void *arena_array(lua_State *L, profile_ud *u, size_t n, size_t size) {
    void *p = n == 0 ? NULL : bh_arena_alloc(u->arena, n * size);
    if (n > 0 && p == NULL) luaL_error(L, "bhclaim: out of memory");
    if (p != NULL) memset(p, 0, n * size);
    return p;
}

static const char *arena_string(lua_State *L, profile_ud *u, int idx) {
    size_t len;
    const char *v = lua_tolstring(L, idx, &len);
    char *out = bh_arena_strndup(u->arena, v, len);
    if (out == NULL) luaL_error(L, "bhclaim: out of memory");
    return out;
}

static void compile_table(lua_State *L, profile_ud *u, int idx, const field *fields,
                          char *base);

/* The list at the top into an arena array of entries (strings or structs);
** keep_list: an empty list is an empty array, not NULL. */
static void compile_list(lua_State *L, profile_ud *u, const field *f, char *base) {
    int i, n = (int)bhc_rawlen(L, -1), t = lua_gettop(L);
    size_t size = f->type == FT_STRINGS ? sizeof(const char *) : f->item_size;
    /* string lists end with a NULL entry, as bh_code_list's callers expect */
    size_t slots = (size_t)n + (f->type == FT_STRINGS || (f->keep_list && n == 0));
    char *list = arena_array(L, u, slots, size);
    for (i = 0; i < n; i++) {
        lua_rawgeti(L, t, i + 1);
        if (f->type == FT_STRINGS) ((const char **)list)[i] = arena_string(L, u, -1);
        else compile_table(L, u, lua_gettop(L), f->fields, list + (size_t)i * size);
        lua_pop(L, 1);
    }
    *(void **)(base + f->offset) = list;
    *(int *)(base + f->count_offset) = n;
}

static void compile_absent(lua_State *L, profile_ud *u, const field *f, char *base,
                           int parent_present) {
    if (f->has_fallback) {
        if (f->type == FT_DATE) *(bh_date *)(base + f->offset) = (bh_date)f->fallback;
        else *(int *)(base + f->offset) = f->fallback;
    } else if (f->type == FT_RECORD && f->target == NULL) {
        compile_table(L, u, 0, f->fields, base + f->offset);
    } else if ((f->type == FT_LIST || f->type == FT_STRINGS) && f->keep_list &&
               parent_present) {
        lua_newtable(L);
        compile_list(L, u, f, base);
        lua_pop(L, 1);
    }
}

/* The value at the top of the stack, checked already, into base + offset. */
static void compile_value(lua_State *L, profile_ud *u, const field *f, char *base, int parent) {
    char *at = base + f->offset;
    size_t len;
    const char *s;
    switch (f->type) {
    case FT_STRING:
        *(const char **)at = arena_string(L, u, -1);
        break;
    case FT_MODIFIER_OFF:
        *(const char **)at = lua_type(L, -1) == LUA_TSTRING ? arena_string(L, u, -1) : NULL;
        break;
    case FT_BOOL:
        *(int *)at = lua_toboolean(L, -1);
        break;
    case FT_DATE:
        s = lua_tolstring(L, -1, &len);
        bh_date_parse(s, len, (bh_date *)at);
        break;
    case FT_WHOLE:
    case FT_INT_CHOICE:
        *(int *)at = (int)lua_tonumber(L, -1);
        break;
    case FT_NAME:
        s = lua_tolstring(L, -1, &len);
        *(int *)at = bh_name_index(name_choices(f), s, len);
        break;
    case FT_CODE:
        s = lua_tolstring(L, -1, &len);
        memset(at, 0, 6);
        memcpy(at, s, len);     /* checked: at most 5 characters */
        break;
    case FT_STRINGS:
    case FT_LIST:
        compile_list(L, u, f, base);
        break;
    case FT_RECORD:
        compile_table(L, u, lua_gettop(L), f->fields,
                      f->target != NULL ? f->target(L, u, parent) : at);
        break;
    case FT_BASE:
        break;
    }
}

/* Compiles the fields of the table at idx (0: the table is absent, so
** only the fallbacks are stored) into base. */
static void compile_table(lua_State *L, profile_ud *u, int idx, const field *fields,
                          char *base) {
    const field *f;
    for (f = fields; f->name != NULL; f++) {
        if (f->offset == NOT_COMPILED) continue;
        if (idx == 0) {
            compile_absent(L, u, f, base, 0);
            continue;
        }
        lua_pushstring(L, f->name);
        lua_rawget(L, idx);
        if (lua_isnil(L, -1)) compile_absent(L, u, f, base, 1);
        else compile_value(L, u, f, base, idx);
        lua_pop(L, 1);
    }
}

/* The telehealth values start from the template of the profile's payer
** kind: a state program sets only what differs. */
static char *telehealth_target(lua_State *L, profile_ud *u, int parent) {
    bh_payer_kind kind = BH_PAYER_UNKNOWN;
    size_t len;
    const char *k;
    lua_getfield(L, parent, "kind");
    k = lua_tolstring(L, -1, &len);
    if (k != NULL) bh_payer_kind_parse(k, len, &kind);
    lua_pop(L, 1);
    bh_telehealth_profile_default(kind, &u->telehealth);
    u->telehealth.name = u->profile.name;
    u->profile.telehealth = &u->telehealth;
    return (char *)&u->telehealth;
}

static int profile_gc(lua_State *L) {
    profile_ud *u = luaL_checkudata(L, 1, PROFILE_MT);
    bh_arena_free(u->arena);
    u->arena = NULL;
    return 0;
}

static int profile_tostring(lua_State *L) {
    profile_ud *u = luaL_checkudata(L, 1, PROFILE_MT);
    lua_pushfstring(L, "bhclaim.Profile (%s)", u->profile.name ? u->profile.name : "?");
    return 1;
}

/* Reads the accepted credentials once, here, rather than for every claim. */
static void prepare_credentials(bh_profile *p) {
    int i;
    /* the profile's own arena array: const only to the checks */
    bh_credential *accepted = (bh_credential *)(void *)p->credentials;
    for (i = 0; i < p->n_credentials; i++) bh_credential_prepare(&accepted[i]);
}

/***
Compiles a payer profile table (see bhclaim.payer) for the core, checking
it against the profile schema first.
@function profile
@tparam table profile
@treturn userdata bhclaim.Profile
@raise "bad argument #1 to 'profile' (field 'x' ...)" or "(unknown field 'x')"
*/
static int l_profile(lua_State *L) {
    char msg[600];
    profile_ud *u;
    luaL_checktype(L, 1, LUA_TTABLE);
    if (!bhl_profile_check(L, 1, msg, sizeof msg)) return luaL_argerror(L, 1, msg);
    u = lua_newuserdata(L, sizeof *u);
    memset(u, 0, sizeof *u);
    bhl_set_class(L, PROFILE_MT, profile_gc, profile_tostring, NULL);
    u->arena = bh_arena_new(2048);
    if (u->arena == NULL) return luaL_error(L, "bhclaim: out of memory");
    compile_table(L, u, 1, profile_fields, (char *)&u->profile);
    prepare_credentials(&u->profile);
    return 1;
}

/***
Checks a payer profile table against the profile schema, as profile does.
@function profile_check
@tparam table profile
@treturn[1] boolean true
@return[2] nil
@treturn[2] string "profile 'name': field 'x' must be ..." or "unknown field 'x'"
*/
static int l_profile_check(lua_State *L) {
    char msg[600];
    luaL_checktype(L, 1, LUA_TTABLE);
    if (bhl_profile_check(L, 1, msg, sizeof msg)) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushnil(L);
    lua_pushstring(L, msg);
    return 2;
}

/* {====================================================================
** core.names
** ===================================================================== */

/* Pushes the names of a NULL-terminated table from index `first` on as a
** list (the "unknown" of an absent field is left out). */
static void push_names(lua_State *L, const char *const *names, int first) {
    int i, n = 0;
    lua_newtable(L);
    for (i = first; names[i] != NULL; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, ++n);
    }
}

static void push_name_tables(lua_State *L) {
    lua_createtable(L, 0, 4);
    push_names(L, bh_payer_kind_names, BH_PAYER_MEDICARE);
    lua_setfield(L, -2, "payer_kind");
    push_names(L, bh_provider_kind_names, BH_PROVIDER_PRACTITIONER);
    lua_setfield(L, -2, "provider_kind");
    push_names(L, bh_patient_location_names, BH_LOCATION_HOME);
    lua_setfield(L, -2, "patient_location");
    push_names(L, bh_modality_names, BH_MODALITY_IN_PERSON);
    lua_setfield(L, -2, "modality");
}

static const luaL_Reg profile_functions[] = {
    {"profile", l_profile},
    {"profile_check", l_profile_check},
    {NULL, NULL}
};

void bhl_open_profile(lua_State *L) {
    bhc_setfuncs(L, profile_functions, 0);
    push_name_tables(L);
    lua_setfield(L, -2, "names");
}
