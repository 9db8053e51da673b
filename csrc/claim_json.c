/*
** claim_json.c: reads a claim's JSON text (docs/claim-json.md) straight into
** the model in one pass: no tree is built, strings are unescaped into the
** claim's arena, and a field's path is only spelt out when a finding needs
** it. This is what keeps checking close to the cost of parsing alone.
** Wrong types, missing required fields and malformed values become
** claim.schema (or date.invalid) findings; malformed JSON is an error with
** line and byte. The same schema code also reads values a host holds
** through a bh_value_source (core.h): the Lua binding's claim tables give
** the findings their JSON text would. Core layer: no Lua headers, no cJSON.
** SPDX-License-Identifier: MIT
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif
#include "core.h"

/* {====================================================================
** Paths, built lazily: a chain of stack frames rendered on demand
** ===================================================================== */

typedef struct jpath {
    const struct jpath *parent;
    const char *key;        /* field name, or NULL for an array element */
    int index;              /* 1-based element number when key is NULL */
} jpath;

static size_t path_render(const jpath *p, char *buf, size_t size) {
    size_t n = 0;
    int w;
    if (p == NULL || size == 0) return 0;
    n = path_render(p->parent, buf, size);
    if (n >= size) return n;
    if (p->key != NULL)
        w = snprintf(buf + n, size - n, "%s%s", n > 0 ? "." : "", p->key);
    else
        w = snprintf(buf + n, size - n, "[%d]", p->index);
    return w > 0 ? n + (size_t)w : n;
}

/* {====================================================================
** The reader: a cursor over the text plus the claim being filled
** ===================================================================== */

typedef struct reader {
    const char *start;      /* first byte of the text */
    const char *p;          /* next byte to read */
    const char *end;        /* one past the last byte */
    int depth;              /* current nesting */
    int failed;             /* 1 once a syntax error was recorded */
    bh_error *err;          /* where a syntax error goes (may be NULL) */
    bh_status err_code;     /* BH_ERR_SYNTAX or BH_ERR_LIMIT once failed */
    bh_claim *claim;
    bh_report *report;
    bh_status status;       /* BH_ERR_NOMEM once an allocation failed */
    const bh_value_source *src; /* values held by a host instead of text, or NULL */
} reader;

/* A host's source stopped the read: it fails as a whole, like bad text. */
static int source_stop(reader *r) {
    r->failed = 1;
    r->err_code = BH_ERR_LIMIT;
    return 0;
}

/* Consumes the source's current value; 0 when the source stopped. */
static int source_skip(reader *r) {
    return r->src->skip(r->src->ctx) ? 1 : source_stop(r);
}

static void syntax_error(reader *r, bh_status code, const char *id, const char *what) {
    size_t offset = (size_t)(r->p - r->start), i;
    long line = 1;
    if (r->failed) return;
    r->failed = 1;
    r->err_code = code;
    if (r->err == NULL) return;
    for (i = 0; i < offset; i++)
        if (r->start[i] == '\n') line++;
    r->err->code = code;
    r->err->line = line;
    r->err->byte = (long)offset + 1;
    snprintf(r->err->id, sizeof r->err->id, "%s", id);
    snprintf(r->err->message, sizeof r->err->message, "line %ld, byte %ld: %s", line,
             (long)offset + 1, what);
}

static void unexpected(reader *r, const char *expected) {
    char what[120];
    if (r->p >= r->end) {
        syntax_error(r, BH_ERR_SYNTAX, "json.syntax",
                     "unexpected end of input (truncated JSON?)");
        return;
    }
    snprintf(what, sizeof what, "expected %s", expected);
    syntax_error(r, BH_ERR_SYNTAX, "json.syntax", what);
}

static inline void skip_ws(reader *r) {
    /* most tokens follow another at once (compact JSON): one test */
    if (r->p < r->end && (unsigned char)*r->p > ' ') return;
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

static inline int peek(reader *r) {
    if (r->src != NULL) return r->src->kind(r->src->ctx);
    skip_ws(r);
    return r->p < r->end ? (unsigned char)*r->p : -1;
}

static int consume(reader *r, char c) {
    if (peek(r) != (unsigned char)c) return 0;
    r->p++;
    return 1;
}

/* consume for a reader of text (no source), without peek's test for one:
** read_members and read_elements take their punctuation so (that test,
** five times a member, showed in profiles). */
static inline int take(reader *r, char c) {
    skip_ws(r);
    if (r->p >= r->end || *r->p != c) return 0;
    r->p++;
    return 1;
}

static int consume_word(reader *r, const char *word, size_t len) {
    if (r->src != NULL) return source_skip(r);     /* peek saw the word's kind */
    if ((size_t)(r->end - r->p) < len || memcmp(r->p, word, len) != 0) {
        unexpected(r, "true, false or null");
        return 0;
    }
    r->p += len;
    return 1;
}

/* {====================================================================
** Scalars
** ===================================================================== */

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (BH_IS_DIGIT(c)) v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

/* A string whose unescaped text is longer than the room the caller sized
** for it: cannot happen for a terminated token, so the text is malformed. */
static int string_overrun(reader *r, const char *at) {
    r->p = at;
    unexpected(r, "a closing quote");
    return 0;
}

static size_t put_utf8(char *out, unsigned cp) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* 1 when one of the eight bytes in w is a quote, a backslash or below 0x20
** (the "haszero" and "hasless" word tricks: a byte's high bit survives only
** where it matched; bytes of 0x80 and above never match). */
static int word_ends_run(uint64_t w) {
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t found = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
                     ((w - ones * 0x20) & ~w);
    return (found & highs) != 0;
}

/* 1 for a byte that continues a plain run: not a quote, a backslash or a
** control character. */
static const unsigned char plain_byte[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* The first byte at or after p that ends a plain run of a string: a quote,
** a backslash or a control character (or end). Most claim strings have no
** escapes, so one scan finds their end and a memcpy copies them; the scan
** tests eight bytes at a time, then finds the byte one by one. */
static const char *plain_run_end(const char *p, const char *end) {
#if defined(__SSE2__) && defined(__GNUC__)
    /* Sixteen bytes at a time where SSE2 is there (every x86-64): the mask
    ** gives the first ending byte at once, with no byte-by-byte tail. */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1f);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                                _mm_cmpeq_epi8(v, backslash)),
                                   _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return p + __builtin_ctz((unsigned)mask);
        p += 16;
    }
#endif
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        if (word_ends_run(w)) break;
        p += 8;
    }
    while (p < end && plain_byte[(unsigned char)*p]) p++;
    return p;
}

/* Reads a string token. With `out` (cap bytes of text plus a NUL; the
** caller sizes it from raw_string_length, since unescaping only shrinks),
** writes the unescaped text and a NUL; *len gets its length and *control
** whether it holds a control character (allowed in JSON when escaped,
** refused in claim fields). With out == NULL it only validates and skips.
** Never writes more than cap + 1 bytes, whatever the text: a string that
** would not fit is a syntax error rather than an overrun. Returns 0 on a
** syntax error. */
static int read_string_token(reader *r, char *out, size_t cap, size_t *len, int *control) {
    const char *p = r->p + 1;       /* after the opening quote */
    size_t n = 0;
    int ctl = 0;
    for (;;) {
        const char *run = p;
        /* Copy plain runs in one go: most claim strings have no escapes. */
        p = plain_run_end(p, r->end);
        if (out != NULL && p > run) {
            if ((size_t)(p - run) > cap - n) return string_overrun(r, p);
            memcpy(out + n, run, (size_t)(p - run));
        }
        n += (size_t)(p - run);
        if (p >= r->end) {
            r->p = p;
            unexpected(r, "a closing quote");
            return 0;
        }
        if (*p == '"') break;
        if ((unsigned char)*p < 0x20) {
            r->p = p;
            syntax_error(r, BH_ERR_SYNTAX, "json.syntax",
                         "a raw control character inside a string (it must be escaped)");
            return 0;
        }
        /* an escape */
        if (p + 1 >= r->end) {
            r->p = p + 1;
            unexpected(r, "an escape character");
            return 0;
        }
        {
            char c = p[1], decoded[4];
            size_t dn = 1;
            unsigned cp;
            p += 2;
            switch (c) {
            case '"': decoded[0] = '"'; break;
            case '\\': decoded[0] = '\\'; break;
            case '/': decoded[0] = '/'; break;
            case 'b': decoded[0] = '\b'; ctl = 1; break;
            case 'f': decoded[0] = '\f'; ctl = 1; break;
            case 'n': decoded[0] = '\n'; ctl = 1; break;
            case 'r': decoded[0] = '\r'; ctl = 1; break;
            case 't': decoded[0] = '\t'; ctl = 1; break;
            case 'u':
                if (r->end - p < 4 || !hex4(p, &cp)) {
                    r->p = p;
                    unexpected(r, "four hex digits after \\u");
                    return 0;
                }
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned lo;
                    if (r->end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) ||
                        lo < 0xDC00 || lo > 0xDFFF) {
                        r->p = p;
                        unexpected(r, "the low half of a UTF-16 surrogate pair");
                        return 0;
                    }
                    p += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    r->p = p;
                    syntax_error(r, BH_ERR_SYNTAX, "json.syntax", "a lone UTF-16 surrogate");
                    return 0;
                }
                if (cp == 0) {
                    r->p = p - 6;
                    syntax_error(r, BH_ERR_SYNTAX, "json.nul",
                                 "the text holds a NUL character (\\u0000), which claims "
                                 "cannot carry");
                    return 0;
                }
                if (cp < 0x20 || cp == 0x7F) ctl = 1;
                dn = put_utf8(decoded, cp);
                break;
            default:
                r->p = p - 1;
                unexpected(r, "a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
                return 0;
            }
            if (out != NULL) {
                if (dn > cap - n) return string_overrun(r, p);
                memcpy(out + n, decoded, dn);
            }
            n += dn;
        }
    }
    if (out != NULL) out[n] = '\0';
    if (len != NULL) *len = n;
    if (control != NULL) *control = ctl;
    r->p = p + 1;
    return 1;
}

