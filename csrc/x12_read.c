/*
** x12_read.c: the X12 837P reader (005010X222A1, also the A2 errata).
** It scans the caller's buffer in place (no allocation per segment) with
** the shared tokenizer (x12_seg.h) and walks the implementation guide's
** loops as a flat state machine: no recursion, every length checked. Core
** layer: no Lua, no cJSON.
** SPDX-License-Identifier: MIT
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "x12_emit.h"
#include "x12_seg.h"

#define ISA_LEN 106

typedef struct ctx_addr {
    bh_span line1, line2, city, state, zip;
} ctx_addr;

/* What a 2010 loop said about a provider, person or payer, kept as spans
** into the input so one subscriber's several claims cost no copies until a
** claim is filled. */
typedef struct ctx_entity {
    int seen;
    bh_span last, first, middle, suffix;
    bh_span id;            /* NPI, member id or payer id */
    bh_span tin, taxonomy, sex;
    bh_date dob;
    int has_n3, has_n4, n_tax;
    ctx_addr addr;
} ctx_entity;

enum loop {
    LP_INTERCHANGE, LP_GROUP, LP_HEADER, LP_2000A, LP_2000B, LP_2000C, LP_2300, LP_2400,
    LP_END
};

enum sub {
    SUB_NONE, SUB_1000A, SUB_1000B, SUB_2010AA, SUB_2010AB, SUB_2010AC, SUB_2010BA,
    SUB_2010BB, SUB_2010CA, SUB_2310A, SUB_2310B, SUB_2310C, SUB_2310D, SUB_2310E,
    SUB_2310F, SUB_2320, SUB_2330, SUB_2410, SUB_2420A, SUB_2420B, SUB_2420C, SUB_2420D,
    SUB_2420E, SUB_2420F, SUB_2420G, SUB_2420H, SUB_2430, SUB_2440
};

static const char *const loop_names[] = {
    "interchange", "functional group", "header", "2000A", "2000B", "2000C", "2300", "2400",
    "after IEA"
};

static const char *const sub_names[] = {
    "", "1000A", "1000B", "2010AA", "2010AB", "2010AC", "2010BA", "2010BB", "2010CA", "2310A",
    "2310B", "2310C", "2310D", "2310E", "2310F", "2320", "2330", "2410", "2420A", "2420B",
    "2420C", "2420D", "2420E", "2420F", "2420G", "2420H", "2430", "2440"
};

struct bh_x12_reader {
    bh_seg_reader seg;          /* data, separators, the current segment */
    unsigned flags;
    unsigned sid;               /* the current segment's id packed, see S2/S3 */
    /* structure */
    int loop, sub, rank, order;
    long st_segs, n_st, n_gs;
    bh_span isa13, gs06, st02;
    int hdr_bht, hdr_41, hdr_per, hdr_40;
    int claim_level;            /* 22: claims under the subscriber, 23: under a patient */
    ctx_entity billing, subscriber, payer, patient, payto;
    bh_span sbr01, sbr02, sbr03, sbr04, sbr09, pat01;
    int sbr_seen, pat_seen;
    /* the claim being filled (only during one bh_x12_reader_next call) */
    bh_claim *claim;
    int in_claim, hi_seen, line_open, line_sv1, line_dtp, expect_sv1, nomem;
    char cob_entity;            /* in 2330: 'A' other subscriber, 'B' other payer, 0 else */
    /* envelope, copied at first sight */
    int env_gs, env_st;
    char e_sq[3], e_sid[16], e_rq[3], e_rid[16], e_apps[16], e_appr[16];
    char e_subname[61], e_subid[81], e_contact[61], e_phone[257], e_recvname[61];
    char e_recvid[81], e_version[13];
    long e_icn, e_gcn, e_tcn;
    char e_usage, e_ack;
    int e_newline, e_time;
    bh_date e_date;
    bh_error error;             /* the first failure (r->seg.err points here) */
};

#define S2(a, b) (((unsigned)(a) << 16) | ((unsigned)(b) << 8))
#define S3(a, b, c) (S2(a, b) | (unsigned)(c))

enum {
    ID_ISA = S3('I','S','A'), ID_IEA = S3('I','E','A'), ID_GS = S2('G','S'),
    ID_GE = S2('G','E'), ID_ST = S2('S','T'), ID_SE = S2('S','E'), ID_BHT = S3('B','H','T'),
    ID_NM1 = S3('N','M','1'), ID_PER = S3('P','E','R'), ID_HL = S2('H','L'),
    ID_PRV = S3('P','R','V'), ID_CUR = S3('C','U','R'), ID_N3 = S2('N','3'),
    ID_N4 = S2('N','4'), ID_REF = S3('R','E','F'), ID_SBR = S3('S','B','R'),
    ID_PAT = S3('P','A','T'), ID_DMG = S3('D','M','G'), ID_CLM = S3('C','L','M'),
    ID_DTP = S3('D','T','P'), ID_PWK = S3('P','W','K'), ID_CN1 = S3('C','N','1'),
    ID_AMT = S3('A','M','T'), ID_K3 = S2('K','3'), ID_NTE = S3('N','T','E'),
    ID_CR1 = S3('C','R','1'), ID_CR2 = S3('C','R','2'), ID_CRC = S3('C','R','C'),
    ID_HI = S2('H','I'), ID_HCP = S3('H','C','P'), ID_CAS = S3('C','A','S'),
    ID_OI = S2('O','I'), ID_MOA = S3('M','O','A'), ID_LX = S2('L','X'),
    ID_SV1 = S3('S','V','1'), ID_SV5 = S3('S','V','5'), ID_CR3 = S3('C','R','3'),
    ID_QTY = S3('Q','T','Y'), ID_MEA = S3('M','E','A'), ID_PS1 = S3('P','S','1'),
    ID_LIN = S3('L','I','N'), ID_CTP = S3('C','T','P'), ID_SVD = S3('S','V','D'),
    ID_LQ = S2('L','Q'), ID_FRM = S3('F','R','M')
};

/* Every segment id the 837P (005010X222A1/A2) defines. */
static int known_id(unsigned sid) {
    switch (sid) {
    case ID_ISA: case ID_IEA: case ID_GS: case ID_GE: case ID_ST: case ID_SE: case ID_BHT:
    case ID_NM1: case ID_PER: case ID_HL: case ID_PRV: case ID_CUR: case ID_N3: case ID_N4:
    case ID_REF: case ID_SBR: case ID_PAT: case ID_DMG: case ID_CLM: case ID_DTP:
    case ID_PWK: case ID_CN1: case ID_AMT: case ID_K3: case ID_NTE: case ID_CR1:
    case ID_CR2: case ID_CRC: case ID_HI: case ID_HCP: case ID_CAS: case ID_OI: case ID_MOA:
    case ID_LX: case ID_SV1: case ID_SV5: case ID_CR3: case ID_QTY: case ID_MEA:
    case ID_PS1: case ID_LIN: case ID_CTP: case ID_SVD: case ID_LQ: case ID_FRM:
        return 1;
    default:
        return 0;
    }
}

/* Records the first error and returns -1. The message starts with the
** segment number and id (bh_seg_failv); it never quotes element values.
** The 837P's errors also give the segment's line. */
static int fail(bh_x12_reader *r, bh_status code, const char *id, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    bh_seg_failv(&r->seg, code, id, fmt, ap);
    va_end(ap);
    r->error.line = r->seg.seg_line;
    return -1;
}

static const char *where(const bh_x12_reader *r) {
    return r->sub != SUB_NONE ? sub_names[r->sub] : loop_names[r->loop];
}

static int not_allowed(bh_x12_reader *r) {
    return fail(r, BH_ERR_SYNTAX, "x12.segment", "not allowed in loop %s", where(r));
}

/* Element i, component k (1-based) and equality, through the shared
** tokenizer: short names for the many places that use them. */
static bh_span E(const bh_x12_reader *r, int i) {
    return bh_seg_el(&r->seg, i);
}

static bh_span comp(const bh_x12_reader *r, bh_span s, int k) {
    return bh_seg_comp(&r->seg, s, k);
}

static int is(bh_span s, const char *lit) {
    return bh_seg_is(s, lit);
}

static int required(bh_x12_reader *r, int i) {
    if (E(r, i).n == 0)
        return fail(r, BH_ERR_SYNTAX, "x12.element", "%s%02d is required but empty",
                    r->seg.id, i);
    return 0;
}

static int parse_date(bh_span s, bh_date *out) {
    long v = 0;
    size_t i;
    if (s.n < 8) return 0;
    for (i = 0; i < 8; i++) {
        if (!BH_IS_DIGIT(s.p[i])) return 0;
        v = v * 10 + (s.p[i] - '0');
    }
    if (!bh_date_valid(v)) return 0;
    *out = (bh_date)v;
    return 1;
}

/* A count or control number: 1 to 9 digits (0 to 999999999, the range
** bhclaim.h states), so it fits a long on every platform. */
static int parse_long(bh_span s, long *out) {
    long v = 0;
    size_t i;
    if (s.n == 0 || s.n > 9) return 0;
    for (i = 0; i < s.n; i++) {
        if (!BH_IS_DIGIT(s.p[i])) return 0;
        v = v * 10 + (s.p[i] - '0');
    }
    *out = v;
    return 1;
}

