/*
** json.c: reads a claim's JSON form (docs/claim-json.md) into the model.
** The only core file that sees cJSON. Every wrong type, missing required
** field or malformed value becomes a claim.schema (or date.invalid) finding
** with the field's path; nothing here raises or aborts. Core layer: no Lua.
** SPDX-License-Identifier: MIT
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "core.h"

/* Longest path we build: "lines[50].modifiers[4]" and kin fit easily. */
#define PATH_MAX_LEN 96

typedef struct loader {
    bh_claim *claim;
    bh_report *report;
    bh_status status;       /* first allocation failure, else BH_OK */
} loader;

typedef struct path {
    char text[PATH_MAX_LEN];
} path;

static void path_field(path *out, const char *prefix, const char *key) {
    if (prefix == NULL || prefix[0] == '\0') snprintf(out->text, sizeof out->text, "%s", key);
    else snprintf(out->text, sizeof out->text, "%s.%s", prefix, key);
}

static void path_index(path *out, const char *prefix, int index) {
    snprintf(out->text, sizeof out->text, "%s[%d]", prefix, index);
}

static const char *schema_hint =
    "Fix the field to match the claim's JSON form (docs/claim-json.md).";
static const char *schema_source = "bhclaim claim JSON contract";

static void schema(loader *ld, const char *where, const char *fmt, const char *a, const char *b) {
    if (bh_report_add(ld->report, "claim.schema", BH_SEV_ERROR, where, schema_hint,
                      schema_source, fmt, a, b) != BH_OK)
        ld->status = BH_ERR_NOMEM;
}

/* The JSON type of an item as a biller would read it. cJSON_Raw items come
** from the Lua binding and name a Lua value JSON cannot hold. */
static const char *type_name(const cJSON *item) {
    if (item == NULL) return "nothing";
    if (cJSON_IsString(item)) return "a string";
    if (cJSON_IsNumber(item)) return "a number";
    if (cJSON_IsBool(item)) return "a boolean";
    if (cJSON_IsNull(item)) return "null";
    if (cJSON_IsArray(item)) return "an array";
    if (cJSON_IsObject(item)) return "an object";
    if (cJSON_IsRaw(item) && item->valuestring != NULL) return item->valuestring;
    return "an unsupported value";
}

static void wrong_type(loader *ld, const char *where, const char *expected, const cJSON *item) {
    schema(ld, where, "Expected %s, found %s.", expected, type_name(item));
}

static void missing(loader *ld, const char *where) {
    schema(ld, where, "A required field is missing%s%s.", "", "");
}

/* A field that is absent or JSON null counts as not given. */
static const cJSON *field(const cJSON *obj, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return item == NULL || cJSON_IsNull(item) ? NULL : item;
}

static int has_control_char(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 1;
    return 0;
}

/* Reads an optional string field. Returns the arena copy, or NULL when the
** field is absent or unusable (then *state says which). */
static const char *read_string(loader *ld, const cJSON *obj, const char *prefix,
                               const char *key, int required, bh_field_state *state) {
    const cJSON *item = field(obj, key);
    bh_field_state dummy;
    const char *copy;
    path p;
    if (state == NULL) state = &dummy;
    *state = BH_FIELD_ABSENT;
    path_field(&p, prefix, key);
    if (item == NULL) {
        if (required) missing(ld, p.text);
        return NULL;
    }
    *state = BH_FIELD_BAD;
    if (!cJSON_IsString(item) || item->valuestring == NULL) {
        wrong_type(ld, p.text, "a string", item);
        return NULL;
    }
    if (has_control_char(item->valuestring)) {
        schema(ld, p.text, "The text holds a control character (such as a NUL byte or a "
               "line break)%s%s; it cannot be sent to a payer.", "", "");
        return NULL;
    }
    if (required && item->valuestring[0] == '\0') {
        schema(ld, p.text, "A required field is empty%s%s.", "", "");
        return NULL;
    }
    copy = bh_claim_strdup(ld->claim, item->valuestring, strlen(item->valuestring));
    if (copy == NULL) {
        ld->status = BH_ERR_NOMEM;
        return NULL;
    }
    *state = BH_FIELD_OK;
    return copy;
}

