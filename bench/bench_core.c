/*
** bench_core.c: times the C core on an NDJSON batch held in memory, against
** cJSON parsing alone (DESIGN.md, "Speed budget": checking should cost little
** more than parsing). One pass kind per process, so each prints its own
** peak memory:
**   parse  (a) cJSON_ParseWithLengthOpts + cJSON_Delete, the peer;
**   check  (b) bh_claim_parse_json + bh_claim_check with the payer profile
**          of each claim's payer kind, the very profiles bhclaim.check and
**          the command line use by default (bhclaim.x12.profiles()).
** The timed loops call libbhclaim.a and cJSON only. Lua (5.4) runs before
** the clock starts, to compile the built-in profiles with the binding
** (bhclaim.core from LUA_CPATH), so no profile value is copied here.
** Times are CPU seconds of this process (other load on the machine does not
** count); peak memory is getrusage's ru_maxrss.
** Usage: bench_core FILE.ndjson parse|check [RUNS=3]
** Prints the figures, then one tab-separated "RESULT" line for bench/table.lua.
** SPDX-License-Identifier: MIT
*/
#define _POSIX_C_SOURCE 199309L     /* clock_gettime under -std=c99 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <cjson/cJSON.h>
#include "bhclaim.h"
#include "bench_profiles.h"

/* The date the benchmark pretends it is, so date.future never depends on
** the day it runs (the generator writes services in 2026-01..2026-09). */
#define BENCH_TODAY 20261126

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
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The staged pass reads the clock twice a claim: the monotonic clock (vDSO)
** costs little there, where the CPU-time clock is a system call. */
static double stage_seconds(void) {
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
    size_t claims_flagged;          /* claims with an error or a warning */
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
    if (errors > 0 || bh_report_count_severity(report, BH_SEV_WARNING) > 0) t->claims_flagged++;
}

/* (b) What a batch job does: parse into one reused claim, check it with its
** payer kind's profile, and read the report's counts. The claim and report
** keep their memory between records, as DESIGN.md asks of the core. */
static double pass_check(const corpus *c, const profiles *ps, bh_claim *claim,
                         bh_report *report, tally *t) {
    bh_check_options options;
    double start;
    size_t i;
    memset(&options, 0, sizeof options);
    options.today = BENCH_TODAY;
    memset(t, 0, sizeof *t);
    start = now_seconds();
    for (i = 0; i < c->count; i++) {
        bh_error err;
        bh_report_reset(report);
        if (bh_claim_parse_json(claim, c->line[i], c->len[i], report, &err) != BH_OK) {
            t->failed++;
            continue;
        }
        options.profile = profile_of(ps, claim);
        bh_claim_check(claim, &options, report);
        count_report(report, t);
    }
    return now_seconds() - start;
}

/* {====================================================================
** One more pass, split into stages: where (b)'s time goes, and which
** rules fired. Wall-clock shares: reading the clock adds ~2% to the total.
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

static void stage_one(stages *st, const char *json, size_t len, const profiles *ps,
                      bh_claim *claim, bh_report *report) {
    bh_check_options options;
    double t0, t1;
    size_t k;
    memset(&options, 0, sizeof options);
    options.today = BENCH_TODAY;
    bh_report_reset(report);
    t0 = stage_seconds();
    if (bh_claim_parse_json(claim, json, len, report, NULL) != BH_OK) return;
    t1 = stage_seconds();
    options.profile = profile_of(ps, claim);
    bh_claim_check(claim, &options, report);
    st->check += stage_seconds() - t1;
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

static void print_stages(const corpus *c, const profiles *ps, bh_claim *claim,
                         bh_report *report) {
    stages *st = calloc(1, sizeof *st);
    double total;
    size_t i;
    if (st == NULL) return;
    for (i = 0; i < c->count; i++) stage_one(st, c->line[i], c->len[i], ps, claim, report);
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
    printf("  with an error or a warning: %lu (%.2f%%)\n", (unsigned long)t->claims_flagged,
           percent(t->claims_flagged, c->count));
    printf("  records that failed to parse: %lu\n", (unsigned long)t->failed);
}

/* Peak resident memory of this process so far, in KiB (Linux ru_maxrss). */
static long peak_rss_kib(void) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/* The line bench/table.lua reads: RESULT, path id, claims, bytes, CPU
** seconds, claims with an error or a warning (-1: not a check), peak RSS
** in KiB. */
static void print_result(const char *id, const corpus *c, double seconds, long flagged) {
    printf("RESULT\t%s\t%lu\t%lu\t%.6f\t%ld\t%ld\n", id, (unsigned long)c->count,
           (unsigned long)c->json_bytes, seconds, flagged, peak_rss_kib());
}

/* (a): best (shortest) of `runs` passes; the others measure the noise. */
static int run_parse(const corpus *c, int runs) {
    double best = 0;
    tally t;
    int r;
    for (r = 0; r < runs; r++) {
        double a = pass_parse_only(c, &t);
        if (r == 0 || a < best) best = a;
    }
    print_speed("(a) parse only: cJSON_ParseWithLengthOpts + cJSON_Delete", c, best);
    if (t.failed > 0) printf("  records cJSON refused: %lu\n", (unsigned long)t.failed);
    print_result("core.parse", c, best, -1);
    return t.failed > 0;
}

/* (b): best of `runs` passes, then the staged pass. */
static int run_check(const corpus *c, int runs) {
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    profiles ps;
    double best = 0;
    tally t;
    int r, ok = profiles_load(&ps) && claim != NULL && report != NULL;
    for (r = 0; ok && r < runs; r++) {
        double b = pass_check(c, &ps, claim, report, &t);
        if (r == 0 || b < best) best = b;
    }
    if (ok) {
        print_speed("(b) parse + check: bh_claim_parse_json + bh_claim_check, "
                    "the built-in profile of each claim's payer kind", c, best);
        print_tally(c, &t);
        print_stages(c, &ps, claim, report);
        print_result("core.check", c, best, (long)t.claims_flagged);
    }
    profiles_close(&ps);
    bh_claim_free(claim);
    bh_report_free(report);
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    corpus c;
    int runs = argc > 3 ? atoi(argv[3]) : 3, status;
    const char *mode = argc > 2 ? argv[2] : "";
    memset(&c, 0, sizeof c);
    if (argc < 3 || runs < 1 || (strcmp(mode, "parse") != 0 && strcmp(mode, "check") != 0)) {
        fprintf(stderr, "usage: bench_core FILE.ndjson parse|check [RUNS=3]\n");
        return 2;
    }
    if (!read_whole(argv[1], &c) || !split_lines(&c)) {
        fprintf(stderr, "bench_core: cannot read %s\n", argv[1]);
        corpus_free(&c);
        return 1;
    }
    printf("bhclaim %s core on %lu claims, %.1f MB of JSON (%.0f B/claim), "
           "best of %d, CPU time\n", BH_VERSION, (unsigned long)c.count,
           (double)c.json_bytes / 1e6,
           c.count > 0 ? (double)c.json_bytes / (double)c.count : 0.0, runs);
    if (c.count == 0) status = 1;
    else status = mode[0] == 'p' ? run_parse(&c, runs) : run_check(&c, runs);
    corpus_free(&c);
    return status;
}
