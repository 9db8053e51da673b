/*
** test_x12.c: tests of the X12 837P writer and reader (csrc/x12_write.c, csrc/x12_read.c), no Lua.
** Prints TAP ("ok N - name" / "not ok N - name", then "1..N") and exits 1 on
** any failure. Reads spec/fixtures/x12/ and /work/shared/x12-samples/.
** SPDX-License-Identifier: MIT
*/
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bhclaim.h"
#include "tap.h"

#ifndef FIXTURES
#define FIXTURES "spec/fixtures/x12/"
#endif
#ifndef SAMPLES
#define SAMPLES "spec/fixtures/x12-samples/"
#endif

static int streq(const char *a, const char *b) {
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
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
    *len = (size_t)n;
    return buf;
}

/* {=== building claims in C === */

static const char *S(bh_claim *c, const char *s) {
    return bh_claim_strdup(c, s, strlen(s));
}

/* A service line to add: mods holds two-letter modifiers run together
** ("95GT"; NULL: none), ptrs the diagnosis pointers as digits ("12"). */
typedef struct line_spec {
    const char *code;
    const char *mods;
    int64_t charge;             /* cents */
    double units;
    bh_date date;
    const char *ptrs;
} line_spec;

static void add_line(bh_claim *c, const line_spec *spec) {
    bh_line *l = &c->lines[c->n_lines++];
    const char *mods = spec->mods, *ptrs = spec->ptrs;
    char m[3] = {0, 0, 0};
    l->code = S(c, spec->code);
    l->code_state = BH_FIELD_OK;
    for (; mods != NULL && mods[0] && mods[1]; mods += 2) {
        m[0] = mods[0];
        m[1] = mods[1];
        l->modifiers[l->n_modifiers++] = S(c, m);
    }
    l->charge = spec->charge;
    l->charge_state = BH_FIELD_OK;
    l->units = spec->units;
    l->units_state = BH_FIELD_OK;
    l->date = spec->date;
    l->date_state = BH_FIELD_OK;
    for (; *ptrs; ptrs++) l->dx_pointers[l->n_dx_pointers++] = *ptrs - '0';
    l->dx_pointers_state = BH_FIELD_OK;
}

static void set_billing(bh_claim *c) {
    bh_provider *p = &c->billing_provider;
    p->state = BH_FIELD_OK;
    p->name.last = S(c, "Riverside Behavioral Health");
    p->npi = S(c, "1245319599");
    p->tin = S(c, "12-3456789");
    p->taxonomy = S(c, "261QM0801X");
    p->address.line1 = S(c, "100 Main St");
    p->address.city = S(c, "Portland");
    p->address.state = S(c, "OR");
    p->address.zip = S(c, "97204-1234");
}

/* Claim A: Medicare group psychotherapy, the subscriber is the patient. */
static void build_a(bh_claim *c) {
    bh_claim_reset(c);
    c->id = S(c, "GRP-0302-A");
    set_billing(c);
    c->rendering_provider.state = BH_FIELD_OK;
    c->rendering_provider.name.last = S(c, "Smith");
    c->rendering_provider.name.first = S(c, "Anna");
    c->rendering_provider.npi = S(c, "1234567893");
    c->rendering_provider.taxonomy = S(c, "1041C0700X");
    c->subscriber.state = BH_FIELD_OK;
    c->subscriber.name.last = S(c, "Doe");
    c->subscriber.name.first = S(c, "John");
    c->subscriber.member_id = S(c, "1EG4TE5MK72");
    c->subscriber.birth_date = 19550612;
    c->subscriber.sex = S(c, "M");
    c->subscriber.relationship = S(c, "self");
    c->subscriber.address.line1 = S(c, "12 Elm St");
    c->subscriber.address.city = S(c, "Portland");
    c->subscriber.address.state = S(c, "OR");
    c->subscriber.address.zip = S(c, "97205");
    c->payer.state = BH_FIELD_OK;
    c->payer.name = S(c, "Medicare Part B");
    c->payer.id = S(c, "01112");
    c->payer.kind = BH_PAYER_MEDICARE;
    c->diagnoses[c->n_diagnoses++] = S(c, "F33.1");
    c->diagnoses[c->n_diagnoses++] = S(c, "F41.1");
    c->place_of_service = S(c, "11");
    c->prior_authorization = S(c, "PA998877");
    c->note = S(c, "Group session, 6 patients");
    add_line(c, &(line_spec){.code = "90853", .mods = "95GT", .charge = 4550, .units = 1,
                            .date = 20260302, .ptrs = "12"});
    add_line(c, &(line_spec){.code = "90785", .mods = NULL, .charge = 4500, .units = 1,
                            .date = 20260302, .ptrs = "1"});
}

