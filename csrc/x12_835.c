/*
** x12_835.c: the streaming 835 (005010X221A1) remittance reader.
** One claim payment (CLP loop) per call, then the set's end with its
** provider-level adjustments (PLB). Strict on structure: a segment out of
** place, a bad amount or a missing required element fails naming the
** segment; every element the reader models is kept.
** SPDX-License-Identifier: MIT
*/
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "x12_seg.h"

/* {====================================================================
** Positional segments: element names (005010X221A1)
** ===================================================================== */

const bh_ans_field_desc bh_ans_ts3_fields[] = {
    {1, "provider_id", BH_ANS_TEXT}, {2, "facility_type", BH_ANS_TEXT},
    {3, "fiscal_period_date", BH_ANS_DATE}, {4, "claim_count", BH_ANS_QUANTITY},
    {5, "total_charge", BH_ANS_AMOUNT},
    /* 06-12, 14, 16, 19: "not used" in 5010; 4010 senders still fill them. */
    {6, "total_covered_charge", BH_ANS_AMOUNT}, {7, "total_noncovered_charge", BH_ANS_AMOUNT},
    {8, "total_denied_charge", BH_ANS_AMOUNT}, {9, "total_provider_payment", BH_ANS_AMOUNT},
    {10, "total_interest", BH_ANS_AMOUNT}, {11, "total_contractual_adjustment", BH_ANS_AMOUNT},
    {12, "ts3_12", BH_ANS_AMOUNT}, {13, "total_msp_payer_amount", BH_ANS_AMOUNT},
    {14, "ts3_14", BH_ANS_AMOUNT}, {15, "total_non_lab_charge", BH_ANS_AMOUNT},
    {16, "ts3_16", BH_ANS_AMOUNT}, {17, "total_hcpcs_reported_charge", BH_ANS_AMOUNT},
    {18, "total_hcpcs_payable_amount", BH_ANS_AMOUNT}, {19, "ts3_19", BH_ANS_AMOUNT},
    {20, "total_professional_component_amount", BH_ANS_AMOUNT},
    {21, "total_msp_patient_liability_met_amount", BH_ANS_AMOUNT},
    {22, "total_patient_reimbursement_amount", BH_ANS_AMOUNT},
    {23, "total_pip_claim_count", BH_ANS_QUANTITY}, {24, "total_pip_adjustment_amount", BH_ANS_AMOUNT},
    {0, NULL, BH_ANS_TEXT}
};

const bh_ans_field_desc bh_ans_ts2_fields[] = {
    {1, "total_drg_amount", BH_ANS_AMOUNT}, {2, "total_federal_specific_amount", BH_ANS_AMOUNT},
    {3, "total_hospital_specific_amount", BH_ANS_AMOUNT},
    {4, "total_disproportionate_share_amount", BH_ANS_AMOUNT},
    {5, "total_capital_amount", BH_ANS_AMOUNT},
    {6, "total_indirect_medical_education_amount", BH_ANS_AMOUNT},
    {7, "total_outlier_day_count", BH_ANS_QUANTITY}, {8, "total_day_outlier_amount", BH_ANS_AMOUNT},
    {9, "total_cost_outlier_amount", BH_ANS_AMOUNT},
    {10, "average_drg_length_of_stay", BH_ANS_QUANTITY},
    {11, "total_discharge_count", BH_ANS_QUANTITY},
    {12, "total_cost_report_day_count", BH_ANS_QUANTITY},
    {13, "total_covered_day_count", BH_ANS_QUANTITY},
    {14, "total_noncovered_day_count", BH_ANS_QUANTITY},
    {15, "total_msp_pass_through_amount", BH_ANS_AMOUNT},
    {16, "average_drg_weight", BH_ANS_QUANTITY},
    {17, "total_pps_capital_fsp_drg_amount", BH_ANS_AMOUNT},
    {18, "total_pps_capital_hsp_drg_amount", BH_ANS_AMOUNT},
    {19, "total_pps_dsh_drg_amount", BH_ANS_AMOUNT},
    {0, NULL, BH_ANS_TEXT}
};

