/*
** bench_core.c: times the C core on an NDJSON batch held in memory, against
** cJSON parsing alone (DESIGN.md, "Speed budget": checking should cost little
** more than parsing). Links libbhclaim.a and cJSON only, never Lua.
** Usage: bench_core FILE.ndjson [RUNS=3]
** SPDX-License-Identifier: MIT
*/
#define _POSIX_C_SOURCE 199309L     /* clock_gettime under -std=c99 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "bhclaim.h"

/* The date the benchmark pretends it is, so date.future never depends on
** the day it runs (the generator writes services in 2026-01..2026-09). */
#define BENCH_TODAY 20261126

/* Target from the issue: check throughput at least this share of cJSON's. */
#define TARGET_PERCENT 70

/* Distinct rule ids tallied; more are lumped together (there are ~40 ids). */
#define MAX_RULES 64

/* {====================================================================
** The batch: one file read whole, split into lines without copying
** ===================================================================== */

typedef struct corpus {
    char *data;             /* the whole file, NUL-terminated */
    size_t size;            /* bytes in data */
    const char **line;      /* start of each non-empty line, inside data */
    size_t *len;            /* its length without the newline */
    size_t count;           /* number of lines */
    size_t json_bytes;      /* sum of len: the JSON the passes read */
} corpus;

static void corpus_free(corpus *c) {
    free(c->data);
    free((void *)c->line);
    free(c->len);
    memset(c, 0, sizeof *c);
}

static int read_whole(const char *path, corpus *c) {
    FILE *f = fopen(path, "rb");
    long size;
    if (f == NULL) return 0;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return 0;
    }
    c->size = (size_t)size;
    c->data = malloc(c->size + 1);
    if (c->data == NULL || fread(c->data, 1, c->size, f) != c->size) {
        fclose(f);
        return 0;
    }
    c->data[c->size] = '\0';
    fclose(f);
    return 1;
}

/* Counts lines first so the index is allocated once at its final size. */
static int split_lines(corpus *c) {
    size_t i, start = 0, n = 1;
    for (i = 0; i < c->size; i++)
        if (c->data[i] == '\n') n++;
    c->line = malloc(n * sizeof *c->line);
    c->len = malloc(n * sizeof *c->len);
    if (c->line == NULL || c->len == NULL) return 0;
    for (i = 0; i <= c->size; i++) {
        if (i < c->size && c->data[i] != '\n') continue;
        if (i > start) {        /* blank lines are not records */
            c->line[c->count] = c->data + start;
            c->len[c->count] = i - start;
            c->json_bytes += i - start;
            c->count++;
        }
        start = i + 1;
    }
    return 1;
}

/* {====================================================================
** Timed passes
** ===================================================================== */

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What one pass over the batch saw, so a reader can tell the work was done. */
typedef struct tally {
    size_t failed;          /* records that did not parse */
    size_t findings;        /* every finding, all severities */
    size_t errors;          /* findings of severity error */
    size_t warnings;        /* findings of severity warning */
    size_t infos;           /* findings of severity info */
    size_t claims_with_errors;      /* claims a payer would reject */
    size_t claims_with_findings;    /* claims with any finding at all */
} tally;

/* (a) The floor: cJSON alone, as the core calls it (explicit length). */
static double pass_parse_only(const corpus *c, tally *t) {
    double start;
    size_t i;
    memset(t, 0, sizeof *t);
    start = now_seconds();
    for (i = 0; i < c->count; i++) {
        const char *end = NULL;
        cJSON *root = cJSON_ParseWithLengthOpts(c->line[i], c->len[i], &end, 0);
        if (root == NULL) t->failed++;
        cJSON_Delete(root);
    }
    return now_seconds() - start;
}

static void count_report(const bh_report *report, tally *t) {
    size_t errors = bh_report_count_severity(report, BH_SEV_ERROR);
    size_t all = bh_report_count(report);
    t->findings += all;
    t->errors += errors;
    t->warnings += bh_report_count_severity(report, BH_SEV_WARNING);
    t->infos += bh_report_count_severity(report, BH_SEV_INFO);
    if (errors > 0) t->claims_with_errors++;
    if (all > 0) t->claims_with_findings++;
}