/* Claim B: commercial, a child patient under the subscriber, 4 modifiers,
** three lines, one at another place of service. */
static void build_b(bh_claim *c) {
    bh_claim_reset(c);
    c->id = S(c, "CHILD-0303-B");
    set_billing(c);
    c->subscriber.state = BH_FIELD_OK;
    c->subscriber.name.last = S(c, "Roe");
    c->subscriber.name.first = S(c, "Mary");
    c->subscriber.name.middle = S(c, "K");
    c->subscriber.member_id = S(c, "XYZ0001112");
    c->subscriber.relationship = S(c, "child");
    c->payer.state = BH_FIELD_OK;
    c->payer.name = S(c, "Acme Health");
    c->payer.id = S(c, "ACME1");
    c->payer.kind = BH_PAYER_COMMERCIAL;
    c->patient.state = BH_FIELD_OK;
    c->patient.name.last = S(c, "Roe");
    c->patient.name.first = S(c, "Timmy");
    c->patient.name.suffix = S(c, "Jr");
    c->patient.birth_date = 20120415;
    c->patient.sex = S(c, "M");
    c->patient.address.line1 = S(c, "5 Oak Ave");
    c->patient.address.line2 = S(c, "Apt 2");
    c->patient.address.city = S(c, "Salem");
    c->patient.address.state = S(c, "OR");
    c->patient.address.zip = S(c, "97301");
    c->diagnoses[c->n_diagnoses++] = S(c, "F90.2");
    c->diagnoses[c->n_diagnoses++] = S(c, "F43.10");
    c->diagnoses[c->n_diagnoses++] = S(c, "Z63.8");
    c->place_of_service = S(c, "11");
    c->frequency = S(c, "7");
    c->payer_claim_number = S(c, "PAYER-CLM-778");
    c->total_charge = 33025;
    c->total_charge_state = BH_FIELD_OK;
    add_line(c, &(line_spec){.code = "90832", .mods = "HOHQ5995", .charge = 8000, .units = 1,
                            .date = 20260303, .ptrs = "123"});
    add_line(c, &(line_spec){.code = "H0004", .mods = "HQ", .charge = 12025, .units = 2.5,
                            .date = 20260304, .ptrs = "2"});
    add_line(c, &(line_spec){.code = "90834", .mods = NULL, .charge = 13000, .units = 1,
                            .date = 20260305, .ptrs = "31"});
    c->lines[2].place_of_service = S(c, "02");
}

static void set_options(bh_x12_options *o) {
    bh_x12_options_default(o);
    o->sender_id = "BHCLINIC";
    o->receiver_id = "RECEIVER01";
    o->submitter_name = "Riverside Behavioral Health";
    o->submitter_id = "BH12345";
    o->contact_name = "Jane Biller";
    o->contact_phone = "5035550100";
    o->receiver_name = "Clearinghouse Inc";
    o->receiver_id_1000b = "CH001";
    o->interchange_control = 905;
    o->group_control = 7;
    o->transaction_control = 12;
    o->date = 20260302;
    o->time = 930;
}

/* {=== splitting output into segments for checks === */

#define MAX_SEGS 400
typedef struct segs {
    char *s[MAX_SEGS];
    int n;
} segs;

static void split(const bh_buffer *b, char term, segs *out, char *copy) {
    char *p = copy, *end;
    memcpy(copy, b->data, b->len);
    copy[b->len] = '\0';
    out->n = 0;
    while (*p && out->n < MAX_SEGS) {
        while (*p == '\n') p++;
        if (!*p) break;
        end = strchr(p, term);
        if (end == NULL) break;
        *end = '\0';
        out->s[out->n++] = p;
        p = end + 1;
    }
}

static int has_seg(const segs *g, const char *want) {
    int i;
    for (i = 0; i < g->n; i++)
        if (strcmp(g->s[i], want) == 0) return 1;
    return 0;
}

static int find_seg(const segs *g, const char *prefix) {
    int i;
    for (i = 0; i < g->n; i++)
        if (strncmp(g->s[i], prefix, strlen(prefix)) == 0) return i;
    return -1;
}

static void test_buffer(void) {
    bh_buffer b;
    int i, ok = 1;
    bh_buffer_init(&b);
    for (i = 0; i < 1000; i++) ok &= bh_buffer_append(&b, "0123456789", 10) == BH_OK;
    expect(ok && b.len == 10000 && b.cap >= 10001 && b.data[b.len] == '\0', "buffer grows");
    bh_buffer_free(&b);
    bh_buffer_free(&b);
    bh_buffer_free(NULL);
    expect(b.data == NULL && b.len == 0, "buffer free is NULL-safe and idempotent");
}

