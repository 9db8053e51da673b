/*
** core.h: helpers shared by the core's files, not part of the public API.
** Core-internal: no Lua headers here or in any file that includes this.
** SPDX-License-Identifier: MIT
*/
#ifndef BH_CORE_H
#define BH_CORE_H

#include <stddef.h>
#include "bhclaim.h"

/* A bump allocator for strings that live as long as one claim or report.
** Blocks are chained; reset keeps the first block so a batch reuses it. */
typedef struct bh_arena bh_arena;

/* Creates an arena whose first block holds first_size bytes. NULL on OOM. */
bh_arena *bh_arena_new(size_t first_size);

/* Frees the arena and every block. NULL-safe. */
void bh_arena_free(bh_arena *arena);

/* Forgets every allocation; keeps the first block, frees the others. */
void bh_arena_reset(bh_arena *arena);

/* Returns n bytes aligned for any object, or NULL on OOM. */
void *bh_arena_alloc(bh_arena *arena, size_t n);

/* Copies len bytes and a NUL into the arena; NULL on OOM. */
char *bh_arena_strndup(bh_arena *arena, const char *text, size_t len);

/* Drops the findings added after the first `count` (their strings stay in
** the arena until the next reset). */
void bh_report_truncate(bh_report *report, size_t count);

/* ASCII helpers that never consult the locale (the core must behave the
** same in every host process). */
#define BH_IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define BH_IS_UPPER(c) ((c) >= 'A' && (c) <= 'Z')
#define BH_IS_LOWER(c) ((c) >= 'a' && (c) <= 'z')
#define BH_TO_UPPER(c) (BH_IS_LOWER(c) ? (char)((c) - 'a' + 'A') : (c))

/* The group, documentation, credential, add-on and NCCI rules (group.c),
** run by bh_claim_check after the code and identifier checks. service is
** the claim's earliest line date (0 if none). */
bh_status bh_check_group_rules(const bh_claim *claim, const bh_check_options *options,
                               bh_date service, bh_report *report);

/* The payer edits of payer_rules.c (code.dx_procedure, code.setting,
** claim.timely_filing, payer.prior_auth), run by bh_claim_check with the
** provider kind that applies to the claim (its billing_provider.kind, else
** the option's). */
bh_status bh_check_payer_rules(const bh_claim *claim, const bh_check_options *options,
                               bh_provider_kind provider_kind, bh_report *report);

/* Parses "HH:MM" (00:00-23:59) into minutes after midnight; -1 if not. */
int bh_time_parse(const char *text);

#endif
