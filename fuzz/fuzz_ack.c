/*
** fuzz_ack.c: libFuzzer harness for the acknowledgement reader
** (bh_ack_reader: TA1, 999, 277CA). Walks every acknowledgement handed out.
** SPDX-License-Identifier: MIT
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "bhclaim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s) {
    return s == NULL ? 0 : strlen(s);
}

static size_t touch_ack(const bh_ack *a) {
    size_t n = touch(a->kind) + touch(a->status) + touch(a->group_status), i, k, j;
    for (i = 0; i < a->sets.n; i++) {
        const bh_ack_set *s = &a->sets.items[i];
        n += touch(s->status) + touch(s->codes[4]);
        for (k = 0; k < s->errors.n; k++) {
            n += touch(s->errors.items[k].segment_id);
            for (j = 0; j < s->errors.items[k].context.n; j++)
                n += touch(s->errors.items[k].context.items[j].name);
            for (j = 0; j < s->errors.items[k].elements.n; j++)
                n += touch(s->errors.items[k].elements.items[j].value);
        }
    }
    for (i = 0; i < a->levels.n; i++) {
        const bh_ack_level *l = &a->levels.items[i];
        n += touch(l->level) + touch(l->entity.last) + touch(l->trace_number);
        for (k = 0; k < l->status.n; k++)
            n += touch(l->status.items[k].category[0]) + touch(l->status.items[k].free_text);
        for (k = 0; k < l->dates.n; k++) n += touch(l->dates.items[k].value);
        for (k = 0; k < l->lines.n; k++) n += touch(l->lines.items[k].code);
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bh_error err;
    bh_ack_reader *r = bh_ack_reader_new((const char *)data, size, &err);
    const bh_ack *a;
    volatile size_t sink = 0;
    int rc;
    if (r == NULL) return 0;
    while ((rc = bh_ack_reader_next(r, &a, &err)) > 0) sink += touch_ack(a);
    if (rc < 0 && err.message[0] == '\0') __builtin_trap();
    bh_ack_reader_free(r);
    (void)sink;
    return 0;
}
