#!/bin/sh
# bench_remit.sh: the 835 reader on a large generated 835 (bench/gen_835.lua:
# N claim payments, default 100000, from a real sample): the C API
# (bench_remit.c, MB/s and peak memory), core.remit_read building Lua
# tables, and node-x12's X12Parser.parse of the same file when npm is
# present (installed into bench/out/node, which .gitignore ignores).
# Env: BUILD, CC, N835. Called by bench/run.sh.
# SPDX-License-Identifier: MIT
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N835=${N835:-100000}
OUT=bench/out
FILE=$OUT/remit.835
mkdir -p "$OUT"

first_lua() {
    for lua in luajit lua5.4 lua5.3 lua5.1 lua; do
        command -v "$lua" >/dev/null 2>&1 && { echo "$lua"; return 0; }
    done
    return 1
}

if [ ! -s "$FILE" ] || [ -n "$(find bench/gen_835.lua -newer "$FILE")" ] ||
    [ "$(grep -c '^CLP\*' "$FILE")" -ne "$N835" ]; then
    echo "generating $N835 claim payments into $FILE"
    "$(first_lua)" bench/gen_835.lua "$N835" "$FILE.tmp"
    mv "$FILE.tmp" "$FILE"
fi
bytes=$(wc -c <"$FILE" | tr -d ' ')

# shellcheck disable=SC2046 # pkg-config output is a word list
${CC:-cc} -O2 -std=c99 -Icsrc -Itests -o "$OUT/bench_remit" bench/bench_remit.c tests/tap.c \
    "$BUILD/libbhclaim.a" \
    $(pkg-config --cflags --libs libcjson) -lm
"$OUT/bench_remit" "$FILE" | tee "$OUT/bench_remit.txt"
sc=$(awk '/^C bh_remit_reader/ { print $5 }' "$OUT/bench_remit.txt")

cat >"$OUT/remit_lua.lua" <<'LUA'
local core = require("bhclaim.core")
local f = assert(io.open(arg[1], "rb"))
local text = f:read("*a")
f:close()
local best = math.huge
for _ = 1, 3 do
  local t = os.clock()
  local list = assert(core.remit_read(text))
  best = math.min(best, os.clock() - t)
  list = nil -- luacheck: ignore
  collectgarbage()
end
print(string.format("%.3f", best))
LUA
for lua in lua5.4 luajit; do
    command -v "$lua" >/dev/null 2>&1 || continue
    case $lua in lua5.4) abi=5.4 ;; *) abi=5.1 ;; esac
    sl=$(LUA_CPATH="$BUILD/$abi/?.so;;" "$lua" "$OUT/remit_lua.lua" "$FILE")
    printf '%-7s core.remit_read (tables)  %7s s  %7s MB/s\n' "$lua" "$sl" \
        "$(awk -v s="$sl" -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
done

sh bench/node_x12.sh || exit 0
cat >"$OUT/node/parse_835.js" <<'EOF'
// Times node-x12's X12Parser.parse (its documented API) on one file, and
// reports its peak resident memory.
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
console.log(secs.toFixed(3) + ' ' + segments + ' ' + (process.resourceUsage().maxRSS / 1024).toFixed(1))
EOF
# shellcheck disable=SC2046 # three words: seconds, segments, MB
set -- $(node --max-old-space-size=8192 "$OUT/node/parse_835.js" "$OUT/node" "$FILE")
printf 'node-x12 X12Parser.parse (835)  %7s s  %7s MB/s  (%s segments; peak memory %s MB)\n' \
    "$1" "$(awk -v s="$1" -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 / s }')" "$2" "$3"
printf 'C 835 read / node-x12 parse: %sx (target >= 30x)\n' \
    "$(awk -v a="$1" -v b="$sc" 'BEGIN { printf "%.0f", a / b }')"
