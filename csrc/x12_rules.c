/*
** x12_rules.c: what the 837P (005010X222A1) demands of a claim beyond its
** codes, checked before export so that a checked claim never surprises the
** writer: text the writer must fold or cannot carry (x12.text), the
** addresses the guide requires (x12.address), state and ZIP shapes
** (x12.state, x12.zip), the claim frequency and its REF*F8 (x12.frequency),
** codes written in lower case (x12.case), and coded elements the claim
** carries as given outside their lists (x12.code). docs/rules.md lists each with
** the loop of the guide it comes from. The limits on counts are reported by
** the JSON reader (claim.schema) and the total by claim.total.
** Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "core.h"

#define SRC_IG "ASC X12 837P 005010X222A1"

/* The separators bhclaim writes unless told otherwise (bh_x12_options_default). */
static const char default_seps[4] = {'*', ':', '^', '~'};

typedef struct x12_checker {
    const bh_claim *claim;
    bh_report *report;
    bh_status status;
} x12_checker;

static void add(x12_checker *c, const bh_finding *f) {
    if (c->status == BH_OK && bh_report_put(c->report, f) != BH_OK) c->status = BH_ERR_NOMEM;
}

/* Where a field is, in the claim and in the 837P: the start of its path
** ("subscriber") and the guide's loop ("2010BA"). */
typedef struct x12_place {
    const char *block;
    const char *loop;
} x12_place;

/* {====================================================================
** x12.text
** ===================================================================== */

/* Adds finding f (its rule, severity, hint and message) with the path
** block + field ("subscriber" ".name.first") and a source naming the
** guide's loop (+ segments); both are formatted only here, when a finding
** is made, since most fields are clean. */
static void add_at(x12_checker *c, const x12_place *at, const char *field, const char *segs,
                   bh_finding f) {
    char where[96], src[112];
    snprintf(where, sizeof where, "%s%s", at->block, field);
    snprintf(src, sizeof src, "%s, loop %s%s", SRC_IG, at->loop, segs);
    f.path = where;
    f.source = src;
    add(c, &f);
}

/* 1 for the bytes an 837P carries as they are: printable ASCII but the
** default separators (default_seps: * : ^ ~). */
static const unsigned char as_is_byte[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0,
};

/* 1 when text is at most max bytes of printable ASCII with no separator:
** bh_x12_fold then sends it as it is (upper-cased at most), so there is
** nothing to report. Most names and addresses are; folding each took a
** tenth of a check. */
static int sent_as_is(const char *text, size_t max) {
    size_t i;
    for (i = 0; text[i] != '\0'; i++)
        if (i >= max || !as_is_byte[(unsigned char)text[i]]) return 0;
    return 1;
}

/* The text of field (at most max bytes; keep_case: sent as written, not
** upper-cased) as the 837P writer would send it. */
static void check_text(x12_checker *c, const x12_place *at, const char *field, const char *text,
                       size_t max, int keep_case) {
    char out[BH_X12_MAX_ELEMENT_LEN + 1], msg[400];
    size_t n;
    bh_x12_folded into;
    bh_x12_fold_result folding;
    if (text == NULL || text[0] == '\0' || sent_as_is(text, max)) return;
    into.text = out;
    into.max = max;
    folding = bh_x12_fold(text, default_seps, keep_case, &into);
    n = into.len;
    switch (folding) {
    case BH_FOLD_BAD_CHAR:
        snprintf(msg, sizeof msg, "Byte %lu is a character the 837P cannot carry and that has "
                 "no folding to its character set; the claim would be refused.",
                 (unsigned long)n + 1);
        add_at(c, at, field, "", (bh_finding){.rule = "x12.text", .severity = BH_SEV_ERROR,
               .hint = "Spell it with Latin letters, digits and plain punctuation.",
               .message = msg});
        return;
    case BH_FOLD_TOO_LONG:
        snprintf(msg, sizeof msg, "Longer than the %lu characters its 837P element holds; "
                 "the claim would be refused, not cut.", (unsigned long)max);
        add_at(c, at, field, "", (bh_finding){.rule = "x12.text", .severity = BH_SEV_ERROR,
               .hint = "Shorten it.", .message = msg});
        return;
    default:
        break;
    }
    if (!into.folded) return;
    snprintf(msg, sizeof msg, "Will be sent as \"%.300s\" (folded to the X12 character set).",
             out);
    add_at(c, at, field, "", (bh_finding){.rule = "x12.text", .severity = BH_SEV_WARNING,
           .hint = "Check the folded spelling; write it that way to silence this.",
           .message = msg});
}