/* Reads a string that must be one of `choices` (NULL-terminated list);
** returns its index, or -1. */
static int read_choice(loader *ld, const cJSON *obj, const char *prefix, const char *key,
                       int required, const char *const *choices, const char *listed,
                       const char **text) {
    bh_field_state state;
    const char *s = read_string(ld, obj, prefix, key, required, &state);
    int i;
    if (text != NULL) *text = s;
    if (s == NULL) return -1;
    for (i = 0; choices[i] != NULL; i++)
        if (strcmp(s, choices[i]) == 0) return i;
    {
        path p;
        path_field(&p, prefix, key);
        schema(ld, p.text, "The value is not one of %s%s.", listed, "");
    }
    return -1;
}

/* Reads a date string; a malformed or impossible date is date.invalid. */
static bh_date read_date(loader *ld, const cJSON *obj, const char *prefix, const char *key,
                         int required, const char **text, bh_field_state *state) {
    bh_date date = 0;
    const char *s = read_string(ld, obj, prefix, key, required, state);
    if (text != NULL) *text = s;
    if (s == NULL) return 0;
    if (!bh_date_parse(s, strlen(s), &date)) {
        path p;
        path_field(&p, prefix, key);
        *state = BH_FIELD_BAD;
        if (bh_report_add(ld->report, "date.invalid", BH_SEV_ERROR, p.text,
                          "Write the date as YYYY-MM-DD, e.g. 2026-03-02.",
                          "ISO 8601 calendar date (claim JSON contract)",
                          "This is not a real calendar date in YYYY-MM-DD form.") != BH_OK)
            ld->status = BH_ERR_NOMEM;
        return 0;
    }
    return date;
}

/* Reads a whole number field in [lo, hi]; -1 when absent or unusable. */
static int read_int(loader *ld, const cJSON *obj, const char *prefix, const char *key,
                    int lo, int hi) {
    const cJSON *item = field(obj, key);
    path p;
    if (item == NULL) return -1;
    path_field(&p, prefix, key);
    if (!cJSON_IsNumber(item)) {
        wrong_type(ld, p.text, "a number", item);
        return -1;
    }
    if (item->valuedouble != floor(item->valuedouble) || item->valuedouble < lo ||
        item->valuedouble > hi) {
        char range[48];
        snprintf(range, sizeof range, "%d to %d", lo, hi);
        schema(ld, p.text, "Expected a whole number from %s%s.", range, "");
        return -1;
    }
    return (int)item->valuedouble;
}

/* An object field: NULL when absent; a wrong type is reported. */
static const cJSON *read_object(loader *ld, const cJSON *obj, const char *prefix,
                                const char *key, int required, bh_field_state *state) {
    const cJSON *item = field(obj, key);
    path p;
    path_field(&p, prefix, key);
    *state = BH_FIELD_ABSENT;
    if (item == NULL) {
        if (required) missing(ld, p.text);
        return NULL;
    }
    if (!cJSON_IsObject(item)) {
        *state = BH_FIELD_BAD;
        wrong_type(ld, p.text, "an object", item);
        return NULL;
    }
    *state = BH_FIELD_OK;
    return item;
}

/* An array field. A Lua table cannot tell an empty array from an empty
** object, so an empty object is taken as an empty array. */
static const cJSON *read_array(loader *ld, const cJSON *obj, const char *prefix,
                               const char *key, int required, int max,
                               bh_field_state *state) {
    const cJSON *item = field(obj, key);
    path p;
    path_field(&p, prefix, key);
    *state = BH_FIELD_ABSENT;
    if (item == NULL) {
        if (required) missing(ld, p.text);
        return NULL;
    }
    *state = BH_FIELD_BAD;
    if (cJSON_IsObject(item) && item->child == NULL) {
        if (required) schema(ld, p.text, "At least one entry is required%s%s.", "", "");
        return NULL;
    }
    if (!cJSON_IsArray(item)) {
        wrong_type(ld, p.text, "an array", item);
        return NULL;
    }
    if (required && item->child == NULL) {
        schema(ld, p.text, "At least one entry is required%s%s.", "", "");
        return NULL;
    }
    if (cJSON_GetArraySize(item) > max) {
        char limit[16];
        snprintf(limit, sizeof limit, "%d", max);
        schema(ld, p.text, "The 837P allows at most %s entries here%s.", limit, "");
        return NULL;
    }
    *state = BH_FIELD_OK;
    return item;
}

