-- wrk_post.lua: wrk script for bench_service.sh: POSTs the file named by
-- $BENCH_BODY with the key in $BENCH_KEY, and prints one parsable line.
-- SPDX-License-Identifier: MIT
-- luacheck: globals wrk done

local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
wrk.headers["Content-Type"] = "application/x-ndjson"

function done(summary, latency)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
