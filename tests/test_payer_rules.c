/*
** test_payer_rules.c: the rules catalogue, credential reading and
** matching, and the keys of the rules across claims, through the public C
** API. TAP output; exits non-zero on any failure.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "bhclaim.h"
#include "tap.h"

static int same(const char *a, const char *b) {
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static void test_catalogue(void) {
    size_t n, i, j;
    const bh_rule_denial *rows = bh_rules_catalog(&n);
    const bh_rule_denial *row;
    int unique = 1, sourced = 1, coherent = 1;
    expect(n > 40, "catalogue holds the rules");
    for (i = 0; i < n; i++) {
        if (rows[i].source == NULL || rows[i].source[0] == '\0') sourced = 0;
        if ((rows[i].group == NULL) != (rows[i].carc == NULL)) coherent = 0;
        if (rows[i].group == NULL && rows[i].rarc != NULL) coherent = 0;
        for (j = 0; j < i; j++)
            if (same(rows[i].rule, rows[j].rule) &&
                ((rows[i].path == NULL && rows[j].path == NULL) ||
                 same(rows[i].path, rows[j].path)))
                unique = 0;
    }
    expect(unique, "one row per rule and path");
    expect(sourced, "every row names its source");
    expect(coherent, "group and CARC together, RARC only with them");
    row = bh_rule_denial_find("npi.checksum", "billing_provider.npi");
    expect(row != NULL && same(row->rarc, "N257"), "billing NPI: N257");
    row = bh_rule_denial_find("npi.checksum", "rendering_provider.npi");
    expect(row != NULL && same(row->rarc, "N290"), "rendering NPI: N290");
    row = bh_rule_denial_find("npi.checksum", "somewhere.else");
    expect(row != NULL && row->path == NULL, "another path: the general row");
    row = bh_rule_denial_find("claim.timely_filing", NULL);
    expect(row != NULL && same(row->carc, "29") && row->rarc == NULL, "timely filing: CO-29");
    expect(bh_rule_denial_find("practice.custom", NULL) == NULL, "custom rule: none");
    expect(bh_rule_denial_find(NULL, NULL) == NULL, "NULL rule: none");
}

static void test_credential_parse(void) {
    bh_credential_parsed p;
    char many[200] = "";
    int i;
    expect(bh_credential_parse("APRN, PMHNP-BC", &p) == 2 &&
           p.tokens[0].cls == BH_LICENCE_NURSE_PRACTITIONER &&
           p.tokens[1].cls == BH_LICENCE_NURSE_PRACTITIONER, "APRN, PMHNP-BC");
    expect(bh_credential_parse("lcsw-r", &p) == 1 &&
           p.tokens[0].cls == BH_LICENCE_CLINICAL_SOCIAL_WORKER, "lower case with suffix");
    expect(bh_credential_parse("LPC-A", &p) == 1 && p.tokens[0].cls == BH_LICENCE_SUPERVISED,
           "associate suffix");
    expect(bh_credential_parse("Ph. D.", &p) == 1 && p.tokens[0].cls == BH_LICENCE_PSYCHOLOGIST,
           "Ph. D. with a space");
    expect(bh_credential_parse("MSW/NCC", &p) == 2 && p.tokens[0].kind == BH_CREDENTIAL_DEGREE &&
           p.tokens[1].kind == BH_CREDENTIAL_CERTIFICATION, "degree and certification");
    expect(bh_credential_parse(NULL, &p) == 0 && bh_credential_parse(" ,;/ ", &p) == 0,
           "nothing to read");
    for (i = 0; i < 12; i++) strcat(many, "LCSW, ");
    expect(bh_credential_parse(many, &p) == BH_CREDENTIAL_MAX_TOKENS && p.dropped == 4,
           "pieces past the limit are counted");
    expect(bh_credential_parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789", &p) == 1 &&
           p.tokens[0].kind == BH_CREDENTIAL_UNKNOWN, "an overlong piece is unknown, not cut or overrun");
    expect(bh_credential_table_sorted(), "abbreviations sorted for the binary search");
    expect(same(bh_licence_class_name(BH_LICENCE_MFT), "marriage_family_therapist") &&
           same(bh_licence_class_name((bh_licence_class)99), "none"), "class names");
}

/* The same verdicts whether the entries are read per match or prepared
** once (bh_credential_prepare, as a compiled profile's are). */
static void credential_verdicts(int prepared) {
    bh_credential accepted[3];
    bh_credential_result r;
    int i;
    memset(accepted, 0, sizeof accepted);
    accepted[0].credential = "LCSW";
    accepted[0].modifier = "HO";
    accepted[1].credential = "LMFT";
    accepted[1].from = 20240101;
    accepted[2].credential = "QMHP";
    for (i = 0; prepared && i < 3; i++) bh_credential_prepare(&accepted[i]);
    expect(!prepared || (accepted[0].prepared && accepted[0].token.cls ==
                         BH_LICENCE_CLINICAL_SOCIAL_WORKER && accepted[2].prepared &&
                         accepted[2].token.kind == BH_CREDENTIAL_UNKNOWN),
           "prepared entries hold their reading");
    expect(bh_credential_match(accepted, 3, "LISW-S", 20260302, &r) == BH_CREDENTIAL_ELIGIBLE &&
           r.entry == &accepted[0], "LISW-S matches LCSW by class");
    expect(bh_credential_match(accepted, 3, "LMFT", 20231231, &r) == BH_CREDENTIAL_NOT_YET &&
           r.not_before == 20240101, "from date honoured");
    expect(bh_credential_match(accepted, 3, "LMFT", 20240101, &r) == BH_CREDENTIAL_ELIGIBLE,
           "on the from date");
    expect(bh_credential_match(accepted, 3, "PsyD", 20260302, &r) ==
           BH_CREDENTIAL_NOT_ELIGIBLE && r.cls == BH_LICENCE_PSYCHOLOGIST,
           "recognised, not accepted");
    expect(bh_credential_match(accepted, 3, "Q.M.H.P.", 20260302, &r) == BH_CREDENTIAL_ELIGIBLE,
           "an unrecognised entry matches by text");
    expect(bh_credential_match(accepted, 3, "MA", 20260302, &r) == BH_CREDENTIAL_DEGREE_ONLY,
           "a degree alone");
    expect(bh_credential_match(accepted, 3, "NCC", 20260302, &r) == BH_CREDENTIAL_DEGREE_ONLY,
           "a certification alone");
    expect(bh_credential_match(accepted, 3, "XYZ", 20260302, &r) == BH_CREDENTIAL_UNRECOGNISED,
           "not recognised");
    expect(bh_credential_match(accepted, 3, "MA, XYZ", 20260302, &r) ==
           BH_CREDENTIAL_UNRECOGNISED, "a degree beside an unknown piece: not recognised");
    expect(bh_credential_match(NULL, 0, "LCSW", 0, &r) == BH_CREDENTIAL_NOT_ELIGIBLE,
           "an empty list accepts no licence");
}

