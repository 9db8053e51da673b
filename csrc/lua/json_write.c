/*
** json_write.c (binding): the one writer from a Lua value to JSON text.
** bhclaim.encode uses it strictly (what JSON cannot hold is refused, naming
** its path; keys in the claim contract's order). check and x12_write use it
** leniently for a claim table the direct reader (claim_table.c) cannot
** take: such a value becomes null and is remembered for a claim.schema
** finding, so the claim is still read by the one JSON claim reader.
** SPDX-License-Identifier: MIT
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "json_write.h"

const char bhl_array_mt_key = 'A';

#define BH_STR_(x) #x
#define BH_STR(x) BH_STR_(x)
#define DEPTH_ERROR "a table nested more than " BH_STR(BH_MAX_DEPTH) " levels deep"
#define CYCLE_ERROR "a cycle back to an enclosing table"

/* {====================================================================
** Output buffer
** ===================================================================== */

static int buf_reserve(bhl_json_buf *b, size_t more) {
    size_t need = b->len + more, cap;
    char *grown;
    if (need < b->len) return 0;
    if (need <= b->cap) return 1;
    cap = b->cap ? b->cap : 4096;
    while (cap < need) cap *= 2;
    grown = realloc(b->text, cap);
    if (grown == NULL) return 0;
    b->text = grown;
    b->cap = cap;
    return 1;
}

static int buf_put(bhl_json_buf *b, const char *bytes, size_t n) {
    if (!buf_reserve(b, n)) return 0;
    memcpy(b->text + b->len, bytes, n);
    b->len += n;
    return 1;
}

void bhl_json_buf_free(bhl_json_buf *out) {
    free(out->text);
    free(out->keys);
    memset(out, 0, sizeof *out);
}

/* Writes str as a JSON string. Escapes as cJSON prints (encode's output
** has always been cJSON's): quote, backslash, \b \f \n \r \t, other bytes
** below 0x20 as \u00xx, the rest as they are. With escape_del, DEL is
** written \u007f: the claim reader flags an escaped control character, not
** a raw DEL. A NUL (lenient mode only; strict refuses it first) becomes SUB
** (0x1A), still a control character the claim reader reports at its field,
** where a NUL would end the string early in C. */
static int write_string(bhl_json_buf *b, const char *str, size_t len, int escape_del) {
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;
    /* Worst case every byte becomes \u00XX. */
    if (len > ((size_t)-1) / 6 - 2 || !buf_reserve(b, len * 6 + 2)) return 0;
    b->text[b->len++] = '"';
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)str[i];
        char *o;
        if (c >= 0x20 && c != '"' && c != '\\' && (c != 0x7f || !escape_del)) continue;
        memcpy(b->text + b->len, str + run, i - run);
        b->len += i - run;
        run = i + 1;
        o = b->text + b->len;
        o[0] = '\\';
        switch (c) {
        case '"': case '\\': o[1] = (char)c; break;
        case '\b': o[1] = 'b'; break;
        case '\f': o[1] = 'f'; break;
        case '\n': o[1] = 'n'; break;
        case '\r': o[1] = 'r'; break;
        case '\t': o[1] = 't'; break;
        default:
            if (c == 0) c = 0x1a;
            memcpy(o + 1, "u00", 3);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            b->len += 4;
        }
        b->len += 2;
    }
    memcpy(b->text + b->len, str + run, len - run);
    b->len += len - run;
    b->text[b->len++] = '"';
    return 1;
}

