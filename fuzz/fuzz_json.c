/*
** fuzz_json.c: any bytes -> bh_json_parse (the generic JSON reader over
** cJSON). Property: NULL comes with a described error, a tree without one.
** SPDX-License-Identifier: MIT
*/
#include <cjson/cJSON.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_exact(data, size);
    bh_error err;
    cJSON *tree;
    memset(&err, 0, sizeof err);
    tree = bh_json_parse(text, size, &err);
    if (tree == NULL) {
        FUZZ_ASSERT(err.code != BH_OK && err.id[0] != '\0' && err.message[0] != '\0',
                    "a refused text has an id and a message");
    } else {
        char *back = cJSON_PrintUnformatted(tree);
        if (back != NULL) {
            /* What cJSON prints, the reader takes back. */
            cJSON *again = bh_json_parse(back, strlen(back), &err);
            FUZZ_ASSERT(again != NULL, "a printed tree parses again");
            cJSON_Delete(again);
            cJSON_free(back);
        }
        cJSON_Delete(tree);
    }
    free(text);
    return 0;
}