/* {====================================================================
** Blocks
** ===================================================================== */

static void read_name(loader *ld, const cJSON *obj, const char *prefix, int required,
                      bh_name *name) {
    const cJSON *item = field(obj, "name");
    path p;
    path_field(&p, prefix, "name");
    if (item == NULL) {
        if (required) missing(ld, p.text);
        return;
    }
    if (cJSON_IsString(item)) {
        name->last = read_string(ld, obj, prefix, "name", required, NULL);
        return;
    }
    if (!cJSON_IsObject(item)) {
        wrong_type(ld, p.text, "a string or an object with last and first", item);
        return;
    }
    name->last = read_string(ld, item, p.text, "last", 1, NULL);
    name->first = read_string(ld, item, p.text, "first", 0, NULL);
    name->middle = read_string(ld, item, p.text, "middle", 0, NULL);
    name->suffix = read_string(ld, item, p.text, "suffix", 0, NULL);
}

static void read_address(loader *ld, const cJSON *obj, const char *prefix, int required,
                         bh_address *addr) {
    bh_field_state state;
    path p;
    const cJSON *a = read_object(ld, obj, prefix, "address", required, &state);
    if (a == NULL) return;
    path_field(&p, prefix, "address");
    addr->line1 = read_string(ld, a, p.text, "line1", 1, NULL);
    addr->line2 = read_string(ld, a, p.text, "line2", 0, NULL);
    addr->city = read_string(ld, a, p.text, "city", 1, NULL);
    addr->state = read_string(ld, a, p.text, "state", 1, NULL);
    addr->zip = read_string(ld, a, p.text, "zip", 1, NULL);
}

static void read_provider(loader *ld, const cJSON *root, const char *key, int billing,
                          bh_provider *prov) {
    const cJSON *obj = read_object(ld, root, "", key, billing, &prov->state);
    if (obj == NULL) return;
    read_name(ld, obj, key, 1, &prov->name);
    prov->npi = read_string(ld, obj, key, "npi", 1, NULL);
    prov->tin = read_string(ld, obj, key, "tin", billing, NULL);
    prov->taxonomy = read_string(ld, obj, key, "taxonomy", 0, NULL);
    prov->credential = read_string(ld, obj, key, "credential", 0, NULL);
    read_address(ld, obj, key, billing, &prov->address);
}

static const char *const sexes[] = {"M", "F", "U", NULL};
static const char *const relationships[] = {"self", "spouse", "child", "other", NULL};

static void read_person(loader *ld, const cJSON *root, const char *key, int is_subscriber,
                        int required, bh_person *person) {
    bh_field_state date_state;
    const cJSON *obj = read_object(ld, root, "", key, required, &person->state);
    if (obj == NULL) return;
    read_name(ld, obj, key, 1, &person->name);
    person->member_id = read_string(ld, obj, key, "member_id", is_subscriber, NULL);
    person->birth_date = read_date(ld, obj, key, "birth_date", 1, &person->birth_date_text,
                                   &date_state);
    read_choice(ld, obj, key, "sex", 1, sexes, "M, F or U", &person->sex);
    if (is_subscriber)
        read_choice(ld, obj, key, "relationship", 1, relationships,
                    "self, spouse, child or other", &person->relationship);
    read_address(ld, obj, key, 0, &person->address);
}

static const char *const payer_kinds[] = {"medicare", "medicaid", "commercial", "other", NULL};

