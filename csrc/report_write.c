/*
** report_write.c: one checked claim's report line as the command line's
** `check` prints it (--format text, json, csv), written into a buffer, so a
** batch goes from input to output without a Lua table per claim. The Lua
** formatter (lua/bhclaim/reports.lua) prints the same bytes for the records
** the command line handles in Lua; spec/report_write_spec.lua compares them.
** Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "bhclaim.h"

/* Appends a NUL-terminated string. */
static bh_status put(bh_buffer *out, const char *s) {
    return bh_buffer_append(out, s, strlen(s));
}

/* A control byte as iscntrl sees it in the C locale (what Lua's %c class
** matches in reports.json_string): 0-31 and 127. */
static int is_control(unsigned char c) {
    return c < 32 || c == 127;
}

/* 1 for the bytes a JSON string literal escapes: the quote, the backslash
** and the control characters (is_control). */
static const unsigned char escaped_byte[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
};

/* The body of a JSON string literal: escaped as reports.json_string does.
** Runs of plain bytes, most of every message, are found by the table and
** copied at once. */
static bh_status escape(bh_buffer *out, const char *s, size_t len) {
    size_t i, run = 0;
    char esc[8];
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e = NULL;
        if (!escaped_byte[c]) continue;
        if (c == '"') e = "\\\"";
        else if (c == '\\') e = "\\\\";
        else if (c == '\b') e = "\\b";
        else if (c == '\f') e = "\\f";
        else if (c == '\n') e = "\\n";
        else if (c == '\r') e = "\\r";
        else if (c == '\t') e = "\\t";
        else if (is_control(c)) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            e = esc;
        }
        if (e == NULL) continue;
        if (bh_buffer_append(out, s + run, i - run) != BH_OK || put(out, e) != BH_OK)
            return BH_ERR_NOMEM;
        run = i + 1;
    }
    return bh_buffer_append(out, s + run, len - run);
}

bh_status bh_json_write_string(bh_buffer *out, const char *s, size_t len) {
    if (bh_buffer_append(out, "\"", 1) != BH_OK || escape(out, s, len) != BH_OK)
        return BH_ERR_NOMEM;
    return bh_buffer_append(out, "\"", 1);
}

/* A JSON string, or null for NULL (reports.lua's json_value of nil). */
static bh_status json_or_null(bh_buffer *out, const char *s) {
    if (s == NULL) return put(out, "null");
    return bh_json_write_string(out, s, strlen(s));
}

size_t bh_report_order(const bh_report *report, size_t n, const bh_finding **out) {
    size_t i, k = 0;
    int sev;
    if (n > bh_report_count(report)) n = bh_report_count(report);
    for (sev = BH_SEV_ERROR; sev >= BH_SEV_INFO; sev--)
        for (i = 0; i < n; i++) {
            const bh_finding *f = bh_report_get(report, i);
            if ((int)f->severity == sev) out[k++] = f;
        }
    return k;
}

/* {====================================================================
** Claim facts a report line shows (reports.lua's entry)
** ===================================================================== */

/* The person whose name is shown: the patient, or the subscriber when the
** patient has no last name (the subscriber is the patient). */
static const bh_name *shown_name(const bh_claim *c) {
    return c->patient.name.last != NULL ? &c->patient.name : &c->subscriber.name;
}

bh_status bh_claim_write_patient(bh_buffer *out, const bh_claim *c) {
    const bh_name *n = shown_name(c);
    if (n->last != NULL && n->first != NULL)
        return put(out, n->last) == BH_OK && put(out, ", ") == BH_OK ? put(out, n->first)
                                                                      : BH_ERR_NOMEM;
    return put(out, n->last ? n->last : n->first ? n->first : "");
}

static int has_patient(const bh_claim *c) {
    const bh_name *n = shown_name(c);
    return (n->last != NULL && n->last[0]) || (n->first != NULL && n->first[0]) ||
           (n->last != NULL && n->first != NULL);
}

/* The first line's date as YYYY-MM-DD into buf, "" when it has none. */
static const char *first_date(const bh_claim *c, char buf[11]) {
    buf[0] = '\0';
    if (c->n_lines > 0 && c->lines[0].date != 0) bh_date_format(c->lines[0].date, buf);
    return buf;
}

