/*
** test_telehealth.c: tests of the telehealth rules (csrc/telehealth.c).
** Reads the decision table of docs/telehealth.md at run time (path from
** argv[1]) and checks bh_telehealth_derive against every row, then checks
** that each telehealth.* rule fires on claims built here and stays quiet on
** near misses. Prints TAP and exits 1 on any failure.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bhclaim.h"
#include "tap.h"

/* {====================================================================
** The decision table of docs/telehealth.md
** ===================================================================== */

#define N_COLUMNS 12
#define MAX_ROWS 200

static const char *const header[N_COLUMNS] = {
    "case", "payer", "date", "code", "modality", "patient_location", "provider_kind",
    "last_in_person", "pos", "modifiers", "allowed", "source"
};

typedef struct row {
    char cell[N_COLUMNS][160];
} row;

/* Splits one "| a | b |" line into trimmed cells; returns the cell count. */
static int split_cells(const char *line, size_t len, char cells[][160], int max) {
    int n = 0;
    size_t i = 0;
    while (i < len && line[i] == ' ') i++;
    if (i >= len || line[i] != '|') return 0;
    i++;
    while (i < len) {
        size_t start = i, end;
        while (i < len && line[i] != '|') i++;
        if (i >= len) break;                /* text after the last bar */
        end = i;
        while (start < end && line[start] == ' ') start++;
        while (end > start && line[end - 1] == ' ') end--;
        if (n < max) {
            size_t k = end - start < 159 ? end - start : 159;
            memcpy(cells[n], line + start, k);
            cells[n][k] = '\0';
        }
        n++;
        i++;
    }
    return n;
}

/* Finds the table whose header is exactly the columns above; fills rows. */
static int parse_table(const char *text, row *rows, int max, int *header_ok) {
    const char *p = text;
    int n = 0, in_table = 0, skip_separator = 0;
    *header_ok = 0;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char cells[N_COLUMNS + 2][160];
        int k = split_cells(p, len, cells, N_COLUMNS + 2), i, match;
        if (!in_table) {
            match = k == N_COLUMNS;
            for (i = 0; match && i < N_COLUMNS; i++) match = strcmp(cells[i], header[i]) == 0;
            if (match) {
                in_table = 1;
                skip_separator = 1;
                *header_ok = 1;
            }
        } else if (skip_separator) {
            skip_separator = 0;
        } else if (k == 0) {
            break;                          /* the table ended */
        } else if (k == N_COLUMNS && n < max) {
            memcpy(rows[n].cell, cells, sizeof rows[n].cell);
            n++;
        } else {
            return -1;                      /* a row with the wrong number of cells */
        }
        if (eol == NULL) break;
        p = eol + 1;
    }
    return n;
}

static int payer_of(const char *s, bh_payer_kind *out) {
    static const char *const names[] = {"unknown", "medicare", "medicaid", "commercial", "other"};
    int i;
    for (i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0) { *out = (bh_payer_kind)i; return 1; }
    return 0;
}

static int modality_of(const char *s, bh_modality *out) {
    if (strcmp(s, "in_person") == 0) *out = BH_MODALITY_IN_PERSON;
    else if (strcmp(s, "video") == 0) *out = BH_MODALITY_VIDEO;
    else if (strcmp(s, "audio_only") == 0) *out = BH_MODALITY_AUDIO_ONLY;
    else return 0;
    return 1;
}

static int date_of(const char *s, bh_date *out) {
    if (strcmp(s, "-") == 0) { *out = 0; return 1; }
    return bh_date_parse(s, strlen(s), out);
}

/* The modifiers cell ("-" or space-separated) holds exactly the answer's. */
static int same_modifiers(const char *cell, const bh_telehealth_answer *a) {
    char copy[160];
    char *tok;
    int n = 0, i, found;
    if (strcmp(cell, "-") == 0) return a->n_modifiers == 0;
    strcpy(copy, cell);
    for (tok = strtok(copy, " "); tok != NULL; tok = strtok(NULL, " ")) {
        found = 0;
        for (i = 0; i < a->n_modifiers; i++) found |= strcmp(a->modifiers[i], tok) == 0;
        if (!found) return 0;
        n++;
    }
    return n == a->n_modifiers;
}

static int has_date(row *rows, int n, bh_date d) {
    char text[11];
    int i;
    bh_date_format(d, text);
    for (i = 0; i < n; i++)
        if (strcmp(rows[i].cell[2], text) == 0) return 1;
    return 0;
}

