/*
** group.c: the group-psychotherapy rules (90853 and its family): group
** size and length, payer credentials and modifiers, add-on codes, NCCI PTP
** pairs and MUE units, and the documentation each patient's note needs.
** Numbers a payer sets come from the bh_profile (Lua payer profiles); a
** value flagged unconfirmed turns its finding into a warning. Each rule
** id is listed in docs/rules.md. Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

typedef struct rules {
    const bh_claim *claim;
    const bh_profile *profile;      /* may be NULL */
    const bh_ncci *ncci;            /* may be NULL: compiled-in edits only */
    bh_report *report;
    bh_date service;                /* earliest line date, 0 if none */
    bh_status status;
} rules;

static void add(rules *r, const char *rule, bh_severity sev, const char *where,
                const char *hint, const char *source, const char *message) {
    if (bh_report_add(r->report, rule, sev, where, hint, source, "%s", message) != BH_OK)
        r->status = BH_ERR_NOMEM;
}

static bh_severity severity_for(int unconfirmed) {
    return unconfirmed ? BH_SEV_WARNING : BH_SEV_ERROR;
}

static const char *or_default(const char *s, const char *fallback) {
    return s != NULL && s[0] != '\0' ? s : fallback;
}

/* Source text of a profile value, marked when unconfirmed. */
static const char *value_source(const rules *r, const bh_profile_number *v, char *buf,
                                size_t size) {
    snprintf(buf, size, "payer profile %s: %s%s", or_default(r->profile->name, "?"),
             or_default(v->source, "no source given"),
             v->unconfirmed ? " (unconfirmed profile value)" : "");
    return buf;
}

static int is_code(const bh_line *line, const char *code) {
    return line->code != NULL && strcmp(line->code, code) == 0;
}

static int has_modifier(const bh_line *line, const char *m) {
    int i;
    for (i = 0; i < line->n_modifiers; i++)
        if (line->modifiers[i] != NULL && strcmp(line->modifiers[i], m) == 0) return 1;
    return 0;
}

static int is_group_session(const bh_claim *c) {
    return c->session.state == BH_FIELD_OK && c->session.kind == BH_SESSION_GROUP;
}

/* {====================================================================
** group.participants, group.duration
** ===================================================================== */

#define SRC_NGS_COUNT "NGS LCD L33632 (number of participants documented; at most 12)"

static void check_participants(rules *r) {
    const bh_session *s = &r->claim->session;
    const bh_profile *p = r->profile;
    char msg[200], src[300];
    if (s->patients_present < 0) {
        add(r, "group.participants", BH_SEV_ERROR, "session.patients_present",
            "Record how many patients attended the group.", SRC_NGS_COUNT,
            "The number of patients present is not documented for this group session.");
        return;
    }
    if (p->min_participants.value >= 0 && s->patients_present < p->min_participants.value) {
        snprintf(msg, sizeof msg, "%d patient%s present; a group needs at least %d.",
                 s->patients_present, s->patients_present == 1 ? " was" : "s were",
                 p->min_participants.value);
        add(r, "group.participants", severity_for(p->min_participants.unconfirmed),
            "session.patients_present",
            "Bill an individual service instead, or correct the count.",
            value_source(r, &p->min_participants, src, sizeof src), msg);
    }
    if (p->max_participants.value >= 0 && s->patients_present > p->max_participants.value) {
        snprintf(msg, sizeof msg, "%d patients were present; this payer allows at most %d.",
                 s->patients_present, p->max_participants.value);
        add(r, "group.participants", severity_for(p->max_participants.unconfirmed),
            "session.patients_present", "Split the group, or check the count.",
            value_source(r, &p->max_participants, src, sizeof src), msg);
    }
}

