#!/bin/sh
# run.sh: `make bench`. Generates the synthetic NDJSON batch (once), then times
# the C core against cJSON alone and the Lua binding on each Lua found.
# Env: BUILD (holds libbhclaim.a and <ver>/bhclaim/core.so), CC, CFLAGS,
# N (claims to generate, default 100000). Scratch files go to bench/out/.
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

# The command line and X12 (bench_cli.sh, when present).
if [ -f bench/bench_cli.sh ]; then
    heading "Command line and X12 837P"
    BUILD="$BUILD" sh bench/bench_cli.sh
fi

# The check service under wrk (bench_service.sh), when nginx's Lua module is there.
if [ -e "${BHCLAIM_NGINX_MODULES:-/usr/lib/nginx/modules}/ngx_http_lua_module.so" ] &&
    command -v wrk >/dev/null 2>&1; then
    heading "Check service (nginx + Lua module)"
    sh bench/bench_service.sh
else
    heading "Check service: skipped (nginx Lua module or wrk missing; scripts/install-deps.sh)"
fi
