/*
** test_core.c: unit tests of the C core through its public API (no Lua).
** Prints TAP ("ok N - name" / "not ok N - name") and exits non-zero on any
** failure. Built against libbhclaim.a by `make test-c` and the ASan build.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "bhclaim.h"
#include "tap.h"

static void test_dates(void) {
    bh_date d = 0;
    char buf[11];
    expect(bh_date_parse("2026-03-02", 10, &d) && d == 20260302, "date parses");
    expect(!bh_date_parse("2026-02-30", 10, &d), "Feb 30 refused");
    expect(bh_date_parse("2024-02-29", 10, &d), "leap day accepted");
    expect(!bh_date_parse("2025-02-29", 10, &d), "non-leap Feb 29 refused");
    expect(!bh_date_parse("2026-3-02", 9, &d), "short form refused");
    bh_date_format(20260302, buf);
    expect(strcmp(buf, "2026-03-02") == 0, "date formats");
    expect(bh_date_diff_days(20251231, 20260101) == 1, "diff across a year");
    expect(bh_date_diff_days(20240228, 20240301) == 2, "diff across a leap day");
}

static void test_money(void) {
    int64_t c = 0;
    char buf[24];
    expect(bh_money_parse("45.00", 5, &c) && c == 4500, "45.00");
    expect(bh_money_parse("45.5", 4, &c) && c == 4550, "45.5");
    expect(bh_money_parse("7", 1, &c) && c == 700, "7");
    expect(!bh_money_parse("4.555", 5, &c), "three decimals refused");
    expect(!bh_money_parse("4.", 2, &c), "bare point refused");
    expect(!bh_money_parse("999999999999", 12, &c), "12 integer digits refused");
    bh_money_format(-5, buf);
    expect(strcmp(buf, "-0.05") == 0, "negative cents format");
    bh_money_format(INT64_MIN, buf);
    expect(buf[0] == '-', "INT64_MIN formats without overflow");
}

static void test_identifiers(void) {
    expect(bh_npi_valid("1234567893", 10), "NPI 1234567893 valid");
    expect(bh_npi_valid("1245319599", 10), "NPI 1245319599 valid");
    expect(!bh_npi_valid("1234567890", 10), "NPI 1234567890 invalid");
    expect(!bh_npi_valid("9999999999", 10), "NPI starting with 9 invalid");
    expect(bh_tin_valid("12-3456789", 10) && bh_tin_valid("123-45-6789", 11) &&
           bh_tin_valid("123456789", 9), "TIN layouts");
    expect(!bh_tin_valid("000000000", 9) && !bh_tin_valid("12-345-6789", 11), "bad TINs");
    expect(bh_taxonomy_valid("261QM0801X", 10) && !bh_taxonomy_valid("261qm0801x", 10),
           "taxonomy shape");
}

static void test_codes(void) {
    bh_icd10_info info;
    bh_procedure_info proc;
    bh_pos_info pos;
    bh_modifier_info mod;
    expect(bh_icd10_lookup("F33.1", 5, 20260302, &info) == BH_ICD10_BILLABLE, "F33.1 billable");
    expect(bh_icd10_lookup("F33", 3, 20260302, &info) == BH_ICD10_HEADER &&
           info.category_title != NULL, "F33 header with title");
    expect(bh_icd10_lookup("QA00101", 7, 20260302, &info) == BH_ICD10_BILLABLE,
           "letter in second place (QA0)");
    expect(bh_icd10_lookup("Z68.1", 5, 20260930, &info) == BH_ICD10_BILLABLE &&
           bh_icd10_lookup("Z68.1", 5, 20261001, &info) == BH_ICD10_HEADER &&
           info.billable_in_other_year == 2026, "Z68.1 turns header in FY2027");
    expect(bh_icd10_lookup("F64A", 4, 20260930, &info) == BH_ICD10_INVALID &&
           info.billable_in_other_year == 2027, "F64.A new in FY2027");
    expect(bh_icd10_lookup("F3.31", 5, 0, &info) == BH_ICD10_INVALID, "misplaced dot");
    expect(bh_procedure_lookup("90853", 5, &proc) && proc.kind == BH_CODE_CPT_I, "90853");
    expect(bh_procedure_lookup("H0004", 5, &proc) && proc.kind == BH_CODE_HCPCS, "H0004");
    expect(bh_procedure_kind("0362T", 5) == BH_CODE_CPT_III, "Category III shape");
    expect(bh_procedure_kind("9085", 4) == BH_CODE_BAD_SHAPE, "four digits refused");
    expect(bh_pos_lookup("66", 2, &pos) && pos.from == 20240801, "POS 66 dated");
    expect(!bh_pos_lookup("28", 2, &pos), "POS 28 unassigned");
    expect(bh_modifier_lookup("95", 2, &mod) && mod.is_cpt, "modifier 95 (CPT)");
    expect(bh_modifier_lookup("HQ", 2, &mod) && !mod.is_cpt, "modifier HQ (HCPCS)");
}

static const char *clean_claim =
    "{\"id\":\"C1\",\"payer\":{\"id\":\"04412\",\"name\":\"Medicare\",\"kind\":\"medicare\"},"
    "\"billing_provider\":{\"name\":\"Clinic\",\"npi\":\"1234567893\",\"tin\":\"12-3456789\","
    "\"taxonomy\":\"261QM0801X\",\"address\":{\"line1\":\"1 Main\",\"city\":\"Columbus\","
    "\"state\":\"OH\",\"zip\":\"43215-4101\"}},"
    "\"subscriber\":{\"name\":{\"last\":\"Roe\",\"first\":\"Sam\"},\"member_id\":\"X1\","
    "\"birth_date\":\"1980-04-01\",\"sex\":\"F\",\"relationship\":\"self\","
    "\"address\":{\"line1\":\"48 Elm St\",\"city\":\"Columbus\",\"state\":\"OH\","
    "\"zip\":\"43215\"}},"
    "\"diagnoses\":[\"F33.1\"],\"place_of_service\":\"11\","
    "\"lines\":[{\"code\":\"90853\",\"units\":1,\"charge\":\"45.00\",\"date\":\"2026-03-02\","
    "\"dx_pointers\":[1]}]}";

static int has_rule(const bh_report *r, const char *rule) {
    size_t i;
    for (i = 0; i < bh_report_count(r); i++)
        if (strcmp(bh_report_get(r, i)->rule, rule) == 0) return 1;
    return 0;
}

static void test_claims(void) {
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    bh_check_options opts = {20261126, NULL, NULL, BH_PROVIDER_PRACTITIONER};
    bh_error err;
    const char *truncated = "{\"id\":\"C1\",\"lines\":[";
    expect(bh_claim_parse_json(claim, clean_claim, strlen(clean_claim), report, &err) == BH_OK &&
           bh_claim_check(claim, &opts, report) == BH_OK &&
           bh_report_count_severity(report, BH_SEV_ERROR) == 0 &&
           bh_report_count_severity(report, BH_SEV_WARNING) == 0,
           "clean claim has no error or warning");
    bh_report_reset(report);
    expect(bh_claim_parse_json(claim, truncated, strlen(truncated), report, &err) ==
               BH_ERR_SYNTAX && err.byte == (long)strlen(truncated) + 1 &&
               strcmp(err.id, "json.syntax") == 0, "truncated JSON names the end");
    expect(bh_claim_parse_json(claim, "[[[[", 4, report, &err) == BH_ERR_SYNTAX,
           "unterminated arrays");
    expect(bh_claim_parse_json(claim, "{\"a\":\"\\u0000\"}", 14, report, &err) != BH_OK &&
           strcmp(err.id, "json.nul") == 0, "escaped NUL refused");
    bh_report_reset(report);
    expect(bh_claim_parse_json(claim, "{}", 2, report, &err) == BH_OK &&
           has_rule(report, "claim.schema"), "empty object has schema findings");
    bh_report_reset(report);
    {
        char deep[2 * (BH_MAX_DEPTH + 10)];
        int i;
        for (i = 0; i < BH_MAX_DEPTH + 10; i++) {
            deep[i] = '[';
            deep[BH_MAX_DEPTH + 10 + i] = ']';
        }
        expect(bh_claim_parse_json(claim, deep, sizeof deep, report, &err) == BH_ERR_LIMIT &&
               strcmp(err.id, "json.depth") == 0, "deep nesting refused");
    }
    bh_report_free(report);
    bh_claim_free(claim);
    bh_claim_free(NULL);
    bh_report_free(NULL);
    expect(1, "NULL frees are safe");
}

int main(void) {
    test_dates();
    test_money();
    test_identifiers();
    test_codes();
    test_claims();
    return tap_done();
}