static void test_writer(void) {
    bh_claim *a = bh_claim_new(), *b = bh_claim_new();
    const bh_claim *list[2];
    bh_x12_options o;
    bh_buffer out;
    bh_error err;
    segs g;
    char *copy;
    int i, st, se;
    char want[64];
    build_a(a);
    build_b(b);
    list[0] = a;
    list[1] = b;
    set_options(&o);
    bh_buffer_init(&out);
    expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_OK, "write two claims");
    copy = malloc(out.len + 1);
    split(&out, '~', &g, copy);
    expect(g.n > 40 && strlen(g.s[0]) == 105 && out.data[105] == '~',
           "ISA is 106 characters with its terminator");
    expect(streq(g.s[0], "ISA*00*          *00*          *ZZ*BHCLINIC       *ZZ*RECEIVER01     "
                         "*260302*0930*^*00501*000000905*0*T*:"), "ISA fields, padding, ISA13");
    expect(streq(g.s[1], "GS*HC*BHCLINIC*RECEIVER01*20260302*0930*7*X*005010X222A1"), "GS");
    expect(streq(g.s[2], "ST*837*0012*005010X222A1"), "ST with 4-digit control");
    expect(streq(g.s[3], "BHT*0019*00*0012*20260302*0930*CH"), "BHT");
    expect(streq(g.s[4], "NM1*41*2*RIVERSIDE BEHAVIORAL HEALTH*****46*BH12345"), "1000A NM1*41");
    expect(streq(g.s[5], "PER*IC*JANE BILLER*TE*5035550100"), "1000A PER");
    expect(streq(g.s[6], "NM1*40*2*CLEARINGHOUSE INC*****46*CH001"), "1000B NM1*40");
    expect(streq(g.s[7], "HL*1**20*1"), "2000A HL");
    expect(streq(g.s[8], "PRV*BI*PXC*261QM0801X"), "2000A PRV*BI");
    expect(streq(g.s[9], "NM1*85*2*RIVERSIDE BEHAVIORAL HEALTH*****XX*1245319599"), "2010AA NM1*85");
    expect(streq(g.s[10], "N3*100 MAIN ST") && streq(g.s[11], "N4*PORTLAND*OR*972041234"),
           "2010AA N3/N4 upper case, ZIP digits");
    expect(streq(g.s[12], "REF*EI*123456789"), "REF*EI digits only");
    expect(streq(g.s[13], "HL*2*1*22*0"), "2000B HL, no child for a self claim");
    expect(streq(g.s[14], "SBR*P*18*******MB"), "SBR self, Medicare MB");
    expect(streq(g.s[15], "NM1*IL*1*DOE*JOHN****MI*1EG4TE5MK72"), "2010BA NM1*IL");
    expect(has_seg(&g, "DMG*D8*19550612*M"), "subscriber DMG");
    expect(has_seg(&g, "NM1*PR*2*MEDICARE PART B*****PI*01112"), "2010BB NM1*PR");
    expect(has_seg(&g, "CLM*GRP-0302-A*90.5***11:B:1*Y*A*Y*Y"), "CLM total from lines, 90.5");
    expect(has_seg(&g, "REF*G1*PA998877"), "REF*G1 prior auth");
    expect(has_seg(&g, "NTE*ADD*Group session, 6 patients"), "NTE*ADD keeps case");
    expect(has_seg(&g, "HI*ABK:F331*ABF:F411"), "HI codes without dot, upper case");
    expect(has_seg(&g, "NM1*82*1*SMITH*ANNA****XX*1234567893") &&
           has_seg(&g, "PRV*PE*PXC*1041C0700X"), "2310B rendering + PRV*PE");
    expect(has_seg(&g, "SV1*HC:90853:95:GT*45.5*UN*1***1:2"), "SV1 modifiers, 45.5, pointers");
    expect(has_seg(&g, "SV1*HC:90785*45*UN*1***1"), "SV1 amount 45.00 written as 45");
    expect(has_seg(&g, "DTP*472*D8*20260302"), "DTP*472");
    expect(has_seg(&g, "HL*3*1*22*1") && has_seg(&g, "SBR*P********CI"),
           "second subscriber HL with child, no SBR02");
    expect(has_seg(&g, "HL*4*3*23*0") && has_seg(&g, "PAT*19") &&
           has_seg(&g, "NM1*QC*1*ROE*TIMMY***JR") && has_seg(&g, "DMG*D8*20120415*M") &&
           has_seg(&g, "N3*5 OAK AVE*APT 2"), "2000C patient loop");
    expect(has_seg(&g, "CLM*CHILD-0303-B*330.25***11:B:7*Y*A*Y*Y"), "CLM stated total, frequency 7");
    expect(has_seg(&g, "REF*F8*PAYER-CLM-778"), "REF*F8 payer claim number for a replacement");
    expect(has_seg(&g, "SV1*HC:90832:HO:HQ:59:95*80*UN*1***1:2:3"), "four modifiers, three pointers");
    expect(has_seg(&g, "SV1*HC:H0004:HQ*120.25*UN*2.5***2"), "fractional units");
    expect(has_seg(&g, "SV1*HC:90834*130*UN*1*02**3:1"), "line POS only when it differs");
    st = find_seg(&g, "ST*");
    se = find_seg(&g, "SE*");
    snprintf(want, sizeof want, "SE*%d*0012", se - st + 1);
    expect(se > st && streq(g.s[se], want), "SE01 counts ST..SE");
    expect(streq(g.s[g.n - 2], "GE*1*7") && streq(g.s[g.n - 1], "IEA*1*000000905"), "GE and IEA");
    for (i = 0; i < g.n; i++)
        if (g.s[i][strlen(g.s[i]) - 1] == '*') break;
    expect(i == g.n, "no segment ends with an empty element");
    free(copy);

    /* text is folded, never cut or dropped */
    {
        size_t before;
        char longname[100];
        memset(longname, 'A', 70);
        longname[70] = '\0';
        a->billing_provider.name.last = S(a, "Jos\xc3\xa9 O\xe2\x80\x99" "Brien~* Clinic:^");
        b->billing_provider.name.last = a->billing_provider.name.last;
        a->subscriber.name.last = S(a, "Mu\xc3\xb1oz Pe\xc3\xb1" "a");
        a->subscriber.name.first = S(a, "Zo\xc3\xab");
        b->patient.address.line1 = S(b, "12 Rue de l'\xc3\x89glise");
        b->patient.name.first = S(b, "\xc3\x89");
        out.len = 0;
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_OK, "write with odd text");
        expect(strstr(out.data, "NM1*85*2*JOSE O'BRIEN CLINIC*****XX") != NULL,
               "accent and curly quote folded, separators become one space, upper-cased");
        expect(strstr(out.data, "NM1*IL*1*MUNOZ PENA*ZOE****MI") != NULL, "n and e folded");
        expect(strstr(out.data, "NM1*QC*1*ROE*E***JR") != NULL, "a one-letter accented name kept");
        expect(strstr(out.data, "N3*12 RUE DE L'EGLISE*APT 2") != NULL, "address folded");
        before = out.len;
        a->subscriber.address.line1 = S(a, longname);
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "subscriber.address.line1") && strstr(err.message, "55") &&
               out.len == before, "a 70-character N301 is refused, not cut");
        build_a(a);
        a->subscriber.name.first = S(a, "\xe2\x98\x83");
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "subscriber.name.first") && strstr(err.message, "byte 1"),
               "a character with no folding is refused, field named");
        build_a(a);
        a->total_charge = 1000;
        a->total_charge_state = BH_FIELD_OK;
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "total_charge"), "a total other than the lines' sum refused");
        build_a(a);
        a->diagnoses[1] = S(a, "f41.1");
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "diagnoses[2]"), "a lower-case diagnosis refused");
        build_a(a);
        a->lines[0].modifiers[0] = S(a, "gt");
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "lines[1].modifiers[1]"), "a lower-case modifier refused");
        build_a(a);
        a->billing_provider.address.zip = S(a, "97204");
        b->billing_provider.address.zip = a->billing_provider.address.zip;
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "billing_provider.address.zip"), "billing ZIP without +4 refused");
        build_a(a);
        build_b(b);
        a->subscriber.address.state = S(a, "XX");
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "subscriber.address.state"), "unknown state refused");
        build_a(a);
        a->subscriber.address.line1 = NULL;
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "subscriber.address"), "self subscriber without address refused");
        build_a(a);
        b->patient.address.line1 = NULL;
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "patient.address"), "patient without address refused");
        build_b(b);
        b->payer_claim_number = NULL;
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "payer_claim_number"), "frequency 7 without REF*F8 refused");
        build_b(b);
        b->frequency = S(b, "6");
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "frequency"), "frequency 6 refused");
        build_b(b);
        a->rendering_provider.npi = S(a, "123456789");
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "rendering_provider.npi"), "a 9-digit NPI refused");
        build_a(a);
        o.sender_id = "B";
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "GS02"), "a 1-character GS02 refused");
        set_options(&o);
        expect(out.len == before, "refusals leave the output as it was");
        a->subscriber.member_id = NULL;
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "GRP-0302-A") && strstr(err.message, "subscriber.member_id") &&
               out.len == before, "missing member id refused, claim and field named, output kept");
        build_a(a);
        a->id = S(a, "CLM*WITH*STAR");
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "id") != NULL, "identifier with a separator refused");
        build_a(a);
        a->lines[0].date = 0;
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "lines[1].date") != NULL, "missing service date refused");
        build_a(a);
        o.sender_id = NULL;
        expect(bh_x12_write_837p(list, 2, &o, &out, &err) == BH_ERR_ARG &&
               strstr(err.message, "sender_id") != NULL, "missing option named");
    }
    bh_buffer_free(&out);
    bh_claim_free(a);
    bh_claim_free(b);
}

