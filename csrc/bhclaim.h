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

/* Ranges of amounts, units and counts. Every reader refuses a value outside
** its range with a message naming the JSON path or the X12 segment and
** element; none is ever wrapped, cut or rounded into range.
** - Amounts (charges, totals): -BH_MAX_CENTS to BH_MAX_CENTS cents, at
**   most two decimals: $99,999,999,999.99, eleven integer digits, far
**   beyond any claim and well inside int64 cents.
** - Service units: -BH_MAX_UNITS to BH_MAX_UNITS in claim JSON (zero and
**   negative units are then line.units findings of the checks), 0 to
**   BH_MAX_UNITS in X12 SV104 (which has no sign). Out of range is a
**   claim.schema finding in JSON, an error naming SV104 in X12.
** - Diagnosis pointers: 1 to BH_MAX_DIAGNOSES in X12 (SV107); a JSON
**   pointer must be a whole number from -1000000 to 1000000 (range checks
**   against the diagnoses are findings of the checks).
** - Session counts and minutes (JSON): 0 to 1440 minutes, 0 to 1000
**   patients.
** - X12 counts and control numbers (SE01, GE01, IEA01, HL, ISA13, GS06,
**   ST02, LX): whole numbers of at most 9 digits (0 to 999999999).
** - Array lengths: the BH_MAX_* limits above. */
#ifndef BH_MAX_CENTS
#define BH_MAX_CENTS INT64_C(9999999999999)
#endif
#ifndef BH_MAX_UNITS
#define BH_MAX_UNITS 99999.0
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
** decimals, at most 11 integer digits, so |cents| <= BH_MAX_CENTS).
** Returns 1 on success, 0 otherwise. */
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

/* Appends finding f, copying every string: rule and message are required,
** path, hint and source may be NULL; the message is cut at 400 bytes.
** Callers name each field: `&(bh_finding){.rule = ..., .message = ...}`.
** Returns BH_OK, BH_ERR_ARG, or BH_ERR_NOMEM (then the report is unchanged). */
bh_status bh_report_put(bh_report *report, const bh_finding *f);

