/*
** bhclaim.h: the public C API of the bhclaim core.
** The core models a professional (CMS-1500 / 837P) claim, validates its codes
** and identifiers, and reports findings. Pure C99: no Lua header may be
** included here or by any core file. Re-entrant: no global mutable state.
** SPDX-License-Identifier: MIT
*/
#ifndef BHCLAIM_H
#define BHCLAIM_H

#include <stddef.h>
#include <stdint.h>

#define BH_VERSION "0.1.0"

/* Limits. Each is the largest value the 837P allows for the thing it bounds
** (005010X222A1: 12 diagnosis codes in HI, 50 service lines per claim, four
** modifiers in SV101, four diagnosis pointers in SV107). */
#ifndef BH_MAX_DIAGNOSES
#define BH_MAX_DIAGNOSES 12
#endif
#ifndef BH_MAX_LINES
#define BH_MAX_LINES 50
#endif
#ifndef BH_MAX_MODIFIERS
#define BH_MAX_MODIFIERS 4
#endif
#ifndef BH_MAX_POINTERS
#define BH_MAX_POINTERS 4
#endif
/* JSON nesting deeper than this is refused before it can exhaust a stack. */
#ifndef BH_MAX_DEPTH
#define BH_MAX_DEPTH 200
#endif

/* {====================================================================
** Status and errors
** ===================================================================== */

typedef enum bh_status {
    BH_OK = 0,
    BH_ERR_SYNTAX,      /* input is not well-formed (JSON syntax, X12 structure) */
    BH_ERR_LIMIT,       /* input exceeds a BH_MAX_* limit */
    BH_ERR_NOMEM,       /* an allocation failed; nothing was leaked */
    BH_ERR_ARG          /* a caller passed NULL or an out-of-range argument */
} bh_status;

/* Filled by functions that can fail on their input. Caller-owned. */
typedef struct bh_error {
    bh_status code;     /* BH_OK when nothing failed */
    long line;          /* 1-based line of the failure in the input, 0 if unknown */
    long byte;          /* 1-based byte offset of the failure, 0 if unknown */
    char id[24];        /* stable machine id, e.g. "json.syntax", "json.nul" */
    char message[200];  /* position, then expected, then found; never input text */
} bh_error;

/* A date as the integer YYYYMMDD (2026-03-02 is 20260302); 0 means absent. */
typedef int32_t bh_date;

/* Parses "YYYY-MM-DD" of exactly that length into *out. Returns 1 for a real
** calendar date (years 1800-2999), 0 otherwise (*out untouched). */
int bh_date_parse(const char *text, size_t len, bh_date *out);

/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void bh_date_format(bh_date date, char buf[11]);

/* Whole days from a to b (b - a); both must be valid dates. */
long bh_date_diff_days(bh_date a, bh_date b);

/* Money: integer cents. Parses "45", "45.5", "45.00", "-3.10" (at most two
** decimals, at most 11 integer digits). Returns 1 on success, 0 otherwise. */
int bh_money_parse(const char *text, size_t len, int64_t *cents);

/* Writes cents with two decimals ("45.00", "-0.05") into buf (>= 24 bytes). */
void bh_money_format(int64_t cents, char buf[24]);

/* {====================================================================
** Findings: the contract every check speaks (see docs/rules.md)
** ===================================================================== */

typedef enum bh_severity {
    BH_SEV_INFO = 0,    /* worth knowing; the claim can go */
    BH_SEV_WARNING,     /* audit or denial risk */
    BH_SEV_ERROR        /* the claim will be rejected or denied */
} bh_severity;

/* One finding. Every string lives as long as the report holding it (until
** the next bh_report_reset or bh_report_free). */
typedef struct bh_finding {
    const char *rule;       /* stable dotted id, e.g. "code.icd10.header" */
    bh_severity severity;
    const char *path;       /* into the claim, 1-based: "lines[2].modifiers[1]" */
    const char *message;    /* one plain sentence */
    const char *hint;       /* what to change; "" when none */
    const char *source;     /* the rule's authority; "" when none */
} bh_finding;

typedef struct bh_report bh_report;

/* Creates an empty report. Owned by the caller: free with bh_report_free.
** Returns NULL when out of memory. */
bh_report *bh_report_new(void);

/* Frees a report and every string of its findings. NULL-safe. */
void bh_report_free(bh_report *report);

/* Drops all findings but keeps the memory for reuse by the next claim. */
void bh_report_reset(bh_report *report);

/* Number of findings held. */
size_t bh_report_count(const bh_report *report);

/* Number of findings of one severity. */
size_t bh_report_count_severity(const bh_report *report, bh_severity severity);

/* The i-th finding (0-based), or NULL when i is out of range. */
const bh_finding *bh_report_get(const bh_report *report, size_t i);