static void check_duration(rules *r) {
    const bh_session *s = &r->claim->session;
    const bh_profile *p = r->profile;
    char msg[200], src[300];
    int length = -1;
    if (s->start >= 0 && s->end >= 0) length = s->end >= s->start ? s->end - s->start : -1;
    else if (s->minutes >= 0) length = s->minutes;
    if ((s->start < 0 || s->end < 0) && s->minutes < 0) {
        add(r, "group.duration", BH_SEV_ERROR, "session",
            "Record the session's start and end times, or its total minutes.",
            "MAC psychotherapy documentation checklists (FCSO, Novitas): time in and out "
            "or total time",
            s->start < 0 && s->end < 0 ? "The group session has no times and no length."
                                       : "The group session's length cannot be told: a start "
                                         "or end time is missing and no minutes are given.");
        return;
    }
    if (length < 0) return;     /* inverted times: date.order reports them */
    if (p != NULL && p->min_minutes.value >= 0 && length < p->min_minutes.value) {
        snprintf(msg, sizeof msg, "The session lasted %d minutes; this payer wants at least %d.",
                 length, p->min_minutes.value);
        add(r, "group.duration", severity_for(p->min_minutes.unconfirmed), "session",
            "Check the times; a shorter session may not be billable as group psychotherapy.",
            value_source(r, &p->min_minutes, src, sizeof src), msg);
    }
    if (p != NULL && p->min_share_percent.value >= 0 && s->minutes_present >= 0 && length > 0 &&
        s->minutes_present * 100 < p->min_share_percent.value * length) {
        snprintf(msg, sizeof msg, "The patient was present %d of %d minutes, under the %d%% "
                 "this payer wants.", s->minutes_present, length, p->min_share_percent.value);
        add(r, "group.duration", severity_for(p->min_share_percent.unconfirmed),
            "session.minutes_present",
            "Bill only patients present for most of the session, or document why.",
            value_source(r, &p->min_share_percent, src, sizeof src), msg);
    }
}

/* {====================================================================
** provider.credential, group.modifier
** ===================================================================== */

/* Upper case, letters and digits only: "Ph.D." and "PhD" are one credential. */
/* Upper case, letters and digits only. A credential too long for out
** comes out empty, so it matches nothing rather than matching on a cut. */
static void normalise_credential(const char *in, char *out, size_t size) {
    size_t n = 0;
    for (; *in; in++) {
        char c = BH_TO_UPPER(*in);
        if (!(BH_IS_UPPER(c) || BH_IS_DIGIT(c))) continue;
        if (n + 1 >= size) {
            n = 0;
            break;
        }
        out[n++] = c;
    }
    out[n] = '\0';
}

static const bh_credential *find_credential(const bh_profile *p, const char *cred,
                                            bh_date date, int *too_early) {
    int i;
    *too_early = 0;
    for (i = 0; i < p->n_credentials; i++) {
        const bh_credential *c = &p->credentials[i];
        if (c->credential == NULL || strcmp(c->credential, cred) != 0) continue;
        if (c->from != 0 && date != 0 && date < c->from) {
            *too_early = 1;
            continue;
        }
        return c;
    }
    return NULL;
}

/* The first 90853 line, 1-based, or 0. */
static int group_line(const bh_claim *c) {
    int i;
    for (i = 0; i < c->n_lines; i++)
        if (is_code(&c->lines[i], "90853")) return i + 1;
    return 0;
}

