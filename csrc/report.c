/*
** report.c: the findings of one claim (see bhclaim.h, "Findings").
** Findings and their strings live in the report's arena, so a batch resets
** one report per claim instead of allocating per finding. Core layer.
** SPDX-License-Identifier: MIT
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

/* Longest message kept; longer ones are cut (messages are one sentence). */
#define REPORT_MESSAGE_MAX 400

struct bh_report {
    bh_finding *items;      /* findings, in the order added */
    size_t count;           /* findings held */
    size_t capacity;        /* slots in items */
    bh_arena *strings;      /* copies of every finding's strings */
};

bh_report *bh_report_new(void) {
    bh_report *report = calloc(1, sizeof *report);
    if (report == NULL) return NULL;
    report->strings = bh_arena_new(4096);
    if (report->strings == NULL) {
        free(report);
        return NULL;
    }
    return report;
}

void bh_report_free(bh_report *report) {
    if (report == NULL) return;
    free(report->items);
    bh_arena_free(report->strings);
    free(report);
}

void bh_report_reset(bh_report *report) {
    report->count = 0;
    bh_arena_reset(report->strings);
}

void bh_report_truncate(bh_report *report, size_t count) {
    if (count < report->count) report->count = count;
}

/* Compares paths as a reader would list them: runs of digits by value, so
** lines[2] comes before lines[10]. */
static int path_order(const char *a, const char *b) {
    while (*a && *b) {
        if (BH_IS_DIGIT(*a) && BH_IS_DIGIT(*b)) {
            const char *ea = a, *eb = b;
            while (*a == '0' && BH_IS_DIGIT(a[1])) a++;
            while (*b == '0' && BH_IS_DIGIT(b[1])) b++;
            for (ea = a; BH_IS_DIGIT(*ea); ea++) {}
            for (eb = b; BH_IS_DIGIT(*eb); eb++) {}
            if (ea - a != eb - b) return ea - a < eb - b ? -1 : 1;
            for (; a < ea; a++, b++)
                if (*a != *b) return *a < *b ? -1 : 1;
            continue;
        }
        if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

void bh_report_sort_by_path(bh_report *report, size_t from) {
    size_t i, j;
    for (i = from + 1; i < report->count; i++) {
        bh_finding f = report->items[i];
        for (j = i; j > from; j--) {
            const bh_finding *prev = &report->items[j - 1];
            int c = path_order(prev->path, f.path);
            if (c < 0 || (c == 0 && strcmp(prev->rule, f.rule) <= 0)) break;
            report->items[j] = *prev;
        }
        report->items[j] = f;
    }
}

size_t bh_report_count(const bh_report *report) {
    return report->count;
}

size_t bh_report_count_severity(const bh_report *report, bh_severity severity) {
    size_t i, n = 0;
    for (i = 0; i < report->count; i++)
        if (report->items[i].severity == severity) n++;
    return n;
}

const bh_finding *bh_report_get(const bh_report *report, size_t i) {
    return i < report->count ? &report->items[i] : NULL;
}

const char *bh_severity_name(bh_severity severity) {
    switch (severity) {
    case BH_SEV_ERROR: return "error";
    case BH_SEV_WARNING: return "warning";
    default: return "info";
    }
}

static const char *copy_or_empty(bh_arena *arena, const char *s) {
    if (s == NULL || s[0] == '\0') return "";
    return bh_arena_strndup(arena, s, strlen(s));
}

static int grow(bh_report *report) {
    size_t capacity = report->capacity ? report->capacity * 2 : 16;
    bh_finding *items = realloc(report->items, capacity * sizeof *items);
    if (items == NULL) return 0;
    report->items = items;
    report->capacity = capacity;
    return 1;
}

/* Appends f with `message` (at most REPORT_MESSAGE_MAX bytes of it), every
** string copied. */
static bh_status add_copy(bh_report *report, const bh_finding *in, const char *message,
                          size_t len) {
    bh_finding f;
    if (report->count == report->capacity && !grow(report)) return BH_ERR_NOMEM;
    if (len > REPORT_MESSAGE_MAX) len = REPORT_MESSAGE_MAX;
    f.rule = copy_or_empty(report->strings, in->rule);
    f.severity = in->severity;
    f.path = copy_or_empty(report->strings, in->path);
    f.message = len == 0 ? "" : bh_arena_strndup(report->strings, message, len);
    f.hint = copy_or_empty(report->strings, in->hint);
    f.source = copy_or_empty(report->strings, in->source);
    if (!f.rule || !f.path || !f.message || !f.hint || !f.source) return BH_ERR_NOMEM;
    report->items[report->count++] = f;
    return BH_OK;
}

bh_status bh_report_put(bh_report *report, const bh_finding *f) {
    if (report == NULL || f == NULL || f->rule == NULL || f->message == NULL) return BH_ERR_ARG;
    return add_copy(report, f, f->message, strlen(f->message));
}

bh_status bh_report_addf(bh_report *report, const bh_finding *f, const char *fmt, ...) {
    char message[REPORT_MESSAGE_MAX + 1];
    va_list ap;
    if (report == NULL || f == NULL || f->rule == NULL || fmt == NULL) return BH_ERR_ARG;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return add_copy(report, f, message, strlen(message));
}
