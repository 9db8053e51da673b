/*
** ncci.c: NCCI procedure-to-procedure (PTP) and medically unlikely edits
** (MUE), effective-dated. A table starts with the few edits our sources
** confirm (compiled in, each with its source) and takes CMS's quarterly
** practitioner files on top; loaded edits win over compiled-in ones. The
** last part applies the edits to a claim (bh_check_ncci, run with the group
** rules). Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

/* {====================================================================
** Compiled-in edits
** ===================================================================== */

/* 90853 with individual psychotherapy on one date: group is column 1, the
** individual code column 2, modifier indicator 1, since 2014-10-01. Read
** from the CMS table by AAPC and SuperCoder (rules-reference 1.4 and 2):
** secondary sources, so a CMS file loaded with bh_ncci_load_ptp replaces
** these rows. */
#define SRC_GROUP_INDIVIDUAL \
    "NCCI PTP 90853/individual psychotherapy, indicator 1, from 2014-10-01 " \
    "(secondary: AAPC, SuperCoder reading the CMS table; load the CMS file to confirm)"

/* 90853 with multiple-family group psychotherapy (90849) on one date:
** 90849 column 2, indicator 1, as issue 11 states it. No source read for
** this pair (rules-reference 2 lists 90853/90849 among the pairs not
** found), so it is flagged unconfirmed: its findings are warnings until
** the CMS file is loaded. */
#define SRC_GROUP_FAMILY \
    "NCCI PTP 90853/90849, indicator 1 (issue 11; not found in a source, rules-reference 2: " \
    "unconfirmed; load the CMS file to confirm)"

static const bh_ptp_edit builtin_ptp[] = {
    {"90853", "90832", 20141001, 0, 1, SRC_GROUP_INDIVIDUAL, 0},
    {"90853", "90834", 20141001, 0, 1, SRC_GROUP_INDIVIDUAL, 0},
    {"90853", "90837", 20141001, 0, 1, SRC_GROUP_INDIVIDUAL, 0},
    {"90853", "90849", 0, 0, 1, SRC_GROUP_FAMILY, 1},
};

/* No practitioner MUE value for the behavioral-health codes was found in a
** source (rules-reference 2, open item 1): none is compiled in. Payer
** profiles may carry values flagged unconfirmed; CMS files bring the real
** ones. */

/* {====================================================================
** The table
** ===================================================================== */

struct bh_ncci {
    bh_ptp_edit *ptp;       /* loaded PTP edits, sorted by (column1, column2) */
    size_t n_ptp, cap_ptp;
    bh_mue_edit *mue;       /* loaded MUEs, sorted by (code, from) */
    size_t n_mue, cap_mue;
    char **sources;         /* copies of the source names of loaded files */
    size_t n_sources;
};

bh_ncci *bh_ncci_new(void) {
    return calloc(1, sizeof(bh_ncci));
}

void bh_ncci_free(bh_ncci *ncci) {
    size_t i;
    if (ncci == NULL) return;
    for (i = 0; i < ncci->n_sources; i++) free(ncci->sources[i]);
    free(ncci->sources);
    free(ncci->ptp);
    free(ncci->mue);
    free(ncci);
}

size_t bh_ncci_ptp_count(const bh_ncci *ncci) {
    return sizeof builtin_ptp / sizeof builtin_ptp[0] + (ncci ? ncci->n_ptp : 0);
}

size_t bh_ncci_mue_count(const bh_ncci *ncci) {
    return ncci ? ncci->n_mue : 0;
}

/* Makes room for one more item in a growing array (doubling, from 1024).
** Returns the array, moved or not, or NULL when out of memory (the old
** array is then unchanged and still owned by the caller). */
static void *make_room(void *items, size_t *cap, size_t count, size_t size) {
    size_t grown_cap;
    void *grown;
    if (count < *cap) return items;
    grown_cap = *cap ? *cap * 2 : 1024;
    grown = realloc(items, grown_cap * size);
    if (grown != NULL) *cap = grown_cap;
    return grown;
}

static const char *keep_source(bh_ncci *ncci, const char *source) {
    char **grown, *copy;
    size_t len = strlen(source);
    grown = realloc(ncci->sources, (ncci->n_sources + 1) * sizeof *grown);
    if (grown == NULL) return NULL;
    ncci->sources = grown;
    copy = malloc(len + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, source, len + 1);
    ncci->sources[ncci->n_sources++] = copy;
    return copy;
}