/* Where read_all puts what it reads. */
typedef struct read_into {
    bh_claim **keep;            /* the claims, up to max, for rewriting; NULL: none kept */
    int max;
    bh_x12_options *env;        /* the envelope read; may be NULL */
    bh_x12_reader **hold;       /* the reader, still open (the envelope's strings live
                                   in it); NULL: freed */
} read_into;

/* Reads every claim of data; returns the count, or -1 with err (-2 when a
** failure does not stick). */
static int read_all(const char *data, size_t len, unsigned flags, const read_into *into,
                    bh_error *err) {
    bh_claim **keep = into->keep;
    int max = into->max;
    bh_x12_options *env = into->env;
    bh_x12_reader **hold = into->hold;
    bh_x12_reader *r = bh_x12_reader_new(data, len, err);
    bh_claim *scratch;
    int n = 0, rc;
    if (r == NULL) return -1;
    bh_x12_reader_set_flags(r, flags);
    scratch = bh_claim_new();
    for (;;) {
        bh_claim *c = n < max ? keep[n] : scratch;
        rc = bh_x12_reader_next(r, c, err);
        if (rc != 1) break;
        n++;
    }
    if (env != NULL) bh_x12_reader_envelope(r, env);
    if (rc == -1) {
        bh_error again;
        /* a failure sticks */
        if (bh_x12_reader_next(r, scratch, &again) != -1 || strcmp(again.message, err->message))
            n = -2;
        else
            n = -1;
    }
    bh_claim_free(scratch);
    if (hold != NULL) *hold = r;   /* the envelope's strings live in the reader */
    else bh_x12_reader_free(r);
    return n;
}

