--- `bhclaim serve`: writes an nginx configuration for the check service
-- (bhclaim.service) into a run directory and runs nginx in the foreground;
-- also adds API keys and reloads or stops a running service.
-- SPDX-License-Identifier: MIT

local argparse = require("argparse")
local keys = require("bhclaim.service.keys")
local U = require("bhclaim.cli_util")

local M = {}

local format, concat = string.format, table.concat

M.HELP = [[
usage: bhclaim serve [--listen ADDR:PORT] [--workers N] [--dir RUNDIR] [--keys FILE]
                     [--tls-cert FILE --tls-key FILE | --insecure-http]
                     [--profile NAME|FILE] [--rules FILE] [--ncci-ptp FILE] [--ncci-mue FILE]
                     [--max-body BYTES] [--max-claims N] [--rate N]
                     [--request-timeout S] [--idle-timeout S]
       bhclaim serve --add-key NAME [--keys FILE]
             [--scopes check,export,derive,codes,remit,eligibility,metrics]
       bhclaim serve --reload|--stop [--dir RUNDIR]

Runs the check service (docs/service.md): nginx with its Lua module, in the
foreground, until Ctrl-C or SIGTERM to the master (pid in RUNDIR/nginx.pid).

  --listen ADDR:PORT   default 127.0.0.1:8443
  --workers N          nginx worker processes (default 2)
  --dir RUNDIR         nginx.conf, service.lua, logs and pid file (default ./bhclaim-run)
  --keys FILE          API keys file (default RUNDIR/keys)
  --tls-cert, --tls-key  the server's certificate and key (PEM); TLS is the default
  --insecure-http      plain HTTP; only on a loopback address
  --profile P          payer profile when a request names none
  --rules FILE         custom rule set used on every check
  --ncci-ptp, --ncci-mue  CMS NCCI files loaded at start and on reload
  --max-body BYTES     largest request body (default 536870912); larger: 413
  --max-claims N       records per request (default 100000); more: 413
  --rate N             requests a second per key (default 200; 0: no limit); more: 429
  --request-timeout S  a whole request (default 300); --idle-timeout S: silence (default 30)
  --add-key NAME       prints a new key once; the keys file keeps its SHA-256
  --reload             re-reads keys, profiles, rules and NCCI files (SIGHUP to nginx)
  --stop               stops the service gracefully]]

local OPTIONS = { listen = "value", workers = "value", keys = "value", ["tls-cert"] = "value",
  ["tls-key"] = "value", ["insecure-http"] = "flag", dir = "value", profile = "value",
  rules = "value", ["ncci-ptp"] = "value", ["ncci-mue"] = "value", ["max-body"] = "value",
  ["max-claims"] = "value", rate = "value", ["request-timeout"] = "value",
  ["idle-timeout"] = "value", ["add-key"] = "value", scopes = "value", reload = "flag",
  stop = "flag", help = "flag" }

-- The options of argv[2..] (argv[1] is "serve") by name, a repeated one
-- with its last value; or nil and a usage message. Parsed by argparse as
-- the other commands are (cli.lua): "--opt value", "--opt=value", "--"
-- ending the options; serve takes no other words.
local function parse(argv)
  local o = {}
  local parser = argparse("bhclaim serve"):add_help(false)
  U.declare_options(parser, OPTIONS, function(name, value) o[name] = value end)
  parser:argument("words"):args("*")
  local result, err = U.parse_words(parser, U.joined_values(argv, OPTIONS, 2))
  if not result then return nil, err end
  if result.words[1] ~= nil then
    return nil, "unknown option or argument '" .. tostring(result.words[1]) .. "'"
  end
  return o
end

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function absolute(path)
  if path:sub(1, 1) == "/" then return path end
  local p = io.popen("pwd")
  local cwd = p and p:read("*l") or "."
  if p then p:close() end
  return cwd .. "/" .. path
end