/* Returned by raw_string_length for a string with no closing quote. */
#define UNTERMINATED ((size_t)-1)

/* Length of the raw string token at r->p (quote to quote), an upper bound
** of its unescaped length; UNTERMINATED when no closing quote follows (not
** 0, which an empty string also gives and a bound check would pass). */
static size_t raw_string_length(const reader *r) {
    const char *p = r->p + 1;
    while (p < r->end && *p != '"') {
        if (*p == '\\' && r->end - p < 2) return UNTERMINATED;
        p += *p == '\\' ? 2 : 1;
    }
    return p < r->end ? (size_t)(p - r->p - 1) : UNTERMINATED;
}

/* Reads a number token as a double. JSON grammar is enforced; digits are
** folded by hand so the host's locale can never change the decimal point. */
static int read_number_token(reader *r, double *value) {
    const char *p = r->p;
    double mantissa = 0;
    int negative = 0, exp10 = 0, digits = 0;
    if (r->src != NULL) {
        *value = r->src->number(r->src->ctx);
        return 1;
    }
    if (p < r->end && *p == '-') {
        negative = 1;
        p++;
    }
    if (p < r->end && *p == '0') {
        p++;
        digits = 1;
    } else {
        while (p < r->end && BH_IS_DIGIT(*p)) {
            mantissa = mantissa * 10 + (*p++ - '0');
            digits++;
        }
    }
    if (digits == 0) {
        r->p = p;
        unexpected(r, "a JSON value");
        return 0;
    }
    if (p < r->end && *p == '.') {
        int frac = 0;
        p++;
        while (p < r->end && BH_IS_DIGIT(*p)) {
            mantissa = mantissa * 10 + (*p++ - '0');
            exp10--;
            frac++;
        }
        if (frac == 0) {
            r->p = p;
            unexpected(r, "a digit after the decimal point");
            return 0;
        }
    }
    if (p < r->end && (*p == 'e' || *p == 'E')) {
        int esign = 1, e = 0, edigits = 0;
        p++;
        if (p < r->end && (*p == '+' || *p == '-')) esign = *p++ == '-' ? -1 : 1;
        while (p < r->end && BH_IS_DIGIT(*p)) {
            if (e < 10000) e = e * 10 + (*p - '0');
            p++;
            edigits++;
        }
        if (edigits == 0) {
            r->p = p;
            unexpected(r, "a digit in the exponent");
            return 0;
        }
        exp10 += esign * e;
    }
    r->p = p;
    /* Divide rather than multiply by a negative power: 45.1 comes out as the
    ** double nearest 45.1, which the cents conversion relies on. */
    if (exp10 < 0) *value = mantissa / pow(10.0, -exp10);
    else *value = exp10 > 0 ? mantissa * pow(10.0, exp10) : mantissa;
    if (negative) *value = -*value;
    return 1;
}

/* {====================================================================
** Skipping values nobody asked for (unknown keys, wrong types)
** ===================================================================== */

static int skip_value(reader *r);

static int enter(reader *r) {
    if (++r->depth > BH_MAX_DEPTH) {
        char what[64];
        snprintf(what, sizeof what, "nested deeper than %d levels", BH_MAX_DEPTH);
        syntax_error(r, BH_ERR_LIMIT, "json.depth", what);
        return 0;
    }
    return 1;
}

static int skip_container(reader *r, char close) {
    int first = 1;
    if (!enter(r)) return 0;
    r->p++;
    for (;;) {
        if (consume(r, close)) break;
        if (!first && !consume(r, ',')) {
            unexpected(r, close == '}' ? "',' or '}'" : "',' or ']'");
            return 0;
        }
        if (close == '}') {
            if (peek(r) != '"') {
                unexpected(r, "a key in quotes");
                return 0;
            }
            if (!read_string_token(r, NULL, 0, NULL, NULL)) return 0;
            if (!consume(r, ':')) {
                unexpected(r, "':' after the key");
                return 0;
            }
        }
        if (!skip_value(r)) return 0;
        first = 0;
    }
    r->depth--;
    return 1;
}

static int skip_value(reader *r) {
    double d;
    if (r->src != NULL) return source_skip(r);
    switch (peek(r)) {
    case '{': return skip_container(r, '}');
    case '[': return skip_container(r, ']');
    case '"': return read_string_token(r, NULL, 0, NULL, NULL);
    case 't': return consume_word(r, "true", 4);
    case 'f': return consume_word(r, "false", 5);
    case 'n': return consume_word(r, "null", 4);
    case -1: unexpected(r, "a JSON value"); return 0;
    default: return read_number_token(r, &d);
    }
}

/* {====================================================================
** Findings
** ===================================================================== */

static const char *schema_hint =
    "Fix the field to match the claim's JSON form (docs/claim-json.md).";
static const char *schema_source = "bhclaim claim JSON contract";

static void finding(reader *r, const char *rule, const jpath *at, const char *hint,
                    const char *source, const char *message) {
    char where[128];
    where[0] = '\0';
    path_render(at, where, sizeof where);
    if (bh_report_put(r->report, &(bh_finding){.rule = rule, .severity = BH_SEV_ERROR,
                      .path = where, .hint = hint, .source = source, .message = message}) != BH_OK)
        r->status = BH_ERR_NOMEM;
}

static void schema(reader *r, const jpath *at, const char *message) {
    finding(r, "claim.schema", at, schema_hint, schema_source, message);
}

static const char *kind_name(int c) {
    switch (c) {
    case '{': return "an object";
    case '[': return "an array";
    case '"': return "a string";
    case 't': case 'f': return "a boolean";
    case 'n': return "null";
    default: return "a number";
    }
}

/* Reports a value of the wrong type and skips it. */
static int wrong_type(reader *r, const jpath *at, const char *expected) {
    char msg[160];
    snprintf(msg, sizeof msg, "Expected %s, found %s.", expected, kind_name(peek(r)));
    schema(r, at, msg);
    return skip_value(r);
}

static void missing(reader *r, const jpath *parent, const char *key) {
    jpath at;
    at.parent = parent;
    at.key = key;
    at.index = 0;
    schema(r, &at, "A required field is missing.");
}

/* {====================================================================
** Typed field readers. Each reads the value at the cursor (after the
** key's colon), records findings, and returns 0 only on a syntax error.
** ===================================================================== */

/* The source's current string copied into the claim's arena (*out NULL
** when out of memory) and consumed. *control: it holds a byte JSON text
** would carry escaped as a control character (below 0x20, or DEL). */
static int source_string(reader *r, char **out, size_t *len, int *control) {
    const char *bytes = r->src->string(r->src->ctx, len);
    size_t i;
    *control = 0;
    *out = bh_arena_alloc(r->claim->arena, *len + 1);
    if (*out == NULL) {
        r->status = BH_ERR_NOMEM;
        return source_skip(r);
    }
    for (i = 0; i < *len; i++)
        if ((unsigned char)bytes[i] < 0x20 || bytes[i] == 0x7f) *control = 1;
    memcpy(*out, bytes, *len);
    (*out)[*len] = '\0';
    return source_skip(r);
}