static bh_date add_days(bh_date d, int days) {
    /* Walk day by day: a few steps at most, and no calendar code to get wrong. */
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = d / 10000, m = d / 100 % 100, day = d % 100;
    while (days > 0) {
        int last = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
        if (++day > last) { day = 1; if (++m > 12) { m = 1; y++; } }
        days--;
    }
    while (days < 0) {
        if (--day < 1) {
            if (--m < 1) { m = 12; y--; }
            day = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
        }
        days++;
    }
    return (bh_date)(y * 10000 + m * 100 + day);
}

static void test_table(const char *path) {
    static row rows[MAX_ROWS];
    size_t len;
    char *text = read_file(path, &len);
    char name[300];
    int n, i, header_ok = 0;
    size_t n_rules, r;
    const bh_telehealth_rule *rules = bh_telehealth_rules(&n_rules);
    expect(text != NULL, "docs/telehealth.md is readable");
    if (text == NULL) return;
    n = parse_table(text, rows, MAX_ROWS, &header_ok);
    free(text);
    expect(header_ok, "decision table has exactly the agreed columns");
    expect(n >= 40 && n <= 70, "decision table has 40-70 rows");
    for (i = 0; i < n; i++) {
        row *w = &rows[i];
        bh_telehealth_query q;
        bh_telehealth_answer a;
        bh_payer_kind payer = BH_PAYER_UNKNOWN;
        int parsed, ok, reasons_ok = 1, k;
        memset(&q, 0, sizeof q);
        q.first_telehealth = -1;
        parsed = payer_of(w->cell[1], &payer) && date_of(w->cell[2], &q.date) && q.date != 0 &&
                 modality_of(w->cell[4], &q.modality) &&
                 bh_patient_location_parse(w->cell[5], strlen(w->cell[5]),
                                           &q.patient_location) &&
                 bh_provider_kind_parse(w->cell[6], strlen(w->cell[6]), &q.provider_kind) &&
                 date_of(w->cell[7], &q.last_in_person) &&
                 (strcmp(w->cell[10], "yes") == 0 || strcmp(w->cell[10], "no") == 0) &&
                 w->cell[11][0] != '\0';
        q.payer = payer;
        q.code = w->cell[3];
        snprintf(name, sizeof name, "case %s: %s %s %s %s %s %s last %s -> pos %s, mods %s, "
                 "allowed %s", w->cell[0], w->cell[1], w->cell[2], w->cell[3], w->cell[4],
                 w->cell[5], w->cell[6], w->cell[7], w->cell[8], w->cell[9], w->cell[10]);
        if (!parsed) {
            expect(0, name);
            continue;
        }
        ok = bh_telehealth_derive(&q, &a) == BH_OK;
        for (k = 0; k < a.n_reasons; k++)
            reasons_ok &= a.reasons[k].source != NULL && a.reasons[k].source[0] != '\0' &&
                          a.reasons[k].text != NULL && a.reasons[k].text[0] != '\0';
        ok = ok && reasons_ok && a.n_reasons > 0 &&
             strcmp(a.place_of_service[0] ? a.place_of_service : "-", w->cell[8]) == 0 &&
             same_modifiers(w->cell[9], &a) &&
             a.allowed == (strcmp(w->cell[10], "yes") == 0);
        expect(ok, name);
        if (!ok) {
            printf("# derived: known %d, pos '%s', %d modifiers", a.known, a.place_of_service,
                   a.n_modifiers);
            for (k = 0; k < a.n_modifiers; k++) printf(" %s", a.modifiers[k]);
            printf(", allowed %d, in_person %s\n", a.allowed,
                   bh_in_person_state_name(a.in_person));
        }
    }
    /* Each change date in the data has a row the day before and the day after. */
    for (r = 0; r < n_rules; r++) {
        bh_date changes[2];
        int c;
        changes[0] = rules[r].from;
        changes[1] = rules[r].to ? add_days(rules[r].to, 1) : 0;
        for (c = 0; c < 2; c++) {
            char d[11];
            if (changes[c] == 0) continue;
            bh_date_format(changes[c], d);
            snprintf(name, sizeof name, "table has rows the day before and after %s "
                     "(data row %lu)", d, (unsigned long)r + 1);
            expect(has_date(rows, n, add_days(changes[c], -1)) &&
                   has_date(rows, n, add_days(changes[c], 1)), name);
        }
    }
}

/* {====================================================================
** The data and the derive API
** ===================================================================== */