static void roundtrip(const bh_x12_options *o, const char *name) {
    bh_claim *a = bh_claim_new(), *b = bh_claim_new(), *keep[4];
    const bh_claim *list[4];
    bh_buffer first, second;
    bh_x12_options env;
    bh_error err;
    bh_x12_reader *reader = NULL;
    int i, n;
    char label[96];
    for (i = 0; i < 4; i++) keep[i] = bh_claim_new();
    build_a(a);
    build_b(b);
    list[0] = a;
    list[1] = b;
    bh_buffer_init(&first);
    bh_buffer_init(&second);
    bh_x12_write_837p(list, 2, o, &first, &err);
    n = read_all(first.data, first.len, 0,
                 &(read_into){.keep = keep, .max = 4, .env = &env, .hold = &reader}, &err);
    snprintf(label, sizeof label, "%s: reader reads the writer's two claims", name);
    expect(n == 2, label);
    if (n != 2) printf("# %s\n", err.message);
    list[0] = keep[0];
    list[1] = keep[1];
    snprintf(label, sizeof label, "%s: writer -> reader -> writer byte-identical", name);
    expect(n == 2 && bh_x12_write_837p(list, 2, &env, &second, &err) == BH_OK &&
           first.len == second.len && memcmp(first.data, second.data, first.len) == 0, label);
    if (n == 2) {
        const bh_claim *k = keep[1];
        snprintf(label, sizeof label, "%s: patient, modifiers, units, dates read back", name);
        expect(k->patient.state == BH_FIELD_OK && streq(k->patient.name.first, "TIMMY") &&
               streq(k->subscriber.relationship, "child") && k->lines[0].n_modifiers == 4 &&
               streq(k->lines[0].modifiers[3], "95") && k->lines[1].units == 2.5 &&
               k->lines[2].date == 20260305 && streq(k->lines[2].date_text, "2026-03-05") &&
               streq(k->lines[2].place_of_service, "02") && k->total_charge == 33025 &&
               streq(k->frequency, "7") && k->n_diagnoses == 3 && streq(k->diagnoses[2], "Z638") &&
               k->payer.kind == BH_PAYER_COMMERCIAL && keep[0]->payer.kind == BH_PAYER_MEDICARE &&
               streq(keep[0]->subscriber.relationship, "self") &&
               keep[0]->patient.state == BH_FIELD_ABSENT &&
               streq(keep[0]->billing_provider.tin, "123456789"), label);
    }
    bh_x12_reader_free(reader);
    bh_buffer_free(&first);
    bh_buffer_free(&second);
    for (i = 0; i < 4; i++) bh_claim_free(keep[i]);
    bh_claim_free(a);
    bh_claim_free(b);
}

/* Four claims: A, B twice (one 2000C shared), then A under another billing
** provider (a second 2000A). */
static void test_hl_grouping(void) {
    bh_claim *a = bh_claim_new(), *b = bh_claim_new(), *c = bh_claim_new(), *keep[4];
    const bh_claim *list[4];
    bh_x12_options o, env;
    bh_buffer first, second;
    bh_error err;
    bh_x12_reader *reader = NULL;
    const char *p;
    int i, n, hls = 0;
    for (i = 0; i < 4; i++) keep[i] = bh_claim_new();
    build_a(a);
    build_b(b);
    build_a(c);
    c->billing_provider.npi = S(c, "1234567893");
    c->id = S(c, "OTHER-BILLER");
    list[0] = a; list[1] = b; list[2] = b; list[3] = c;
    set_options(&o);
    bh_buffer_init(&first);
    bh_buffer_init(&second);
    expect(bh_x12_write_837p(list, 4, &o, &first, &err) == BH_OK, "write four claims");
    for (p = first.data; (p = strstr(p, "\nHL*")) != NULL; p++) hls++;
    expect(hls == 6 && strstr(first.data, "\nHL*5**20*1~") && strstr(first.data, "\nHL*6*5*22*0~") &&
           strstr(first.data, "\nHL*4*3*23*0~") && !strstr(first.data, "\nHL*7"),
           "HL: shared 2000C, second 2000A, parents right");
    n = read_all(first.data, first.len, 0,
                 &(read_into){.keep = keep, .max = 4, .env = &env, .hold = &reader}, &err);
    for (i = 0; i < 4 && i < n; i++) list[i] = keep[i];
    expect(n == 4 && bh_x12_write_837p(list, 4, &env, &second, &err) == BH_OK &&
           first.len == second.len && memcmp(first.data, second.data, first.len) == 0,
           "four claims: writer -> reader -> writer byte-identical");
    bh_x12_reader_free(reader);
    bh_buffer_free(&first);
    bh_buffer_free(&second);
    for (i = 0; i < 4; i++) bh_claim_free(keep[i]);
    bh_claim_free(a);
    bh_claim_free(b);
    bh_claim_free(c);
}