/* {====================================================================
** File parsing shared by both layouts
** ===================================================================== */

#define MAX_FIELDS 8

/* Splits one line into up to MAX_FIELDS fields, in place: tab-separated
** when the line has a tab, else comma-separated with double quotes. */
static int split_fields(char *line, char *fields[MAX_FIELDS]) {
    int n = 0;
    char sep = strchr(line, '\t') ? '\t' : ',';
    char *p = line;
    while (n < MAX_FIELDS) {
        char *out;
        while (*p == ' ') p++;
        if (*p == '"') {
            out = ++p;
            fields[n++] = out;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;     /* a doubled quote */
                *out++ = *p++;
            }
            if (*p == '"') p++;
            while (*p && *p != sep) p++;
            *out = '\0';
        } else {
            fields[n++] = p;
            while (*p && *p != sep) p++;
        }
        if (*p != sep) {
            *p = '\0';
            break;
        }
        *p++ = '\0';
    }
    return n;
}

static void trim(char *s) {
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r')) s[--n] = '\0';
}

static int is_code(const char *s) {
    return bh_procedure_kind(s, strlen(s)) != BH_CODE_BAD_SHAPE;
}

static int parse_yyyymmdd(const char *s, bh_date *out) {
    char iso[11];
    if (strlen(s) != 8) return 0;
    memcpy(iso, s, 4);
    iso[4] = '-';
    memcpy(iso + 5, s + 4, 2);
    iso[7] = '-';
    memcpy(iso + 8, s + 6, 2);
    return bh_date_parse(iso, 10, out);
}


static void line_error(bh_error *err, long line, const char *what) {
    if (err == NULL) return;
    err->code = BH_ERR_SYNTAX;
    err->line = line;
    err->byte = 0;
    snprintf(err->id, sizeof err->id, "ncci.format");
    snprintf(err->message, sizeof err->message, "line %ld: %s", line, what);
}

/* Calls fn on each line (copied, NUL-terminated, CR removed); stops at the
** first non-zero return. Lines longer than the buffer are data errors. */
typedef int (*line_fn)(void *ctx, char *line, long number);

#define NCCI_LINE_MAX 1024

static int each_line(const char *text, size_t len, void *ctx, line_fn fn, bh_error *err) {
    const char *p = text, *end = text + len;
    long number = 0;
    char line[NCCI_LINE_MAX];
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        int rc;
        number++;
        if (n >= sizeof line) {
            line_error(err, number, "line longer than 1024 bytes");
            return -1;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        trim(line);
        rc = fn(ctx, line, number);
        if (rc != 0) return rc;
        p = nl ? nl + 1 : end;
    }
    return 0;
}

/* {====================================================================
** PTP
** ===================================================================== */

static int compare_ptp(const void *a, const void *b) {
    const bh_ptp_edit *x = a, *y = b;
    int c = strcmp(x->column1, y->column1);
    if (c == 0) c = strcmp(x->column2, y->column2);
    return c != 0 ? c : (x->from > y->from) - (x->from < y->from);
}

typedef struct ptp_load {
    bh_ncci *ncci;
    const char *source;
    size_t added;
    bh_error *err;
    bh_status status;
} ptp_load;

static int ptp_line(void *ctx, char *line, long number) {
    ptp_load *ld = ctx;
    char *f[MAX_FIELDS];
    int n = split_fields(line, f), i;
    bh_ptp_edit e;
    for (i = 0; i < n; i++) trim(f[i]);
    /* Notice, title and header lines do not start with two codes. */
    if (n < 2 || !is_code(f[0]) || !is_code(f[1])) return 0;
    if (n < 6) {
        line_error(ld->err, number, "expected 6 columns: column 1, column 2, prior-1996 flag, "
                   "effective date, deletion date, modifier indicator");
        return -1;
    }
    memset(&e, 0, sizeof e);
    memcpy(e.column1, f[0], 5);
    memcpy(e.column2, f[1], 5);
    if (!parse_yyyymmdd(f[3], &e.from)) {
        line_error(ld->err, number, "the effective date is not YYYYMMDD");
        return -1;
    }
    if (!bh_streq(f[4], "*") && f[4][0] != '\0') {
        bh_date deleted;
        if (!parse_yyyymmdd(f[4], &deleted)) {
            line_error(ld->err, number, "the deletion date is neither YYYYMMDD nor *");
            return -1;
        }
        /* a CMS deletion date is the first day the edit no longer applies */
        e.to = bh_date_previous_day(deleted);
    }
    if (strlen(f[5]) != 1 || (f[5][0] != '0' && f[5][0] != '1' && f[5][0] != '9')) {
        line_error(ld->err, number, "the modifier indicator is not 0, 1 or 9");
        return -1;
    }
    e.modifier_indicator = f[5][0] - '0';
    e.source = ld->source;
    {
        bh_ptp_edit *room = make_room(ld->ncci->ptp, &ld->ncci->cap_ptp, ld->ncci->n_ptp,
                                      sizeof *ld->ncci->ptp);
        if (room == NULL) {
            ld->status = BH_ERR_NOMEM;
            return -1;
        }
        ld->ncci->ptp = room;
    }
    ld->ncci->ptp[ld->ncci->n_ptp++] = e;
    ld->added++;
    return 0;
}

