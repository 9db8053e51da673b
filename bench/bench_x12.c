/*
** bench_x12.c: the C API on an 837P file: (e) reading it into claims with
** bh_x12_reader, and (f) reading and checking each claim with the built-in
** profile of its payer kind (bench_profiles.h, as bench_core). Best of 3,
** CPU seconds; MB/s of 837P text. Ends with one "RESULT" line for (f)
** (bench/table.lua); LUA_CPATH must find bhclaim.core (5.4).
** Usage: bench_x12 FILE.837
** SPDX-License-Identifier: MIT
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "bhclaim.h"
#include "tap.h"   /* read_file (tests/tap.c) */
#include "bench_profiles.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass; returns seconds, or -1 on a read error. check: also check. */
static double pass(const char *text, size_t len, const profiles *ps, int check, long *claims,
                   long *flagged) {
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    bh_check_options options;
    bh_error err;
    bh_x12_reader *reader;
    double start = now_seconds(), took;
    int rc;
    memset(&options, 0, sizeof options);
    options.today = 20261126;
    *claims = *flagged = 0;
    reader = bh_x12_reader_new(text, len, &err);
    if (reader == NULL || claim == NULL || report == NULL) return -1;
    while ((rc = bh_x12_reader_next(reader, claim, &err)) == 1) {
        (*claims)++;
        if (!check) continue;
        bh_report_reset(report);
        options.profile = profile_of(ps, claim);
        bh_claim_check(claim, &options, report);
        if (bh_report_count_severity(report, BH_SEV_ERROR) > 0 ||
            bh_report_count_severity(report, BH_SEV_WARNING) > 0)
            (*flagged)++;
    }
    took = now_seconds() - start;
    if (rc < 0) fprintf(stderr, "bench_x12: %s\n", err.message);
    bh_x12_reader_free(reader);
    bh_claim_free(claim);
    bh_report_free(report);
    return rc < 0 ? -1 : took;
}

/* Returns 0 when a pass failed. The RESULT line is printed for (f) only. */
static int best_of_3(const char *label, const char *text, size_t len, const profiles *ps,
                     int check) {
    double best = -1;
    long claims = 0, flagged = 0;
    struct rusage ru;
    int i;
    for (i = 0; i < 3; i++) {
        double t = pass(text, len, ps, check, &claims, &flagged);
        if (t < 0) return 0;
        if (best < 0 || t < best) best = t;
    }
    printf("%s\n      %.3f s   %10.0f claims/s   %7.1f MB/s", label, best,
           (double)claims / best, (double)len / 1e6 / best);
    if (check)
        printf("   (claims with an error or a warning %ld, %.2f%%)", flagged,
               claims > 0 ? 100.0 * (double)flagged / (double)claims : 0.0);
    printf("\n");
    if (check)
        printf("RESULT\tcore.x12.check\t%ld\t%lu\t%.6f\t%ld\t%ld\n", claims,
               (unsigned long)len, best, flagged,
               getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1L);
    return 1;
}

int main(int argc, char **argv) {
    size_t len = 0;
    char *text;
    profiles ps;
    int ok;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_x12 FILE.837\n");
        return 2;
    }
    if ((text = read_file(argv[1], &len)) == NULL) {
        fprintf(stderr, "bench_x12: cannot read %s\n", argv[1]);
        return 1;
    }
    printf("bhclaim %s C API on %s, %.1f MB of 837P, best of 3, CPU time\n", BH_VERSION,
           argv[1], (double)len / 1e6);
    ok = profiles_load(&ps) &&
         best_of_3("(e) read: bh_x12_reader_next into one reused claim", text, len, &ps, 0) &&
         best_of_3("(f) read + check: bh_x12_reader_next + bh_claim_check, the built-in "
                   "profile of each claim's payer kind", text, len, &ps, 1);
    profiles_close(&ps);
    free(text);
    return ok ? 0 : 1;
}