/* A string field. *out is NULL when null, wrong type, or unusable; *state
** says which. required: an empty string is a finding. */
static int field_string(reader *r, const jpath *at, int required, const char **out,
                        bh_field_state *state) {
    size_t raw, len;
    int control;
    char *buf;
    int c = peek(r);
    bh_field_state dummy;
    if (state == NULL) state = &dummy;
    *out = NULL;
    if (c == 'n') {
        *state = BH_FIELD_ABSENT;
        return consume_word(r, "null", 4);
    }
    *state = BH_FIELD_BAD;
    if (c != '"') return wrong_type(r, at, "a string");
    if (r->src != NULL) {
        if (!source_string(r, &buf, &len, &control)) return 0;
        if (buf == NULL) return 1;
        goto copied;
    }
    {
        const char *start = r->p + 1, *stop = plain_run_end(start, r->end);
        if (stop < r->end && *stop == '"') {     /* no escapes: one copy */
            len = (size_t)(stop - start);
            buf = bh_arena_alloc(r->claim->arena, len + 1);
            if (buf == NULL) {
                r->status = BH_ERR_NOMEM;
                r->p = stop + 1;
                return 1;
            }
            memcpy(buf, start, len);
            buf[len] = '\0';
            r->p = stop + 1;
            control = 0;
            goto copied;
        }
    }
    raw = raw_string_length(r);
    if (raw == UNTERMINATED) return read_string_token(r, NULL, 0, NULL, NULL);
    buf = bh_arena_alloc(r->claim->arena, raw + 1);
    if (buf == NULL) {
        r->status = BH_ERR_NOMEM;
        return read_string_token(r, NULL, 0, NULL, NULL);
    }
    if (!read_string_token(r, buf, raw, &len, &control)) return 0;
copied:
    if (control) {
        schema(r, at, "The text holds a control character (such as a NUL byte or a line "
                      "break); it cannot be sent to a payer.");
        return 1;
    }
    if (required && len == 0) {
        schema(r, at, "A required field is empty.");
        return 1;
    }
    *out = buf;
    *state = BH_FIELD_OK;
    return 1;
}

/* A string that must be one of `choices`; *index gets its position or -1. */
static int field_choice(reader *r, const jpath *at, const char *const *choices,
                        const char *listed, int *index, const char **text) {
    bh_field_state state;
    const char *s;
    int i;
    *index = -1;
    if (!field_string(r, at, 1, &s, &state)) return 0;
    if (text != NULL) *text = s;
    if (s == NULL) return 1;
    for (i = 0; choices[i] != NULL; i++) {
        if (bh_streq(s, choices[i])) {
            *index = i;
            return 1;
        }
    }
    {
        char msg[160];
        snprintf(msg, sizeof msg, "The value is not one of %s.", listed);
        schema(r, at, msg);
    }
    return 1;
}

/* A date string; a malformed or impossible date is date.invalid. */
static int field_date(reader *r, const jpath *at, bh_date *date, const char **text,
                      bh_field_state *state) {
    const char *s;
    *date = 0;
    if (!field_string(r, at, 1, &s, state)) return 0;
    if (text != NULL) *text = s;
    if (s == NULL) return 1;
    if (!bh_date_parse(s, strlen(s), date)) {
        *state = BH_FIELD_BAD;
        finding(r, "date.invalid", at, "Write the date as YYYY-MM-DD, e.g. 2026-03-02.",
                "ISO 8601 calendar date (claim JSON contract)",
                bh_date_problem(s, strlen(s)));
    }
    return 1;
}

/* A whole number in [lo, hi]; *out stays -1 when null or unusable. */
static int field_int(reader *r, const jpath *at, int lo, int hi, int *out) {
    double d;
    int c = peek(r);
    *out = -1;
    if (c == 'n') return consume_word(r, "null", 4);
    if (c != '-' && !BH_IS_DIGIT(c)) return wrong_type(r, at, "a number");
    if (!read_number_token(r, &d)) return 0;
    if (d != floor(d) || d < lo || d > hi) {
        char msg[96];
        snprintf(msg, sizeof msg, "Expected a whole number from %d to %d.", lo, hi);
        schema(r, at, msg);
        return 1;
    }
    *out = (int)d;
    return 1;
}

/* An amount beyond the stated range (bhclaim.h, BH_MAX_CENTS). */
static void amount_range(reader *r, const jpath *at) {
    char max[24], msg[120];
    bh_money_format(BH_MAX_CENTS, max);
    snprintf(msg, sizeof msg, "The amount is over the maximum of %s (or below -%s).", max, max);
    schema(r, at, msg);
}

/* A charge: a decimal string or a number, into cents. */
static int field_money(reader *r, const jpath *at, int64_t *cents, bh_field_state *state) {
    int c = peek(r);
    *state = BH_FIELD_BAD;
    *cents = 0;
    if (c == 'n') {
        *state = BH_FIELD_ABSENT;
        return consume_word(r, "null", 4);
    }
    if (c == '"') {
        const char *s;
        bh_field_state ss;
        if (!field_string(r, at, 0, &s, &ss)) return 0;
        if (s == NULL) return 1;
        switch (bh_money_parse_why(s, strlen(s), cents)) {
        case BH_MONEY_OK: break;
        case BH_MONEY_RANGE: amount_range(r, at); return 1;
        case BH_MONEY_DECIMALS:
            schema(r, at, "The amount has more than two decimals.");
            return 1;
        default:
            schema(r, at, "Expected an amount such as \"45.00\" (at most two decimals).");
            return 1;
        }
    } else if (c == '-' || BH_IS_DIGIT(c)) {
        double d, scaled;
        if (!read_number_token(r, &d)) return 0;
        scaled = d * 100.0;
        /* Doubles carry amounts like 45.1 inexactly: accept what rounds to
        ** whole cents, refuse what truly has a third decimal. */
        if (!(fabs(scaled) <= (double)BH_MAX_CENTS + 0.5)) {
            amount_range(r, at);
            return 1;
        }
        if (fabs(scaled - floor(scaled + 0.5)) > 1e-6) {
            schema(r, at, "The amount has more than two decimals.");
            return 1;
        }
        *cents = (int64_t)floor(scaled + 0.5);
    } else {
        return wrong_type(r, at, "a decimal string or a number");
    }
    *state = BH_FIELD_OK;
    return 1;
}

/* {====================================================================
** Objects and arrays: iterate members, dispatching on the key
** ===================================================================== */

/* Longest key we dispatch on; longer keys are unknown by construction. */
#define KEY_MAX 40

/* A member's key, unescaped, with its length (up to its first NUL, as the
** key was always matched), so dispatch compares lengths before bytes. */
typedef struct jkey {
    const char *text;       /* NUL-terminated */
    size_t len;
} jkey;

typedef int (*member_fn)(reader *r, const jpath *at, const jkey *key, void *ctx);

static int source_members(reader *r, const jpath *at, member_fn fn, void *ctx);

/* Reads an object, calling fn for each member with the key unescaped and
** the cursor on the value. fn must consume the value. An object that is
** null is "absent" (returns 1, *present = 0). */
static int read_members(reader *r, const jpath *at, member_fn fn, void *ctx) {
    int first = 1;
    if (r->src != NULL) return source_members(r, at, fn, ctx);
    if (!enter(r)) return 0;
    r->p++;     /* the '{' */
    for (;;) {
        char key[KEY_MAX + 1];
        size_t raw;
        jpath member;
        jkey k;
        if (take(r, '}')) break;
        if (!first && !take(r, ',')) {
            unexpected(r, "',' or '}'");
            return 0;
        }
        skip_ws(r);
        if (r->p >= r->end || *r->p != '"') {
            unexpected(r, "a key in quotes");
            return 0;
        }
        {
            const char *start = r->p + 1, *stop = plain_run_end(start, r->end);
            if (stop < r->end && *stop == '"' && (size_t)(stop - start) <= KEY_MAX) {
                k.len = (size_t)(stop - start);    /* a plain run holds no NUL */
                memcpy(key, start, k.len);
                key[k.len] = '\0';
                r->p = stop + 1;
                goto have_key;
            }
        }
        raw = raw_string_length(r);
        if (raw > KEY_MAX) {   /* also an unterminated key: the skip reports it */
            if (!read_string_token(r, NULL, 0, NULL, NULL)) return 0;
            key[0] = '\0';  /* no known key is that long */
        } else if (!read_string_token(r, key, KEY_MAX, NULL, NULL)) {
            return 0;
        }
        k.len = strlen(key);   /* an escaped \u0000 ends the key, as it always did */
have_key:
        if (!take(r, ':')) {
            unexpected(r, "':' after the key");
            return 0;
        }
        member.parent = at;
        member.key = key;
        member.index = 0;
        skip_ws(r);
        if (r->p >= r->end) {
            unexpected(r, "a JSON value");
            return 0;
        }
        k.text = key;
        if (!fn(r, &member, &k, ctx)) return 0;
        first = 0;
    }
    r->depth--;
    return 1;
}

typedef int (*element_fn)(reader *r, const jpath *at, int index, void *ctx);

/* The one finding for an array longer than the 837P allows. */
static void too_many_entries(reader *r, const jpath *at, int max) {
    char msg[80];
    snprintf(msg, sizeof msg, "The 837P allows at most %d entries here.", max);
    schema(r, at, msg);
}

