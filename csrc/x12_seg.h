/*
** x12_seg.h: the X12 segment tokenizer every reader shares: the 837P
** reader (x12_read.c) and the answer readers (835, 999, TA1, 277CA, 270/271,
** 276/277). It takes any separators, several interchanges (each ISA
** declares its own), an ST..SE set with no envelope, and counts segments
** for error messages "segment N (ID): ...". The cutting of a segment
** (bh_seg_skip, bh_seg_cut) is inline here: the 837P reader is on the
** speed path. Core-internal: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#ifndef BH_X12_SEG_H
#define BH_X12_SEG_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include "core.h"

/* A piece of the input: not NUL-terminated, n may be 0. */
typedef struct bh_span {
    const char *p;
    size_t n;
} bh_span;

/* Elements per segment the answer readers keep (the largest answer
** segment, MIA, has 24), id included. */
#define BH_SEG_MAX_ELEMENTS 64
/* Longest element the answer readers accept; longer is refused as not X12. */
#define BH_SEG_MAX_ELEMENT_LEN 4096
/* Room for the elements of one segment under either reader's limit (the
** 837P's, BH_X12_MAX_ELEMENTS, may be changed at build time). */
#define BH_SEG_SLOTS \
    (BH_X12_MAX_ELEMENTS > BH_SEG_MAX_ELEMENTS ? BH_X12_MAX_ELEMENTS : BH_SEG_MAX_ELEMENTS)

typedef struct bh_seg_reader {
    const char *data;
    size_t len;
    size_t pos;             /* start of the next segment */
    char esep, csep, rsep, term;   /* rsep 0: none (the 837P keeps ISA11 as sent) */
    long seg_no;            /* segments read so far, 1-based numbering */
    size_t seg_start;       /* byte offset of the current segment */
    long line;              /* line of the next segment: 1 + line breaks skipped */
    long seg_line;          /* line of the current segment */
    char id[4];             /* the current segment id, NUL-terminated */
    bh_span el[BH_SEG_SLOTS];   /* el[0] is the id */
    int n_el;
    int pending;            /* the current segment is read but not yet used */
    struct bh_arena *arena; /* where taken strings and list items go */
    bh_error *err;          /* where failures are written */
    int failed;
    int bare;               /* the data started with ST (no envelope) */
} bh_seg_reader;

/* Whether c may be a separator: printable punctuation (the terminator may
** also be a line break). */
static inline int bh_seg_is_punct(char c) {
    return (unsigned char)c > 0x20 && (unsigned char)c < 0x7f && !BH_IS_DIGIT(c) &&
           !BH_IS_UPPER(c) && !BH_IS_LOWER(c);
}

/* {--- cutting segments (inline: the 837P reader's inner loop) --- */

/* What a reader accepts around and inside a segment; the 837P reader
** takes none of these (its error messages and limits are its own), the
** answer readers take BH_SEG_ANSWER. */
enum {
    BH_SEG_BLANKS = 1,  /* spaces, tabs and blank lines between segments are skipped */
    BH_SEG_CRLF = 2,    /* with a line-feed terminator, a CR before it is dropped */
    BH_SEG_NO_NUL = 4,  /* a NUL byte inside a segment is refused */
    BH_SEG_ANSWER = BH_SEG_BLANKS | BH_SEG_CRLF | BH_SEG_NO_NUL
};

/* Why bh_seg_cut refused a segment; each reader words its own message. */
typedef enum bh_seg_problem {
    BH_SEG_NO_TERMINATOR = 1,   /* r->pos is left at the cut segment */
    BH_SEG_TOO_MANY,            /* more than max_elements elements, id included */
    BH_SEG_TOO_LONG,            /* element r->n_el is longer than max_len */
    BH_SEG_BAD_ID,              /* not 2 or 3 upper-case letters or digits */
    BH_SEG_NUL                  /* a NUL byte (BH_SEG_NO_NUL) */
} bh_seg_problem;

/* Skips what lies between segments: line breaks other than the
** terminator (counted in r->line), and with BH_SEG_BLANKS spaces, tabs and
** line feeds even when the line feed is the terminator. */
static inline void bh_seg_skip(bh_seg_reader *r, unsigned how) {
    for (; r->pos < r->len; r->pos++) {
        char c = r->data[r->pos];
        if (c == '\n') {
            if (c == r->term && !(how & BH_SEG_BLANKS)) return;
            r->line++;
        } else if (c == '\r' || ((how & BH_SEG_BLANKS) && (c == ' ' || c == '\t'))) {
            if (c == r->term) return;
        } else {
            return;
        }
    }
}

