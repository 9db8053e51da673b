/*
** check_batch.c: the check command's batch path. One call takes a chunk of
** NDJSON lines (or the element texts of a JSON array), and for each record
** parses, checks with the profile of its payer kind, applies claim.duplicate
** with the run's tracker (lua/bhclaim/batch.lua: the same key set, labels
** and claim count), adds to the run's summary and writes the report line
** (core report_write.c) into one output string: no Lua table per claim.
**
** A record that needs Lua stops the call and is handed back, so the
** command line runs it on its Lua path and calls again after it: a line
** that is not one JSON object, a session ("participants"), a claim carrying
** its payer's 271 answer ("coverage"), JSON that does not parse (the
** bad-record path), and a claim with a code under a
** code.frequency limit of its profile (the tracker's frequency part is Lua).
** Stopping keeps the order of output and summary exactly the Lua path's.
** Custom Lua rules (--rules) do not stop it: the call asks Lua for their
** findings on each claim (opts.rule_findings) and reports them with the
** core's, in the order bhclaim.check gives.
** SPDX-License-Identifier: MIT
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"

#define CHECK_BATCH_MT "bhclaim.CheckBatch"

/* A payer kind's name as the Lua layer keys its code sets: "" for an
** unknown kind, else the core's name (bhclaim.h). */
static const char *kind_key(bh_payer_kind kind) {
    return kind == BH_PAYER_UNKNOWN ? "" : bh_payer_kind_name(kind);
}

typedef struct batch {
    bh_claim *claim;            /* reused for each record */
    bh_report *report;
    bh_buffer out;              /* report lines of the current call */
    const bh_finding **order;   /* findings in print order */
    bh_finding *extra;          /* claim.duplicate findings of one claim */
    bh_finding *found;          /* findings of the Lua rules on one claim */
    size_t found_cap;
    char *in;                   /* batch:file_lines's input not yet done */
    size_t in_len, in_cap;
    size_t in_scanned;          /* in[0..in_scanned) holds no line break */
} batch;

/* none: audit, which prints only the summary */
typedef enum out_format { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_NONE } out_format;

/* A rule's counts of one call, added to the run's summary table when the
** call ends: a few Lua table operations per rule and call rather than six
** per finding. */
typedef struct rule_tally {
    char rule[64];
    lua_Integer count, claims;
} rule_tally;

#define MAX_TALLIES 32

/* What one call needs, resolved once; stack indices of the Lua values. */
typedef struct run {
    out_format format;
    bh_date today;
    bh_ncci *ncci;
    const char *source;
    int by_kind, rules;
    int rule_findings;          /* opts.rule_findings, a function, or 0 */
    bhl_key_set *seen;          /* the tracker's, kept alive by opts */
    int limited[BH_PAYER_OTHER + 1];            /* per kind: {code = true}, 0: none */
    const bh_profile *profile[BH_PAYER_OTHER + 1]; /* per kind, from by_kind */
    lua_Number tracker_n;
    lua_Integer claims, clean, with_errors, with_warnings, records;
    lua_Number cents_at_risk;
    rule_tally tally[MAX_TALLIES];
    int n_tally;
} run;

/* One record of the input: its JSON text (NULL for an 837P claim, read
** by the stream) and where it is (its line, array element or claim
** number, as the report's CSV and the summary say). */
typedef struct record {
    const char *text;
    size_t len;
    long line;
} record;

/* NDJSON text being run: the bytes, where the next line starts and its
** number. */
typedef struct cursor {
    const char *text;
    size_t len, pos;
    long line;
} cursor;

static int batch_gc(lua_State *L) {
    batch *b = luaL_checkudata(L, 1, CHECK_BATCH_MT);
    bh_claim_free(b->claim);
    bh_report_free(b->report);
    bh_buffer_free(&b->out);
    free(b->in);
    b->in = NULL;
    b->in_len = b->in_cap = b->in_scanned = 0;
    free(b->order);
    free(b->extra);
    free(b->found);
    b->found = NULL;
    b->found_cap = 0;
    b->claim = NULL;
    b->report = NULL;
    b->order = NULL;
    b->extra = NULL;
    return 0;
}

static batch *check_batch(lua_State *L) {
    batch *b = luaL_checkudata(L, 1, CHECK_BATCH_MT);
    if (b->claim == NULL) luaL_argerror(L, 1, "a closed batch");
    return b;
}

/* {====================================================================
** Which records stay in C
** ===================================================================== */

