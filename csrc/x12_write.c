/*
** x12_write.c: the X12 837P writer (005010X222A1). What it writes is
** exactly what the claim says, or the claim is refused with its reason
** (bh_x12_writer_* in bhclaim.h). Segments and the envelope come from the
** shared segment writer (x12_emit.c). Core layer: no Lua, no cJSON.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "x12_emit.h"

void bh_x12_options_default(bh_x12_options *opt) {
    memset(opt, 0, sizeof *opt);
    opt->sender_qualifier = "ZZ";
    opt->receiver_qualifier = "ZZ";
    opt->version = BH_837P_VERSION_A1;
    opt->interchange_control = 1;
    opt->group_control = 1;
    opt->transaction_control = 1;
    opt->usage = 'T';
    opt->ack_requested = '0';
    opt->element_sep = '*';
    opt->component_sep = ':';
    opt->repetition_sep = '^';
    opt->segment_term = '~';
    opt->newline = 1;
}

typedef struct writer {
    bh_emit e;              /* first member: on_fail casts the emitter back */
    bh_error *err;
    const char *claim_id;   /* for messages */
    size_t claim_index;
} writer;

/* Words a failure for the claim being written (by id, else by position)
** or for the options. */
static void on_fail(bh_emit *e, bh_status code, const char *field, const char *what) {
    writer *w = (writer *)e;
    if (code == BH_ERR_NOMEM)
        bh_error_set(w->err, BH_ERR_NOMEM, "x12.nomem", "out of memory writing the 837P");
    else if (w->claim_id != NULL)
        bh_error_set(w->err, code, "x12.write", "claim %.40s: %s %s", w->claim_id, field, what);
    else if (w->claim_index > 0)
        bh_error_set(w->err, code, "x12.write", "claim #%lu: %s %s",
                     (unsigned long)w->claim_index, field, what);
    else
        bh_error_set(w->err, code, "x12.write", "options: %s %s", field, what);
}

static void w_fail(writer *w, const char *field, const char *what) {
    bh_emit_fail(&w->e, BH_ERR_ARG, field, what);
}

static void w_text(writer *w, const char *s, size_t max, int required, const char *field) {
    bh_emit_text(&w->e, s, max, required, field, 0);
}

/* text: the date as the claim gave it (NULL when absent), so a date the
** reader refused is called what it is rather than missing. */
static void w_date(writer *w, bh_date d, const char *text, const char *field) {
    char buf[16];
    if (!bh_date_valid(d)) {
        if (d == 0 && text != NULL && text[0] != '\0') {
            bh_date ignored;
            switch (bh_date_parse_why(text, strlen(text), &ignored)) {
            case BH_DATE_IMPOSSIBLE: w_fail(w, field, "is not a real calendar date"); break;
            case BH_DATE_RANGE:
                w_fail(w, field, "is outside the accepted range 1800-01-01 to 2999-12-31");
                break;
            default: w_fail(w, field, "is not a date in YYYY-MM-DD form"); break;
            }
        } else {
            w_fail(w, field, d == 0 ? "is missing" : "is not a real calendar date");
        }
        return;
    }
    snprintf(buf, sizeof buf, "%08ld", (long)d);
    bh_emit_el(&w->e, buf, 8);
}

/* Units with at most three decimals, trailing zeros dropped, without the
** locale's decimal point (printf's %f follows setlocale). */
static int format_units(double units, char buf[32]) {
    long long milli;
    int n, frac;
    if (!(units > 0) || units > 1e9) return 0;
    milli = (long long)(units * 1000.0 + 0.5);
    n = snprintf(buf, 32, "%lld", milli / 1000);
    frac = (int)(milli % 1000);
    if (frac) {
        n += snprintf(buf + n, 32 - (size_t)n, ".%03d", frac);
        while (buf[n - 1] == '0') buf[--n] = '\0';
    }
    return n;
}

static int str_eq(const char *a, const char *b) {
    if (a == NULL || b == NULL) return (a == NULL || a[0] == '\0') && (b == NULL || b[0] == '\0');
    return strcmp(a, b) == 0;
}

static int name_eq(const bh_name *a, const bh_name *b) {
    return str_eq(a->last, b->last) && str_eq(a->first, b->first) &&
           str_eq(a->middle, b->middle) && str_eq(a->suffix, b->suffix);
}

static int addr_eq(const bh_address *a, const bh_address *b) {
    return str_eq(a->line1, b->line1) && str_eq(a->line2, b->line2) &&
           str_eq(a->city, b->city) && str_eq(a->state, b->state) && str_eq(a->zip, b->zip);
}

static int billing_eq(const bh_claim *a, const bh_claim *b) {
    const bh_provider *x = &a->billing_provider, *y = &b->billing_provider;
    return name_eq(&x->name, &y->name) && str_eq(x->npi, y->npi) && str_eq(x->tin, y->tin) &&
           str_eq(x->taxonomy, y->taxonomy) && addr_eq(&x->address, &y->address) &&
           addr_eq(&a->pay_to_address, &b->pay_to_address);
}

static int subscriber_eq(const bh_claim *a, const bh_claim *b) {
    const bh_person *x = &a->subscriber, *y = &b->subscriber;
    return name_eq(&x->name, &y->name) && str_eq(x->member_id, y->member_id) &&
           x->birth_date == y->birth_date && str_eq(x->sex, y->sex) &&
           addr_eq(&x->address, &y->address) && str_eq(a->payer.name, b->payer.name) &&
           str_eq(a->payer.id, b->payer.id) && a->payer.kind == b->payer.kind &&
           str_eq(a->payer.responsibility, b->payer.responsibility) &&
           str_eq(a->payer.filing_code, b->payer.filing_code) &&
           str_eq(a->payer.group_number, b->payer.group_number) &&
           str_eq(a->payer.group_name, b->payer.group_name);
}

static int has_patient(const bh_claim *c) {
    return c->patient.state == BH_FIELD_OK;
}

static int patient_eq(const bh_claim *a, const bh_claim *b) {
    const bh_person *x = &a->patient, *y = &b->patient;
    return name_eq(&x->name, &y->name) && x->birth_date == y->birth_date &&
           str_eq(x->sex, y->sex) && addr_eq(&x->address, &y->address) &&
           str_eq(a->subscriber.relationship, b->subscriber.relationship);
}

static int all_digits(const char *s, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if (!BH_IS_DIGIT(s[i])) return 0;
    return s[n] == '\0';
}