static int source_elements(reader *r, const jpath *at, int max, element_fn fn, void *ctx);

/* Reads an array, calling fn per element (1-based index); at most `max`
** elements are handed to fn, the rest are skipped after one finding. */
static int read_elements(reader *r, const jpath *at, int max, element_fn fn, void *ctx) {
    int first = 1, count = 0;
    if (r->src != NULL) return source_elements(r, at, max, fn, ctx);
    if (!enter(r)) return 0;
    r->p++;     /* the '[' */
    for (;;) {
        jpath element;
        if (take(r, ']')) break;
        if (!first && !take(r, ',')) {
            unexpected(r, "',' or ']'");
            return 0;
        }
        skip_ws(r);
        if (r->p >= r->end) {
            unexpected(r, "a JSON value");
            return 0;
        }
        count++;
        if (count > max) {
            if (count == max + 1) too_many_entries(r, at, max);
            if (!skip_value(r)) return 0;
        } else {
            element.parent = at;
            element.key = NULL;
            element.index = count;
            if (!fn(r, &element, count, ctx)) return 0;
        }
        first = 0;
    }
    r->depth--;
    return 1;
}

/* read_members over a host's source. A key longer than any known one, or
** holding a NUL, matches none, as its JSON text would not. */
static int source_members(reader *r, const jpath *at, member_fn fn, void *ctx) {
    const bh_value_source *src = r->src;
    if (!src->open(src->ctx)) return source_stop(r);
    for (;;) {
        char key[KEY_MAX + 1];
        const char *k;
        size_t len;
        jpath member;
        jkey jk;
        int more = src->next_member(src->ctx, &k, &len);
        if (more == 0) return 1;
        if (more < 0) return source_stop(r);
        if (len > KEY_MAX || memchr(k, '\0', len) != NULL) len = 0;
        memcpy(key, k, len);
        key[len] = '\0';
        member.parent = at;
        member.key = key;
        member.index = 0;
        jk.text = key;
        jk.len = len;
        if (!fn(r, &member, &jk, ctx)) return 0;
    }
}

/* read_elements over a host's source. */
static int source_elements(reader *r, const jpath *at, int max, element_fn fn, void *ctx) {
    const bh_value_source *src = r->src;
    int count = 0;
    if (!src->open(src->ctx)) return source_stop(r);
    for (;;) {
        jpath element;
        int more = src->next_element(src->ctx);
        if (more == 0) return 1;
        if (more < 0) return source_stop(r);
        count++;
        if (count > max) {
            if (count == max + 1) too_many_entries(r, at, max);
            if (!source_skip(r)) return 0;
            continue;
        }
        element.parent = at;
        element.key = NULL;
        element.index = count;
        if (!fn(r, &element, count, ctx)) return 0;
    }
}

/* An object-valued field: calls fn per member when it is an object.
** *state: ABSENT for null, BAD for a wrong type, OK otherwise. */
static int field_object(reader *r, const jpath *at, member_fn fn, void *ctx,
                        bh_field_state *state) {
    int c = peek(r);
    if (c == 'n') {
        *state = BH_FIELD_ABSENT;
        return consume_word(r, "null", 4);
    }
    if (c != '{') {
        *state = BH_FIELD_BAD;
        return wrong_type(r, at, "an object");
    }
    *state = BH_FIELD_OK;
    return read_members(r, at, fn, ctx);
}

/* An array-valued field. A Lua table cannot tell an empty array from an
** empty object, so "{}" is taken as an empty array. *count gets the number
** of elements (0 for null or empty). */
static int field_array(reader *r, const jpath *at, int max, element_fn fn, void *ctx,
                       bh_field_state *state) {
    int c = peek(r);
    if (c == 'n') {
        *state = BH_FIELD_ABSENT;
        return consume_word(r, "null", 4);
    }
    if (c == '{' && r->src != NULL && r->src->empty(r->src->ctx)) {
        *state = BH_FIELD_ABSENT;
        return source_skip(r);
    }
    if (c == '{' && r->src == NULL) {
        const char *save = r->p;
        r->p++;
        if (consume(r, '}')) {
            *state = BH_FIELD_ABSENT;
            return 1;
        }
        r->p = save;
    }
    if (c != '[') {
        *state = BH_FIELD_BAD;
        return wrong_type(r, at, "an array");
    }
    *state = BH_FIELD_OK;
    return read_elements(r, at, max, fn, ctx);
}

/* Length first: most keys differ from most candidates in length, and a
** memcmp of a constant size compiles to a few loads. */
#define KEY_IS(k, lit) ((k)->len == sizeof(lit) - 1 && memcmp((k)->text, (lit), sizeof(lit) - 1) == 0)

/* {====================================================================
** Blocks of the claim
** ===================================================================== */

static int name_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_name *name = ctx;
    if (KEY_IS(key, "last")) return field_string(r, at, 1, &name->last, NULL);
    if (KEY_IS(key, "first")) return field_string(r, at, 0, &name->first, NULL);
    if (KEY_IS(key, "middle")) return field_string(r, at, 0, &name->middle, NULL);
    if (KEY_IS(key, "suffix")) return field_string(r, at, 0, &name->suffix, NULL);
    return skip_value(r);
}

/* A name: one string (an organisation, or a whole name) or an object. */
static int field_name(reader *r, const jpath *at, bh_name *name, int *seen) {
    int c = peek(r);
    bh_field_state state;
    *seen = 0;
    memset(name, 0, sizeof *name);     /* a repeated key: the last one wins whole */
    if (c == '"') {
        if (!field_string(r, at, 1, &name->last, &state)) return 0;
        *seen = state != BH_FIELD_ABSENT;
        return 1;
    }
    if (c == 'n') return consume_word(r, "null", 4);
    *seen = 1;
    if (c != '{') return wrong_type(r, at, "a string or an object with last and first");
    if (!read_members(r, at, name_member, name)) return 0;
    if (name->last == NULL) missing(r, at, "last");
    return 1;
}

typedef struct address_ctx {
    bh_address *addr;
    int required;
} address_ctx;

static int address_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_address *a = ((address_ctx *)ctx)->addr;
    if (KEY_IS(key, "line1")) return field_string(r, at, 1, &a->line1, NULL);
    if (KEY_IS(key, "line2")) return field_string(r, at, 0, &a->line2, NULL);
    if (KEY_IS(key, "city")) return field_string(r, at, 1, &a->city, NULL);
    if (KEY_IS(key, "state")) return field_string(r, at, 1, &a->state, NULL);
    if (KEY_IS(key, "zip")) return field_string(r, at, 1, &a->zip, NULL);
    return skip_value(r);
}

static int field_address(reader *r, const jpath *at, bh_address *addr, bh_field_state *state) {
    address_ctx ctx;
    memset(addr, 0, sizeof *addr);     /* a repeated key: the last one wins whole */
    ctx.addr = addr;
    ctx.required = 1;
    if (!field_object(r, at, address_member, &ctx, state)) return 0;
    if (*state == BH_FIELD_OK) {
        /* Required within an address, once an address is given. */
        if (addr->line1 == NULL) missing(r, at, "line1");
        if (addr->city == NULL) missing(r, at, "city");
        if (addr->state == NULL) missing(r, at, "state");
        if (addr->zip == NULL) missing(r, at, "zip");
    }
    return 1;
}

/* Which members of a block were present (any value but null), so missing
** required ones can be reported once the block closes. */
typedef struct provider_ctx {
    bh_provider *prov;
    bh_address *pay_to;     /* the billing provider's pay-to address (2010AB), or NULL */
    int name_seen, npi_seen, tin_seen, address_seen;
} provider_ctx;

/* billing_provider.kind: one of the provider-kind names the telehealth
** rules use (bh_provider_kind_parse holds the list). */
static int field_provider_kind(reader *r, const jpath *at, bh_provider *p) {
    const char *s;
    bh_provider_kind kind;
    if (!field_string(r, at, 0, &s, &p->kind_state)) return 0;
    if (s == NULL) return 1;
    if (bh_provider_kind_parse(s, strlen(s), &kind)) {
        p->kind = (int)kind;
    } else {
        p->kind_state = BH_FIELD_BAD;
        schema(r, at, "The value is not one of practitioner, fqhc, rhc, cah_method_ii or "
                      "hospital_outpatient.");
    }
    return 1;
}

