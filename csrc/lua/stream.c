/*
** stream.c: reading inputs whose size must not decide the memory used.
**
** x12_stream: an 837P file mapped read-only and read claim by claim with
** the core reader; each call takes a bounded number of claims. The pages
** read are given back to the kernel every STREAM_RELEASE_CLAIMS claims
** (MADV_DONTNEED on a private read-only file mapping drops them from the
** resident set and a later touch reads them again from the file), so the
** resident size stays flat however large the file.
**
** json_array_scanner: splits the text of one JSON array, fed in chunks of
** any size, into the texts of its elements, tracking strings, escapes and
** nesting; one pass over each byte, so a one-line array of any length is
** read in linear time and one element at a time.
**
** x12_writer: one 837P interchange written a transaction set at a time.
** POSIX only (mmap, madvise). SPDX-License-Identifier: MIT
*/
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "areas.h"

/* {====================================================================
** x12_stream
** ===================================================================== */

#define X12_STREAM_MT "bhclaim.X12Stream"

/* Claims read between two releases of the mapped pages. */
#define STREAM_RELEASE_CLAIMS 2000

/* At most this many bytes of a broken segment are quoted back. */
#define SEGMENT_QUOTE_MAX 4096

typedef struct x12_stream {
    char *map;              /* the file, mapped; NULL when closed */
    size_t size;            /* bytes mapped */
    size_t skip;            /* a byte-order mark before the data */
    bh_x12_reader *reader;
    bh_claim *claim;        /* reused for each claim */
    bh_report *report;      /* reused for each check */
    int state;              /* 1 claims may follow, 0 end, -1 error */
    bh_error err;           /* when state is -1 */
    long since_release;     /* claims read since the pages were released */
} x12_stream;

static void stream_close(x12_stream *s) {
    bh_x12_reader_free(s->reader);
    s->reader = NULL;
    bh_claim_free(s->claim);
    s->claim = NULL;
    bh_report_free(s->report);
    s->report = NULL;
    if (s->map != NULL) munmap(s->map, s->size);
    s->map = NULL;
}

static int stream_gc(lua_State *L) {
    stream_close(luaL_checkudata(L, 1, X12_STREAM_MT));
    return 0;
}

static x12_stream *check_stream(lua_State *L) {
    x12_stream *s = luaL_checkudata(L, 1, X12_STREAM_MT);
    if (s->reader == NULL) luaL_error(L, "attempt to use a closed bhclaim.X12Stream");
    return s;
}

/* Maps path read-only; returns 0 or an errno (EINVAL for an empty file). */
static int map_file(x12_stream *s, const char *path) {
    struct stat st;
    int fd = open(path, O_RDONLY), e = 0;
    void *p;
    if (fd < 0) return errno;
    if (fstat(fd, &st) != 0) e = errno;
    else if (st.st_size <= 0) e = EINVAL;
    if (e == 0) {
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            e = errno;
        } else {
            s->map = p;
            s->size = (size_t)st.st_size;
            madvise(p, s->size, MADV_SEQUENTIAL);
        }
    }
    close(fd);
    return e;
}

/* The segment that starts at 1-based byte `at` of the data, terminator
** included (at most SEGMENT_QUOTE_MAX bytes). */
static void push_segment(lua_State *L, const x12_stream *s, long at, char term) {
    const char *data = s->map + s->skip, *end;
    size_t len = s->size - s->skip, from = at > 0 ? (size_t)at - 1 : 0, n;
    if (from >= len) {
        lua_pushliteral(L, "");
        return;
    }
    n = len - from < SEGMENT_QUOTE_MAX ? len - from : SEGMENT_QUOTE_MAX;
    end = memchr(data + from, term, n);
    lua_pushlstring(L, data + from, end ? (size_t)(end - (data + from)) + 1 : n);
}

/* The segment terminator: ISA's 106th character, '~' when there is none. */
static void set_stream_mt(lua_State *L);

static char segment_term(const x12_stream *s) {
    const char *data = s->map + s->skip;
    size_t len = s->size - s->skip, i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return i + 105 < len ? data[i + 105] : '~';
}