static void check_credential(rules *r, int line_no) {
    const bh_claim *c = r->claim;
    const bh_profile *p = r->profile;
    const bh_line *line = &c->lines[line_no - 1];
    const char *given = c->rendering_provider.credential;
    char cred[32], msg[300], src[300], where[48];
    const bh_credential *entry;
    int too_early;
    snprintf(src, sizeof src, "payer profile %s: %s%s", or_default(p->name, "?"),
             or_default(p->credentials_source, "accepted credentials"),
             p->credentials_unconfirmed ? " (unconfirmed profile value)" : "");
    if (given == NULL) given = c->documentation.signature.credential;
    /* An 837P carries no credential: a claim without documentation (one
    ** read from X12) cannot be faulted for lacking one. */
    if (given == NULL && c->documentation.state == BH_FIELD_ABSENT) return;
    if (given == NULL) {
        add(r, "provider.credential", BH_SEV_WARNING, "rendering_provider.credential",
            "State the rendering clinician's credential (LCSW, PhD, LPC...).", src,
            "The rendering provider's credential is not stated, so eligibility for 90853 "
            "cannot be confirmed.");
        return;
    }
    normalise_credential(given, cred, sizeof cred);
    entry = find_credential(p, cred, line->date, &too_early);
    if (entry == NULL) {
        snprintf(msg, sizeof msg, "%s is not a credential this payer accepts for group "
                 "psychotherapy (90853).", given);
        if (too_early)
            snprintf(msg, sizeof msg, "%s was not yet accepted by this payer for 90853 on the "
                     "date of service.", given);
        add(r, "provider.credential", severity_for(p->credentials_unconfirmed),
            c->rendering_provider.credential ? "rendering_provider.credential"
                                             : "documentation.signature.credential",
            "Bill under an eligible clinician, or check the payer's enrollment rules.", src,
            msg);
        return;
    }
    if (entry->modifier != NULL && !has_modifier(line, entry->modifier)) {
        snprintf(where, sizeof where, "lines[%d].modifiers", line_no);
        snprintf(msg, sizeof msg, "This payer wants modifier %s on services by a %s.",
                 entry->modifier, given);
        add(r, "provider.credential", severity_for(p->credentials_unconfirmed), where,
            "Add the credential modifier to the line.", src, msg);
    }
}

static void check_group_modifier(rules *r, int line_no) {
    const bh_profile *p = r->profile;
    char where[48], msg[200], src[300];
    if (p->group_modifier == NULL || has_modifier(&r->claim->lines[line_no - 1], p->group_modifier))
        return;
    snprintf(where, sizeof where, "lines[%d].modifiers", line_no);
    snprintf(msg, sizeof msg, "This payer wants modifier %s on group services.",
             p->group_modifier);
    snprintf(src, sizeof src, "payer profile %s: %s%s", or_default(p->name, "?"),
             or_default(p->group_modifier_source, "group modifier"),
             p->group_modifier_unconfirmed ? " (unconfirmed profile value)" : "");
    add(r, "group.modifier", severity_for(p->group_modifier_unconfirmed), where,
        "Add the group modifier (HCPCS HQ: group setting).", src, msg);
}

/* {====================================================================
** addon.primary
** ===================================================================== */

/* An add-on code and the primaries it may be reported with. */
typedef struct addon_rule {
    const char *addon;
    const char *const *primaries;   /* NULL-terminated */
    const char *const *excluded;    /* primaries it may not ride on, or NULL */
    const char *source;
} addon_rule;

static const char *const psychotherapy_primaries[] = {
    "90791", "90792", "90832", "90833", "90834", "90836", "90837", "90838", "90853", NULL};
static const char *const interactive_excluded[] = {"90839", "90840", "90846", "90847", NULL};
/* E/M codes a psychotherapy add-on may ride on: office and outpatient,
** hospital, nursing facility, home (catalogue in data/cpt_behavioral_health.csv). */
static const char *const em_primaries[] = {
    "99202", "99203", "99204", "99205", "99211", "99212", "99213", "99214", "99215",
    "99221", "99222", "99223", "99231", "99232", "99233", "99238", "99239",
    "99304", "99305", "99306", "99307", "99308", "99309", "99310",
    "99341", "99342", "99344", "99345", "99347", "99348", "99349", "99350", NULL};
static const char *const crisis_primary[] = {"90839", NULL};

static const addon_rule addon_rules[] = {
    {"90785", psychotherapy_primaries, interactive_excluded,
     "BCBS IL psychiatry policy restating CPT (rules-reference 1.3)"},
    {"90833", em_primaries, NULL, "LCD L39852: psychotherapy with E/M uses the add-on codes"},
    {"90836", em_primaries, NULL, "LCD L39852: psychotherapy with E/M uses the add-on codes"},
    {"90838", em_primaries, NULL, "LCD L39852: psychotherapy with E/M uses the add-on codes"},
    {"90840", crisis_primary, NULL, "BCBS IL psychiatry policy (rules-reference 1.1)"},
};

static int in_list(const char *code, const char *const *list) {
    for (; list != NULL && *list != NULL; list++)
        if (strcmp(code, *list) == 0) return 1;
    return 0;
}