/* Cuts the segment at r->pos into r->el and r->id, and moves r->pos past
** its terminator. Returns 0, or a bh_seg_problem. `how` and the limits are
** constants at each call, so each reader gets its own specialised copy. */
static inline int bh_seg_cut(bh_seg_reader *r, unsigned how, int max_elements,
                             size_t max_len) {
    const char *s = r->data + r->pos, *end, *p, *start;
    bh_span id;
    size_t i;
    int ok, nul = 0;
    end = (const char *)memchr(s, r->term, r->len - r->pos);
    if (end == NULL) return BH_SEG_NO_TERMINATOR;
    r->pos = (size_t)(end - r->data) + 1;
    if ((how & BH_SEG_CRLF) && r->term == '\n' && end > s && end[-1] == '\r') end--;
    r->n_el = 0;
    for (p = start = s;; p++) {
        if (p != end && *p != r->esep) {
            /* Found in the same scan, so clean input pays one pass. */
            if ((how & BH_SEG_NO_NUL) && *p == '\0') nul = 1;
            continue;
        }
        if (r->n_el == max_elements) return BH_SEG_TOO_MANY;
        if ((size_t)(p - start) > max_len) return BH_SEG_TOO_LONG;
        r->el[r->n_el].p = start;
        r->el[r->n_el].n = (size_t)(p - start);
        r->n_el++;
        if (p == end) break;
        start = p + 1;
    }
    id = r->el[0];
    ok = (id.n == 2 || id.n == 3) && BH_IS_UPPER(id.p[0]);
    for (i = 0; ok && i < id.n; i++) ok = BH_IS_UPPER(id.p[i]) || BH_IS_DIGIT(id.p[i]);
    if (!ok) return BH_SEG_BAD_ID;
    memcpy(r->id, id.p, id.n);
    r->id[id.n] = '\0';
    /* A NUL would silently cut the element where C strings end. */
    return nul ? BH_SEG_NUL : 0;
}

/* Element i of the current segment ({NULL,0} when absent). */
static inline bh_span bh_seg_el(const bh_seg_reader *r, int i) {
    bh_span s = {NULL, 0};
    if (i >= 0 && i < r->n_el) s = r->el[i];
    return s;
}

/* Whether the current segment's id is `id` (2 or 3 characters): the id is
** NUL-ended, so the 3 bytes compare. */
static inline int bh_seg_id_is(const bh_seg_reader *r, const char *id) {
    return r->id[0] == id[0] && r->id[1] == id[1] && r->id[2] == id[2];
}

/* {--- the reader --- */

/* Sets the reader on data; finds the separators from the leading ISA, or,
** when the data starts with ST, from the ST segment itself (component
** separator ':' then). r->pos is left at that first segment, r->seg_no 0,
** r->line 1. Returns 0, or -1 with *err filled. */
int bh_seg_init(bh_seg_reader *r, const char *data, size_t len, bh_error *err);

/* Reads the next segment the answer readers' way (BH_SEG_ANSWER, their
** limits and messages; a new ISA resets the separators). Returns 1, 0 at
** the end of the data (only blanks left), -1 with the error filled. */
int bh_seg_next(bh_seg_reader *r);

/* Component k (1-based) of a composite. */
bh_span bh_seg_comp(const bh_seg_reader *r, bh_span s, int k);

/* Number of components of a composite (0 for an empty element). */
int bh_seg_ncomp(const bh_seg_reader *r, bh_span s);

/* Whether the span equals the literal (inline: strlen of a literal folds). */
static inline int bh_seg_is(bh_span s, const char *lit) {
    size_t n = strlen(lit);
    return s.n == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

/* Fills err (when not NULL) for a reader that could not be made: out of
** memory before any segment was read. */
void bh_seg_nomem(bh_error *err);

/* Records an error "segment N (ID): what" with the id and returns -1. The
** first failure sticks. The error's line stays 0 (the answer readers give
** the byte; the 837P reader words its own errors with the line). */
int bh_seg_fail(bh_seg_reader *r, bh_status code, const char *id, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* bh_seg_fail with the arguments as a va_list. */
int bh_seg_failv(bh_seg_reader *r, bh_status code, const char *id, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 0)))
#endif
    ;

/* bh_seg_fail for the common cases: `what` as an x12.syntax error, "out of
** place: expected <expected>", and out of memory (x12.nomem). */
int bh_seg_syntax(bh_seg_reader *r, const char *what);
int bh_seg_out_of_place(bh_seg_reader *r, const char *expected);
int bh_seg_out_of_memory(bh_seg_reader *r);

/* {--- taking values into the arena (all return 0, or -1 with the error
** set; an empty span leaves *out NULL) --- */

/* Fails "IDnn is required" when element i is empty. */
int bh_seg_required(bh_seg_reader *r, int i);

