/*
** x12_inquiry.c: the 270/271 and 276/277 readers (x12_inquiry.h) on the
** shared segment tokenizer (x12_seg.h). One engine serves the four sets:
** they share the HL hierarchy (20 information source, 21 receiver, 19
** provider, 22 subscriber, 23 dependent) and most segments; what differs
** is which segment opens an item under a level (EQ in a 270, EB in a 271,
** TRN in a 276/277) and which segments may follow it.
** Every element a segment may carry is either kept or refused with an
** error naming the segment: nothing is dropped in silence.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "x12_seg.h"
#include "x12_inquiry.h"

/* One HL read so far in the current set: its id and its object. */
typedef struct hl_entry {
    bh_span id;             /* points into the data */
    cJSON *obj;
    int level;              /* LV_* */
} hl_entry;

enum { LV_SOURCE, LV_RECEIVER, LV_PROVIDER, LV_SUBSCRIBER, LV_DEPENDENT, LV_COUNT };

static const char *const level_names[LV_COUNT] = {
    "payer", "receiver", "provider", "subscriber", "dependent"};
static const char *const level_lists[LV_COUNT] = {
    "payers", "receivers", "providers", "subscribers", "dependents"};

typedef struct iq {
    bh_ans_reader base;     /* tokenizer, envelope, error */
    bh_arena *arena;        /* scratch strings of the current segment */
    bh_inquiry_family family;
    cJSON *sets;            /* the result */
    cJSON *set;             /* the current set */
    const char *kind;       /* "270", "271", "276", "277" */
    int bht_seen;
    hl_entry *hls;
    size_t n_hls, cap_hls;
    size_t *slots;          /* open-addressing index of hls by id: index + 1, 0 empty */
    size_t n_slots;         /* a power of two, at least twice n_hls */
    cJSON *level;           /* the current HL's object */
    int level_code;
    int level_named;        /* the level's NM1 was read */
    cJSON *item;            /* EQ, EB, or claim (TRN) under the level */
    cJSON *line;            /* SVC under a claim (276/277) */
    cJSON *entity;          /* 2120 NM1 inside LS..LE (271) */
    int in_ls;
} iq;

/* {====================================================================
** Small builders
** ===================================================================== */

static int nomem(iq *q) {
    return bh_seg_out_of_memory(&q->base.seg);
}

static int fail(iq *q, const char *what) {
    return bh_seg_syntax(&q->base.seg, what);
}

static int is_id(const iq *q, const char *id) {
    return bh_seg_id_is(&q->base.seg, id);
}

/* Keys are string literals: cJSON keeps the pointer (AddItemToObjectCS)
** instead of copying each key, one malloc less per value read. */
static int add_string(iq *q, cJSON *obj, const char *key, const char *value) {
    cJSON *item;
    if (value == NULL) return 0;
    item = cJSON_CreateString(value);
    if (item == NULL || !cJSON_AddItemToObjectCS(obj, key, item)) {
        cJSON_Delete(item);
        return nomem(q);
    }
    return 0;
}

/* Text of a span as sent; nothing when empty. */
static int put_span(iq *q, cJSON *obj, const char *key, bh_span s) {
    const char *v;
    if (bh_ans_text(&q->base.seg, s, &v) < 0) return -1;
    return add_string(q, obj, key, v);
}

static int put_text(iq *q, cJSON *obj, const char *key, int i) {
    return put_span(q, obj, key, bh_seg_el(&q->base.seg, i));
}

static int put_amount(iq *q, cJSON *obj, const char *key, int i) {
    const char *v;
    if (bh_ans_el_amount(&q->base.seg, i, &v) < 0) return -1;
    return add_string(q, obj, key, v);
}

static int put_quantity(iq *q, cJSON *obj, const char *key, int i) {
    const char *v;
    if (bh_ans_el_quantity(&q->base.seg, i, &v) < 0) return -1;
    return add_string(q, obj, key, v);
}

static int put_date_span(iq *q, cJSON *obj, const char *key, bh_span s, const char *what) {
    const char *v;
    if (bh_ans_date(&q->base.seg, s, what, &v) < 0) return -1;
    return add_string(q, obj, key, v);
}

static int put_date(iq *q, cJSON *obj, const char *key, int i) {
    const char *v;
    if (bh_ans_el_date(&q->base.seg, i, &v) < 0) return -1;
    return add_string(q, obj, key, v);
}

/* The meaning of the code stored under key, under mkey (key_meaning). */
static int put_meaning(iq *q, cJSON *obj, const char *key, const char *mkey, const char *list) {
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(code)) return 0;
    return add_string(q, obj, mkey, bh_inquiry_meaning(list, code->valuestring));
}

static cJSON *new_object(iq *q) {
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) nomem(q);
    return o;
}

/* The list under key, made when first needed. */
static cJSON *list_of(iq *q, cJSON *obj, const char *key) {
    cJSON *l = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (l != NULL) return l;
    l = cJSON_CreateArray();
    if (l == NULL || !cJSON_AddItemToObjectCS(obj, key, l)) {
        cJSON_Delete(l);
        nomem(q);
        return NULL;
    }
    return l;
}