/* A code as the code sets print it: upper-case letters and digits only
** (a lower-case code is refused, never changed). */
static int code_ok(const char *s, size_t max) {
    size_t n = 0;
    for (; s[n]; n++)
        if (!BH_IS_UPPER(s[n]) && !BH_IS_DIGIT(s[n])) return 0;
    return n >= 1 && n <= max;
}

/* A coded element: the claim's value when given (refused when not in its
** list), else the default (NULL: left empty). */
static void w_code(writer *w, const char *value, bh_x12_code_kind kind, const char *dflt,
                   const char *field) {
    if (value == NULL || value[0] == '\0') {
        bh_emit_els(&w->e, dflt);
        return;
    }
    if (!bh_x12_code_valid(kind, value)) {
        w_fail(w, field, "is not a code the 837P allows here");
        return;
    }
    bh_emit_els(&w->e, value);
}

/* The identifier an NM1 carries in NM108/NM109. */
typedef struct nm1_id {
    const char *qualifier;      /* NM108: XX (NPI), MI (member id), PI (payer id) */
    const char *value;          /* NM109; NULL or "": none given */
    size_t max;                 /* the longest NM109 the guide allows */
    int required;               /* 1: a missing value fails the export */
    const char *field;          /* the claim field a failure names */
} nm1_id;

/* NM1 for a person or an organisation: entity type 1 when a first name is
** given, else 2 (NM103 then holds the whole name). field names the name's
** claim field in failures; the NPI (qualifier XX) must be 10 digits. */
static void w_nm1(writer *w, const char *entity, const bh_name *name, const char *field,
                  const nm1_id *ident) {
    int person = name->first != NULL && name->first[0] != '\0';
    char what[64];
    bh_emit_begin(&w->e, "NM1");
    bh_emit_els(&w->e, entity);
    bh_emit_els(&w->e, person ? "1" : "2");
    snprintf(what, sizeof what, "%s.name%s", field, person ? ".last" : "");
    w_text(w, name->last, BH_X12_LEN_NAME_LAST, 1, what);
    snprintf(what, sizeof what, "%s.name.first", field);
    w_text(w, person ? name->first : NULL, BH_X12_LEN_NAME_FIRST, 0, what);
    snprintf(what, sizeof what, "%s.name.middle", field);
    w_text(w, person ? name->middle : NULL, BH_X12_LEN_NAME_MIDDLE, 0, what);
    bh_emit_el(&w->e, "", 0);
    snprintf(what, sizeof what, "%s.name.suffix", field);
    w_text(w, person ? name->suffix : NULL, BH_X12_LEN_NAME_SUFFIX, 0, what);
    if (ident->value != NULL && ident->value[0] != '\0') {
        bh_emit_els(&w->e, ident->qualifier);
        if (strcmp(ident->qualifier, "XX") == 0 && !all_digits(ident->value, 10))
            w_fail(w, ident->field, "is not 10 digits");
        bh_emit_id(&w->e, ident->value, ident->max, 1, ident->field);
    } else if (ident->required) {
        w_fail(w, ident->field, "is missing");
    }
    bh_emit_end(&w->e);
}

/* N3 and N4. zip_digits: 9 for the billing provider (ZIP+4 required),
** 0 for 5 or 9. */
static void w_address(writer *w, const bh_address *a, const char *field, int required,
                      int zip_digits) {
    char what[64], zip[10];
    int n;
    if (a->line1 == NULL || a->line1[0] == '\0') {
        if (required) {
            snprintf(what, sizeof what, "%s.address", field);
            w_fail(w, what, "is missing (the 837P requires N3 and N4 here)");
        }
        return;
    }
    bh_emit_begin(&w->e, "N3");
    snprintf(what, sizeof what, "%s.address.line1", field);
    w_text(w, a->line1, BH_X12_LEN_ADDRESS, 1, what);
    snprintf(what, sizeof what, "%s.address.line2", field);
    w_text(w, a->line2, BH_X12_LEN_ADDRESS, 0, what);
    bh_emit_end(&w->e);
    bh_emit_begin(&w->e, "N4");
    snprintf(what, sizeof what, "%s.address.city", field);
    w_text(w, a->city, BH_X12_LEN_CITY, 1, what);
    snprintf(what, sizeof what, "%s.address.state", field);
    if (!bh_x12_state_valid(a->state)) {
        w_fail(w, what, a->state == NULL ? "is missing" : "is not a US state or territory code");
        return;
    }
    bh_emit_els(&w->e, a->state);
    snprintf(what, sizeof what, "%s.address.zip", field);
    /* N403 carries digits only; a ZIP+4's hyphen is not sent. */
    n = bh_x12_zip_digits(a->zip, zip);
    if (n < 0 || (zip_digits && n != zip_digits)) {
        w_fail(w, what, a->zip == NULL ? "is missing"
                        : zip_digits == 9 ? "is not a 9-digit ZIP+4"
                                          : "is not 5 or 9 digits");
        return;
    }
    bh_emit_el(&w->e, zip, (size_t)n);
    bh_emit_end(&w->e);
}

static void w_dmg(writer *w, const bh_person *p, const char *field) {
    char what[64];
    bh_emit_begin(&w->e, "DMG");
    bh_emit_els(&w->e, "D8");
    snprintf(what, sizeof what, "%s.birth_date", field);
    w_date(w, p->birth_date, p->birth_date_text, what);
    snprintf(what, sizeof what, "%s.sex", field);
    if (p->sex == NULL || !(str_eq(p->sex, "M") || str_eq(p->sex, "F") || str_eq(p->sex, "U")))
        w_fail(w, what, p->sex == NULL ? "is missing" : "is not M, F or U");
    else
        bh_emit_els(&w->e, p->sex);
    bh_emit_end(&w->e);
}

static void w_prv(writer *w, const char *code, const char *taxonomy, const char *field) {
    bh_emit_begin(&w->e, "PRV");
    bh_emit_els(&w->e, code);
    bh_emit_els(&w->e, "PXC");
    bh_emit_id(&w->e, taxonomy, 50, 1, field);
    bh_emit_end(&w->e);
}

static const char *filing_code(bh_payer_kind kind) {
    switch (kind) {
    case BH_PAYER_MEDICARE: return "MB";
    case BH_PAYER_MEDICAID: return "MC";
    case BH_PAYER_COMMERCIAL: return "CI";
    case BH_PAYER_OTHER: return "ZZ";
    default: return NULL;
    }
}

static const char *relationship_code(const char *rel) {
    if (str_eq(rel, "spouse")) return "01";
    if (str_eq(rel, "child")) return "19";
    if (str_eq(rel, "other")) return "G8";
    return NULL;
}

