/*
** key_set.c (binding): a set of keys held outside the Lua heap, for the
** rules across claims (lua/bhclaim/batch.lua's tracker and the check
** command's batch path, check_batch.c). A batch holds one key per service
** line; as a Lua table of strings that many keys would be traversed by every
** garbage-collection cycle while the batch is checked.
**
** Layout, for a batch of a few hundred thousand lines: keys and labels are
** copied into blocks that never move (a growing buffer's copies and fresh
** pages were half the cost of tracking); entries (key, value) are dense, in
** insertion order, each key led by its length in the block; the
** open-addressing table holds, per slot, the entry number and the high half
** of its hash, so a probe past another key reads no entry. Memory is what
** tracking costs: on a virtual machine each fresh page took 20-30 us to
** fault in, so an entry is 16 bytes and the table grows in place.
** SPDX-License-Identifier: MIT
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"

#define KEYSET_MT "bhclaim.KeySet"

/* The most entries (and labels) one set holds: slot numbers are 32-bit. */
#define KEYSET_MAX 0x3fffffffu

typedef struct keyset_entry {
    const char *key;        /* in a block, after its length (key_length) */
    lua_Number value;
} keyset_entry;

/* Bytes of keys and labels; full blocks stay where they are. */
typedef struct key_block {
    struct key_block *next;
    size_t used, cap;
    char data[];
} key_block;

#define KEY_BLOCK_BYTES 262144

struct bhl_key_set {
    uint64_t *slots;        /* hash's high 32 bits << 32 | entry number + 1; 0: empty */
    size_t cap;             /* a power of two, or 0 */
    keyset_entry *entries;
    size_t count, entries_cap;
    key_block *blocks;      /* the one being filled first */
    const char **labels;    /* label n at labels[n - 1], ended by '\0'; NULL: none */
    size_t n_labels, labels_cap;
};

typedef bhl_key_set keyset;

/* A 64-bit hash of a key eight bytes at a time (keys are some 60-100
** bytes: a byte-at-a-time hash showed in profiles). */
static uint64_t key_hash(const char *s, size_t n) {
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    if (n > 0) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    }
    /* murmur3's finaliser: every bit of h reaches the low bits the slot
    ** index takes and the high bits of the tag */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Grows *data (of *cap items of size `size`) to hold at least `need`. */
static int grow(void **data, size_t *cap, size_t need, size_t size, size_t first) {
    size_t n = *cap ? *cap : first;
    void *p;
    if (need <= *cap) return 1;
    while (n < need) n *= 2;
    p = realloc(*data, n * size);
    if (p == NULL) return 0;
    *data = p;
    *cap = n;
    return 1;
}

#define SLOT_TAG(h) ((h) & 0xffffffff00000000ULL)

/* A key's length is stored before it: one byte below 255, else 255 and
** the length's bytes. */
#define LONG_KEY 255

static size_t key_length(const char *key) {
    size_t len;
    if ((unsigned char)key[-1] != LONG_KEY) return (unsigned char)key[-1];
    memcpy(&len, key - 1 - sizeof len, sizeof len);
    return len;
}

/* The slot of `key`: the one holding it, or the empty one it would go to. */
static uint64_t *find_slot(const keyset *k, const char *key, size_t len, uint64_t h) {
    size_t i = (size_t)h & (k->cap - 1);
    for (;;) {
        uint64_t slot = k->slots[i];
        if (slot == 0) return &k->slots[i];
        if (SLOT_TAG(slot) == SLOT_TAG(h)) {
            const char *other = k->entries[(slot & 0xffffffffu) - 1].key;
            if (key_length(other) == len && memcmp(other, key, len) == 0) return &k->slots[i];
        }
        i = (i + 1) & (k->cap - 1);
    }
}

/* Doubles the slot table (load kept at most one half) where it is, so the
** pages it had are used again, and hashes the keys anew. */
static int rehash(keyset *k) {
    size_t cap = k->cap ? k->cap * 2 : 4096, i;
    uint64_t *slots = realloc(k->slots, cap * sizeof *slots);
    if (slots == NULL) return 0;
    memset(slots, 0, cap * sizeof *slots);
    k->slots = slots;
    k->cap = cap;
    for (i = 0; i < k->count; i++) {
        const char *key = k->entries[i].key;
        uint64_t h = key_hash(key, key_length(key));
        size_t j = (size_t)h & (cap - 1);
        while (slots[j] != 0) j = (j + 1) & (cap - 1);
        slots[j] = SLOT_TAG(h) | (uint64_t)(i + 1);
    }
    return 1;
}

/* Room for n more bytes in the set's blocks, or NULL when memory runs out. */
static char *block_room(keyset *k, size_t n) {
    key_block *b = k->blocks;
    char *at;
    if (b == NULL || b->cap - b->used < n) {
        size_t cap = n > KEY_BLOCK_BYTES ? n : KEY_BLOCK_BYTES;
        if (n >= SIZE_MAX - sizeof *b) return NULL;
        b = malloc(sizeof *b + cap);
        if (b == NULL) return NULL;
        b->next = k->blocks;
        b->used = 0;
        b->cap = cap;
        k->blocks = b;
    }
    at = b->data + b->used;
    b->used += n;
    return at;
}

