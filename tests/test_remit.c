/*
** test_remit.c: tests of the 835 and acknowledgement readers (bhclaim.h,
** "Answers"), no Lua. Prints TAP and exits 1 on any failure. Reads
** spec/fixtures/x12-samples/.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bhclaim.h"
#include "tap.h"

#ifndef SAMPLES
#define SAMPLES "spec/fixtures/x12-samples/"
#endif

static int streq(const char *a, const char *b) {
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static char *slurp(const char *name, size_t *len) {
    char path[512];
    FILE *f;
    char *buf;
    long n;
    snprintf(path, sizeof path, "%s%s", SAMPLES, name);
    f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* Reads every 835 sample to the end; counts claims and sets. */
static void test_every_835(void) {
    static const char *const names[] = {
        "835_databricks_no_cas.txt", "835_databricks_plb.txt", "835_databricks_sample.txt",
        "835_databricks_services.txt", "835_edi835parser_bcbsnc_st_only.txt",
        "835_edi835parser_emedny.txt", "835_edi835parser_uhc_legacy.txt",
        "835_lfh_cob_contractual_adj.835", "835_lfh_managed_care.835",
        "835_lfh_medicare_part_a.835", "835_lfh_secondary_payment.835",
        "835_lfh_tertiary_payment.835", "835_pyx12_mult_loops.txt"
    };
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len, claims = 0, counted = 0;
        char *text = slurp(names[i], &len);
        char label[160];
        bh_error err;
        bh_remit_reader *r = text ? bh_remit_reader_new(text, len, &err) : NULL;
        const bh_rm_claim *c;
        const bh_rm_set *s;
        int rc = -1;
        if (r != NULL)
            while ((rc = bh_remit_reader_next(r, &c, &s, &err)) > 0) {
                if (rc == BH_RM_CLAIM) claims++;
                else counted += s->n_claims;
            }
        snprintf(label, sizeof label, "%s reads to the end (%s)", names[i],
                 rc == 0 ? "ok" : err.message);
        expect(rc == 0 && claims > 0 && claims == counted, label);
        bh_remit_reader_free(r);
        free(text);
    }
}

static void test_medicare_part_a(void) {
    size_t len;
    char *text = slurp("835_lfh_medicare_part_a.835", &len);
    bh_error err;
    bh_remit_reader *r = bh_remit_reader_new(text, len, &err);
    const bh_rm_claim *c;
    const bh_rm_set *s;
    int rc = bh_remit_reader_next(r, &c, &s, &err);
    expect(rc == BH_RM_CLAIM && streq(c->claim_id, "666123") && streq(c->charge, "211366.97") &&
               streq(c->paid, "138018.40") && c->patient_responsibility == NULL &&
               streq(c->filing_indicator, "MA") && streq(c->frequency, "1"),
           "Part A: CLP fields, two decimals, absent is NULL");
    expect(c->adjustments.n == 1 && streq(c->adjustments.items[0].group, "CO") &&
               streq(c->adjustments.items[0].reason, "45") &&
               streq(c->adjustments.items[0].amount, "73348.57"),
           "Part A: claim CAS triplet");
    expect(c->has_inpatient && streq(c->inpatient.v[4], "138018.40") &&
               streq(c->inpatient.v[1], "0"),
           "Part A: MIA by position");
    expect(streq(c->patient.last, "JONES") && streq(c->patient.id, "666666666A") &&
               streq(c->statement_from, "2002-08-16"),
           "Part A: patient and statement dates");
    expect(streq(s->amount, "150000.00") && streq(s->payment_date, "2002-09-13") &&
               streq(s->trace_number, "12345") && s->headers.n == 1 &&
               streq(s->headers.items[0].summary.v[5], "211366.97"),
           "Part A: the set so far (BPR, TRN, LX/TS3)");
    rc = bh_remit_reader_next(r, &c, &s, &err);
    expect(rc == BH_RM_CLAIM && streq(c->outpatient.v[3], "MA02") &&
               streq(c->header_number, "130212"),
           "Part A: second claim, MOA remark, its LX");
    rc = bh_remit_reader_next(r, &c, &s, &err);
    expect(rc == BH_RM_SET_END && c == NULL && s->n_claims == 2 &&
               s->provider_adjustments.n == 1 &&
               streq(s->provider_adjustments.items[0].adjustments.items[0].reason, "CV") &&
               streq(s->provider_adjustments.items[0].adjustments.items[0].amount, "-1.27"),
           "Part A: set end with PLB");
    expect(bh_remit_reader_next(r, &c, &s, &err) == BH_RM_END, "Part A: then the end");
    bh_remit_reader_free(r);
    free(text);
}

