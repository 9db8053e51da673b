/*
** test_report_write.c: tests of the report-line writers (csrc/report_write.c):
** JSON string escaping, CSV fields, one claim's text, JSON and CSV lines
** byte for byte, and a line view made by hand as the binding makes one
** from a Lua entry (spec/report_write_spec.lua checks that binding). No Lua.
** Prints TAP and exits 1 on any failure.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "bhclaim.h"
#include "tap.h"

/* Compares the buffer with want, shows both when they differ, empties it. */
static void expect_text(bh_buffer *b, const char *want, const char *name) {
    int same = b->len == strlen(want) && memcmp(b->data, want, b->len) == 0;
    expect(same, name);
    if (!same) printf("# got:  [%.*s]\n# want: [%s]\n", (int)b->len, b->data, want);
    b->len = 0;
}

static void test_json_string(bh_buffer *b) {
    static const char in[] = "a\"b\\c\b\f\n\r\t\001\037\177\303\251";
    expect(bh_json_write_string(b, in, sizeof in - 1) == BH_OK, "json string written");
    expect_text(b, "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\303\251\"",
                "json string: quotes, backslashes, controls and DEL escaped, UTF-8 kept");
    bh_json_write_string(b, "", 0);
    expect_text(b, "\"\"", "json string: empty");
    bh_json_write_string(b, "x\0y", 3);
    expect_text(b, "\"x\\u0000y\"", "json string: NUL escaped");
}

/* One byte to escape at every position of a 40-byte text, and two in a
** row, against the escape of that byte alone: the 16-byte scan's edges. */
static void test_json_string_positions(bh_buffer *b) {
    static const char special[] = {'"', '\\', '\n', '\001', '\037', '\177'};
    static const char *const escaped[] = {"\\\"", "\\\\", "\\n", "\\u0001",
                                          "\\u001f", "\\u007f"};
    size_t k, at, bad = 0;
    for (k = 0; k < sizeof special; k++) {
        for (at = 0; at < 40; at++) {
            char in[41], want[64];
            size_t elen = strlen(escaped[k]);
            memset(in, 'a' + (int)(at % 26), 40);
            in[40] = '\0';
            in[at] = special[k];
            want[0] = '"';
            memcpy(want + 1, in, at);
            memcpy(want + 1 + at, escaped[k], elen);
            memcpy(want + 1 + at + elen, in + at + 1, 39 - at);
            want[1 + at + elen + 39 - at] = '"';
            bh_json_write_string(b, in, 40);
            if (b->len != 41 + elen || memcmp(b->data, want, b->len) != 0) bad++;
            b->len = 0;
        }
    }
    expect(bad == 0, "json string: an escaped byte at each of 40 positions");
    bh_json_write_string(b, "0123456789abcde\"\"0123456789abcdef\\", 34);
    expect_text(b, "\"0123456789abcde\\\"\\\"0123456789abcdef\\\\\"",
                "json string: escapes side by side across 16-byte blocks");
}

static void test_csv_field(bh_buffer *b) {
    bh_csv_write_field(b, "plain", 5);
    expect_text(b, "plain", "csv field: plain");
    bh_csv_write_field(b, "Roe, Sam", 8);
    expect_text(b, "\"Roe, Sam\"", "csv field: comma quoted");
    bh_csv_write_field(b, "say \"hi\"", 8);
    expect_text(b, "\"say \"\"hi\"\"\"", "csv field: quotes doubled");
    bh_csv_write_field(b, "two\r\nlines", 10);
    expect_text(b, "\"two\r\nlines\"", "csv field: CR LF quoted");
}

static const char CLAIM[] =
    "{\"id\":\"C-1\",\"patient\":null,"
    "\"subscriber\":{\"name\":{\"last\":\"Roe\",\"first\":\"Sam\"}},"
    "\"lines\":[{\"code\":\"90853\",\"date\":\"2026-03-02\",\"charge\":\"45.00\"},"
    "{\"code\":\"90785\",\"date\":\"2026-03-02\",\"charge\":\"0.10\"}]}";