bh_status bh_ncci_load_ptp(bh_ncci *ncci, const char *text, size_t len, const char *source,
                           size_t *added, bh_error *err) {
    ptp_load ld;
    size_t before;
    if (ncci == NULL || text == NULL) return BH_ERR_ARG;
    if (err != NULL) memset(err, 0, sizeof *err);
    memset(&ld, 0, sizeof ld);
    ld.ncci = ncci;
    ld.err = err;
    ld.status = BH_OK;
    ld.source = keep_source(ncci, source ? source : "CMS NCCI practitioner PTP file");
    if (ld.source == NULL) return BH_ERR_NOMEM;
    before = ncci->n_ptp;
    if (each_line(text, len, &ld, ptp_line, err) != 0) {
        ncci->n_ptp = before;   /* all or nothing */
        return ld.status != BH_OK ? ld.status : BH_ERR_SYNTAX;
    }
    /* A file of notices only loads nothing: ptp may still be NULL, and
    ** qsort's pointer must be valid even for zero elements. */
    if (ncci->n_ptp > 1) qsort(ncci->ptp, ncci->n_ptp, sizeof *ncci->ptp, compare_ptp);
    if (added != NULL) *added = ld.added;
    return BH_OK;
}

static int in_effect(bh_date from, bh_date to, bh_date date) {
    return date == 0 || ((from == 0 || date >= from) && (to == 0 || date <= to));
}

/* Loaded rows for (c1, c2): the index of the first, or n when none. */
static size_t first_loaded(const bh_ncci *ncci, const char *c1, const char *c2) {
    size_t lo = 0, hi = ncci->n_ptp;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ncci->ptp[mid].column1, c1);
        if (c == 0) c = strcmp(ncci->ptp[mid].column2, c2);
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static const bh_ptp_edit *find_ordered(const bh_ncci *ncci, const char *c1, const char *c2,
                                       bh_date date, int *loaded_any) {
    size_t i;
    if (ncci != NULL) {
        for (i = first_loaded(ncci, c1, c2); i < ncci->n_ptp &&
             bh_streq(ncci->ptp[i].column1, c1) && bh_streq(ncci->ptp[i].column2, c2);
             i++) {
            *loaded_any = 1;
            if (in_effect(ncci->ptp[i].from, ncci->ptp[i].to, date)) return &ncci->ptp[i];
        }
        if (*loaded_any) return NULL;
    }
    for (i = 0; i < sizeof builtin_ptp / sizeof builtin_ptp[0]; i++) {
        const bh_ptp_edit *e = &builtin_ptp[i];
        if (bh_streq(e->column1, c1) && bh_streq(e->column2, c2) &&
            in_effect(e->from, e->to, date))
            return e;
    }
    return NULL;
}

const bh_ptp_edit *bh_ncci_find_ptp(const bh_ncci *ncci, const char *a, const char *b,
                                    bh_date date) {
    int loaded_ab = 0, loaded_ba = 0;
    const bh_ptp_edit *e;
    if (a == NULL || b == NULL) return NULL;
    e = find_ordered(ncci, a, b, date, &loaded_ab);
    return e != NULL ? e : find_ordered(ncci, b, a, date, &loaded_ba);
}

/* {====================================================================
** MUE
** ===================================================================== */

static int compare_mue(const void *a, const void *b) {
    const bh_mue_edit *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c != 0 ? c : (x->from > y->from) - (x->from < y->from);
}

