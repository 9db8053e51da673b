--- `check --jobs N` and `audit --jobs N`: N child processes over byte
-- ranges of one NDJSON file, their output replayed in order and their
-- totals merged. Internal to bhclaim.cli (see cli_check.lua).
-- @module bhclaim.cli_jobs
-- SPDX-License-Identifier: MIT

local core = require("bhclaim.core")
local reports = require("bhclaim.reports")
local U = require("bhclaim.cli_util")

local M = {}

local format, concat = string.format, table.concat  -- luacheck: ignore 211
local fault, poll_signal, checked = U.fault, U.poll_signal, U.checked
local temp_path, copy_from, copy_lines_from, copy_file_to = U.temp_path, U.copy_from,
  U.copy_lines_from, U.copy_file_to
local show_progress, erase_progress = U.show_progress, U.erase_progress

-- Milliseconds between two looks at running --jobs children.
local POLL_MS = 20

-- The words that run this same script under the same interpreter.
local function self_command(env)
  local words = {}
  for _, word in ipairs(env.interpreter or { "lua" }) do words[#words + 1] = word end
  words[#words + 1] = env.script or "bhclaim"
  return words
end

-- The path of a regular file holding the input (stdin is spooled to the
-- run's temporary directory).
local function input_path(ctx, src, block)
  if src.path then return src.path end
  local tmp = temp_path(ctx.run, "stdin.ndjson")
  local f = checked(assert(io.open(tmp, "wb")), tmp)
  f:write(block)
  copy_from(src.fh, f, nil)
  f:close()
  return tmp
end

-- Byte ranges of about size/n each, cut at line ends. Each child counts
-- the lines before its own range (see run_part), in parallel with the
-- others, rather than the parent counting them before any child starts.
local function split_ranges(path, n)
  local f = assert(io.open(path, "rb"))
  local size = f:seek("end")
  local cuts = { 0 }
  for k = 1, n - 1 do
    f:seek("set", math.floor(size * k / n))
    f:read("*l")
    local at = math.max(f:seek(), cuts[#cuts])
    cuts[#cuts + 1] = math.min(at, size)
  end
  cuts[#cuts + 1] = size
  f:close()
  local ranges = {}
  for k = 1, n do
    if cuts[k + 1] > cuts[k] then
      ranges[#ranges + 1] = { from = cuts[k], to = cuts[k + 1] }
    end
  end
  return ranges
end

-- The line number of byte offset `upto` of the file at `path` (1 when it is 0).
local function line_at(fh, upto, path)
  local line, err = core.file_line_at(fh, upto)
  if not line then fault("read", format("cannot read %s: %s", path, err)) end
  return line
end

-- Options the parent gives each child itself (its range and files, the
-- run's resolved date and format); every other option given on the
-- command line (--profile, --rules, --coverage, --ncci-*...) is passed on
-- as it came, so a child checks as the parent would.
local SET_FOR_CHILD = { jobs = true, reject = true, today = true, format = true, part = true,
  range = true, name = true, ["first-line"] = true, progress = true }

local function child_argv(ctx, path, range, files)
  local words = self_command(ctx.env)
  -- As --name=value, so that a value starting with "-" (a file named
  -- "-x.ndjson") is read as the value, not as an option.
  local function add(name, value)
    words[#words + 1] = value == true and ("--" .. name) or ("--" .. name .. "=" .. value)
  end
  words[#words + 1] = ctx.mode
  add("part", files.stats)
  add("range", range.from .. ":" .. range.to)
  add("name", files.name)
  add("today", ctx.today)
  add("progress", files.progress)
  if ctx.mode == "check" then add("format", ctx.format) end
  if ctx.reject then add("reject", files.reject) end
  for _, pair in ipairs(ctx.args.order) do
    if not SET_FOR_CHILD[pair[1]] then add(pair[1], pair[2]) end
  end
  words[#words + 1] = "--"
  words[#words + 1] = path
  return words
end

local function load_stats(path)
  local chunk = loadfile(path)
  local ok, stats = pcall(chunk or error)
  if ok and type(stats) == "table" then return stats end
  return nil
end

-- The records the children have counted so far (their --progress files).
local function children_progress(jobs)
  local total = 0
  for _, job in ipairs(jobs) do
    local f = io.open(job.files.progress, "rb")
    if f then
      total = total + (tonumber(f:read("*a")) or 0)
      f:close()
    end
  end
  return total
end

-- Follows a running child's output into ours until it ends, so the first
-- range's reports come out at once (and a closed pipe is seen at once),
-- showing the children's progress meanwhile. Returns its exit status.
local function follow_child(ctx, job, jobs)
  local fh, pos, status = nil, 0
  while true do
    poll_signal()
    status = core.process_wait(job.pid)
    fh = fh or io.open(job.files.out, "rb")
    if fh then
      if ctx.share_terminal then erase_progress(ctx) end
      pos = (status and copy_from or copy_lines_from)(fh, ctx.out, pos)
    end
    -- Shown also once the child has ended: the count stays on screen while
    -- later children are followed, so a run of fast children shows it too.
    if ctx.show_progress then
      local n = children_progress(jobs)
      if n > 1000 and (n ~= ctx.last_shown or not ctx.progress_shown) then
        show_progress(ctx, n)
        ctx.last_shown = n
      end
    end
    if status then break end
    core.process_sleep(POLL_MS)
  end
  ctx.run.children[job.pid] = nil
  if fh then fh:close() end
  return status
end

-- Copies a child's stderr to ours, erasing the progress line first only
-- when there is something to write.
local function copy_err_to(ctx, path)
  local f = io.open(path, "rb")
  if not f then return end
  local first = f:read(1)
  if first then
    erase_progress(ctx)
    f:seek("set", 0)
    copy_from(f, ctx.err, 0)
  end
  f:close()
end

-- Replays a child's output in order and merges its totals.
local function collect_child(ctx, job, jobs)
  local status = follow_child(ctx, job, jobs)
  copy_err_to(ctx, job.files.err)
  if ctx.reject then copy_file_to(job.files.reject, ctx.reject) end
  local stats = load_stats(job.files.stats)
  if not stats then
    erase_progress(ctx)
    ctx.err:write("bhclaim: a --jobs child failed (exit status " .. tostring(status) .. ")\n")
    ctx.unreadable = true
  else
    reports.summary_merge(ctx.stats, stats.summary)
    if stats.unreadable then ctx.unreadable = true end
  end
  for key, p in pairs(job.files) do
    if key ~= "name" then os.remove(p) end
  end
end

--- Runs the NDJSON input `src` (its first `block` already read) over
-- ctx.jobs children.
function M.run_jobs(ctx, src, block)
  local path = input_path(ctx, src, block)
  local jobs = {}
  for k, range in ipairs(split_ranges(path, ctx.jobs)) do
    local files = { name = src.name }
    for _, key in ipairs({ "out", "err", "stats", "reject", "progress" }) do
      files[key] = temp_path(ctx.run, key .. "." .. k)
    end
    local pid, err = core.process_spawn(child_argv(ctx, path, range, files), files.out,
      files.err)
    if not pid then fault("spawn", err) end
    ctx.run.children[pid] = true
    jobs[#jobs + 1] = { pid = pid, files = files }
  end
  for _, job in ipairs(jobs) do collect_child(ctx, job, jobs) end
  if path ~= src.path then os.remove(path) end
end

--- A child's own work: NDJSON lines of one byte range, run by
-- `ndjson_stream` (cli_check's).
function M.run_part(ctx, path, ndjson_stream)
  local from, to = ctx.args.opts.range:match("^(%d+):(%d+)$")
  local fh = io.open(path, "rb")
  if not fh or not from then
    ctx.unreadable = true
    return
  end
  local first = tonumber(ctx.args.opts["first-line"]) or line_at(fh, tonumber(from), path)
  fh:seek("set", tonumber(from))
  local src = { name = ctx.args.opts.name or path, fh = fh }
  ndjson_stream(ctx, src, "", first, tonumber(to) - tonumber(from))
  fh:close()
end

-- A Lua literal of plain data (numbers, strings, booleans, tables).
local function serialize(v)
  if type(v) == "table" then
    local out = {}
    for k, x in pairs(v) do
      out[#out + 1] = "[" .. serialize(k) .. "]=" .. serialize(x)
    end
    return "{" .. concat(out, ",") .. "}"
  elseif type(v) == "string" then
    return format("%q", v)
  elseif type(v) == "number" then
    return format("%.17g", v)
  end
  return tostring(v)
end

--- Writes a child's totals for the parent (its --part file).
function M.write_part_stats(ctx)
  local f = assert(io.open(ctx.part, "wb"))
  f:write("return ", serialize({ summary = ctx.stats, unreadable = ctx.unreadable }), "\n")
  f:close()
end

return M
