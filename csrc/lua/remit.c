/*
** remit.c: the binding of the answer readers: core.remit_read (835) and
** core.ack_read (999, TA1, 277CA). Each turns the core's structs into plain
** tables with the field names of the readers' contract: absent values are
** nil, never ""; lists are always tables (empty when nothing was sent).
** Beyond the contract, so that no element is dropped:
**  - 835: implementation (ST03), version_id (REF*F2), currency (CUR02);
**    payment.payer_dfi_qualifier/_id, payer_account_qualifier,
**    originator_id/_supplement, payee_dfi_qualifier/_id,
**    payee_account_qualifier (BPR06-15); payees (every N1*PE loop, payee is
**    payees[1]) and claim.payee_index; party.remittance_delivery (RDM);
**    claim.patient_status, condition_response (CLP10, CLP14); person
**    entity_type and prefix (NM102, NM106); line.description (SVC01-7) and
**    line.extra_elements ({position, value} past SVC07, as one sample
**    sends); TS3/TS2/MIA/MOA elements by their names (bh_ans_*_fields).
**  - 999: accepted for the group (AK901 A or E); context lists (CTX).
**  - 277CA: bht (BHT01-06); levels (each HL 20/21/19 with entity, trace,
**    status, references, amounts, quantities, dates, lines); each claim
**    also carries its level's fields; status entries carry code_list,
**    action (STC03) and segment (which STC of the level they came from).
**  - Dates of ISA09 and TA102 are kept as sent (YYMMDD, no century).
** SPDX-License-Identifier: MIT
*/
#include <string.h>
#include "bhclaim.h"
#include "areas.h"


#define READER_MT "bhclaim.AnswerReader"

/* The reader lives in a userdata so that a Lua error (out of memory while
** building tables) cannot leak it: __gc frees it. */
typedef struct reader_ud {
    bh_remit_reader *remit;
    bh_ack_reader *ack;
} reader_ud;

static int reader_gc(lua_State *L) {
    reader_ud *u = (reader_ud *)luaL_checkudata(L, 1, READER_MT);
    bh_remit_reader_free(u->remit);
    bh_ack_reader_free(u->ack);
    u->remit = NULL;
    u->ack = NULL;
    return 0;
}

static reader_ud *new_reader_ud(lua_State *L) {
    reader_ud *u = (reader_ud *)lua_newuserdata(L, sizeof *u);
    u->remit = NULL;
    u->ack = NULL;
    bhl_set_class(L, READER_MT, reader_gc, NULL, NULL);
    return u;
}

/* {--- small builders: each sets a field of the table on top --- */

static void set_str(lua_State *L, const char *key, const char *value) {
    if (value == NULL) return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

/* Appends the value on top to the list at index idx (absolute). */
static void append(lua_State *L, int idx) {
    lua_rawseti(L, idx, (int)bhc_rawlen(L, idx) + 1);
}

static void push_pairs(lua_State *L, const bh_ans_pair *items, size_t n, const char *second) {
    size_t i;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 2);
        set_str(L, "qualifier", items[i].qualifier);
        set_str(L, second, items[i].value);
        lua_rawseti(L, -2, (int)i + 1);
    }
}

static void set_pairs(lua_State *L, const char *key, const bh_ans_pair *items, size_t n,
                      const char *second) {
    push_pairs(L, items, n, second);
    lua_setfield(L, -2, key);
}

static void push_strings(lua_State *L, const char *const *items, int n) {
    int i, k = 0;
    lua_createtable(L, n, 0);
    for (i = 0; i < n; i++) {
        if (items[i] == NULL) continue;
        lua_pushstring(L, items[i]);
        lua_rawseti(L, -2, ++k);
    }
}

static void set_strings(lua_State *L, const char *key, const char *const *items, int n) {
    push_strings(L, items, n);
    lua_setfield(L, -2, key);
}

static void set_address(lua_State *L, const bh_ans_address *a) {
    if (a->line1 == NULL && a->city == NULL) return;
    lua_createtable(L, 0, 7);
    set_str(L, "line1", a->line1);
    set_str(L, "line2", a->line2);
    set_str(L, "city", a->city);
    set_str(L, "state", a->state);
    set_str(L, "zip", a->zip);
    set_str(L, "country", a->country);
    set_str(L, "country_subdivision", a->country_subdivision);
    lua_setfield(L, -2, "address");
}