typedef struct mue_load {
    bh_ncci *ncci;
    const char *source;
    bh_date from;
    size_t added;
    bh_error *err;
    bh_status status;
} mue_load;

static int mue_line(void *ctx, char *line, long number) {
    mue_load *ld = ctx;
    char *f[MAX_FIELDS], *endp;
    int n = split_fields(line, f), i;
    long value;
    bh_mue_edit e;
    for (i = 0; i < n; i++) trim(f[i]);
    if (n < 1 || !is_code(f[0])) return 0;
    if (n < 3) {
        line_error(ld->err, number, "expected code, MUE value and adjudication indicator");
        return -1;
    }
    value = strtol(f[1], &endp, 10);
    if (endp == f[1] || *endp != '\0' || value < 0 || value > 100000) {
        line_error(ld->err, number, "the MUE value is not a whole number");
        return -1;
    }
    if (f[2][0] < '1' || f[2][0] > '3') {
        line_error(ld->err, number, "the adjudication indicator does not start with 1, 2 or 3");
        return -1;
    }
    memset(&e, 0, sizeof e);
    memcpy(e.code, f[0], 5);
    e.value = (int)value;
    e.mai = f[2][0] - '0';
    e.from = ld->from;
    e.source = ld->source;
    {
        bh_mue_edit *room = make_room(ld->ncci->mue, &ld->ncci->cap_mue, ld->ncci->n_mue,
                                      sizeof *ld->ncci->mue);
        if (room == NULL) {
            ld->status = BH_ERR_NOMEM;
            return -1;
        }
        ld->ncci->mue = room;
    }
    ld->ncci->mue[ld->ncci->n_mue++] = e;
    ld->added++;
    return 0;
}

bh_status bh_ncci_load_mue(bh_ncci *ncci, const char *text, size_t len,
                           const bh_mue_load_opts *opts, size_t *added, bh_error *err) {
    mue_load ld;
    size_t before;
    const char *source = opts != NULL ? opts->source : NULL;
    if (ncci == NULL || text == NULL) return BH_ERR_ARG;
    if (err != NULL) memset(err, 0, sizeof *err);
    memset(&ld, 0, sizeof ld);
    ld.ncci = ncci;
    ld.err = err;
    ld.from = opts != NULL ? opts->from : 0;
    ld.status = BH_OK;
    ld.source = keep_source(ncci, source ? source : "CMS NCCI practitioner MUE file");
    if (ld.source == NULL) return BH_ERR_NOMEM;
    before = ncci->n_mue;
    if (each_line(text, len, &ld, mue_line, err) != 0) {
        ncci->n_mue = before;
        return ld.status != BH_OK ? ld.status : BH_ERR_SYNTAX;
    }
    if (ncci->n_mue > 1) qsort(ncci->mue, ncci->n_mue, sizeof *ncci->mue, compare_mue);
    if (added != NULL) *added = ld.added;
    return BH_OK;
}

const bh_mue_edit *bh_ncci_find_mue(const bh_ncci *ncci, const char *code, bh_date date) {
    const bh_mue_edit *best = NULL;
    size_t lo = 0, hi, i;
    if (ncci == NULL || code == NULL) return NULL;
    hi = ncci->n_mue;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ncci->mue[mid].code, code) < 0) lo = mid + 1;
        else hi = mid;
    }
    /* Rows are sorted by their first date: a later file replaces an
    ** earlier one from its own date on. */
    for (i = lo; i < ncci->n_mue && bh_streq(ncci->mue[i].code, code); i++)
        if (date == 0 || ncci->mue[i].from <= date) best = &ncci->mue[i];
    return best;
}

/* {====================================================================
** Applying the edits to a claim: ncci.ptp, ncci.mue, modifier.bypass
** ===================================================================== */

typedef struct applier {
    const bh_claim *claim;
    const bh_profile *profile;      /* may be NULL: no payer pairs or MUE values */
    const bh_ncci *ncci;            /* may be NULL: compiled-in edits only */
    bh_report *report;
    bh_status status;               /* BH_ERR_NOMEM once a finding could not be added */
} applier;

static void add(applier *r, const bh_finding *f) {
    if (bh_report_put(r->report, f) != BH_OK) r->status = BH_ERR_NOMEM;
}


static const char *const bypass_modifiers[] = {"59", "XE", "XP", "XS", "XU", NULL};

