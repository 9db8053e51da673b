/*
** x12_inquiry.h: eligibility (270/271, 005010X279A1) and claim status
** (276/277, 005010X212) in the core: readers of all four sets and writers
** of the two inquiries. The readers build a cJSON tree (the shape is
** documented in docs/eligibility.md and docs/status.md) so that the
** binding, the CLI's JSON output and C callers share one description of
** each answer. Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#ifndef BH_X12_INQUIRY_H
#define BH_X12_INQUIRY_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "bhclaim.h"

/* Which transaction sets a read accepts. */
typedef enum bh_inquiry_family {
    BH_INQ_ELIGIBILITY,     /* ST01 270 or 271 */
    BH_INQ_STATUS           /* ST01 276 or 277 (005010X212) */
} bh_inquiry_family;

/* Reads every set of the family in data[0..len) (any separators, several
** ISA/GS/ST, an ST with no envelope). Returns a cJSON array with one object
** per ST..SE set, which the caller frees with cJSON_Delete, or NULL with
** err filled: BH_ERR_SYNTAX "x12.syntax" or "x12.value" with a message
** "segment N (ID): ..." for input that is not such a set, or a segment or
** element this reader does not model (nothing is dropped in silence);
** BH_ERR_NOMEM. Absent elements are absent keys, never "". Amounts are
** decimal strings with two places, dates "YYYY-MM-DD". err may be NULL. */
cJSON *bh_inquiry_read(bh_inquiry_family family, const char *data, size_t len,
                       bh_error *err);

/* The meaning of a code in one of the code lists the readers use, or NULL
** when the code is not in the list kept here. list is one of:
** "eb_kind" (EB01), "service_type" (EB03/EQ01), "coverage_level" (EB02/EQ03),
** "time_period" (EB06), "quantity" (EB09), "network" (EB12),
** "authorization" (EB11), "reject_reason" (AAA03), "follow_up" (AAA04),
** "status_category" (STC01-1), "status_code" (STC01-2). Sources are
** listed in docs/eligibility.md and docs/status.md. */
const char *bh_inquiry_meaning(const char *list, const char *code);

/* Writes one 270 (family BH_INQ_ELIGIBILITY) or 276 (BH_INQ_STATUS)
** interchange for the inquiries in `items` (a cJSON array, see
** docs/eligibility.md "request" and docs/status.md "request") with the
** envelope in `opt` (ISA/GS as for the 837P writer: same separators,
** control numbers, ids, date and time, refused the same way; version
** defaults to 005010X279A1 or 005010X212). One ST..SE set holds every
** item; consecutive items with the same payer share a 2000A, with the same
** provider a 2000B (and 2000C for the 276). Identifiers and codes are
** written as given or refused; names are upper-cased and cleaned as in the
** 837P. Returns BH_OK, or BH_ERR_ARG with err->id "x12.write" and a
** message naming the item number and the field, or BH_ERR_NOMEM. On
** failure out holds what it held before the call. err may be NULL. */
bh_status bh_inquiry_write(bh_inquiry_family family, const cJSON *items,
                           const bh_x12_options *opt, bh_buffer *out, bh_error *err);

#endif
