/*
** x12_inquiry_write.c: the 270 (005010X279A1) and 276 (005010X212)
** writers (bh_inquiry_write in x12_inquiry.h). The envelope follows the
** 837P writer's rules (x12.c): the same options, the same refusals (ids
** and codes written as given or refused, never altered; names cleaned and
** upper-cased), and the output is all or nothing.
** The inquiries come as a cJSON array whose fields are documented in
** docs/eligibility.md and docs/status.md.
** SPDX-License-Identifier: MIT
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "x12_inquiry.h"

#define VERSION_270 "005010X279A1"
#define VERSION_276 "005010X212"

typedef struct iw {
    bh_buffer *out;
    const bh_x12_options *opt;
    bh_error *err;
    bh_status status;       /* first failure; later writes do nothing */
    int pending;            /* empty elements held back */
    long segments;          /* since ST, ST included */
    int item;               /* 1-based item number for messages, 0: options */
    long hl;                /* last HL number */
} iw;

static void iw_fail(iw *w, bh_status code, const char *fmt, ...) {
    char what[160];
    va_list ap;
    if (w->status != BH_OK) return;
    w->status = code;
    if (w->err == NULL) return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    memset(w->err, 0, sizeof *w->err);
    w->err->code = code;
    snprintf(w->err->id, sizeof w->err->id, "%s",
             code == BH_ERR_NOMEM ? "x12.nomem" : "x12.write");
    if (w->item > 0)
        snprintf(w->err->message, sizeof w->err->message, "item %d: %s", w->item, what);
    else
        snprintf(w->err->message, sizeof w->err->message, "options: %s", what);
}

static void raw(iw *w, const char *s, size_t n) {
    if (w->status != BH_OK) return;
    if (bh_buffer_append(w->out, s, n) != BH_OK) iw_fail(w, BH_ERR_NOMEM, "out of memory");
}

static int is_sep(const bh_x12_options *o, char c) {
    return c == o->element_sep || c == o->component_sep || c == o->repetition_sep ||
           c == o->segment_term;
}

static void seg_begin(iw *w, const char *id) {
    raw(w, id, strlen(id));
    w->pending = 0;
}

static void seg_end(iw *w) {
    char term[2];
    term[0] = w->opt->segment_term;
    term[1] = '\n';
    raw(w, term, w->opt->newline ? 2 : 1);
    w->pending = 0;
    w->segments++;
}

/* Empty elements are held back so that trailing ones vanish. */
static void el(iw *w, const char *s) {
    size_t n = s ? strlen(s) : 0;
    w->pending++;
    if (n == 0) return;
    while (w->pending > 0) {
        raw(w, &w->opt->element_sep, 1);
        w->pending--;
    }
    raw(w, s, n);
}

/* An identifier or code: printable, no separator, 1..max characters. */
static int id_ok(const bh_x12_options *o, const char *s, size_t max) {
    size_t n = 0;
    for (; s[n]; n++)
        if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e || is_sep(o, s[n]))
            return 0;
    return n >= 1 && n <= max;
}

/* {--- reading the item's fields --- */

/* Fails on a field of the wrong type, so a number given for an id is not
** skipped in silence. */
static const char *field(iw *w, const cJSON *obj, const char *path, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v == NULL || cJSON_IsNull(v)) return NULL;
    if (!cJSON_IsString(v)) {
        iw_fail(w, BH_ERR_ARG, "%s.%s must be a string", path, key);
        return NULL;
    }
    return v->valuestring[0] ? v->valuestring : NULL;
}

static void id_el(iw *w, const char *s, size_t max, int required, const char *what) {
    if (s == NULL) {
        if (required) iw_fail(w, BH_ERR_ARG, "%s is missing", what);
        el(w, "");
        return;
    }
    if (!id_ok(w->opt, s, max)) {
        iw_fail(w, BH_ERR_ARG, "%s is longer than %lu characters or holds a separator or "
                "a control character", what, (unsigned long)max);
        return;
    }
    el(w, s);
}