const bh_ans_field_desc bh_ans_mia_fields[] = {
    {1, "covered_days_or_visits", BH_ANS_QUANTITY}, {2, "pps_operating_outlier_amount", BH_ANS_AMOUNT},
    {3, "lifetime_psychiatric_days", BH_ANS_QUANTITY}, {4, "drg_amount", BH_ANS_AMOUNT},
    {5, "remark", BH_ANS_REMARK}, {6, "disproportionate_share_amount", BH_ANS_AMOUNT},
    {7, "msp_pass_through_amount", BH_ANS_AMOUNT}, {8, "pps_capital_amount", BH_ANS_AMOUNT},
    {9, "pps_capital_fsp_drg_amount", BH_ANS_AMOUNT}, {10, "pps_capital_hsp_drg_amount", BH_ANS_AMOUNT},
    {11, "pps_capital_dsh_drg_amount", BH_ANS_AMOUNT}, {12, "old_capital_amount", BH_ANS_AMOUNT},
    {13, "pps_capital_ime_amount", BH_ANS_AMOUNT},
    {14, "pps_operating_hospital_specific_drg_amount", BH_ANS_AMOUNT},
    {15, "cost_report_day_count", BH_ANS_QUANTITY},
    {16, "pps_operating_federal_specific_drg_amount", BH_ANS_AMOUNT},
    {17, "pps_capital_outlier_amount", BH_ANS_AMOUNT}, {18, "indirect_teaching_amount", BH_ANS_AMOUNT},
    {19, "nonpayable_professional_component_amount", BH_ANS_AMOUNT},
    {20, "remark", BH_ANS_REMARK}, {21, "remark", BH_ANS_REMARK}, {22, "remark", BH_ANS_REMARK},
    {23, "remark", BH_ANS_REMARK}, {24, "remark", BH_ANS_REMARK},
    {0, NULL, BH_ANS_TEXT}
};

const bh_ans_field_desc bh_ans_moa_fields[] = {
    {1, "reimbursement_rate", BH_ANS_QUANTITY}, {2, "payable_amount", BH_ANS_AMOUNT},
    {3, "remark", BH_ANS_REMARK}, {4, "remark", BH_ANS_REMARK}, {5, "remark", BH_ANS_REMARK},
    {6, "remark", BH_ANS_REMARK}, {7, "remark", BH_ANS_REMARK},
    {8, "esrd_payment_amount", BH_ANS_AMOUNT},
    {9, "nonpayable_professional_component_amount", BH_ANS_AMOUNT},
    {0, NULL, BH_ANS_TEXT}
};

/* {====================================================================
** The reader
** ===================================================================== */

/* Where the reader stands inside a set. */
enum place {
    P_OUT,          /* between sets */
    P_START,        /* after ST: BPR */
    P_HEADER,       /* after BPR: TRN, CUR, REF, DTM, then N1*PR */
    P_PAYER,        /* 1000A */
    P_PAYEE,        /* 1000B (or a repeated N1*PE) */
    P_LX,           /* 2000: TS3, TS2, then CLP */
    P_CLAIM,        /* 2100 */
    P_LINE,         /* 2110 */
    P_PLB           /* after the claims */
};

struct bh_remit_reader {
    bh_ans_reader base;     /* tokenizer, envelope, error */
    bh_arena *set_arena, *claim_arena;
    bh_rm_set set;
    bh_rm_claim claim;
    int place;
    int rank;               /* order of segments inside the claim or line */
    int in_claim;           /* a claim is being filled */
    int header_rank;        /* order inside the header */
    bh_rm_party *party;     /* the N1 loop being filled */
    bh_rm_header *header;   /* the LX in effect */
    bh_rm_line *line;
};

static int fail_syntax(bh_remit_reader *r, const char *what) {
    return bh_seg_syntax(&r->base.seg, what);
}

static int out_of_place(bh_remit_reader *r) {
    static const char *const expected[] = {
        "ST", "BPR", "TRN, CUR, REF, DTM or N1*PR", "N3, N4, REF, PER or N1*PE",
        "N3, N4, REF, RDM, N1*PE, LX, CLP, PLB or SE", "TS3, TS2 or CLP",
        "CAS, NM1, MIA, MOA, REF, DTM, PER, AMT, QTY, SVC, CLP, LX, PLB or SE",
        "DTM, CAS, REF, AMT, QTY, LQ, SVC, CLP, LX, PLB or SE", "PLB or SE"
    };
    return bh_seg_out_of_place(&r->base.seg, expected[r->place]);
}

static int is_id(const bh_remit_reader *r, const char *id) {
    return bh_seg_id_is(&r->base.seg, id);
}

/* Segments of a loop come in the 835's order; rank says which may follow. */
static int in_order(bh_remit_reader *r, int rank) {
    if (rank < r->rank) return out_of_place(r);
    r->rank = rank;
    return 0;
}

/* {--- the header --- */