static void read_payer(loader *ld, const cJSON *root, bh_payer *payer) {
    const cJSON *obj = read_object(ld, root, "", "payer", 1, &payer->state);
    int kind;
    if (obj == NULL) return;
    payer->id = read_string(ld, obj, "payer", "id", 1, NULL);
    payer->name = read_string(ld, obj, "payer", "name", 1, NULL);
    kind = read_choice(ld, obj, "payer", "kind", 1, payer_kinds,
                       "medicare, medicaid, commercial or other", &payer->kind_text);
    payer->kind = kind < 0 ? BH_PAYER_UNKNOWN : (bh_payer_kind)(kind + 1);
}

static void read_diagnoses(loader *ld, const cJSON *root, bh_claim *claim) {
    const cJSON *arr = read_array(ld, root, "", "diagnoses", 1, BH_MAX_DIAGNOSES,
                                  &claim->diagnoses_state);
    const cJSON *item;
    int i = 0;
    if (arr == NULL) return;
    cJSON_ArrayForEach(item, arr) {
        path p;
        i++;
        path_index(&p, "diagnoses", i);
        if (!cJSON_IsString(item) || has_control_char(item->valuestring)) {
            if (cJSON_IsString(item)) schema(ld, p.text, "The code holds a control character%s%s.", "", "");
            else wrong_type(ld, p.text, "a string", item);
            claim->diagnoses[claim->n_diagnoses++] = NULL;
            continue;
        }
        claim->diagnoses[claim->n_diagnoses] =
            bh_claim_strdup(claim, item->valuestring, strlen(item->valuestring));
        if (claim->diagnoses[claim->n_diagnoses++] == NULL) ld->status = BH_ERR_NOMEM;
    }
}

/* Reads a charge given as a decimal string or a number into cents. */
static void read_charge(loader *ld, const cJSON *obj, const char *prefix, const char *key,
                        int64_t *cents, bh_field_state *state) {
    const cJSON *item = field(obj, key);
    path p;
    path_field(&p, prefix, key);
    *state = BH_FIELD_ABSENT;
    if (item == NULL) return;
    *state = BH_FIELD_BAD;
    if (cJSON_IsString(item)) {
        if (!bh_money_parse(item->valuestring, strlen(item->valuestring), cents)) {
            schema(ld, p.text, "Expected an amount such as \"45.00\" (at most two decimals)%s%s.",
                   "", "");
            return;
        }
    } else if (cJSON_IsNumber(item)) {
        double scaled = item->valuedouble * 100.0;
        /* Doubles carry amounts like 45.1 inexactly: accept what rounds to
        ** whole cents, refuse what truly has a third decimal. */
        if (!(fabs(scaled) < 1e13) || fabs(scaled - floor(scaled + 0.5)) > 1e-6) {
            schema(ld, p.text, "Expected an amount with at most two decimals%s%s.", "", "");
            return;
        }
        *cents = (int64_t)floor(scaled + 0.5);
    } else {
        wrong_type(ld, p.text, "a decimal string or a number", item);
        return;
    }
    *state = BH_FIELD_OK;
}

static void read_modifiers(loader *ld, const cJSON *obj, const char *prefix, bh_line *line) {
    bh_field_state state;
    const cJSON *arr = read_array(ld, obj, prefix, "modifiers", 0, BH_MAX_MODIFIERS, &state);
    const cJSON *item;
    path base;
    int i = 0;
    if (arr == NULL) return;
    path_field(&base, prefix, "modifiers");
    cJSON_ArrayForEach(item, arr) {
        path p;
        path_index(&p, base.text, ++i);
        if (!cJSON_IsString(item) || has_control_char(item->valuestring)) {
            wrong_type(ld, p.text, "a two-character string", item);
            line->modifiers[line->n_modifiers++] = NULL;
            continue;
        }
        line->modifiers[line->n_modifiers] =
            bh_claim_strdup(ld->claim, item->valuestring, strlen(item->valuestring));
        if (line->modifiers[line->n_modifiers++] == NULL) ld->status = BH_ERR_NOMEM;
    }
}

