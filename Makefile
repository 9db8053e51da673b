# bhclaim: build, test, demo, bench. `make help` lists the targets.
# Every path and tool is a variable; override on the command line.
# SPDX-License-Identifier: MIT

CC       ?= cc
AR       ?= ar
PKG_CONFIG ?= pkg-config
LIBFLAG  ?= -shared
BUILD    ?= build
ASAN_BUILD ?= build-asan
LUA_GEN  ?= $(firstword $(shell command -v lua5.4 lua5.3 lua5.1 luajit lua 2>/dev/null))

CJSON_INCDIR ?= $(shell $(PKG_CONFIG) --variable=includedir libcjson 2>/dev/null || echo /usr/include)
CJSON_LIBDIR ?= $(shell $(PKG_CONFIG) --variable=libdir libcjson 2>/dev/null || echo /usr/lib)
LUA51_INCDIR ?= /usr/include/lua5.1
LUA52_INCDIR ?= /usr/include/lua5.2
LUA53_INCDIR ?= /usr/include/lua5.3
LUA54_INCDIR ?= /usr/include/lua5.4

# Lua versions whose headers are installed get a module each; 5.1's also
# serves LuaJIT (same ABI).
LUA_VERSIONS ?= $(foreach v,5.1 5.2 5.3 5.4,$(if $(wildcard /usr/include/lua$(v)/lua.h),$(v)))

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wundef -Wwrite-strings -Wdeclaration-after-statement \
       -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
# format-truncation is off because every snprintf into a fixed buffer here
# is meant to cut: paths and messages are bounded, a cut only shortens text.
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
ALL_CFLAGS = -std=c99 -fPIC $(WARN) $(CFLAGS) -I$(CJSON_INCDIR)
ifeq ($(CI),true)
ALL_CFLAGS += -Werror
endif
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CJSON_LIBS = -L$(CJSON_LIBDIR) -lcjson

