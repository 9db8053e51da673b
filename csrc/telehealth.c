/*
** telehealth.c: telehealth rules as effective-dated data (Medicare national
** rules; Medicaid and commercial templates), the derivation of POS and
** modifiers for one service, and the claim check built on it. Every row names
** its source in docs/rules-reference.md (sections 3.1-3.4, 7.6,
** 7.7) or the page the fact was read from. Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "core.h"

/* {====================================================================
** Sources (rules-reference section in brackets)
** ===================================================================== */

#define SRC_POS_IN_PERSON \
    "CMS Place of Service code set: 02 and 10 are telehealth places of service; an " \
    "in-person service takes the POS where it happened [rules-reference 3.1, 7.6]"
#define SRC_TR12671 \
    "CMS transmittal 12671 (2024-01-01): only POS 02 and 10 for Medicare telehealth; POS 02 " \
    "facility rate, POS 10 non-facility (compliancecosmos.org 2024-06-10) [3.1]"
#define SRC_POS10 \
    "CMS transmittal 12671 (2024-01-01): POS 10 patient's home, non-facility rate; NGS " \
    "Medicare article 10638446: home includes non-facility places such as a car or " \
    "workplace [3.1]"
#define SRC_NGS95 \
    "NGS Medicare article 10638446 (CY2024 PFS final rule pp. 78874-78876); Novitas " \
    "telehealth modifier table: modifier 95 only for hospital staff with the patient at " \
    "home, otherwise POS 02/10 alone, from 2024-01-01 [3.1]"
#define SRC_GT \
    "HCPCS GT; GT only for CAH Optional Method II distant-site billing (CMS text copied at " \
    "skitamix.3cx.eu, SECONDARY) [3.1, 7.7]"
#define SRC_RHC_VIDEO \
    "RHC/FQHC mental-health visits by video: the rules reference gives no modifier " \
    "(institutional billing not covered): UNCONFIRMED [3.1]"
#define SRC_FQ \
    "Novitas telehealth modifier table: RHC/FQHC may use 93 or FQ for audio-only; HCPCS FQ " \
    "(tuva-health/tuva HCPCS 2023) [3.1, 7.7]"
#define SRC_93 \
    "Novitas telehealth modifier table: 93 = audio-only, patient at home, patient cannot " \
    "use or declines video [3.1, 7.7]"
#define SRC_CAA2021 \
    "Consolidated Appropriations Act, 2021: mental-health telehealth from any place " \
    "including the home, audio-only when video is not possible or declined (codingintel.com, " \
    "SECONDARY) [3.1]"
#define SRC_CAA2023_AUDIO \
    "CAA 2023 extended audio-only for listed non-behavioral services through 2024-12-31 " \
    "(CCHP federal page; not in the rules reference): UNCONFIRMED"
#define SRC_CY2025_AUDIO \
    "CY2025 PFS final rule (CMS-1807-F), 42 CFR 410.78(a)(3): audio-only for any telehealth " \
    "service to a patient at home who cannot or will not use video (CCHP) [3.1]"
#define SRC_LIST_PSY \
    "Medicare telehealth list: mental-health services 90785, 90791, 90792, 90832-90838, " \
    "90845-90847 (apaservices.org, SECONDARY); psychiatry subsection 90785-90899"
#define SRC_LIST_90853 \
    "CY2021 PFS final rule: 90853 added permanently (Category 1) to the Medicare telehealth " \
    "list (healthlawattorneyblog.com; nabh, SECONDARY)"
#define SRC_LIST_90849 \
    "CY2026 PFS final rule (CMS-1832-F): 90849 added to the Medicare telehealth list from " \
    "2026-01-01 (privacylawrules.com, SECONDARY) [3.3]"
#define SRC_LIST_CRISIS \
    "90839/90840 on the Medicare telehealth list: only a PHE-era vendor list " \
    "(outsourcestrategies.com): UNCONFIRMED"
#define SRC_LIST_OTHER \
    "bhclaim carries the Medicare telehealth list for psychiatry codes only; other codes " \
    "are not checked against it: UNCONFIRMED"
#define SRC_SITE_OTHER \
    "Consolidated Appropriations Act, 2026 (H.R. 7148, signed 2026-02-03): home and " \
    "geographic limits on non-behavioral telehealth lifted through 2027-12-31, " \
    "retroactively over the lapses (mcguirewoods.com) [3.2]"
#define SRC_SITE_2028_HOME \
    "From 2028-01-01 the home is no longer an originating site for non-behavioral " \
    "telehealth [3.2]; statutory exceptions (e.g. substance use disorder) not carried: " \
    "UNCONFIRMED"
#define SRC_SITE_2028_FACILITY \
    "From 2028-01-01 non-behavioral originating sites must again pass the geographic " \
    "(rural) test, which a claim does not show [3.2]: UNCONFIRMED"
#define SRC_IP_2024 \
    "NGS Medicare FAQ 1744449: in-person requirement for mental-health telehealth waived " \
    "through 2024-12-31 [3.2]"
#define SRC_IP_2025A \
    "CY2025 PFS delayed the in-person requirement; statutory waiver extended to 2025-03-31 " \
    "(codingintel.com; vbassociation.com) [3.2]"
#define SRC_IP_2025B \
    "Statutory telehealth waiver extended again, to 2025-09-30 (vbassociation.com; " \
    "codingintel.com) [3.2]"
#define SRC_IP_LAPSE1 \
    "Flexibilities lapsed 2025-10-01 to 2025-11-12 (openminds.com); continuing " \
    "appropriations signed 2025-11-12 restored them retroactive to 2025-10-01 (matrc.org; " \
    "CMS Telehealth FAQ CY2026, 2025-11-14) [3.2]"
#define SRC_IP_EXT1 \
    "Continuing appropriations signed 2025-11-12: flexibilities through 2026-01-30 " \
    "(matrc.org; CMS Telehealth FAQ CY2026 updated 2025-11-14) [3.2]"
#define SRC_IP_LAPSE2 \
    "Lapse 2026-01-31 to 2026-02-02 (natlawreview.com); restored retroactively by the " \
    "Consolidated Appropriations Act, 2026 (H.R. 7148) signed 2026-02-03 (mcguirewoods.com) " \
    "[3.2]"
#define SRC_IP_CAA2026 \
    "Consolidated Appropriations Act, 2026 (H.R. 7148, signed 2026-02-03): in-person " \
    "requirement not applied until 2028-01-01 (mcguirewoods.com; gillcompliance.com; CMS " \
    "Telehealth FAQ updated 2026-02-26) [3.2]"
#define SRC_IP_2028 \
    "In-person visit within 6 months before the first mental-health telehealth service, " \
    "then every 12 months, from 2028-01-01 (NGS Medicare FAQ 1744449; CAA 2026 via " \
    "mcguirewoods.com) [3.2]"
#define SRC_AK \
    "Alaska Medicaid telehealth manual, dates of service from 2022-03-01: POS 10 member at " \
    "home, 02 otherwise; FQ for audio-only (manuals.medicaidalaska.com) [3.4]"
#define SRC_MCD_VIDEO \
    "Medicaid template: each state program chooses 95, GT or no modifier; 95 is a bhclaim " \
    "default: UNCONFIRMED [3.4]"
#define SRC_MCD_AUDIO \
    "About 30% of state Medicaid programs pay some audio-only (CCHP); Alaska pays it with " \
    "FQ; coverage per state UNCONFIRMED [3.4]"
