/*
** claim_table.c: reads a claim held as a Lua table straight into the core's
** claim model, in one lua_next walk with no JSON text in between. It is a
** bh_value_source (core.h): the core's claim reader runs the very schema
** code it runs on JSON text, so findings, paths and messages are those the
** table's JSON text would give. What JSON cannot hold (functions, NaN,
** cycles, tables nested too deep) stops the walk; bhclaim.check then takes
** the JSON text path, which names each such value (lbhclaim.c).
** SPDX-License-Identifier: MIT
*/
#include <math.h>
#include <string.h>
#include "../core.h"
#include "areas.h"

/* The bookkeeping of one table being read: where it sits on the stack and,
** for an array, the next element and the count. */
typedef struct table_frame {
    int idx;                /* absolute stack index of the table */
    int array;              /* 1: elements 1..n; 0: string-keyed members */
    int walk;               /* array read in lua_next order, n unknown */
    int pending;            /* the first member or element is on the stack */
    long next, n;           /* array: last element handed out, element count */
} table_frame;

/* The source's state. The current value is the top of the stack, or just
** below the first key and value when the shape probe left them there; the
** reader never asks about it once consumed, so `type`, `key` and `shape`
** describe it until the next member or element. */
typedef struct table_source {
    lua_State *L;
    const char *key;        /* member key of the current value; NULL otherwise */
    int type;               /* the current value's Lua type, read once */
    int shape;              /* the current table's '[' or '{', 0 until asked */
    long shape_n;           /* its element count when '[' and not walked */
    int probed;             /* the probe left the table's first key and value on top */
    int walk;               /* '[' from a first key 1: elements in lua_next order */
    int careful;            /* every shape from a walk of all the table's keys */
    int refused;            /* a walked array was no sequence: read again carefully */
    table_frame frames[BH_MAX_DEPTH + 2];
    int n_frames;           /* tables entered */
    /* Tables on the path from the root: meeting one again is a cycle. */
    const void *open_tables[BH_MAX_DEPTH + 2];
    int n_open;
} table_source;

/* How far past a table's address its read prefetches: its hash part and
** first members were most often allocated right after it (a decoder or a
** table constructor makes them together), and reading a claim table that
** is not in the cache is mostly waiting on memory, one object after another. */
#define TABLE_PREFETCH_BYTES 512

static void prefetch_table(lua_State *L, int idx) {
#if defined(__GNUC__)
    const char *p = lua_topointer(L, idx);
    int i;
    for (i = 64; i < TABLE_PREFETCH_BYTES; i += 64) __builtin_prefetch(p + i);
#else
    (void)L;
    (void)idx;
#endif
}

/* A table deeper than this is refused by the JSON text path as well. */
#define TABLE_DEPTH_LIMIT (BH_MAX_DEPTH - 2)

/* 0 when the table at idx is already on the path (a cycle), is too deep,
** or the stack cannot grow; else remembers it. table_leave undoes it. */
static int table_enter(table_source *ts, int idx, int depth) {
    const void *t = lua_topointer(ts->L, idx);
    int i;
    if (depth > TABLE_DEPTH_LIMIT || !lua_checkstack(ts->L, 6)) return 0;
    for (i = 0; i < ts->n_open; i++)
        if (ts->open_tables[i] == t) return 0;
    ts->open_tables[ts->n_open++] = t;
    return 1;
}

static void table_leave(table_source *ts) {
    ts->n_open--;
}

/* The kind of a scalar at idx, of Lua type `type`, as its JSON text would
** start; '?' for what JSON cannot hold. */
static int scalar_kind(lua_State *L, int idx, int type) {
    switch (type) {
    case LUA_TSTRING: return '"';
    case LUA_TBOOLEAN: return lua_toboolean(L, idx) ? 't' : 'f';
    case LUA_TNIL: return 'n';
    case LUA_TLIGHTUSERDATA: return lua_touserdata(L, idx) == NULL ? 'n' : '?';
    case LUA_TNUMBER: {
        double d;
        if (bhc_isinteger(L, idx)) return lua_tointeger(L, idx) < 0 ? '-' : '0';
        d = lua_tonumber(L, idx);
        if (d != d || d == HUGE_VAL || d == -HUGE_VAL) return '?';
        return signbit(d) ? '-' : '0';
    }
    default: return '?';
    }
}

static int skip_table(table_source *ts, int idx, const char *key, int depth);

/* Walks the value at idx without reading it: 0 when it holds something
** JSON cannot (so the text path must name it). */
static int walk_value(table_source *ts, int idx, const char *key, int depth) {
    int type = lua_type(ts->L, idx);
    if (type == LUA_TTABLE) return skip_table(ts, idx, key, depth);
    return scalar_kind(ts->L, idx, type) != '?';
}

