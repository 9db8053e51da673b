/*
** x12_ack.c: the streaming reader of acknowledgements: TA1 (interchange),
** 999 (005010X231/A1, implementation acknowledgement) and 277CA
** (005010X214, claim acknowledgement). One TA1 or one set per call.
** SPDX-License-Identifier: MIT
*/
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "x12_seg.h"

/* Where the reader stands inside a set. */
enum place {
    A_OUT,
    A_AK1,          /* 999 after ST: AK1 */
    A_GROUP,        /* after AK1 or IK5: AK2 or AK9 */
    A_SET,          /* after AK2: IK3 or IK5 */
    A_SEGMENT,      /* after IK3: CTX, IK4, IK3, IK5 */
    A_ELEMENT,      /* after IK4: CTX, IK4, IK3, IK5 */
    A_AK9,          /* after AK9: SE */
    A_BHT,          /* 277CA after ST: BHT */
    A_HL0,          /* after BHT: HL */
    A_LEVEL,        /* inside an HL */
    A_LINE          /* inside an SVC of a patient level */
};

struct bh_ack_reader {
    bh_ans_reader base;     /* tokenizer, envelope, error */
    bh_arena *arena;
    bh_ack ack;
    int place;
    bh_ack_set *set;
    bh_ack_segment *segment;
    bh_ack_element *element;
    bh_ack_level *level;
    bh_ack_line *line;
};

static int is_id(const bh_ack_reader *r, const char *id) {
    return bh_seg_id_is(&r->base.seg, id);
}

static int fail_syntax(bh_ack_reader *r, const char *what) {
    return bh_seg_syntax(&r->base.seg, what);
}

static int out_of_place(bh_ack_reader *r) {
    static const char *const expected[] = {
        "ST or TA1", "AK1", "AK2 or AK9", "IK3 or IK5", "CTX, IK4, IK3 or IK5",
        "CTX, IK4, IK3 or IK5", "SE", "BHT", "HL",
        "NM1, TRN, STC, QTY, AMT, REF, DTP, SVC, HL or SE",
        "STC, REF, DTP, SVC, HL or SE"
    };
    return bh_seg_out_of_place(&r->base.seg, expected[r->place]);
}

static void start_item(bh_ack_reader *r, const char *kind) {
    bh_arena_reset(r->arena);
    memset(&r->ack, 0, sizeof r->ack);
    r->ack.kind = kind;
    r->ack.interchange = r->base.env.interchange;
    r->ack.group = r->base.env.group;
    r->base.seg.arena = r->arena;
    r->set = NULL;
    r->segment = NULL;
    r->element = NULL;
    r->level = NULL;
    r->line = NULL;
}

static int read_ta1(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_ack *a = &r->ack;
    int i;
    start_item(r, "TA1");
    for (i = 1; i <= 5; i++)
        if (bh_seg_required(s, i) < 0) return -1;
    if (bh_ans_max_elements(s, 5) < 0) return -1;
    return bh_ans_el_text(s, 1, &a->control_number) | bh_ans_el_text(s, 2, &a->date) |
           bh_ans_el_text(s, 3, &a->time) | bh_ans_el_text(s, 4, &a->status) |
           bh_ans_el_text(s, 5, &a->note_code);
}

/* {--- 999 --- */

static int read_ctx(bh_ack_reader *r, bh_ack_context *c) {
    bh_seg_reader *s = &r->base.seg;
    bh_span name = bh_seg_el(s, 1), pos = bh_seg_el(s, 5), ref = bh_seg_el(s, 6);
    if (bh_seg_required(s, 1) < 0 || bh_ans_max_elements(s, 6) < 0) return -1;
    return bh_ans_text(s, bh_seg_comp(s, name, 1), &c->name) |
           bh_ans_text(s, bh_seg_comp(s, name, 2), &c->reference) |
           bh_ans_el_text(s, 2, &c->segment_id) | bh_ans_el_text(s, 3, &c->position) |
           bh_ans_el_text(s, 4, &c->loop) |
           bh_ans_text(s, bh_seg_comp(s, pos, 1), &c->element_position) |
           bh_ans_text(s, bh_seg_comp(s, pos, 2), &c->component) |
           bh_ans_text(s, bh_seg_comp(s, pos, 3), &c->repeat_index) |
           bh_ans_text(s, bh_seg_comp(s, ref, 1), &c->element_reference);
}