/* A name: runs of blanks made one space, characters outside printable
** ASCII and the separators dropped, upper-cased, cut to max (the 837P's
** rule for free text). */
static void text_el(iw *w, const char *s, size_t max, int required, const char *what) {
    char buf[BH_X12_MAX_ELEMENT_LEN + 1];
    size_t n = 0;
    int space = 0;
    if (max > BH_X12_MAX_ELEMENT_LEN) max = BH_X12_MAX_ELEMENT_LEN;
    for (; s != NULL && *s && n < max; s++) {
        char c = *s;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = n > 0;
            continue;
        }
        if ((unsigned char)c < 0x21 || (unsigned char)c > 0x7e || is_sep(w->opt, c)) continue;
        if (space) {
            if (n + 1 >= max) break;
            buf[n++] = ' ';
            space = 0;
        }
        buf[n++] = BH_TO_UPPER(c);
    }
    buf[n] = '\0';
    if (n == 0 && required)
        iw_fail(w, BH_ERR_ARG, "%s %s", what,
                s == NULL ? "is missing" : "has no character X12 can carry");
    el(w, buf);
}

/* "YYYY-MM-DD" into CCYYMMDD, refused unless a real date. */
static int date_digits(const char *s, char out[9]) {
    bh_date d;
    if (s == NULL || !bh_date_parse(s, strlen(s), &d)) return 0;
    snprintf(out, 9, "%08ld", (long)d);
    return 1;
}

static void date_el(iw *w, const char *s, int required, const char *what) {
    char buf[9];
    if (s == NULL) {
        if (required) iw_fail(w, BH_ERR_ARG, "%s is missing", what);
        el(w, "");
        return;
    }
    if (!date_digits(s, buf)) {
        iw_fail(w, BH_ERR_ARG, "%s is not a date YYYY-MM-DD", what);
        return;
    }
    el(w, buf);
}

/* An amount as decimal text: refused unless bh_money_parse takes it;
** written without trailing zeros (45.00 -> 45, 45.50 -> 45.5). */
static void amount_el(iw *w, const char *s, const char *what) {
    int64_t cents;
    char buf[32];
    uint64_t u;
    int n;
    if (s == NULL) return;
    if (!bh_money_parse(s, strlen(s), &cents)) {
        iw_fail(w, BH_ERR_ARG, "%s is not an amount", what);
        return;
    }
    u = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    n = snprintf(buf, sizeof buf, "%s%llu", cents < 0 ? "-" : "", (unsigned long long)(u / 100));
    if (u % 100) {
        if (u % 10) snprintf(buf + n, sizeof buf - (size_t)n, ".%02u", (unsigned)(u % 100));
        else snprintf(buf + n, sizeof buf - (size_t)n, ".%u", (unsigned)(u % 100 / 10));
    }
    el(w, buf);
}

/* {--- the envelope --- */

static int date_ok(bh_date d) {
    return bh_date_valid(d);
}