static void w_2000a(writer *w, const bh_claim *c, long hl) {
    const bh_provider *p = &c->billing_provider;
    char num[24];
    snprintf(num, sizeof num, "%ld", hl);
    bh_emit_begin(&w->e, "HL");
    bh_emit_els(&w->e, num);
    bh_emit_el(&w->e, "", 0);
    bh_emit_els(&w->e, "20");
    bh_emit_els(&w->e, "1");
    bh_emit_end(&w->e);
    if (p->taxonomy != NULL && p->taxonomy[0] != '\0')
        w_prv(w, "BI", p->taxonomy, "billing_provider.taxonomy");
    w_nm1(w, "85", &p->name, "billing_provider", &(nm1_id){
        .qualifier = "XX", .value = p->npi, .max = 10, .required = 1,
        .field = "billing_provider.npi"});
    w_address(w, &p->address, "billing_provider", 1, 9);
    {
        /* REF02 holds the TIN's nine digits, qualified EI (an employer
        ** number) or SY when written as a social security number, 3-2-4. */
        char digits[16];
        size_t n = 0;
        const char *t = p->tin;
        int ssn = t != NULL && strlen(t) == 11 && t[3] == '-' && t[6] == '-';
        for (; t != NULL && *t && n < 15; t++)
            if (BH_IS_DIGIT(*t)) digits[n++] = *t;
        if (n != 9) {
            w_fail(w, "billing_provider.tin", t == NULL && n == 0 ? "is missing"
                                                                   : "does not hold 9 digits");
            return;
        }
        bh_emit_begin(&w->e, "REF");
        bh_emit_els(&w->e, ssn ? "SY" : "EI");
        bh_emit_el(&w->e, digits, n);
        bh_emit_end(&w->e);
    }
    if (c->pay_to_address.line1 != NULL && c->pay_to_address.line1[0] != '\0') {
        /* 2010AB: the pay-to address, an NM1*87 with no name. */
        bh_emit_begin(&w->e, "NM1");
        bh_emit_els(&w->e, "87");
        bh_emit_els(&w->e, "2");
        bh_emit_end(&w->e);
        w_address(w, &c->pay_to_address, "billing_provider.pay_to", 1, 0);
    }
}

static void w_2000b(writer *w, const bh_claim *c, long hl, long parent, int any_self,
                    int any_patient) {
    char num[24], par[24];
    const char *filing = filing_code(c->payer.kind);
    snprintf(num, sizeof num, "%ld", hl);
    snprintf(par, sizeof par, "%ld", parent);
    bh_emit_begin(&w->e, "HL");
    bh_emit_els(&w->e, num);
    bh_emit_els(&w->e, par);
    bh_emit_els(&w->e, "22");
    bh_emit_els(&w->e, any_patient ? "1" : "0");
    bh_emit_end(&w->e);
    bh_emit_begin(&w->e, "SBR");
    w_code(w, c->payer.responsibility, BH_X12_RESPONSIBILITY, "P", "payer.responsibility");
    bh_emit_els(&w->e, any_self ? "18" : "");
    bh_emit_id(&w->e, c->payer.group_number, 50, 0, "payer.group_number");
    w_text(w, c->payer.group_name, 60, 0, "payer.group_name");
    bh_emit_el(&w->e, "", 0); bh_emit_el(&w->e, "", 0); bh_emit_el(&w->e, "", 0); bh_emit_el(&w->e, "", 0);
    if (c->payer.filing_code != NULL && c->payer.filing_code[0] != '\0') {
        w_code(w, c->payer.filing_code, BH_X12_FILING_CODE, NULL, "payer.filing_code");
    } else {
        if (filing == NULL) w_fail(w, "payer.kind", "is missing");
        bh_emit_els(&w->e, filing);
    }
    bh_emit_end(&w->e);
    w_nm1(w, "IL", &c->subscriber.name, "subscriber", &(nm1_id){
        .qualifier = "MI", .value = c->subscriber.member_id, .max = 80, .required = 1,
        .field = "subscriber.member_id"});
    /* 2010BA N3/N4: required when the subscriber is the patient. */
    w_address(w, &c->subscriber.address, "subscriber", any_self, 0);
    /* DMG is required when the subscriber is a patient, and sent at the
    ** sender's discretion otherwise: written when the claim gives it. */
    if (any_self || (c->subscriber.birth_date != 0 && c->subscriber.sex != NULL))
        w_dmg(w, &c->subscriber, "subscriber");
    if (c->payer.name == NULL || c->payer.name[0] == '\0') {
        w_fail(w, "payer.name", "is missing");
        return;
    }
    {
        bh_name pn;
        memset(&pn, 0, sizeof pn);
        pn.last = c->payer.name;
        w_nm1(w, "PR", &pn, "payer", &(nm1_id){
            .qualifier = "PI", .value = c->payer.id, .max = 80, .required = 1,
            .field = "payer.id"});
    }
}

static void w_2000c(writer *w, const bh_claim *c, long hl, long parent) {
    char num[24], par[24];
    const char *rel = relationship_code(c->subscriber.relationship);
    snprintf(num, sizeof num, "%ld", hl);
    snprintf(par, sizeof par, "%ld", parent);
    bh_emit_begin(&w->e, "HL");
    bh_emit_els(&w->e, num);
    bh_emit_els(&w->e, par);
    bh_emit_els(&w->e, "23");
    bh_emit_els(&w->e, "0");
    bh_emit_end(&w->e);
    if (rel == NULL)
        w_fail(w, "subscriber.relationship",
               c->subscriber.relationship == NULL ? "is missing (a patient is given)"
                                                  : "must be spouse, child or other when a patient is given");
    bh_emit_begin(&w->e, "PAT");
    bh_emit_els(&w->e, rel);
    bh_emit_end(&w->e);
    w_nm1(w, "QC", &c->patient.name, "patient", &(nm1_id){.value = NULL, .required = 0});
    w_address(w, &c->patient.address, "patient", 1, 0);
    w_dmg(w, &c->patient, "patient");
}

/* The code without its dot (HI carries none); case is kept, so a
** lower-case code fails the shape test and is refused. */
static void w_dx_code(const char *s, char *buf, size_t *n) {
    *n = 0;
    for (; *s && *n < 8; s++)
        if (*s != '.') buf[(*n)++] = *s;
}

