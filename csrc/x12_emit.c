/*
** x12_emit.c: the X12 segment writer and interchange envelope shared by
** the 837P, 270 and 276 writers (x12_emit.h).
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "x12_emit.h"

void bh_emit_init(bh_emit *e, bh_buffer *out, const bh_x12_options *opt, bh_emit_fail_fn on_fail) {
    memset(e, 0, sizeof *e);
    e->out = out;
    e->opt = opt;
    e->on_fail = on_fail;
}

void bh_emit_fail(bh_emit *e, bh_status code, const char *field, const char *what) {
    if (e->status != BH_OK) return;
    e->status = code;
    e->on_fail(e, code, field, what);
}

void bh_emit_raw(bh_emit *e, const char *s, size_t n) {
    if (e->status != BH_OK) return;
    if (bh_buffer_append(e->out, s, n) != BH_OK) bh_emit_fail(e, BH_ERR_NOMEM, NULL, "out of memory");
}

int bh_emit_is_sep(const bh_x12_options *o, char c) {
    return c == o->element_sep || c == o->component_sep || c == o->repetition_sep ||
           c == o->segment_term;
}

void bh_emit_begin(bh_emit *e, const char *id) {
    bh_emit_raw(e, id, strlen(id));
    e->pending = 0;
}

void bh_emit_end(bh_emit *e) {
    char term[2];
    term[0] = e->opt->segment_term;
    term[1] = '\n';
    bh_emit_raw(e, term, e->opt->newline ? 2 : 1);
    e->pending = 0;
    e->segments++;
}

void bh_emit_el(bh_emit *e, const char *s, size_t n) {
    e->pending++;
    if (n == 0) return;
    while (e->pending > 0) {
        bh_emit_raw(e, &e->opt->element_sep, 1);
        e->pending--;
    }
    bh_emit_raw(e, s, n);
}

void bh_emit_els(bh_emit *e, const char *s) {
    bh_emit_el(e, s, s ? strlen(s) : 0);
}

int bh_emit_id_ok(const bh_x12_options *o, const char *s, size_t max) {
    size_t n = 0;
    for (; s[n]; n++)
        if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e || bh_emit_is_sep(o, s[n]))
            return 0;
    return n >= 1 && n <= max;
}

void bh_emit_id(bh_emit *e, const char *s, size_t max, int required, const char *field) {
    if (s == NULL || s[0] == '\0') {
        if (required) bh_emit_fail(e, BH_ERR_ARG, field, "is missing");
        bh_emit_el(e, "", 0);
        return;
    }
    if (!bh_emit_id_ok(e->opt, s, max)) {
        char what[96];
        snprintf(what, sizeof what, "is longer than %lu characters or holds a separator or "
                 "a control character", (unsigned long)max);
        bh_emit_fail(e, BH_ERR_ARG, field, what);
        return;
    }
    bh_emit_el(e, s, strlen(s));
}

void bh_emit_text(bh_emit *e, const char *s, size_t max, int required, const char *field,
                  int keep_case) {
    char buf[BH_X12_MAX_ELEMENT_LEN + 1], what[120];
    char seps[4];
    size_t n;
    const bh_x12_options *o = e->opt;
    bh_x12_folded into;
    bh_x12_fold_result folding;
    if (max > BH_X12_MAX_ELEMENT_LEN) max = BH_X12_MAX_ELEMENT_LEN;
    seps[0] = o->element_sep; seps[1] = o->component_sep;
    seps[2] = o->repetition_sep; seps[3] = o->segment_term;
    into.text = buf;
    into.max = max;
    folding = bh_x12_fold(s, seps, keep_case, &into);
    n = into.len;
    switch (folding) {
    case BH_FOLD_BAD_CHAR:
        snprintf(what, sizeof what, "holds a character (byte %lu) that X12 cannot carry and "
                 "that has no folding", (unsigned long)n + 1);
        bh_emit_fail(e, BH_ERR_ARG, field, what);
        return;
    case BH_FOLD_TOO_LONG:
        snprintf(what, sizeof what, "is longer than the element's %lu characters",
                 (unsigned long)max);
        bh_emit_fail(e, BH_ERR_ARG, field, what);
        return;
    default:
        break;
    }
    if (n == 0 && required) bh_emit_fail(e, BH_ERR_ARG, field, s == NULL ? "is missing" : "is empty");
    bh_emit_el(e, buf, n);
}

size_t bh_emit_format_amount(int64_t cents, char buf[32]) {
    uint64_t u = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    unsigned frac = (unsigned)(u % 100);
    int n = snprintf(buf, 32, "%s%llu", cents < 0 ? "-" : "", (unsigned long long)(u / 100));
    if (frac % 10) n += snprintf(buf + n, 32 - (size_t)n, ".%02u", frac);
    else if (frac) n += snprintf(buf + n, 32 - (size_t)n, ".%u", frac / 10);
    return (size_t)n;
}

/* {--- the envelope --- */

int bh_emit_option_ok(bh_emit *e, const char *s, size_t max, const char *field) {
    if (s == NULL || s[0] == '\0') {
        bh_emit_fail(e, BH_ERR_ARG, field, "is missing");
        return 0;
    }
    if (!bh_emit_id_ok(e->opt, s, max)) {
        bh_emit_fail(e, BH_ERR_ARG, field, "is too long or holds a separator");
        return 0;
    }
    return 1;
}

