#!/bin/sh
# bench_service.sh: the check service (bhclaim serve) under wrk, over TLS
# with keep-alive, from loopback, beside the command line on the same claims
# and the same two cores (issue 15):
#  (i)   single-claim POST /v1/check at the maximum rate (wrk, 8 connections);
#  (ii)  the same with 1 connection: wrk has no rate control (wrk2 is not in
#        Debian), so one closed-loop connection stands for "about half the
#        maximum"; its rate is printed as a share of the maximum, with p99;
#  (iii) 1000-claim NDJSON batches (2 connections), in claims/s;
#  (iv)  the command line's check --format json on 20,000 of the same claims,
#        with --jobs 1 and --jobs 2.
# Each wrk run lasts $SECS seconds (default 10). Needs nginx with its Lua
# module, wrk and openssl (scripts/install-deps.sh). POSIX sh.
# SPDX-License-Identifier: MIT
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECS=${SECS:-10}
OUT=bench/out
TODAY=2026-11-26
mkdir -p "$OUT"

for tool in nginx wrk openssl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench_service.sh: $tool missing" >&2; exit 1; }
done

LUA=luajit
command -v luajit >/dev/null 2>&1 || LUA=lua5.4

DIR=$(mktemp -d /tmp/bhclaim-bench-XXXXXX)
stop() {
    if [ -f "$DIR/nginx.pid" ]; then kill -TERM "$(cat "$DIR/nginx.pid")" 2>/dev/null || true; fi
    sleep 0.5
    rm -rf "$DIR"
}
trap stop EXIT INT TERM

# Claims: a 1000-claim batch and its first claim, from the generator.
$LUA bench/gen_claims.lua 20000 "$OUT/service_20k.ndjson" >/dev/null
head -n 1000 "$OUT/service_20k.ndjson" > "$OUT/service_1000.ndjson"
head -n 1 "$OUT/service_20k.ndjson" > "$OUT/service_1.ndjson"

# A throwaway CA, server certificate and key.
(
    cd "$DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 \
        -subj /CN=bhclaim-bench-ca
    openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=127.0.0.1
    printf 'subjectAltName=IP:127.0.0.1\n' > ext
    openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem \
        -days 1 -extfile ext
) >/dev/null 2>&1
KEY=$($LUA scripts/bhclaim serve --add-key bench --scopes check --keys "$DIR/keys" 2>/dev/null)

PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
URL="https://127.0.0.1:$PORT/v1/check?today=$TODAY"
$LUA scripts/bhclaim serve --dir "$DIR" --keys "$DIR/keys" --listen "127.0.0.1:$PORT" \
    --workers 2 --rate 0 --tls-cert "$DIR/srv.pem" --tls-key "$DIR/srv.key" \
    >"$DIR/serve.out" 2>&1 &
i=0
until curl -s -o /dev/null --cacert "$DIR/ca.pem" "https://127.0.0.1:$PORT/healthz"; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || { cat "$DIR/serve.out" >&2; exit 1; }
    sleep 0.1
done

# run_wrk CONNECTIONS BODY -> the BENCH line
run_wrk() {
    BENCH_KEY="$KEY" BENCH_BODY="$ROOT/$2" wrk -t"$( [ "$1" -gt 1 ] && echo 2 || echo 1)" \
        -c"$1" -d"${SECS}s" -s bench/wrk_post.lua "$URL" | grep '^BENCH'
}
field() { printf '%s\n' "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }

echo
echo "==== check service over TLS (2 workers), wrk ${SECS}s per line ===="
max=$(run_wrk 8 "$OUT/service_1.ndjson")
max_rate=$(awk -v r="$(field "$max" requests)" -v s="$(field "$max" seconds)" \
    'BEGIN { printf "%.0f", r / s }')
printf 'single claim, 8 connections (max):  %6s req/s  p50 %s ms  p99 %s ms  errors %s\n' \
    "$max_rate" "$(field "$max" p50_ms)" "$(field "$max" p99_ms)" "$(field "$max" errors)"
half=$(run_wrk 1 "$OUT/service_1.ndjson")
half_rate=$(awk -v r="$(field "$half" requests)" -v s="$(field "$half" seconds)" \
    'BEGIN { printf "%.0f", r / s }')
printf 'single claim, 1 connection:         %6s req/s  p50 %s ms  p99 %s ms  (%s%% of max)\n' \
    "$half_rate" "$(field "$half" p50_ms)" "$(field "$half" p99_ms)" \
    "$(awk -v a="$half_rate" -v b="$max_rate" 'BEGIN { printf "%.0f", 100 * a / b }')"
batch=$(run_wrk 2 "$OUT/service_1000.ndjson")
batch_rate=$(awk -v r="$(field "$batch" requests)" -v s="$(field "$batch" seconds)" \
    'BEGIN { printf "%.0f", 1000 * r / s }')
printf '1000-claim batches, 2 connections:  %6s claims/s  p50 %s ms  p99 %s ms  errors %s\n' \
    "$batch_rate" "$(field "$batch" p50_ms)" "$(field "$batch" p99_ms)" "$(field "$batch" errors)"

echo
echo "==== command line on 20,000 of the same claims ($LUA) ===="
cli_best=0
for jobs in 1 2; do
    t0=$(date +%s.%N)
    $LUA scripts/bhclaim check --format json --jobs "$jobs" --today "$TODAY" \
        "$OUT/service_20k.ndjson" > /dev/null || [ $? = 1 ]
    t1=$(date +%s.%N)
    cli_rate=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 20000 / (b - a) }')
    printf 'check --jobs %s:                     %6s claims/s\n' "$jobs" "$cli_rate"
    if [ "$jobs" = 1 ] || [ "$cli_rate" -gt "$cli_best" ]; then cli_best=$cli_rate; fi
done
printf 'service batches / best CLI:          %s%% (target: at least 80%%)\n' \
    "$(awk -v a="$batch_rate" -v b="$cli_best" 'BEGIN { printf "%.0f", 100 * a / b }')"
echo "(loopback; wrk, nginx and the CLI share the machine's cores: figures move with its load)"