/* A new object appended to the list under key. */
static cJSON *push_object(iq *q, cJSON *obj, const char *key) {
    cJSON *l = list_of(q, obj, key), *o;
    if (l == NULL) return NULL;
    o = new_object(q);
    if (o != NULL && !cJSON_AddItemToArray(l, o)) {
        cJSON_Delete(o);
        nomem(q);
        return NULL;
    }
    return o;
}

static int push_span(iq *q, cJSON *list, bh_span s) {
    const char *v;
    cJSON *str;
    if (bh_ans_text(&q->base.seg, s, &v) < 0) return -1;
    if (v == NULL) return 0;
    str = cJSON_CreateString(v);
    if (str == NULL || !cJSON_AddItemToArray(list, str)) {
        cJSON_Delete(str);
        return nomem(q);
    }
    return 0;
}

/* Refuses elements past max, so none is dropped. */
static int max_el(iq *q, int max) {
    return bh_ans_max_elements(&q->base.seg, max);
}

/* Refuses a given element this reader does not model (marked unused in
** the guides). */
static int unused_el(iq *q, int i) {
    if (bh_seg_el(&q->base.seg, i).n == 0) return 0;
    return bh_seg_fail(&q->base.seg, BH_ERR_SYNTAX, "x12.syntax", "%s%02d is not used in this set",
                       q->base.seg.id, i);
}

/* The values of a repeated element (EB03 "1^33^MH"), as a list under key. */
static int put_repeated(iq *q, cJSON *obj, const char *key, int i) {
    bh_span s = bh_seg_el(&q->base.seg, i);
    cJSON *list;
    size_t start = 0, k;
    if (s.n == 0) return 0;
    if ((list = list_of(q, obj, key)) == NULL) return -1;
    for (k = 0; k <= s.n; k++) {
        if (k == s.n || (q->base.seg.rsep && s.p[k] == q->base.seg.rsep)) {
            bh_span part;
            part.p = s.p + start;
            part.n = k - start;
            if (part.n == 0)
                return bh_seg_fail(&q->base.seg, BH_ERR_SYNTAX, "x12.syntax",
                                   "%s%02d has an empty repeated value", q->base.seg.id, i);
            if (push_span(q, list, part) < 0) return -1;
            start = k + 1;
        }
    }
    return 0;
}

/* {====================================================================
** Composites
** ===================================================================== */

/* C003 / C004-style procedure: qualifier:code:mod1..mod4:description. */
static int put_procedure(iq *q, cJSON *obj, const char *key, int i) {
    bh_seg_reader *r = &q->base.seg;
    bh_span s = bh_seg_el(r, i);
    cJSON *p, *mods;
    int k, n;
    if (s.n == 0) return 0;
    n = bh_seg_ncomp(r, s);
    if (n > 8)
        return bh_seg_fail(r, BH_ERR_SYNTAX, "x12.syntax", "%s%02d has more than 8 components",
                           r->id, i);
    if ((p = new_object(q)) == NULL) return -1;
    if (!cJSON_AddItemToObject(obj, key, p)) {
        cJSON_Delete(p);
        return nomem(q);
    }
    if (put_span(q, p, "qualifier", bh_seg_comp(r, s, 1)) < 0 ||
        put_span(q, p, "code", bh_seg_comp(r, s, 2)) < 0 ||
        put_span(q, p, "description", bh_seg_comp(r, s, 7)) < 0 ||
        put_span(q, p, "product_id", bh_seg_comp(r, s, 8)) < 0)
        return -1;
    if ((mods = list_of(q, p, "modifiers")) == NULL) return -1;
    for (k = 3; k <= 6; k++)
        if (push_span(q, mods, bh_seg_comp(r, s, k)) < 0) return -1;
    return 0;
}

/* Diagnosis code pointers (C004): up to four numbers. */
static int put_pointers(iq *q, cJSON *obj, int i) {
    bh_seg_reader *r = &q->base.seg;
    bh_span s = bh_seg_el(r, i);
    cJSON *list;
    int k;
    if (s.n == 0) return 0;
    if (bh_seg_ncomp(r, s) > 4) return fail(q, "more than four diagnosis code pointers");
    if ((list = list_of(q, obj, "diagnosis_pointers")) == NULL) return -1;
    for (k = 1; k <= 4; k++)
        if (push_span(q, list, bh_seg_comp(r, s, k)) < 0) return -1;
    return 0;
}

/* {====================================================================
** Segments shared by levels and items
** ===================================================================== */

static int read_nm1(iq *q, cJSON *p) {
    static const char *const keys[] = {NULL, "entity", "entity_type", "last", "first",
                                       "middle", "prefix", "suffix", "id_qualifier", "id",
                                       "relationship", "entity_id_code"};
    int i;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 11) < 0) return -1;
    for (i = 1; i <= 11; i++)
        if (put_text(q, p, keys[i], i) < 0) return -1;
    return 0;
}

static int read_ref(iq *q, cJSON *owner) {
    cJSON *o;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 3) < 0) return -1;
    if ((o = push_object(q, owner, "references")) == NULL) return -1;
    return put_text(q, o, "qualifier", 1) | put_text(q, o, "value", 2) |
           put_text(q, o, "description", 3);
}

static int read_address_n3(iq *q, cJSON *owner) {
    cJSON *a = cJSON_GetObjectItemCaseSensitive(owner, "address");
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 2) < 0) return -1;
    if (a == NULL && (a = cJSON_AddObjectToObject(owner, "address")) == NULL) return nomem(q);
    if (cJSON_HasObjectItem(a, "line1")) return fail(q, "a second N3 for the same name");
    return put_text(q, a, "line1", 1) | put_text(q, a, "line2", 2);
}

