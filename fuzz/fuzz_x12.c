/*
** fuzz_x12.c: any bytes -> the 837P reader, strict and lenient; each claim
** read is checked, then the claims are written back with the envelope read
** and the written file is read again. Properties: the reader returns 1, 0
** or -1 and sticks at -1; an error names a segment; what the writer
** accepts, the strict reader reads back as the same number of claims with
** the same codes and charges.
** SPDX-License-Identifier: MIT
*/
#include "fuzz_common.h"

#define MAX_KEPT 16

static void compare_claims(const bh_claim *a, const bh_claim *b) {
    int i;
    FUZZ_ASSERT(a->n_lines == b->n_lines, "same number of lines after a round trip");
    FUZZ_ASSERT(a->total_charge == b->total_charge, "same total charge after a round trip");
    FUZZ_ASSERT(a->n_diagnoses == b->n_diagnoses, "same number of diagnoses");
    for (i = 0; i < a->n_lines; i++) {
        FUZZ_ASSERT(a->lines[i].charge == b->lines[i].charge, "same line charge");
        FUZZ_ASSERT(a->lines[i].n_modifiers == b->lines[i].n_modifiers, "same modifiers");
        FUZZ_ASSERT(a->lines[i].code != NULL && b->lines[i].code != NULL &&
                    strcmp(a->lines[i].code, b->lines[i].code) == 0, "same line code");
    }
}

/* Reads the written interchange again, strictly, and compares. */
static void reread(const bh_buffer *out, bh_claim *const *kept, int n_kept) {
    bh_error err;
    bh_x12_reader *r = bh_x12_reader_new(out->data, out->len, &err);
    bh_claim *claim = bh_claim_new();
    int n = 0, rc;
    FUZZ_ASSERT(r != NULL, "the written ISA is read back");
    while ((rc = bh_x12_reader_next(r, claim, &err)) == 1) {
        FUZZ_ASSERT(n < n_kept, "no more claims read back than written");
        compare_claims(kept[n], claim);
        n++;
    }
    if (rc != 0) fprintf(stderr, "re-read failed: %s\n", err.message);
    FUZZ_ASSERT(rc == 0, "the written interchange is read back without error");
    FUZZ_ASSERT(n == n_kept, "as many claims read back as written");
    bh_claim_free(claim);
    bh_x12_reader_free(r);
}

static void read_all(const char *text, size_t size, unsigned flags, int round_trip) {
    bh_error err;
    bh_x12_reader *r = bh_x12_reader_new(text, size, &err);
    bh_claim *kept[MAX_KEPT];
    bh_report *report = bh_report_new();
    bh_claim *claim = bh_claim_new();
    int n_kept = 0, rc, i, total = 0;
    if (report == NULL || claim == NULL) abort();
    if (r == NULL) {
        FUZZ_ASSERT(err.code != BH_OK && err.message[0] != '\0', "a refused ISA is described");
        bh_report_free(report);
        bh_claim_free(claim);
        return;
    }
    bh_x12_reader_set_flags(r, flags);
    while ((rc = bh_x12_reader_next(r, claim, &err)) == 1) {
        bh_report_reset(report);
        FUZZ_ASSERT(bh_claim_check(claim, NULL, report) == BH_OK, "check of a read claim");
        fuzz_walk_report(report);
        if (round_trip && n_kept < MAX_KEPT) {
            kept[n_kept] = claim;
            n_kept++;
            claim = bh_claim_new();
            if (claim == NULL) abort();
        }
        if (++total > 10000) break;
    }
    if (rc == -1) {
        FUZZ_ASSERT(strncmp(err.message, "segment ", 8) == 0, "an error names its segment");
        FUZZ_ASSERT(bh_x12_reader_next(r, claim, &err) == -1, "an error sticks");
    } else if (rc == 0 && round_trip && n_kept > 0) {
        bh_x12_options opt;
        bh_buffer out;
        bh_buffer_init(&out);
        bh_x12_reader_envelope(r, &opt);
        if (bh_x12_write_837p((const bh_claim *const *)kept, (size_t)n_kept, &opt, &out,
                              &err) == BH_OK)
            reread(&out, kept, n_kept);
        bh_buffer_free(&out);
    }
    for (i = 0; i < n_kept; i++) bh_claim_free(kept[i]);
    bh_claim_free(claim);
    bh_report_free(report);
    bh_x12_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_exact(data, size);
    read_all(text, size, 0, 1);
    read_all(text, size, BH_X12_LENIENT, 0);
    free(text);
    return 0;
}