static int has_bypass(const bh_line *line) {
    int i, k;
    for (i = 0; i < line->n_modifiers; i++)
        for (k = 0; line->modifiers[i] != NULL && bypass_modifiers[k] != NULL; k++)
            if (bh_streq(line->modifiers[i], bypass_modifiers[k])) return 1;
    return 0;
}

/* The profile's own pair for two codes on a date, either order. */
static const bh_ptp_edit *profile_pair(const bh_profile *p, const char *a, const char *b,
                                       bh_date date) {
    int i;
    if (p == NULL) return NULL;
    for (i = 0; i < p->n_ptp; i++) {
        const bh_ptp_edit *e = &p->ptp[i];
        int match = (bh_streq(e->column1, a) && bh_streq(e->column2, b)) ||
                    (bh_streq(e->column1, b) && bh_streq(e->column2, a));
        if (match && (e->from == 0 || date >= e->from) && (e->to == 0 || date <= e->to))
            return e;
    }
    return NULL;
}

#define SRC_BYPASS "NCCI-associated modifiers: not to be added solely to bypass an edit " \
                   "(findacode restating CMS, rules-reference 2); XE/XS/XP/XU by their HCPCS " \
                   "meaning (rules-reference 7.7); 59 only where no X modifier fits (NCCI " \
                   "policy manual, not in the rules reference)"

/* 1 when a code is a psychiatric service (908xx): one without a separate
** anatomic structure. */
static int is_psychiatric(const char *code) {
    return strncmp(code, "908", 3) == 0;
}

/* modifier.bypass: a bypass modifier that cannot describe the pair. XS
** ("separate structure") never fits two psychiatric services; 59 where an
** X modifier would (XE separate encounter, XP separate practitioner, XU
** unusual non-overlapping service) draws review. */
static void check_bypass(applier *r, const bh_ptp_edit *e, const bh_line *col2, int col2_no) {
    char where[48], msg[300];
    int k;
    for (k = 0; k < col2->n_modifiers; k++) {
        const char *m = col2->modifiers[k];
        if (m == NULL) continue;
        snprintf(where, sizeof where, "lines[%d].modifiers[%d]", col2_no, k + 1);
        if (bh_streq(m, "XS") && is_psychiatric(e->column1) && is_psychiatric(e->column2)) {
            snprintf(msg, sizeof msg, "XS (separate structure) bypasses the %s/%s pair, but "
                     "psychotherapy services have no separate structure.", e->column1,
                     e->column2);
            add(r, &(bh_finding){
                .rule = "modifier.bypass", .severity = BH_SEV_WARNING,
                .path = where,
                .hint = "Use XE for a separate session (encounter) on the same day, XP for a different "
                        "practitioner, and document it; otherwise remove the line.",
                .source = SRC_BYPASS,
                .message = msg});
        } else if (bh_streq(m, "59")) {
            snprintf(msg, sizeof msg, "59 bypasses the %s/%s pair where an X modifier (XE, "
                     "XP, XU) says what made the services distinct.", e->column1, e->column2);
            add(r, &(bh_finding){
                .rule = "modifier.bypass", .severity = BH_SEV_WARNING,
                .path = where,
                .hint = "Replace 59 with XE (separate encounter), XP (separate practitioner) or XU "
                        "(non-overlapping service), whichever the record supports.",
                .source = SRC_BYPASS,
                .message = msg});
        }
    }
}

static void report_pair(applier *r, const bh_ptp_edit *e, int i, int j, int from_profile) {
    const bh_claim *c = r->claim;
    const bh_line *col2 = bh_streq(c->lines[i].code, e->column2) ? &c->lines[i] : &c->lines[j];
    int col2_no = col2 == &c->lines[i] ? i + 1 : j + 1;
    char where[32], msg[300], src[400];
    if (e->modifier_indicator == 9) return;
    if (e->modifier_indicator == 1 && has_bypass(col2)) {
        check_bypass(r, e, col2, col2_no);
        return;
    }
    snprintf(where, sizeof where, "lines[%d].code", col2_no);
    if (e->modifier_indicator == 0)
        snprintf(msg, sizeof msg, "%s is bundled into %s on the same date and may never be "
                 "billed with it.", e->column2, e->column1);
    else
        snprintf(msg, sizeof msg, "%s is bundled into %s on the same date unless it was a "
                 "separate session, shown by 59, XE, XP, XS or XU.", e->column2, e->column1);
    if (from_profile)
        bh_profile_source(r->profile, e->source, "payer pair", e->unconfirmed, src, sizeof src);
    else
        snprintf(src, sizeof src, "%s", bh_or_default(e->source, "NCCI PTP"));
    add(r, &(bh_finding){
        .rule = "ncci.ptp", .severity = bh_severity_for(e->unconfirmed),
        .path = where,
        .hint = e->modifier_indicator == 0
                ? "Remove the bundled code; it is paid as part of the other."
                : "If the sessions were separate, add XE (or 59) to this line and document both "
                "sessions; otherwise remove it.",
        .source = src,
        .message = msg});
}

