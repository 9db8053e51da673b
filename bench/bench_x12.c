/*
** bench_x12.c: the C API on an 837P file: (e) reading it into claims with
** bh_x12_reader, and (f) reading and checking each claim with the same
** Medicare-like profile as bench_core. Best of 3; MB/s of 837P text.
** Usage: bench_x12 FILE.837
** SPDX-License-Identifier: MIT
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bhclaim.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_whole(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static const bh_credential credentials[] = {
    {"LCSW", NULL, 0}, {"PHD", NULL, 0}, {"PSYD", NULL, 0}, {"MD", NULL, 0}, {"NP", NULL, 0},
    {"PMHNP", NULL, 0}, {"LMFT", NULL, 20240101}, {"LPC", NULL, 20240101}};
static const bh_mue_edit mue[] = {{"90853", 1, 3, 0, 0, "bench", 1}};

/* One pass; returns seconds, or -1 on a read error. check: also check. */
static double pass(const char *text, size_t len, int check, long *claims, long *findings) {
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    bh_profile profile;
    bh_check_options options;
    bh_error err;
    bh_x12_reader *reader;
    double start = now_seconds(), took;
    int rc;
    memset(&profile, 0, sizeof profile);
    profile.name = "bench-medicare";
    profile.min_participants.value = 2;
    profile.max_participants.value = 12;
    profile.min_minutes.value = profile.min_share_percent.value = -1;
    profile.doc_min_chars.value = 15;
    profile.credentials = credentials;
    profile.n_credentials = (int)(sizeof credentials / sizeof credentials[0]);
    profile.mue = mue;
    profile.n_mue = 1;
    memset(&options, 0, sizeof options);
    options.today = 20261126;
    options.profile = &profile;
    *claims = *findings = 0;
    reader = bh_x12_reader_new(text, len, &err);
    if (reader == NULL || claim == NULL || report == NULL) return -1;
    while ((rc = bh_x12_reader_next(reader, claim, &err)) == 1) {
        (*claims)++;
        if (!check) continue;
        bh_report_reset(report);
        bh_claim_check(claim, &options, report);
        *findings += (long)bh_report_count(report);
    }
    took = now_seconds() - start;
    if (rc < 0) fprintf(stderr, "bench_x12: %s\n", err.message);
    bh_x12_reader_free(reader);
    bh_claim_free(claim);
    bh_report_free(report);
    return rc < 0 ? -1 : took;
}

static void best_of_3(const char *label, const char *text, size_t len, int check) {
    double best = -1;
    long claims = 0, findings = 0;
    int i;
    for (i = 0; i < 3; i++) {
        double t = pass(text, len, check, &claims, &findings);
        if (t < 0) return;
        if (best < 0 || t < best) best = t;
    }
    printf("%s\n      %.3f s   %10.0f claims/s   %7.1f MB/s", label, best,
           (double)claims / best, (double)len / 1e6 / best);
    if (check) printf("   (%ld findings)", findings);
    printf("\n");
}

int main(int argc, char **argv) {
    size_t len = 0;
    char *text;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_x12 FILE.837\n");
        return 2;
    }
    if ((text = read_whole(argv[1], &len)) == NULL) {
        fprintf(stderr, "bench_x12: cannot read %s\n", argv[1]);
        return 1;
    }
    printf("bhclaim %s C API on %s, %.1f MB of 837P, best of 3\n", BH_VERSION, argv[1],
           (double)len / 1e6);
    best_of_3("(e) read: bh_x12_reader_next into one reused claim", text, len, 0);
    best_of_3("(f) read + check: bh_x12_reader_next + bh_claim_check", text, len, 1);
    free(text);
    return 0;
}
