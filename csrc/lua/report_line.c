/*
** report_line.c (binding): core.report_line, a Lua report entry (what
** reports.entry and reports.session_entry make) written as one report line
** by the core's writers (csrc/report_write.c), so the command line prints
** the records it checks in Lua with the same definition of the formats as
** the batch path.
** SPDX-License-Identifier: MIT
*/
#include <string.h>
#include "areas.h"
#include "../bhclaim.h"

enum { ARG_ENTRY = 1, ARG_FORMAT, ARG_WHERE, ARG_SHOW, ANCHORS };

enum { FMT_TEXT, FMT_JSON, FMT_CSV };

/* What the reading of an entry needs: the format, and the count of the
** strings kept in the anchor table (at ANCHORS) while the line is written. */
typedef struct reader {
    lua_State *L;
    int format;
    int anchored;
} reader;

/* An entry's findings and line codes, read before anything is written:
** reading may raise (a `show` function, a metamethod) and writing holds
** memory Lua does not own. Both arrays are userdata, collected by Lua. */
typedef struct entry_data {
    bh_line_finding *findings;
    bh_line_value *codes;
    size_t n_codes;
} entry_data;

/* Keeps the string at the top in the anchor table (a metamethod or `show`
** may have made it, and nothing else holds it) and pops it. */
static bh_line_value anchored_string(reader *r, int literal) {
    lua_State *L = r->L;
    bh_line_value v;
    v.s = lua_tolstring(L, -1, &v.len);
    v.literal = literal;
    lua_rawseti(L, ANCHORS, ++r->anchored);
    return v;
}

/* What false is in a field: a value like any other, or none as nil is
** (where the line treats the field as `v or default` or `v and ...`): in
** text only, or in every format. */
enum { FALSE_SHOWN, FALSE_NONE_IN_TEXT, FALSE_NONE };

/* The value at the top, popped: none for nil (and for false, as `false_is`
** says); a string as it is; anything else as the `show` function gives it
** (the JSON value text, or tostring), a literal in JSON. */
static bh_line_value take_value(reader *r, int false_is) {
    lua_State *L = r->L;
    bh_line_value none = { NULL, 0, 0 };
    int t = lua_type(L, -1);
    int false_none = false_is == FALSE_NONE || (false_is == FALSE_NONE_IN_TEXT &&
                                                r->format == FMT_TEXT);
    if (t == LUA_TNIL || (t == LUA_TBOOLEAN && false_none && !lua_toboolean(L, -1))) {
        lua_pop(L, 1);
        return none;
    }
    if (t == LUA_TSTRING) return anchored_string(r, 0);
    lua_pushvalue(L, ARG_SHOW);
    lua_insert(L, -2);
    lua_call(L, 1, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "bad argument #%d to 'report_line' (show must return a string)", ARG_SHOW);
    return anchored_string(r, r->format == FMT_JSON);
}

/* Field `key` of the table at idx. */
static bh_line_value field(reader *r, int idx, const char *key, int false_is) {
    lua_getfield(r->L, idx, key);
    return take_value(r, false_is);
}

/* Room for n elements of size bytes that Lua collects (a userdata kept in
** the anchor table). */
static void *anchored_array(reader *r, size_t n, size_t size) {
    void *p = lua_newuserdata(r->L, n * size + 1);
    lua_rawseti(r->L, ANCHORS, ++r->anchored);
    return p;
}

/* A whole count (an absent one is 0), as `c.error or 0` reads it. */
static size_t count_of(lua_State *L, int counts, const char *key) {
    lua_Number n;
    lua_getfield(L, counts, key);
    if (lua_isnil(L, -1) || (lua_isboolean(L, -1) && !lua_toboolean(L, -1))) {
        lua_pop(L, 1);
        return 0;
    }
    n = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || n < 0 || n != (lua_Number)(size_t)n)
        luaL_error(L, "bad argument #%d to 'report_line' (counts.%s is not a whole number)",
                   ARG_ENTRY, key);
    lua_pop(L, 1);
    return (size_t)n;
}