static int check_options(iw *w, const char *version) {
    const bh_x12_options *o = w->opt;
    char seps[4];
    int i, j;
    seps[0] = o->element_sep;
    seps[1] = o->component_sep;
    seps[2] = o->repetition_sep;
    seps[3] = o->segment_term;
    for (i = 0; i < 4; i++) {
        char c = seps[i];
        if ((unsigned char)c < 0x21 || (unsigned char)c > 0x7e || BH_IS_DIGIT(c) ||
            BH_IS_UPPER(c) || BH_IS_LOWER(c)) {
            iw_fail(w, BH_ERR_ARG, "separators must be printable punctuation");
            return 0;
        }
        for (j = 0; j < i; j++)
            if (seps[j] == c) {
                iw_fail(w, BH_ERR_ARG, "separators must be four different characters");
                return 0;
            }
    }
    if (o->sender_qualifier == NULL || o->receiver_qualifier == NULL ||
        !id_ok(o, o->sender_qualifier, 2) || !id_ok(o, o->receiver_qualifier, 2) ||
        strlen(o->sender_qualifier) != 2 || strlen(o->receiver_qualifier) != 2) {
        iw_fail(w, BH_ERR_ARG, "sender_qualifier/receiver_qualifier must be 2 characters");
        return 0;
    }
    if (o->sender_id == NULL || !id_ok(o, o->sender_id, 15) || o->receiver_id == NULL ||
        !id_ok(o, o->receiver_id, 15) || (o->app_sender && !id_ok(o, o->app_sender, 15)) ||
        (o->app_receiver && !id_ok(o, o->app_receiver, 15))) {
        iw_fail(w, BH_ERR_ARG, "sender_id, receiver_id, app_sender and app_receiver must be "
                "1-15 characters without a separator");
        return 0;
    }
    if (o->version != NULL && strcmp(o->version, version) != 0) {
        iw_fail(w, BH_ERR_ARG, "version must be %s", version);
        return 0;
    }
    if (o->interchange_control < 1 || o->interchange_control > 999999999L ||
        o->group_control < 1 || o->group_control > 999999999L ||
        o->transaction_control < 1 || o->transaction_control > 999999999L) {
        iw_fail(w, BH_ERR_ARG, "control numbers must be from 1 to 999999999");
        return 0;
    }
    if (o->usage != 'T' && o->usage != 'P') {
        iw_fail(w, BH_ERR_ARG, "usage must be T or P");
        return 0;
    }
    if (o->ack_requested != '0' && o->ack_requested != '1') {
        iw_fail(w, BH_ERR_ARG, "ack_requested must be '0' or '1'");
        return 0;
    }
    if (!date_ok(o->date)) {
        iw_fail(w, BH_ERR_ARG, "date is missing or not a real date");
        return 0;
    }
    if (o->time < 0 || o->time > 2359 || o->time % 100 > 59) {
        iw_fail(w, BH_ERR_ARG, "time is not HHMM");
        return 0;
    }
    return 1;
}

static void write_isa_gs(iw *w, const char *functional_id, const char *version) {
    const bh_x12_options *o = w->opt;
    char buf[160];
    char e = o->element_sep;
    int n = snprintf(buf, sizeof buf,
                     "ISA%c00%c          %c00%c          %c%s%c%-15s%c%s%c%-15s%c%06ld%c%04d%c%c"
                     "%c00501%c%09ld%c%c%c%c%c%c",
                     e, e, e, e, e, o->sender_qualifier, e, o->sender_id, e,
                     o->receiver_qualifier, e, o->receiver_id, e, (long)(o->date % 1000000), e,
                     o->time, e, o->repetition_sep, e, e, o->interchange_control, e,
                     o->ack_requested, e, o->usage, e, o->component_sep);
    raw(w, buf, (size_t)n);
    seg_end(w);
    seg_begin(w, "GS");
    el(w, functional_id);
    el(w, o->app_sender ? o->app_sender : o->sender_id);
    el(w, o->app_receiver ? o->app_receiver : o->receiver_id);
    snprintf(buf, sizeof buf, "%08ld", (long)o->date);
    el(w, buf);
    snprintf(buf, sizeof buf, "%04d", o->time);
    el(w, buf);
    snprintf(buf, sizeof buf, "%ld", o->group_control);
    el(w, buf);
    el(w, "X");
    el(w, version);
    seg_end(w);
}

static void write_trailer(iw *w) {
    char count[24], control[24];
    snprintf(count, sizeof count, "%ld", w->segments + 1);
    snprintf(control, sizeof control, "%04ld", w->opt->transaction_control);
    seg_begin(w, "SE");
    el(w, count);
    el(w, control);
    seg_end(w);
    snprintf(control, sizeof control, "%ld", w->opt->group_control);
    seg_begin(w, "GE");
    el(w, "1");
    el(w, control);
    seg_end(w);
    snprintf(control, sizeof control, "%09ld", w->opt->interchange_control);
    seg_begin(w, "IEA");
    el(w, "1");
    el(w, control);
    seg_end(w);
}