/* BPR16 (payment date) is required by the TR3 but LinuxForHealth's samples
** put the date in BPR15: the elements are kept where they were sent. */
static int read_bpr(bh_remit_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_rm_set *t = &r->set;
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 || bh_seg_required(s, 3) < 0 ||
        bh_seg_required(s, 4) < 0 || bh_ans_max_elements(s, 16) < 0)
        return -1;
    return bh_ans_el_text(s, 1, &t->handling) | bh_ans_el_amount(s, 2, &t->amount) |
           bh_ans_el_text(s, 3, &t->credit_debit) | bh_ans_el_text(s, 4, &t->method) |
           bh_ans_el_text(s, 5, &t->format) | bh_ans_el_text(s, 6, &t->payer_dfi_qualifier) |
           bh_ans_el_text(s, 7, &t->payer_dfi_id) |
           bh_ans_el_text(s, 8, &t->payer_account_qualifier) |
           bh_ans_el_text(s, 9, &t->payer_account) | bh_ans_el_text(s, 10, &t->originator_id) |
           bh_ans_el_text(s, 11, &t->originator_supplement) |
           bh_ans_el_text(s, 12, &t->payee_dfi_qualifier) |
           bh_ans_el_text(s, 13, &t->payee_dfi_id) |
           bh_ans_el_text(s, 14, &t->payee_account_qualifier) |
           bh_ans_el_text(s, 15, &t->payee_account) | bh_ans_el_date(s, 16, &t->payment_date);
}

/* A header field sent at most once. */
static int once(bh_remit_reader *r, const char *field) {
    if (field != NULL) return fail_syntax(r, "sent twice in the header");
    return 0;
}

static int read_header_segment(bh_remit_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_rm_set *t = &r->set;
    if (is_id(r, "TRN")) {
        if (r->header_rank > 0 || t->trace_number) return out_of_place(r);
        r->header_rank = 1;
        if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 ||
            bh_seg_required(s, 3) < 0 || bh_ans_max_elements(s, 4) < 0)
            return -1;
        return bh_ans_el_text(s, 1, &t->trace_type) | bh_ans_el_text(s, 2, &t->trace_number) |
               bh_ans_el_text(s, 3, &t->trace_originator_id) |
               bh_ans_el_text(s, 4, &t->trace_originator_supplement);
    }
    if (is_id(r, "CUR")) {
        if (r->header_rank > 2) return out_of_place(r);
        if (once(r, t->currency) < 0) return -1;
        r->header_rank = 2;
        if (bh_seg_required(s, 2) < 0 || bh_ans_max_elements(s, 3) < 0) return -1;
        return bh_ans_el_text(s, 2, &t->currency);
    }
    if (is_id(r, "REF")) {
        bh_span q = bh_seg_el(s, 1);
        if (r->header_rank > 3) return out_of_place(r);
        r->header_rank = 3;
        if (bh_seg_required(s, 2) < 0 || bh_ans_max_elements(s, 2) < 0) return -1;
        if (bh_seg_is(q, "EV"))
            return once(r, t->receiver_id) < 0 ? -1 : bh_ans_el_text(s, 2, &t->receiver_id);
        if (bh_seg_is(q, "F2"))
            return once(r, t->version_id) < 0 ? -1 : bh_ans_el_text(s, 2, &t->version_id);
        return fail_syntax(r, "REF01 must be EV or F2 in the header");
    }
    if (is_id(r, "DTM")) {
        r->header_rank = 4;
        if (!bh_seg_is(bh_seg_el(s, 1), "405"))
            return fail_syntax(r, "DTM01 must be 405 in the header");
        if (bh_seg_required(s, 2) < 0 || once(r, t->production_date) < 0 ||
            bh_ans_max_elements(s, 2) < 0)
            return -1;
        return bh_ans_el_date(s, 2, &t->production_date);
    }
    return out_of_place(r);
}

static int read_n1(bh_remit_reader *r, bh_rm_party *p) {
    bh_seg_reader *s = &r->base.seg;
    if (bh_seg_required(s, 2) < 0 || bh_ans_max_elements(s, 4) < 0) return -1;
    if ((bh_seg_el(s, 3).n == 0) != (bh_seg_el(s, 4).n == 0))
        return fail_syntax(r, "N103 and N104 go together");
    r->party = p;
    return bh_ans_el_text(s, 1, &p->entity) | bh_ans_el_text(s, 2, &p->name) |
           bh_ans_el_text(s, 3, &p->id_qualifier) | bh_ans_el_text(s, 4, &p->id);
}

static int start_payee(bh_remit_reader *r) {
    bh_rm_party *p = BH_ANS_PUSH(&r->base.seg, r->set.payees);
    if (p == NULL) return -1;
    r->place = P_PAYEE;
    r->rank = 0;
    return read_n1(r, p);
}