CORE_SRC = $(filter-out csrc/lbhclaim.c,$(wildcard csrc/*.c))
# The binding: lbhclaim.c plus one file per area in csrc/lua/ (Lua headers
# allowed there and only there).
BIND_SRC = csrc/lbhclaim.c $(wildcard csrc/lua/*.c)
BIND_HDR = csrc/lcompat.h csrc/bhclaim.h csrc/core.h $(wildcard csrc/lua/*.h)
DATA_SRC = csrc/data/icd10_tables.c csrc/data/procedure_tables.c csrc/data/pos_tables.c
DATA_IN  = $(wildcard data/*.csv data/*.json data/*.txt data/icd10cm_fy2027_changes/*.csv)
HEADERS  = $(wildcard csrc/*.h)

core_objs = $(patsubst csrc/%.c,$(1)/obj/%.o,$(CORE_SRC) $(DATA_SRC))

.PHONY: print-c-tests print-fuzz-budget all deps lib modules test test-lua test-c test-asan lint check-rockspec \
        check-tables demo repl bench doc install clean help asan tables \
        fuzz fuzz-build fuzz-merge fuzz-test

all: lib modules

help:
	@echo "make demo    install what is missing, build, run the example workflow"
	@echo "make test    install what is missing, build, run every test (sanitizers too)"
	@echo "make repl    a Lua prompt with bhclaim loaded"
	@echo "make bench   benchmarks (figures printed; BENCH_QUICK=1: small sizes, bench/run.sh)"
	@echo "make fuzz    libFuzzer harnesses, FUZZ_SECONDS (default 180) each"
	@echo "make doc     the API reference in doc/ (LDoc)"
	@echo "make install install with luarocks (rockspec/bhclaim-scm-1.rockspec)"

deps:
	@sh scripts/install-deps.sh

# {=== generated code tables ===
tables: $(DATA_SRC)
$(DATA_SRC) &: scripts/gen_tables.lua $(DATA_IN)
	$(LUA_GEN) scripts/gen_tables.lua data csrc/data

# Regenerates the tables into a scratch folder and compares them with the
# committed ones, so data/ and csrc/data/ cannot drift apart.
check-tables:
	@rm -rf $(BUILD)/tables-check && mkdir -p $(BUILD)/tables-check
	@$(LUA_GEN) scripts/gen_tables.lua data $(BUILD)/tables-check
	@for f in $(notdir $(DATA_SRC)); do \
	    cmp -s $(BUILD)/tables-check/$$f csrc/data/$$f || \
	    { echo "csrc/data/$$f is stale: run make tables"; exit 1; }; done
	@echo "code tables match data/"

# {=== the core library (no Lua headers on its include path) ===
lib: $(BUILD)/libbhclaim.a

$(BUILD)/obj/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# Built afresh: `ar r` into an old archive would keep the objects of source
# files since removed or renamed, and the linker could take their symbols.
$(BUILD)/libbhclaim.a: $(call core_objs,$(BUILD))
	rm -f $@
	$(AR) rcs $@ $^

# {=== one Lua module per ABI: build/<ver>/bhclaim/core.so ===
modules: $(foreach v,$(LUA_VERSIONS),$(BUILD)/$(v)/bhclaim/core.so)

bind_objs = $(patsubst csrc/%.c,$(BUILD)/$(1)/bind/%.o,$(BIND_SRC))

# One rule per Lua version, so each object knows its Lua include path.
define bind_rules
$(BUILD)/$(1)/bind/%.o: csrc/%.c $(BIND_HDR)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) -Icsrc -I$$(LUA$(subst .,,$(1))_INCDIR) -c $$< -o $$@

$(BUILD)/$(1)/bhclaim/core.so: $(call bind_objs,$(1)) $(BUILD)/libbhclaim.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LIBFLAG) -o $$@ $(call bind_objs,$(1)) $(BUILD)/libbhclaim.a $$(CJSON_LIBS) -lm
endef
$(foreach v,$(LUA_VERSIONS),$(eval $(call bind_rules,$(v))))

# {=== sanitizer build: same sources, separate tree ===
asan:
	$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) OPT=-O1 \
	    CFLAGS="-O1 -g $(SAN_FLAGS)" LIBFLAG="$(LIBFLAG) $(SAN_FLAGS)" all \
	    $(addprefix $(ASAN_BUILD)/,$(C_TESTS))

# {=== tests ===
$(BUILD)/test_%: tests/test_%.c tests/tap.c tests/tap.h $(BUILD)/libbhclaim.a
	$(CC) $(ALL_CFLAGS) -Icsrc -Itests -o $@ $< tests/tap.c $(BUILD)/libbhclaim.a $(CJSON_LIBS) -lm

# Every tests/test_*.c is a C test program: the files are the list.
C_TESTS = $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

print-c-tests:
	@echo $(C_TESTS)

print-fuzz-budget:
	@echo $(FUZZ_BUDGET)

test: deps
	@sh scripts/run-tests.sh

test-c: $(addprefix $(BUILD)/,$(C_TESTS))
	@for t in $(C_TESTS); do $(BUILD)/$$t || exit 1; done

lint:
	luacheck -q lua spec scripts/bhclaim $(wildcard scripts/*.lua) $(wildcard bench/*.lua) examples/*.lua rockspec/*.rockspec

check-rockspec:
	@sh scripts/check-rockspec.sh

# {=== coverage-guided fuzzing (fuzz/README.md) ===
# One libFuzzer harness per fuzz/fuzz_<name>.c, linked against the core
# built with clang under ASan + UBSan in its own tree.
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 180
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_NAMES    = $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	    CFLAGS="-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Wno-unknown-warning-option" \
	    $(FUZZ_BUILD)/libbhclaim.a $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_NAMES))

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(FUZZ_BUILD)/libbhclaim.a
	$(FUZZ_CC) -std=c99 -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer -I$(CJSON_INCDIR) -Icsrc \
	    -o $@ $< $(FUZZ_BUILD)/libbhclaim.a $(CJSON_LIBS) -lm

# The batch harness drives the binding: its objects built for Lua 5.4 in
# this tree (fuzz-build's make has BUILD=$(FUZZ_BUILD)), and Lua itself.
$(FUZZ_BUILD)/fuzz_batch: fuzz/fuzz_batch.c $(call bind_objs,5.4) $(FUZZ_BUILD)/libbhclaim.a
	$(FUZZ_CC) -std=c99 -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer -I$(LUA54_INCDIR) \
	    -o $@ $< $(call bind_objs,5.4) $(FUZZ_BUILD)/libbhclaim.a $(CJSON_LIBS) -llua5.4 -lm

# Runs every harness for FUZZ_SECONDS on a scratch copy of its corpus;
# crashes land in fuzz/crashes/<name>/. `make fuzz-merge` then folds what
# was found into the committed, minimized fuzz/corpus/<name>/.
fuzz: fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) sh scripts/fuzz.sh run $(FUZZ_SECONDS)

fuzz-merge: fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) sh scripts/fuzz.sh merge

# What make test runs: replay corpora and crashes, then FUZZ_BUDGET seconds
# per harness.
FUZZ_BUDGET ?= 6
fuzz-test: fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) sh scripts/fuzz.sh test $(FUZZ_BUDGET)

# {=== using it ===
demo: deps
	@$(MAKE) --no-print-directory all
	@echo "== single claims (examples/claims)"
	@sh scripts/with-lua.sh lua5.4 examples/check_claims.lua examples/claims
	@echo
	@echo "== a day of group sessions (examples/sessions)"
	@sh scripts/with-lua.sh lua5.4 examples/day_of_sessions.lua examples/sessions/day-2026-04-07.json

repl: all
	@sh scripts/with-lua.sh lua5.4 -i -e 'bhclaim = require("bhclaim") print(bhclaim.help())'

bench: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) CC="$(CC)" CFLAGS="-O2" sh bench/run.sh

doc: deps
	ldoc -q .

install:
	luarocks make rockspec/bhclaim-scm-1.rockspec

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) bench/out doc luarocks-tree
	rm -f csrc/*.o csrc/data/*.o bhclaim/core.so