static void set_contacts(lua_State *L, const bh_ans_contact *items, size_t n) {
    size_t i;
    int k;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, items[i].n_numbers, 2);
        set_str(L, "function_code", items[i].function_code);
        set_str(L, "name", items[i].name);
        for (k = 0; k < items[i].n_numbers; k++) {
            lua_createtable(L, 0, 2);
            set_str(L, "qualifier", items[i].numbers[k].qualifier);
            set_str(L, "value", items[i].numbers[k].value);
            lua_rawseti(L, -2, k + 1);
        }
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "contacts");
}

static void set_person(lua_State *L, const char *key, const bh_ans_person *p) {
    if (p->entity == NULL) return;
    lua_createtable(L, 0, 9);
    set_str(L, "entity", p->entity);
    set_str(L, "entity_type", p->entity_type);
    set_str(L, "last", p->last);
    set_str(L, "first", p->first);
    set_str(L, "middle", p->middle);
    set_str(L, "prefix", p->prefix);
    set_str(L, "suffix", p->suffix);
    set_str(L, "id_qualifier", p->id_qualifier);
    set_str(L, "id", p->id);
    lua_setfield(L, -2, key);
}

/* An organisation named in NM1 (crossover carrier, priority payer). */
static void set_org(lua_State *L, const char *key, const bh_ans_person *p) {
    if (p->entity == NULL) return;
    lua_createtable(L, 0, 5);
    set_str(L, "entity", p->entity);
    set_str(L, "entity_type", p->entity_type);
    set_str(L, "name", p->last);
    set_str(L, "id_qualifier", p->id_qualifier);
    set_str(L, "id", p->id);
    lua_setfield(L, -2, key);
}

static void set_interchange(lua_State *L, const bh_ans_interchange *x) {
    if (!x->has) return;
    lua_createtable(L, 0, 10);
    set_str(L, "sender_qualifier", x->sender_qualifier);
    set_str(L, "sender_id", x->sender_id);
    set_str(L, "receiver_qualifier", x->receiver_qualifier);
    set_str(L, "receiver_id", x->receiver_id);
    set_str(L, "date", x->date);
    set_str(L, "time", x->time);
    set_str(L, "version", x->version);
    set_str(L, "control_number", x->control_number);
    set_str(L, "ack_requested", x->ack_requested);
    set_str(L, "usage", x->usage);
    lua_setfield(L, -2, "interchange");
}

static void set_group(lua_State *L, const bh_ans_group *g) {
    if (!g->has) return;
    lua_createtable(L, 0, 7);
    set_str(L, "functional_id", g->functional_id);
    set_str(L, "sender", g->sender);
    set_str(L, "receiver", g->receiver);
    set_str(L, "date", g->date);
    set_str(L, "time", g->time);
    set_str(L, "control_number", g->control_number);
    set_str(L, "version", g->version);
    lua_setfield(L, -2, "group");
}

/* A positional segment by its descriptor: named fields, remarks gathered. */
static void set_fields(lua_State *L, const char *key, const bh_ans_fields *f,
                       const bh_ans_field_desc *desc) {
    int n_remarks = 0;
    lua_createtable(L, 0, 8);
    lua_newtable(L);
    for (; desc->position; desc++) {
        const char *v = f->v[desc->position];
        if (v == NULL) continue;
        if (desc->kind == BH_ANS_REMARK) {
            lua_pushstring(L, v);
            lua_rawseti(L, -2, ++n_remarks);
        } else {
            lua_pushstring(L, v);
            lua_setfield(L, -3, desc->name);
        }
    }
    lua_setfield(L, -2, "remarks");
    lua_setfield(L, -2, key);
}

/* {====================================================================
** 835
** ===================================================================== */

static void set_adjustments(lua_State *L, const bh_rm_adjustment *a, size_t n) {
    size_t i;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 4);
        set_str(L, "group", a[i].group);
        set_str(L, "reason", a[i].reason);
        set_str(L, "amount", a[i].amount);
        set_str(L, "quantity", a[i].quantity);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "adjustments");
}