static void test_data(void) {
    size_t n, i;
    const bh_telehealth_rule *rules = bh_telehealth_rules(&n);
    int sources = 1, dates = 1, flagged = 1;
    expect(n > 30, "rule table is not empty");
    for (i = 0; i < n; i++) {
        const bh_telehealth_rule *r = &rules[i];
        sources &= r->source != NULL && r->source[0] != '\0' && r->text != NULL;
        dates &= (r->from == 0 || r->to == 0 || r->from <= r->to);
        /* A row whose source says UNCONFIRMED or SECONDARY is not marked confirmed
        ** (the Alaska rows are confirmed for Alaska; the template flag covers the rest). */
        if ((strstr(r->source, "UNCONFIRMED") || strstr(r->source, "SECONDARY")) &&
            r->confidence == BH_CONFIRMED && strstr(r->source, "Alaska") == NULL)
            flagged = 0;
    }
    expect(sources, "every rule has a source and a text");
    expect(dates, "every rule's from is not after its to");
    expect(flagged, "rules citing an unconfirmed or secondary source are not marked confirmed");
}

static void test_names(void) {
    bh_provider_kind k;
    bh_patient_location l;
    expect(bh_provider_kind_parse("cah_method_ii", 13, &k) && k == BH_PROVIDER_CAH_METHOD_II,
           "provider kind parses");
    expect(!bh_provider_kind_parse("fqhcx", 5, &k) && !bh_provider_kind_parse(NULL, 0, &k),
           "unknown provider kind refused");
    expect(strcmp(bh_provider_kind_name(BH_PROVIDER_HOSPITAL_OUTPATIENT),
                  "hospital_outpatient") == 0, "provider kind name");
    expect(bh_patient_location_parse("home", 4, &l) && l == BH_LOCATION_HOME &&
           !bh_patient_location_parse("unknown", 7, &l), "patient location parses");
    expect(strcmp(bh_in_person_state_name(BH_IN_PERSON_NOT_MET), "not_met") == 0 &&
           strcmp(bh_confidence_name(BH_SECONDARY), "secondary") == 0, "state names");
}

/* A query with the fields the derive tests set; first_telehealth unknown. */
static bh_telehealth_query query(bh_payer_kind payer, bh_date date, const char *code,
                                 bh_modality m, bh_patient_location l, bh_provider_kind k) {
    bh_telehealth_query q;
    memset(&q, 0, sizeof q);
    q.payer = payer;
    q.date = date;
    q.code = code;
    q.modality = m;
    q.patient_location = l;
    q.provider_kind = k;
    q.first_telehealth = -1;
    return q;
}