static int read_ak2(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_ack_set *set;
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 ||
        bh_ans_max_elements(s, 3) < 0)
        return -1;
    if ((set = BH_ANS_PUSH(s, r->ack.sets)) == NULL) return -1;
    r->set = set;
    r->place = A_SET;
    return bh_ans_el_text(s, 1, &set->set_id) | bh_ans_el_text(s, 2, &set->control_number) |
           bh_ans_el_text(s, 3, &set->version);
}

static int read_ik3(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_ack_segment *e;
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 || bh_seg_required(s, 4) < 0 ||
        bh_ans_max_elements(s, 4) < 0)
        return -1;
    if ((e = BH_ANS_PUSH(s, r->set->errors)) == NULL) return -1;
    r->segment = e;
    r->place = A_SEGMENT;
    return bh_ans_el_text(s, 1, &e->segment_id) | bh_ans_el_quantity(s, 2, &e->position) |
           bh_ans_el_text(s, 3, &e->loop) | bh_ans_el_text(s, 4, &e->code);
}

static int read_ik4(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_span pos = bh_seg_el(s, 1);
    bh_ack_element *e;
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 3) < 0 ||
        bh_ans_max_elements(s, 4) < 0)
        return -1;
    if ((e = BH_ANS_PUSH(s, r->segment->elements)) == NULL) return -1;
    r->element = e;
    r->place = A_ELEMENT;
    return bh_ans_text(s, bh_seg_comp(s, pos, 1), &e->position) |
           bh_ans_text(s, bh_seg_comp(s, pos, 2), &e->component) |
           bh_ans_text(s, bh_seg_comp(s, pos, 3), &e->repeat_index) |
           bh_ans_el_text(s, 2, &e->reference) | bh_ans_el_text(s, 3, &e->code) |
           bh_ans_el_text(s, 4, &e->value);
}

static int read_codes(bh_ack_reader *r, int first, const char **codes) {
    int k;
    for (k = 0; k < 5; k++)
        if (bh_ans_el_text(&r->base.seg, first + k, &codes[k]) < 0) return -1;
    return 0;
}

static int read_999_segment(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_ack *a = &r->ack;
    int p = r->place;
    if (p == A_AK1) {
        if (!is_id(r, "AK1")) return out_of_place(r);
        if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 ||
            bh_ans_max_elements(s, 3) < 0)
            return -1;
        r->place = A_GROUP;
        return bh_ans_el_text(s, 1, &a->functional_id) |
               bh_ans_el_text(s, 2, &a->group_control_number) |
               bh_ans_el_text(s, 3, &a->version);
    }
    if (is_id(r, "AK2") && p == A_GROUP) return read_ak2(r);
    if (is_id(r, "IK3") && p >= A_SET && p <= A_ELEMENT) return read_ik3(r);
    if (is_id(r, "IK4") && (p == A_SEGMENT || p == A_ELEMENT)) return read_ik4(r);
    if (is_id(r, "CTX") && (p == A_SEGMENT || p == A_ELEMENT)) {
        bh_ack_context *c = p == A_SEGMENT ? BH_ANS_PUSH(s, r->segment->context)
                                           : BH_ANS_PUSH(s, r->element->context);
        return c == NULL ? -1 : read_ctx(r, c);
    }
    if (is_id(r, "IK5") && p >= A_SET && p <= A_ELEMENT) {
        if (bh_seg_required(s, 1) < 0 || bh_ans_max_elements(s, 6) < 0) return -1;
        r->place = A_GROUP;
        return bh_ans_el_text(s, 1, &r->set->status) | read_codes(r, 2, r->set->codes);
    }
    if (is_id(r, "AK9") && p == A_GROUP) {
        if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 ||
            bh_seg_required(s, 3) < 0 || bh_seg_required(s, 4) < 0 ||
            bh_ans_max_elements(s, 9) < 0)
            return -1;
        r->place = A_AK9;
        return bh_ans_el_text(s, 1, &a->group_status) |
               bh_ans_el_quantity(s, 2, &a->sets_included) |
               bh_ans_el_quantity(s, 3, &a->sets_received) |
               bh_ans_el_quantity(s, 4, &a->sets_accepted) | read_codes(r, 5, a->group_codes);
    }
    return out_of_place(r);
}

/* {--- 277CA --- */

