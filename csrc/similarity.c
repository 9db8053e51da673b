/*
** similarity.c: how alike two progress notes are (bh_note_similarity,
** bh_notes_compare): word bigrams hashed, patient names left out, and the
** Dice coefficient of the two sets. Cloned group notes are a CERT finding;
** the session rules in Lua use this to flag them. Core layer: no Lua
** headers.
** SPDX-License-Identifier: MIT
*/
#include <stdlib.h>
#include <string.h>
#include "core.h"

/* Most words of a note compared; notes are a few sentences. */
#define SIM_MAX_WORDS 256

typedef unsigned long long u64;

static u64 word_hash(const char *w, size_t n) {
    u64 h = 1469598103934665603ULL;     /* FNV-1a */
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)w[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int is_name(const char *w, size_t n, const char *const *names, int n_names) {
    int i;
    for (i = 0; i < n_names; i++) {
        const char *name = names[i];
        size_t k;
        if (name == NULL || strlen(name) != n) continue;
        for (k = 0; k < n; k++)
            if (BH_TO_UPPER(name[k]) != BH_TO_UPPER(w[k])) break;
        if (k == n) return 1;
    }
    return 0;
}

/* Hashes of the note's word bigrams (its words when it has only one),
** sorted and without repeats; returns how many. */
static size_t shingles(const char *text, const char *const *names, int n_names, u64 *out) {
    u64 words[SIM_MAX_WORDS];
    char word[64];
    size_t n_words = 0, i, n = 0;
    const char *p = text;
    while (*p && n_words < SIM_MAX_WORDS) {
        size_t len = 0;
        while (*p && !(BH_IS_UPPER(*p) || BH_IS_LOWER(*p) || BH_IS_DIGIT(*p))) p++;
        while (*p && (BH_IS_UPPER(*p) || BH_IS_LOWER(*p) || BH_IS_DIGIT(*p))) {
            if (len + 1 < sizeof word) word[len++] = (char)(BH_IS_UPPER(*p) ? *p - 'A' + 'a' : *p);
            p++;
        }
        if (len == 0 || is_name(word, len, names, n_names)) continue;
        words[n_words++] = word_hash(word, len);
    }
    if (n_words == 1) out[n++] = words[0];
    for (i = 0; i + 1 < n_words; i++) out[n++] = words[i] * 31ULL + words[i + 1];
    /* insertion sort: a few hundred entries at most */
    for (i = 1; i < n; i++) {
        u64 v = out[i];
        size_t j = i;
        while (j > 0 && out[j - 1] > v) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = v;
    }
    {
        size_t k = 0;
        for (i = 0; i < n; i++)
            if (k == 0 || out[k - 1] != out[i]) out[k++] = out[i];
        n = k;
    }
    return n;
}

/* Dice coefficient of two sorted, repeat-free shingle sets. */
static double dice(const u64 *sa, size_t na, const u64 *sb, size_t nb) {
    size_t i = 0, j = 0, common = 0;
    if (na == 0 || nb == 0) return na == nb ? 1.0 : 0.0;
    while (i < na && j < nb) {
        if (sa[i] == sb[j]) {
            common++;
            i++;
            j++;
        } else if (sa[i] < sb[j]) {
            i++;
        } else {
            j++;
        }
    }
    return 2.0 * (double)common / (double)(na + nb);
}

double bh_note_similarity(const char *a, const char *b, const char *const *names, int n_names) {
    u64 sa[SIM_MAX_WORDS], sb[SIM_MAX_WORDS];
    if (a == NULL || b == NULL) return 0.0;
    return dice(sa, shingles(a, names, n_names, sa), sb, shingles(b, names, n_names, sb));
}

bh_status bh_notes_compare(const char *const *notes, int n, const bh_notes_compare_opts *opts) {
    u64 *sets;
    size_t *sizes;
    int i, j;
    if (opts == NULL || opts->found == NULL) return BH_ERR_ARG;
    if (n <= 1) return BH_OK;
    /* Each note's shingles once, not once per pair: a group of 8 has 28
    ** pairs but only 8 notes. */
    sets = malloc((size_t)n * SIM_MAX_WORDS * sizeof *sets);
    sizes = malloc((size_t)n * sizeof *sizes);
    if (sets == NULL || sizes == NULL) {
        free(sets);
        free(sizes);
        return BH_ERR_NOMEM;
    }
    for (i = 0; i < n; i++)
        sizes[i] = notes[i] ? shingles(notes[i], opts->names, opts->n_names,
                                       sets + (size_t)i * SIM_MAX_WORDS)
                            : 0;
    for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
            double sim;
            if (notes[i] == NULL || notes[j] == NULL) continue;
            sim = dice(sets + (size_t)i * SIM_MAX_WORDS, sizes[i],
                       sets + (size_t)j * SIM_MAX_WORDS, sizes[j]);
            if (sim >= opts->threshold) opts->found(i, j, sim, opts->ctx);
        }
    }
    free(sets);
    free(sizes);
    return BH_OK;
}