static void test_derive(void) {
    bh_telehealth_query q;
    bh_telehealth_answer a;
    bh_telehealth_profile p;
    const bh_telehealth_reason *why;
    q = query(BH_PAYER_MEDICARE, 20260302, "90853", BH_MODALITY_VIDEO, BH_LOCATION_HOME,
              BH_PROVIDER_PRACTITIONER);
    expect(bh_telehealth_derive(NULL, &a) == BH_ERR_ARG && bh_telehealth_derive(&q, NULL) ==
           BH_ERR_ARG, "NULL arguments refused");
    q.date = 20260230;
    expect(bh_telehealth_derive(&q, &a) == BH_ERR_ARG, "impossible date refused");
    q.date = 20260302;
    q.code = NULL;
    expect(bh_telehealth_derive(&q, &a) == BH_ERR_ARG, "NULL code refused");
    q.code = "90853";
    expect(bh_telehealth_derive(&q, &a) == BH_OK && a.rate != NULL &&
           strcmp(a.rate, "non-facility") == 0, "POS 10 paid at the non-facility rate");
    why = bh_telehealth_answer_reason(&a, BH_TH_POS);
    expect(why != NULL && strstr(why->source, "12671") != NULL && !why->unconfirmed,
           "POS reason cites transmittal 12671, confirmed");
    q.patient_location = BH_LOCATION_FACILITY;
    bh_telehealth_derive(&q, &a);
    expect(strcmp(a.rate, "facility") == 0, "POS 02 paid at the facility rate");
    q.provider_kind = BH_PROVIDER_FQHC;
    bh_telehealth_derive(&q, &a);
    expect(a.rate == NULL, "no PFS rate for an FQHC");
    q.provider_kind = BH_PROVIDER_FQHC;
    q.modality = BH_MODALITY_AUDIO_ONLY;
    q.patient_location = BH_LOCATION_HOME;
    bh_telehealth_derive(&q, &a);
    expect(a.audio_alternative != NULL && strcmp(a.audio_alternative, "93") == 0,
           "FQHC audio-only accepts 93 in place of FQ");
    /* The in-person window. */
    q = query(BH_PAYER_MEDICARE, 20280301, "90834", BH_MODALITY_VIDEO, BH_LOCATION_HOME,
              BH_PROVIDER_PRACTITIONER);
    q.last_in_person = 20270601;    /* 9 months back */
    bh_telehealth_derive(&q, &a);
    expect(a.in_person == BH_IN_PERSON_UNKNOWN && a.in_person_since == 20270901,
           "9 months back, first service unknown: unknown, since 6 months");
    q.first_telehealth = 0;
    bh_telehealth_derive(&q, &a);
    expect(a.in_person == BH_IN_PERSON_MET && a.in_person_since == 20270301,
           "9 months back, ongoing patient: met (12 months)");
    q.first_telehealth = 1;
    bh_telehealth_derive(&q, &a);
    expect(a.in_person == BH_IN_PERSON_NOT_MET && !a.allowed,
           "9 months back, first service: not met (6 months)");
    q.date = 20280831;
    q.first_telehealth = 1;
    q.last_in_person = 20280228;
    bh_telehealth_derive(&q, &a);
    expect(a.in_person_since == 20280229 && a.in_person == BH_IN_PERSON_NOT_MET,
           "6 months before Aug 31 is Feb 29 in a leap year");
    q.last_in_person = 20280229;
    bh_telehealth_derive(&q, &a);
    expect(a.in_person == BH_IN_PERSON_MET, "a visit on the window's first day meets it");
    q.date = 20271231;
    q.last_in_person = 20200101;
    bh_telehealth_derive(&q, &a);
    expect(a.in_person == BH_IN_PERSON_NOT_ENFORCED && a.allowed, "not enforced in 2027");
    /* Profiles. */
    expect(bh_telehealth_profile_default(BH_PAYER_MEDICAID, NULL) == BH_ERR_ARG,
           "profile_default refuses NULL");
    bh_telehealth_profile_default(BH_PAYER_MEDICAID, &p);
    expect(p.unconfirmed && strcmp(p.pos_home, "10") == 0 && strcmp(p.pos_other, "02") == 0 &&
           strcmp(p.audio_modifier, "FQ") == 0 && strcmp(p.video_modifier, "95") == 0 &&
           strcmp(p.group_modifier, "HQ") == 0 && p.audio_only_covered &&
           p.from == 20220301, "Medicaid template after Alaska, flagged unconfirmed");
    bh_telehealth_profile_default(BH_PAYER_COMMERCIAL, &p);
    expect(p.unconfirmed && strcmp(p.video_modifier, "95") == 0 &&
           strcmp(p.audio_modifier, "93") == 0 && p.group_modifier == NULL && p.from == 0,
           "commercial template: 95 video, 93 audio-only");
    /* A caller's own profile is cited as such. */
    p.kind = BH_PAYER_MEDICAID;
    p.video_modifier = "GT";
    p.source = "payer profile: Test Medicaid 2026";
    p.unconfirmed = 0;
    q = query(BH_PAYER_MEDICAID, 20260302, "90834", BH_MODALITY_VIDEO, BH_LOCATION_HOME,
              BH_PROVIDER_PRACTITIONER);
    q.profile = &p;
    bh_telehealth_derive(&q, &a);
    why = bh_telehealth_answer_reason(&a, BH_TH_VIDEO_MODIFIER);
    expect(a.n_modifiers == 1 && strcmp(a.modifiers[0], "GT") == 0 && why != NULL &&
           strcmp(why->source, "payer profile: Test Medicaid 2026") == 0 && !why->unconfirmed,
           "caller's profile value and source are used");
    /* Template values are never confirmed for a given payer. */
    q = query(BH_PAYER_MEDICAID, 20260302, "90834", BH_MODALITY_AUDIO_ONLY, BH_LOCATION_HOME,
              BH_PROVIDER_PRACTITIONER);
    bh_telehealth_derive(&q, &a);
    why = bh_telehealth_answer_reason(&a, BH_TH_AUDIO_MODIFIER);
    expect(why != NULL && why->confidence == BH_CONFIRMED && why->unconfirmed &&
           strstr(why->source, "Alaska") != NULL,
           "template FQ: confirmed for Alaska, unconfirmed for this payer");
    q = query(BH_PAYER_MEDICARE, 20260302, "90853", BH_MODALITY_UNKNOWN, BH_LOCATION_HOME,
              BH_PROVIDER_PRACTITIONER);
    expect(bh_telehealth_derive(&q, &a) == BH_OK && !a.known, "unknown modality: not known");
}