static void set_party(lua_State *L, const bh_rm_party *p) {
    set_str(L, "entity", p->entity);
    set_str(L, "name", p->name);
    set_str(L, "id_qualifier", p->id_qualifier);
    set_str(L, "id", p->id);
    set_address(L, &p->address);
    set_pairs(L, "references", p->references.items, p->references.n, "value");
    set_contacts(L, p->contacts.items, p->contacts.n);
    if (p->delivery_method != NULL) {
        lua_createtable(L, 0, 3);
        set_str(L, "method", p->delivery_method);
        set_str(L, "name", p->delivery_name);
        set_str(L, "number", p->delivery_number);
        lua_setfield(L, -2, "remittance_delivery");
    }
}

static void push_line(lua_State *L, const bh_rm_line *l) {
    lua_createtable(L, 0, 20);
    set_str(L, "code_qualifier", l->code_qualifier);
    set_str(L, "code", l->code);
    set_strings(L, "modifiers", l->modifiers, 4);
    set_str(L, "description", l->description);
    set_str(L, "charge", l->charge);
    set_str(L, "paid", l->paid);
    set_str(L, "revenue_code", l->revenue_code);
    set_str(L, "units", l->units);
    if (l->has_original) {
        lua_createtable(L, 0, 5);
        set_str(L, "code_qualifier", l->original_qualifier);
        set_str(L, "code", l->original_code);
        set_strings(L, "modifiers", l->original_modifiers, 4);
        set_str(L, "description", l->original_description);
        set_str(L, "units", l->original_units);
        lua_setfield(L, -2, "original");
    }
    set_str(L, "date", l->date);
    lua_createtable(L, 0, 2);
    set_str(L, "from", l->date_from);
    set_str(L, "to", l->date_to);
    lua_setfield(L, -2, "dates");
    set_adjustments(L, l->adjustments.items, l->adjustments.n);
    set_str(L, "control_number", l->control_number);
    set_pairs(L, "references", l->references.items, l->references.n, "value");
    set_pairs(L, "amounts", l->amounts.items, l->amounts.n, "amount");
    set_pairs(L, "quantities", l->quantities.items, l->quantities.n, "quantity");
    set_pairs(L, "remarks", l->remarks.items, l->remarks.n, "code");
    if (l->extra_elements.n) {
        size_t i;
        lua_createtable(L, (int)l->extra_elements.n, 0);
        for (i = 0; i < l->extra_elements.n; i++) {
            lua_createtable(L, 0, 2);
            set_str(L, "position", l->extra_elements.items[i].qualifier);
            set_str(L, "value", l->extra_elements.items[i].value);
            lua_rawseti(L, -2, (int)i + 1);
        }
        lua_setfield(L, -2, "extra_elements");
    }
}

