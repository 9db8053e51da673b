/*
** test_hardening.c: one regression test per robustness bug fixed in the
** core (out-of-bounds writes, overflows, undefined behaviour, misleading
** messages). Each test feeds the input that once went wrong and checks the
** outcome the fix promises; under the ASan + UBSan build (make test) the
** old behaviour would also abort. Prints TAP; exits non-zero on failure.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bhclaim.h"
#include "tap.h"

/* Replaces the first `from` in text by `to`; returns a new string. */
static char *replace(const char *text, const char *from, const char *to) {
    const char *at = strstr(text, from);
    size_t head, n;
    char *out;
    if (at == NULL) return NULL;
    head = (size_t)(at - text);
    n = strlen(text) - strlen(from) + strlen(to);
    out = malloc(n + 1);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

/* The first finding of a rule, or NULL. */
static const bh_finding *find_rule(const bh_report *r, const char *rule, const char *path) {
    size_t i;
    for (i = 0; i < bh_report_count(r); i++) {
        const bh_finding *f = bh_report_get(r, i);
        if (strcmp(f->rule, rule) == 0 && (path == NULL || strcmp(f->path, path) == 0)) return f;
    }
    return NULL;
}

static int contains(const char *s, const char *part) {
    return s != NULL && strstr(s, part) != NULL;
}

#define CLAIM_HEAD                                                                          \
    "{\"id\":\"C1\",\"payer\":{\"id\":\"04412\",\"name\":\"Medicare\",\"kind\":\"medicare\"}," \
    "\"billing_provider\":{\"name\":\"Clinic\",\"npi\":\"1234567893\",\"tin\":\"12-3456789\"," \
    "\"address\":{\"line1\":\"1 Main\",\"city\":\"Columbus\",\"state\":\"OH\","                \
    "\"zip\":\"43215\"}},\"subscriber\":{\"name\":{\"last\":\"Roe\",\"first\":\"Sam\"},"      \
    "\"member_id\":\"X1\",\"birth_date\":\"1980-04-01\",\"sex\":\"F\","                       \
    "\"relationship\":\"self\"},\"place_of_service\":\"11\","

/* Parses a JSON text; returns the status. */
static bh_status parse(bh_claim *c, bh_report *r, const char *json) {
    bh_error err;
    bh_report_reset(r);
    return bh_claim_parse_json(c, json, strlen(json), r, &err);
}

/* {=== claim JSON: out-of-bounds writes on repeated keys === */

static void test_repeated_keys(void) {
    bh_claim *c = bh_claim_new();
    bh_report *r = bh_report_new();
    const char *mods =
        CLAIM_HEAD "\"diagnoses\":[\"F33.1\"],\"lines\":[{\"code\":\"90853\",\"units\":1,"
        "\"charge\":\"45.00\",\"date\":\"2026-03-02\",\"dx_pointers\":[1],"
        "\"modifiers\":[\"HQ\",\"95\",\"GT\",\"59\"],\"modifiers\":[\"HQ\",\"95\",\"GT\",\"59\"],"
        "\"modifiers\":[\"HQ\",\"95\",\"GT\",\"59\"],\"modifiers\":[\"AH\"],"
        "\"dx_pointers\":[1,2,3,4],\"dx_pointers\":[1,2,3,4],\"dx_pointers\":[2]}]}";
    const char *blocks =
        CLAIM_HEAD "\"diagnoses\":[\"F33.1\",\"F41.1\",\"F43.10\"],\"diagnoses\":[\"F32.9\"],"
        "\"payer\":{\"id\":\"P2\"},"
        "\"session\":{\"kind\":\"group\",\"minutes\":60,\"patients_present\":6},"
        "\"session\":{\"kind\":\"individual\"},"
        "\"lines\":[{\"code\":\"90853\",\"units\":2,\"charge\":\"1.00\",\"date\":\"2026-03-02\","
        "\"modifiers\":[\"HQ\"]},{\"code\":\"90785\",\"units\":1,\"charge\":\"2.00\","
        "\"date\":\"2026-03-02\"}],"
        "\"lines\":[{\"code\":\"90832\",\"charge\":\"3.00\",\"date\":\"2026-03-03\","
        "\"units\":7,\"units\":null}]}";
    expect(parse(c, r, mods) == BH_OK, "repeated modifiers and dx_pointers parse");
    expect(c->lines[0].n_modifiers == 1 && strcmp(c->lines[0].modifiers[0], "AH") == 0,
           "repeated modifiers: the last array wins whole (no count past 4)");
    expect(c->lines[0].n_dx_pointers == 1 && c->lines[0].dx_pointers[0] == 2,
           "repeated dx_pointers: the last array wins whole");
    expect(parse(c, r, blocks) == BH_OK, "repeated blocks parse");
    expect(c->n_diagnoses == 1 && strcmp(c->diagnoses[0], "F32.9") == 0 &&
           c->diagnoses[1] == NULL, "repeated diagnoses: the last array wins whole");
    expect(c->payer.id != NULL && strcmp(c->payer.id, "P2") == 0 && c->payer.name == NULL &&
           c->payer.kind == BH_PAYER_UNKNOWN, "repeated payer: nothing of the first is kept");
    expect(find_rule(r, "claim.schema", "payer.name") != NULL,
           "repeated payer: the last one's missing name is reported");
    expect(c->session.kind == BH_SESSION_INDIVIDUAL && c->session.minutes == -1 &&
           c->session.patients_present == -1, "repeated session: earlier values discarded");
    expect(c->n_lines == 1 && strcmp(c->lines[0].code, "90832") == 0 &&
           c->lines[0].n_modifiers == 0 && c->lines[1].code == NULL,
           "repeated lines: the earlier lines are cleared");
    expect(c->lines[0].units_state == BH_FIELD_ABSENT,
           "repeated units: a later null makes units absent");
    bh_report_free(r);
    bh_claim_free(c);
}

/* {=== claim JSON: unterminated keys and strings === */

static void test_unterminated(void) {
    bh_claim *c = bh_claim_new();
    bh_report *r = bh_report_new();
    bh_error err;
    size_t n = 5000, i;
    char *text = malloc(n + 8);
    /* an object key with no closing quote, longer than any key buffer */
    strcpy(text, "{\"");
    for (i = 2; i < n; i++) text[i] = 'k';
    text[n] = '\0';
    expect(bh_claim_parse_json(c, text, n, r, &err) == BH_ERR_SYNTAX &&
           contains(err.message, "end of input"), "unterminated long key is a syntax error");
    /* the same inside a line, where the key buffer is reused */
    {
        const char *head = "{\"lines\":[{\"";
        memcpy(text, head, strlen(head));
        expect(bh_claim_parse_json(c, text, n, r, &err) == BH_ERR_SYNTAX,
               "unterminated key inside a line is a syntax error");
    }
    /* an unterminated string value: the arena copy must not overrun */
    memcpy(text, "{\"id\":\"", 7);
    expect(bh_claim_parse_json(c, text, n, r, &err) == BH_ERR_SYNTAX,
           "unterminated string value is a syntax error");
    /* a key whose last byte is a backslash */
    expect(bh_claim_parse_json(c, "{\"ab\\", 5, r, &err) == BH_ERR_SYNTAX,
           "key ending in a backslash is a syntax error");
    expect(bh_claim_parse_json(c, "{\"id\":\"a\\", 9, r, &err) == BH_ERR_SYNTAX,
           "string ending in a backslash is a syntax error");
    expect(bh_report_count(r) == 0, "syntax errors add no finding");
    free(text);
    bh_report_free(r);
    bh_claim_free(c);
}

/* {=== amounts and units: stated ranges, never wrapped === */

static void test_json_ranges(void) {
    bh_claim *c = bh_claim_new();
    bh_report *r = bh_report_new();
    const bh_finding *f;
    char *text;
    text = malloc(4096);
    snprintf(text, 4096, CLAIM_HEAD "\"diagnoses\":[\"F33.1\"],\"lines\":[{\"code\":\"90853\","
             "\"units\":1e300,\"charge\":\"999999999999.00\",\"date\":\"2026-03-02\"},"
             "{\"code\":\"90853\",\"units\":1,\"charge\":999999999999.00,"
             "\"date\":\"2026-03-02\"},{\"code\":\"90853\",\"units\":1,\"charge\":\"4.555\","
             "\"date\":\"2026-03-02\"}]}");
    expect(parse(c, r, text) == BH_OK, "out-of-range amounts parse with findings");
    f = find_rule(r, "claim.schema", "lines[1].charge");
    expect(f != NULL && contains(f->message, "over the maximum") &&
           !contains(f->message, "decimals"),
           "charge string 999999999999.00 is over the maximum, not about decimals");
    f = find_rule(r, "claim.schema", "lines[2].charge");
    expect(f != NULL && contains(f->message, "over the maximum"),
           "charge number 999999999999.00 is over the maximum");
    f = find_rule(r, "claim.schema", "lines[3].charge");
    expect(f != NULL && contains(f->message, "two decimals"), "a third decimal says so");
    f = find_rule(r, "claim.schema", "lines[1].units");
    expect(f != NULL && c->lines[0].units_state == BH_FIELD_BAD,
           "units 1e300 are refused (no undefined conversion in the checks)");
    expect(bh_claim_check(c, NULL, r) == BH_OK, "checks run on the claim");
    free(text);
    bh_report_free(r);
    bh_claim_free(c);
}

/* Reads all claims of len bytes; returns 1, 0 or -1 like bh_x12_reader_next's
** last call. */
static int read_x12_bytes(const char *text, size_t len, bh_claim *c, bh_error *err) {
    bh_x12_reader *x = bh_x12_reader_new(text, len, err);
    int rc;
    if (x == NULL) return -2;
    while ((rc = bh_x12_reader_next(x, c, err)) == 1) {}
    bh_x12_reader_free(x);
    return rc;
}

static int read_x12(const char *text, bh_claim *c, bh_error *err) {
    return read_x12_bytes(text, strlen(text), c, err);
}

static void test_x12_ranges(void) {
    size_t len;
    char *base = read_file("spec/fixtures/x12/medicare_group_90853.837", &len);
    bh_claim *c = bh_claim_new();
    bh_error err;
    char *t;
    if (base == NULL) {
        expect(0, "fixture medicare_group_90853.837 readable");
        bh_claim_free(c);
        return;
    }
    expect(read_x12(base, c, &err) == 0, "the fixture reads cleanly");
    t = replace(base, "CLM*GRP-20260302-01*45.5*", "CLM*GRP-20260302-01*999999999999999999*");
    expect(read_x12(t, c, &err) == -1 && contains(err.message, "CLM02") &&
           contains(err.message, "maximum"), "18-digit CLM02 is out of range, not wrapped");
    free(t);
    t = replace(base, "SV1*HC:90853*45.5*", "SV1*HC:90853*-99999999999999999.9*");
    expect(read_x12(t, c, &err) == -1 && contains(err.message, "SV102") &&
           contains(err.message, "maximum"), "huge negative SV102 is out of range");
    free(t);
    t = replace(base, "SV1*HC:90853*45.5*", "SV1*HC:90853*99999999999.99*");
    expect(read_x12(t, c, &err) == 0 && c->lines[0].charge == BH_MAX_CENTS,
           "the largest amount is read exactly");
    free(t);
    t = replace(base, "45.5*UN*1*", "45.5*UN*1000000*");
    expect(read_x12(t, c, &err) == -1 && contains(err.message, "SV104"),
           "units beyond the maximum name SV104");
    free(t);
    t = replace(base, "SE*28*0001~", "SE*99999999999*0001~");
    expect(read_x12(t, c, &err) == -1 && contains(err.message, "SE01"),
           "an 11-digit SE01 is refused, not wrapped");
    free(t);
    /* CLM with no CLM05: the component splitter gets an absent element */
    t = replace(base, "CLM*GRP-20260302-01*45.5***11:B:1*Y*A*Y*Y~", "CLM*GRP-20260302-01*45.5~");
    expect(read_x12(t, c, &err) == -1 && contains(err.message, "CLM05"),
           "an absent composite is an error, not pointer arithmetic on NULL");
    free(t);
    free(base);
    bh_claim_free(c);
}

/* A NUL byte inside an 837P element, which a C string would end at, and a
** segment wider than the reader takes: each refused naming the segment. */
static void test_x12_nul_and_width(void) {
    size_t len;
    char *base = read_file("spec/fixtures/x12/medicare_group_90853.837", &len);
    char wide[200] = "REF*G1*PA998877", *t, *at;
    bh_claim *c = bh_claim_new();
    bh_error err;
    int i;
    if (base == NULL) {
        expect(0, "fixture medicare_group_90853.837 readable");
        bh_claim_free(c);
        return;
    }
    t = replace(base, "CLM*GRP-20260302-01*", "CLM*GRP-2026@302-01*");
    at = strchr(t, '@');
    *at = '\0';
    expect(read_x12_bytes(t, strlen(at + 1) + (size_t)(at + 1 - t), c, &err) == -1 &&
               contains(err.message, "NUL") && contains(err.message, "CLM"),
           "a NUL byte in CLM01 is refused naming CLM, not cut short");
    free(t);
    for (i = 2; i < 63; i++) strcat(wide, "*");   /* 63 elements after the id */
    t = replace(base, "REF*G1*PA998877~", strcat(wide, "~"));
    expect(read_x12(t, c, &err) == 0, "a segment of 63 elements is within the limit");
    free(t);
    wide[strlen(wide) - 1] = '\0';
    t = replace(base, "REF*G1*PA998877~", strcat(strcat(wide, "*"), "~"));
    expect(read_x12(t, c, &err) == -1 && contains(err.message, "more than 63 elements") &&
               contains(err.message, "segment 22"),
           "64 elements: refused as more than 63, naming the segment");
    free(t);
    free(base);
    bh_claim_free(c);
}

/* {=== NCCI: a file that loads no edits === */

static void test_ncci_empty(void) {
    bh_ncci *n = bh_ncci_new();
    bh_mue_load_opts mue_opts = {20260101, NULL};
    bh_error err;
    size_t added = 99, before = bh_ncci_ptp_count(n);
    const char *notice = "Practitioner PTP Edits v321r0\nno rows\n";
    expect(bh_ncci_load_ptp(n, notice, strlen(notice), NULL, &added, &err) == BH_OK &&
           added == 0 && bh_ncci_ptp_count(n) == before,
           "a PTP file of notices loads nothing (no qsort of NULL)");
    added = 99;
    expect(bh_ncci_load_mue(n, "", 0, &mue_opts, &added, &err) == BH_OK && added == 0,
           "an empty MUE file loads nothing");
    bh_ncci_free(n);
}

/* {=== options structs: NULL options === */

static void note_pair(int i, int j, double similarity, void *ctx) {
    (void)i, (void)j, (void)similarity;
    *(int *)ctx = 1;
}

static void test_null_opts(void) {
    bh_ncci *n = bh_ncci_new();
    const char *row = "90853,4,3 Date of Service Edit: Clinical,CMS\n";
    const char *notes[2] = {"group therapy on coping", "group therapy on coping"};
    bh_notes_compare_opts opts = {NULL, 0, 0.5, note_pair, NULL};
    bh_error err;
    size_t added = 0;
    int called = 0;
    const bh_mue_edit *e;
    expect(bh_ncci_load_mue(n, row, strlen(row), NULL, &added, &err) == BH_OK && added == 1,
           "bh_ncci_load_mue takes NULL options");
    e = bh_ncci_find_mue(n, "90853", 19990101);
    expect(e != NULL && e->value == 4 && e->from == 0 &&
               strcmp(e->source, "CMS NCCI practitioner MUE file") == 0,
           "NULL options: in effect on every date, the default source");
    bh_ncci_free(n);
    expect(bh_notes_compare(notes, 2, NULL) == BH_ERR_ARG, "bh_notes_compare refuses NULL options");
    opts.found = NULL;
    expect(bh_notes_compare(notes, 2, &opts) == BH_ERR_ARG,
           "bh_notes_compare refuses options without a callback");
    opts.found = note_pair;
    opts.ctx = &called;
    expect(bh_notes_compare(notes, 2, &opts) == BH_OK && called == 1,
           "bh_notes_compare reports a pair through the options' callback");
}

/* {=== messages that said the wrong thing === */

static void test_messages(void) {
    bh_claim *c = bh_claim_new();
    bh_report *r = bh_report_new();
    const bh_finding *f;
    const char *dx =
        CLAIM_HEAD "\"diagnoses\":[\"296.32\",\"\",\"F3.31\"],\"lines\":[{\"code\":\"90853\","
        "\"units\":1,\"charge\":\"45.00\",\"date\":\"2026-03-02\",\"dx_pointers\":[1]}]}";
    char *old_birth;
    expect(parse(c, r, dx) == BH_OK && bh_claim_check(c, NULL, r) == BH_OK,
           "claim with odd diagnoses checks");
    f = find_rule(r, "code.icd10.invalid", "diagnoses[1]");
    expect(f != NULL && contains(f->message, "\"296.32\"") && contains(f->message, "ICD-9"),
           "an ICD-9-shaped diagnosis is named and called ICD-9-shaped");
    f = find_rule(r, "code.icd10.invalid", "diagnoses[2]");
    expect(f != NULL && contains(f->message, "empty") && f->message[0] != ' ',
           "an empty diagnosis is called empty");
    f = find_rule(r, "code.icd10.invalid", "diagnoses[3]");
    expect(f != NULL && contains(f->message, "\"F3.31\""), "a misshapen code is quoted");

    old_birth = replace(dx, "1980-04-01", "1300-01-01");
    expect(parse(c, r, old_birth) == BH_OK, "claim with a birth date in 1300 parses");
    f = find_rule(r, "date.invalid", "subscriber.birth_date");
    expect(f != NULL && contains(f->message, "1800-01-01 to 2999-12-31") &&
           !contains(f->message, "real calendar"), "1300-01-01 is out of range, not unreal");
    free(old_birth);
    old_birth = replace(dx, "1980-04-01", "1980-02-30");
    expect(parse(c, r, old_birth) == BH_OK &&
           (f = find_rule(r, "date.invalid", "subscriber.birth_date")) != NULL &&
           contains(f->message, "not a real calendar date"), "1980-02-30 is not a real date");
    free(old_birth);
    bh_report_free(r);
    bh_claim_free(c);
}

static void test_export_date_message(void) {
    size_t len;
    char *base = read_file("examples/claims/clean_medicare.json", &len), *bad;
    bh_claim *c = bh_claim_new();
    bh_report *r = bh_report_new();
    const bh_claim *list[1];
    bh_x12_options o;
    bh_buffer out;
    bh_error err;
    if (base == NULL) {
        expect(0, "examples/claims/clean_medicare.json readable");
        return;
    }
    bad = replace(base, "\"date\": \"2026-04-07\"", "\"date\": \"2026-02-30\"");
    expect(bad != NULL && parse(c, r, bad) == BH_OK, "claim with line date 2026-02-30 parses");
    bh_x12_options_default(&o);
    o.sender_id = "BHCLINIC";
    o.receiver_id = "RECEIVER01";
    o.submitter_name = "Riverside";
    o.submitter_id = "BH12345";
    o.contact_phone = "5035550100";
    o.receiver_name = "Clearinghouse";
    o.receiver_id_1000b = "CH001";
    o.date = 20260302;
    o.time = 930;
    list[0] = c;
    bh_buffer_init(&out);
    expect(bh_x12_write_837p(list, 1, &o, &out, &err) == BH_ERR_ARG &&
           contains(err.message, "lines[1].date is not a real calendar date") &&
           !contains(err.message, "missing"),
           "837P export calls 2026-02-30 not a real calendar date, not missing");
    bh_buffer_free(&out);
    free(bad);
    free(base);
    bh_report_free(r);
    bh_claim_free(c);
}

/* Writes one claim with test options; returns the status. */
static bh_status write_one(const bh_claim *c, bh_error *err) {
    const bh_claim *list[1];
    bh_x12_options o;
    bh_buffer out;
    bh_status st;
    bh_x12_options_default(&o);
    o.sender_id = "BHCLINIC";
    o.receiver_id = "RECEIVER01";
    o.submitter_name = "Riverside";
    o.submitter_id = "BH12345";
    o.contact_phone = "5035550100";
    o.receiver_name = "Clearinghouse";
    o.receiver_id_1000b = "CH001";
    o.date = 20260302;
    o.time = 930;
    list[0] = c;
    bh_buffer_init(&out);
    st = bh_x12_write_837p(list, 1, &o, &out, err);
    bh_buffer_free(&out);
    return st;
}

static void test_export_zip(void) {
    size_t len;
    char *base = read_file("examples/claims/clean_medicare.json", &len), *bad;
    bh_claim *c = bh_claim_new();
    bh_report *r = bh_report_new();
    bh_error err;
    if (base == NULL) {
        expect(0, "examples/claims/clean_medicare.json readable");
        return;
    }
    expect(parse(c, r, base) == BH_OK && write_one(c, &err) == BH_OK,
           "the clean claim exports");
    bad = replace(base, "\"zip\": \"43215-4101\"", "\"zip\": \"43215-1234-5678-9012-3456\"");
    expect(bad != NULL && parse(c, r, bad) == BH_OK && write_one(c, &err) == BH_ERR_ARG &&
           contains(err.message, "billing_provider.address.zip"),
           "a ZIP of more than 15 digits is refused, not cut");
    free(bad);
    free(base);
    bh_report_free(r);
    bh_claim_free(c);
}

static void test_long_credential(void) {
    static const bh_credential accepted[] = {{.credential = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDE"}};
    bh_claim *c = bh_claim_new();
    bh_report *r = bh_report_new();
    bh_profile p;
    bh_check_options opt;
    const char *json =
        CLAIM_HEAD "\"rendering_provider\":{\"name\":\"Doe\",\"npi\":\"1245319599\","
        "\"credential\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ\"},\"diagnoses\":[\"F33.1\"],"
        "\"lines\":[{\"code\":\"90853\",\"units\":1,\"charge\":\"45.00\","
        "\"date\":\"2026-03-02\",\"dx_pointers\":[1]}]}";
    memset(&p, 0, sizeof p);
    p.name = "test";
    p.min_participants.value = p.max_participants.value = p.min_minutes.value = -1;
    p.min_share_percent.value = p.doc_min_chars.value = -1;
    p.credentials = accepted;
    p.n_credentials = 1;
    memset(&opt, 0, sizeof opt);
    opt.profile = &p;
    expect(parse(c, r, json) == BH_OK && bh_claim_check(c, &opt, r) == BH_OK &&
           find_rule(r, "provider.credential", NULL) != NULL,
           "a credential longer than the buffer matches nothing (no match on a cut)");
    bh_report_free(r);
    bh_claim_free(c);
}

static void test_derive_unknown_code(void) {
    bh_telehealth_query q;
    bh_telehealth_answer a;
    memset(&q, 0, sizeof q);
    q.date = 20260302;
    q.payer = BH_PAYER_MEDICARE;
    q.modality = BH_MODALITY_VIDEO;
    q.patient_location = BH_LOCATION_HOME;
    q.code = "ABC";
    expect(bh_telehealth_derive(&q, &a) == BH_ERR_ARG, "derive refuses the malformed code ABC");
    q.code = "00000";
    expect(bh_telehealth_derive(&q, &a) == BH_ERR_ARG,
           "derive refuses a well-formed code the catalogue does not hold");
    q.code = "90853";
    expect(bh_telehealth_derive(&q, &a) == BH_OK && a.known, "derive answers for 90853");
}

int main(void) {
    test_repeated_keys();
    test_unterminated();
    test_json_ranges();
    test_x12_ranges();
    test_x12_nul_and_width();
    test_ncci_empty();
    test_null_opts();
    test_messages();
    test_export_date_message();
    test_export_zip();
    test_long_credential();
    test_derive_unknown_code();
    return tap_done();
}