static void test_component_separator(void) {
    size_t len;
    char *text = slurp("835_edi835parser_uhc_legacy.txt", &len);
    bh_error err;
    bh_remit_reader *r = bh_remit_reader_new(text, len, &err);
    const bh_rm_claim *c;
    const bh_rm_set *s;
    int rc = bh_remit_reader_next(r, &c, &s, &err);
    expect(rc == BH_RM_CLAIM && c->lines.n == 2 && streq(c->lines.items[0].code, "B4152") &&
               streq(c->lines.items[0].code_qualifier, "HC") &&
               streq(c->lines.items[0].control_number, "800941258001") &&
               streq(c->lines.items[1].adjustments.items[1].amount, "79.60"),
           "'>' component separator: SVC01 split, REF*6R, line CAS");
    bh_remit_reader_free(r);
    free(text);
}

/* Reads text of len bytes to the end; the error message, "" when read. */
static int remit_error_n(const char *text, size_t len, char *message, size_t size) {
    bh_error err;
    bh_remit_reader *r = bh_remit_reader_new(text, len, &err);
    const bh_rm_claim *c;
    const bh_rm_set *s;
    int rc = -1;
    if (r != NULL)
        while ((rc = bh_remit_reader_next(r, &c, &s, &err)) > 0) continue;
    snprintf(message, size, "%s", rc < 0 ? err.message : "");
    bh_remit_reader_free(r);
    return rc;
}

static int remit_error(const char *text, char *message, size_t size) {
    return remit_error_n(text, strlen(text), message, size);
}

static void test_malformed(void) {
    char msg[200];
    static const char *const head =
        "ST*835*1~BPR*I*10*C*CHK************20240101~TRN*1*9*1~N1*PR*P~N1*PE*Q*XX*1~";
    char text[600];
    snprintf(text, sizeof text, "%sCLP*A*1*12345678901234567890*0**MC*X~SE*7*1~", head);
    expect(remit_error(text, msg, sizeof msg) < 0 &&
               strstr(msg, "segment 6 (CLP): CLP03 is not an amount") == msg,
           "20-digit CLP amount fails naming the segment");
    snprintf(text, sizeof text, "%sCLP*A*1*10*0**MC*X~CAS*CO*45~SE*8*1~", head);
    expect(remit_error(text, msg, sizeof msg) < 0 && strstr(msg, "segment 7 (CAS)") == msg,
           "CAS without amount fails");
    snprintf(text, sizeof text, "%sCLP*A*1*10*0**MC*X~", head);
    expect(remit_error(text, msg, sizeof msg) < 0 && strstr(msg, "ends before SE") != NULL,
           "missing SE fails");
    snprintf(text, sizeof text, "%sCLP*A*1*10*0**MC*X~SE*7", head);
    expect(remit_error(text, msg, sizeof msg) < 0 && strstr(msg, "segment 7 (SE): no segment terminator") == msg,
           "truncated segment fails");
    snprintf(text, sizeof text, "%sCLP*A*1*10*0**MC*X~SE*7*1~", head);
    expect(remit_error(text, msg, sizeof msg) == 0, "the minimal set reads");
    expect(remit_error("", msg, sizeof msg) < 0 && strstr(msg, "empty") != NULL,
           "empty data fails");
}