/* A report of three findings added out of severity order. */
static void fill_report(bh_report *r) {
    bh_report_put(r, &(bh_finding){.rule = "doc.plan", .severity = BH_SEV_WARNING,
                                   .source = "src", .message = "No plan"});
    bh_report_addf(r, &(bh_finding){.rule = "line.charge", .severity = BH_SEV_ERROR,
                                    .path = "lines[2].charge", .hint = "Raise", .source = "src"},
                   "Charge \"%s\", too low", "0.10");
    bh_report_put(r, &(bh_finding){.rule = "npi.checksum", .severity = BH_SEV_ERROR,
                                   .path = "billing_provider.npi", .message = "Bad NPI"});
}

static void test_lines(bh_buffer *b) {
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new(), *parsed = bh_report_new();
    const bh_finding *order[3];
    bh_report_entry e;
    bh_error err;
    expect(bh_claim_parse_json(claim, CLAIM, sizeof CLAIM - 1, parsed, &err) == BH_OK,
           "claim parsed");
    fill_report(report);
    memset(&e, 0, sizeof e);
    e.claim_id = claim->id;
    e.claim = claim;
    e.findings = order;
    e.n_findings = bh_report_order(report, 3, order);
    e.source = "in.ndjson";
    e.line = 7;
    expect(e.n_findings == 3 && strcmp(order[0]->rule, "line.charge") == 0 &&
           strcmp(order[1]->rule, "npi.checksum") == 0 && strcmp(order[2]->rule, "doc.plan") == 0,
           "order: errors first, each severity in the order found");
    bh_report_write_text(b, &e);
    expect_text(b,
        "C-1  Roe, Sam  2026-03-02: 2 errors, 1 warning, 0 notes\n"
        "  error   line.charge            lines[2].charge\n"
        "          Charge \"0.10\", too low\n"
        "          fix: Raise\n"
        "          denial: CO-16 MA130\n"
        "  error   npi.checksum           billing_provider.npi\n"
        "          Bad NPI\n"
        "          denial: CO-16 N257\n"
        "  warning doc.plan               (claim)\n"
        "          No plan\n"
        "          denial: CO-50\n", "text: head, findings, hints and denials");
    bh_report_write_json(b, &e);
    expect_text(b,
        "{\"claim_id\":\"C-1\",\"patient\":\"Roe, Sam\",\"date\":\"2026-03-02\",\"ok\":false,"
        "\"counts\":{\"error\":2,\"warning\":1,\"info\":0},\"findings\":["
        "{\"rule\":\"line.charge\",\"severity\":\"error\",\"path\":\"lines[2].charge\","
        "\"message\":\"Charge \\\"0.10\\\", too low\",\"hint\":\"Raise\",\"source\":\"src\","
        "\"denial\":{\"group\":\"CO\",\"carc\":\"16\",\"rarc\":\"MA130\"}},"
        "{\"rule\":\"npi.checksum\",\"severity\":\"error\",\"path\":\"billing_provider.npi\","
        "\"message\":\"Bad NPI\",\"hint\":\"\",\"source\":\"\","
        "\"denial\":{\"group\":\"CO\",\"carc\":\"16\",\"rarc\":\"N257\"}},"
        "{\"rule\":\"doc.plan\",\"severity\":\"warning\",\"path\":\"\",\"message\":\"No plan\","
        "\"hint\":\"\",\"source\":\"src\",\"denial\":{\"group\":\"CO\",\"carc\":\"50\","
        "\"rarc\":null}}]}\n", "json: one object on one line");
    bh_report_write_csv(b, &e);
    expect_text(b,
        "C-1,\"Roe, Sam\",2026-03-02,90785,line.charge,error,lines[2].charge,"
        "\"Charge \"\"0.10\"\", too low\",Raise,CO,16,MA130,in.ndjson,7\r\n"
        "C-1,\"Roe, Sam\",2026-03-02,90853,npi.checksum,error,billing_provider.npi,"
        "Bad NPI,,CO,16,N257,in.ndjson,7\r\n"
        "C-1,\"Roe, Sam\",2026-03-02,90853,doc.plan,warning,,No plan,,CO,50,,in.ndjson,7\r\n",
        "csv: a row per finding, the code of the line the path names");
    e.n_findings = 0;
    e.claim_id = NULL;
    e.source = NULL;
    e.line = 0;
    bh_report_write_text(b, &e);
    expect_text(b, "(no id)  Roe, Sam  2026-03-02: clean\n", "text: a clean claim");
    bh_report_write_json(b, &e);
    expect_text(b, "{\"claim_id\":null,\"patient\":\"Roe, Sam\",\"date\":\"2026-03-02\","
                   "\"ok\":true,\"counts\":{\"error\":0,\"warning\":0,\"info\":0},"
                   "\"findings\":[]}\n", "json: a clean claim without id");
    bh_report_write_csv(b, &e);
    expect_text(b, ",\"Roe, Sam\",2026-03-02,90853,,,,,,,,,,\r\n",
                "csv: a clean claim has its row");
    bh_claim_free(claim);
    bh_report_free(report);
    bh_report_free(parsed);
}