/* As bh_report_put, with the message printf-formatted from fmt (f->message
** is not read). */
bh_status bh_report_addf(bh_report *report, const bh_finding *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Name of a severity: "info", "warning" or "error". */
const char *bh_severity_name(bh_severity severity);

/* The adjustment a payer most likely answers a finding with, per rule id
** (docs/rules.md lists them; CARC/RARC meanings: rules-reference 6). One
** table for the whole project: findings carry their row's denial, and the
** remittance side inverts it to say which checks predict a CARC. */
typedef struct bh_rule_denial {
    const char *rule;       /* stable dotted id */
    const char *path;       /* NULL: any finding of the rule; else only findings
                               at this path (npi.checksum: billing vs rendering) */
    const char *severity;   /* usual severity; NULL when it depends on the data
                               (an unconfirmed profile value makes a warning) */
    const char *group;      /* group code "CO", "OA", "PR"; NULL: no denial */
    const char *carc;       /* claim adjustment reason code, NULL with group */
    const char *rarc;       /* remittance advice remark code, NULL when none usual */
    const char *source;     /* where the reading comes from */
} bh_rule_denial;

/* The whole catalogue (static); *count (may be NULL) receives its rows. */
const bh_rule_denial *bh_rules_catalog(size_t *count);

/* The row for a finding: the one for its rule and path if there is one,
** else its rule's general row; NULL for a rule the core does not know
** (custom Lua rules). */
const bh_rule_denial *bh_rule_denial_find(const char *rule, const char *path);

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

#define BH_PAYER_KIND_COUNT 5

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
    int kind;               /* billing provider: a bh_provider_kind (practitioner,
                               fqhc, ...), valid when kind_state is BH_FIELD_OK */
    bh_field_state kind_state;
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

#define BH_MODALITY_COUNT 4

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
    /* Top-level keys the core does not read but the Lua layer does; their
    ** values are skipped here. */
    int has_participants;                       /* the shape of a group session
                                                   (bhclaim.session), not of a claim */
    int has_coverage;                           /* the payer's 271 answer, for the
                                                   coverage.* rules (coverage.lua) */
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

/* Any JSON text read whole, for callers that want every value (the
** binding's decode). The representation stays inside the core (json.c):
** callers walk the values through the functions below. */
typedef struct bh_json bh_json;                 /* a parsed text, owning its values */
typedef struct bh_json_value bh_json_value;     /* one value in it */

typedef enum bh_json_kind {
    BH_JSON_NULL = 0, BH_JSON_FALSE, BH_JSON_TRUE, BH_JSON_NUMBER, BH_JSON_STRING,
    BH_JSON_ARRAY, BH_JSON_OBJECT
} bh_json_kind;

/* Reads any JSON text. The text is accepted or refused by the claim reader
** (bh_claim_parse_json), so a text refused here gets the same err (message,
** line, byte, id "json.syntax", "json.depth" or "json.nul") as when it is
** checked as a claim. Returns the values (free with bh_json_free), or NULL
** with err filled (BH_ERR_NOMEM when memory ran out). err may be NULL. */
bh_json *bh_json_parse(const char *json, size_t len, bh_error *err);

/* Frees the values. NULL-safe. */
void bh_json_free(bh_json *json);

/* The top value of a parsed text. */
const bh_json_value *bh_json_root(const bh_json *json);

/* What a value is. */
bh_json_kind bh_json_kind_of(const bh_json_value *v);

/* The first member of an object or element of an array, in text order;
** NULL when empty or not a container. */
const bh_json_value *bh_json_first(const bh_json_value *v);

/* The member or element after v, or NULL. */
const bh_json_value *bh_json_next(const bh_json_value *v);

/* The number of members or elements (0 for a scalar). */
int bh_json_count(const bh_json_value *v);

/* An object member's key (never holds a NUL: the reader refuses them);
** NULL for an array element or the top value. */
const char *bh_json_key(const bh_json_value *v);

/* A string value's text (NUL-free), or NULL when v is no string. */
const char *bh_json_string(const bh_json_value *v);

/* A number value as a double (0 when v is no number). */
double bh_json_number(const bh_json_value *v);



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

#define BH_LOCATION_COUNT 4

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

/* The one list of names of each enumeration (names.c), indexed by enum
** value and NULL-terminated. Entry 0 of the payer-kind, patient-location and
** modality tables is "unknown": the value of an absent field, never an input
** name, so readers of input skip it (names + 1). */
extern const char *const bh_payer_kind_names[];        /* "unknown", "medicare", ... */
extern const char *const bh_provider_kind_names[];     /* "practitioner", "fqhc", ... */
extern const char *const bh_patient_location_names[];  /* "unknown", "home", ... */
extern const char *const bh_modality_names[];          /* "unknown", "in_person", ... */

/* The input names of a table as a message lists them: "home, facility or
** other" (for "must be ..." messages). */
extern const char bh_payer_kind_choices[];
extern const char bh_patient_location_choices[];
extern const char bh_modality_choices[];

/* The index of the len bytes of text in a NULL-terminated name table, or -1
** (also for a NULL text). */
int bh_name_index(const char *const *names, const char *text, size_t len);

/* Names: "unknown", "medicare", "medicaid", "commercial", "other". */
const char *bh_payer_kind_name(bh_payer_kind kind);
/* Reads "medicare", "medicaid", "commercial" or "other" into *out. Returns 1
** when known. */
int bh_payer_kind_parse(const char *text, size_t len, bh_payer_kind *out);

/* Names: "practitioner", "fqhc", "rhc", "cah_method_ii", "hospital_outpatient". */
const char *bh_provider_kind_name(bh_provider_kind kind);
/* Reads a provider-kind name of len bytes into *out. Returns 1 when known. */
int bh_provider_kind_parse(const char *text, size_t len, bh_provider_kind *out);

/* Names: "unknown", "home", "facility", "other". */
const char *bh_patient_location_name(bh_patient_location location);
/* Reads "home", "facility" or "other" into *out. Returns 1 when known. */
int bh_patient_location_parse(const char *text, size_t len, bh_patient_location *out);

/* Names: "unknown", "in_person", "video", "audio_only". */
const char *bh_modality_name(bh_modality modality);
/* Reads "in_person", "video" or "audio_only" into *out. Returns 1 when known. */
int bh_modality_parse(const char *text, size_t len, bh_modality *out);

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
** when answer->known is 0), or BH_ERR_ARG when query, answer or code is NULL,
** the code is not a procedure code of the catalogue (bh_procedure_lookup:
** malformed, or a well-formed code the catalogue does not hold), or the date
** is not a valid YYYYMMDD date. */
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

/* What bh_ncci_load_mue needs besides the file's text: the file's text
** layout carries no date, so the caller says from when it applies. */
typedef struct bh_mue_load_opts {
    bh_date from;               /* the file's "Eff" date; its values apply from
                                   then until a later file replaces them */
    const char *source;         /* named in findings; copied; NULL: "CMS NCCI
                                   practitioner MUE file" */
} bh_mue_load_opts;

/* Reads a CMS practitioner MUE file (CSV: code, MUE value, adjudication
** indicator text starting with its digit, rationale; notice lines
** skipped), effective from opts->from until a later file replaces it.
** opts may be NULL (from 0: in effect on every date; the default source).
** Same returns as bh_ncci_load_ptp. */
bh_status bh_ncci_load_mue(bh_ncci *ncci, const char *text, size_t len,
                           const bh_mue_load_opts *opts, size_t *added, bh_error *err);

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

