/*
** bench_remit.c: the C API on a large 835: bh_remit_reader over the whole
** file, every claim payment handed out (no tables built). Best of 3; MB/s
** of 835 text, claim payments per second, and the process's peak memory.
** Usage: bench_remit FILE.835
** SPDX-License-Identifier: MIT
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "bhclaim.h"
#include "tap.h"   /* read_file (tests/tap.c) */

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass; returns seconds, or -1 on a read error (printed). */
static double pass(const char *text, size_t len, long *claims, long *lines) {
    bh_error err;
    double start = now_seconds();
    bh_remit_reader *r = bh_remit_reader_new(text, len, &err);
    const bh_rm_claim *c;
    const bh_rm_set *s;
    int rc;
    *claims = *lines = 0;
    if (r == NULL) {
        fprintf(stderr, "bench_remit: %s\n", err.message);
        return -1;
    }
    while ((rc = bh_remit_reader_next(r, &c, &s, &err)) > 0) {
        if (rc == BH_RM_CLAIM) {
            (*claims)++;
            *lines += (long)c->lines.n;
        }
    }
    bh_remit_reader_free(r);
    if (rc < 0) {
        fprintf(stderr, "bench_remit: %s\n", err.message);
        return -1;
    }
    return now_seconds() - start;
}

int main(int argc, char **argv) {
    size_t len = 0;
    char *text;
    double best = -1;
    long claims = 0, lines = 0;
    int i;
    struct rusage ru;
    if (argc != 2) {
        fprintf(stderr, "usage: bench_remit FILE.835\n");
        return 2;
    }
    text = read_file(argv[1], &len);
    if (text == NULL) {
        fprintf(stderr, "bench_remit: cannot read %s\n", argv[1]);
        return 1;
    }
    for (i = 0; i < 3; i++) {
        double t = pass(text, len, &claims, &lines);
        if (t < 0) {
            free(text);
            return 1;
        }
        if (best < 0 || t < best) best = t;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("C bh_remit_reader (835 read)   %7.3f s  %7.1f MB/s  %9.0f claim payments/s"
           "  (%ld claims, %ld lines)\n",
           best, (double)len / 1e6 / best, (double)claims / best, claims, lines);
    /* ru_maxrss is in KiB on Linux; MB here are 10^6 bytes, as for the file. */
    printf("C peak memory (RSS, file of %.1f MB included): %.1f MB\n", (double)len / 1e6,
           (double)ru.ru_maxrss * 1024.0 / 1e6);
    free(text);
    return 0;
}