#define SRC_HQ \
    "HCPCS HQ \"Group setting\"; some Medicaid programs require it on group services; the " \
    "requirement per state is UNCONFIRMED [3.4]"
#define SRC_COM \
    "Commercial convention: modifier 95 with POS 02 or 10 (247medicalbillingservices.com; " \
    "paramedbilling.com, SECONDARY) [3.4]"
#define SRC_COM_90853 \
    "95 on a video 90853 line is a payer convention: 90853 is not on CPT Appendix P (2017 " \
    "list, aasm.org), later editions UNCONFIRMED; Blue Cross NC lists 90853 for " \
    "telehealth [3.4]"
#define SRC_COM_AUDIO \
    "Commercial audio-only: coverage is per plan: UNCONFIRMED [3.4]"
#define SRC_MOD_FALLBACK \
    "CPT/HCPCS telehealth modifiers (Novitas telehealth modifier table; HCPCS) [3.1, 7.7]"
#define SRC_COM_93 \
    "Commercial audio-only marked with CPT modifier 93 (Appendix T convention; " \
    "medicalcodingrights.com, SECONDARY) [1.3, 7.7]"

/* {====================================================================
** The decision table
** ===================================================================== */

#define PK(k) (1u << BH_PROVIDER_##k)
#define LC(k) (1u << BH_LOCATION_##k)
#define MD(k) (1u << BH_MODALITY_##k)
#define TELE (MD(VIDEO) | MD(AUDIO_ONLY))
#define NOT_HOME (LC(FACILITY) | LC(OTHER))
#define ALL 0u

