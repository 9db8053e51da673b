/*
** group.c: the group-psychotherapy rules (90853 and its family): group
** size and length, payer credentials and modifiers, add-on codes, and the
** documentation each patient's note needs; the NCCI edits (ncci.c) run
** between the add-on and documentation checks.
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
    bh_report *report;
    bh_date service;                /* earliest line date, 0 if none */
    bh_status status;
} rules;

static void add(rules *r, const bh_finding *f) {
    if (bh_report_put(r->report, f) != BH_OK) r->status = BH_ERR_NOMEM;
}

/* Source text of a profile value, marked when unconfirmed. */
static const char *value_source(const rules *r, const bh_profile_number *v, char *buf,
                                size_t size) {
    return bh_profile_source(r->profile, v->source, "no source given", v->unconfirmed, buf, size);
}

static int is_code(const bh_line *line, const char *code) {
    return line->code != NULL && bh_streq(line->code, code);
}

static int has_modifier(const bh_line *line, const char *m) {
    int i;
    for (i = 0; i < line->n_modifiers; i++)
        if (line->modifiers[i] != NULL && bh_streq(line->modifiers[i], m)) return 1;
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
        add(r, &(bh_finding){
            .rule = "group.participants", .severity = BH_SEV_ERROR,
            .path = "session.patients_present",
            .hint = "Record how many patients attended the group.",
            .source = SRC_NGS_COUNT,
            .message = "The number of patients present is not documented for this group session."});
        return;
    }
    if (p->min_participants.value >= 0 && s->patients_present < p->min_participants.value) {
        snprintf(msg, sizeof msg, "%d patient%s present; a group needs at least %d.",
                 s->patients_present, s->patients_present == 1 ? " was" : "s were",
                 p->min_participants.value);
        add(r, &(bh_finding){
            .rule = "group.participants",
            .severity = bh_severity_for(p->min_participants.unconfirmed),
            .path = "session.patients_present",
            .hint = "Bill an individual service instead, or correct the count.",
            .source = value_source(r, &p->min_participants, src, sizeof src),
            .message = msg});
    }
    if (p->max_participants.value >= 0 && s->patients_present > p->max_participants.value) {
        snprintf(msg, sizeof msg, "%d patients were present; this payer allows at most %d.",
                 s->patients_present, p->max_participants.value);
        add(r, &(bh_finding){
            .rule = "group.participants",
            .severity = bh_severity_for(p->max_participants.unconfirmed),
            .path = "session.patients_present",
            .hint = "Split the group, or check the count.",
            .source = value_source(r, &p->max_participants, src, sizeof src),
            .message = msg});
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
        add(r, &(bh_finding){
            .rule = "group.duration", .severity = BH_SEV_ERROR,
            .path = "session",
            .hint = "Record the session's start and end times, or its total minutes.",
            .source = "MAC psychotherapy documentation checklists (FCSO, Novitas): time in and out "
                      "or total time",
            .message = s->start < 0 && s->end < 0 ? "The group session has no times and no length."
                       : "The group session's length cannot be told: a start "
                       "or end time is missing and no minutes are given."});
        return;
    }
    if (length < 0) return;     /* inverted times: date.order reports them */
    if (p != NULL && p->min_minutes.value >= 0 && length < p->min_minutes.value) {
        snprintf(msg, sizeof msg, "The session lasted %d minutes; this payer wants at least %d.",
                 length, p->min_minutes.value);
        add(r, &(bh_finding){
            .rule = "group.duration", .severity = bh_severity_for(p->min_minutes.unconfirmed),
            .path = "session",
            .hint = "Check the times; a shorter session may not be billable as group psychotherapy.",
            .source = value_source(r, &p->min_minutes, src, sizeof src),
            .message = msg});
    }
    if (p != NULL && p->min_share_percent.value >= 0 && s->minutes_present >= 0 && length > 0 &&
        s->minutes_present * 100 < p->min_share_percent.value * length) {
        snprintf(msg, sizeof msg, "The patient was present %d of %d minutes, under the %d%% "
                 "this payer wants.", s->minutes_present, length, p->min_share_percent.value);
        add(r, &(bh_finding){
            .rule = "group.duration", .severity = bh_severity_for(p->min_share_percent.unconfirmed),
            .path = "session.minutes_present",
            .hint = "Bill only patients present for most of the session, or document why.",
            .source = value_source(r, &p->min_share_percent, src, sizeof src),
            .message = msg});
    }
}

