/*
** payer_rules.c: edits payers apply to one claim beyond its codes and
** identifiers: the diagnosis a psychotherapy line needs
** (code.dx_procedure), codes a payer does not pay in a setting or from a
** kind of provider (code.setting), the filing limit (claim.timely_filing)
** and prior authorization (payer.prior_auth). Values a payer sets come
** from the bh_profile; one flagged unconfirmed makes its finding a
** warning. Rule ids and sources: docs/rules.md. Core layer.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

typedef struct checker {
    const bh_claim *claim;
    const bh_profile *profile;      /* may be NULL */
    bh_date today;                  /* 0: no date-of-check rules */
    bh_provider_kind provider_kind;
    bh_report *report;
    bh_status status;
} checker;

static void add(checker *c, const bh_finding *f) {
    if (bh_report_put(c->report, f) != BH_OK) c->status = BH_ERR_NOMEM;
}

static const char *profile_name(const checker *c) {
    return c->profile->name != NULL ? c->profile->name : "?";
}

/* "payer profile NAME: SOURCE (unconfirmed profile value)". */
static const char *list_source(const checker *c, const bh_code_list *list, const char *what,
                               char *buf, size_t size) {
    snprintf(buf, size, "payer profile %s: %s%s", profile_name(c),
             list->source != NULL && list->source[0] ? list->source : what,
             list->unconfirmed ? " (unconfirmed profile value)" : "");
    return buf;
}

/* Upper case without the dot: "f33.1" -> "F331". */
static void fold_code(const char *in, char *out, size_t size) {
    size_t n = 0;
    for (; *in && n + 1 < size; in++)
        if (*in != '.') out[n++] = BH_TO_UPPER(*in);
    out[n] = '\0';
}

/* 1 when code is an entry of the list, or starts with an entry shorter
** than itself (a prefix). */
static int list_has(const bh_code_list *list, const char *code) {
    char folded[16], entry[16];
    int i;
    if (list->codes == NULL || code == NULL) return 0;
    fold_code(code, folded, sizeof folded);
    for (i = 0; i < list->n; i++) {
        size_t n;
        if (list->codes[i] == NULL) continue;
        fold_code(list->codes[i], entry, sizeof entry);
        n = strlen(entry);
        if (n > 0 && strncmp(folded, entry, n) == 0) return 1;
    }
    return 0;
}

/* {====================================================================
** code.dx_procedure
** ===================================================================== */

/* Psychotherapy, psychiatric evaluation and group codes: a payer pays them
** for a mental or behavioural diagnosis. */
static const char *const psychiatric_codes[] = {
    "90791", "90792", "90832", "90833", "90834", "90836", "90837", "90838", "90839",
    "90840", "90845", "90846", "90847", "90849", "90853", "G0410", "G0411", NULL};

static int in_list(const char *code, const char *const *list) {
    for (; *list != NULL; list++)
        if (bh_streq(code, *list)) return 1;
    return 0;
}

/* ICD-10-CM chapter 5 (Mental, Behavioral and Neurodevelopmental
** disorders) is F01-F99: every code starting with F. */
static int is_mental_health_dx(const char *dx) {
    return dx != NULL && BH_TO_UPPER(dx[0]) == 'F' && BH_IS_DIGIT(dx[1]);
}

#define SRC_DX "ICD-10-CM chapter 5, F01-F99 (rules-reference 7.1); CMS released held POS 10 " \
               "claims with an F01-F99 diagnosis during the 2025 lapse (issue 11)"