/* Text as sent. */
int bh_ans_text(bh_seg_reader *r, bh_span s, const char **out);
/* An amount (bh_money_parse), normalised to two decimals; `what` names the
** element in the error ("CLP03"). */
int bh_ans_amount(bh_seg_reader *r, bh_span s, const char *what, const char **out);
/* A decimal number (quantity, percent) kept as sent. */
int bh_ans_quantity(bh_seg_reader *r, bh_span s, const char *what, const char **out);
/* CCYYMMDD into "YYYY-MM-DD". */
int bh_ans_date(bh_seg_reader *r, bh_span s, const char *what, const char **out);

/* Element i of the current segment, by kind; `what` is built from the
** segment id and i. */
int bh_ans_el_text(bh_seg_reader *r, int i, const char **out);
int bh_ans_el_amount(bh_seg_reader *r, int i, const char **out);
int bh_ans_el_quantity(bh_seg_reader *r, int i, const char **out);
int bh_ans_el_date(bh_seg_reader *r, int i, const char **out);

/* Appends a zeroed item to an arena list; NULL (error set) on OOM. */
void *bh_ans_push(bh_seg_reader *r, void **items, size_t *n, size_t *cap, size_t size);
#define BH_ANS_PUSH(r, list) \
    bh_ans_push((r), (void **)&(list).items, &(list).n, &(list).cap, sizeof *(list).items)

/* Fails when the current segment has elements after position max. */
int bh_ans_max_elements(bh_seg_reader *r, int max);

/* Segment readers shared by the answers. */
int bh_ans_nm1(bh_seg_reader *r, bh_ans_person *p);
int bh_ans_per(bh_seg_reader *r, bh_ans_contact *c);
int bh_ans_n3(bh_seg_reader *r, bh_ans_address *a);
int bh_ans_n4(bh_seg_reader *r, bh_ans_address *a);
/* REF, AMT, QTY, LQ into a pair: kind BH_ANS_TEXT, _AMOUNT or _QUANTITY
** for the second element. */
int bh_ans_pair_el(bh_seg_reader *r, bh_ans_pair *pair, bh_ans_kind kind);
/* A positional segment per its descriptor list. */
int bh_ans_fields_read(bh_seg_reader *r, bh_ans_fields *f, const bh_ans_field_desc *desc);

/* {--- the envelope (ISA/GS/ST ... SE/GE/IEA), shared by both readers --- */

typedef struct bh_ans_env {
    int state;                  /* BH_ENV_* below */
    int bare;                   /* the data started with ST */
    long st_seg;                /* segment number of the ST */
    long n_sets, n_groups;
    bh_span st02;               /* points into the data */
    bh_span gs06;
    bh_ans_interchange interchange;
    bh_ans_group group;
    struct bh_arena *arena;     /* the envelope's strings, reset at each ISA */
} bh_ans_env;

enum { BH_ENV_NONE, BH_ENV_ISA, BH_ENV_GS, BH_ENV_ST };
/* What bh_ans_envelope did with the current segment. */
enum { BH_ENV_USED = 1, BH_ENV_SET_START, BH_ENV_SET_END, BH_ENV_NOT };

/* Handles the current segment when it is ISA, IEA, GS, GE, ST or SE,
** checking where it stands (SE01 against the count, SE02 against ST02,
** GE01 against the sets). ST's id (ST01) must be `set_id`, or either of
** two when set_id2 is not NULL. Returns one of BH_ENV_* or -1. */
int bh_ans_envelope(bh_seg_reader *r, bh_ans_env *env, const char *set_id,
                    const char *set_id2);

/* At the end of the data: fails unless every ST, GS and ISA was closed. */
int bh_ans_env_end(bh_seg_reader *r, bh_ans_env *env);

/* {--- what every answer reader holds (835, 999/TA1/277CA, 270-277) --- */

typedef struct bh_ans_reader {
    bh_seg_reader seg;
    bh_ans_env env;
    bh_error error;             /* the first failure: seg.err points here */
} bh_ans_reader;

/* Sets up a zeroed `a` on data: the tokenizer, taking values into `arena`,
** and the envelope with an arena of its own. A NULL arena stands for the
** caller's own allocation having failed (out of memory). Returns 0, or -1
** with *err filled (out of memory, NULL data, data that is not X12); the
** caller releases `a` with bh_ans_reader_release either way. */
int bh_ans_reader_init(bh_ans_reader *a, const char *data, size_t len, struct bh_arena *arena,
                       bh_error *err);

/* Reads the next segment: 1, 0 at the end of the data when every ST, GS
** and ISA was closed, -1 with the error set. */
int bh_ans_reader_next_segment(bh_ans_reader *a);

/* Frees what bh_ans_reader_init made (not `a` itself). */
void bh_ans_reader_release(bh_ans_reader *a);

/* Fills err (when not NULL) for a NULL reader handed to a _next call. */
void bh_ans_null_reader(bh_error *err);

/* The end of a _next call: -1 with the reader's error copied to err when
** rc < 0 or the reader has failed, else rc with err cleared. */
int bh_ans_reader_result(const bh_ans_reader *a, int rc, bh_error *err);

#endif