static int parse_decimal(bh_span s, double *out);

/* What parse_money and parse_units make of an element. */
enum { NUM_BAD = 0, NUM_OK = 1, NUM_RANGE = 2 };

/* X12 R type into cents: "45", "45.5", "-3.10", ".5"; at most two decimals.
** NUM_RANGE beyond BH_MAX_CENTS (leading zeros do not count): the value is
** never wrapped (18 digits of R would overflow int64 cents). */
static int parse_money(bh_span s, int64_t *cents) {
    int64_t v = 0;
    size_t i = 0;
    int neg = 0, decimals = -1, digits = 0, too_big = 0;
    if (s.n == 0) return NUM_BAD;
    if (s.p[0] == '-') {
        neg = 1;
        i = 1;
    }
    for (; i < s.n; i++) {
        char c = s.p[i];
        if (c == '.' && decimals < 0) decimals = 0;
        else if (BH_IS_DIGIT(c) && decimals < 2) {
            /* Stop adding once past the limit: v * 10 + 9 then still fits. */
            if (!too_big) v = v * 10 + (c - '0');
            if (v > BH_MAX_CENTS) too_big = 1;
            digits++;
            if (decimals >= 0) decimals++;
        } else return NUM_BAD;
    }
    if (digits == 0) return NUM_BAD;
    if (too_big) return NUM_RANGE;
    for (decimals = decimals < 0 ? 0 : decimals; decimals < 2; decimals++) v *= 10;
    if (v > BH_MAX_CENTS) return NUM_RANGE;
    *cents = neg ? -v : v;
    return NUM_OK;
}

/* SV104 quantity: digits with at most one point; NUM_RANGE above
** BH_MAX_UNITS. */
static int parse_units(bh_span s, double *out) {
    double v;
    if (!parse_decimal(s, &v)) return NUM_BAD;
    if (v > BH_MAX_UNITS) return NUM_RANGE;
    *out = v;
    return NUM_OK;
}

static int parse_decimal(bh_span s, double *out) {
    double v = 0, scale = 1;
    size_t i;
    int point = 0, digits = 0;
    if (s.n == 0 || s.n > 15) return 0;
    for (i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '.' && !point) point = 1;
        else if (BH_IS_DIGIT(c)) {
            digits++;
            if (point) {
                scale /= 10;
                v += (c - '0') * scale;
            } else {
                v = v * 10 + (c - '0');
            }
        } else return 0;
    }
    if (!digits) return 0;
    *out = v;
    return 1;
}

/* An amount beyond BH_MAX_CENTS, refused rather than wrapped. */
static int amount_range(bh_x12_reader *r, const char *element) {
    char max[24];
    bh_money_format(BH_MAX_CENTS, max);
    return fail(r, BH_ERR_LIMIT, "x12.range", "%s is over the maximum amount of %s (or below "
                "its negative)", element, max);
}

static void copy_out(char *dst, size_t size, bh_span s) {
    size_t n = s.n < size - 1 ? s.n : size - 1;
    if (n) memcpy(dst, s.p, n);
    dst[n] = '\0';
}

/* {--- reading segments --- */

/* Reads the next segment into r->seg. Returns 1, 0 at the end of the data,
** -1 on error. The 837P words its own errors (ids x12.truncated, x12.limit,
** x12.segment) and takes only line breaks between segments. */
static int read_segment(bh_x12_reader *r) {
    bh_seg_reader *t = &r->seg;
    const char *id = t->id;
    bh_seg_skip(t, 0);
    if (t->pos >= t->len) return 0;
    t->seg_no++;
    t->seg_start = t->pos;
    t->seg_line = t->line;
    t->id[0] = '\0';
    if (t->seg_no > BH_X12_MAX_SEGMENTS)
        return fail(r, BH_ERR_LIMIT, "x12.limit", "more than %ld segments",
                    (long)BH_X12_MAX_SEGMENTS);
    switch (bh_seg_cut(t, BH_SEG_NO_NUL, BH_X12_MAX_ELEMENTS, BH_X12_MAX_ELEMENT_LEN)) {
    case 0:
        break;
    case BH_SEG_NO_TERMINATOR:
        return fail(r, BH_ERR_SYNTAX, "x12.truncated",
                    "no segment terminator before the end of the data (truncated file?)");
    case BH_SEG_TOO_MANY:
        return fail(r, BH_ERR_LIMIT, "x12.limit", "more than %d elements",
                    BH_X12_MAX_ELEMENTS - 1);   /* the id is one of the entries */
    case BH_SEG_NUL:
        /* a C string would end there: the element would be cut in silence */
        return fail(r, BH_ERR_SYNTAX, "x12.segment", "a NUL byte inside the segment");
    case BH_SEG_TOO_LONG:
        return fail(r, BH_ERR_LIMIT, "x12.limit", "element %d is longer than %d characters",
                    t->n_el, BH_X12_MAX_ELEMENT_LEN);
    default:
        return fail(r, BH_ERR_SYNTAX, "x12.segment",
                    "the segment id must be 2 or 3 upper-case letters or digits");
    }
    r->sid = id[2] ? S3(id[0], id[1], id[2]) : S2(id[0], id[1]);
    if (r->loop >= LP_HEADER && r->loop <= LP_2400) r->st_segs++;
    if (!known_id(r->sid))
        return fail(r, BH_ERR_SYNTAX, "x12.segment", "'%s' is not a segment of the 837P", id);
    return 1;
}

/* {--- filling the claim --- */

static const char *dup(bh_x12_reader *r, bh_span s) {
    const char *p;
    if (s.n == 0) return NULL;
    p = bh_claim_strdup(r->claim, s.p, s.n);
    if (p == NULL) r->nomem = 1;
    return p;
}

static const char *dup_lit(bh_x12_reader *r, const char *s) {
    const char *p = bh_claim_strdup(r->claim, s, strlen(s));
    if (p == NULL) r->nomem = 1;
    return p;
}

static const char *dup_date(bh_x12_reader *r, bh_date d) {
    char buf[11];
    bh_date_format(d, buf);
    return dup_lit(r, buf);
}

static void fill_name(bh_x12_reader *r, bh_name *name, const ctx_entity *e) {
    name->last = dup(r, e->last);
    name->first = dup(r, e->first);
    name->middle = dup(r, e->middle);
    name->suffix = dup(r, e->suffix);
}

static void fill_addr(bh_x12_reader *r, bh_address *a, const ctx_addr *c) {
    a->line1 = dup(r, c->line1);
    a->line2 = dup(r, c->line2);
    a->city = dup(r, c->city);
    a->state = dup(r, c->state);
    a->zip = dup(r, c->zip);
}

static void fill_person(bh_x12_reader *r, bh_person *p, const ctx_entity *e) {
    p->state = BH_FIELD_OK;
    fill_name(r, &p->name, e);
    p->member_id = dup(r, e->id);
    p->birth_date = e->dob;
    if (e->dob) p->birth_date_text = dup_date(r, e->dob);
    p->sex = dup(r, e->sex);
    fill_addr(r, &p->address, &e->addr);
}

static bh_payer_kind payer_kind(bh_span s) {
    if (is(s, "MB") || is(s, "MA") || is(s, "16")) return BH_PAYER_MEDICARE;
    if (is(s, "MC")) return BH_PAYER_MEDICAID;
    if (is(s, "CI") || is(s, "BL") || is(s, "HM") || is(s, "12") || is(s, "13") ||
        is(s, "14") || is(s, "15") || is(s, "17"))
        return BH_PAYER_COMMERCIAL;
    if (s.n == 0) return BH_PAYER_UNKNOWN;
    return BH_PAYER_OTHER;
}

static void start_claim(bh_x12_reader *r) {
    bh_claim *c = r->claim;
    bh_claim_reset(c);
    c->billing_provider.state = BH_FIELD_OK;
    fill_name(r, &c->billing_provider.name, &r->billing);
    c->billing_provider.npi = dup(r, r->billing.id);
    c->billing_provider.tin = dup(r, r->billing.tin);
    c->billing_provider.taxonomy = dup(r, r->billing.taxonomy);
    fill_addr(r, &c->billing_provider.address, &r->billing.addr);
    fill_person(r, &c->subscriber, &r->subscriber);
    c->payer.state = BH_FIELD_OK;
    c->payer.name = dup(r, r->payer.last);
    c->payer.id = dup(r, r->payer.id);
    c->payer.kind = payer_kind(r->sbr09);
    if (c->payer.kind != BH_PAYER_UNKNOWN)
        c->payer.kind_text = dup_lit(r, bh_payer_kind_name(c->payer.kind));
    c->payer.responsibility = dup(r, r->sbr01);
    c->payer.group_number = dup(r, r->sbr03);
    c->payer.group_name = dup(r, r->sbr04);
    c->payer.filing_code = dup(r, r->sbr09);
    if (r->payto.has_n3) fill_addr(r, &c->pay_to_address, &r->payto.addr);
    if (r->claim_level == 23) {
        bh_span rel = r->pat01;
        fill_person(r, &c->patient, &r->patient);
        c->subscriber.relationship = dup_lit(r, is(rel, "01") ? "spouse"
                                                : is(rel, "19") ? "child" : "other");
    } else if (is(r->sbr02, "18")) {
        c->subscriber.relationship = dup_lit(r, "self");
    }
}