static void test_credential_match(void) {
    credential_verdicts(0);
    credential_verdicts(1);
}

static void test_code_classes(void) {
    const bh_code_classes *c = bh_code_classes_find("99213");
    expect(c != NULL && (c->classes & (1u << BH_LICENCE_NURSE_PRACTITIONER)) &&
           !(c->classes & (1u << BH_LICENCE_CLINICAL_SOCIAL_WORKER)), "E/M: prescribers");
    c = bh_code_classes_find("90836");
    expect(c != NULL && !c->unconfirmed, "90836: prescribers, confirmed");
    c = bh_code_classes_find("96136");
    expect(c != NULL && c->unconfirmed && (c->classes & (1u << BH_LICENCE_PSYCHOLOGIST)),
           "testing: psychologists, unconfirmed");
    expect(bh_code_classes_find("90853") == NULL && bh_code_classes_find("99201") == NULL &&
           bh_code_classes_find(NULL) == NULL, "other codes: any licence");
}

static const char *const CLAIM_A =
    "{\"id\":\"A\",\"subscriber\":{\"name\":{\"last\":\"O'Neil\",\"first\":\"Sam\"},"
    "\"member_id\":\"1eg-4te\",\"birth_date\":\"1980-04-01\",\"sex\":\"F\","
    "\"relationship\":\"self\"},\"lines\":[{\"code\":\"90853\",\"modifiers\":[\"HQ\",\"HO\"],"
    "\"date\":\"2026-03-02\"}]}";
