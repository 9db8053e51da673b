--- A request body read from nginx's request socket as it arrives, behind
-- the file methods bhclaim.cli reads its inputs with (read(n), read("*l"),
-- read("*a"), lines()), so a batch is checked chunk by chunk and never held
-- whole. Read failures (timeout, client gone, too slow) raise
-- {body_error = code, message = ...}.
-- SPDX-License-Identifier: MIT

local M = {}

local Body = {}
Body.__index = Body

local CHUNK = 65536

local function fail(code, message)
  error({ body_error = code, message = message }, 0)
end

--- A body reader.
-- @param sock from ngx.req.socket()
-- @tparam number length the Content-Length
-- @tparam table limits idle_ms (per read), deadline (ngx.now() value the
--   whole request must end by)
-- @treturn table reader
function M.new(sock, length, limits)
  sock:settimeout(limits.idle_ms)
  return setmetatable({ sock = sock, left = length, buf = "", pos = 1,
    deadline = limits.deadline, now = limits.now }, Body)
end

-- Reads the next chunk into the buffer; false at the end of the body.
function Body:fill()
  if self.left <= 0 then return false end
  if self.now() > self.deadline then fail("timeout", "the request took too long") end
  local data, err, partial = self.sock:receive(math.min(CHUNK, self.left))
  if not data then
    if err == "timeout" then fail("timeout", "the client sent nothing for too long") end
    fail("read", "request body cut short (" .. tostring(err) .. ") after "
      .. tostring(#(partial or "")) .. " more bytes")
  end
  self.left = self.left - #data
  if self.pos > #self.buf then
    self.buf = data
  else
    self.buf = self.buf:sub(self.pos) .. data
  end
  self.pos = 1
  return true
end

function Body:line()
  local from = self.pos
  while true do
    local nl = self.buf:find("\n", from, true)
    if nl then
      local line = self.buf:sub(self.pos, nl - 1)
      self.pos = nl + 1
      return line
    end
    local seen = #self.buf - self.pos + 1
    if not self:fill() then
      if self.pos > #self.buf then return nil end
      local line = self.buf:sub(self.pos)
      self.pos = #self.buf + 1
      return line
    end
    from = seen + 1
  end
end

function Body:all()
  local parts = { self.buf:sub(self.pos) }
  self.buf, self.pos = "", 1
  while self.left > 0 do
    self:fill()
    parts[#parts + 1] = self.buf
    self.buf, self.pos = "", 1
  end
  return table.concat(parts)
end

--- As file:read: a byte count, "*l"/"l" or "*a"/"a".
function Body:read(what)
  if type(what) == "number" then
    while #self.buf - self.pos + 1 < what and self:fill() do end
    if self.pos > #self.buf then return nil end
    local s = self.buf:sub(self.pos, self.pos + what - 1)
    self.pos = self.pos + #s
    return s
  end
  local w = tostring(what):gsub("^%*", "")
  if w == "l" then return self:line() end
  if w == "a" then return self:all() end
  error("bad argument #1 to 'read' (invalid format)", 2)
end

--- As file:lines(): the remaining lines, without their line breaks.
function Body:lines()
  return function() return self:line() end
end

--- Bytes not read yet.
function Body:unread()
  return self.left + (#self.buf - self.pos + 1)
end

return M