/* Writes a Lua number as JSON text into out (at least 40 bytes); 0 for NaN
** and infinities, which JSON cannot carry. Integers (5.3+) are written
** exactly; floats in the fewest digits that read back as the same double. */
static int format_number(lua_State *L, int idx, char *out, size_t size) {
    double d;
    int n = 0, digits;
    size_t i;
    if (bhc_isinteger(L, idx)) {
        n = snprintf(out, size, "%lld", (long long)lua_tointeger(L, idx));
        return n > 0 && (size_t)n < size;
    }
    d = lua_tonumber(L, idx);
    if (d != d || d == HUGE_VAL || d == -HUGE_VAL) return 0;
    if (d == floor(d) && fabs(d) < 1e17) {
        n = snprintf(out, size, "%.0f", d);
    } else {
        /* The fewest digits that read back as d; 17 always do. printf and
        ** strtod follow the same locale, so compare before the fix below. */
        for (digits = 15; digits < 17; digits++) {
            n = snprintf(out, size, "%.*g", digits, d);
            if (n > 0 && (size_t)n < size && strtod(out, NULL) == d) break;
        }
        if (digits == 17) n = snprintf(out, size, "%.17g", d);
    }
    if (n <= 0 || (size_t)n >= size) return 0;
    /* JSON wants a point whatever the locale's decimal separator. */
    for (i = 0; i < (size_t)n; i++)
        if (out[i] == ',') out[i] = '.';
    return 1;
}

/* {====================================================================
** Path, cycles and refusals
** ===================================================================== */

static size_t path_push(bhl_json_walk *w, const char *key, long index) {
    size_t old = (size_t)w->depth;
    if (w->depth < BH_MAX_DEPTH + 2) {
        w->frames[w->depth].key = key;
        w->frames[w->depth].index = index;
        w->depth++;
    }
    return old;
}

static void path_pop(bhl_json_walk *w, size_t old) {
    w->depth = (int)old;
}

/* Writes the current path ("lines[1].code") into out, cut to its size.
** Rendered only when a value needs naming, never for every value. */
static void path_render(const bhl_json_walk *w, char *out, size_t size) {
    size_t n = 0;
    int i;
    out[0] = '\0';
    for (i = 0; i < w->depth && n + 1 < size; i++) {
        int k;
        if (w->frames[i].key != NULL)
            k = snprintf(out + n, size - n, "%s%s", n ? "." : "", w->frames[i].key);
        else
            k = snprintf(out + n, size - n, "[%ld]", w->frames[i].index);
        if (k < 0) break;
        n += (size_t)k;
    }
}

/* Records why the walk stops and where; the caller raises, if it must,
** once it is back in a place with nothing to free. */
static void walk_error(bhl_json_walk *w, const char *what) {
    w->error = what;
    path_render(w, w->error_path, sizeof w->error_path);
}

/* Enters the table at idx: 0 (with the error recorded) when it is already
** on the current path, so a cyclic table ends the walk instead of
** repeating it 2^depth times. table_leave undoes a successful enter. */
static int table_enter(bhl_json_walk *w, int idx) {
    const void *t = lua_topointer(w->L, idx);
    int i;
    for (i = 0; i < w->n_open; i++) {
        if (w->open_tables[i] == t) {
            walk_error(w, CYCLE_ERROR);
            return 0;
        }
    }
    if (w->n_open < BH_MAX_DEPTH + 2) w->open_tables[w->n_open++] = t;
    return 1;
}

static void table_leave(bhl_json_walk *w) {
    w->n_open--;
}

/* A value JSON cannot hold: strict mode stops the walk on it; lenient mode
** writes null and remembers it (with its path) for a finding. */
static int unsupported(bhl_json_buf *b, bhl_json_walk *w, const char *what) {
    if (w->mode == BHL_JSON_STRICT) {
        walk_error(w, what);
        return 0;
    }
    if (w->n_unsupported < BHL_JSON_MAX_UNSUPPORTED) {
        path_render(w, w->unsupported_path[w->n_unsupported], BHL_JSON_PATH_SIZE);
        w->unsupported_what[w->n_unsupported++] = what;
    }
    return buf_put(b, "null", 4);
}

void bhl_json_push_error(lua_State *L, const bhl_json_walk *w, const char *prefix) {
    lua_pushfstring(L, "%s%s%s%s", prefix, w->error, w->error_path[0] ? " at " : "",
                    w->error_path);
}