static void test_roundtrip(void) {
    bh_x12_options o;
    set_options(&o);
    roundtrip(&o, "default separators");
    set_options(&o);
    o.element_sep = '|';
    o.component_sep = '>';
    o.repetition_sep = '^';
    o.segment_term = '~';
    o.newline = 0;
    o.usage = 'P';
    o.version = "005010X222A2";
    roundtrip(&o, "| > ^ ~, no newlines, A2");
}

static char *fixture(const char *name, size_t *len) {
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    return slurp(path, len);
}

static void test_fixtures(void) {
    bh_claim *keep[30];
    bh_error err;
    bh_x12_options env;
    size_t len;
    char *d;
    int i, n;
    bh_x12_reader *held = NULL;
    for (i = 0; i < 30; i++) keep[i] = bh_claim_new();

    d = fixture("medicare_group_90853.837", &len);
    n = d ? read_all(d, len, 0,
                     &(read_into){.keep = keep, .max = 30, .env = &env, .hold = &held}, &err)
          : -9;
    expect(n == 1, "Medicare fixture: one claim");
    if (n == 1) {
        const bh_claim *c = keep[0];
        expect(streq(c->id, "GRP-20260302-01") && c->total_charge == 4550 &&
               streq(c->place_of_service, "11") && streq(c->frequency, "1") &&
               streq(c->prior_authorization, "PA998877") &&
               streq(c->note, "GROUP SESSION 6 PATIENTS"), "Medicare fixture: CLM, REF*G1, NTE");
        expect(c->payer.kind == BH_PAYER_MEDICARE && streq(c->payer.kind_text, "medicare") &&
               streq(c->payer.id, "01112") && streq(c->payer.name, "MEDICARE PART B"),
               "Medicare fixture: payer from SBR09 MB");
        expect(streq(c->billing_provider.npi, "1245319599") &&
               streq(c->billing_provider.taxonomy, "261QM0801X") &&
               streq(c->billing_provider.address.zip, "972041234") &&
               streq(c->rendering_provider.name.last, "SMITH") &&
               streq(c->rendering_provider.npi, "1234567893") &&
               streq(c->rendering_provider.taxonomy, "1041C0700X"), "Medicare fixture: providers");
        expect(streq(c->subscriber.member_id, "1EG4TE5MK72") && c->subscriber.birth_date == 19550612 &&
               streq(c->subscriber.birth_date_text, "1955-06-12") && streq(c->subscriber.sex, "M") &&
               streq(c->subscriber.name.middle, "Q") && streq(c->subscriber.relationship, "self") &&
               c->patient.state == BH_FIELD_ABSENT, "Medicare fixture: subscriber is the patient");
        expect(c->n_lines == 1 && streq(c->lines[0].code, "90853") && c->lines[0].charge == 4550 &&
               c->lines[0].units == 1 && c->lines[0].date == 20260302 &&
               c->lines[0].n_dx_pointers == 2 && c->lines[0].dx_pointers[1] == 2 &&
               c->n_diagnoses == 2 && streq(c->diagnoses[0], "F331"), "Medicare fixture: 90853 line");
        expect(streq(env.sender_id, "BHCLINIC") && streq(env.receiver_id, "MEDICAREMAC") &&
               env.interchange_control == 101 && env.group_control == 101 &&
               env.transaction_control == 1 && env.date == 20260302 && env.time == 930 &&
               streq(env.contact_phone, "5035550100") && streq(env.submitter_id, "BH12345") &&
               env.newline == 1 && env.usage == 'T', "Medicare fixture: envelope");
    }
    free(d);
    bh_x12_reader_free(held);
    held = NULL;

    d = fixture("medicaid_h0004_patient.837", &len);
    n = d ? read_all(d, len, 0,
                     &(read_into){.keep = keep, .max = 30, .env = &env, .hold = &held}, &err)
          : -9;
    expect(n == 1, "Medicaid fixture: one claim");
    if (n == 1) {
        const bh_claim *c = keep[0];
        expect(c->payer.kind == BH_PAYER_MEDICAID && streq(c->subscriber.relationship, "child") &&
               c->patient.state == BH_FIELD_OK && streq(c->patient.name.first, "TIMMY") &&
               c->patient.birth_date == 20120415 && streq(c->patient.address.city, "SALEM") &&
               c->subscriber.birth_date == 0, "Medicaid fixture: child patient loop");
        expect(c->n_lines == 2 && streq(c->lines[0].code, "H0004") && c->lines[0].n_modifiers == 2 &&
               streq(c->lines[0].modifiers[0], "HO") && streq(c->lines[0].modifiers[1], "HQ") &&
               c->lines[0].units == 12 && c->lines[0].charge == 30000 &&
               streq(c->lines[0].place_of_service, "11") && c->lines[0].date == 20260225 &&
               c->lines[1].date == 20260227 && c->total_charge == 60000,
               "Medicaid fixture: H0004 HO HQ, RD8 date");
        expect(streq(c->billing_provider.address.line2, "SUITE 200") && env.usage == 'P',
               "Medicaid fixture: N302, usage P");
    }
    free(d);
    bh_x12_reader_free(held);
    held = NULL;

    d = fixture("separators_pipe_no_newlines.837", &len);
    n = d ? read_all(d, len, 0,
                     &(read_into){.keep = keep, .max = 30, .env = &env, .hold = &held}, &err)
          : -9;
    expect(n == 1 && streq(keep[0]->lines[0].code, "90853") && keep[0]->lines[0].n_dx_pointers == 2 &&
           streq(keep[0]->place_of_service, "11") && env.element_sep == '|' &&
           env.component_sep == '>' && env.segment_term == '~' && env.newline == 0,
           "| > ~ separators, no line breaks");
    free(d);
    bh_x12_reader_free(held);
    held = NULL;

    d = fixture("many_claims_2gs.837", &len);
    n = d ? read_all(d, len, 0,
                     &(read_into){.keep = keep, .max = 30, .env = &env, .hold = &held}, &err)
          : -9;
    expect(n == 22, "many claims: 22 claims over 2 GS and 4 ST");
    if (n == 22) {
        int kids = 0, medicare = 0, lines = 0;
        for (i = 0; i < 22; i++) {
            kids += keep[i]->patient.state == BH_FIELD_OK;
            medicare += keep[i]->payer.kind == BH_PAYER_MEDICARE;
            lines += keep[i]->n_lines;
        }
        expect(kids == 8 && medicare == 6 && lines == 26 && streq(keep[21]->id, "C022") &&
               keep[21]->n_lines == 3 && keep[4]->payer.kind == BH_PAYER_COMMERCIAL &&
               keep[16]->payer.kind == BH_PAYER_OTHER && streq(keep[16]->payer.kind_text, "other"), "many claims: patients, payers, lines");
    }
    free(d);
    bh_x12_reader_free(held);
    held = NULL;

    {
        static const struct { const char *file, *want; } bad[] = {
            {"bad_se_count.837", "segment 30 (SE): SE01 says 27 segments, counted 28"},
            {"bad_unknown_segment.837", "segment 25 (ZZZ)"},
            {"bad_sv1_before_clm.837", "segment 21 (SV1): not allowed in loop 2010BB"},
            {"bad_truncated.837", "segment 30: the data ends before IEA"},
            {"bad_isa_not_fixed_width.837", "segment 1 (ISA)"},
        };
        for (i = 0; i < (int)(sizeof bad / sizeof bad[0]); i++) {
            char label[128];
            d = fixture(bad[i].file, &len);
            memset(&err, 0, sizeof err);
            n = d ? read_all(d, len, 0, &(read_into){.keep = keep, .max = 30}, &err) : -9;
            snprintf(label, sizeof label, "%s gives -1: %s", bad[i].file, bad[i].want);
            expect(n == -1 && strstr(err.message, bad[i].want) != NULL && err.code != BH_OK, label);
            printf("# %s -> %s (line %ld, byte %ld, %s)\n", bad[i].file, err.message, err.line,
                   err.byte, err.id);
            free(d);
        }
    }
    {
        /* Truncation at every byte never crashes or reads past the end, and
        ** never claims a clean end. */
        int all = 1;
        size_t cut;
        d = fixture("medicaid_h0004_patient.837", &len);
        for (cut = 0; d && cut < len - 2; cut++) {
            char *part = malloc(cut ? cut : 1);
            memcpy(part, d, cut);
            n = read_all(part, cut, 0, &(read_into){.keep = keep, .max = 30}, &err);
            if (n != -1) all = 0;
            free(part);
        }
        expect(d != NULL && all, "every truncation of a fixture is an error");
        free(d);
    }
    for (i = 0; i < 30; i++) bh_claim_free(keep[i]);
}

