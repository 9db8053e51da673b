/*
** json.c: generic JSON text to a cJSON tree, with the core's limits and
** error positions (bh_json_parse), for callers that want the whole value,
** such as the Lua binding's decode. The only core file that sees cJSON.
** Claims themselves are read by claim_json.c without building a tree.
** Core layer: no Lua headers. cJSON keeps one process-wide "last error"
** position that each parse overwrites; this file never reads it.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "core.h"

/* Line (1-based) of a byte offset, for error messages. */
static long line_of(const char *text, size_t offset) {
    long line = 1;
    size_t i;
    for (i = 0; i < offset; i++)
        if (text[i] == '\n') line++;
    return line;
}

static void set_error(bh_error *err, bh_status code, const char *id, const char *text,
                      size_t offset, const char *what) {
    if (err == NULL) return;
    err->code = code;
    err->line = text != NULL ? line_of(text, offset) : 0;
    err->byte = (long)offset + 1;
    snprintf(err->id, sizeof err->id, "%s", id);
    snprintf(err->message, sizeof err->message, "line %ld, byte %ld: %s", err->line,
             err->byte, what);
}

/* cJSON turns "\u0000" (or a raw NUL byte) into a NUL that silently cuts the
** string short; the claim would then differ from its text, so such input is
** refused. */
static const char *find_escaped_nul(const char *json, size_t len) {
    const char *p = json, *end = json + len;
    const char *raw = memchr(json, '\0', len);
    if (raw != NULL) return raw;
    while (p + 6 <= end && (p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
        if (p + 6 <= end && memcmp(p, "\\u0000", 6) == 0) return p;
        p += 2;     /* skip the escaped character, even a backslash */
    }
    return NULL;
}

/* What a quick structural scan learns before cJSON parses: where nesting
** first exceeds the limit, and whether the text ends inside a string or an
** open bracket (truncated input, which cJSON reports at its last byte). */
typedef struct scan_result {
    const char *too_deep;   /* first bracket past the limit, or NULL */
    int unclosed;           /* 1 when the text ends inside a value */
} scan_result;

/* Counted without recursion, so hostile input cannot exhaust the C stack
** before any limit applies. */
static scan_result scan_structure(const char *json, size_t len, int max_depth) {
    scan_result r = {NULL, 0};
    int depth = 0, in_string = 0;
    size_t i;
    for (i = 0; i < len; i++) {
        char c = json[i];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) {
                r.too_deep = json + i;
                return r;
            }
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    r.unclosed = in_string || depth > 0;
    return r;
}

cJSON *bh_json_parse(const char *json, size_t len, bh_error *err) {
    const char *end = NULL, *bad;
    cJSON *root;
    scan_result scan;
    if (err != NULL) memset(err, 0, sizeof *err);
    if ((bad = find_escaped_nul(json, len)) != NULL) {
        set_error(err, BH_ERR_SYNTAX, "json.nul", json, (size_t)(bad - json),
                  "the text holds a NUL character (raw or \\u0000), which claims cannot carry");
        return NULL;
    }
    root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (root == NULL) {
        size_t offset = end != NULL && end >= json ? (size_t)(end - json) : 0;
        /* Only now, on failure, scan the structure to tell a too-deep or a
        ** truncated text from other syntax errors. */
        scan = scan_structure(json, len, BH_MAX_DEPTH);
        if (scan.too_deep != NULL) {
            char what[64];
            snprintf(what, sizeof what, "nested deeper than %d levels", BH_MAX_DEPTH);
            set_error(err, BH_ERR_LIMIT, "json.depth", json, (size_t)(scan.too_deep - json),
                      what);
            return NULL;
        }
        if (len == 0 || (scan.unclosed && offset + 1 >= len)) {
            set_error(err, BH_ERR_SYNTAX, "json.syntax", json, len,
                      len == 0 ? "empty input: expected a JSON value"
                               : "unexpected end of input: a string or bracket is not "
                                 "closed (truncated JSON?)");
            return NULL;
        }
        if (offset > len) offset = len;
        set_error(err, BH_ERR_SYNTAX, "json.syntax", json, offset,
                  "expected a JSON value, ',' or a closing bracket");
        return NULL;
    }
    /* Only white space may follow the value. */
    while (end != NULL && (size_t)(end - json) < len &&
           (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
        end++;
    if (end != NULL && (size_t)(end - json) < len) {
        set_error(err, BH_ERR_SYNTAX, "json.syntax", json, (size_t)(end - json),
                  "expected the end of input after the JSON value");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

