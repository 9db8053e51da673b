/*
** credential.c: a clinician's credential as people write it ("LCSW-R",
** "APRN, PMHNP-BC", "Ph.D./ABPP"), read into licence classes, and matched
** against a payer's accepted list and a code's eligible classes. The one
** definition of credential matching: the rules (group.c) and the session
** layer (through the binding) both use it.
** Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "core.h"

/* {====================================================================
** Abbreviations
** ===================================================================== */

typedef struct abbreviation {
    const char *text;           /* upper case, letters and digits only */
    bh_credential_kind kind;
    bh_licence_class cls;       /* BH_LICENCE_NONE unless kind is a licence */
} abbreviation;

#define LIC(t, c) {t, BH_CREDENTIAL_LICENCE, c}
#define CERT(t) {t, BH_CREDENTIAL_CERTIFICATION, BH_LICENCE_NONE}
#define DEG(t) {t, BH_CREDENTIAL_DEGREE, BH_LICENCE_NONE}

/* Licence titles as states and clinicians write them, with the state
** suffixes that qualify a licence without changing its class written run
** together (LISWS); the hyphenated forms (LISW-S) are read by stripping
** the suffix. Associate and intern titles (LPC-A, LMFT-A, LCSW-A) are
** supervised licences: not independent clinicians (rules-reference 4.3:
** 2 years or 3,000 hours of supervised experience and a state licence).
** Sorted by text (strcmp order) for the binary search in find_abbreviation;
** tests/test_payer_rules.c checks the order. */
static const abbreviation abbreviations[] = {
    CERT("ABPP"), CERT("ACS"), LIC("AMFT", BH_LICENCE_SUPERVISED),
    LIC("APCC", BH_LICENCE_SUPERVISED), LIC("APN", BH_LICENCE_NURSE_PRACTITIONER),
    LIC("APRN", BH_LICENCE_NURSE_PRACTITIONER), LIC("APRNCNS", BH_LICENCE_CNS),
    LIC("ARNP", BH_LICENCE_NURSE_PRACTITIONER), LIC("ASW", BH_LICENCE_SUPERVISED), DEG("BA"),
    CERT("BC"), DEG("BS"), DEG("BSN"), DEG("BSW"),
    LIC("CAADC", BH_LICENCE_ADDICTION_COUNSELOR), LIC("CADC", BH_LICENCE_ADDICTION_COUNSELOR),
    CERT("CCMHC"), CERT("CCTP"), CERT("CEAP"), CERT("CGP"), LIC("CNS", BH_LICENCE_CNS),
    LIC("CRNP", BH_LICENCE_NURSE_PRACTITIONER), LIC("CSAC", BH_LICENCE_ADDICTION_COUNSELOR),
    CERT("CST"), LIC("CSW", BH_LICENCE_CLINICAL_SOCIAL_WORKER), CERT("DABPN"), CERT("DFAPA"),
    DEG("DNP"), LIC("DO", BH_LICENCE_PHYSICIAN), DEG("EDD"), DEG("EDS"), CERT("FAPA"),
    LIC("FNP", BH_LICENCE_NURSE_PRACTITIONER), LIC("FNPBC", BH_LICENCE_NURSE_PRACTITIONER),
    LIC("FNPC", BH_LICENCE_NURSE_PRACTITIONER), LIC("LAC", BH_LICENCE_ADDICTION_COUNSELOR),
    LIC("LADC", BH_LICENCE_ADDICTION_COUNSELOR), LIC("LAPC", BH_LICENCE_SUPERVISED),
    LIC("LBSW", BH_LICENCE_SOCIAL_WORKER), LIC("LCADC", BH_LICENCE_ADDICTION_COUNSELOR),
    LIC("LCMFT", BH_LICENCE_MFT), LIC("LCMHC", BH_LICENCE_COUNSELOR),
    LIC("LCMHCA", BH_LICENCE_SUPERVISED), LIC("LCMHCS", BH_LICENCE_COUNSELOR),
    LIC("LCP", BH_LICENCE_PSYCHOLOGIST), LIC("LCPC", BH_LICENCE_COUNSELOR),
    LIC("LCSW", BH_LICENCE_CLINICAL_SOCIAL_WORKER), LIC("LCSWA", BH_LICENCE_SUPERVISED),
    LIC("LCSWC", BH_LICENCE_CLINICAL_SOCIAL_WORKER),
    LIC("LCSWR", BH_LICENCE_CLINICAL_SOCIAL_WORKER),
    LIC("LCSWS", BH_LICENCE_CLINICAL_SOCIAL_WORKER), LIC("LGPC", BH_LICENCE_SUPERVISED),
    LIC("LGSW", BH_LICENCE_SOCIAL_WORKER), LIC("LICSW", BH_LICENCE_CLINICAL_SOCIAL_WORKER),
    LIC("LIMFT", BH_LICENCE_MFT), LIC("LIMHP", BH_LICENCE_COUNSELOR),
    LIC("LISW", BH_LICENCE_CLINICAL_SOCIAL_WORKER),
    LIC("LISWS", BH_LICENCE_CLINICAL_SOCIAL_WORKER), LIC("LMFT", BH_LICENCE_MFT),
    LIC("LMFTA", BH_LICENCE_SUPERVISED), LIC("LMFTS", BH_LICENCE_MFT),
    LIC("LMHC", BH_LICENCE_COUNSELOR), LIC("LMHCA", BH_LICENCE_SUPERVISED),
    LIC("LMSW", BH_LICENCE_SOCIAL_WORKER), LIC("LP", BH_LICENCE_PSYCHOLOGIST),
    LIC("LPC", BH_LICENCE_COUNSELOR), LIC("LPCA", BH_LICENCE_SUPERVISED),
    LIC("LPCC", BH_LICENCE_COUNSELOR), LIC("LPCCS", BH_LICENCE_COUNSELOR),
    LIC("LPCMH", BH_LICENCE_COUNSELOR), LIC("LPCS", BH_LICENCE_COUNSELOR),
    LIC("LSCSW", BH_LICENCE_CLINICAL_SOCIAL_WORKER), LIC("LSW", BH_LICENCE_SOCIAL_WORKER),
    DEG("MA"), DEG("MBA"), DEG("MC"), LIC("MD", BH_LICENCE_PHYSICIAN), DEG("MDIV"), DEG("MED"),
    LIC("MFT", BH_LICENCE_MFT), LIC("MHC", BH_LICENCE_COUNSELOR), DEG("MPH"), DEG("MS"),
    DEG("MSN"), DEG("MSW"), CERT("NCC"), LIC("NP", BH_LICENCE_NURSE_PRACTITIONER),
    LIC("NPC", BH_LICENCE_NURSE_PRACTITIONER), LIC("PA", BH_LICENCE_PHYSICIAN_ASSISTANT),
    LIC("PAC", BH_LICENCE_PHYSICIAN_ASSISTANT), LIC("PHD", BH_LICENCE_PSYCHOLOGIST),
    LIC("PMHCNS", BH_LICENCE_CNS), LIC("PMHNP", BH_LICENCE_NURSE_PRACTITIONER),
    LIC("PMHNPBC", BH_LICENCE_NURSE_PRACTITIONER), LIC("PSYD", BH_LICENCE_PSYCHOLOGIST),
    LIC("RN", BH_LICENCE_NURSE), CERT("RPT"),
};