/* N3, N4, REF, PER (payer) or RDM (payee) inside an N1 loop. */
static int read_party_segment(bh_remit_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_rm_party *p = r->party;
    if (is_id(r, "N3")) {
        if (in_order(r, 1) < 0 || p->address.line1) return out_of_place(r);
        return bh_ans_n3(s, &p->address);
    }
    if (is_id(r, "N4")) {
        if (in_order(r, 2) < 0 || p->address.city) return out_of_place(r);
        return bh_ans_n4(s, &p->address);
    }
    if (is_id(r, "REF")) {
        bh_ans_pair *pair;
        if (in_order(r, 3) < 0 || (pair = BH_ANS_PUSH(s, p->references)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_TEXT);
    }
    if (is_id(r, "PER") && r->place == P_PAYER) {
        bh_ans_contact *c;
        if (in_order(r, 4) < 0 || (c = BH_ANS_PUSH(s, p->contacts)) == NULL) return -1;
        return bh_ans_per(s, c);
    }
    if (is_id(r, "RDM") && r->place == P_PAYEE) {
        if (in_order(r, 5) < 0 || p->delivery_method) return out_of_place(r);
        if (bh_seg_required(s, 1) < 0 || bh_ans_max_elements(s, 3) < 0) return -1;
        return bh_ans_el_text(s, 1, &p->delivery_method) |
               bh_ans_el_text(s, 2, &p->delivery_name) |
               bh_ans_el_text(s, 3, &p->delivery_number);
    }
    return out_of_place(r);
}

/* {--- LX, claims, lines --- */

static int read_lx(bh_remit_reader *r) {
    bh_rm_header *h;
    if (bh_seg_required(&r->base.seg, 1) < 0 || bh_ans_max_elements(&r->base.seg, 1) < 0) return -1;
    if ((h = BH_ANS_PUSH(&r->base.seg, r->set.headers)) == NULL) return -1;
    r->header = h;
    r->place = P_LX;
    r->rank = 0;
    return bh_ans_el_quantity(&r->base.seg, 1, &h->number);
}

static int read_cas(bh_remit_reader *r, void *list_items, size_t *n, size_t *cap) {
    bh_seg_reader *s = &r->base.seg;
    bh_span group = bh_seg_el(s, 1);
    int k, got = 0;
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 || bh_seg_required(s, 3) < 0 ||
        bh_ans_max_elements(s, 19) < 0)
        return -1;
    for (k = 0; k < 6; k++) {
        bh_span reason = bh_seg_el(s, 2 + 3 * k), amount = bh_seg_el(s, 3 + 3 * k);
        bh_span qty = bh_seg_el(s, 4 + 3 * k);
        bh_rm_adjustment *a;
        if (reason.n == 0 && amount.n == 0 && qty.n == 0) continue;
        if (reason.n == 0 || amount.n == 0)
            return bh_seg_fail(s, BH_ERR_SYNTAX, "x12.syntax",
                               "CAS%02d (reason) and CAS%02d (amount) go together", 2 + 3 * k,
                               3 + 3 * k);
        a = bh_ans_push(s, (void **)list_items, n, cap, sizeof *a);
        if (a == NULL) return -1;
        if (bh_ans_text(s, group, &a->group) < 0 || bh_ans_text(s, reason, &a->reason) < 0 ||
            bh_ans_el_amount(s, 3 + 3 * k, &a->amount) < 0 ||
            bh_ans_el_quantity(s, 4 + 3 * k, &a->quantity) < 0)
            return -1;
        got++;
    }
    return got ? 0 : fail_syntax(r, "no adjustment in CAS");
}

#define READ_CAS(r, list) read_cas((r), &(list).items, &(list).n, &(list).cap)

