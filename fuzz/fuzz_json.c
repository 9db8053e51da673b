/*
** fuzz_json.c: any bytes -> bh_json_parse (any JSON text read whole).
** Properties: NULL comes with a described error, values without one; the
** verdict and the message are the claim reader's for the same bytes (one
** reader for check and decode); every value can be walked.
** SPDX-License-Identifier: MIT
*/
#include "fuzz_common.h"

/* Visits every value under v; returns how many. */
static long walk(const bh_json_value *v) {
    const bh_json_value *child;
    long n = 1;
    int members = 0;
    bh_json_kind kind = bh_json_kind_of(v);
    FUZZ_ASSERT(kind != BH_JSON_STRING || bh_json_string(v) != NULL, "a string has text");
    for (child = bh_json_first(v); child != NULL; child = bh_json_next(child)) {
        FUZZ_ASSERT(kind != BH_JSON_OBJECT || bh_json_key(child) != NULL, "a member has a key");
        n += walk(child);
        members++;
    }
    FUZZ_ASSERT(members == bh_json_count(v), "the count is the members walked");
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_exact(data, size);
    bh_error err, claim_err;
    bh_json *values;
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    bh_status claim_st;
    if (claim == NULL || report == NULL) abort();
    memset(&err, 0, sizeof err);
    values = bh_json_parse(text, size, &err);
    claim_st = bh_claim_parse_json(claim, text, size, report, &claim_err);
    if (values == NULL) {
        FUZZ_ASSERT(err.code != BH_OK && err.id[0] != '\0' && err.message[0] != '\0',
                    "a refused text has an id and a message");
        FUZZ_ASSERT(err.code == BH_ERR_NOMEM || (claim_st == err.code &&
                    strcmp(claim_err.message, err.message) == 0 &&
                    strcmp(claim_err.id, err.id) == 0),
                    "decode refuses as check does, with the same message");
    } else {
        FUZZ_ASSERT(claim_st == BH_OK, "decode accepts what check reads");
        FUZZ_ASSERT(walk(bh_json_root(values)) > 0, "the values can be walked");
        bh_json_free(values);
    }
    bh_claim_free(claim);
    bh_report_free(report);
    free(text);
    return 0;
}
