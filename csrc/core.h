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

/* The years bh_date_parse accepts (bhclaim.h). */
#define BH_DATE_MIN_YEAR 1800
#define BH_DATE_MAX_YEAR 2999

/* Why bh_date_parse refused a text (or BH_DATE_OK): not YYYY-MM-DD, no
** such day (2026-02-30), or a real day outside the accepted years. */
typedef enum bh_date_result {
    BH_DATE_OK = 0,
    BH_DATE_MALFORMED,
    BH_DATE_IMPOSSIBLE,
    BH_DATE_RANGE
} bh_date_result;

/* bh_date_parse, telling why it refused; *out is set only on OK. */
bh_date_result bh_date_parse_why(const char *text, size_t len, bh_date *out);

/* The message for a date text bh_date_parse refused, as one sentence:
** "This is not a real calendar date ...", "... outside the accepted range
** 1800-01-01 to 2999-12-31", or the expected form. */
const char *bh_date_problem(const char *text, size_t len);

/* Why bh_money_parse refused a text (or BH_MONEY_OK), so readers can say
** what is wrong: a malformed amount, a third decimal, or beyond
** BH_MAX_CENTS. */
typedef enum bh_money_result {
    BH_MONEY_OK = 0,
    BH_MONEY_MALFORMED,
    BH_MONEY_DECIMALS,
    BH_MONEY_RANGE
} bh_money_result;

/* bh_money_parse, telling why it refused; *cents is set only on OK. */
bh_money_result bh_money_parse_why(const char *text, size_t len, int64_t *cents);

/* Parses "HH:MM" (00:00-23:59) into minutes after midnight; -1 if not. */
int bh_time_parse(const char *text);

#endif