/* Licence classes a written credential maps to (credential.c; sources by
** class: bh_licence_class_source). Keep in step with the names there. */
typedef enum bh_licence_class {
    BH_LICENCE_NONE = 0,                /* not a licence (or not recognised) */
    BH_LICENCE_PHYSICIAN,               /* MD, DO */
    BH_LICENCE_PSYCHOLOGIST,            /* PhD, PsyD, LP */
    BH_LICENCE_NURSE_PRACTITIONER,      /* NP, APRN, PMHNP-BC, NP-C */
    BH_LICENCE_CNS,                     /* clinical nurse specialist */
    BH_LICENCE_PHYSICIAN_ASSISTANT,     /* PA, PA-C */
    BH_LICENCE_CLINICAL_SOCIAL_WORKER,  /* LCSW, LCSW-R, LICSW, LISW-S */
    BH_LICENCE_SOCIAL_WORKER,           /* LMSW, LSW: not the clinical licence */
    BH_LICENCE_MFT,                     /* LMFT, LMFT-S */
    BH_LICENCE_COUNSELOR,               /* LPC, LPCC, LMHC, LCPC, LCMHC (and -S) */
    BH_LICENCE_SUPERVISED,              /* associates and interns: LPC-A, LMFT-A */
    BH_LICENCE_NURSE,                   /* RN */
    BH_LICENCE_ADDICTION_COUNSELOR      /* CADC, LADC: a state addiction credential */
} bh_licence_class;

typedef enum bh_credential_kind {
    BH_CREDENTIAL_UNKNOWN = 0,          /* not recognised */
    BH_CREDENTIAL_LICENCE,
    BH_CREDENTIAL_CERTIFICATION,        /* BC, NCC, ABPP: says nothing of the licence */
    BH_CREDENTIAL_DEGREE                /* MSW, MA: a degree, not a licence */
} bh_credential_kind;

/* Pieces of one written credential beyond this many are counted, not read. */
#define BH_CREDENTIAL_MAX_TOKENS 8

typedef struct bh_credential_token {
    char text[16];                      /* upper case, letters and digits: "LCSWR" */
    bh_credential_kind kind;
    bh_licence_class cls;
} bh_credential_token;

/* A credential the payer accepts for group psychotherapy. */
typedef struct bh_credential {
    const char *credential; /* as the profile writes it: "LCSW", "PhD" (matched by
                               licence class, bh_credential_match) */
    const char *modifier;   /* the line modifier the payer wants with it, or NULL */
    bh_date from;           /* first date accepted, 0 = long-standing */
    /* credential read once by bh_credential_prepare; left 0 (as a zeroed or
    ** brace-initialised entry has it), matching reads credential each time */
    int prepared;
    bh_credential_token token;
} bh_credential;

/* Reads entry->credential once into entry->token, so that matching a
** claim's credential does not read the payer's list again (a profile's
** entries are read when it is compiled). */
void bh_credential_prepare(bh_credential *entry);

typedef struct bh_credential_parsed {
    bh_credential_token tokens[BH_CREDENTIAL_MAX_TOKENS];
    int n;
    int dropped;                        /* pieces past BH_CREDENTIAL_MAX_TOKENS */
} bh_credential_parsed;

/* Reads a credential as written: pieces separated by commas, slashes,
** semicolons or spaces ("APRN, PMHNP-BC", "PhD/ABPP"); dots and case
** ignored; a state suffix after a hyphen (-R, -S, -C, -BC) keeps the
** licence's class, an associate's (-A, -I) makes it supervised. Returns the
** number of pieces read into *out. text may be NULL (0 pieces). */
int bh_credential_parse(const char *text, bh_credential_parsed *out);

/* 1 when the abbreviation table is in the order its binary search needs
** (a self-check for the tests). */
int bh_credential_table_sorted(void);

/* The name of a licence class ("clinical_social_worker"), and the source
** that says who in it may render behavioral-health services. */
const char *bh_licence_class_name(bh_licence_class cls);
const char *bh_licence_class_source(bh_licence_class cls);

typedef enum bh_credential_verdict {
    BH_CREDENTIAL_ELIGIBLE = 0,         /* a piece matches an accepted entry */
    BH_CREDENTIAL_NOT_YET,              /* matches one accepted only from a later date */
    BH_CREDENTIAL_NOT_ELIGIBLE,         /* recognised licence(s), none accepted */
    BH_CREDENTIAL_DEGREE_ONLY,          /* only degrees or certifications, nothing
                                           unrecognised: the licence is unstated */
    BH_CREDENTIAL_UNRECOGNISED          /* no piece recognised */
} bh_credential_verdict;

struct bh_credential;

typedef struct bh_credential_result {
    const struct bh_credential *entry;  /* the accepted entry matched, or NULL */
    bh_licence_class cls;               /* the class matched, else the first licence's */
    bh_date not_before;                 /* NOT_YET: the date the entry starts */
} bh_credential_result;