static void read_pointers(loader *ld, const cJSON *obj, const char *prefix, bh_line *line) {
    const cJSON *arr = read_array(ld, obj, prefix, "dx_pointers", 0, BH_MAX_POINTERS,
                                  &line->dx_pointers_state);
    const cJSON *item;
    path base;
    int i = 0;
    if (arr == NULL) return;
    path_field(&base, prefix, "dx_pointers");
    cJSON_ArrayForEach(item, arr) {
        path p;
        path_index(&p, base.text, ++i);
        if (!cJSON_IsNumber(item) || item->valuedouble != floor(item->valuedouble) ||
            item->valuedouble < -1e6 || item->valuedouble > 1e6) {
            wrong_type(ld, p.text, "a whole number", item);
            line->dx_pointers_state = BH_FIELD_BAD;
            continue;
        }
        line->dx_pointers[line->n_dx_pointers++] = (int)item->valuedouble;
    }
}

static void read_units(loader *ld, const cJSON *obj, const char *prefix, bh_line *line) {
    const cJSON *item = field(obj, "units");
    path p;
    if (item == NULL) return;
    path_field(&p, prefix, "units");
    if (!cJSON_IsNumber(item)) {
        line->units_state = BH_FIELD_BAD;
        wrong_type(ld, p.text, "a number", item);
        return;
    }
    line->units = item->valuedouble;
    line->units_state = BH_FIELD_OK;
}

static void read_line(loader *ld, const cJSON *obj, int index, bh_line *line) {
    path p;
    path_index(&p, "lines", index);
    if (!cJSON_IsObject(obj)) {
        wrong_type(ld, p.text, "an object", obj);
        line->code_state = line->units_state = line->charge_state = BH_FIELD_BAD;
        line->date_state = line->dx_pointers_state = BH_FIELD_BAD;
        return;
    }
    line->code = read_string(ld, obj, p.text, "code", 1, &line->code_state);
    read_modifiers(ld, obj, p.text, line);
    read_units(ld, obj, p.text, line);
    read_charge(ld, obj, p.text, "charge", &line->charge, &line->charge_state);
    line->date = read_date(ld, obj, p.text, "date", 1, &line->date_text, &line->date_state);
    line->place_of_service = read_string(ld, obj, p.text, "place_of_service", 0, NULL);
    read_pointers(ld, obj, p.text, line);
}

static void read_lines(loader *ld, const cJSON *root, bh_claim *claim) {
    const cJSON *arr = read_array(ld, root, "", "lines", 1, BH_MAX_LINES, &claim->lines_state);
    const cJSON *item;
    if (arr == NULL) return;
    cJSON_ArrayForEach(item, arr) {
        bh_line *line = &claim->lines[claim->n_lines++];
        read_line(ld, item, claim->n_lines, line);
    }
}

static const char *const session_kinds[] = {"individual", "group", "family", NULL};
static const char *const modalities[] = {"in_person", "video", "audio_only", NULL};
static const char *const patient_locations[] = {"home", "facility", "other", NULL};

/* Reads "HH:MM"; a malformed time is a schema finding. */
static int read_time(loader *ld, const cJSON *obj, const char *key) {
    bh_field_state state;
    const char *s = read_string(ld, obj, "session", key, 0, &state);
    int minutes;
    path p;
    if (s == NULL) return -1;
    minutes = bh_time_parse(s);
    if (minutes < 0) {
        path_field(&p, "session", key);
        schema(ld, p.text, "Expected a 24-hour time such as \"13:05\"%s%s.", "", "");
    }
    return minutes;
}

static void read_session(loader *ld, const cJSON *root, bh_session *s) {
    const cJSON *obj = read_object(ld, root, "", "session", 0, &s->state);
    bh_field_state state;
    int kind, modality;
    s->start = s->end = s->minutes = s->patients_present = -1;
    if (obj == NULL) return;
    kind = read_choice(ld, obj, "session", "kind", 0, session_kinds,
                       "individual, group or family", NULL);
    s->kind = kind < 0 ? BH_SESSION_UNKNOWN : (bh_session_kind)(kind + 1);
    s->start = read_time(ld, obj, "start");
    s->end = read_time(ld, obj, "end");
    /* 1440 minutes: no session outlasts a day. */
    s->minutes = read_int(ld, obj, "session", "minutes", 0, 1440);
    s->patients_present = read_int(ld, obj, "session", "patients_present", 0, 1000);
    modality = read_choice(ld, obj, "session", "modality", 0, modalities,
                           "in_person, video or audio_only", NULL);
    s->modality = modality < 0 ? BH_MODALITY_UNKNOWN : (bh_modality)(modality + 1);
    read_choice(ld, obj, "session", "patient_location", 0, patient_locations,
                "home, facility or other", &s->patient_location);
    s->provider_location = read_string(ld, obj, "session", "provider_location", 0, NULL);
    s->last_in_person = read_date(ld, obj, "session", "last_in_person", 0,
                                  &s->last_in_person_text, &state);
}

