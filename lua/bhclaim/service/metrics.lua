--- Counters of the check service, kept in an nginx lua_shared_dict so that
-- every worker adds to the same numbers, and shown as Prometheus text.
-- Keys in the dict: "req\tENDPOINT\tSTATUS", "lat\tENDPOINT\tBUCKET",
-- "latsum\tENDPOINT", "latcount\tENDPOINT", "claims", "rejected",
-- "rule\tRULE".
-- SPDX-License-Identifier: MIT

local M = {}

local format, concat = string.format, table.concat

--- Upper bounds (seconds) of the latency histogram's buckets.
M.BUCKETS = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 }

local function add(dict, key, n)
  local _, err = dict:incr(key, n, 0)
  return err == nil
end

--- Counts one finished request.
-- @param dict the shared dict
-- @tparam string endpoint
-- @tparam number status
-- @tparam number seconds its duration
function M.request(dict, endpoint, status, seconds)
  add(dict, "req\t" .. endpoint .. "\t" .. status, 1)
  for _, b in ipairs(M.BUCKETS) do
    if seconds <= b then add(dict, "lat\t" .. endpoint .. "\t" .. b, 1) end
  end
  add(dict, "latsum\t" .. endpoint, seconds)
  add(dict, "latcount\t" .. endpoint, 1)
end

--- Adds a check's summary: claims checked, records rejected, findings by rule.
-- @param dict
-- @tparam table s summary (bhclaim.reports.summary)
function M.checked(dict, s)
  if s.claims > 0 then add(dict, "claims", s.claims) end
  if s.bad_records > 0 then add(dict, "rejected", s.bad_records) end
  for rule, r in pairs(s.rules) do add(dict, "rule\t" .. rule, r.count) end
end

local function label(v)
  return (tostring(v):gsub("[\\\"\n]", { ["\\"] = "\\\\", ['"'] = '\\"', ["\n"] = "\\n" }))
end

local function num(v)
  if v == math.floor(v) then return format("%d", v) end
  return format("%.6f", v)
end

--- The counters as Prometheus text (exposition format 0.0.4).
-- @param dict
-- @treturn string
function M.render(dict)
  local req, lat, sums, counts, rules = {}, {}, {}, {}, {}
  local keys = dict:get_keys(0)
  table.sort(keys)
  for _, k in ipairs(keys) do
    local v = dict:get(k) or 0
    local kind, a, b = k:match("^(%w+)\t?([^\t]*)\t?(.*)$")
    if kind == "req" then
      req[#req + 1] = format('bhclaim_requests_total{endpoint="%s",status="%s"} %s',
        label(a), label(b), num(v))
    elseif kind == "lat" then
      lat[a] = lat[a] or {}
      lat[a][tonumber(b)] = v
    elseif kind == "latsum" then sums[a] = v
    elseif kind == "latcount" then counts[a] = v
    elseif kind == "rule" then
      rules[#rules + 1] = format('bhclaim_findings_total{rule="%s"} %s', label(a), num(v))
    end
  end
  local out = { "# HELP bhclaim_requests_total Requests by endpoint and status.",
    "# TYPE bhclaim_requests_total counter" }
  for _, l in ipairs(req) do out[#out + 1] = l end
  out[#out + 1] = "# HELP bhclaim_request_seconds Request latency."
  out[#out + 1] = "# TYPE bhclaim_request_seconds histogram"
  local eps = {}
  for ep in pairs(counts) do eps[#eps + 1] = ep end
  table.sort(eps)
  for _, ep in ipairs(eps) do
    for _, b in ipairs(M.BUCKETS) do
      out[#out + 1] = format('bhclaim_request_seconds_bucket{endpoint="%s",le="%s"} %s',
        label(ep), tostring(b), num((lat[ep] or {})[b] or 0))
    end
    out[#out + 1] = format('bhclaim_request_seconds_bucket{endpoint="%s",le="+Inf"} %s',
      label(ep), num(counts[ep]))
    out[#out + 1] = format('bhclaim_request_seconds_sum{endpoint="%s"} %s', label(ep),
      num(sums[ep] or 0))
    out[#out + 1] = format('bhclaim_request_seconds_count{endpoint="%s"} %s', label(ep),
      num(counts[ep]))
  end
  out[#out + 1] = "# HELP bhclaim_claims_checked_total Claims checked."
  out[#out + 1] = "# TYPE bhclaim_claims_checked_total counter"
  out[#out + 1] = "bhclaim_claims_checked_total " .. num(dict:get("claims") or 0)
  out[#out + 1] = "# HELP bhclaim_records_rejected_total Records refused as unreadable."
  out[#out + 1] = "# TYPE bhclaim_records_rejected_total counter"
  out[#out + 1] = "bhclaim_records_rejected_total " .. num(dict:get("rejected") or 0)
  out[#out + 1] = "# HELP bhclaim_findings_total Findings by rule id."
  out[#out + 1] = "# TYPE bhclaim_findings_total counter"
  for _, l in ipairs(rules) do out[#out + 1] = l end
  return concat(out, "\n") .. "\n"
end

return M