static void check_ptp(applier *r) {
    const bh_claim *c = r->claim;
    int i, j;
    for (i = 0; i < c->n_lines; i++) {
        for (j = i + 1; j < c->n_lines; j++) {
            const bh_line *a = &c->lines[i], *b = &c->lines[j];
            const bh_ptp_edit *e;
            if (a->code == NULL || b->code == NULL || a->date != b->date ||
                bh_streq(a->code, b->code))
                continue;
            e = bh_ncci_find_ptp(r->ncci, a->code, b->code, a->date);
            if (e != NULL) report_pair(r, e, i, j, 0);
            e = profile_pair(r->profile, a->code, b->code, a->date);
            if (e != NULL) report_pair(r, e, i, j, 1);
        }
    }
}

static const bh_mue_edit *profile_mue(const bh_profile *p, const char *code, bh_date date) {
    int i;
    if (p == NULL) return NULL;
    for (i = 0; i < p->n_mue; i++) {
        const bh_mue_edit *e = &p->mue[i];
        if (bh_streq(e->code, code) && (e->from == 0 || date >= e->from) &&
            (e->to == 0 || date <= e->to))
            return e;
    }
    return NULL;
}

static void report_mue(applier *r, const bh_mue_edit *e, int line_no, double units,
                       int from_profile) {
    char where[32], msg[300], src[400];
    snprintf(where, sizeof where, "lines[%d].units", line_no);
    snprintf(msg, sizeof msg, "%g units of %s %s exceed the medically unlikely edit of %d.",
             units, e->code, e->mai == 1 ? "on this line" : "on this date", e->value);
    if (from_profile)
        bh_profile_source(r->profile, e->source, "MUE value", e->unconfirmed, src, sizeof src);
    else
        snprintf(src, sizeof src, "%s (MAI %d)", bh_or_default(e->source, "NCCI MUE"), e->mai);
    add(r, &(bh_finding){
        .rule = "ncci.mue", .severity = bh_severity_for(e->unconfirmed),
        .path = where,
        .hint = "Bill no more units than the edit allows; units over it are denied and cannot be "
                "billed to the patient.",
        .source = src,
        .message = msg});
}

static void check_mue(applier *r) {
    const bh_claim *c = r->claim;
    int i, j;
    for (i = 0; i < c->n_lines; i++) {
        const bh_line *line = &c->lines[i];
        const bh_mue_edit *e;
        int from_profile = 0, seen_before = 0, last = i;
        double total = 0;
        if (line->code == NULL || line->units_state != BH_FIELD_OK) continue;
        e = bh_ncci_find_mue(r->ncci, line->code, line->date);
        if (e == NULL) {
            e = profile_mue(r->profile, line->code, line->date);
            from_profile = 1;
        }
        if (e == NULL) continue;
        if (e->mai == 1) {
            if (line->units > e->value) report_mue(r, e, i + 1, line->units, from_profile);
            continue;
        }
        /* MAI 2 and 3: units of the code on one date add up across lines. */
        for (j = 0; j < c->n_lines; j++) {
            const bh_line *other = &c->lines[j];
            if (other->code == NULL || other->units_state != BH_FIELD_OK ||
                !bh_streq(other->code, line->code) || other->date != line->date)
                continue;
            if (j < i) seen_before = 1;
            total += other->units;
            last = j;
        }
        if (!seen_before && total > e->value) report_mue(r, e, last + 1, total, from_profile);
    }
}

bh_status bh_check_ncci(const bh_claim *claim, const bh_check_options *options,
                        bh_report *report) {
    applier r;
    r.claim = claim;
    r.profile = options != NULL ? options->profile : NULL;
    r.ncci = options != NULL ? options->ncci : NULL;
    r.report = report;
    r.status = BH_OK;
    check_ptp(&r);
    check_mue(&r);
    return r.status;
}
