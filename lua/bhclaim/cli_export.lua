--- `bhclaim export`: the claims of the input as 837P, JSON, NDJSON or CSV.
-- Reads its input with cli_check's context and readers; each claim goes to
-- a sink instead of the check.
-- @module bhclaim.cli_export
-- SPDX-License-Identifier: MIT

local bhclaim = require("bhclaim")
local core = require("bhclaim.core")
local reports = require("bhclaim.reports")
local cli_check = require("bhclaim.cli_check")
local U = require("bhclaim.cli_util")

local M = {}

local format, concat = string.format, table.concat
local fault, valid_date, date_error, whole, choice_error = U.fault, U.valid_date, U.date_error,
  U.whole, U.choice_error
local new_context, run_sources, bad_record = cli_check.new_context, cli_check.run_sources,
  cli_check.bad_record

M.HELP = [[
usage: bhclaim export --to 837p|json|ndjson|csv [OPTIONS] [FILE...]

Writes the claims of the input (sessions become one claim per present
participant) to standard output.
  837p    one X12 837P 005010X222A1 interchange; every claim is checked
          first and one with an error finding goes to the reject file
  json    a JSON array of claims       ndjson  one claim per line
  csv     one row per service line

options:
  --to FMT                 the output format (required)
  --profile NAME|FILE      profile used to turn sessions into claims
  --envelope FILE.lua      837P envelope: a Lua file returning a table with
                           sender_id, receiver_id, submitter_name,
                           submitter_id, contact_name, contact_phone,
                           receiver_name, receiver_id_1000b (required) and
                           usage, interchange_control, group_control,
                           transaction_control, date, time, separators
                           (element_sep, component_sep, repetition_sep,
                           segment_term), newlines
  --sender ID, --receiver ID, --usage T|P, --control N, --time HHMM
                           override the envelope's values
  --today YYYY-MM-DD       the interchange date (default: today)
  --ncci-ptp FILE, --ncci-mue FILE, --ncci-mue-from DATE
                           CMS NCCI files for the 837p check, as for check
  --reject FILE            bad records (and claims 837P cannot carry)
  --lenient                read 837P input leniently
  --unchecked              837p: skip the check (the writer still refuses
                           what the 837P cannot carry exactly)

exit status: 0 every record written, 1 some record could not be, 2 usage
or unreadable input.]]

local EXPORTS = { ["837p"] = true, json = true, ndjson = true, csv = true }
local ENVELOPE_REQUIRED = { "sender_id", "receiver_id", "submitter_name", "submitter_id",
  "contact_name", "contact_phone", "receiver_name", "receiver_id_1000b" }

local function valid_time(s)
  local h, m = tostring(s):match("^(%d%d)(%d%d)$")
  return h ~= nil and tonumber(h) <= 23 and tonumber(m) <= 59
end

