/*
** fuzz_codes.c: any bytes -> every code look-up and value parser of the
** public API (ICD-10-CM, procedure, modifier, POS, NPI, TIN, taxonomy,
** date, money), each given the exact bytes and length (no terminator).
** Properties: a parsed date formats back to the same text; a parsed amount
** formats back to an amount that parses to the same cents, inside the
** stated range.
** SPDX-License-Identifier: MIT
*/
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_exact(data, size);
    bh_icd10_info icd;
    bh_procedure_info proc;
    bh_modifier_info mod;
    bh_pos_info pos;
    bh_date d = 0;
    int64_t cents = 0;
    bh_date when = size >= 3 ? 20150101 + (bh_date)((unsigned)data[0] * 7u % 130000u) : 0;
    (void)bh_icd10_lookup(s, size, when, &icd);
    FUZZ_ASSERT(strlen(icd.code) < sizeof icd.code && strlen(icd.dotted) < sizeof icd.dotted,
                "ICD-10 info strings terminated");
    (void)bh_icd10_fiscal_year(when);
    (void)bh_procedure_kind(s, size);
    if (bh_procedure_lookup(s, size, &proc)) FUZZ_ASSERT(proc.kind != BH_CODE_BAD_SHAPE,
                                                         "a known code has a shape");
    (void)bh_modifier_lookup(s, size, &mod);
    (void)bh_pos_lookup(s, size, &pos);
    (void)bh_npi_valid(s, size);
    (void)bh_tin_valid(s, size);
    (void)bh_taxonomy_valid(s, size);
    if (bh_date_parse(s, size, &d)) {
        char buf[11];
        bh_date_format(d, buf);
        FUZZ_ASSERT(size == 10 && memcmp(buf, s, 10) == 0, "a date formats back the same");
        FUZZ_ASSERT(bh_date_diff_days(d, d) == 0, "no days between a date and itself");
    }
    if (bh_money_parse(s, size, &cents)) {
        char buf[24];
        int64_t again = 0;
        FUZZ_ASSERT(cents >= -BH_MAX_CENTS && cents <= BH_MAX_CENTS, "amount within range");
        bh_money_format(cents, buf);
        FUZZ_ASSERT(bh_money_parse(buf, strlen(buf), &again) && again == cents,
                    "an amount formats back to the same cents");
    }
    free(s);
    return 0;
}