/* Expected outcome of each shared sample: claims read, and whether strict
** reading succeeds (the imsweb files carry SE01=25 whatever their size and
** HI*BK*code elements that are not composites, so they read only leniently). */
static const struct {
    const char *name;
    int claims;         /* claims read (in the mode that reads most) */
    int strict_ok;      /* 1: reads cleanly without BH_X12_LENIENT */
    int lenient_ok;     /* 1: reads cleanly with it */
} samples[] = {
    {"837p_databricks_basic.txt", 2, 1, 1},
    {"837p_databricks_cc.txt", 1, 1, 1},
    {"837p_databricks_chpw.txt", 5, 1, 1},
    {"837p_databricks_molina_mock.txt", 4, 0, 0},   /* IEA02 000001770 != ISA13 000001508 */
    {"837p_imsweb_complex.txt", 6, 0, 1},
    {"837p_imsweb_many_claims.txt", 820, 0, 1},
    {"837p_imsweb_multiple_gs.txt", 6, 0, 1},
    {"837p_imsweb_multiple_st.txt", 4, 0, 1},
    {"837p_imsweb_other_separators.txt", 2, 0, 1},
    {"837p_imsweb_valid.txt", 2, 0, 1},
    {"837p_uhin.edi", 1, 1, 1},
    {"837p_x222a2_lfh_cob_3B.837", 1, 1, 1},
    {"837p_x222a2_lfh_example1.837", 1, 1, 1},
    {"837p_x222a2_lfh_example7.837", 1, 1, 1},
};

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_samples(void) {
    DIR *dir = opendir(SAMPLES);
    struct dirent *ent;
    char *names[64];
    int n_names = 0, i, j;
    if (dir == NULL) {
        printf("# %s not found: shared samples skipped\n", SAMPLES);
        return;
    }
    while ((ent = readdir(dir)) != NULL && n_names < 64)
        if (strncmp(ent->d_name, "837p_", 5) == 0) {
            size_t k = strlen(ent->d_name) + 1;
            names[n_names] = malloc(k);
            memcpy(names[n_names++], ent->d_name, k);
        }
    closedir(dir);
    qsort(names, (size_t)n_names, sizeof names[0], cmp_names);
    expect(n_names >= 20, "shared samples found");
    for (i = 0; i < n_names; i++) {
        char path[512], label[200];
        size_t len;
        char *d;
        bh_error es, el;
        int ns, nl, invalid = strstr(names[i], "INVALID") != NULL;
        snprintf(path, sizeof path, SAMPLES "%s", names[i]);
        d = slurp(path, &len);
        memset(&es, 0, sizeof es);
        memset(&el, 0, sizeof el);
        ns = d ? read_all(d, len, 0, &(read_into){.keep = NULL}, &es) : -9;
        nl = d ? read_all(d, len, BH_X12_LENIENT, &(read_into){.keep = NULL}, &el) : -9;
        printf("# %s: strict %s%s%s; lenient %s%s\n", names[i],
               ns >= 0 ? "ok, claims " : "error: ", ns >= 0 ? "" : es.message,
               ns >= 0 ? (snprintf(label, sizeof label, "%d", ns), label) : "",
               nl >= 0 ? "ok" : "error: ", nl >= 0 ? "" : el.message);
        if (invalid) {
            snprintf(label, sizeof label, "%s: invalid sample refused, segment named", names[i]);
            expect(ns == -1 && nl == -1 && strncmp(es.message, "segment ", 8) == 0, label);
        } else {
            for (j = 0; j < (int)(sizeof samples / sizeof samples[0]); j++)
                if (strcmp(samples[j].name, names[i]) == 0) break;
            if (j == (int)(sizeof samples / sizeof samples[0])) {
                snprintf(label, sizeof label, "%s: unlisted sample read or refused cleanly", names[i]);
                expect(ns >= -1 && nl >= -1, label);
            } else {
                /* count claims by reading again, counting up to the error */
                bh_x12_reader *r = bh_x12_reader_new(d, len, NULL);
                bh_claim *c = bh_claim_new();
                int k = 0;
                bh_x12_reader_set_flags(r, BH_X12_LENIENT);
                while (bh_x12_reader_next(r, c, NULL) == 1) k++;
                bh_claim_free(c);
                bh_x12_reader_free(r);
                snprintf(label, sizeof label, "%s: %d claims, strict %s, lenient %s", names[i],
                         samples[j].claims, samples[j].strict_ok ? "ok" : "refused",
                         samples[j].lenient_ok ? "ok" : "refused");
                expect(k == samples[j].claims && (ns >= 0) == samples[j].strict_ok &&
                       (nl >= 0) == samples[j].lenient_ok &&
                       (ns >= 0 || strncmp(es.message, "segment ", 8) == 0), label);
            }
        }
        free(d);
        free(names[i]);
    }
}

