/*
** arena.c: the bump allocator behind claims and reports (see core.h).
** One arena per claim, reset between claims, so checking a batch does not
** allocate per field. Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdlib.h>
#include <string.h>
#include "core.h"

typedef struct arena_block {
    struct arena_block *next;   /* older block, or NULL for the first */
    size_t size;                /* bytes of data[] */
    size_t used;                /* bytes handed out */
    /* Aligned for any object: a union with the widest scalar types. */
    union { long double ld; void *p; long long ll; } data[1];
} arena_block;

struct bh_arena {
    arena_block *head;          /* newest block; the first one is last */
};

static arena_block *block_new(size_t size) {
    arena_block *b = malloc(sizeof(arena_block) + size);
    if (b == NULL) return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

bh_arena *bh_arena_new(size_t first_size) {
    bh_arena *arena = malloc(sizeof *arena);
    if (arena == NULL) return NULL;
    arena->head = block_new(first_size);
    if (arena->head == NULL) {
        free(arena);
        return NULL;
    }
    return arena;
}

void bh_arena_free(bh_arena *arena) {
    if (arena == NULL) return;
    while (arena->head != NULL) {
        arena_block *next = arena->head->next;
        free(arena->head);
        arena->head = next;
    }
    free(arena);
}

void bh_arena_reset(bh_arena *arena) {
    while (arena->head->next != NULL) {
        arena_block *next = arena->head->next;
        free(arena->head);
        arena->head = next;
    }
    arena->head->used = 0;
}

void *bh_arena_alloc(bh_arena *arena, size_t n) {
    const size_t align = sizeof(arena->head->data[0]);
    arena_block *b = arena->head;
    size_t need = (n + align - 1) / align * align;
    if (need < n) return NULL;              /* n so large the rounding wrapped */
    if (b->size - b->used < need) {
        /* Double the block so a large claim costs few mallocs; a single huge
        ** string gets a block of its own size. */
        size_t size = b->size * 2 > need ? b->size * 2 : need;
        arena_block *nb = block_new(size);
        if (nb == NULL) return NULL;
        nb->next = b;
        arena->head = b = nb;
    }
    {
        void *p = (char *)b->data + b->used;
        b->used += need;
        return p;
    }
}

char *bh_arena_strndup(bh_arena *arena, const char *text, size_t len) {
    char *copy;
    if (len == (size_t)-1) return NULL;
    copy = bh_arena_alloc(arena, len + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, text, len);
    copy[len] = '\0';
    return copy;
}