static void check_addons(rules *r) {
    const bh_claim *c = r->claim;
    size_t k;
    int i, j;
    for (i = 0; i < c->n_lines; i++) {
        const bh_line *line = &c->lines[i];
        const addon_rule *rule = NULL;
        int primary = 0, excluded = 0;
        char where[32], msg[200];
        if (line->code == NULL) continue;
        for (k = 0; k < sizeof addon_rules / sizeof addon_rules[0]; k++)
            if (strcmp(line->code, addon_rules[k].addon) == 0) rule = &addon_rules[k];
        if (rule == NULL) continue;
        for (j = 0; j < c->n_lines; j++) {
            const bh_line *other = &c->lines[j];
            if (j == i || other->code == NULL || other->date != line->date) continue;
            if (in_list(other->code, rule->primaries)) primary = 1;
            if (in_list(other->code, rule->excluded)) excluded = 1;
        }
        if (primary) continue;
        snprintf(where, sizeof where, "lines[%d].code", i + 1);
        if (excluded)
            snprintf(msg, sizeof msg, "Add-on %s may not be reported with the service it is "
                     "billed with on this date.", line->code);
        else
            snprintf(msg, sizeof msg, "Add-on %s has no eligible primary code on the same "
                     "claim and date.", line->code);
        add(r, "addon.primary", BH_SEV_ERROR, where,
            "Bill the add-on on the same claim and date as its primary service, or remove it.",
            rule->source, msg);
    }
}

/* {====================================================================
** ncci.ptp, ncci.mue
** ===================================================================== */

static const char *const bypass_modifiers[] = {"59", "XE", "XP", "XS", "XU", NULL};

static int has_bypass(const bh_line *line) {
    int i;
    for (i = 0; i < line->n_modifiers; i++)
        if (line->modifiers[i] != NULL && in_list(line->modifiers[i], bypass_modifiers))
            return 1;
    return 0;
}

/* The profile's own pair for two codes on a date, either order. */
static const bh_ptp_edit *profile_pair(const bh_profile *p, const char *a, const char *b,
                                       bh_date date) {
    int i;
    if (p == NULL) return NULL;
    for (i = 0; i < p->n_ptp; i++) {
        const bh_ptp_edit *e = &p->ptp[i];
        int match = (strcmp(e->column1, a) == 0 && strcmp(e->column2, b) == 0) ||
                    (strcmp(e->column1, b) == 0 && strcmp(e->column2, a) == 0);
        if (match && (e->from == 0 || date >= e->from) && (e->to == 0 || date <= e->to))
            return e;
    }
    return NULL;
}

static void report_pair(rules *r, const bh_ptp_edit *e, int i, int j, int from_profile) {
    const bh_claim *c = r->claim;
    const bh_line *col2 = strcmp(c->lines[i].code, e->column2) == 0 ? &c->lines[i] : &c->lines[j];
    int col2_no = col2 == &c->lines[i] ? i + 1 : j + 1;
    char where[32], msg[300], src[400];
    if (e->modifier_indicator == 9) return;
    if (e->modifier_indicator == 1 && has_bypass(col2)) return;
    snprintf(where, sizeof where, "lines[%d].code", col2_no);
    if (e->modifier_indicator == 0)
        snprintf(msg, sizeof msg, "%s is bundled into %s on the same date and may never be "
                 "billed with it.", e->column2, e->column1);
    else
        snprintf(msg, sizeof msg, "%s is bundled into %s on the same date unless it was a "
                 "separate session, shown by 59, XE, XP, XS or XU.", e->column2, e->column1);
    if (from_profile)
        snprintf(src, sizeof src, "payer profile %s: %s%s", or_default(r->profile->name, "?"),
                 or_default(e->source, "payer pair"),
                 e->unconfirmed ? " (unconfirmed profile value)" : "");
    else
        snprintf(src, sizeof src, "%s", or_default(e->source, "NCCI PTP"));
    add(r, "ncci.ptp", severity_for(e->unconfirmed), where,
        e->modifier_indicator == 0
            ? "Remove the bundled code; it is paid as part of the other."
            : "If the sessions were separate, add XE (or 59) to this line and document both "
              "sessions; otherwise remove it.",
        src, msg);
}

