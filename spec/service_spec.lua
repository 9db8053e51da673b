-- Specs for the check service (bhclaim serve; docs/service.md), tagged
-- "service": scripts/run-tests.sh runs them as their own step. Each run
-- makes a throwaway CA and server certificate with openssl in a temp dir,
-- starts real nginx on free loopback ports and talks to it with curl;
-- every nginx started is stopped in teardown, whatever failed. Traffic
-- goes to 127.0.0.1 only and every wait is bounded.

local bhclaim = require("bhclaim")
local support = require("spec.support")
local LUA, quote, read_file, write_file = support.LUA, support.quote, support.read_file,
  support.write_file
-- Runs a shell command; its stdout and exit status.
local sh = support.sh_status

local TODAY = "2026-11-26"

local function sleep(s) os.execute("sleep " .. s) end

local function lines_of(text)
  local out = {}
  for line in text:gmatch("[^\n]+") do out[#out + 1] = line end
  return out
end

local ROOT = sh("pwd"):gsub("\n$", "")
local TMP   -- made in setup, removed in teardown
local BHCLAIM = LUA .. " " .. ROOT .. "/scripts/bhclaim"

-- A free loopback port: one no listener holds (ss), from a range.
local used_ports = {}
local function free_port()
  local listening = sh("ss -Hltn 2>/dev/null") or ""
  for _ = 1, 200 do
    local port = 20000 + math.random(0, 20000)
    if not used_ports[port] and not listening:find(":" .. port .. " ", 1, true) then
      used_ports[port] = true
      return port
    end
  end
  error("no free port found")
end

local servers = {}

-- Starts `bhclaim serve` with the options given; waits (at most 10 s) for
-- /healthz. Returns {url, dir, launcher}.
local function start(name, words)
  local port = free_port()
  local dir = TMP .. "/" .. name
  os.execute("mkdir -p " .. quote(dir))
  local s = { dir = dir, url = "https://127.0.0.1:" .. port, port = port }
  servers[#servers + 1] = s
  local launcher = sh(string.format("cd %s && %s serve --dir %s --keys %s --listen 127.0.0.1:%d "
    .. "--tls-cert srv.pem --tls-key srv.key %s >%s 2>&1 & echo $!", quote(TMP), BHCLAIM,
    quote(dir), quote(TMP .. "/keys"), port, words, quote(dir .. "/serve.out")))
  s.launcher = launcher:match("%d+")
  for _ = 1, 100 do
    local code = sh(string.format("curl -s -o /dev/null -w '%%{http_code}' --cacert %s %s/healthz",
      quote(TMP .. "/ca.pem"), s.url))
    if code == "200" then return s end
    sleep(0.1)
  end
  local f = io.open(dir .. "/serve.out", "rb")
  error("service did not start: " .. (f and f:read("*a") or "(no output)"))
end

local function master_pid(s)
  local f = io.open(s.dir .. "/nginx.pid", "rb")
  local pid = f and f:read("*l")
  if f then f:close() end
  return pid
end

local function stop(s)
  local pid = master_pid(s)
  if pid then os.execute("kill -TERM " .. pid .. " 2>/dev/null") end
  for _ = 1, 50 do
    if not master_pid(s) then break end
    sleep(0.1)
  end
  if s.launcher then os.execute("kill " .. s.launcher .. " 2>/dev/null") end
end

-- One request with curl: status, body. opts: key, method, data (a file),
-- headers (list), query.
local function call(s, path, opts)
  opts = opts or {}
  local words = { "curl -sS --max-time 20 --cacert", quote(TMP .. "/ca.pem"),
    "-H Expect: -o", quote(TMP .. "/resp"), "-w '%{http_code}'" }
  if opts.key then words[#words + 1] = "-H " .. quote("Authorization: Bearer " .. opts.key) end
  for _, h in ipairs(opts.headers or {}) do words[#words + 1] = "-H " .. quote(h) end
  if opts.data then
    words[#words + 1] = "-X POST --data-binary @" .. quote(opts.data)
  elseif opts.method then
    words[#words + 1] = "-X " .. opts.method
  end
  words[#words + 1] = quote(s.url .. path)
  local code = sh(table.concat(words, " "))
  return tonumber(code), read_file(TMP .. "/resp")
end

-- A curl command sending n POSTs of a file over one kept-alive connection;
-- prints each status on a line.
local function repeated_posts(s, n, key, file)
  local words = { string.format("curl -s --max-time 10 --cacert %s -H %s -H Expect: "
    .. "--data-binary @%s -w '%%{http_code}\\n'", quote(TMP .. "/ca.pem"),
    quote("Authorization: Bearer " .. key), quote(file)) }
  for _ = 1, n do words[#words + 1] = "-o /dev/null " .. quote(s.url .. "/v1/check") end
  return table.concat(words, " ")
end

-- A check answer's lines with each claim's findings in one order. The
-- order of findings on missing fields follows the Lua VM's table traversal,
-- which differs between interpreters (nginx's LuaJIT and the client's).
local function canonical(lines)
  local out = {}
  for i, line in ipairs(lines) do
    local v = bhclaim.decode(line)
    if type(v) == "table" and type(v.findings) == "table" then
      local fs = {}
      for j, f in ipairs(v.findings) do fs[j] = bhclaim.encode(f) end
      table.sort(fs)
      out[i] = line:gsub('"findings":%[.*%]', "") .. table.concat(fs, ",")
    else
      out[i] = line
    end
  end
  return out
end

local function error_code(body)
  local v = bhclaim.decode(body)
  return type(v) == "table" and type(v.error) == "table" and v.error.code
end

local function add_key(name, scopes)
  local out, status = sh(string.format("%s serve --add-key %s --keys %s %s 2>/dev/null", BHCLAIM,
    name, quote(TMP .. "/keys"), scopes and ("--scopes " .. scopes) or ""))
  assert(status == 0, "add-key failed")
  return (out:gsub("\n$", ""))
end

local function cli(words)
  return sh("cd " .. quote(ROOT) .. " && " .. BHCLAIM .. " " .. words .. " 2>/dev/null")
end

describe("bhclaim serve #service", function()
  local main, tight
  local key, codes_key, rate_key

  setup(function()
    TMP = sh("mktemp -d /tmp/bhclaim-service-XXXXXX"):gsub("\n$", "")
    local gen = table.concat({
      "cd " .. quote(TMP),
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 "
        .. "-subj /CN=bhclaim-spec-ca",
      "openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=127.0.0.1",
      "printf 'subjectAltName=IP:127.0.0.1\\n' > ext",
      "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem "
        .. "-days 1 -extfile ext" }, " && ")
    local _, status = sh("(" .. gen .. ") >/dev/null 2>&1")
    assert(status == 0, "openssl could not make the test certificates")
    key = add_key("alice", "check,export,derive,codes,metrics,remit,eligibility")
    codes_key = add_key("bob", "codes")
    rate_key = add_key("carol", "check")
    main = start("main", "--workers 2 --rate 0")
    tight = start("tight", "--workers 1 --max-body 4000 --max-claims 3 --rate 5 "
      .. "--idle-timeout 1 --request-timeout 3")
  end)

  teardown(function()
    for _, s in ipairs(servers) do stop(s) end
    if TMP and TMP:find("^/tmp/bhclaim%-service%-") then os.execute("rm -rf " .. quote(TMP)) end
  end)

  it("refuses plain HTTP off loopback and a start without TLS", function()
    local _, status = sh(BHCLAIM .. " serve --insecure-http --listen 0.0.0.0:1 --dir "
      .. quote(TMP .. "/x") .. " 2>/dev/null")
    assert.equal(2, status)
    _, status = sh(BHCLAIM .. " serve --listen 127.0.0.1:1 --dir " .. quote(TMP .. "/x")
      .. " 2>/dev/null")
    assert.equal(2, status)
  end)

  it("stores only the SHA-256 of a key", function()
    local keys = read_file(TMP .. "/keys")
    assert.falsy(keys:find(key, 1, true))
    local digest = sh("printf %s " .. quote(key) .. " | openssl dgst -sha256 -r"):match("^(%x+)")
    assert.truthy(keys:find("alice:" .. digest .. ":", 1, true))
  end)

  it("answers /healthz without a key", function()
    local code, body = call(main, "/healthz")
    assert.equal(200, code)
    assert.equal('{"status":"ok"}\n', body)
  end)

  it("gives the command line's JSON for every example claim", function()
    local files = lines_of(sh("ls " .. quote(ROOT .. "/examples/claims") .. "/*.json"))
    assert.is_true(#files > 5)
    for _, file in ipairs(files) do
      local code, body = call(main, "/v1/check?today=" .. TODAY, { key = key, data = file })
      assert.equal(200, code)
      local expected = cli("check --format json --today " .. TODAY .. " " .. quote(file))
      local got = lines_of(body)
      assert.truthy(got[#got]:find('^{"summary":{"claims":'))
      got[#got] = nil
      assert.same(canonical(lines_of(expected)), canonical(got))
    end
  end)

  it("checks an NDJSON batch with a bad line and an 837P, as the command line does", function()
    local claim = read_file(ROOT .. "/examples/claims/clean_commercial.json"):gsub("%s*\n%s*", "")
    local batch = write_file(TMP .. "/batch.ndjson", claim .. "\n{broken\n" .. claim .. "\n")
    local code, body = call(main, "/v1/check", { key = key, data = batch,
      headers = { "X-Bhclaim-Today: " .. TODAY } })
    assert.equal(200, code)
    local got = lines_of(body)
    assert.equal(4, #got)
    assert.truthy(got[2]:find('^{"bad_record":{"where":"request:2"'))
    local summary = bhclaim.decode(got[4]).summary
    assert.equal(2, summary.claims)
    assert.equal(1, summary.bad_records)
    local expected = lines_of(cli("check --format json --today " .. TODAY .. " " .. quote(batch)))
    assert.same(expected, { got[1], got[3] })
    local x12 = ROOT .. "/spec/fixtures/x12/medicare_group_90853.837"
    code, body = call(main, "/v1/check?today=" .. TODAY, { key = key, data = x12 })
    assert.equal(200, code)
    got = lines_of(body)
    got[#got] = nil
    assert.same(lines_of(cli("check --format json --today " .. TODAY .. " " .. quote(x12))), got)
  end)

  it("takes profile and disable as options and refuses unknown ones", function()
    local file = ROOT .. "/examples/claims/bad_npi.json"
    local code, body = call(main, "/v1/check?today=" .. TODAY .. "&disable=npi.checksum",
      { key = key, data = file })
    assert.equal(200, code)
    assert.falsy(body:find('"rule":"npi.checksum"', 1, true))
    code, body = call(main, "/v1/check?profile=/etc/passwd", { key = key, data = file })
    assert.equal(400, code)
    assert.equal("bad_option", error_code(body))
    code, body = call(main, "/v1/check?today=2026-13-45", { key = key, data = file })
    assert.equal(400, code)
    assert.equal("bad_option", error_code(body))
    code, body = call(main, "/v1/check", { key = key, data = write_file(TMP .. "/junk", "hello") })
    assert.equal(400, code)
    assert.equal("unreadable", error_code(body))
  end)

  it("writes an 837P from an envelope and claims, as export does", function()
    local env = dofile(ROOT .. "/examples/envelope.lua")
    local claim = bhclaim.decode(read_file(ROOT .. "/examples/claims/clean_medicare.json"))
    local req = write_file(TMP .. "/export.json",
      bhclaim.encode({ envelope = env, claims = { claim } }))
    local code, body = call(main, "/v1/export/837p", { key = key, data = req })
    assert.equal(200, code)
    local expected = cli("export --to 837p --envelope " .. quote(ROOT .. "/examples/envelope.lua")
      .. " " .. quote(ROOT .. "/examples/claims/clean_medicare.json"))
    assert.equal(expected, bhclaim.decode(body).x12)
    code, body = call(main, "/v1/export/837p", { key = key,
      data = write_file(TMP .. "/bad.json", '{"claims":[]}') })
    assert.equal(400, code)
    assert.equal("bad_request", error_code(body))
  end)

  it("derives and looks up codes as the command line does", function()
    local req = write_file(TMP .. "/derive.json", '{"code":"90853","date":"2025-03-01",'
      .. '"modality":"video","patient_location":"home"}')
    local code, body = call(main, "/v1/derive", { key = key, data = req })
    assert.equal(200, code)
    local expected = cli("derive --format json --code 90853 --date 2025-03-01 --modality video "
      .. "--patient-location home")
    assert.equal(expected, body)
    code, body = call(main, "/v1/derive", { key = key,
      data = write_file(TMP .. "/d2.json", '{"code":"90853","nonsense":true}') })
    assert.equal(400, code)
    assert.equal("bad_request", error_code(body))
    code, body = call(main, "/v1/codes/90853", { key = codes_key })
    assert.equal(200, code)
    local v = bhclaim.decode(body)
    assert.equal(bhclaim.decode(cli("codes 90853 --format json")).result.description,
      v.results[1].result.description)
    code, body = call(main, "/v1/codes/a%20b", { key = codes_key })
    assert.equal(400, code)
    assert.equal("bad_request", error_code(body))
  end)

  it("reads an 835 and a 271 as bhclaim remit and eligibility read do", function()
    for _, case in ipairs({
      { "/v1/remit", "spec/fixtures/remit/group_therapy.835", "remit --format json" },
      { "/v1/eligibility/read", "spec/fixtures/x12-samples/271_lfh_subscriber.271",
        "eligibility read --format json" } }) do
      local code, body = call(main, case[1], { key = key, data = ROOT .. "/" .. case[2] })
      assert.equal(200, code, body)
      local v = assert(bhclaim.decode(body))
      local lines = {}
      for line in cli(case[3] .. " " .. case[2]):gmatch("[^\n]+") do
        lines[#lines + 1] = bhclaim.decode(line)
      end
      assert.is_true(#lines > 0)
      assert.are.same(lines, v.entries)
    end
    local code, body = call(main, "/v1/remit", { key = codes_key,
      data = ROOT .. "/spec/fixtures/remit/group_therapy.835" })
    assert.equal(403, code, body)
    code, body = call(main, "/v1/remit", { key = key,
      data = write_file(TMP .. "/not835.txt", "ISA*this is no 835~") })
    assert.is_true(code == 200 or code == 400, body)
  end)

  it("answers 401 without a key or with a wrong one, 403 without the scope", function()
    local file = ROOT .. "/examples/claims/bad_npi.json"
    local code, body = call(main, "/v1/check", { data = file })
    assert.equal(401, code)
    assert.equal("unauthorized", error_code(body))
    code = call(main, "/v1/check", { data = file, key = key:sub(1, -2) .. "0" })
    assert.equal(401, code)
    code, body = call(main, "/v1/check", { data = file, key = codes_key })
    assert.equal(403, code)
    assert.equal("forbidden", error_code(body))
    code = call(main, "/metrics", { key = codes_key })
    assert.equal(403, code)
    code, body = call(main, "/v1/nothing", { key = key })
    assert.equal(404, code)
    assert.equal("not_found", error_code(body))
    code = call(main, "/v1/check", { key = key, method = "GET" })
    assert.equal(405, code)
  end)

  it("limits body size, claims per request, idle time and rate", function()
    local claim = read_file(ROOT .. "/examples/claims/clean_commercial.json"):gsub("%s*\n%s*", "")
    local big = write_file(TMP .. "/big", string.rep(claim .. "\n", 4))
    local code, body = call(tight, "/v1/check", { key = key, data = big })
    assert.equal(413, code)
    assert.equal("too_large", error_code(body))
    local four = write_file(TMP .. "/four", string.rep('{"id":"x"}\n', 4))
    code, body = call(tight, "/v1/check", { key = key, data = four })
    assert.equal(413, code)
    assert.equal("too_many_claims", error_code(body))
    -- A body announced but never sent: once the idle timeout (1 s) passes
    -- nginx ends the request as 408 (and, as nginx does, closes without an answer).
    local t0 = os.time()
    local raw = sh(string.format("(printf 'POST /v1/check HTTP/1.1\\r\\nHost: x\\r\\n"
      .. "Authorization: Bearer %s\\r\\nContent-Length: 100\\r\\n\\r\\n{'; "
      .. "sleep 4) | timeout 10 openssl s_client -quiet -connect 127.0.0.1:%d 2>/dev/null",
      key, tight.port))
    assert.falsy(raw:find("HTTP/1.1 200", 1, true))
    assert.is_true(os.time() - t0 < 9)
    assert.truthy(read_file(tight.dir .. "/access.log"):find("status=408", 1, true))
    -- 30 requests in one keep-alive curl at 5 a second for the key: some 429.
    local codes = sh(repeated_posts(tight, 30, rate_key, ROOT .. "/examples/claims/bad_npi.json"))
    local n200, n429 = select(2, codes:gsub("200", "")), select(2, codes:gsub("429", ""))
    assert.is_true(n429 > 0)
    assert.is_true(n200 >= 5)
    assert.equal(30, n200 + n429)
  end)

  it("counts requests, latency, claims and findings in /metrics", function()
    local code, body = call(main, "/metrics", { key = key })
    assert.equal(200, code)
    assert.truthy(body:find('bhclaim_requests_total{endpoint="check",status="200"} %d+'))
    assert.truthy(body:find('bhclaim_request_seconds_bucket{endpoint="check",le="%+Inf"} %d+'))
    local claims = tonumber(body:match("\nbhclaim_claims_checked_total (%d+)"))
    assert.is_true(claims > 5)
    assert.truthy(body:find('bhclaim_findings_total{rule="npi.checksum"} %d+'))
    assert.truthy(body:find("\nbhclaim_records_rejected_total [1-9]"))
  end)

  it("keeps claim content out of the logs", function()
    local log = read_file(main.dir .. "/access.log") .. read_file(main.dir .. "/error.log")
    assert.truthy(log:find("key=alice endpoint=check status=200", 1, true))
    assert.falsy(log:find("CLM-", 1, true))
    assert.falsy(log:find("Albright", 1, true))
    assert.falsy(log:find(key, 1, true))
  end)

  it("replaces a worker killed under load; no request fails or hangs", function()
    local file = ROOT .. "/examples/claims/bad_npi.json"
    local out = TMP .. "/load"
    os.execute("(" .. repeated_posts(main, 200, key, file) .. "; echo end) > " .. quote(out)
      .. " 2>&1 &")
    sleep(0.3)
    local master = master_pid(main)
    local workers = lines_of(sh("pgrep -P " .. master))
    assert.equal(2, #workers)
    os.execute("kill -KILL " .. workers[1])
    local codes
    for _ = 1, 300 do
      codes = read_file(out)
      if codes:find("end\n", 1, true) then break end
      sleep(0.1)
    end
    local ok = select(2, codes:gsub("200\n", ""))
    local lost = select(2, codes:gsub("000\n", ""))
    assert.equal(200, ok + lost, codes)   -- every request ended
    assert.is_true(lost <= 1, codes)      -- at most the one on the killed worker
    local now = lines_of(sh("pgrep -P " .. master))
    assert.equal(2, #now)
    assert.falsy(now[1] == workers[1] or now[2] == workers[1])
    assert.equal(200, (call(main, "/healthz")))
  end)

  it("stops nginx when the bhclaim process gets SIGTERM", function()
    local s = start("term", "--workers 1")
    local master = master_pid(s)
    assert.truthy(master)
    os.execute("kill -TERM " .. s.launcher)
    for _ = 1, 50 do
      if not master_pid(s) then break end
      sleep(0.1)
    end
    assert.falsy(master_pid(s))
    -- Gone, or a zombie its parent's death left for init to reap.
    local stat = sh("ps -o stat= -p " .. master .. " 2>/dev/null")
    assert.truthy(stat == "" or stat:find("^%s*Z"), stat)
  end)

  it("takes a new key on --reload without stopping", function()
    local dave = add_key("dave", "codes")
    local code = call(main, "/v1/codes/90853", { key = dave })
    assert.equal(401, code)
    local _, status = sh(BHCLAIM .. " serve --reload --dir " .. quote(main.dir))
    assert.equal(0, status)
    for _ = 1, 50 do
      code = call(main, "/v1/codes/90853", { key = dave })
      if code == 200 then break end
      sleep(0.1)
    end
    assert.equal(200, code)
    assert.equal(200, (call(main, "/v1/codes/90853", { key = key })))
  end)
end)