/* {--- closing loops: required content --- */

static int close_sub(bh_x12_reader *r) {
    int sub = r->sub;
    r->sub = SUB_NONE;
    r->rank = 0;
    switch (sub) {
    case SUB_1000A:
        if (!r->hdr_per) return fail(r, BH_ERR_SYNTAX, "x12.loop", "PER is required in loop 1000A");
        break;
    case SUB_2010AA:
        if (!r->billing.has_n3 || !r->billing.has_n4)
            return fail(r, BH_ERR_SYNTAX, "x12.loop", "N3 and N4 are required in loop 2010AA");
        if (r->billing.n_tax != 1)
            return fail(r, BH_ERR_SYNTAX, "x12.loop",
                        "REF (EI or SY tax id) is required in loop 2010AA");
        break;
    case SUB_2010CA:
        if (!r->patient.dob) return fail(r, BH_ERR_SYNTAX, "x12.loop", "DMG is required in loop 2010CA");
        break;
    default:
        break;
    }
    return 0;
}

static int close_line(bh_x12_reader *r) {
    if (!r->line_open) return 0;
    r->line_open = 0;
    if (!r->line_sv1) return fail(r, BH_ERR_SYNTAX, "x12.loop", "SV1 is required in loop 2400");
    if (!r->line_dtp)
        return fail(r, BH_ERR_SYNTAX, "x12.loop", "DTP*472 (service date) is required in loop 2400");
    return 0;
}

/* Ends the claim before the current segment (kept pending). Returns 1. */
static int close_claim(bh_x12_reader *r) {
    bh_claim *c = r->claim;
    if (close_sub(r) < 0 || close_line(r) < 0) return -1;
    if (!r->hi_seen) return fail(r, BH_ERR_SYNTAX, "x12.loop", "HI is required in loop 2300 (claim before this segment)");
    if (c->n_lines == 0) return fail(r, BH_ERR_SYNTAX, "x12.loop", "the claim before this segment has no LX service line");
    if (c->n_diagnoses > 0) c->diagnoses_state = BH_FIELD_OK;
    c->lines_state = BH_FIELD_OK;
    r->in_claim = 0;
    r->seg.pending = 1;
    return 1;
}

static int check_subscriber_loop(bh_x12_reader *r) {
    if (!r->sbr_seen) return fail(r, BH_ERR_SYNTAX, "x12.loop", "SBR is required in loop 2000B");
    if (!r->subscriber.seen)
        return fail(r, BH_ERR_SYNTAX, "x12.loop", "loop 2010BA (NM1*IL) is required in 2000B");
    if (!r->payer.seen)
        return fail(r, BH_ERR_SYNTAX, "x12.loop", "loop 2010BB (NM1*PR) is required in 2000B");
    return 0;
}

/* {--- envelope segments --- */

static int version_ok(bh_span s) {
    return is(s, BH_837P_VERSION_A1) || is(s, BH_837P_VERSION_A2);
}

static int handle_gs(bh_x12_reader *r) {
    long v;
    if (!is(E(r, 1), "HC"))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "GS01 must be HC (health care claim)");
    if (!parse_long(E(r, 6), &v))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "GS06 must be a control number");
    if (!version_ok(E(r, 8)))
        return fail(r, BH_ERR_SYNTAX, "x12.element",
                    "GS08 must be 005010X222A1 or 005010X222A2");
    r->gs06 = E(r, 6);
    r->n_gs++;
    r->n_st = 0;
    if (!r->env_gs) {
        bh_span t = E(r, 5);
        r->env_gs = 1;
        copy_out(r->e_apps, sizeof r->e_apps, E(r, 2));
        copy_out(r->e_appr, sizeof r->e_appr, E(r, 3));
        copy_out(r->e_version, sizeof r->e_version, E(r, 8));
        parse_date(E(r, 4), &r->e_date);
        if (t.n >= 4) {
            t.n = 4;
            if (parse_long(t, &v)) r->e_time = (int)v;
        }
        r->e_gcn = 0;
        parse_long(E(r, 6), &r->e_gcn);
    }
    r->loop = LP_GROUP;
    return 0;
}

static int handle_st(bh_x12_reader *r) {
    if (!is(E(r, 1), "837")) return fail(r, BH_ERR_SYNTAX, "x12.element", "ST01 must be 837");
    if (required(r, 2) < 0) return -1;
    if (E(r, 3).n && !version_ok(E(r, 3)))
        return fail(r, BH_ERR_SYNTAX, "x12.element",
                    "ST03 must be 005010X222A1 or 005010X222A2");
    r->st02 = E(r, 2);
    r->st_segs = 1;
    r->n_st++;
    r->loop = LP_HEADER;
    r->sub = SUB_NONE;
    r->rank = r->order = 0;
    r->hdr_bht = r->hdr_41 = r->hdr_per = r->hdr_40 = 0;
    memset(&r->billing, 0, sizeof r->billing);
    if (!r->env_st) parse_long(r->st02, &r->e_tcn);
    return 0;
}

static int handle_se(bh_x12_reader *r) {
    long n;
    if (close_sub(r) < 0 || close_line(r) < 0) return -1;
    if (r->loop < LP_2300)
        return fail(r, BH_ERR_SYNTAX, "x12.loop", "the transaction set holds no claim (expected CLM before SE)");
    if (!parse_long(E(r, 1), &n))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "SE01 must be a segment count");
    if (n != r->st_segs && !(r->flags & BH_X12_LENIENT))
        return fail(r, BH_ERR_SYNTAX, "x12.count", "SE01 says %ld segments, counted %ld", n,
                    r->st_segs);
    if (E(r, 2).n != r->st02.n || memcmp(E(r, 2).p, r->st02.p, r->st02.n) != 0)
        return fail(r, BH_ERR_SYNTAX, "x12.count", "SE02 does not match ST02");
    r->env_st = 1;
    r->loop = LP_GROUP;
    return 0;
}

static int handle_ge(bh_x12_reader *r) {
    long n;
    if (!parse_long(E(r, 1), &n))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "GE01 must be a count");
    if (n != r->n_st && !(r->flags & BH_X12_LENIENT))
        return fail(r, BH_ERR_SYNTAX, "x12.count", "GE01 says %ld transaction sets, counted %ld",
                    n, r->n_st);
    if (r->n_st == 0)
        return fail(r, BH_ERR_SYNTAX, "x12.loop", "the functional group holds no ST");
    if (E(r, 2).n != r->gs06.n || memcmp(E(r, 2).p, r->gs06.p, r->gs06.n) != 0)
        return fail(r, BH_ERR_SYNTAX, "x12.count", "GE02 does not match GS06");
    r->loop = LP_INTERCHANGE;
    return 0;
}

static int handle_iea(bh_x12_reader *r) {
    long n;
    size_t i;
    if (!parse_long(E(r, 1), &n))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "IEA01 must be a count");
    if (n != r->n_gs && !(r->flags & BH_X12_LENIENT))
        return fail(r, BH_ERR_SYNTAX, "x12.count", "IEA01 says %ld functional groups, counted %ld",
                    n, r->n_gs);
    if (r->n_gs == 0)
        return fail(r, BH_ERR_SYNTAX, "x12.loop", "the interchange holds no GS");
    if (E(r, 2).n != 9 || memcmp(E(r, 2).p, r->isa13.p, 9) != 0)
        return fail(r, BH_ERR_SYNTAX, "x12.count", "IEA02 does not match ISA13");
    for (i = r->seg.pos; i < r->seg.len; i++) {
        char c = r->seg.data[i];
        if (c != '\r' && c != '\n' && c != ' ' && c != '\t')
            return fail(r, BH_ERR_SYNTAX, "x12.trailing", "data follows the IEA");
    }
    r->loop = LP_END;
    return 0;
}

/* {--- loop starters --- */

static int handle_hl(bh_x12_reader *r) {
    bh_span level = E(r, 3);
    if (required(r, 1) < 0 || required(r, 3) < 0) return -1;
    if (close_sub(r) < 0 || close_line(r) < 0) return -1;
    if (r->loop == LP_HEADER && (!r->hdr_41 || !r->hdr_40))
        return fail(r, BH_ERR_SYNTAX, "x12.loop",
                    "loops 1000A (NM1*41) and 1000B (NM1*40) are required before the first HL");
    if (is(level, "20")) {
        if (r->loop == LP_2000A)
            return fail(r, BH_ERR_SYNTAX, "x12.loop", "loop 2000A has no subscriber HL");
        memset(&r->billing, 0, sizeof r->billing);
        memset(&r->payto, 0, sizeof r->payto);
        r->loop = LP_2000A;
    } else if (is(level, "22")) {
        if (r->loop == LP_HEADER)
            return fail(r, BH_ERR_SYNTAX, "x12.loop", "HL*22 (subscriber) before any HL*20");
        if (r->loop == LP_2000A && !r->billing.seen)
            return fail(r, BH_ERR_SYNTAX, "x12.loop",
                        "loop 2010AA (NM1*85) is required in 2000A");
        memset(&r->subscriber, 0, sizeof r->subscriber);
        memset(&r->payer, 0, sizeof r->payer);
        r->sbr_seen = r->pat_seen = 0;
        r->sbr01.n = r->sbr02.n = r->sbr03.n = r->sbr04.n = r->sbr09.n = 0;
        r->claim_level = 22;
        r->loop = LP_2000B;
    } else if (is(level, "23")) {
        if (r->loop == LP_HEADER || r->loop == LP_2000A)
            return fail(r, BH_ERR_SYNTAX, "x12.loop", "HL*23 (patient) before any HL*22");
        if (r->loop == LP_2000B && check_subscriber_loop(r) < 0) return -1;
        memset(&r->patient, 0, sizeof r->patient);
        r->pat_seen = 0;
        r->pat01.n = 0;
        r->claim_level = 23;
        r->loop = LP_2000C;
    } else {
        return fail(r, BH_ERR_SYNTAX, "x12.element", "HL03 must be 20, 22 or 23");
    }
    r->order = 0;
    return 0;
}