/* A copy of the key in the set's blocks, after its length, or NULL when
** memory runs out. */
static const char *key_add(keyset *k, const char *key, size_t len) {
    size_t lead = len < LONG_KEY ? 1 : 1 + sizeof len;
    char *at;
    if (len > SIZE_MAX - lead || (at = block_room(k, lead + len)) == NULL) return NULL;
    if (len < LONG_KEY) {
        at[0] = (char)len;
    } else {
        memcpy(at, &len, sizeof len);
        at[sizeof len] = (char)LONG_KEY;
    }
    memcpy(at + lead, key, len);
    return at + lead;
}

/* A copy of the label, ended by '\0', or NULL when memory runs out. */
static const char *label_add(keyset *k, const char *label, size_t len) {
    char *at;
    if (len == SIZE_MAX || (at = block_room(k, len + 1)) == NULL) return NULL;
    memcpy(at, label, len);
    at[len] = '\0';
    return at;
}

bhl_key_set *bhl_key_set_check(lua_State *L, int idx) {
    return luaL_checkudata(L, idx, KEYSET_MT);
}

int bhl_key_set_put(lua_State *L, bhl_key_set *k, const char *key, size_t len,
                    lua_Number value, lua_Number *old) {
    uint64_t h = key_hash(key, len);
    uint64_t *slot;
    keyset_entry *e;
    if (k->count >= KEYSET_MAX) return luaL_error(L, "bhclaim: too many keys in one batch");
    if ((k->count + 1) * 2 > k->cap && !rehash(k)) return luaL_error(L, "bhclaim: out of memory");
    slot = find_slot(k, key, len, h);
    if (*slot != 0) {
        *old = k->entries[(*slot & 0xffffffffu) - 1].value;
        return 1;
    }
    if (!grow((void **)&k->entries, &k->entries_cap, k->count + 1, sizeof *k->entries, 1024))
        return luaL_error(L, "bhclaim: out of memory");
    e = &k->entries[k->count];
    e->key = key_add(k, key, len);
    if (e->key == NULL) return luaL_error(L, "bhclaim: out of memory");
    e->value = value;
    *slot = SLOT_TAG(h) | (uint64_t)++k->count;
    return 0;
}

void bhl_key_set_label(lua_State *L, bhl_key_set *k, lua_Integer n, const char *label,
                       size_t len) {
    const char *at;
    if (n < 1 || (lua_Number)n > (lua_Number)KEYSET_MAX)
        luaL_error(L, "bhclaim: label number %d out of range", (int)n);
    if (!grow((void **)&k->labels, &k->labels_cap, (size_t)n, sizeof *k->labels, 1024))
        luaL_error(L, "bhclaim: out of memory");
    while (k->n_labels < (size_t)n) k->labels[k->n_labels++] = NULL;
    at = label_add(k, label, len);
    if (at == NULL) luaL_error(L, "bhclaim: out of memory");
    k->labels[n - 1] = at;
}

const char *bhl_key_set_label_of(const bhl_key_set *k, lua_Integer n) {
    if (n < 1 || (size_t)n > k->n_labels) return NULL;
    return k->labels[n - 1];
}

static int keyset_gc(lua_State *L) {
    keyset *k = bhl_key_set_check(L, 1);
    while (k->blocks != NULL) {
        key_block *next = k->blocks->next;
        free(k->blocks);
        k->blocks = next;
    }
    free(k->slots);
    free(k->entries);
    free(k->labels);
    memset(k, 0, sizeof *k);
    return 0;
}

/* set:put(key, value) -> the value the key already had (and keeps), or nil
** after storing value. */
static int keyset_put(lua_State *L) {
    size_t len;
    const char *key = luaL_checklstring(L, 2, &len);
    lua_Number value = luaL_checknumber(L, 3), old;
    if (bhl_key_set_put(L, bhl_key_set_check(L, 1), key, len, value, &old))
        lua_pushnumber(L, old);
    else lua_pushnil(L);
    return 1;
}

/* set:label(n, label): names claim number n. */
static int keyset_label(lua_State *L) {
    size_t len;
    lua_Integer n = luaL_checkinteger(L, 2);
    const char *label = luaL_checklstring(L, 3, &len);
    bhl_key_set_label(L, bhl_key_set_check(L, 1), n, label, len);
    return 0;
}

/* set:label_of(n) -> the label of claim number n, or nil. */
static int keyset_label_of(lua_State *L) {
    const char *label = bhl_key_set_label_of(bhl_key_set_check(L, 1), luaL_checkinteger(L, 2));
    if (label == NULL) lua_pushnil(L);
    else lua_pushstring(L, label);
    return 1;
}

static const luaL_Reg keyset_methods[] = {
    {"put", keyset_put},
    {"label", keyset_label},
    {"label_of", keyset_label_of},
    {NULL, NULL}
};

/***
A set of strings held outside the Lua heap, each with a number, and the
labels of the claims those numbers name: set:put(key, value) returns the
number stored earlier for the key, or nil after storing this one;
set:label(n, label) names claim n; set:label_of(n) gives that name (nil
when none). For the rules across claims (bhclaim.batch).
@function key_set
@treturn userdata
*/
static int l_key_set(lua_State *L) {
    keyset *k = lua_newuserdata(L, sizeof *k);
    memset(k, 0, sizeof *k);
    bhl_set_class(L, KEYSET_MT, keyset_gc, NULL, keyset_methods);
    return 1;
}

void bhl_open_key_set(lua_State *L) {
    lua_pushcfunction(L, l_key_set);
    lua_setfield(L, -2, "key_set");
}
