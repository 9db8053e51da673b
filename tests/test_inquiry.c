/*
** test_inquiry.c: the 270/271 and 276/277 core API without Lua
** (x12_inquiry.h): reading the public samples, a truncated file and bytes
** that are not X12, NULL arguments, the code meanings, and a 270 and a 276
** written and read back. TAP output.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "x12_inquiry.h"
#include "tap.h"

/* Follows a path of object keys and array indexes ("payers", "0", ...). */
static const cJSON *at(const cJSON *v, const char *const *path) {
    for (; *path != NULL && v != NULL; path++) {
        if (cJSON_IsArray(v)) v = cJSON_GetArrayItem(v, atoi(*path));
        else v = cJSON_GetObjectItemCaseSensitive(v, *path);
    }
    return v;
}

static int str_at(const cJSON *v, const char *const *path, const char *want) {
    const cJSON *s = at(v, path);
    return cJSON_IsString(s) && strcmp(s->valuestring, want) == 0;
}

static void test_samples(void) {
    static const char *const elig[] = {"270_lfh_dependent.270", "270_lfh_subscriber.270",
                                       "271_lfh_dependent.271", "271_lfh_error.271",
                                       "271_lfh_subscriber.271"};
    static const char *const stat[] = {"276_lfh_claim_level.276", "277_lfh_claim_level.277",
                                       "277_imsweb_x212.txt", "277_lfh_provider_level.277"};
    static const char *const copay[] = {"0", "payers", "0", "receivers", "0", "subscribers",
                                        "0", "benefits", "3", "amount", NULL};
    static const char *const reason[] = {"0", "payers", "0", "receivers", "0", "errors", "0",
                                         "reason_meaning", NULL};
    static const char *const stc[] = {"0", "payers", "0", "receivers", "0", "providers", "0",
                                      "subscribers", "0", "claims", "0", "statuses", "0",
                                      "codes", "0", "category", NULL};
    char path[128], what[160];
    size_t k, len = 0;
    for (k = 0; k < 5 + 4; k++) {
        int is_elig = k < 5;
        const char *name = is_elig ? elig[k] : stat[k - 5];
        char *text;
        bh_error err;
        cJSON *sets;
        snprintf(path, sizeof path, "spec/fixtures/x12-samples/%s", name);
        text = read_file(path, &len);
        sets = text ? bh_inquiry_read(is_elig ? BH_INQ_ELIGIBILITY : BH_INQ_STATUS, text, len,
                                      &err)
                    : NULL;
        snprintf(what, sizeof what, "%s reads", name);
        expect(sets != NULL && cJSON_GetArraySize(sets) == 1, what);
        if (sets && strcmp(name, "271_lfh_subscriber.271") == 0)
            expect(str_at(sets, copay, "10.00"), "271 co-payment EB07 as 10.00");
        if (sets && strcmp(name, "271_lfh_error.271") == 0)
            expect(str_at(sets, reason, "Provider Ineligible for Inquiries"), "AAA03 50 explained");
        if (sets && strcmp(name, "277_lfh_claim_level.277") == 0)
            expect(str_at(sets, stc, "P3"), "277 STC01-1 P3");
        if (sets && len > 40) {
            /* every prefix of the file fails cleanly (or reads, when whole) */
            size_t cut;
            int clean = 1;
            for (cut = 0; cut < len; cut += 7) {
                bh_error e2;
                cJSON *part = bh_inquiry_read(is_elig ? BH_INQ_ELIGIBILITY : BH_INQ_STATUS,
                                              text, cut, &e2);
                if (part == NULL && (e2.message[0] == '\0' || e2.code == BH_OK)) clean = 0;
                cJSON_Delete(part);
            }
            snprintf(what, sizeof what, "%s: every truncation fails with a message", name);
            expect(clean, what);
        }
        cJSON_Delete(sets);
        free(text);
    }
}

