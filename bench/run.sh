#!/bin/sh
# run.sh: `make bench`. Generates the synthetic NDJSON batch (once per size),
# measures every path of issue 10's table next to its peer in this one run
# (bench/paths.sh: C core, Lua API, command line, 837P, with peak memory),
# then the other benches (sessions, 835, ledger, 271, memory, service), and
# ends with the side-by-side table (bench/table.lua).
# Env (sizes; BENCH_QUICK=1 makes every default small, for a run of a few
# minutes): BUILD (holds libbhclaim.a and <ver>/bhclaim/core.so), CC, CFLAGS,
# N (claims in the batch, default 100000; quick 20000), RUNS (passes per
# timed path, best kept, default 3), NODE_RUNS (node-x12's passes, 1),
# SESSIONS_N (10000; 2000), N835 and
# REMIT_N (claim payments read and matched, 100000; 20000), LEDGER_N and
# LEDGER_LINES (the ledger bench, 100000 and 1000000; 2000 and 20000),
# N_271 (5000; 1000), MEM_N and ARRAY_N (bench_memory.sh, 300000 and 40000;
# 60000 and 10000), SECS (seconds per wrk run of bench_service.sh, 10; 3).
# Scratch files go to bench/out/.
# SPDX-License-Identifier: MIT
set -eu

cd "$(dirname "$0")/.."

if [ "${BENCH_QUICK:-0}" = 1 ]; then
    q=1
else
    q=0
fi
# size FULL QUICK: the default for this run
size() {
    if [ "$q" = 1 ]; then echo "$2"; else echo "$1"; fi
}
BUILD=${BUILD:-build}
CC=${CC:-cc}
CFLAGS=${CFLAGS:-}
N=${N:-$(size 100000 20000)}
RUNS=${RUNS:-3}
NODE_RUNS=${NODE_RUNS:-1}
SESSIONS_N=${SESSIONS_N:-$(size 10000 2000)}
N835=${N835:-$(size 100000 20000)}
REMIT_N=${REMIT_N:-$(size 100000 20000)}
LEDGER_N=${LEDGER_N:-$(size 100000 2000)}
LEDGER_LINES=${LEDGER_LINES:-$(size 1000000 20000)}
N_271=${N_271:-$(size 5000 1000)}
MEM_N=${MEM_N:-$(size 300000 60000)}
ARRAY_N=${ARRAY_N:-$(size 40000 10000)}
OUT=bench/out
CLAIMS=$OUT/claims-$N.ndjson
X12=$OUT/claims-$N.837
SECS=${SECS:-$(size 10 3)}
export BUILD CC CFLAGS RUNS NODE_RUNS N835 MEM_N ARRAY_N SECS

mkdir -p "$OUT"

START=$(date +%s)
# Each heading says how far into the run it starts (wall seconds), so the
# long parts show.
heading() {
    printf '\n==== %s ==== (+%ss)\n' "$1" "$(($(date +%s) - START))"
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

abi_of() {
    case $1 in lua5.4) echo 5.4 ;; *) echo 5.1 ;; esac
}

# with_rss COMMAND...: runs COMMAND under GNU time, then prints its peak memory.
with_rss() {
    /usr/bin/time -f "%M" -o "$OUT/run-rss.txt" "$@"
    awk '{ k = $1 } END { printf "peak RSS of this process: %.1f MB\n", k / 1024 }' \
        "$OUT/run-rss.txt"
}

# in_tree LUA ARGS...: LUA with the in-tree module on its paths, under with_rss.
in_tree() {
    lua=$1
    shift
    LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="$BUILD/$(abi_of "$lua")/?.so;;" \
        with_rss "$lua" "$@"
}

heading "sizes"
if [ "$q" = 1 ]; then echo "BENCH_QUICK=1: small defaults"; fi
echo "N=$N RUNS=$RUNS NODE_RUNS=$NODE_RUNS SESSIONS_N=$SESSIONS_N N835=$N835 REMIT_N=$REMIT_N LEDGER_N=$LEDGER_N"
echo "LEDGER_LINES=$LEDGER_LINES N_271=$N_271 MEM_N=$MEM_N ARRAY_N=$ARRAY_N SECS=$SECS"
echo "machine: $(uname -m), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores," \
    "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)," \
    "load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC')"

