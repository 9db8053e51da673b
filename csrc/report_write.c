/*
** report_write.c: one checked claim's report line as the command line's
** `check` prints it (--format text, json, csv), written into a buffer, so a
** batch goes from input to output without a Lua table per claim. The one
** definition of the line format: the writers work from a line view
** (bh_report_line), which the batch path makes from the claim model
** (bh_report_write_*) and the binding from a Lua report entry
** (csrc/lua/report_line.c, for lua/bhclaim/reports.lua).
** Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif
#include "bhclaim.h"

/* bh_buffer_append with the common case (room left) inline: a report line
** is written in some forty pieces. */
static inline bh_status append(bh_buffer *out, const char *s, size_t n) {
    if (out->cap - out->len > n) {
        if (n > 0) memcpy(out->data + out->len, s, n);
        out->len += n;
        out->data[out->len] = '\0';
        return BH_OK;
    }
    return bh_buffer_append(out, s, n);
}

/* Appends a NUL-terminated string. */
static inline bh_status put(bh_buffer *out, const char *s) {
    return append(out, s, strlen(s));
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

/* The first byte from i on that a JSON string escapes, or len. Sixteen
** bytes at a time where SSE2 is there (every x86-64): messages and hints
** are long and almost never hold one. */
static size_t next_escaped(const char *s, size_t i, size_t len) {
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1f), del = _mm_set1_epi8(0x7f);
    while (len - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
            _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, control), v), _mm_cmpeq_epi8(v, del)));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return i + (size_t)__builtin_ctz((unsigned)mask);
        i += 16;
    }
#endif
    while (i < len && !escaped_byte[(unsigned char)s[i]]) i++;
    return i;
}

/* The body of a JSON string literal: escaped as reports.json_string does.
** Runs of plain bytes, most of every message, are found at once
** (next_escaped) and copied at once. */
static bh_status escape(bh_buffer *out, const char *s, size_t len) {
    size_t i, run = 0;
    char esc[8];
    for (i = next_escaped(s, 0, len); i < len; i = next_escaped(s, i + 1, len)) {
        unsigned char c = (unsigned char)s[i];
        const char *e = NULL;
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
        if (append(out, s + run, i - run) != BH_OK || put(out, e) != BH_OK)
            return BH_ERR_NOMEM;
        run = i + 1;
    }
    return append(out, s + run, len - run);
}

