/*
** x12_inquiry_write.c: the 270 (005010X279A1) and 276 (005010X212)
** writers (bh_inquiry_write in x12_inquiry.h), on the segment writer the
** 837P writer uses (x12_emit.c): the same options and envelope, the same
** refusals (ids and codes written as given or refused, never altered;
** names folded by the one transliteration or refused, never cut), and the
** output is all or nothing.
** The inquiries come as a cJSON array whose fields are documented in
** docs/eligibility.md and docs/status.md.
** SPDX-License-Identifier: MIT
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "x12_emit.h"
#include "x12_inquiry.h"

#define VERSION_270 "005010X279A1"
#define VERSION_276 "005010X212"

typedef struct iw {
    bh_emit e;              /* first member: on_fail casts the emitter back */
    bh_error *err;
    int item;               /* 1-based item number for messages, 0: options */
    long hl;                /* last HL number */
} iw;

/* Words a failure for the item being written, or for the options. */
static void on_fail(bh_emit *e, bh_status code, const char *field, const char *what) {
    iw *w = (iw *)e;
    char text[200];
    if (w->err == NULL) return;
    memset(w->err, 0, sizeof *w->err);
    snprintf(text, sizeof text, "%s%s%s", field ? field : "", field ? " " : "", what);
    if (w->item > 0)
        bh_error_set(w->err, code, code == BH_ERR_NOMEM ? "x12.nomem" : "x12.write",
                     "item %d: %s", w->item, text);
    else
        bh_error_set(w->err, code, code == BH_ERR_NOMEM ? "x12.nomem" : "x12.write",
                     "options: %s", text);
}

static void iw_fail(iw *w, bh_status code, const char *fmt, ...) {
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    bh_emit_fail(&w->e, code, NULL, what);
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
        bh_emit_els(&w->e, "");
        return;
    }
    if (!date_digits(s, buf)) {
        iw_fail(w, BH_ERR_ARG, "%s is not a date YYYY-MM-DD", what);
        return;
    }
    bh_emit_els(&w->e, buf);
}

/* An amount as decimal text: refused unless bh_money_parse takes it;
** written without trailing zeros (45.00 -> 45, 45.50 -> 45.5). */
static void amount_el(iw *w, const char *s, const char *what) {
    int64_t cents;
    char buf[32];
    if (s == NULL) return;
    if (!bh_money_parse(s, strlen(s), &cents)) {
        iw_fail(w, BH_ERR_ARG, "%s is not an amount", what);
        return;
    }
    bh_emit_el(&w->e, buf, bh_emit_format_amount(cents, buf));
}

/* {--- the envelope --- */

static int check_options(iw *w, const char *version) {
    const bh_x12_options *o = w->e.opt;
    if (!bh_emit_check_envelope(&w->e)) return 0;
    if (o->version != NULL && strcmp(o->version, version) != 0) {
        iw_fail(w, BH_ERR_ARG, "version must be %s", version);
        return 0;
    }
    return 1;
}

/* {--- the hierarchy --- */

static long hl(iw *w, long parent, const char *level, int has_children) {
    char id[24], pid[24];
    w->hl++;
    snprintf(id, sizeof id, "%ld", w->hl);
    snprintf(pid, sizeof pid, "%ld", parent);
    bh_emit_begin(&w->e, "HL");
    bh_emit_els(&w->e, id);
    bh_emit_els(&w->e, parent ? pid : "");
    bh_emit_els(&w->e, level);
    bh_emit_els(&w->e, has_children ? "1" : "0");
    bh_emit_end(&w->e);
    return w->hl;
}

