/*
** test_names.c: tests of the name tables (csrc/names.c): each enumeration's
** names read back to their values, "unknown" (an absent field) is no input
** name, out-of-range values print as "unknown", and the readers that carry
** the names (claim JSON, 837P) take them from the tables.
** Prints TAP and exits 1 on any failure.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "bhclaim.h"
#include "tap.h"

static int count(const char *const *names) {
    int n = 0;
    while (names[n] != NULL) n++;
    return n;
}

static void test_round_trips(void) {
    int i, ok = 1;
    for (i = BH_PAYER_MEDICARE; i < BH_PAYER_KIND_COUNT; i++) {
        bh_payer_kind k;
        const char *name = bh_payer_kind_name((bh_payer_kind)i);
        ok = ok && bh_payer_kind_parse(name, strlen(name), &k) && (int)k == i;
    }
    expect(ok && count(bh_payer_kind_names) == BH_PAYER_KIND_COUNT, "payer kinds round trip");
    for (ok = 1, i = BH_MODALITY_IN_PERSON; i < BH_MODALITY_COUNT; i++) {
        bh_modality m;
        const char *name = bh_modality_name((bh_modality)i);
        ok = ok && bh_modality_parse(name, strlen(name), &m) && (int)m == i;
    }
    expect(ok && count(bh_modality_names) == BH_MODALITY_COUNT, "modalities round trip");
    for (ok = 1, i = 0; i < BH_PROVIDER_KIND_COUNT; i++) {
        bh_provider_kind p;
        const char *name = bh_provider_kind_name((bh_provider_kind)i);
        ok = ok && bh_provider_kind_parse(name, strlen(name), &p) && (int)p == i;
    }
    expect(ok && count(bh_provider_kind_names) == BH_PROVIDER_KIND_COUNT,
           "provider kinds round trip");
    expect(count(bh_patient_location_names) == BH_LOCATION_COUNT &&
           strcmp(bh_patient_location_name(BH_LOCATION_FACILITY), "facility") == 0,
           "patient locations are listed in enum order");
}

static void test_unknown(void) {
    bh_payer_kind k = BH_PAYER_OTHER;
    bh_modality m = BH_MODALITY_VIDEO;
    expect(!bh_payer_kind_parse("unknown", 7, &k) && k == BH_PAYER_OTHER &&
           !bh_modality_parse("unknown", 7, &m) && m == BH_MODALITY_VIDEO,
           "\"unknown\" is not an input name");
    expect(!bh_payer_kind_parse("medicar", 7, &k) && !bh_payer_kind_parse("medicaree", 9, &k) &&
           !bh_payer_kind_parse(NULL, 0, &k), "a near name is refused");
    expect(strcmp(bh_payer_kind_name((bh_payer_kind)99), "unknown") == 0 &&
           strcmp(bh_modality_name((bh_modality)-1), "unknown") == 0 &&
           strcmp(bh_payer_kind_name(BH_PAYER_UNKNOWN), "unknown") == 0,
           "an out-of-range value prints as unknown");
    expect(bh_name_index(bh_payer_kind_names, "medicaid", 8) == BH_PAYER_MEDICAID &&
           bh_name_index(bh_payer_kind_names, "medicaid", 7) == -1, "bh_name_index");
}

/* "a, b or c" from the input names of a table (from index first on). */
static void choices(const char *const *names, int first, char *out, size_t size) {
    int i, n = count(names);
    size_t len = 0;
    out[0] = '\0';
    for (i = first; i < n; i++) {
        const char *sep = i == first ? "" : i == n - 1 ? " or " : ", ";
        len += (size_t)snprintf(out + len, size - len, "%s%s", sep, names[i]);
    }
}

static void test_choices(void) {
    char text[128];
    int ok;
    choices(bh_payer_kind_names, BH_PAYER_MEDICARE, text, sizeof text);
    ok = strcmp(text, bh_payer_kind_choices) == 0;
    choices(bh_patient_location_names, BH_LOCATION_HOME, text, sizeof text);
    ok = ok && strcmp(text, bh_patient_location_choices) == 0;
    choices(bh_modality_names, BH_MODALITY_IN_PERSON, text, sizeof text);
    ok = ok && strcmp(text, bh_modality_choices) == 0;
    expect(ok, "the messages' lists of names are the tables'");
}

/* The claim reader takes its payer kinds and modalities from the tables. */
static void test_claim_reader(void) {
    static const char claim_json[] =
        "{\"payer\":{\"kind\":\"commercial\"},\"session\":{\"modality\":\"audio_only\","
        "\"patient_location\":\"facility\"}}";
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    bh_error err;
    expect(claim != NULL && report != NULL &&
           bh_claim_parse_json(claim, claim_json, sizeof claim_json - 1, report, &err) == BH_OK &&
           claim->payer.kind == BH_PAYER_COMMERCIAL &&
           claim->session.modality == BH_MODALITY_AUDIO_ONLY,
           "the claim reader reads the table names");
    bh_claim_free(claim);
    bh_report_free(report);
}

int main(void) {
    test_round_trips();
    test_unknown();
    test_choices();
    test_claim_reader();
    return tap_done();
}
