#!/bin/sh
# bench_cli.sh: times the bhclaim command line on the generated batch (issue 5):
# (i) NDJSON `check --format json` against cJSON parse-only, (ii) --jobs 2
# against --jobs 1, (iii) `export --to 837p` (write) and `check` of that 837P
# (read + check), (iv) node-x12 parsing the same 837P, when npm is present.
# Run from bench/run.sh; needs bench/out/claims.ndjson. POSIX sh.
# Env: BUILD (default build), LUAS (interpreters for i/ii, default "luajit
# lua5.4"), CLAIMS (default bench/out/claims.ndjson).
# SPDX-License-Identifier: MIT
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=bench/out
CLAIMS=${CLAIMS:-$OUT/claims.ndjson}
LUAS=${LUAS:-"luajit lua5.4"}
TODAY=2026-11-26
X12=$OUT/claims.837
ENVELOPE=$OUT/envelope.lua

heading() {
    printf '\n==== %s ====\n' "$1"
}

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

heading "CLI: check --format json on $n_claims NDJSON claims ($(mbps 1 "$ndjson_bytes") MB), $cores cores"
if [ -x "$OUT/bench_core" ]; then
    # The core's own figure for cJSON alone, for comparison.
    "$OUT/bench_core" "$CLAIMS" | awk '/^\(a\) parse only/ { getline; print "cJSON parse only (bench_core, C):" $0 }'
fi
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

heading "CLI: 837P write and read+check under $first_lua"
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
cli "$first_lua" export --to 837p --envelope "$ENVELOPE" "$CLAIMS" >"$X12" 2>"$OUT/export.err"
t1=$(now)
cli "$first_lua" check --format json --today "$TODAY" "$X12" >/dev/null
t2=$(now)
x12_bytes=$(wc -c <"$X12" | tr -d ' ')
sw=$(elapsed "$t0" "$t1")
sr=$(elapsed "$t1" "$t2")
printf 'export --to 837p (NDJSON in, 837P out)  %7s s  %7s claims/s  %6s MB/s of 837P written\n' \
    "$sw" "$(rate "$sw" "$n_claims")" "$(mbps "$sw" "$x12_bytes")"
printf 'check on the 837P (read + check)        %7s s  %7s claims/s  %6s MB/s of 837P read\n' \
    "$sr" "$(rate "$sr" "$n_claims")" "$(mbps "$sr" "$x12_bytes")"
echo "837P file: $X12, $(mbps 1 "$x12_bytes") MB"
echo "claims refused by the export's check: $(grep -c 'refused by check' "$OUT/export.err")"

heading "C API and Lua API: the same 837P read into checked claims"
${CC:-cc} -O2 -std=c99 -Icsrc -o "$OUT/bench_x12" bench/bench_x12.c "$BUILD/libbhclaim.a" \
    $(pkg-config --cflags --libs libcjson) -lm
"$OUT/bench_x12" "$X12" | tee "$OUT/bench_x12.txt"
# seconds of the C API's read + check, for the ratio below
sc=$(awk '/^\(f\)/ { getline; print $1 }' "$OUT/bench_x12.txt")
cat >"$OUT/x12_lua.lua" <<'LUA'
local bhclaim = require("bhclaim")
local f = assert(io.open(arg[1], "rb"))
local text = f:read("*a")
f:close()
local best = math.huge
for _ = 1, 3 do
  local t = os.clock()
  bhclaim.x12.check(text, { today = "2026-11-26" })
  best = math.min(best, os.clock() - t)
end
print(string.format("%.3f", best))
LUA
for lua in $LUAS; do
    command -v "$lua" >/dev/null 2>&1 || continue
    case $lua in lua5.4) abi=5.4 ;; *) abi=5.1 ;; esac
    sl=$(LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="$BUILD/$abi/?.so;;" \
        "$lua" "$OUT/x12_lua.lua" "$X12")
    printf '%-7s bhclaim.x12.check (read + check, reports)  %7s s  %6s MB/s\n' "$lua" "$sl" \
        "$(mbps "$sl" "$x12_bytes")"
done

heading "node-x12 on the same 837P"
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "npm or node is absent: node-x12 not measured"
    exit 0
fi
if [ ! -d "$OUT/node/node_modules/node-x12" ]; then
    echo "installing node-x12 into $OUT/node (npm install --prefix $OUT/node node-x12)"
    if ! npm install --silent --no-audit --no-fund --prefix "$OUT/node" node-x12 >/dev/null 2>&1; then
        echo "npm install node-x12 failed (offline?): node-x12 not measured"
        exit 0
    fi
fi
cat >"$OUT/node/parse.js" <<'EOF'
// Times node-x12's X12Parser.parse (its documented API, README "Examples")
// on one file: segments split into its object model, no claims built.
const fs = require('fs')
const path = require('path')
const { X12Parser } = require(path.resolve(process.argv[2], 'node_modules/node-x12'))
const text = fs.readFileSync(process.argv[3], 'latin1')
const t0 = process.hrtime.bigint()
const interchange = new X12Parser(true).parse(text)
const secs = Number(process.hrtime.bigint() - t0) / 1e9
let segments = 0
for (const g of interchange.functionalGroups) {
  for (const t of g.transactions) segments += t.segments.length
}
console.log(secs.toFixed(3) + ' ' + segments)
EOF
result=$(node --max-old-space-size=8192 "$OUT/node/parse.js" "$OUT/node" "$X12")
sn=${result% *}
printf 'node-x12 X12Parser.parse                %7s s  %6s MB/s (%s segments in transactions)\n' \
    "$sn" "$(mbps "$sn" "$x12_bytes")" "${result#* }"
printf 'C API read+check / node-x12 parse: %sx (target >= 20x)\n' \
    "$(awk -v a="$sn" -v b="$sc" 'BEGIN { printf "%.1f", a / b }')"
printf 'CLI check (read + check + JSON report lines) / node-x12 parse: %sx\n' \
    "$(awk -v a="$sn" -v b="$sr" 'BEGIN { printf "%.1f", a / b }')"