static int provider_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    provider_ctx *pc = ctx;
    bh_provider *p = pc->prov;
    bh_field_state st = BH_FIELD_ABSENT;
    int ok;
    if (KEY_IS(key, "name")) return field_name(r, at, &p->name, &pc->name_seen);
    if (KEY_IS(key, "npi")) {
        ok = field_string(r, at, 1, &p->npi, &st);
        pc->npi_seen = st != BH_FIELD_ABSENT;
        return ok;
    }
    if (KEY_IS(key, "tin")) {
        ok = field_string(r, at, 1, &p->tin, &st);
        pc->tin_seen = st != BH_FIELD_ABSENT;
        return ok;
    }
    if (KEY_IS(key, "taxonomy")) return field_string(r, at, 0, &p->taxonomy, NULL);
    if (KEY_IS(key, "credential")) return field_string(r, at, 0, &p->credential, NULL);
    if (KEY_IS(key, "kind")) return field_provider_kind(r, at, p);
    if (KEY_IS(key, "pay_to_address") && pc->pay_to != NULL)
        return field_address(r, at, pc->pay_to, &st);
    if (KEY_IS(key, "address")) {
        ok = field_address(r, at, &p->address, &st);
        pc->address_seen = st != BH_FIELD_ABSENT;
        return ok;
    }
    return skip_value(r);
}

/* What read_provider requires: name and NPI; billing: also tax id and
** address; facility (2310C): name and address, NPI optional. */
enum { PROVIDER_OTHER = 0, PROVIDER_BILLING = 1, PROVIDER_FACILITY = 2 };

static int read_provider(reader *r, const jpath *at, bh_provider *prov, int billing) {
    provider_ctx pc;
    memset(&pc, 0, sizeof pc);
    memset(prov, 0, sizeof *prov);     /* a repeated key: the last one wins whole */
    pc.prov = prov;
    if (billing == PROVIDER_BILLING) pc.pay_to = &r->claim->pay_to_address;
    if (!field_object(r, at, provider_member, &pc, &prov->state)) return 0;
    if (prov->state != BH_FIELD_OK) return 1;
    if (!pc.name_seen) missing(r, at, "name");
    if (!pc.npi_seen && billing != PROVIDER_FACILITY) missing(r, at, "npi");
    if (billing == PROVIDER_BILLING && !pc.tin_seen) missing(r, at, "tin");
    if (billing != PROVIDER_OTHER && !pc.address_seen) missing(r, at, "address");
    return 1;
}

static const char *const sexes[] = {"M", "F", "U", NULL};
static const char *const relationships[] = {"self", "spouse", "child", "other", NULL};

typedef struct person_ctx {
    bh_person *person;
    int is_subscriber;
    int name_seen, member_seen, birth_seen, sex_seen, rel_seen;
} person_ctx;

static int person_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    person_ctx *pc = ctx;
    bh_person *p = pc->person;
    bh_field_state st = BH_FIELD_ABSENT;
    int ok, idx;
    if (KEY_IS(key, "name")) return field_name(r, at, &p->name, &pc->name_seen);
    if (KEY_IS(key, "member_id")) {
        ok = field_string(r, at, pc->is_subscriber, &p->member_id, &st);
        pc->member_seen = st != BH_FIELD_ABSENT;
        return ok;
    }
    if (KEY_IS(key, "birth_date")) {
        ok = field_date(r, at, &p->birth_date, &p->birth_date_text, &st);
        pc->birth_seen = st != BH_FIELD_ABSENT;
        return ok;
    }
    if (KEY_IS(key, "sex")) {
        pc->sex_seen = peek(r) != 'n';
        return field_choice(r, at, sexes, "M, F or U", &idx, &p->sex);
    }
    if (KEY_IS(key, "relationship") && pc->is_subscriber) {
        pc->rel_seen = peek(r) != 'n';
        return field_choice(r, at, relationships, "self, spouse, child or other", &idx,
                            &p->relationship);
    }
    if (KEY_IS(key, "address")) return field_address(r, at, &p->address, &st);
    return skip_value(r);
}

static int read_person(reader *r, const jpath *at, bh_person *person, int is_subscriber) {
    person_ctx pc;
    memset(&pc, 0, sizeof pc);
    memset(person, 0, sizeof *person); /* a repeated key: the last one wins whole */
    pc.person = person;
    pc.is_subscriber = is_subscriber;
    if (!field_object(r, at, person_member, &pc, &person->state)) return 0;
    if (person->state != BH_FIELD_OK) return 1;
    if (!pc.name_seen) missing(r, at, "name");
    if (is_subscriber && !pc.member_seen) missing(r, at, "member_id");
    /* The 837P asks a subscriber's birth date and sex (DMG) only when the
    ** subscriber is the patient; a dependant's are in the patient block. */
    if (!is_subscriber || person->relationship == NULL ||
        bh_streq(person->relationship, "self")) {
        if (!pc.birth_seen) missing(r, at, "birth_date");
        if (!pc.sex_seen) missing(r, at, "sex");
    }
    if (is_subscriber && !pc.rel_seen) missing(r, at, "relationship");
    return 1;
}

static const char *const *const payer_kinds = bh_payer_kind_names + 1;

typedef struct payer_ctx {
    bh_payer *payer;
    int id_seen, name_seen, kind_seen;
} payer_ctx;

static int payer_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    payer_ctx *pc = ctx;
    bh_payer *p = pc->payer;
    bh_field_state st = BH_FIELD_ABSENT;
    int ok, kind;
    if (KEY_IS(key, "id")) {
        ok = field_string(r, at, 1, &p->id, &st);
        pc->id_seen = st != BH_FIELD_ABSENT;
        return ok;
    }
    if (KEY_IS(key, "name")) {
        ok = field_string(r, at, 1, &p->name, &st);
        pc->name_seen = st != BH_FIELD_ABSENT;
        return ok;
    }
    if (KEY_IS(key, "kind")) {
        pc->kind_seen = peek(r) != 'n';
        ok = field_choice(r, at, payer_kinds, bh_payer_kind_choices, &kind,
                          &p->kind_text);
        p->kind = kind < 0 ? BH_PAYER_UNKNOWN : (bh_payer_kind)(kind + 1);
        return ok;
    }
    if (KEY_IS(key, "responsibility")) return field_string(r, at, 0, &p->responsibility, NULL);
    if (KEY_IS(key, "filing_code")) return field_string(r, at, 0, &p->filing_code, NULL);
    if (KEY_IS(key, "group_number")) return field_string(r, at, 0, &p->group_number, NULL);
    if (KEY_IS(key, "group_name")) return field_string(r, at, 0, &p->group_name, NULL);
    return skip_value(r);
}

static int diagnosis_element(reader *r, const jpath *at, int index, void *ctx) {
    bh_claim *claim = ctx;
    const char *code;
    bh_field_state st;
    (void)index;
    if (peek(r) != '"') {
        claim->diagnoses[claim->n_diagnoses++] = NULL;
        return wrong_type(r, at, "a string");
    }
    if (!field_string(r, at, 0, &code, &st)) return 0;
    claim->diagnoses[claim->n_diagnoses++] = code;
    return 1;
}

static int modifier_element(reader *r, const jpath *at, int index, void *ctx) {
    bh_line *line = ctx;
    const char *m;
    bh_field_state st;
    (void)index;
    if (peek(r) != '"') {
        line->modifiers[line->n_modifiers++] = NULL;
        return wrong_type(r, at, "a two-character string");
    }
    if (!field_string(r, at, 0, &m, &st)) return 0;
    line->modifiers[line->n_modifiers++] = m;
    return 1;
}

static int pointer_element(reader *r, const jpath *at, int index, void *ctx) {
    bh_line *line = ctx;
    double d;
    int c = peek(r);
    (void)index;
    if (c != '-' && !BH_IS_DIGIT(c)) {
        line->dx_pointers_state = BH_FIELD_BAD;
        return wrong_type(r, at, "a whole number");
    }
    if (!read_number_token(r, &d)) return 0;
    if (d != floor(d) || d < -1e6 || d > 1e6) {
        schema(r, at, "Expected a whole number.");
        line->dx_pointers_state = BH_FIELD_BAD;
        return 1;
    }
    line->dx_pointers[line->n_dx_pointers++] = (int)d;
    return 1;
}

/* {====================================================================
** Coordination of benefits: other payers (2320/2330) and line
** adjudications (2430)
** ===================================================================== */

typedef struct adjustments_ctx {
    bh_adjustment *list;
    int *n;
} adjustments_ctx;

static int adjustment_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_adjustment *a = ctx;
    bh_field_state st;
    if (KEY_IS(key, "group")) return field_string(r, at, 1, &a->group, NULL);
    if (KEY_IS(key, "reason")) return field_string(r, at, 1, &a->reason, NULL);
    if (KEY_IS(key, "amount")) return field_money(r, at, &a->amount, &st);
    if (KEY_IS(key, "quantity")) return field_string(r, at, 0, &a->quantity, NULL);
    return skip_value(r);
}

