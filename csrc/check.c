/*
** check.c: the core's claim checks: code sets, identifiers, dates, lines,
** and the front-end edits clearinghouses apply before a payer sees a claim.
** Each rule id and its meaning is listed in docs/rules.md. Fields a parser
** already found unusable (BH_FIELD_BAD) are skipped: they have a finding.
** Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "core.h"

#define SRC_FRONT_END "clearinghouse front-end edit (837P 005010X222A1)"
#define SRC_POS "CMS Place of Service code set"
#define SRC_NPI "CMS NPI check digit (Luhn with prefix 80840)"
#define SRC_TIN "IRS taxpayer identification number format"
#define SRC_TAXONOMY "NUCC Health Care Provider Taxonomy code set"
#define SRC_HCPCS "CMS HCPCS Level II, January 2026"
#define SRC_CPT "CPT code structure; bhclaim behavioral-health catalogue"

/* Units above this are a keying slip on a behavioral-health line (the 837P
** field allows more, no BH code comes close). */
#define MAX_UNITS 9999
/* $99,999,999.99: the largest amount a claim line may carry here. */
#define MAX_CHARGE_CENTS 9999999999LL
/* A birth date more than 150 years before the service is a typing error. */
#define MAX_AGE_DAYS (150L * 36525L / 100L)

typedef struct checker {
    const bh_claim *claim;
    bh_report *report;
    bh_date today;          /* 0: no future-date check */
    bh_date first_service;  /* earliest usable line date, 0 if none */
    bh_status status;
} checker;

typedef struct path {
    char text[96];
} path;

static void add(checker *c, const bh_finding *f) {
    if (bh_report_put(c->report, f) != BH_OK) c->status = BH_ERR_NOMEM;
}

/* Paths are spelt out only when a finding is made: most lines have none,
** and formatting every field's path cost more than checking it. */
static void line_path(path *p, int index, const char *field) {
    snprintf(p->text, sizeof p->text, "lines[%d].%s", index, field);
}

static void add_at_line(checker *c, const char *rule, int index, const char *field,
                        const char *hint, const char *message) {
    path p;
    line_path(&p, index, field);
    add(c, &(bh_finding){
        .rule = rule, .severity = BH_SEV_ERROR,
        .path = p.text,
        .hint = hint,
        .source = SRC_FRONT_END,
        .message = message});
}

/* {====================================================================
** Diagnoses
** ===================================================================== */

/* 1 when every byte is a digit or a dot and there is a digit: the shape of
** an ICD-9-CM diagnosis ("296.32"). */
static int icd9_shaped(const char *code) {
    int digits = 0;
    for (; *code != '\0'; code++) {
        if (BH_IS_DIGIT(*code)) digits++;
        else if (*code != '.') return 0;
    }
    return digits > 0;
}

/* 1 when the text can be quoted in a message as it is: short printable ASCII. */
static int quotable(const char *s) {
    size_t n = 0;
    for (; s[n] != '\0'; n++)
        if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7E || s[n] == '"') return 0;
    return n <= 24;
}

/* The message for a diagnosis that is not even shaped like an ICD-10-CM
** code: says what the value is (or that it is empty). */
static int describe_bad_diagnosis(const char *code, char *msg, size_t size) {
    static const char shape[] = "an ICD-10-CM code is a letter, two letters or digits, "
                                "then up to four more";
    if (code[0] == '\0')
        return snprintf(msg, size, "The diagnosis code is empty (%s).", shape);
    if (!quotable(code))
        return snprintf(msg, size, "The value is not an ICD-10-CM code (%s).", shape);
    if (icd9_shaped(code))
        return snprintf(msg, size, "\"%s\" is not an ICD-10-CM code: it has the shape of an "
                        "ICD-9-CM code, a code set not used on claims since 2015-10-01 (%s).",
                        code, shape);
    return snprintf(msg, size, "\"%s\" is not an ICD-10-CM code (%s).", code, shape);
}

static const char *icd10_source(int fiscal_year) {
    return fiscal_year == 2026 ? "ICD-10-CM FY2026 (CMS/NCHS)" : "ICD-10-CM FY2027 (CMS/NCHS)";
}

