/*
** x12_emit.h: the one X12 segment writer every bhclaim writer builds on
** (837P in x12_write.c, 270/276 in x12_inquiry_write.c): elements with
** trailing empties dropped, identifiers written as given or refused, free
** text folded by bh_x12_fold or refused, and the ISA/GS/GE/IEA envelope
** with its option checks. Core-internal: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#ifndef BH_X12_EMIT_H
#define BH_X12_EMIT_H

#include "core.h"

/* The 837P versions written (A1) and read (A1, and the A2 errata). */
#define BH_837P_VERSION_A1 "005010X222A1"
#define BH_837P_VERSION_A2 "005010X222A2"

typedef struct bh_emit bh_emit;

/* Called once, on the first failure, to word the error: field names what
** was refused (NULL for out of memory), what says why ("is missing"). The
** writer that owns the emitter knows the record (claim id, item number)
** and fills its bh_error. */
typedef void (*bh_emit_fail_fn)(bh_emit *e, bh_status code, const char *field, const char *what);

struct bh_emit {
    bh_buffer *out;
    const bh_x12_options *opt;
    bh_emit_fail_fn on_fail;
    bh_status status;       /* first failure; later writes do nothing */
    int pending;            /* empty elements held back (trailing ones vanish) */
    long segments;          /* segments since ST, ST included */
};

/* Sets up e to append to out with opt's separators. */
void bh_emit_init(bh_emit *e, bh_buffer *out, const bh_x12_options *opt, bh_emit_fail_fn on_fail);

/* Records the first failure (later ones are ignored) and calls on_fail. */
void bh_emit_fail(bh_emit *e, bh_status code, const char *field, const char *what);

/* Appends bytes as they are (the ISA, prebuilt composites). */
void bh_emit_raw(bh_emit *e, const char *s, size_t n);

/* Starts segment id; ends it with the terminator (and a newline if asked),
** counting it for SE01. */
void bh_emit_begin(bh_emit *e, const char *id);
void bh_emit_end(bh_emit *e);

/* One element of n bytes, or NUL-terminated s (NULL is empty). Empty
** elements are held back and dropped when nothing follows them. */
void bh_emit_el(bh_emit *e, const char *s, size_t n);
void bh_emit_els(bh_emit *e, const char *s);

/* 1 when c is one of opt's four separators. */
int bh_emit_is_sep(const bh_x12_options *opt, char c);

/* 1 when s is an identifier X12 can carry as given: 1 to max printable
** ASCII characters, none a separator. */
int bh_emit_id_ok(const bh_x12_options *opt, const char *s, size_t max);

/* An identifier or code element, written as given or refused with field
** named (never altered); NULL or "" is an empty element, refused when
** required. */
void bh_emit_id(bh_emit *e, const char *s, size_t max, int required, const char *field);

/* Free text folded by bh_x12_fold with opt's separators (upper-cased unless
** keep_case): written exactly as folded, or refused with field named when a
** character has no folding or the folded text is longer than max. Never
** cut, never a character dropped. */
void bh_emit_text(bh_emit *e, const char *s, size_t max, int required, const char *field,
                  int keep_case);

/* An amount in cents as X12 writes decimals: no trailing zeros (45.00 ->
** 45, 45.50 -> 45.5). Returns the length written into buf. */
size_t bh_emit_format_amount(int64_t cents, char buf[32]);

/* Checks an identifier option (s, at most max characters) before anything
** is written: fails with field named when missing, too long or holding a
** separator; returns 1 when good. */
int bh_emit_option_ok(bh_emit *e, const char *s, size_t max, const char *field);

/* Checks the options every interchange needs: separators, ISA sender and
** receiver, GS application ids, control numbers, usage, acknowledgement
** flag, date and time. On the first problem calls bh_emit_fail with the
** option named and returns 0. The version and the writer's own options are
** the writer's to check. */
int bh_emit_check_envelope(bh_emit *e);

/* Writes the ISA and the GS of functional_id ("HC", "HS", "HR") and
** version (GS08). */
void bh_emit_isa_gs(bh_emit *e, const char *functional_id, const char *version);

/* Writes SE for the segments since ST, with ST02's control number. */
void bh_emit_se(bh_emit *e, long control);

/* Writes GE (sets transaction sets) and IEA (one group). */
void bh_emit_ge_iea(bh_emit *e, long sets);

#endif