static int adjustment_element(reader *r, const jpath *at, int index, void *ctx) {
    adjustments_ctx *ac = ctx;
    bh_adjustment *a = &ac->list[(*ac->n)++];
    bh_field_state st;
    (void)index;
    if (!field_object(r, at, adjustment_member, a, &st)) return 0;
    if (st == BH_FIELD_OK && (a->group == NULL || a->reason == NULL))
        schema(r, at, "An adjustment needs its group and reason.");
    return 1;
}

static int field_adjustments(reader *r, const jpath *at, bh_adjustment *list, int *n) {
    adjustments_ctx ac;
    bh_field_state st;
    ac.list = list;
    ac.n = n;
    *n = 0;
    return field_array(r, at, BH_MAX_ADJUSTMENTS, adjustment_element, &ac, &st);
}

static int other_subscriber_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_other_payer *o = ctx;
    bh_field_state st;
    int seen;
    if (KEY_IS(key, "name")) return field_name(r, at, &o->subscriber_name, &seen);
    if (KEY_IS(key, "member_id")) return field_string(r, at, 0, &o->member_id, NULL);
    if (KEY_IS(key, "address")) return field_address(r, at, &o->subscriber_address, &st);
    return skip_value(r);
}

static int other_payer_block(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_other_payer *o = ctx;
    if (KEY_IS(key, "name")) return field_string(r, at, 1, &o->payer_name, NULL);
    if (KEY_IS(key, "id")) return field_string(r, at, 1, &o->payer_id, NULL);
    return skip_value(r);
}

static int other_payer_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_other_payer *o = ctx;
    bh_field_state st;
    if (KEY_IS(key, "responsibility")) return field_string(r, at, 1, &o->responsibility, NULL);
    if (KEY_IS(key, "relationship")) return field_string(r, at, 0, &o->relationship, NULL);
    if (KEY_IS(key, "group_number")) return field_string(r, at, 0, &o->group_number, NULL);
    if (KEY_IS(key, "group_name")) return field_string(r, at, 0, &o->group_name, NULL);
    if (KEY_IS(key, "filing_code")) return field_string(r, at, 0, &o->filing_code, NULL);
    if (KEY_IS(key, "paid")) return field_money(r, at, &o->paid, &o->paid_state);
    if (KEY_IS(key, "remaining")) return field_money(r, at, &o->remaining, &o->remaining_state);
    if (KEY_IS(key, "benefits_assignment"))
        return field_string(r, at, 0, &o->benefits_assignment, NULL);
    if (KEY_IS(key, "patient_signature_source"))
        return field_string(r, at, 0, &o->patient_signature_source, NULL);
    if (KEY_IS(key, "release_of_information"))
        return field_string(r, at, 0, &o->release_of_information, NULL);
    if (KEY_IS(key, "adjustments"))
        return field_adjustments(r, at, o->adjustments, &o->n_adjustments);
    if (KEY_IS(key, "subscriber"))
        return field_object(r, at, other_subscriber_member, o, &st);
    if (KEY_IS(key, "payer")) return field_object(r, at, other_payer_block, o, &st);
    return skip_value(r);
}

static int other_payer_element(reader *r, const jpath *at, int index, void *ctx) {
    bh_claim *c = ctx;
    bh_other_payer *o = &c->other_payers[c->n_other_payers++];
    bh_field_state st;
    (void)index;
    if (!field_object(r, at, other_payer_member, o, &st)) return 0;
    if (st != BH_FIELD_OK) return 1;
    if (o->responsibility == NULL) missing(r, at, "responsibility");
    if (o->payer_name == NULL || o->payer_id == NULL) missing(r, at, "payer");
    if (o->member_id == NULL) missing(r, at, "subscriber");
    return 1;
}

static int field_other_payers(reader *r, const jpath *at, bh_claim *c) {
    bh_field_state st;
    c->n_other_payers = 0;
    c->other_payers = bh_claim_alloc(c, BH_MAX_OTHER_PAYERS, sizeof *c->other_payers);
    if (c->other_payers == NULL) {
        r->status = BH_ERR_NOMEM;
        return skip_value(r);
    }
    return field_array(r, at, BH_MAX_OTHER_PAYERS, other_payer_element, c, &st);
}

static int adj_modifier_element(reader *r, const jpath *at, int index, void *ctx) {
    bh_adjudication *a = ctx;
    bh_field_state st;
    (void)index;
    return field_string(r, at, 1, &a->modifiers[a->n_modifiers++], &st);
}

static int adjudication_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_adjudication *a = ctx;
    bh_field_state st;
    if (KEY_IS(key, "payer_id")) return field_string(r, at, 1, &a->payer_id, NULL);
    if (KEY_IS(key, "paid")) return field_money(r, at, &a->paid, &st);
    if (KEY_IS(key, "code")) return field_string(r, at, 1, &a->code, NULL);
    if (KEY_IS(key, "modifiers"))
        return field_array(r, at, BH_MAX_MODIFIERS, adj_modifier_element, a, &st);
    if (KEY_IS(key, "units")) {
        if (peek(r) == 'n') return consume_word(r, "null", 4);
        if (!BH_IS_DIGIT(peek(r))) return wrong_type(r, at, "a number");
        return read_number_token(r, &a->units);
    }
    if (KEY_IS(key, "adjustments"))
        return field_adjustments(r, at, a->adjustments, &a->n_adjustments);
    if (KEY_IS(key, "date")) return field_date(r, at, &a->date, &a->date_text, &st);
    return skip_value(r);
}

static int adjudication_element(reader *r, const jpath *at, int index, void *ctx) {
    bh_line *l = ctx;
    bh_adjudication *a = &l->adjudications[l->n_adjudications++];
    bh_field_state st;
    (void)index;
    if (!field_object(r, at, adjudication_member, a, &st)) return 0;
    if (st != BH_FIELD_OK) return 1;
    if (a->payer_id == NULL) missing(r, at, "payer_id");
    if (a->code == NULL) missing(r, at, "code");
    if (a->date == 0) missing(r, at, "date");
    return 1;
}

static int field_adjudications(reader *r, const jpath *at, bh_line *l) {
    bh_field_state st;
    l->n_adjudications = 0;
    l->adjudications = bh_claim_alloc(r->claim, BH_MAX_ADJUDICATIONS, sizeof *l->adjudications);
    if (l->adjudications == NULL) {
        r->status = BH_ERR_NOMEM;
        return skip_value(r);
    }
    return field_array(r, at, BH_MAX_ADJUDICATIONS, adjudication_element, l, &st);
}

static int claim_date_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_claim_date *d = ctx;
    bh_field_state st;
    const char *text;
    if (KEY_IS(key, "qualifier")) return field_string(r, at, 1, &d->qualifier, NULL);
    if (KEY_IS(key, "date")) return field_date(r, at, &d->date, &text, &st);
    if (KEY_IS(key, "date_end")) return field_date(r, at, &d->date_end, &text, &st);
    return skip_value(r);
}

static int claim_date_element(reader *r, const jpath *at, int index, void *ctx) {
    bh_claim *c = ctx;
    bh_claim_date *d = &c->claim_dates[c->n_claim_dates++];
    bh_field_state st;
    (void)index;
    if (!field_object(r, at, claim_date_member, d, &st)) return 0;
    if (st == BH_FIELD_OK && (d->qualifier == NULL || d->date == 0))
        schema(r, at, "A claim date needs its qualifier and date.");
    return 1;
}

static int claim_reference_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_claim_reference *ref = ctx;
    if (KEY_IS(key, "qualifier")) return field_string(r, at, 1, &ref->qualifier, NULL);
    if (KEY_IS(key, "value")) return field_string(r, at, 1, &ref->value, NULL);
    return skip_value(r);
}

static int claim_reference_element(reader *r, const jpath *at, int index, void *ctx) {
    bh_claim *c = ctx;
    bh_claim_reference *ref = &c->claim_references[c->n_claim_references++];
    bh_field_state st;
    (void)index;
    if (!field_object(r, at, claim_reference_member, ref, &st)) return 0;
    if (st == BH_FIELD_OK && (ref->qualifier == NULL || ref->value == NULL))
        schema(r, at, "A claim reference needs its qualifier and value.");
    return 1;
}

/* claim_dates and claim_references: arrays of the arena. */
static int field_claim_list(reader *r, const jpath *at, bh_claim *c, int dates) {
    bh_field_state st;
    if (dates) {
        c->n_claim_dates = 0;
        c->claim_dates = bh_claim_alloc(c, BH_MAX_CLAIM_DATES, sizeof *c->claim_dates);
        if (c->claim_dates == NULL) {
            r->status = BH_ERR_NOMEM;
            return skip_value(r);
        }
        return field_array(r, at, BH_MAX_CLAIM_DATES, claim_date_element, c, &st);
    }
    c->n_claim_references = 0;
    c->claim_references = bh_claim_alloc(c, BH_MAX_CLAIM_REFERENCES, sizeof *c->claim_references);
    if (c->claim_references == NULL) {
        r->status = BH_ERR_NOMEM;
        return skip_value(r);
    }
    return field_array(r, at, BH_MAX_CLAIM_REFERENCES, claim_reference_element, c, &st);
}