static const char *line_code(const bh_claim *c, long i) {
    const char *code = c->lines[i].code;
    return code ? code : "";
}

/* The code a finding's path points at: lines[i]'s code when the path
** starts with lines[i], else the first line's ("" when none). */
static const char *finding_code(const bh_claim *c, const char *path) {
    long i = 0;
    const char *p = path;
    if (path != NULL && strncmp(path, "lines[", 6) == 0) {
        p = path + 6;
        while (*p >= '0' && *p <= '9' && i < 100000) i = i * 10 + (*p++ - '0');
        if (*p != ']' || p == path + 6) i = 0;
    }
    if (i >= 1 && i <= c->n_lines) return line_code(c, i - 1);
    return c->n_lines > 0 ? line_code(c, 0) : "";
}

static void count(const bh_report_entry *e, size_t counts[3]) {
    size_t i;
    counts[0] = counts[1] = counts[2] = 0;
    for (i = 0; i < e->n_findings; i++) counts[e->findings[i]->severity]++;
}

/* {====================================================================
** Text
** ===================================================================== */

/* A count in decimal digits (snprintf costs more than the rest of a line). */
static bh_status put_count(bh_buffer *out, size_t n) {
    char digits[24];
    size_t i = sizeof digits;
    do {
        digits[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    return bh_buffer_append(out, digits + i, sizeof digits - i);
}

static bh_status put_plural(bh_buffer *out, size_t n, const char *word) {
    if (put_count(out, n) != BH_OK || put(out, " ") != BH_OK || put(out, word) != BH_OK)
        return BH_ERR_NOMEM;
    return n == 1 ? BH_OK : put(out, "s");
}

/* "  %-7s %-22s %s" of reports.text: the severity and rule padded. */
static bh_status put_padded(bh_buffer *out, const char *s, size_t width) {
    size_t len = strlen(s);
    static const char spaces[] = "                       ";
    if (put(out, s) != BH_OK) return BH_ERR_NOMEM;
    return len < width ? bh_buffer_append(out, spaces, width - len) : BH_OK;
}

static bh_status put_denial_text(bh_buffer *out, const bh_rule_denial *d) {
    if (put(out, "\n          denial: ") != BH_OK || put(out, d->group) != BH_OK ||
        put(out, "-") != BH_OK || put(out, d->carc ? d->carc : "nil") != BH_OK)
        return BH_ERR_NOMEM;
    if (d->rarc == NULL) return BH_OK;
    return put(out, " ") == BH_OK ? put(out, d->rarc) : BH_ERR_NOMEM;
}

static bh_status put_finding_text(bh_buffer *out, const bh_finding *f) {
    const bh_rule_denial *d = bh_rule_denial_find(f->rule, f->path);
    int ok = put(out, "\n  ") == BH_OK &&
             put_padded(out, bh_severity_name(f->severity), 7) == BH_OK &&
             put(out, " ") == BH_OK && put_padded(out, f->rule, 22) == BH_OK &&
             put(out, " ") == BH_OK &&
             put(out, f->path != NULL && f->path[0] ? f->path : "(claim)") == BH_OK &&
             put(out, "\n          ") == BH_OK && put(out, f->message) == BH_OK;
    if (ok && f->hint != NULL && f->hint[0])
        ok = put(out, "\n          fix: ") == BH_OK && put(out, f->hint) == BH_OK;
    if (ok && d != NULL && d->group != NULL) ok = put_denial_text(out, d) == BH_OK;
    return ok ? BH_OK : BH_ERR_NOMEM;
}

bh_status bh_report_write_text(bh_buffer *out, const bh_report_entry *e) {
    const bh_claim *c = e->claim;
    char date[11];
    size_t counts[3], i;
    int ok = put(out, e->claim_id ? e->claim_id : "(no id)") == BH_OK;
    if (ok && has_patient(c)) ok = put(out, "  ") == BH_OK && bh_claim_write_patient(out, c) == BH_OK;
    if (ok && first_date(c, date)[0]) ok = put(out, "  ") == BH_OK && put(out, date) == BH_OK;
    if (ok) ok = put(out, ": ") == BH_OK;
    if (!ok) return BH_ERR_NOMEM;
    if (e->n_findings == 0) return put(out, "clean\n");
    count(e, counts);
    ok = put_plural(out, counts[BH_SEV_ERROR], "error") == BH_OK && put(out, ", ") == BH_OK &&
         put_plural(out, counts[BH_SEV_WARNING], "warning") == BH_OK &&
         put(out, ", ") == BH_OK && put_plural(out, counts[BH_SEV_INFO], "note") == BH_OK;
    for (i = 0; ok && i < e->n_findings; i++) ok = put_finding_text(out, e->findings[i]) == BH_OK;
    return ok ? put(out, "\n") : BH_ERR_NOMEM;
}

/* {====================================================================
** JSON
** ===================================================================== */

static bh_status put_finding_json(bh_buffer *out, const bh_finding *f) {
    const bh_rule_denial *d = bh_rule_denial_find(f->rule, f->path);
    int ok = put(out, "{\"rule\":") == BH_OK && json_or_null(out, f->rule) == BH_OK &&
             put(out, ",\"severity\":") == BH_OK &&
             json_or_null(out, bh_severity_name(f->severity)) == BH_OK &&
             put(out, ",\"path\":") == BH_OK && json_or_null(out, f->path) == BH_OK &&
             put(out, ",\"message\":") == BH_OK && json_or_null(out, f->message) == BH_OK &&
             put(out, ",\"hint\":") == BH_OK && json_or_null(out, f->hint) == BH_OK &&
             put(out, ",\"source\":") == BH_OK && json_or_null(out, f->source) == BH_OK &&
             put(out, ",\"denial\":") == BH_OK;
    if (!ok) return BH_ERR_NOMEM;
    if (d == NULL || d->group == NULL) return put(out, "null}");
    ok = put(out, "{\"group\":") == BH_OK && json_or_null(out, d->group) == BH_OK &&
         put(out, ",\"carc\":") == BH_OK && json_or_null(out, d->carc) == BH_OK &&
         put(out, ",\"rarc\":") == BH_OK && json_or_null(out, d->rarc) == BH_OK;
    return ok ? put(out, "}}") : BH_ERR_NOMEM;
}

/* The patient's name as a JSON string, escaped part by part. */
static bh_status put_patient_json(bh_buffer *out, const bh_claim *c) {
    const bh_name *n = shown_name(c);
    const char *one = n->last ? n->last : n->first ? n->first : "";
    int ok = put(out, "\"") == BH_OK;
    if (n->last != NULL && n->first != NULL)
        ok = ok && escape(out, n->last, strlen(n->last)) == BH_OK && put(out, ", ") == BH_OK &&
             escape(out, n->first, strlen(n->first)) == BH_OK;
    else
        ok = ok && escape(out, one, strlen(one)) == BH_OK;
    return ok ? put(out, "\"") : BH_ERR_NOMEM;
}

bh_status bh_report_write_json(bh_buffer *out, const bh_report_entry *e) {
    char date[11];
    size_t counts[3], i;
    int ok;
    count(e, counts);
    ok = put(out, "{\"claim_id\":") == BH_OK && json_or_null(out, e->claim_id) == BH_OK &&
         put(out, ",\"patient\":") == BH_OK && put_patient_json(out, e->claim) == BH_OK &&
         put(out, ",\"date\":") == BH_OK && json_or_null(out, first_date(e->claim, date)) == BH_OK &&
         put(out, counts[BH_SEV_ERROR] == 0 ? ",\"ok\":true" : ",\"ok\":false") == BH_OK &&
         put(out, ",\"counts\":{\"error\":") == BH_OK &&
         put_count(out, counts[BH_SEV_ERROR]) == BH_OK && put(out, ",\"warning\":") == BH_OK &&
         put_count(out, counts[BH_SEV_WARNING]) == BH_OK && put(out, ",\"info\":") == BH_OK &&
         put_count(out, counts[BH_SEV_INFO]) == BH_OK && put(out, "},\"findings\":[") == BH_OK;
    for (i = 0; ok && i < e->n_findings; i++)
        ok = (i == 0 || put(out, ",") == BH_OK) && put_finding_json(out, e->findings[i]) == BH_OK;
    return ok ? put(out, "]}\n") : BH_ERR_NOMEM;
}

/* {====================================================================
** CSV (RFC 4180: CRLF, fields with , " CR or LF quoted, " doubled)
** ===================================================================== */

bh_status bh_csv_write_field(bh_buffer *out, const char *s, size_t len) {
    size_t i, run = 0;
    if (strcspn(s, ",\"\r\n") >= len) return bh_buffer_append(out, s, len);
    if (put(out, "\"") != BH_OK) return BH_ERR_NOMEM;
    for (i = 0; i < len; i++) {
        if (s[i] != '"') continue;
        if (bh_buffer_append(out, s + run, i + 1 - run) != BH_OK) return BH_ERR_NOMEM;
        run = i;   /* the quote is written again: doubled */
    }
    if (bh_buffer_append(out, s + run, len - run) != BH_OK) return BH_ERR_NOMEM;
    return put(out, "\"");
}

static bh_status csv_text(bh_buffer *out, const char *s, int last) {
    if (s == NULL) s = "";
    if (bh_csv_write_field(out, s, strlen(s)) != BH_OK) return BH_ERR_NOMEM;
    return put(out, last ? "\r\n" : ",");
}

/* claim_id, patient, date and code of one row. */
static bh_status csv_claim(bh_buffer *out, const bh_report_entry *e, const char *code) {
    bh_buffer name;
    char date[11];
    int ok;
    bh_buffer_init(&name);
    ok = csv_text(out, e->claim_id, 0) == BH_OK && bh_claim_write_patient(&name, e->claim) == BH_OK &&
         bh_csv_write_field(out, name.data ? name.data : "", name.len) == BH_OK &&
         put(out, ",") == BH_OK && csv_text(out, first_date(e->claim, date), 0) == BH_OK &&
         csv_text(out, code, 0) == BH_OK;
    bh_buffer_free(&name);
    return ok ? BH_OK : BH_ERR_NOMEM;
}

/* source and line: the last two columns. */
static bh_status csv_where(bh_buffer *out, const bh_report_entry *e) {
    char line[32];
    line[0] = '\0';
    if (e->line > 0) snprintf(line, sizeof line, "%ld", e->line);
    if (csv_text(out, e->source, 0) != BH_OK) return BH_ERR_NOMEM;
    return csv_text(out, line, 1);
}

static bh_status csv_finding(bh_buffer *out, const bh_report_entry *e, const bh_finding *f) {
    const bh_rule_denial *d = bh_rule_denial_find(f->rule, f->path);
    int denial = d != NULL && d->group != NULL;
    int ok = csv_claim(out, e, finding_code(e->claim, f->path)) == BH_OK &&
             csv_text(out, f->rule, 0) == BH_OK &&
             csv_text(out, bh_severity_name(f->severity), 0) == BH_OK &&
             csv_text(out, f->path, 0) == BH_OK && csv_text(out, f->message, 0) == BH_OK &&
             csv_text(out, f->hint, 0) == BH_OK &&
             csv_text(out, denial ? d->group : NULL, 0) == BH_OK &&
             csv_text(out, denial ? d->carc : NULL, 0) == BH_OK &&
             csv_text(out, denial ? d->rarc : NULL, 0) == BH_OK;
    return ok ? csv_where(out, e) : BH_ERR_NOMEM;
}

bh_status bh_report_write_csv(bh_buffer *out, const bh_report_entry *e) {
    size_t i;
    if (e->n_findings == 0) {
        /* a clean claim: its row, with the finding columns empty */
        const char *code = e->claim->n_lines > 0 ? line_code(e->claim, 0) : "";
        if (csv_claim(out, e, code) != BH_OK || put(out, ",,,,,,,,") != BH_OK)
            return BH_ERR_NOMEM;
        return csv_where(out, e);
    }
    for (i = 0; i < e->n_findings; i++)
        if (csv_finding(out, e, e->findings[i]) != BH_OK) return BH_ERR_NOMEM;
    return BH_OK;
}
