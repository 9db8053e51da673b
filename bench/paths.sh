#!/bin/sh
# paths.sh: every path of issue 10's table, each next to its peer, in one run
# of `make bench` (bench/run.sh calls it), on the same claims:
#   core parse + check (bench_core check)   vs cJSON parse only (bench_core parse)
#   bhclaim.check(table), bhclaim.check(json) vs lua-cjson cjson.decode
#   CLI check --format json on NDJSON       vs cJSON parse only
#   C API, bhclaim.x12.check, CLI on 837P   vs node-x12 X12Parser.parse
# under Lua 5.4 and LuaJIT. Every check uses the built-in profile of each
# claim's payer kind (what bhclaim.check and the CLI do by default), and
# every check path reports its share of claims with an error or a warning,
# so equal work shows. Each path runs in its own process under GNU time for its peak RSS.
# Times are CPU seconds (user + system) so that other load on a shared machine
# does not count: in-process for the passes (best of RUNS), whole processes for
# the CLI (start-up, reading and writing included; best of RUNS too).
# Writes one row per path to $RESULTS (bench/table.lua prints the table).
# Env: BUILD, CC, CLAIMS (NDJSON), X12 (the same claims as an 837P, written
# by bench_cli.sh; default CLAIMS with .837 for .ndjson), RUNS (passes,
# default 3), NODE_RUNS (node-x12's passes, default 1), LUAS (default
# "lua5.4 luajit"), RESULTS (default bench/out/results.tsv).
# SPDX-License-Identifier: MIT
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CC=${CC:-cc}
OUT=bench/out
CLAIMS=${CLAIMS:-$OUT/claims-100000.ndjson}
RUNS=${RUNS:-3}
LUAS=${LUAS:-"lua5.4 luajit"}
RESULTS=${RESULTS:-$OUT/results.tsv}
X12=${X12:-${CLAIMS%.ndjson}.837}
TODAY=2026-11-26
TIMES=$OUT/paths-time.txt
LOG=$OUT/paths-log.txt

heading() {
    printf '\n==== %s ====\n' "$1"
}

abi_of() {
    case $1 in
        *5.4*) echo 5.4 ;; *5.3*) echo 5.3 ;; *5.2*) echo 5.2 ;; *) echo 5.1 ;;
    esac
}

# The in-tree Lua layer for every Lua run here; cpath ABI: the env(1)
# argument that adds bhclaim.core built for that Lua ABI (env, so that GNU
# time can run the command).
LUA_PATH="lua/?.lua;lua/?/init.lua;;"
export LUA_PATH
cpath() {
    echo "LUA_CPATH=$BUILD/$1/?.so;;"
}

if [ ! -x /usr/bin/time ]; then
    echo "paths.sh: /usr/bin/time (GNU time, Debian package time) is needed for peak memory" >&2
    exit 1
fi
if [ ! -s "$CLAIMS" ]; then
    echo "paths.sh: $CLAIMS missing; run bench/run.sh (make bench)" >&2
    exit 1
fi
: >"$RESULTS"

# timed ID COMMAND...: runs COMMAND under GNU time, shows its output, and
# adds its RESULT line to $RESULTS with ID and the peak RSS from GNU time.
timed() {
    id=$1
    shift
    /usr/bin/time -f "%U %S %M" -o "$TIMES" "$@" >"$LOG"
    grep -v '^RESULT' "$LOG" || true
    rss=$(tail -n 1 "$TIMES" | awk '{ print $3 }')
    awk -F '\t' -v id="$id" -v rss="$rss" 'BEGIN { OFS = "\t" }
        $1 == "RESULT" { print id, $3, $4, $5, $6, rss; found = 1 }
        END { exit !found }' "$LOG" >>"$RESULTS" || {
        echo "paths.sh: $id printed no RESULT line" >&2
        exit 1
    }
}

# cli_timed ID LUA INPUT: the command line's check --format json on INPUT
# (exit 1, some claim with an error finding, is expected). CPU seconds and
# peak RSS of the whole process; claims and those with an error or a
# warning counted from its report lines.
cli_timed() {
    id=$1 lua=$2 input=$3
    best="" rss=0 pass=0
    # Best of RUNS whole processes, as the in-process rows keep their best
    # pass: one process's time moves with the machine's other load.
    while [ "$pass" -lt "$RUNS" ]; do
        pass=$((pass + 1))
        status=0
        /usr/bin/time -f "%U %S %M" -o "$TIMES" env "$(cpath "$(abi_of "$lua")")" \
            "$lua" scripts/bhclaim check --format json \
            --today "$TODAY" --jobs 1 "$input" >"$OUT/paths-cli.json" || status=$?
        if [ "$status" -gt 1 ]; then
            echo "paths.sh: $lua bhclaim check $input exited $status" >&2
            exit 1
        fi
        # shellcheck disable=SC2046 # three words: user, system, KiB
        set -- $(tail -n 1 "$TIMES")
        cpu=$(awk -v u="$1" -v s="$2" 'BEGIN { printf "%.3f", u + s }')
        if [ -z "$best" ] || awk -v a="$cpu" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$cpu
        fi
        [ "$3" -gt "$rss" ] && rss=$3
    done
    claims=$(wc -l <"$OUT/paths-cli.json" | tr -d ' ')
    with=$(grep -vc '"counts":{"error":0,"warning":0,' "$OUT/paths-cli.json" || true)
    bytes=$(wc -c <"$input" | tr -d ' ')
    rm -f "$OUT/paths-cli.json"
    printf '%s bhclaim check --format json --jobs 1 %s: %s claims, %s with an error or a warning, ' \
        "$lua" "$input" "$claims" "$with"
    printf '%s s CPU (best of %s), peak RSS %s MB\n' "$best" "$RUNS" \
        "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$claims" "$bytes" "$best" "$with" "$rss" >>"$RESULTS"
}