/* Matches a written credential against a payer's accepted entries on a
** date: an entry matches a piece of the same licence class (so "LCSW-R"
** matches an accepted "LCSW"), or, when the entry is not a recognised
** licence, of the same text. The first entry in the list that matches wins
** (its modifier applies). Fills *result; returns the verdict. */
bh_credential_verdict bh_credential_match(const struct bh_credential *accepted, int n_accepted,
                                          const char *written, bh_date date,
                                          bh_credential_result *result);

/* The licence classes a code needs whoever the payer (E/M and the
** psychotherapy-with-E/M add-ons; psychological testing). */
typedef struct bh_code_classes {
    const char *code;                   /* the code, or "E/M" for the E/M families */
    unsigned classes;                   /* bit (1u << class) per eligible class */
    const char *who;                    /* the classes in words, for messages */
    const char *source;
    int unconfirmed;                    /* 1: findings are warnings */
} bh_code_classes;

/* The entry for a code, or NULL when any licence may bill it. */
const bh_code_classes *bh_code_classes_find(const char *code);

/* A list of codes a payer sets, with where it comes from. An entry shorter
** than a code is a prefix: "H" stands for every H code, "Z63" for Z63.x. */
typedef struct bh_code_list {
    const char *const *codes;   /* NULL when the profile sets no list */
    int n;
    const char *source;
    int unconfirmed;            /* 1: no source settled it; findings are warnings */
} bh_code_list;

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
    bh_profile_number timely_filing;    /* claim.timely_filing: months (or days) after
                                           the date of service; value <= 0: no limit */
    int timely_filing_in_days;          /* 1: the value counts days, 0: months */
    bh_code_list prior_auth;            /* payer.prior_auth: codes needing a number */
    bh_code_list not_paid;              /* code.setting: codes this payer does not pay */
    bh_code_list dx_allowed;            /* code.dx_procedure: diagnoses besides F01-F99 */
} bh_profile;

/* Similarity of two notes from 0 (nothing shared) to 1 (the same words in
** the same order), after case, punctuation and the listed names are set
** aside: the Dice coefficient of their word bigrams (single words for
** notes of one word). names may be NULL. Used for doc.cloned. */
double bh_note_similarity(const char *a, const char *b, const char *const *names, int n_names);

/* How bh_notes_compare compares and where it reports the pairs it finds. */
typedef struct bh_notes_compare_opts {
    const char *const *names;   /* words set aside (patient names); may be NULL */
    int n_names;                /* entries in names */
    double threshold;           /* lowest similarity reported, 0 to 1 */
    void (*found)(int i, int j, double similarity, void *ctx); /* called per pair */
    void *ctx;                  /* passed to found as it is */
} bh_notes_compare_opts;

/* Compares every pair of n notes (NULL entries are skipped) as
** bh_note_similarity does, tokenising each note once, and calls
** opts->found for each pair (i < j, 0-based) whose similarity is at least
** opts->threshold. Returns BH_OK, BH_ERR_ARG when opts or opts->found is
** NULL, or BH_ERR_NOMEM (then found was not called). */
bh_status bh_notes_compare(const char *const *notes, int n, const bh_notes_compare_opts *opts);

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

/* The patient of a claim as the rules across claims compare it: member id,
** name (case and punctuation aside) and birth date, folded into one string
** in buf. Returns its length, 0 when the claim lacks a member id or name. */
size_t bh_claim_patient_key(const bh_claim *claim, char *buf, size_t size);

/* A line as claim.duplicate compares it: code, modifiers (in any order)
** and date of service, in buf. Returns its length, 0 without code or date. */
size_t bh_line_key(const bh_line *line, char *buf, size_t size);

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

/* 1 when the code (with or without the dot, any case) is billable on the
** date of service, as bh_icd10_lookup would say, without its titles: the
** question a check asks of every diagnosis. */
int bh_icd10_billable(const char *code, size_t len, bh_date date);

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

/* Limits of the reader, each overridable at build time. A segment of more
** than BH_X12_MAX_ELEMENTS entries (its id and elements: so 63 elements),
** or an element longer than BH_X12_MAX_ELEMENT_LEN, is refused with
** BH_ERR_LIMIT (the 837P's widest segment, SV1, has 21 elements; its longest
** element, PER04, 256 characters). */
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

/* Claims per 837P transaction set when writing: the implementation guide
** recommends no more than 5000, and it bounds the claim models held. */
#define BH_X12_CLAIMS_PER_SET 5000

/* A writer of one interchange made of several transaction sets, so a large
** batch need not be in memory at once: bh_x12_writer_new writes ISA and
** GS, each bh_x12_writer_add writes one ST..SE set (HL numbering and SE01
** computed per set, ST02 counting up from opt->transaction_control), and
** bh_x12_writer_finish writes GE (with the number of sets) and IEA. The
** 837P guide recommends at most 5000 claims per transaction set
** (BH_X12_CLAIMS_PER_SET, what the Lua writers put in each set).
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

/* {====================================================================
** Answers: 835 remittances; 999, TA1 and 277CA acknowledgements
** ===================================================================== */