/* Throughput of the reader on a large file made by the writer. Printed, not
** asserted: sanitizer builds are several times slower. */
static void test_speed(void) {
    enum { N = 20000 };
    bh_claim *a = bh_claim_new(), *b = bh_claim_new(), *c = bh_claim_new();
    const bh_claim **list = malloc(N * sizeof *list);
    bh_x12_options o;
    bh_buffer out;
    bh_error err;
    clock_t t0;
    double secs;
    int i, n = 0, rc;
    bh_x12_reader *r;
    build_a(a);
    build_b(b);
    for (i = 0; i < N; i++) list[i] = i % 3 ? a : b;
    set_options(&o);
    bh_buffer_init(&out);
    expect(bh_x12_write_837p(list, N, &o, &out, &err) == BH_OK, "write 20000 claims");
    t0 = clock();
    r = bh_x12_reader_new(out.data, out.len, &err);
    while ((rc = bh_x12_reader_next(r, c, &err)) == 1) n++;
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    expect(n == N && rc == 0, "read 20000 claims back");
    printf("# read %.1f MB in %.3f s: %.0f MB/s, %.0f claims/s (this build)\n",
           out.len / 1e6, secs, secs > 0 ? out.len / 1e6 / secs : 0.0, secs > 0 ? n / secs : 0.0);
    bh_x12_reader_free(r);
    bh_buffer_free(&out);
    free(list);
    bh_claim_free(a);
    bh_claim_free(b);
    bh_claim_free(c);
}

int main(void) {
    test_buffer();
    test_writer();
    test_roundtrip();
    test_hl_grouping();
    test_fixtures();
    test_samples();
    test_speed();
    return tap_done();
}
