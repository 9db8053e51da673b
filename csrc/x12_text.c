/*
** x12_text.c: free text as the 837P may carry it. Names, addresses and the
** claim note are folded to printable ASCII by one transliteration table
** (docs/cli.md lists it): accented Latin letters lose their accent, ligatures
** and sharp s are spelt out, typographic quotes and dashes become plain ones.
** Nothing is ever dropped: a character with no folding, or a value longer
** than its element once folded, makes the fold fail, and the writer refuses
** the claim (check reports x12.text first). The writer and check both call
** bh_x12_fold, so what check announces is what the writer sends.
** Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "core.h"

/* U+00C0..U+00FF, one character each; '?' marks a two-letter folding
** (looked up in two_letter), '-' a character with no folding (x and ÷). */
static const char latin1[64 + 1] =
    "AAAAAA?CEEEEIIII" "DNOOOOO-OUUUUY??" "aaaaaa?ceeeeiiii" "dnooooo-ouuuuy?y";

/* U+0100..U+017F (Latin Extended-A), same marks. */
static const char latin_ext_a[128 + 1] =
    "AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg" "GgGgHhHhIiIiIiIi" "Ii??JjKkkLlLlLlL"
    "lLlNnNnNnnNnOoOo" "Oo??RrRrRrSsSsSs" "SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";

typedef struct two_letter {
    unsigned cp;
    const char *text;
} two_letter;

static const two_letter two_letters[] = {
    {0x00C6, "AE"}, {0x00DE, "TH"}, {0x00DF, "ss"}, {0x00E6, "ae"}, {0x00FE, "th"},
    {0x0132, "IJ"}, {0x0133, "ij"}, {0x0152, "OE"}, {0x0153, "oe"}
};

/* Typographic punctuation and spaces. */
static const two_letter punctuation[] = {
    {0x00A0, " "}, {0x00B4, "'"}, {0x02BC, "'"}, {0x2002, " "}, {0x2003, " "},
    {0x2009, " "}, {0x2010, "-"}, {0x2011, "-"}, {0x2012, "-"}, {0x2013, "-"},
    {0x2014, "-"}, {0x2018, "'"}, {0x2019, "'"}, {0x201A, "'"}, {0x201C, "\""},
    {0x201D, "\""}, {0x201E, "\""}, {0x2026, "..."}, {0x2032, "'"}, {0x2033, "\""}
};

static const char *lookup(const two_letter *table, size_t n, unsigned cp) {
    size_t i;
    for (i = 0; i < n; i++)
        if (table[i].cp == cp) return table[i].text;
    return NULL;
}

/* Decodes one UTF-8 sequence at s (n bytes available); returns its length,
** 0 when malformed, and the code point in *cp. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp) {
    size_t len, i;
    unsigned v;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) { len = 2; v = s[0] & 0x1Fu; }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) { len = 3; v = s[0] & 0x0Fu; }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) { len = 4; v = s[0] & 0x07u; }
    else return 0;
    if (len > n) return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF))) return 0;
    *cp = v;
    return len;
}

/* The folding of one code point above U+007F into buf; returns its length,
** 0 for a combining accent (folded away with the letter it marks), -1 when
** the character has none. */
static int fold_one(unsigned cp, char buf[4]) {
    const char *t;
    char c = 0;
    if (cp >= 0x300 && cp <= 0x36F) return 0;
    if (cp >= 0xC0 && cp <= 0xFF) c = latin1[cp - 0xC0];
    else if (cp >= 0x100 && cp <= 0x17F) c = latin_ext_a[cp - 0x100];
    if (c != 0 && c != '?' && c != '-') {
        buf[0] = c;
        return 1;
    }
    if (c == '-') return -1;
    t = c == '?' ? lookup(two_letters, sizeof two_letters / sizeof two_letters[0], cp)
                 : lookup(punctuation, sizeof punctuation / sizeof punctuation[0], cp);
    if (t == NULL) return -1;
    memcpy(buf, t, strlen(t));
    return (int)strlen(t);
}

static int is_separator(const char seps[4], char c) {
    return c == seps[0] || c == seps[1] || c == seps[2] || c == seps[3];
}

bh_x12_fold_result bh_x12_fold(const char *s, const char seps[4], int keep_case,
                               bh_x12_folded *into) {
    char *out = into->text;
    const size_t max = into->max;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0, left = s != NULL ? strlen(s) : 0;
    int space = 0, changed = 0, too_long = 0;
    while (left > 0) {
        char buf[4];
        unsigned cp;
        size_t used = utf8_decode(p, left, &cp);
        int k, i;
        if (used == 0) {
            into->len = (size_t)((const char *)p - s);
            return BH_FOLD_BAD_CHAR;
        }
        p += used;
        left -= used;
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n') {
            space = n > 0;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F) {
            into->len = (size_t)((const char *)p - s) - used;
            return BH_FOLD_BAD_CHAR;
        }
        if (cp < 0x80) {
            buf[0] = (char)cp;
            k = 1;
            if (is_separator(seps, buf[0])) {
                /* A separator inside text would split the element: a space
                ** stands in for it. */
                changed = 1;
                space = n > 0;
                continue;
            }
        } else {
            k = fold_one(cp, buf);
            if (k < 0) {
                into->len = (size_t)((const char *)p - s) - used;
                return BH_FOLD_BAD_CHAR;
            }
            changed = 1;
            if (k == 1 && buf[0] == ' ') {
                space = n > 0;
                continue;
            }
        }
        if (space && k > 0) {
            if (n + 1 > max) too_long = 1;
            else out[n++] = ' ';
            space = 0;
        }
        for (i = 0; i < k; i++) {
            if (n + 1 > max) {
                too_long = 1;
                break;
            }
            out[n++] = keep_case ? buf[i] : BH_TO_UPPER(buf[i]);
        }
    }
    out[n] = '\0';
    into->len = n;
    into->folded = changed;
    return too_long ? BH_FOLD_TOO_LONG : BH_FOLD_OK;
}