/* What every answer reader keeps. All strings live in the reader's arena
** until the next call to its next function (or its free); NULL means the
** element was absent, never "". Amounts are normalised to two decimals
** ("12.50", "-3.00") after bh_money_parse accepted them (so at most 11
** integer digits and two decimals, else the reader fails naming the
** segment, id "x12.value"). Dates are "YYYY-MM-DD" made from CCYYMMDD
** (the reader checks the shape, 8 digits; not the calendar: some payers
** send impossible dates and they are kept as sent). Quantities, percents
** and codes are the text as sent (a quantity is checked to be a decimal
** number). Lists are (items, n) with n 0 when empty; cap is the reader's. */
#define BH_ANS_LIST(T) struct { T *items; size_t n; size_t cap; }

/* A qualified value: REF (qualifier, value), AMT (qualifier, amount),
** QTY (qualifier, quantity), LQ (qualifier, remark code). */
typedef struct bh_ans_pair {
    const char *qualifier;
    const char *value;
} bh_ans_pair;

/* N3/N4. */
typedef struct bh_ans_address {
    const char *line1, *line2, *city, *state, *zip, *country, *country_subdivision;
} bh_ans_address;

/* PER: function code, name, up to three (qualifier, number) pairs. */
typedef struct bh_ans_contact {
    const char *function_code, *name;
    bh_ans_pair numbers[3];
    int n_numbers;
} bh_ans_contact;

/* NM1: entity (NM101 QC, IL, 74, 82, TT, PR, GB, 41, 85...), entity_type
** (NM102 1 person / 2 organisation), last (or the organisation's name),
** first, middle, prefix, suffix, id_qualifier (NM108), id (NM109).
** entity NULL: the segment was not sent. */
typedef struct bh_ans_person {
    const char *entity, *entity_type, *last, *first, *middle, *prefix, *suffix;
    const char *id_qualifier, *id;
} bh_ans_person;

/* ISA and GS as sent (blank-padded ISA ids trimmed). has 0: not sent (an ST
** with no envelope). */
typedef struct bh_ans_interchange {
    int has;
    const char *sender_qualifier, *sender_id, *receiver_qualifier, *receiver_id;
    const char *date, *time, *control_number, *version, *ack_requested, *usage;
} bh_ans_interchange;

typedef struct bh_ans_group {
    int has;
    const char *functional_id, *sender, *receiver, *date, *time, *control_number, *version;
} bh_ans_group;

/* A segment whose elements are kept by position: v[k] is element k
** (1-based), normalised as its descriptor's kind says. TS3, TS2, MIA, MOA. */
#define BH_ANS_MAX_FIELDS 25
typedef struct bh_ans_fields {
    const char *v[BH_ANS_MAX_FIELDS];
} bh_ans_fields;

/* Kind of a positional element: amount, quantity (decimal text), date,
** text, or a remark code (MIA05/20-24, MOA03-07, gathered as remarks). */
typedef enum bh_ans_kind { BH_ANS_AMOUNT, BH_ANS_QUANTITY, BH_ANS_DATE, BH_ANS_TEXT,
                           BH_ANS_REMARK } bh_ans_kind;

/* Names the elements a positional segment carries; a list ends with
** position 0. Names are the 005010X221A1 element names in snake case; the
** TS3 elements 5010 marks "not used" but 4010 senders still fill (06-12,
** 14, 16, 19) keep their 4010 names or "ts3_NN" where none is settled. */
typedef struct bh_ans_field_desc {
    int position;
    const char *name;
    bh_ans_kind kind;
} bh_ans_field_desc;

extern const bh_ans_field_desc bh_ans_ts3_fields[];
extern const bh_ans_field_desc bh_ans_ts2_fields[];
extern const bh_ans_field_desc bh_ans_mia_fields[];
extern const bh_ans_field_desc bh_ans_moa_fields[];

/* {--- 835 --- */

/* One CAS triplet: group (CAS01 CO/PR/OA/PI/CR), reason (CARC), amount,
** quantity (NULL when not sent). */
typedef struct bh_rm_adjustment {
    const char *group, *reason, *amount, *quantity;
} bh_rm_adjustment;

/* An N1 loop of the header: payer (1000A) or payee (1000B). */
typedef struct bh_rm_party {
    const char *entity, *name, *id_qualifier, *id;
    bh_ans_address address;
    BH_ANS_LIST(bh_ans_pair) references;
    BH_ANS_LIST(bh_ans_contact) contacts;
    const char *delivery_method, *delivery_name, *delivery_number;   /* RDM (payee) */
} bh_rm_party;

/* LX with its TS3 (provider summary) and TS2 (supplemental) when sent. */
typedef struct bh_rm_header {
    const char *number;
    int has_summary, has_supplemental;
    bh_ans_fields summary, supplemental;
} bh_rm_header;