static int start_claim(bh_remit_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_rm_claim *c = &r->claim;
    int i;
    static const int required[] = {1, 2, 3, 4, 6};
    bh_arena_reset(r->claim_arena);
    memset(c, 0, sizeof *c);
    s->arena = r->claim_arena;
    r->in_claim = 1;
    r->place = P_CLAIM;
    r->rank = 0;
    r->line = NULL;
    c->header_number = r->header ? r->header->number : NULL;
    c->payee_index = r->set.payees.n ? r->set.payees.n - 1 : 0;
    for (i = 0; i < 5; i++)
        if (bh_seg_required(s, required[i]) < 0) return -1;
    if (bh_ans_max_elements(s, 14) < 0) return -1;
    return bh_ans_el_text(s, 1, &c->claim_id) | bh_ans_el_text(s, 2, &c->status) |
           bh_ans_el_amount(s, 3, &c->charge) | bh_ans_el_amount(s, 4, &c->paid) |
           bh_ans_el_amount(s, 5, &c->patient_responsibility) |
           bh_ans_el_text(s, 6, &c->filing_indicator) |
           bh_ans_el_text(s, 7, &c->payer_claim_number) |
           bh_ans_el_text(s, 8, &c->facility_type) | bh_ans_el_text(s, 9, &c->frequency) |
           bh_ans_el_text(s, 10, &c->patient_status) | bh_ans_el_text(s, 11, &c->drg) |
           bh_ans_el_quantity(s, 12, &c->drg_weight) |
           bh_ans_el_quantity(s, 13, &c->discharge_fraction) |
           bh_ans_el_text(s, 14, &c->condition_response);
}

static int claim_nm1(bh_remit_reader *r) {
    bh_rm_claim *c = &r->claim;
    bh_span e = bh_seg_el(&r->base.seg, 1);
    bh_ans_person *p;
    if (bh_seg_is(e, "QC")) p = &c->patient;
    else if (bh_seg_is(e, "IL")) p = &c->insured;
    else if (bh_seg_is(e, "74")) p = &c->corrected;
    else if (bh_seg_is(e, "82")) p = &c->service_provider;
    else if (bh_seg_is(e, "TT")) p = &c->crossover_carrier;
    else if (bh_seg_is(e, "PR")) p = &c->corrected_priority_payer;
    else if (bh_seg_is(e, "GB")) p = &c->other_subscriber;
    else return fail_syntax(r, "NM101 must be QC, IL, 74, 82, TT, PR or GB in a claim");
    if (p->entity != NULL) return fail_syntax(r, "this NM1 is sent twice in the claim");
    return bh_ans_nm1(&r->base.seg, p);
}

static int claim_dtm(bh_remit_reader *r) {
    bh_rm_claim *c = &r->claim;
    bh_span q = bh_seg_el(&r->base.seg, 1);
    const char **d;
    if (bh_seg_is(q, "232")) d = &c->statement_from;
    else if (bh_seg_is(q, "233")) d = &c->statement_to;
    else if (bh_seg_is(q, "036")) d = &c->coverage_expiration;
    else if (bh_seg_is(q, "050")) d = &c->received;
    else return fail_syntax(r, "DTM01 must be 232, 233, 036 or 050 in a claim");
    if (*d != NULL) return fail_syntax(r, "this date is sent twice in the claim");
    if (bh_seg_required(&r->base.seg, 2) < 0 || bh_ans_max_elements(&r->base.seg, 2) < 0) return -1;
    return bh_ans_el_date(&r->base.seg, 2, d);
}

static int claim_fields(bh_remit_reader *r, int *has, bh_ans_fields *f,
                        const bh_ans_field_desc *desc) {
    if (*has) return fail_syntax(r, "sent twice in the claim");
    *has = 1;
    return bh_ans_fields_read(&r->base.seg, f, desc);
}

/* The procedure composite of SVC01 or SVC06. */
static int read_procedure(bh_remit_reader *r, int el, const char **qual, const char **code,
                          const char *mods[4], const char **description) {
    bh_seg_reader *s = &r->base.seg;
    bh_span p = bh_seg_el(s, el);
    int k;
    if (bh_seg_comp(s, p, 1).n == 0)
        return bh_seg_fail(s, BH_ERR_SYNTAX, "x12.syntax",
                           "SVC%02d-1 (product or service id qualifier) is required", el);
    if (bh_seg_ncomp(s, p) > 7)
        return bh_seg_fail(s, BH_ERR_SYNTAX, "x12.syntax",
                           "SVC%02d has more than 7 components", el);
    if (bh_ans_text(s, bh_seg_comp(s, p, 1), qual) < 0 ||
        bh_ans_text(s, bh_seg_comp(s, p, 2), code) < 0 ||
        bh_ans_text(s, bh_seg_comp(s, p, 7), description) < 0)
        return -1;
    for (k = 0; k < 4; k++)
        if (bh_ans_text(s, bh_seg_comp(s, p, 3 + k), &mods[k]) < 0) return -1;
    return 0;
}