typedef struct line_ctx {
    bh_line *line;
    int code_seen, date_seen;
} line_ctx;

static int line_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    line_ctx *lc = ctx;
    bh_line *l = lc->line;
    bh_field_state st;
    switch (key->text[0]) {
    case 'c':
        if (KEY_IS(key, "code")) {
            lc->code_seen = peek(r) != 'n';
            return field_string(r, at, 1, &l->code, &l->code_state);
        }
        if (KEY_IS(key, "charge")) return field_money(r, at, &l->charge, &l->charge_state);
        break;
    case 'm':
        if (KEY_IS(key, "modifiers")) {
            /* A repeated key starts over: the array never counts past its end. */
            memset(l->modifiers, 0, sizeof l->modifiers);
            l->n_modifiers = 0;
            return field_array(r, at, BH_MAX_MODIFIERS, modifier_element, l, &st);
        }
        break;
    case 'u':
        if (KEY_IS(key, "units")) {
            int c = peek(r);
            l->units = 0;
            l->units_state = BH_FIELD_ABSENT;
            if (c == 'n') return consume_word(r, "null", 4);
            if (c != '-' && !BH_IS_DIGIT(c)) {
                l->units_state = BH_FIELD_BAD;
                return wrong_type(r, at, "a number");
            }
            if (!read_number_token(r, &l->units)) return 0;
            if (!(fabs(l->units) <= BH_MAX_UNITS)) {
                char msg[96];
                snprintf(msg, sizeof msg, "Units must be from %.0f to %.0f.", -BH_MAX_UNITS,
                         BH_MAX_UNITS);
                schema(r, at, msg);
                l->units = 0;
                l->units_state = BH_FIELD_BAD;
                return 1;
            }
            l->units_state = BH_FIELD_OK;
            return 1;
        }
        break;
    case 'd':
        if (KEY_IS(key, "date")) {
            lc->date_seen = peek(r) != 'n';
            return field_date(r, at, &l->date, &l->date_text, &l->date_state);
        }
        if (KEY_IS(key, "dx_pointers")) {
            int ok;
            memset(l->dx_pointers, 0, sizeof l->dx_pointers);
            l->n_dx_pointers = 0;
            l->dx_pointers_state = BH_FIELD_ABSENT;
            ok = field_array(r, at, BH_MAX_POINTERS, pointer_element, l, &st);
            if (st == BH_FIELD_BAD || l->dx_pointers_state == BH_FIELD_BAD)
                l->dx_pointers_state = BH_FIELD_BAD;
            else
                l->dx_pointers_state = st == BH_FIELD_OK ? BH_FIELD_OK : BH_FIELD_ABSENT;
            return ok;
        }
        break;
    case 'p':
        if (KEY_IS(key, "place_of_service"))
            return field_string(r, at, 0, &l->place_of_service, NULL);
        break;
    default:
        break;
    }
    if (KEY_IS(key, "date_end")) return field_date(r, at, &l->date_end, &l->date_end_text, &st);
    if (KEY_IS(key, "unit_type")) return field_string(r, at, 0, &l->unit_type, NULL);
    if (KEY_IS(key, "control_number")) return field_string(r, at, 0, &l->control_number, NULL);
    if (KEY_IS(key, "rendering_provider"))
        return read_provider(r, at, &l->rendering_provider, PROVIDER_OTHER);
    if (KEY_IS(key, "adjudications")) return field_adjudications(r, at, l);
    return skip_value(r);
}

static int line_element(reader *r, const jpath *at, int index, void *ctx) {
    bh_claim *claim = ctx;
    bh_line *line = &claim->lines[claim->n_lines++];
    line_ctx lc;
    (void)index;
    memset(line, 0, sizeof *line);     /* an earlier "lines" key may have filled it */
    if (peek(r) != '{') {
        line->code_state = line->units_state = line->charge_state = BH_FIELD_BAD;
        line->date_state = line->dx_pointers_state = BH_FIELD_BAD;
        return wrong_type(r, at, "an object");
    }
    memset(&lc, 0, sizeof lc);
    lc.line = line;
    if (!read_members(r, at, line_member, &lc)) return 0;
    if (!lc.code_seen) missing(r, at, "code");
    if (!lc.date_seen) missing(r, at, "date");
    return 1;
}

static const char *const session_kinds[] = {"individual", "group", "family", NULL};
static const char *const *const modalities = bh_modality_names + 1;
static const char *const *const patient_locations = bh_patient_location_names + 1;

static int field_time(reader *r, const jpath *at, int *minutes) {
    const char *s;
    bh_field_state st;
    *minutes = -1;
    if (!field_string(r, at, 0, &s, &st)) return 0;
    if (s == NULL) return 1;
    *minutes = bh_time_parse(s);
    if (*minutes < 0) schema(r, at, "Expected a 24-hour time such as \"13:05\".");
    return 1;
}

/* A session block as bh_claim_reset leaves it (times and counts -1). */
static void session_reset(bh_session *s) {
    memset(s, 0, sizeof *s);
    s->start = s->end = s->minutes = s->patients_present = s->minutes_present = -1;
}

static int session_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_session *s = ctx;
    bh_field_state st;
    int idx, ok;
    if (KEY_IS(key, "kind")) {
        ok = field_choice(r, at, session_kinds, "individual, group or family", &idx, NULL);
        s->kind = idx < 0 ? BH_SESSION_UNKNOWN : (bh_session_kind)(idx + 1);
        return ok;
    }
    if (KEY_IS(key, "start")) return field_time(r, at, &s->start);
    if (KEY_IS(key, "end")) return field_time(r, at, &s->end);
    /* 1440 minutes: no session outlasts a day. */
    if (KEY_IS(key, "minutes")) return field_int(r, at, 0, 1440, &s->minutes);
    if (KEY_IS(key, "minutes_present")) return field_int(r, at, 0, 1440, &s->minutes_present);
    if (KEY_IS(key, "patients_present")) return field_int(r, at, 0, 1000, &s->patients_present);
    if (KEY_IS(key, "modality")) {
        ok = field_choice(r, at, modalities, bh_modality_choices, &idx, NULL);
        s->modality = idx < 0 ? BH_MODALITY_UNKNOWN : (bh_modality)(idx + 1);
        return ok;
    }
    if (KEY_IS(key, "patient_location"))
        return field_choice(r, at, patient_locations, bh_patient_location_choices, &idx,
                            &s->patient_location);
    if (KEY_IS(key, "provider_location"))
        return field_string(r, at, 0, &s->provider_location, NULL);
    if (KEY_IS(key, "last_in_person"))
        return field_date(r, at, &s->last_in_person, &s->last_in_person_text, &st);
    return skip_value(r);
}

static int signature_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_signature *sig = ctx;
    bh_field_state st;
    if (KEY_IS(key, "name")) return field_string(r, at, 0, &sig->name, NULL);
    if (KEY_IS(key, "credential")) return field_string(r, at, 0, &sig->credential, NULL);
    if (KEY_IS(key, "date")) return field_date(r, at, &sig->date, &sig->date_text, &st);
    return skip_value(r);
}

static int documentation_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    bh_documentation *d = ctx;
    if (KEY_IS(key, "purpose")) return field_string(r, at, 0, &d->purpose, NULL);
    if (KEY_IS(key, "participation")) return field_string(r, at, 0, &d->participation, NULL);
    if (KEY_IS(key, "medical_necessity"))
        return field_string(r, at, 0, &d->medical_necessity, NULL);
    if (KEY_IS(key, "plan_goal")) return field_string(r, at, 0, &d->plan_goal, NULL);
    if (KEY_IS(key, "signature")) {
        memset(&d->signature, 0, sizeof d->signature);
        return field_object(r, at, signature_member, &d->signature, &d->signature_state);
    }
    return skip_value(r);
}

/* Which top-level members were present, for the missing-field report. */
typedef struct claim_ctx {
    bh_claim *claim;
    int id_seen, payer_seen, billing_seen, subscriber_seen, diagnoses_seen, pos_seen,
        lines_seen;
} claim_ctx;

static const char *const code_sets[] = {"icd10", "icd9", NULL};