static void read_counts(lua_State *L, bh_report_line *l) {
    lua_getfield(L, ARG_ENTRY, "counts");
    if (!lua_istable(L, -1))
        luaL_error(L, "bad argument #%d to 'report_line' (counts is not a table)", ARG_ENTRY);
    l->counts[BH_SEV_ERROR] = count_of(L, -1, "error");
    l->counts[BH_SEV_WARNING] = count_of(L, -1, "warning");
    l->counts[BH_SEV_INFO] = count_of(L, -1, "info");
    lua_pop(L, 1);
}

/* The finding table at the top into *f, popped. */
static void read_finding(reader *r, size_t i, bh_line_finding *f) {
    lua_State *L = r->L;
    int at = lua_gettop(L);
    if (!lua_istable(L, at))
        luaL_error(L, "bad argument #%d to 'report_line' (findings[%d] is not a table)",
                   ARG_ENTRY, (int)i + 1);
    f->rule = field(r, at, "rule", FALSE_SHOWN);
    f->severity = field(r, at, "severity", FALSE_SHOWN);
    f->path = field(r, at, "path", FALSE_NONE_IN_TEXT);
    f->message = field(r, at, "message", FALSE_SHOWN);
    f->hint = field(r, at, "hint", FALSE_NONE_IN_TEXT);
    f->source = field(r, at, "source", FALSE_SHOWN);
    lua_getfield(L, at, "denial");
    f->denial = lua_istable(L, -1);
    if (f->denial) {
        f->group = field(r, at + 1, "group", FALSE_SHOWN);
        f->carc = field(r, at + 1, "carc", FALSE_SHOWN);
        f->rarc = field(r, at + 1, "rarc", FALSE_NONE_IN_TEXT);
    }
    lua_settop(L, at - 1);
}

/* The length of the list at idx: its elements up to the first nil, as
** ipairs walks it. */
static size_t list_length(lua_State *L, int idx) {
    size_t n = 0;
    for (;;) {
        lua_rawgeti(L, idx, (int)n + 1);
        if (lua_isnil(L, -1)) break;
        lua_pop(L, 1);
        n++;
    }
    lua_pop(L, 1);
    return n;
}

/* The list at the top (the entry's `key`): its length; raises naming it
** when it is not a table. */
static size_t list_field(lua_State *L, const char *key) {
    if (!lua_istable(L, -1))
        luaL_error(L, "bad argument #%d to 'report_line' (%s is not a table)", ARG_ENTRY, key);
    return list_length(L, -1);
}

static void read_findings(reader *r, bh_report_line *l, entry_data *d) {
    lua_State *L = r->L;
    size_t i;
    lua_getfield(L, ARG_ENTRY, "findings");
    l->n_findings = list_field(L, "findings");
    d->findings = anchored_array(r, l->n_findings, sizeof *d->findings);
    for (i = 0; i < l->n_findings; i++) {
        lua_rawgeti(L, -1, (int)i + 1);
        read_finding(r, i, &d->findings[i]);
    }
    lua_pop(L, 1);
}

/* The line codes (CSV only): a false or absent code is none, so the row
** takes the first line's, as `codes[i] or codes[1]` did. */
static void read_codes(reader *r, entry_data *d) {
    lua_State *L = r->L;
    size_t i;
    d->n_codes = 0;
    lua_getfield(L, ARG_ENTRY, "codes");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    d->n_codes = list_field(L, "codes");
    d->codes = anchored_array(r, d->n_codes, sizeof *d->codes);
    for (i = 0; i < d->n_codes; i++) {
        lua_rawgeti(L, -1, (int)i + 1);
        d->codes[i] = take_value(r, FALSE_NONE);
    }
    lua_pop(L, 1);
}