static int separators_ok(bh_emit *e) {
    const bh_x12_options *o = e->opt;
    char seps[4];
    int i, j;
    seps[0] = o->element_sep; seps[1] = o->component_sep;
    seps[2] = o->repetition_sep; seps[3] = o->segment_term;
    for (i = 0; i < 4; i++) {
        char c = seps[i];
        if ((unsigned char)c < 0x21 || (unsigned char)c > 0x7e || BH_IS_DIGIT(c) ||
            BH_IS_UPPER(c) || BH_IS_LOWER(c)) {
            bh_emit_fail(e, BH_ERR_ARG, "separators", "must be printable punctuation");
            return 0;
        }
        for (j = 0; j < i; j++)
            if (seps[j] == c) {
                bh_emit_fail(e, BH_ERR_ARG, "separators", "must be four different characters");
                return 0;
            }
    }
    return 1;
}

static int parties_ok(bh_emit *e) {
    const bh_x12_options *o = e->opt;
    if (!bh_emit_option_ok(e, o->sender_qualifier, 2, "sender_qualifier") ||
        !bh_emit_option_ok(e, o->sender_id, 15, "sender_id") ||
        !bh_emit_option_ok(e, o->receiver_qualifier, 2, "receiver_qualifier") ||
        !bh_emit_option_ok(e, o->receiver_id, 15, "receiver_id") ||
        (o->app_sender && !bh_emit_option_ok(e, o->app_sender, 15, "app_sender")) ||
        (o->app_receiver && !bh_emit_option_ok(e, o->app_receiver, 15, "app_receiver")))
        return 0;
    /* GS02 and GS03 are 2 to 15 characters (they default to ISA06/ISA08). */
    if (strlen(o->app_sender ? o->app_sender : o->sender_id) < 2 ||
        strlen(o->app_receiver ? o->app_receiver : o->receiver_id) < 2) {
        bh_emit_fail(e, BH_ERR_ARG, "app_sender/app_receiver (GS02/GS03)",
                     "must be 2 to 15 characters");
        return 0;
    }
    if (strlen(o->sender_qualifier) != 2 || strlen(o->receiver_qualifier) != 2) {
        bh_emit_fail(e, BH_ERR_ARG, "sender_qualifier/receiver_qualifier", "must be 2 characters");
        return 0;
    }
    return 1;
}

int bh_emit_check_envelope(bh_emit *e) {
    const bh_x12_options *o = e->opt;
    if (!separators_ok(e) || !parties_ok(e)) return 0;
    if (o->interchange_control < 1 || o->interchange_control > 999999999L ||
        o->group_control < 1 || o->group_control > 999999999L ||
        o->transaction_control < 1 || o->transaction_control > 999999999L) {
        bh_emit_fail(e, BH_ERR_ARG, "control numbers", "must be from 1 to 999999999");
        return 0;
    }
    if (o->usage != 'T' && o->usage != 'P') {
        bh_emit_fail(e, BH_ERR_ARG, "usage", "must be T or P");
        return 0;
    }
    if (o->ack_requested != '0' && o->ack_requested != '1') {
        bh_emit_fail(e, BH_ERR_ARG, "ack_requested", "must be '0' or '1'");
        return 0;
    }
    if (!bh_date_valid(o->date)) {
        bh_emit_fail(e, BH_ERR_ARG, "date", "is missing or not a real date");
        return 0;
    }
    if (o->time < 0 || o->time > 2359 || o->time % 100 > 59) {
        bh_emit_fail(e, BH_ERR_ARG, "time", "is not HHMM");
        return 0;
    }
    return 1;
}

void bh_emit_isa_gs(bh_emit *e, const char *functional_id, const char *version) {
    const bh_x12_options *o = e->opt;
    char buf[160];
    char s = o->element_sep;
    int n = snprintf(buf, sizeof buf,
                     "ISA%c00%c          %c00%c          %c%s%c%-15s%c%s%c%-15s%c%06ld%c%04d%c%c"
                     "%c00501%c%09ld%c%c%c%c%c%c",
                     s, s, s, s, s, o->sender_qualifier, s, o->sender_id, s,
                     o->receiver_qualifier, s, o->receiver_id, s, (long)(o->date % 1000000), s,
                     o->time, s, o->repetition_sep, s, s, o->interchange_control, s,
                     o->ack_requested, s, o->usage, s, o->component_sep);
    bh_emit_raw(e, buf, (size_t)n);
    bh_emit_end(e);
    bh_emit_begin(e, "GS");
    bh_emit_els(e, functional_id);
    bh_emit_els(e, o->app_sender ? o->app_sender : o->sender_id);
    bh_emit_els(e, o->app_receiver ? o->app_receiver : o->receiver_id);
    snprintf(buf, sizeof buf, "%08ld", (long)o->date);
    bh_emit_els(e, buf);
    snprintf(buf, sizeof buf, "%04d", o->time);
    bh_emit_els(e, buf);
    snprintf(buf, sizeof buf, "%ld", o->group_control);
    bh_emit_els(e, buf);
    bh_emit_els(e, "X");
    bh_emit_els(e, version);
    bh_emit_end(e);
}

void bh_emit_se(bh_emit *e, long control) {
    char buf[24];
    bh_emit_begin(e, "SE");
    snprintf(buf, sizeof buf, "%ld", e->segments + 1);
    bh_emit_els(e, buf);
    snprintf(buf, sizeof buf, "%04ld", control);
    bh_emit_els(e, buf);
    bh_emit_end(e);
}

void bh_emit_ge_iea(bh_emit *e, long sets) {
    char buf[24];
    bh_emit_begin(e, "GE");
    snprintf(buf, sizeof buf, "%ld", sets);
    bh_emit_els(e, buf);
    snprintf(buf, sizeof buf, "%ld", e->opt->group_control);
    bh_emit_els(e, buf);
    bh_emit_end(e);
    bh_emit_begin(e, "IEA");
    bh_emit_els(e, "1");
    snprintf(buf, sizeof buf, "%09ld", e->opt->interchange_control);
    bh_emit_els(e, buf);
    bh_emit_end(e);
}
