#!/bin/sh
# run.sh: `make bench`. Generates the synthetic NDJSON batch (once), then times
# the C core against cJSON alone and the Lua binding on each Lua found.
# Env: BUILD (holds libbhclaim.a and <ver>/bhclaim/core.so), CC, CFLAGS,
# N (claims to generate, default 100000), REMIT_N (claim payments to match,
# default 100000), LEDGER_N and LEDGER_LINES (the ledger bench). Scratch files go to bench/out/.
# SPDX-License-Identifier: MIT
set -eu

BUILD=${BUILD:-build}
CC=${CC:-cc}
CFLAGS=${CFLAGS:-}
N=${N:-100000}
OUT=bench/out
CLAIMS=$OUT/claims.ndjson

cd "$(dirname "$0")/.."
mkdir -p "$OUT"

heading() {
    printf '\n==== %s ====\n' "$1"
}

first_lua() {
    for lua in luajit lua5.4 lua5.3 lua5.1 lua; do
        if command -v "$lua" >/dev/null 2>&1; then
            echo "$lua"
            return 0
        fi
    done
    return 1
}

# Regenerate only when missing, older than the generator (find -newer: test
# -nt is not POSIX) or of another size than N (it takes seconds).
if [ ! -s "$CLAIMS" ] || [ -n "$(find bench/gen_claims.lua -newer "$CLAIMS")" ] ||
    [ "$(wc -l <"$CLAIMS")" -ne "$N" ]; then
    heading "generating $N claims into $CLAIMS"
    gen_lua=$(first_lua) || { echo "run.sh: no Lua interpreter found" >&2; exit 1; }
    "$gen_lua" bench/gen_claims.lua "$N" "$CLAIMS.tmp"
    mv "$CLAIMS.tmp" "$CLAIMS"
fi

heading "C core: bh_claim_parse_json + bh_claim_check vs cJSON parse"
if [ ! -f "$BUILD/libbhclaim.a" ]; then
    echo "run.sh: $BUILD/libbhclaim.a missing; run 'make' first" >&2
    exit 1
fi
# shellcheck disable=SC2086,SC2046 # CFLAGS and pkg-config output are word lists
$CC $CFLAGS -O2 -std=c99 -Icsrc -o "$OUT/bench_core" bench/bench_core.c \
    "$BUILD/libbhclaim.a" $(pkg-config --cflags --libs libcjson) -lm
"$OUT/bench_core" "$CLAIMS"

# One .so per ABI: LuaJIT and 5.1 load the 5.1 build.
for lua in lua5.4 luajit; do
    command -v "$lua" >/dev/null 2>&1 || continue
    case $lua in
        lua5.4) abi=5.4 ;;
        *) abi=5.1 ;;
    esac
    if [ ! -f "$BUILD/$abi/bhclaim/core.so" ]; then
        echo "run.sh: $BUILD/$abi/bhclaim/core.so missing; skipping $lua" >&2
        continue
    fi
    heading "Lua binding under $lua"
    LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="$BUILD/$abi/?.so;;" \
        "$lua" bench/bench_lua.lua "$CLAIMS"
done

# Group sessions to checked claims (10,000 sessions of 8 participants).
for lua in lua5.4 luajit; do
    command -v "$lua" >/dev/null 2>&1 || continue
    case $lua in
        lua5.4) abi=5.4 ;;
        *) abi=5.1 ;;
    esac
    heading "Sessions to checked claims under $lua"
    LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="$BUILD/$abi/?.so;;" \
        "$lua" bench/bench_sessions.lua 10000
done

# The 835 reader against node-x12 (bench_remit.sh).
heading "835 read (100,000 claim payments) and node-x12"
BUILD="$BUILD" sh bench/bench_remit.sh

# Remittances: 100,000 claim payments matched to 100,000 sent claims.
for lua in lua5.4 luajit; do
    command -v "$lua" >/dev/null 2>&1 || continue
    case $lua in
        lua5.4) abi=5.4 ;;
        *) abi=5.1 ;;
    esac
    heading "835 claim payments matched to sent claims under $lua"
    LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="$BUILD/$abi/?.so;;" \
        "$lua" bench/bench_remit.lua "${REMIT_N:-100000}"
done

# The claim ledger: LEDGER_N claims (default 100,000) with LEDGER_LINES
# service lines in all (default 1,000,000) submitted, their 835 posted and
# ar run, on SQLite and on a private PostgreSQL cluster.
heading "Claim ledger: submit, post the 835, ar (SQLite, PostgreSQL)"
LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="$BUILD/5.4/?.so;;" \
    lua5.4 bench/bench_ledger.lua "${LEDGER_N:-100000}" "${LEDGER_LINES:-1000000}"

# The command line and X12 (bench_cli.sh, when present).
if [ -f bench/bench_cli.sh ]; then
    heading "Command line and X12 837P"
    BUILD="$BUILD" sh bench/bench_cli.sh
fi

# 271 eligibility answers read by the core (bench_271.c: a synthetic 271
# of behavioral-health members, made in memory).
heading "C core: 271 read (bh_inquiry_read)"
# shellcheck disable=SC2086,SC2046 # CFLAGS and pkg-config output are word lists
$CC $CFLAGS -O2 -std=c99 -Icsrc -o "$OUT/bench_271" bench/bench_271.c \
    "$BUILD/libbhclaim.a" $(pkg-config --cflags --libs libcjson) -lm
"$OUT/bench_271" "${N_271:-5000}"

# Time and peak memory of the command line on large inputs (one-line JSON
# array, 837P, NDJSON of the same claims).
if [ -f bench/bench_memory.sh ]; then
    BUILD="$BUILD" sh bench/bench_memory.sh
fi

# The check service under wrk (bench_service.sh), when nginx's Lua module is there.
if [ -e "${BHCLAIM_NGINX_MODULES:-/usr/lib/nginx/modules}/ngx_http_lua_module.so" ] &&
    command -v wrk >/dev/null 2>&1; then
    heading "Check service (nginx + Lua module)"
    sh bench/bench_service.sh
else
    heading "Check service: skipped (nginx Lua module or wrk missing; scripts/install-deps.sh)"
fi