static void check_name(x12_checker *c, const bh_name *name, const char *block, const char *loop) {
    x12_place at;
    int person = name->first != NULL && name->first[0] != '\0';
    at.block = block;
    at.loop = loop;
    check_text(c, &at, person ? ".name.last" : ".name", name->last, BH_X12_LEN_NAME_LAST, 0);
    if (!person) return;
    check_text(c, &at, ".name.first", name->first, BH_X12_LEN_NAME_FIRST, 0);
    check_text(c, &at, ".name.middle", name->middle, BH_X12_LEN_NAME_MIDDLE, 0);
    check_text(c, &at, ".name.suffix", name->suffix, BH_X12_LEN_NAME_SUFFIX, 0);
}

/* {====================================================================
** Addresses
** ===================================================================== */

static int has_address(const bh_address *a) {
    return a->line1 != NULL && a->line1[0] != '\0';
}

/* Text, state and ZIP of an address that is given. zip9: the billing
** provider's ZIP must carry its +4. */
static void check_address(x12_checker *c, const bh_address *a, const x12_place *at, int zip9) {
    char zip[10];
    int n;
    if (!has_address(a)) return;
    check_text(c, at, ".address.line1", a->line1, BH_X12_LEN_ADDRESS, 0);
    check_text(c, at, ".address.line2", a->line2, BH_X12_LEN_ADDRESS, 0);
    if (a->city == NULL || a->city[0] == '\0')
        add_at(c, at, ".address.city", " N3/N4", (bh_finding){.rule = "x12.address",
               .severity = BH_SEV_ERROR, .hint = "Add the city.",
               .message = "The 837P requires the city (N401) of this address."});
    else
        check_text(c, at, ".address.city", a->city, BH_X12_LEN_CITY, 0);
    if (!bh_x12_state_valid(a->state))
        add_at(c, at, ".address.state", " N3/N4", (bh_finding){.rule = "x12.state",
               .severity = BH_SEV_ERROR,
               .hint = "Use the two-letter USPS code of the state or territory, upper case.",
               .message = a->state == NULL
                              ? "The state (N402) is missing."
                              : "Not a US state, territory or military post office code."});
    n = bh_x12_zip_digits(a->zip, zip);
    if (n < 0)
        add_at(c, at, ".address.zip", " N3/N4", (bh_finding){.rule = "x12.zip",
               .severity = BH_SEV_ERROR, .hint = "Give 5 digits, 9 digits or NNNNN-NNNN.",
               .message = a->zip == NULL ? "The ZIP code (N403) is missing."
                                         : "Not a 5- or 9-digit ZIP code."});
    else if (zip9 && n != 9)
        add_at(c, at, ".address.zip", " N3/N4", (bh_finding){.rule = "x12.zip",
               .severity = BH_SEV_ERROR, .hint = "Add the ZIP+4 (NNNNN-NNNN).",
               .message = "The billing provider's ZIP code must have 9 digits (2010AA N403)."});
}

static void check_addresses(x12_checker *c) {
    const bh_claim *cl = c->claim;
    int patient = cl->patient.state == BH_FIELD_OK;
    /* A billing provider without an address already has claim.schema. */
    static const x12_place billing = {"billing_provider", "2010AA"},
                           subscriber = {"subscriber", "2010BA"},
                           patient_at = {"patient", "2010CA"};
    if (cl->billing_provider.state == BH_FIELD_OK)
        check_address(c, &cl->billing_provider.address, &billing, 1);
    if (patient && !has_address(&cl->patient.address))
        add(c, &(bh_finding){.rule = "x12.address", .severity = BH_SEV_ERROR,
            .path = "patient.address", .hint = "Add the patient's address.",
            .source = SRC_IG ", loop 2010CA N3/N4",
            .message = "The 837P requires the patient's address when the patient is not the "
                       "subscriber."});
    if (!patient && cl->subscriber.state == BH_FIELD_OK && !has_address(&cl->subscriber.address))
        add(c, &(bh_finding){.rule = "x12.address", .severity = BH_SEV_ERROR,
            .path = "subscriber.address", .hint = "Add the subscriber's address.",
            .source = SRC_IG ", loop 2010BA N3/N4",
            .message = "The 837P requires the subscriber's address when the subscriber is the "
                       "patient."});
    check_address(c, &cl->subscriber.address, &subscriber, 0);
    if (patient) check_address(c, &cl->patient.address, &patient_at, 0);
}