/* {--- the hierarchy --- */

static long hl(iw *w, long parent, const char *level, int has_children) {
    char id[24], pid[24];
    w->hl++;
    snprintf(id, sizeof id, "%ld", w->hl);
    snprintf(pid, sizeof pid, "%ld", parent);
    seg_begin(w, "HL");
    el(w, id);
    el(w, parent ? pid : "");
    el(w, level);
    el(w, has_children ? "1" : "0");
    seg_end(w);
    return w->hl;
}

/* NM1 for an organisation or person: { name } or { last, first, middle,
** suffix }, with id and id_qualifier. */
static void nm1(iw *w, const char *entity, const cJSON *p, const char *path,
                const char *default_qualifier, int id_required) {
    const char *name = field(w, p, path, "name"), *last = field(w, p, path, "last");
    const char *id = field(w, p, path, "id");
    const char *qual = field(w, p, path, "id_qualifier");
    char what[64];
    if (qual == NULL) qual = default_qualifier;
    seg_begin(w, "NM1");
    el(w, entity);
    if (name != NULL && last == NULL) {
        el(w, "2");
        snprintf(what, sizeof what, "%s.name", path);
        text_el(w, name, 60, 1, what);
        el(w, "");
        el(w, "");
        el(w, "");
        el(w, "");
    } else {
        el(w, "1");
        snprintf(what, sizeof what, "%s.last", path);
        text_el(w, last, 60, 1, what);
        text_el(w, field(w, p, path, "first"), 35, 0, what);
        text_el(w, field(w, p, path, "middle"), 25, 0, what);
        el(w, "");
        text_el(w, field(w, p, path, "suffix"), 10, 0, what);
    }
    snprintf(what, sizeof what, "%s.id_qualifier", path);
    if (id != NULL) id_el(w, qual, 2, 1, what);
    else el(w, "");
    snprintf(what, sizeof what, "%s.id", path);
    id_el(w, id, 80, id_required, what);
    seg_end(w);
}

static const cJSON *object_at(iw *w, const cJSON *obj, const char *key, int required) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v == NULL || cJSON_IsNull(v) || (cJSON_IsObject(v) && v->child == NULL && !required)) {
        if (required) iw_fail(w, BH_ERR_ARG, "%s is missing", key);
        return NULL;
    }
    if (!cJSON_IsObject(v)) {
        iw_fail(w, BH_ERR_ARG, "%s must be a table", key);
        return NULL;
    }
    return v;
}

/* Two parties are the same 2000A/2000B/2000C when their fields are equal. */
static int same_party(const cJSON *a, const cJSON *b) {
    if (a == NULL || b == NULL) return a == b;
    return cJSON_Compare(a, b, 1);
}

static void dmg(iw *w, const cJSON *p, const char *path) {
    const char *birth = field(w, p, path, "birth_date"), *gender = field(w, p, path, "gender");
    char what[64];
    if (birth == NULL && gender == NULL) return;
    snprintf(what, sizeof what, "%s.birth_date", path);
    seg_begin(w, "DMG");
    el(w, "D8");
    date_el(w, birth, 1, what);
    snprintf(what, sizeof what, "%s.gender", path);
    if (gender != NULL && strcmp(gender, "M") && strcmp(gender, "F") && strcmp(gender, "U"))
        iw_fail(w, BH_ERR_ARG, "%s must be M, F or U", what);
    el(w, gender);
    seg_end(w);
}