static void check_ptp(rules *r) {
    const bh_claim *c = r->claim;
    int i, j;
    for (i = 0; i < c->n_lines; i++) {
        for (j = i + 1; j < c->n_lines; j++) {
            const bh_line *a = &c->lines[i], *b = &c->lines[j];
            const bh_ptp_edit *e;
            if (a->code == NULL || b->code == NULL || a->date != b->date ||
                strcmp(a->code, b->code) == 0)
                continue;
            e = bh_ncci_find_ptp(r->ncci, a->code, b->code, a->date);
            if (e != NULL) report_pair(r, e, i, j, 0);
            e = profile_pair(r->profile, a->code, b->code, a->date);
            if (e != NULL) report_pair(r, e, i, j, 1);
        }
    }
}

static const bh_mue_edit *profile_mue(const bh_profile *p, const char *code, bh_date date) {
    int i;
    if (p == NULL) return NULL;
    for (i = 0; i < p->n_mue; i++) {
        const bh_mue_edit *e = &p->mue[i];
        if (strcmp(e->code, code) == 0 && (e->from == 0 || date >= e->from) &&
            (e->to == 0 || date <= e->to))
            return e;
    }
    return NULL;
}

static void report_mue(rules *r, const bh_mue_edit *e, int line_no, double units,
                       int from_profile) {
    char where[32], msg[300], src[400];
    snprintf(where, sizeof where, "lines[%d].units", line_no);
    snprintf(msg, sizeof msg, "%g units of %s %s exceed the medically unlikely edit of %d.",
             units, e->code, e->mai == 1 ? "on this line" : "on this date", e->value);
    if (from_profile)
        snprintf(src, sizeof src, "payer profile %s: %s%s", or_default(r->profile->name, "?"),
                 or_default(e->source, "MUE value"),
                 e->unconfirmed ? " (unconfirmed profile value)" : "");
    else
        snprintf(src, sizeof src, "%s (MAI %d)", or_default(e->source, "NCCI MUE"), e->mai);
    add(r, "ncci.mue", severity_for(e->unconfirmed), where,
        "Bill no more units than the edit allows; units over it are denied and cannot be "
        "billed to the patient.", src, msg);
}

static void check_mue(rules *r) {
    const bh_claim *c = r->claim;
    int i, j;
    for (i = 0; i < c->n_lines; i++) {
        const bh_line *line = &c->lines[i];
        const bh_mue_edit *e;
        int from_profile = 0, seen_before = 0, last = i;
        double total = 0;
        if (line->code == NULL || line->units_state != BH_FIELD_OK) continue;
        e = bh_ncci_find_mue(r->ncci, line->code, line->date);
        if (e == NULL) {
            e = profile_mue(r->profile, line->code, line->date);
            from_profile = 1;
        }
        if (e == NULL) continue;
        if (e->mai == 1) {
            if (line->units > e->value) report_mue(r, e, i + 1, line->units, from_profile);
            continue;
        }
        /* MAI 2 and 3: units of the code on one date add up across lines. */
        for (j = 0; j < c->n_lines; j++) {
            const bh_line *other = &c->lines[j];
            if (other->code == NULL || other->units_state != BH_FIELD_OK ||
                strcmp(other->code, line->code) != 0 || other->date != line->date)
                continue;
            if (j < i) seen_before = 1;
            total += other->units;
            last = j;
        }
        if (!seen_before && total > e->value) report_mue(r, e, last + 1, total, from_profile);
    }
}

/* {====================================================================
** Documentation: doc.participation, doc.necessity, doc.plan,
** doc.signature, doc.times
** ===================================================================== */

/* Phrases that fill a note field without saying anything about the
** patient; auditors treat them as missing (MAC CERT findings on cloned and
** generic notes). A profile may add its own. */
static const char *const default_placeholders[] = {
    "na", "n a", "none", "see above", "same as above", "as above", "participated",
    "patient participated", "participated in group", "patient participated in group",
    "attended", "attended group", "patient attended group", "present", "tbd",
    "to be determined", "see note", "see group note", "group", "ok", "fine", "no changes",
    "nothing", "x", NULL};

