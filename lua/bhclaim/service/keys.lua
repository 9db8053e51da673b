--- API keys of the check service: a random key is shown once, and only its
-- SHA-256 is kept, in a keys file of lines "name:sha256hex:scope,scope".
-- Works outside nginx (bhclaim serve --add-key) and inside it (the check
-- of each request).
-- SPDX-License-Identifier: MIT

local M = {}

local format, concat = string.format, table.concat

--- Every scope a key may carry; a key without a scope is refused that endpoint.
M.SCOPES = { check = true, export = true, derive = true, codes = true, metrics = true,
  remit = true, eligibility = true }
--- The scopes a new key gets when none are named.
M.DEFAULT_SCOPES = { "check", "export", "derive", "codes", "remit", "eligibility" }

local function hex(bytes)
  return (bytes:gsub(".", function(c) return format("%02x", c:byte()) end))
end

--- A new key: 32 random bytes from /dev/urandom, in hex, after "bhk_".
-- @treturn string|nil key (or nil, message)
function M.generate()
  local f, err = io.open("/dev/urandom", "rb")
  if not f then return nil, "cannot read /dev/urandom: " .. tostring(err) end
  local bytes = f:read(32)
  f:close()
  if not bytes or #bytes ~= 32 then return nil, "short read from /dev/urandom" end
  return "bhk_" .. hex(bytes)
end

-- SHA-256 in a process without FFI: `openssl dgst`, the key on its stdin
-- (never on a command line, where ps would show it).
local function digest_openssl(key)
  local out = os.tmpname()
  local p = io.popen("openssl dgst -sha256 -r -out '" .. out .. "'", "w")
  if not p then
    os.remove(out)
    return nil, "cannot run openssl"
  end
  p:write(key)
  p:close()
  local f = io.open(out, "rb")
  local text = f and f:read("*a") or ""
  if f then f:close() end
  os.remove(out)
  local d = text:match("^(%x+)")
  if not d or #d ~= 64 then return nil, "openssl dgst gave no SHA-256" end
  return d:lower()
end

-- SHA-256 through LuaJIT's FFI and the libcrypto nginx is linked with.
local ffi_sha256
local function digest_ffi(key)
  if ffi_sha256 == nil then
    local ok, ffi = pcall(require, "ffi")
    ffi_sha256 = false
    if ok then
      pcall(ffi.cdef, "unsigned char *SHA256(const unsigned char *d, size_t n, unsigned char *md);")
      local found, lib = pcall(function() local _ = ffi.C.SHA256; return ffi.C end)
      if not found then found, lib = pcall(ffi.load, "crypto") end
      if found then
        local buf = ffi.new("unsigned char[32]")
        ffi_sha256 = function(s)
          lib.SHA256(s, #s, buf)
          return hex(ffi.string(buf, 32))
        end
      end
    end
  end
  if ffi_sha256 then return ffi_sha256(key) end
  return digest_openssl(key)
end

--- The SHA-256 of a key, in lower-case hex.
-- @tparam string key
-- @treturn string|nil digest (or nil, message)
function M.digest(key)
  if type(key) ~= "string" then error("bad argument #1 to 'digest' (string expected)", 2) end
  return digest_ffi(key)
end

--- Reads a keys file.
-- @tparam string path
-- @treturn table|nil list of {name, digest, scopes = {scope = true}} (or nil, message)
function M.load(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, "keys file: " .. tostring(err) end
  local list, n = {}, 0
  for line in f:lines() do
    n = n + 1
    if line:find("%S") and not line:find("^%s*#") then
      local name, digest, scopes = line:match("^([%w_.%-]+):(%x+):([%w,]*)%s*$")
      if not name or #digest ~= 64 then
        f:close()
        return nil, format("%s: line %d: want name:sha256hex:scope,scope", path, n)
      end
      local set = {}
      for s in scopes:gmatch("[^,]+") do set[s] = true end
      list[#list + 1] = { name = name, digest = digest:lower(), scopes = set }
    end
  end
  f:close()
  return list
end

--- Two equal-length strings equal, compared in time that does not depend
-- on where they differ.
-- @tparam string a
-- @tparam string b
-- @treturn boolean
function M.equal(a, b)
  if #a ~= #b then return false end
  local diff = 0
  local byte = string.byte
  for i = 1, #a do
    if byte(a, i) ~= byte(b, i) then diff = diff + 1 end
  end
  return diff == 0
end

--- The key whose digest a presented key has. Compares the digest with
-- every stored one (no early stop), each in constant time.
-- @tparam table list from load
-- @tparam string key the presented key
-- @treturn table|nil the key's entry
function M.find(list, key)
  local d = M.digest(key)
  if not d then return nil end
  local found
  for _, k in ipairs(list) do
    if M.equal(k.digest, d) and not found then found = k end
  end
  return found
end

--- Adds a key to a keys file (made, mode 0600, when missing).
-- @tparam string path
-- @tparam string name letters, digits, "_", "." or "-"
-- @tparam[opt] table scopes list of scope names
-- @treturn string|nil the new key, to show once (or nil, message)
function M.add(path, name, scopes)
  if type(name) ~= "string" or not name:match("^[%w_.%-]+$") then
    return nil, "key name wants letters, digits, '_', '.' or '-'"
  end
  scopes = scopes or M.DEFAULT_SCOPES
  for _, s in ipairs(scopes) do
    if not M.SCOPES[s] then return nil, "unknown scope '" .. s .. "'" end
  end
  local existing = io.open(path, "rb") and M.load(path)
  for _, k in ipairs(existing or {}) do
    if k.name == name then return nil, "a key named '" .. name .. "' exists already" end
  end
  local key, err = M.generate()
  if not key then return nil, err end
  local d
  d, err = M.digest(key)
  if not d then return nil, err end
  local old = io.open(path, "rb")
  if old then
    old:close()
  else
    os.execute("umask 077 && : > '" .. path:gsub("'", "'\\''") .. "'")
  end
  local f
  f, err = io.open(path, "ab")
  if not f then return nil, "keys file: " .. tostring(err) end
  local ok, werr = f:write(name, ":", d, ":", concat(scopes, ","), "\n")
  local closed, cerr = f:close()
  if not ok or not closed then return nil, "keys file: " .. tostring(werr or cerr) end
  return key
end

return M