static int read_bht(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_ack *a = &r->ack;
    if (!is_id(r, "BHT")) return out_of_place(r);
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 || bh_seg_required(s, 3) < 0 ||
        bh_seg_required(s, 4) < 0 || bh_ans_max_elements(s, 6) < 0)
        return -1;
    r->place = A_HL0;
    return bh_ans_el_text(s, 1, &a->structure) | bh_ans_el_text(s, 2, &a->purpose) |
           bh_ans_el_text(s, 3, &a->reference) | bh_ans_el_date(s, 4, &a->bht_date) |
           bh_ans_el_text(s, 5, &a->bht_time) | bh_ans_el_text(s, 6, &a->type);
}

static int read_hl(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_span level = bh_seg_el(s, 3);
    bh_ack_level *l;
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 3) < 0 ||
        bh_ans_max_elements(s, 4) < 0)
        return -1;
    if (!bh_seg_is(level, "20") && !bh_seg_is(level, "21") && !bh_seg_is(level, "19") &&
        !bh_seg_is(level, "PT"))
        return fail_syntax(r, "HL03 must be 20, 21, 19 or PT in a 277CA");
    if ((r->place == A_HL0) != bh_seg_is(level, "20"))
        return fail_syntax(r, "the first HL, and only it, must be level 20 (information source)");
    if ((l = BH_ANS_PUSH(s, r->ack.levels)) == NULL) return -1;
    r->level = l;
    r->line = NULL;
    r->place = A_LEVEL;
    return bh_ans_el_text(s, 1, &l->id) | bh_ans_el_text(s, 2, &l->parent) |
           bh_ans_el_text(s, 3, &l->level);
}

/* STC: three composites (01, 10, 11) of category:code:entity:code list. */
static int read_stc(bh_ack_reader *r, bh_ack_status *st) {
    bh_seg_reader *s = &r->base.seg;
    static const int composite[3] = {1, 10, 11};
    int k, i;
    if (bh_seg_required(s, 1) < 0 || bh_ans_max_elements(s, 12) < 0) return -1;
    for (i = 5; i <= 9; i++)
        if (bh_seg_el(s, i).n)
            return bh_seg_fail(s, BH_ERR_SYNTAX, "x12.syntax",
                               "STC%02d is not used in a 277CA", i);
    for (k = 0; k < 3; k++) {
        bh_span c = bh_seg_el(s, composite[k]);
        if (c.n == 0) continue;
        if (bh_seg_comp(s, c, 1).n == 0 || bh_seg_comp(s, c, 2).n == 0)
            return bh_seg_fail(s, BH_ERR_SYNTAX, "x12.syntax",
                               "STC%02d needs a category and a status code", composite[k]);
        if (bh_ans_text(s, bh_seg_comp(s, c, 1), &st->category[k]) < 0 ||
            bh_ans_text(s, bh_seg_comp(s, c, 2), &st->code[k]) < 0 ||
            bh_ans_text(s, bh_seg_comp(s, c, 3), &st->entity[k]) < 0 ||
            bh_ans_text(s, bh_seg_comp(s, c, 4), &st->code_list[k]) < 0)
            return -1;
    }
    return bh_ans_el_date(s, 2, &st->date) | bh_ans_el_text(s, 3, &st->action) |
           bh_ans_el_amount(s, 4, &st->amount) | bh_ans_el_text(s, 12, &st->free_text);
}

/* DTP D8 "CCYYMMDD" or RD8 "CCYYMMDD-CCYYMMDD" into one or two dates. */
static int read_dtp(bh_ack_reader *r, const char **qualifier, const char **from,
                    const char **to) {
    bh_seg_reader *s = &r->base.seg;
    bh_span fmt = bh_seg_el(s, 2), v = bh_seg_el(s, 3);
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 || bh_seg_required(s, 3) < 0 ||
        bh_ans_max_elements(s, 3) < 0)
        return -1;
    if (qualifier != NULL && bh_ans_el_text(s, 1, qualifier) < 0) return -1;
    if (bh_seg_is(fmt, "D8")) {
        if (bh_ans_date(s, v, "DTP03", from) < 0) return -1;
        *to = NULL;
        return 0;
    }
    if (bh_seg_is(fmt, "RD8")) {
        bh_span a = v, b = v;
        if (v.n != 17 || v.p[8] != '-') return fail_syntax(r, "DTP03 is not CCYYMMDD-CCYYMMDD");
        a.n = 8;
        b.p += 9;
        b.n = 8;
        return bh_ans_date(s, a, "DTP03", from) | bh_ans_date(s, b, "DTP03", to);
    }
    return fail_syntax(r, "DTP02 must be D8 or RD8");
}