static int handle_clm(bh_x12_reader *r) {
    bh_claim *c = r->claim;
    bh_span c5 = E(r, 5);
    if (r->loop == LP_HEADER || r->loop == LP_2000A) return not_allowed(r);
    if (close_sub(r) < 0 || close_line(r) < 0) return -1;
    if (r->loop == LP_2000B && check_subscriber_loop(r) < 0) return -1;
    if (r->loop == LP_2000C) {
        if (!r->pat_seen) return fail(r, BH_ERR_SYNTAX, "x12.loop", "PAT is required in loop 2000C");
        if (!r->patient.seen)
            return fail(r, BH_ERR_SYNTAX, "x12.loop", "loop 2010CA (NM1*QC) is required in 2000C");
    }
    if (required(r, 1) < 0 || required(r, 2) < 0) return -1;
    if (comp(r, c5, 1).n == 0 || comp(r, c5, 3).n == 0)
        return fail(r, BH_ERR_SYNTAX, "x12.element",
                    "CLM05 must be place of service:B:frequency");
    start_claim(r);
    c->id = dup(r, E(r, 1));
    switch (parse_money(E(r, 2), &c->total_charge)) {
    case NUM_BAD: return fail(r, BH_ERR_SYNTAX, "x12.element", "CLM02 is not an amount");
    case NUM_RANGE: return amount_range(r, "CLM02");
    default: break;
    }
    c->total_charge_state = BH_FIELD_OK;
    c->place_of_service = dup(r, comp(r, c5, 1));
    c->frequency = dup(r, comp(r, c5, 3));
    c->provider_signature = dup(r, E(r, 6));
    c->assignment = dup(r, E(r, 7));
    c->benefits_assignment = dup(r, E(r, 8));
    c->release_of_information = dup(r, E(r, 9));
    c->patient_signature_source = dup(r, E(r, 10));
    r->in_claim = 1;
    r->hi_seen = 0;
    r->loop = LP_2300;
    r->order = 0;
    return 0;
}

static int handle_lx(bh_x12_reader *r) {
    bh_claim *c = r->claim;
    if (!r->in_claim) return not_allowed(r);
    if (close_sub(r) < 0 || close_line(r) < 0) return -1;
    if (required(r, 1) < 0) return -1;
    if (c->n_lines == BH_MAX_LINES)
        return fail(r, BH_ERR_LIMIT, "x12.limit", "more than %d service lines in one claim",
                    BH_MAX_LINES);
    c->n_lines++;
    r->line_open = 1;
    r->line_sv1 = r->line_dtp = 0;
    r->expect_sv1 = 1;
    r->loop = LP_2400;
    r->order = 0;
    return 0;
}

/* {--- loop bodies --- */

/* Rank of a segment inside an NM1-led or other sub-loop: 0 when the segment
** does not belong there; the IG's order is ascending rank. */
static int sub_rank(int sub, unsigned sid) {
    switch (sub) {
    case SUB_1000A:
        return sid == ID_PER ? 5 : 0;
    case SUB_2010AA: case SUB_2420E:
        return sid == ID_N3 ? 1 : sid == ID_N4 ? 2 : sid == ID_REF ? 4 : sid == ID_PER ? 5 : 0;
    case SUB_2010AB: case SUB_2310E: case SUB_2310F: case SUB_2420G: case SUB_2420H:
        return sid == ID_N3 ? 1 : sid == ID_N4 ? 2 : 0;
    case SUB_2010AC: case SUB_2010BB: case SUB_2310C: case SUB_2420C:
        return sid == ID_N3 ? 1 : sid == ID_N4 ? 2 : sid == ID_REF ? 4 : 0;
    case SUB_2010BA: case SUB_2010CA:
        return sid == ID_N3 ? 1 : sid == ID_N4 ? 2 : sid == ID_DMG ? 3 :
               sid == ID_REF ? 4 : sid == ID_PER ? 5 : 0;
    case SUB_2310A: case SUB_2310D: case SUB_2420B: case SUB_2420D: case SUB_2420F:
        return sid == ID_REF ? 4 : 0;
    case SUB_2310B: case SUB_2420A:
        return sid == ID_PRV ? 1 : sid == ID_REF ? 4 : 0;
    case SUB_2320:
        return sid == ID_CAS ? 1 : sid == ID_AMT ? 2 : sid == ID_OI ? 3 : sid == ID_MOA ? 4 : 0;
    case SUB_2330:
        return sid == ID_N3 ? 1 : sid == ID_N4 ? 2 : sid == ID_DTP ? 3 :
               sid == ID_REF ? 4 : sid == ID_PER ? 5 : 0;
    case SUB_2410:
        return sid == ID_CTP ? 1 : sid == ID_REF ? 2 : 0;
    case SUB_2430:
        return sid == ID_CAS ? 1 : sid == ID_DTP ? 2 : sid == ID_AMT ? 3 : 0;
    case SUB_2440:
        return sid == ID_FRM ? 1 : 0;
    default:
        return 0;
    }
}

/* Enters a sub-loop whose place among its siblings is `order`; siblings
** come in ascending order, and only repeatable ones may repeat. */
static int enter_sub(bh_x12_reader *r, int sub, int order, int repeatable) {
    if (close_sub(r) < 0) return -1;
    if (order < r->order || (order == r->order && !repeatable))
        return fail(r, BH_ERR_SYNTAX, "x12.order", "loop %s is not in its place in loop %s",
                    sub_names[sub], loop_names[r->loop]);
    r->sub = sub;
    r->order = order;
    r->rank = 0;
    return 0;
}

static void take_name(bh_x12_reader *r, ctx_entity *e) {
    e->seen = 1;
    e->last = E(r, 3);
    e->first = E(r, 4);
    e->middle = E(r, 5);
    e->suffix = E(r, 7);
}

/* A provider's NM1 straight into the claim: name, and NPI after XX. */
static void take_provider(bh_x12_reader *r, bh_provider *p) {
    ctx_entity e;
    memset(&e, 0, sizeof e);
    take_name(r, &e);
    p->state = BH_FIELD_OK;
    fill_name(r, &p->name, &e);
    if (is(E(r, 8), "XX")) p->npi = dup(r, E(r, 9));
}