/* What the answer readers share (x12_seg.c): the argument errors of their
** set-up, and the segment cutting they ask of the shared tokenizer (blanks
** between segments skipped, a NUL byte refused). */
static void test_shared_set_up(void) {
    static const char set[] =
        "ST*835*1~BPR*I*10*C*CHK************20240101~TRN*1*9*1~N1*PR*P~N1*PE*Q*XX*1~"
        "CLP*A*1*10*0**MC*X~SE*7*1~";
    char text[400], msg[200];
    const bh_rm_claim *c;
    const bh_rm_set *st;
    const bh_ack *a;
    bh_error err;
    size_t i, n = 0;
    expect(bh_remit_reader_new(NULL, 0, &err) == NULL && err.code == BH_ERR_ARG &&
               streq(err.id, "x12.arg") && streq(err.message, "NULL data"),
           "835 reader: NULL data is BH_ERR_ARG");
    expect(bh_ack_reader_new(NULL, 0, &err) == NULL && err.code == BH_ERR_ARG &&
               streq(err.message, "NULL data"),
           "ack reader: NULL data is BH_ERR_ARG");
    expect(bh_remit_reader_next(NULL, &c, &st, &err) == -1 && err.code == BH_ERR_ARG &&
               streq(err.message, "NULL reader"),
           "835 reader: a NULL reader is BH_ERR_ARG");
    expect(bh_ack_reader_next(NULL, &a, &err) == -1 && err.code == BH_ERR_ARG &&
               streq(err.message, "NULL reader"),
           "ack reader: a NULL reader is BH_ERR_ARG");
    expect(bh_ack_reader_new("GS*HC~", 6, &err) == NULL && err.code == BH_ERR_SYNTAX &&
               streq(err.message, "segment 1: the data starts with neither ISA nor ST"),
           "ack reader: data that is not X12 is refused at set-up");
    for (i = 0; set[i] != '\0' && n + 5 < sizeof text; i++) {
        text[n++] = set[i];
        if (set[i] == '~') {
            memcpy(text + n, " \t\r\n", 4);
            n += 4;
        }
    }
    expect(remit_error_n(text, n, msg, sizeof msg) == 0,
           "835 reader: spaces, tabs and line breaks between segments are skipped");
    memcpy(text, set, sizeof set);
    text[28] = '\0';   /* inside BPR */
    expect(remit_error_n(text, sizeof set - 1, msg, sizeof msg) < 0 &&
               streq(msg, "segment 2 (BPR): a NUL byte inside the segment"),
           "835 reader: a NUL byte inside a segment is refused naming it");
}

static void test_acks(void) {
    size_t len;
    char *text = slurp("999_imsweb_rejected.txt", &len);
    bh_error err;
    bh_ack_reader *r = bh_ack_reader_new(text, len, &err);
    const bh_ack *a;
    int rc = bh_ack_reader_next(r, &a, &err);
    expect(rc == 1 && streq(a->kind, "999") && a->sets.n == 1 &&
               streq(a->sets.items[0].status, "R") && streq(a->sets.items[0].codes[0], "5") &&
               a->sets.items[0].errors.n == 1 &&
               streq(a->sets.items[0].errors.items[0].segment_id, "NM") &&
               streq(a->sets.items[0].errors.items[0].position, "17") &&
               streq(a->group_status, "R") && streq(a->sets_accepted, "0"),
           "999 rejected: AK2, IK3, IK5, AK9");
    expect(bh_ack_reader_next(r, &a, &err) == 0, "999: then the end");
    bh_ack_reader_free(r);
    free(text);

    text = slurp("ta1_uhin_4010.edi", &len);
    r = bh_ack_reader_new(text, len, &err);
    rc = bh_ack_reader_next(r, &a, &err);
    expect(rc == 1 && streq(a->kind, "TA1") && streq(a->status, "R") &&
               streq(a->note_code, "024") && streq(a->interchange.version, "00401"),
           "TA1 in a 4010, non-fixed-width ISA");
    bh_ack_reader_free(r);
    free(text);

    text = slurp("277ca_imsweb_rejected.txt", &len);
    r = bh_ack_reader_new(text, len, &err);
    rc = bh_ack_reader_next(r, &a, &err);
    expect(rc == 1 && streq(a->kind, "277CA") && a->levels.n == 4 &&
               streq(a->levels.items[3].level, "PT") &&
               streq(a->levels.items[3].status.items[0].category[0], "A7") &&
               streq(a->levels.items[3].status.items[0].code[0], "562") &&
               streq(a->levels.items[3].status.items[0].amount, "199.14") &&
               streq(a->levels.items[3].trace_number, "3920394930203"),
           "277CA rejected: '|' component separator, STC, TRN");
    bh_ack_reader_free(r);
    free(text);
}