/* CAS segments: consecutive adjustments of one group share a CAS, six at
** most each (CAS02-CAS19). */
static void w_cas(writer *w, const bh_adjustment *list, int n, const char *field) {
    int i = 0;
    char path[96], buf[32];
    while (i < n && w->e.status == BH_OK) {
        const char *group = list[i].group;
        int k;
        snprintf(path, sizeof path, "%s[%d].group", field, i + 1);
        if (group == NULL || !(str_eq(group, "CO") || str_eq(group, "CR") || str_eq(group, "OA") ||
                               str_eq(group, "PI") || str_eq(group, "PR"))) {
            w_fail(w, path, "is not CO, CR, OA, PI or PR");
            return;
        }
        bh_emit_begin(&w->e, "CAS");
        bh_emit_els(&w->e, group);
        for (k = 0; k < 6 && i < n && str_eq(list[i].group, group); k++, i++) {
            snprintf(path, sizeof path, "%s[%d].reason", field, i + 1);
            bh_emit_id(&w->e, list[i].reason, 5, 1, path);
            bh_emit_el(&w->e, buf, bh_emit_format_amount(list[i].amount, buf));
            snprintf(path, sizeof path, "%s[%d].quantity", field, i + 1);
            bh_emit_id(&w->e, list[i].quantity, 15, 0, path);
        }
        bh_emit_end(&w->e);
    }
}

/* 2320 (with its CAS, AMT*D, AMT*EAF, OI), 2330A and 2330B of each other payer. */
static void w_other_payers(writer *w, const bh_claim *c) {
    int i;
    char field[64], buf[32];
    for (i = 0; i < c->n_other_payers && w->e.status == BH_OK; i++) {
        const bh_other_payer *o = &c->other_payers[i];
        bh_name payer;
        snprintf(field, sizeof field, "other_payers[%d].responsibility", i + 1);
        bh_emit_begin(&w->e, "SBR");
        w_code(w, o->responsibility, BH_X12_RESPONSIBILITY, NULL, field);
        if (o->responsibility == NULL) w_fail(w, field, "is missing");
        snprintf(field, sizeof field, "other_payers[%d].relationship", i + 1);
        bh_emit_id(&w->e, o->relationship, 2, 0, field);
        snprintf(field, sizeof field, "other_payers[%d].group_number", i + 1);
        bh_emit_id(&w->e, o->group_number, 50, 0, field);
        snprintf(field, sizeof field, "other_payers[%d].group_name", i + 1);
        w_text(w, o->group_name, 60, 0, field);
        bh_emit_el(&w->e, "", 0); bh_emit_el(&w->e, "", 0); bh_emit_el(&w->e, "", 0); bh_emit_el(&w->e, "", 0);
        snprintf(field, sizeof field, "other_payers[%d].filing_code", i + 1);
        w_code(w, o->filing_code, BH_X12_FILING_CODE, NULL, field);
        bh_emit_end(&w->e);
        snprintf(field, sizeof field, "other_payers[%d].adjustments", i + 1);
        w_cas(w, o->adjustments, o->n_adjustments, field);
        if (o->paid_state == BH_FIELD_OK) {
            bh_emit_begin(&w->e, "AMT");
            bh_emit_els(&w->e, "D");
            bh_emit_el(&w->e, buf, bh_emit_format_amount(o->paid, buf));
            bh_emit_end(&w->e);
        }
        if (o->remaining_state == BH_FIELD_OK) {
            bh_emit_begin(&w->e, "AMT");
            bh_emit_els(&w->e, "EAF");
            bh_emit_el(&w->e, buf, bh_emit_format_amount(o->remaining, buf));
            bh_emit_end(&w->e);
        }
        bh_emit_begin(&w->e, "OI");
        bh_emit_el(&w->e, "", 0);
        bh_emit_el(&w->e, "", 0);
        snprintf(field, sizeof field, "other_payers[%d].benefits_assignment", i + 1);
        w_code(w, o->benefits_assignment, BH_X12_BENEFITS, "Y", field);
        snprintf(field, sizeof field, "other_payers[%d].patient_signature_source", i + 1);
        w_code(w, o->patient_signature_source, BH_X12_SIGNATURE_SOURCE, NULL, field);
        bh_emit_el(&w->e, "", 0);
        snprintf(field, sizeof field, "other_payers[%d].release_of_information", i + 1);
        w_code(w, o->release_of_information, BH_X12_RELEASE, "Y", field);
        bh_emit_end(&w->e);
        snprintf(field, sizeof field, "other_payers[%d].subscriber", i + 1);
        {
            char id_field[80];
            snprintf(id_field, sizeof id_field, "other_payers[%d].subscriber.member_id", i + 1);
            w_nm1(w, "IL", &o->subscriber_name, field, &(nm1_id){
                .qualifier = "MI", .value = o->member_id, .max = 80, .required = 1,
                .field = id_field});
        }
        w_address(w, &o->subscriber_address, field, 0, 0);
        memset(&payer, 0, sizeof payer);
        payer.last = o->payer_name;
        snprintf(field, sizeof field, "other_payers[%d].payer", i + 1);
        {
            char id_field[80];
            snprintf(id_field, sizeof id_field, "other_payers[%d].payer.id", i + 1);
            w_nm1(w, "PR", &payer, field, &(nm1_id){
                .qualifier = "PI", .value = o->payer_id, .max = 80, .required = 1,
                .field = id_field});
        }
    }
}

/* 2430 of each prior payer's adjudication of the line. */
static void w_adjudications(writer *w, const bh_line *l, int index) {
    int i, k;
    char field[80], buf[128], num[32];
    for (i = 0; i < l->n_adjudications && w->e.status == BH_OK; i++) {
        const bh_adjudication *a = &l->adjudications[i];
        size_t n;
        snprintf(field, sizeof field, "lines[%d].adjudications[%d]", index + 1, i + 1);
        bh_emit_begin(&w->e, "SVD");
        bh_emit_id(&w->e, a->payer_id, 80, 1, field);
        bh_emit_el(&w->e, buf, bh_emit_format_amount(a->paid, buf));
        if (a->code == NULL || !code_ok(a->code, 48)) {
            w_fail(w, field, "has no upper-case procedure code");
            return;
        }
        n = (size_t)snprintf(buf, sizeof buf, "HC%c%s", w->e.opt->component_sep, a->code);
        for (k = 0; k < a->n_modifiers && k < BH_MAX_MODIFIERS; k++) {
            if (a->modifiers[k] == NULL || !code_ok(a->modifiers[k], 2)) {
                w_fail(w, field, "has a modifier that is not two upper-case characters");
                return;
            }
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%c%s", w->e.opt->component_sep,
                                  a->modifiers[k]);
        }
        bh_emit_el(&w->e, buf, n);
        bh_emit_el(&w->e, "", 0);
        if (a->units > 0) {
            int u = format_units(a->units, num);
            bh_emit_el(&w->e, num, (size_t)u);
        }
        bh_emit_end(&w->e);
        snprintf(field, sizeof field, "lines[%d].adjudications[%d].adjustments", index + 1, i + 1);
        w_cas(w, a->adjustments, a->n_adjustments, field);
        bh_emit_begin(&w->e, "DTP");
        bh_emit_els(&w->e, "573");
        bh_emit_els(&w->e, "D8");
        snprintf(field, sizeof field, "lines[%d].adjudications[%d].date", index + 1, i + 1);
        w_date(w, a->date, NULL, field);
        bh_emit_end(&w->e);
    }
}