static int read_address_n4(iq *q, cJSON *owner) {
    cJSON *a = cJSON_GetObjectItemCaseSensitive(owner, "address");
    if (max_el(q, 7) < 0 || unused_el(q, 5) < 0) return -1;
    if (a == NULL && (a = cJSON_AddObjectToObject(owner, "address")) == NULL) return nomem(q);
    if (cJSON_HasObjectItem(a, "city") || cJSON_HasObjectItem(a, "state"))
        return fail(q, "a second N4 for the same name");
    return put_text(q, a, "city", 1) | put_text(q, a, "state", 2) | put_text(q, a, "zip", 3) |
           put_text(q, a, "country", 4) | put_text(q, a, "location_qualifier", 5) |
           put_text(q, a, "location", 6) | put_text(q, a, "country_subdivision", 7);
}

static int read_per(iq *q, cJSON *owner) {
    cJSON *c, *numbers;
    int k;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 8) < 0) return -1;
    if ((c = push_object(q, owner, "contacts")) == NULL) return -1;
    if (put_text(q, c, "function_code", 1) < 0 || put_text(q, c, "name", 2) < 0) return -1;
    if ((numbers = list_of(q, c, "numbers")) == NULL) return -1;
    for (k = 0; k < 3; k++) {
        bh_span qual = bh_seg_el(&q->base.seg, 3 + 2 * k), v = bh_seg_el(&q->base.seg, 4 + 2 * k);
        cJSON *n;
        if (qual.n == 0 && v.n == 0) continue;
        if ((n = new_object(q)) == NULL) return -1;
        if (!cJSON_AddItemToArray(numbers, n)) {
            cJSON_Delete(n);
            return nomem(q);
        }
        if (put_span(q, n, "qualifier", qual) < 0 || put_span(q, n, "value", v) < 0) return -1;
    }
    return 0;
}

static int read_prv(iq *q, cJSON *owner) {
    cJSON *p;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 3) < 0) return -1;
    if (cJSON_HasObjectItem(owner, "provider_info")) return fail(q, "a second PRV");
    if ((p = cJSON_AddObjectToObject(owner, "provider_info")) == NULL) return nomem(q);
    return put_text(q, p, "code", 1) | put_text(q, p, "id_qualifier", 2) |
           put_text(q, p, "id", 3);
}

static int read_dmg(iq *q, cJSON *owner) {
    bh_span fmt = bh_seg_el(&q->base.seg, 1);
    if (max_el(q, 3) < 0) return -1;
    if (fmt.n && !bh_seg_is(fmt, "D8")) return fail(q, "DMG01 must be D8");
    if (cJSON_HasObjectItem(owner, "birth_date") || cJSON_HasObjectItem(owner, "gender"))
        return fail(q, "a second DMG");
    return put_date(q, owner, "birth_date", 2) | put_text(q, owner, "gender", 3);
}

static int read_ins(iq *q, cJSON *owner) {
    cJSON *o;
    int i;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 17) < 0) return -1;
    for (i = 5; i <= 16; i++)
        if (i != 9 && i != 10 && unused_el(q, i) < 0) return -1;
    if (cJSON_HasObjectItem(owner, "insured")) return fail(q, "a second INS");
    if ((o = cJSON_AddObjectToObject(owner, "insured")) == NULL) return nomem(q);
    return put_text(q, o, "is_subscriber", 1) | put_text(q, o, "relationship", 2) |
           put_text(q, o, "maintenance_type", 3) | put_text(q, o, "maintenance_reason", 4) |
           put_text(q, o, "student_status", 9) | put_text(q, o, "handicap", 10) |
           put_text(q, o, "birth_sequence", 17);
}

/* MPI (2100C/D military personnel information), kept positionally. */
static int read_mpi(iq *q, cJSON *owner) {
    cJSON *o;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 7) < 0) return -1;
    if (cJSON_HasObjectItem(owner, "military")) return fail(q, "a second MPI");
    if ((o = cJSON_AddObjectToObject(owner, "military")) == NULL) return nomem(q);
    return put_text(q, o, "information_status", 1) | put_text(q, o, "employment_status", 2) |
           put_text(q, o, "affiliation", 3) | put_text(q, o, "description", 4) |
           put_text(q, o, "rank", 5) | put_text(q, o, "date_format", 6) |
           put_text(q, o, "date", 7);
}

static int read_hi(iq *q, cJSON *owner) {
    cJSON *list;
    int i;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 8) < 0) return -1;
    if ((list = list_of(q, owner, "diagnoses")) == NULL) return -1;
    for (i = 1; i <= 8; i++) {
        bh_span s = bh_seg_el(&q->base.seg, i);
        cJSON *d;
        if (s.n == 0) continue;
        if (bh_seg_ncomp(&q->base.seg, s) > 2)
            return fail(q, "an HI composite has more than 2 parts");
        if ((d = new_object(q)) == NULL) return -1;
        if (!cJSON_AddItemToArray(list, d)) {
            cJSON_Delete(d);
            return nomem(q);
        }
        if (put_span(q, d, "qualifier", bh_seg_comp(&q->base.seg, s, 1)) < 0 ||
            put_span(q, d, "code", bh_seg_comp(&q->base.seg, s, 2)) < 0)
            return -1;
    }
    return 0;
}

