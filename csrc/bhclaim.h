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
} bh_payer;

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
    const char *place_of_service;               /* two digits */
    const char *prior_authorization;
    int64_t total_charge;                       /* cents, when the claim states one */
    bh_field_state total_charge_state;
    const char *frequency;                      /* claim frequency: "1", "7", "8" */
    const char *note;                           /* free text for the payer (NTE) */
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
} bh_profile;

/* Similarity of two notes from 0 (nothing shared) to 1 (the same words in
** the same order), after case, punctuation and the listed names are set
** aside: the Dice coefficient of their word bigrams (single words for
** notes of one word). names may be NULL. Used for doc.cloned. */
double bh_note_similarity(const char *a, const char *b, const char *const *names, int n_names);

/* Options for bh_claim_check. Zero-initialise, then set what you need. */
typedef struct bh_check_options {
    bh_date today;              /* for date.future; 0 turns that check off */
    const bh_profile *profile;  /* payer rules; NULL: group, documentation and
                                   credential rules do not run */
    const bh_ncci *ncci;        /* NCCI edits; NULL: the compiled-in ones */
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

#endif
