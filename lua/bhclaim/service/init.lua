--- The check service: bhclaim behind nginx's Lua module. nginx.conf (as
-- bhclaim serve writes it) calls init once in the master, handle for each
-- request and log after each. Checks go through bhclaim.cli's own check
-- (cli.check_source), so an answer is the command line's JSON, line for
-- line, then a summary line. Nothing of a claim goes to a log.
-- SPDX-License-Identifier: MIT

-- luacheck: globals ngx
local bhclaim = require("bhclaim")
local cli = require("bhclaim.cli")
local reports = require("bhclaim.reports")
local keys = require("bhclaim.service.keys")
local metrics = require("bhclaim.service.metrics")
local body = require("bhclaim.service.body")

local M = {}

local format, concat = string.format, table.concat
local js = reports.json_string

local conf   -- the settings bhclaim serve wrote (see cli_serve.lua)
local key_list

--- Reads the settings file and what it names (keys, NCCI files, payer
-- profile, rules), so that a bad file stops the start or the reload.
-- @tparam string path the Lua settings file bhclaim serve wrote
function M.init(path)
  local chunk = assert(loadfile(path))
  conf = chunk()
  local list, err = keys.load(conf.keys)
  if not list then error(err) end
  key_list = list
  if conf.ncci then assert(bhclaim.ncci.load(conf.ncci)) end
  if conf.rules then assert(bhclaim.rules.load(conf.rules)) end
  if conf.profile and not bhclaim.payers.builtin(conf.profile) then
    assert(bhclaim.payers.load(conf.profile))
  end
end