/* A payer profile like the built-in Medicare one (lua/bhclaim/payers/
** medicare.lua), so (b) runs the group-size, credential and MUE rules a
** Lua caller gets by default. Values here only exercise the rules. */
static const bh_credential bench_credentials[] = {
    {"LCSW", NULL, 0}, {"PHD", NULL, 0}, {"PSYD", NULL, 0}, {"MD", NULL, 0},
    {"NP", NULL, 0}, {"PMHNP", NULL, 0}, {"LMFT", NULL, 20240101}, {"LPC", NULL, 20240101},
    {"LMHC", NULL, 20240101}};
static const bh_mue_edit bench_mue[] = {{"90853", 1, 3, 0, 0, "bench", 1}};
static const char *const bench_not_paid[] = {"H", "T1015"};

static void bench_profile(bh_profile *p) {
    memset(p, 0, sizeof *p);
    p->name = "bench-medicare";
    p->min_participants.value = 2;
    p->min_participants.unconfirmed = 1;
    p->max_participants.value = 12;
    p->min_minutes.value = -1;
    p->min_share_percent.value = -1;
    p->doc_min_chars.value = 15;
    p->doc_min_chars.unconfirmed = 1;
    p->credentials = bench_credentials;
    p->n_credentials = (int)(sizeof bench_credentials / sizeof bench_credentials[0]);
    p->mue = bench_mue;
    p->n_mue = 1;
    /* the payer edits of payer_rules.c, as the Medicare profile sets them */
    p->timely_filing.value = 12;
    p->timely_filing.unconfirmed = 1;
    p->not_paid.codes = bench_not_paid;
    p->not_paid.n = 2;
    p->not_paid.unconfirmed = 1;
}

/* (b) What a batch job does: parse into one reused claim, check, and read
** the report's counts. The claim and report keep their memory between
** records, as DESIGN.md asks of the core. */
static double pass_check(const corpus *c, bh_claim *claim, bh_report *report, tally *t) {
    bh_check_options options;
    bh_profile profile;
    double start;
    size_t i;
    bench_profile(&profile);
    memset(&options, 0, sizeof options);
    options.today = BENCH_TODAY;
    options.profile = &profile;
    memset(t, 0, sizeof *t);
    start = now_seconds();
    for (i = 0; i < c->count; i++) {
        bh_error err;
        bh_report_reset(report);
        if (bh_claim_parse_json(claim, c->line[i], c->len[i], report, &err) != BH_OK) {
            t->failed++;
            continue;
        }
        bh_claim_check(claim, &options, report);
        count_report(report, t);
    }
    return now_seconds() - start;
}

/* {====================================================================
** One more pass, split into stages: where (b)'s time goes, and which
** rules fired. Reading the clock between stages adds ~2% to the total.
** ===================================================================== */

typedef struct rule_count {
    char rule[48];          /* a stable rule id, e.g. "npi.checksum" */
    size_t count;           /* findings with that id */
} rule_count;

typedef struct stages {
    double read;            /* bh_claim_parse_json: JSON text to claim, one pass */
    double check;           /* bh_claim_check */
    rule_count rules[MAX_RULES];    /* findings by rule id, first seen first */
    size_t n_rules;         /* entries used in rules */
} stages;

static void tally_rule(stages *st, const char *rule) {
    size_t i;
    for (i = 0; i < st->n_rules; i++)
        if (strcmp(st->rules[i].rule, rule) == 0) break;
    if (i == st->n_rules) {
        if (st->n_rules == MAX_RULES) i = MAX_RULES - 1;    /* the last slot takes the rest */
        else snprintf(st->rules[st->n_rules++].rule, sizeof st->rules[0].rule, "%s", rule);
    }
    st->rules[i].count++;
}

static void stage_one(stages *st, const char *json, size_t len, bh_claim *claim,
                      bh_report *report) {
    bh_check_options options;
    bh_profile profile;
    double t0, t1;
    size_t k;
    bench_profile(&profile);
    memset(&options, 0, sizeof options);
    options.today = BENCH_TODAY;
    options.profile = &profile;
    bh_report_reset(report);
    t0 = now_seconds();
    if (bh_claim_parse_json(claim, json, len, report, NULL) != BH_OK) return;
    t1 = now_seconds();
    bh_claim_check(claim, &options, report);
    st->check += now_seconds() - t1;
    st->read += t1 - t0;
    for (k = 0; k < bh_report_count(report); k++)
        tally_rule(st, bh_report_get(report, k)->rule);
}

static int by_count(const void *a, const void *b) {
    const rule_count *x = a, *y = b;
    return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->rule, y->rule);
}