/* CSV's source and line: where.name, where.x12_claim or where.line. */
static void read_where(reader *r, bh_report_line *l) {
    lua_State *L = r->L;
    if (lua_isnoneornil(L, ARG_WHERE)) return;
    luaL_checktype(L, ARG_WHERE, LUA_TTABLE);
    l->source = field(r, ARG_WHERE, "name", FALSE_SHOWN);
    lua_getfield(L, ARG_WHERE, "x12_claim");
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        lua_getfield(L, ARG_WHERE, "line");
    }
    l->line = take_value(r, FALSE_SHOWN);
}

static void entry_finding(const void *ctx, size_t i, bh_line_finding *f) {
    *f = ((const entry_data *)ctx)->findings[i];
}

static bh_line_value entry_code(const void *ctx, size_t i) {
    const entry_data *d = ctx;
    bh_line_value none = { NULL, 0, 0 };
    return i >= 1 && i <= d->n_codes ? d->codes[i - 1] : none;
}

static void read_entry(reader *r, bh_report_line *l, entry_data *d) {
    lua_State *L = r->L;
    l->claim_id = field(r, ARG_ENTRY, "claim_id", FALSE_NONE_IN_TEXT);
    l->patient = field(r, ARG_ENTRY, "patient", FALSE_SHOWN);
    l->date = field(r, ARG_ENTRY, "date", FALSE_SHOWN);
    lua_getfield(L, ARG_ENTRY, "ok");
    if (r->format == FMT_JSON && !lua_isboolean(L, -1))
        luaL_error(L, "bad argument #%d to 'report_line' (ok is not a boolean)", ARG_ENTRY);
    l->ok = lua_toboolean(L, -1);
    lua_getfield(L, ARG_ENTRY, "session");
    l->session = lua_toboolean(L, -1);
    lua_pop(L, 2);
    read_counts(L, l);
    read_findings(r, l, d);
    if (r->format == FMT_CSV) {
        read_codes(r, d);
        read_where(r, l);
    }
    l->finding = entry_finding;
    l->code = entry_code;
    l->ctx = d;
}

/***
One report line of an entry, written by the core's writers (the one
definition of `bhclaim check`'s text, JSON and CSV lines).
@function report_line
@tparam table entry {claim_id, patient, date, ok, counts, findings, codes,
  session} as reports.entry and reports.session_entry make it
@tparam string format "text", "json" or "csv"
@tparam[opt] table where CSV: {name, line} or {name, x12_claim}
@tparam function show turns a value that is not a string into its text: the
  JSON value (written as it is) for "json", tostring for the others
@treturn string the line with its line break (CRLF rows for CSV)
*/
static int l_report_line(lua_State *L) {
    static const char *const formats[] = { "text", "json", "csv", NULL };
    bh_report_line line;
    entry_data data;
    reader r;
    bh_buffer out;
    bh_status st;
    luaL_checktype(L, ARG_ENTRY, LUA_TTABLE);
    r.L = L;
    r.format = luaL_checkoption(L, ARG_FORMAT, NULL, formats);
    r.anchored = 0;
    luaL_checktype(L, ARG_SHOW, LUA_TFUNCTION);
    lua_settop(L, ARG_SHOW);
    lua_newtable(L);   /* ANCHORS */
    memset(&line, 0, sizeof line);
    memset(&data, 0, sizeof data);
    read_entry(&r, &line, &data);
    /* Nothing below raises while the buffer holds memory but pushing the
    ** line, and that only when Lua's own memory is exhausted. */
    bh_buffer_init(&out);
    st = r.format == FMT_JSON ? bh_report_line_json(&out, &line)
       : r.format == FMT_CSV  ? bh_report_line_csv(&out, &line)
                              : bh_report_line_text(&out, &line);
    if (st == BH_OK) lua_pushlstring(L, out.data ? out.data : "", out.len);
    bh_buffer_free(&out);
    if (st != BH_OK) return luaL_error(L, "bhclaim: out of memory");
    return 1;
}

void bhl_open_report_line(lua_State *L) {
    lua_pushcfunction(L, l_report_line);
    lua_setfield(L, -2, "report_line");
}
