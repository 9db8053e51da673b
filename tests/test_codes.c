/*
** test_codes.c: the code look-ups (codes.c) against the generated tables
** themselves. Every code of every table must be found through its hash
** index, and for ICD-10-CM every code, every prefix of a code and every
** near miss must get the answer a plain scan of the sorted table gives: so
** the generator's hash and codes.c's cannot drift apart unnoticed.
** Prints TAP and exits non-zero on any failure.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "core.h"
#include "tables.h"
#include "tap.h"

/* {=== a reference answer from the sorted table, by binary search === */

static const bh_icd10_code *ref_find(const char *code) {
    size_t lo = 0, hi = bh_icd10_codes_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(bh_icd10_codes[mid].code, code);
        if (c == 0) return &bh_icd10_codes[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* The status a code has in the year `bit`, by the contract of
** bh_icd10_lookup: billable, a header over billable codes, or invalid. */
static bh_icd10_status ref_status(const char *code, int bit) {
    const bh_icd10_code *c = ref_find(code);
    size_t i, n = strlen(code);
    if (c != NULL && (c->years & bit)) return BH_ICD10_BILLABLE;
    for (i = 0; i < bh_icd10_codes_count; i++) {
        const char *k = bh_icd10_codes[i].code;
        if (strncmp(k, code, n) == 0 && k[n] != '\0' && (bh_icd10_codes[i].years & bit))
            return BH_ICD10_HEADER;
    }
    return BH_ICD10_INVALID;
}

/* 1 when the look-up, and bh_icd10_billable, agree with the reference in
** both fiscal years. */
static int icd10_agrees(const char *code, bh_icd10_status want26, bh_icd10_status want27) {
    bh_icd10_info info;
    size_t n = strlen(code);
    return bh_icd10_lookup(code, n, 20260302, &info) == want26 &&
           bh_icd10_lookup(code, n, 20261102, &info) == want27 &&
           bh_icd10_billable(code, n, 20260302) == (want26 == BH_ICD10_BILLABLE) &&
           bh_icd10_billable(code, n, 20261102) == (want27 == BH_ICD10_BILLABLE);
}

static void test_icd10_every_code(void) {
    size_t i, bad = 0;
    for (i = 0; i < bh_icd10_codes_count; i++) {
        const bh_icd10_code *c = &bh_icd10_codes[i];
        bh_icd10_info info;
        int y26 = bh_icd10_lookup(c->code, strlen(c->code), 20260302, &info);
        int y27 = bh_icd10_lookup(c->code, strlen(c->code), 20261102, &info);
        if ((c->years & BH_FY2026) && y26 != BH_ICD10_BILLABLE) bad++;
        if ((c->years & BH_FY2027) && y27 != BH_ICD10_BILLABLE) bad++;
        if (bh_icd10_billable(c->code, strlen(c->code), 20260302) != (y26 == BH_ICD10_BILLABLE) ||
            bh_icd10_billable(c->code, strlen(c->code), 20261102) != (y27 == BH_ICD10_BILLABLE))
            bad++;
    }
    expect(bad == 0, "every ICD-10-CM table code is billable in its years, by both look-ups");
}

/* The forms a claim may give a code in: the dot, lower case, junk. */
static void test_icd10_billable_forms(void) {
    expect(bh_icd10_billable("F43.10", 6, 20260302) && bh_icd10_billable("f4310", 5, 20260302),
           "bh_icd10_billable takes the dot and lower case");
    expect(!bh_icd10_billable("F43", 3, 20260302) && !bh_icd10_billable("F43.", 4, 20260302),
           "bh_icd10_billable: a category is not billable");
    expect(!bh_icd10_billable(NULL, 0, 20260302) && !bh_icd10_billable("", 0, 20260302) &&
               !bh_icd10_billable("F43.10.1", 8, 20260302) &&
               !bh_icd10_billable("29630", 5, 20260302),
           "bh_icd10_billable: no code, too long, or ICD-9 shaped is not billable");
}

/* Prefixes of a sample of codes (headers or nothing) and codes with a last
** character that is not in the table: the scan's answer, both years. */
static void test_icd10_near_misses(void) {
    size_t i, bad = 0, tried = 0;
    for (i = 0; i < bh_icd10_codes_count; i += 97) {
        char code[8];
        size_t n = strlen(bh_icd10_codes[i].code);
        memcpy(code, bh_icd10_codes[i].code, n + 1);
        code[n - 1] = code[n - 1] == 'Z' ? '0' : 'Z';
        if (!icd10_agrees(code, ref_status(code, BH_FY2026), ref_status(code, BH_FY2027))) bad++;
        code[n - 1] = '\0';
        if (n > 3 && !icd10_agrees(code, ref_status(code, BH_FY2026),
                                   ref_status(code, BH_FY2027)))
            bad++;
        tried++;
    }
    expect(tried > 700 && bad == 0, "ICD-10-CM prefixes and near misses answer as the table says");
}

static void test_icd10_titles_and_categories(void) {
    size_t i, bad = 0;
    bh_icd10_info info;
    for (i = 0; i < bh_icd10_categories_count; i++) {
        const bh_icd10_category *cat = &bh_icd10_categories[i];
        bh_icd10_lookup(cat->code, 3, 20260302, &info);
        if (info.category_title != cat->title) bad++;
    }
    expect(bad == 0, "every ICD-10-CM category has its title");
    for (i = 0, bad = 0; i < bh_icd10_titles_count; i++) {
        const bh_icd10_title *t = &bh_icd10_titles[i];
        const bh_icd10_title *first = t;
        int year_bit = t->years & BH_FY2026 ? BH_FY2026 : BH_FY2027;
        while (first > bh_icd10_titles && strcmp(first[-1].code, t->code) == 0) first--;
        /* the first row of the code that applies to the year wins */
        while (!(first->years & year_bit)) first++;
        bh_icd10_lookup(t->code, strlen(t->code), year_bit == BH_FY2026 ? 20260302 : 20261102,
                        &info);
        if (strlen(t->code) > 3 && info.description != first->title) bad++;
    }
    expect(bad == 0, "every ICD-10-CM code title is found for its year");
}

static void test_procedures(void) {
    size_t i, bad = 0;
    bh_procedure_info info;
    bh_modifier_info m;
    bh_pos_info p;
    for (i = 0; i < bh_hcpcs_codes_count; i++)
        if (!bh_procedure_lookup(bh_hcpcs_codes[i].code, 5, &info) ||
            info.description != bh_hcpcs_codes[i].long_description)
            bad++;
    expect(bad == 0, "every HCPCS Level II code is found");
    for (i = 0, bad = 0; i < bh_cpt_codes_count; i++)
        if (!bh_procedure_lookup(bh_cpt_codes[i].code, 5, &info) ||
            info.description != bh_cpt_codes[i].description)
            bad++;
    expect(bad == 0, "every catalogued CPT code is found");
    for (i = 0, bad = 0; i < bh_modifiers_count; i++)
        if (!bh_modifier_lookup(bh_modifiers[i].code, 2, &m) ||
            m.description != bh_modifiers[i].description)
            bad++;
    expect(bad == 0, "every modifier is found");
    for (i = 0, bad = 0; i < bh_pos_codes_count; i++)
        if (!bh_pos_lookup(bh_pos_codes[i].code, 2, &p) || p.name != bh_pos_codes[i].name)
            bad++;
    expect(bad == 0, "every place of service is found");
    expect(!bh_procedure_lookup("Z9999", 5, &info) && info.kind == BH_CODE_HCPCS &&
           !bh_procedure_lookup("99999", 5, &info) && !bh_modifier_lookup("Q!", 2, &m) &&
           !bh_pos_lookup("00", 2, &p) && !bh_pos_lookup("98", 2, &p),
           "codes not in the tables are not found");
}

int main(void) {
    test_icd10_every_code();
    test_icd10_near_misses();
    test_icd10_billable_forms();
    test_icd10_titles_and_categories();
    test_procedures();
    return tap_done();
}