static int handle_nm1(bh_x12_reader *r) {
    bh_span code = E(r, 1);
    if (required(r, 1) < 0 || required(r, 2) < 0) return -1;
    if (!is(E(r, 2), "1") && !is(E(r, 2), "2"))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "NM102 must be 1 or 2");
    switch (r->loop) {
    case LP_HEADER:
        if (is(code, "41")) {
            if (!r->hdr_bht || r->hdr_41) return fail(r, BH_ERR_SYNTAX, "x12.order", "NM1*41 must follow BHT once");
            if (required(r, 3) < 0 || enter_sub(r, SUB_1000A, 1, 0) < 0) return -1;
            r->hdr_41 = 1;
            if (!r->env_st) {
                copy_out(r->e_subname, sizeof r->e_subname, E(r, 3));
                copy_out(r->e_subid, sizeof r->e_subid, E(r, 9));
            }
            return 0;
        }
        if (is(code, "40")) {
            if (!r->hdr_41) return fail(r, BH_ERR_SYNTAX, "x12.loop", "loop 1000A (NM1*41) is required before 1000B");
            if (required(r, 3) < 0 || enter_sub(r, SUB_1000B, 2, 0) < 0) return -1;
            r->hdr_40 = 1;
            if (!r->env_st) {
                copy_out(r->e_recvname, sizeof r->e_recvname, E(r, 3));
                copy_out(r->e_recvid, sizeof r->e_recvid, E(r, 9));
            }
            return 0;
        }
        break;
    case LP_2000A:
        if (is(code, "85")) {
            if (required(r, 3) < 0 || enter_sub(r, SUB_2010AA, 1, 0) < 0) return -1;
            take_name(r, &r->billing);
            if (is(E(r, 8), "XX")) r->billing.id = E(r, 9);
            return 0;
        }
        if (is(code, "87") || is(code, "PE")) {
            if (!r->billing.seen)
                return fail(r, BH_ERR_SYNTAX, "x12.loop", "loop 2010AA (NM1*85) is required before this loop");
            if (is(code, "87")) {
                if (enter_sub(r, SUB_2010AB, 2, 0) < 0) return -1;
                r->payto.seen = 1;
                return 0;
            }
            return enter_sub(r, SUB_2010AC, 3, 0);
        }
        break;
    case LP_2000B:
        if (is(code, "IL")) {
            if (!r->sbr_seen) return fail(r, BH_ERR_SYNTAX, "x12.loop", "SBR is required before loop 2010BA");
            if (required(r, 3) < 0 || enter_sub(r, SUB_2010BA, 1, 0) < 0) return -1;
            take_name(r, &r->subscriber);
            r->subscriber.id = E(r, 9);
            return 0;
        }
        if (is(code, "PR")) {
            if (!r->subscriber.seen)
                return fail(r, BH_ERR_SYNTAX, "x12.loop", "loop 2010BA (NM1*IL) is required before 2010BB");
            if (required(r, 3) < 0 || enter_sub(r, SUB_2010BB, 2, 0) < 0) return -1;
            take_name(r, &r->payer);
            r->payer.id = E(r, 9);
            return 0;
        }
        break;
    case LP_2000C:
        if (is(code, "QC")) {
            if (!r->pat_seen) return fail(r, BH_ERR_SYNTAX, "x12.loop", "PAT is required before loop 2010CA");
            if (required(r, 3) < 0 || enter_sub(r, SUB_2010CA, 1, 0) < 0) return -1;
            take_name(r, &r->patient);
            return 0;
        }
        break;
    case LP_2300:
        if (r->sub == SUB_2320 || r->sub == SUB_2330) {
            if (is(code, "IL") || is(code, "PR") || is(code, "DN") || is(code, "P3") ||
                is(code, "82") || is(code, "77") || is(code, "DQ") || is(code, "85")) {
                bh_other_payer *o = &r->claim->other_payers[r->claim->n_other_payers - 1];
                if (close_sub(r) < 0) return -1;
                r->sub = SUB_2330;
                r->cob_entity = 0;
                if (is(code, "IL")) {
                    ctx_entity e;
                    memset(&e, 0, sizeof e);
                    take_name(r, &e);
                    fill_name(r, &o->subscriber_name, &e);
                    o->member_id = dup(r, E(r, 9));
                    r->cob_entity = 'A';
                } else if (is(code, "PR")) {
                    o->payer_name = dup(r, E(r, 3));
                    o->payer_id = dup(r, E(r, 9));
                    r->cob_entity = 'B';
                }
                return 0;
            }
            break;
        }
        if (is(code, "DN") || is(code, "P3")) {
            if (enter_sub(r, SUB_2310A, 1, 1) < 0) return -1;
            if (is(code, "DN") && r->claim->referring_provider.state == BH_FIELD_ABSENT)
                take_provider(r, &r->claim->referring_provider);
            return 0;
        }
        if (is(code, "82")) {
            bh_provider *p = &r->claim->rendering_provider;
            ctx_entity e;
            if (required(r, 3) < 0 || enter_sub(r, SUB_2310B, 2, 0) < 0) return -1;
            memset(&e, 0, sizeof e);
            take_name(r, &e);
            p->state = BH_FIELD_OK;
            fill_name(r, &p->name, &e);
            if (is(E(r, 8), "XX")) p->npi = dup(r, E(r, 9));
            return 0;
        }
        if (is(code, "77")) {
            if (enter_sub(r, SUB_2310C, 3, 0) < 0) return -1;
            take_provider(r, &r->claim->service_facility);
            return 0;
        }
        if (is(code, "DQ")) return enter_sub(r, SUB_2310D, 4, 0);
        if (is(code, "PW")) return enter_sub(r, SUB_2310E, 5, 0);
        if (is(code, "45")) return enter_sub(r, SUB_2310F, 6, 0);
        break;
    case LP_2400:
        if (is(code, "82")) {
            if (required(r, 3) < 0 || enter_sub(r, SUB_2420A, 2, 0) < 0) return -1;
            take_provider(r, &r->claim->lines[r->claim->n_lines - 1].rendering_provider);
            return 0;
        }
        if (is(code, "QB")) return enter_sub(r, SUB_2420B, 3, 0);
        if (is(code, "77")) return enter_sub(r, SUB_2420C, 4, 0);
        if (is(code, "DQ")) return enter_sub(r, SUB_2420D, 5, 0);
        if (is(code, "DK")) return enter_sub(r, SUB_2420E, 6, 0);
        if (is(code, "DN") || is(code, "P3")) return enter_sub(r, SUB_2420F, 7, 1);
        if (is(code, "PW")) return enter_sub(r, SUB_2420G, 8, 0);
        if (is(code, "45")) return enter_sub(r, SUB_2420H, 9, 0);
        break;
    default:
        break;
    }
    return fail(r, BH_ERR_SYNTAX, "x12.segment", "NM101 entity code is not allowed in loop %s",
                loop_names[r->loop]);
}

/* CAS: a group and up to six reason/amount/quantity triplets, each one
** adjustment of the model. */
static int read_cas(bh_x12_reader *r, bh_adjustment *list, int *n) {
    int k;
    if (required(r, 1) < 0 || required(r, 2) < 0 || required(r, 3) < 0) return -1;
    for (k = 2; k + 1 < r->seg.n_el && k <= 17; k += 3) {
        bh_adjustment *a;
        if (E(r, k).n == 0) continue;
        if (*n == BH_MAX_ADJUSTMENTS)
            return fail(r, BH_ERR_LIMIT, "x12.limit", "more than %d adjustments", BH_MAX_ADJUSTMENTS);
        a = &list[(*n)++];
        a->group = dup(r, E(r, 1));
        a->reason = dup(r, E(r, k));
        if (!parse_money(E(r, k + 1), &a->amount))
            return fail(r, BH_ERR_SYNTAX, "x12.element", "CAS%02d is not an amount", k + 1);
        a->quantity = dup(r, E(r, k + 2));
    }
    return 0;
}

/* 2320 SBR: a new other payer. */
static int start_other_payer(bh_x12_reader *r) {
    bh_claim *c = r->claim;
    bh_other_payer *o;
    if (c->other_payers == NULL &&
        (c->other_payers = bh_claim_alloc(c, BH_MAX_OTHER_PAYERS, sizeof *o)) == NULL) {
        r->nomem = 1;
        return 0;
    }
    if (c->n_other_payers == BH_MAX_OTHER_PAYERS)
        return fail(r, BH_ERR_LIMIT, "x12.limit", "more than %d other payers (2320)",
                    BH_MAX_OTHER_PAYERS);
    if (required(r, 1) < 0) return -1;
    o = &c->other_payers[c->n_other_payers++];
    o->responsibility = dup(r, E(r, 1));
    o->relationship = dup(r, E(r, 2));
    o->group_number = dup(r, E(r, 3));
    o->group_name = dup(r, E(r, 4));
    o->filing_code = dup(r, E(r, 9));
    r->cob_entity = 0;
    return 0;
}

/* CAS, AMT and OI of the current 2320. */
static int other_payer_segment(bh_x12_reader *r) {
    bh_other_payer *o = &r->claim->other_payers[r->claim->n_other_payers - 1];
    if (r->sid == ID_CAS) return read_cas(r, o->adjustments, &o->n_adjustments);
    if (r->sid == ID_AMT && (is(E(r, 1), "D") || is(E(r, 1), "EAF"))) {
        int d = is(E(r, 1), "D");
        if (!parse_money(E(r, 2), d ? &o->paid : &o->remaining))
            return fail(r, BH_ERR_SYNTAX, "x12.element", "AMT02 is not an amount");
        if (d) o->paid_state = BH_FIELD_OK;
        else o->remaining_state = BH_FIELD_OK;
    } else if (r->sid == ID_OI) {
        o->benefits_assignment = dup(r, E(r, 3));
        o->patient_signature_source = dup(r, E(r, 4));
        o->release_of_information = dup(r, E(r, 6));
    }
    return 0;
}

/* 2430 SVD: a prior payer's adjudication of the current line. */
static int start_adjudication(bh_x12_reader *r) {
    bh_line *l = &r->claim->lines[r->claim->n_lines - 1];
    bh_adjudication *a;
    bh_span s3 = E(r, 3);
    int k;
    if (l->adjudications == NULL &&
        (l->adjudications = bh_claim_alloc(r->claim, BH_MAX_ADJUDICATIONS, sizeof *a)) == NULL) {
        r->nomem = 1;
        return 0;
    }
    if (l->n_adjudications == BH_MAX_ADJUDICATIONS)
        return fail(r, BH_ERR_LIMIT, "x12.limit", "more than %d SVD in one line",
                    BH_MAX_ADJUDICATIONS);
    if (required(r, 1) < 0 || required(r, 2) < 0 || required(r, 3) < 0) return -1;
    a = &l->adjudications[l->n_adjudications++];
    a->payer_id = dup(r, E(r, 1));
    if (!parse_money(E(r, 2), &a->paid))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "SVD02 is not an amount");
    a->code = dup(r, comp(r, s3, 2));
    for (k = 3; k <= 6; k++) {
        bh_span m = comp(r, s3, k);
        if (m.n) a->modifiers[a->n_modifiers++] = dup(r, m);
    }
    if (E(r, 5).n && !parse_decimal(E(r, 5), &a->units))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "SVD05 is not a quantity");
    return 0;
}

