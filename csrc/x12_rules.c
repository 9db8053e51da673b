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

static void add(x12_checker *c, const char *rule, bh_severity sev, const char *where,
                const char *hint, const char *source, const char *message) {
    if (c->status == BH_OK &&
        bh_report_add(c->report, rule, sev, where, hint, source, "%s", message) != BH_OK)
        c->status = BH_ERR_NOMEM;
}

/* {====================================================================
** x12.text
** ===================================================================== */

/* Adds a finding whose path is block + field ("subscriber" ".name.first")
** and whose source names the guide's loop (+ segments); both are formatted
** only here, when a finding is made, since most fields are clean. */
static void add_at(x12_checker *c, const char *rule, bh_severity sev, const char *block,
                   const char *field, const char *hint, const char *loop, const char *segs,
                   const char *message) {
    char where[96], src[112];
    snprintf(where, sizeof where, "%s%s", block, field);
    snprintf(src, sizeof src, "%s, loop %s%s", SRC_IG, loop, segs);
    add(c, rule, sev, where, hint, src, message);
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

static void check_text(x12_checker *c, const char *text, size_t max, int keep_case,
                       const char *block, const char *field, const char *loop) {
    char out[BH_X12_MAX_ELEMENT_LEN + 1], msg[400];
    size_t n;
    int folded = 0;
    if (text == NULL || text[0] == '\0' || sent_as_is(text, max)) return;
    switch (bh_x12_fold(text, default_seps, keep_case, out, max, &n, &folded)) {
    case BH_FOLD_BAD_CHAR:
        snprintf(msg, sizeof msg, "Byte %lu is a character the 837P cannot carry and that has "
                 "no folding to its character set; the claim would be refused.",
                 (unsigned long)n + 1);
        add_at(c, "x12.text", BH_SEV_ERROR, block, field,
               "Spell it with Latin letters, digits and plain punctuation.", loop, "", msg);
        return;
    case BH_FOLD_TOO_LONG:
        snprintf(msg, sizeof msg, "Longer than the %lu characters its 837P element holds; "
                 "the claim would be refused, not cut.", (unsigned long)max);
        add_at(c, "x12.text", BH_SEV_ERROR, block, field, "Shorten it.", loop, "", msg);
        return;
    default:
        break;
    }
    if (!folded) return;
    snprintf(msg, sizeof msg, "Will be sent as \"%.300s\" (folded to the X12 character set).",
             out);
    add_at(c, "x12.text", BH_SEV_WARNING, block, field,
           "Check the folded spelling; write it that way to silence this.", loop, "", msg);
}

static void check_name(x12_checker *c, const bh_name *name, const char *block, const char *loop) {
    int person = name->first != NULL && name->first[0] != '\0';
    check_text(c, name->last, BH_X12_LEN_NAME_LAST, 0, block, person ? ".name.last" : ".name",
               loop);
    if (!person) return;
    check_text(c, name->first, BH_X12_LEN_NAME_FIRST, 0, block, ".name.first", loop);
    check_text(c, name->middle, BH_X12_LEN_NAME_MIDDLE, 0, block, ".name.middle", loop);
    check_text(c, name->suffix, BH_X12_LEN_NAME_SUFFIX, 0, block, ".name.suffix", loop);
}

/* {====================================================================
** Addresses
** ===================================================================== */

static int has_address(const bh_address *a) {
    return a->line1 != NULL && a->line1[0] != '\0';
}

/* Text, state and ZIP of an address that is given. zip9: the billing
** provider's ZIP must carry its +4. */
static void check_address(x12_checker *c, const bh_address *a, const char *block,
                          const char *loop, int zip9) {
    char zip[10];
    int n;
    if (!has_address(a)) return;
    check_text(c, a->line1, BH_X12_LEN_ADDRESS, 0, block, ".address.line1", loop);
    check_text(c, a->line2, BH_X12_LEN_ADDRESS, 0, block, ".address.line2", loop);
    if (a->city == NULL || a->city[0] == '\0')
        add_at(c, "x12.address", BH_SEV_ERROR, block, ".address.city", "Add the city.", loop,
               " N3/N4", "The 837P requires the city (N401) of this address.");
    else
        check_text(c, a->city, BH_X12_LEN_CITY, 0, block, ".address.city", loop);
    if (!bh_x12_state_valid(a->state))
        add_at(c, "x12.state", BH_SEV_ERROR, block, ".address.state",
               "Use the two-letter USPS code of the state or territory, upper case.", loop,
               " N3/N4",
               a->state == NULL ? "The state (N402) is missing."
                                : "Not a US state, territory or military post office code.");
    n = bh_x12_zip_digits(a->zip, zip);
    if (n < 0)
        add_at(c, "x12.zip", BH_SEV_ERROR, block, ".address.zip",
               "Give 5 digits, 9 digits or NNNNN-NNNN.", loop, " N3/N4",
               a->zip == NULL ? "The ZIP code (N403) is missing." : "Not a 5- or 9-digit ZIP code.");
    else if (zip9 && n != 9)
        add_at(c, "x12.zip", BH_SEV_ERROR, block, ".address.zip", "Add the ZIP+4 (NNNNN-NNNN).",
               loop, " N3/N4", "The billing provider's ZIP code must have 9 digits (2010AA N403).");
}

static void check_addresses(x12_checker *c) {
    const bh_claim *cl = c->claim;
    int patient = cl->patient.state == BH_FIELD_OK;
    /* A billing provider without an address already has claim.schema. */
    if (cl->billing_provider.state == BH_FIELD_OK)
        check_address(c, &cl->billing_provider.address, "billing_provider", "2010AA", 1);
    if (patient && !has_address(&cl->patient.address))
        add(c, "x12.address", BH_SEV_ERROR, "patient.address", "Add the patient's address.",
            SRC_IG ", loop 2010CA N3/N4",
            "The 837P requires the patient's address when the patient is not the subscriber.");
    if (!patient && cl->subscriber.state == BH_FIELD_OK && !has_address(&cl->subscriber.address))
        add(c, "x12.address", BH_SEV_ERROR, "subscriber.address",
            "Add the subscriber's address.", SRC_IG ", loop 2010BA N3/N4",
            "The 837P requires the subscriber's address when the subscriber is the patient.");
    check_address(c, &cl->subscriber.address, "subscriber", "2010BA", 0);
    if (patient) check_address(c, &cl->patient.address, "patient", "2010CA", 0);
}

/* {====================================================================
** Frequency and codes
** ===================================================================== */

static void check_frequency(x12_checker *c) {
    const char *f = c->claim->frequency;
    if (f != NULL && !bh_x12_frequency_valid(f)) {
        add(c, "x12.frequency", BH_SEV_ERROR, "frequency",
            "Use 1 (original), 7 (replacement) or 8 (void).",
            SRC_IG ", loop 2300 CLM05-3; rules-reference 8.1",
            "Not a claim frequency code of the 837P.");
        return;
    }
    if (bh_x12_frequency_needs_f8(f) &&
        (c->claim->payer_claim_number == NULL || c->claim->payer_claim_number[0] == '\0'))
        add(c, "x12.frequency", BH_SEV_ERROR, "payer_claim_number",
            "Give the payer's claim control number of the claim being replaced or voided.",
            SRC_IG ", loop 2300 REF*F8",
            "A replacement (7) or void (8) must name the payer's original claim (REF*F8).");
}

static int has_lower(const char *s) {
    for (; s != NULL && *s; s++)
        if (BH_IS_LOWER(*s)) return 1;
    return 0;
}

static void check_case(x12_checker *c, const char *code, const char *where) {
    if (has_lower(code))
        add(c, "x12.case", BH_SEV_ERROR, where, "Write the code in upper case.",
            SRC_IG " (code values are upper case)",
            "A lower-case code: the 837P writer sends codes as given, so it refuses this one.");
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
    add(c, "x12.code", BH_SEV_ERROR, where, hint, SRC_IG, msg);
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
            add(c, "date.order", BH_SEV_ERROR, where, "Check the range's dates.",
                SRC_IG ", loop 2400 DTP*472 RD8", "The range ends before it starts.");
        }
    }
}

static void check_cob(x12_checker *c) {
    char where[64], msg[200];
    const char *problem = bh_x12_cob_problem(c->claim, where);
    if (problem == NULL) return;
    snprintf(msg, sizeof msg, "This %s.", problem);
    add(c, "x12.cob", BH_SEV_ERROR, where,
        "Give the earlier payers' adjudication as the 835 stated it.",
        SRC_IG ", loops 2320 and 2430", msg);
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
    check_text(&c, claim->payer.name, BH_X12_LEN_NAME_LAST, 0, "payer.name", "", "2010BB");
    check_text(&c, claim->note, BH_X12_LEN_NOTE, 1, "note", "", "2300 NTE");
    check_addresses(&c);
    check_frequency(&c);
    check_codes(&c);
    check_listed_codes(&c);
    check_cob(&c);
    return c.status;
}