/* DTP: D8 gives date, RD8 from and to; another format keeps the value. */
static int read_dtp(iq *q, cJSON *owner) {
    bh_seg_reader *r = &q->base.seg;
    bh_span fmt = bh_seg_el(r, 2), v = bh_seg_el(r, 3);
    cJSON *o;
    if (bh_seg_required(r, 1) < 0 || bh_seg_required(r, 2) < 0 || bh_seg_required(r, 3) < 0 ||
        max_el(q, 3) < 0)
        return -1;
    if ((o = push_object(q, owner, "dates")) == NULL) return -1;
    if (put_text(q, o, "qualifier", 1) < 0 || put_text(q, o, "format", 2) < 0) return -1;
    if (bh_seg_is(fmt, "D8")) return put_date_span(q, o, "date", v, "DTP03");
    if (bh_seg_is(fmt, "RD8")) {
        bh_span a = v, b = v;
        if (v.n != 17 || v.p[8] != '-') return fail(q, "DTP03 is not a range CCYYMMDD-CCYYMMDD");
        a.n = 8;
        b.p += 9;
        b.n = 8;
        return put_date_span(q, o, "from", a, "DTP03") | put_date_span(q, o, "to", b, "DTP03");
    }
    return put_text(q, o, "value", 3);
}

static int read_aaa(iq *q, cJSON *owner) {
    cJSON *o;
    if (bh_seg_required(&q->base.seg, 1) < 0 || bh_seg_required(&q->base.seg, 3) < 0 ||
        bh_seg_required(&q->base.seg, 4) < 0 || max_el(q, 4) < 0 || unused_el(q, 2) < 0)
        return -1;
    if ((o = push_object(q, owner, "errors")) == NULL) return -1;
    if ((put_text(q, o, "valid", 1) | put_text(q, o, "reason", 3) |
         put_text(q, o, "follow_up", 4)) < 0)
        return -1;
    return put_meaning(q, o, "reason", "reason_meaning", "reject_reason") |
           put_meaning(q, o, "follow_up", "follow_up_meaning", "follow_up");
}

static int read_trn(iq *q, cJSON *owner, int single) {
    cJSON *o;
    if (bh_seg_required(&q->base.seg, 1) < 0 || bh_seg_required(&q->base.seg, 2) < 0 ||
        max_el(q, 4) < 0)
        return -1;
    if (single) {
        if (cJSON_HasObjectItem(owner, "trace")) return fail(q, "a second TRN");
        if ((o = cJSON_AddObjectToObject(owner, "trace")) == NULL) return nomem(q);
    } else if ((o = push_object(q, owner, "traces")) == NULL) {
        return -1;
    }
    return put_text(q, o, "type", 1) | put_text(q, o, "number", 2) |
           put_text(q, o, "originator", 3) | put_text(q, o, "supplement", 4);
}

static int read_amt(iq *q, cJSON *owner) {
    cJSON *o;
    if (bh_seg_required(&q->base.seg, 1) < 0 || bh_seg_required(&q->base.seg, 2) < 0 ||
        max_el(q, 3) < 0)
        return -1;
    if ((o = push_object(q, owner, "amounts")) == NULL) return -1;
    return put_text(q, o, "qualifier", 1) | put_amount(q, o, "amount", 2) |
           put_text(q, o, "credit_debit", 3);
}

/* III: place of service (qualifier ZZ, CMS place-of-service code) or
** another industry code. */
static int read_iii(iq *q, cJSON *owner) {
    cJSON *o;
    if (bh_seg_required(&q->base.seg, 1) < 0 || bh_seg_required(&q->base.seg, 2) < 0 ||
        max_el(q, 2) < 0)
        return -1;
    if ((o = push_object(q, owner, "places_of_service")) == NULL) return -1;
    return put_text(q, o, "qualifier", 1) | put_text(q, o, "code", 2);
}

static int read_msg(iq *q, cJSON *owner) {
    cJSON *list;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 1) < 0) return -1;
    if ((list = list_of(q, owner, "messages")) == NULL) return -1;
    return push_span(q, list, bh_seg_el(&q->base.seg, 1));
}

static int read_hsd(iq *q, cJSON *owner) {
    cJSON *o;
    if (max_el(q, 8) < 0) return -1;
    if ((o = push_object(q, owner, "deliveries")) == NULL) return -1;
    return put_text(q, o, "quantity_qualifier", 1) | put_quantity(q, o, "quantity", 2) |
           put_text(q, o, "unit", 3) | put_quantity(q, o, "sample_modulus", 4) |
           put_text(q, o, "time_period", 5) | put_quantity(q, o, "periods", 6) |
           put_text(q, o, "frequency", 7) | put_text(q, o, "time_code", 8);
}

/* {====================================================================
** 270 EQ and 271 EB
** ===================================================================== */