#define ROW(aspect, payer, from, to, prov, loc, mod, codes, code, allowed, value, alt, text, \
            src, conf) \
    {BH_TH_##aspect, BH_PAYER_##payer, from, to, prov, loc, mod, BH_TH_CODES_##codes, code, \
     allowed, value, alt, text, src, BH_##conf}

static const bh_telehealth_rule rules[] = {
    /* Every payer: an in-person service is not telehealth. */
    ROW(POS, UNKNOWN, 0, 0, ALL, ALL, MD(IN_PERSON), ANY, NULL, 1, NULL, NULL,
        "In person: report the place where the service happened; 02 and 10 are for "
        "telehealth only.", SRC_POS_IN_PERSON, CONFIRMED),

    /* Medicare: is the code on the telehealth list? Rows from 2024-01-01, the
    ** start of the POS 02/10 rules; nothing is derived for earlier dates. */
    ROW(LIST, MEDICARE, 20240101, 20251231, ALL, ALL, TELE, ONE, "90849", 0, NULL, NULL,
        "90849 (multiple-family group) is not on the Medicare telehealth list before "
        "2026-01-01.", SRC_LIST_90849, SECONDARY),
    ROW(LIST, MEDICARE, 20260101, 0, ALL, ALL, TELE, ONE, "90849", 1, NULL, NULL,
        "90849 is on the Medicare telehealth list from 2026-01-01.", SRC_LIST_90849,
        SECONDARY),
    ROW(LIST, MEDICARE, 20240101, 0, ALL, ALL, TELE, ONE, "90853", 1, NULL, NULL,
        "90853 is on the Medicare telehealth list (permanent since CY2021).",
        SRC_LIST_90853, SECONDARY),
    ROW(LIST, MEDICARE, 20240101, 0, ALL, ALL, TELE, ONE, "90839", 1, NULL, NULL,
        "90839 is treated as on the Medicare telehealth list (not confirmed).",
        SRC_LIST_CRISIS, UNCONFIRMED),
    ROW(LIST, MEDICARE, 20240101, 0, ALL, ALL, TELE, ONE, "90840", 1, NULL, NULL,
        "90840 is treated as on the Medicare telehealth list (not confirmed).",
        SRC_LIST_CRISIS, UNCONFIRMED),
    ROW(LIST, MEDICARE, 20240101, 0, ALL, ALL, TELE, MENTAL_HEALTH, NULL, 1, NULL, NULL,
        "Psychiatry services are on the Medicare telehealth list.", SRC_LIST_PSY, SECONDARY),
    ROW(LIST, MEDICARE, 20240101, 0, ALL, ALL, TELE, OTHER, NULL, 1, NULL, NULL,
        "The code is not checked against the Medicare telehealth list here.",
        SRC_LIST_OTHER, UNCONFIRMED),

    /* Medicare: may the patient's location be the originating site? */
    ROW(SITE, MEDICARE, 20240101, 0, ALL, ALL, TELE, MENTAL_HEALTH, NULL, 1, NULL, NULL,
        "Mental-health telehealth may reach the patient anywhere, the home included "
        "(permanent).", SRC_CAA2021, SECONDARY),
    ROW(SITE, MEDICARE, 20240101, 20271231, ALL, ALL, TELE, OTHER, NULL, 1, NULL, NULL,
        "Non-behavioral telehealth may reach the patient at home or anywhere through "
        "2027-12-31.", SRC_SITE_OTHER, CONFIRMED),
    ROW(SITE, MEDICARE, 20280101, 0, ALL, LC(HOME), TELE, OTHER, NULL, 0, NULL, NULL,
        "From 2028-01-01 the home is not an originating site for non-behavioral "
        "telehealth.", SRC_SITE_2028_HOME, UNCONFIRMED),
    ROW(SITE, MEDICARE, 20280101, 0, ALL, NOT_HOME, TELE, OTHER, NULL, 1, NULL, NULL,
        "From 2028-01-01 a non-home originating site must be rural; not visible on the "
        "claim.", SRC_SITE_2028_FACILITY, UNCONFIRMED),

    /* Medicare: POS by the patient's location, and the rate each is paid at. */
    ROW(POS, MEDICARE, 20240101, 0, ALL, LC(HOME), TELE, ANY, NULL, 1, "10", NULL,
        "Medicare telehealth with the patient at home (any non-facility place) takes "
        "POS 10.", SRC_POS10, CONFIRMED),
    ROW(POS, MEDICARE, 20240101, 0, ALL, NOT_HOME, TELE, ANY, NULL, 1, "02", NULL,
        "Medicare telehealth with the patient outside the home takes POS 02.", SRC_TR12671,
        CONFIRMED),
    ROW(RATE, MEDICARE, 20240101, 0, PK(PRACTITIONER), LC(HOME), TELE, ANY, NULL, 1,
        "non-facility", NULL, "POS 10 is paid at the PFS non-facility rate.", SRC_TR12671,
        CONFIRMED),
    ROW(RATE, MEDICARE, 20240101, 0, PK(PRACTITIONER), NOT_HOME, TELE, ANY, NULL, 1,
        "facility", NULL, "POS 02 is paid at the PFS facility rate.", SRC_TR12671, CONFIRMED),

    /* Medicare: the modifier on an audio-video service. */
    ROW(VIDEO_MODIFIER, MEDICARE, 20240101, 0, PK(HOSPITAL_OUTPATIENT), LC(HOME), MD(VIDEO),
        ANY, NULL, 1, "95", NULL,
        "Hospital outpatient staff serving a patient at home append 95.", SRC_NGS95,
        CONFIRMED),
    ROW(VIDEO_MODIFIER, MEDICARE, 20240101, 0, PK(CAH_METHOD_II), ALL, MD(VIDEO), ANY, NULL,
        1, "GT", NULL, "A CAH billing under Optional Method II appends GT.", SRC_GT, SECONDARY),
    ROW(VIDEO_MODIFIER, MEDICARE, 20240101, 0, PK(FQHC) | PK(RHC), ALL, MD(VIDEO), ANY, NULL,
        1, NULL, NULL, "No video modifier is derived for RHC/FQHC mental-health visits.",
        SRC_RHC_VIDEO, UNCONFIRMED),
    ROW(VIDEO_MODIFIER, MEDICARE, 20240101, 0, ALL, ALL, MD(VIDEO), ANY, NULL, 1, NULL, NULL,
        "Medicare practitioner claims mark video telehealth by POS 02/10 alone: no 95.",
        SRC_NGS95, CONFIRMED),

    /* Medicare: audio-only, allowed only with the patient at home. */
    ROW(AUDIO_ALLOWED, MEDICARE, 20240101, 20241231, ALL, LC(HOME), MD(AUDIO_ONLY),
        MENTAL_HEALTH, NULL, 1, NULL, NULL,
        "Audio-only mental-health telehealth to a patient at home who cannot or will not "
        "use video is allowed.", SRC_CAA2021, SECONDARY),
    ROW(AUDIO_ALLOWED, MEDICARE, 20240101, 20241231, ALL, LC(HOME), MD(AUDIO_ONLY), OTHER,
        NULL, 1, NULL, NULL, "Audio-only non-behavioral telehealth at home allowed through "
        "2024-12-31.", SRC_CAA2023_AUDIO, UNCONFIRMED),
    ROW(AUDIO_ALLOWED, MEDICARE, 20240101, 20241231, ALL, NOT_HOME, MD(AUDIO_ONLY), ANY,
        NULL, 0, NULL, NULL, "Audio-only telehealth is allowed only with the patient at home.",
        SRC_CAA2021, SECONDARY),
    ROW(AUDIO_ALLOWED, MEDICARE, 20250101, 0, ALL, LC(HOME), MD(AUDIO_ONLY), ANY, NULL, 1,
        NULL, NULL, "Audio-only telehealth to a patient at home who cannot or will not use "
        "video is allowed.", SRC_CY2025_AUDIO, CONFIRMED),
    ROW(AUDIO_ALLOWED, MEDICARE, 20250101, 0, ALL, NOT_HOME, MD(AUDIO_ONLY), ANY, NULL, 0,
        NULL, NULL, "Audio-only telehealth is allowed only with the patient at home.",
        SRC_CY2025_AUDIO, CONFIRMED),
    ROW(AUDIO_MODIFIER, MEDICARE, 20240101, 0, PK(FQHC) | PK(RHC), ALL, MD(AUDIO_ONLY), ANY,
        NULL, 1, "FQ", "93", "RHC/FQHC audio-only services take FQ (93 is also accepted).",
        SRC_FQ, CONFIRMED),
    ROW(AUDIO_MODIFIER, MEDICARE, 20240101, 0, ALL, ALL, MD(AUDIO_ONLY), ANY, NULL, 1, "93",
        NULL, "Audio-only telehealth takes modifier 93.", SRC_93, CONFIRMED),

    /* Medicare: the in-person visit requirement for mental-health telehealth to
    ** a patient at home, period by period (rules-reference 3.2). */
    ROW(IN_PERSON, MEDICARE, 20240101, 20241231, ALL, LC(HOME), TELE, MENTAL_HEALTH, NULL, 0,
        NULL, NULL, "In-person requirement waived through 2024-12-31.", SRC_IP_2024,
        CONFIRMED),
    ROW(IN_PERSON, MEDICARE, 20250101, 20250331, ALL, LC(HOME), TELE, MENTAL_HEALTH, NULL, 0,
        NULL, NULL, "In-person requirement delayed (waiver extended to 2025-03-31).",
        SRC_IP_2025A, CONFIRMED),
    ROW(IN_PERSON, MEDICARE, 20250401, 20250930, ALL, LC(HOME), TELE, MENTAL_HEALTH, NULL, 0,
        NULL, NULL, "In-person requirement delayed (waiver extended to 2025-09-30).",
        SRC_IP_2025B, CONFIRMED),
    ROW(IN_PERSON, MEDICARE, 20251001, 20251112, ALL, LC(HOME), TELE, MENTAL_HEALTH, NULL, 0,
        NULL, NULL, "Lapse 2025-10-01 to 2025-11-12, restored retroactively: not enforced.",
        SRC_IP_LAPSE1, CONFIRMED),
    ROW(IN_PERSON, MEDICARE, 20251113, 20260130, ALL, LC(HOME), TELE, MENTAL_HEALTH, NULL, 0,
        NULL, NULL, "In-person requirement not enforced through 2026-01-30.", SRC_IP_EXT1,
        CONFIRMED),
    ROW(IN_PERSON, MEDICARE, 20260131, 20260202, ALL, LC(HOME), TELE, MENTAL_HEALTH, NULL, 0,
        NULL, NULL, "Lapse 2026-01-31 to 2026-02-02, restored retroactively by CAA 2026: not "
        "enforced.", SRC_IP_LAPSE2, CONFIRMED),
    ROW(IN_PERSON, MEDICARE, 20260203, 20271231, ALL, LC(HOME), TELE, MENTAL_HEALTH, NULL, 0,
        NULL, NULL, "In-person requirement not applied until 2028-01-01 (CAA 2026).",
        SRC_IP_CAA2026, CONFIRMED),
    ROW(IN_PERSON, MEDICARE, 20280101, 0, ALL, LC(HOME), TELE, MENTAL_HEALTH, NULL, 1, NULL,
        NULL, "In-person visit required within 6 months before the first telehealth "
        "service, then every 12 months.", SRC_IP_2028, CONFIRMED),

    /* Medicaid template: the values a state program sets (after Alaska). The
    ** profile holds the values; these rows give the defaults and their sources. */
    ROW(POS, MEDICAID, 20220301, 0, ALL, LC(HOME), TELE, ANY, NULL, 1, "10", NULL,
        "Medicaid template: POS 10 with the member at home.", SRC_AK, CONFIRMED),
    ROW(POS, MEDICAID, 20220301, 0, ALL, NOT_HOME, TELE, ANY, NULL, 1, "02", NULL,
        "Medicaid template: POS 02 with the member elsewhere.", SRC_AK, CONFIRMED),
    ROW(VIDEO_MODIFIER, MEDICAID, 20220301, 0, ALL, ALL, MD(VIDEO), ANY, NULL, 1, "95", NULL,
        "Medicaid template: 95 marks audio-video telehealth.", SRC_MCD_VIDEO, UNCONFIRMED),
    ROW(AUDIO_ALLOWED, MEDICAID, 20220301, 0, ALL, ALL, MD(AUDIO_ONLY), ANY, NULL, 1, NULL,
        NULL, "Medicaid template: audio-only is covered.", SRC_MCD_AUDIO, CONFIRMED),
    ROW(AUDIO_MODIFIER, MEDICAID, 20220301, 0, ALL, ALL, MD(AUDIO_ONLY), ANY, NULL, 1, "FQ",
        NULL, "Medicaid template: FQ marks audio-only.", SRC_AK, CONFIRMED),
    ROW(GROUP_MODIFIER, MEDICAID, 20220301, 0, ALL, ALL, ALL, ANY, NULL, 1, "HQ", NULL,
        "Medicaid template: HQ marks a group service.", SRC_HQ, UNCONFIRMED),

    /* Commercial template: the CPT telemedicine convention. */
    ROW(POS, COMMERCIAL, 0, 0, ALL, LC(HOME), TELE, ANY, NULL, 1, "10", NULL,
        "Commercial convention: POS 10 with the patient at home.", SRC_COM, SECONDARY),
    ROW(POS, COMMERCIAL, 0, 0, ALL, NOT_HOME, TELE, ANY, NULL, 1, "02", NULL,
        "Commercial convention: POS 02 with the patient elsewhere.", SRC_COM, SECONDARY),
    ROW(VIDEO_MODIFIER, COMMERCIAL, 0, 0, ALL, ALL, MD(VIDEO), ONE, "90853", 1, "95", NULL,
        "Commercial convention: 95 on a video 90853 line (payer convention).", SRC_COM_90853,
        UNCONFIRMED),
    ROW(VIDEO_MODIFIER, COMMERCIAL, 0, 0, ALL, ALL, MD(VIDEO), ANY, NULL, 1, "95", NULL,
        "Commercial convention: 95 marks audio-video telehealth.", SRC_COM, SECONDARY),
    ROW(AUDIO_ALLOWED, COMMERCIAL, 0, 0, ALL, ALL, MD(AUDIO_ONLY), ANY, NULL, 1, NULL, NULL,
        "Commercial template: audio-only is covered (set per plan).", SRC_COM_AUDIO,
        UNCONFIRMED),
    ROW(AUDIO_MODIFIER, COMMERCIAL, 0, 0, ALL, ALL, MD(AUDIO_ONLY), ANY, NULL, 1, "93", NULL,
        "Commercial convention: 93 marks audio-only.", SRC_COM_93, SECONDARY)
};

#define N_RULES (sizeof rules / sizeof rules[0])

/* The modifiers that say how a service was delivered. One on a line whose
** session says otherwise is a contradiction. */
typedef enum tele_kind { TK_VIDEO, TK_AUDIO, TK_ASYNC, TK_STROKE } tele_kind;

typedef struct tele_modifier {
    const char *code;
    tele_kind kind;
    const char *source;
} tele_modifier;

static const tele_modifier tele_modifiers[] = {
    {"95", TK_VIDEO, "CPT modifier 95: synchronous audio-video (Novitas telehealth modifier "
                     "table) [7.7]"},
    {"GT", TK_VIDEO, "HCPCS GT \"Via interactive audio and video telecommunication systems\" "
                     "[7.7]"},
    {"93", TK_AUDIO, "CPT modifier 93: synchronous audio-only (Novitas telehealth modifier "
                     "table) [7.7]"},
    {"FQ", TK_AUDIO, "HCPCS FQ \"The service was furnished using audio-only communication "
                     "technology\" [7.7]"},
    {"GQ", TK_ASYNC, "HCPCS GQ \"Via asynchronous telecommunications system\"; only in the "
                     "Alaska/Hawaii demonstrations, 42 CFR 410.78(a)(4) [3.1]"},
    {"G0", TK_STROKE, "HCPCS G0: telehealth for acute stroke symptoms [3.1, 7.7]"}
};

#define N_TELE_MODIFIERS (sizeof tele_modifiers / sizeof tele_modifiers[0])

const bh_telehealth_rule *bh_telehealth_rules(size_t *count) {
    if (count != NULL) *count = N_RULES;
    return rules;
}

/* {====================================================================
** Names
** ===================================================================== */

static const char *const confidence_names[] = {"confirmed", "secondary", "unconfirmed"};
static const char *const in_person_names[] = {
    "not_applicable", "not_enforced", "met", "not_met", "unknown"
};

const char *bh_confidence_name(bh_confidence confidence) {
    return (unsigned)confidence <= BH_UNCONFIRMED ? confidence_names[confidence] : "unknown";
}

const char *bh_in_person_state_name(bh_in_person_state state) {
    return (unsigned)state <= BH_IN_PERSON_UNKNOWN ? in_person_names[state] : "unknown";
}

/* {====================================================================
** Dates
** ===================================================================== */

/* The same day `months` earlier, clamped to the month's end (2026-08-31
** minus 6 months is 2026-02-28): "within 6 months before" counts whole
** calendar months (NGS FAQ 1744449). */
static bh_date months_before(bh_date d, int months) {
    return bh_date_add_months(d, -months);
}

/* {====================================================================
** Matching rows
** ===================================================================== */

/* CPT Psychiatry subsection 90785-90899 (the mental-health services that the
** CAA 2021 home and audio-only rules and the in-person requirement cover). */
static int is_mental_health(const char *code) {
    long n = 0;
    int i;
    for (i = 0; i < 5; i++) {
        if (!BH_IS_DIGIT(code[i])) return 0;
        n = n * 10 + (code[i] - '0');
    }
    return code[5] == '\0' && n >= 90785 && n <= 90899;
}

/* Group psychotherapy codes: every service under them is a group service
** (rules-reference 1.1). */
static int is_group_code(const char *code) {
    return bh_streq(code, "90853") || bh_streq(code, "90849");
}

static int bit_matches(unsigned mask, unsigned value) {
    return mask == 0 || (value < 32 && (mask & (1u << value)) != 0);
}

static int codes_match(const bh_telehealth_rule *r, const char *code, int mental) {
    switch (r->codes) {
    case BH_TH_CODES_ANY: return 1;
    case BH_TH_CODES_MENTAL_HEALTH: return mental;
    case BH_TH_CODES_OTHER: return !mental;
    case BH_TH_CODES_ONE: return r->code != NULL && bh_streq(r->code, code);
    }
    return 0;
}

/* What derive works from: the query, with the code class worked out. */
typedef struct deriver {
    const bh_telehealth_query *q;
    bh_telehealth_answer *a;
    bh_payer_kind table_payer;  /* which rows to read: commercial's for other/unknown */
    int mental;                 /* code in the psychiatry subsection */
} deriver;

/* The first row deciding an aspect for this query, or NULL. A template row
** found for a profile only supplies the citation: the profile's own dates
** decide whether its values apply (derive_profile). */
static const bh_telehealth_rule *find(const deriver *d, bh_telehealth_aspect aspect,
                                      bh_payer_kind payer) {
    const bh_telehealth_query *q = d->q;
    size_t i;
    for (i = 0; i < N_RULES; i++) {
        const bh_telehealth_rule *r = &rules[i];
        if (r->aspect != aspect) continue;
        if (r->payer != BH_PAYER_UNKNOWN && r->payer != payer) continue;
        if ((r->from && q->date < r->from) || (r->to && q->date > r->to)) continue;
        if (!bit_matches(r->providers, (unsigned)q->provider_kind)) continue;
        if (!bit_matches(r->locations, (unsigned)q->patient_location)) continue;
        if (!bit_matches(r->modalities, (unsigned)q->modality)) continue;
        if (!codes_match(r, q->code, d->mental)) continue;
        return r;
    }
    return NULL;
}

/* Adds reason r to the answer, naming each field at the call
** (`&(bh_telehealth_reason){.aspect = ..., .text = ...}`); r->unconfirmed
** says whether the profile the reason comes from is unconfirmed, and the
** reason is unconfirmed also when its confidence is not BH_CONFIRMED. */
static void add_reason(deriver *d, const bh_telehealth_reason *r) {
    bh_telehealth_answer *a = d->a;
    bh_telehealth_reason *kept;
    if (a->n_reasons >= BH_TELEHEALTH_MAX_REASONS) return;   /* cannot happen: <= 9 aspects */
    kept = &a->reasons[a->n_reasons++];
    *kept = *r;
    kept->unconfirmed = r->confidence != BH_CONFIRMED || r->unconfirmed;
}

static void add_row_reason(deriver *d, const bh_telehealth_rule *r, int profile_unconfirmed) {
    add_reason(d, &(bh_telehealth_reason){
        .aspect = r->aspect, .allowed = r->allowed, .text = r->text, .source = r->source,
        .from = r->from, .to = r->to, .confidence = r->confidence,
        .unconfirmed = profile_unconfirmed});
}

static void add_modifier(bh_telehealth_answer *a, const char *m) {
    if (m != NULL && m[0] != '\0' && a->n_modifiers < BH_MAX_MODIFIERS)
        a->modifiers[a->n_modifiers++] = m;
}

static void set_pos(bh_telehealth_answer *a, const char *pos) {
    if (pos == NULL || strlen(pos) != 2) return;
    a->place_of_service[0] = pos[0];
    a->place_of_service[1] = pos[1];
    a->place_of_service[2] = '\0';
}

/* {====================================================================
** Medicare: national rules read straight from the table
** ===================================================================== */

static void in_person_window(deriver *d, const bh_telehealth_rule *r) {
    const bh_telehealth_query *q = d->q;
    bh_telehealth_answer *a = d->a;
    bh_date six, twelve, last = q->last_in_person;
    add_row_reason(d, r, 0);
    if (!r->allowed) {
        a->in_person = BH_IN_PERSON_NOT_ENFORCED;
        return;
    }
    six = months_before(q->date, 6);
    twelve = months_before(q->date, 12);
    /* First service: 6 months; later ones: 12; unknown: 6 surely meets it. */
    a->in_person_since = q->first_telehealth == 0 ? twelve : six;
    if (last == 0 || !bh_date_valid(last) || last > q->date)
        a->in_person = BH_IN_PERSON_UNKNOWN;
    else if (last >= six)
        a->in_person = BH_IN_PERSON_MET;
    else if (last >= twelve)
        a->in_person = q->first_telehealth == 0 ? BH_IN_PERSON_MET
                     : q->first_telehealth == 1 ? BH_IN_PERSON_NOT_MET : BH_IN_PERSON_UNKNOWN;
    else
        a->in_person = BH_IN_PERSON_NOT_MET;
    if (a->in_person == BH_IN_PERSON_NOT_MET) a->allowed = 0;
}

static void derive_medicare(deriver *d) {
    const bh_telehealth_query *q = d->q;
    bh_telehealth_answer *a = d->a;
    const bh_telehealth_rule *r;
    r = find(d, BH_TH_LIST, BH_PAYER_MEDICARE);
    if (r == NULL) {
        add_reason(d, &(bh_telehealth_reason){
            .aspect = BH_TH_LIST, .allowed = 0,
            .text = "bhclaim carries Medicare telehealth rules for dates of service from "
                    "2024-01-01 only; nothing derived.",
            .source = SRC_TR12671, .from = 20240101, .to = 0, .confidence = BH_CONFIRMED});
        return;
    }
    a->known = 1;
    a->allowed = r->allowed;
    add_row_reason(d, r, 0);
    if ((r = find(d, BH_TH_SITE, BH_PAYER_MEDICARE)) != NULL) {
        a->allowed = a->allowed && r->allowed;
        add_row_reason(d, r, 0);
    }
    if ((r = find(d, BH_TH_POS, BH_PAYER_MEDICARE)) != NULL) {
        set_pos(a, r->value);
        add_row_reason(d, r, 0);
    }
    if ((r = find(d, BH_TH_RATE, BH_PAYER_MEDICARE)) != NULL) {
        a->rate = r->value;
        add_row_reason(d, r, 0);
    }
    if (q->modality == BH_MODALITY_VIDEO &&
        (r = find(d, BH_TH_VIDEO_MODIFIER, BH_PAYER_MEDICARE)) != NULL) {
        add_modifier(a, r->value);
        add_row_reason(d, r, 0);
    }
    if (q->modality == BH_MODALITY_AUDIO_ONLY) {
        if ((r = find(d, BH_TH_AUDIO_ALLOWED, BH_PAYER_MEDICARE)) != NULL) {
            a->allowed = a->allowed && r->allowed;
            add_row_reason(d, r, 0);
        }
        if ((r = find(d, BH_TH_AUDIO_MODIFIER, BH_PAYER_MEDICARE)) != NULL) {
            add_modifier(a, r->value);
            a->audio_alternative = r->alternative;
            add_row_reason(d, r, 0);
        }
    }
    if ((r = find(d, BH_TH_IN_PERSON, BH_PAYER_MEDICARE)) != NULL) in_person_window(d, r);
}

/* {====================================================================
** Medicaid and commercial: values from the profile, sources from the rows
** ===================================================================== */

static const char *const profile_texts[BH_TH_ASPECT_COUNT] = {
    NULL, NULL,
    "The payer profile sets this place of service.",
    NULL,
    "The payer profile sets this audio-video modifier.",
    "The payer profile sets whether audio-only is covered.",
    "The payer profile sets this audio-only modifier.",
    "The payer profile sets this group modifier.",
    NULL
};

static int same_text(const char *a, const char *b) {
    if (a == NULL || b == NULL) return a == b;
    return bh_streq(a, b);
}

/* Cites the template row when the profile still holds its value and has no
** source of its own; otherwise cites the profile. */
static void cite(deriver *d, const bh_telehealth_profile *p, bh_telehealth_aspect aspect,
                 const char *value, int allowed) {
    const bh_telehealth_rule *r = find(d, aspect, d->table_payer);
    int same = r != NULL && (aspect == BH_TH_AUDIO_ALLOWED ? r->allowed == allowed
                                                           : same_text(r->value, value));
    if (same && p->source == NULL) {
        add_row_reason(d, r, p->unconfirmed);
        return;
    }
    add_reason(d, &(bh_telehealth_reason){
        .aspect = aspect, .allowed = allowed, .text = profile_texts[aspect],
        .source = p->source != NULL ? p->source : "payer profile: values set by the caller",
        .from = p->from, .to = p->to,
        .confidence = p->unconfirmed ? BH_UNCONFIRMED : BH_CONFIRMED,
        .unconfirmed = p->unconfirmed});
}

static void derive_profile(deriver *d, const bh_telehealth_profile *p) {
    const bh_telehealth_query *q = d->q;
    bh_telehealth_answer *a = d->a;
    if ((p->from && q->date < p->from) || (p->to && q->date > p->to)) {
        add_reason(d, &(bh_telehealth_reason){
            .aspect = BH_TH_POS, .allowed = 0,
            .text = "The payer profile's telehealth values do not cover this date of service; "
                    "nothing derived.",
            .source = p->source != NULL ? p->source : SRC_AK, .from = p->from, .to = p->to,
            .confidence = BH_CONFIRMED, .unconfirmed = p->unconfirmed});
        return;
    }
    a->known = 1;
    a->allowed = 1;
    if (q->patient_location != BH_LOCATION_UNKNOWN) {
        const char *pos = q->patient_location == BH_LOCATION_HOME ? p->pos_home : p->pos_other;
        set_pos(a, pos);
        cite(d, p, BH_TH_POS, pos, 1);
    }
    if (q->modality == BH_MODALITY_VIDEO) {
        add_modifier(a, p->video_modifier);
        cite(d, p, BH_TH_VIDEO_MODIFIER, p->video_modifier, 1);
    } else {
        a->allowed = p->audio_only_covered != 0;
        cite(d, p, BH_TH_AUDIO_ALLOWED, NULL, p->audio_only_covered != 0);
        add_modifier(a, p->audio_modifier);
        cite(d, p, BH_TH_AUDIO_MODIFIER, p->audio_modifier, 1);
    }
}

static void derive_group(deriver *d, const bh_telehealth_profile *p) {
    const bh_telehealth_query *q = d->q;
    if (p == NULL || p->group_modifier == NULL || p->group_modifier[0] == '\0') return;
    if (!q->group_session && !is_group_code(q->code)) return;
    if ((p->from && q->date < p->from) || (p->to && q->date > p->to)) return;
    add_modifier(d->a, p->group_modifier);
    cite(d, p, BH_TH_GROUP_MODIFIER, p->group_modifier, 1);
}

bh_status bh_telehealth_profile_default(bh_payer_kind kind, bh_telehealth_profile *profile) {
    bh_payer_kind table = kind == BH_PAYER_MEDICAID ? BH_PAYER_MEDICAID : BH_PAYER_COMMERCIAL;
    size_t i;
    if (profile == NULL) return BH_ERR_ARG;
    memset(profile, 0, sizeof *profile);
    profile->kind = kind;
    if (kind == BH_PAYER_MEDICARE) return BH_OK;
    profile->unconfirmed = 1;
    profile->from = table == BH_PAYER_MEDICAID ? 20220301 : 0;
    /* The generic row of each aspect (every code, every provider) holds the
    ** template's value; the first one in table order wins. */
    for (i = N_RULES; i-- > 0;) {
        const bh_telehealth_rule *r = &rules[i];
        if (r->payer != table || r->codes != BH_TH_CODES_ANY) continue;
        switch (r->aspect) {
        case BH_TH_POS:
            if (r->locations == LC(HOME)) profile->pos_home = r->value;
            else profile->pos_other = r->value;
            break;
        case BH_TH_VIDEO_MODIFIER: profile->video_modifier = r->value; break;
        case BH_TH_AUDIO_ALLOWED: profile->audio_only_covered = r->allowed; break;
        case BH_TH_AUDIO_MODIFIER: profile->audio_modifier = r->value; break;
        case BH_TH_GROUP_MODIFIER: profile->group_modifier = r->value; break;
        default: break;
        }
    }
    return BH_OK;
}

/* {====================================================================
** Derive
** ===================================================================== */

bh_status bh_telehealth_derive(const bh_telehealth_query *query, bh_telehealth_answer *answer) {
    deriver d;
    bh_telehealth_profile template_profile;
    const bh_telehealth_profile *p;
    bh_payer_kind payer;
    const bh_telehealth_rule *r;
    if (query == NULL || answer == NULL) return BH_ERR_ARG;
    memset(answer, 0, sizeof *answer);
    if (query->code == NULL || !bh_date_valid(query->date)) return BH_ERR_ARG;
    {
        /* An unknown or malformed code has no rules: answering for it would
        ** be a guess (ABC once came out "allowed, POS 10"). */
        bh_procedure_info info;
        if (!bh_procedure_lookup(query->code, strlen(query->code), &info)) return BH_ERR_ARG;
    }
    p = query->profile;
    if (p == NULL) {
        bh_telehealth_profile_default(query->payer, &template_profile);
        p = &template_profile;
    }
    payer = p->kind;
    d.q = query;
    d.a = answer;
    d.mental = is_mental_health(query->code);
    d.table_payer = payer == BH_PAYER_MEDICAID ? BH_PAYER_MEDICAID : BH_PAYER_COMMERCIAL;
    answer->in_person = BH_IN_PERSON_NOT_APPLICABLE;
    if (query->modality == BH_MODALITY_IN_PERSON) {
        answer->known = 1;
        answer->allowed = 1;
        if ((r = find(&d, BH_TH_POS, payer)) != NULL) add_row_reason(&d, r, 0);
        if (payer != BH_PAYER_MEDICARE) derive_group(&d, p);
        return BH_OK;
    }
    if (query->modality != BH_MODALITY_VIDEO && query->modality != BH_MODALITY_AUDIO_ONLY) {
        add_reason(&d, &(bh_telehealth_reason){
            .aspect = BH_TH_POS, .allowed = 0, .text = "The modality is unknown; nothing derived.",
            .source = SRC_POS_IN_PERSON, .from = 0, .to = 0, .confidence = BH_CONFIRMED});
        return BH_OK;
    }
    answer->telehealth = 1;
    if (payer == BH_PAYER_MEDICARE) {
        derive_medicare(&d);
    } else {
        derive_profile(&d, p);
        if (answer->known) derive_group(&d, p);
    }
    return BH_OK;
}

const bh_telehealth_reason *bh_telehealth_answer_reason(const bh_telehealth_answer *answer,
                                                        bh_telehealth_aspect aspect) {
    int i;
    if (answer == NULL) return NULL;
    for (i = 0; i < answer->n_reasons; i++)
        if (answer->reasons[i].aspect == aspect) return &answer->reasons[i];
    return NULL;
}

/* {====================================================================
** The claim check
** ===================================================================== */

typedef struct tchecker {
    const bh_claim *claim;
    bh_report *report;
    bh_status status;
    int claim_pos_done;         /* the claim-level POS already has its finding */
    int in_person_done;         /* telehealth.in_person reported once per claim */
} tchecker;

static void tadd(tchecker *c, const bh_finding *f) {
    if (bh_report_put(c->report, f) != BH_OK) c->status = BH_ERR_NOMEM;
}

/* An unconfirmed or secondary fact is a risk, never a certain denial. */
static bh_severity sev_of(const bh_telehealth_reason *r, bh_severity sev) {
    return (r != NULL && r->unconfirmed && sev == BH_SEV_ERROR) ? BH_SEV_WARNING : sev;
}

static const char *src_of(const bh_telehealth_reason *r, const char *fallback) {
    return r != NULL && r->source != NULL ? r->source : fallback;
}

static const tele_modifier *tele_modifier_of(const char *m) {
    size_t i;
    if (m == NULL) return NULL;
    for (i = 0; i < N_TELE_MODIFIERS; i++)
        if (bh_streq(tele_modifiers[i].code, m)) return &tele_modifiers[i];
    return NULL;
}

static int line_has(const bh_line *line, const char *m) {
    int j;
    if (m == NULL) return 0;
    for (j = 0; j < line->n_modifiers; j++)
        if (line->modifiers[j] != NULL && bh_streq(line->modifiers[j], m)) return 1;
    return 0;
}

static int answer_has(const bh_telehealth_answer *a, const char *m) {
    int j;
    for (j = 0; j < a->n_modifiers; j++)
        if (bh_streq(a->modifiers[j], m)) return 1;
    return 0;
}

static int is_tele_pos(const char *pos) {
    return pos != NULL && (bh_streq(pos, "02") || bh_streq(pos, "10"));
}

static const char *modality_word(bh_modality m) {
    return m == BH_MODALITY_VIDEO ? "video" : m == BH_MODALITY_AUDIO_ONLY ? "audio-only"
                                                                         : "in-person";
}

static void check_pos(tchecker *c, const bh_line *line, int index, const bh_telehealth_query *q,
                      const bh_telehealth_answer *a) {
    const char *pos = line->place_of_service != NULL ? line->place_of_service
                                                     : c->claim->place_of_service;
    int from_claim = line->place_of_service == NULL;
    const bh_telehealth_reason *why = bh_telehealth_answer_reason(a, BH_TH_POS);
    char where[48], msg[300], hint[120];
    if (pos == NULL || (from_claim && c->claim_pos_done)) return;
    if (from_claim) snprintf(where, sizeof where, "place_of_service");
    else snprintf(where, sizeof where, "lines[%d].place_of_service", index);
    if (!a->telehealth) {
        if (!is_tele_pos(pos)) return;
        snprintf(msg, sizeof msg, "Place of service %s is a telehealth code, but the session "
                 "was in person.", pos);
        tadd(c, &(bh_finding){
            .rule = "telehealth.pos", .severity = BH_SEV_ERROR, .path = where,
            .hint = "Report the place where the in-person service happened (e.g. 11 office), or "
                    "correct the session's modality.",
            .source = src_of(why, SRC_POS_IN_PERSON), .message = msg});
    } else if (!is_tele_pos(pos)) {
        snprintf(msg, sizeof msg, "Place of service %s is not a telehealth code, but the "
                 "session was %s.", pos, modality_word(q->modality));
        if (a->place_of_service[0] != '\0')
            snprintf(hint, sizeof hint, "Use POS %s: the patient was %s.", a->place_of_service,
                     q->patient_location == BH_LOCATION_HOME ? "at home" : "not at home");
        else
            snprintf(hint, sizeof hint, "Use a telehealth POS: 10 with the patient at home, "
                     "02 elsewhere.");
        tadd(c, &(bh_finding){
            .rule = "telehealth.pos", .severity = sev_of(why, BH_SEV_ERROR), .path = where,
            .hint = hint, .source = src_of(why, SRC_TR12671), .message = msg});
    } else if (a->place_of_service[0] != '\0' && !bh_streq(pos, a->place_of_service)) {
        snprintf(msg, sizeof msg, "Place of service %s does not match the patient's location "
                 "(%s): this payer wants %s.", pos,
                 bh_patient_location_name(q->patient_location), a->place_of_service);
        tadd(c, &(bh_finding){
            .rule = "telehealth.pos", .severity = sev_of(why, BH_SEV_ERROR), .path = where,
            .hint = bh_streq(a->place_of_service, "10")
                    ? "Use POS 10: the patient was at home (any non-facility place counts)."
                    : "Use POS 02: the patient was not at home.",
            .source = src_of(why, SRC_TR12671), .message = msg});
    } else {
        return;
    }
    if (from_claim) c->claim_pos_done = 1;
}

/* The service is not payable by telehealth: the code is not listed, or the
** patient's location may not be the originating site. */
static void check_allowed(tchecker *c, const bh_line *line, int index,
                          const bh_telehealth_answer *a) {
    const bh_telehealth_reason *why = bh_telehealth_answer_reason(a, BH_TH_LIST);
    char where[48], msg[300];
    if (why == NULL || why->allowed) why = bh_telehealth_answer_reason(a, BH_TH_SITE);
    if (why == NULL || why->allowed) return;
    snprintf(where, sizeof where, "lines[%d].code", index);
    snprintf(msg, sizeof msg, "%s is not payable by telehealth here: %s", line->code,
             why->text);
    tadd(c, &(bh_finding){
        .rule = "telehealth.pos", .severity = sev_of(why, BH_SEV_ERROR), .path = where,
        .hint = "Bill the service in person, or check the payer's telehealth list for the date.",
        .source = why->source, .message = msg});
}

static void check_modifiers(tchecker *c, const bh_line *line, int index,
                            const bh_telehealth_query *q, const bh_telehealth_answer *a) {
    const bh_telehealth_reason *video = bh_telehealth_answer_reason(a, BH_TH_VIDEO_MODIFIER);
    const bh_telehealth_reason *audio_mod = bh_telehealth_answer_reason(a, BH_TH_AUDIO_MODIFIER);
    const bh_telehealth_reason *group = bh_telehealth_answer_reason(a, BH_TH_GROUP_MODIFIER);
    const char *audio_expected = NULL;
    char where[48], msg[300];
    int j, has_video = 0, has_audio = 0;
    /* Each expected modifier that is missing. */
    for (j = 0; j < a->n_modifiers; j++) {
        const char *m = a->modifiers[j];
        const tele_modifier *tm = tele_modifier_of(m);
        int is_group = tm == NULL;     /* the only non-telehealth modifier derived */
        if (tm != NULL && tm->kind == TK_AUDIO) {
            audio_expected = m;
            continue;   /* telehealth.audio_only below */
        }
        /* A missing group modifier is group.modifier's finding (group.c),
        ** whatever the modality: report it once. */
        if (is_group || line_has(line, m)) continue;
        snprintf(where, sizeof where, "lines[%d].modifiers", index);
        snprintf(msg, sizeof msg, "Modifier %s is required on this %s line.", m,
                 is_group ? "group" : modality_word(q->modality));
        tadd(c, &(bh_finding){
            .rule = "telehealth.modifier",
            .severity = sev_of(is_group ? group : video, BH_SEV_ERROR), .path = where,
            .hint = "Append the modifier the payer asks for.",
            .source = src_of(is_group ? group : video, SRC_MOD_FALLBACK), .message = msg});
    }
    if (a->telehealth && q->modality == BH_MODALITY_AUDIO_ONLY && audio_expected != NULL &&
        !line_has(line, audio_expected) && !line_has(line, a->audio_alternative)) {
        snprintf(where, sizeof where, "lines[%d].modifiers", index);
        snprintf(msg, sizeof msg, "The session was audio-only, but the line lacks modifier "
                 "%s%s%s%s.", audio_expected, a->audio_alternative ? " (or " : "",
                 a->audio_alternative ? a->audio_alternative : "",
                 a->audio_alternative ? ")" : "");
        tadd(c, &(bh_finding){
            .rule = "telehealth.audio_only", .severity = sev_of(audio_mod, BH_SEV_ERROR),
            .path = where,
            .hint = "Mark an audio-only service with the payer's audio-only modifier.",
            .source = src_of(audio_mod, SRC_93), .message = msg});
    }
    /* Each telehealth modifier present that does not belong. */
    for (j = 0; j < line->n_modifiers; j++) {
        const char *m = line->modifiers[j];
        const tele_modifier *tm = tele_modifier_of(m);
        const bh_telehealth_reason *why;
        bh_severity sev;
        if (tm == NULL) continue;
        if (tm->kind == TK_VIDEO) has_video = 1;
        if (tm->kind == TK_AUDIO) has_audio = 1;
        if (answer_has(a, m) || (a->audio_alternative && bh_streq(m, a->audio_alternative)))
            continue;
        snprintf(where, sizeof where, "lines[%d].modifiers[%d]", index, j + 1);
        if (!a->telehealth) {
            snprintf(msg, sizeof msg, "Modifier %s marks a telehealth service, but the session "
                     "was in person.", m);
            tadd(c, &(bh_finding){
                .rule = "telehealth.modifier", .severity = BH_SEV_ERROR, .path = where,
                .hint = "Remove the telehealth modifier, or correct the session's modality.",
                .source = tm->source, .message = msg});
            continue;
        }
        if (tm->kind == TK_ASYNC || tm->kind == TK_STROKE ||
            (tm->kind == TK_VIDEO && q->modality == BH_MODALITY_AUDIO_ONLY) ||
            (tm->kind == TK_AUDIO && q->modality == BH_MODALITY_VIDEO)) {
            snprintf(msg, sizeof msg, "Modifier %s contradicts the session, which was %s.", m,
                     modality_word(q->modality));
            tadd(c, &(bh_finding){
                .rule = "telehealth.modifier", .severity = BH_SEV_ERROR, .path = where,
                .hint = "Use the modifier of the modality actually used.", .source = tm->source,
                .message = msg});
            continue;
        }
        /* The right family, the wrong one for this payer or provider. */
        why = tm->kind == TK_VIDEO ? video : audio_mod;
        sev = BH_SEV_WARNING;
        if (why != NULL)
            snprintf(msg, sizeof msg, "Modifier %s does not belong on this line for this "
                     "payer and provider: %s", m, why->text);
        else
            snprintf(msg, sizeof msg, "Modifier %s does not belong on this line for this "
                     "payer and provider.", m);
        tadd(c, &(bh_finding){
            .rule = "telehealth.modifier", .severity = sev, .path = where,
            .hint = "Remove it, or use the modifier the payer asks for.",
            .source = src_of(why, tm->source), .message = msg});
    }
    if (has_video && has_audio) {
        snprintf(where, sizeof where, "lines[%d].modifiers", index);
        tadd(c, &(bh_finding){
            .rule = "telehealth.modifier", .severity = BH_SEV_ERROR, .path = where,
            .hint = "Keep only the modifier of the modality actually used.",
            .source = "CPT 95/93 and HCPCS GT/FQ: audio-video and audio-only exclude each other "
                      "[3.1, 7.7]",
            .message = "The line carries both an audio-video and an audio-only modifier."});
    } else if (line_has(line, "95") && line_has(line, "GT")) {
        snprintf(where, sizeof where, "lines[%d].modifiers", index);
        tadd(c, &(bh_finding){
            .rule = "telehealth.modifier", .severity = BH_SEV_ERROR, .path = where,
            .hint = "Keep the one telehealth modifier the payer asks for.",
            .source = "CPT 95 and HCPCS GT mark the same audio-video service; payers ask for one "
                      "[3.1, 3.4, 7.7]",
            .message = "The line carries both 95 and GT."});
    }
}

static void check_audio(tchecker *c, int index, const bh_telehealth_query *q,
                        const bh_telehealth_answer *a) {
    const bh_telehealth_reason *why = bh_telehealth_answer_reason(a, BH_TH_AUDIO_ALLOWED);
    char where[48], msg[300];
    if (q->modality != BH_MODALITY_AUDIO_ONLY || why == NULL || why->allowed) return;
    snprintf(where, sizeof where, "lines[%d]", index);
    snprintf(msg, sizeof msg, "Audio-only is not allowed here (patient location: %s): %s",
             bh_patient_location_name(q->patient_location), why->text);
    tadd(c, &(bh_finding){
        .rule = "telehealth.audio_only", .severity = sev_of(why, BH_SEV_ERROR), .path = where,
        .hint = "Deliver the service by video or in person, or confirm the payer covers "
                "audio-only.",
        .source = why->source, .message = msg});
}

static void check_in_person(tchecker *c, const bh_telehealth_answer *a, bh_date last) {
    const bh_telehealth_reason *why = bh_telehealth_answer_reason(a, BH_TH_IN_PERSON);
    char since[11], seen[11], msg[400];
    if (c->in_person_done || why == NULL) return;
    if (a->in_person != BH_IN_PERSON_NOT_MET && a->in_person != BH_IN_PERSON_UNKNOWN) return;
    bh_date_format(a->in_person_since, since);
    if (last != 0) bh_date_format(last, seen);
    if (a->in_person == BH_IN_PERSON_NOT_MET)
        snprintf(msg, sizeof msg, "The last in-person visit (%s) is outside the window: "
                 "Medicare mental-health telehealth to the home needs one on or after %s.",
                 seen, since);
    else if (last == 0)
        snprintf(msg, sizeof msg, "The date of the last in-person visit is unknown: Medicare "
                 "mental-health telehealth to the home needs one within 6 months before the "
                 "first telehealth service (on or after %s), then every 12 months.", since);
    else
        snprintf(msg, sizeof msg, "The last in-person visit (%s) meets the requirement only if "
                 "this is not the patient's first telehealth service; the first needs one on "
                 "or after %s.", seen, since);
    tadd(c, &(bh_finding){
        .rule = "telehealth.in_person",
        .severity = a->in_person == BH_IN_PERSON_NOT_MET ? BH_SEV_ERROR : BH_SEV_WARNING,
        .path = "session.last_in_person",
        .hint = "Record the last in-person visit (a same-specialty colleague in the group counts), "
                "or document the exception that applies.",
        .source = why->source, .message = msg});
    c->in_person_done = 1;
}

static bh_patient_location location_of(const char *text) {
    bh_patient_location loc = BH_LOCATION_UNKNOWN;
    if (text != NULL) bh_patient_location_parse(text, strlen(text), &loc);
    return loc;
}

bh_status bh_telehealth_check(const bh_claim *claim, const bh_telehealth_profile *profile,
                              bh_provider_kind provider_kind, bh_report *report) {
    tchecker c;
    const bh_session *s;
    int i;
    if (claim == NULL || report == NULL) return BH_ERR_ARG;
    s = &claim->session;
    if (s->state != BH_FIELD_OK || s->modality == BH_MODALITY_UNKNOWN) return BH_OK;
    c.claim = claim;
    c.report = report;
    c.status = BH_OK;
    c.claim_pos_done = 0;
    c.in_person_done = 0;
    for (i = 0; i < claim->n_lines && c.status == BH_OK; i++) {
        const bh_line *line = &claim->lines[i];
        bh_telehealth_query q;
        bh_telehealth_answer a;
        if (line->code == NULL || line->code_state != BH_FIELD_OK || line->date == 0) continue;
        memset(&q, 0, sizeof q);
        q.code = line->code;
        q.date = line->date;
        q.payer = claim->payer.kind;
        q.profile = profile;
        q.modality = s->modality;
        q.patient_location = location_of(s->patient_location);
        q.provider_kind = provider_kind;
        q.last_in_person = s->last_in_person;
        q.first_telehealth = -1;    /* a claim does not say */
        q.group_session = s->kind == BH_SESSION_GROUP;
        if (bh_telehealth_derive(&q, &a) != BH_OK || !a.known) continue;
        check_pos(&c, line, i + 1, &q, &a);
        if (a.telehealth) check_allowed(&c, line, i + 1, &a);
        check_modifiers(&c, line, i + 1, &q, &a);
        if (a.telehealth) {
            check_audio(&c, i + 1, &q, &a);
            check_in_person(&c, &a, q.last_in_person);
        }
    }
    return c.status;
}
