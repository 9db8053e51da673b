/*
** tap.c: TAP output and fixture reading for the C test programs (tap.h).
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include "tap.h"

static int n_run, n_failed;

void expect(int condition, const char *name) {
    n_run++;
    if (!condition) n_failed++;
    printf("%sok %d - %s\n", condition ? "" : "not ", n_run, name);
}

int tap_done(void) {
    printf("1..%d\n", n_run);
    return n_failed > 0;
}

char *read_file(const char *path, size_t *len) {
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