/* NM1 for an organisation or person: { name } or { last, first, middle,
** suffix }, with id and id_qualifier. */
/* A person's NM103-NM107 (last, first, middle, prefix left empty,
** suffix), each folded or refused and named path.key in a refusal. */
static void person_name(iw *w, const cJSON *p, const char *path, int last_required) {
    static const struct { const char *key; size_t max; } parts[] = {
        {"last", BH_X12_LEN_NAME_LAST}, {"first", BH_X12_LEN_NAME_FIRST},
        {"middle", BH_X12_LEN_NAME_MIDDLE}, {NULL, 0}, {"suffix", BH_X12_LEN_NAME_SUFFIX}
    };
    char what[64];
    size_t i;
    for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (parts[i].key == NULL) {
            bh_emit_els(&w->e, "");
            continue;
        }
        snprintf(what, sizeof what, "%s.%s", path, parts[i].key);
        bh_emit_text(&w->e, field(w, p, path, parts[i].key), parts[i].max, i == 0 && last_required,
                     what, 0);
    }
}

/* The subscriber's NM1 (IL) with the member id (MI), required. */
static void subscriber_nm1(iw *w, const cJSON *sub) {
    bh_emit_begin(&w->e, "NM1");
    bh_emit_els(&w->e, "IL");
    bh_emit_els(&w->e, "1");
    person_name(w, sub, "subscriber", 1);
    bh_emit_els(&w->e, "MI");
    bh_emit_id(&w->e, field(w, sub, "subscriber", "member_id"), 80, 1, "subscriber.member_id");
    bh_emit_end(&w->e);
}

static void nm1(iw *w, const char *entity, const cJSON *p, const char *path,
                const char *default_qualifier, int id_required) {
    const char *name = field(w, p, path, "name"), *last = field(w, p, path, "last");
    const char *id = field(w, p, path, "id");
    const char *qual = field(w, p, path, "id_qualifier");
    char what[64];
    if (qual == NULL) qual = default_qualifier;
    bh_emit_begin(&w->e, "NM1");
    bh_emit_els(&w->e, entity);
    if (name != NULL && last == NULL) {
        bh_emit_els(&w->e, "2");
        snprintf(what, sizeof what, "%s.name", path);
        bh_emit_text(&w->e, name, BH_X12_LEN_NAME_LAST, 1, what, 0);
        bh_emit_els(&w->e, "");
        bh_emit_els(&w->e, "");
        bh_emit_els(&w->e, "");
        bh_emit_els(&w->e, "");
    } else {
        bh_emit_els(&w->e, "1");
        person_name(w, p, path, 1);
    }
    snprintf(what, sizeof what, "%s.id_qualifier", path);
    if (id != NULL) bh_emit_id(&w->e, qual, 2, 1, what);
    else bh_emit_els(&w->e, "");
    snprintf(what, sizeof what, "%s.id", path);
    bh_emit_id(&w->e, id, 80, id_required, what);
    bh_emit_end(&w->e);
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
    bh_emit_begin(&w->e, "DMG");
    bh_emit_els(&w->e, "D8");
    date_el(w, birth, 1, what);
    snprintf(what, sizeof what, "%s.gender", path);
    if (gender != NULL && strcmp(gender, "M") && strcmp(gender, "F") && strcmp(gender, "U"))
        iw_fail(w, BH_ERR_ARG, "%s must be M, F or U", what);
    bh_emit_els(&w->e, gender);
    bh_emit_end(&w->e);
}

/* A date or range: { date } or { from, to } under the item. */
static void dtp(iw *w, const char *qualifier, const char *date, const char *from,
                const char *to, const char *what) {
    char a[9], b[9], range[20];
    if (date == NULL && from == NULL) return;
    bh_emit_begin(&w->e, "DTP");
    bh_emit_els(&w->e, qualifier);
    if (date != NULL) {
        bh_emit_els(&w->e, "D8");
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
        bh_emit_els(&w->e, "RD8");
        snprintf(range, sizeof range, "%s-%s", a, b);
        bh_emit_els(&w->e, range);
    }
    bh_emit_end(&w->e);
}

static void ref(iw *w, const char *qualifier, const char *value, const char *what) {
    if (value == NULL) return;
    bh_emit_begin(&w->e, "REF");
    bh_emit_els(&w->e, qualifier);
    bh_emit_id(&w->e, value, 50, 1, what);
    bh_emit_end(&w->e);
}

