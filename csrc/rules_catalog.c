/*
** rules_catalog.c: every rule id the checks emit, with the adjustment a
** payer most likely answers it with (group code, CARC, RARC) and where that
** reading comes from. One table: the binding exposes it as
** core.rules_catalog(), each finding carries its row's denial, and the
** remittance side inverts it to tie a CARC back to the checks that predict
** it. CARC/RARC meanings: rules-reference section 6 (X12 code lists).
** Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <string.h>
#include "core.h"

#define S6 "rules-reference 6: "
#define CARC31 "X12 CARC list: 31 (patient cannot be identified as our insured); " \
               "not in rules-reference 6"
#define FRONT S6 "CARC 16 needs a RARC; MA130 marks a claim unprocessable"

/* Rows sorted by rule id (then a path-specific row before the general one)
** so the table reads like docs/rules.md. A NULL group means no denial is
** predicted (notes, and findings a payer never sees). */
static const bh_rule_denial catalog[] = {
    {"addon.primary", NULL, "error", "CO", "97", NULL,
     S6 "CARC 97 (included in another service); rules-reference 1.3: an add-on without "
        "its primary is denied, commonly CO-97"},
    {"check.skipped", NULL, "info", NULL, NULL, NULL, "bhclaim: a note, no denial"},
    {"claim.duplicate", NULL, "error", "OA", "18", NULL,
     S6 "CARC 18 (exact duplicate claim/service), used only with group code OA"},
    {"claim.schema", NULL, "error", "CO", "16", "MA130", FRONT},
    {"claim.timely_filing", NULL, NULL, "CO", "29", NULL,
     S6 "CARC 29 (the time limit for filing has expired)"},
    {"claim.total", NULL, "error", "CO", "16", "MA130", FRONT},
    {"code.cpt.format", NULL, "error", "CO", "16", "M51",
     S6 "CARC 16 with M51 (missing/incomplete/invalid procedure code)"},
    {"code.cpt.unknown", NULL, NULL, "CO", "181", NULL,
     S6 "CARC 181 (procedure code invalid on the date of service)"},
    {"code.dx_procedure", NULL, "error", "CO", "11", NULL,
     S6 "CARC 11 (the diagnosis is inconsistent with the procedure)"},
    {"code.frequency", NULL, NULL, "CO", "119", "N130",
     S6 "CARC 119 (benefit maximum for this time period) with N130 (plan restrictions)"},
    {"code.icd10.duplicate", NULL, "error", "CO", "16", "M76",
     S6 "CARC 16 with M76 (missing/incomplete/invalid diagnosis)"},
    {"code.icd10.header", NULL, "error", "CO", "16", "M76",
     S6 "CARC 16 with M76 (missing/incomplete/invalid diagnosis)"},
    {"code.icd10.invalid", NULL, "error", "CO", "16", "M76",
     S6 "CARC 16 with M76 (missing/incomplete/invalid diagnosis)"},
    {"code.icd10.year", NULL, "info", NULL, NULL, NULL, "bhclaim: a note, no denial"},
    {"code.modifier.unknown", NULL, "error", "CO", "182", NULL,
     S6 "CARC 182 (procedure modifier invalid on the date of service)"},
    {"code.pos.unknown", NULL, "error", "CO", "16", "M77",
     S6 "CARC 16 with M77 (missing/incomplete/invalid place of service)"},
    {"code.setting", NULL, NULL, "CO", "96", "N657",
     S6 "CARC 96 (non-covered charge) with N657 (bill with the appropriate code)"},
    {"coverage.auth", NULL, "error", "CO", "197", NULL,
     S6 "CARC 197 (precertification/authorization absent)"},
    {"coverage.inactive", NULL, "error", "CO", "27", NULL,
     S6 "CARC 27 (expenses incurred after coverage terminated)"},
    {"coverage.limit", NULL, "error", "CO", "119", "N130",
     S6 "CARC 119 (benefit maximum for this time period) with N130 (plan restrictions)"},
    {"coverage.member", "subscriber", "error", "CO", "31", NULL, CARC31},
    {"coverage.member", "subscriber.birth_date", "error", "CO", "31", NULL, CARC31},
    {"coverage.member", "patient.birth_date", "error", "CO", "31", NULL, CARC31},
    {"coverage.member", NULL, "error", "CO", "140", NULL,
     "X12 CARC list: 140 (patient/insured health identification number and name do not "
     "match); not in rules-reference 6"},
    {"coverage.service", "payer.id", "error", "CO", "109", NULL,
     S6 "CARC 109 (not covered by this payer: send to the correct payer), the carve-out "
        "plan the 271 names"},
    {"coverage.service", NULL, "error", "CO", "204", NULL,
     S6 "CARC 204 (not covered under the patient's current benefit plan)"},
    {"date.future", NULL, "error", "CO", "16", "MA130", FRONT},
    {"date.invalid", NULL, "error", "CO", "16", "MA130", FRONT},
    {"date.order", NULL, "error", "CO", "16", "MA130", FRONT},
    {"doc.cloned", NULL, "warning", "CO", "50", NULL,
     S6 "CARC 50 (not deemed a medical necessity): documentation that does not support "
        "the service, on review"},
    {"doc.necessity", NULL, NULL, "CO", "50", NULL,
     S6 "CARC 50 (not deemed a medical necessity)"},
    {"doc.participation", NULL, NULL, "CO", "50", NULL,
     S6 "CARC 50 (not deemed a medical necessity): documentation, on review"},
    {"doc.plan", NULL, NULL, "CO", "50", NULL,
     S6 "CARC 50 (not deemed a medical necessity): documentation, on review"},
    {"doc.signature", NULL, "error", "CO", "50", NULL,
     S6 "CARC 50 (not deemed a medical necessity): an unsigned note does not support the "
        "service, on review"},
    {"doc.times", NULL, NULL, "CO", "50", NULL,
     S6 "CARC 50 (not deemed a medical necessity): documentation, on review"},
    {"group.attendance", NULL, "info", NULL, NULL, NULL, "bhclaim: a note, no claim is made"},
    {"group.duration", NULL, NULL, "CO", "50", NULL,
     S6 "CARC 50 (not deemed a medical necessity)"},
    {"group.modifier", NULL, NULL, "CO", "4", NULL,
     S6 "CARC 4 (procedure code inconsistent with the modifier used)"},
    {"group.participants", NULL, NULL, "CO", "50", NULL,
     S6 "CARC 50 (not deemed a medical necessity)"},
    {"line.charge", NULL, "error", "CO", "16", "MA130", FRONT},
    {"line.dx_pointer", NULL, "error", "CO", "16", "M76",
     S6 "CARC 16 with M76 (missing/incomplete/invalid diagnosis)"},
    {"line.units", NULL, "error", "CO", "16", "MA130", FRONT},
    {"modifier.bypass", NULL, "warning", "CO", "236", NULL,
     S6 "CARC 236 (procedure/modifier combination not compatible under NCCI)"},
    {"ncci.mue", NULL, NULL, "CO", "151", "N362",
     S6 "CARC 151 (information does not support this many services) with N362 (units "
        "exceed the acceptable maximum)"},
    {"ncci.ptp", NULL, NULL, "CO", "97", "M15",
     S6 "CARC 97 (included in another service) with M15 (bundled components)"},
    {"npi.checksum", "billing_provider.npi", "error", "CO", "16", "N257",
     S6 "CARC 16; N257 (billing provider identifier) is not in the section 6 list: "
        "verify against X12"},
    {"npi.checksum", "rendering_provider.npi", "error", "CO", "16", "N290",
     S6 "CARC 16 with N290 (missing/incomplete/invalid rendering provider identifier)"},
    {"npi.checksum", NULL, "error", "CO", "16", "MA130", FRONT},
    {"payer.prior_auth", NULL, NULL, "CO", "197", NULL,
     S6 "CARC 197 (precertification/authorization absent)"},
    {"provider.credential", NULL, NULL, "CO", "170", "N95",
     S6 "CARC 170 (denied when performed by this type of provider) with N95 (provider "
        "type may not bill this service)"},
    {"taxonomy.format", NULL, "error", "CO", "16", "MA130", FRONT},
    {"telehealth.audio_only", NULL, NULL, "CO", "4", NULL,
     S6 "CARC 4 (procedure code inconsistent with the modifier used)"},
    {"telehealth.in_person", NULL, NULL, "CO", "96", "N130",
     S6 "CARC 96 (non-covered charge) with N130 (plan restrictions)"},
    {"telehealth.modifier", NULL, NULL, "CO", "4", NULL,
     S6 "CARC 4 (procedure code inconsistent with the modifier used)"},
    {"telehealth.pos", NULL, NULL, "CO", "5", "M77",
     S6 "CARC 5 (inconsistent with the place of service) with M77 (invalid place of "
        "service)"},
    {"tin.format", NULL, "error", "CO", "16", "MA130", FRONT},
};

const bh_rule_denial *bh_rules_catalog(size_t *count) {
    if (count != NULL) *count = sizeof catalog / sizeof catalog[0];
    return catalog;
}

const bh_rule_denial *bh_rule_denial_find(const char *rule, const char *path) {
    size_t i;
    const bh_rule_denial *general = NULL;
    if (rule == NULL) return NULL;
    for (i = 0; i < sizeof catalog / sizeof catalog[0]; i++) {
        const bh_rule_denial *row = &catalog[i];
        if (row->rule[0] != rule[0] || !bh_streq(row->rule, rule)) continue;
        if (row->path == NULL) {
            if (general == NULL) general = row;
        } else if (path != NULL && bh_streq(row->path, path)) {
            return row;
        }
    }
    return general;
}