static void print_stage(const char *name, double seconds, double total, size_t count) {
    printf("    %-44s %6.3f s  %5.1f%%  %6.2f us/claim\n", name, seconds,
           100.0 * seconds / total, 1e6 * seconds / (double)count);
}

static void print_stages(const corpus *c, bh_claim *claim, bh_report *report) {
    stages *st = calloc(1, sizeof *st);
    double total;
    size_t i;
    if (st == NULL) return;
    for (i = 0; i < c->count; i++) stage_one(st, c->line[i], c->len[i], claim, report);
    total = st->read + st->check;
    printf("  where (b)'s time goes (one staged pass):\n");
    print_stage("bh_claim_parse_json (text -> claim, one pass)", st->read, total, c->count);
    print_stage("bh_claim_check", st->check, total, c->count);
    qsort(st->rules, st->n_rules, sizeof st->rules[0], by_count);
    printf("  findings by rule:\n");
    for (i = 0; i < st->n_rules; i++)
        printf("    %8lu  %s\n", (unsigned long)st->rules[i].count, st->rules[i].rule);
    free(st);
}

/* {====================================================================
** Report
** ===================================================================== */

static void print_speed(const char *label, const corpus *c, double seconds) {
    printf("%s\n      %.3f s   %10.0f claims/s   %7.1f MB/s\n", label, seconds,
           (double)c->count / seconds, (double)c->json_bytes / 1e6 / seconds);
}

static double percent(size_t part, size_t whole) {
    return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

static void print_tally(const corpus *c, const tally *t) {
    printf("  findings: %lu (error %lu, warning %lu, info %lu)\n",
           (unsigned long)t->findings, (unsigned long)t->errors, (unsigned long)t->warnings,
           (unsigned long)t->infos);
    printf("  claims with errors: %lu of %lu (%.2f%%); with any finding: %lu (%.2f%%)\n",
           (unsigned long)t->claims_with_errors, (unsigned long)c->count,
           percent(t->claims_with_errors, c->count), (unsigned long)t->claims_with_findings,
           percent(t->claims_with_findings, c->count));
    printf("  records that failed to parse: %lu\n", (unsigned long)t->failed);
}

/* Best (shortest) of `runs` passes: the others measure the machine's noise. */
static int run(const corpus *c, int runs) {
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    double best_a = 0, best_b = 0, ratio;
    tally ta, tb;
    int r;
    if (claim == NULL || report == NULL) {
        fprintf(stderr, "bench_core: out of memory\n");
        bh_claim_free(claim);
        bh_report_free(report);
        return 1;
    }
    for (r = 0; r < runs; r++) {
        double a = pass_parse_only(c, &ta), b = pass_check(c, claim, report, &tb);
        if (r == 0 || a < best_a) best_a = a;
        if (r == 0 || b < best_b) best_b = b;
    }
    print_speed("(a) parse only: cJSON_ParseWithLengthOpts + cJSON_Delete", c, best_a);
    if (ta.failed > 0) printf("  records cJSON refused: %lu\n", (unsigned long)ta.failed);
    print_speed("(b) parse + check: bh_claim_parse_json + bh_claim_check", c, best_b);
    print_tally(c, &tb);
    print_stages(c, claim, report);
    ratio = 100.0 * best_a / best_b;
    printf("\ncheck runs at %.0f%% of parse-only throughput; target >= %d%%%s\n", ratio,
           TARGET_PERCENT, ratio >= TARGET_PERCENT ? "" : "  ** BELOW TARGET **");
    bh_claim_free(claim);
    bh_report_free(report);
    return 0;
}

int main(int argc, char **argv) {
    corpus c;
    int runs = argc > 2 ? atoi(argv[2]) : 3, status;
    memset(&c, 0, sizeof c);
    if (argc < 2 || runs < 1) {
        fprintf(stderr, "usage: bench_core FILE.ndjson [RUNS=3]\n");
        return 2;
    }
    if (!read_whole(argv[1], &c) || !split_lines(&c)) {
        fprintf(stderr, "bench_core: cannot read %s\n", argv[1]);
        corpus_free(&c);
        return 1;
    }
    printf("bhclaim %s core on %lu claims, %.1f MB of JSON (%.0f B/claim), best of %d\n",
           BH_VERSION, (unsigned long)c.count, (double)c.json_bytes / 1e6,
           c.count > 0 ? (double)c.json_bytes / (double)c.count : 0.0, runs);
    status = c.count > 0 ? run(&c, runs) : 1;
    corpus_free(&c);
    return status;
}
