/*
** buffer.c: the growable byte buffer writers append to (bhclaim.h).
** SPDX-License-Identifier: MIT
*/
#include <stdlib.h>
#include <string.h>
#include "bhclaim.h"

void bh_buffer_init(bh_buffer *buf) {
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

void bh_buffer_free(bh_buffer *buf) {
    if (buf == NULL) return;
    free(buf->data);
    bh_buffer_init(buf);
}

bh_status bh_buffer_append(bh_buffer *buf, const char *bytes, size_t len) {
    /* +1 keeps room for the NUL the header promises after the data. */
    if (len >= (size_t)-1 - buf->len) return BH_ERR_NOMEM;
    if (buf->len + len + 1 > buf->cap) {
        size_t cap = buf->cap ? buf->cap : 256;
        char *p;
        while (cap < buf->len + len + 1) {
            if (cap > (size_t)-1 / 2) return BH_ERR_NOMEM;
            cap *= 2;
        }
        p = realloc(buf->data, cap);
        if (p == NULL) return BH_ERR_NOMEM;
        buf->data = p;
        buf->cap = cap;
    }
    if (len) memcpy(buf->data + buf->len, bytes, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return BH_OK;
}