/* N3, N4, DMG, REF, PER, PRV, DTP and kin inside a sub-loop. */
static int handle_in_sub(bh_x12_reader *r, int rank) {
    ctx_entity *e = NULL;
    if (rank < r->rank)
        return fail(r, BH_ERR_SYNTAX, "x12.order", "not in its place in loop %s", sub_names[r->sub]);
    r->rank = rank;
    switch (r->sub) {
    case SUB_1000A:
        if (!r->hdr_per && !r->env_st) {
            int i;
            copy_out(r->e_contact, sizeof r->e_contact, E(r, 2));
            for (i = 3; i + 1 < r->seg.n_el && i <= 7; i += 2)
                if (is(E(r, i), "TE")) {
                    copy_out(r->e_phone, sizeof r->e_phone, E(r, i + 1));
                    break;
                }
        }
        r->hdr_per = 1;
        return 0;
    case SUB_2010AA: e = &r->billing; break;
    case SUB_2010AB: e = &r->payto; break;
    case SUB_2010BA: e = &r->subscriber; break;
    case SUB_2010CA: e = &r->patient; break;
    case SUB_2310B:
        if (r->sid == ID_PRV && is(E(r, 1), "PE"))
            r->claim->rendering_provider.taxonomy = dup(r, E(r, 3));
        return 0;
    case SUB_2320:
        return other_payer_segment(r);
    case SUB_2330:
        if (r->cob_entity == 'A' && (r->sid == ID_N3 || r->sid == ID_N4)) {
            bh_address *a = &r->claim->other_payers[r->claim->n_other_payers - 1].subscriber_address;
            if (required(r, 1) < 0) return -1;
            if (r->sid == ID_N3) {
                a->line1 = dup(r, E(r, 1));
                a->line2 = dup(r, E(r, 2));
            } else {
                a->city = dup(r, E(r, 1));
                a->state = dup(r, E(r, 2));
                a->zip = dup(r, E(r, 3));
            }
        }
        return 0;
    case SUB_2430: {
        bh_line *l = &r->claim->lines[r->claim->n_lines - 1];
        bh_adjudication *a = &l->adjudications[l->n_adjudications - 1];
        if (r->sid == ID_CAS) return read_cas(r, a->adjustments, &a->n_adjustments);
        if (r->sid == ID_DTP && is(E(r, 1), "573")) {
            if (!is(E(r, 2), "D8") || E(r, 3).n != 8 || !parse_date(E(r, 3), &a->date))
                return fail(r, BH_ERR_SYNTAX, "x12.element", "DTP*573 must be D8 and a real date");
            a->date_text = dup_date(r, a->date);
        }
        return 0;
    }
    case SUB_2420A:
        if (r->sid == ID_PRV && is(E(r, 1), "PE"))
            r->claim->lines[r->claim->n_lines - 1].rendering_provider.taxonomy = dup(r, E(r, 3));
        return 0;
    case SUB_2310C: {
        bh_address *a = &r->claim->service_facility.address;
        if (r->sid == ID_N3) {
            if (required(r, 1) < 0) return -1;
            a->line1 = dup(r, E(r, 1));
            a->line2 = dup(r, E(r, 2));
        } else if (r->sid == ID_N4) {
            if (required(r, 1) < 0) return -1;
            a->city = dup(r, E(r, 1));
            a->state = dup(r, E(r, 2));
            a->zip = dup(r, E(r, 3));
        }
        return 0;
    }
    default:
        return 0;   /* a loop bhclaim does not model */
    }
    switch (r->sid) {
    case ID_N3:
        if (required(r, 1) < 0) return -1;
        e->has_n3 = 1;
        e->addr.line1 = E(r, 1);
        e->addr.line2 = E(r, 2);
        break;
    case ID_N4:
        if (required(r, 1) < 0) return -1;
        e->has_n4 = 1;
        e->addr.city = E(r, 1);
        e->addr.state = E(r, 2);
        e->addr.zip = E(r, 3);
        break;
    case ID_DMG:
        if (!is(E(r, 1), "D8") || !parse_date(E(r, 2), &e->dob) || E(r, 2).n != 8)
            return fail(r, BH_ERR_SYNTAX, "x12.element", "DMG must be D8 and a real CCYYMMDD date");
        if (required(r, 3) < 0) return -1;
        e->sex = E(r, 3);
        break;
    case ID_REF:
        if (required(r, 1) < 0 || required(r, 2) < 0) return -1;
        if (r->sub == SUB_2010AA && (is(E(r, 1), "EI") || is(E(r, 1), "SY"))) {
            if (++e->n_tax > 1)
                return fail(r, BH_ERR_SYNTAX, "x12.loop", "REF (tax id) appears more than once in loop 2010AA");
            e->tin = E(r, 2);
        }
        break;
    default:
        break;
    }
    return 0;
}

static int is_dx_qualifier(bh_span q) {
    return is(q, "ABK") || is(q, "BK") || is(q, "ABF") || is(q, "BF");
}

static int handle_hi(bh_x12_reader *r) {
    bh_claim *c = r->claim;
    int i;
    bh_span q = comp(r, E(r, 1), 1);
    if (required(r, 1) < 0) return -1;
    /* Other HI segments (anesthesia BP/BO, condition codes BG) are skipped. */
    if (!(is(q, "ABK") || is(q, "BK") || is(q, "ABF") || is(q, "BF"))) return 0;
    r->hi_seen = 1;
    for (i = 1; i < r->seg.n_el; i++) {
        bh_span el = E(r, i), qual = comp(r, el, 1), code = comp(r, el, 2);
        if (el.n == 0) continue;
        if (code.n == 0 && (r->flags & BH_X12_LENIENT) && is_dx_qualifier(qual) &&
            i + 1 < r->seg.n_el && E(r, i + 1).n > 0 && comp(r, E(r, i + 1), 2).n == 0 &&
            E(r, i + 1).n == comp(r, E(r, i + 1), 1).n) {
            /* Lenient: "HI*ABK*F331" (qualifier and code in two elements, the
            ** component separator left out) is read as ABK:F331, so every
            ** diagnosis keeps its place and the pointers stay right. */
            code = E(r, ++i);
        } else if (code.n == 0 || !is_dx_qualifier(qual)) {
            return fail(r, BH_ERR_SYNTAX, "x12.element",
                        "HI%02d must be a diagnosis qualifier:code composite", i);
        }
        if (c->n_diagnoses == BH_MAX_DIAGNOSES)
            return fail(r, BH_ERR_LIMIT, "x12.limit", "more than %d diagnoses", BH_MAX_DIAGNOSES);
        if (is(qual, "BK") || is(qual, "BF")) {
            if (c->n_diagnoses > 0 && c->diagnosis_code_set == NULL)
                return fail(r, BH_ERR_SYNTAX, "x12.element",
                            "HI%02d mixes ICD-9 (BK/BF) with ICD-10 (ABK/ABF) qualifiers", i);
            if (c->diagnosis_code_set == NULL) c->diagnosis_code_set = dup_lit(r, "icd9");
        } else if (c->diagnosis_code_set != NULL) {
            return fail(r, BH_ERR_SYNTAX, "x12.element",
                        "HI%02d mixes ICD-9 (BK/BF) with ICD-10 (ABK/ABF) qualifiers", i);
        }
        c->diagnoses[c->n_diagnoses++] = dup(r, code);
    }
    return 0;
}

static int handle_sv1(bh_x12_reader *r) {
    bh_line *l = &r->claim->lines[r->claim->n_lines - 1];
    bh_span s1 = E(r, 1), ptrs = E(r, 7);
    int k;
    if (r->line_sv1) return fail(r, BH_ERR_SYNTAX, "x12.loop", "a second SV1 in one loop 2400");
    r->line_sv1 = 1;
    r->expect_sv1 = 0;
    if (comp(r, s1, 1).n == 0 || comp(r, s1, 2).n == 0)
        return fail(r, BH_ERR_SYNTAX, "x12.element", "SV101 must be qualifier:procedure code");
    l->code = dup(r, comp(r, s1, 2));
    l->code_state = BH_FIELD_OK;
    for (k = 3; k <= 6; k++) {
        bh_span m = comp(r, s1, k);
        if (m.n) l->modifiers[l->n_modifiers++] = dup(r, m);
    }
    switch (parse_money(E(r, 2), &l->charge)) {
    case NUM_BAD: return fail(r, BH_ERR_SYNTAX, "x12.element", "SV102 is not an amount");
    case NUM_RANGE: return amount_range(r, "SV102");
    default: break;
    }
    l->charge_state = BH_FIELD_OK;
    if (required(r, 3) < 0) return -1;
    l->unit_type = dup(r, E(r, 3));
    switch (parse_units(E(r, 4), &l->units)) {
    case NUM_BAD: return fail(r, BH_ERR_SYNTAX, "x12.element", "SV104 is not a quantity");
    case NUM_RANGE:
        return fail(r, BH_ERR_LIMIT, "x12.range", "SV104 is over the maximum of %.0f units",
                    BH_MAX_UNITS);
    default: break;
    }
    l->units_state = BH_FIELD_OK;
    l->place_of_service = dup(r, E(r, 5));
    if (comp(r, ptrs, 1).n == 0)
        return fail(r, BH_ERR_SYNTAX, "x12.element", "SV107 (diagnosis pointer) is required");
    for (k = 1; k <= 4; k++) {
        bh_span p = comp(r, ptrs, k);
        long v;
        if (p.n == 0) break;
        if (!parse_long(p, &v) || v < 1 || v > 12)
            return fail(r, BH_ERR_SYNTAX, "x12.element", "SV107-%d must be a pointer 1 to 12", k);
        l->dx_pointers[l->n_dx_pointers++] = (int)v;
    }
    l->dx_pointers_state = BH_FIELD_OK;
    return 0;
}