/* {====================================================================
** provider.credential, group.modifier
** ===================================================================== */

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
    char msg[300], src[300], where[48];
    const bh_credential *entry;
    const char *where_cred;
    bh_credential_result match;
    bh_credential_verdict verdict = BH_CREDENTIAL_ELIGIBLE;
    if (given == NULL) given = c->documentation.signature.credential;
    /* An 837P carries no credential: a claim without documentation (one
    ** read from X12) cannot be faulted for lacking one. */
    if (given == NULL && c->documentation.state == BH_FIELD_ABSENT) return;
    if (given != NULL) {
        verdict = bh_credential_match(p->credentials, p->n_credentials, given, line->date, &match);
        /* The usual case says nothing: word no source for it. */
        if (verdict == BH_CREDENTIAL_ELIGIBLE &&
            (match.entry->modifier == NULL || has_modifier(line, match.entry->modifier)))
            return;
    }
    bh_profile_source(p, p->credentials_source, "accepted credentials",
                      p->credentials_unconfirmed, src, sizeof src);
    if (given == NULL) {
        add(r, &(bh_finding){
            .rule = "provider.credential", .severity = BH_SEV_WARNING,
            .path = "rendering_provider.credential",
            .hint = "State the rendering clinician's credential (LCSW, PhD, LPC...).",
            .source = src,
            .message = "The rendering provider's credential is not stated, so eligibility for 90853 "
                       "cannot be confirmed."});
        return;
    }
    where_cred = c->rendering_provider.credential ? "rendering_provider.credential"
                                                  : "documentation.signature.credential";
    switch (verdict) {
    case BH_CREDENTIAL_ELIGIBLE:
        break;
    case BH_CREDENTIAL_NOT_YET: {
        char d[11];
        bh_date_format(match.not_before, d);
        snprintf(msg, sizeof msg, "%s (%s) was not yet accepted by this payer for 90853 on the date of "
                 "service; it is from %s.",
                 given, bh_licence_class_name(match.cls), d);
        add(r, &(bh_finding){
            .rule = "provider.credential", .severity = bh_severity_for(p->credentials_unconfirmed),
            .path = where_cred,
            .hint = "Bill under an eligible clinician for this date of service.",
            .source = src,
            .message = msg});
        return;
    }
    case BH_CREDENTIAL_NOT_ELIGIBLE: {
        char both[600];
        snprintf(msg, sizeof msg, "%s (%s) is not a licence this payer accepts for group "
                 "psychotherapy (90853).", given, bh_licence_class_name(match.cls));
        snprintf(both, sizeof both, "%s; the licence class: %s", src,
                 bh_licence_class_source(match.cls));
        add(r, &(bh_finding){
            .rule = "provider.credential", .severity = bh_severity_for(p->credentials_unconfirmed),
            .path = where_cred,
            .hint = "Bill under an eligible clinician, or check the payer's enrollment rules.",
            .source = both,
            .message = msg});
        return;
    }
    case BH_CREDENTIAL_DEGREE_ONLY:
        snprintf(msg, sizeof msg, "%s names a degree or certification, not a licence, so "
                 "eligibility for 90853 cannot be confirmed.", given);
        add(r, &(bh_finding){
            .rule = "provider.credential", .severity = BH_SEV_WARNING,
            .path = where_cred,
            .hint = "State the clinician's licence (LCSW, LPC, PhD...) as well as the degree.",
            .source = src,
            .message = msg});
        return;
    default:
        snprintf(msg, sizeof msg, "%s is not a credential bhclaim recognises, so eligibility "
                 "for 90853 cannot be confirmed.", given);
        add(r, &(bh_finding){
            .rule = "provider.credential", .severity = BH_SEV_WARNING,
            .path = where_cred,
            .hint = "Confirm the clinician's licence is one this payer accepts, or write it as the "
                    "licence's usual abbreviation.",
            .source = src,
            .message = msg});
        return;
    }
    entry = match.entry;
    if (entry->modifier != NULL && !has_modifier(line, entry->modifier)) {
        snprintf(where, sizeof where, "lines[%d].modifiers", line_no);
        snprintf(msg, sizeof msg, "This payer wants modifier %s on services by a %s.",
                 entry->modifier, given);
        add(r, &(bh_finding){
            .rule = "provider.credential", .severity = bh_severity_for(p->credentials_unconfirmed),
            .path = where,
            .hint = "Add the credential modifier to the line.",
            .source = src,
            .message = msg});
    }
}

