/*
** fuzz_common.h: helpers shared by the libFuzzer harnesses in fuzz/.
** Each harness is one fuzz_<name>.c defining LLVMFuzzerTestOneInput and
** linked against the core sources only (no Lua). A harness fails only by
** crashing (ASan, UBSan) or by FUZZ_ASSERT on a property of the API.
** SPDX-License-Identifier: MIT
*/
#ifndef BH_FUZZ_COMMON_H
#define BH_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bhclaim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken property of the API: print it and abort, so libFuzzer keeps the
** input as a crash. */
#define FUZZ_ASSERT(cond, what)                                              \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", (what),    \
                    __FILE__, __LINE__);                                     \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* A heap copy of the input with a NUL after it (the input itself is not
** NUL-terminated, which is what the length-taking APIs must cope with). */
static char *fuzz_cstring(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (s == NULL) abort();
    if (size > 0) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A heap copy of exactly size bytes (no terminator), so ASan sees any read
** past the end. malloc(0) may return NULL: one byte is asked then. */
static char *fuzz_exact(const uint8_t *data, size_t size) {
    char *s = malloc(size > 0 ? size : 1);
    if (s == NULL) abort();
    if (size > 0) memcpy(s, data, size);
    return s;
}

/* Checks that every string of every finding is readable and non-NULL
** where the contract says so. */
static void fuzz_walk_report(const bh_report *report) {
    size_t i, n = bh_report_count(report);
    for (i = 0; i < n; i++) {
        const bh_finding *f = bh_report_get(report, i);
        FUZZ_ASSERT(f != NULL, "bh_report_get within count");
        FUZZ_ASSERT(f->rule != NULL && f->message != NULL, "finding rule and message");
        FUZZ_ASSERT(strlen(f->rule) > 0, "finding rule not empty");
        (void)strlen(f->message);
        if (f->path != NULL) (void)strlen(f->path);
        if (f->hint != NULL) (void)strlen(f->hint);
        if (f->source != NULL) (void)strlen(f->source);
    }
}

/* A payer profile that turns on every rule family: group size and length,
** documentation, credentials, the group modifier, placeholders, payer MUE
** and PTP rows, and a telehealth profile. Static data only. */
static const bh_credential fuzz_credentials[] = {
    {.credential = "LCSW"}, {.credential = "PHD", .modifier = "AH"},
    {.credential = "LPC", .modifier = "HO", .from = 20240101}
};
static const char *const fuzz_placeholders[] = {"n/a", "see note", "-"};
static const char *const fuzz_prior_auth[] = {"90853", "90791", "H0004"};
static const char *const fuzz_not_paid[] = {"H0004", "T1015"};
static const char *const fuzz_dx_allowed[] = {"Z63.0", "R45.851"};
static const bh_mue_edit fuzz_mue[] = {
    {"90853", 1, 3, 0, 0, "fuzz profile", 1}, {"H0004", 4, 2, 20200101, 0, "fuzz profile", 0}
};
static const bh_ptp_edit fuzz_ptp[] = {
    {"90853", "90785", 20200101, 0, 1, "fuzz profile", 1},
    {"90837", "90853", 0, 20301231, 0, "fuzz profile", 0}
};

static void fuzz_profile(bh_profile *p, bh_telehealth_profile *th) {
    memset(p, 0, sizeof *p);
    bh_telehealth_profile_default(BH_PAYER_MEDICAID, th);
    th->name = "fuzz medicaid";
    p->name = "fuzz";
    p->min_participants.value = 2;
    p->min_participants.source = "fuzz";
    p->max_participants.value = 12;
    p->max_participants.unconfirmed = 1;
    p->min_minutes.value = 45;
    p->min_share_percent.value = 75;
    p->doc_min_chars.value = 20;
    p->credentials = fuzz_credentials;
    p->n_credentials = (int)(sizeof fuzz_credentials / sizeof fuzz_credentials[0]);
    p->credentials_source = "fuzz";
    p->group_modifier = "HQ";
    p->group_modifier_source = "fuzz";
    p->placeholders = fuzz_placeholders;
    p->n_placeholders = (int)(sizeof fuzz_placeholders / sizeof fuzz_placeholders[0]);
    p->mue = fuzz_mue;
    p->n_mue = (int)(sizeof fuzz_mue / sizeof fuzz_mue[0]);
    p->ptp = fuzz_ptp;
    p->n_ptp = (int)(sizeof fuzz_ptp / sizeof fuzz_ptp[0]);
    p->telehealth = th;
    /* The payer edits (payer_rules.c): filing limit, prior authorization,
    ** codes not paid, diagnoses allowed besides F01-F99. */
    p->timely_filing.value = 12;
    p->timely_filing.source = "fuzz";
    p->prior_auth.codes = fuzz_prior_auth;
    p->prior_auth.n = (int)(sizeof fuzz_prior_auth / sizeof fuzz_prior_auth[0]);
    p->prior_auth.source = "fuzz";
    p->not_paid.codes = fuzz_not_paid;
    p->not_paid.n = (int)(sizeof fuzz_not_paid / sizeof fuzz_not_paid[0]);
    p->not_paid.unconfirmed = 1;
    p->dx_allowed.codes = fuzz_dx_allowed;
    p->dx_allowed.n = (int)(sizeof fuzz_dx_allowed / sizeof fuzz_dx_allowed[0]);
}

#endif