/* Lower case, letters and digits only, single spaces: "N/A." -> "n a". */
static void fold_text(const char *in, char *out, size_t size) {
    size_t n = 0;
    int space = 0;
    for (; *in && n + 1 < size; in++) {
        char c = *in;
        if (BH_IS_UPPER(c)) c = (char)(c - 'A' + 'a');
        if (BH_IS_LOWER(c) || BH_IS_DIGIT(c)) {
            if (space && n > 0) out[n++] = ' ';
            if (n + 1 < size) out[n++] = c;
            space = 0;
        } else {
            space = 1;
        }
    }
    out[n] = '\0';
}

static int is_placeholder(const bh_profile *p, const char *text) {
    char folded[64], other[64];
    int i;
    if (strlen(text) >= 60) return 0;
    fold_text(text, folded, sizeof folded);
    if (folded[0] == '\0') return 1;
    if (in_list(folded, default_placeholders)) return 1;
    for (i = 0; p != NULL && i < p->n_placeholders; i++) {
        fold_text(p->placeholders[i], other, sizeof other);
        if (strcmp(folded, other) == 0) return 1;
    }
    return 0;
}

#define SRC_MAC_CHECKLIST "MAC psychotherapy documentation checklists (FCSO, Novitas)"

static void check_element(rules *r, const char *rule, const char *field, const char *text,
                          const char *what, const char *hint, const char *source) {
    char where[64], msg[240], src[300];
    const bh_profile *p = r->profile;
    snprintf(where, sizeof where, "documentation.%s", field);
    if (text == NULL) {
        snprintf(msg, sizeof msg, "The note has no %s.", what);
        add(r, rule, BH_SEV_ERROR, where, hint, source, msg);
    } else if (is_placeholder(p, text)) {
        snprintf(msg, sizeof msg, "The %s says nothing specific (\"%.40s\"); auditors treat "
                 "it as missing.", what, text);
        add(r, rule, BH_SEV_ERROR, where, hint, source, msg);
    } else if (p != NULL && p->doc_min_chars.value > 0 &&
               (int)strlen(text) < p->doc_min_chars.value) {
        snprintf(msg, sizeof msg, "The %s is %d characters, under the %d this profile takes "
                 "as real content.", what, (int)strlen(text), p->doc_min_chars.value);
        add(r, rule, BH_SEV_WARNING, where, hint,
            value_source(r, &p->doc_min_chars, src, sizeof src), msg);
    }
}

static void check_signature(rules *r) {
    const bh_documentation *d = &r->claim->documentation;
    char missing[80] = "";
    if (d->signature_state != BH_FIELD_OK) {
        if (d->signature_state == BH_FIELD_ABSENT)
            add(r, "doc.signature", BH_SEV_ERROR, "documentation.signature",
                "Sign the note with name, credential and date.",
                "CMS signature requirements (Program Integrity Manual ch. 3, 3.3.2.4); "
                SRC_MAC_CHECKLIST, "The note is not signed.");
        return;
    }
    if (d->signature.name == NULL) strcat(missing, " name,");
    if (d->signature.credential == NULL) strcat(missing, " credential,");
    if (d->signature.date == 0) strcat(missing, " date,");
    if (missing[0] != '\0') {
        char msg[160];
        missing[strlen(missing) - 1] = '\0';
        snprintf(msg, sizeof msg, "The signature lacks its%s.", missing);
        add(r, "doc.signature", BH_SEV_ERROR, "documentation.signature",
            "A signature names the clinician, with credential, and is dated.",
            "CMS signature requirements (Program Integrity Manual ch. 3, 3.3.2.4); "
            SRC_MAC_CHECKLIST, msg);
    }
}

/* Minutes by which stated minutes may differ from end - start (rounding
** of clock times in notes). */
#define TIME_SLACK_MINUTES 5