local function envelope(a, today)
  local env, err = U.envelope_file(a.opts.envelope)
  if not env then return nil, err end
  local o = a.opts
  for _, option in ipairs({ "sender", "receiver" }) do
    if o[option] and not o[option]:match("^[%w ]+$") or o[option] and #o[option] > 15 then
      return nil, format("--%s wants an id of 1 to 15 letters, digits or spaces, not '%s'",
        option, o[option])
    end
  end
  local msg = o.usage and choice_error("--usage", o.usage, { "T", "P" })
  if msg then return nil, msg end
  if o.time and not valid_time(o.time) then
    return nil, format("--time wants HHMM (0000 to 2359), not '%s'", o.time)
  end
  env.sender_id = o.sender or env.sender_id
  env.receiver_id = o.receiver or env.receiver_id
  env.usage = o.usage or env.usage
  env.time = o.time or env.time or os.date("%H%M")
  env.date = env.date or today
  if not valid_date(env.date) then return nil, date_error("--envelope: date", env.date) end
  if not valid_time(env.time) then
    return nil, format("--envelope: time wants HHMM (0000 to 2359), not '%s'", tostring(env.time))
  end
  local control = o.control and whole(o.control, 1, 999999999)
  if o.control and not control then
    return nil, format("--control wants a whole number from 1 to 999999999, not '%s'", o.control)
  end
  if control then
    env.interchange_control, env.group_control, env.transaction_control =
      control, control, control
  end
  local missing = {}
  for _, k in ipairs(ENVELOPE_REQUIRED) do
    if type(env[k]) ~= "string" or env[k] == "" then missing[#missing + 1] = k end
  end
  if #missing > 0 then
    return nil, "export --to 837p needs an envelope (--envelope FILE.lua); missing: "
      .. concat(missing, ", ")
  end
  return env
end

local CLAIM_CSV = { "claim_id", "patient", "member_id", "payer_id", "payer_name",
  "billing_npi", "rendering_npi", "diagnoses", "line", "date", "code", "modifiers", "units",
  "charge", "place_of_service", "dx_pointers" }

local function field(t, k)
  local v = type(t) == "table" and t[k] or nil
  if type(v) == "string" or type(v) == "number" then return v end
  return nil
end

local function joined(list)
  if type(list) ~= "table" then return "" end
  local out = {}
  for i, v in ipairs(list) do out[i] = tostring(v) end
  return concat(out, " ")
end

local function claim_csv(claim)
  local member = field(claim.subscriber, "member_id")
  local rows = {}
  for i, line in ipairs(type(claim.lines) == "table" and claim.lines or {}) do
    if type(line) == "table" then
      rows[#rows + 1] = reports.csv_row({ field(claim, "id"), reports.patient(claim), member,
        field(claim.payer, "id"), field(claim.payer, "name"),
        field(claim.billing_provider, "npi"), field(claim.rendering_provider, "npi"),
        joined(claim.diagnoses), i, field(line, "date"), field(line, "code"),
        joined(line.modifiers), field(line, "units"), field(line, "charge"),
        field(line, "place_of_service") or field(claim, "place_of_service"),
        joined(line.dx_pointers) }, #CLAIM_CSV)
    end
  end
  return concat(rows)
end

-- Claims in one 837P transaction set: the core's BH_X12_CLAIMS_PER_SET,
-- as bhclaim.x12.write writes them.
local SET_CLAIMS = core.x12_claims_per_set

-- Writes the pending claims as one transaction set. Claims the 837P cannot
-- carry go to the reject file, and the set waits for others to fill their
-- places (so sets hold SET_CLAIMS claims each, as bhclaim.x12.write's do),
-- unless this is the last one.
local function flush_set(ctx, last)
  local p = ctx.pending
  if #p.texts == 0 or ctx.envelope_error then return end
  local text = ctx.writer:add(p.texts)
  if not text then
    local kept = { texts = {}, wheres = {} }
    for i, t in ipairs(p.texts) do
      local ok, why = bhclaim.x12.write({ t }, ctx.x12_env)
      if not ok and tostring(why):match("^options: ") then
        -- An envelope value out of range refuses the run, not each claim.
        ctx.envelope_error = "--envelope: " .. why
        p.texts, p.wheres = {}, {}
        return
      end
      if ok then
        kept.texts[#kept.texts + 1], kept.wheres[#kept.wheres + 1] = t, p.wheres[i]
      else
        bad_record(ctx, p.wheres[i], t, why, "x12.claim")
      end
    end
    ctx.pending = kept
    if #kept.texts == 0 or (#kept.texts < SET_CLAIMS and not last) then return end
    local msg
    text, msg = ctx.writer:add(kept.texts)
    if not text then fault("write", "the 837P could not be written: " .. tostring(msg)) end
  end
  ctx.out:write(text)
  ctx.pending = { texts = {}, wheres = {} }
end

local function export_sink(to)
  if to == "837p" then
    -- A claim arrives as a table or, from NDJSON, as its JSON text, which
    -- the writer reads without a Lua table in between.
    return function(ctx, claim, where)
      local refused = not ctx.args.opts.unchecked and bhclaim.x12.refusal(claim, ctx.check_opts)
      if refused then
        local raw = type(claim) == "string" and claim or bhclaim.encode(claim)
        return bad_record(ctx, where, raw, refused, "x12.check")
      end
      local p = ctx.pending
      p.texts[#p.texts + 1] = type(claim) == "string" and claim or bhclaim.encode(claim)
      p.wheres[#p.wheres + 1] = where
      if #p.texts >= SET_CLAIMS then flush_set(ctx, false) end
    end
  end
  return function(ctx, claim)
    ctx.stats.claims = ctx.stats.claims + 1
    if to == "csv" then return ctx.out:write(claim_csv(claim)) end
    local text = bhclaim.encode(claim)
    if to == "ndjson" then return ctx.out:write(text, "\n") end
    ctx.out:write(ctx.stats.claims == 1 and "[\n" or ",\n", text)
  end
end

--- Runs `export` (a: the parsed command line; env: as cli.main's).
function M.run(a, env)
  local to = a.opts.to
  if not to then return nil, "export wants --to 837p, json, ndjson or csv" end
  if not EXPORTS[to] then
    return nil, format("--to wants 837p, json, ndjson or csv, not '%s'", to)
  end
  local ctx, msg = new_context(a, env, "export")
  if not ctx then return nil, msg end
  local x12_env
  if to == "837p" then
    x12_env, msg = envelope(a, ctx.today)
    if not x12_env then return nil, msg end
  end
  ctx.sink, ctx.pending = export_sink(to), { texts = {}, wheres = {} }
  ctx.raw_claims = to == "837p"
  if to == "837p" then
    -- The sink checked each claim (or --unchecked): the writer does not again.
    x12_env.unchecked = true
    ctx.x12_env, ctx.writer = x12_env, core.x12_writer(x12_env)
  end
  if to == "csv" then ctx.out:write(reports.csv_row(CLAIM_CSV)) end
  run_sources(ctx, a.args)
  if to == "837p" then
    flush_set(ctx, true)
    if ctx.envelope_error then
      ctx.err:write("bhclaim: " .. ctx.envelope_error .. "\n")
      return 2
    end
    ctx.out:write(ctx.writer:finish())
  end
  if to == "json" then ctx.out:write(ctx.stats.claims == 0 and "[]\n" or "\n]\n") end
  if ctx.reject then ctx.reject:close() end
  if ctx.unreadable then return 2 end
  return ctx.stats.bad_records > 0 and 1 or 0
end

return M