/* DTP*472: D8, or RD8 from..to when the line gives an end date. */
static void w_line_dates(writer *w, const bh_line *l, int index) {
    char field[48], buf[24];
    bh_emit_begin(&w->e, "DTP");
    bh_emit_els(&w->e, "472");
    snprintf(field, sizeof field, "lines[%d].date", index + 1);
    if (l->date_end == 0) {
        bh_emit_els(&w->e, "D8");
        w_date(w, l->date, l->date_text, field);
        bh_emit_end(&w->e);
        return;
    }
    bh_emit_els(&w->e, "RD8");
    if (!bh_date_valid(l->date) || !bh_date_valid(l->date_end)) {
        w_fail(w, field, "or date_end is missing or not a real date");
        return;
    }
    if (l->date_end < l->date) {
        snprintf(field, sizeof field, "lines[%d].date_end", index + 1);
        w_fail(w, field, "is before the line's date");
        return;
    }
    snprintf(buf, sizeof buf, "%08ld-%08ld", (long)l->date, (long)l->date_end);
    bh_emit_el(&w->e, buf, 17);
    bh_emit_end(&w->e);
}

/* REF*6R, the line item control number an 835 returns: the line's own, or
** the claim id, a hyphen and the line number when it has none. */
static void w_line_control(writer *w, const bh_claim *c, const bh_line *l, int index) {
    char field[48], buf[64];
    bh_emit_begin(&w->e, "REF");
    bh_emit_els(&w->e, "6R");
    snprintf(field, sizeof field, "lines[%d].control_number", index + 1);
    if (l->control_number != NULL && l->control_number[0] != '\0') {
        bh_emit_id(&w->e, l->control_number, 50, 1, field);
    } else {
        snprintf(buf, sizeof buf, "%.40s-%d", c->id != NULL ? c->id : "", index + 1);
        bh_emit_id(&w->e, buf, 50, 1, field);
    }
    bh_emit_end(&w->e);
}

static void w_line(writer *w, const bh_claim *c, int index) {
    const bh_line *l = &c->lines[index];
    char field[48], buf[128], num[32];
    size_t n;
    int i, pend = 0;
    snprintf(num, sizeof num, "%d", index + 1);
    bh_emit_begin(&w->e, "LX");
    bh_emit_els(&w->e, num);
    bh_emit_end(&w->e);
    bh_emit_begin(&w->e, "SV1");
    /* SV101: HC:code:mod1..mod4, empty trailing components dropped. */
    snprintf(field, sizeof field, "lines[%d].code", index + 1);
    if (l->code == NULL || !code_ok(l->code, 48)) {
        w_fail(w, field, l->code == NULL ? "is missing"
                         : "is not a code of upper-case letters and digits");
        return;
    }
    n = (size_t)snprintf(buf, sizeof buf, "HC%c%s", w->e.opt->component_sep, l->code);
    for (i = 0; i < l->n_modifiers && i < BH_MAX_MODIFIERS; i++) {
        const char *m = l->modifiers[i];
        pend++;
        if (m == NULL || m[0] == '\0') continue;
        if (!code_ok(m, 2) || m[1] == '\0') {
            snprintf(field, sizeof field, "lines[%d].modifiers[%d]", index + 1, i + 1);
            w_fail(w, field, "is not two upper-case letters or digits");
            return;
        }
        for (; pend > 0; pend--) buf[n++] = w->e.opt->component_sep;
        buf[n++] = m[0];
        buf[n++] = m[1];
    }
    bh_emit_el(&w->e, buf, n);
    snprintf(field, sizeof field, "lines[%d].charge", index + 1);
    if (l->charge_state != BH_FIELD_OK || l->charge < 0) {
        w_fail(w, field, "is missing or negative");
        return;
    }
    bh_emit_el(&w->e, buf, bh_emit_format_amount(l->charge, buf));
    snprintf(field, sizeof field, "lines[%d].unit_type", index + 1);
    w_code(w, l->unit_type, BH_X12_UNIT_TYPE, "UN", field);
    snprintf(field, sizeof field, "lines[%d].units", index + 1);
    if (l->units_state != BH_FIELD_OK || !(n = (size_t)format_units(l->units, buf))) {
        w_fail(w, field, "is missing or not a positive number");
        return;
    }
    bh_emit_el(&w->e, buf, n);
    if (l->place_of_service != NULL && l->place_of_service[0] != '\0' &&
        !str_eq(l->place_of_service, c->place_of_service)) {
        snprintf(field, sizeof field, "lines[%d].place_of_service", index + 1);
        if (!all_digits(l->place_of_service, 2)) {
            w_fail(w, field, "is not two digits");
            return;
        }
        bh_emit_els(&w->e, l->place_of_service);
    } else {
        bh_emit_el(&w->e, "", 0);
    }
    bh_emit_el(&w->e, "", 0);
    snprintf(field, sizeof field, "lines[%d].dx_pointers", index + 1);
    if (l->n_dx_pointers < 1) {
        w_fail(w, field, "is missing");
        return;
    }
    n = 0;
    for (i = 0; i < l->n_dx_pointers && i < BH_MAX_POINTERS; i++) {
        int p = l->dx_pointers[i];
        if (p < 1 || p > c->n_diagnoses || p > 12) {
            w_fail(w, field, "points past the claim's diagnoses");
            return;
        }
        if (i) buf[n++] = w->e.opt->component_sep;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%d", p);
    }
    bh_emit_el(&w->e, buf, n);
    bh_emit_end(&w->e);
    w_line_dates(w, l, index);
    w_line_control(w, c, l, index);
    if (l->rendering_provider.state == BH_FIELD_OK) {
        const bh_provider *r = &l->rendering_provider;
        char npi_field[64];
        snprintf(field, sizeof field, "lines[%d].rendering_provider", index + 1);
        snprintf(npi_field, sizeof npi_field, "lines[%d].rendering_provider.npi", index + 1);
        w_nm1(w, "82", &r->name, field, &(nm1_id){
            .qualifier = "XX", .value = r->npi, .max = 10, .required = 1, .field = npi_field});
        if (r->taxonomy != NULL && r->taxonomy[0] != '\0')
            w_prv(w, "PE", r->taxonomy, field);
    }
    w_adjudications(w, l, index);
}