/* One PLB reason/amount pair: reason (PLB03-1), reference (PLB03-2). */
typedef struct bh_rm_plb_adjustment {
    const char *reason, *reference, *amount;
} bh_rm_plb_adjustment;

typedef struct bh_rm_plb {
    const char *provider_id, *fiscal_period_date;
    BH_ANS_LIST(bh_rm_plb_adjustment) adjustments;
} bh_rm_plb;

/* SVC (2110) and what follows it. */
typedef struct bh_rm_line {
    const char *code_qualifier, *code, *modifiers[4], *description;
    const char *charge, *paid, *revenue_code, *units;
    int has_original;       /* SVC06 sent: the procedure as submitted */
    const char *original_qualifier, *original_code, *original_modifiers[4];
    const char *original_description, *original_units;
    const char *date, *date_from, *date_to;     /* DTM 472, 150, 151 */
    const char *control_number;                 /* REF*6R */
    BH_ANS_LIST(bh_rm_adjustment) adjustments;
    BH_ANS_LIST(bh_ans_pair) references;        /* every REF, 6R too */
    BH_ANS_LIST(bh_ans_pair) amounts;
    BH_ANS_LIST(bh_ans_pair) quantities;
    BH_ANS_LIST(bh_ans_pair) remarks;           /* LQ */
    /* Elements after SVC07, which the 835 does not define, kept as sent
    ** (qualifier is the position "08", "09"...) rather than dropped. */
    BH_ANS_LIST(bh_ans_pair) extra_elements;
} bh_rm_line;

/* CLP (2100) and its loop. header_number is the LX it came under (NULL
** when there was none); payee_index is the payee loop in effect (0 for
** the first; some payers repeat N1*PE between claims). */
typedef struct bh_rm_claim {
    const char *header_number;
    size_t payee_index;
    const char *claim_id, *status, *charge, *paid, *patient_responsibility;
    const char *filing_indicator, *payer_claim_number, *facility_type, *frequency;
    const char *patient_status, *drg, *drg_weight, *discharge_fraction, *condition_response;
    BH_ANS_LIST(bh_rm_adjustment) adjustments;
    bh_ans_person patient, insured, corrected, service_provider, crossover_carrier;
    bh_ans_person corrected_priority_payer, other_subscriber;
    int has_inpatient, has_outpatient;
    bh_ans_fields inpatient, outpatient;        /* MIA, MOA */
    BH_ANS_LIST(bh_ans_pair) references;
    const char *statement_from, *statement_to, *coverage_expiration, *received;
    BH_ANS_LIST(bh_ans_pair) amounts;
    BH_ANS_LIST(bh_ans_pair) quantities;
    BH_ANS_LIST(bh_ans_contact) contacts;
    BH_ANS_LIST(bh_rm_line) lines;
} bh_rm_claim;

/* One 835 transaction set (ST..SE) without its claims, which come one by
** one. payees.items[0] is the 1000B loop; later ones are repeats. */
typedef struct bh_rm_set {
    bh_ans_interchange interchange;
    bh_ans_group group;
    const char *set_control_number, *implementation;            /* ST02, ST03 */
    const char *handling, *amount, *credit_debit, *method, *format;     /* BPR01-05 */
    const char *payer_dfi_qualifier, *payer_dfi_id, *payer_account_qualifier,
        *payer_account;                                          /* BPR06-09 */
    const char *originator_id, *originator_supplement;           /* BPR10-11 */
    const char *payee_dfi_qualifier, *payee_dfi_id, *payee_account_qualifier,
        *payee_account;                                          /* BPR12-15 */
    const char *payment_date;                                    /* BPR16 */
    const char *trace_type, *trace_number, *trace_originator_id,
        *trace_originator_supplement;                            /* TRN */
    const char *currency;                                        /* CUR02 */
    const char *receiver_id, *version_id, *production_date;      /* REF*EV, REF*F2, DTM*405 */
    bh_rm_party payer;
    BH_ANS_LIST(bh_rm_party) payees;
    BH_ANS_LIST(bh_rm_header) headers;
    BH_ANS_LIST(bh_rm_plb) provider_adjustments;
    size_t n_claims;            /* claims read in this set so far */
} bh_rm_set;

typedef struct bh_remit_reader bh_remit_reader;

/* What bh_remit_reader_next returned. */
enum { BH_RM_END = 0, BH_RM_CLAIM = 1, BH_RM_SET_END = 2 };

/* A streaming 835 (005010X221A1) reader over data (borrowed; it must stay
** unchanged until bh_remit_reader_free). Any separators, several ISA, GS
** and ST in one file, or an ST..SE set with no envelope. Returns NULL with
** err filled when the data does not start like X12 (or on BH_ERR_NOMEM). */
bh_remit_reader *bh_remit_reader_new(const char *data, size_t len, bh_error *err);

