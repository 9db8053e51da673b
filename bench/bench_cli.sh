#!/bin/sh
# bench_cli.sh: the bhclaim command line on the generated batch, where wall
# time is the point: (i) NDJSON `check --format json` with --jobs 2 against
# --jobs 1 (the speed-up on this machine's cores), (ii) `export --to 837p`,
# whose file ($X12) bench/paths.sh then reads; the paths against their peers
# (CPU time, peak memory) are in bench/paths.sh.
# Run from bench/run.sh. POSIX sh.
# Env: BUILD (default build), LUAS (interpreters for (i), default "luajit"),
# CLAIMS (default bench/out/claims-100000.ndjson), X12 (the 837P to write,
# default CLAIMS with .837 for .ndjson).
# SPDX-License-Identifier: MIT
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=bench/out
CLAIMS=${CLAIMS:-$OUT/claims-100000.ndjson}
X12=${X12:-${CLAIMS%.ndjson}.837}
LUAS=${LUAS:-luajit}
TODAY=2026-11-26
ENVELOPE=$OUT/envelope.lua

now() {
    date +%s.%N
}

# rate SECONDS COUNT -> COUNT/SECONDS with no decimals
rate() {
    awk -v s="$1" -v n="$2" 'BEGIN { printf "%.0f", n / s }'
}

# mbps SECONDS BYTES -> MB/s with one decimal
mbps() {
    awk -v s="$1" -v b="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'
}

elapsed() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'
}

abi_of() {
    case $1 in
        *5.4*) echo 5.4 ;; *5.3*) echo 5.3 ;; *5.2*) echo 5.2 ;; *) echo 5.1 ;;
    esac
}

# Runs scripts/bhclaim under interpreter $1 with the rest as arguments; its
# status 1 (some claim has an error finding) is expected here.
cli() {
    lua=$1
    shift
    status=0
    BUILD=$BUILD sh scripts/with-lua.sh "$lua" scripts/bhclaim "$@" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "bench_cli.sh: bhclaim $* exited $status" >&2
        exit 1
    fi
}

if [ ! -s "$CLAIMS" ]; then
    echo "bench_cli.sh: $CLAIMS missing; run bench/run.sh (make bench) first" >&2
    exit 1
fi
n_claims=$(wc -l <"$CLAIMS" | tr -d ' ')
ndjson_bytes=$(wc -c <"$CLAIMS" | tr -d ' ')
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")

echo "CLI check --format json on $n_claims NDJSON claims ($(mbps 1 "$ndjson_bytes") MB)," \
    "$cores cores, wall time (the machine's other load counts here)"
first_lua=
for lua in $LUAS; do
    command -v "$lua" >/dev/null 2>&1 || continue
    if [ ! -f "$BUILD/$(abi_of "$lua")/bhclaim/core.so" ]; then
        echo "bench_cli.sh: no $BUILD/$(abi_of "$lua")/bhclaim/core.so; skipping $lua" >&2
        continue
    fi
    first_lua=${first_lua:-$lua}
    t0=$(now)
    cli "$lua" check --format json --today "$TODAY" --jobs 1 "$CLAIMS" >/dev/null
    t1=$(now)
    cli "$lua" check --format json --today "$TODAY" --jobs 2 "$CLAIMS" >/dev/null
    t2=$(now)
    s1=$(elapsed "$t0" "$t1")
    s2=$(elapsed "$t1" "$t2")
    printf '%-7s --jobs 1  %7s s  %7s claims/s  %6s MB/s\n' "$lua" "$s1" \
        "$(rate "$s1" "$n_claims")" "$(mbps "$s1" "$ndjson_bytes")"
    printf '%-7s --jobs 2  %7s s  %7s claims/s  %6s MB/s   speed-up %sx (target >= 1.7 on 2 cores)\n' \
        "$lua" "$s2" "$(rate "$s2" "$n_claims")" "$(mbps "$s2" "$ndjson_bytes")" \
        "$(awk -v a="$s1" -v b="$s2" 'BEGIN { printf "%.2f", a / b }')"
done
if [ -z "$first_lua" ]; then
    echo "bench_cli.sh: no Lua with a built bhclaim.core found" >&2
    exit 1
fi

cat >"$ENVELOPE" <<'EOF'
-- bench envelope (written by bench/bench_cli.sh)
return { sender_id = "BENCHSENDER", receiver_id = "BENCHRECEIVER",
  submitter_name = "Bench Submitter", submitter_id = "BS0001",
  contact_name = "Bench Contact", contact_phone = "6145550100",
  receiver_name = "Bench Receiver", receiver_id_1000b = "BR0001",
  date = "2026-11-26", time = "0930" }
EOF
t0=$(now)
# The planted mistakes are refused (one stderr line each): counted, not shown.
cli "$first_lua" export --to 837p --envelope "$ENVELOPE" "$CLAIMS" >"$X12.tmp" 2>"$OUT/export.err"
t1=$(now)
mv "$X12.tmp" "$X12"
x12_bytes=$(wc -c <"$X12" | tr -d ' ')
sw=$(elapsed "$t0" "$t1")
printf '%-7s export --to 837p (NDJSON in, 837P out)  %7s s  %7s claims/s  %6s MB/s of 837P written\n' \
    "$first_lua" "$sw" "$(rate "$sw" "$n_claims")" "$(mbps "$sw" "$x12_bytes")"
echo "837P file: $X12, $(mbps 1 "$x12_bytes") MB;" \
    "claims refused by the export's check: $(grep -c 'refused by check' "$OUT/export.err" || true)"