/* {====================================================================
** The claim check
** ===================================================================== */

/* A Medicare-clean claim; the telehealth parts come from the arguments. */
static char *claim_json(char *buf, size_t size, const char *payer, const char *claim_pos,
                        const char *lines, const char *session) {
    snprintf(buf, size,
             "{\"id\":\"C1\",\"payer\":{\"id\":\"04412\",\"name\":\"Payer\",\"kind\":\"%s\"},"
             "\"billing_provider\":{\"name\":\"Clinic\",\"npi\":\"1234567893\","
             "\"tin\":\"12-3456789\",\"address\":{\"line1\":\"1 Main\",\"city\":\"Columbus\","
             "\"state\":\"OH\",\"zip\":\"43215\"}},"
             "\"subscriber\":{\"name\":{\"last\":\"Roe\",\"first\":\"Sam\"},"
             "\"member_id\":\"X1\",\"birth_date\":\"1950-04-01\",\"sex\":\"F\","
             "\"relationship\":\"self\"},\"diagnoses\":[\"F33.1\"],"
             "\"place_of_service\":\"%s\",\"lines\":[%s]%s%s}",
             payer, claim_pos, lines, session ? ",\"session\":" : "", session ? session : "");
    return buf;
}

/* mods: space-separated modifiers ("95 HQ"), "" for none. */
static char *line_json(char *buf, size_t size, const char *code, const char *date,
                       const char *mods, const char *pos) {
    char arr[64] = "", copy[32];
    char *tok;
    snprintf(copy, sizeof copy, "%s", mods);
    for (tok = strtok(copy, " "); tok != NULL; tok = strtok(NULL, " ")) {
        size_t n = strlen(arr);
        snprintf(arr + n, sizeof arr - n, "%s\"%s\"", n ? "," : "", tok);
    }
    snprintf(buf, size, "{\"code\":\"%s\",\"modifiers\":[%s],\"units\":1,\"charge\":\"45.00\","
             "\"date\":\"%s\",\"dx_pointers\":[1]%s%s%s}", code, arr, date,
             pos ? ",\"place_of_service\":\"" : "", pos ? pos : "", pos ? "\"" : "");
    return buf;
}

static char *session_json(char *buf, size_t size, const char *kind, const char *modality,
                          const char *location, const char *last_in_person) {
    snprintf(buf, size, "{\"kind\":\"%s\",\"modality\":\"%s\",\"patient_location\":\"%s\","
             "\"last_in_person\":%s%s%s}", kind, modality, location,
             last_in_person ? "\"" : "null", last_in_person ? last_in_person : "",
             last_in_person ? "\"" : "");
    return buf;
}

typedef struct run {
    bh_claim *claim;
    bh_report *report;
    int parsed;
    int bad_finding;    /* a finding without source, path, or outside telehealth.* */
} run;

static void check(run *r, const char *json, const bh_telehealth_profile *profile,
                  bh_provider_kind kind) {
    size_t i;
    bh_report_reset(r->report);
    r->parsed = bh_claim_parse_json(r->claim, json, strlen(json), r->report, NULL) == BH_OK &&
                bh_report_count(r->report) == 0;
    bh_report_reset(r->report);
    if (bh_telehealth_check(r->claim, profile, kind, r->report) != BH_OK) r->parsed = 0;
    for (i = 0; i < bh_report_count(r->report); i++) {
        const bh_finding *f = bh_report_get(r->report, i);
        if (getenv("TELEHEALTH_VERBOSE") != NULL)
            printf("#   %s %s %s: %s | hint: %s | source: %s\n", f->rule,
                   bh_severity_name(f->severity), f->path, f->message, f->hint, f->source);
        if (strncmp(f->rule, "telehealth.", 11) != 0 || f->source[0] == '\0' ||
            f->path[0] == '\0' || f->message[0] == '\0')
            r->bad_finding = 1;
    }
}

/* Number of findings of a rule (severity -1: any; path NULL: any). */
static int count(const run *r, const char *rule, int sev, const char *path) {
    size_t i;
    int n = 0;
    for (i = 0; i < bh_report_count(r->report); i++) {
        const bh_finding *f = bh_report_get(r->report, i);
        if (strcmp(f->rule, rule) == 0 && (sev < 0 || (int)f->severity == sev) &&
            (path == NULL || strcmp(f->path, path) == 0))
            n++;
    }
    return n;
}