static void push_claim(lua_State *L, const bh_rm_claim *c) {
    size_t i;
    lua_createtable(L, 0, 40);
    set_str(L, "header_number", c->header_number);
    lua_pushinteger(L, (lua_Integer)c->payee_index + 1);
    lua_setfield(L, -2, "payee_index");
    set_str(L, "claim_id", c->claim_id);
    set_str(L, "status", c->status);
    set_str(L, "charge", c->charge);
    set_str(L, "paid", c->paid);
    set_str(L, "patient_responsibility", c->patient_responsibility);
    set_str(L, "filing_indicator", c->filing_indicator);
    set_str(L, "payer_claim_number", c->payer_claim_number);
    set_str(L, "facility_type", c->facility_type);
    set_str(L, "frequency", c->frequency);
    set_str(L, "patient_status", c->patient_status);
    set_str(L, "drg", c->drg);
    set_str(L, "drg_weight", c->drg_weight);
    set_str(L, "discharge_fraction", c->discharge_fraction);
    set_str(L, "condition_response", c->condition_response);
    set_adjustments(L, c->adjustments.items, c->adjustments.n);
    set_person(L, "patient", &c->patient);
    set_person(L, "insured", &c->insured);
    set_person(L, "corrected", &c->corrected);
    set_person(L, "service_provider", &c->service_provider);
    set_org(L, "crossover_carrier", &c->crossover_carrier);
    set_org(L, "corrected_priority_payer", &c->corrected_priority_payer);
    set_person(L, "other_subscriber", &c->other_subscriber);
    if (c->has_inpatient) set_fields(L, "inpatient", &c->inpatient, bh_ans_mia_fields);
    if (c->has_outpatient) set_fields(L, "outpatient", &c->outpatient, bh_ans_moa_fields);
    set_pairs(L, "references", c->references.items, c->references.n, "value");
    lua_createtable(L, 0, 4);
    set_str(L, "statement_from", c->statement_from);
    set_str(L, "statement_to", c->statement_to);
    set_str(L, "coverage_expiration", c->coverage_expiration);
    set_str(L, "received", c->received);
    lua_setfield(L, -2, "dates");
    set_pairs(L, "amounts", c->amounts.items, c->amounts.n, "amount");
    set_pairs(L, "quantities", c->quantities.items, c->quantities.n, "quantity");
    set_contacts(L, c->contacts.items, c->contacts.n);
    lua_createtable(L, (int)c->lines.n, 0);
    for (i = 0; i < c->lines.n; i++) {
        push_line(L, &c->lines.items[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "lines");
}

static void set_payment(lua_State *L, const bh_rm_set *t) {
    lua_createtable(L, 0, 16);
    set_str(L, "handling", t->handling);
    set_str(L, "amount", t->amount);
    set_str(L, "credit_debit", t->credit_debit);
    set_str(L, "method", t->method);
    set_str(L, "format", t->format);
    set_str(L, "payer_dfi_qualifier", t->payer_dfi_qualifier);
    set_str(L, "payer_dfi_id", t->payer_dfi_id);
    set_str(L, "payer_account_qualifier", t->payer_account_qualifier);
    set_str(L, "payer_account", t->payer_account);
    set_str(L, "originator_id", t->originator_id);
    set_str(L, "originator_supplement", t->originator_supplement);
    set_str(L, "payee_dfi_qualifier", t->payee_dfi_qualifier);
    set_str(L, "payee_dfi_id", t->payee_dfi_id);
    set_str(L, "payee_account_qualifier", t->payee_account_qualifier);
    set_str(L, "payee_account", t->payee_account);
    set_str(L, "date", t->payment_date);
    lua_setfield(L, -2, "payment");
    lua_createtable(L, 0, 4);
    set_str(L, "type", t->trace_type);
    set_str(L, "number", t->trace_number);
    set_str(L, "originator_id", t->trace_originator_id);
    set_str(L, "originator_supplement", t->trace_originator_supplement);
    lua_setfield(L, -2, "trace");
}

static void set_headers(lua_State *L, const bh_rm_set *t) {
    size_t i;
    lua_createtable(L, (int)t->headers.n, 0);
    for (i = 0; i < t->headers.n; i++) {
        const bh_rm_header *h = &t->headers.items[i];
        lua_createtable(L, 0, 3);
        set_str(L, "number", h->number);
        if (h->has_summary) set_fields(L, "provider_summary", &h->summary, bh_ans_ts3_fields);
        if (h->has_supplemental)
            set_fields(L, "supplemental", &h->supplemental, bh_ans_ts2_fields);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "headers");
}

static void set_plb(lua_State *L, const bh_rm_set *t) {
    size_t i, k;
    lua_createtable(L, (int)t->provider_adjustments.n, 0);
    for (i = 0; i < t->provider_adjustments.n; i++) {
        const bh_rm_plb *p = &t->provider_adjustments.items[i];
        lua_createtable(L, 0, 3);
        set_str(L, "provider_id", p->provider_id);
        set_str(L, "fiscal_period_date", p->fiscal_period_date);
        lua_createtable(L, (int)p->adjustments.n, 0);
        for (k = 0; k < p->adjustments.n; k++) {
            lua_createtable(L, 0, 3);
            set_str(L, "reason", p->adjustments.items[k].reason);
            set_str(L, "reference", p->adjustments.items[k].reference);
            set_str(L, "amount", p->adjustments.items[k].amount);
            lua_rawseti(L, -2, (int)k + 1);
        }
        lua_setfield(L, -2, "adjustments");
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "provider_adjustments");
}

/* The remittance table of a finished set; the claims list is on top of the
** stack and becomes its `claims`. Leaves the remittance on top. */
static void push_remittance(lua_State *L, const bh_rm_set *t) {
    size_t i;
    lua_createtable(L, 0, 20);
    lua_insert(L, -2);
    lua_setfield(L, -2, "claims");
    set_str(L, "kind", "835");
    set_interchange(L, &t->interchange);
    set_group(L, &t->group);
    set_str(L, "set_control_number", t->set_control_number);
    set_str(L, "implementation", t->implementation);
    set_payment(L, t);
    set_str(L, "currency", t->currency);
    set_str(L, "production_date", t->production_date);
    set_str(L, "receiver_id", t->receiver_id);
    set_str(L, "version_id", t->version_id);
    lua_createtable(L, 0, 8);
    set_party(L, &t->payer);
    lua_setfield(L, -2, "payer");
    lua_createtable(L, (int)t->payees.n, 0);
    for (i = 0; i < t->payees.n; i++) {
        lua_createtable(L, 0, 8);
        set_party(L, &t->payees.items[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_rawgeti(L, -1, 1);
    lua_setfield(L, -3, "payee");
    lua_setfield(L, -2, "payees");
    set_headers(L, t);
    set_plb(L, t);
}

/* Returns nil, message, id from a reader error. */
static int push_failure(lua_State *L, const bh_error *err) {
    lua_pushnil(L);
    lua_pushstring(L, err->message);
    lua_pushstring(L, err->id[0] ? err->id : "x12.syntax");
    return 3;
}

/***
Reads every 835 set in an X12 text.
@function remit_read
@string text the 835 file's content
@treturn table list of remittance tables (one per ST..SE)
@return[2] nil, message naming the segment, id ("x12.syntax", "x12.value")
*/
static int l_remit_read(lua_State *L) {
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    reader_ud *u = new_reader_ud(L);
    bh_error err;
    int list, rc;
    const bh_rm_claim *claim;
    const bh_rm_set *set;
    u->remit = bh_remit_reader_new(text, len, &err);
    if (u->remit == NULL) return push_failure(L, &err);
    lua_newtable(L);
    list = lua_gettop(L);
    lua_newtable(L);    /* claims of the set being read */
    while ((rc = bh_remit_reader_next(u->remit, &claim, &set, &err)) > 0) {
        if (rc == BH_RM_CLAIM) {
            push_claim(L, claim);
            append(L, list + 1);
        } else {
            push_remittance(L, set);
            append(L, list);
            lua_newtable(L);
        }
    }
    if (rc < 0) return push_failure(L, &err);
    lua_pop(L, 1);
    return 1;
}

/* {====================================================================
** 999, TA1, 277CA
** ===================================================================== */

static void set_context(lua_State *L, const bh_ack_context *c, size_t n) {
    size_t i;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 9);
        set_str(L, "name", c[i].name);
        set_str(L, "reference", c[i].reference);
        set_str(L, "segment_id", c[i].segment_id);
        set_str(L, "position", c[i].position);
        set_str(L, "loop", c[i].loop);
        set_str(L, "element_position", c[i].element_position);
        set_str(L, "component", c[i].component);
        set_str(L, "repeat_index", c[i].repeat_index);
        set_str(L, "element_reference", c[i].element_reference);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "context");
}

static void set_error_segments(lua_State *L, const bh_ack_segment *e, size_t n) {
    size_t i, k;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 6);
        set_str(L, "segment_id", e[i].segment_id);
        set_str(L, "position", e[i].position);
        set_str(L, "loop", e[i].loop);
        set_str(L, "code", e[i].code);
        set_context(L, e[i].context.items, e[i].context.n);
        lua_createtable(L, (int)e[i].elements.n, 0);
        for (k = 0; k < e[i].elements.n; k++) {
            const bh_ack_element *el = &e[i].elements.items[k];
            lua_createtable(L, 0, 7);
            set_str(L, "position", el->position);
            set_str(L, "component", el->component);
            set_str(L, "repeat_index", el->repeat_index);
            set_str(L, "reference", el->reference);
            set_str(L, "code", el->code);
            set_str(L, "value", el->value);
            set_context(L, el->context.items, el->context.n);
            lua_rawseti(L, -2, (int)k + 1);
        }
        lua_setfield(L, -2, "elements");
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "errors");
}

/* 999 status A (accepted) and E (accepted with errors) accept; the rest
** (R, M, W, X, P for AK9) reject. */
static void set_accepted(lua_State *L, const char *status) {
    if (status == NULL) return;
    lua_pushboolean(L, strcmp(status, "A") == 0 || strcmp(status, "E") == 0);
    lua_setfield(L, -2, "accepted");
}

static void push_999(lua_State *L, const bh_ack *a) {
    size_t i;
    lua_createtable(L, (int)a->sets.n, 0);
    for (i = 0; i < a->sets.n; i++) {
        const bh_ack_set *t = &a->sets.items[i];
        lua_createtable(L, 0, 8);
        set_str(L, "set_id", t->set_id);
        set_str(L, "control_number", t->control_number);
        set_str(L, "version", t->version);
        set_str(L, "status", t->status);
        set_accepted(L, t->status);
        set_strings(L, "codes", t->codes, 5);
        set_error_segments(L, t->errors.items, t->errors.n);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "sets");
    lua_createtable(L, 0, 3);
    set_str(L, "functional_id", a->functional_id);
    set_str(L, "control_number", a->group_control_number);
    set_str(L, "version", a->version);
    lua_setfield(L, -2, "acknowledged_group");
    set_str(L, "group_status", a->group_status);
    set_accepted(L, a->group_status);
    set_strings(L, "group_codes", a->group_codes, 5);
    set_str(L, "sets_included", a->sets_included);
    set_str(L, "sets_received", a->sets_received);
    set_str(L, "sets_accepted", a->sets_accepted);
}

/* Claim acknowledgement categories (X214): A1, A2 and A5 acknowledge
** receipt/acceptance; A3, A4, A6, A7 and A8 reject or return the claim. */
static int category_verdict(const char *c) {
    if (c == NULL) return -1;
    if (!strcmp(c, "A1") || !strcmp(c, "A2") || !strcmp(c, "A5")) return 1;
    if (!strcmp(c, "A3") || !strcmp(c, "A4") || !strcmp(c, "A6") || !strcmp(c, "A7") ||
        !strcmp(c, "A8"))
        return 0;
    return -1;
}

/* Pushes the STC list; sets `accepted` on the table below it when any
** category decides: false if any rejects, else true if any accepts. */
static void set_status(lua_State *L, const bh_ack_status *st, size_t n) {
    size_t i;
    int k, n_out = 0, accept = 0, reject = 0;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        for (k = 0; k < 3; k++) {
            int v;
            if (st[i].category[k] == NULL) continue;
            v = category_verdict(st[i].category[k]);
            accept |= v == 1;
            reject |= v == 0;
            lua_createtable(L, 0, 9);
            set_str(L, "category", st[i].category[k]);
            set_str(L, "code", st[i].code[k]);
            set_str(L, "entity", st[i].entity[k]);
            set_str(L, "code_list", st[i].code_list[k]);
            set_str(L, "date", st[i].date);
            set_str(L, "action", st[i].action);
            set_str(L, "amount", st[i].amount);
            set_str(L, "free_text", st[i].free_text);
            lua_pushinteger(L, (lua_Integer)i + 1);
            lua_setfield(L, -2, "segment");
            lua_rawseti(L, -2, ++n_out);
        }
    }
    lua_setfield(L, -2, "status");
    if (accept || reject) {
        lua_pushboolean(L, !reject);
        lua_setfield(L, -2, "accepted");
    }
}