static void check_one_diagnosis(checker *c, const char *code, int index, bh_date date) {
    bh_icd10_info info;
    char msg[400], where[32];
    size_t len = strlen(code);
    if (bh_icd10_billable(code, len, date)) return;    /* most are: no titles needed */
    switch (bh_icd10_lookup(code, len, date, &info)) {
    case BH_ICD10_BILLABLE:
        return;
    case BH_ICD10_HEADER: {
        int n = snprintf(msg, sizeof msg,
                         "%s is a category%s%s%s, not a billable code in ICD-10-CM FY%d; "
                         "a more specific code is required.",
                         info.dotted, info.category_title ? " (" : "",
                         info.category_title ? info.category_title : "",
                         info.category_title ? ")" : "", info.fiscal_year);
        if (info.billable_in_other_year && n > 0 && (size_t)n < sizeof msg)
            snprintf(msg + n, sizeof msg - (size_t)n, " It is billable in FY%d.",
                     info.billable_in_other_year);
        snprintf(where, sizeof where, "diagnoses[%d]", index);
        add(c, &(bh_finding){
            .rule = "code.icd10.header", .severity = BH_SEV_ERROR,
            .path = where,
            .hint = "Code to the full number of characters: choose the billable code under this "
                    "category that the record supports.",
            .source = icd10_source(info.fiscal_year),
            .message = msg});
        return;
    }
    default: {
        int n;
        if (info.code[0] == '\0')
            n = describe_bad_diagnosis(code, msg, sizeof msg);
        else
            n = snprintf(msg, sizeof msg, "%s is not an ICD-10-CM code in FY%d.", info.dotted,
                         info.fiscal_year);
        if (n > 0 && (size_t)n < sizeof msg) {
            if (info.billable_in_other_year)
                snprintf(msg + n, sizeof msg - (size_t)n,
                         " It is a billable code in FY%d, a different year from the date of "
                         "service.", info.billable_in_other_year);
            else if (info.header_in_other_year)
                snprintf(msg + n, sizeof msg - (size_t)n,
                         " It is a category in FY%d.", info.header_in_other_year);
        }
        snprintf(where, sizeof where, "diagnoses[%d]", index);
        add(c, &(bh_finding){
            .rule = "code.icd10.invalid", .severity = BH_SEV_ERROR,
            .path = where,
            .hint = "Use a code valid on the date of service (FY runs October 1 to September 30).",
            .source = icd10_source(info.fiscal_year),
            .message = msg});
    }
    }
}

/* Same code, ignoring case and the dot. */
static int same_icd10(const char *a, const char *b) {
    while (*a || *b) {
        if (*a == '.') { a++; continue; }
        if (*b == '.') { b++; continue; }
        if (BH_TO_UPPER(*a) != BH_TO_UPPER(*b)) return 0;
        a++;
        b++;
    }
    return 1;
}

static void check_diagnoses(checker *c) {
    const bh_claim *claim = c->claim;
    bh_date date = c->first_service;
    int i, j;
    if (claim->diagnoses_state != BH_FIELD_OK) return;
    if (date != 0) {
        bh_icd10_info info;
        bh_icd10_lookup("", 0, date, &info);
        if (!info.in_range) {
            char msg[200], d[11];
            bh_date_format(date, d);
            snprintf(msg, sizeof msg, "The date of service %s is outside the ICD-10-CM years "
                     "carried (FY2026 and FY2027); diagnoses were checked against FY%d.",
                     d, info.fiscal_year);
            add(c, &(bh_finding){
                .rule = "code.icd10.year", .severity = BH_SEV_INFO,
                .path = "diagnoses",
                .hint = "Check these codes against the code set of the year of service.",
                .source = "ICD-10-CM fiscal years (CMS/NCHS)",
                .message = msg});
        }
    }
    for (i = 0; i < claim->n_diagnoses; i++) {
        const char *code = claim->diagnoses[i];
        if (code == NULL) continue;
        check_one_diagnosis(c, code, i + 1, date);
        for (j = 0; j < i; j++) {
            if (claim->diagnoses[j] != NULL && same_icd10(claim->diagnoses[j], code)) {
                char msg[160], where[32];
                snprintf(where, sizeof where, "diagnoses[%d]", i + 1);
                snprintf(msg, sizeof msg, "This diagnosis repeats diagnoses[%d].", j + 1);
                add(c, &(bh_finding){
                    .rule = "code.icd10.duplicate", .severity = BH_SEV_ERROR,
                    .path = where,
                    .hint = "List each diagnosis once and point lines at it.",
                    .source = SRC_FRONT_END,
                    .message = msg});
                break;
            }
        }
    }
}