static int quiet(const run *r) {
    size_t i;
    if (r->parsed && bh_report_count(r->report) == 0) return 1;
    printf("# parsed %d; findings:\n", r->parsed);
    for (i = 0; i < bh_report_count(r->report); i++) {
        const bh_finding *f = bh_report_get(r->report, i);
        printf("#   %s %s %s: %s\n", f->rule, bh_severity_name(f->severity), f->path,
               f->message);
    }
    return 0;
}

static void test_check(void) {
    run r;
    char json[2048], l1[400], l2[400], lines[820], s[300];
    bh_telehealth_profile p;
    int all_good = 1;
    r.claim = bh_claim_new();
    r.report = bh_report_new();
    r.bad_finding = 0;
    expect(bh_telehealth_check(NULL, NULL, BH_PROVIDER_PRACTITIONER, r.report) == BH_ERR_ARG &&
           bh_telehealth_check(r.claim, NULL, BH_PROVIDER_PRACTITIONER, NULL) == BH_ERR_ARG,
           "check refuses NULL");

    /* No session block: nothing at all, however odd the line. */
    line_json(l1, sizeof l1, "90853", "2026-03-02", "95 93", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "02", l1, NULL), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "session absent: no telehealth findings");

    /* telehealth.pos */
    session_json(s, sizeof s, "group", "in_person", "facility", NULL);
    line_json(l1, sizeof l1, "90853", "2026-03-02", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "02", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.pos", BH_SEV_ERROR, "place_of_service") == 1,
           "pos: claim POS 02 on an in-person session is an error");
    check(&r, claim_json(json, sizeof json, "medicare", "11", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "pos: POS 11 in person is quiet");
    line_json(l1, sizeof l1, "90853", "2026-03-02", "", "10");
    check(&r, claim_json(json, sizeof json, "medicare", "11", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.pos", BH_SEV_ERROR, "lines[1].place_of_service") == 1,
           "pos: line POS 10 in person names the line");

    session_json(s, sizeof s, "group", "video", "home", NULL);
    line_json(l1, sizeof l1, "90853", "2026-03-02", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "11", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.pos", BH_SEV_ERROR, "place_of_service") == 1,
           "pos: POS 11 on a Medicare video session is an error");
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "pos: POS 10, patient at home, Medicare video is quiet");
    check(&r, claim_json(json, sizeof json, "medicare", "02", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.pos", BH_SEV_ERROR, "place_of_service") == 1 &&
           strstr(bh_report_get(r.report, 0)->source, "10638446") != NULL,
           "pos: POS 02 with the patient at home is an error citing NGS");
    session_json(s, sizeof s, "group", "video", "facility", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "02", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "pos: POS 02 with the patient at a facility is quiet");
    session_json(s, sizeof s, "group", "video", "home", NULL);
    line_json(l1, sizeof l1, "90853", "2026-03-02", "", NULL);
    line_json(l2, sizeof l2, "90785", "2026-03-02", "", NULL);
    snprintf(lines, sizeof lines, "%s,%s", l1, l2);
    check(&r, claim_json(json, sizeof json, "medicare", "11", lines, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.pos", -1, NULL) == 1,
           "pos: a wrong claim POS is reported once for two lines");
    check(&r, claim_json(json, sizeof json, "commercial", "11", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.pos", BH_SEV_WARNING, "place_of_service") == 1,
           "pos: POS 11 on a commercial video session is a warning (template value)");
    line_json(l1, sizeof l1, "90849", "2025-12-15", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.pos", BH_SEV_WARNING, "lines[1].code") == 1,
           "pos: 90849 by telehealth before 2026 is a warning (secondary source)");
    line_json(l1, sizeof l1, "90849", "2026-01-15", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "pos: 90849 by telehealth from 2026-01-01 is quiet");
    line_json(l1, sizeof l1, "90853", "2023-06-01", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "11", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "pos: no Medicare data before 2024: quiet");

    /* telehealth.modifier */
    session_json(s, sizeof s, "group", "in_person", "facility", NULL);
    line_json(l1, sizeof l1, "90853", "2026-03-02", "95", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "11", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.modifier", BH_SEV_ERROR, "lines[1].modifiers[1]") == 1,
           "modifier: 95 on an in-person line is an error");
    line_json(l1, sizeof l1, "90853", "2026-03-02", "59", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "11", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "modifier: a non-telehealth modifier in person is quiet");
    session_json(s, sizeof s, "group", "video", "home", NULL);
    line_json(l1, sizeof l1, "90853", "2026-03-02", "95", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.modifier", BH_SEV_WARNING, "lines[1].modifiers[1]") == 1 &&
           bh_report_count(r.report) == 1,
           "modifier: 95 on a Medicare practitioner video line is a warning");
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_HOSPITAL_OUTPATIENT);
    expect(quiet(&r), "modifier: 95 from hospital outpatient staff, patient at home, is quiet");
    line_json(l1, sizeof l1, "90853", "2026-03-02", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_HOSPITAL_OUTPATIENT);
    expect(count(&r, "telehealth.modifier", BH_SEV_ERROR, "lines[1].modifiers") == 1,
           "modifier: hospital outpatient video to the home without 95 is an error");
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_CAH_METHOD_II);
    expect(count(&r, "telehealth.modifier", BH_SEV_WARNING, "lines[1].modifiers") == 1,
           "modifier: CAH Method II without GT is a warning (GT secondary)");
    line_json(l1, sizeof l1, "90853", "2026-03-02", "95 GT", NULL);
    check(&r, claim_json(json, sizeof json, "commercial", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.modifier", BH_SEV_ERROR, "lines[1].modifiers") == 1,
           "modifier: 95 with GT is a contradictory pair");
    line_json(l1, sizeof l1, "90853", "2026-03-02", "93", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.modifier", BH_SEV_ERROR, "lines[1].modifiers[1]") == 1,
           "modifier: 93 on a video session contradicts it");
    session_json(s, sizeof s, "group", "audio_only", "home", NULL);
    line_json(l1, sizeof l1, "90853", "2026-03-02", "95 93", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.modifier", BH_SEV_ERROR, "lines[1].modifiers") == 1,
           "modifier: 95 with 93 is a contradictory pair");
    session_json(s, sizeof s, "group", "video", "home", NULL);
    line_json(l1, sizeof l1, "90853", "2026-03-02", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicaid", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.modifier", BH_SEV_WARNING, "lines[1].modifiers") == 1,
           "modifier: Medicaid template group video without 95 and HQ: one warning (the "
           "missing HQ is group.modifier's, from the payer profile)");
    line_json(l1, sizeof l1, "90853", "2026-03-02", "95 HQ", NULL);
    check(&r, claim_json(json, sizeof json, "medicaid", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "modifier: Medicaid template group video with 95 HQ is quiet");
    bh_telehealth_profile_default(BH_PAYER_MEDICAID, &p);
    p.video_modifier = "GT";
    p.group_modifier = NULL;
    p.unconfirmed = 0;
    p.source = "payer profile: Test Medicaid 2026";
    line_json(l1, sizeof l1, "90853", "2026-03-02", "95", NULL);
    check(&r, claim_json(json, sizeof json, "medicaid", "10", l1, s), &p,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.modifier", BH_SEV_ERROR, "lines[1].modifiers") == 1 &&
           count(&r, "telehealth.modifier", BH_SEV_WARNING, "lines[1].modifiers[1]") == 1 &&
           strcmp(bh_report_get(r.report, 0)->source, "payer profile: Test Medicaid 2026") == 0,
           "modifier: a confirmed profile wanting GT: missing GT error, 95 warning");

    /* telehealth.audio_only */
    session_json(s, sizeof s, "individual", "audio_only", "home", NULL);
    line_json(l1, sizeof l1, "90834", "2026-03-02", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.audio_only", BH_SEV_ERROR, "lines[1].modifiers") == 1,
           "audio_only: Medicare audio-only without 93 is an error");
    line_json(l1, sizeof l1, "90834", "2026-03-02", "93", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "audio_only: Medicare audio-only at home with 93 is quiet");
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL, BH_PROVIDER_FQHC);
    expect(quiet(&r), "audio_only: FQHC with 93 in place of FQ is quiet");
    line_json(l1, sizeof l1, "90834", "2026-03-02", "FQ", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL, BH_PROVIDER_RHC);
    expect(quiet(&r), "audio_only: RHC with FQ is quiet");
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.audio_only", BH_SEV_ERROR, NULL) == 1 &&
           count(&r, "telehealth.modifier", BH_SEV_WARNING, "lines[1].modifiers[1]") == 1,
           "audio_only: a practitioner's FQ lacks 93 and FQ does not belong");
    line_json(l1, sizeof l1, "90834", "2026-03-02", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL, BH_PROVIDER_FQHC);
    expect(count(&r, "telehealth.audio_only", BH_SEV_ERROR, "lines[1].modifiers") == 1,
           "audio_only: FQHC with neither FQ nor 93 is an error");
    session_json(s, sizeof s, "individual", "audio_only", "facility", NULL);
    line_json(l1, sizeof l1, "90834", "2026-03-02", "93", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "02", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.audio_only", BH_SEV_ERROR, "lines[1]") == 1 &&
           strstr(bh_report_get(r.report, 0)->source, "CY2025") != NULL,
           "audio_only: Medicare audio-only outside the home is an error (CY2025 PFS)");
    line_json(l1, sizeof l1, "90834", "2024-06-03", "93", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "02", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.audio_only", BH_SEV_WARNING, "lines[1]") == 1,
           "audio_only: the same in 2024 is a warning (CAA 2021, secondary)");
    session_json(s, sizeof s, "individual", "audio_only", "home", NULL);
    line_json(l1, sizeof l1, "90834", "2026-03-02", "", NULL);
    check(&r, claim_json(json, sizeof json, "commercial", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.audio_only", BH_SEV_WARNING, NULL) == 1,
           "audio_only: commercial template without 93 is a warning");
    bh_telehealth_profile_default(BH_PAYER_COMMERCIAL, &p);
    p.audio_only_covered = 0;
    p.unconfirmed = 0;
    p.source = "payer profile: Test Health Plan";
    line_json(l1, sizeof l1, "90834", "2026-03-02", "93", NULL);
    check(&r, claim_json(json, sizeof json, "commercial", "10", l1, s), &p,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.audio_only", BH_SEV_ERROR, "lines[1]") == 1,
           "audio_only: a confirmed plan that does not cover audio-only: error");
    p.audio_only_covered = 1;
    check(&r, claim_json(json, sizeof json, "commercial", "10", l1, s), &p,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "audio_only: the same plan covering it is quiet");

    /* telehealth.in_person */
    session_json(s, sizeof s, "individual", "video", "home", "2026-01-05");
    line_json(l1, sizeof l1, "90834", "2028-03-01", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.in_person", BH_SEV_ERROR, "session.last_in_person") == 1 &&
           strstr(bh_report_get(r.report, 0)->source, "2028-01-01") != NULL,
           "in_person: last visit over 12 months back in 2028 is an error");
    line_json(l2, sizeof l2, "90785", "2028-03-01", "", NULL);
    snprintf(lines, sizeof lines, "%s,%s", l1, l2);
    check(&r, claim_json(json, sizeof json, "medicare", "10", lines, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.in_person", -1, NULL) == 1,
           "in_person: reported once per claim");
    session_json(s, sizeof s, "individual", "video", "home", "2028-01-10");
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "in_person: a visit within 6 months is quiet");
    session_json(s, sizeof s, "individual", "video", "home", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.in_person", BH_SEV_WARNING, "session.last_in_person") == 1,
           "in_person: visit date unknown in 2028 is a warning");
    session_json(s, sizeof s, "individual", "audio_only", "home", "2027-06-01");
    line_json(l1, sizeof l1, "90834", "2028-03-01", "93", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(count(&r, "telehealth.in_person", BH_SEV_WARNING, NULL) == 1,
           "in_person: 9 months back, first service unknown: warning");
    session_json(s, sizeof s, "individual", "video", "home", "2020-01-05");
    line_json(l1, sizeof l1, "90834", "2027-12-31", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "in_person: nothing before 2028-01-01");
    line_json(l1, sizeof l1, "90834", "2025-10-15", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "in_person: nothing during the 2025 lapse (restored retroactively)");
    session_json(s, sizeof s, "individual", "video", "facility", "2020-01-05");
    line_json(l1, sizeof l1, "90834", "2028-03-01", "", NULL);
    check(&r, claim_json(json, sizeof json, "medicare", "02", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    expect(quiet(&r), "in_person: nothing with the patient at a facility");
    session_json(s, sizeof s, "individual", "video", "home", "2020-01-05");
    check(&r, claim_json(json, sizeof json, "commercial", "10", l1, s), NULL,
          BH_PROVIDER_PRACTITIONER);
    all_good = count(&r, "telehealth.in_person", -1, NULL) == 0;
    expect(all_good, "in_person: not a commercial rule");
    expect(!r.bad_finding, "every finding has a telehealth rule, path, message and source");

    bh_report_free(r.report);
    bh_claim_free(r.claim);
}

int main(int argc, char **argv) {
    const char *table = argc > 1 ? argv[1] : "docs/telehealth.md";
    test_table(table);
    test_data();
    test_names();
    test_derive();
    test_check();
    return tap_done();
}