local function readable(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

--- True for an address only this machine can reach.
-- @tparam string host
function M.loopback(host)
  return host == "localhost" or host == "[::1]" or host == "::1"
    or host:match("^127%.%d+%.%d+%.%d+$") ~= nil
end

local function whole(o, name, default, least)
  local v = o[name]
  if v == nil then return default end
  local n = tonumber(v)
  if not n or n ~= math.floor(n) or n < least then
    return nil, format("--%s wants a whole number of at least %d", name, least)
  end
  return n
end

-- The checkout's or install's Lua layer and bhclaim.core for LuaJIT (5.1 ABI).
local function lua_paths()
  local src = debug.getinfo(1, "S").source:gsub("^@", "")
  local lua_dir = absolute(src):match("^(.*)/bhclaim/cli_serve%.lua$") or "."
  local root = lua_dir:match("^(.*)/lua$")
  local path = lua_dir .. "/?.lua;" .. lua_dir .. "/?/init.lua;;"
  local extra = os.getenv("BHCLAIM_RESTY_PATH")   -- lua-resty-core outside /usr/share/lua
  if extra and extra ~= "" then path = extra .. ";" .. path end
  local cpath = ";;"
  if root and readable(root .. "/build/5.1/bhclaim/core.so") then
    cpath = root .. "/build/5.1/?.so;;"
  end
  return path, cpath
end

-- {====================================================================
-- Settings and nginx.conf
-- =====================================================================

local function settings(o)
  local s = { flush_lines = 256 }
  local err
  local listen = o.listen or "127.0.0.1:8443"
  local host, port = listen:match("^(.*):(%d+)$")
  if not host or host == "" or tonumber(port) > 65535 then
    return nil, "--listen wants ADDR:PORT"
  end
  s.listen, s.host = listen, host
  s.workers, err = whole(o, "workers", 2, 1)
  if not s.workers then return nil, err end
  s.max_body, err = whole(o, "max-body", 512 * 1024 * 1024, 1)
  if not s.max_body then return nil, err end
  s.max_claims, err = whole(o, "max-claims", 100000, 1)
  if not s.max_claims then return nil, err end
  s.rate, err = whole(o, "rate", 200, 0)
  if not s.rate then return nil, err end
  s.request_timeout, err = whole(o, "request-timeout", 300, 1)
  if not s.request_timeout then return nil, err end
  s.idle_timeout, err = whole(o, "idle-timeout", 30, 1)
  if not s.idle_timeout then return nil, err end
  if o["insecure-http"] then
    if o["tls-cert"] or o["tls-key"] then
      return nil, "--insecure-http and --tls-cert/--tls-key exclude each other"
    end
    if not M.loopback(host) then
      return nil, "--insecure-http only on a loopback address (127.0.0.1, ::1, localhost): "
        .. "claims carry health information"
    end
  else
    if not (o["tls-cert"] and o["tls-key"]) then
      return nil, "serve wants --tls-cert and --tls-key (or --insecure-http on loopback)"
    end
    for _, k in ipairs({ "tls-cert", "tls-key" }) do
      if not readable(o[k]) then return nil, "--" .. k .. ": cannot read " .. o[k] end
    end
    s.tls_cert, s.tls_key = absolute(o["tls-cert"]), absolute(o["tls-key"])
  end
  if o.profile then
    s.profile = readable(o.profile) and absolute(o.profile) or o.profile
  end
  if o.rules then s.rules = absolute(o.rules) end
  if o["ncci-ptp"] or o["ncci-mue"] then
    s.ncci = { ptp = o["ncci-ptp"] and absolute(o["ncci-ptp"]),
      mue = o["ncci-mue"] and absolute(o["ncci-mue"]) }
  end
  return s
end

local function lua_literal(v)
  if type(v) == "table" then
    local parts = {}
    for k, x in pairs(v) do parts[#parts + 1] = format("[%q] = %s", k, lua_literal(x)) end
    table.sort(parts)
    return "{ " .. concat(parts, ", ") .. " }"
  elseif type(v) == "string" then
    return format("%q", v)
  end
  return tostring(v)
end

-- An nginx module: from $BHCLAIM_NGINX_MODULES when set and there, else
-- Debian's place.
local function module_path(name)
  local dir = os.getenv("BHCLAIM_NGINX_MODULES")
  if dir and dir ~= "" and readable(dir .. "/" .. name) then return dir .. "/" .. name end
  return "/usr/lib/nginx/modules/" .. name
end

--- The nginx configuration for settings s in run directory dir.
-- @tparam table s from settings
-- @tparam string dir absolute run directory
-- @treturn string
function M.nginx_conf(s, dir)
  local path, cpath = lua_paths()
  local listen = s.listen .. (s.tls_cert and " ssl" or "")
  local tls = s.tls_cert and format([[
        ssl_certificate %s;
        ssl_certificate_key %s;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:bhclaim_tls:4m;
        ssl_session_timeout 10m;
]], s.tls_cert, s.tls_key) or ""
  return format([[
# Written by bhclaim serve; rewritten on every start (docs/service.md).
load_module %s;
load_module %s;
worker_processes %d;
master_process on;
daemon off;
pid %s/nginx.pid;
error_log %s/error.log warn;
events { worker_connections 1024; }
http {
    lua_package_path "%s";
    lua_package_cpath "%s";
    lua_shared_dict bhclaim_metrics 4m;
    lua_shared_dict bhclaim_limits 4m;
    init_by_lua_block { require("bhclaim.service").init(%q) }
    # No URI, no body, no header values: claim content never reaches a log.
    log_format bhclaim '$time_iso8601 key=$bhclaim_key endpoint=$bhclaim_endpoint '
                       'status=$status in=$request_length out=$bytes_sent '
                       'time=$request_time';
    access_log %s/access.log bhclaim;
    client_body_temp_path %s/tmp/body;
    proxy_temp_path %s/tmp/proxy;
    fastcgi_temp_path %s/tmp/fastcgi;
    uwsgi_temp_path %s/tmp/uwsgi;
    scgi_temp_path %s/tmp/scgi;
    client_max_body_size 0;
    client_header_timeout %ds;
    keepalive_timeout %ds;
    send_timeout %ds;
    lua_socket_log_errors off;
    server_tokens off;
    server {
        listen %s;
%s        set $bhclaim_key "-";
        set $bhclaim_endpoint "-";
        location / {
            content_by_lua_block { require("bhclaim.service").handle() }
            log_by_lua_block { require("bhclaim.service").log() }
        }
    }
}
]], module_path("ndk_http_module.so"), module_path("ngx_http_lua_module.so"), s.workers,
    dir, dir, path, cpath, dir .. "/service.lua", dir, dir, dir, dir, dir, dir,
    s.idle_timeout, s.idle_timeout, s.idle_timeout, listen, tls)
end

local function write_file(path, text)
  local f, err = io.open(path, "wb")
  if not f then return nil, err end
  local ok, werr = f:write(text)
  local closed, cerr = f:close()
  if not ok or not closed then return nil, tostring(werr or cerr) end
  return true
end

local function master_pid(dir)
  local f = io.open(dir .. "/nginx.pid", "rb")
  local pid = f and f:read("*l")
  if f then f:close() end
  return pid and pid:match("^%d+$")
end

local function signal(dir, sig)
  local pid = master_pid(dir)
  if not pid then return nil, "no running service in " .. dir .. " (no nginx.pid)" end
  if not os.execute(format("kill -%s %s", sig, pid)) then
    return nil, "cannot signal nginx " .. pid
  end
  return 0
end

local function start(o, env, dir)
  local s, err = settings(o)
  if not s then return nil, err end
  s.keys = absolute(o.keys or (dir .. "/keys"))
  if not readable(s.keys) then
    return nil, "no keys file " .. s.keys .. " (make one with serve --add-key NAME)"
  end
  if not os.execute("mkdir -p " .. shell_quote(dir .. "/tmp")) then
    return nil, "cannot make " .. dir
  end
  local conf = dir .. "/nginx.conf"
  local ok, werr = write_file(dir .. "/service.lua", "return " .. lua_literal(s) .. "\n")
  if ok then ok, werr = write_file(conf, M.nginx_conf(s, dir)) end
  if not ok then return nil, "cannot write the run directory: " .. tostring(werr) end
  local nginx = format("nginx -p %s -c %s -e %s", shell_quote(dir .. "/"), shell_quote(conf),
    shell_quote(dir .. "/error.log"))
  env.stderr:write(format("bhclaim: serving on %s://%s (%d workers); logs and pid in %s\n",
    s.tls_cert and "https" or "http", s.listen, s.workers, dir))
  env.stderr:flush()
  -- exec: nginx takes the shell's place, so Ctrl-C reaches it and its exit
  -- status is the command's. Lua cannot catch signals: with setpriv
  -- (util-linux), nginx gets SIGTERM when this process dies, so a SIGTERM
  -- to bhclaim stops nginx too instead of leaving it running.
  local pdeath = os.execute("command -v setpriv >/dev/null 2>&1")
  if pdeath == true or pdeath == 0 then nginx = "setpriv --pdeathsig TERM " .. nginx end
  local r1, _, code = os.execute("exec " .. nginx)
  if r1 == true or r1 == 0 then return 0 end
  return tonumber(code) or 2
end

--- Runs `bhclaim serve` (argv[1] == "serve").
-- @tparam table argv
-- @tparam table env stdout, stderr
-- @treturn number exit status
function M.main(argv, env)
  local o, err = parse(argv)
  local status
  if o and o.help then
    env.stdout:write(M.HELP, "\n")
    return 0
  end
  if o then
    local dir = absolute(o.dir or "bhclaim-run")
    if o["add-key"] then
      if not o.keys then os.execute("mkdir -p " .. shell_quote(dir)) end
      local scopes
      if o.scopes then
        scopes = {}
        for sc in o.scopes:gmatch("[^,%s]+") do scopes[#scopes + 1] = sc end
      end
      local key
      key, err = keys.add(o.keys or (dir .. "/keys"), o["add-key"], scopes)
      if key then
        env.stdout:write(key, "\n")
        env.stderr:write("bhclaim: key '", o["add-key"], "' added; it is shown only now. "
          .. "A running service takes it after serve --reload.\n")
        status = 0
      end
    elseif o.reload then
      status, err = signal(dir, "HUP")
    elseif o.stop then
      status, err = signal(dir, "QUIT")
    else
      status, err = start(o, env, dir)
    end
  end
  if status then return status end
  env.stderr:write("bhclaim: serve: ", tostring(err), "\nTry 'bhclaim serve --help'.\n")
  return 2
end

return M