static void trn(iw *w, const cJSON *item, int with_originator) {
    const cJSON *t = object_at(w, item, "trace", 1);
    if (t == NULL) return;
    bh_emit_begin(&w->e, "TRN");
    bh_emit_els(&w->e, "1");
    bh_emit_id(&w->e, field(w, t, "trace", "number"), 50, 1, "trace.number");
    bh_emit_id(&w->e, field(w, t, "trace", "originator"), 10, with_originator, "trace.originator");
    bh_emit_id(&w->e, field(w, t, "trace", "supplement"), 50, 0, "trace.supplement");
    bh_emit_end(&w->e);
}

/* {--- 270 --- */

static void service_types_el(iw *w, const cJSON *item) {
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(item, "service_types"), *v;
    char buf[BH_X12_MAX_ELEMENT_LEN + 1];
    size_t n = 0;
    int count = 0;
    if (list == NULL) {
        bh_emit_els(&w->e, "30");    /* the guide's generic inquiry: health benefit plan coverage */
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
        if (!cJSON_IsString(v) || !bh_emit_id_ok(w->e.opt, v->valuestring, 2)) {
            iw_fail(w, BH_ERR_ARG, "service_types[%d] is not a 1-2 character code", count + 1);
            return;
        }
        len = strlen(v->valuestring);
        if (count > 0) buf[n++] = w->e.opt->repetition_sep;
        memcpy(buf + n, v->valuestring, len);
        n += len;
        count++;
    }
    buf[n] = '\0';
    bh_emit_els(&w->e, buf);
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
        bh_emit_begin(&w->e, "NM1");
        bh_emit_els(&w->e, entity);
        bh_emit_els(&w->e, "1");
        person_name(w, p, path, strcmp(entity, "IL") == 0 || id == NULL);
        snprintf(what, sizeof what, "%s.member_id", path);
        if (id != NULL) bh_emit_els(&w->e, "MI");
        else bh_emit_els(&w->e, "");
        bh_emit_id(&w->e, id, 80, 0, what);
        bh_emit_end(&w->e);
    }
    dmg(w, p, path);
    dtp(w, "291", date, from, to, "date");
    bh_emit_begin(&w->e, "EQ");
    service_types_el(w, item);
    bh_emit_end(&w->e);
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
    if (w->e.status != BH_OK) return;
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
    /* The subscriber carries the member id; the inquiry is the dependent's. */
    subscriber_nm1(w, sub);
    dmg(w, sub, "subscriber");
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
    if (code == NULL || !bh_emit_id_ok(w->e.opt, code, 48)) {
        iw_fail(w, BH_ERR_ARG, "%s is missing or not a code", what);
        return;
    }
    if (qual == NULL) qual = "HC";
    if (!bh_emit_id_ok(w->e.opt, qual, 2)) {
        iw_fail(w, BH_ERR_ARG, "claim.lines[%d].code_qualifier is not a code", index);
        return;
    }
    n = (size_t)snprintf(comp, sizeof comp, "%s%c%s", qual, w->e.opt->component_sep, code);
    if (mods != NULL && !(cJSON_IsObject(mods) && mods->child == NULL)) {
        if (!cJSON_IsArray(mods) || cJSON_GetArraySize(mods) > 4) {
            iw_fail(w, BH_ERR_ARG, "claim.lines[%d].modifiers must be a list of at most 4",
                    index);
            return;
        }
        cJSON_ArrayForEach(m, mods) {
            k++;
            if (!cJSON_IsString(m) || !bh_emit_id_ok(w->e.opt, m->valuestring, 2)) {
                iw_fail(w, BH_ERR_ARG, "claim.lines[%d].modifiers[%d] is not a modifier", index,
                        k);
                return;
            }
            n += (size_t)snprintf(comp + n, sizeof comp - n, "%c%s", w->e.opt->component_sep,
                                  m->valuestring);
        }
    }
    bh_emit_begin(&w->e, "SVC");
    bh_emit_els(&w->e, comp);
    snprintf(what, sizeof what, "claim.lines[%d].charge", index);
    amount_el(w, field(w, line, "line", "charge"), what);
    if (field(w, line, "line", "charge") == NULL) iw_fail(w, BH_ERR_ARG, "%s is missing", what);
    bh_emit_els(&w->e, "");
    bh_emit_els(&w->e, "");
    bh_emit_els(&w->e, "");
    bh_emit_els(&w->e, "");
    {
        const char *units = field(w, line, "line", "units");
        snprintf(what, sizeof what, "claim.lines[%d].units", index);
        if (units != NULL) bh_emit_id(&w->e, units, 15, 0, what);
        else bh_emit_els(&w->e, "");
    }
    bh_emit_end(&w->e);
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
        bh_emit_begin(&w->e, "AMT");
        bh_emit_els(&w->e, "T3");
        amount_el(w, field(w, c, "claim", "charge"), "claim.charge");
        bh_emit_end(&w->e);
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
    if (w->e.status != BH_OK) return;
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
    subscriber_nm1(w, sub);
    if (dep != NULL) {
        hl(w, hl_d, "23", 0);
        dmg(w, dep, "dependent");
        bh_emit_begin(&w->e, "NM1");
        bh_emit_els(&w->e, "QC");
        bh_emit_els(&w->e, "1");
        person_name(w, dep, "dependent", 1);
        bh_emit_end(&w->e);
    }
    write_276_claim(w, item);
}