/* The next qualifier of a space-separated order list into buf; returns the
** rest of the list, NULL at its end. */
static const char *next_qualifier(const char *list, char buf[8]) {
    size_t n = 0;
    while (*list == ' ') list++;
    if (*list == '\0') return NULL;
    while (list[n] && list[n] != ' ' && n < 7) {
        buf[n] = list[n];
        n++;
    }
    buf[n] = '\0';
    return list + n;
}

/* 2300 DTP segments in the guide's order; a qualifier outside it is refused. */
static void w_claim_dates(writer *w, const bh_claim *c) {
    char q[8], field[48], buf[24];
    const char *list = BH_X12_CLAIM_DATE_ORDER;
    int i;
    for (i = 0; i < c->n_claim_dates; i++)
        if (!bh_x12_code_valid(BH_X12_CLAIM_DATE, c->claim_dates[i].qualifier)) {
            snprintf(field, sizeof field, "claim_dates[%d].qualifier", i + 1);
            w_fail(w, field, "is not a 2300 DTP qualifier of the 837P");
            return;
        }
    while ((list = next_qualifier(list, q)) != NULL) {
        for (i = 0; i < c->n_claim_dates; i++) {
            const bh_claim_date *d = &c->claim_dates[i];
            if (!str_eq(d->qualifier, q)) continue;
            snprintf(field, sizeof field, "claim_dates[%d].date", i + 1);
            bh_emit_begin(&w->e, "DTP");
            bh_emit_els(&w->e, q);
            if (d->date_end == 0) {
                bh_emit_els(&w->e, "D8");
                w_date(w, d->date, NULL, field);
            } else if (!bh_date_valid(d->date) || !bh_date_valid(d->date_end) || d->date_end < d->date) {
                w_fail(w, field, "or date_end is not a real range");
                return;
            } else {
                bh_emit_els(&w->e, "RD8");
                snprintf(buf, sizeof buf, "%08ld-%08ld", (long)d->date, (long)d->date_end);
                bh_emit_el(&w->e, buf, 17);
            }
            bh_emit_end(&w->e);
        }
    }
}

/* 2300 REF segments in the guide's order: prior_authorization as G1,
** payer_claim_number as F8, the others from claim_references. */
static void w_claim_references(writer *w, const bh_claim *c) {
    char q[8], field[48];
    const char *list = BH_X12_CLAIM_REFERENCE_ORDER;
    int i;
    for (i = 0; i < c->n_claim_references; i++)
        if (!bh_x12_code_valid(BH_X12_CLAIM_REFERENCE, c->claim_references[i].qualifier)) {
            snprintf(field, sizeof field, "claim_references[%d].qualifier", i + 1);
            w_fail(w, field, "is not a 2300 REF qualifier of the 837P (G1 and F8 have fields)");
            return;
        }
    while ((list = next_qualifier(list, q)) != NULL) {
        const char *single = str_eq(q, "G1") ? c->prior_authorization
                           : str_eq(q, "F8") ? c->payer_claim_number : NULL;
        if (single != NULL && single[0] != '\0') {
            bh_emit_begin(&w->e, "REF");
            bh_emit_els(&w->e, q);
            bh_emit_id(&w->e, single, 50, 1, str_eq(q, "G1") ? "prior_authorization" : "payer_claim_number");
            bh_emit_end(&w->e);
        }
        for (i = 0; i < c->n_claim_references; i++) {
            if (!str_eq(c->claim_references[i].qualifier, q)) continue;
            snprintf(field, sizeof field, "claim_references[%d].value", i + 1);
            bh_emit_begin(&w->e, "REF");
            bh_emit_els(&w->e, q);
            bh_emit_id(&w->e, c->claim_references[i].value, 50, 1, field);
            bh_emit_end(&w->e);
        }
    }
}