/* {--- seeded mutations: every sample, bytes flipped, cut, repeated --- */

static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned rng(unsigned n) {
    rng_state ^= rng_state << 13;   /* xorshift64: the same rounds on every run */
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static size_t mutate(const char *seed, size_t len, char *out) {
    static const char pool[] = "*~:>^|\n0123456789.-ABCDEFGHIJKLMNOPQRSTUVWXYZ \r";
    size_t n = len, i;
    int k, edits = 1 + (int)rng(4);
    memcpy(out, seed, len);
    for (k = 0; k < edits && n > 1; k++) {
        size_t at = rng((unsigned)n);
        switch (rng(4)) {
        case 0: out[at] = pool[rng(sizeof pool - 1)]; break;
        case 1: n = at + 1; break;                                   /* cut */
        case 2: memmove(out + at, out + at + 1, n - at - 1); n--; break; /* delete */
        default:                                                    /* insert */
            if (n < len * 2) {
                memmove(out + at + 1, out + at, n - at);
                out[at] = pool[rng(sizeof pool - 1)];
                n++;
            }
        }
    }
    for (i = 0; i < n; i++)
        if (out[i] == '\0') out[i] = '*';
    return n;
}

/* Returns 1 when the readers ended with a defined status: 0, or -1 with a
** message. */
static int survives(const char *text, size_t len) {
    bh_error err;
    int rc = 0;
    bh_remit_reader *r = bh_remit_reader_new(text, len, &err);
    bh_ack_reader *a;
    const bh_rm_claim *c;
    const bh_rm_set *s;
    const bh_ack *ack;
    if (r != NULL) {
        while ((rc = bh_remit_reader_next(r, &c, &s, &err)) > 0) continue;
        bh_remit_reader_free(r);
    }
    if (rc < 0 && err.message[0] == '\0') return 0;
    a = bh_ack_reader_new(text, len, &err);
    rc = 0;
    if (a != NULL) {
        while ((rc = bh_ack_reader_next(a, &ack, &err)) > 0) continue;
        bh_ack_reader_free(a);
    }
    return !(rc < 0 && err.message[0] == '\0');
}

static void test_mutations(void) {
    static const char *const seeds[] = {
        "835_lfh_medicare_part_a.835", "835_edi835parser_uhc_legacy.txt",
        "835_edi835parser_bcbsnc_st_only.txt", "835_databricks_plb.txt",
        "999_imsweb_rejected.txt", "ta1_uhin_4010.edi", "277ca_imsweb_rejected.txt"
    };
    size_t i;
    for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        size_t len, round, bad = 0;
        char *seed = slurp(seeds[i], &len);
        char *buf = seed ? malloc(len * 2 + 8) : NULL;
        char label[160];
        for (round = 0; buf != NULL && round < 3000; round++)
            if (!survives(buf, mutate(seed, len, buf))) bad++;
        snprintf(label, sizeof label, "3000 mutations of %s end with a defined status", seeds[i]);
        expect(buf != NULL && bad == 0, label);
        free(buf);
        free(seed);
    }
}

int main(void) {
    test_every_835();
    test_medicare_part_a();
    test_component_separator();
    test_malformed();
    test_shared_set_up();
    test_acks();
    test_mutations();
    return tap_done();
}