static void set_ack_lines(lua_State *L, const bh_ack_line *l, size_t n) {
    size_t i;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 12);
        set_str(L, "code_qualifier", l[i].code_qualifier);
        set_str(L, "code", l[i].code);
        set_strings(L, "modifiers", l[i].modifiers, 4);
        set_str(L, "charge", l[i].charge);
        set_str(L, "paid", l[i].paid);
        set_str(L, "revenue_code", l[i].revenue_code);
        set_str(L, "units", l[i].units);
        set_str(L, "control_number", l[i].control_number);
        set_str(L, "date_from", l[i].date_from);
        set_str(L, "date_to", l[i].date_to);
        set_status(L, l[i].status.items, l[i].status.n);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "lines");
}

static const char *pair_value(const bh_ans_pair *p, size_t n, const char *qualifier) {
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i].qualifier != NULL && strcmp(p[i].qualifier, qualifier) == 0) return p[i].value;
    return NULL;
}

static void push_level(lua_State *L, const bh_ack_level *l) {
    lua_createtable(L, 0, 12);
    set_str(L, "level", l->level);
    set_str(L, "id", l->id);
    set_str(L, "parent", l->parent);
    set_person(L, "entity", &l->entity);
    if (l->trace_number != NULL) {
        lua_createtable(L, 0, 2);
        set_str(L, "type", l->trace_type);
        set_str(L, "number", l->trace_number);
        lua_setfield(L, -2, "trace");
    }
    set_status(L, l->status.items, l->status.n);
    set_pairs(L, "references", l->references.items, l->references.n, "value");
    set_pairs(L, "amounts", l->amounts.items, l->amounts.n, "amount");
    set_pairs(L, "quantities", l->quantities.items, l->quantities.n, "quantity");
    set_pairs(L, "dates", l->dates.items, l->dates.n, "date");
    set_ack_lines(L, l->lines.items, l->lines.n);
}