/* A date or range: { date } or { from, to } under the item. */
static void dtp(iw *w, const char *qualifier, const char *date, const char *from,
                const char *to, const char *what) {
    char a[9], b[9], range[20];
    if (date == NULL && from == NULL) return;
    seg_begin(w, "DTP");
    el(w, qualifier);
    if (date != NULL) {
        el(w, "D8");
        date_el(w, date, 1, what);
    } else {
        if (!date_digits(from, a) || !date_digits(to ? to : from, b)) {
            iw_fail(w, BH_ERR_ARG, "%s from/to is not a date YYYY-MM-DD", what);
            return;
        }
        if (strcmp(a, b) > 0) {
            iw_fail(w, BH_ERR_ARG, "%s from is after to", what);
            return;
        }
        el(w, "RD8");
        snprintf(range, sizeof range, "%s-%s", a, b);
        el(w, range);
    }
    seg_end(w);
}

static void ref(iw *w, const char *qualifier, const char *value, const char *what) {
    if (value == NULL) return;
    seg_begin(w, "REF");
    el(w, qualifier);
    id_el(w, value, 50, 1, what);
    seg_end(w);
}

static void trn(iw *w, const cJSON *item, int with_originator) {
    const cJSON *t = object_at(w, item, "trace", 1);
    if (t == NULL) return;
    seg_begin(w, "TRN");
    el(w, "1");
    id_el(w, field(w, t, "trace", "number"), 50, 1, "trace.number");
    id_el(w, field(w, t, "trace", "originator"), 10, with_originator, "trace.originator");
    id_el(w, field(w, t, "trace", "supplement"), 50, 0, "trace.supplement");
    seg_end(w);
}

/* {--- 270 --- */

static void service_types_el(iw *w, const cJSON *item) {
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(item, "service_types"), *v;
    char buf[BH_X12_MAX_ELEMENT_LEN + 1];
    size_t n = 0;
    int count = 0;
    if (list == NULL) {
        el(w, "30");    /* the guide's generic inquiry: health benefit plan coverage */
        return;
    }
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
        iw_fail(w, BH_ERR_ARG, "service_types must be a non-empty list of codes");
        return;
    }
    if (cJSON_GetArraySize(list) > 99) {
        iw_fail(w, BH_ERR_ARG, "service_types has more than 99 codes");
        return;
    }
    cJSON_ArrayForEach(v, list) {
        size_t len;
        if (!cJSON_IsString(v) || !id_ok(w->opt, v->valuestring, 2)) {
            iw_fail(w, BH_ERR_ARG, "service_types[%d] is not a 1-2 character code", count + 1);
            return;
        }
        len = strlen(v->valuestring);
        if (count > 0) buf[n++] = w->opt->repetition_sep;
        memcpy(buf + n, v->valuestring, len);
        n += len;
        count++;
    }
    buf[n] = '\0';
    el(w, buf);
}

/* 2100C/D name, demographics, date, and one EQ for the item. */
static void write_270_member(iw *w, const cJSON *item, const cJSON *p, const char *path,
                             const char *entity) {
    const char *date = field(w, item, "item", "date");
    const char *from = field(w, item, "item", "from"), *to = field(w, item, "item", "to");
    trn(w, item, 1);
    /* the member id rides on the NM1 as NM109 with qualifier MI */
    {
        const char *id = field(w, p, path, "member_id");
        char what[64];
        seg_begin(w, "NM1");
        el(w, entity);
        el(w, "1");
        snprintf(what, sizeof what, "%s.last", path);
        text_el(w, field(w, p, path, "last"), 60, strcmp(entity, "IL") == 0 || id == NULL, what);
        text_el(w, field(w, p, path, "first"), 35, 0, what);
        text_el(w, field(w, p, path, "middle"), 25, 0, what);
        el(w, "");
        text_el(w, field(w, p, path, "suffix"), 10, 0, what);
        snprintf(what, sizeof what, "%s.member_id", path);
        if (id != NULL) el(w, "MI");
        else el(w, "");
        id_el(w, id, 80, 0, what);
        seg_end(w);
    }
    dmg(w, p, path);
    dtp(w, "291", date, from, to, "date");
    seg_begin(w, "EQ");
    service_types_el(w, item);
    seg_end(w);
}

