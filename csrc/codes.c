/*
** codes.c: look-ups in the compiled code sets: ICD-10-CM by fiscal year,
** CPT and HCPCS Level II procedure codes, modifiers, places of service.
** Each generated table (csrc/data/) comes with a hash index, so a code is
** found with one hash and a probe or two; the tables stay sorted for the
** prefix scans a header code needs. No I/O.
** Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <string.h>
#include "core.h"
#include "tables.h"

/* Binary search over an array of records whose first member is a
** NUL-terminated code; returns the index of the first record >= key. */
static size_t lower_bound(const void *base, size_t count, size_t size, const char *key) {
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *code = (const char *)base + mid * size;
        if (strcmp(code, key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The generator's hash (scripts/gen_tables.lua, code_hash): the two must
** agree, which tests/test_codes.c checks by finding every table code. */
static uint32_t code_hash(const char *key, uint32_t n_slots) {
    uint32_t h = 0;
    for (; *key != '\0'; key++) h = (h * 131u + (unsigned char)*key) % n_slots;
    return h;
}

/* The first record of the table whose code (its first member) is key, found
** through the table's index; NULL when absent. */
static const void *find_exact(const bh_code_index *index, const void *base, size_t size,
                              const char *key) {
    uint32_t s = code_hash(key, index->n_slots);
    for (;;) {
        uint32_t row = index->slots[s];
        const char *code;
        if (row == 0) return NULL;
        code = (const char *)base + (size_t)(row - 1) * size;
        if (bh_streq(code, key)) return code;
        s = s + 1 == index->n_slots ? 0 : s + 1;
    }
}

/* {====================================================================
** ICD-10-CM
** ===================================================================== */

/* FY2026 covers 2025-10-01..2026-09-30 and FY2027 2026-10-01..2027-09-30
** (ICD-10-CM fiscal years start on October 1; data/PROVENANCE.md). */
#define FY2026_START 20251001
#define FY2027_START 20261001
#define FY2028_START 20271001

int bh_icd10_fiscal_year(bh_date date) {
    return date != 0 && date < FY2027_START ? 2026 : 2027;
}

static int year_bit(int fiscal_year) {
    return fiscal_year == 2026 ? BH_FY2026 : BH_FY2027;
}

/* Upper-cases and removes the dot (only after the third character, where
** ICD-10-CM puts it). Returns the length, or 0 when it cannot be a code. */
static size_t icd10_normalise(const char *code, size_t len, char out[8]) {
    size_t i, n = 0;
    for (i = 0; i < len; i++) {
        char c = code[i];
        if (c == '.' && n == 3 && i == 3) continue;
        if (n == 7) return 0;
        c = BH_TO_UPPER(c);
        if (!BH_IS_UPPER(c) && !BH_IS_DIGIT(c)) return 0;
        out[n++] = c;
    }
    out[n] = '\0';
    /* A letter, then two letters or digits, then up to four more: the
    ** second character may be a letter (QA0 in FY2026). */
    if (n < 3 || !BH_IS_UPPER(out[0])) return 0;
    return n;
}

/* The years (BH_FY* bits) in which some billable code extends the prefix:
** a prefix scan of the sorted table. */
static int billable_under(const char *prefix, size_t n) {
    size_t i = lower_bound(bh_icd10_codes, bh_icd10_codes_count,
                           sizeof bh_icd10_codes[0], prefix);
    int years = 0;
    for (; i < bh_icd10_codes_count; i++) {
        const bh_icd10_code *c = &bh_icd10_codes[i];
        if (strncmp(c->code, prefix, n) != 0) break;
        if (c->code[n] != '\0') years |= c->years;
    }
    return years;
}

/* What a normalised code is in each year: `billable` and `under` are the
** BH_FY* bits of the code itself and of the codes extending it. */
typedef struct icd10_years {
    int billable, under;
} icd10_years;

static icd10_years icd10_years_of(const char *code, size_t n) {
    const bh_icd10_code *c = find_exact(&bh_icd10_codes_index, bh_icd10_codes,
                                        sizeof bh_icd10_codes[0], code);
    icd10_years y;
    y.billable = c != NULL ? c->years : 0;
    /* The scan is needed only for a year the code is not billable in. */
    y.under = y.billable == (BH_FY2026 | BH_FY2027) ? 0 : billable_under(code, n);
    return y;
}

static bh_icd10_status status_in_year(icd10_years y, int bit) {
    if (y.billable & bit) return BH_ICD10_BILLABLE;
    return y.under & bit ? BH_ICD10_HEADER : BH_ICD10_INVALID;
}

static const char *icd10_title(const char *code, int bit) {
    const bh_icd10_title *t = find_exact(&bh_icd10_titles_index, bh_icd10_titles,
                                         sizeof bh_icd10_titles[0], code);
    const bh_icd10_title *end = bh_icd10_titles + bh_icd10_titles_count;
    for (; t != NULL && t < end && bh_streq(t->code, code); t++)
        if (t->years & bit) return t->title;
    return NULL;
}

int bh_icd10_billable(const char *code, size_t len, bh_date date) {
    char key[8];
    const bh_icd10_code *c;
    if (code == NULL || icd10_normalise(code, len, key) == 0) return 0;
    c = find_exact(&bh_icd10_codes_index, bh_icd10_codes, sizeof bh_icd10_codes[0], key);
    return c != NULL && (c->years & year_bit(bh_icd10_fiscal_year(date))) != 0;
}

bh_icd10_status bh_icd10_lookup(const char *code, size_t len, bh_date date,
                                bh_icd10_info *info) {
    size_t n;
    int bit, other_year, other_bit;
    icd10_years years;
    memset(info, 0, sizeof *info);
    info->fiscal_year = bh_icd10_fiscal_year(date);
    info->in_range = date == 0 || (date >= FY2026_START && date < FY2028_START);
    if (code == NULL || (n = icd10_normalise(code, len, info->code)) == 0) {
        info->code[0] = '\0';     /* not a code: leave no half-normalised text */
        info->status = BH_ICD10_INVALID;
        return info->status;
    }
    memcpy(info->dotted, info->code, 3);
    if (n > 3) {
        info->dotted[3] = '.';
        memcpy(info->dotted + 4, info->code + 3, n - 3 + 1);
    } else {
        info->dotted[3] = '\0';
    }
    bit = year_bit(info->fiscal_year);
    other_year = info->fiscal_year == 2026 ? 2027 : 2026;
    other_bit = year_bit(other_year);
    years = icd10_years_of(info->code, n);
    info->status = status_in_year(years, bit);
    switch (status_in_year(years, other_bit)) {
    case BH_ICD10_BILLABLE: info->billable_in_other_year = other_year; break;
    case BH_ICD10_HEADER: info->header_in_other_year = other_year; break;
    default: break;
    }
    info->description = icd10_title(info->code, bit);
    {
        char category[4];
        const bh_icd10_category *cat;
        memcpy(category, info->code, 3);
        category[3] = '\0';
        cat = find_exact(&bh_icd10_categories_index, bh_icd10_categories,
                         sizeof bh_icd10_categories[0], category);
        if (cat != NULL) info->category_title = cat->title;
        if (n == 3 && info->description == NULL && info->status != BH_ICD10_INVALID)
            info->description = info->category_title;
    }
    return info->status;
}

/* {====================================================================
** Procedure codes, modifiers, places of service
** ===================================================================== */

bh_code_kind bh_procedure_kind(const char *code, size_t len) {
    size_t i;
    if (code == NULL || len != 5) return BH_CODE_BAD_SHAPE;
    for (i = 1; i < 4; i++)
        if (!BH_IS_DIGIT(code[i])) return BH_CODE_BAD_SHAPE;
    if (BH_IS_UPPER(code[0])) return BH_IS_DIGIT(code[4]) ? BH_CODE_HCPCS : BH_CODE_BAD_SHAPE;
    if (!BH_IS_DIGIT(code[0])) return BH_CODE_BAD_SHAPE;
    if (BH_IS_DIGIT(code[4])) return BH_CODE_CPT_I;
    if (code[4] == 'F') return BH_CODE_CPT_II;
    if (code[4] == 'T') return BH_CODE_CPT_III;
    return BH_CODE_BAD_SHAPE;
}

int bh_procedure_lookup(const char *code, size_t len, bh_procedure_info *info) {
    char key[6];
    memset(info, 0, sizeof *info);
    info->kind = bh_procedure_kind(code, len);
    if (info->kind == BH_CODE_BAD_SHAPE) return 0;
    memcpy(key, code, 5);
    key[5] = '\0';
    if (info->kind == BH_CODE_HCPCS) {
        const bh_hcpcs_code *h = find_exact(&bh_hcpcs_codes_index, bh_hcpcs_codes,
                                            sizeof bh_hcpcs_codes[0], key);
        if (h == NULL) return 0;
        info->known = 1;
        info->description = h->long_description;
        info->short_description = h->short_description;
        info->source = "CMS HCPCS Level II, January 2026";
    } else {
        const bh_cpt_code *c = find_exact(&bh_cpt_codes_index, bh_cpt_codes,
                                          sizeof bh_cpt_codes[0], key);
        if (c == NULL) return 0;
        info->known = 1;
        info->addon = c->addon;
        info->from = c->from;
        info->to = c->to;
        info->description = c->description;
        info->source = c->source;
    }
    return 1;
}

/* Copies a two-character code into a NUL-terminated key; 0 if not two. */
static int two_char_key(const char *code, size_t len, char key[3]) {
    if (code == NULL || len != 2) return 0;
    key[0] = code[0];
    key[1] = code[1];
    key[2] = '\0';
    return 1;
}

int bh_modifier_lookup(const char *code, size_t len, bh_modifier_info *info) {
    char key[3];
    const bh_modifier *m;
    memset(info, 0, sizeof *info);
    if (!two_char_key(code, len, key)) return 0;
    m = find_exact(&bh_modifiers_index, bh_modifiers, sizeof bh_modifiers[0], key);
    if (m == NULL) return 0;
    info->known = 1;
    info->is_cpt = m->is_cpt;
    info->description = m->description;
    info->source = m->source;
    return 1;
}

int bh_pos_lookup(const char *code, size_t len, bh_pos_info *info) {
    char key[3];
    const bh_pos *p;
    memset(info, 0, sizeof *info);
    if (!two_char_key(code, len, key)) return 0;
    p = find_exact(&bh_pos_codes_index, bh_pos_codes, sizeof bh_pos_codes[0], key);
    if (p == NULL) return 0;
    info->known = 1;
    info->name = p->name;
    info->from = p->from;
    info->telehealth = p->telehealth;
    info->source = p->source;
    return 1;
}

/* {====================================================================
** Identifiers
** ===================================================================== */

int bh_npi_valid(const char *s, size_t len) {
    /* Luhn over "80840" + the first nine digits: the prefix contributes the
    ** constant 24 (CMS NPI check-digit rule; rules-reference 7.3). */
    int sum = 24, i;
    if (s == NULL || len != 10) return 0;
    for (i = 0; i < 10; i++)
        if (!BH_IS_DIGIT(s[i])) return 0;
    if (s[0] != '1' && s[0] != '2') return 0;
    for (i = 8; i >= 0; i--) {
        int d = s[i] - '0';
        if ((8 - i) % 2 == 0) {     /* rightmost of the nine is doubled */
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return (10 - sum % 10) % 10 == s[9] - '0';
}

int bh_tin_valid(const char *s, size_t len) {
    char digits[9];
    size_t i, n = 0;
    if (s == NULL) return 0;
    /* Bare, EIN (XX-XXXXXXX) or SSN (XXX-XX-XXXX): rules-reference 7.4. */
    if (len == 10 && s[2] != '-') return 0;
    if (len == 11 && (s[3] != '-' || s[6] != '-')) return 0;
    if (len != 9 && len != 10 && len != 11) return 0;
    for (i = 0; i < len; i++) {
        if (s[i] == '-' && (len == 10 ? i == 2 : (i == 3 || i == 6))) continue;
        if (!BH_IS_DIGIT(s[i])) return 0;
        digits[n++] = s[i];
    }
    if (n != 9) return 0;
    for (i = 0; i < 9; i++)
        if (digits[i] != '0') return 1;
    return 0;
}

int bh_taxonomy_valid(const char *s, size_t len) {
    size_t i;
    /* NUCC codes: nine upper-case letters or digits and a final X
    ** (rules-reference 7.5). */
    if (s == NULL || len != 10 || s[9] != 'X') return 0;
    for (i = 0; i < 9; i++)
        if (!BH_IS_UPPER(s[i]) && !BH_IS_DIGIT(s[i])) return 0;
    return 1;
}
