/*
** error.c: filling a bh_error (core.h).
** SPDX-License-Identifier: MIT
*/
#include <stdarg.h>
#include <stdio.h>
#include "core.h"

void bh_error_set(bh_error *err, bh_status code, const char *id, const char *fmt, ...) {
    va_list ap;
    if (err == NULL) return;
    err->code = code;
    err->line = 0;
    err->byte = 0;
    snprintf(err->id, sizeof err->id, "%s", id);
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}