/* {====================================================================
** Identifiers and places of service
** ===================================================================== */

static void check_npi(checker *c, const char *npi, const char *where) {
    if (npi == NULL || bh_npi_valid(npi, strlen(npi))) return;
    add(c, &(bh_finding){
        .rule = "npi.checksum", .severity = BH_SEV_ERROR,
        .path = where,
        .hint = "Copy the NPI from NPPES; an NPI is 10 digits starting with 1 or 2 and its last "
                "digit is a check digit.",
        .source = SRC_NPI,
        .message = strlen(npi) == 10 ? "The NPI fails its check digit."
                   : "The NPI is not ten digits."});
}

static void check_providers(checker *c) {
    const bh_provider *b = &c->claim->billing_provider, *r = &c->claim->rendering_provider;
    check_npi(c, b->npi, "billing_provider.npi");
    check_npi(c, r->npi, "rendering_provider.npi");
    if (b->tin != NULL && !bh_tin_valid(b->tin, strlen(b->tin)))
        add(c, &(bh_finding){
            .rule = "tin.format", .severity = BH_SEV_ERROR,
            .path = "billing_provider.tin",
            .hint = "Write the EIN as nine digits, with or without the hyphen (12-3456789).",
            .source = SRC_TIN,
            .message = "The tax id is not nine digits in an EIN or SSN layout."});
    if (b->taxonomy != NULL && !bh_taxonomy_valid(b->taxonomy, strlen(b->taxonomy)))
        add(c, &(bh_finding){
            .rule = "taxonomy.format", .severity = BH_SEV_ERROR,
            .path = "billing_provider.taxonomy",
            .hint = "A taxonomy code is ten characters ending in X, upper case, e.g. 261QM0801X.",
            .source = SRC_TAXONOMY,
            .message = "The taxonomy code does not have the NUCC shape."});
    if (r->taxonomy != NULL && !bh_taxonomy_valid(r->taxonomy, strlen(r->taxonomy)))
        add(c, &(bh_finding){
            .rule = "taxonomy.format", .severity = BH_SEV_ERROR,
            .path = "rendering_provider.taxonomy",
            .hint = "A taxonomy code is ten characters ending in X, upper case, e.g. 1041C0700X.",
            .source = SRC_TAXONOMY,
            .message = "The taxonomy code does not have the NUCC shape."});
}

/* line_no 0: the claim's own place of service; else the line's (1-based),
** whose path is spelt out only when a finding is made. */
static void check_pos(checker *c, const char *pos, int line_no, bh_date date) {
    bh_pos_info info;
    char msg[200];
    path at;
    const char *where = "place_of_service";
    if (pos == NULL) return;
    if (bh_pos_lookup(pos, strlen(pos), &info) &&
        (info.from == 0 || date == 0 || date >= info.from))
        return;
    if (line_no > 0) {
        line_path(&at, line_no, "place_of_service");
        where = at.text;
    }
    if (!info.known) {
        add(c, &(bh_finding){
            .rule = "code.pos.unknown", .severity = BH_SEV_ERROR,
            .path = where,
            .hint = "Use a two-digit CMS place-of-service code, e.g. 11 office, 02 or 10 telehealth.",
            .source = SRC_POS,
            .message = "This is not a CMS place-of-service code."});
        return;
    }
    {   /* known, but not yet in effect on the date */
        char d[11];
        bh_date_format(info.from, d);
        snprintf(msg, sizeof msg, "Place of service %s (%s) is in effect only from %s.", pos,
                 info.name, d);
        add(c, &(bh_finding){
            .rule = "code.pos.unknown", .severity = BH_SEV_ERROR,
            .path = where,
            .hint = "Use the place-of-service code in effect on the date of service.",
            .source = info.source,
            .message = msg});
    }
}