static void write_270_item(iw *w, const cJSON *item, const cJSON *prev, long *hl_a,
                           long *hl_b) {
    const cJSON *payer = object_at(w, item, "payer", 1);
    const cJSON *provider = object_at(w, item, "provider", 1);
    const cJSON *sub = object_at(w, item, "subscriber", 1);
    const cJSON *dep = object_at(w, item, "dependent", 0);
    const cJSON *ppayer = prev ? cJSON_GetObjectItemCaseSensitive(prev, "payer") : NULL;
    const cJSON *pprov = prev ? cJSON_GetObjectItemCaseSensitive(prev, "provider") : NULL;
    long hl_c;
    if (w->status != BH_OK) return;
    if (prev == NULL || !same_party(payer, ppayer)) {
        *hl_a = hl(w, 0, "20", 1);
        nm1(w, "PR", payer, "payer", "PI", 1);
        pprov = NULL;
    }
    if (prev == NULL || pprov == NULL || !same_party(provider, pprov)) {
        *hl_b = hl(w, *hl_a, "21", 1);
        nm1(w, "1P", provider, "provider", "XX", 1);
    }
    hl_c = hl(w, *hl_b, "22", dep != NULL);
    if (dep == NULL) {
        write_270_member(w, item, sub, "subscriber", "IL");
        return;
    }
    {
        /* The subscriber carries the member id; the inquiry is the dependent's. */
        const char *id = field(w, sub, "subscriber", "member_id");
        seg_begin(w, "NM1");
        el(w, "IL");
        el(w, "1");
        text_el(w, field(w, sub, "subscriber", "last"), 60, 1, "subscriber.last");
        text_el(w, field(w, sub, "subscriber", "first"), 35, 0, "subscriber.first");
        text_el(w, field(w, sub, "subscriber", "middle"), 25, 0, "subscriber.middle");
        el(w, "");
        text_el(w, field(w, sub, "subscriber", "suffix"), 10, 0, "subscriber.suffix");
        el(w, "MI");
        id_el(w, id, 80, 1, "subscriber.member_id");
        seg_end(w);
        dmg(w, sub, "subscriber");
    }
    hl(w, hl_c, "23", 0);
    write_270_member(w, item, dep, "dependent", "03");
}

/* {--- 276 --- */

static void write_276_line(iw *w, const cJSON *line, int index) {
    const char *code = field(w, line, "line", "code");
    const char *qual = field(w, line, "line", "code_qualifier");
    const cJSON *mods = cJSON_GetObjectItemCaseSensitive(line, "modifiers"), *m;
    char comp[128], what[48];
    size_t n;
    int k = 0;
    snprintf(what, sizeof what, "claim.lines[%d].code", index);
    if (code == NULL || !id_ok(w->opt, code, 48)) {
        iw_fail(w, BH_ERR_ARG, "%s is missing or not a code", what);
        return;
    }
    if (qual == NULL) qual = "HC";
    if (!id_ok(w->opt, qual, 2)) {
        iw_fail(w, BH_ERR_ARG, "claim.lines[%d].code_qualifier is not a code", index);
        return;
    }
    n = (size_t)snprintf(comp, sizeof comp, "%s%c%s", qual, w->opt->component_sep, code);
    if (mods != NULL && !(cJSON_IsObject(mods) && mods->child == NULL)) {
        if (!cJSON_IsArray(mods) || cJSON_GetArraySize(mods) > 4) {
            iw_fail(w, BH_ERR_ARG, "claim.lines[%d].modifiers must be a list of at most 4",
                    index);
            return;
        }
        cJSON_ArrayForEach(m, mods) {
            k++;
            if (!cJSON_IsString(m) || !id_ok(w->opt, m->valuestring, 2)) {
                iw_fail(w, BH_ERR_ARG, "claim.lines[%d].modifiers[%d] is not a modifier", index,
                        k);
                return;
            }
            n += (size_t)snprintf(comp + n, sizeof comp - n, "%c%s", w->opt->component_sep,
                                  m->valuestring);
        }
    }
    seg_begin(w, "SVC");
    el(w, comp);
    snprintf(what, sizeof what, "claim.lines[%d].charge", index);
    amount_el(w, field(w, line, "line", "charge"), what);
    if (field(w, line, "line", "charge") == NULL) iw_fail(w, BH_ERR_ARG, "%s is missing", what);
    el(w, "");
    el(w, "");
    el(w, "");
    el(w, "");
    {
        const char *units = field(w, line, "line", "units");
        snprintf(what, sizeof what, "claim.lines[%d].units", index);
        if (units != NULL) id_el(w, units, 15, 0, what);
        else el(w, "");
    }
    seg_end(w);
    snprintf(what, sizeof what, "claim.lines[%d].control_number", index);
    ref(w, "FJ", field(w, line, "line", "control_number"), what);
    snprintf(what, sizeof what, "claim.lines[%d].date", index);
    dtp(w, "472", field(w, line, "line", "date"), field(w, line, "line", "from"),
        field(w, line, "line", "to"), what);
}