static void check_dx_procedure(checker *c) {
    const bh_claim *claim = c->claim;
    const bh_code_list *allowed = c->profile != NULL ? &c->profile->dx_allowed : NULL;
    int i, j;
    char where[40], msg[240], src[600], listed[400];
    if (claim->diagnoses_state != BH_FIELD_OK) return;
    if (allowed != NULL && allowed->codes == NULL) allowed = NULL;
    for (i = 0; i < claim->n_lines; i++) {
        const bh_line *line = &claim->lines[i];
        int usable = 0, supported = 0;
        if (line->code == NULL || !in_list(line->code, psychiatric_codes) ||
            line->dx_pointers_state != BH_FIELD_OK)
            continue;
        for (j = 0; j < line->n_dx_pointers; j++) {
            int ptr = line->dx_pointers[j];
            const char *dx;
            if (ptr < 1 || ptr > claim->n_diagnoses) continue;   /* line.dx_pointer's */
            dx = claim->diagnoses[ptr - 1];
            if (dx == NULL) continue;
            usable++;
            if (is_mental_health_dx(dx) || (allowed != NULL && list_has(allowed, dx)))
                supported = 1;
        }
        if (usable == 0 || supported) continue;
        snprintf(where, sizeof where, "lines[%d].dx_pointers", i + 1);
        snprintf(msg, sizeof msg, "%s points to no mental or behavioural diagnosis "
                 "(ICD-10-CM F01-F99)%s.", line->code,
                 allowed != NULL ? " and none this payer allows besides them" : "");
        if (allowed != NULL)
            snprintf(src, sizeof src, "%s; %s", SRC_DX,
                     list_source(c, allowed, "diagnoses allowed", listed, sizeof listed));
        add(c, &(bh_finding){
            .rule = "code.dx_procedure", .severity = BH_SEV_ERROR, .path = where,
            .hint = "Point the line at the F-code diagnosis the service treats, or add it to "
                    "the claim.",
            .source = allowed != NULL ? src : SRC_DX, .message = msg});
    }
}

/* {====================================================================
** code.setting
** ===================================================================== */

#define SRC_PHP "rules-reference 1.1: Medicare partial hospitalization (POS 52) group " \
                "psychotherapy is G0410/G0411 on the program's claim (SECONDARY: AAPC, Optum)"
#define SRC_CENTRE "rules-reference 3.1 and 3.3: RHC/FQHC mental-health visits are the " \
                   "centre's own visits (FQ, G2025); that Medicare pays them only on the " \
                   "centre's institutional claim, and from when, is not settled there " \
                   "(unconfirmed)"

static const char *line_pos(const bh_claim *claim, const bh_line *line) {
    return line->place_of_service != NULL ? line->place_of_service : claim->place_of_service;
}

static void check_setting(checker *c) {
    const bh_claim *claim = c->claim;
    const bh_code_list *not_paid = c->profile != NULL ? &c->profile->not_paid : NULL;
    int medicare = claim->payer.kind == BH_PAYER_MEDICARE;
    int centre = c->provider_kind == BH_PROVIDER_FQHC || c->provider_kind == BH_PROVIDER_RHC;
    int i;
    for (i = 0; i < claim->n_lines; i++) {
        const bh_line *line = &claim->lines[i];
        const char *pos = line_pos(claim, line);
        char where[40], msg[300], src[400];
        if (line->code == NULL) continue;
        /* the path only for a finding: most lines have none */
        if (not_paid != NULL && list_has(not_paid, line->code)) {
            snprintf(where, sizeof where, "lines[%d].code", i + 1);
            snprintf(msg, sizeof msg, "This payer does not pay %s.", line->code);
            add(c, &(bh_finding){
                .rule = "code.setting", .severity = bh_severity_for(not_paid->unconfirmed),
                .path = where,
                .hint = "Bill the code this payer pays for the service (e.g. the CPT code), or "
                        "send the claim to the program that pays this code.",
                .source = list_source(c, not_paid, "codes not paid", src, sizeof src),
                .message = msg});
            continue;
        }
        if (!medicare || !in_list(line->code, psychiatric_codes)) continue;
        if (bh_streq(line->code, "90853") && pos != NULL && bh_streq(pos, "52")) {
            snprintf(where, sizeof where, "lines[%d].code", i + 1);
            add(c, &(bh_finding){
                .rule = "code.setting", .severity = BH_SEV_WARNING, .path = where,
                .hint = "A partial hospitalization program bills group psychotherapy as "
                        "G0410/G0411 on its facility claim; bill 90853 here only for a "
                        "practitioner's own professional service, and confirm with the MAC.",
                .source = SRC_PHP,
                .message = "90853 at place of service 52 (partial hospitalization) on a Medicare "
                           "claim: the program's group psychotherapy is G0410/G0411."});
        } else if (centre) {
            snprintf(where, sizeof where, "lines[%d].code", i + 1);
            snprintf(msg, sizeof msg, "%s billed by a%s on a professional claim: Medicare "
                     "pays a centre's mental-health visits through the centre's own claim "
                     "and codes.", line->code,
                     c->provider_kind == BH_PROVIDER_FQHC ? " federally qualified health centre"
                                                          : " rural health clinic");
            add(c, &(bh_finding){
                .rule = "code.setting", .severity = BH_SEV_WARNING, .path = where,
                .hint = "Bill the visit on the centre's institutional claim, or confirm the MAC "
                        "accepts this practitioner's professional claim.",
                .source = SRC_CENTRE, .message = msg});
        }
    }
}