heading "Same work side by side: the C core on $CLAIMS"
# shellcheck disable=SC2086,SC2046 # CFLAGS and pkg-config output are word lists
for b in bench_core bench_x12; do
    $CC ${CFLAGS:-} -O2 -std=c99 -Icsrc -Ibench -Itests -o "$OUT/$b" "bench/$b.c" tests/tap.c \
        "$BUILD/libbhclaim.a" $(pkg-config --cflags --libs libcjson lua5.4) -lm
done
timed core.parse "$OUT/bench_core" "$CLAIMS" parse "$RUNS"
timed core.check env "$(cpath 5.4)" "$OUT/bench_core" "$CLAIMS" check "$RUNS"

for lua in $LUAS; do
    command -v "$lua" >/dev/null 2>&1 || continue
    if [ ! -f "$BUILD/$(abi_of "$lua")/bhclaim/core.so" ]; then
        echo "paths.sh: no $BUILD/$(abi_of "$lua")/bhclaim/core.so; skipping $lua" >&2
        continue
    fi
    heading "Same work side by side: $lua, Lua API and command line"
    for mode in decode check-table check-json; do
        timed "$lua:$mode" env "$(cpath "$(abi_of "$lua")")" "$lua" bench/bench_lua.lua "$CLAIMS" "$mode" "$RUNS"
    done
    cli_timed "$lua:cli.ndjson" "$lua" "$CLAIMS"
done

heading "Same work side by side: an 837P of the same claims"
# The 837P is the CLI's own export of the batch (bench_cli.sh; the claims
# its check refuses are left out).
if [ ! -s "$X12" ]; then
    echo "paths.sh: $X12 missing; bench/bench_cli.sh writes it" >&2
    exit 1
fi
echo "837P: $X12, $(wc -c <"$X12" | tr -d ' ') bytes"
timed core.x12.check env "$(cpath 5.4)" "$OUT/bench_x12" "$X12"

cat >"$OUT/paths_x12.lua" <<'LUA'
-- bhclaim.x12.check on one 837P, best of RUNS (os.clock); written by bench/paths.sh
local bhclaim = require("bhclaim")
local file, runs = arg[1], tonumber(arg[2]) or 3
local f = assert(io.open(file, "rb"))
local text = f:read("*a")
f:close()
local best, claims, flagged = math.huge, 0, 0
for _ = 1, runs do
  collectgarbage("collect")
  local t = os.clock()
  local reports = assert(bhclaim.x12.check(text, { today = "2026-11-26" }))
  best = math.min(best, os.clock() - t)
  claims, flagged = #reports, 0
  for i = 1, #reports do
    local counts = reports[i].counts
    if counts.error + counts.warning > 0 then flagged = flagged + 1 end
  end
end
print(string.format("bhclaim.x12.check on %s: %d claims, %d with an error or a warning, "
  .. "%.3f s, %.1f MB/s", file, claims, flagged, best, #text / 1e6 / best))
print(string.format("RESULT\tx12.check\t%d\t%d\t%.6f\t%d\t-1", claims, #text, best, flagged))
LUA
for lua in $LUAS; do
    command -v "$lua" >/dev/null 2>&1 || continue
    [ -f "$BUILD/$(abi_of "$lua")/bhclaim/core.so" ] || continue
    printf '%s: ' "$lua"
    timed "$lua:x12.check" env "$(cpath "$(abi_of "$lua")")" "$lua" "$OUT/paths_x12.lua" "$X12" "$RUNS"
    cli_timed "$lua:cli.x12" "$lua" "$X12"
done

# node-x12, installed from npm into bench/out/node on first use.
sh bench/node_x12.sh || exit 0
cat >"$OUT/node/paths_parse.js" <<'EOF'
// node-x12's X12Parser.parse (its documented API, README "Examples") on one
// file, best of RUNS by CPU time (process.cpuUsage), the previous pass's
// objects collected first (node --expose-gc); written by bench/paths.sh.
const fs = require('fs')
const path = require('path')
const { X12Parser } = require(path.resolve(process.argv[2], 'node_modules/node-x12'))
const file = process.argv[3]
const runs = Number(process.argv[4] || 3)
const text = fs.readFileSync(file, 'latin1')
let best = Infinity
let wall = 0
let segments = 0
let claims = 0
for (let r = 0; r < runs; r++) {
  global.gc()
  const t0 = process.cpuUsage()
  const w0 = process.hrtime.bigint()
  const interchange = new X12Parser(true).parse(text)
  const used = process.cpuUsage(t0)
  wall = Number(process.hrtime.bigint() - w0) / 1e9
  best = Math.min(best, (used.user + used.system) / 1e6)
  segments = 0
  claims = 0
  for (const g of interchange.functionalGroups) {
    for (const t of g.transactions) {
      segments += t.segments.length
      for (const s of t.segments) if (s.tag === 'CLM') claims++
    }
  }
}
console.log(`node-x12 X12Parser.parse on ${file}: ${claims} CLM, ${segments} segments, ` +
  `${best.toFixed(3)} s CPU, ${(text.length / 1e6 / best).toFixed(1)} MB/s ` +
  `(last pass ${wall.toFixed(3)} s wall)`)
console.log(['RESULT', 'node.x12', claims, text.length, best.toFixed(6), -1, -1].join('\t'))
EOF
# One pass by default (NODE_RUNS): a pass over the 100,000-claim 837P takes
# node-x12 about half a minute of CPU, its warm-up a small share of that.
timed node.x12 node --expose-gc --max-old-space-size=8192 "$OUT/node/paths_parse.js" "$OUT/node" \
    "$X12" "${NODE_RUNS:-1}"
