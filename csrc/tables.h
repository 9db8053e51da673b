/*
** tables.h: the shapes of the code tables compiled into the core.
** The tables themselves are generated into csrc/data/ by
** scripts/gen_tables.lua from the public lists in data/ (see
** data/PROVENANCE.md); never edit the generated files by hand.
** Core-internal: no Lua headers. Every array is sorted by code (byte order).
** SPDX-License-Identifier: MIT
*/
#ifndef BH_TABLES_H
#define BH_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* Bits of bh_icd10_code.years: the fiscal years a code is billable in. */
#define BH_FY2026 0x01
#define BH_FY2027 0x02

typedef struct bh_icd10_code {
    char code[8];           /* no dot, NUL-padded */
    unsigned char years;    /* BH_FY* bits */
} bh_icd10_code;

typedef struct bh_icd10_title {
    char code[8];           /* no dot; a billable code or a header */
    unsigned char years;    /* the fiscal years this title applies to */
    const char *title;      /* CMS long title */
} bh_icd10_title;

typedef struct bh_icd10_category {
    char code[4];           /* three characters */
    const char *title;      /* CMS tabular title of the category */
} bh_icd10_category;

/* An open-addressing hash index over one table's codes (generated with
** the table): slots[code_hash(code) + k] for the first k >= 0 whose slot is
** 0 (absent) or names the code holds 1 + the index of the code's first row.
** n_slots is a prime; the table is at most 70% full. codes.c reads it. */
typedef struct bh_code_index {
    const uint32_t *slots;
    uint32_t n_slots;
} bh_code_index;

extern const bh_icd10_code bh_icd10_codes[];
extern const size_t bh_icd10_codes_count;
extern const bh_icd10_title bh_icd10_titles[];
extern const size_t bh_icd10_titles_count;
extern const bh_icd10_category bh_icd10_categories[];
extern const size_t bh_icd10_categories_count;
extern const bh_code_index bh_icd10_codes_index;
extern const bh_code_index bh_icd10_titles_index;
extern const bh_code_index bh_icd10_categories_index;

typedef struct bh_hcpcs_code {
    char code[6];           /* letter and four digits */
    const char *short_description;  /* CMS short descriptor */
    const char *long_description;   /* CMS long descriptor */
} bh_hcpcs_code;

typedef struct bh_cpt_code {
    char code[6];           /* CPT Category I, II or III */
    unsigned char addon;    /* 1 for an add-on code */
    int32_t from, to;       /* effective dates YYYYMMDD, 0 = open */
    const char *description;/* our own words (never AMA text) */
    const char *source;
} bh_cpt_code;

typedef struct bh_modifier {
    char code[3];
    unsigned char is_cpt;   /* 1: CPT Level I; 0: HCPCS Level II */
    const char *description;
    const char *source;
} bh_modifier;

typedef struct bh_pos {
    char code[3];
    int32_t from;           /* first date in effect, YYYYMMDD; 0 = long-standing */
    unsigned char telehealth;
    const char *name;
    const char *source;
} bh_pos;

extern const bh_hcpcs_code bh_hcpcs_codes[];
extern const size_t bh_hcpcs_codes_count;
extern const bh_cpt_code bh_cpt_codes[];
extern const size_t bh_cpt_codes_count;
extern const bh_modifier bh_modifiers[];
extern const size_t bh_modifiers_count;
extern const bh_pos bh_pos_codes[];
extern const size_t bh_pos_codes_count;
extern const bh_code_index bh_hcpcs_codes_index;
extern const bh_code_index bh_cpt_codes_index;
extern const bh_code_index bh_modifiers_index;
extern const bh_code_index bh_pos_codes_index;

#endif