/* Appends a finding, copying every string. path, hint and source may be NULL.
** The message is printf-formatted and cut at 400 bytes. Returns BH_OK or
** BH_ERR_NOMEM (then the report is unchanged). */
bh_status bh_report_add(bh_report *report, const char *rule, bh_severity severity,
                        const char *path, const char *hint, const char *source,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Name of a severity: "info", "warning" or "error". */
const char *bh_severity_name(bh_severity severity);

/* {====================================================================
** The claim model
** ===================================================================== */

/* How a field came in: absent, present and usable, or present but unusable
** (wrong type or shape). An unusable field already has a claim.schema
** finding, so later checks skip it rather than report it twice. */
typedef enum bh_field_state {
    BH_FIELD_ABSENT = 0,
    BH_FIELD_OK,
    BH_FIELD_BAD
} bh_field_state;

typedef enum bh_payer_kind {
    BH_PAYER_UNKNOWN = 0,   /* absent or not one of the names below */
    BH_PAYER_MEDICARE,
    BH_PAYER_MEDICAID,
    BH_PAYER_COMMERCIAL,
    BH_PAYER_OTHER
} bh_payer_kind;

/* A person's or an organisation's name. An organisation, or a name given as
** one string, has only `last`. Strings are NULL when absent. */
typedef struct bh_name {
    const char *last;       /* family name, or the whole organisation name */
    const char *first;
    const char *middle;
    const char *suffix;     /* "JR", "III" */
} bh_name;

typedef struct bh_address {
    const char *line1;
    const char *line2;
    const char *city;
    const char *state;      /* two-letter USPS code */
    const char *zip;        /* 5 or 9 digits, hyphen allowed */
} bh_address;

typedef struct bh_provider {
    bh_field_state state;   /* the block as a whole */
    bh_name name;
    const char *npi;        /* 10 digits */
    const char *tin;        /* 9 digits, hyphen allowed (billing provider only) */
    const char *taxonomy;   /* 10-character NUCC code */
    const char *credential; /* "LCSW", "PhD", ... (rendering provider) */
    bh_address address;
} bh_provider;

typedef struct bh_person {
    bh_field_state state;   /* the block as a whole */
    bh_name name;
    const char *member_id;  /* payer's member id (subscriber) */
    const char *birth_date_text;
    bh_date birth_date;     /* 0 when absent or unusable */
    const char *sex;        /* "M", "F" or "U" */
    const char *relationship; /* subscriber: "self", "spouse", "child", "other" */
    bh_address address;
} bh_person;

typedef struct bh_payer {
    bh_field_state state;
    const char *id;         /* payer id as the clearinghouse knows it */
    const char *name;
    const char *kind_text;  /* as given */
    bh_payer_kind kind;
    const char *responsibility; /* SBR01: P primary, S secondary, T tertiary, A-H,
                                   U; NULL: P */
    const char *filing_code;    /* SBR09 as given (MB, MC, CI, BL, VA...); NULL:
                                   derived from kind */
    const char *group_number;   /* SBR03: group or policy number */
    const char *group_name;     /* SBR04 */
} bh_payer;

/* Other payers (coordination of benefits). Limits are the guide's: 10 other
** payers (2320), 15 adjudications per line (2430), 5 CAS segments of 6
** adjustments each. */
#define BH_MAX_OTHER_PAYERS 10
#define BH_MAX_ADJUDICATIONS 15
#define BH_MAX_ADJUSTMENTS 30

/* One claim adjustment (a CAS triplet): group, reason, amount, quantity. */
typedef struct bh_adjustment {
    const char *group;      /* CAS01: CO, CR, OA, PI, PR */
    const char *reason;     /* CARC */
    int64_t amount;         /* cents */
    const char *quantity;   /* as given, NULL when absent */
} bh_adjustment;

/* A payer that saw the claim before (2320, 2330A, 2330B). */
typedef struct bh_other_payer {
    const char *responsibility;     /* SBR01 */
    const char *relationship;       /* SBR02 individual relationship code (01, 18, 19, G8...) */
    const char *group_number;       /* SBR03 */
    const char *group_name;         /* SBR04 */
    const char *filing_code;        /* SBR09 */
    int64_t paid;                   /* AMT*D, cents */
    bh_field_state paid_state;
    int64_t remaining;              /* AMT*EAF, cents */
    bh_field_state remaining_state;
    const char *benefits_assignment;        /* OI03 */
    const char *patient_signature_source;   /* OI04 */
    const char *release_of_information;     /* OI06 */
    bh_adjustment adjustments[BH_MAX_ADJUSTMENTS];
    int n_adjustments;
    bh_name subscriber_name;        /* 2330A NM1*IL */
    const char *member_id;          /* 2330A NM109 (MI) */
    bh_address subscriber_address;  /* 2330A N3/N4; line1 NULL when none */
    const char *payer_name;         /* 2330B NM103 */
    const char *payer_id;           /* 2330B NM109 (PI) */
} bh_other_payer;

/* A 2300 DTP other than the service dates (431 onset, 454 initial
** treatment, 304 last seen, 435 admission...) and a 2300 REF other than
** G1 and F8 (D9 clearinghouse trace, EA medical record, 9F referral...). */
#define BH_MAX_CLAIM_DATES 20
#define BH_MAX_CLAIM_REFERENCES 20

typedef struct bh_claim_date {
    const char *qualifier;  /* DTP01 */
    bh_date date;           /* DTP03 (the start of an RD8 range) */
    bh_date date_end;       /* 0 unless RD8 */
} bh_claim_date;

typedef struct bh_claim_reference {
    const char *qualifier;  /* REF01 */
    const char *value;      /* REF02 */
} bh_claim_reference;

/* A prior payer's adjudication of one line (2430 SVD, CAS, DTP*573). */
typedef struct bh_adjudication {
    const char *payer_id;           /* SVD01: an other payer's payer_id */
    int64_t paid;                   /* SVD02, cents */
    const char *code;               /* SVD03-2 */
    const char *modifiers[BH_MAX_MODIFIERS];
    int n_modifiers;
    double units;                   /* SVD05 */
    bh_adjustment adjustments[BH_MAX_ADJUSTMENTS];
    int n_adjustments;
    bh_date date;                   /* DTP*573 adjudication or payment date */
    const char *date_text;
} bh_adjudication;

typedef struct bh_line {
    const char *code;                           /* CPT or HCPCS code */
    bh_field_state code_state;
    const char *modifiers[BH_MAX_MODIFIERS];
    int n_modifiers;
    double units;                               /* service units; whole for BH codes */
    bh_field_state units_state;
    int64_t charge;                             /* cents */
    bh_field_state charge_state;
    const char *date_text;                      /* date of service as given */
    bh_date date;                               /* 0 when absent or unusable */
    bh_field_state date_state;
    const char *place_of_service;               /* overrides the claim's; NULL if none */
    int dx_pointers[BH_MAX_POINTERS];           /* 1-based into the claim's diagnoses */
    int n_dx_pointers;
    bh_field_state dx_pointers_state;
    const char *date_end_text;                  /* last date of a range (RD8); NULL: one day */
    bh_date date_end;
    const char *unit_type;                      /* SV103: "UN" units (NULL) or "MJ" minutes */
    const char *control_number;                 /* REF*6R line item control number; the
                                                   writer makes one when NULL */
    bh_provider rendering_provider;             /* 2420A; state ABSENT: the claim's */
    bh_adjudication *adjudications;             /* 2430, in the claim's arena */
    int n_adjudications;
} bh_line;

typedef enum bh_session_kind {
    BH_SESSION_UNKNOWN = 0, BH_SESSION_INDIVIDUAL, BH_SESSION_GROUP, BH_SESSION_FAMILY
} bh_session_kind;

typedef enum bh_modality {
    BH_MODALITY_UNKNOWN = 0, BH_MODALITY_IN_PERSON, BH_MODALITY_VIDEO, BH_MODALITY_AUDIO_ONLY
} bh_modality;

/* What behavioral-health checks need about the encounter. Optional: a claim
** read from an 837P has none (state BH_FIELD_ABSENT). */
typedef struct bh_session {
    bh_field_state state;
    bh_session_kind kind;
    int start;              /* minutes after midnight, -1 when absent */
    int end;                /* minutes after midnight, -1 when absent */
    int minutes;            /* stated length in minutes, -1 when absent */
    int patients_present;   /* -1 when absent */
    int minutes_present;    /* this patient's minutes in the session, -1 when absent */
    bh_modality modality;
    const char *patient_location;   /* "home", "facility", "other" */
    const char *provider_location;
    const char *last_in_person_text;
    bh_date last_in_person; /* date of the last in-person visit, 0 if unknown */
} bh_session;

typedef struct bh_signature {
    const char *name;
    const char *credential;
    const char *date_text;
    bh_date date;
} bh_signature;

/* The clinical note elements a payer or auditor asks for. Optional. */
typedef struct bh_documentation {
    bh_field_state state;
    const char *purpose;            /* group purpose or topics */
    const char *participation;      /* this patient's participation and response */
    const char *medical_necessity;
    const char *plan_goal;          /* treatment-plan goal the service serves */
    bh_field_state signature_state;
    bh_signature signature;
} bh_documentation;

typedef struct bh_claim bh_claim;

/* The claim's fields. Every string is NUL-terminated and owned by the claim
** (valid until bh_claim_reset or bh_claim_free). */
struct bh_claim {
    const char *id;                             /* patient control number */
    bh_payer payer;
    bh_provider billing_provider;
    bh_provider rendering_provider;
    bh_person subscriber;
    bh_person patient;                          /* ABSENT when patient = subscriber */
    const char *diagnoses[BH_MAX_DIAGNOSES];    /* ICD-10-CM, as given (dot optional) */
    int n_diagnoses;
    bh_field_state diagnoses_state;
    const char *diagnosis_code_set;             /* "icd10" (NULL: HI ABK/ABF) or "icd9"
                                                   (BK/BF, as older files carry) */
    const char *place_of_service;               /* two digits */
    const char *prior_authorization;
    int64_t total_charge;                       /* cents, when the claim states one */
    bh_field_state total_charge_state;
    const char *frequency;                      /* claim frequency: "1", "7", "8" */
    const char *payer_claim_number;             /* REF*F8: the payer's control number of
                                                   the claim a 7 or 8 replaces or voids */
    const char *note;                           /* free text for the payer (NTE) */
    bh_provider referring_provider;             /* 2310A (NM1*DN); optional */
    bh_provider service_facility;               /* 2310C (NM1*77): name, NPI, address */
    bh_address pay_to_address;                  /* 2010AB; line1 NULL when none */
    /* CLM06-CLM10 as given; NULL: the writer's defaults Y, A, Y, Y, none. */
    const char *provider_signature;             /* CLM06: Y or N */
    const char *assignment;                     /* CLM07: A, B or C */
    const char *benefits_assignment;            /* CLM08: Y, N or W */
    const char *release_of_information;         /* CLM09: I or Y */
    const char *patient_signature_source;       /* CLM10: P */
    bh_other_payer *other_payers;               /* 2320/2330, in the claim's arena */
    int n_other_payers;
    bh_claim_date *claim_dates;                 /* 2300 DTP, in the claim's arena */
    int n_claim_dates;
    bh_claim_reference *claim_references;       /* 2300 REF, in the claim's arena */
    int n_claim_references;
    bh_line lines[BH_MAX_LINES];
    int n_lines;
    bh_field_state lines_state;
    bh_session session;
    bh_documentation documentation;
    struct bh_arena *arena;                     /* owns the strings above */
};

/* Creates an empty claim with its own string arena. Free with bh_claim_free.
** Returns NULL when out of memory. */
bh_claim *bh_claim_new(void);

/* Frees the claim and all its strings. NULL-safe. */
void bh_claim_free(bh_claim *claim);

/* Empties the claim for reuse; keeps the arena's first block. */
void bh_claim_reset(bh_claim *claim);

/* Copies len bytes of text into the claim's arena, NUL-terminated, and
** returns the copy (NULL when out of memory). For readers that build claims. */
const char *bh_claim_strdup(bh_claim *claim, const char *text, size_t len);

/* Zeroed memory for n objects of size bytes in the claim's arena (other
** payers, adjudications), or NULL when out of memory. */
void *bh_claim_alloc(bh_claim *claim, size_t n, size_t size);

/* Reads one claim's JSON text into `claim` (reset first) in a single pass,
** without building a tree. Wrong types and malformed fields become
** claim.schema findings in `report`; unknown keys are skipped (the Lua
** layer keeps them on a round trip). Returns BH_OK when the text is JSON
** (findings may have been added), BH_ERR_SYNTAX when it is not (err says
** line, byte and what was expected; the report is left as it was),
** BH_ERR_LIMIT when nested deeper than BH_MAX_DEPTH, BH_ERR_NOMEM. err may
** be NULL. */
bh_status bh_claim_parse_json(bh_claim *claim, const char *json, size_t len,
                              bh_report *report, bh_error *err);

struct cJSON;

/* Parses any JSON text into a cJSON tree with the core's error positions:
** NUL characters (raw or \u0000) are refused, only white space may follow
** the value, and a failure is classed as "json.syntax", "json.depth"
** (deeper than BH_MAX_DEPTH) or "json.nul" with its line and byte. Returns
** a tree the caller frees with cJSON_Delete, or NULL with err filled. */
struct cJSON *bh_json_parse(const char *json, size_t len, bh_error *err);



/* {====================================================================
** Telehealth: place of service and modifiers by payer and date
** ===================================================================== */

/* {====================================================================
** Enumerations and their names
** ===================================================================== */

/* Who bills the service, as far as the telehealth rules care. */
typedef enum bh_provider_kind {
    BH_PROVIDER_PRACTITIONER = 0,   /* a physician or practitioner billing the PFS */
    BH_PROVIDER_FQHC,               /* federally qualified health center */
    BH_PROVIDER_RHC,                /* rural health clinic */
    BH_PROVIDER_CAH_METHOD_II,      /* critical access hospital, Optional Method II */
    BH_PROVIDER_HOSPITAL_OUTPATIENT /* hospital outpatient staff (patient at home) */
} bh_provider_kind;

#define BH_PROVIDER_KIND_COUNT 5

/* Where the patient was during the service. "home" includes non-facility
** places such as a car or a workplace (NGS Medicare, CY2024 PFS). */
typedef enum bh_patient_location {
    BH_LOCATION_UNKNOWN = 0,        /* not recorded */
    BH_LOCATION_HOME,
    BH_LOCATION_FACILITY,           /* a clinic, hospital or other originating site */
    BH_LOCATION_OTHER
} bh_patient_location;

/* How far a fact is established, as the rules reference marks it. */
typedef enum bh_confidence {
    BH_CONFIRMED = 0,       /* stated by the cited source (CMS, MAC, statute, payer) */
    BH_SECONDARY,           /* stated only by a trade or vendor page */
    BH_UNCONFIRMED          /* not found in any source: a default to override */
} bh_confidence;

/* The in-person visit requirement for Medicare mental-health telehealth to
** a patient at home, on the date of service. */
typedef enum bh_in_person_state {
    BH_IN_PERSON_NOT_APPLICABLE = 0, /* not Medicare, home, telehealth and mental health */
    BH_IN_PERSON_NOT_ENFORCED,       /* waived, delayed, or a lapse restored retroactively */
    BH_IN_PERSON_MET,                /* in force and the last in-person visit is in the window */
    BH_IN_PERSON_NOT_MET,            /* in force and the last in-person visit is too old */
    BH_IN_PERSON_UNKNOWN             /* in force; visit date or first-service flag unknown */
} bh_in_person_state;

/* Names: "practitioner", "fqhc", "rhc", "cah_method_ii", "hospital_outpatient". */
const char *bh_provider_kind_name(bh_provider_kind kind);
/* Reads a provider-kind name of len bytes into *out. Returns 1 when known. */
int bh_provider_kind_parse(const char *text, size_t len, bh_provider_kind *out);

/* Names: "unknown", "home", "facility", "other". */
const char *bh_patient_location_name(bh_patient_location location);
/* Reads "home", "facility" or "other" into *out. Returns 1 when known. */
int bh_patient_location_parse(const char *text, size_t len, bh_patient_location *out);

/* Names: "confirmed", "secondary", "unconfirmed". */
const char *bh_confidence_name(bh_confidence confidence);

/* Names: "not_applicable", "not_enforced", "met", "not_met", "unknown". */
const char *bh_in_person_state_name(bh_in_person_state state);

/* {====================================================================
** The dated data
** ===================================================================== */

/* What a data row decides. */
typedef enum bh_telehealth_aspect {
    BH_TH_LIST = 0,         /* the code is payable by telehealth (Medicare telehealth list) */
    BH_TH_SITE,             /* the patient's location may be the originating site */
    BH_TH_POS,              /* the place of service to report */
    BH_TH_RATE,             /* which fee-schedule rate that POS is paid at */
    BH_TH_VIDEO_MODIFIER,   /* the modifier that marks an audio-video service */
    BH_TH_AUDIO_ALLOWED,    /* whether audio-only is allowed */
    BH_TH_AUDIO_MODIFIER,   /* the modifier that marks an audio-only service */
    BH_TH_GROUP_MODIFIER,   /* the modifier that marks a group service */
    BH_TH_IN_PERSON         /* whether the in-person visit requirement is in force */
} bh_telehealth_aspect;

#define BH_TH_ASPECT_COUNT 9

/* Which codes a row applies to. */
typedef enum bh_telehealth_codes {
    BH_TH_CODES_ANY = 0,
    BH_TH_CODES_MENTAL_HEALTH,  /* CPT Psychiatry subsection 90785-90899 */
    BH_TH_CODES_OTHER,          /* every code outside that subsection */
    BH_TH_CODES_ONE             /* only the row's `code` */
} bh_telehealth_codes;

/* One dated rule. Rows are tried in table order; for each aspect the first
** row whose conditions all hold decides. A mask of 0 matches everything;
** otherwise bit (1u << enum value) selects a provider kind, a patient
** location or a bh_modality. All strings are static. */
typedef struct bh_telehealth_rule {
    bh_telehealth_aspect aspect;    /* what the row decides */
    bh_payer_kind payer;            /* BH_PAYER_UNKNOWN: every payer */
    bh_date from;                   /* first date of service, YYYYMMDD; 0 open */
    bh_date to;                     /* last date of service, YYYYMMDD; 0 open */
    unsigned providers;             /* bit per bh_provider_kind; 0 every kind */
    unsigned locations;             /* bit per bh_patient_location; 0 every place */
    unsigned modalities;            /* bit per bh_modality; 0 every modality */
    bh_telehealth_codes codes;      /* which codes */
    const char *code;               /* the code for BH_TH_CODES_ONE, else NULL */
    int allowed;                    /* LIST/SITE/AUDIO_ALLOWED: 1 allowed; IN_PERSON: 1 in force */
    const char *value;              /* POS, rate or modifier; NULL for none */
    const char *alternative;        /* a modifier also accepted in place of value, or NULL */
    const char *text;               /* the rule in one sentence */
    const char *source;             /* its authority, as in the rules reference */
    bh_confidence confidence;       /* as the reference marks the fact */
} bh_telehealth_rule;

/* The whole table, in decision order; *count gets its length. Static. */
const bh_telehealth_rule *bh_telehealth_rules(size_t *count);

/* {====================================================================
** Payer profiles (Medicaid and commercial values set per program)
** ===================================================================== */

/* The values a Medicaid program or a commercial plan sets for itself.
** Medicare needs none: its rules are national and dated, so for a profile
** of kind BH_PAYER_MEDICARE the value fields are ignored. Strings are not
** copied: they must outlive every call that uses the profile. */
typedef struct bh_telehealth_profile {
    bh_payer_kind kind;             /* which payer family */
    const char *name;               /* e.g. "Alaska Medicaid"; NULL for a template */
    const char *video_modifier;     /* marks audio-video: "95", "GT", or NULL for none */
    const char *audio_modifier;     /* marks audio-only: "93", "FQ", or NULL for none */
    int audio_only_covered;         /* 1 when the payer pays audio-only at all */
    const char *pos_home;           /* POS with the patient at home ("10") */
    const char *pos_other;          /* POS anywhere else ("02") */
    const char *group_modifier;     /* marks a group service ("HQ"), or NULL */
    bh_date from;                   /* first date of service the values hold for; 0 open */
    bh_date to;                     /* last date of service they hold for; 0 open */
    int unconfirmed;                /* 1: not confirmed for this payer: findings stay warnings */
    const char *source;             /* who set the values; NULL: the template's data rows */
} bh_telehealth_profile;

/* Fills *profile with the defaults for a payer kind, from the data rows:
** Medicaid: the template after Alaska Medicaid (POS 10 at home, 02 otherwise,
** FQ for audio-only, dates of service from 2022-03-01) with video modifier 95
** and group modifier HQ as unconfirmed defaults; commercial, other and
** unknown: the CPT convention (95 on video, 93 on audio-only, audio-only
** covered, POS 10/02). Every template has unconfirmed = 1. Medicare: kind
** only. Returns BH_ERR_ARG when profile is NULL. */
bh_status bh_telehealth_profile_default(bh_payer_kind kind, bh_telehealth_profile *profile);

/* {====================================================================
** Deriving the answer for one service
** ===================================================================== */

typedef struct bh_telehealth_query {
    const char *code;               /* CPT or HCPCS code of the line */
    bh_date date;                   /* date of service, YYYYMMDD (required) */
    bh_payer_kind payer;            /* used when profile is NULL */
    const bh_telehealth_profile *profile; /* NULL: the default profile of `payer` */
    bh_modality modality;           /* in person, video or audio-only */
    bh_patient_location patient_location;
    bh_provider_kind provider_kind;
    bh_date last_in_person;         /* last in-person visit, YYYYMMDD; 0 unknown */
    int first_telehealth;           /* 1 first telehealth service, 0 a later one, -1 unknown */
    int group_session;              /* 1 delivered to a group (90853 and 90849 always are) */
} bh_telehealth_query;

/* Why the answer is what it is: one per deciding data row. */
typedef struct bh_telehealth_reason {
    bh_telehealth_aspect aspect;    /* what this reason decided */
    const char *text;               /* static */
    const char *source;             /* static, or the profile's source */
    int allowed;                    /* the row's outcome: 1 allows (IN_PERSON: 1 in force) */
    bh_date from;                   /* the row's dates, YYYYMMDD; 0 open */
    bh_date to;
    bh_confidence confidence;
    int unconfirmed;                /* 1 when not CONFIRMED or the profile is unconfirmed */
} bh_telehealth_reason;

#define BH_TELEHEALTH_MAX_REASONS 12

typedef struct bh_telehealth_answer {
    int known;                      /* 0: no data covers this payer and date; nothing derived */
    int telehealth;                 /* 1 for a video or audio-only service */
    int allowed;                    /* 1 when payable this way on this date (see reasons) */
    char place_of_service[3];       /* "02" or "10"; "" in person or location unknown */
    const char *modifiers[BH_MAX_MODIFIERS]; /* to report, in this order; static */
    int n_modifiers;
    const char *audio_alternative;  /* accepted in place of the audio-only modifier, or NULL */
    const char *rate;               /* "facility", "non-facility", or NULL (not a PFS claim) */
    bh_in_person_state in_person;
    bh_date in_person_since;        /* an in-person visit on or after this date meets the
                                       requirement; 0 when it is not in force */
    bh_telehealth_reason reasons[BH_TELEHEALTH_MAX_REASONS];
    int n_reasons;
} bh_telehealth_answer;

/* Derives POS, modifiers, rate, whether the service is allowed and the
** in-person requirement for one service. Pure: no allocation, no I/O; every
** string in *answer is static or comes from the profile. Returns BH_OK (also
** when answer->known is 0), or BH_ERR_ARG when query, answer or code is NULL
** or the date is not a valid YYYYMMDD date. */
bh_status bh_telehealth_derive(const bh_telehealth_query *query, bh_telehealth_answer *answer);

/* The first reason of an aspect in an answer, or NULL. */
const bh_telehealth_reason *bh_telehealth_answer_reason(const bh_telehealth_answer *answer,
                                                        bh_telehealth_aspect aspect);

/* {====================================================================
** Checking a claim
** ===================================================================== */

/* Compares each line of a claim whose session block is present (state
** BH_FIELD_OK, modality known) with the derived answer, and appends findings
** telehealth.pos, telehealth.modifier, telehealth.audio_only and
** telehealth.in_person to report (rules in docs/telehealth.md). profile NULL:
** the default profile of claim->payer.kind. Lines without a code or a usable
** date are skipped. Adds nothing when the session block is absent.
** Returns BH_OK, BH_ERR_ARG (claim or report NULL) or BH_ERR_NOMEM. */
bh_status bh_telehealth_check(const bh_claim *claim, const bh_telehealth_profile *profile,
                              bh_provider_kind provider_kind, bh_report *report);

/* {====================================================================
** NCCI edits: procedure-to-procedure pairs and medically unlikely edits
** ===================================================================== */

/* One PTP edit: column 2 is not paid with column 1 on the same date for the
** same patient, unless the modifier indicator allows a bypass modifier. */
typedef struct bh_ptp_edit {
    char column1[6];
    char column2[6];
    bh_date from;           /* effective date */
    bh_date to;             /* last date in effect (deletion date - 1); 0 = open */
    int modifier_indicator; /* 0 never, 1 with 59/XE/XP/XS/XU, 9 not applicable */
    const char *source;     /* static or owned by the table holding the edit */
    int unconfirmed;        /* 1 when no primary source settled it */
} bh_ptp_edit;

/* One MUE: the most units of a code one provider reports for one patient
** on one date. */
typedef struct bh_mue_edit {
    char code[6];
    int value;              /* maximum units */
    int mai;                /* adjudication indicator: 1 per line, 2/3 per date */
    bh_date from;
    bh_date to;             /* 0 = open */
    const char *source;
    int unconfirmed;
} bh_mue_edit;

typedef struct bh_ncci bh_ncci;

/* Creates an edit table holding the compiled-in edits (those the rules
** reference confirms, each with its source). Free with bh_ncci_free; NULL
** on OOM. */
bh_ncci *bh_ncci_new(void);

/* Frees the table. NULL-safe. */
void bh_ncci_free(bh_ncci *ncci);

/* Reads a CMS practitioner PTP file (the published text layout: column 1,
** column 2, "in existence prior to 1996" flag, effective date YYYYMMDD,
** deletion date or "*", modifier indicator, rationale; tab- or
** comma-separated, header and notice lines skipped) and adds its edits,
** which take precedence over compiled-in ones for the same pair. Returns
** BH_OK, BH_ERR_SYNTAX (err names the line) when a data row is malformed,
** or BH_ERR_NOMEM. *added (may be NULL) receives the number of edits read. */
bh_status bh_ncci_load_ptp(bh_ncci *ncci, const char *text, size_t len, const char *source,
                           size_t *added, bh_error *err);

/* Reads a CMS practitioner MUE file (CSV: code, MUE value, adjudication
** indicator text starting with its digit, rationale; notice lines
** skipped), effective from `from` (the file's "Eff" date) until a later
** file replaces it. Same returns as bh_ncci_load_ptp. */
bh_status bh_ncci_load_mue(bh_ncci *ncci, const char *text, size_t len, bh_date from,
                           const char *source, size_t *added, bh_error *err);

/* The PTP edit between two codes in effect on a date (either order), or
** NULL. Loaded edits win over compiled-in ones. */
const bh_ptp_edit *bh_ncci_find_ptp(const bh_ncci *ncci, const char *a, const char *b,
                                    bh_date date);

/* The MUE of a code in effect on a date, or NULL. */
const bh_mue_edit *bh_ncci_find_mue(const bh_ncci *ncci, const char *code, bh_date date);

/* Counts of edits held: compiled-in plus loaded. */
size_t bh_ncci_ptp_count(const bh_ncci *ncci);
size_t bh_ncci_mue_count(const bh_ncci *ncci);

/* {====================================================================
** Payer profiles: the values a payer (or a state program) sets
** ===================================================================== */

/* A number a payer sets, with where it comes from. value < 0: not set. */
typedef struct bh_profile_number {
    int value;
    int unconfirmed;        /* 1: no source settled it; findings become warnings */
    const char *source;
} bh_profile_number;

/* A credential the payer accepts for group psychotherapy. */
typedef struct bh_credential {
    const char *credential; /* upper case, letters and digits only: "LCSW", "PHD" */
    const char *modifier;   /* the line modifier the payer wants with it, or NULL */
    bh_date from;           /* first date accepted, 0 = long-standing */
} bh_credential;

/* Everything the group, documentation and credential rules read from a
** payer profile. The Lua layer builds one from a profile table; C callers
** fill it themselves. Strings and arrays are borrowed: they must outlive
** every check that uses the profile. */
typedef struct bh_profile {
    const char *name;                   /* "medicare", "medicaid-oh", ... */
    bh_profile_number min_participants; /* group.participants */
    bh_profile_number max_participants;
    bh_profile_number min_minutes;      /* group.duration: session length */
    bh_profile_number min_share_percent;/* group.duration: minutes present / session */
    bh_profile_number doc_min_chars;    /* doc.*: shortest note element taken as content */
    const bh_credential *credentials;   /* provider.credential; NULL = not checked */
    int n_credentials;
    const char *credentials_source;
    int credentials_unconfirmed;
    const char *group_modifier;         /* required on group lines (e.g. HQ), or NULL */
    const char *group_modifier_source;
    int group_modifier_unconfirmed;
    const char *const *placeholders;    /* note texts that say nothing ("n/a") */
    int n_placeholders;
    const bh_mue_edit *mue;             /* payer MUE values, used when the NCCI */
    int n_mue;                          /* table has none for the code */
    const bh_ptp_edit *ptp;             /* payer pairs, checked besides NCCI's */
    int n_ptp;
    const bh_telehealth_profile *telehealth; /* NULL: the default for the payer kind */
} bh_profile;

/* Similarity of two notes from 0 (nothing shared) to 1 (the same words in
** the same order), after case, punctuation and the listed names are set
** aside: the Dice coefficient of their word bigrams (single words for
** notes of one word). names may be NULL. Used for doc.cloned. */
double bh_note_similarity(const char *a, const char *b, const char *const *names, int n_names);

/* Compares every pair of n notes (NULL entries are skipped) as
** bh_note_similarity does, tokenising each note once, and calls found for
** each pair (i < j, 0-based) whose similarity is at least threshold.
** Returns BH_OK or BH_ERR_NOMEM (then found was not called). */
bh_status bh_notes_compare(const char *const *notes, int n, const char *const *names,
                           int n_names, double threshold,
                           void (*found)(int i, int j, double similarity, void *ctx),
                           void *ctx);

/* Options for bh_claim_check. Zero-initialise, then set what you need. */
typedef struct bh_check_options {
    bh_date today;              /* for date.future; 0 turns that check off */
    const bh_profile *profile;  /* payer rules; NULL: group, documentation and
                                   credential rules do not run */
    const bh_ncci *ncci;        /* NCCI edits; NULL: the compiled-in ones */
    bh_provider_kind provider_kind; /* for telehealth rules; 0 = practitioner */
} bh_check_options;

/* Runs every core check on the claim and appends the findings to `report`
** (after any claim.schema findings parsing put there). options may be NULL.
** Returns BH_OK, or BH_ERR_NOMEM when a finding could not be stored. */
bh_status bh_claim_check(const bh_claim *claim, const bh_check_options *options,
                         bh_report *report);

/* {====================================================================
** Code sets and identifiers (all look-ups are O(log n), no file I/O)
** ===================================================================== */

typedef enum bh_icd10_status {
    BH_ICD10_INVALID = 0,   /* not a code of the set for that date */
    BH_ICD10_BILLABLE,      /* a valid, billable code */
    BH_ICD10_HEADER         /* a category: billable codes extend it */
} bh_icd10_status;

/* What the ICD-10-CM tables know about a code for a date of service. */
typedef struct bh_icd10_info {
    bh_icd10_status status;
    int fiscal_year;            /* the code set used: 2026, 2027 */
    int in_range;               /* 0 when the date falls outside every carried year */
    char code[8];               /* normalised: upper case, no dot */
    char dotted[9];             /* with the dot after the third character */
    const char *description;    /* code title where the data has one, else NULL */
    const char *category_title; /* title of the 3-character category, else NULL */
    int billable_in_other_year; /* the fiscal year in which it is billable, 0 if none */
    int header_in_other_year;   /* the fiscal year in which it is a header, 0 if none */
} bh_icd10_info;

/* Looks up an ICD-10-CM code (with or without the dot, any case) for a date
** of service (0 = the newest year carried). Always fills *info; returns its
** status. The year is FY2026 up to 2026-09-30 and FY2027 from 2026-10-01. */
bh_icd10_status bh_icd10_lookup(const char *code, size_t len, bh_date date,
                                bh_icd10_info *info);

/* The fiscal year of the ICD-10-CM set that applies to a date: 2026 or 2027
** (dates outside the carried years map to the nearest one). */
int bh_icd10_fiscal_year(bh_date date);

typedef enum bh_code_kind {
    BH_CODE_BAD_SHAPE = 0,  /* not any procedure code shape */
    BH_CODE_CPT_I,          /* five digits */
    BH_CODE_CPT_II,         /* four digits and F */
    BH_CODE_CPT_III,        /* four digits and T */
    BH_CODE_HCPCS           /* a letter and four digits */
} bh_code_kind;

/* A procedure code's catalogue entry. Strings are static. */
typedef struct bh_procedure_info {
    bh_code_kind kind;
    int known;              /* 1 when in the catalogue */
    int addon;              /* 1 for an add-on code (CPT catalogue) */
    bh_date from, to;       /* effective dates; 0 = open-ended */
    const char *description;/* CPT: our own words; HCPCS: CMS long descriptor */
    const char *short_description; /* HCPCS short descriptor, else NULL */
    const char *source;
} bh_procedure_info;

/* The shape of a procedure code (exact characters, upper case only). */
bh_code_kind bh_procedure_kind(const char *code, size_t len);

/* Looks up a CPT or HCPCS code. Always fills *info; returns info->known. */
int bh_procedure_lookup(const char *code, size_t len, bh_procedure_info *info);

/* A modifier's entry. Strings are static. */
typedef struct bh_modifier_info {
    int known;
    int is_cpt;             /* 1: CPT (Level I) modifier; 0: HCPCS Level II */
    const char *description;
    const char *source;
} bh_modifier_info;

/* Looks up a two-character modifier. Returns 1 when known. */
int bh_modifier_lookup(const char *code, size_t len, bh_modifier_info *info);

/* A place of service's entry. Strings are static. */
typedef struct bh_pos_info {
    int known;
    const char *name;
    bh_date from;           /* first date the code may be used, 0 if long-standing */
    int telehealth;         /* 1 for 02 and 10 */
    const char *source;
} bh_pos_info;

/* Looks up a two-digit place-of-service code. Returns 1 when known. */
int bh_pos_lookup(const char *code, size_t len, bh_pos_info *info);

/* 1 when s is ten digits whose last is the Luhn check digit over "80840"
** and the first nine (the NPI rule). */
int bh_npi_valid(const char *s, size_t len);

/* 1 when s is a TIN: nine digits, bare or as XX-XXXXXXX (EIN) or
** XXX-XX-XXXX (SSN), not all zeros. */
int bh_tin_valid(const char *s, size_t len);

/* 1 when s has the NUCC taxonomy shape: nine upper-case letters or digits,
** then X. */
int bh_taxonomy_valid(const char *s, size_t len);

/* {====================================================================
** X12 837P (005010X222A1) writer and reader
** ===================================================================== */

/* Limits of the reader, each overridable at build time. A segment with more
** elements, or an element longer than these, is refused with BH_ERR_LIMIT
** (the 837P's widest segment, SV1, has 21 elements; its longest element,
** PER04, 256 characters). */
#ifndef BH_X12_MAX_ELEMENTS
#define BH_X12_MAX_ELEMENTS 64
#endif
#ifndef BH_X12_MAX_ELEMENT_LEN
#define BH_X12_MAX_ELEMENT_LEN 512
#endif
/* Segments in one interchange (about 2 GB of 837P at 40 bytes a segment). */
#ifndef BH_X12_MAX_SEGMENTS
#define BH_X12_MAX_SEGMENTS 50000000L
#endif

/* {====================================================================
** Output buffer
** ===================================================================== */

/* A growable byte buffer. data is not NUL-terminated by the writer's
** contract, but bh_buffer always keeps one spare byte so data[len] == '\0'
** whenever data != NULL. Owned by the caller: init, then free. */
typedef struct bh_buffer {
    char *data;
    size_t len;
    size_t cap;
} bh_buffer;

/* Makes an empty buffer (no allocation yet). */
void bh_buffer_init(bh_buffer *buf);

/* Frees the buffer's memory and empties it. NULL-safe. */
void bh_buffer_free(bh_buffer *buf);

/* Appends len bytes, growing by doubling. Returns BH_OK, or BH_ERR_NOMEM
** (then the buffer holds what it held before). */
bh_status bh_buffer_append(bh_buffer *buf, const char *bytes, size_t len);

/* {====================================================================
** Envelope options
** ===================================================================== */

/* The envelope of an interchange and what the 837P header carries besides
** claims. Strings are borrowed: the writer reads them during the call only;
** bh_x12_reader_envelope points them into the reader. */
typedef struct bh_x12_options {
    const char *sender_qualifier;   /* ISA05, e.g. "ZZ" (2 characters) */
    const char *sender_id;          /* ISA06, 1-15 characters, padded by the writer */
    const char *receiver_qualifier; /* ISA07 */
    const char *receiver_id;        /* ISA08, 1-15 characters */
    const char *app_sender;         /* GS02; NULL: sender_id */
    const char *app_receiver;       /* GS03; NULL: receiver_id */
    const char *submitter_name;     /* 1000A NM103 (organisation) */
    const char *submitter_id;       /* 1000A NM109 (qualifier 46) */
    const char *contact_name;       /* 1000A PER02; NULL: none */
    const char *contact_phone;      /* 1000A PER04 (PER03 TE), digits */
    const char *receiver_name;      /* 1000B NM103 */
    const char *receiver_id_1000b;  /* 1000B NM109 (qualifier 46) */
    const char *version;            /* GS08/ST03; NULL: "005010X222A1" */
    long interchange_control;       /* ISA13 and IEA02: 1-999999999 */
    long group_control;             /* GS06 and GE02: 1-999999999 */
    long transaction_control;       /* ST02/SE02 of the first set: 1-999999999,
                                       written with at least 4 digits */
    char usage;                     /* ISA15: 'T' test or 'P' production */
    char ack_requested;             /* ISA14: '0' or '1' */
    char element_sep;               /* '*' */
    char component_sep;             /* ISA16, ':' */
    char repetition_sep;            /* ISA11, '^' */
    char segment_term;              /* '~' */
    int newline;                    /* 1: write '\n' after each terminator */
    bh_date date;                   /* creation date: ISA09, GS04, BHT04 */
    int time;                       /* creation time HHMM: ISA10, GS05, BHT05 */
} bh_x12_options;

/* Fills *opt with defaults: separators '*' ':' '^' '~', a newline after
** each segment, usage 'T', ack '0', qualifiers "ZZ", control numbers 1,
** version 005010X222A1. Every id, name, the phone, date and time are left
** empty (NULL or 0): the writer refuses to run without them. */
void bh_x12_options_default(bh_x12_options *opt);

/* {====================================================================
** Writer
** ===================================================================== */

/* Appends one interchange (ISA ... IEA) holding one functional group and
** ONE transaction set with every claim, in the order given, to `out`.
** Consecutive claims with the same billing provider share a 2000A HL, with
** the same subscriber and payer a 2000B HL, with the same patient a 2000C
** HL; HL numbers, HL04 child codes and the SE, GE and IEA counts are
** computed; a subscriber HL holds at most 100 claims, the guide's limit.
** Names, addresses and the note are upper-cased (the note keeps its case)
** and folded to printable ASCII by one transliteration table (x12_text.c,
** listed in docs/cli.md), a separator inside text becoming a space; text
** with a character the table cannot fold, or longer than its element once
** folded, is refused, never cut. Identifiers and codes are never altered:
** one holding a separator, a lower-case letter (codes) or a forbidden
** character, or longer than its element, is refused; so are an NPI that is
** not 10 digits, a stated total other than the sum of the lines, a state
** that is not a US code, a ZIP that is not 5 or 9 digits (9 for the
** billing provider), a missing subscriber address (subscriber = patient)
** or patient address, a frequency other than 1, 7, 8, and a 7 or 8
** without payer_claim_number.
** Returns BH_OK; BH_ERR_ARG when an argument, an option or a claim's
** required value is missing or unusable (err->message names the claim id
** and the field, err->id "x12.write"); BH_ERR_NOMEM. On failure `out` is
** left as it was before the call. err may be NULL. */
bh_status bh_x12_write_837p(const bh_claim *const *claims, size_t n_claims,
                            const bh_x12_options *opt, bh_buffer *out, bh_error *err);

/* {====================================================================
** Reader
** ===================================================================== */

/* A writer of one interchange made of several transaction sets, so a large
** batch need not be in memory at once: bh_x12_writer_new writes ISA and
** GS, each bh_x12_writer_add writes one ST..SE set (HL numbering and SE01
** computed per set, ST02 counting up from opt->transaction_control), and
** bh_x12_writer_finish writes GE (with the number of sets) and IEA. The
** 837P guide recommends at most 5000 claims per transaction set.
** opt and out must outlive the writer. new returns NULL with err filled on
** bad options; add writes a set whole or not at all and returns BH_ERR_ARG
** (err names the claim and field) or BH_ERR_NOMEM; after a failure the
** writer refuses further sets. bh_x12_write_837p is new + one add + finish.
** Free with bh_x12_writer_free (NULL-safe; it does not touch out). */
typedef struct bh_x12_writer bh_x12_writer;

bh_x12_writer *bh_x12_writer_new(const bh_x12_options *opt, bh_buffer *out, bh_error *err);
bh_status bh_x12_writer_add(bh_x12_writer *writer, const bh_claim *const *claims,
                            size_t n_claims);
bh_status bh_x12_writer_finish(bh_x12_writer *writer);
void bh_x12_writer_free(bh_x12_writer *writer);

typedef struct bh_x12_reader bh_x12_reader;

/* Relax checks that real-world files often fail: SE01, GE01 and IEA01
** count mismatches are ignored (control numbers must still agree), and a
** diagnosis qualifier and its code written as two HI elements (HI*ABK*F331,
** the component separator left out) are read as one; any other malformed
** HI element still fails, so no diagnosis is dropped or shifted. */
#define BH_X12_LENIENT 1u

/* Opens an 837P interchange held in data[0..len). The reader borrows
** `data` (it must stay unchanged until bh_x12_reader_free) and never reads
** past len. Validates the 106-character ISA and takes the separators from
** it. Returns a reader the caller frees with bh_x12_reader_free, or NULL
** with err filled (BH_ERR_SYNTAX "x12.isa" for a bad ISA, BH_ERR_NOMEM,
** BH_ERR_ARG for a NULL data). err may be NULL. */
bh_x12_reader *bh_x12_reader_new(const char *data, size_t len, bh_error *err);

/* Sets BH_X12_* flags (0 = strict, the default). Call before reading. */
void bh_x12_reader_set_flags(bh_x12_reader *reader, unsigned flags);

/* Reads the next claim (2300 loop with its 2400 lines and the billing
** provider, subscriber, payer and patient above it) into `claim`, which is
** reset first; its strings are copies owned by the claim. Returns 1 when a
** claim was read, 0 at the clean end of the interchange (IEA read, only
** white space after it), -1 on error: err->message names the 1-based
** segment number counted from the ISA, the segment id and what was
** expected; err->line and err->byte locate the segment start; err->code
** is BH_ERR_SYNTAX, BH_ERR_LIMIT or BH_ERR_NOMEM. After -1 every later call
** returns -1 with the same error. err may be NULL. */
int bh_x12_reader_next(bh_x12_reader *reader, bh_claim *claim, bh_error *err);

/* Copies the envelope values read so far into *out (separators, ISA ids and
** qualifiers, GS application ids, control numbers of the first ISA/GS/ST
** read, usage, ack flag, version, date and time from GS04/GS05, submitter
** and receiver from 1000A/1000B, newline = 1 when a line break followed
** the ISA). Strings point into the reader and live until bh_x12_reader_free.
** Writing the claims read with these options reproduces a file written by
** bh_x12_write_837p byte for byte. */
void bh_x12_reader_envelope(const bh_x12_reader *reader, bh_x12_options *out);

/* Number of segments read so far (the ISA is segment 1). */
long bh_x12_reader_segments(const bh_x12_reader *reader);

/* Frees the reader (not the data it borrowed). NULL-safe. */
void bh_x12_reader_free(bh_x12_reader *reader);

#endif