/* {====================================================================
** claim.timely_filing
** ===================================================================== */

/* Days before the limit at which a warning starts. */
#define FILING_WARN_DAYS 30

static void check_timely_filing(checker *c) {
    const bh_claim *claim = c->claim;
    const bh_profile_number *limit = &c->profile->timely_filing;
    int i, first = -1;
    long left;
    char where[40], msg[300], src[400], due[11], dos[11];
    /* 0 is "not set" too: a zero-initialised profile (C callers) files
    ** without a limit, and no payer's limit is zero. */
    if (limit->value <= 0 || c->today == 0) return;
    for (i = 0; i < claim->n_lines; i++)
        if (claim->lines[i].date != 0 &&
            (first < 0 || claim->lines[i].date < claim->lines[first].date))
            first = i;
    if (first < 0) return;
    if (c->profile->timely_filing_in_days) {
        left = limit->value - bh_date_diff_days(claim->lines[first].date, c->today);
        if (left > FILING_WARN_DAYS) return;   /* the usual case: nothing formatted */
        snprintf(due, sizeof due, "%d days", limit->value);
    } else {
        bh_date deadline = bh_date_add_months(claim->lines[first].date, limit->value);
        left = bh_date_diff_days(c->today, deadline);
        if (left > FILING_WARN_DAYS) return;
        bh_date_format(deadline, due);
    }
    bh_date_format(claim->lines[first].date, dos);
    snprintf(where, sizeof where, "lines[%d].date", first + 1);
    snprintf(src, sizeof src, "payer profile %s: %s%s", profile_name(c),
             limit->source != NULL && limit->source[0] ? limit->source : "filing limit",
             limit->unconfirmed ? " (unconfirmed profile value)" : "");
    if (left < 0) {
        snprintf(msg, sizeof msg, "The filing limit for the service of %s has passed (%s%s).",
                 dos, c->profile->timely_filing_in_days ? "" : "due by ", due);
        add(c, &(bh_finding){
            .rule = "claim.timely_filing", .severity = bh_severity_for(limit->unconfirmed),
            .path = where,
            .hint = "A claim filed late is denied; file only with proof of a timely first "
                    "filing or an exception the payer accepts.",
            .source = src, .message = msg});
    } else {
        snprintf(msg, sizeof msg, "The service of %s must be filed within %ld day%s (%s%s).",
                 dos, left, left == 1 ? "" : "s",
                 c->profile->timely_filing_in_days ? "limit " : "due by ", due);
        add(c, &(bh_finding){
            .rule = "claim.timely_filing", .severity = BH_SEV_WARNING, .path = where,
            .hint = "Send the claim now.", .source = src, .message = msg});
    }
}