static int claim_member(reader *r, const jpath *at, const jkey *key, void *ctx) {
    claim_ctx *cc = ctx;
    bh_claim *c = cc->claim;
    bh_field_state st = BH_FIELD_ABSENT;
    int ok, idx;
    switch (key->text[0]) {
    case 'i':
        if (KEY_IS(key, "id")) {
            ok = field_string(r, at, 1, &c->id, &st);
            cc->id_seen = st != BH_FIELD_ABSENT;
            return ok;
        }
        break;
    case 'a':
        if (KEY_IS(key, "assignment")) return field_string(r, at, 0, &c->assignment, NULL);
        break;
    case 'o':
        if (KEY_IS(key, "other_payers")) return field_other_payers(r, at, c);
        break;
    case 'c':
        if (KEY_IS(key, "coverage")) {
            c->has_coverage = 1;
            return skip_value(r);
        }
        if (KEY_IS(key, "claim_dates")) return field_claim_list(r, at, c, 1);
        if (KEY_IS(key, "claim_references")) return field_claim_list(r, at, c, 0);
        break;
    case 'p':
        if (KEY_IS(key, "payer")) {
            payer_ctx pc;
            memset(&pc, 0, sizeof pc);
            memset(&c->payer, 0, sizeof c->payer);
            pc.payer = &c->payer;
            if (!field_object(r, at, payer_member, &pc, &c->payer.state)) return 0;
            cc->payer_seen = c->payer.state != BH_FIELD_ABSENT;
            if (c->payer.state == BH_FIELD_OK) {
                if (!pc.id_seen) missing(r, at, "id");
                if (!pc.name_seen) missing(r, at, "name");
                if (!pc.kind_seen) missing(r, at, "kind");
            }
            return 1;
        }
        if (KEY_IS(key, "patient")) return read_person(r, at, &c->patient, 0);
        if (KEY_IS(key, "participants")) {
            c->has_participants = 1;
            return skip_value(r);
        }
        if (KEY_IS(key, "place_of_service")) {
            ok = field_string(r, at, 1, &c->place_of_service, &st);
            cc->pos_seen = st != BH_FIELD_ABSENT;
            return ok;
        }
        if (KEY_IS(key, "prior_authorization"))
            return field_string(r, at, 0, &c->prior_authorization, NULL);
        if (KEY_IS(key, "payer_claim_number"))
            return field_string(r, at, 0, &c->payer_claim_number, NULL);
        if (KEY_IS(key, "provider_signature"))
            return field_string(r, at, 0, &c->provider_signature, NULL);
        if (KEY_IS(key, "patient_signature_source"))
            return field_string(r, at, 0, &c->patient_signature_source, NULL);
        break;
    case 'b':
        if (KEY_IS(key, "benefits_assignment"))
            return field_string(r, at, 0, &c->benefits_assignment, NULL);
        if (KEY_IS(key, "billing_provider")) {
            ok = read_provider(r, at, &c->billing_provider, PROVIDER_BILLING);
            cc->billing_seen = c->billing_provider.state != BH_FIELD_ABSENT;
            return ok;
        }
        break;
    case 'r':
        if (KEY_IS(key, "rendering_provider"))
            return read_provider(r, at, &c->rendering_provider, PROVIDER_OTHER);
        if (KEY_IS(key, "referring_provider"))
            return read_provider(r, at, &c->referring_provider, PROVIDER_OTHER);
        if (KEY_IS(key, "release_of_information"))
            return field_string(r, at, 0, &c->release_of_information, NULL);
        break;
    case 's':
        if (KEY_IS(key, "subscriber")) {
            ok = read_person(r, at, &c->subscriber, 1);
            cc->subscriber_seen = c->subscriber.state != BH_FIELD_ABSENT;
            return ok;
        }
        if (KEY_IS(key, "session")) {
            session_reset(&c->session);
            return field_object(r, at, session_member, &c->session, &c->session.state);
        }
        if (KEY_IS(key, "service_facility"))
            return read_provider(r, at, &c->service_facility, PROVIDER_FACILITY);
        break;
    case 'd':
        if (KEY_IS(key, "diagnoses")) {
            memset(c->diagnoses, 0, sizeof c->diagnoses);
            c->n_diagnoses = 0;
            ok = field_array(r, at, BH_MAX_DIAGNOSES, diagnosis_element, c,
                             &c->diagnoses_state);
            cc->diagnoses_seen = c->diagnoses_state != BH_FIELD_ABSENT;
            if (c->diagnoses_state == BH_FIELD_OK && c->n_diagnoses == 0) {
                schema(r, at, "At least one entry is required.");
                c->diagnoses_state = BH_FIELD_BAD;
            }
            return ok;
        }
        if (KEY_IS(key, "diagnosis_code_set"))
            return field_choice(r, at, code_sets, "icd10 or icd9", &idx, &c->diagnosis_code_set);
        if (KEY_IS(key, "documentation")) {
            memset(&c->documentation, 0, sizeof c->documentation);
            return field_object(r, at, documentation_member, &c->documentation,
                                &c->documentation.state);
        }
        break;
    case 'l':
        if (KEY_IS(key, "lines")) {
            /* bh_claim_reset clears only the first n_lines lines, so an
            ** earlier "lines" key's lines are cleared before counting anew. */
            memset(c->lines, 0, (size_t)c->n_lines * sizeof c->lines[0]);
            c->n_lines = 0;
            ok = field_array(r, at, BH_MAX_LINES, line_element, c, &c->lines_state);
            cc->lines_seen = c->lines_state != BH_FIELD_ABSENT;
            if (c->lines_state == BH_FIELD_OK && c->n_lines == 0) {
                schema(r, at, "At least one entry is required.");
                c->lines_state = BH_FIELD_BAD;
            }
            return ok;
        }
        break;
    case 't':
        if (KEY_IS(key, "total_charge"))
            return field_money(r, at, &c->total_charge, &c->total_charge_state);
        break;
    case 'f':
        if (KEY_IS(key, "frequency")) return field_string(r, at, 0, &c->frequency, NULL);
        break;
    case 'n':
        if (KEY_IS(key, "note")) return field_string(r, at, 0, &c->note, NULL);
        break;
    default:
        break;
    }
    return skip_value(r);
}

static void report_missing_top(reader *r, const claim_ctx *cc) {
    const bh_claim *c = cc->claim;
    if (!cc->id_seen) missing(r, NULL, "id");
    if (!cc->payer_seen) missing(r, NULL, "payer");
    if (!cc->billing_seen) missing(r, NULL, "billing_provider");
    if (!cc->subscriber_seen) missing(r, NULL, "subscriber");
    if (!cc->diagnoses_seen) missing(r, NULL, "diagnoses");
    if (!cc->pos_seen) missing(r, NULL, "place_of_service");
    if (!cc->lines_seen) missing(r, NULL, "lines");
    /* The patient block is required when the patient is not the subscriber. */
    if (c->subscriber.relationship != NULL && !bh_streq(c->subscriber.relationship, "self") &&
        c->patient.state == BH_FIELD_ABSENT)
        missing(r, NULL, "patient");
}

/* The claim at the reader's cursor: an object of claim members. */
static void read_claim(reader *r, bh_claim *claim) {
    claim_ctx cc;
    int c = peek(r);
    memset(&cc, 0, sizeof cc);
    cc.claim = claim;
    if (c == -1) {
        syntax_error(r, BH_ERR_SYNTAX, "json.syntax", "empty input: expected a JSON value");
    } else if (c != '{') {
        /* Valid JSON but not a claim: one finding, like any wrong type. */
        if (wrong_type(r, NULL, "a claim object")) {
            claim->lines_state = claim->diagnoses_state = BH_FIELD_BAD;
        }
    } else if (read_members(r, NULL, claim_member, &cc)) {
        report_missing_top(r, &cc);
    }
}

bh_status bh_claim_parse_source(bh_claim *claim, const bh_value_source *src,
                                bh_report *report) {
    reader r;
    size_t findings_before;
    if (claim == NULL || src == NULL || report == NULL) return BH_ERR_ARG;
    findings_before = bh_report_count(report);
    bh_claim_reset(claim);
    memset(&r, 0, sizeof r);
    r.src = src;
    r.claim = claim;
    r.report = report;
    read_claim(&r, claim);
    if (r.failed) {
        bh_report_truncate(report, findings_before);
        bh_claim_reset(claim);
        return r.err_code;
    }
    return r.status;
}

bh_status bh_claim_parse_json(bh_claim *claim, const char *json, size_t len,
                              bh_report *report, bh_error *err) {
    reader r;
    size_t findings_before;
    if (claim == NULL || json == NULL || report == NULL) return BH_ERR_ARG;
    findings_before = bh_report_count(report);
    bh_claim_reset(claim);
    if (err != NULL) memset(err, 0, sizeof *err);
    memset(&r, 0, sizeof r);
    r.start = r.p = json;
    r.end = json + len;
    r.err = err;
    r.claim = claim;
    r.report = report;
    read_claim(&r, claim);
    if (!r.failed && peek(&r) != -1)
        syntax_error(&r, BH_ERR_SYNTAX, "json.syntax",
                     "expected the end of input after the JSON value");
    if (r.failed) {
        bh_report_truncate(report, findings_before);
        bh_claim_reset(claim);
        return r.err_code;
    }
    return r.status;
}