static int skip_table(table_source *ts, int idx, const char *key, int depth) {
    lua_State *L = ts->L;
    long n, i;
    int ok = 1;
    if (!table_enter(ts, idx, depth)) return 0;
    if (bhl_table_shape(L, idx, key, &n) == '[') {
        for (i = 1; i <= n && ok; i++) {
            lua_rawgeti(L, idx, (int)i);
            ok = walk_value(ts, lua_gettop(L), NULL, depth + 1);
            lua_pop(L, 1);
        }
    } else {
        lua_pushnil(L);
        while (ok && lua_next(L, idx) != 0) {
            /* Values under keys that are not strings never reach JSON. */
            if (lua_type(L, -2) == LUA_TSTRING)
                ok = walk_value(ts, lua_gettop(L), lua_tostring(L, -2), depth + 1);
            lua_pop(L, 1);
        }
        if (!ok) lua_pop(L, 1);     /* the key lua_next left */
    }
    table_leave(ts);
    return ok;
}

/* The shape of the table at the top, from its first key alone where that
** settles it: a string key and no metatable make an object, a key 1 an
** array whose elements are then read in lua_next order (source_next_element
** checks they keep coming as 2, 3...). The first key and value are left on
** the stack for the read (ts->probed). Other tables, and every table once
** ts->careful is set, get bhl_table_shape's walk of all their keys. */
static int probe_shape(table_source *ts) {
    lua_State *L = ts->L;
    int t = lua_gettop(L);
    if (ts->careful) return bhl_table_shape(L, t, ts->key, &ts->shape_n);
    lua_pushnil(L);
    if (lua_next(L, t) != 0) {
        int key_type = lua_type(L, -2);
        if (key_type == LUA_TSTRING) {
            /* Only bhclaim.array_mt makes a table with a string key an array. */
            if (lua_getmetatable(L, t) == 0) {
                ts->probed = 1;
                return '{';
            }
            lua_pop(L, 1);
        } else if (key_type == LUA_TNUMBER && lua_tonumber(L, -2) == 1) {
            ts->probed = 1;
            ts->walk = 1;
            return '[';
        }
        lua_pop(L, 2);
    }
    return bhl_table_shape(L, t, ts->key, &ts->shape_n);
}

/* The reader asks a value's kind several times: a table's shape is worked
** out once. */
static int source_kind(void *ctx) {
    table_source *ts = ctx;
    if (ts->type != LUA_TTABLE) return scalar_kind(ts->L, -1, ts->type);
    if (ts->shape == 0) ts->shape = probe_shape(ts);
    return ts->shape;
}

/* Takes back what probe_shape left above the current table. */
static void drop_probe(table_source *ts) {
    if (!ts->probed) return;
    lua_pop(ts->L, 2);
    ts->probed = 0;
    ts->walk = 0;
}

static int source_skip(void *ctx) {
    table_source *ts = ctx;
    lua_State *L = ts->L;
    int type = ts->type, ok = 1, walked = ts->walk;
    long n;
    drop_probe(ts);
    /* The reader may have acted on a '[' taken from the first key alone
    ** (a wrong type): when the table is not an array after all, the claim
    ** is read again carefully. */
    if (walked && bhl_table_shape(L, lua_gettop(L), ts->key, &n) != '[') {
        ts->refused = 1;
        return 0;
    }
    /* Most values skipped are strings just read: nothing to walk. */
    if (type != LUA_TSTRING && type != LUA_TBOOLEAN && type != LUA_TNIL)
        ok = walk_value(ts, lua_gettop(L), ts->key, ts->n_frames);
    lua_pop(L, 1);
    return ok;
}

static double source_number(void *ctx) {
    table_source *ts = ctx;
    double d = (double)lua_tonumber(ts->L, -1);
    lua_pop(ts->L, 1);
    return d;
}

static const char *source_string(void *ctx, size_t *len) {
    table_source *ts = ctx;
    return lua_tolstring(ts->L, -1, len);
}

/* An object with no string key: "{}" as JSON text. */
static int source_empty(void *ctx) {
    table_source *ts = ctx;
    lua_State *L = ts->L;
    int t = lua_gettop(L);
    if (ts->probed) return 0;       /* the probe met a string key */
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_pop(L, 1);
            return 0;
        }
    }
    return 1;
}