/***
Opens an 837P file for reading claim by claim.
@function x12_stream
@tparam string path
@tparam[opt] boolean lenient as x12_read's
@treturn[1] userdata the stream: check, read, error, close
@return[2] nil
@treturn[2] string what failed ("segment 1 (ISA): ..." or the system's message)
@treturn[2] integer the line of the failure (0 when not in the data)
@treturn[2] string the segment it is in ("" when none)
*/
static int l_x12_stream(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    int lenient = lua_toboolean(L, 2), e;
    x12_stream *s = lua_newuserdata(L, sizeof *s);
    memset(s, 0, sizeof *s);
    set_stream_mt(L);
    if ((e = map_file(s, path)) != 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: %s", path, e == EINVAL ? "empty file" : strerror(e));
        lua_pushinteger(L, 0);
        lua_pushliteral(L, "");
        return 4;
    }
    if (s->size >= 3 && memcmp(s->map, "\357\273\277", 3) == 0) s->skip = 3;
    s->claim = bh_claim_new();
    s->report = bh_report_new();
    if (s->claim == NULL || s->report == NULL) return luaL_error(L, "bhclaim: out of memory");
    s->reader = bh_x12_reader_new(s->map + s->skip, s->size - s->skip, &s->err);
    if (s->reader == NULL) {
        if (s->err.code == BH_ERR_NOMEM) return luaL_error(L, "bhclaim: out of memory");
        lua_pushnil(L);
        lua_pushstring(L, s->err.message);
        lua_pushinteger(L, s->err.line);
        push_segment(L, s, s->err.byte, segment_term(s));
        stream_close(s);
        return 4;
    }
    if (lenient) bh_x12_reader_set_flags(s->reader, BH_X12_LENIENT);
    s->state = 1;
    return 1;
}

/* Reads the next claim into s->claim: 1 read, 0 end, -1 error (kept). */
static int stream_next(lua_State *L, x12_stream *s) {
    int rc;
    if (s->state != 1) return s->state;
    rc = bh_x12_reader_next(s->reader, s->claim, &s->err);
    if (rc < 0 && s->err.code == BH_ERR_NOMEM) luaL_error(L, "bhclaim: out of memory");
    if (rc != 1) s->state = rc;
    if (++s->since_release >= STREAM_RELEASE_CLAIMS) {
        madvise(s->map, s->size, MADV_DONTNEED);
        s->since_release = 0;
    }
    return rc;
}

int bhl_x12_stream_next(lua_State *L, int idx, const bh_claim **claim) {
    x12_stream *s = luaL_checkudata(L, idx, X12_STREAM_MT);
    if (s->reader == NULL) luaL_error(L, "attempt to use a closed bhclaim.X12Stream");
    *claim = s->claim;
    return stream_next(L, s);
}

static int push_state(lua_State *L, const x12_stream *s) {
    lua_pushstring(L, s->state == 1 ? "more" : s->state == 0 ? "end" : "error");
    return 2;
}

static lua_Integer batch_size(lua_State *L) {
    lua_Integer max = luaL_checkinteger(L, 2);
    luaL_argcheck(L, max > 0, 2, "a positive number of claims expected");
    return max;
}

/***
Reads up to `max` claims and checks each, as x12_check does.
@function check
@tparam integer max
@param ... x12_check's options: today, profiles, ncci, provider_kind,
  report_mt, finding_mt
@treturn table the results, in order
@treturn string "more", "end" or "error" (then see error)
*/
static int stream_check(lua_State *L) {
    x12_stream *s = check_stream(L);
    lua_Integer max = batch_size(L), n = 0;
    lua_settop(L, 8);
    lua_createtable(L, (int)(max < 1024 ? max : 1024), 0);
    while (n < max && stream_next(L, s) == 1) {
        bhl_push_x12_check(L, 3, s->claim, s->report);
        lua_rawseti(L, -2, (int)++n);
    }
    return push_state(L, s);
}

/***
Reads up to `max` claims as tables (the claim JSON form).
@function read
@tparam integer max
@treturn table the claims, in order
@treturn string "more", "end" or "error" (then see error)
*/
static int stream_read(lua_State *L) {
    x12_stream *s = check_stream(L);
    lua_Integer max = batch_size(L), n = 0;
    lua_createtable(L, (int)(max < 1024 ? max : 1024), 0);
    while (n < max && stream_next(L, s) == 1) {
        bhl_push_claim(L, s->claim);
        lua_rawseti(L, -2, (int)++n);
    }
    return push_state(L, s);
}

/***
The structural error that ended the stream.
@function error
@treturn string "segment N (ID): ..." (nil when there was none)
@treturn integer the line the segment starts on
@treturn string the segment's text
*/
static int stream_error(lua_State *L) {
    x12_stream *s = check_stream(L);
    if (s->state != -1) return 0;
    lua_pushstring(L, s->err.message);
    lua_pushinteger(L, s->err.line);
    push_segment(L, s, s->err.byte, segment_term(s));
    return 3;
}