-- {====================================================================
-- Answers
-- =====================================================================

local function send_json(status, text)
  ngx.status = status
  ngx.header["Content-Type"] = "application/json"
  ngx.print(text, "\n")
  return ngx.exit(status)
end

local function fail(status, code, message)
  return send_json(status, format('{"error":{"code":%s,"message":%s}}', js(code), js(message)))
end
M.fail = fail

-- {====================================================================
-- Keys, scopes and rate
-- =====================================================================

local function authorize(scope)
  local h = ngx.var.http_authorization
  local key = h and h:match("^[Bb]earer%s+(%S+)%s*$")
  if not key then return fail(401, "unauthorized", "wants Authorization: Bearer KEY") end
  local k = keys.find(key_list, key)
  if not k then return fail(401, "unauthorized", "unknown key") end
  ngx.var.bhclaim_key = k.name
  if not k.scopes[scope] then
    return fail(403, "forbidden", "the key has no '" .. scope .. "' scope")
  end
  local rate = conf.rate
  if rate and rate > 0 then
    local dict = ngx.shared.bhclaim_limits
    local n = dict:incr(k.name .. "\t" .. math.floor(ngx.now()), 1, 0, 2)
    if n and n > rate then
      ngx.header["Retry-After"] = "1"
      return fail(429, "rate_limited", format("more than %d requests a second", rate))
    end
  end
  return k
end

-- {====================================================================
-- Request bodies
-- =====================================================================

local function body_reader()
  if ngx.var.http_transfer_encoding then
    return fail(411, "length_required", "send the body with a Content-Length")
  end
  local length = tonumber(ngx.var.http_content_length or "")
  if not length then return fail(411, "length_required", "send a Content-Length") end
  if length > conf.max_body then
    return fail(413, "too_large", format("body of %d bytes; the limit is %d", length,
      conf.max_body))
  end
  if length == 0 then return fail(400, "empty", "empty request body") end
  local sock, err = ngx.req.socket()
  if not sock then return fail(400, "bad_body", "cannot read the body: " .. tostring(err)) end
  return body.new(sock, length, { idle_ms = conf.idle_timeout * 1000,
    deadline = ngx.req.start_time() + conf.request_timeout,
    now = function() ngx.update_time(); return ngx.now() end })
end

local function body_error_status(e)
  return e.body_error == "timeout" and 408 or 400
end

-- The whole body as text, or a failure already sent (too large, too slow).
local function whole_body()
  local reader = body_reader()
  local ok, text = pcall(reader.read, reader, "*a")
  if not ok then
    if type(text) == "table" and text.body_error then
      return fail(body_error_status(text), text.body_error, text.message)
    end
    error(text, 0)
  end
  return text
end

-- The whole body as one JSON object.
local function json_body()
  local text = whole_body()
  local value, msg = bhclaim.decode(text)
  if type(value) ~= "table" or value[1] ~= nil then
    return fail(400, "bad_json", value == nil and ("body: " .. tostring(msg))
      or "body: want a JSON object")
  end
  return value
end

-- {====================================================================
-- POST /v1/check
-- =====================================================================

local function option(args, name)
  local v = args[name]
  if v == nil then v = ngx.var["http_x_bhclaim_" .. name] end
  if type(v) == "table" then return fail(400, "bad_option", name .. " given twice") end
  if v == true then v = "true" end
  return v
end

-- The check options from query parameters or X-Bhclaim-* headers.
local function check_options()
  local args = ngx.req.get_uri_args(20)
  local opts = { format = "json", today = option(args, "today") }
  local extra = {}
  local profile = option(args, "profile")
  if profile and profile ~= "default" then
    if not bhclaim.payers.builtin(profile) then
      return fail(400, "bad_option", "profile '" .. profile .. "' is not a built-in profile "
        .. "(medicare, medicaid, commercial) or 'default'")
    end
    opts.profile = profile
  else
    opts.profile = conf.profile
  end
  opts.rules = conf.rules
  local lenient = option(args, "lenient")
  opts.lenient = lenient == "true" or lenient == "1"
  local disable = option(args, "disable")
  if disable then
    extra.disable = {}
    for id in disable:gmatch("[^,%s]+") do extra.disable[id] = "disabled by the request" end
  end
  return opts, extra
end

-- The answer's writer: lines gathered, sent (and flushed) every
-- conf.flush_lines; past conf.max_claims records it raises {cap = true}.
local function answer_writer()
  local w = { lines = {}, records = 0, started = false, notes = {} }
  function w.send()
    if #w.lines == 0 then return end
    if not w.started then
      ngx.status = 200
      ngx.header["Content-Type"] = "application/x-ndjson"
      w.started = true
    end
    ngx.print(w.lines)
    w.lines = {}
    ngx.flush(true)
  end
  local function add(line)
    w.lines[#w.lines + 1] = line
    if #w.lines >= conf.flush_lines then w.send() end
  end
  local function count()
    w.records = w.records + 1
    if w.records > conf.max_claims then error({ cap = true }, 0) end
  end
  w.stdout = { write = function(self, a, b, ...)
    local s = a
    if b then s = select("#", ...) == 0 and (a .. b) or concat({ a, b, ... }) end
    -- The command line's batch path writes many report lines at once:
    -- each line is added (and counted) on its own.
    local at = 1
    while at <= #s do
      local nl = s:find("\n", at, true) or #s
      local line = (at == 1 and nl == #s) and s or s:sub(at, nl)
      if line:byte(1) == 123 then count() end   -- "{": a claim's line
      add(line)
      at = nl + 1
    end
    return self
  end, flush = function() end }
  -- The command line's messages on stderr: a bad record becomes a line of
  -- the answer; anything else means the body could not be read at all.
  w.stderr = { write = function(self, ...)
    local s = concat({ ... }):gsub("^bhclaim: ", ""):gsub("\n$", "")
    local where, reason = s:match("^(.-): bad record skipped: (.*)$")
    if where then
      count()
      add(format('{"bad_record":{"where":%s,"reason":%s}}\n', js(where), js(reason)))
    else
      w.notes[#w.notes + 1] = s
    end
    return self
  end, flush = function() end }
  return w
end

local function check()
  authorize("check")
  local opts, extra = check_options()
  local reader = body_reader()
  local w = answer_writer()
  local ok, status, stats = pcall(cli.check_source, opts, { name = "request", fh = reader },
    { stdout = w.stdout, stderr = w.stderr, quiet = true }, extra)
  if not ok then
    local e = status
    if type(e) == "string" and not w.started and e:find("bad argument", 1, true) then
      -- An option the core refuses (a date that is no calendar date...).
      return fail(400, "bad_option", (e:gsub("^[^:]*:%d+: ", "")))
    end
    if type(e) ~= "table" then error(e, 0) end
    local code, message, http
    if e.cap then
      code, http = "too_many_claims", 413
      message = format("more than %d records in one request; records after the %d-th "
        .. "were not checked", conf.max_claims, conf.max_claims)
    else
      code, http, message = e.body_error, body_error_status(e), e.message
    end
    if not w.started then return fail(http, code, message) end
    w.lines[#w.lines + 1] = format('{"error":{"code":%s,"message":%s}}\n', js(code),
      js(message))
    w.send()
    return ngx.exit(200)
  end
  if status == nil then return fail(400, "bad_option", stats) end
  if status == 2 and not w.started and w.records == 0 then
    return fail(400, "unreadable", #w.notes > 0 and w.notes[1] or
      "the body could not be read")
  end
  metrics.checked(ngx.shared.bhclaim_metrics, stats)
  local note = #w.notes > 0 and format(',"message":%s', js(concat(w.notes, "; "))) or ""
  w.lines[#w.lines + 1] = format('{"summary":%s,"status":%d%s}\n',
    reports.summary_json(stats):sub(1, -2), status, note)
  w.send()
  return ngx.exit(200)
end

-- {====================================================================
-- POST /v1/export/837p, POST /v1/derive, GET /v1/codes/{code}
-- =====================================================================

local function export_837p()
  authorize("export")
  local req = json_body()
  local env, claims = req.envelope, req.claims
  if type(env) ~= "table" or type(claims) ~= "table" or #claims == 0 then
    return fail(400, "bad_request", 'want {"envelope":{...},"claims":[...]} with claims')
  end
  if #claims > conf.max_claims then
    return fail(413, "too_many_claims", format("%d claims; the limit is %d", #claims,
      conf.max_claims))
  end
  env.date = env.date or os.date("%Y-%m-%d")
  env.time = env.time or os.date("%H%M")
  local ok, text, msg = pcall(bhclaim.x12.write, claims, env)
  if not ok then return fail(400, "bad_request", (tostring(text):gsub("^[^:]*:%d+: ", ""))) end
  if not text then return fail(422, "not_written", msg) end
  return send_json(200, format('{"claims":%d,"x12":%s}', #claims, js(text)))
end

-- Runs the command line with argv; its stdout and stderr as strings.
local function run_cli(argv)
  local out, err = {}, {}
  local function sink(t)
    return { write = function(self, ...)
      for _, s in ipairs({ ... }) do t[#t + 1] = s end
      return self
    end, flush = function() end }
  end
  local status = cli.main(argv, { stdout = sink(out), stderr = sink(err), quiet = true })
  return status, concat(out), concat(err)
end

local function usage_message(err)
  return (err:match("^bhclaim: ([^\n]*)") or err)
end

local DERIVE = { code = "--code", date = "--date", payer = "--payer", modality = "--modality",
  patient_location = "--patient-location", provider_kind = "--provider-kind",
  last_in_person = "--last-in-person" }
local DERIVE_FLAGS = { group = "--group", first_telehealth = "--first-telehealth" }

local function derive()
  authorize("derive")
  local req = json_body()
  local argv = { "derive", "--format", "json" }
  for k, v in pairs(req) do
    if DERIVE[k] and type(v) == "string" then
      argv[#argv + 1] = DERIVE[k] .. "=" .. v
    elseif DERIVE_FLAGS[k] and type(v) == "boolean" then
      if v then argv[#argv + 1] = DERIVE_FLAGS[k] end
    elseif k == "profile" and type(v) == "string" and bhclaim.payers.builtin(v) then
      argv[#argv + 1] = "--profile=" .. v
    else
      return fail(400, "bad_request", "field '" .. tostring(k) .. "' is not one derive takes "
        .. "(or has the wrong type; profile names a built-in)")
    end
  end
  local status, out, err = run_cli(argv)
  if status == 2 then return fail(400, "bad_request", usage_message(err)) end
  return send_json(200, (out:gsub("\n$", "")))
end

local function codes(code)
  authorize("codes")
  if #code > 16 or not code:match("^[%w.]+$") then
    return fail(400, "bad_request", "a code is letters, digits and '.' (16 at most)")
  end
  local argv = { "codes", code, "--format", "json" }
  local date = ngx.req.get_uri_args(5).date
  if type(date) == "string" then argv[#argv + 1] = "--date=" .. date end
  local status, out, err = run_cli(argv)
  if status == 2 then return fail(400, "bad_request", usage_message(err)) end
  local results = {}
  for line in out:gmatch("[^\n]+") do results[#results + 1] = line end
  return send_json(200, format('{"code":%s,"results":[%s]}', js(code), concat(results, ",")))
end

-- The whole body as text (an X12 file), or a failure already sent.
local function text_body()
  local text = whole_body()
  if not text or not text:match("%S") then return fail(400, "bad_request", "body: empty") end
  return text
end

-- Runs a command of the command line on the body (written to a private
-- file that is removed on every path) and answers with its JSON lines:
-- POST /v1/remit is `bhclaim remit --format json`, POST
-- /v1/eligibility/read is `bhclaim eligibility read --format json`.
local function file_command(scope, words)
  return function()
    authorize(scope)
    local text = text_body()
    local path = os.tmpname()
    local f = io.open(path, "wb")
    local ok, status, out, err = pcall(function()
      assert(f, "cannot write a temporary file")
      f:write(text)
      f:close()
      local argv = {}
      for i, w in ipairs(words) do argv[i] = w end
      argv[#argv + 1] = path
      return run_cli(argv)
    end)
    os.remove(path)
    if not ok then error(status, 0) end
    if status == 2 then
      return fail(400, "bad_request", (usage_message(err):gsub(path, "body", 1)))
    end
    local lines = {}
    for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
    return send_json(200, format('{"status":%d,"entries":[%s]}', status, concat(lines, ",")))
  end
end

-- {====================================================================
-- Routing
-- =====================================================================

local ROUTES = {
  ["/v1/check"] = { "POST", "check", check },
  ["/v1/export/837p"] = { "POST", "export", export_837p },
  ["/v1/derive"] = { "POST", "derive", derive },
  ["/v1/remit"] = { "POST", "remit", file_command("remit", { "remit", "--format", "json" }) },
  ["/v1/eligibility/read"] = { "POST", "eligibility",
    file_command("eligibility", { "eligibility", "read", "--format", "json" }) },
  ["/metrics"] = { "GET", "metrics", function()
    authorize("metrics")
    ngx.header["Content-Type"] = "text/plain; version=0.0.4"
    ngx.print(metrics.render(ngx.shared.bhclaim_metrics))
    return ngx.exit(200)
  end },
  ["/healthz"] = { "GET", "healthz", function() return send_json(200, '{"status":"ok"}') end },
}

local function route()
  local uri, method = ngx.var.uri, ngx.req.get_method()
  local r = ROUTES[uri]
  local arg
  if not r then
    arg = uri:match("^/v1/codes/([^/]+)$")
    if arg then r = { "GET", "codes", codes } end
  end
  if not r then
    ngx.ctx.endpoint = "other"
    return fail(404, "not_found", "no such endpoint")
  end
  ngx.ctx.endpoint = r[2]
  ngx.var.bhclaim_endpoint = r[2]
  if method ~= r[1] then
    ngx.header["Allow"] = r[1]
    return fail(405, "method_not_allowed", uri:gsub("/[^/]*$", "/...") .. " wants " .. r[1])
  end
  return r[3](arg)
end

--- Answers one request (content_by_lua).
function M.handle()
  local ok, err = xpcall(route, debug.traceback)
  if ok then return end
  -- The traceback names code positions only: no claim text is in it.
  ngx.log(ngx.ERR, "bhclaim: internal error: ", err)
  if not ngx.headers_sent then return fail(500, "internal", "internal error") end
  ngx.print('{"error":{"code":"internal","message":"internal error"}}\n')
  return ngx.exit(200)
end

--- Counts the finished request (log_by_lua).
function M.log()
  local dict = ngx.shared.bhclaim_metrics
  if not dict then return end
  metrics.request(dict, ngx.ctx.endpoint or "other", ngx.status,
    ngx.now() - ngx.req.start_time())
end

return M
