/*
** names.c: the one list of names for each enumeration a claim, a payer
** profile or a telehealth query carries (payer kind, provider kind, patient
** location, modality). The JSON reader, the 837P reader, the binding and,
** through the binding, the Lua layer all read these tables, so a new kind
** is added here once. Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <string.h>
#include "core.h"

const char *const bh_payer_kind_names[] = {
    "unknown", "medicare", "medicaid", "commercial", "other", NULL
};
const char *const bh_provider_kind_names[] = {
    "practitioner", "fqhc", "rhc", "cah_method_ii", "hospital_outpatient", NULL
};
const char *const bh_patient_location_names[] = {"unknown", "home", "facility", "other", NULL};
const char *const bh_modality_names[] = {"unknown", "in_person", "video", "audio_only", NULL};

int bh_name_index(const char *const *names, const char *text, size_t len) {
    int i;
    if (text == NULL) return -1;
    for (i = 0; names[i] != NULL; i++)
        if (strlen(names[i]) == len && memcmp(names[i], text, len) == 0) return i;
    return -1;
}

/* The name at index i of a NULL-terminated table of n names, or "unknown". */
static const char *name_at(const char *const *names, int n, unsigned i) {
    return i < (unsigned)n ? names[i] : "unknown";
}

/* Reads text into *out by its index in names, skipping the first `skip`
** entries (the "unknown" an absent field stands for is not an input value). */
static int parse_name(const char *const *names, int skip, const char *text, size_t len,
                      int *out) {
    int i = bh_name_index(names + skip, text, len);
    if (i < 0) return 0;
    *out = i + skip;
    return 1;
}

const char *bh_payer_kind_name(bh_payer_kind kind) {
    return name_at(bh_payer_kind_names, BH_PAYER_KIND_COUNT, (unsigned)kind);
}

int bh_payer_kind_parse(const char *text, size_t len, bh_payer_kind *out) {
    int i;
    if (!parse_name(bh_payer_kind_names, 1, text, len, &i)) return 0;
    if (out != NULL) *out = (bh_payer_kind)i;
    return 1;
}

const char *bh_provider_kind_name(bh_provider_kind kind) {
    return name_at(bh_provider_kind_names, BH_PROVIDER_KIND_COUNT, (unsigned)kind);
}

int bh_provider_kind_parse(const char *text, size_t len, bh_provider_kind *out) {
    int i;
    if (!parse_name(bh_provider_kind_names, 0, text, len, &i)) return 0;
    if (out != NULL) *out = (bh_provider_kind)i;
    return 1;
}

const char *bh_patient_location_name(bh_patient_location location) {
    return name_at(bh_patient_location_names, BH_LOCATION_COUNT, (unsigned)location);
}

int bh_patient_location_parse(const char *text, size_t len, bh_patient_location *out) {
    int i;
    if (!parse_name(bh_patient_location_names, 1, text, len, &i)) return 0;
    if (out != NULL) *out = (bh_patient_location)i;
    return 1;
}

const char *bh_modality_name(bh_modality modality) {
    return name_at(bh_modality_names, BH_MODALITY_COUNT, (unsigned)modality);
}

int bh_modality_parse(const char *text, size_t len, bh_modality *out) {
    int i;
    if (!parse_name(bh_modality_names, 1, text, len, &i)) return 0;
    if (out != NULL) *out = (bh_modality)i;
    return 1;
}
