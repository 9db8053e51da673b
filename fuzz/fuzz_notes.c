/*
** fuzz_notes.c: the session path's note comparison. The input is split at
** NUL bytes: the first part is a list of names (one per line), the rest are
** notes; bh_notes_compare runs over them and bh_note_similarity over the
** first two. Properties: similarities lie in [0, 1], pairs are i < j < n,
** and the pairwise call agrees with the single one.
** SPDX-License-Identifier: MIT
*/
#include <math.h>
#include "fuzz_common.h"

#define MAX_NOTES 32
#define MAX_NAMES 8

typedef struct seen {
    int n;
    int pairs;
    double first_pair;  /* similarity found for (0, 1), -1 if not reported */
} seen;

static void found(int i, int j, double similarity, void *ctx) {
    seen *s = ctx;
    FUZZ_ASSERT(i >= 0 && i < j && j < s->n, "pair indices in order and range");
    FUZZ_ASSERT(similarity >= 0.0 && similarity <= 1.0, "similarity in [0, 1]");
    if (i == 0 && j == 1) s->first_pair = similarity;
    s->pairs++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_cstring(data, size);
    const char *parts[MAX_NOTES + 1];
    const char *names[MAX_NAMES];
    int n_parts = 0, n_names = 0, n_notes;
    size_t i, start = 0;
    double threshold = size > 0 ? (double)(data[0] % 11) / 10.0 : 0.5;
    seen s;
    bh_notes_compare_opts opts;
    /* split at NUL bytes */
    for (i = 0; i <= size && n_parts <= MAX_NOTES; i++) {
        if (i == size || text[i] == '\0') {
            parts[n_parts++] = text + start;
            start = i + 1;
        }
    }
    /* names: the lines of the first part, cut in place */
    {
        char *p = (char *)parts[0];
        while (*p != '\0' && n_names < MAX_NAMES) {
            char *nl = strchr(p, '\n');
            names[n_names++] = p;
            if (nl == NULL) break;
            *nl = '\0';
            p = nl + 1;
        }
    }
    n_notes = n_parts - 1;
    memset(&s, 0, sizeof s);
    s.n = n_notes;
    s.first_pair = -1;
    opts.names = names;
    opts.n_names = n_names;
    opts.threshold = threshold;
    opts.found = found;
    opts.ctx = &s;
    FUZZ_ASSERT(bh_notes_compare(parts + 1, n_notes, &opts) == BH_OK, "compare succeeds");
    if (n_notes >= 2) {
        double one = bh_note_similarity(parts[1], parts[2], names, n_names);
        FUZZ_ASSERT(one >= 0.0 && one <= 1.0, "single similarity in [0, 1]");
        if (s.first_pair >= 0)
            FUZZ_ASSERT(fabs(s.first_pair - one) < 1e-9, "pairwise agrees with single");
    }
    /* NULL entries are skipped */
    if (n_notes >= 2) {
        parts[1] = NULL;
        s.n = n_notes;
        opts.names = NULL;
        opts.n_names = 0;
        opts.threshold = 0.0;
        FUZZ_ASSERT(bh_notes_compare(parts + 1, n_notes, &opts) == BH_OK,
                    "compare with a NULL note");
    }
    free(text);
    return 0;
}