static void write_276_claim(iw *w, const cJSON *item) {
    const cJSON *c = object_at(w, item, "claim", 1), *lines, *l;
    int index = 0;
    if (c == NULL) return;
    trn(w, c, 0);
    ref(w, "1K", field(w, c, "claim", "payer_claim_number"), "claim.payer_claim_number");
    ref(w, "BLT", field(w, c, "claim", "bill_type"), "claim.bill_type");
    ref(w, "EJ", field(w, c, "claim", "patient_control_number"),
        "claim.patient_control_number");
    if (field(w, c, "claim", "charge") != NULL) {
        seg_begin(w, "AMT");
        el(w, "T3");
        amount_el(w, field(w, c, "claim", "charge"), "claim.charge");
        seg_end(w);
    }
    dtp(w, "472", field(w, c, "claim", "date"), field(w, c, "claim", "from"),
        field(w, c, "claim", "to"), "claim.date");
    lines = cJSON_GetObjectItemCaseSensitive(c, "lines");
    if (lines == NULL || (cJSON_IsObject(lines) && lines->child == NULL)) return;
    if (!cJSON_IsArray(lines)) {
        iw_fail(w, BH_ERR_ARG, "claim.lines must be a list");
        return;
    }
    cJSON_ArrayForEach(l, lines) {
        index++;
        if (!cJSON_IsObject(l)) {
            iw_fail(w, BH_ERR_ARG, "claim.lines[%d] must be a table", index);
            return;
        }
        write_276_line(w, l, index);
    }
}

static void write_276_item(iw *w, const cJSON *item, const cJSON *prev, long *hls) {
    static const char *const keys[] = {"payer", "receiver", "provider"};
    static const char *const levels[] = {"20", "21", "19"};
    static const char *const entities[] = {"PR", "41", "1P"};
    static const char *const quals[] = {"PI", "46", "XX"};
    const cJSON *sub = object_at(w, item, "subscriber", 1);
    const cJSON *dep = object_at(w, item, "dependent", 0);
    int k, changed = prev == NULL;
    long hl_d;
    if (w->status != BH_OK) return;
    for (k = 0; k < 3; k++) {
        const cJSON *party = object_at(w, item, keys[k], 1);
        if (party == NULL) return;
        if (!changed && !same_party(party, cJSON_GetObjectItemCaseSensitive(prev, keys[k])))
            changed = 1;
        if (changed) {
            hls[k] = hl(w, k ? hls[k - 1] : 0, levels[k], 1);
            nm1(w, entities[k], party, keys[k], quals[k], 1);
        }
    }
    hl_d = hl(w, hls[2], "22", dep != NULL);
    dmg(w, sub, "subscriber");
    {
        const char *id = field(w, sub, "subscriber", "member_id");
        seg_begin(w, "NM1");
        el(w, "IL");
        el(w, "1");
        text_el(w, field(w, sub, "subscriber", "last"), 60, 1, "subscriber.last");
        text_el(w, field(w, sub, "subscriber", "first"), 35, 0, "subscriber.first");
        text_el(w, field(w, sub, "subscriber", "middle"), 25, 0, "subscriber.middle");
        el(w, "");
        text_el(w, field(w, sub, "subscriber", "suffix"), 10, 0, "subscriber.suffix");
        el(w, "MI");
        id_el(w, id, 80, 1, "subscriber.member_id");
        seg_end(w);
    }
    if (dep != NULL) {
        hl(w, hl_d, "23", 0);
        dmg(w, dep, "dependent");
        seg_begin(w, "NM1");
        el(w, "QC");
        el(w, "1");
        text_el(w, field(w, dep, "dependent", "last"), 60, 1, "dependent.last");
        text_el(w, field(w, dep, "dependent", "first"), 35, 0, "dependent.first");
        text_el(w, field(w, dep, "dependent", "middle"), 25, 0, "dependent.middle");
        el(w, "");
        text_el(w, field(w, dep, "dependent", "suffix"), 10, 0, "dependent.suffix");
        seg_end(w);
    }
    write_276_claim(w, item);
}