static int read_eq(iq *q) {
    cJSON *o;
    if (max_el(q, 5) < 0 || unused_el(q, 4) < 0) return -1;
    if (bh_seg_el(&q->base.seg, 1).n == 0 && bh_seg_el(&q->base.seg, 2).n == 0)
        return fail(q, "EQ01 or EQ02 is required");
    if ((o = push_object(q, q->level, "inquiries")) == NULL) return -1;
    q->item = o;
    return put_repeated(q, o, "service_types", 1) | put_procedure(q, o, "procedure", 2) |
           put_text(q, o, "coverage_level", 3) | put_pointers(q, o, 5);
}

static int read_eb(iq *q) {
    cJSON *o;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 14) < 0) return -1;
    if ((o = push_object(q, q->level, "benefits")) == NULL) return -1;
    q->item = o;
    q->in_ls = 0;
    q->entity = NULL;
    if ((put_text(q, o, "kind", 1) | put_text(q, o, "coverage_level", 2) |
         put_repeated(q, o, "service_types", 3) | put_text(q, o, "insurance_type", 4) |
         put_text(q, o, "plan", 5) | put_text(q, o, "time_period", 6) |
         put_amount(q, o, "amount", 7) | put_quantity(q, o, "percent", 8) |
         put_text(q, o, "quantity_qualifier", 9) | put_quantity(q, o, "quantity", 10) |
         put_text(q, o, "authorization_required", 11) | put_text(q, o, "in_network", 12) |
         put_procedure(q, o, "procedure", 13) | put_pointers(q, o, 14)) < 0)
        return -1;
    return put_meaning(q, o, "kind", "kind_meaning", "eb_kind") |
           put_meaning(q, o, "time_period", "time_period_meaning", "time_period") |
           put_meaning(q, o, "coverage_level", "coverage_level_meaning", "coverage_level") |
           put_meaning(q, o, "quantity_qualifier", "quantity_qualifier_meaning", "quantity") |
           put_meaning(q, o, "authorization_required", "authorization_required_meaning",
                       "authorization") |
           put_meaning(q, o, "in_network", "in_network_meaning", "network");
}

/* A segment of the 2120C/D loop (LS ... LE) of a 271 benefit. */
static int read_2120(iq *q) {
    if (is_id(q, "NM1")) {
        cJSON *e = push_object(q, q->item, "entities");
        if (e == NULL) return -1;
        q->entity = e;
        return read_nm1(q, e);
    }
    if (q->entity == NULL) return fail(q, "out of place: expected NM1 after LS");
    if (is_id(q, "N3")) return read_address_n3(q, q->entity);
    if (is_id(q, "N4")) return read_address_n4(q, q->entity);
    if (is_id(q, "PER")) return read_per(q, q->entity);
    if (is_id(q, "PRV")) return read_prv(q, q->entity);
    return fail(q, "out of place: expected NM1, N3, N4, PER, PRV or LE inside LS..LE");
}

static int read_ls(iq *q, int open) {
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 1) < 0) return -1;
    if (!bh_seg_is(bh_seg_el(&q->base.seg, 1), "2120")) return fail(q, "LS01/LE01 must be 2120");
    if (open) {
        if (q->item == NULL || q->in_ls) return fail(q, "out of place: LS goes after an EB");
        q->in_ls = 1;
        q->entity = NULL;
        return 0;
    }
    if (!q->in_ls) return fail(q, "out of place: LE without LS");
    if (q->entity == NULL) return fail(q, "LS..LE holds no NM1");
    q->in_ls = 0;
    return 0;
}

/* {====================================================================
** 276/277 claims, STC and SVC
** ===================================================================== */

static int put_status_code(iq *q, cJSON *codes, int i) {
    bh_seg_reader *r = &q->base.seg;
    bh_span s = bh_seg_el(r, i);
    cJSON *o;
    if (s.n == 0) return 0;
    if (bh_seg_ncomp(r, s) > 4)
        return bh_seg_fail(r, BH_ERR_SYNTAX, "x12.syntax", "STC%02d has more than 4 components",
                           i);
    if ((o = new_object(q)) == NULL) return -1;
    if (!cJSON_AddItemToArray(codes, o)) {
        cJSON_Delete(o);
        return nomem(q);
    }
    if ((put_span(q, o, "category", bh_seg_comp(r, s, 1)) |
         put_span(q, o, "code", bh_seg_comp(r, s, 2)) |
         put_span(q, o, "entity", bh_seg_comp(r, s, 3)) |
         put_span(q, o, "code_list", bh_seg_comp(r, s, 4))) < 0)
        return -1;
    return put_meaning(q, o, "category", "category_meaning", "status_category") |
           put_meaning(q, o, "code", "code_meaning", "status_code");
}

static int read_stc(iq *q, cJSON *owner) {
    cJSON *o, *codes;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 12) < 0) return -1;
    if ((o = push_object(q, owner, "statuses")) == NULL) return -1;
    if ((codes = list_of(q, o, "codes")) == NULL) return -1;
    return put_status_code(q, codes, 1) | put_status_code(q, codes, 10) |
           put_status_code(q, codes, 11) | put_date(q, o, "date", 2) |
           put_text(q, o, "action", 3) | put_amount(q, o, "charge", 4) |
           put_amount(q, o, "paid", 5) | put_date(q, o, "adjudication_date", 6) |
           put_text(q, o, "payment_method", 7) | put_date(q, o, "payment_date", 8) |
           put_text(q, o, "check_number", 9) | put_text(q, o, "free_text", 12);
}