static int keep_extra(bh_remit_reader *r, bh_rm_line *l) {
    bh_seg_reader *s = &r->base.seg;
    int i;
    for (i = 8; i < s->n_el; i++) {
        char pos[4];
        bh_ans_pair *pair;
        bh_span p;
        if (s->el[i].n == 0) continue;
        if ((pair = BH_ANS_PUSH(s, l->extra_elements)) == NULL) return -1;
        pos[0] = (char)('0' + i / 10);
        pos[1] = (char)('0' + i % 10);
        pos[2] = '\0';
        p.p = pos;
        p.n = 2;
        if (bh_ans_text(s, p, &pair->qualifier) < 0 || bh_ans_text(s, s->el[i], &pair->value) < 0)
            return -1;
    }
    return 0;
}

static int start_line(bh_remit_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_rm_line *l = BH_ANS_PUSH(s, r->claim.lines);
    if (l == NULL) return -1;
    r->line = l;
    r->place = P_LINE;
    r->rank = 0;
    /* SVC02/03 are required by the TR3, but a real sample (bcbsnc) shifts
    ** them past SVC07: what is sent is kept, where it is sent. */
    if (bh_seg_required(s, 1) < 0 || keep_extra(r, l) < 0) return -1;
    if (read_procedure(r, 1, &l->code_qualifier, &l->code, l->modifiers, &l->description) < 0)
        return -1;
    l->has_original = bh_seg_el(s, 6).n || bh_seg_el(s, 7).n;
    if (bh_seg_el(s, 6).n) {
        if (read_procedure(r, 6, &l->original_qualifier, &l->original_code,
                           l->original_modifiers, &l->original_description) < 0)
            return -1;
    }
    return bh_ans_el_amount(s, 2, &l->charge) | bh_ans_el_amount(s, 3, &l->paid) |
           bh_ans_el_text(s, 4, &l->revenue_code) | bh_ans_el_quantity(s, 5, &l->units) |
           bh_ans_el_quantity(s, 7, &l->original_units);
}

