/*
** error.c: filling a bh_error (core.h).
** SPDX-License-Identifier: MIT
*/
#include <stdarg.h>
#include <stdio.h>
#include "core.h"

void bh_error_setv(bh_error *err, bh_status code, const char *id, long line, long byte,
                   const char *fmt, va_list ap) {
    if (err == NULL) return;
    err->code = code;
    err->line = line;
    err->byte = byte;
    snprintf(err->id, sizeof err->id, "%s", id);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
}

void bh_error_set(bh_error *err, bh_status code, const char *id, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    bh_error_setv(err, code, id, 0, 0, fmt, ap);
    va_end(ap);
}