/* Reads on. Returns BH_RM_CLAIM with *claim the next claim payment (and
** *set the set it belongs to, claims and PLB not yet complete),
** BH_RM_SET_END at SE with *set complete (headers, payees, PLB, n_claims),
** BH_RM_END after the data, or -1 with err filled ("segment N (ID): what
** was expected", id "x12.syntax" for structure, "x12.value" for a bad
** amount, date or code, "x12.nomem"). What it hands out lives until the
** next call. After -1 every call returns -1 with the same error. */
int bh_remit_reader_next(bh_remit_reader *reader, const bh_rm_claim **claim,
                         const bh_rm_set **set, bh_error *err);

/* Frees the reader and every string it handed out. NULL-safe. */
void bh_remit_reader_free(bh_remit_reader *reader);

/* {--- 999, TA1, 277CA --- */

/* CTX (999): the context of an error. */
typedef struct bh_ack_context {
    const char *name, *reference;                   /* CTX01-1, 01-2 */
    const char *segment_id, *position, *loop;       /* CTX02-04 */
    const char *element_position, *component, *repeat_index;  /* CTX05 */
    const char *element_reference;                  /* CTX06-1 */
} bh_ack_context;

/* IK4: an element in error. */
typedef struct bh_ack_element {
    const char *position, *component, *repeat_index, *reference, *code, *value;
    BH_ANS_LIST(bh_ack_context) context;
} bh_ack_element;

/* IK3: a segment in error, with its contexts and elements. */
typedef struct bh_ack_segment {
    const char *segment_id, *position, *loop, *code;
    BH_ANS_LIST(bh_ack_context) context;
    BH_ANS_LIST(bh_ack_element) elements;
} bh_ack_segment;

/* AK2..IK5: one acknowledged set. codes are IK502-06. */
typedef struct bh_ack_set {
    const char *set_id, *control_number, *version, *status;
    const char *codes[5];
    BH_ANS_LIST(bh_ack_segment) errors;
} bh_ack_set;

/* STC: one status. category/code/entity/code_list per composite (STC01,
** STC10, STC11); date STC02, action STC03, amount STC04, free_text STC12. */
typedef struct bh_ack_status {
    const char *category[3], *code[3], *entity[3], *code_list[3];
    const char *date, *action, *amount, *free_text;
} bh_ack_status;

/* SVC (2220D) of a 277CA with its status. */
typedef struct bh_ack_line {
    const char *code_qualifier, *code, *modifiers[4], *charge, *paid, *revenue_code, *units;
    const char *control_number, *date_from, *date_to;         /* REF*FJ, DTP*472 */
    BH_ANS_LIST(bh_ack_status) status;
} bh_ack_line;

/* One HL of a 277CA: level "20" source, "21" receiver, "19" provider,
** "PT" patient (a claim). */
typedef struct bh_ack_level {
    const char *level, *id, *parent;
    bh_ans_person entity;
    const char *trace_type, *trace_number;          /* TRN */
    BH_ANS_LIST(bh_ack_status) status;
    BH_ANS_LIST(bh_ans_pair) references;
    BH_ANS_LIST(bh_ans_pair) amounts;
    BH_ANS_LIST(bh_ans_pair) quantities;
    BH_ANS_LIST(bh_ans_pair) dates;                 /* DTP qualifier, "YYYY-MM-DD" or
                                                       "YYYY-MM-DD/YYYY-MM-DD" for RD8 */
    BH_ANS_LIST(bh_ack_line) lines;
} bh_ack_level;

typedef struct bh_ack {
    const char *kind;                   /* "999", "TA1" or "277CA" */
    bh_ans_interchange interchange;
    bh_ans_group group;
    const char *set_control_number, *implementation;
    /* TA1 */
    const char *control_number, *date, *time, *status, *note_code;
    /* 999: AK1, the sets (AK2..IK5), AK9 */
    const char *functional_id, *group_control_number, *version;
    BH_ANS_LIST(bh_ack_set) sets;
    const char *group_status, *group_codes[5];
    const char *sets_included, *sets_received, *sets_accepted;
    /* 277CA: BHT, then every HL in order */
    const char *structure, *purpose, *reference, *bht_date, *bht_time, *type;
    BH_ANS_LIST(bh_ack_level) levels;
} bh_ack;

typedef struct bh_ack_reader bh_ack_reader;

/* A streaming reader of acknowledgements over data (borrowed, unchanged
** until bh_ack_reader_free): TA1 segments, 999 (005010X231/A1) and 277CA
** (005010X214) sets, in any mix, any separators, with or without an
** envelope. NULL with err filled when the data is not X12. */
bh_ack_reader *bh_ack_reader_new(const char *data, size_t len, bh_error *err);

/* Returns 1 with *ack the next TA1 or set (valid until the next call), 0
** after the data, -1 with err filled as bh_remit_reader_next does. A set
** other than 999 or 277 is refused naming its ST. */
int bh_ack_reader_next(bh_ack_reader *reader, const bh_ack **ack, bh_error *err);