static int is_white(char c) {   /* object_line's white space (cli.lua) */
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_space(char c) {   /* Lua's %s */
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static int blank(const char *p, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if (!is_space(p[i])) return 0;
    return 1;
}

/* "{" first and "}" last, white space aside (cli.lua's object_line). */
static int object_line(const char *p, size_t n) {
    size_t i = 0, j = n;
    while (i < j && is_white(p[i])) i++;
    while (j > i && is_white(p[j - 1])) j--;
    return j > i + 1 && p[i] == '{' && p[j - 1] == '}';
}

static int kind_of(const bh_claim *c) {
    return (unsigned)c->payer.kind <= BH_PAYER_OTHER ? (int)c->payer.kind : 0;
}

/* 1 when a line of the claim has a code its profile limits (code.frequency,
** run by the Lua tracker): limited[kind][code] is true. */
static int frequency_limited(lua_State *L, const run *r, const bh_claim *c) {
    int i, hit = 0, codes = r->limited[kind_of(c)];
    for (i = 0; codes && i < c->n_lines && !hit; i++) {
        if (c->lines[i].code == NULL) continue;
        lua_getfield(L, codes, c->lines[i].code);
        hit = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    return hit;
}

/* {====================================================================
** claim.duplicate, as bhclaim.batch's tracker:duplicates
** ===================================================================== */

#define SRC_DUPLICATE "rules-reference 6: CARC 18 (exact duplicate claim/service); a " \
    "replacement or void (frequency 7/8) is not a duplicate of the claim it replaces"
#define HINT_DUPLICATE "Send the service once; to correct the first claim, send a " \
    "replacement (frequency 7) instead."

/* Pushes the message and the path of a claim.duplicate finding on line i
** (1-based) whose service was first seen on line `first_line` of the claim
** labelled `first_label`. The one wording, for the batch path and
** bhclaim.batch's tracker (core.duplicate_finding). */
static void push_duplicate(lua_State *L, const char *first_label, int first_line, int i) {
    lua_pushfstring(L, "The same patient, code, modifiers and date of service as claim %s "
                    "(line %d), an original claim of this batch.",
                    first_label ? first_label : "(claim without id)", first_line);
    lua_pushfstring(L, "lines[%d]", i);
}

/* Adds the claim to the tracker (its number and label) and appends its
** claim.duplicate findings to b->extra, their messages pushed on the stack.
** Returns how many. */
static int track_duplicates(lua_State *L, batch *b, run *r, const bh_claim *c,
                            const char *patient, size_t plen) {
    char key[512];
    int i, n = 0;
    lua_Number number = ++r->tracker_n;
    const char *label = c->id ? c->id : "(claim without id)";
    bhl_key_set_label(L, r->seen, (lua_Integer)number, label, strlen(label));
    if (c->frequency != NULL && strcmp(c->frequency, "1") != 0) return 0;
    memcpy(key, patient, plen);
    for (i = 0; i < c->n_lines; i++) {
        lua_Number first;
        size_t klen = bh_line_key(&c->lines[i], key + plen, 256);
        if (klen == 0 || !bhl_key_set_put(L, r->seen, key, plen + klen, number * 64 + (i + 1),
                                          &first))
            continue;
        if (floor(first / 64) == number) continue;  /* lines of one claim */
        luaL_checkstack(L, 2, "claim.duplicate");
        push_duplicate(L, bhl_key_set_label_of(r->seen, (lua_Integer)floor(first / 64)),
                       (int)fmod(first, 64), i + 1);
        b->extra[n].rule = "claim.duplicate";
        b->extra[n].severity = BH_SEV_ERROR;
        b->extra[n].path = lua_tostring(L, -1);
        b->extra[n].message = lua_tostring(L, -2);
        b->extra[n].hint = HINT_DUPLICATE;
        b->extra[n].source = SRC_DUPLICATE;
        n++;
    }
    return n;
}

/* {====================================================================
** The run's summary (reports.summary_add)
** ===================================================================== */

static void add_number(lua_State *L, int t, const char *key, lua_Integer by) {
    lua_getfield(L, t, key);
    lua_pushinteger(L, lua_tointeger(L, -1) + by);
    lua_setfield(L, t, key);
    lua_pop(L, 1);
}

static void set_str(lua_State *L, const char *key, const char *value) {
    if (value == NULL) return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

/* Adds the tallies to the summary's rules table (at r->rules) and empties them. */
static void flush_tallies(lua_State *L, run *r) {
    int i;
    for (i = 0; i < r->n_tally; i++) {
        lua_getfield(L, r->rules, r->tally[i].rule);
        add_number(L, lua_gettop(L), "count", r->tally[i].count);
        add_number(L, lua_gettop(L), "claims", r->tally[i].claims);
        lua_pop(L, 1);
    }
    r->n_tally = 0;
}

/* Makes the summary's entry for a finding's rule if the run has none, from
** this finding (reports.summary_add keeps the first claim's words), and
** leaves it on the stack. */
static void rule_entry(lua_State *L, run *r, const char *claim_id, const bh_finding *f) {
    lua_getfield(L, r->rules, f->rule);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, 0);
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, 0);
    lua_setfield(L, -2, "claims");
    set_str(L, "severity", bh_severity_name(f->severity));
    set_str(L, "message", f->message);
    set_str(L, "hint", f->hint);
    set_str(L, "claim_id", claim_id);
    lua_pushvalue(L, -1);
    lua_setfield(L, r->rules, f->rule);
}

/* The tally of a finding's rule, made on its first finding of the call
** (with the summary's entry, rule_entry); NULL for a rule id too long to
** keep, which is counted at once. */
static rule_tally *tally_of(lua_State *L, run *r, const char *claim_id, const bh_finding *f) {
    int i;
    size_t len = strlen(f->rule);
    for (i = 0; i < r->n_tally; i++)
        if (strcmp(r->tally[i].rule, f->rule) == 0) return &r->tally[i];
    if (len >= sizeof r->tally[0].rule) return NULL;
    if (r->n_tally == MAX_TALLIES) flush_tallies(L, r);
    rule_entry(L, r, claim_id, f);
    lua_pop(L, 1);
    memcpy(r->tally[r->n_tally].rule, f->rule, len + 1);
    r->tally[r->n_tally].count = r->tally[r->n_tally].claims = 0;
    return &r->tally[r->n_tally++];
}

/* count_rules: each finding counts for its rule; a claim once per rule. */
static void count_rules(lua_State *L, run *r, const char *claim_id, const bh_finding *const *f,
                        size_t n) {
    size_t i, j;
    for (i = 0; i < n; i++) {
        rule_tally *t = tally_of(L, r, claim_id, f[i]);
        int again = 0;
        for (j = 0; j < i && !again; j++) again = strcmp(f[j]->rule, f[i]->rule) == 0;
        if (t == NULL) {   /* a long custom rule id: its entry counted now */
            rule_entry(L, r, claim_id, f[i]);
            add_number(L, lua_gettop(L), "count", 1);
            add_number(L, lua_gettop(L), "claims", again ? 0 : 1);
            lua_pop(L, 1);
            continue;
        }
        t->count++;
        if (!again) t->claims++;
    }
}

static void summary_add(lua_State *L, run *r, const bh_claim *c, const bh_finding *const *f,
                        size_t n) {
    size_t i, errors = 0, warnings = 0;
    int k;
    count_rules(L, r, c->id, f, n);
    for (i = 0; i < n; i++) {
        errors += f[i]->severity == BH_SEV_ERROR;
        warnings += f[i]->severity == BH_SEV_WARNING;
    }
    r->claims++;
    if (errors > 0) {
        int64_t cents = 0;
        for (k = 0; k < c->n_lines; k++)
            if (c->lines[k].charge_state == BH_FIELD_OK) cents += c->lines[k].charge;
        r->with_errors++;
        r->cents_at_risk += (lua_Number)cents;
    } else if (warnings > 0) {
        r->with_warnings++;
    } else {
        r->clean++;
    }
}

/* Adds the call's counts to the summary table at idx. */
static void flush_summary(lua_State *L, run *r, int stats) {
    flush_tallies(L, r);
    add_number(L, stats, "claims", r->claims);
    add_number(L, stats, "clean", r->clean);
    add_number(L, stats, "with_errors", r->with_errors);
    add_number(L, stats, "with_warnings", r->with_warnings);
    if (r->cents_at_risk != 0) {
        lua_getfield(L, stats, "cents_at_risk");
        lua_pushnumber(L, lua_tonumber(L, -1) + r->cents_at_risk);
        lua_setfield(L, stats, "cents_at_risk");
        lua_pop(L, 1);
    }
}

/* {====================================================================
** One record
** ===================================================================== */

static void write_entry(lua_State *L, batch *b, const run *r, const bh_claim *c, size_t n,
                        long line) {
    bh_report_entry e;
    bh_status st;
    if (r->format == OUT_NONE) return;
    e.claim_id = c->id;
    e.claim = c;
    e.findings = b->order;
    e.n_findings = n;
    e.source = r->source;
    e.line = line;
    st = r->format == OUT_JSON ? bh_report_write_json(&b->out, &e)
       : r->format == OUT_CSV  ? bh_report_write_csv(&b->out, &e)
                               : bh_report_write_text(&b->out, &e);
    if (st != BH_OK) luaL_error(L, "bhclaim: out of memory");
}

/* A string field of the finding table at the stack top, or NULL. The
** finding's list, on the stack, keeps it alive. */
static const char *finding_text(lua_State *L, const char *key) {
    const char *s;
    lua_getfield(L, -1, key);
    s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

static bh_severity severity_of(const char *name) {
    if (name != NULL && strcmp(name, "error") == 0) return BH_SEV_ERROR;
    if (name != NULL && strcmp(name, "warning") == 0) return BH_SEV_WARNING;
    return BH_SEV_INFO;
}

/* Calls the run's Lua rules (opts.rule_findings) on the claim: given its
** JSON text when there is one, else its table. Their findings (report:add
** checked their fields) go to b->found, the list they come in staying on
** the stack; -1 when the function gives nil: the record is for the Lua
** path. */
static int rule_findings(lua_State *L, batch *b, const run *r, const bh_claim *c,
                         const record *rec) {
    int list, i, n;
    luaL_checkstack(L, 4, "rule_findings");
    lua_pushvalue(L, r->rule_findings);
    if (rec->text != NULL) lua_pushlstring(L, rec->text, rec->len);
    else bhl_push_claim(L, c);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) return -1;
    luaL_checktype(L, -1, LUA_TTABLE);
    list = lua_gettop(L);
    n = (int)bhc_rawlen(L, list);
    if ((size_t)n > b->found_cap) {
        bh_finding *grown = realloc(b->found, (size_t)n * sizeof *grown);
        if (grown == NULL) luaL_error(L, "bhclaim: out of memory");
        b->found = grown;
        b->found_cap = (size_t)n;
    }
    for (i = 0; i < n; i++) {
        bh_finding *f = &b->found[i];
        lua_rawgeti(L, list, i + 1);
        luaL_checktype(L, -1, LUA_TTABLE);
        f->rule = finding_text(L, "rule");
        f->severity = severity_of(finding_text(L, "severity"));
        f->path = finding_text(L, "path");
        f->message = finding_text(L, "message");
        f->hint = finding_text(L, "hint");
        f->source = finding_text(L, "source");
        lua_pop(L, 1);
        if (f->rule == NULL || f->message == NULL)
            luaL_error(L, "bhclaim: a Lua rule's finding without rule or message");
    }
    return n;
}

/* Checks a claim and writes its report line: 1, or 0 when the claim is for
** the Lua path (a code under a frequency limit, or a text the Lua rules
** cannot read; nothing of the run has changed then). The report holds what
** parsing found. */
static int check_claim(lua_State *L, batch *b, run *r, const bh_claim *c, const record *rec) {
    bh_check_options options;
    char patient[256];
    size_t plen = bh_claim_patient_key(c, patient, sizeof patient), ncore, n;
    int i, top = lua_gettop(L), extra = 0, custom = 0;
    if (plen > 0 && frequency_limited(L, r, c)) return 0;
    memset(&options, 0, sizeof options);
    options.today = r->today;
    options.profile = r->profile[kind_of(c)];
    options.ncci = r->ncci;
    options.provider_kind = BH_PROVIDER_PRACTITIONER;
    if (bh_claim_check(c, &options, b->report) != BH_OK) luaL_error(L, "bhclaim: out of memory");
    ncore = bh_report_count(b->report);
    if (r->rule_findings && (custom = rule_findings(L, b, r, c, rec)) < 0) {
        lua_settop(L, top);
        return 0;
    }
    {
        size_t cap = ncore + (size_t)custom + BH_MAX_LINES;
        const bh_finding **order = realloc(b->order, cap * sizeof *order);
        if (order == NULL) luaL_error(L, "bhclaim: out of memory");
        b->order = order;
    }
    /* bhclaim.check's order: the core's by severity, then the Lua rules',
    ** then the tracker's claim.duplicate */
    n = bh_report_order(b->report, ncore, b->order);
    for (i = 0; i < custom; i++) b->order[n++] = &b->found[i];
    if (plen > 0) extra = track_duplicates(L, b, r, c, patient, plen);
    for (i = 0; i < extra; i++) b->order[n++] = &b->extra[i];
    summary_add(L, r, c, b->order, n);
    write_entry(L, b, r, c, n, rec->line);
    lua_settop(L, top);
    r->records++;
    return 1;
}

/* Parses and checks one JSON record: 1, or 0 when it is for the Lua path
** (not one object on its line, a session, a claim with its 271 answer, or
** JSON that does not parse). */
static int check_record(lua_State *L, batch *b, run *r, const record *rec) {
    bh_error err;
    bh_status st;
    if (!object_line(rec->text, rec->len)) return 0;
    bh_report_reset(b->report);
    st = bh_claim_parse_json(b->claim, rec->text, rec->len, b->report, &err);
    if (st == BH_ERR_SYNTAX || st == BH_ERR_LIMIT) return 0;
    if (st != BH_OK) luaL_error(L, "bhclaim: out of memory");
    /* A session, and a claim carrying its 271 answer (the coverage rules
    ** are Lua), are found by the parse itself: a scan of every line for
    ** "participants" cost 3% of a run. */
    if (b->claim->has_participants || b->claim->has_coverage) return 0;
    return check_claim(L, b, r, b->claim, rec);
}

/* {====================================================================
** Calls
** ===================================================================== */

static out_format format_arg(lua_State *L, int opts) {
    const char *f;
    lua_getfield(L, opts, "format");
    f = luaL_optstring(L, -1, "text");
    lua_pop(L, 1);
    if (strcmp(f, "json") == 0) return OUT_JSON;
    if (strcmp(f, "csv") == 0) return OUT_CSV;
    if (strcmp(f, "text") == 0) return OUT_TEXT;
    if (strcmp(f, "none") == 0) return OUT_NONE;
    luaL_argerror(L, opts, "format must be text, json, csv or none");
    return OUT_TEXT;
}

/* Pushes opts[key] and returns its index (a table required unless nil is
** allowed). */
static int table_field(lua_State *L, int t, const char *key, int optional) {
    lua_getfield(L, t, key);
    if (optional && lua_isnil(L, -1)) return 0;
    if (!lua_istable(L, -1))
        luaL_error(L, "bad argument #%d to 'check' (%s must be a table)", t - 1, key);
    return lua_gettop(L);
}

/* Reads opts (at index opts) and stats into r; leaves the values on the stack. */
static void open_run(lua_State *L, run *r, int opts, int stats) {
    int tracker, limited, k;
    size_t len;
    const char *today;
    memset(r, 0, sizeof *r);
    luaL_checkstack(L, 24, "check_batch");
    luaL_checktype(L, opts, LUA_TTABLE);
    luaL_checktype(L, stats, LUA_TTABLE);
    r->format = format_arg(L, opts);
    lua_getfield(L, opts, "today");
    today = lua_tolstring(L, -1, &len);
    if (today != NULL && !bh_date_parse(today, len, &r->today))
        luaL_argerror(L, opts, "today must be YYYY-MM-DD");
    lua_pop(L, 1);
    lua_getfield(L, opts, "source");
    r->source = lua_tostring(L, -1);    /* opts keeps it alive */
    lua_pop(L, 1);
    lua_getfield(L, opts, "ncci");
    if (!lua_isnil(L, -1)) r->ncci = bhl_check_ncci(L, lua_gettop(L));
    r->by_kind = table_field(L, opts, "by_kind", 0);
    limited = table_field(L, opts, "limited", 1);
    if (!limited) lua_pop(L, 1);
    for (k = 0; k <= BH_PAYER_OTHER; k++) {
        /* the profiles by_kind keeps alive; the code sets stay on the stack */
        r->profile[k] = bhl_profile_for_kind(L, r->by_kind, (bh_payer_kind)k);
        r->limited[k] = limited ? table_field(L, limited, kind_key((bh_payer_kind)k), 1) : 0;
        if (limited && !r->limited[k]) lua_pop(L, 1);
    }
    tracker = table_field(L, opts, "tracker", 0);
    lua_getfield(L, tracker, "seen");
    r->seen = bhl_key_set_check(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, tracker, "n");
    r->tracker_n = lua_tonumber(L, -1);
    lua_pop(L, 1);
    r->rules = table_field(L, stats, "rules", 0);
    lua_getfield(L, opts, "rule_findings");
    if (lua_isnil(L, -1)) lua_pop(L, 1);
    else if (lua_type(L, -1) != LUA_TFUNCTION)
        luaL_argerror(L, opts, "rule_findings must be a function");
    else r->rule_findings = lua_gettop(L);
}

/* Ends a call's run: the tracker's count and the summary updated. */
static void end_run(lua_State *L, run *r, int tracker_at, int stats) {
    lua_getfield(L, tracker_at, "tracker");
    lua_pushinteger(L, (lua_Integer)r->tracker_n);
    lua_setfield(L, -2, "n");
    lua_pop(L, 1);
    flush_summary(L, r, stats);
}

/* Pushes the call's answers: output, then what the caller passes on. */
static void close_run(lua_State *L, batch *b, run *r, int tracker_at, int stats) {
    end_run(L, r, tracker_at, stats);
    lua_pushlstring(L, b->out.data ? b->out.data : "", b->out.len);
    b->out.len = 0;
}

/***
Checks the NDJSON lines of text from byte pos on, as the command line's
check does, until the text ends or a record needs the Lua path.
@function batch:lines
@tparam string text lines, each ended by "\n"; a last line without one
  waits for more text unless final
@tparam integer pos 1-based byte where a line starts
@tparam integer line that line's number
@tparam table opts format (text, json, csv, none), today, source, ncci, by_kind (compiled profiles
  by payer kind), limited ({kind = {code = true}}: codes under a frequency
  limit), tracker (bhclaim.batch's)
@tparam table stats the run's summary (reports.summary), added to
@tparam[opt] boolean final the text ends the input: its last line is done
  too, with or without "\n"
@treturn string the report lines
@treturn integer pos of the first line not done (#text + 1 at the end)
@treturn integer its line number
@treturn integer records done here
@treturn boolean true when the line at pos is for the Lua path
*/
/* Checks the lines of text[*pos..len) (the last one only when final, else
** only lines ended by "\n"), advancing *pos and *line past each. Returns 1
** when it stops at a line for the Lua path (*pos at its start). */
static int run_lines(lua_State *L, batch *b, run *r, cursor *at, int final) {
    while (at->pos < at->len) {
        const char *p = at->text + at->pos, *nl = memchr(p, '\n', at->len - at->pos);
        size_t n = nl ? (size_t)(nl - p) : at->len - at->pos;
        record rec;
        if (nl == NULL && !final) break;   /* the rest of the line is still to come */
        rec.text = p;
        rec.len = n;
        rec.line = at->line;
        if (!blank(p, n) && !check_record(L, b, r, &rec)) return 1;
        at->pos += n + (nl != NULL);
        at->line++;
    }
    return 0;
}

static int batch_lines(lua_State *L) {
    batch *b = check_batch(L);
    cursor at;
    int handed, final = lua_toboolean(L, 7);
    run r;
    at.text = luaL_checklstring(L, 2, &at.len);
    at.pos = (size_t)luaL_checkinteger(L, 3) - 1;
    at.line = (long)luaL_checkinteger(L, 4);
    if (at.pos > at.len) luaL_argerror(L, 3, "beyond the text");
    open_run(L, &r, 5, 6);
    handed = run_lines(L, b, &r, &at, final);
    close_run(L, b, &r, 5, 6);
    lua_pushinteger(L, (lua_Integer)at.pos + 1);
    lua_pushinteger(L, at.line);
    lua_pushinteger(L, r.records);
    lua_pushboolean(L, handed);
    return 5;
}

/* Makes room for `more` bytes after the held input. */
static void input_reserve(lua_State *L, batch *b, size_t more) {
    size_t cap = b->in_cap ? b->in_cap : 65536;
    char *p;
    if (b->in_len + more <= b->in_cap) return;
    while (cap < b->in_len + more) {
        if (cap > (size_t)-1 / 4) luaL_error(L, "bhclaim: out of memory");
        cap *= 2;
    }
    p = realloc(b->in, cap);
    if (p == NULL) luaL_error(L, "bhclaim: out of memory");
    b->in = p;
    b->in_cap = cap;
}

/* Reads up to `want` bytes of f after the held input; the count read, or
** -1 on a read error (errno kept). */
static long read_more(lua_State *L, batch *b, FILE *f, size_t want) {
    size_t got;
    input_reserve(L, b, want);
    errno = 0;
    got = fread(b->in + b->in_len, 1, want, f);
    b->in_len += got;
    if (got == 0 && ferror(f)) return -1;
    return (long)got;
}

/* Drops the first `done` held bytes (lines checked or handed to Lua). */
static void input_drop(batch *b, size_t done) {
    if (done == 0) return;
    memmove(b->in, b->in + done, b->in_len - done);
    b->in_len -= done;
    b->in_scanned = b->in_scanned > done ? b->in_scanned - done : 0;
}

/* nil, the error's message, "read" or "write", and its number. */
static void push_failure(lua_State *L, const char *what, int e) {
    lua_pushnil(L);
    lua_pushstring(L, e ? strerror(e) : "I/O error");
    lua_pushstring(L, what);
    lua_pushinteger(L, e);
}

/* Writes the call's report lines to out; 1, or 0 after pushing the
** failure (push_failure). */
static int write_out(lua_State *L, batch *b, FILE *out) {
    size_t n = b->out.len;
    b->out.len = 0;
    errno = 0;
    if (n > 0 && fwrite(b->out.data, 1, n, out) != n) {
        int e = errno;
        clearerr(out);
        push_failure(L, "write", e);
        return 0;
    }
    return 1;
}

/* Ends a call: its report lines pushed as a string, or written to out and
** "" pushed. 1, or 0 after pushing a write's failure (4 values). */
static int finish_call(lua_State *L, batch *b, run *r, FILE *out) {
    if (out == NULL) {
        close_run(L, b, r, 5, 6);
        return 1;
    }
    end_run(L, r, 5, 6);
    if (!write_out(L, b, out)) return 0;
    lua_pushliteral(L, "");
    return 1;
}

/***
Reads more of an open file into the batch's input and checks the whole
lines it holds, as batch:lines does, without a Lua string in between. It
reads only when no whole line is held, so a line handed to the Lua path is
followed by the held lines after it.
@function batch:file_lines
@tparam file fh a Lua file open for reading, at the byte after the held input
@tparam integer want bytes to read at most (0: read nothing)
@tparam integer line the line number of the first held line
@tparam table opts as for batch:lines
@tparam table stats as for batch:lines
@tparam[opt] file out a Lua file the report lines are written to, in place of
  returning them (no Lua string for them)
@treturn string the report lines ("" when written to out), or nil, a message
  and "read" or "write" and the error number when reading or writing fails
@treturn integer bytes read
@treturn integer the line number of the first line not done
@treturn integer records done here
@treturn string|nil the line for the Lua path (taken out of the input), or nil
@treturn boolean true when a read found the end of the file
*/
static int batch_file_lines(lua_State *L) {
    batch *b = check_batch(L);
    FILE *f = bhl_file_arg(L, 2), *out = lua_isnoneornil(L, 7) ? NULL : bhl_file_arg(L, 7);
    lua_Integer want = luaL_checkinteger(L, 3);
    long got = 0;
    size_t pos;
    cursor at;
    int handed, at_end = 0;
    run r;
    luaL_argcheck(L, want >= 0 && want <= 1 << 24, 3, "0 to 16 MiB");
    if (want > 0 && (b->in_scanned == b->in_len ||
                     memchr(b->in + b->in_scanned, '\n', b->in_len - b->in_scanned) == NULL)) {
        b->in_scanned = b->in_len;
        got = read_more(L, b, f, (size_t)want);
        if (got < 0) {
            int e = errno;
            clearerr(f);
            push_failure(L, "read", e);
            return 4;
        }
        at_end = got == 0;
    }
    open_run(L, &r, 5, 6);
    at.text = b->in;
    at.len = b->in_len;
    at.pos = 0;
    at.line = (long)luaL_checkinteger(L, 4);
    handed = run_lines(L, b, &r, &at, 0);
    pos = at.pos;
    if (!finish_call(L, b, &r, out)) return 4;
    lua_pushinteger(L, got);
    lua_pushinteger(L, at.line);
    lua_pushinteger(L, r.records);
    if (handed) {
        const char *nl = memchr(b->in + pos, '\n', b->in_len - pos);
        size_t n = (size_t)(nl - (b->in + pos));   /* whole lines only: nl is there */
        lua_pushlstring(L, b->in + pos, n);
        pos += n + 1;
    } else {
        lua_pushnil(L);
        b->in_scanned = b->in_len;   /* what is left holds no line break */
    }
    input_drop(b, pos);
    lua_pushboolean(L, at_end);
    return 6;
}

/***
Puts text before the batch's held input (batch:file_lines reads after it).
@function batch:hold
@tparam string text
*/
static int batch_hold(lua_State *L) {
    batch *b = check_batch(L);
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    if (len == 0) return 0;
    input_reserve(L, b, len);
    memmove(b->in + len, b->in, b->in_len);
    memcpy(b->in, text, len);
    b->in_len += len;
    b->in_scanned = 0;
    return 0;
}

/***
Takes the batch's held input out: the last, unfinished line.
@function batch:take_input
@treturn string
*/
static int batch_take_input(lua_State *L) {
    batch *b = check_batch(L);
    lua_pushlstring(L, b->in ? b->in : "", b->in_len);
    b->in_len = b->in_scanned = 0;
    return 1;
}

/***
Checks the element texts of a JSON array from index i on, as batch:lines
checks lines.
@function batch:texts
@tparam table texts element texts
@tparam table lines the line each element starts on
@tparam integer i first index to do
@tparam table opts as for batch:lines
@tparam table stats as for batch:lines
@tparam[opt] file out a Lua file the report lines are written to, as
  batch:file_lines does
@treturn string the report lines ("" when written to out), or nil, a message,
  "write" and the error number when writing fails
@treturn integer the first index not done (#texts + 1 at the end)
@treturn integer records done here
@treturn boolean true when the element at that index is for the Lua path
*/
static int batch_texts(lua_State *L) {
    batch *b = check_batch(L);
    FILE *out = lua_isnoneornil(L, 7) ? NULL : bhl_file_arg(L, 7);
    int i = (int)luaL_checkinteger(L, 4), n, handed = 0;
    run r;
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    n = (int)bhc_rawlen(L, 2);
    open_run(L, &r, 5, 6);
    for (; i <= n; i++) {
        record rec;
        lua_rawgeti(L, 2, i);
        lua_rawgeti(L, 3, i);
        rec.text = luaL_checklstring(L, -2, &rec.len);
        rec.line = (long)lua_tointeger(L, -1);
        lua_pop(L, 1);   /* the text stays on the stack while it is read */
        if (!check_record(L, b, &r, &rec)) {
            lua_pop(L, 1);
            handed = 1;
            break;
        }
        lua_pop(L, 1);
    }
    if (!finish_call(L, b, &r, out)) return 4;
    lua_pushinteger(L, i);
    lua_pushinteger(L, r.records);
    lua_pushboolean(L, handed);
    return 4;
}

/* Pushes the claim's report as stream:check does (report_mt, finding_mt,
** summary), for the Lua path. */
static void push_x12_report(lua_State *L, batch *b, int opts, const bh_claim *c) {
    static const char *const keys[] = {"today", "by_kind", "ncci", "provider_kind",
                                       "report_mt", "finding_mt"};
    int i, at = lua_gettop(L) + 1;
    luaL_checkstack(L, 8, "x12 report");
    for (i = 0; i < 6; i++) lua_getfield(L, opts, keys[i]);
    bhl_push_x12_check(L, at, c, b->report);
    lua_replace(L, at);
    lua_settop(L, at);
}

/***
Reads up to max claims of an 837P stream (core.x12_stream) and checks
each, as batch:lines does; a claim for the Lua path ends the call and
comes back as stream:check's report.
@function batch:x12
@tparam userdata stream
@tparam integer max
@tparam integer done claims of the stream before these (the CSV's position)
@tparam table opts as for batch:lines, and report_mt, finding_mt
@tparam table stats as for batch:lines
@tparam[opt] file out a Lua file the report lines are written to, as
  batch:file_lines does
@treturn string the report lines ("" when written to out), or nil, a message,
  "write" and the error number when writing fails
@treturn integer claims done here
@treturn string "more", "end" or "error" (then see stream:error)
@treturn[opt] table the report of the claim for the Lua path, the claim
  after those done here
@treturn[opt] table that claim's table, when opts.rule_findings is given:
  the Lua rules' findings are still to be added to its report
*/
static int batch_x12(lua_State *L) {
    batch *b = check_batch(L);
    FILE *out = lua_isnoneornil(L, 7) ? NULL : bhl_file_arg(L, 7);
    lua_Integer max = luaL_checkinteger(L, 3), before = luaL_checkinteger(L, 4), done = 0;
    const bh_claim *c;
    int rc = 1, handed = 0;
    run r;
    open_run(L, &r, 5, 6);
    while (done < max && (rc = bhl_x12_stream_next(L, 2, &c)) == 1) {
        record rec;
        rec.text = NULL;
        rec.len = 0;
        rec.line = (long)(before + done + 1);
        bh_report_reset(b->report);
        if (!check_claim(L, b, &r, c, &rec)) {
            handed = lua_gettop(L) + 1;
            push_x12_report(L, b, 5, c);
            if (r.rule_findings) bhl_push_claim(L, c);
            break;
        }
        done++;
    }
    if (!finish_call(L, b, &r, out)) return 4;
    lua_pushinteger(L, done);
    lua_pushstring(L, rc == 1 ? "more" : rc == 0 ? "end" : "error");
    if (!handed) return 3;
    lua_pushvalue(L, handed);
    if (!r.rule_findings) return 4;
    lua_pushvalue(L, handed + 1);
    return 5;
}

static const luaL_Reg batch_methods[] = {
    {"lines", batch_lines},
    {"file_lines", batch_file_lines},
    {"hold", batch_hold},
    {"take_input", batch_take_input},
    {"texts", batch_texts},
    {"x12", batch_x12},
    {NULL, NULL}
};

/***
A batch for the check command's records (batch:lines, batch:texts).
@function check_batch
@treturn userdata
*/
static int l_check_batch(lua_State *L) {
    batch *b = lua_newuserdata(L, sizeof *b);
    memset(b, 0, sizeof *b);
    bhl_set_class(L, CHECK_BATCH_MT, batch_gc, NULL, batch_methods);
    b->claim = bh_claim_new();
    b->report = bh_report_new();
    b->extra = malloc(BH_MAX_LINES * sizeof *b->extra);
    if (b->claim == NULL || b->report == NULL || b->extra == NULL)
        return luaL_error(L, "bhclaim: out of memory");
    return 1;
}

/***
The claim.duplicate finding of line i, first seen on line first_line of
the claim labelled first_label (for bhclaim.batch's tracker: the batch
path writes the same).
@function duplicate_finding
@tparam string first_label
@tparam integer first_line
@tparam integer i
@treturn table {rule, severity, path, message, hint, source}
*/
static int l_duplicate_finding(lua_State *L) {
    const char *label = luaL_checkstring(L, 1);
    int first_line = (int)luaL_checkinteger(L, 2), i = (int)luaL_checkinteger(L, 3);
    lua_createtable(L, 0, 6);
    push_duplicate(L, label, first_line, i);
    lua_setfield(L, -3, "path");
    lua_setfield(L, -2, "message");
    lua_pushstring(L, "claim.duplicate");
    lua_setfield(L, -2, "rule");
    lua_pushstring(L, "error");
    lua_setfield(L, -2, "severity");
    lua_pushstring(L, HINT_DUPLICATE);
    lua_setfield(L, -2, "hint");
    lua_pushstring(L, SRC_DUPLICATE);
    lua_setfield(L, -2, "source");
    return 1;
}

/***
The line number of byte offset `upto` of an open file (1 at offset 0): the
line breaks before it are counted in C, for a --jobs child that starts in
the middle of its input. Leaves the file at `upto` (or at its end).
@function file_line_at
@tparam file fh
@tparam integer upto
@treturn integer the line number, or nil and a message when reading fails
*/
static int l_file_line_at(lua_State *L) {
    FILE *f = bhl_file_arg(L, 1);
    lua_Integer upto = luaL_checkinteger(L, 2), line = 1, pos = 0;
    char block[65536];
    luaL_argcheck(L, upto >= 0, 2, "a byte offset");
    if (fseek(f, 0, SEEK_SET) != 0) {
        lua_pushnil(L);
        lua_pushstring(L, strerror(errno));
        return 2;
    }
    while (pos < upto) {
        size_t want = upto - pos < (lua_Integer)sizeof block ? (size_t)(upto - pos)
                                                            : sizeof block;
        size_t got = fread(block, 1, want, f);
        const char *p = block, *end = block + got;
        if (got == 0) {
            if (!ferror(f)) break;
            lua_pushnil(L);
            lua_pushstring(L, strerror(errno));
            return 2;
        }
        while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            line++;
            p++;
        }
        pos += (lua_Integer)got;
    }
    lua_pushinteger(L, line);
    return 1;
}

void bhl_open_check_batch(lua_State *L) {
    lua_pushcfunction(L, l_file_line_at);
    lua_setfield(L, -2, "file_line_at");
    lua_pushcfunction(L, l_check_batch);
    lua_setfield(L, -2, "check_batch");
    lua_pushcfunction(L, l_duplicate_finding);
    lua_setfield(L, -2, "duplicate_finding");
}