static void read_documentation(loader *ld, const cJSON *root, bh_documentation *d) {
    const cJSON *obj = read_object(ld, root, "", "documentation", 0, &d->state);
    const cJSON *sig;
    bh_field_state state;
    if (obj == NULL) return;
    d->purpose = read_string(ld, obj, "documentation", "purpose", 0, NULL);
    d->participation = read_string(ld, obj, "documentation", "participation", 0, NULL);
    d->medical_necessity = read_string(ld, obj, "documentation", "medical_necessity", 0, NULL);
    d->plan_goal = read_string(ld, obj, "documentation", "plan_goal", 0, NULL);
    sig = read_object(ld, obj, "documentation", "signature", 0, &d->signature_state);
    if (sig == NULL) return;
    d->signature.name = read_string(ld, sig, "documentation.signature", "name", 0, NULL);
    d->signature.credential = read_string(ld, sig, "documentation.signature", "credential",
                                          0, NULL);
    d->signature.date = read_date(ld, sig, "documentation.signature", "date", 0,
                                  &d->signature.date_text, &state);
}

/* {====================================================================
** Entry points
** ===================================================================== */

bh_status bh_claim_from_cjson(bh_claim *claim, const cJSON *root, bh_report *report) {
    loader ld;
    if (claim == NULL || report == NULL) return BH_ERR_ARG;
    bh_claim_reset(claim);
    ld.claim = claim;
    ld.report = report;
    ld.status = BH_OK;
    if (!cJSON_IsObject(root)) {
        wrong_type(&ld, "", "a claim object", root);
        claim->lines_state = claim->diagnoses_state = BH_FIELD_BAD;
        return ld.status;
    }
    claim->id = read_string(&ld, root, "", "id", 1, NULL);
    read_payer(&ld, root, &claim->payer);
    read_provider(&ld, root, "billing_provider", 1, &claim->billing_provider);
    read_provider(&ld, root, "rendering_provider", 0, &claim->rendering_provider);
    read_person(&ld, root, "subscriber", 1, 1, &claim->subscriber);
    read_person(&ld, root, "patient", 0,
                claim->subscriber.relationship != NULL &&
                    strcmp(claim->subscriber.relationship, "self") != 0,
                &claim->patient);
    read_diagnoses(&ld, root, claim);
    claim->place_of_service = read_string(&ld, root, "", "place_of_service", 1, NULL);
    claim->prior_authorization = read_string(&ld, root, "", "prior_authorization", 0, NULL);
    read_charge(&ld, root, "", "total_charge", &claim->total_charge,
                &claim->total_charge_state);
    claim->frequency = read_string(&ld, root, "", "frequency", 0, NULL);
    claim->note = read_string(&ld, root, "", "note", 0, NULL);
    read_lines(&ld, root, claim);
    read_session(&ld, root, &claim->session);
    read_documentation(&ld, root, &claim->documentation);
    return ld.status;
}

/* Line (1-based) and column of a byte offset, for error messages. */
static long line_of(const char *text, size_t offset) {
    long line = 1;
    size_t i;
    for (i = 0; i < offset; i++)
        if (text[i] == '\n') line++;
    return line;
}