static void check_times(rules *r) {
    const bh_session *s = &r->claim->session;
    char msg[200];
    if (s->state != BH_FIELD_OK ||
        (s->start < 0 && s->end < 0 && s->minutes < 0)) {
        if (!is_group_session(r->claim))    /* group.duration reports a group's */
            add(r, "doc.times", BH_SEV_ERROR, "session",
                "Record start and end times, or the total minutes of psychotherapy.",
                SRC_MAC_CHECKLIST ": time in and out or total time",
                "The note records no session times and no total time.");
        return;
    }
    if (s->start >= 0 && s->end >= s->start && s->minutes >= 0) {
        int length = s->end - s->start;
        if (abs(length - s->minutes) > TIME_SLACK_MINUTES) {
            snprintf(msg, sizeof msg, "The note says %d minutes but the times give %d.",
                     s->minutes, length);
            add(r, "doc.times", BH_SEV_WARNING, "session.minutes",
                "Make the total minutes agree with the start and end times.",
                SRC_MAC_CHECKLIST, msg);
        }
    }
}

static void check_documentation(rules *r) {
    const bh_documentation *d = &r->claim->documentation;
    check_element(r, "doc.participation", "participation", d->participation,
                  "participation note (this patient's participation and response)",
                  "Write what this patient said or did in the group and how they responded.",
                  SRC_MAC_CHECKLIST "; NGS CERT findings");
    check_element(r, "doc.necessity", "medical_necessity", d->medical_necessity,
                  "medical-necessity statement",
                  "State the symptoms or functional problems that make treatment necessary.",
                  SRC_MAC_CHECKLIST "; LCD L39852");
    check_element(r, "doc.plan", "plan_goal", d->plan_goal,
                  "treatment-plan goal",
                  "Name the goal of the treatment plan this session serves.",
                  "NGS treatment-plan requirements (L33632)");
    check_signature(r);
    check_times(r);
}

/* {====================================================================
** Entry point and note similarity
** ===================================================================== */

static void report_skipped(rules *r) {
    const bh_claim *c = r->claim;
    const char *msg = NULL;
    if (c->documentation.state == BH_FIELD_ABSENT && c->session.state == BH_FIELD_ABSENT)
        msg = "The claim carries no session or documentation block, so the group, "
              "documentation and telehealth checks did not run.";
    else if (c->documentation.state == BH_FIELD_ABSENT)
        msg = "The claim carries no documentation block, so the documentation checks did "
              "not run.";
    else if (c->session.state == BH_FIELD_ABSENT)
        msg = "The claim carries no session block, so the group-size, duration and "
              "telehealth checks did not run.";
    if (msg != NULL)
        add(r, "check.skipped", BH_SEV_INFO, "",
            "Export the session and documentation blocks with the claim to have them checked.",
            "bhclaim", msg);
}

bh_status bh_check_group_rules(const bh_claim *claim, const bh_check_options *options,
                               bh_date service, bh_report *report) {
    rules r;
    int line_no;
    r.claim = claim;
    r.profile = options != NULL ? options->profile : NULL;
    r.ncci = options != NULL ? options->ncci : NULL;
    r.report = report;
    r.service = service;
    r.status = BH_OK;
    report_skipped(&r);
    check_addons(&r);
    check_ptp(&r);
    check_mue(&r);
    if (claim->documentation.state == BH_FIELD_OK) check_documentation(&r);
    if (is_group_session(claim)) {
        check_duration(&r);
        if (r.profile != NULL) check_participants(&r);
    }
    line_no = group_line(claim);
    if (r.profile != NULL && line_no > 0) {
        if (r.profile->credentials != NULL) check_credential(&r, line_no);
        check_group_modifier(&r, line_no);
    }
    return r.status;
}

/* Most words of a note compared; notes are a few sentences. */
#define SIM_MAX_WORDS 256

typedef unsigned long long u64;