int bhl_json_raise(lua_State *L, const bhl_json_walk *w, const char *fname, int arg,
                   const char *prefix) {
    /* No position: the Lua layer re-raises it at its own caller's line. */
    lua_pushfstring(L, "bad argument #%d to '%s' (", arg, fname);
    bhl_json_push_error(L, w, prefix);
    lua_pushliteral(L, ")");
    lua_concat(L, 3);
    return lua_error(L);
}

/* {====================================================================
** Arrays or objects
** ===================================================================== */

/* Keys whose values the claim and session contracts define as arrays, so an
** empty Lua table under them is written [] rather than {}. */
static int is_array_key(const char *key) {
    static const char *const keys[] = {"diagnoses", "lines", "modifiers", "dx_pointers",
                                       "participants", "findings", NULL};
    int i;
    if (key == NULL) return 0;
    /* Asked for every object a claim holds: the first letter rules out most. */
    if (strchr("dlmpf", key[0]) == NULL || key[0] == '\0') return 0;
    for (i = 0; keys[i] != NULL; i++)
        if (key[0] == keys[i][0] && strcmp(key, keys[i]) == 0) return 1;
    return 0;
}

static int has_array_mt(lua_State *L, int idx) {
    int yes;
    if (!lua_getmetatable(L, idx)) return 0;
    lua_pushlightuserdata(L, (void *)&bhl_array_mt_key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    yes = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return yes;
}

/* Length of a table when its keys are exactly 1..n (n may be 0), else -1. */
static long sequence_length(lua_State *L, int idx) {
    long count = 0;
    double max = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        double k;
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TNUMBER) {
            lua_pop(L, 1);
            return -1;
        }
        k = lua_tonumber(L, -1);
        if (k < 1 || k != floor(k)) {
            lua_pop(L, 1);
            return -1;
        }
        if (k > max) max = k;
        count++;
    }
    return (double)count == max ? count : -1;
}

/* '[' (with *n elements) or '{' for the table at idx (absolute) under key.
** A sequence is an array; so is an empty table under an array key. With the
** array metatable, the raw length counts: encode (mt_always) honours the
** metatable on any table, as it always has; lenient mode looks it up only
** where it can change the answer, not for every table. */
static int table_shape(lua_State *L, int idx, const char *key, int mt_always, long *n) {
    long len;
    *n = sequence_length(L, idx);
    if (*n > 0) return '[';     /* the array metatable changes nothing here */
    if (*n == 0 && is_array_key(key)) return '[';
    len = (long)bhc_rawlen(L, idx);
    if ((mt_always || len > 0 || is_array_key(key)) && has_array_mt(L, idx)) {
        *n = len;
        return '[';
    }
    return '{';
}

int bhl_table_shape(lua_State *L, int idx, const char *key, long *n) {
    if (idx < 0) idx = lua_gettop(L) + idx + 1;
    return table_shape(L, idx, key, 0, n);
}

/* {====================================================================
** Values
** ===================================================================== */

static int write_value(bhl_json_buf *b, bhl_json_walk *w, int idx, int depth, const char *key);

static int write_array(bhl_json_buf *b, bhl_json_walk *w, int idx, long n, int depth) {
    lua_State *L = w->L;
    long i;
    if (!buf_put(b, "[", 1)) return 0;
    for (i = 1; i <= n; i++) {
        size_t old = path_push(w, NULL, i);
        int ok;
        if (i > 1 && !buf_put(b, ",", 1)) return 0;
        lua_rawgeti(L, idx, (int)i);
        ok = write_value(b, w, lua_gettop(L), depth + 1, NULL);
        lua_pop(L, 1);
        path_pop(w, old);
        if (!ok) return 0;
    }
    return buf_put(b, "]", 1);
}