/* {====================================================================
** Dates
** ===================================================================== */

static void check_person_dates(checker *c, const bh_person *person, const char *where) {
    char msg[200], d[11];
    bh_date service = c->first_service ? c->first_service : c->today;
    if (person->birth_date == 0) return;
    if (c->today != 0 && person->birth_date > c->today) {
        add(c, &(bh_finding){
            .rule = "date.future", .severity = BH_SEV_ERROR,
            .path = where,
            .hint = "Check the birth date.",
            .source = SRC_FRONT_END,
            .message = "The birth date is in the future."});
        return;
    }
    if (c->first_service != 0 && person->birth_date > c->first_service) {
        bh_date_format(c->first_service, d);
        snprintf(msg, sizeof msg, "The birth date falls after the date of service %s.", d);
        add(c, &(bh_finding){
            .rule = "date.order", .severity = BH_SEV_ERROR,
            .path = where,
            .hint = "Check the birth date and the service date.",
            .source = SRC_FRONT_END,
            .message = msg});
        return;
    }
    if (service != 0 && bh_date_diff_days(person->birth_date, service) > MAX_AGE_DAYS)
        add(c, &(bh_finding){
            .rule = "date.invalid", .severity = BH_SEV_ERROR,
            .path = where,
            .hint = "Check the birth date's year.",
            .source = SRC_FRONT_END,
            .message = "The birth date is more than 150 years before the service."});
}

static void check_dates(checker *c) {
    const bh_claim *claim = c->claim;
    const bh_session *s = &claim->session;
    const bh_signature *sig = &claim->documentation.signature;
    check_person_dates(c, &claim->subscriber, "subscriber.birth_date");
    check_person_dates(c, &claim->patient, "patient.birth_date");
    if (s->start >= 0 && s->end >= 0 && s->end < s->start)
        add(c, &(bh_finding){
            .rule = "date.order", .severity = BH_SEV_ERROR,
            .path = "session.end",
            .hint = "Record the session's start and end times as the clock read (24-hour).",
            .source = "CMS documentation of time (MAC psychotherapy checklists)",
            .message = "The session ends before it starts."});
    if (sig->date != 0 && c->first_service != 0 && sig->date < c->first_service)
        add(c, &(bh_finding){
            .rule = "date.order", .severity = BH_SEV_ERROR,
            .path = "documentation.signature.date",
            .hint = "The note is signed on or after the date of service; check both dates.",
            .source = "CMS signature requirements (Program Integrity Manual ch. 3)",
            .message = "The note is signed before the service took place."});
}

/* {====================================================================
** Service lines
** ===================================================================== */

static void check_code(checker *c, const bh_line *line, int index) {
    bh_procedure_info info;
    path p;
    char msg[300];
    if (line->code == NULL) return;
    if (!bh_procedure_lookup(line->code, strlen(line->code), &info)) {
        line_path(&p, index, "code");
        if (info.kind == BH_CODE_BAD_SHAPE)
            add(c, &(bh_finding){
                .rule = "code.cpt.format", .severity = BH_SEV_ERROR,
                .path = p.text,
                .hint = "A procedure code is five characters: CPT 90853, 3016F, 0362T or HCPCS H0004.",
                .source = SRC_CPT,
                .message = "This is not a CPT or HCPCS code shape."});
        else if (info.kind == BH_CODE_HCPCS)
            add(c, &(bh_finding){
                .rule = "code.cpt.unknown", .severity = BH_SEV_ERROR,
                .path = p.text,
                .hint = "Check the code against the current HCPCS Level II file.",
                .source = SRC_HCPCS,
                .message = "This HCPCS Level II code is not in the CMS HCPCS file."});
        else
            add(c, &(bh_finding){
                .rule = "code.cpt.unknown", .severity = BH_SEV_WARNING,
                .path = p.text,
                .hint = "Confirm the code in the current CPT code set; bhclaim carries only the "
                        "behavioral-health codes.",
                .source = SRC_CPT,
                .message = "This CPT code is not in the behavioral-health catalogue, so it cannot be "
                           "confirmed here."});
        return;
    }
    if (line->date != 0 && ((info.from && line->date < info.from) ||
                            (info.to && line->date > info.to))) {
        char from[11] = "", to[11] = "";
        if (info.from) bh_date_format(info.from, from);
        if (info.to) bh_date_format(info.to, to);
        snprintf(msg, sizeof msg, "%s is not valid on the date of service (in effect %s%s%s%s).",
                 line->code, info.from ? "from " : "", from, info.to ? " through " : "", to);
        line_path(&p, index, "code");
        add(c, &(bh_finding){
            .rule = "code.cpt.unknown", .severity = BH_SEV_ERROR,
            .path = p.text,
            .hint = "Use the code that replaced it for this date of service.",
            .source = info.source ? info.source : SRC_CPT,
            .message = msg});
    }
}

