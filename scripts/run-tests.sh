#!/bin/sh
# run-tests.sh: the whole test suite, as `make test` runs it.
#  1. build (warnings are errors under CI), tables and rockspec consistency,
#     luacheck;
#  2. C unit tests, then the busted specs on every installed Lua (the
#     ledger specs start a private PostgreSQL cluster, spec/ledger_support.lua),
#     then the check service's specs against a real nginx;
#  3. the same under AddressSanitizer + UndefinedBehaviorSanitizer, and a
#     GC-stress pass (the ledger on SQLite only: its code is Lua);
#  4. the libFuzzer harnesses (fuzz/): every corpus and crash file replayed,
#     then FUZZ_BUDGET seconds (the Makefile's) of fuzzing per harness;
#  5. luarocks make into a scratch tree, and a load from there.
# Totals go to build/test-totals ("passed failed") and end the output as
# "N passed, N failed". Exit status 0 only when nothing failed.
# SPDX-License-Identifier: MIT
set -u
cd "$(dirname "$0")/.." || exit 2

passed=0
failed=0
log=build/test-log
mkdir -p build
: > "$log"

step() { printf '\n== %s\n' "$1"; }
ok() { passed=$((passed + 1)); printf 'ok - %s\n' "$1"; }
not_ok() { failed=$((failed + 1)); printf 'not ok - %s\n' "$1"; }

# Runs a command whose output is TAP; adds its ok / not ok lines to the
# totals. A command that fails without any "not ok" line counts one failure.
run_tap() {
    name="$1"; shift
    out=$("$@" 2>&1); rc=$?
    printf '%s\n' "$out" >> "$log"
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; printf '%s\n' "$out" | tail -20; fi
    [ "$f" != 0 ] && printf '%s\n' "$out" | grep -A40 '^not ok ' | head -120
    passed=$((passed + p)); failed=$((failed + f))
    printf '%-44s %4d passed, %d failed\n' "$name" "$p" "$f"
}

# Runs a command that must succeed; counts as one test.
run_check() {
    name="$1"; shift
    if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name"; printf '%s\n' "$out" | tail -30; fi
}

interpreters() {
    for l in lua5.1 lua5.2 lua5.3 lua5.4 luajit; do
        command -v "$l" >/dev/null 2>&1 && printf '%s ' "$l"
    done
}

step "build"
run_check "build (all Lua ABIs)" make --no-print-directory all
run_check "code tables match data/" make --no-print-directory check-tables
run_check "rockspec lists every C source and lints" sh scripts/check-rockspec.sh
run_check "luacheck" make --no-print-directory lint

step "C unit tests"
c_tests=$(make --no-print-directory -s print-c-tests)
for t in $c_tests; do
    make --no-print-directory "build/$t" >/dev/null 2>&1
    run_tap "C $t" "build/$t"
done

step "busted specs"
for l in $(interpreters); do
    run_tap "specs on $l" busted --lua="$l" -o TAP
done

step "check service (nginx + Lua module, spec/service_spec.lua)"
# Real nginx on loopback ports over TLS; curl is the client.
nginx_lua="${BHCLAIM_NGINX_MODULES:-/usr/lib/nginx/modules}/ngx_http_lua_module.so"
if command -v nginx >/dev/null 2>&1 && [ -e "$nginx_lua" ]; then
    client=luajit
    command -v luajit >/dev/null 2>&1 || client=lua5.4
    run_tap "service specs (client $client)" \
        busted --lua="$client" -o TAP --exclude-tags=slow,fuzz --tags=service \
        spec/service_spec.lua
else
    not_ok "service specs: nginx or $nginx_lua missing (scripts/install-deps.sh installs them)"
fi

step "sanitizers (ASan + UBSan)"
if make --no-print-directory asan >/dev/null 2>&1; then
    ok "sanitizer build"
    export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    for t in $c_tests; do
        run_tap "C $t under sanitizers" "build-asan/$t"
    done
    libasan=$(${CC:-cc} -print-file-name=libasan.so)
    # Lua 5.4 runs under the sanitizers twice below (GC stress, then
    # LeakSanitizer), so this loop takes the other ABIs.
    for l in lua5.1 luajit; do
        command -v "$l" >/dev/null 2>&1 || continue
        run_tap "specs on $l under sanitizers" \
            env LD_PRELOAD="$libasan" BHCLAIM_BUILD=build-asan BHCLAIM_LEDGER_BACKENDS=sqlite \
            busted --lua="$l" -o TAP
    done
    run_tap "specs on lua5.4, GC stress, sanitizers" \
        env LD_PRELOAD="$libasan" BHCLAIM_BUILD=build-asan BHCLAIM_GC_STRESS=1 \
        BHCLAIM_LEDGER_BACKENDS=sqlite \
        busted --lua=lua5.4 -o TAP
    # LeakSanitizer on for the binding: the abuse spec and every spec but the
    # CLI's (whose child processes are not the binding). busted ends with
    # os.exit(code, true), so Lua 5.4 closes the state and every userdata's
    # __gc runs first: what is left is memory nothing can free. No
    # suppressions are needed (the interpreter and busted leak nothing).
    # core.so is preloaded too, so that a report can name its functions
    # after lua_close has unloaded the module.
    run_tap "binding specs on lua5.4, ASan + LeakSanitizer" \
        env ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
        LD_PRELOAD="$libasan $(pwd)/build-asan/5.4/bhclaim/core.so" \
        BHCLAIM_BUILD=build-asan BHCLAIM_LEDGER_BACKENDS=sqlite busted --lua=lua5.4 -o TAP \
        $(ls spec/*_spec.lua | grep -v '/cli_spec.lua$')
    unset ASAN_OPTIONS UBSAN_OPTIONS
else
    not_ok "sanitizer build"
fi

step "coverage-guided fuzzing (libFuzzer, ASan + UBSan)"
# Replays every committed corpus and crash file (fuzz/), then fuzzes each
# harness for FUZZ_BUDGET seconds: one TAP line per replay and per run.
if make --no-print-directory fuzz-build >/dev/null 2>&1; then
    ok "fuzz harness build (clang -fsanitize=fuzzer,address,undefined)"
    budget=${FUZZ_BUDGET:-$(make --no-print-directory -s print-fuzz-budget)}
    run_tap "fuzz harnesses (replay + ${budget}s each)" \
        sh scripts/fuzz.sh test "$budget"
else
    not_ok "fuzz harness build (clang -fsanitize=fuzzer,address,undefined)"
fi

step "luarocks"
run_check "luarocks make into a scratch tree, then load" sh scripts/check-luarocks.sh

printf '%s %s\n' "$passed" "$failed" > build/test-totals
printf '\n%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