if [ ! -f "$BUILD/libbhclaim.a" ]; then
    echo "run.sh: $BUILD/libbhclaim.a missing; run 'make' first" >&2
    exit 1
fi

# Regenerate only when missing or older than the generator (find -newer:
# test -nt is not POSIX); it takes seconds.
if [ ! -s "$CLAIMS" ] || [ -n "$(find bench/gen_claims.lua -newer "$CLAIMS")" ]; then
    heading "generating $N claims into $CLAIMS"
    gen_lua=$(first_lua) || { echo "run.sh: no Lua interpreter found" >&2; exit 1; }
    "$gen_lua" bench/gen_claims.lua "$N" "$CLAIMS.tmp"
    mv "$CLAIMS.tmp" "$CLAIMS"
fi

# The command line: --jobs 2 against --jobs 1, and the 837P export whose
# file the side-by-side paths read (bench_cli.sh).
heading "Command line: --jobs, 837P export"
CLAIMS="$CLAIMS" X12="$X12" sh bench/bench_cli.sh

# Every path of the issue's table next to its peer; rows for the table.
CLAIMS="$CLAIMS" X12="$X12" RESULTS="$OUT/results.tsv" sh bench/paths.sh

# Group sessions to checked claims (SESSIONS_N sessions of 8 participants).
for lua in lua5.4 luajit; do
    command -v "$lua" >/dev/null 2>&1 || continue
    heading "Sessions to checked claims under $lua"
    in_tree "$lua" bench/bench_sessions.lua "$SESSIONS_N"
done

# The 835 reader against node-x12 (bench_remit.sh).
heading "835 read ($N835 claim payments) and node-x12"
sh bench/bench_remit.sh

# Remittances: REMIT_N claim payments matched to REMIT_N sent claims.
for lua in lua5.4 luajit; do
    command -v "$lua" >/dev/null 2>&1 || continue
    heading "835 claim payments matched to sent claims under $lua"
    in_tree "$lua" bench/bench_remit.lua "$REMIT_N"
done

# The claim ledger: LEDGER_N claims with LEDGER_LINES service lines in all
# submitted, their 835 posted and ar run, on SQLite and on a private
# PostgreSQL cluster.
heading "Claim ledger: $LEDGER_N claims, $LEDGER_LINES lines: submit, post the 835, ar"
in_tree lua5.4 bench/bench_ledger.lua "$LEDGER_N" "$LEDGER_LINES"

# 271 eligibility answers read by the core (bench_271.c: a synthetic 271
# of behavioral-health members, made in memory).
heading "C core: 271 read (bh_inquiry_read)"
# shellcheck disable=SC2086,SC2046 # CFLAGS and pkg-config output are word lists
$CC $CFLAGS -O2 -std=c99 -Icsrc -o "$OUT/bench_271" bench/bench_271.c \
    "$BUILD/libbhclaim.a" $(pkg-config --cflags --libs libcjson) -lm
with_rss "$OUT/bench_271" "$N_271"

# Time and peak memory of the command line on large inputs (one-line JSON
# array, 837P, NDJSON of the same claims) at two sizes.
sh bench/bench_memory.sh

# The check service under wrk (bench_service.sh), when nginx's Lua module is there.
if [ -e "${BHCLAIM_NGINX_MODULES:-/usr/lib/nginx/modules}/ngx_http_lua_module.so" ] &&
    command -v wrk >/dev/null 2>&1; then
    heading "Check service (nginx + Lua module)"
    sh bench/bench_service.sh
else
    heading "Check service: skipped (nginx Lua module or wrk missing; scripts/install-deps.sh)"
fi

heading "Same work side by side (bench/paths.sh, this run: N=$N, best of $RUNS; CPU time)"
lua=$(first_lua)
"$lua" bench/table.lua "$OUT/results.tsv"