static int read_svc(iq *q) {
    cJSON *o;
    if (bh_seg_required(&q->base.seg, 1) < 0 || max_el(q, 7) < 0 || unused_el(q, 5) < 0) return -1;
    if ((o = push_object(q, q->item, "lines")) == NULL) return -1;
    q->line = o;
    return put_procedure(q, o, "procedure", 1) | put_amount(q, o, "charge", 2) |
           put_amount(q, o, "paid", 3) | put_text(q, o, "revenue_code", 4) |
           put_procedure(q, o, "original_procedure", 6) | put_quantity(q, o, "units", 7);
}

/* A segment after TRN (a claim under 22/23, or the level's own status
** under 20/21/19), or after SVC. */
static int read_claim_segment(iq *q) {
    cJSON *owner = q->line ? q->line : q->item;
    int is_277 = strcmp(q->kind, "277") == 0;
    if (is_id(q, "STC")) {
        if (!is_277) return fail(q, "STC is not part of a 276");
        return read_stc(q, owner);
    }
    if (is_id(q, "REF")) return read_ref(q, owner);
    if (is_id(q, "DTP")) return read_dtp(q, owner);
    if (is_id(q, "AMT") && q->line == NULL) return read_amt(q, owner);
    if (is_id(q, "SVC")) {
        if (q->level_code != LV_SUBSCRIBER && q->level_code != LV_DEPENDENT)
            return fail(q, "out of place: SVC goes under a claim");
        return read_svc(q);
    }
    return fail(q, "out of place in a claim: expected STC, REF, DTP, AMT, SVC, HL or SE");
}

/* {====================================================================
** HL and the level segments
** ===================================================================== */

static int level_of(bh_span code) {
    if (bh_seg_is(code, "20")) return LV_SOURCE;
    if (bh_seg_is(code, "21")) return LV_RECEIVER;
    if (bh_seg_is(code, "19")) return LV_PROVIDER;
    if (bh_seg_is(code, "22")) return LV_SUBSCRIBER;
    if (bh_seg_is(code, "23")) return LV_DEPENDENT;
    return -1;
}

