/*
** test_fuzz.c: seeded mutation fuzzing of the readers that take untrusted
** input: claim JSON (bh_claim_parse_json + bh_claim_check), generic JSON
** (bh_json_parse) and X12 837P (bh_x12_reader). Each round flips, inserts,
** deletes or duplicates bytes of a valid seed and feeds the result in; the
** test passes when nothing crashes (run under ASan+UBSan by make test) and
** every call returns a defined status. Deterministic: the same rounds on
** every run. Not coverage-guided; a libFuzzer harness can reuse one_*.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bhclaim.h"
#include "tap.h"

#ifndef FUZZ_ROUNDS
#define FUZZ_ROUNDS 20000
#endif

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned rng(unsigned n) {
    /* xorshift64: enough spread for mutations, same sequence everywhere */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

/* Writes a mutation of seed into out (room for 2 * n + 64); returns its length. */
static size_t mutate(const char *seed, size_t n, char *out) {
    static const char interesting[] = "{}[]\",:\\0-.eE~*^|\n\r\t\x01\x1a\xff";
    size_t len = n, k, edits = 1 + rng(8);
    memcpy(out, seed, n);
    for (k = 0; k < edits && len > 0; k++) {
        size_t at = rng((unsigned)len);
        switch (rng(5)) {
        case 0: out[at] = (char)rng(256); break;
        case 1: out[at] = interesting[rng(sizeof interesting - 1)]; break;
        case 2:     /* delete a run */
            {
                size_t run = 1 + rng(16);
                if (at + run > len) run = len - at;
                memmove(out + at, out + at + run, len - at - run);
                len -= run;
            }
            break;
        case 3:     /* duplicate a run */
            {
                size_t run = 1 + rng(32);
                if (at + run > len) run = len - at;
                if (len + run <= 2 * n + 32) {
                    memmove(out + at + run, out + at, len - at);
                    len += run;
                }
            }
            break;
        default:    /* truncate */
            len = at;
            break;
        }
    }
    return len;
}

static int one_claim(const char *data, size_t len, bh_claim *claim, bh_report *report) {
    bh_check_options options;
    bh_error err;
    bh_status st;
    bh_json *values;
    memset(&options, 0, sizeof options);
    options.today = 20261126;
    bh_report_reset(report);
    st = bh_claim_parse_json(claim, data, len, report, &err);
    if (st == BH_OK) st = bh_claim_check(claim, &options, report);
    values = bh_json_parse(data, len, &err);
    bh_json_free(values);
    return st == BH_OK || st == BH_ERR_SYNTAX || st == BH_ERR_LIMIT;
}

static int one_x12(const char *data, size_t len, bh_claim *claim) {
    bh_error err;
    bh_x12_reader *reader = bh_x12_reader_new(data, len, &err);
    int rc, guard = 0;
    if (reader == NULL) return err.code != BH_OK;
    while ((rc = bh_x12_reader_next(reader, claim, &err)) == 1 && ++guard < 100000) {}
    bh_x12_reader_free(reader);
    return rc == 0 || rc == -1;
}

int main(int argc, char **argv) {
    const char *json_path = argc > 1 ? argv[1] : "spec/fixtures/base_claim.json";
    const char *x12_path = argc > 2 ? argv[2] : "spec/fixtures/x12/medicaid_h0004_patient.837";
    size_t json_len = 0, x12_len = 0, len;
    char *json = read_file(json_path, &json_len), *x12 = read_file(x12_path, &x12_len), *buf;
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    int i, bad_json = 0, bad_x12 = 0;
    if (json == NULL || x12 == NULL || claim == NULL || report == NULL) {
        printf("not ok 1 - fuzz seeds %s and %s readable\n", json_path, x12_path);
        return 1;
    }
    buf = malloc(2 * (json_len > x12_len ? json_len : x12_len) + 64);
    if (buf == NULL) return 1;
    for (i = 0; i < FUZZ_ROUNDS; i++) {
        len = mutate(json, json_len, buf);
        if (!one_claim(buf, len, claim, report)) bad_json++;
        len = mutate(x12, x12_len, buf);
        if (!one_x12(buf, len, claim)) bad_x12++;
    }
    printf("%sok 1 - %d mutated claim JSON texts read and checked without a crash\n",
           bad_json ? "not " : "", FUZZ_ROUNDS);
    printf("%sok 2 - %d mutated 837P files read without a crash\n", bad_x12 ? "not " : "",
           FUZZ_ROUNDS);
    printf("1..2\n");
    free(buf);
    free(json);
    free(x12);
    bh_claim_free(claim);
    bh_report_free(report);
    return bad_json || bad_x12;
}