/* Suffixes that make a licence an associate's or intern's. */
static const char *const associate_suffixes[] = {"A", "I", "ASSOC", "INTERN", NULL};

static const abbreviation *find_abbreviation(const char *text) {
    size_t lo = 0, hi = sizeof abbreviations / sizeof abbreviations[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(abbreviations[mid].text, text);
        if (c == 0) return &abbreviations[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

int bh_credential_table_sorted(void) {
    size_t i;
    for (i = 1; i < sizeof abbreviations / sizeof abbreviations[0]; i++)
        if (strcmp(abbreviations[i - 1].text, abbreviations[i].text) >= 0) return 0;
    return 1;
}

/* Upper case, letters and digits only, from [s, s + n). A token too long
** for out comes out empty, so it matches nothing rather than matching on a
** cut. Returns 0 for such a token, 1 otherwise. */
static int normalise(const char *s, size_t n, char *out, size_t size) {
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        char c = BH_TO_UPPER(s[i]);
        if (!(BH_IS_UPPER(c) || BH_IS_DIGIT(c))) continue;
        if (k + 1 >= size) {
            out[0] = '\0';
            return 0;
        }
        out[k++] = c;
    }
    out[k] = '\0';
    return 1;
}

static int is_separator(char c) {
    return c == ',' || c == '/' || c == ';' || c == '&' || c == '+' || c == ' ' ||
           c == '\t' || c == '(' || c == ')' || c == '|';
}

static void read_token(const char *s, size_t n, bh_credential_token *t) {
    const abbreviation *a;
    const char *hyphen = memchr(s, '-', n);
    normalise(s, n, t->text, sizeof t->text);
    t->kind = BH_CREDENTIAL_UNKNOWN;
    t->cls = BH_LICENCE_NONE;
    a = find_abbreviation(t->text);
    if (a == NULL && hyphen != NULL) {
        char base[16], suffix[16];
        size_t i;
        normalise(s, (size_t)(hyphen - s), base, sizeof base);
        normalise(hyphen + 1, n - (size_t)(hyphen - s) - 1, suffix, sizeof suffix);
        a = find_abbreviation(base);
        if (a != NULL && a->kind == BH_CREDENTIAL_LICENCE) {
            t->kind = BH_CREDENTIAL_LICENCE;
            t->cls = a->cls;
            for (i = 0; associate_suffixes[i] != NULL; i++)
                if (bh_streq(suffix, associate_suffixes[i])) t->cls = BH_LICENCE_SUPERVISED;
            return;
        }
    }
    if (a != NULL) {
        t->kind = a->kind;
        t->cls = a->cls;
    }
}

int bh_credential_parse(const char *text, bh_credential_parsed *out) {
    const char *p = text;
    out->n = 0;
    out->dropped = 0;
    if (text == NULL) return 0;
    while (*p) {
        const char *start;
        char norm[16];
        while (*p && is_separator(*p)) p++;
        start = p;
        while (*p && !is_separator(*p)) p++;
        if (p == start) continue;
        /* "Ph. D." and "M. D." write one credential with spaces: join a
        ** one- or two-letter piece ending in a dot to what follows. */
        while (*p == ' ' && p - start <= 3 && p[-1] == '.' && p[1] != '\0' &&
               !is_separator(p[1])) {
            p++;
            while (*p && !is_separator(*p)) p++;
        }
        /* A piece of punctuation alone is no credential; an overlong one is
        ** kept, as an unknown credential. */
        if (normalise(start, (size_t)(p - start), norm, sizeof norm) && norm[0] == '\0')
            continue;
        if (out->n == BH_CREDENTIAL_MAX_TOKENS) {
            out->dropped++;
            continue;
        }
        read_token(start, (size_t)(p - start), &out->tokens[out->n++]);
    }
    return out->n;
}

/* {====================================================================
** Licence classes
** ===================================================================== */

#define SRC_43 "rules-reference 4.3 (LCD L34616; L39852: state licence required)"

static const struct {
    const char *name;
    const char *source;
} classes[] = {
    {"none", ""},
    {"physician", SRC_43},
    {"psychologist", SRC_43 ": clinical psychologists"},
    {"nurse_practitioner", SRC_43},
    {"clinical_nurse_specialist", SRC_43},
    {"physician_assistant", SRC_43},
    {"clinical_social_worker", SRC_43 "; clinical social workers"},
    {"social_worker", "a master's or bachelor's social-work licence, not the clinical one "
                      "(rules-reference 4.3 names clinical social workers)"},
    {"marriage_family_therapist", "rules-reference 4.3: MFTs from 2024-01-01 (CAA 2023 s. 4121)"},
    {"mental_health_counselor", "rules-reference 4.3: MHCs from 2024-01-01 (CAA 2023 s. 4121)"},
    {"supervised", "rules-reference 4.3: associates and interns have not completed the "
                   "supervised experience a licence needs"},
    {"registered_nurse", "rules-reference 4.3 (not among the practitioners listed)"},
    {"addiction_counselor", "rules-reference 4.3: addiction counselors who meet the MHC "
                            "requirements enroll as mental health counselors"},
};

const char *bh_licence_class_name(bh_licence_class cls) {
    if ((int)cls < 0 || (size_t)cls >= sizeof classes / sizeof classes[0]) return "none";
    return classes[cls].name;
}

const char *bh_licence_class_source(bh_licence_class cls) {
    if ((int)cls < 0 || (size_t)cls >= sizeof classes / sizeof classes[0]) return "";
    return classes[cls].source;
}

/* {====================================================================
** Matching against a payer's list
** ===================================================================== */

void bh_credential_prepare(bh_credential *entry) {
    entry->prepared = 0;
    if (entry->credential == NULL) return;
    read_token(entry->credential, strlen(entry->credential), &entry->token);
    entry->prepared = 1;
}

/* The accepted entry read (prepared, or read now into *scratch), and in
** *cls the class it stands for (NONE when the entry is not a recognised
** licence: then it matches by its text). */
static const bh_credential_token *entry_token(const bh_credential *e,
                                              bh_credential_token *scratch,
                                              bh_licence_class *cls) {
    const bh_credential_token *t = &e->token;
    if (!e->prepared) {
        read_token(e->credential, strlen(e->credential), scratch);
        t = scratch;
    }
    *cls = t->kind == BH_CREDENTIAL_LICENCE ? t->cls : BH_LICENCE_NONE;
    return t;
}

static int token_matches(const bh_credential_token *t, bh_licence_class cls,
                         const bh_credential_token *entry) {
    if (t->kind == BH_CREDENTIAL_CERTIFICATION || t->kind == BH_CREDENTIAL_DEGREE) return 0;
    if (t->kind == BH_CREDENTIAL_LICENCE && cls != BH_LICENCE_NONE) return cls == t->cls;
    /* An overlong piece reads as empty text: it matches nothing. */
    return t->text[0] != '\0' && bh_streq(entry->text, t->text);
}

/* Entries in the payer's order (its first match wins, with its modifier);
** each entry is read once, however many pieces the credential has. */
bh_credential_verdict bh_credential_match(const bh_credential *accepted, int n_accepted,
                                          const char *written, bh_date date,
                                          bh_credential_result *result) {
    bh_credential_parsed parsed;
    int i, j, licences = 0, degrees = 0, unknown = 0;
    memset(result, 0, sizeof *result);
    bh_credential_parse(written, &parsed);
    for (i = 0; i < parsed.n; i++) {
        const bh_credential_token *t = &parsed.tokens[i];
        if (t->kind == BH_CREDENTIAL_LICENCE) {
            licences++;
            if (result->cls == BH_LICENCE_NONE) result->cls = t->cls;
        }
        if (t->kind == BH_CREDENTIAL_DEGREE || t->kind == BH_CREDENTIAL_CERTIFICATION)
            degrees++;
        if (t->kind == BH_CREDENTIAL_UNKNOWN) unknown++;
    }
    for (j = 0; j < n_accepted && parsed.n > 0; j++) {
        const bh_credential *e = &accepted[j];
        bh_credential_token scratch;
        const bh_credential_token *entry;
        bh_licence_class cls;
        if (e->credential == NULL) continue;
        entry = entry_token(e, &scratch, &cls);
        for (i = 0; i < parsed.n; i++) {
            const bh_credential_token *t = &parsed.tokens[i];
            if (!token_matches(t, cls, entry)) continue;
            if (e->from != 0 && date != 0 && date < e->from) {
                if (result->not_before == 0) {
                    result->not_before = e->from;
                    result->cls = t->cls;
                }
                continue;
            }
            result->entry = e;
            result->cls = t->cls;
            result->not_before = 0;
            return BH_CREDENTIAL_ELIGIBLE;
        }
    }
    if (result->not_before != 0) return BH_CREDENTIAL_NOT_YET;
    if (licences > 0) return BH_CREDENTIAL_NOT_ELIGIBLE;
    if (degrees > 0 && unknown == 0) return BH_CREDENTIAL_DEGREE_ONLY;
    return BH_CREDENTIAL_UNRECOGNISED;
}

/* {====================================================================
** Classes a code needs, whoever the payer
** ===================================================================== */

#define PRESCRIBERS ((1u << BH_LICENCE_PHYSICIAN) | (1u << BH_LICENCE_NURSE_PRACTITIONER) | \
                     (1u << BH_LICENCE_CNS) | (1u << BH_LICENCE_PHYSICIAN_ASSISTANT))
#define TESTERS (PRESCRIBERS | (1u << BH_LICENCE_PSYCHOLOGIST))

#define SRC_EM "E/M and the psychotherapy-with-E/M add-ons need a practitioner who may bill " \
               "E/M: rules-reference 1.4 (LCD L39852; clinical psychologists and clinical " \
               "social workers may not, SECONDARY) and 4.3"
#define SRC_TEST "psychological and neuropsychological testing by physicians, psychologists " \
                 "and the practitioners who may order it: no source in the rules reference " \
                 "(unconfirmed)"

static const bh_code_classes code_classes[] = {
    {"90833", PRESCRIBERS, "a prescriber (MD, DO, NP, CNS, PA)", SRC_EM, 0},
    {"90836", PRESCRIBERS, "a prescriber (MD, DO, NP, CNS, PA)", SRC_EM, 0},
    {"90838", PRESCRIBERS, "a prescriber (MD, DO, NP, CNS, PA)", SRC_EM, 0},
    {"96130", TESTERS, "a physician, psychologist or prescriber", SRC_TEST, 1},
    {"96131", TESTERS, "a physician, psychologist or prescriber", SRC_TEST, 1},
    {"96132", TESTERS, "a physician, psychologist or prescriber", SRC_TEST, 1},
    {"96133", TESTERS, "a physician, psychologist or prescriber", SRC_TEST, 1},
    {"96136", TESTERS, "a physician, psychologist or prescriber", SRC_TEST, 1},
    {"96137", TESTERS, "a physician, psychologist or prescriber", SRC_TEST, 1},
    {"96138", TESTERS, "a physician, psychologist or prescriber supervising the technician",
     SRC_TEST, 1},
    {"96139", TESTERS, "a physician, psychologist or prescriber supervising the technician",
     SRC_TEST, 1},
};

/* E/M codes of the office, hospital, nursing-facility and home families
** (the primaries the psychotherapy add-ons ride on, group.c). */
static int is_em(const char *code) {
    return strlen(code) == 5 && strncmp(code, "99", 2) == 0 &&
           ((strcmp(code, "99202") >= 0 && strcmp(code, "99215") <= 0) ||
            (strcmp(code, "99221") >= 0 && strcmp(code, "99239") <= 0) ||
            (strcmp(code, "99304") >= 0 && strcmp(code, "99310") <= 0) ||
            (strcmp(code, "99341") >= 0 && strcmp(code, "99350") <= 0));
}

static const bh_code_classes em_classes = {
    "E/M", PRESCRIBERS, "a prescriber (MD, DO, NP, CNS, PA)", SRC_EM, 0};

const bh_code_classes *bh_code_classes_find(const char *code) {
    size_t i;
    if (code == NULL) return NULL;
    if (is_em(code)) return &em_classes;
    for (i = 0; i < sizeof code_classes / sizeof code_classes[0]; i++)
        if (bh_streq(code_classes[i].code, code)) return &code_classes[i];
    return NULL;
}