static int read_svc(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_span p = bh_seg_el(s, 1);
    bh_ack_line *l;
    int k;
    if (r->level == NULL || !bh_seg_is(bh_seg_el(s, 0), "SVC") ||
        strcmp(r->level->level, "PT") != 0)
        return out_of_place(r);
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 ||
        bh_ans_max_elements(s, 7) < 0)
        return -1;
    if (bh_seg_el(s, 5).n && bh_seg_el(s, 7).n)
        return fail_syntax(r, "SVC05 and SVC07 cannot both give units");
    if (bh_seg_comp(s, p, 1).n == 0 || bh_seg_ncomp(s, p) > 7)
        return fail_syntax(r, "SVC01 needs a qualifier and at most 7 components");
    if ((l = BH_ANS_PUSH(s, r->level->lines)) == NULL) return -1;
    r->line = l;
    r->place = A_LINE;
    for (k = 0; k < 4; k++)
        if (bh_ans_text(s, bh_seg_comp(s, p, 3 + k), &l->modifiers[k]) < 0) return -1;
    return bh_ans_text(s, bh_seg_comp(s, p, 1), &l->code_qualifier) |
           bh_ans_text(s, bh_seg_comp(s, p, 2), &l->code) | bh_ans_el_amount(s, 2, &l->charge) |
           bh_ans_el_amount(s, 3, &l->paid) | bh_ans_el_text(s, 4, &l->revenue_code) |
           bh_ans_el_quantity(s, bh_seg_el(s, 5).n ? 5 : 7, &l->units);
}

static int line_segment(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_ack_line *l = r->line;
    if (is_id(r, "STC")) {
        bh_ack_status *st = BH_ANS_PUSH(s, l->status);
        return st == NULL ? -1 : read_stc(r, st);
    }
    if (is_id(r, "REF")) {
        if (!bh_seg_is(bh_seg_el(s, 1), "FJ"))
            return fail_syntax(r, "REF01 must be FJ in a service line");
        if (l->control_number != NULL)
            return fail_syntax(r, "REF*FJ is sent twice in the service line");
        if (bh_seg_required(s, 2) < 0 || bh_ans_max_elements(s, 2) < 0) return -1;
        return bh_ans_el_text(s, 2, &l->control_number);
    }
    if (is_id(r, "DTP")) {
        if (!bh_seg_is(bh_seg_el(s, 1), "472"))
            return fail_syntax(r, "DTP01 must be 472 in a service line");
        if (l->date_from != NULL) return fail_syntax(r, "DTP*472 is sent twice in the line");
        return read_dtp(r, NULL, &l->date_from, &l->date_to);
    }
    return out_of_place(r);
}

