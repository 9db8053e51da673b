/*
** core.h: helpers shared by the core's files, not part of the public API.
** Core-internal: no Lua headers here or in any file that includes this.
** SPDX-License-Identifier: MIT
*/
#ifndef BH_CORE_H
#define BH_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include "bhclaim.h"

/* 1 when two NUL-terminated strings are equal. Inline, for the short codes
** (procedures, modifiers, places of service, rule ids) the rules compare
** by the hundred per claim: there a call of the C library's strcmp costs
** more than the compare (it was 7% of a check --format json run). */
static inline int bh_streq(const char *a, const char *b) {
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* Fills err (NULL-safe) with code, rule-like id, no position (line and
** byte 0) and a printf-formatted message cut to the message buffer. */
void bh_error_set(bh_error *err, bh_status code, const char *id, const char *fmt, ...);

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

/* Puts the findings from index `from` on in path order (digit runs by
** value, so lines[2] before lines[10]; same path: by rule), keeping the
** order of equals. For a reader whose host walks members in no fixed order
** (a Lua table), so one claim always gives one report. */
void bh_report_sort_by_path(bh_report *report, size_t from);

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

/* The NCCI edits applied to a claim (ncci.c: ncci.ptp, ncci.mue,
** modifier.bypass): the loaded table in options->ncci (or the compiled-in
** edits) and the profile's own pairs and MUE values. Run by the group rules
** after the add-on check. */
bh_status bh_check_ncci(const bh_claim *claim, const bh_check_options *options,
                        bh_report *report);

/* {=== wording a finding (rule_text.c), shared by the rule files === */

/* BH_SEV_WARNING for a value a profile flags unconfirmed, else BH_SEV_ERROR. */
bh_severity bh_severity_for(int unconfirmed);

/* s, or fallback when s is NULL or empty. */
const char *bh_or_default(const char *s, const char *fallback);

/* "payer profile NAME: SOURCE" into buf (size bytes), SOURCE being
** fallback when source is NULL or empty, with " (unconfirmed profile
** value)" appended when unconfirmed. Returns buf. */
const char *bh_profile_source(const bh_profile *p, const char *source, const char *fallback,
                              int unconfirmed, char *buf, size_t size);

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

/* The calendar, defined once for the core (values.c). Days in month m
** (1-12) of year y, proleptic Gregorian: February has 29 in leap years. */
int bh_days_in_month(int y, int m);

/* 1 when d is a real calendar date YYYYMMDD in the years bh_date_parse
** accepts (BH_DATE_MIN_YEAR..BH_DATE_MAX_YEAR). */
int bh_date_valid(long d);

/* The same day `months` later (earlier when negative), on the month's last
** day when it has fewer: 2024-02-29 + 12 months is 2025-02-28. d must be a
** valid date. */
bh_date bh_date_add_months(bh_date d, int months);

/* The day before a valid date. */
bh_date bh_date_previous_day(bh_date d);

/* Parses "HH:MM" (00:00-23:59) into minutes after midnight; -1 if not. */
int bh_time_parse(const char *text);

/* {=== 837P free text (x12_text.c) === */

/* Element lengths of the 837P text the writer folds (005010X222A1). */
#define BH_X12_LEN_NAME_LAST 60     /* NM103 */
#define BH_X12_LEN_NAME_FIRST 35    /* NM104 */
#define BH_X12_LEN_NAME_MIDDLE 25   /* NM105 */
#define BH_X12_LEN_NAME_SUFFIX 10   /* NM107 */
#define BH_X12_LEN_ADDRESS 55       /* N301, N302 */
#define BH_X12_LEN_CITY 30          /* N401 */
#define BH_X12_LEN_NOTE 80          /* NTE02 */

typedef enum bh_x12_fold_result {
    BH_FOLD_OK = 0,
    BH_FOLD_BAD_CHAR,   /* a character with no folding; len = its byte offset */
    BH_FOLD_TOO_LONG    /* longer than max once folded */
} bh_x12_fold_result;

/* Where bh_x12_fold writes, and what it says of what it wrote. */
typedef struct bh_x12_folded {
    char *text;         /* max + 1 bytes */
    size_t max;
    size_t len;         /* set: the length written (see bh_x12_fold_result) */
    int folded;         /* set: 1 when anything but case and white space changed */
} bh_x12_folded;

/* Folds UTF-8 text s (NULL is empty) into into->text: white space runs
** become one space and ends are trimmed, printable ASCII is kept
** (upper-cased unless keep_case), the four separators in seps become a
** space, letters and punctuation above U+007F go through the
** transliteration table (e -> E for e acute, ss for sharp s, ' for curly
** quotes...). Control characters, malformed UTF-8 and characters outside
** the table give BH_FOLD_BAD_CHAR. */
bh_x12_fold_result bh_x12_fold(const char *s, const char seps[4], int keep_case,
                               bh_x12_folded *into);

/* 1 when s is a two-letter USPS code of a state, DC, a territory or a
** military post office. */
int bh_x12_state_valid(const char *s);

/* The digits of a ZIP code given as 5 digits, 9 digits or ZIP+4 with its
** hyphen (NNNNN-NNNN) into out; returns 5 or 9, -1 for any other shape. */
int bh_x12_zip_digits(const char *zip, char out[10]);

/* CLM05-3 claim frequency codes of the 837P: 1 original, 7 replacement of
** a prior claim, 8 void (rules-reference section 8.1). 1 when f is one. */
int bh_x12_frequency_valid(const char *f);

/* 1 for 7 and 8, which must name the payer's claim (REF*F8). */
int bh_x12_frequency_needs_f8(const char *f);

/* Coordination of benefits, as the writer and check see it: 0 when the
** claim's other payers and line adjudications are consistent, else a
** static message and *path (a buffer of 64) set to the field: a claim to a
** secondary or tertiary payer (SBR01 other than P and U) without other
** payers; an adjudication whose payer_id is no other payer's; a line whose
** adjudication does not balance (SVD02 + its CAS amounts = SV102). */
const char *bh_x12_cob_problem(const bh_claim *claim, char path[64]);

/* The guide allows at most 100 claims (2300 loops) under one subscriber HL. */
#define BH_X12_CLAIMS_PER_HL 100

/* The 837P rules (x12_rules.c: x12.text, x12.address, x12.state, x12.zip,
** x12.frequency, x12.case), run by bh_claim_check. */
bh_status bh_check_x12_rules(const bh_claim *claim, bh_report *report);

/* Code lists of the 837P elements the model carries as given. */
typedef enum bh_x12_code_kind {
    BH_X12_RESPONSIBILITY,      /* SBR01: A-H, P, S, T, U */
    BH_X12_FILING_CODE,         /* SBR09 claim filing indicator */
    BH_X12_UNIT_TYPE,           /* SV103: UN, MJ */
    BH_X12_YES_NO,              /* CLM06 */
    BH_X12_ASSIGNMENT,          /* CLM07: A, B, C */
    BH_X12_BENEFITS,            /* CLM08: Y, N, W */
    BH_X12_RELEASE,             /* CLM09: I, Y */
    BH_X12_SIGNATURE_SOURCE,    /* CLM10: P */
    BH_X12_CLAIM_DATE,          /* 2300 DTP01 other than the line's 472 */
    BH_X12_CLAIM_REFERENCE      /* 2300 REF01 other than G1 and F8 */
} bh_x12_code_kind;

/* The 2300 DTP01 and REF01 qualifiers in the guide's segment order, space
** separated: the writer writes a claim's dates and references in it. */
#define BH_X12_CLAIM_DATE_ORDER \
    "431 454 304 453 439 484 455 471 314 360 361 297 296 435 096 090 091 444 050"
#define BH_X12_CLAIM_REFERENCE_ORDER "4N F5 EW 9F G1 F8 X4 9A 9C LX D9 EA P4 1J"

/* 1 when s is a code of that list (005010X222A1). */
int bh_x12_code_valid(bh_x12_code_kind kind, const char *s);

/* {====================================================================
** Claims read from another host's values (a Lua table) instead of text
** ===================================================================== */

/* A cursor over a tree of values held by a host (the Lua binding's table
** walk), for bh_claim_parse_source: the claim reader runs the same schema
** code on it as on JSON text, so every finding, path and message is the
** one the text would give. One value is "current"; the reader consumes it
** with one of the calls below. A call returning 0 stops the read (the
** host met something it prefers to hand over another way: the read then
** returns BH_ERR_LIMIT and leaves claim and report as they were). */
typedef struct bh_value_source {
    void *ctx;
    /* The current value's kind as its JSON text would start: '{', '[',
    ** '"', 't', 'f', 'n', '-' (a negative number) or '0' (another number);
    ** anything else for a value JSON cannot hold. */
    int (*kind)(void *ctx);
    /* Consumes the current value unread (nested values are still walked,
    ** so the host can refuse what it cannot convert); 0 stops. */
    int (*skip)(void *ctx);
    /* The current number; consumes it. */
    double (*number)(void *ctx);
    /* The current string's bytes (alive until the next call); the caller
    ** consumes it with skip. */
    const char *(*string)(void *ctx, size_t *len);
    /* 1 when the current object has no members (an empty Lua table). */
    int (*empty)(void *ctx);
    /* Enters the current object or array; 0 stops. */
    int (*open)(void *ctx);
    /* Next member of the entered object: 1 with its value current and the
    ** key in *key and *len, 0 at the end (the object is consumed), -1 to stop. */
    int (*next_member)(void *ctx, const char **key, size_t *len);
    /* Next element of the entered array, as next_member. */
    int (*next_element)(void *ctx);
} bh_value_source;

/* Reads the claim held by src (its current value) as bh_claim_parse_json
** reads JSON text: same findings, same paths, same messages. BH_ERR_LIMIT
** when src stopped the read (claim reset, report as it was). */
bh_status bh_claim_parse_source(bh_claim *claim, const bh_value_source *src,
                                bh_report *report);

#endif
