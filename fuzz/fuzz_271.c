/*
** fuzz_271.c: libFuzzer harness for the 270/271 reader (bh_inquiry_read,
** x12_inquiry.h). Prints every tree read so ASan sees each string, checks
** that a failure says why, and that the tree is a list of sets.
** SPDX-License-Identifier: MIT
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "x12_inquiry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bh_error err;
    cJSON *sets = bh_inquiry_read(BH_INQ_ELIGIBILITY, (const char *)data, size, &err);
    char *text;
    if (sets == NULL) {
        if (err.message[0] == '\0' || err.id[0] == '\0') abort();   /* a failure says why */
        return 0;
    }
    if (!cJSON_IsArray(sets) || cJSON_GetArraySize(sets) == 0) abort();
    text = cJSON_PrintUnformatted(sets);
    free(text);
    cJSON_Delete(sets);
    return 0;
}