static int source_open(void *ctx) {
    table_source *ts = ctx;
    lua_State *L = ts->L;
    table_frame *f;
    int t;
    if (ts->shape == 0) ts->shape = probe_shape(ts);
    t = lua_gettop(L) - (ts->probed ? 2 : 0);
    if (!table_enter(ts, t, ts->n_frames)) return 0;
    prefetch_table(L, t);
    f = &ts->frames[ts->n_frames++];
    f->idx = t;
    f->next = 0;
    f->n = ts->shape_n;
    f->array = ts->shape == '[';
    f->walk = ts->walk;
    f->pending = ts->probed;
    ts->shape = 0;
    ts->probed = 0;
    ts->walk = 0;
    if (!f->array && !f->pending) lua_pushnil(L);   /* lua_next's first key */
    return 1;
}

/* The table of the top frame is read: it is consumed. */
static int source_close(table_source *ts) {
    ts->n_frames--;
    table_leave(ts);
    lua_pop(ts->L, 1);
    return 0;
}

/* The value on top, under key `key`, becomes the current one. */
static int found(table_source *ts, const char *key) {
    ts->key = key;
    ts->type = lua_type(ts->L, -1);
    ts->shape = 0;
    return 1;
}

static int source_next_member(void *ctx, const char **key, size_t *len) {
    table_source *ts = ctx;
    lua_State *L = ts->L;
    table_frame *f = &ts->frames[ts->n_frames - 1];
    if (f->pending) {               /* the probe's string key */
        f->pending = 0;
        *key = lua_tolstring(L, -2, len);
        return found(ts, *key);
    }
    while (lua_next(L, f->idx) != 0) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            *key = lua_tolstring(L, -2, len);
            return found(ts, *key);
        }
        lua_pop(L, 1);  /* a key JSON cannot carry; its value is never read */
    }
    return source_close(ts);
}

/* Next element of an array walked with lua_next. Keys 1, 2... in order
** to the end make a sequence, as bhl_table_shape's walk would find; a key
** out of order sends the rest to bhl_table_shape, and when the table is not
** an array after all, the whole claim is read again carefully. */
static int next_walked_element(table_source *ts, table_frame *f) {
    lua_State *L = ts->L;
    long n;
    if (f->pending) {
        f->pending = 0;
    } else if (lua_next(L, f->idx) == 0) {
        return source_close(ts);
    } else if (lua_type(L, -2) != LUA_TNUMBER || lua_tonumber(L, -2) != (lua_Number)(f->next + 1)) {
        lua_pop(L, 2);
        f->walk = 0;
        if (bhl_table_shape(L, f->idx, NULL, &n) == '[' && n >= f->next) {
            f->n = n;
            if (f->next >= f->n) return source_close(ts);
            lua_rawgeti(L, f->idx, (int)++f->next);
            return found(ts, NULL);
        }
        ts->refused = 1;
        return -1;
    }
    f->next++;
    return found(ts, NULL);
}

static int source_next_element(void *ctx) {
    table_source *ts = ctx;
    table_frame *f = &ts->frames[ts->n_frames - 1];
    if (f->walk) return next_walked_element(ts, f);
    if (f->next >= f->n) return source_close(ts);
    lua_rawgeti(ts->L, f->idx, (int)++f->next);
    return found(ts, NULL);
}

/* One read of the claim at idx; see bhl_read_claim_table. */
static bh_status read_table(table_source *ts, lua_State *L, int idx, bh_claim *claim,
                            bh_report *report) {
    bh_value_source src;
    src.ctx = ts;
    src.kind = source_kind;
    src.skip = source_skip;
    src.number = source_number;
    src.string = source_string;
    src.empty = source_empty;
    src.open = source_open;
    src.next_member = source_next_member;
    src.next_element = source_next_element;
    ts->L = L;
    ts->key = NULL;
    ts->shape = 0;
    ts->probed = 0;
    ts->walk = 0;
    ts->refused = 0;
    ts->n_frames = 0;
    ts->n_open = 0;
    lua_pushvalue(L, idx);
    ts->type = lua_type(L, -1);
    return bh_claim_parse_source(claim, &src, report);
}

bh_status bhl_read_claim_table(lua_State *L, int idx, bh_claim *claim, bh_report *report) {
    table_source ts;
    int top = lua_gettop(L);
    size_t first;
    bh_status status;
    if (!lua_checkstack(L, 8)) return BH_ERR_LIMIT;
    first = bh_report_count(report);
    ts.careful = 0;
    status = read_table(&ts, L, idx, claim, report);
    lua_settop(L, top);
    if (status == BH_ERR_LIMIT && ts.refused) {
        /* Claim and report are as they were before the read. */
        ts.careful = 1;
        status = read_table(&ts, L, idx, claim, report);
        lua_settop(L, top);
    }
    /* lua_next's order differs from run to run: the read's findings go in
    ** path order so one table always gives one report. */
    if (status == BH_OK) bh_report_sort_by_path(report, first);
    return status;
}