/* Writes "key": and the value on top of the stack, which it pops. */
static int write_member(bhl_json_buf *b, bhl_json_walk *w, const char *k, size_t klen,
                        int depth, int first) {
    lua_State *L = w->L;
    size_t old;
    int ok;
    if ((!first && !buf_put(b, ",", 1)) ||
        !write_string(b, k, klen, w->mode == BHL_JSON_LENIENT) || !buf_put(b, ":", 1)) {
        lua_pop(L, 1);
        return 0;
    }
    old = path_push(w, k, 0);
    ok = write_value(b, w, lua_gettop(L), depth + 1, k);
    path_pop(w, old);
    lua_pop(L, 1);
    return ok;
}

/* Lenient: the members in table order; keys that are not strings cannot
** name a claim field and are skipped. */
static int write_object_as_is(bhl_json_buf *b, bhl_json_walk *w, int idx, int depth) {
    lua_State *L = w->L;
    int first = 1;
    if (!buf_put(b, "{", 1)) return 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        size_t klen;
        const char *k;
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 1);
            continue;
        }
        k = lua_tolstring(L, -2, &klen);
        if (!write_member(b, w, k, klen, depth, first)) {
            lua_pop(L, 1);
            return 0;
        }
        first = 0;
    }
    return buf_put(b, "}", 1);
}

/* Place of a key in the claim JSON contract's order; others come after. */
static int key_rank(const char *key) {
    static const char *const order[] = {
        "id", "date", "start", "end", "code", "modifiers", "units", "charge", "payer",
        "billing_provider", "rendering_provider", "facilitator", "co_facilitator",
        "subscriber", "patient", "diagnoses", "place_of_service", "prior_authorization",
        "total_charge", "frequency", "payer_claim_number", "note", "lines", "session",
        "documentation", NULL};
    int i;
    for (i = 0; order[i] != NULL; i++)
        if (strcmp(key, order[i]) == 0) return i;
    return 1000;
}

static int compare_keys(const void *a, const void *b) {
    const bhl_json_key *x = a, *y = b;
    int rx = key_rank(x->text), ry = key_rank(y->text);
    return rx != ry ? rx - ry : strcmp(x->text, y->text);
}

/* Pushes a key on the sort stack in out; 0 on out of memory. */
static int push_key(bhl_json_buf *b, const char *text, size_t len) {
    if (b->n_keys == b->keys_cap) {
        size_t cap = b->keys_cap ? b->keys_cap * 2 : 64;
        bhl_json_key *grown = realloc(b->keys, cap * sizeof *grown);
        if (grown == NULL) return 0;
        b->keys = grown;
        b->keys_cap = cap;
    }
    b->keys[b->n_keys].text = text;
    b->keys[b->n_keys].len = len;
    b->n_keys++;
    return 1;
}

/* Collects the keys of the table at idx above the sort stack's current
** top; 0 on out of memory or (error set) a key that is not a string. */
static int collect_keys(bhl_json_buf *b, bhl_json_walk *w, int idx) {
    lua_State *L = w->L;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        size_t klen;
        const char *k;
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            walk_error(w, "a table with keys that are neither 1..n nor strings");
            return 0;
        }
        k = lua_tolstring(L, -1, &klen);
        if (!push_key(b, k, klen)) {
            lua_pop(L, 1);
            return 0;
        }
    }
    return 1;
}

/* Strict: the members in the contract's order, so output is deterministic.
** The keys wait on a stack in the buffer (nested objects above), not on
** the Lua stack, whose room is small on Lua 5.1. */
static int write_object_sorted(bhl_json_buf *b, bhl_json_walk *w, int idx, int depth) {
    lua_State *L = w->L;
    size_t base = b->n_keys, i, n;
    if (!collect_keys(b, w, idx)) return 0;
    n = b->n_keys - base;
    if (n > 1) qsort(b->keys + base, n, sizeof *b->keys, compare_keys);
    if (!buf_put(b, "{", 1)) return 0;
    for (i = 0; i < n; i++) {
        bhl_json_key k = b->keys[base + i];     /* a copy: the stack may move */
        if (memchr(k.text, '\0', k.len) != NULL) {
            size_t old = path_push(w, k.text, 0);
            walk_error(w, "a key holding a NUL byte");
            path_pop(w, old);
            return 0;
        }
        lua_pushlstring(L, k.text, k.len);
        lua_rawget(L, idx);
        if (!write_member(b, w, k.text, k.len, depth, i == 0)) return 0;
    }
    b->n_keys = base;
    return buf_put(b, "}", 1);
}

