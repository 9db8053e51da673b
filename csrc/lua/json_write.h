/*
** json_write.h (binding): the one writer from a Lua value to JSON text,
** shared by bhclaim.encode (strict: what JSON cannot hold is refused) and by
** check and x12_write for a claim table the direct reader cannot take
** (lenient: it becomes null and is remembered for a finding).
** SPDX-License-Identifier: MIT
*/
#ifndef BHCLAIM_LUA_JSON_WRITE_H
#define BHCLAIM_LUA_JSON_WRITE_H

#include "areas.h"

/* How the writer treats a value JSON cannot hold. */
typedef enum bhl_json_mode {
    /* Writes null in its place and records it with its path (check); keys
    ** that are not strings are skipped, object keys keep table order. */
    BHL_JSON_LENIENT,
    /* Stops with the reason and the path (encode); object keys come in the
    ** claim contract's order, the others sorted after them. */
    BHL_JSON_STRICT
} bhl_json_mode;

/* Unsupported values recorded in lenient mode: a few are plenty to fix. */
#define BHL_JSON_MAX_UNSUPPORTED 8
/* Bytes of a rendered path ("lines[1].code"); a longer one is cut, as it
** only names a place. */
#define BHL_JSON_PATH_SIZE 128

/* A key of an object being written in strict mode: borrowed from the Lua
** string, which the table keeps alive while it is written. */
typedef struct bhl_json_key {
    const char *text;
    size_t len;
} bhl_json_key;

/* The writer's output and work space. It belongs to a userdata (the
** module's scratch) so that nothing leaks when a Lua call raises (out of
** memory) halfway through a value; bhl_json_buf_free releases it. */
typedef struct bhl_json_buf {
    char *text;             /* the JSON text written, not NUL-terminated */
    size_t len;             /* bytes used in text */
    size_t cap;             /* bytes allocated for text */
    bhl_json_key *keys;     /* stack of the keys of the objects being sorted */
    size_t n_keys;
    size_t keys_cap;
} bhl_json_buf;

/* One step of the path to the value being written: a key (borrowed from
** the Lua string on the stack) or a 1-based array index. */
typedef struct bhl_json_frame {
    const char *key;        /* NULL for an array element */
    long index;
} bhl_json_frame;

/* The state of one walk. After bhl_json_write, `error` says why a walk
** stopped (NULL: out of memory) and `unsupported_*` what lenient mode
** wrote as null. */
typedef struct bhl_json_walk {
    lua_State *L;
    bhl_json_mode mode;
    const char *error;      /* strict refusal or a cycle, else NULL */
    char error_path[BHL_JSON_PATH_SIZE];
    bhl_json_frame frames[BH_MAX_DEPTH + 2];
    int depth;              /* frames in use */
    /* The tables on the path from the root to the value being written:
    ** meeting one of them again is a cycle. The depth limit bounds it. */
    const void *open_tables[BH_MAX_DEPTH + 2];
    int n_open;
    int n_unsupported;
    char unsupported_path[BHL_JSON_MAX_UNSUPPORTED][BHL_JSON_PATH_SIZE];
    const char *unsupported_what[BHL_JSON_MAX_UNSUPPORTED];
} bhl_json_walk;

/* Registry key of the metatable that marks decoded arrays (core.array_mt). */
extern const char bhl_array_mt_key;

/* Writes the value at idx as JSON text into out->text (out->len bytes,
** replacing what was there). Returns 1 when written; 0 when the walk
** stopped: w->error says why (strict refusal, or in either mode a cycle)
** and w->error_path where, or w->error is NULL for out of memory. Raises
** only when Lua runs out of memory. */
int bhl_json_write(lua_State *L, int idx, bhl_json_mode mode, bhl_json_buf *out,
                   bhl_json_walk *w);

/* Frees what out holds and leaves it empty. */
void bhl_json_buf_free(bhl_json_buf *out);

/* Pushes why a walk stopped, as "<prefix><error> at <path>" (without the
** " at <path>" for the root), for a caller that reports it its own way. */
void bhl_json_push_error(lua_State *L, const bhl_json_walk *w, const char *prefix);

/* Raises "bad argument #arg to 'fname' (<prefix><error> at <path>)" for a
** walk that stopped on w->error. Call only with nothing left to free. */
int bhl_json_raise(lua_State *L, const bhl_json_walk *w, const char *fname, int arg,
                   const char *prefix);

#endif
