/*
** areas.h: the binding areas kept in files of their own under csrc/lua/.
** Each adds its functions to the module table on top of the stack when
** luaopen_bhclaim_core runs; lbhclaim.c calls them in the order listed.
** These files may include Lua headers; the core (the C files directly in csrc/) never does.
** SPDX-License-Identifier: MIT
*/
#ifndef BHCLAIM_LUA_AREAS_H
#define BHCLAIM_LUA_AREAS_H

#include <stdio.h>

#include "../lcompat.h"
#include "../bhclaim.h"

/* Each area's registration: adds its functions to the table at the top of
** the stack and leaves the stack as it found it. */
typedef void (*bhl_area_open)(lua_State *L);

/* core.remit_read and core.ack_read (remit.c). */
void bhl_open_remit(lua_State *L);
/* The rules catalogue: rules_catalog, rule_denial, rule_known (rules.c). */
void bhl_open_rules(lua_State *L);

/* Credentials as written: credential, credential_match (credential.c). */
void bhl_open_credential(lua_State *L);

/* Pushes a finding's predicted denial {group, carc, rarc} for its rule and
** path, or nil when the catalogue predicts none (rules.c). */
void bhl_push_denial(lua_State *L, const char *rule, const char *path);

/* Adds what the rules across claims compare to the summary table at the
** top: patient_key, line_keys (one per line, "" for a line without code or
** date), frequency, payer_kind; nothing when the claim has no member id or
** patient name (rules.c). */
void bhl_push_claim_keys(lua_State *L, const bh_claim *claim);

/* core.inquiry_read, core.inquiry_write, core.inquiry_meaning: 270/271
** eligibility and 276/277 claim status (eligibility.c). */
void bhl_open_eligibility(lua_State *L);

/* Gives the userdata at the top of the stack the metatable `name` of its
** class: __gc, __tostring when given, and __index the methods when given
** (object.c). */
void bhl_set_class(lua_State *L, const char *name, lua_CFunction gc, lua_CFunction tostring,
                   const luaL_Reg *methods);

/* core.key_set: keys and claim labels held outside the Lua heap, for the
** rules across claims (key_set.c). */
void bhl_open_key_set(lua_State *L);

typedef struct bhl_key_set bhl_key_set;

/* The key set (core.key_set) at idx; raises when it is not one. */
bhl_key_set *bhl_key_set_check(lua_State *L, int idx);

/* Stores value under key in k and returns 0, or returns 1 with *old the
** value the key already had (kept). Raises on out of memory. */
int bhl_key_set_put(lua_State *L, bhl_key_set *k, const char *key, size_t len,
                    lua_Number value, lua_Number *old);

/* Names claim number n (1 or more) of k: its label, len bytes, is copied.
** Raises on out of memory. */
void bhl_key_set_label(lua_State *L, bhl_key_set *k, lua_Integer n, const char *label,
                       size_t len);

/* The label of claim number n of k, or NULL when it has none; valid until
** k is next changed. */
const char *bhl_key_set_label_of(const bhl_key_set *k, lua_Integer n);

/* Fills *o from the envelope table at idx, as core.x12_write reads it
** (lbhclaim.c); defaults from bh_x12_options_default. */
void read_x12_options(lua_State *L, int idx, bh_x12_options *o);

/* process.c: signals, a private temporary directory, child processes,
** terminals and copying between files for the command line (process_*
** functions). */
void bhl_open_process(lua_State *L);

/* The FILE of the open Lua file at idx (io's handle); raises when idx holds
** no file or a closed one (process.c). */
FILE *bhl_file_arg(lua_State *L, int idx);

/* stream.c: an 837P file read claim by claim from a memory map, and a JSON
** array split element by element as it is read (x12_stream,
** json_array_scanner). */
void bhl_open_stream(lua_State *L);

/* core.profile, core.profile_check (one payer profile schema for both) and
** core.names, the core's name tables as lists {payer_kind, provider_kind,
** patient_location, modality} of input names (profile.c). */
void bhl_open_profile(lua_State *L);

/* From lbhclaim.c, for the areas. */

/* Pushes a claim model as a table of the claim JSON form (as x12_read). */
void bhl_push_claim(lua_State *L, const bh_claim *claim);

/* Reads an envelope table (as x12_write takes it) into *opt; strings point
** into the table, which must outlive their use. */
void bhl_read_x12_options(lua_State *L, int idx, bh_x12_options *opt);

/* The shape the JSON form gives the table at idx, held under member `key`
** (NULL for an array element or a root): '[' with *n elements (keys 1..n;
** an empty table under a key the claim contract makes an array; or a table
** with bhclaim.array_mt, its raw length) or '{' (string-keyed members)
** (json_write.c). */
int bhl_table_shape(lua_State *L, int idx, const char *key, long *n);

/* Reads the claim table at idx into `claim` (claim_table.c), findings into
** `report`, as bh_claim_parse_json reads the table's JSON text. BH_ERR_LIMIT
** when it holds something JSON cannot (a function, NaN, a cycle, nesting
** too deep): claim and report are then as they were, and the caller takes
** the JSON text path, which names the value. */
bh_status bhl_read_claim_table(lua_State *L, int idx, bh_claim *claim, bh_report *report);

/* Checks `claim` into `report` (reset first) and pushes the result as
** x12_check does, with x12_check's options 3..8 (today, profiles by kind,
** ncci, provider_kind, report_mt, finding_mt) at stack indices
** opts..opts+5. Raises on bad options or no memory. */
/* The compiled profile for a payer kind from the table {medicare=,
** medicaid=, commercial=} at idx (other and unknown kinds: commercial), or
** NULL; the NCCI table at idx (raises when it is not one). lbhclaim.c. */
const bh_profile *bhl_profile_for_kind(lua_State *L, int idx, bh_payer_kind kind);
bh_ncci *bhl_check_ncci(lua_State *L, int idx);

/* Reads the next claim of the core.x12_stream at idx: 1 with *claim (valid
** until the next read), 0 at the end, -1 after a structural error (the
** stream's error method tells it). Raises on a closed stream. stream.c. */
int bhl_x12_stream_next(lua_State *L, int idx, const bh_claim **claim);

/* The check command's batch path (check_batch.c). */
void bhl_open_check_batch(lua_State *L);

/* core.report_line: a Lua report entry as a report line, by the core's
** writers (report_line.c). */
void bhl_open_report_line(lua_State *L);

void bhl_push_x12_check(lua_State *L, int opts, const bh_claim *claim, bh_report *report);

#endif