/***
Unmaps the file and frees the reader (also done when collected).
@function close
*/
static int stream_close_l(lua_State *L) {
    stream_close(luaL_checkudata(L, 1, X12_STREAM_MT));
    return 0;
}

static const luaL_Reg stream_methods[] = {
    {"check", stream_check},
    {"read", stream_read},
    {"error", stream_error},
    {"close", stream_close_l},
    {NULL, NULL}
};

/* Sets the stream metatable on the userdata at the top of the stack. */
static void set_stream_mt(lua_State *L) {
    bhl_set_class(L, X12_STREAM_MT, stream_gc, NULL, stream_methods);
}

/* {====================================================================
** json_array_scanner
** ===================================================================== */

#define SCANNER_MT "bhclaim.JsonArrayScanner"

typedef struct scanner {
    char *buf;              /* the element being gathered */
    size_t len, cap;
    int phase;              /* 0 before '[', 1 inside, 2 after ']' */
    int depth;              /* nesting inside the current element */
    int in_string, escape;
    int want_value;         /* after '[' or ',': an element must come */
    long line;              /* current line (1-based) */
    long element_line;      /* line the element being gathered starts on */
    long elements;          /* elements completed */
} scanner;

static int scanner_gc(lua_State *L) {
    scanner *sc = luaL_checkudata(L, 1, SCANNER_MT);
    free(sc->buf);
    sc->buf = NULL;
    sc->len = sc->cap = 0;
    return 0;
}

static void gather(lua_State *L, scanner *sc, const char *p, size_t n) {
    if (n == 0) return;
    if (sc->len + n > sc->cap) {
        size_t cap = sc->cap ? sc->cap : 4096;
        char *grown;
        while (cap < sc->len + n) cap *= 2;
        if ((grown = realloc(sc->buf, cap)) == NULL) luaL_error(L, "bhclaim: out of memory");
        sc->buf = grown;
        sc->cap = cap;
    }
    memcpy(sc->buf + sc->len, p, n);
    sc->len += n;
}

/* Appends the gathered element ({text, line}) to the results at -2/-1. */
static int element_done(lua_State *L, scanner *sc, int *k) {
    size_t a = 0, b = sc->len;
    while (a < b && (sc->buf[a] == ' ' || sc->buf[a] == '\t' || sc->buf[a] == '\r' ||
                     sc->buf[a] == '\n'))
        a++;
    while (b > a && (sc->buf[b - 1] == ' ' || sc->buf[b - 1] == '\t' ||
                     sc->buf[b - 1] == '\r' || sc->buf[b - 1] == '\n'))
        b--;
    if (a == b) return 0;
    sc->elements++;
    ++*k;
    lua_pushlstring(L, sc->buf + a, b - a);
    lua_rawseti(L, -3, *k);
    lua_pushinteger(L, sc->element_line);
    lua_rawseti(L, -2, *k);
    sc->len = 0;
    return 1;
}

static int scan_fail(lua_State *L, const scanner *sc, const char *what) {
    lua_pushnil(L);
    lua_pushfstring(L, "line %d: %s", (int)sc->line, what);
    return 2;
}

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/***
Feeds the next chunk of the array's text.
@function feed
@tparam string chunk
@treturn[1] table the texts of the elements completed by this chunk
@treturn[1] table the line each starts on
@return[2] nil
@treturn[2] string "line N: what is wrong" (the array's structure is broken)
*/
static int scanner_feed(lua_State *L) {
    scanner *sc = luaL_checkudata(L, 1, SCANNER_MT);
    size_t n, i, from = 0;
    const char *p = luaL_checklstring(L, 2, &n);
    int k = 0;      /* elements completed by this chunk */
    lua_newtable(L);
    lua_newtable(L);
    for (i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\n') sc->line++;
        if (sc->phase != 1) {
            if (is_space(c)) continue;
            if (sc->phase == 0 && c == '[') {
                sc->phase = 1;
                sc->want_value = 1;
                from = i + 1;
                continue;
            }
            return scan_fail(L, sc, sc->phase == 0 ? "a JSON array must start with '['"
                                                   : "text after the end of the array");
        }
        if (sc->in_string) {
            if (sc->escape) sc->escape = 0;
            else if (c == '\\') sc->escape = 1;
            else if (c == '"') sc->in_string = 0;
            continue;
        }
        if (is_space(c)) continue;
        if (sc->depth == 0 && (c == ',' || c == ']')) {
            gather(L, sc, p + from, i - from);
            from = i + 1;
            if (!element_done(L, sc, &k)) {
                if (c == ',' || !sc->want_value || sc->elements > 0)
                    return scan_fail(L, sc, "an array element is missing");
            }
            sc->want_value = c == ',';
            if (c == ']') sc->phase = 2;
            continue;
        }
        if (sc->want_value) {
            sc->element_line = sc->line;
            sc->want_value = 0;
        }
        if (c == '"') sc->in_string = 1;
        else if (c == '{' || c == '[') sc->depth++;
        else if (c == '}' || c == ']') sc->depth--;
        if (sc->depth < 0) return scan_fail(L, sc, "a closing bracket without its opening one");
    }
    if (sc->phase == 1) gather(L, sc, p + from, n - from);
    return 2;
}