/* {--- the set --- */

static void write_set(iw *w, bh_inquiry_family family, const cJSON *items,
                      const char *version) {
    const cJSON *item, *prev = NULL;
    char control[24], ref_id[24], date[9], time[8];
    long hls[3] = {0, 0, 0};
    snprintf(control, sizeof control, "%04ld", w->opt->transaction_control);
    w->segments = 0;
    seg_begin(w, "ST");
    el(w, family == BH_INQ_ELIGIBILITY ? "270" : "276");
    el(w, control);
    el(w, version);
    seg_end(w);
    snprintf(ref_id, sizeof ref_id, "%ld", w->opt->transaction_control);
    snprintf(date, sizeof date, "%08ld", (long)w->opt->date);
    snprintf(time, sizeof time, "%04d", w->opt->time);
    seg_begin(w, "BHT");
    el(w, family == BH_INQ_ELIGIBILITY ? "0022" : "0010");
    el(w, "13");
    el(w, ref_id);
    el(w, date);
    el(w, time);
    seg_end(w);
    w->item = 0;
    cJSON_ArrayForEach(item, items) {
        w->item++;
        if (!cJSON_IsObject(item)) {
            iw_fail(w, BH_ERR_ARG, "must be a table");
            return;
        }
        if (family == BH_INQ_ELIGIBILITY) write_270_item(w, item, prev, &hls[0], &hls[1]);
        else write_276_item(w, item, prev, hls);
        if (w->status != BH_OK) return;
        prev = item;
    }
    w->item = 0;
}

bh_status bh_inquiry_write(bh_inquiry_family family, const cJSON *items,
                           const bh_x12_options *opt, bh_buffer *out, bh_error *err) {
    iw w;
    size_t start;
    const char *version = family == BH_INQ_ELIGIBILITY ? VERSION_270 : VERSION_276;
    memset(&w, 0, sizeof w);
    w.out = out;
    w.opt = opt;
    w.err = err;
    if (err != NULL) memset(err, 0, sizeof *err);
    if (items == NULL || opt == NULL || out == NULL) {
        iw_fail(&w, BH_ERR_ARG, "NULL argument");
        return w.status;
    }
    if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0) {
        iw_fail(&w, BH_ERR_ARG, "the inquiries must be a non-empty list");
        return w.status;
    }
    if (!check_options(&w, version)) return w.status;
    start = out->len;
    write_isa_gs(&w, family == BH_INQ_ELIGIBILITY ? "HS" : "HR", version);
    write_set(&w, family, items, version);
    write_trailer(&w);
    if (w.status != BH_OK) {
        out->len = start;
        if (out->data != NULL) out->data[start] = '\0';
    }
    return w.status;
}