static int span_eq(bh_span a, bh_span b) {
    return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* FNV-1a over the HL id. */
static size_t span_hash(bh_span s) {
    size_t h = (size_t)2166136261u, i;
    for (i = 0; i < s.n; i++) h = (h ^ (unsigned char)s.p[i]) * (size_t)16777619u;
    return h;
}

/* The index of the HL with this id, or (size_t)-1. HL ids are looked up
** in a hash so that a 271 with thousands of members reads in linear time. */
static size_t hl_find(const iq *q, bh_span id) {
    size_t mask, k;
    if (q->n_slots == 0) return (size_t)-1;
    mask = q->n_slots - 1;
    for (k = span_hash(id) & mask; q->slots[k]; k = (k + 1) & mask)
        if (span_eq(q->hls[q->slots[k] - 1].id, id)) return q->slots[k] - 1;
    return (size_t)-1;
}

static void hl_slot(iq *q, size_t index) {
    size_t mask = q->n_slots - 1, k;
    for (k = span_hash(q->hls[index].id) & mask; q->slots[k]; k = (k + 1) & mask) continue;
    q->slots[k] = index + 1;
}

/* Appends an HL and indexes it; -1 on OOM. */
static int hl_add(iq *q, bh_span id, cJSON *obj, int level) {
    size_t k;
    if (q->n_hls == q->cap_hls) {
        size_t cap = q->cap_hls ? q->cap_hls * 2 : 16;
        hl_entry *n = (hl_entry *)realloc(q->hls, cap * sizeof *n);
        if (n == NULL) return nomem(q);
        q->hls = n;
        q->cap_hls = cap;
    }
    if (2 * (q->n_hls + 1) > q->n_slots) {
        size_t n_slots = q->n_slots ? q->n_slots * 2 : 64;
        size_t *slots = (size_t *)calloc(n_slots, sizeof *slots);
        if (slots == NULL) return nomem(q);
        free(q->slots);
        q->slots = slots;
        q->n_slots = n_slots;
        for (k = 0; k < q->n_hls; k++) hl_slot(q, k);
    }
    q->hls[q->n_hls].id = id;
    q->hls[q->n_hls].obj = obj;
    q->hls[q->n_hls].level = level;
    hl_slot(q, q->n_hls);
    q->n_hls++;
    return 0;
}

static int read_hl(iq *q) {
    bh_seg_reader *r = &q->base.seg;
    bh_span id = bh_seg_el(r, 1), parent = bh_seg_el(r, 2), code = bh_seg_el(r, 3);
    int lv = level_of(code), plv = -1;
    cJSON *owner = q->set, *obj;
    size_t k;
    if (bh_seg_required(r, 1) < 0 || bh_seg_required(r, 3) < 0 || max_el(q, 4) < 0) return -1;
    if (lv < 0 || (lv == LV_PROVIDER && q->family != BH_INQ_STATUS))
        return fail(q, "HL03 is not a level of this set");
    if (hl_find(q, id) != (size_t)-1) return fail(q, "HL01 repeats an earlier HL");
    if (parent.n) {
        k = hl_find(q, parent);
        if (k == (size_t)-1) return fail(q, "HL02 names no earlier HL");
        owner = q->hls[k].obj;
        plv = q->hls[k].level;
    }
    if (plv >= lv || (plv < 0 && lv != LV_SOURCE))
        return fail(q, "HL03 cannot stand under its parent's level");
    if ((obj = push_object(q, owner, level_lists[lv])) == NULL) return -1;
    if (put_text(q, obj, "hl", 1) < 0 || add_string(q, obj, "level", level_names[lv]) < 0 ||
        put_text(q, obj, "child_code", 4) < 0)
        return -1;
    if (hl_add(q, id, obj, lv) < 0) return -1;
    q->level = obj;
    q->level_code = lv;
    q->level_named = 0;
    q->item = q->line = q->entity = NULL;
    q->in_ls = 0;
    return 0;
}

/* A segment of the level's name loop (2100x), before any item. */
static int read_level_segment(iq *q) {
    cJSON *lv = q->level;
    int elig = q->family == BH_INQ_ELIGIBILITY;
    int member = q->level_code == LV_SUBSCRIBER || q->level_code == LV_DEPENDENT;
    if (is_id(q, "NM1")) {
        cJSON *name;
        if (q->level_named) return fail(q, "a second NM1 for the level");
        q->level_named = 1;
        if ((name = cJSON_AddObjectToObject(lv, "name")) == NULL) return nomem(q);
        return read_nm1(q, name);
    }
    if (is_id(q, "TRN") && elig) return read_trn(q, lv, 0);
    if (is_id(q, "DMG") && member) return read_dmg(q, lv);
    /* 2000A carries its own AAA, between HL and the payer's NM1. */
    if (is_id(q, "AAA") && elig && q->level_code == LV_SOURCE) return read_aaa(q, lv);
    if (!q->level_named) return fail(q, "out of place: expected NM1 after HL");
    if (is_id(q, "PER")) return read_per(q, lv);
    if (elig) {
        if (is_id(q, "REF")) return read_ref(q, lv);
        if (is_id(q, "N3")) return read_address_n3(q, lv);
        if (is_id(q, "N4")) return read_address_n4(q, lv);
        if (is_id(q, "AAA")) return read_aaa(q, lv);
        if (is_id(q, "PRV")) return read_prv(q, lv);
        if (member && is_id(q, "INS")) return read_ins(q, lv);
        if (member && is_id(q, "HI")) return read_hi(q, lv);
        if (member && is_id(q, "MPI")) return read_mpi(q, lv);
        if (member && is_id(q, "DTP")) return read_dtp(q, lv);
    }
    return fail(q, "not expected here in this set");
}

/* A segment under an EQ (270) or EB (271). */
static int read_item_segment(iq *q) {
    int is_271 = strcmp(q->kind, "271") == 0;
    if (q->in_ls) {
        if (is_id(q, "LE")) return read_ls(q, 0);
        return read_2120(q);
    }
    if (is_id(q, "REF")) return read_ref(q, q->item);
    if (is_id(q, "DTP")) return read_dtp(q, q->item);
    if (is_id(q, "III")) return read_iii(q, q->item);
    if (!is_271 && is_id(q, "AMT")) return read_amt(q, q->item);
    if (is_271) {
        if (is_id(q, "HSD")) return read_hsd(q, q->item);
        if (is_id(q, "AAA")) return read_aaa(q, q->item);
        if (is_id(q, "MSG")) return read_msg(q, q->item);
        if (is_id(q, "LS")) return read_ls(q, 1);
    }
    return fail(q, "not expected here in this set");
}

static int read_body_segment(iq *q) {
    if (is_id(q, "BHT")) {
        cJSON *h;
        if (q->bht_seen) return fail(q, "a second BHT");
        q->bht_seen = 1;
        if (max_el(q, 6) < 0) return -1;
        if ((h = cJSON_AddObjectToObject(q->set, "header")) == NULL) return nomem(q);
        return put_text(q, h, "structure", 1) | put_text(q, h, "purpose", 2) |
               put_text(q, h, "reference", 3) | put_date(q, h, "date", 4) |
               put_text(q, h, "time", 5) | put_text(q, h, "transaction_type", 6);
    }
    if (!q->bht_seen) return fail(q, "out of place: expected BHT after ST");
    if (is_id(q, "HL")) return read_hl(q);
    if (q->level == NULL) return fail(q, "out of place: expected HL");
    if (q->family == BH_INQ_ELIGIBILITY) {
        int member = q->level_code == LV_SUBSCRIBER || q->level_code == LV_DEPENDENT;
        if (member && is_id(q, "EQ") && strcmp(q->kind, "270") == 0) return read_eq(q);
        if (member && is_id(q, "EB") && strcmp(q->kind, "271") == 0) return read_eb(q);
        if (q->item != NULL) return read_item_segment(q);
        return read_level_segment(q);
    }
    if (is_id(q, "TRN")) {
        int member = q->level_code == LV_SUBSCRIBER || q->level_code == LV_DEPENDENT;
        cJSON *owner = q->level;
        if (!q->level_named) return fail(q, "out of place: expected NM1 before TRN");
        if (member && (owner = push_object(q, q->level, "claims")) == NULL) return -1;
        if (!member && q->item != NULL) return fail(q, "a second TRN for the level");
        q->item = owner;
        q->line = NULL;
        return read_trn(q, owner, 1);
    }
    if (q->item != NULL) return read_claim_segment(q);
    return read_level_segment(q);
}

/* {====================================================================
** Sets and the driver
** ===================================================================== */

static int add_env(iq *q) {
    const bh_ans_interchange *x = &q->base.env.interchange;
    const bh_ans_group *g = &q->base.env.group;
    cJSON *o;
    if (x->has) {
        if ((o = cJSON_AddObjectToObject(q->set, "interchange")) == NULL) return nomem(q);
        if (add_string(q, o, "sender_qualifier", x->sender_qualifier) < 0 ||
            add_string(q, o, "sender_id", x->sender_id) < 0 ||
            add_string(q, o, "receiver_qualifier", x->receiver_qualifier) < 0 ||
            add_string(q, o, "receiver_id", x->receiver_id) < 0 ||
            add_string(q, o, "date", x->date) < 0 || add_string(q, o, "time", x->time) < 0 ||
            add_string(q, o, "control_number", x->control_number) < 0 ||
            add_string(q, o, "version", x->version) < 0 ||
            add_string(q, o, "ack_requested", x->ack_requested) < 0 ||
            add_string(q, o, "usage", x->usage) < 0)
            return -1;
    }
    if (g->has) {
        if ((o = cJSON_AddObjectToObject(q->set, "group")) == NULL) return nomem(q);
        if (add_string(q, o, "functional_id", g->functional_id) < 0 ||
            add_string(q, o, "sender", g->sender) < 0 ||
            add_string(q, o, "receiver", g->receiver) < 0 ||
            add_string(q, o, "date", g->date) < 0 || add_string(q, o, "time", g->time) < 0 ||
            add_string(q, o, "control_number", g->control_number) < 0 ||
            add_string(q, o, "version", g->version) < 0)
            return -1;
    }
    return 0;
}

static int start_set(iq *q) {
    bh_span st01 = bh_seg_el(&q->base.seg, 1);
    static const char *const kinds[] = {"270", "271", "276", "277"};
    int k;
    q->kind = NULL;
    for (k = 0; k < 4; k++)
        if (bh_seg_is(st01, kinds[k])) q->kind = kinds[k];
    if ((q->set = new_object(q)) == NULL) return -1;
    if (!cJSON_AddItemToArray(q->sets, q->set)) {
        cJSON_Delete(q->set);
        q->set = NULL;
        return nomem(q);
    }
    q->bht_seen = 0;
    q->n_hls = 0;
    if (q->slots != NULL) memset(q->slots, 0, q->n_slots * sizeof *q->slots);
    q->level = q->item = q->line = q->entity = NULL;
    q->in_ls = 0;
    if (add_string(q, q->set, "kind", q->kind) < 0 || add_env(q) < 0 ||
        put_text(q, q->set, "set_control_number", 2) < 0 ||
        put_text(q, q->set, "implementation", 3) < 0)
        return -1;
    return 0;
}

static int end_set(iq *q) {
    if (q->in_ls) return fail(q, "the set ends inside LS..LE");
    if (q->n_hls == 0) return fail(q, "the set ends before its first HL");
    q->set = NULL;
    return 0;
}

static int step(iq *q) {
    int rc = bh_ans_reader_next_segment(&q->base);
    if (rc <= 0) return rc;
    bh_arena_reset(q->arena);
    if (q->base.env.state == BH_ENV_ST && !bh_seg_id_is(&q->base.seg, "SE"))
        return read_body_segment(q) < 0 ? -1 : 1;
    if (bh_seg_id_is(&q->base.seg, "SE") && q->base.env.state == BH_ENV_ST && end_set(q) < 0)
        return -1;
    if (q->family == BH_INQ_ELIGIBILITY)
        rc = bh_ans_envelope(&q->base.seg, &q->base.env, "270", "271");
    else
        rc = bh_ans_envelope(&q->base.seg, &q->base.env, "276", "277");
    if (rc < 0) return -1;
    if (rc == BH_ENV_NOT) return fail(q, "out of place: expected an envelope segment");
    if (rc == BH_ENV_SET_START) return start_set(q) < 0 ? -1 : 1;
    return 1;
}

cJSON *bh_inquiry_read(bh_inquiry_family family, const char *data, size_t len,
                       bh_error *err) {
    iq q;
    int rc;
    cJSON *out;
    memset(&q, 0, sizeof q);
    q.family = family;
    q.arena = bh_arena_new(4096);
    q.sets = cJSON_CreateArray();
    if (bh_ans_reader_init(&q.base, data, len, q.sets != NULL ? q.arena : NULL, err) < 0) {
        rc = -2;
    } else {
        do rc = step(&q);
        while (rc == 1 && !q.base.seg.failed);
        if (q.base.seg.failed) rc = -1;
        if (rc == 0 && cJSON_GetArraySize(q.sets) == 0) {
            rc = -1;
            q.base.seg.failed = 0;
            bh_seg_fail(&q.base.seg, BH_ERR_SYNTAX, "x12.syntax", "no %s set in the data",
                        family == BH_INQ_ELIGIBILITY ? "270 or 271" : "276 or 277");
        }
        if (rc < 0 && err != NULL) *err = q.base.error;
    }
    out = rc == 0 ? q.sets : NULL;
    if (out == NULL) cJSON_Delete(q.sets);
    bh_arena_free(q.arena);
    bh_ans_reader_release(&q.base);
    free(q.hls);
    free(q.slots);
    return out;
}