/* {====================================================================
** Frequency and codes
** ===================================================================== */

static void check_frequency(x12_checker *c) {
    const char *f = c->claim->frequency;
    if (f != NULL && !bh_x12_frequency_valid(f)) {
        add(c, &(bh_finding){.rule = "x12.frequency", .severity = BH_SEV_ERROR,
            .path = "frequency", .hint = "Use 1 (original), 7 (replacement) or 8 (void).",
            .source = SRC_IG ", loop 2300 CLM05-3; rules-reference 8.1",
            .message = "Not a claim frequency code of the 837P."});
        return;
    }
    if (bh_x12_frequency_needs_f8(f) &&
        (c->claim->payer_claim_number == NULL || c->claim->payer_claim_number[0] == '\0'))
        add(c, &(bh_finding){.rule = "x12.frequency", .severity = BH_SEV_ERROR,
            .path = "payer_claim_number",
            .hint = "Give the payer's claim control number of the claim being replaced or "
                    "voided.",
            .source = SRC_IG ", loop 2300 REF*F8",
            .message = "A replacement (7) or void (8) must name the payer's original claim "
                       "(REF*F8)."});
}

static int has_lower(const char *s) {
    for (; s != NULL && *s; s++)
        if (BH_IS_LOWER(*s)) return 1;
    return 0;
}

static void check_case(x12_checker *c, const char *code, const char *where) {
    if (has_lower(code))
        add(c, &(bh_finding){.rule = "x12.case", .severity = BH_SEV_ERROR, .path = where,
            .hint = "Write the code in upper case.",
            .source = SRC_IG " (code values are upper case)",
            .message = "A lower-case code: the 837P writer sends codes as given, so it refuses "
                       "this one."});
}

/* Paths are formatted only for a code that has a lower-case letter. */
static void check_codes(x12_checker *c) {
    const bh_claim *cl = c->claim;
    char where[48];
    int i, j;
    for (i = 0; i < cl->n_diagnoses; i++) {
        if (!has_lower(cl->diagnoses[i])) continue;
        snprintf(where, sizeof where, "diagnoses[%d]", i + 1);
        check_case(c, cl->diagnoses[i], where);
    }
    for (i = 0; i < cl->n_lines; i++) {
        const bh_line *l = &cl->lines[i];
        if (has_lower(l->code)) {
            snprintf(where, sizeof where, "lines[%d].code", i + 1);
            check_case(c, l->code, where);
        }
        for (j = 0; j < l->n_modifiers; j++) {
            if (!has_lower(l->modifiers[j])) continue;
            snprintf(where, sizeof where, "lines[%d].modifiers[%d]", i + 1, j + 1);
            check_case(c, l->modifiers[j], where);
        }
    }
}

/* A coded element given as a value outside its 837P list. */
static void check_listed(x12_checker *c, const char *value, bh_x12_code_kind kind,
                         const char *where, const char *element, const char *allowed) {
    char msg[200], hint[160];
    if (value == NULL || value[0] == '\0' || bh_x12_code_valid(kind, value)) return;
    snprintf(msg, sizeof msg, "Not a code the 837P allows in %s.", element);
    snprintf(hint, sizeof hint, "Use one of %s, or leave it out.", allowed);
    add(c, &(bh_finding){.rule = "x12.code", .severity = BH_SEV_ERROR, .path = where,
        .hint = hint, .source = SRC_IG, .message = msg});
}

