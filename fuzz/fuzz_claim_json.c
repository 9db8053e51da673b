/*
** fuzz_claim_json.c: claim JSON text -> bh_claim_parse_json -> bh_claim_check
** with a profile that turns on every rule family, the loaded NCCI table and
** each provider kind. Properties: a syntax error leaves the report as it
** was; BH_OK claims stay within their bounded arrays.
** SPDX-License-Identifier: MIT
*/
#include "fuzz_common.h"

static void check_bounds(const bh_claim *c) {
    int i;
    FUZZ_ASSERT(c->n_lines >= 0 && c->n_lines <= BH_MAX_LINES, "n_lines in bounds");
    FUZZ_ASSERT(c->n_diagnoses >= 0 && c->n_diagnoses <= BH_MAX_DIAGNOSES,
                "n_diagnoses in bounds");
    for (i = 0; i < c->n_lines; i++) {
        FUZZ_ASSERT(c->lines[i].n_modifiers >= 0 &&
                    c->lines[i].n_modifiers <= BH_MAX_MODIFIERS, "n_modifiers in bounds");
        FUZZ_ASSERT(c->lines[i].n_dx_pointers >= 0 &&
                    c->lines[i].n_dx_pointers <= BH_MAX_POINTERS, "n_dx_pointers in bounds");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_exact(data, size);
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    bh_ncci *ncci = bh_ncci_new();
    bh_profile profile;
    bh_telehealth_profile th;
    bh_check_options opt;
    bh_error err;
    bh_status st;
    if (claim == NULL || report == NULL || ncci == NULL) abort();
    fuzz_profile(&profile, &th);
    st = bh_claim_parse_json(claim, text, size, report, &err);
    if (st == BH_ERR_SYNTAX || st == BH_ERR_LIMIT) {
        FUZZ_ASSERT(bh_report_count(report) == 0, "a syntax error adds no finding");
        FUZZ_ASSERT(err.code == st && err.message[0] != '\0', "a syntax error is described");
    } else {
        FUZZ_ASSERT(st == BH_OK, "parse status is OK, SYNTAX or LIMIT");
        check_bounds(claim);
        memset(&opt, 0, sizeof opt);
        opt.today = 20260315;
        opt.profile = &profile;
        opt.ncci = ncci;
        opt.provider_kind = (bh_provider_kind)(size % BH_PROVIDER_KIND_COUNT);
        FUZZ_ASSERT(bh_claim_check(claim, &opt, report) == BH_OK, "check succeeds");
        /* Again without a profile: the defaults' paths. */
        bh_report_reset(report);
        FUZZ_ASSERT(bh_claim_check(claim, NULL, report) == BH_OK, "check without options");
        fuzz_walk_report(report);
    }
    bh_ncci_free(ncci);
    bh_report_free(report);
    bh_claim_free(claim);
    free(text);
    return 0;
}
