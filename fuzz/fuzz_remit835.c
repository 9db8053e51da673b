/*
** fuzz_remit835.c: libFuzzer harness for the 835 reader (bh_remit_reader).
** Reads every claim and set end; walks what was handed out so ASan sees
** any string or list that points outside live memory.
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

static size_t touch_claim(const bh_rm_claim *c) {
    size_t n = touch(c->claim_id) + touch(c->charge) + touch(c->patient.last), i, k;
    for (i = 0; i < c->adjustments.n; i++) n += touch(c->adjustments.items[i].amount);
    for (i = 0; i < c->references.n; i++) n += touch(c->references.items[i].value);
    for (i = 0; i < c->lines.n; i++) {
        const bh_rm_line *l = &c->lines.items[i];
        n += touch(l->code) + touch(l->paid) + touch(l->control_number);
        for (k = 0; k < l->adjustments.n; k++) n += touch(l->adjustments.items[k].reason);
        for (k = 0; k < l->remarks.n; k++) n += touch(l->remarks.items[k].value);
        for (k = 0; k < 4; k++) n += touch(l->modifiers[k]);
    }
    for (i = 1; i < BH_ANS_MAX_FIELDS; i++) n += touch(c->inpatient.v[i]) + touch(c->outpatient.v[i]);
    return n;
}

static size_t touch_set(const bh_rm_set *s) {
    size_t n = touch(s->amount) + touch(s->payer.name) + touch(s->interchange.sender_id), i, k;
    for (i = 0; i < s->payees.n; i++) n += touch(s->payees.items[i].name);
    for (i = 0; i < s->headers.n; i++) n += touch(s->headers.items[i].number);
    for (i = 0; i < s->provider_adjustments.n; i++)
        for (k = 0; k < s->provider_adjustments.items[i].adjustments.n; k++)
            n += touch(s->provider_adjustments.items[i].adjustments.items[k].amount);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bh_error err;
    bh_remit_reader *r = bh_remit_reader_new((const char *)data, size, &err);
    const bh_rm_claim *c;
    const bh_rm_set *s;
    volatile size_t sink = 0;
    int rc;
    if (r == NULL) return 0;
    while ((rc = bh_remit_reader_next(r, &c, &s, &err)) > 0) {
        if (rc == BH_RM_CLAIM) sink += touch_claim(c);
        sink += touch_set(s);
    }
    if (rc < 0 && err.message[0] == '\0') __builtin_trap();    /* a failure says why */
    bh_remit_reader_free(r);
    (void)sink;
    return 0;
}