bh_status bh_json_write_string(bh_buffer *out, const char *s, size_t len) {
    if (append(out, "\"", 1) != BH_OK || escape(out, s, len) != BH_OK)
        return BH_ERR_NOMEM;
    return append(out, "\"", 1);
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
** Values of a line view
** ===================================================================== */

static bh_status put_value(bh_buffer *out, bh_line_value v) {
    return append(out, v.s, v.len);
}

/* v's bytes, or `none` when v has none. */
static bh_status put_or(bh_buffer *out, bh_line_value v, const char *none) {
    return v.s != NULL ? put_value(out, v) : put(out, none);
}

static int is_empty(bh_line_value v) {
    return v.s == NULL || v.len == 0;
}

/* A JSON value: null when absent, a literal as it is, else a string. */
static bh_status json_value(bh_buffer *out, bh_line_value v) {
    if (v.s == NULL) return put(out, "null");
    if (v.literal) return put_value(out, v);
    return bh_json_write_string(out, v.s, v.len);
}

/* The code a finding's path points at: lines[i]'s code when the path
** starts with lines[i] and the claim has a line i, else the first line's,
** "" when there is none. */
static bh_line_value finding_code(const bh_report_line *l, bh_line_value path) {
    static const bh_line_value none = { "", 0, 0 };
    bh_line_value code = { NULL, 0, 0 };
    size_t i = 0, k = 6;
    if (path.s != NULL && !path.literal && path.len > 6 && memcmp(path.s, "lines[", 6) == 0) {
        /* Past a billion the index names no line: it stays there. */
        for (; k < path.len && path.s[k] >= '0' && path.s[k] <= '9'; k++)
            if (i <= 1000000000) i = i * 10 + (size_t)(path.s[k] - '0');
        if (k == 6 || k == path.len || path.s[k] != ']') i = 0;
    }
    if (i >= 1) code = l->code(l->ctx, i);
    if (code.s == NULL) code = l->code(l->ctx, 1);
    return code.s != NULL ? code : none;
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
    return append(out, digits + i, sizeof digits - i);
}

static bh_status put_plural(bh_buffer *out, size_t n, const char *word) {
    if (put_count(out, n) != BH_OK || put(out, " ") != BH_OK || put(out, word) != BH_OK)
        return BH_ERR_NOMEM;
    return n == 1 ? BH_OK : put(out, "s");
}

/* "  %-7s %-22s %s" of the text format: the severity and rule padded;
** an absent value shows as nil. */
static bh_status put_padded(bh_buffer *out, bh_line_value v, size_t width) {
    static const char spaces[] = "                       ";
    size_t len = v.s != NULL ? v.len : 3;
    if (put_or(out, v, "nil") != BH_OK) return BH_ERR_NOMEM;
    return len < width ? append(out, spaces, width - len) : BH_OK;
}

/* "CO-97 M15", as a remittance writes a denial. */
static bh_status put_denial_text(bh_buffer *out, const bh_line_finding *f) {
    if (put(out, "\n          denial: ") != BH_OK || put_or(out, f->group, "nil") != BH_OK ||
        put(out, "-") != BH_OK || put_or(out, f->carc, "nil") != BH_OK)
        return BH_ERR_NOMEM;
    if (f->rarc.s == NULL) return BH_OK;
    return put(out, " ") == BH_OK ? put_value(out, f->rarc) : BH_ERR_NOMEM;
}

static bh_status put_finding_text(bh_buffer *out, const bh_line_finding *f) {
    int ok = put(out, "\n  ") == BH_OK && put_padded(out, f->severity, 7) == BH_OK &&
             put(out, " ") == BH_OK && put_padded(out, f->rule, 22) == BH_OK &&
             put(out, " ") == BH_OK &&
             (is_empty(f->path) ? put(out, "(claim)") : put_value(out, f->path)) == BH_OK &&
             put(out, "\n          ") == BH_OK && put_or(out, f->message, "nil") == BH_OK;
    if (ok && !is_empty(f->hint))
        ok = put(out, "\n          fix: ") == BH_OK && put_value(out, f->hint) == BH_OK;
    if (ok && f->denial) ok = put_denial_text(out, f) == BH_OK;
    return ok ? BH_OK : BH_ERR_NOMEM;
}

/* The patient as text: "Last, First" from two parts, else the one. */
static bh_status put_patient_text(bh_buffer *out, const bh_report_line *l) {
    if (put_value(out, l->patient) != BH_OK) return BH_ERR_NOMEM;
    if (l->patient_first.s == NULL) return BH_OK;
    return put(out, ", ") == BH_OK ? put_value(out, l->patient_first) : BH_ERR_NOMEM;
}

bh_status bh_report_line_text(bh_buffer *out, const bh_report_line *l) {
    bh_line_finding f;
    size_t i;
    int ok = (!l->session || put(out, "session ") == BH_OK) &&
             put_or(out, l->claim_id, "(no id)") == BH_OK;
    if (ok && (l->patient_first.s != NULL || !is_empty(l->patient)))
        ok = put(out, "  ") == BH_OK && put_patient_text(out, l) == BH_OK;
    if (ok && !is_empty(l->date)) ok = put(out, "  ") == BH_OK && put_value(out, l->date) == BH_OK;
    if (ok) ok = put(out, ": ") == BH_OK;
    if (!ok) return BH_ERR_NOMEM;
    if (l->n_findings == 0) return put(out, "clean\n");
    ok = put_plural(out, l->counts[BH_SEV_ERROR], "error") == BH_OK && put(out, ", ") == BH_OK &&
         put_plural(out, l->counts[BH_SEV_WARNING], "warning") == BH_OK &&
         put(out, ", ") == BH_OK && put_plural(out, l->counts[BH_SEV_INFO], "note") == BH_OK;
    for (i = 0; ok && i < l->n_findings; i++) {
        l->finding(l->ctx, i, &f);
        ok = put_finding_text(out, &f) == BH_OK;
    }
    return ok ? put(out, "\n") : BH_ERR_NOMEM;
}

/* {====================================================================
** JSON
** ===================================================================== */

static bh_status put_finding_json(bh_buffer *out, const bh_line_finding *f) {
    int ok = put(out, "{\"rule\":") == BH_OK && json_value(out, f->rule) == BH_OK &&
             put(out, ",\"severity\":") == BH_OK && json_value(out, f->severity) == BH_OK &&
             put(out, ",\"path\":") == BH_OK && json_value(out, f->path) == BH_OK &&
             put(out, ",\"message\":") == BH_OK && json_value(out, f->message) == BH_OK &&
             put(out, ",\"hint\":") == BH_OK && json_value(out, f->hint) == BH_OK &&
             put(out, ",\"source\":") == BH_OK && json_value(out, f->source) == BH_OK &&
             put(out, ",\"denial\":") == BH_OK;
    if (!ok) return BH_ERR_NOMEM;
    if (!f->denial) return put(out, "null}");
    ok = put(out, "{\"group\":") == BH_OK && json_value(out, f->group) == BH_OK &&
         put(out, ",\"carc\":") == BH_OK && json_value(out, f->carc) == BH_OK &&
         put(out, ",\"rarc\":") == BH_OK && json_value(out, f->rarc) == BH_OK;
    return ok ? put(out, "}}") : BH_ERR_NOMEM;
}

/* The patient as JSON: two parts as one string, escaped part by part. */
static bh_status put_patient_json(bh_buffer *out, const bh_report_line *l) {
    int ok;
    if (l->patient_first.s == NULL) return json_value(out, l->patient);
    ok = put(out, "\"") == BH_OK && escape(out, l->patient.s, l->patient.len) == BH_OK &&
         put(out, ", ") == BH_OK &&
         escape(out, l->patient_first.s, l->patient_first.len) == BH_OK;
    return ok ? put(out, "\"") : BH_ERR_NOMEM;
}

bh_status bh_report_line_json(bh_buffer *out, const bh_report_line *l) {
    bh_line_finding f;
    size_t i;
    int ok = put(out, "{\"claim_id\":") == BH_OK && json_value(out, l->claim_id) == BH_OK &&
             put(out, ",\"patient\":") == BH_OK && put_patient_json(out, l) == BH_OK &&
             put(out, ",\"date\":") == BH_OK && json_value(out, l->date) == BH_OK &&
             put(out, l->ok ? ",\"ok\":true" : ",\"ok\":false") == BH_OK &&
             put(out, ",\"counts\":{\"error\":") == BH_OK &&
             put_count(out, l->counts[BH_SEV_ERROR]) == BH_OK &&
             put(out, ",\"warning\":") == BH_OK &&
             put_count(out, l->counts[BH_SEV_WARNING]) == BH_OK &&
             put(out, ",\"info\":") == BH_OK && put_count(out, l->counts[BH_SEV_INFO]) == BH_OK &&
             put(out, "},\"findings\":[") == BH_OK;
    for (i = 0; ok && i < l->n_findings; i++) {
        l->finding(l->ctx, i, &f);
        ok = (i == 0 || put(out, ",") == BH_OK) && put_finding_json(out, &f) == BH_OK;
    }
    if (ok && l->session) ok = put(out, "],\"session\":true}\n") == BH_OK;
    else if (ok) ok = put(out, "]}\n") == BH_OK;
    return ok ? BH_OK : BH_ERR_NOMEM;
}

/* {====================================================================
** CSV (RFC 4180: CRLF, fields with , " CR or LF quoted, " doubled)
** ===================================================================== */

/* s with each " doubled, no quotes around. */
static bh_status put_doubled(bh_buffer *out, const char *s, size_t len) {
    size_t i, run = 0;
    for (i = 0; i < len; i++) {
        if (s[i] != '"') continue;
        if (append(out, s + run, i + 1 - run) != BH_OK) return BH_ERR_NOMEM;
        run = i;   /* the quote is written again: doubled */
    }
    return append(out, s + run, len - run);
}

bh_status bh_csv_write_field(bh_buffer *out, const char *s, size_t len) {
    size_t i;
    for (i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') break;
    if (i == len) return append(out, s, len);
    if (put(out, "\"") != BH_OK || put_doubled(out, s, len) != BH_OK) return BH_ERR_NOMEM;
    return put(out, "\"");
}

/* One field ("" when absent) and the comma after it, or the row's CRLF. */
static bh_status csv_value(bh_buffer *out, bh_line_value v, int last) {
    if (v.s != NULL && bh_csv_write_field(out, v.s, v.len) != BH_OK) return BH_ERR_NOMEM;
    return put(out, last ? "\r\n" : ",");
}

/* The patient field: two parts hold ", ", so the field is quoted. */
static bh_status csv_patient(bh_buffer *out, const bh_report_line *l) {
    int ok;
    if (l->patient_first.s == NULL) return csv_value(out, l->patient, 0);
    ok = put(out, "\"") == BH_OK && put_doubled(out, l->patient.s, l->patient.len) == BH_OK &&
         put(out, ", ") == BH_OK &&
         put_doubled(out, l->patient_first.s, l->patient_first.len) == BH_OK;
    return ok ? put(out, "\",") : BH_ERR_NOMEM;
}

/* claim_id, patient, date and code of one row. */
static bh_status csv_claim(bh_buffer *out, const bh_report_line *l, bh_line_value code) {
    int ok = csv_value(out, l->claim_id, 0) == BH_OK && csv_patient(out, l) == BH_OK &&
             csv_value(out, l->date, 0) == BH_OK && csv_value(out, code, 0) == BH_OK;
    return ok ? BH_OK : BH_ERR_NOMEM;
}

/* source and line: the last two columns. */
static bh_status csv_where(bh_buffer *out, const bh_report_line *l) {
    if (csv_value(out, l->source, 0) != BH_OK) return BH_ERR_NOMEM;
    return csv_value(out, l->line, 1);
}

static bh_status csv_finding(bh_buffer *out, const bh_report_line *l, const bh_line_finding *f) {
    static const bh_line_value none = { NULL, 0, 0 };
    int ok = csv_claim(out, l, finding_code(l, f->path)) == BH_OK &&
             csv_value(out, f->rule, 0) == BH_OK && csv_value(out, f->severity, 0) == BH_OK &&
             csv_value(out, f->path, 0) == BH_OK && csv_value(out, f->message, 0) == BH_OK &&
             csv_value(out, f->hint, 0) == BH_OK &&
             csv_value(out, f->denial ? f->group : none, 0) == BH_OK &&
             csv_value(out, f->denial ? f->carc : none, 0) == BH_OK &&
             csv_value(out, f->denial ? f->rarc : none, 0) == BH_OK;
    return ok ? csv_where(out, l) : BH_ERR_NOMEM;
}

bh_status bh_report_line_csv(bh_buffer *out, const bh_report_line *l) {
    static const bh_line_value no_path = { NULL, 0, 0 };
    bh_line_finding f;
    size_t i;
    if (l->n_findings == 0) {
        /* a clean claim: its row, with the finding columns empty */
        if (csv_claim(out, l, finding_code(l, no_path)) != BH_OK || put(out, ",,,,,,,,") != BH_OK)
            return BH_ERR_NOMEM;
        return csv_where(out, l);
    }
    for (i = 0; i < l->n_findings; i++) {
        l->finding(l->ctx, i, &f);
        if (csv_finding(out, l, &f) != BH_OK) return BH_ERR_NOMEM;
    }
    return BH_OK;
}

/* {====================================================================
** The line view of a checked claim (the batch path)
** ===================================================================== */

static bh_line_value text_value(const char *s) {
    bh_line_value v;
    v.s = s;
    v.len = s != NULL ? strlen(s) : 0;
    v.literal = 0;
    return v;
}

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

/* Line i's code (1-based; "" for a line without one); none past the last. */
static bh_line_value claim_code(const void *ctx, size_t i) {
    const bh_claim *c = ((const bh_report_entry *)ctx)->claim;
    if (i < 1 || i > (size_t)c->n_lines) return text_value(NULL);
    return text_value(c->lines[i - 1].code ? c->lines[i - 1].code : "");
}

static void claim_finding(const void *ctx, size_t i, bh_line_finding *out) {
    const bh_finding *f = ((const bh_report_entry *)ctx)->findings[i];
    const bh_rule_denial *d = bh_rule_denial_find(f->rule, f->path);
    out->rule = text_value(f->rule);
    out->severity = text_value(bh_severity_name(f->severity));
    out->path = text_value(f->path);
    out->message = text_value(f->message);
    out->hint = text_value(f->hint);
    out->source = text_value(f->source);
    out->denial = d != NULL && d->group != NULL;
    if (!out->denial) return;
    out->group = text_value(d->group);
    out->carc = text_value(d->carc);
    out->rarc = text_value(d->rarc);
}

/* A line view with the buffers its values point into (the line number
** only for CSV, the one format that shows it). */
typedef struct entry_view {
    bh_report_line line;
    char date[11];
    char line_number[32];
} entry_view;

static void view_of_entry(const bh_report_entry *e, entry_view *v) {
    const bh_claim *c = e->claim;
    const bh_name *n = shown_name(c);
    bh_report_line *l = &v->line;
    size_t i;
    memset(l, 0, sizeof *l);
    l->claim_id = text_value(e->claim_id);
    l->patient = text_value(n->last ? n->last : n->first ? n->first : "");
    if (n->last != NULL && n->first != NULL) l->patient_first = text_value(n->first);
    v->date[0] = '\0';
    if (c->n_lines > 0 && c->lines[0].date != 0) bh_date_format(c->lines[0].date, v->date);
    l->date = text_value(v->date);
    for (i = 0; i < e->n_findings; i++) l->counts[e->findings[i]->severity]++;
    l->ok = l->counts[BH_SEV_ERROR] == 0;
    l->n_findings = e->n_findings;
    l->finding = claim_finding;
    l->code = claim_code;
    l->ctx = e;
}

bh_status bh_report_write_text(bh_buffer *out, const bh_report_entry *e) {
    entry_view v;
    view_of_entry(e, &v);
    return bh_report_line_text(out, &v.line);
}

bh_status bh_report_write_json(bh_buffer *out, const bh_report_entry *e) {
    entry_view v;
    view_of_entry(e, &v);
    return bh_report_line_json(out, &v.line);
}

bh_status bh_report_write_csv(bh_buffer *out, const bh_report_entry *e) {
    entry_view v;
    view_of_entry(e, &v);
    v.line.source = text_value(e->source ? e->source : "");
    v.line_number[0] = '\0';
    if (e->line > 0) snprintf(v.line_number, sizeof v.line_number, "%ld", e->line);
    v.line.line = text_value(v.line_number);
    return bh_report_line_csv(out, &v.line);
}