/* {====================================================================
** A line view made by hand: a session's finding with a literal and
** absent values, as csrc/lua/report_line.c hands them over
** ===================================================================== */

static bh_line_value value(const char *s, int literal) {
    bh_line_value v;
    v.s = s;
    v.len = s != NULL ? strlen(s) : 0;
    v.literal = literal;
    return v;
}

/* One line, coded 90853. */
static bh_line_value one_code(const void *ctx, size_t i) {
    (void)ctx;
    return value(i == 1 ? "90853" : NULL, 0);
}

static void one_finding(const void *ctx, size_t i, bh_line_finding *f) {
    (void)ctx;
    (void)i;
    memset(f, 0, sizeof *f);
    f->rule = value("x.rule", 0);
    f->severity = value("info", 0);
    f->path = value("lines[3]", 0);
    f->message = value("7", 1);
    f->denial = 1;
    f->group = value("CO", 0);
}

static void test_view(bh_buffer *b) {
    bh_report_line l;
    memset(&l, 0, sizeof l);
    l.claim_id = value("S", 0);
    l.patient = value("", 0);
    l.date = value("2026-04-07", 0);
    l.ok = 1;
    l.session = 1;
    l.counts[BH_SEV_INFO] = 1;
    l.n_findings = 1;
    l.finding = one_finding;
    l.code = one_code;
    bh_report_line_text(b, &l);
    expect_text(b,
        "session S  2026-04-07: 0 errors, 0 warnings, 1 note\n"
        "  info    x.rule                 lines[3]\n"
        "          7\n"
        "          denial: CO-nil\n", "view, text: the session mark, nil for an absent carc");
    bh_report_line_json(b, &l);
    expect_text(b,
        "{\"claim_id\":\"S\",\"patient\":\"\",\"date\":\"2026-04-07\",\"ok\":true,"
        "\"counts\":{\"error\":0,\"warning\":0,\"info\":1},\"findings\":["
        "{\"rule\":\"x.rule\",\"severity\":\"info\",\"path\":\"lines[3]\",\"message\":7,"
        "\"hint\":null,\"source\":null,\"denial\":{\"group\":\"CO\",\"carc\":null,"
        "\"rarc\":null}}],\"session\":true}\n",
        "view, json: a literal bare, absent values null, the session mark last");
    bh_report_line_csv(b, &l);
    expect_text(b, "S,,2026-04-07,90853,x.rule,info,lines[3],7,,CO,,,,\r\n",
                "view, csv: a path past the last line takes the first line's code");
}

int main(void) {
    bh_buffer b;
    bh_buffer_init(&b);
    test_json_string(&b);
    test_json_string_positions(&b);
    test_csv_field(&b);
    test_lines(&b);
    test_view(&b);
    bh_buffer_free(&b);
    return tap_done();
}