/* A claim of a 277CA: the patient level (PT) seen from the claim's side. */
static void push_277_claim(lua_State *L, const bh_ack_level *l) {
    const char *d = pair_value(l->dates.items, l->dates.n, "472");
    push_level(L, l);
    set_str(L, "claim_id", l->trace_number);
    set_str(L, "payer_claim_number", pair_value(l->references.items, l->references.n, "1K"));
    lua_getfield(L, -1, "entity");
    lua_setfield(L, -2, "patient");
    if (l->status.n) set_str(L, "charge", l->status.items[0].amount);
    if (d != NULL) {
        lua_pushlstring(L, d, 10);
        lua_setfield(L, -2, "date_from");
        lua_pushstring(L, d[10] == '/' ? d + 11 : d);
        lua_setfield(L, -2, "date_to");
    }
}

static void push_277(lua_State *L, const bh_ack *a) {
    size_t i;
    int claims;
    lua_createtable(L, 0, 6);
    set_str(L, "structure", a->structure);
    set_str(L, "purpose", a->purpose);
    set_str(L, "reference", a->reference);
    set_str(L, "date", a->bht_date);
    set_str(L, "time", a->bht_time);
    set_str(L, "type", a->type);
    lua_setfield(L, -2, "bht");
    set_str(L, "date", a->bht_date);
    lua_newtable(L);
    claims = lua_gettop(L);
    lua_createtable(L, (int)a->levels.n, 0);
    for (i = 0; i < a->levels.n; i++) {
        const bh_ack_level *l = &a->levels.items[i];
        if (strcmp(l->level, "PT") == 0) {
            push_277_claim(L, l);
            append(L, claims);
        } else {
            push_level(L, l);
            lua_rawseti(L, -2, (int)bhc_rawlen(L, -2) + 1);
            if (strcmp(l->level, "20") == 0 && l->trace_number != NULL) {
                lua_createtable(L, 0, 2);
                set_str(L, "type", l->trace_type);
                set_str(L, "number", l->trace_number);
                lua_setfield(L, claims - 1, "trace");
            }
        }
    }
    lua_setfield(L, -3, "levels");
    lua_setfield(L, -2, "claims");
}

