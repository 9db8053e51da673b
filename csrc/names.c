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

/* The input names as messages state them; test_names checks each against
** its table, so the two cannot drift apart. */
const char bh_payer_kind_choices[] = "medicare, medicaid, commercial or other";
const char bh_patient_location_choices[] = "home, facility or other";
const char bh_modality_choices[] = "in_person, video or audio_only";

int bh_name_index(const char *const *names, const char *text, size_t len) {
    int i;
    if (text == NULL) return -1;
    for (i = 0; names[i] != NULL; i++)
        if (strlen(names[i]) == len && memcmp(names[i], text, len) == 0) return i;
    return -1;
}

/* The name at index i of a table of n names, or "unknown". */
static const char *name_at(const char *const *names, int n, unsigned i) {
    return i < (unsigned)n ? names[i] : "unknown";
}

/* The index of text in names, skipping the first `skip` entries (the
** "unknown" an absent field stands for is not an input value); -1 if none. */
static int parse_name(const char *const *names, int skip, const char *text, size_t len) {
    int i = bh_name_index(names + skip, text, len);
    return i < 0 ? -1 : i + skip;
}

/* bh_<enum>_name and bh_<enum>_parse for each table: one body for all. */
#define NAME_FUNCTIONS(type, fn, names, count, skip)                          \
    const char *fn##_name(type value) {                                      \
        return name_at(names, count, (unsigned)value);                       \
    }                                                                        \
    int fn##_parse(const char *text, size_t len, type *out) {                \
        int i = parse_name(names, skip, text, len);                          \
        if (i < 0) return 0;                                                 \
        if (out != NULL) *out = (type)i;                                     \
        return 1;                                                            \
    }

NAME_FUNCTIONS(bh_payer_kind, bh_payer_kind, bh_payer_kind_names, BH_PAYER_KIND_COUNT, 1)
NAME_FUNCTIONS(bh_provider_kind, bh_provider_kind, bh_provider_kind_names,
               BH_PROVIDER_KIND_COUNT, 0)
NAME_FUNCTIONS(bh_patient_location, bh_patient_location, bh_patient_location_names,
               BH_LOCATION_COUNT, 1)
NAME_FUNCTIONS(bh_modality, bh_modality, bh_modality_names, BH_MODALITY_COUNT, 1)