/***
Says whether the text fed so far was a whole array.
@function finish
@treturn[1] integer the number of elements
@return[2] nil
@treturn[2] string "line N: the array is not closed" or "no JSON array"
*/
static int scanner_finish(lua_State *L) {
    scanner *sc = luaL_checkudata(L, 1, SCANNER_MT);
    if (sc->phase == 2) {
        lua_pushinteger(L, sc->elements);
        return 1;
    }
    return scan_fail(L, sc, sc->phase == 0 ? "no JSON array" : "the array is not closed");
}

/***
The text gathered for an element not yet ended (what a truncated array
leaves), for the reject file.
@function rest
@treturn string
*/
static int scanner_rest(lua_State *L) {
    scanner *sc = luaL_checkudata(L, 1, SCANNER_MT);
    lua_pushlstring(L, sc->buf ? sc->buf : "", sc->len);
    return 1;
}

static const luaL_Reg scanner_methods[] = {
    {"feed", scanner_feed},
    {"finish", scanner_finish},
    {"rest", scanner_rest},
    {NULL, NULL}
};

/***
A scanner that splits a JSON array, fed in chunks, into its elements' texts.
@function json_array_scanner
@tparam[opt] integer line the line the text starts on (default 1)
@treturn userdata the scanner: feed, finish
*/
static int l_json_array_scanner(lua_State *L) {
    lua_Integer line = luaL_optinteger(L, 1, 1);
    scanner *sc = lua_newuserdata(L, sizeof *sc);
    memset(sc, 0, sizeof *sc);
    sc->line = sc->element_line = (long)line;
    bhl_set_class(L, SCANNER_MT, scanner_gc, NULL, scanner_methods);
    return 1;
}

/* {====================================================================
** x12_writer
** ===================================================================== */

#define X12_WRITER_MT "bhclaim.X12Writer"

/* One interchange written a transaction set at a time: the caller hands
** over the claims of one set (as JSON texts), gets the set's text back and
** writes it out, so no more than one set is held. A set the core writer
** would refuse is found on a trial copy first, because the core writer
** refuses every later set after one failure. */
typedef struct x12_out {
    bh_x12_options opts;    /* strings point into the envelope table */
    int env_ref;            /* registry reference keeping that table */
    bh_x12_writer *writer;  /* NULL until the first set */
    bh_buffer out;          /* what the writer wrote since last taken */
    bh_buffer trial;        /* the trial copy of a set */
    bh_claim **claims;
    size_t n_claims, cap;
    bh_report *report;      /* parse findings, unused but required */
    bh_error err;
} x12_out;

static int writer_gc(lua_State *L) {
    x12_out *w = luaL_checkudata(L, 1, X12_WRITER_MT);
    size_t i;
    for (i = 0; i < w->cap; i++) bh_claim_free(w->claims[i]);
    free(w->claims);
    w->claims = NULL;
    w->cap = 0;
    bh_x12_writer_free(w->writer);
    w->writer = NULL;
    bh_buffer_free(&w->out);
    bh_buffer_free(&w->trial);
    bh_report_free(w->report);
    w->report = NULL;
    if (w->env_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, w->env_ref);
    w->env_ref = LUA_NOREF;
    return 0;
}

/* Makes room for n claim models (kept and reused from set to set). */
static void writer_reserve(lua_State *L, x12_out *w, size_t n) {
    bh_claim **grown;
    if (n <= w->cap) return;
    grown = realloc(w->claims, n * sizeof *grown);
    if (grown == NULL) luaL_error(L, "bhclaim: out of memory");
    w->claims = grown;
    while (w->cap < n) {
        if ((w->claims[w->cap] = bh_claim_new()) == NULL) luaL_error(L, "bhclaim: out of memory");
        w->cap++;
    }
}

static int writer_fail(lua_State *L, const char *message) {
    lua_pushnil(L);
    lua_pushstring(L, message);
    return 2;
}

