/*
** tap.h: what every C test program shares (tap.c): TAP output and reading
** a fixture file. Linked into each tests/test_*.c by the Makefile, and into
** the C benches that read a whole file (bench/bench_x12.c, bench_remit.c).
** SPDX-License-Identifier: MIT
*/
#ifndef BH_TEST_TAP_H
#define BH_TEST_TAP_H

#include <stddef.h>

/* Prints "ok N - name" or "not ok N - name" and counts it. */
void expect(int condition, const char *name);

/* Prints the plan "1..N"; returns the exit status: 0 when every check
** passed, 1 otherwise. */
int tap_done(void);

/* The whole file, NUL-terminated, its length in *len; NULL when it cannot
** be read (the caller frees it). */
char *read_file(const char *path, size_t *len);

#endif