static void check_modifiers(checker *c, const bh_line *line, int index) {
    int j;
    for (j = 0; j < line->n_modifiers; j++) {
        bh_modifier_info info;
        const char *m = line->modifiers[j];
        path p;
        if (m == NULL || bh_modifier_lookup(m, strlen(m), &info)) continue;
        snprintf(p.text, sizeof p.text, "lines[%d].modifiers[%d]", index, j + 1);
        add(c, &(bh_finding){
            .rule = "code.modifier.unknown", .severity = BH_SEV_ERROR,
            .path = p.text,
            .hint = "Use a CPT modifier (two digits, e.g. 95) or a HCPCS modifier (e.g. HQ), in upper "
                    "case.",
            .source = "CPT modifiers; CMS HCPCS Level II modifiers, January 2026",
            .message = "This is not a known CPT or HCPCS modifier."});
    }
}

static void check_units(checker *c, const bh_line *line, int index) {
    const char *msg = NULL;
    if (line->units_state == BH_FIELD_BAD) return;
    if (line->units_state == BH_FIELD_ABSENT) msg = "The line has no units.";
    else if (line->units <= 0) msg = "Units must be more than zero.";
    else if (line->units != (double)(long)line->units || line->units > MAX_UNITS)
        msg = line->units > MAX_UNITS ? "Units over 9,999 on one line are a keying error."
                                      : "Units must be a whole number.";
    if (msg != NULL)
        add_at_line(c, "line.units", index, "units",
                    "Bill whole units: one per patient per group session for 90853.", msg);
}

static void check_charge(checker *c, const bh_line *line, int index) {
    const char *msg = NULL;
    if (line->charge_state == BH_FIELD_BAD) return;
    if (line->charge_state == BH_FIELD_ABSENT) msg = "The line has no charge.";
    else if (line->charge <= 0) msg = "The charge must be more than zero.";
    else if (line->charge > MAX_CHARGE_CENTS) msg = "The charge is implausibly large.";
    if (msg != NULL)
        add_at_line(c, "line.charge", index, "charge",
                    "Enter the practice's usual charge for the code, e.g. \"45.00\".", msg);
}

static void check_pointers(checker *c, const bh_line *line, int index) {
    path p;
    int j, k;
    if (line->dx_pointers_state == BH_FIELD_BAD) return;
    if (line->n_dx_pointers == 0) {
        add_at_line(c, "line.dx_pointer", index, "dx_pointers",
                    "Point the line at the diagnosis (1-4) it treats.",
                    "The line points to no diagnosis.");
        return;
    }
    for (j = 0; j < line->n_dx_pointers; j++) {
        int ptr = line->dx_pointers[j];
        const char *msg = NULL;
        char text[120];
        if (c->claim->diagnoses_state == BH_FIELD_OK &&
            (ptr < 1 || ptr > c->claim->n_diagnoses)) {
            snprintf(text, sizeof text, "Pointer %d refers to no diagnosis (the claim has %d).",
                     ptr, c->claim->n_diagnoses);
            msg = text;
        }
        for (k = 0; k < j && msg == NULL; k++)
            if (line->dx_pointers[k] == ptr) msg = "The same diagnosis pointer is listed twice.";
        if (msg == NULL) continue;
        snprintf(p.text, sizeof p.text, "lines[%d].dx_pointers[%d]", index, j + 1);
        add(c, &(bh_finding){
            .rule = "line.dx_pointer", .severity = BH_SEV_ERROR,
            .path = p.text,
            .hint = "Each pointer is the 1-based position of a diagnosis in the claim's list.",
            .source = SRC_FRONT_END,
            .message = msg});
    }
}