static void check_listed_codes(x12_checker *c) {
    const bh_claim *cl = c->claim;
    char where[48];
    int i;
    check_listed(c, cl->payer.responsibility, BH_X12_RESPONSIBILITY, "payer.responsibility",
                 "SBR01", "P, S, T, A-H, U");
    check_listed(c, cl->payer.filing_code, BH_X12_FILING_CODE, "payer.filing_code", "SBR09",
                 "the claim filing indicator codes (MB, MC, CI, BL, HM, VA, ZZ...)");
    check_listed(c, cl->provider_signature, BH_X12_YES_NO, "provider_signature", "CLM06", "Y, N");
    check_listed(c, cl->assignment, BH_X12_ASSIGNMENT, "assignment", "CLM07", "A, B, C");
    check_listed(c, cl->benefits_assignment, BH_X12_BENEFITS, "benefits_assignment", "CLM08",
                 "Y, N, W");
    check_listed(c, cl->release_of_information, BH_X12_RELEASE, "release_of_information",
                 "CLM09", "I, Y");
    check_listed(c, cl->patient_signature_source, BH_X12_SIGNATURE_SOURCE,
                 "patient_signature_source", "CLM10", "P");
    for (i = 0; i < cl->n_claim_dates; i++) {
        snprintf(where, sizeof where, "claim_dates[%d].qualifier", i + 1);
        check_listed(c, cl->claim_dates[i].qualifier, BH_X12_CLAIM_DATE, where, "a 2300 DTP",
                     BH_X12_CLAIM_DATE_ORDER);
    }
    for (i = 0; i < cl->n_claim_references; i++) {
        snprintf(where, sizeof where, "claim_references[%d].qualifier", i + 1);
        check_listed(c, cl->claim_references[i].qualifier, BH_X12_CLAIM_REFERENCE, where,
                     "a 2300 REF (G1 and F8 have their own fields)",
                     "4N F5 EW 9F X4 9A 9C LX D9 EA P4 1J");
    }
    for (i = 0; i < cl->n_lines; i++) {
        const bh_line *l = &cl->lines[i];
        if (l->unit_type != NULL) {
            snprintf(where, sizeof where, "lines[%d].unit_type", i + 1);
            check_listed(c, l->unit_type, BH_X12_UNIT_TYPE, where, "SV103", "UN, MJ");
        }
        if (l->date_end != 0 && l->date != 0 && l->date_end < l->date) {
            snprintf(where, sizeof where, "lines[%d].date_end", i + 1);
            add(c, &(bh_finding){.rule = "date.order", .severity = BH_SEV_ERROR,
                .path = where, .hint = "Check the range's dates.",
                .source = SRC_IG ", loop 2400 DTP*472 RD8",
                .message = "The range ends before it starts."});
        }
    }
}

static void check_cob(x12_checker *c) {
    char where[64], msg[200];
    const char *problem = bh_x12_cob_problem(c->claim, where);
    if (problem == NULL) return;
    snprintf(msg, sizeof msg, "This %s.", problem);
    add(c, &(bh_finding){.rule = "x12.cob", .severity = BH_SEV_ERROR, .path = where,
        .hint = "Give the earlier payers' adjudication as the 835 stated it.",
        .source = SRC_IG ", loops 2320 and 2430", .message = msg});
}

bh_status bh_check_x12_rules(const bh_claim *claim, bh_report *report) {
    x12_checker c;
    c.claim = claim;
    c.report = report;
    c.status = BH_OK;
    check_name(&c, &claim->billing_provider.name, "billing_provider", "2010AA");
    if (claim->rendering_provider.state == BH_FIELD_OK)
        check_name(&c, &claim->rendering_provider.name, "rendering_provider", "2310B");
    check_name(&c, &claim->subscriber.name, "subscriber", "2010BA");
    if (claim->patient.state == BH_FIELD_OK) check_name(&c, &claim->patient.name, "patient", "2010CA");
    {
        static const x12_place payer = {"payer.name", "2010BB"}, note = {"note", "2300 NTE"};
        check_text(&c, &payer, "", claim->payer.name, BH_X12_LEN_NAME_LAST, 0);
        check_text(&c, &note, "", claim->note, BH_X12_LEN_NOTE, 1);
    }
    check_addresses(&c);
    check_frequency(&c);
    check_codes(&c);
    check_listed_codes(&c);
    check_cob(&c);
    return c.status;
}
