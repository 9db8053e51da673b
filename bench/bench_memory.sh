#!/bin/sh
# bench_memory.sh: time and peak memory (max RSS, GNU time's %M) of the
# command line on large inputs (issue 8): the same claims as NDJSON, as a
# one-line JSON array (what `jq -c` writes) and as an 837P, at two sizes, so
# that memory which grows with the input shows. Run from bench/run.sh.
# Env: BUILD (default build), LUA (default: the first of luajit, lua5.4),
# MEM_N (claims in the large batch, default 300000), ARRAY_N (claims in the
# one-line array, default 40000, about 64 MB). Files go to bench/out/.
# SPDX-License-Identifier: MIT
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=bench/out
MEM_N=${MEM_N:-300000}
ARRAY_N=${ARRAY_N:-40000}
TODAY=2026-11-26
BIG=$OUT/mem-$MEM_N.ndjson
SMALL=$OUT/mem-$ARRAY_N.ndjson
ARRAY=$OUT/mem-$ARRAY_N.array.json
BIG_X12=$OUT/mem-$MEM_N.837
SMALL_X12=$OUT/mem-$ARRAY_N.837
ENVELOPE=$OUT/mem-envelope.lua
TIMES=$OUT/mem-time.txt

mkdir -p "$OUT"
if [ ! -x /usr/bin/time ]; then
    echo "bench_memory.sh: /usr/bin/time (GNU time) is absent: peak memory not measured"
    exit 0
fi
LUA=${LUA:-}
if [ -z "$LUA" ]; then
    for l in luajit lua5.4; do
        if command -v "$l" >/dev/null 2>&1; then LUA=$l; break; fi
    done
fi
case $LUA in *5.4*) abi=5.4 ;; *5.3*) abi=5.3 ;; *5.2*) abi=5.2 ;; *) abi=5.1 ;; esac
if [ ! -f "$BUILD/$abi/bhclaim/core.so" ]; then
    echo "bench_memory.sh: no $BUILD/$abi/bhclaim/core.so; run make first" >&2
    exit 1
fi

cli() {
    BUILD=$BUILD sh scripts/with-lua.sh "$LUA" scripts/bhclaim "$@"
}

cat >"$ENVELOPE" <<'EOF'
-- bench envelope (written by bench/bench_memory.sh)
return { sender_id = "BENCHSENDER", receiver_id = "BENCHRECEIVER",
  submitter_name = "Bench Submitter", submitter_id = "BS0001",
  contact_name = "Bench Contact", contact_phone = "6145550100",
  receiver_name = "Bench Receiver", receiver_id_1000b = "BR0001",
  date = "2026-11-26", time = "0930" }
EOF

# Inputs, made once (regenerated when the generator changes).
if [ ! -s "$BIG" ] || [ -n "$(find bench/gen_claims.lua -newer "$BIG")" ]; then
    echo "generating $MEM_N claims into $BIG"
    "$LUA" bench/gen_claims.lua "$MEM_N" "$BIG.tmp" >/dev/null
    mv "$BIG.tmp" "$BIG"
    rm -f "$SMALL" "$ARRAY" "$BIG_X12" "$SMALL_X12"
fi
[ -s "$SMALL" ] || head -n "$ARRAY_N" "$BIG" >"$SMALL"
if [ ! -s "$ARRAY" ]; then
    awk 'BEGIN { printf "[" } NR > 1 { printf "," } { printf "%s", $0 } END { print "]" }' \
        "$SMALL" >"$ARRAY"
fi

# measure LABEL CLAIMS FILE COMMAND... : one table row (status 1, an error
# finding in some claim, is expected).
measure() {
    label=$1 n=$2 file=$3
    shift 3
    status=0
    /usr/bin/time -f "%e %M" -o "$TIMES" "$@" >/dev/null 2>"$TIMES.err" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "bench_memory.sh: $label exited $status" >&2
        exit 1
    fi
    set -- $(tail -n 1 "$TIMES")
    printf '%-40s %8s %9.1f %9s %11.1f\n' "$label" "$n" \
        "$(awk -v b="$(wc -c <"$file")" 'BEGIN { print b / 1e6 }')" "$1" \
        "$(awk -v k="$2" 'BEGIN { print k / 1024 }')"
}

# The 837P files come from the CLI's own (streamed) export, measured too.
printf '\n==== CLI time and peak memory under %s ====\n' "$LUA"
printf '%-40s %8s %9s %9s %11s\n' "run" "claims" "input MB" "seconds" "max RSS MB"
if [ ! -s "$SMALL_X12" ]; then
    # Claims with planted mistakes are refused (exit 1, a stderr line each).
    cli export --to 837p --envelope "$ENVELOPE" "$SMALL" >"$SMALL_X12" 2>/dev/null ||
        [ $? -le 1 ]
fi
# shellcheck disable=SC2016 # $0..$3 belong to the inner sh
measure "export --to 837p, NDJSON in" "$MEM_N" "$BIG" \
    sh -c 'sh scripts/with-lua.sh "$0" scripts/bhclaim export --to 837p --envelope "$1" \
    "$2" >"$3"' "$LUA" "$ENVELOPE" "$BIG" "$BIG_X12"
measure "check, NDJSON" "$ARRAY_N" "$SMALL" \
    sh scripts/with-lua.sh "$LUA" scripts/bhclaim check --format json --today "$TODAY" "$SMALL"
measure "check, one-line JSON array" "$ARRAY_N" "$ARRAY" \
    sh scripts/with-lua.sh "$LUA" scripts/bhclaim check --format json --today "$TODAY" "$ARRAY"
measure "check, 837P" "$ARRAY_N" "$SMALL_X12" \
    sh scripts/with-lua.sh "$LUA" scripts/bhclaim check --format json --today "$TODAY" \
    "$SMALL_X12"
measure "check, NDJSON" "$MEM_N" "$BIG" \
    sh scripts/with-lua.sh "$LUA" scripts/bhclaim check --format json --today "$TODAY" "$BIG"
measure "check, 837P" "$MEM_N" "$BIG_X12" \
    sh scripts/with-lua.sh "$LUA" scripts/bhclaim check --format json --today "$TODAY" \
    "$BIG_X12"
measure "export --to ndjson, 837P in" "$MEM_N" "$BIG_X12" \
    sh scripts/with-lua.sh "$LUA" scripts/bhclaim export --to ndjson "$BIG_X12"
echo "(max RSS: GNU time %M of the whole run; the same claims at both sizes)"
