-- table.lua: the closing table of `make bench`: each path of issue 10's table
-- next to its peer measured in the same run (rows written by bench/paths.sh),
-- the ratio of their throughputs, the issue's target for it, the share of
-- claims with an error or a warning (the same on every check path when they
-- do the same work) and the peak RSS of each process.
-- Usage: lua bench/table.lua RESULTS.tsv
-- Rows: id, claims, bytes, CPU seconds, claims with an error or a warning
-- (-1: no check),
-- peak RSS in KiB (-1: unknown), tab-separated.
-- SPDX-License-Identifier: MIT

local format = string.format

local rows, luas, seen = {}, {}, {}
local f = assert(io.open(arg[1] or "bench/out/results.tsv", "r"))
for line in f:lines() do
  local id, claims, bytes, seconds, flagged, rss =
    line:match("^([^\t]+)\t(%d+)\t(%d+)\t([%d.]+)\t(%-?%d+)\t(%-?%d+)$")
  if not id then error("table.lua: malformed row: " .. line) end
  rows[id] = { claims = tonumber(claims), bytes = tonumber(bytes), seconds = tonumber(seconds),
    flagged = tonumber(flagged), rss = tonumber(rss) }
  local lua = id:match("^([^:]+):")
  if lua and not seen[lua] then
    seen[lua] = true
    luas[#luas + 1] = lua
  end
end
f:close()

-- What each path is compared with, and the target issue 10 ("Done when")
-- sets for the ratio path/peer; nil where the issue sets none. unit: the
-- throughput shown (claims/s for JSON input, MB/s of 837P text).
local pairs_ = {
  { id = "core.check", label = "core parse + check (C)", peer = "core.parse",
    peer_label = "cJSON parse only (C)", unit = "claims" },
}
for _, lua in ipairs(luas) do
  local jit = lua:find("jit", 1, true) ~= nil
  pairs_[#pairs_ + 1] = { id = lua .. ":check-table", label = lua .. " bhclaim.check(table)",
    peer = lua .. ":decode", peer_label = lua .. " cjson.decode", unit = "claims",
    target = jit and 2 or nil }
  pairs_[#pairs_ + 1] = { id = lua .. ":check-json", label = lua .. " bhclaim.check(json)",
    peer = lua .. ":decode", peer_label = lua .. " cjson.decode", unit = "claims" }
  pairs_[#pairs_ + 1] = { id = lua .. ":cli.ndjson", label = lua .. " CLI check, NDJSON",
    peer = "core.parse", peer_label = "cJSON parse only (C)", unit = "claims", target = 0.70 }
end
pairs_[#pairs_ + 1] = { id = "core.x12.check", label = "C API 837P read + check",
  peer = "node.x12", peer_label = "node-x12 parse", unit = "MB" }
for _, lua in ipairs(luas) do
  pairs_[#pairs_ + 1] = { id = lua .. ":x12.check", label = lua .. " bhclaim.x12.check 837P",
    peer = "node.x12", peer_label = "node-x12 parse", unit = "MB", target = 20 }
  pairs_[#pairs_ + 1] = { id = lua .. ":cli.x12", label = lua .. " CLI check, 837P",
    peer = "node.x12", peer_label = "node-x12 parse", unit = "MB", target = 15 }
end

local function throughput(row, unit)
  if unit == "MB" then return row.bytes / 1e6 / row.seconds end
  return row.claims / row.seconds
end

local function show_throughput(value, unit)
  if unit == "MB" then return format("%.1f MB/s", value) end
  return format("%.0f claims/s", value)
end

local function show_share(row)
  if row.flagged < 0 then return "-" end
  return format("%.1f%%", 100 * row.flagged / row.claims)
end

local function show_rss(row)
  if not row or row.rss < 0 then return "?" end
  return format("%.0f MB", row.rss / 1024)
end

local function show_target(target)
  if not target then return "-" end
  if target < 1 then return format(">= %.0f%%", 100 * target) end
  return format(">= %gx", target)
end

local function show_ratio(ratio, target)
  local text = ratio < 1 and format("%.0f%%", 100 * ratio) or format("%.2fx", ratio)
  if target and ratio < target then text = text .. " (below)" end
  return text
end

local head = { "path", "throughput", "flagged", "peer", "peer throughput", "ratio", "target",
  "peak RSS (path / peer)" }
local out = {}
for _, p in ipairs(pairs_) do
  local row, peer = rows[p.id], rows[p.peer]
  if row then
    local t = throughput(row, p.unit)
    local cells = { p.label, show_throughput(t, p.unit), show_share(row), p.peer_label }
    if peer then
      local pt = throughput(peer, p.unit)
      cells[5], cells[6] = show_throughput(pt, p.unit), show_ratio(t / pt, p.target)
    else
      cells[5], cells[6] = "not measured", "-"
    end
    cells[7] = show_target(p.target)
    cells[8] = show_rss(row) .. " / " .. show_rss(peer)
    out[#out + 1] = cells
  end
end

local width = {}
for i, h in ipairs(head) do width[i] = #h end
for _, cells in ipairs(out) do
  for i, c in ipairs(cells) do width[i] = math.max(width[i], #c) end
end
local function line(cells)
  local parts = {}
  for i, c in ipairs(cells) do parts[i] = c .. string.rep(" ", width[i] - #c) end
  print((table.concat(parts, " | "):gsub("%s+$", "")))
end
line(head)
local rule = {}
for i = 1, #head do rule[i] = string.rep("-", width[i]) end
line(rule)
for _, cells in ipairs(out) do line(cells) end
print("flagged: share of claims with an error or a warning finding (same share = same")
print("work; the 837P holds the claims the export's check let through). Ratio: path")
print("throughput / peer throughput, CPU time (user + system), best of the passes; CLI")
print("rows are whole processes (start-up, reading, report lines written). Peak RSS: GNU")
print("time %M of each process, the input held in memory included (check(table): the")
print("decoded claim tables too).")
