/*
** claim.c: life cycle of a claim model (see bhclaim.h, "The claim model").
** A claim owns one arena for its strings; reset empties the fields and keeps
** the arena's first block for the next claim of a batch. Core layer.
** SPDX-License-Identifier: MIT
*/
#include <stdlib.h>
#include <string.h>
#include "core.h"

/* Enough for a typical group-therapy claim's strings without a second
** block (the JSON form of one is 1-2 KB). */
#define CLAIM_ARENA_FIRST 4096

bh_claim *bh_claim_new(void) {
    bh_claim *claim = calloc(1, sizeof *claim);
    if (claim == NULL) return NULL;
    claim->arena = bh_arena_new(CLAIM_ARENA_FIRST);
    if (claim->arena == NULL) {
        free(claim);
        return NULL;
    }
    bh_claim_reset(claim);
    return claim;
}

void bh_claim_free(bh_claim *claim) {
    if (claim == NULL) return;
    bh_arena_free(claim->arena);
    free(claim);
}

void bh_claim_reset(bh_claim *claim) {
    bh_arena *arena = claim->arena;
    bh_arena_reset(arena);
    /* Only the used lines are dirty; clearing all fifty would cost more
    ** than the parse of a small claim. */
    memset(claim->lines, 0, (size_t)claim->n_lines * sizeof claim->lines[0]);
    memset(claim, 0, offsetof(bh_claim, lines));
    claim->n_lines = 0;
    claim->lines_state = BH_FIELD_ABSENT;
    memset(&claim->session, 0, sizeof claim->session);
    memset(&claim->documentation, 0, sizeof claim->documentation);
    claim->session.start = claim->session.end = -1;
    claim->session.minutes = claim->session.patients_present = -1;
    claim->session.minutes_present = -1;
    claim->arena = arena;
}

const char *bh_claim_strdup(bh_claim *claim, const char *text, size_t len) {
    return bh_arena_strndup(claim->arena, text, len);
}

void *bh_claim_alloc(bh_claim *claim, size_t n, size_t size) {
    void *p;
    if (n == 0 || size > (size_t)-1 / n) return NULL;
    p = bh_arena_alloc(claim->arena, n * size);
    if (p != NULL) memset(p, 0, n * size);
    return p;
}