/* Codes only some licences may bill, whoever the payer: E/M and the
** psychotherapy-with-E/M add-ons need a prescriber; testing its classes.
** Quiet when the credential states no recognised licence (the profile's
** check asks for one). */
static void check_code_credentials(rules *r) {
    const bh_claim *c = r->claim;
    const char *given = c->rendering_provider.credential;
    bh_credential_parsed parsed;
    int i, k, licences = 0;
    unsigned held = 0;
    if (given == NULL) given = c->documentation.signature.credential;
    if (given == NULL) return;
    bh_credential_parse(given, &parsed);
    for (k = 0; k < parsed.n; k++)
        if (parsed.tokens[k].kind == BH_CREDENTIAL_LICENCE) {
            licences++;
            held |= 1u << parsed.tokens[k].cls;
        }
    if (licences == 0) return;
    for (i = 0; i < c->n_lines; i++) {
        const bh_code_classes *need = bh_code_classes_find(c->lines[i].code);
        char msg[300], where[48];
        if (need == NULL || (need->classes & held) != 0) continue;
        snprintf(where, sizeof where, "lines[%d].code", i + 1);
        snprintf(msg, sizeof msg, "%s must be billed by %s; the rendering credential is %s.",
                 c->lines[i].code, need->who, given);
        add(r, &(bh_finding){
            .rule = "provider.credential", .severity = bh_severity_for(need->unconfirmed),
            .path = where,
            .hint = "Bill the service under an eligible clinician, or bill the code this clinician "
                    "may report.",
            .source = need->source,
            .message = msg});
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
    bh_profile_source(p, p->group_modifier_source, "group modifier",
                      p->group_modifier_unconfirmed, src, sizeof src);
    add(r, &(bh_finding){
        .rule = "group.modifier", .severity = bh_severity_for(p->group_modifier_unconfirmed),
        .path = where,
        .hint = "Add the group modifier (HCPCS HQ: group setting).",
        .source = src,
        .message = msg});
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
        if (bh_streq(code, *list)) return 1;
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
            if (bh_streq(line->code, addon_rules[k].addon)) rule = &addon_rules[k];
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
        add(r, &(bh_finding){
            .rule = "addon.primary", .severity = BH_SEV_ERROR,
            .path = where,
            .hint = "Bill the add-on on the same claim and date as its primary service, or remove it.",
            .source = rule->source,
            .message = msg});
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
        if (bh_streq(folded, other)) return 1;
    }
    return 0;
}

#define SRC_MAC_CHECKLIST "MAC psychotherapy documentation checklists (FCSO, Novitas)"

/* A field of the note the documentation rules read, and the words of a
** finding on it. */
typedef struct note_element {
    const char *rule;       /* rule id, e.g. "doc.plan" */
    const char *path;       /* the field's path, e.g. "documentation.plan_goal" */
    const char *what;       /* the element as a message names it */
    const char *hint;       /* what to write */
    const char *source;     /* the documentation requirement */
} note_element;

static const note_element participation_element = {
    "doc.participation", "documentation.participation",
    "participation note (this patient's participation and response)",
    "Write what this patient said or did in the group and how they responded.",
    SRC_MAC_CHECKLIST "; NGS CERT findings"};
static const note_element necessity_element = {
    "doc.necessity", "documentation.medical_necessity", "medical-necessity statement",
    "State the symptoms or functional problems that make treatment necessary.",
    SRC_MAC_CHECKLIST "; LCD L39852"};
static const note_element plan_element = {
    "doc.plan", "documentation.plan_goal", "treatment-plan goal",
    "Name the goal of the treatment plan this session serves.",
    "NGS treatment-plan requirements (L33632)"};

static void check_element(rules *r, const note_element *e, const char *text) {
    char msg[240], src[300];
    const bh_profile *p = r->profile;
    bh_finding f;
    f.rule = e->rule;
    f.severity = BH_SEV_ERROR;
    f.path = e->path;
    f.hint = e->hint;
    f.source = e->source;
    f.message = msg;
    if (text == NULL) {
        snprintf(msg, sizeof msg, "The note has no %s.", e->what);
    } else if (is_placeholder(p, text)) {
        snprintf(msg, sizeof msg, "The %s says nothing specific (\"%.40s\"); auditors treat "
                 "it as missing.", e->what, text);
    } else if (p != NULL && p->doc_min_chars.value > 0 &&
               (int)strlen(text) < p->doc_min_chars.value) {
        snprintf(msg, sizeof msg, "The %s is %d characters, under the %d this profile takes "
                 "as real content.", e->what, (int)strlen(text), p->doc_min_chars.value);
        f.severity = BH_SEV_WARNING;
        f.source = value_source(r, &p->doc_min_chars, src, sizeof src);
    } else {
        return;
    }
    add(r, &f);
}