static void check_line_date(checker *c, const bh_line *line, int index) {
    if (line->date == 0 || c->today == 0 || line->date <= c->today) return;
    add_at_line(c, "date.future", index, "date", "Bill a service after it has taken place.",
                "The date of service is in the future.");
}

static void check_lines(checker *c) {
    const bh_claim *claim = c->claim;
    int i;
    int64_t total = 0;
    int all_charges = 1;
    for (i = 0; i < claim->n_lines; i++) {
        const bh_line *line = &claim->lines[i];
        if (line->code_state == BH_FIELD_BAD && line->date_state == BH_FIELD_BAD &&
            line->units_state == BH_FIELD_BAD)
            continue;   /* not an object: already reported */
        check_code(c, line, i + 1);
        check_modifiers(c, line, i + 1);
        check_units(c, line, i + 1);
        check_charge(c, line, i + 1);
        check_pointers(c, line, i + 1);
        check_line_date(c, line, i + 1);
        check_pos(c, line->place_of_service, i + 1, line->date);
        if (line->charge_state == BH_FIELD_OK) total += line->charge;
        else all_charges = 0;
    }
    if (claim->total_charge_state == BH_FIELD_OK && all_charges && claim->n_lines > 0 &&
        total != claim->total_charge) {
        char stated[24], sum[24], msg[160];
        bh_money_format(claim->total_charge, stated);
        bh_money_format(total, sum);
        snprintf(msg, sizeof msg, "The stated total %s is not the sum of the lines, %s.",
                 stated, sum);
        add(c, &(bh_finding){
            .rule = "claim.total", .severity = BH_SEV_ERROR,
            .path = "total_charge",
            .hint = "Make the total the sum of the line charges, or leave it out.",
            .source = SRC_FRONT_END,
            .message = msg});
    }
}

/* {====================================================================
** Entry point
** ===================================================================== */

static bh_date first_service_date(const bh_claim *claim) {
    bh_date first = 0;
    int i;
    for (i = 0; i < claim->n_lines; i++) {
        bh_date d = claim->lines[i].date;
        if (d != 0 && (first == 0 || d < first)) first = d;
    }
    return first;
}

bh_status bh_claim_check(const bh_claim *claim, const bh_check_options *options,
                         bh_report *report) {
    checker c;
    bh_provider_kind kind;
    if (claim == NULL || report == NULL) return BH_ERR_ARG;
    c.claim = claim;
    c.report = report;
    c.today = options != NULL ? options->today : 0;
    c.first_service = first_service_date(claim);
    c.status = BH_OK;
    check_diagnoses(&c);
    check_providers(&c);
    check_pos(&c, claim->place_of_service, 0, c.first_service);
    check_dates(&c);
    check_lines(&c);
    /* The claim's own billing_provider.kind wins over the option: the
    ** telehealth and setting rules apply to the claim as written. */
    kind = options != NULL ? options->provider_kind : BH_PROVIDER_PRACTITIONER;
    if (claim->billing_provider.kind_state == BH_FIELD_OK)
        kind = (bh_provider_kind)claim->billing_provider.kind;
    if (c.status == BH_OK) c.status = bh_check_group_rules(claim, options, c.first_service, report);
    if (c.status == BH_OK) c.status = bh_check_payer_rules(claim, options, kind, report);
    if (c.status == BH_OK) c.status = bh_check_x12_rules(claim, report);
    if (c.status == BH_OK)
        c.status = bh_telehealth_check(
            claim, options != NULL && options->profile != NULL ? options->profile->telehealth : NULL,
            kind, report);
    return c.status;
}