/* Pushes what the writer wrote since the last call and empties the buffer. */
static void writer_take(lua_State *L, x12_out *w) {
    lua_pushlstring(L, w->out.data ? w->out.data : "", w->out.len);
    w->out.len = 0;
    if (w->out.data) w->out.data[0] = '\0';
}

/***
Adds one transaction set.
@function add
@tparam table texts the claims of the set as JSON texts (at least one)
@treturn[1] string the text to write (ISA and GS first, with the first set)
@return[2] nil
@treturn[2] string why the set cannot be written ("claim N: ..."); the
  writer is unchanged and takes other sets
*/
static int writer_add(lua_State *L) {
    x12_out *w = luaL_checkudata(L, 1, X12_WRITER_MT);
    size_t i, n;
    bh_status st;
    luaL_checktype(L, 2, LUA_TTABLE);
    n = (size_t)bhc_rawlen(L, 2);
    luaL_argcheck(L, n > 0, 2, "at least one claim expected");
    writer_reserve(L, w, n);
    for (i = 0; i < n; i++) {
        size_t len;
        const char *json;
        lua_rawgeti(L, 2, (int)i + 1);
        json = lua_tolstring(L, -1, &len);
        if (json == NULL) return luaL_argerror(L, 2, "JSON texts expected");
        bh_report_reset(w->report);
        st = bh_claim_parse_json(w->claims[i], json, len, w->report, &w->err);
        lua_pop(L, 1);
        if (st == BH_ERR_NOMEM) return luaL_error(L, "bhclaim: out of memory");
        if (st != BH_OK) {
            lua_pushnil(L);
            lua_pushfstring(L, "claim %d: %s", (int)i + 1, w->err.message);
            return 2;
        }
    }
    w->trial.len = 0;
    st = bh_x12_write_837p((const bh_claim *const *)w->claims, n, &w->opts, &w->trial, &w->err);
    if (st == BH_ERR_NOMEM) return luaL_error(L, "bhclaim: out of memory");
    if (st != BH_OK) return writer_fail(L, w->err.message);
    if (w->writer == NULL && (w->writer = bh_x12_writer_new(&w->opts, &w->out, &w->err)) == NULL)
        return writer_fail(L, w->err.message);
    st = bh_x12_writer_add(w->writer, (const bh_claim *const *)w->claims, n);
    if (st == BH_ERR_NOMEM) return luaL_error(L, "bhclaim: out of memory");
    if (st != BH_OK) return luaL_error(L, "bhclaim: a set written on trial was refused");
    writer_take(L, w);
    return 1;
}

/***
Ends the interchange (GE and IEA); "" when no set was added.
@function finish
@treturn string
*/
static int writer_finish(lua_State *L) {
    x12_out *w = luaL_checkudata(L, 1, X12_WRITER_MT);
    if (w->writer == NULL) {
        lua_pushliteral(L, "");
        return 1;
    }
    if (bh_x12_writer_finish(w->writer) != BH_OK) return luaL_error(L, "bhclaim: out of memory");
    writer_take(L, w);
    bh_x12_writer_free(w->writer);
    w->writer = NULL;
    return 1;
}

static const luaL_Reg writer_methods[] = {
    {"add", writer_add},
    {"finish", writer_finish},
    {NULL, NULL}
};

/***
A writer of one 837P interchange, a transaction set at a time.
@function x12_writer
@tparam table envelope as x12_write takes it
@treturn userdata the writer: add, finish
*/
static int l_x12_writer(lua_State *L) {
    x12_out *w;
    luaL_checktype(L, 1, LUA_TTABLE);
    w = lua_newuserdata(L, sizeof *w);
    memset(w, 0, sizeof *w);
    w->env_ref = LUA_NOREF;
    bh_buffer_init(&w->out);
    bh_buffer_init(&w->trial);
    bhl_set_class(L, X12_WRITER_MT, writer_gc, NULL, writer_methods);
    if ((w->report = bh_report_new()) == NULL) return luaL_error(L, "bhclaim: out of memory");
    lua_pushvalue(L, 1);
    w->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    bhl_read_x12_options(L, 1, &w->opts);
    return 1;
}

static const luaL_Reg stream_functions[] = {
    {"x12_stream", l_x12_stream},
    {"json_array_scanner", l_json_array_scanner},
    {"x12_writer", l_x12_writer},
    {NULL, NULL}
};

void bhl_open_stream(lua_State *L) {
    bhc_setfuncs(L, stream_functions, 0);
}