static void check_signature(rules *r) {
    const bh_documentation *d = &r->claim->documentation;
    char missing[80] = "";
    if (d->signature_state != BH_FIELD_OK) {
        if (d->signature_state == BH_FIELD_ABSENT)
            add(r, &(bh_finding){
                .rule = "doc.signature", .severity = BH_SEV_ERROR,
                .path = "documentation.signature",
                .hint = "Sign the note with name, credential and date.",
                .source = "CMS signature requirements (Program Integrity Manual ch. 3, 3.3.2.4); "
                          SRC_MAC_CHECKLIST,
                .message = "The note is not signed."});
        return;
    }
    if (d->signature.name == NULL) strcat(missing, " name,");
    if (d->signature.credential == NULL) strcat(missing, " credential,");
    if (d->signature.date == 0) strcat(missing, " date,");
    if (missing[0] != '\0') {
        char msg[160];
        missing[strlen(missing) - 1] = '\0';
        snprintf(msg, sizeof msg, "The signature lacks its%s.", missing);
        add(r, &(bh_finding){
            .rule = "doc.signature", .severity = BH_SEV_ERROR,
            .path = "documentation.signature",
            .hint = "A signature names the clinician, with credential, and is dated.",
            .source = "CMS signature requirements (Program Integrity Manual ch. 3, 3.3.2.4); "
                      SRC_MAC_CHECKLIST,
            .message = msg});
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
            add(r, &(bh_finding){
                .rule = "doc.times", .severity = BH_SEV_ERROR,
                .path = "session",
                .hint = "Record start and end times, or the total minutes of psychotherapy.",
                .source = SRC_MAC_CHECKLIST ": time in and out or total time",
                .message = "The note records no session times and no total time."});
        return;
    }
    if (s->start >= 0 && s->end >= s->start && s->minutes >= 0) {
        int length = s->end - s->start;
        if (abs(length - s->minutes) > TIME_SLACK_MINUTES) {
            snprintf(msg, sizeof msg, "The note says %d minutes but the times give %d.",
                     s->minutes, length);
            add(r, &(bh_finding){
                .rule = "doc.times", .severity = BH_SEV_WARNING,
                .path = "session.minutes",
                .hint = "Make the total minutes agree with the start and end times.",
                .source = SRC_MAC_CHECKLIST,
                .message = msg});
        }
    }
}

static void check_documentation(rules *r) {
    const bh_documentation *d = &r->claim->documentation;
    check_element(r, &participation_element, d->participation);
    check_element(r, &necessity_element, d->medical_necessity);
    check_element(r, &plan_element, d->plan_goal);
    check_signature(r);
    check_times(r);
}

/* {====================================================================
** Entry point
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
        add(r, &(bh_finding){
            .rule = "check.skipped", .severity = BH_SEV_INFO,
            .path = "",
            .hint = "Export the session and documentation blocks with the claim to have them checked.",
            .source = "bhclaim",
            .message = msg});
}

bh_status bh_check_group_rules(const bh_claim *claim, const bh_check_options *options,
                               bh_date service, bh_report *report) {
    rules r;
    int line_no;
    r.claim = claim;
    r.profile = options != NULL ? options->profile : NULL;
    r.report = report;
    r.service = service;
    r.status = BH_OK;
    report_skipped(&r);
    check_addons(&r);
    if (r.status == BH_OK) r.status = bh_check_ncci(claim, options, report);
    if (claim->documentation.state == BH_FIELD_OK) check_documentation(&r);
    if (is_group_session(claim)) {
        check_duration(&r);
        if (r.profile != NULL) check_participants(&r);
    }
    check_code_credentials(&r);
    line_no = group_line(claim);
    if (r.profile != NULL && line_no > 0) {
        if (r.profile->credentials != NULL) check_credential(&r, line_no);
        check_group_modifier(&r, line_no);
    }
    return r.status;
}