static int level_segment(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_ack_level *l = r->level;
    bh_ans_pair *pair;
    if (is_id(r, "NM1")) {
        if (l->entity.entity != NULL) return fail_syntax(r, "NM1 is sent twice in the level");
        return bh_ans_nm1(s, &l->entity);
    }
    if (is_id(r, "TRN")) {
        if (l->trace_number != NULL) return fail_syntax(r, "TRN is sent twice in the level");
        if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 ||
            bh_ans_max_elements(s, 2) < 0)
            return -1;
        return bh_ans_el_text(s, 1, &l->trace_type) | bh_ans_el_text(s, 2, &l->trace_number);
    }
    if (is_id(r, "STC")) {
        bh_ack_status *st = BH_ANS_PUSH(s, l->status);
        return st == NULL ? -1 : read_stc(r, st);
    }
    if (is_id(r, "REF")) {
        if ((pair = BH_ANS_PUSH(s, l->references)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_TEXT);
    }
    if (is_id(r, "AMT")) {
        if ((pair = BH_ANS_PUSH(s, l->amounts)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_AMOUNT);
    }
    if (is_id(r, "QTY")) {
        if ((pair = BH_ANS_PUSH(s, l->quantities)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_QUANTITY);
    }
    if (is_id(r, "DTP")) {
        const char *from, *to;
        if ((pair = BH_ANS_PUSH(s, l->dates)) == NULL) return -1;
        if (read_dtp(r, &pair->qualifier, &from, &to) < 0) return -1;
        if (to == NULL) {
            pair->value = from;
        } else {
            char buf[22];
            memcpy(buf, from, 10);
            buf[10] = '/';
            memcpy(buf + 11, to, 10);
            pair->value = bh_arena_strndup(r->arena, buf, 21);
            if (pair->value == NULL)
                return bh_seg_fail(s, BH_ERR_NOMEM, "x12.nomem", "out of memory");
        }
        return 0;
    }
    if (is_id(r, "SVC")) return read_svc(r);
    return out_of_place(r);
}

static int read_277_segment(bh_ack_reader *r) {
    if (r->place == A_BHT) return read_bht(r);
    if (is_id(r, "HL")) return read_hl(r);
    if (r->place == A_LINE && !is_id(r, "SVC")) return line_segment(r);
    if (r->place == A_LINE || r->place == A_LEVEL) return level_segment(r);
    return out_of_place(r);
}

/* {--- the reader --- */

static int start_set(bh_ack_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_span id = bh_seg_el(s, 1), impl = bh_seg_el(s, 3);
    int is999 = bh_seg_is(id, "999");
    start_item(r, is999 ? "999" : "277CA");
    if (!is999) {
        bh_span version = impl.n ? impl : bh_seg_el(s, 0);
        if (impl.n == 0 && r->base.env.group.version != NULL) {
            if (strcmp(r->base.env.group.version, "005010X214") != 0)
                return fail_syntax(r, "a 277 must be a 277CA (GS08 005010X214)");
        } else if (!bh_seg_is(version, "005010X214")) {
            return fail_syntax(r, "a 277 must be a 277CA (ST03 005010X214)");
        }
    }
    r->place = is999 ? A_AK1 : A_BHT;
    return bh_ans_el_text(s, 2, &r->ack.set_control_number) |
           bh_ans_el_text(s, 3, &r->ack.implementation);
}

static int set_complete(bh_ack_reader *r) {
    if (r->place == A_AK9 || (r->place >= A_LEVEL && r->ack.levels.n)) return 0;
    return fail_syntax(r, strcmp(r->ack.kind, "999") == 0
                              ? "the set ends before AK9"
                              : "the set ends before its first HL");
}

bh_ack_reader *bh_ack_reader_new(const char *data, size_t len, bh_error *err) {
    bh_ack_reader *r = calloc(1, sizeof *r);
    if (r == NULL) {
        bh_seg_nomem(err);
        return NULL;
    }
    r->arena = bh_arena_new(8192);
    if (bh_ans_reader_init(&r->base, data, len, r->arena, err) < 0) {
        bh_ack_reader_free(r);
        return NULL;
    }
    return r;
}

/* One segment: 1 when an acknowledgement is complete, 0 at the end, 3 to
** go on, -1 on error. */
static int step(bh_ack_reader *r) {
    int rc = bh_ans_reader_next_segment(&r->base);
    if (rc <= 0) return rc;
    if (r->base.env.state == BH_ENV_ST && !is_id(r, "SE")) {
        rc = strcmp(r->ack.kind, "999") == 0 ? read_999_segment(r) : read_277_segment(r);
        return rc < 0 ? -1 : 3;
    }
    if (is_id(r, "TA1")) {
        if (r->base.env.state != BH_ENV_ISA)
            return fail_syntax(r, "out of place: TA1 goes after ISA, before any GS");
        return read_ta1(r) < 0 ? -1 : 1;
    }
    if (is_id(r, "SE") && r->base.env.state == BH_ENV_ST && set_complete(r) < 0) return -1;
    rc = bh_ans_envelope(&r->base.seg, &r->base.env, "999", "277");
    if (rc < 0) return -1;
    if (rc == BH_ENV_SET_START) return start_set(r) < 0 ? -1 : 3;
    if (rc == BH_ENV_SET_END) {
        r->place = A_OUT;
        return 1;
    }
    if (rc == BH_ENV_NOT) return out_of_place(r);
    return 3;
}

int bh_ack_reader_next(bh_ack_reader *r, const bh_ack **ack, bh_error *err) {
    int rc;
    if (ack != NULL) *ack = NULL;
    if (r == NULL) {
        bh_ans_null_reader(err);
        return -1;
    }
    do rc = step(r);
    while (rc == 3);
    rc = bh_ans_reader_result(&r->base, rc, err);
    if (rc == 1 && ack != NULL) *ack = &r->ack;
    return rc;
}

void bh_ack_reader_free(bh_ack_reader *r) {
    if (r == NULL) return;
    bh_arena_free(r->arena);
    bh_ans_reader_release(&r->base);
    free(r);
}