/* Frees the reader and every string it handed out. NULL-safe. */
void bh_ack_reader_free(bh_ack_reader *reader);

/* {====================================================================
** Report lines: what `bhclaim check` prints for one claim (report_write.c)
** ===================================================================== */

/* One checked claim as a report line shows it. Everything is borrowed. */
typedef struct bh_report_entry {
    const char *claim_id;               /* NULL: the claim has none */
    const bh_claim *claim;              /* patient, first date, line codes */
    const bh_finding *const *findings;  /* in print order (bh_report_order) */
    size_t n_findings;
    const char *source;                 /* CSV: the input's name; NULL: "" */
    long line;                          /* CSV: the record's line (an 837P's claim
                                           position); 0: none */
} bh_report_entry;

/* Appends the name a report shows for the claim: "Last, First", "Last",
** "First" or nothing, of the patient, or of the subscriber when the patient
** has no last name (the subscriber is the patient). The one definition for
** report lines and check's summary. Returns BH_OK or BH_ERR_NOMEM. */
bh_status bh_claim_write_patient(bh_buffer *out, const bh_claim *c);

/* Points out[0..n) at the first n findings of the report in print order:
** errors, then warnings, then notes, each in the order found (out holds n
** pointers; n beyond the report's count is its count). Returns the count. */
size_t bh_report_order(const bh_report *report, size_t n, const bh_finding **out);

/* Appends a JSON string literal: " \ and control bytes (0-31, 127)
** escaped, \b \f \n \r \t by name, others as \u00XX; other bytes as
** given. Returns BH_OK or BH_ERR_NOMEM. */
bh_status bh_json_write_string(bh_buffer *out, const char *s, size_t len);

/* Appends one CSV field (RFC 4180: quoted when it holds , " CR or LF, with
** " doubled). Returns BH_OK or BH_ERR_NOMEM. */
bh_status bh_csv_write_field(bh_buffer *out, const char *s, size_t len);

/* One value a report line shows: len bytes at s, or none (s == NULL: null
** in JSON, empty in CSV; text shows each field's stand-in, below). A
** literal is a number or boolean of a Lua-made finding, written in JSON as
** it is rather than as a string. */
typedef struct bh_line_value {
    const char *s;
    size_t len;
    int literal;
} bh_line_value;

/* One finding as a report line shows it. In text an absent rule, severity,
** message, group or carc shows as nil, an absent or empty path as
** "(claim)"; an absent or empty hint and an absent rarc are left out. */
typedef struct bh_line_finding {
    bh_line_value rule, severity, path, message, hint, source;
    int denial;                         /* 1: group, carc and rarc are shown */
    bh_line_value group, carc, rarc;
} bh_line_finding;

/* A line view: what one report line shows, whatever made the report (the
** batch path from the claim model, the binding from a Lua entry). The
** writers read it only; everything is borrowed. */
typedef struct bh_report_line {
    bh_line_value claim_id;             /* none: text shows "(no id)" */
    bh_line_value patient;              /* the name shown, or its last name when */
    bh_line_value patient_first;        /* this is not none: "patient, patient_first" */
    bh_line_value date;
    int ok;                             /* JSON's "ok" */
    int session;                        /* a session's own findings */
    size_t counts[3];                   /* findings by bh_severity */
    size_t n_findings;
    /* Fills *f with finding i (0-based, print order). */
    void (*finding)(const void *ctx, size_t i, bh_line_finding *f);
    /* The code of the claim's line i (1-based); none when there is no line i. */
    bh_line_value (*code)(const void *ctx, size_t i);
    const void *ctx;                    /* for finding and code */
    bh_line_value source, line;         /* CSV's last two columns */
} bh_report_line;

/* Append one report line as `bhclaim check --format text|json|csv` prints
** it (docs/cli.md); the one definition of those formats. Text: a head line
** ("session " first for a session's own findings) and two to four lines
** per finding; json: one object on one line (`"session":true` last for a
** session); csv: one CRLF row per finding, with the code of the line the
** finding's path names, or one row with empty finding columns for a clean
** claim. Each ends with its line break. Return BH_OK or BH_ERR_NOMEM (the
** buffer may then hold part of the line). */
bh_status bh_report_line_text(bh_buffer *out, const bh_report_line *line);
bh_status bh_report_line_json(bh_buffer *out, const bh_report_line *line);
bh_status bh_report_line_csv(bh_buffer *out, const bh_report_line *line);

/* Append the report of one checked claim (the batch path) through the line
** writers above: bh_report_line_* of the entry's line view. */
bh_status bh_report_write_text(bh_buffer *out, const bh_report_entry *entry);
bh_status bh_report_write_json(bh_buffer *out, const bh_report_entry *entry);
bh_status bh_report_write_csv(bh_buffer *out, const bh_report_entry *entry);

#endif