static int write_table_body(bhl_json_buf *b, bhl_json_walk *w, int idx, int depth,
                            const char *key) {
    long n;
    int strict = w->mode == BHL_JSON_STRICT;
    if (table_shape(w->L, idx, key, strict, &n) == '[') return write_array(b, w, idx, n, depth);
    return strict ? write_object_sorted(b, w, idx, depth) : write_object_as_is(b, w, idx, depth);
}

/* Lenient mode stops two levels above the claim reader's depth limit (the
** reader counts the root), writing null there; strict mode refuses past
** BH_MAX_DEPTH and treats a Lua stack that cannot grow as out of memory. */
static int write_table(bhl_json_buf *b, bhl_json_walk *w, int idx, int depth,
                       const char *key) {
    int ok;
    if (!table_enter(w, idx)) return 0;
    if (w->mode == BHL_JSON_STRICT) {
        if (depth > BH_MAX_DEPTH) ok = unsupported(b, w, DEPTH_ERROR);
        else ok = lua_checkstack(w->L, 6) && write_table_body(b, w, idx, depth, key);
    } else if (depth > BH_MAX_DEPTH - 2 || !lua_checkstack(w->L, 6)) {
        ok = unsupported(b, w, DEPTH_ERROR);
    } else {
        ok = write_table_body(b, w, idx, depth, key);
    }
    table_leave(w);
    return ok;
}

static int write_lua_string(bhl_json_buf *b, bhl_json_walk *w, int idx) {
    size_t len;
    const char *str = lua_tolstring(w->L, idx, &len);
    if (w->mode == BHL_JSON_STRICT && memchr(str, '\0', len) != NULL)
        return unsupported(b, w, "a string holding a NUL byte");
    return write_string(b, str, len, w->mode == BHL_JSON_LENIENT);
}

static int write_value(bhl_json_buf *b, bhl_json_walk *w, int idx, int depth, const char *key) {
    lua_State *L = w->L;
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
        return write_lua_string(b, w, idx);
    case LUA_TNUMBER: {
        char num[48];
        if (!format_number(L, idx, num, sizeof num))
            return unsupported(b, w, "NaN or an infinity");
        return buf_put(b, num, strlen(num));
    }
    case LUA_TBOOLEAN:
        return lua_toboolean(L, idx) ? buf_put(b, "true", 4) : buf_put(b, "false", 5);
    case LUA_TNIL:
        return buf_put(b, "null", 4);
    case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L, idx) == NULL) return buf_put(b, "null", 4);
        return unsupported(b, w, "a light userdata");
    case LUA_TTABLE:
        return write_table(b, w, idx, depth, key);
    case LUA_TFUNCTION:
        return unsupported(b, w, "a function");
    default:
        return unsupported(b, w, lua_typename(L, lua_type(L, idx)));
    }
}

int bhl_json_write(lua_State *L, int idx, bhl_json_mode mode, bhl_json_buf *out,
                   bhl_json_walk *w) {
    if (idx < 0) idx = lua_gettop(L) + idx + 1;
    w->L = L;
    w->mode = mode;
    w->error = NULL;
    w->error_path[0] = '\0';
    w->depth = 0;
    w->n_open = 0;
    w->n_unsupported = 0;
    out->len = 0;
    out->n_keys = 0;
    return write_value(out, w, idx, 0, NULL);
}