static int handle_line_dtp(bh_x12_reader *r) {
    bh_line *l = &r->claim->lines[r->claim->n_lines - 1];
    bh_span f = E(r, 2), d = E(r, 3);
    if (!is(E(r, 1), "472")) return 0;
    if (r->line_dtp) return fail(r, BH_ERR_SYNTAX, "x12.loop", "a second DTP*472 in one loop 2400");
    if (!((is(f, "D8") && d.n == 8) || (is(f, "RD8") && d.n == 17 && d.p[8] == '-')) ||
        !parse_date(d, &l->date))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "DTP03 must be a real CCYYMMDD date (D8 or RD8)");
    r->line_dtp = 1;
    l->date_state = BH_FIELD_OK;
    l->date_text = dup_date(r, l->date);
    if (is(f, "RD8")) {
        bh_span to;
        to.p = d.p + 9;
        to.n = 8;
        if (!parse_date(to, &l->date_end) || l->date_end < l->date)
            return fail(r, BH_ERR_SYNTAX, "x12.element",
                        "DTP03 must be a real range CCYYMMDD-CCYYMMDD, from before to");
        l->date_end_text = dup_date(r, l->date_end);
    }
    return 0;
}

/* A 2300 REF other than G1 and F8, kept in claim_references. */
static int add_claim_reference(bh_x12_reader *r) {
    bh_claim *c = r->claim;
    bh_claim_reference *ref;
    if (required(r, 1) < 0 || required(r, 2) < 0) return -1;
    if (c->claim_references == NULL &&
        (c->claim_references = bh_claim_alloc(c, BH_MAX_CLAIM_REFERENCES, sizeof *ref)) == NULL) {
        r->nomem = 1;
        return 0;
    }
    if (c->n_claim_references == BH_MAX_CLAIM_REFERENCES)
        return fail(r, BH_ERR_LIMIT, "x12.limit", "more than %d REF in one claim",
                    BH_MAX_CLAIM_REFERENCES);
    ref = &c->claim_references[c->n_claim_references++];
    ref->qualifier = dup(r, E(r, 1));
    ref->value = dup(r, E(r, 2));
    return 0;
}

/* A 2300 DTP (D8 or RD8), kept in claim_dates. */
static int add_claim_date(bh_x12_reader *r) {
    bh_claim *c = r->claim;
    bh_claim_date *d;
    bh_span f = E(r, 2), v = E(r, 3), to;
    if (required(r, 1) < 0) return -1;
    if (c->claim_dates == NULL &&
        (c->claim_dates = bh_claim_alloc(c, BH_MAX_CLAIM_DATES, sizeof *d)) == NULL) {
        r->nomem = 1;
        return 0;
    }
    if (c->n_claim_dates == BH_MAX_CLAIM_DATES)
        return fail(r, BH_ERR_LIMIT, "x12.limit", "more than %d DTP in one claim",
                    BH_MAX_CLAIM_DATES);
    d = &c->claim_dates[c->n_claim_dates++];
    d->qualifier = dup(r, E(r, 1));
    /* The range's second half exists only when DTP03 has its 17 bytes;
       an empty element has no pointer to offset. */
    to.p = v.n == 17 ? v.p + 9 : NULL;
    to.n = v.n == 17 ? 8 : 0;
    if (!((is(f, "D8") && v.n == 8 && parse_date(v, &d->date)) ||
          (is(f, "RD8") && v.n == 17 && v.p[8] == '-' && parse_date(v, &d->date) &&
           parse_date(to, &d->date_end) && d->date_end >= d->date)))
        return fail(r, BH_ERR_SYNTAX, "x12.element", "DTP03 must be a real D8 date or RD8 range");
    return 0;
}

static int claim_level_segment(unsigned sid) {
    switch (sid) {
    case ID_DTP: case ID_PWK: case ID_CN1: case ID_AMT: case ID_REF: case ID_K3: case ID_NTE:
    case ID_CR1: case ID_CR2: case ID_CRC: case ID_HI: case ID_HCP:
        return 1;
    default:
        return 0;
    }
}

static int line_level_segment(unsigned sid) {
    switch (sid) {
    case ID_SV1: case ID_SV5: case ID_PWK: case ID_CR1: case ID_CR3: case ID_CRC: case ID_DTP:
    case ID_QTY: case ID_MEA: case ID_CN1: case ID_REF: case ID_AMT: case ID_K3: case ID_NTE:
    case ID_PS1: case ID_HCP:
        return 1;
    default:
        return 0;
    }
}

/* Any segment but the loop starters, inside ST..SE. */
static int handle_body(bh_x12_reader *r) {
    unsigned sid = r->sid;
    int rank;
    if (sid == ID_NM1) return handle_nm1(r);
    if (r->sub != SUB_NONE && (rank = sub_rank(r->sub, sid)) > 0) return handle_in_sub(r, rank);
    switch (r->loop) {
    case LP_HEADER:
        if (sid == ID_BHT && !r->hdr_bht && r->st_segs == 2) {
            r->hdr_bht = 1;
            return 0;
        }
        if (sid == ID_BHT) return fail(r, BH_ERR_SYNTAX, "x12.order", "BHT must follow ST once");
        break;
    case LP_2000A:
        if (sid == ID_PRV || sid == ID_CUR) {
            if (r->sub != SUB_NONE || r->order != 0)
                return fail(r, BH_ERR_SYNTAX, "x12.order", "must come before loop 2010AA");
            if (sid == ID_PRV && is(E(r, 1), "BI")) r->billing.taxonomy = E(r, 3);
            return 0;
        }
        break;
    case LP_2000B:
        if (sid == ID_SBR || sid == ID_PAT) {
            if (r->sub != SUB_NONE || r->order != 0 || (sid == ID_SBR && r->sbr_seen) ||
                (sid == ID_PAT && !r->sbr_seen))
                return fail(r, BH_ERR_SYNTAX, "x12.order", "not in its place in loop 2000B");
            if (sid == ID_SBR) {
                if (required(r, 1) < 0) return -1;
                r->sbr_seen = 1;
                r->sbr01 = E(r, 1);
                r->sbr02 = E(r, 2);
                r->sbr03 = E(r, 3);
                r->sbr04 = E(r, 4);
                r->sbr09 = E(r, 9);
            }
            return 0;
        }
        break;
    case LP_2000C:
        if (sid == ID_PAT) {
            if (r->sub != SUB_NONE || r->pat_seen)
                return fail(r, BH_ERR_SYNTAX, "x12.order", "not in its place in loop 2000C");
            if (required(r, 1) < 0) return -1;
            r->pat_seen = 1;
            r->pat01 = E(r, 1);
            return 0;
        }
        break;
    case LP_2300:
        if (sid == ID_SBR) {
            if (enter_sub(r, SUB_2320, 7, 1) < 0) return -1;
            return start_other_payer(r);
        }
        if (r->sub == SUB_NONE && r->order == 0 && claim_level_segment(sid)) {
            if (sid == ID_HI) return handle_hi(r);
            if (sid == ID_REF && is(E(r, 1), "G1") && E(r, 2).n)
                r->claim->prior_authorization = dup(r, E(r, 2));
            if (sid == ID_REF && is(E(r, 1), "F8") && E(r, 2).n)
                r->claim->payer_claim_number = dup(r, E(r, 2));
            if (sid == ID_REF && !is(E(r, 1), "G1") && !is(E(r, 1), "F8"))
                return add_claim_reference(r);
            if (sid == ID_DTP) return add_claim_date(r);
            if (sid == ID_NTE && is(E(r, 1), "ADD") && E(r, 2).n && r->claim->note == NULL)
                r->claim->note = dup(r, E(r, 2));
            return 0;
        }
        if (claim_level_segment(sid))
            return fail(r, BH_ERR_SYNTAX, "x12.order",
                        "not allowed in loop %s (2300 segments come before the 2310 and 2320 loops)",
                        where(r));
        break;
    case LP_2400:
        if (r->expect_sv1 && sid != ID_SV1)
            return fail(r, BH_ERR_SYNTAX, "x12.order", "SV1 must follow LX");
        if (r->sub == SUB_NONE && r->order == 0 && line_level_segment(sid)) {
            if (sid == ID_SV1) return handle_sv1(r);
            if (sid == ID_DTP) return handle_line_dtp(r);
            if (sid == ID_REF && is(E(r, 1), "6R") && E(r, 2).n) {
                bh_line *l = &r->claim->lines[r->claim->n_lines - 1];
                if (l->control_number != NULL)
                    return fail(r, BH_ERR_SYNTAX, "x12.loop", "a second REF*6R in one loop 2400");
                l->control_number = dup(r, E(r, 2));
            }
            return 0;
        }
        if (sid == ID_LIN) return enter_sub(r, SUB_2410, 1, 0);
        if (sid == ID_SVD) {
            if (enter_sub(r, SUB_2430, 10, 1) < 0) return -1;
            return start_adjudication(r);
        }
        if (sid == ID_LQ) return enter_sub(r, SUB_2440, 11, 1);
        if (line_level_segment(sid))
            return fail(r, BH_ERR_SYNTAX, "x12.order",
                        "not allowed in loop %s (2400 segments come before the 2410-2440 loops)",
                        where(r));
        break;
    default:
        break;
    }
    return not_allowed(r);
}