static u64 word_hash(const char *w, size_t n) {
    u64 h = 1469598103934665603ULL;     /* FNV-1a */
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)w[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int is_name(const char *w, size_t n, const char *const *names, int n_names) {
    int i;
    for (i = 0; i < n_names; i++) {
        const char *name = names[i];
        size_t k;
        if (name == NULL || strlen(name) != n) continue;
        for (k = 0; k < n; k++)
            if (BH_TO_UPPER(name[k]) != BH_TO_UPPER(w[k])) break;
        if (k == n) return 1;
    }
    return 0;
}

/* Hashes of the note's word bigrams (its words when it has only one),
** sorted and without repeats; returns how many. */
static size_t shingles(const char *text, const char *const *names, int n_names, u64 *out) {
    u64 words[SIM_MAX_WORDS];
    char word[64];
    size_t n_words = 0, i, n = 0;
    const char *p = text;
    while (*p && n_words < SIM_MAX_WORDS) {
        size_t len = 0;
        while (*p && !(BH_IS_UPPER(*p) || BH_IS_LOWER(*p) || BH_IS_DIGIT(*p))) p++;
        while (*p && (BH_IS_UPPER(*p) || BH_IS_LOWER(*p) || BH_IS_DIGIT(*p))) {
            if (len + 1 < sizeof word) word[len++] = (char)(BH_IS_UPPER(*p) ? *p - 'A' + 'a' : *p);
            p++;
        }
        if (len == 0 || is_name(word, len, names, n_names)) continue;
        words[n_words++] = word_hash(word, len);
    }
    if (n_words == 1) out[n++] = words[0];
    for (i = 0; i + 1 < n_words; i++) out[n++] = words[i] * 31ULL + words[i + 1];
    /* insertion sort: a few hundred entries at most */
    for (i = 1; i < n; i++) {
        u64 v = out[i];
        size_t j = i;
        while (j > 0 && out[j - 1] > v) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = v;
    }
    {
        size_t k = 0;
        for (i = 0; i < n; i++)
            if (k == 0 || out[k - 1] != out[i]) out[k++] = out[i];
        n = k;
    }
    return n;
}

/* Dice coefficient of two sorted, repeat-free shingle sets. */
static double dice(const u64 *sa, size_t na, const u64 *sb, size_t nb) {
    size_t i = 0, j = 0, common = 0;
    if (na == 0 || nb == 0) return na == nb ? 1.0 : 0.0;
    while (i < na && j < nb) {
        if (sa[i] == sb[j]) {
            common++;
            i++;
            j++;
        } else if (sa[i] < sb[j]) {
            i++;
        } else {
            j++;
        }
    }
    return 2.0 * (double)common / (double)(na + nb);
}

double bh_note_similarity(const char *a, const char *b, const char *const *names, int n_names) {
    u64 sa[SIM_MAX_WORDS], sb[SIM_MAX_WORDS];
    if (a == NULL || b == NULL) return 0.0;
    return dice(sa, shingles(a, names, n_names, sa), sb, shingles(b, names, n_names, sb));
}

bh_status bh_notes_compare(const char *const *notes, int n, const char *const *names,
                           int n_names, double threshold,
                           void (*found)(int i, int j, double similarity, void *ctx),
                           void *ctx) {
    u64 *sets;
    size_t *sizes;
    int i, j;
    if (n <= 1) return BH_OK;
    /* Each note's shingles once, not once per pair: a group of 8 has 28
    ** pairs but only 8 notes. */
    sets = malloc((size_t)n * SIM_MAX_WORDS * sizeof *sets);
    sizes = malloc((size_t)n * sizeof *sizes);
    if (sets == NULL || sizes == NULL) {
        free(sets);
        free(sizes);
        return BH_ERR_NOMEM;
    }
    for (i = 0; i < n; i++)
        sizes[i] = notes[i] ? shingles(notes[i], names, n_names, sets + (size_t)i * SIM_MAX_WORDS)
                            : 0;
    for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
            double sim;
            if (notes[i] == NULL || notes[j] == NULL) continue;
            sim = dice(sets + (size_t)i * SIM_MAX_WORDS, sizes[i],
                       sets + (size_t)j * SIM_MAX_WORDS, sizes[j]);
            if (sim >= threshold) found(i, j, sim, ctx);
        }
    }
    free(sets);
    free(sizes);
    return BH_OK;
}