static const char *const CLAIM_B =
    "{\"id\":\"B\",\"subscriber\":{\"name\":{\"last\":\"ONEIL\",\"first\":\"sam\"},"
    "\"member_id\":\"1EG4TE\",\"birth_date\":\"1980-04-01\",\"sex\":\"F\","
    "\"relationship\":\"self\"},\"lines\":[{\"code\":\"90853\",\"modifiers\":[\"HO\",\"HQ\"],"
    "\"date\":\"2026-03-02\"}]}";

static void test_keys(void) {
    bh_claim *a = bh_claim_new(), *b = bh_claim_new();
    bh_report *r = bh_report_new();
    char ka[256], kb[256], la[256], lb[256];
    if (a == NULL || b == NULL || r == NULL) {
        expect(0, "allocation");
        return;
    }
    bh_claim_parse_json(a, CLAIM_A, strlen(CLAIM_A), r, NULL);
    bh_claim_parse_json(b, CLAIM_B, strlen(CLAIM_B), r, NULL);
    expect(bh_claim_patient_key(a, ka, sizeof ka) > 0 && bh_claim_patient_key(b, kb, sizeof kb) > 0
           && strcmp(ka, kb) == 0, "patient keys ignore case and punctuation");
    expect(bh_line_key(&a->lines[0], la, sizeof la) > 0 && bh_line_key(&b->lines[0], lb, sizeof lb) > 0
           && strcmp(la, lb) == 0, "line keys ignore modifier order");
    expect(bh_claim_patient_key(a, ka, 4) < 4 && ka[3] == '\0', "a short buffer is cut safely");
    bh_claim_reset(b);
    expect(bh_claim_patient_key(b, kb, sizeof kb) == 0 && kb[0] == '\0', "no member id: no key");
    bh_claim_free(a);
    bh_claim_free(b);
    bh_report_free(r);
}

static size_t count_rule(const bh_report *r, const char *rule) {
    size_t i, n = 0;
    for (i = 0; i < bh_report_count(r); i++)
        if (strcmp(bh_report_get(r, i)->rule, rule) == 0) n++;
    return n;
}

/* The first finding of a rule, or NULL. */
static const bh_finding *first_of(const bh_report *r, const char *rule) {
    size_t i;
    for (i = 0; i < bh_report_count(r); i++)
        if (strcmp(bh_report_get(r, i)->rule, rule) == 0) return bh_report_get(r, i);
    return NULL;
}

/* A zero-initialised profile sets no filing limit; a set one counts. */
static void test_timely_filing(void) {
    bh_claim *c = bh_claim_new();
    bh_report *r = bh_report_new();
    bh_profile p;
    bh_check_options o;
    if (c == NULL || r == NULL) {
        expect(0, "allocation");
        return;
    }
    memset(&p, 0, sizeof p);
    memset(&o, 0, sizeof o);
    o.profile = &p;
    o.today = 20300101;
    bh_claim_parse_json(c, CLAIM_A, strlen(CLAIM_A), r, NULL);
    bh_report_reset(r);
    bh_claim_check(c, &o, r);
    expect(count_rule(r, "claim.timely_filing") == 0, "zeroed profile: no filing limit");
    p.timely_filing.value = 12;
    bh_report_reset(r);
    bh_claim_check(c, &o, r);
    expect(count_rule(r, "claim.timely_filing") == 1, "12 months: late in 2030");
    o.today = 20270302;
    bh_report_reset(r);
    bh_claim_check(c, &o, r);
    expect(count_rule(r, "claim.timely_filing") == 1 &&
           first_of(r, "claim.timely_filing")->severity == BH_SEV_WARNING,
           "the anniversary: in time, with a warning");
    bh_claim_free(c);
    bh_report_free(r);
}

int main(void) {
    test_catalogue();
    test_credential_parse();
    test_credential_match();
    test_code_classes();
    test_keys();
    test_timely_filing();
    return tap_done();
}
