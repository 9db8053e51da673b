/*
** json.c: any JSON text read whole into values the caller walks
** (bh_json_parse), for callers that want every value, such as the Lua
** binding's decode. A text is accepted or refused by the claim reader
** (claim_json.c), so check and decode give one verdict and one message for
** the same text; cJSON then only builds the values of an accepted text,
** and stays inside this file: callers see the opaque bh_json types.
** Core layer: no Lua headers. cJSON keeps one process-wide "last error"
** position that each parse overwrites; this file never reads it.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "core.h"

struct bh_json {
    cJSON *root;
};

/* A bh_json_value is a cJSON item; the type is never defined, only cast. */
static const cJSON *item(const bh_json_value *v) {
    return (const cJSON *)(const void *)v;
}

static const bh_json_value *value(const cJSON *c) {
    return (const bh_json_value *)(const void *)c;
}

static void set_nomem(bh_error *err) {
    if (err == NULL) return;
    memset(err, 0, sizeof *err);
    err->code = BH_ERR_NOMEM;
    snprintf(err->id, sizeof err->id, "%s", "nomem");
    snprintf(err->message, sizeof err->message, "%s", "out of memory");
}

/* The claim reader's verdict on the text: BH_OK or its error. */
static bh_status reader_verdict(const char *json, size_t len, bh_error *err) {
    bh_claim *claim = bh_claim_new();
    bh_report *report = bh_report_new();
    bh_status st = BH_ERR_NOMEM;
    if (claim != NULL && report != NULL) st = bh_claim_parse_json(claim, json, len, report, err);
    else set_nomem(err);
    bh_claim_free(claim);
    bh_report_free(report);
    return st;
}

bh_json *bh_json_parse(const char *json, size_t len, bh_error *err) {
    bh_json *out;
    if (err != NULL) memset(err, 0, sizeof *err);
    if (reader_verdict(json, len, err) != BH_OK) return NULL;
    out = malloc(sizeof *out);
    /* The reader has accepted the text (no NUL, depth within the limit,
    ** nothing after the value), so cJSON fails here only for memory. */
    if (out == NULL || (out->root = cJSON_ParseWithLength(json, len)) == NULL) {
        free(out);
        set_nomem(err);
        return NULL;
    }
    return out;
}

void bh_json_free(bh_json *json) {
    if (json == NULL) return;
    cJSON_Delete(json->root);
    free(json);
}

const bh_json_value *bh_json_root(const bh_json *json) {
    return value(json->root);
}

bh_json_kind bh_json_kind_of(const bh_json_value *v) {
    const cJSON *c = item(v);
    if (cJSON_IsObject(c)) return BH_JSON_OBJECT;
    if (cJSON_IsArray(c)) return BH_JSON_ARRAY;
    if (cJSON_IsString(c)) return BH_JSON_STRING;
    if (cJSON_IsNumber(c)) return BH_JSON_NUMBER;
    if (cJSON_IsTrue(c)) return BH_JSON_TRUE;
    if (cJSON_IsFalse(c)) return BH_JSON_FALSE;
    return BH_JSON_NULL;
}

const bh_json_value *bh_json_first(const bh_json_value *v) {
    const cJSON *c = item(v);
    return cJSON_IsObject(c) || cJSON_IsArray(c) ? value(c->child) : NULL;
}

const bh_json_value *bh_json_next(const bh_json_value *v) {
    return value(item(v)->next);
}

int bh_json_count(const bh_json_value *v) {
    const cJSON *c = item(v);
    return cJSON_IsObject(c) || cJSON_IsArray(c) ? cJSON_GetArraySize(c) : 0;
}

const char *bh_json_key(const bh_json_value *v) {
    return item(v)->string;
}

const char *bh_json_string(const bh_json_value *v) {
    const cJSON *c = item(v);
    return cJSON_IsString(c) ? c->valuestring : NULL;
}

double bh_json_number(const bh_json_value *v) {
    const cJSON *c = item(v);
    return cJSON_IsNumber(c) ? c->valuedouble : 0;
}