static void push_ack(lua_State *L, const bh_ack *a) {
    lua_createtable(L, 0, 16);
    set_str(L, "kind", a->kind);
    set_interchange(L, &a->interchange);
    if (strcmp(a->kind, "TA1") == 0) {
        set_str(L, "control_number", a->control_number);
        set_str(L, "date", a->date);
        set_str(L, "time", a->time);
        set_str(L, "status", a->status);
        set_accepted(L, a->status);
        set_str(L, "note_code", a->note_code);
        return;
    }
    set_group(L, &a->group);
    set_str(L, "set_control_number", a->set_control_number);
    set_str(L, "implementation", a->implementation);
    if (strcmp(a->kind, "999") == 0) push_999(L, a);
    else push_277(L, a);
}

/***
Reads every acknowledgement in an X12 text: each TA1, each 999 set, each
277CA set.
@function ack_read
@string text the file's content
@treturn table list of acknowledgement tables
@return[2] nil, message naming the segment, id ("x12.syntax", "x12.value")
*/
static int l_ack_read(lua_State *L) {
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    reader_ud *u = new_reader_ud(L);
    bh_error err;
    const bh_ack *ack;
    int list, rc;
    u->ack = bh_ack_reader_new(text, len, &err);
    if (u->ack == NULL) return push_failure(L, &err);
    lua_newtable(L);
    list = lua_gettop(L);
    while ((rc = bh_ack_reader_next(u->ack, &ack, &err)) > 0) {
        push_ack(L, ack);
        append(L, list);
    }
    if (rc < 0) return push_failure(L, &err);
    return 1;
}

static const luaL_Reg remit_functions[] = {
    {"remit_read", l_remit_read},
    {"ack_read", l_ack_read},
    {NULL, NULL}
};

void bhl_open_remit(lua_State *L) {
    bhc_setfuncs(L, remit_functions, 0);
}