static void w_claim(writer *w, const bh_claim *c) {
    char buf[64], pos[8];
    size_t n;
    int i, icd9;
    int64_t total = 0;
    const bh_x12_options *o = w->e.opt;
    bh_emit_begin(&w->e, "CLM");
    bh_emit_id(&w->e, c->id, 38, 1, "id");
    if (c->n_lines < 1) w_fail(w, "lines", "is empty");
    for (i = 0; i < c->n_lines; i++) total += c->lines[i].charge;
    /* CLM02 must be the sum of the lines: a different stated total is
    ** refused, not written. */
    if (c->total_charge_state == BH_FIELD_OK && c->total_charge != total) {
        w_fail(w, "total_charge", "is not the sum of the line charges");
        return;
    }
    bh_emit_el(&w->e, buf, bh_emit_format_amount(total, buf));
    bh_emit_el(&w->e, "", 0);
    bh_emit_el(&w->e, "", 0);
    if (c->place_of_service == NULL || !all_digits(c->place_of_service, 2)) {
        w_fail(w, "place_of_service", c->place_of_service == NULL ? "is missing" : "is not two digits");
        return;
    }
    snprintf(pos, sizeof pos, "%s", c->place_of_service);
    if (c->frequency != NULL && !bh_x12_frequency_valid(c->frequency)) {
        w_fail(w, "frequency", "is not 1 (original), 7 (replacement) or 8 (void)");
        return;
    }
    if (bh_x12_frequency_needs_f8(c->frequency) &&
        (c->payer_claim_number == NULL || c->payer_claim_number[0] == '\0')) {
        w_fail(w, "payer_claim_number", "is missing (frequency 7 and 8 need REF*F8)");
        return;
    }
    n = (size_t)snprintf(buf, sizeof buf, "%s%cB%c%s", pos, o->component_sep, o->component_sep,
                         c->frequency != NULL ? c->frequency : "1");
    bh_emit_el(&w->e, buf, n);
    w_code(w, c->provider_signature, BH_X12_YES_NO, "Y", "provider_signature");
    w_code(w, c->assignment, BH_X12_ASSIGNMENT, "A", "assignment");
    w_code(w, c->benefits_assignment, BH_X12_BENEFITS, "Y", "benefits_assignment");
    w_code(w, c->release_of_information, BH_X12_RELEASE, "Y", "release_of_information");
    w_code(w, c->patient_signature_source, BH_X12_SIGNATURE_SOURCE, NULL,
           "patient_signature_source");
    bh_emit_end(&w->e);
    w_claim_dates(w, c);
    w_claim_references(w, c);
    if (c->note != NULL && c->note[0] != '\0') {
        bh_emit_begin(&w->e, "NTE");
        bh_emit_els(&w->e, "ADD");
        bh_emit_text(&w->e, c->note, BH_X12_LEN_NOTE, 1, "note", 1);
        bh_emit_end(&w->e);
    }
    if (c->n_diagnoses < 1) {
        w_fail(w, "diagnoses", "is empty");
        return;
    }
    icd9 = str_eq(c->diagnosis_code_set, "icd9");
    if (!icd9 && c->diagnosis_code_set != NULL && !str_eq(c->diagnosis_code_set, "icd10")) {
        w_fail(w, "diagnosis_code_set", "is not icd10 or icd9");
        return;
    }
    bh_emit_begin(&w->e, "HI");
    for (i = 0; i < c->n_diagnoses && i < BH_MAX_DIAGNOSES; i++) {
        char code[16], field[24];
        size_t k, cn;
        snprintf(field, sizeof field, "diagnoses[%d]", i + 1);
        if (c->diagnoses[i] == NULL) {
            w_fail(w, field, "is missing");
            return;
        }
        w_dx_code(c->diagnoses[i], code, &cn);
        for (k = 0; k < cn; k++)
            if (!BH_IS_DIGIT(code[k]) && !BH_IS_UPPER(code[k])) cn = 0;
        if (cn < 3 || cn > 7) {
            w_fail(w, field, "is not an ICD-10-CM code shape (upper-case letters and digits)");
            return;
        }
        n = (size_t)snprintf(buf, sizeof buf, "%s%c%.*s",
                             icd9 ? (i == 0 ? "BK" : "BF") : (i == 0 ? "ABK" : "ABF"),
                             o->component_sep, (int)cn, code);
        bh_emit_el(&w->e, buf, n);
    }
    bh_emit_end(&w->e);
    if (c->referring_provider.state == BH_FIELD_OK) {
        const bh_provider *r = &c->referring_provider;
        w_nm1(w, "DN", &r->name, "referring_provider", &(nm1_id){
            .qualifier = "XX", .value = r->npi, .max = 10, .required = 0,
            .field = "referring_provider.npi"});
    }
    if (c->rendering_provider.state == BH_FIELD_OK) {
        const bh_provider *r = &c->rendering_provider;
        w_nm1(w, "82", &r->name, "rendering_provider", &(nm1_id){
            .qualifier = "XX", .value = r->npi, .max = 10, .required = 1,
            .field = "rendering_provider.npi"});
        if (r->taxonomy != NULL && r->taxonomy[0] != '\0')
            w_prv(w, "PE", r->taxonomy, "rendering_provider.taxonomy");
    }
    if (c->service_facility.state == BH_FIELD_OK) {
        const bh_provider *f = &c->service_facility;
        bh_name org = f->name;
        org.first = NULL;   /* NM102 is 2: the facility is an organisation */
        w_nm1(w, "77", &org, "service_facility", &(nm1_id){
            .qualifier = "XX", .value = f->npi, .max = 10, .required = 0,
            .field = "service_facility.npi"});
        w_address(w, &f->address, "service_facility", 1, 0);
    }
    {
        char cob_path[64];
        const char *problem = bh_x12_cob_problem(c, cob_path);
        if (problem != NULL) {
            w_fail(w, cob_path, problem);
            return;
        }
    }
    w_other_payers(w, c);
    if (c->n_lines > BH_MAX_LINES) w_fail(w, "lines", "has more than 50 entries");
    for (i = 0; i < c->n_lines && i < BH_MAX_LINES && w->e.status == BH_OK; i++) w_line(w, c, i);
}

/* The envelope's options, then the 837P's own: the version and the
** 1000A/1000B ids and contact. */
static int check_options(writer *w) {
    const bh_x12_options *o = w->e.opt;
    if (!bh_emit_check_envelope(&w->e)) return 0;
    if (o->version && !str_eq(o->version, BH_837P_VERSION_A1) &&
        !str_eq(o->version, BH_837P_VERSION_A2)) {
        w_fail(w, "version", "must be 005010X222A1 or 005010X222A2");
        return 0;
    }
    return bh_emit_option_ok(&w->e, o->submitter_id, 80, "submitter_id") &&
           bh_emit_option_ok(&w->e, o->receiver_id_1000b, 80, "receiver_id_1000b") &&
           bh_emit_option_ok(&w->e, o->contact_phone, 256, "contact_phone");
}

/* 1000A submitter (41) or 1000B receiver (40): an organisation's NM1 with
** its name and an ETIN (qualifier 46). */
static void w_party(writer *w, const char *entity, const char *name, const char *field,
                    const char *id) {
    bh_emit_begin(&w->e, "NM1");
    bh_emit_els(&w->e, entity);
    bh_emit_els(&w->e, "2");
    w_text(w, name, 60, 1, field);
    bh_emit_el(&w->e, "", 0); bh_emit_el(&w->e, "", 0); bh_emit_el(&w->e, "", 0); bh_emit_el(&w->e, "", 0);
    bh_emit_els(&w->e, "46");
    bh_emit_els(&w->e, id);
    bh_emit_end(&w->e);
}

struct bh_x12_writer {
    writer w;               /* output state: buffer, options, first failure */
    long sets;              /* transaction sets written (GE01) */
    long control;           /* ST02 of the next set */
    int finished;           /* 1 once GE and IEA are written */
};

bh_x12_writer *bh_x12_writer_new(const bh_x12_options *opt, bh_buffer *out, bh_error *err) {
    bh_x12_writer *xw;
    writer *w;
    if (err != NULL) memset(err, 0, sizeof *err);
    if (opt == NULL || out == NULL) {
        bh_error_set(err, BH_ERR_ARG, "x12.write", "NULL argument");
        return NULL;
    }
    xw = calloc(1, sizeof *xw);
    if (xw == NULL) {
        bh_error_set(err, BH_ERR_NOMEM, "x12.write", "out of memory");
        return NULL;
    }
    w = &xw->w;
    bh_emit_init(&w->e, out, opt, on_fail);
    w->err = err;
    xw->control = opt->transaction_control;
    if (!check_options(w)) {
        free(xw);
        return NULL;
    }
    bh_emit_isa_gs(&w->e, "HC", opt->version ? opt->version : BH_837P_VERSION_A1);
    if (w->e.status != BH_OK) {
        free(xw);
        return NULL;
    }
    return xw;
}

