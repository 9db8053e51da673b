/*
** x12_seg.h: an X12 segment tokenizer for the answer readers (835, 999,
** TA1, 277CA). It takes any separators, several interchanges (each ISA
** declares its own), an ST..SE set with no envelope, and counts segments
** for error messages "segment N (ID): ...". Core-internal: no Lua headers.
** The 837P reader in x12_read.c has its own tokenizer tied to its loop state.
** SPDX-License-Identifier: MIT
*/
#ifndef BH_X12_SEG_H
#define BH_X12_SEG_H

#include <stddef.h>
#include "bhclaim.h"

/* A piece of the input: not NUL-terminated, n may be 0. */
typedef struct bh_span {
    const char *p;
    size_t n;
} bh_span;

/* Elements per segment kept (the largest answer segment, MIA, has 24). */
#define BH_SEG_MAX_ELEMENTS 64
/* Longest element accepted; longer is refused as not X12. */
#define BH_SEG_MAX_ELEMENT_LEN 4096

typedef struct bh_seg_reader {
    const char *data;
    size_t len;
    size_t pos;             /* start of the next segment */
    char esep, csep, rsep, term;   /* rsep 0: no repetition separator */
    long seg_no;            /* segments read so far, 1-based numbering */
    size_t seg_start;       /* byte offset of the current segment */
    char id[4];             /* the current segment id, NUL-terminated */
    bh_span el[BH_SEG_MAX_ELEMENTS];   /* el[0] is the id */
    int n_el;
    int pending;            /* the current segment is read but not yet used */
    struct bh_arena *arena; /* where taken strings and list items go */
    bh_error *err;          /* where failures are written */
    int failed;
    int bare;               /* the data started with ST (no envelope) */
} bh_seg_reader;

/* Sets the reader on data; finds the separators from the leading ISA, or,
** when the data starts with ST, from the ST segment itself (component
** separator ':' then). Returns 0, or -1 with *err filled. */
int bh_seg_init(bh_seg_reader *r, const char *data, size_t len, bh_error *err);

/* Reads the next segment (a new ISA resets the separators). Returns 1, 0 at
** the end of the data (only blanks left), -1 with the error filled. */
int bh_seg_next(bh_seg_reader *r);

/* Element i of the current segment ({NULL,0} when absent). */
bh_span bh_seg_el(const bh_seg_reader *r, int i);

/* Component k (1-based) of a composite. */
bh_span bh_seg_comp(const bh_seg_reader *r, bh_span s, int k);

/* Number of components of a composite (0 for an empty element). */
int bh_seg_ncomp(const bh_seg_reader *r, bh_span s);

/* Whether the span equals the literal. */
int bh_seg_is(bh_span s, const char *lit);

/* Fills err (when not NULL) for a reader that could not be made: out of
** memory before any segment was read. */
void bh_seg_nomem(bh_error *err);

/* Records an error "segment N (ID): what" with the id and returns -1. The
** first failure sticks. */
int bh_seg_fail(bh_seg_reader *r, bh_status code, const char *id, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

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

#endif