static void test_bad_input(void) {
    bh_error err;
    expect(bh_inquiry_read(BH_INQ_ELIGIBILITY, NULL, 0, &err) == NULL && err.code == BH_ERR_ARG,
       "NULL data is BH_ERR_ARG");
    expect(bh_inquiry_read(BH_INQ_STATUS, "hello", 5, &err) == NULL && err.code == BH_ERR_SYNTAX,
       "text that is not X12 is BH_ERR_SYNTAX");
    expect(bh_inquiry_read(BH_INQ_STATUS, "", 0, NULL) == NULL, "empty input with err NULL");
    expect(bh_inquiry_meaning("service_type", "A6") != NULL &&
           strcmp(bh_inquiry_meaning("service_type", "A6"), "Psychotherapy") == 0,
       "service type A6 is Psychotherapy");
    expect(bh_inquiry_meaning("service_type", "Q9") == NULL && bh_inquiry_meaning(NULL, "1") == NULL,
       "unknown codes and lists have no meaning");
}

static void test_round_trip(void) {
    const char *items270 =
        "[{\"payer\":{\"name\":\"Blue Plan\",\"id\":\"BP1\"},"
        "\"provider\":{\"name\":\"Riverbend\",\"id\":\"1234567893\"},"
        "\"subscriber\":{\"last\":\"Doe\",\"first\":\"Jane\",\"member_id\":\"M1\"},"
        "\"trace\":{\"number\":\"T1\",\"originator\":\"1123456789\"},"
        "\"date\":\"2026-03-02\",\"service_types\":[\"MH\",\"A6\"]}]";
    const char *items276 =
        "[{\"payer\":{\"name\":\"Blue Plan\",\"id\":\"BP1\"},"
        "\"receiver\":{\"name\":\"Riverbend\",\"id\":\"E1\"},"
        "\"provider\":{\"name\":\"Riverbend\",\"id\":\"1234567893\"},"
        "\"subscriber\":{\"last\":\"Doe\",\"first\":\"Jane\",\"member_id\":\"M1\"},"
        "\"claim\":{\"trace\":{\"number\":\"C1\"},\"charge\":\"45.00\",\"date\":\"2026-02-16\"}}]";
    static const char *const eq[] = {"0", "payers", "0", "receivers", "0", "subscribers", "0",
                                     "inquiries", "0", "service_types", "1", NULL};
    static const char *const trn[] = {"0", "payers", "0", "receivers", "0", "providers", "0",
                                      "subscribers", "0", "claims", "0", "trace", "number",
                                      NULL};
    bh_x12_options opt;
    bh_buffer out;
    bh_error err;
    cJSON *items = cJSON_Parse(items270), *sets;
    bh_status st;
    bh_x12_options_default(&opt);
    opt.version = NULL;
    opt.sender_id = "CLINIC";
    opt.receiver_id = "PAYER";
    opt.date = 20260302;
    opt.time = 730;
    bh_buffer_init(&out);
    st = bh_inquiry_write(BH_INQ_ELIGIBILITY, items, &opt, &out, &err);
    expect(st == BH_OK, "a 270 is written");
    sets = st == BH_OK ? bh_inquiry_read(BH_INQ_ELIGIBILITY, out.data, out.len, &err) : NULL;
    expect(str_at(sets, eq, "A6"), "the 270 reads back with EQ01 MH^A6");
    cJSON_Delete(sets);
    cJSON_Delete(items);
    out.len = 0;
    items = cJSON_Parse(items276);
    st = bh_inquiry_write(BH_INQ_STATUS, items, &opt, &out, &err);
    expect(st == BH_OK, "a 276 is written");
    sets = st == BH_OK ? bh_inquiry_read(BH_INQ_STATUS, out.data, out.len, &err) : NULL;
    expect(str_at(sets, trn, "C1"), "the 276 reads back with its trace");
    cJSON_Delete(sets);
    opt.sender_id = "TOO-LONG-A-SENDER-ID";
    out.len = 0;
    st = bh_inquiry_write(BH_INQ_STATUS, items, &opt, &out, &err);
    expect(st == BH_ERR_ARG && out.len == 0 && strstr(err.message, "sender_id") != NULL,
       "a bad envelope is refused, nothing written");
    cJSON_Delete(items);
    bh_buffer_free(&out);
}

int main(void) {
    test_samples();
    test_bad_input();
    test_round_trip();
    return tap_done();
}