static void set_error(bh_error *err, bh_status code, const char *id, const char *text,
                      size_t offset, const char *what) {
    if (err == NULL) return;
    err->code = code;
    err->line = text != NULL ? line_of(text, offset) : 0;
    err->byte = (long)offset + 1;
    snprintf(err->id, sizeof err->id, "%s", id);
    snprintf(err->message, sizeof err->message, "line %ld, byte %ld: %s", err->line,
             err->byte, what);
}

/* cJSON turns "\u0000" (or a raw NUL byte) into a NUL that silently cuts the
** string short; the claim would then differ from its text, so such input is
** refused. */
static const char *find_escaped_nul(const char *json, size_t len) {
    const char *p = json, *end = json + len;
    const char *raw = memchr(json, '\0', len);
    if (raw != NULL) return raw;
    while (p + 6 <= end && (p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
        if (p + 6 <= end && memcmp(p, "\\u0000", 6) == 0) return p;
        p += 2;     /* skip the escaped character, even a backslash */
    }
    return NULL;
}

/* What a quick structural scan learns before cJSON parses: where nesting
** first exceeds the limit, and whether the text ends inside a string or an
** open bracket (truncated input, which cJSON reports at its last byte). */
typedef struct scan_result {
    const char *too_deep;   /* first bracket past the limit, or NULL */
    int unclosed;           /* 1 when the text ends inside a value */
} scan_result;

/* Counted without recursion, so hostile input cannot exhaust the C stack
** before any limit applies. */
static scan_result scan_structure(const char *json, size_t len, int max_depth) {
    scan_result r = {NULL, 0};
    int depth = 0, in_string = 0;
    size_t i;
    for (i = 0; i < len; i++) {
        char c = json[i];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) {
                r.too_deep = json + i;
                return r;
            }
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    r.unclosed = in_string || depth > 0;
    return r;
}

cJSON *bh_json_parse(const char *json, size_t len, bh_error *err) {
    const char *end = NULL, *bad;
    cJSON *root;
    scan_result scan = scan_structure(json, len, BH_MAX_DEPTH);
    if (err != NULL) memset(err, 0, sizeof *err);
    if (scan.too_deep != NULL) {
        char what[64];
        snprintf(what, sizeof what, "nested deeper than %d levels", BH_MAX_DEPTH);
        set_error(err, BH_ERR_LIMIT, "json.depth", json, (size_t)(scan.too_deep - json), what);
        return NULL;
    }
    if ((bad = find_escaped_nul(json, len)) != NULL) {
        set_error(err, BH_ERR_SYNTAX, "json.nul", json, (size_t)(bad - json),
                  "the text holds a NUL character (raw or \\u0000), which claims cannot carry");
        return NULL;
    }
    root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (root == NULL) {
        size_t offset = end != NULL && end >= json ? (size_t)(end - json) : 0;
        if (len == 0 || (scan.unclosed && offset + 1 >= len)) {
            set_error(err, BH_ERR_SYNTAX, "json.syntax", json, len,
                      len == 0 ? "empty input: expected a JSON value"
                               : "unexpected end of input: a string or bracket is not "
                                 "closed (truncated JSON?)");
            return NULL;
        }
        if (offset > len) offset = len;
        set_error(err, BH_ERR_SYNTAX, "json.syntax", json, offset,
                  "expected a JSON value, ',' or a closing bracket");
        return NULL;
    }
    /* Only white space may follow the value. */
    while (end != NULL && (size_t)(end - json) < len &&
           (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
        end++;
    if (end != NULL && (size_t)(end - json) < len) {
        set_error(err, BH_ERR_SYNTAX, "json.syntax", json, (size_t)(end - json),
                  "expected the end of input after the JSON value");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

bh_status bh_claim_parse_json(bh_claim *claim, const char *json, size_t len,
                              bh_report *report, bh_error *err) {
    cJSON *root;
    bh_status status;
    if (claim == NULL || json == NULL || report == NULL) return BH_ERR_ARG;
    root = bh_json_parse(json, len, err);
    if (root == NULL) {
        bh_claim_reset(claim);
        return err != NULL ? err->code : BH_ERR_SYNTAX;
    }
    status = bh_claim_from_cjson(claim, root, report);
    cJSON_Delete(root);
    return status;
}