/* {--- the set --- */

static void write_set(iw *w, bh_inquiry_family family, const cJSON *items,
                      const char *version) {
    const cJSON *item, *prev = NULL;
    char control[24], ref_id[24], date[9], time[8];
    long hls[3] = {0, 0, 0};
    snprintf(control, sizeof control, "%04ld", w->e.opt->transaction_control);
    w->e.segments = 0;
    bh_emit_begin(&w->e, "ST");
    bh_emit_els(&w->e, family == BH_INQ_ELIGIBILITY ? "270" : "276");
    bh_emit_els(&w->e, control);
    bh_emit_els(&w->e, version);
    bh_emit_end(&w->e);
    snprintf(ref_id, sizeof ref_id, "%ld", w->e.opt->transaction_control);
    snprintf(date, sizeof date, "%08ld", (long)w->e.opt->date);
    snprintf(time, sizeof time, "%04d", w->e.opt->time);
    bh_emit_begin(&w->e, "BHT");
    bh_emit_els(&w->e, family == BH_INQ_ELIGIBILITY ? "0022" : "0010");
    bh_emit_els(&w->e, "13");
    bh_emit_els(&w->e, ref_id);
    bh_emit_els(&w->e, date);
    bh_emit_els(&w->e, time);
    bh_emit_end(&w->e);
    w->item = 0;
    cJSON_ArrayForEach(item, items) {
        w->item++;
        if (!cJSON_IsObject(item)) {
            iw_fail(w, BH_ERR_ARG, "must be a table");
            return;
        }
        if (family == BH_INQ_ELIGIBILITY) write_270_item(w, item, prev, &hls[0], &hls[1]);
        else write_276_item(w, item, prev, hls);
        if (w->e.status != BH_OK) return;
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
    bh_emit_init(&w.e, out, opt, on_fail);
    w.err = err;
    if (err != NULL) memset(err, 0, sizeof *err);
    if (items == NULL || opt == NULL || out == NULL) {
        iw_fail(&w, BH_ERR_ARG, "NULL argument");
        return w.e.status;
    }
    if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0) {
        iw_fail(&w, BH_ERR_ARG, "the inquiries must be a non-empty list");
        return w.e.status;
    }
    if (!check_options(&w, version)) return w.e.status;
    start = out->len;
    bh_emit_isa_gs(&w.e, family == BH_INQ_ELIGIBILITY ? "HS" : "HR", version);
    write_set(&w, family, items, version);
    bh_emit_se(&w.e, opt->transaction_control);
    bh_emit_ge_iea(&w.e, 1);
    if (w.e.status != BH_OK) {
        out->len = start;
        if (out->data != NULL) out->data[start] = '\0';
    }
    return w.e.status;
}
