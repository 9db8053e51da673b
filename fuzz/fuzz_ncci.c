/*
** fuzz_ncci.c: any bytes -> bh_ncci_load_ptp and bh_ncci_load_mue, then
** look-ups. Properties: a failed load adds nothing (all or nothing) and
** says which line; counts grow by what a load says it added.
** SPDX-License-Identifier: MIT
*/
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_exact(data, size);
    bh_ncci *ncci = bh_ncci_new();
    size_t ptp0, mue0, added = 0;
    bh_mue_load_opts mue_opts = {20260101, NULL};
    bh_error err;
    bh_status st;
    if (ncci == NULL) abort();
    ptp0 = bh_ncci_ptp_count(ncci);
    mue0 = bh_ncci_mue_count(ncci);
    st = bh_ncci_load_ptp(ncci, text, size, "fuzz", &added, &err);
    if (st == BH_OK)
        FUZZ_ASSERT(bh_ncci_ptp_count(ncci) == ptp0 + added, "PTP count grows by added");
    else
        FUZZ_ASSERT(bh_ncci_ptp_count(ncci) == ptp0 && err.message[0] != '\0',
                    "a failed PTP load adds nothing and says why");
    added = 0;
    st = bh_ncci_load_mue(ncci, text, size, &mue_opts, &added, &err);
    if (st == BH_OK)
        FUZZ_ASSERT(bh_ncci_mue_count(ncci) == mue0 + added, "MUE count grows by added");
    else
        FUZZ_ASSERT(bh_ncci_mue_count(ncci) == mue0 && err.message[0] != '\0',
                    "a failed MUE load adds nothing and says why");
    (void)bh_ncci_find_ptp(ncci, "90853", "90785", 20260302);
    (void)bh_ncci_find_ptp(ncci, "90837", "90853", 0);
    (void)bh_ncci_find_mue(ncci, "90853", 20260302);
    (void)bh_ncci_find_mue(ncci, "H0004", 0);
    bh_ncci_free(ncci);
    free(text);
    return 0;
}
