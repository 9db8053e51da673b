/*
** fuzz_telehealth.c: bh_telehealth_derive with odd values. The first 16
** bytes choose the enums (any value, in range or not), raw dates and flags;
** the rest splits at NUL bytes into the code and, when present, the
** strings of a payer profile. Properties: a derived answer stays within
** its arrays and names a known POS; a NULL or bad argument is BH_ERR_ARG.
** SPDX-License-Identifier: MIT
*/
#include "fuzz_common.h"

static int32_t take32(const uint8_t *p) {
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

/* A date: mostly real ones near the rule changes, sometimes raw bytes. */
static bh_date pick_date(const uint8_t *p) {
    int32_t raw = take32(p);
    if (p[0] & 1) return raw;
    return 20180101 + (int32_t)((uint32_t)raw % 120000u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bh_telehealth_query q;
    bh_telehealth_answer a;
    bh_telehealth_profile prof;
    const char *field[8];
    int n_fields = 0, i;
    char *rest;
    size_t k, start = 0, rest_len;
    bh_status st;
    if (size < 16) return 0;
    rest_len = size - 16;
    rest = fuzz_cstring(data + 16, rest_len);
    for (k = 0; k <= rest_len && n_fields < 8; k++) {
        if (k == rest_len || rest[k] == '\0') {
            field[n_fields++] = rest + start;
            start = k + 1;
        }
    }
    memset(&q, 0, sizeof q);
    q.code = field[0];
    q.date = pick_date(data);
    q.payer = (bh_payer_kind)(data[4] % 7);
    q.modality = (bh_modality)(data[5] % 5);
    q.patient_location = (bh_patient_location)(data[6] % 5);
    q.provider_kind = (bh_provider_kind)(data[7] % 7);
    q.last_in_person = data[8] & 1 ? pick_date(data + 9) : 0;
    q.first_telehealth = (int)(data[13] % 3) - 1;
    q.group_session = data[14] & 1;
    if (data[15] & 1) {
        /* A profile whose strings come from the input. */
        bh_telehealth_profile_default((bh_payer_kind)(data[15] >> 1 & 3) + 1, &prof);
        prof.kind = (bh_payer_kind)((data[15] >> 1) % 6);
        prof.video_modifier = n_fields > 1 ? field[1] : NULL;
        prof.audio_modifier = n_fields > 2 ? field[2] : NULL;
        prof.pos_home = n_fields > 3 ? field[3] : NULL;
        prof.pos_other = n_fields > 4 ? field[4] : NULL;
        prof.group_modifier = n_fields > 5 ? field[5] : NULL;
        prof.audio_only_covered = data[15] >> 4 & 1;
        prof.from = data[15] & 0x20 ? pick_date(data + 9) : 0;
        prof.to = data[15] & 0x40 ? pick_date(data) : 0;
        prof.source = n_fields > 6 ? field[6] : NULL;
        q.profile = &prof;
    }
    st = bh_telehealth_derive(&q, &a);
    FUZZ_ASSERT(st == BH_OK || st == BH_ERR_ARG, "derive returns OK or ARG");
    if (st == BH_OK && a.known) {
        FUZZ_ASSERT(a.n_modifiers >= 0 && a.n_modifiers <= BH_MAX_MODIFIERS,
                    "modifiers within the array");
        FUZZ_ASSERT(a.n_reasons >= 0 && a.n_reasons <= BH_TELEHEALTH_MAX_REASONS,
                    "reasons within the array");
        FUZZ_ASSERT(strlen(a.place_of_service) <= 2, "POS of at most two characters");
        for (i = 0; i < a.n_modifiers; i++) (void)strlen(a.modifiers[i]);
        for (i = 0; i < a.n_reasons; i++) (void)strlen(a.reasons[i].text);
        (void)bh_telehealth_answer_reason(&a, BH_TH_POS);
    }
    FUZZ_ASSERT(bh_telehealth_derive(NULL, &a) == BH_ERR_ARG, "NULL query refused");
    q.code = NULL;
    FUZZ_ASSERT(bh_telehealth_derive(&q, &a) == BH_ERR_ARG, "NULL code refused");
    {
        bh_provider_kind pk;
        bh_patient_location pl;
        (void)bh_provider_kind_parse(field[0], strlen(field[0]), &pk);
        (void)bh_patient_location_parse(field[0], strlen(field[0]), &pl);
        (void)bh_provider_kind_name((bh_provider_kind)(data[4] % 9));
        (void)bh_patient_location_name((bh_patient_location)(data[5] % 9));
        (void)bh_confidence_name((bh_confidence)(data[6] % 5));
        (void)bh_in_person_state_name((bh_in_person_state)(data[7] % 8));
    }
    free(rest);
    return 0;
}