/* Handles the current segment. Returns 0 to go on, 1 when a claim ended
** before it (kept pending), 2 at the end of the interchange, -1 on error. */
static int handle(bh_x12_reader *r) {
    unsigned sid = r->sid;
    switch (r->loop) {
    case LP_INTERCHANGE:
        if (sid == ID_GS) return handle_gs(r);
        if (sid == ID_IEA) return handle_iea(r) < 0 ? -1 : 2;
        return fail(r, BH_ERR_SYNTAX, "x12.segment", "expected GS or IEA");
    case LP_GROUP:
        if (sid == ID_ST) return handle_st(r);
        if (sid == ID_GE) return handle_ge(r);
        return fail(r, BH_ERR_SYNTAX, "x12.segment", "expected ST or GE");
    default:
        break;
    }
    if (sid == ID_SE || sid == ID_HL || sid == ID_CLM) {
        if (r->in_claim) return close_claim(r);
        if (sid == ID_SE) return handle_se(r);
        if (sid == ID_HL) return handle_hl(r);
        return handle_clm(r);
    }
    if (sid == ID_LX) return handle_lx(r);
    if (r->loop == LP_2400 && r->expect_sv1 && sid != ID_SV1)
        return fail(r, BH_ERR_SYNTAX, "x12.order", "SV1 must follow LX");
    return handle_body(r);
}

/* {--- public reader API --- */

static const int isa_seps[16] = {3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103};

static int digits_at(const char *s, int n) {
    int i;
    for (i = 0; i < n; i++)
        if (!BH_IS_DIGIT(s[i])) return 0;
    return 1;
}

static const char *isa_problem(const char *d, size_t len) {
    int i, k = 0;
    char e;
    if (len < ISA_LEN) return "the data is shorter than the 106-character ISA";
    if (memcmp(d, "ISA", 3) != 0) return "the data does not start with ISA";
    e = d[3];
    if (!bh_seg_is_punct(e)) return "ISA position 4 (element separator) is not punctuation";
    for (i = 3; i < 104; i++) {
        int sep = k < 16 && isa_seps[k] == i;
        if (sep) k++;
        if ((d[i] == e) != sep)
            return "the ISA is not fixed-width (106 characters, elements at fixed places)";
    }
    if (!(bh_seg_is_punct(d[105]) || d[105] == '\n' || d[105] == '\r'))
        return "ISA position 106 (segment terminator) is not punctuation or a line break";
    if (!bh_seg_is_punct(d[104])) return "ISA16 (component separator) is not punctuation";
    if (d[104] == e || d[105] == e || d[104] == d[105])
        return "the ISA's separators are not all different";
    if (memcmp(d + 84, "00501", 5) != 0) return "ISA12 is not 00501 (this reader reads 5010)";
    if (!digits_at(d + 90, 9)) return "ISA13 is not 9 digits";
    if (!digits_at(d + 70, 6) || !digits_at(d + 77, 4)) return "ISA09/ISA10 are not a date and time";
    if (d[100] != '0' && d[100] != '1') return "ISA14 is not 0 or 1";
    if (d[102] != 'T' && d[102] != 'P' && d[102] != 'I') return "ISA15 is not T, P or I";
    return NULL;
}

static void trim_copy(char *dst, size_t size, const char *s, size_t n) {
    while (n > 0 && s[n - 1] == ' ') n--;
    {
        bh_span sp;
        sp.p = s;
        sp.n = n;
        copy_out(dst, size, sp);
    }
}

bh_x12_reader *bh_x12_reader_new(const char *data, size_t len, bh_error *err) {
    bh_x12_reader *r;
    const char *problem;
    if (err != NULL) memset(err, 0, sizeof *err);
    if (data == NULL) {
        bh_error_set(err, BH_ERR_ARG, "x12.arg", "NULL data");
        return NULL;
    }
    problem = isa_problem(data, len);
    if (problem != NULL) {
        if (err != NULL) {
            bh_error_set(err, BH_ERR_SYNTAX, "x12.isa", "segment 1 (ISA): %s", problem);
            err->line = err->byte = 1;
        }
        return NULL;
    }
    r = calloc(1, sizeof *r);
    if (r == NULL) {
        bh_error_set(err, BH_ERR_NOMEM, "x12.nomem", "out of memory");
        return NULL;
    }
    /* The ISA passed the fixed-width check, so the shared separator reading
    ** agrees with it (ISA position 4, ISA16, and the character after). */
    if (bh_seg_init(&r->seg, data, len, err) < 0) {
        free(r);
        return NULL;
    }
    r->seg.err = &r->error;
    /* ISA11 as sent, even when not punctuation: the envelope is echoed back
    ** (bh_x12_reader_envelope) and the 837P tokenizer does not use it. */
    r->seg.rsep = data[82];
    r->seg.pos = ISA_LEN;
    r->seg.seg_no = 1;
    r->loop = LP_INTERCHANGE;
    r->isa13.p = data + 90;
    r->isa13.n = 9;
    memcpy(r->e_sq, data + 32, 2);
    trim_copy(r->e_sid, sizeof r->e_sid, data + 35, 15);
    memcpy(r->e_rq, data + 51, 2);
    trim_copy(r->e_rid, sizeof r->e_rid, data + 54, 15);
    r->e_icn = strtol(data + 90, NULL, 10);   /* nine digits checked above */
    r->e_ack = data[100];
    r->e_usage = data[102];
    r->e_newline = len > ISA_LEN && (data[ISA_LEN] == '\n' || data[ISA_LEN] == '\r');
    return r;
}

void bh_x12_reader_set_flags(bh_x12_reader *reader, unsigned flags) {
    if (reader != NULL) reader->flags = flags;
}

int bh_x12_reader_next(bh_x12_reader *r, bh_claim *claim, bh_error *err) {
    int rc;
    if (err != NULL) memset(err, 0, sizeof *err);
    if (r == NULL || claim == NULL) {
        bh_error_set(err, BH_ERR_ARG, "x12.arg", "NULL reader or claim");
        return -1;
    }
    if (r->seg.failed) goto failed;
    if (r->loop == LP_END) return 0;
    r->claim = claim;
    for (;;) {
        if (!r->seg.pending) {
            rc = read_segment(r);
            if (rc < 0) goto failed;
            if (rc == 0) {
                r->seg.seg_no++;
                r->seg.seg_start = r->seg.len;
                r->seg.seg_line = r->seg.line;
                r->seg.id[0] = '\0';
                fail(r, BH_ERR_SYNTAX, "x12.truncated",
                     "the data ends before IEA (expected %s)",
                     r->loop == LP_INTERCHANGE ? "GS or IEA" : r->loop == LP_GROUP ? "ST or GE" : "SE");
                goto failed;
            }
        }
        r->seg.pending = 0;
        rc = handle(r);
        if (r->nomem && rc >= 0) {
            fail(r, BH_ERR_NOMEM, "x12.nomem", "out of memory filling the claim");
            goto failed;
        }
        if (rc < 0) goto failed;
        if (rc == 1) {
            r->claim = NULL;
            return 1;
        }
        if (rc == 2) {
            r->claim = NULL;
            return 0;
        }
    }
failed:
    r->claim = NULL;
    r->in_claim = 0;
    if (err != NULL) *err = r->error;
    return -1;
}

void bh_x12_reader_envelope(const bh_x12_reader *r, bh_x12_options *out) {
    bh_x12_options_default(out);
    if (r == NULL) return;
    out->sender_qualifier = r->e_sq;
    out->sender_id = r->e_sid;
    out->receiver_qualifier = r->e_rq;
    out->receiver_id = r->e_rid;
    out->app_sender = r->e_apps;
    out->app_receiver = r->e_appr;
    out->submitter_name = r->e_subname;
    out->submitter_id = r->e_subid;
    out->contact_name = r->e_contact[0] ? r->e_contact : NULL;
    out->contact_phone = r->e_phone;
    out->receiver_name = r->e_recvname;
    out->receiver_id_1000b = r->e_recvid;
    out->version = r->e_version[0] ? r->e_version : BH_837P_VERSION_A1;
    out->interchange_control = r->e_icn;
    out->group_control = r->e_gcn;
    out->transaction_control = r->e_tcn;
    out->usage = r->e_usage;
    out->ack_requested = r->e_ack;
    out->element_sep = r->seg.esep;
    out->component_sep = r->seg.csep;
    out->repetition_sep = r->seg.rsep;
    out->segment_term = r->seg.term;
    out->newline = r->e_newline;
    out->date = r->e_date;
    out->time = r->e_time;
}

long bh_x12_reader_segments(const bh_x12_reader *r) {
    return r == NULL ? 0 : r->seg.seg_no;
}

void bh_x12_reader_free(bh_x12_reader *r) {
    free(r);
}