bh_status bh_x12_writer_add(bh_x12_writer *xw, const bh_claim *const *claims, size_t n_claims) {
    writer *w;
    size_t start, i;
    long hl = 0, hl_a = 0, hl_b = 0;
    int b_had_patient = 0, b_claims = 0;
    char buf[64];
    const char *version;
    if (xw == NULL || xw->finished || (claims == NULL && n_claims > 0) || n_claims == 0) {
        if (xw != NULL)
            bh_error_set(xw->w.err, BH_ERR_ARG, "x12.write",
                       n_claims == 0 ? "no claims to write" : "NULL argument or finished");
        return BH_ERR_ARG;
    }
    w = &xw->w;
    if (w->e.status != BH_OK) return w->e.status;
    start = w->e.out->len;
    version = w->e.opt->version ? w->e.opt->version : BH_837P_VERSION_A1;
    w->e.segments = 0;
    bh_emit_begin(&w->e, "ST");
    bh_emit_els(&w->e, "837");
    snprintf(buf, sizeof buf, "%04ld", xw->control);
    bh_emit_els(&w->e, buf);
    bh_emit_els(&w->e, version);
    bh_emit_end(&w->e);
    bh_emit_begin(&w->e, "BHT");
    bh_emit_els(&w->e, "0019");
    bh_emit_els(&w->e, "00");
    bh_emit_els(&w->e, buf);     /* BHT03: the transaction's own control number */
    snprintf(buf, sizeof buf, "%08ld", (long)w->e.opt->date);
    bh_emit_els(&w->e, buf);
    snprintf(buf, sizeof buf, "%04d", w->e.opt->time);
    bh_emit_els(&w->e, buf);
    bh_emit_els(&w->e, "CH");
    bh_emit_end(&w->e);
    w_party(w, "41", w->e.opt->submitter_name, "submitter_name", w->e.opt->submitter_id);
    bh_emit_begin(&w->e, "PER");
    bh_emit_els(&w->e, "IC");
    w_text(w, w->e.opt->contact_name, 60, 0, "contact_name");
    bh_emit_els(&w->e, "TE");
    bh_emit_els(&w->e, w->e.opt->contact_phone);
    bh_emit_end(&w->e);
    w_party(w, "40", w->e.opt->receiver_name, "receiver_name", w->e.opt->receiver_id_1000b);

    for (i = 0; i < n_claims && w->e.status == BH_OK; i++) {
        const bh_claim *c = claims[i];
        int new_a, new_b;
        w->claim_index = i + 1;
        w->claim_id = NULL;
        if (c == NULL) {
            w_fail(w, "claim", "is NULL");
            break;
        }
        w->claim_id = c->id;
        new_a = i == 0 || !billing_eq(c, claims[i - 1]);
        /* The guide allows at most 100 claims (2300 loops) under one
        ** subscriber HL: the 101st starts another 2000B. */
        new_b = new_a || !subscriber_eq(c, claims[i - 1]) || (!has_patient(c) && b_had_patient) ||
                b_claims == BH_X12_CLAIMS_PER_HL;
        if (new_a) {
            if (c->billing_provider.state != BH_FIELD_OK && c->billing_provider.npi == NULL) {
                w_fail(w, "billing_provider", "is missing");
                break;
            }
            hl_a = ++hl;
            w_2000a(w, c, hl_a);
        }
        if (new_b) {
            /* The run of claims under this subscriber HL: the subscriber's own
            ** claims first, then dependants'. A self claim after a dependant's
            ** opens a new 2000B, since 2300 loops cannot follow a 2000C of it. */
            size_t j = i + 1;
            int any_self = !has_patient(c), any_patient = has_patient(c);
            while (j < n_claims && claims[j] != NULL && billing_eq(claims[j], claims[j - 1]) &&
                   subscriber_eq(claims[j], claims[j - 1]) &&
                   !(any_patient && !has_patient(claims[j])) &&
                   j - i < BH_X12_CLAIMS_PER_HL) {
                if (has_patient(claims[j])) any_patient = 1;
                else any_self = 1;
                j++;
            }
            hl_b = ++hl;
            b_had_patient = 0;
            b_claims = 0;
            w_2000b(w, c, hl_b, hl_a, any_self, any_patient);
        }
        if (has_patient(c) && (new_b || !has_patient(claims[i - 1]) || !patient_eq(c, claims[i - 1])))
            w_2000c(w, c, ++hl, hl_b);
        if (has_patient(c)) b_had_patient = 1;
        b_claims++;
        w_claim(w, c);
    }
    w->claim_id = NULL;
    w->claim_index = 0;
    bh_emit_se(&w->e, xw->control);
    if (w->e.status != BH_OK) {
        /* all or nothing for the set: the buffer is as before the call */
        w->e.out->len = start;
        if (w->e.out->data != NULL) w->e.out->data[start] = '\0';
        return w->e.status;
    }
    xw->sets++;
    xw->control++;
    return BH_OK;
}

bh_status bh_x12_writer_finish(bh_x12_writer *xw) {
    writer *w;
    if (xw == NULL || xw->finished) return BH_ERR_ARG;
    w = &xw->w;
    if (w->e.status != BH_OK) return w->e.status;
    if (xw->sets == 0) {
        bh_error_set(w->err, BH_ERR_ARG, "x12.write", "no claims to write");
        return BH_ERR_ARG;
    }
    bh_emit_ge_iea(&w->e, xw->sets);
    xw->finished = 1;
    return w->e.status;
}

void bh_x12_writer_free(bh_x12_writer *xw) {
    free(xw);
}

bh_status bh_x12_write_837p(const bh_claim *const *claims, size_t n_claims,
                            const bh_x12_options *opt, bh_buffer *out, bh_error *err) {
    bh_x12_writer *xw;
    size_t start;
    bh_status st;
    if (err != NULL) memset(err, 0, sizeof *err);
    if (opt == NULL || out == NULL || (claims == NULL && n_claims > 0) || n_claims == 0) {
        bh_error_set(err, BH_ERR_ARG, "x12.write",
                   n_claims == 0 ? "no claims to write" : "NULL argument");
        return BH_ERR_ARG;
    }
    start = out->len;
    xw = bh_x12_writer_new(opt, out, err);
    if (xw == NULL) {
        out->len = start;
        if (out->data != NULL) out->data[start] = '\0';
        return err != NULL && err->code != BH_OK ? err->code : BH_ERR_ARG;
    }
    st = bh_x12_writer_add(xw, claims, n_claims);
    if (st == BH_OK) st = bh_x12_writer_finish(xw);
    bh_x12_writer_free(xw);
    if (st != BH_OK) {
        out->len = start;
        if (out->data != NULL) out->data[start] = '\0';
    }
    return st;
}