static int claim_segment(bh_remit_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_rm_claim *c = &r->claim;
    bh_ans_pair *pair;
    bh_ans_contact *contact;
    if (is_id(r, "CAS")) return in_order(r, 1) < 0 ? -1 : READ_CAS(r, c->adjustments);
    if (is_id(r, "NM1")) return in_order(r, 2) < 0 ? -1 : claim_nm1(r);
    if (is_id(r, "MIA"))
        return in_order(r, 3) < 0 ? -1 : claim_fields(r, &c->has_inpatient, &c->inpatient,
                                                      bh_ans_mia_fields);
    if (is_id(r, "MOA"))
        return in_order(r, 4) < 0 ? -1 : claim_fields(r, &c->has_outpatient, &c->outpatient,
                                                      bh_ans_moa_fields);
    if (is_id(r, "REF")) {
        if (in_order(r, 5) < 0 || (pair = BH_ANS_PUSH(s, c->references)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_TEXT);
    }
    if (is_id(r, "DTM")) return in_order(r, 6) < 0 ? -1 : claim_dtm(r);
    if (is_id(r, "PER")) {
        if (in_order(r, 7) < 0 || (contact = BH_ANS_PUSH(s, c->contacts)) == NULL) return -1;
        return bh_ans_per(s, contact);
    }
    if (is_id(r, "AMT")) {
        if (in_order(r, 8) < 0 || (pair = BH_ANS_PUSH(s, c->amounts)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_AMOUNT);
    }
    if (is_id(r, "QTY")) {
        if (in_order(r, 9) < 0 || (pair = BH_ANS_PUSH(s, c->quantities)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_QUANTITY);
    }
    return out_of_place(r);
}

static int line_dtm(bh_remit_reader *r) {
    bh_rm_line *l = r->line;
    bh_span q = bh_seg_el(&r->base.seg, 1);
    const char **d;
    if (bh_seg_is(q, "472")) d = &l->date;
    else if (bh_seg_is(q, "150")) d = &l->date_from;
    else if (bh_seg_is(q, "151")) d = &l->date_to;
    else return fail_syntax(r, "DTM01 must be 472, 150 or 151 in a service line");
    if (*d != NULL) return fail_syntax(r, "this date is sent twice in the service line");
    if (bh_seg_required(&r->base.seg, 2) < 0 || bh_ans_max_elements(&r->base.seg, 2) < 0) return -1;
    return bh_ans_el_date(&r->base.seg, 2, d);
}

static int line_segment(bh_remit_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_rm_line *l = r->line;
    bh_ans_pair *pair;
    if (is_id(r, "DTM")) return in_order(r, 1) < 0 ? -1 : line_dtm(r);
    if (is_id(r, "CAS")) return in_order(r, 2) < 0 ? -1 : READ_CAS(r, l->adjustments);
    if (is_id(r, "REF")) {
        if (in_order(r, 3) < 0 || (pair = BH_ANS_PUSH(s, l->references)) == NULL) return -1;
        if (bh_ans_pair_el(s, pair, BH_ANS_TEXT) < 0) return -1;
        if (strcmp(pair->qualifier, "6R") == 0) {
            if (l->control_number != NULL)
                return fail_syntax(r, "REF*6R is sent twice in the service line");
            l->control_number = pair->value;
        }
        return 0;
    }
    if (is_id(r, "AMT")) {
        if (in_order(r, 4) < 0 || (pair = BH_ANS_PUSH(s, l->amounts)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_AMOUNT);
    }
    if (is_id(r, "QTY")) {
        if (in_order(r, 5) < 0 || (pair = BH_ANS_PUSH(s, l->quantities)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_QUANTITY);
    }
    if (is_id(r, "LQ")) {
        if (in_order(r, 6) < 0 || (pair = BH_ANS_PUSH(s, l->remarks)) == NULL) return -1;
        return bh_ans_pair_el(s, pair, BH_ANS_TEXT);
    }
    return out_of_place(r);
}

static int read_plb(bh_remit_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    bh_rm_plb *p;
    int k;
    if (bh_seg_required(s, 1) < 0 || bh_seg_required(s, 2) < 0 || bh_seg_required(s, 3) < 0 ||
        bh_seg_required(s, 4) < 0 || bh_ans_max_elements(s, 14) < 0)
        return -1;
    if ((p = BH_ANS_PUSH(s, r->set.provider_adjustments)) == NULL) return -1;
    if (bh_ans_el_text(s, 1, &p->provider_id) < 0 ||
        bh_ans_el_date(s, 2, &p->fiscal_period_date) < 0)
        return -1;
    for (k = 0; k < 6; k++) {
        bh_span id = bh_seg_el(s, 3 + 2 * k), amount = bh_seg_el(s, 4 + 2 * k);
        bh_rm_plb_adjustment *a;
        if (id.n == 0 && amount.n == 0) continue;
        if (bh_seg_comp(s, id, 1).n == 0 || amount.n == 0)
            return bh_seg_fail(s, BH_ERR_SYNTAX, "x12.syntax",
                               "PLB%02d (reason) and PLB%02d (amount) go together", 3 + 2 * k,
                               4 + 2 * k);
        if (bh_seg_ncomp(s, id) > 2)
            return bh_seg_fail(s, BH_ERR_SYNTAX, "x12.syntax", "PLB%02d has more than 2 components",
                               3 + 2 * k);
        if ((a = BH_ANS_PUSH(s, p->adjustments)) == NULL) return -1;
        if (bh_ans_text(s, bh_seg_comp(s, id, 1), &a->reason) < 0 ||
            bh_ans_text(s, bh_seg_comp(s, id, 2), &a->reference) < 0 ||
            bh_ans_el_amount(s, 4 + 2 * k, &a->amount) < 0)
            return -1;
    }
    return 0;
}

/* {--- dispatch --- */

/* Segments that end a claim: the reader hands the claim out first. */
static int ends_claim(const bh_remit_reader *r) {
    return is_id(r, "CLP") || is_id(r, "LX") || is_id(r, "PLB") || is_id(r, "SE") ||
           is_id(r, "N1");
}

static void start_set(bh_remit_reader *r) {
    bh_arena_reset(r->set_arena);
    memset(&r->set, 0, sizeof r->set);
    r->set.interchange = r->base.env.interchange;
    r->set.group = r->base.env.group;
    r->base.seg.arena = r->set_arena;
    r->place = P_START;
    r->header_rank = 0;
    r->header = NULL;
    r->party = NULL;
    r->line = NULL;
    r->in_claim = 0;
}

static int body_segment(bh_remit_reader *r) {
    bh_seg_reader *s = &r->base.seg;
    int p = r->place;
    if (p == P_START) {
        if (!is_id(r, "BPR")) return out_of_place(r);
        r->place = P_HEADER;
        return read_bpr(r);
    }
    if (is_id(r, "N1")) {
        bh_span e = bh_seg_el(s, 1);
        if (p == P_HEADER && bh_seg_is(e, "PR")) {
            r->place = P_PAYER;
            r->rank = 0;
            return read_n1(r, &r->set.payer);
        }
        if (bh_seg_is(e, "PE") && p >= P_PAYER && p <= P_LINE) return start_payee(r);
        return out_of_place(r);
    }
    if (p == P_HEADER) return read_header_segment(r);
    if (is_id(r, "LX") && p >= P_PAYEE && p <= P_LINE) return read_lx(r);
    if (is_id(r, "CLP") && p >= P_PAYEE && p <= P_LINE) return start_claim(r);
    if (is_id(r, "PLB") && p >= P_PAYEE) {
        r->place = P_PLB;
        return read_plb(r);
    }
    if (p == P_PAYER || p == P_PAYEE) return read_party_segment(r);
    if (p == P_LX) {
        if (is_id(r, "TS3") && !r->header->has_summary && !r->header->has_supplemental) {
            r->header->has_summary = 1;
            return bh_ans_fields_read(s, &r->header->summary, bh_ans_ts3_fields);
        }
        if (is_id(r, "TS2") && !r->header->has_supplemental) {
            r->header->has_supplemental = 1;
            return bh_ans_fields_read(s, &r->header->supplemental, bh_ans_ts2_fields);
        }
        return out_of_place(r);
    }
    if (is_id(r, "SVC") && (p == P_CLAIM || p == P_LINE)) return start_line(r);
    if (p == P_CLAIM) return claim_segment(r);
    if (p == P_LINE) return line_segment(r);
    return out_of_place(r);
}

bh_remit_reader *bh_remit_reader_new(const char *data, size_t len, bh_error *err) {
    bh_remit_reader *r = calloc(1, sizeof *r);
    if (r == NULL) {
        bh_seg_nomem(err);
        return NULL;
    }
    r->set_arena = bh_arena_new(16384);
    r->claim_arena = bh_arena_new(8192);
    if (bh_ans_reader_init(&r->base, data, len, r->claim_arena != NULL ? r->set_arena : NULL,
                           err) < 0) {
        bh_remit_reader_free(r);
        return NULL;
    }
    return r;
}

/* One step: reads a segment and acts on it. Returns BH_RM_CLAIM or
** BH_RM_SET_END when something is ready, 3 to go on, BH_RM_END, -1. */
static int step(bh_remit_reader *r) {
    int rc = bh_ans_reader_next_segment(&r->base);
    if (rc <= 0) return rc < 0 ? -1 : BH_RM_END;
    if (r->in_claim && ends_claim(r)) {
        r->in_claim = 0;
        r->base.seg.pending = 1;
        r->base.seg.arena = r->set_arena;
        r->set.n_claims++;
        return BH_RM_CLAIM;
    }
    if (r->base.env.state == BH_ENV_ST && !is_id(r, "SE")) return body_segment(r) < 0 ? -1 : 3;
    rc = bh_ans_envelope(&r->base.seg, &r->base.env, "835", NULL);
    if (rc < 0) return -1;
    if (rc == BH_ENV_SET_START) {
        start_set(r);
        return bh_ans_text(&r->base.seg, bh_seg_el(&r->base.seg, 2), &r->set.set_control_number) |
                       bh_ans_text(&r->base.seg, bh_seg_el(&r->base.seg, 3), &r->set.implementation)
                   ? -1 : 3;
    }
    if (rc == BH_ENV_SET_END) {
        if (r->place < P_PAYEE)
            return bh_seg_fail(&r->base.seg, BH_ERR_SYNTAX, "x12.syntax",
                               "the set ends before its payer and payee (N1*PR, N1*PE)");
        r->place = P_OUT;
        return BH_RM_SET_END;
    }
    if (rc == BH_ENV_NOT)
        return bh_seg_out_of_place(&r->base.seg, r->base.env.state == BH_ENV_ISA ? "GS or IEA"
                                                 : r->base.env.state == BH_ENV_GS ? "ST or GE"
                                                                                  : "ISA or ST");
    return 3;
}

int bh_remit_reader_next(bh_remit_reader *r, const bh_rm_claim **claim, const bh_rm_set **set,
                         bh_error *err) {
    int rc;
    if (claim != NULL) *claim = NULL;
    if (set != NULL) *set = NULL;
    if (r == NULL) {
        bh_ans_null_reader(err);
        return -1;
    }
    do rc = step(r);
    while (rc == 3);
    rc = bh_ans_reader_result(&r->base, rc, err);
    if (rc == BH_RM_CLAIM && claim != NULL) *claim = &r->claim;
    if (rc >= 0 && rc != BH_RM_END && set != NULL) *set = &r->set;
    return rc;
}

void bh_remit_reader_free(bh_remit_reader *r) {
    if (r == NULL) return;
    bh_arena_free(r->set_arena);
    bh_arena_free(r->claim_arena);
    bh_ans_reader_release(&r->base);
    free(r);
}