/* USPS codes of the states, the District of Columbia, the territories and
** the military post offices (N402 for a US address). */
static const char *const us_states =
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI FM MH PW "
    "AA AE AP";

int bh_x12_state_valid(const char *s) {
    const char *p;
    if (s == NULL || strlen(s) != 2 || !BH_IS_UPPER(s[0]) || !BH_IS_UPPER(s[1])) return 0;
    for (p = us_states;; p += 3) {   /* codes of two letters, one space apart */
        if (p[0] == s[0] && p[1] == s[1]) return 1;
        if (p[2] == '\0') return 0;
    }
}

int bh_x12_zip_digits(const char *zip, char out[10]) {
    size_t i, n = 0, len = zip != NULL ? strlen(zip) : 0;
    for (i = 0; i < len; i++) {
        if (BH_IS_DIGIT(zip[i]) && n < 9) out[n++] = zip[i];
        else if (!(zip[i] == '-' && i == 5 && len == 10)) return -1;
    }
    out[n] = '\0';
    return n == 5 || n == 9 ? (int)n : -1;
}

int bh_x12_frequency_valid(const char *f) {
    return f != NULL && (strcmp(f, "1") == 0 || strcmp(f, "7") == 0 || strcmp(f, "8") == 0);
}

int bh_x12_frequency_needs_f8(const char *f) {
    return f != NULL && (strcmp(f, "7") == 0 || strcmp(f, "8") == 0);
}

/* Looks for a two-character or one-character code in a space-separated list. */
static int in_list(const char *list, const char *s) {
    size_t n = s != NULL ? strlen(s) : 0;
    const char *p = list;
    if (n == 0) return 0;
    while (*p) {
        const char *end = strchr(p, ' ');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, s, n) == 0) return 1;
        if (end == NULL) break;
        p = end + 1;
    }
    return 0;
}

int bh_x12_code_valid(bh_x12_code_kind kind, const char *s) {
    switch (kind) {
    case BH_X12_RESPONSIBILITY: return in_list("A B C D E F G H P S T U", s);
    case BH_X12_FILING_CODE:
        return in_list("11 12 13 14 15 16 17 AM BL CH CI DS FI HM LM MA MB MC OF TV VA WC ZZ", s);
    case BH_X12_UNIT_TYPE: return in_list("UN MJ", s);
    case BH_X12_YES_NO: return in_list("Y N", s);
    case BH_X12_ASSIGNMENT: return in_list("A B C", s);
    case BH_X12_BENEFITS: return in_list("Y N W", s);
    case BH_X12_RELEASE: return in_list("I Y", s);
    case BH_X12_SIGNATURE_SOURCE: return in_list("P", s);
    case BH_X12_CLAIM_DATE: return in_list(BH_X12_CLAIM_DATE_ORDER, s);
    case BH_X12_CLAIM_REFERENCE:
        return in_list(BH_X12_CLAIM_REFERENCE_ORDER, s) && strcmp(s, "G1") != 0 &&
               strcmp(s, "F8") != 0;
    default: return 0;
    }
}

const char *bh_x12_cob_problem(const bh_claim *c, char path[64]) {
    const char *resp = c->payer.responsibility;
    int i, j, k;
    if (resp != NULL && strcmp(resp, "P") != 0 && strcmp(resp, "U") != 0 &&
        c->n_other_payers == 0) {
        snprintf(path, 64, "other_payers");
        return "is missing: a claim to a secondary or tertiary payer needs the payers before it "
               "(2320)";
    }
    for (i = 0; i < c->n_lines; i++) {
        const bh_line *l = &c->lines[i];
        for (j = 0; j < l->n_adjudications; j++) {
            const bh_adjudication *a = &l->adjudications[j];
            int64_t sum = a->paid;
            int known = 0;
            for (k = 0; k < c->n_other_payers; k++)
                if (a->payer_id != NULL && c->other_payers[k].payer_id != NULL &&
                    strcmp(a->payer_id, c->other_payers[k].payer_id) == 0)
                    known = 1;
            if (!known) {
                snprintf(path, 64, "lines[%d].adjudications[%d].payer_id", i + 1, j + 1);
                return "is not the id of one of the claim's other_payers (2430 SVD01)";
            }
            for (k = 0; k < a->n_adjustments; k++) sum += a->adjustments[k].amount;
            if (l->charge_state == BH_FIELD_OK && sum != l->charge) {
                snprintf(path, 64, "lines[%d].adjudications[%d]", i + 1, j + 1);
                return "does not balance: paid plus adjustments must equal the line charge "
                       "(2430 SVD02 + CAS = SV102)";
            }
        }
    }
    return NULL;
}