/* {====================================================================
** payer.prior_auth
** ===================================================================== */

static void check_prior_auth(checker *c) {
    const bh_claim *claim = c->claim;
    const bh_code_list *list = &c->profile->prior_auth;
    int i;
    char msg[200], src[400];
    if (list->codes == NULL || claim->prior_authorization != NULL) return;
    for (i = 0; i < claim->n_lines; i++) {
        if (!list_has(list, claim->lines[i].code)) continue;
        snprintf(msg, sizeof msg, "%s needs a prior authorization number for this payer, and "
                 "the claim has none.", claim->lines[i].code);
        add(c, &(bh_finding){
            .rule = "payer.prior_auth", .severity = bh_severity_for(list->unconfirmed),
            .path = "prior_authorization",
            .hint = "Enter the payer's authorization number (837P REF*G1), or obtain one before "
                    "billing.",
            .source = list_source(c, list, "codes needing prior authorization", src,
                                  sizeof src),
            .message = msg});
        return;     /* one number serves the claim: one finding */
    }
}

bh_status bh_check_payer_rules(const bh_claim *claim, const bh_check_options *options,
                               bh_provider_kind provider_kind, bh_report *report) {
    checker c;
    c.claim = claim;
    c.profile = options != NULL ? options->profile : NULL;
    c.today = options != NULL ? options->today : 0;
    c.provider_kind = provider_kind;
    c.report = report;
    c.status = BH_OK;
    check_dx_procedure(&c);
    check_setting(&c);
    if (c.profile != NULL) {
        check_timely_filing(&c);
        check_prior_auth(&c);
    }
    return c.status;
}

/* {====================================================================
** Keys for the rules across claims (claim.duplicate, code.frequency)
** ===================================================================== */

/* Appends s folded (upper case, letters and digits only) and a '|'. */
static size_t put_folded(char *buf, size_t size, size_t n, const char *s) {
    for (; s != NULL && *s && n + 2 < size; s++) {
        char ch = BH_TO_UPPER(*s);
        if (BH_IS_UPPER(ch) || BH_IS_DIGIT(ch)) buf[n++] = ch;
    }
    if (n + 1 < size) buf[n++] = '|';
    buf[n] = '\0';
    return n;
}

size_t bh_claim_patient_key(const bh_claim *claim, char *buf, size_t size) {
    const bh_person *who = claim->patient.state == BH_FIELD_OK ? &claim->patient
                                                               : &claim->subscriber;
    char birth[11] = "";
    size_t n = 0;
    if (size == 0) return 0;
    buf[0] = '\0';
    if (claim->subscriber.member_id == NULL || who->name.last == NULL) return 0;
    if (who->birth_date != 0) bh_date_format(who->birth_date, birth);
    n = put_folded(buf, size, n, claim->subscriber.member_id);
    n = put_folded(buf, size, n, who->name.last);
    n = put_folded(buf, size, n, who->name.first);
    n = put_folded(buf, size, n, birth);
    return n;
}

static int compare_text(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t bh_line_key(const bh_line *line, char *buf, size_t size) {
    const char *mods[BH_MAX_MODIFIERS];
    char date[11] = "";
    size_t n = 0;
    int i, k = 0;
    if (size == 0) return 0;
    buf[0] = '\0';
    if (line->code == NULL || line->date == 0) return 0;
    for (i = 0; i < line->n_modifiers; i++)
        if (line->modifiers[i] != NULL) mods[k++] = line->modifiers[i];
    qsort(mods, (size_t)k, sizeof mods[0], compare_text);   /* order does not matter */
    bh_date_format(line->date, date);
    n = put_folded(buf, size, n, line->code);
    for (i = 0; i < k; i++) n = put_folded(buf, size, n, mods[i]);
    n = put_folded(buf, size, n, date);
    return n;
}
