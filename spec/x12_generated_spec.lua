-- x12_generated_spec.lua: 5,500 varied claims (scripts/gen_837p_claims.lua)
-- go through `bhclaim export --to 837p`; every interchange written passes
-- the structural 005010X222A1 validator (scripts/x12_validate.lua), every
-- claim meant to be refused is in the reject file with its reason, and
-- count in = count written + count refused.
local bhclaim = require("bhclaim")
local support = require("spec.support")
local LUA = support.LUA

local gen = dofile("scripts/gen_837p_claims.lua")
local validator = dofile("scripts/x12_validate.lua")

local N = 5500

local function count(text, pattern)
  local n = 0
  for _ in text:gmatch(pattern) do n = n + 1 end
  return n
end

describe("generated claims through export --to 837p", function()
  local claims = gen.claims(N, 837)
  local input, reject = os.tmpname(), os.tmpname()
  -- The NDJSON is written by the generator's own process (outside any GC
  -- stress this run may be under): the same claims, the same seed.
  assert(os.execute(LUA .. " scripts/gen_837p_claims.lua " .. N .. " 837 > " .. input))
  local x12, status = support.sh_status(LUA .. " scripts/bhclaim export --to 837p --today "
    .. support.TODAY .. " --envelope examples/envelope.lua --reject " .. reject .. " "
    .. input .. " 2>/dev/null")
  local rejects = {}
  for l in io.lines(reject) do rejects[#rejects + 1] = assert(bhclaim.decode(l)) end
  os.remove(input)
  os.remove(reject)

  it("writes an interchange the validator finds valid", function()
    assert.are.equal(1, status)   -- some claims are refused on purpose
    assert.are.same({}, validator.validate(x12))
    assert.is_true(count(x12, "\nST%*837%*") >= 2)   -- over 5000 claims: several sets
  end)

  it("accounts for every claim: written or in the reject file", function()
    local written = count(x12, "\nCLM%*")
    assert.are.equal(N, written + #rejects)
    local refused = {}
    for _, r in ipairs(rejects) do
      local record = assert(bhclaim.decode(r.record))
      refused[record.id] = r.reason
      assert.are.equal("x12.check", r.error)
    end
    for _, c in ipairs(claims) do
      if c.x_refuse then
        assert.is_string(refused[c.id], c.id .. " (" .. c.x_refuse .. ") was written")
      else
        assert.is_nil(refused[c.id], c.id .. " was refused: " .. tostring(refused[c.id]))
      end
    end
  end)

  it("covers what it is meant to: dependants, COB, accents, ZIP+4, MJ, RD8, 100+ per HL", function()
    for _, want in ipairs({ "\nHL%*%d+%*%d+%*23%*", "\nSVD%*", "\nAMT%*D%*", "\nSBR%*S%*",
      "%*MJ%*", "%*RD8%*", "\nREF%*F8%*", "\nREF%*G1%*", "\nNM1%*IL%*1%*MUNOZ PENA%*",
      "%*481042213~", "\nNTE%*ADD%*Group met 60 min; pt engaged %- \"good progress\"~" }) do
      assert.is_truthy(x12:find(want), want)
    end
    -- the run of 130 claims of one subscriber is split at 100
    local run_ids = {}
    for i = N - 129, N do run_ids[#run_ids + 1] = claims[i].id end
    local hl_of, current = {}, nil
    for seg in x12:gmatch("[^~\n]+") do
      local hl = seg:match("^HL%*(%d+)%*%d+%*22")
      if hl then current = hl end
      local id = seg:match("^CLM%*([^*]+)")
      if id then hl_of[id] = current end
    end
    local per = {}
    for _, id in ipairs(run_ids) do per[hl_of[id]] = (per[hl_of[id]] or 0) + 1 end
    local sizes = {}
    for _, n in pairs(per) do sizes[#sizes + 1] = n end
    table.sort(sizes)
    assert.are.same({ 30, 100 }, sizes)
  end)
end)

describe("the structural validator", function()
  local claim = support.base_claim()
  local env = dofile("examples/envelope.lua")
  env.check = { today = support.TODAY }
  local good = assert(bhclaim.x12.write({ claim, claim }, env))

  it("passes what the writer writes", function()
    assert.are.same({}, validator.validate(good))
  end)

  -- Each change breaks one rule; the validator must name it.
  local breaks = {
    { "SE01", function(t)
      return (t:gsub("\nSE%*(%d+)", function(n) return "\nSE*" .. n + 1 end))
    end },
    { "IEA02", function(t) return (t:gsub("\nIEA%*1%*%d+", "\nIEA*1*000000999")) end },
    { "REF%*6R", function(t) return (t:gsub("\nREF%*6R%*[^~]+~", "", 1)) end },
    { "2010AA N403", function(t) return (t:gsub("%*432154101~", "*43215~", 1)) end },
    { "N402", function(t) return (t:gsub("\nN4%*COLUMBUS%*OH", "\nN4*COLUMBUS*ZZ", 1)) end },
    { "CLM02", function(t) return (t:gsub("\nCLM%*([^*]+)%*45%*", "\nCLM*%1*46*", 1)) end },
    { "CLM05%-3", function(t) return (t:gsub("11:B:1", "11:B:6", 1)) end },
    { "SV107", function(t) return (t:gsub("%*1:2~", "*1:5~", 1)) end },
    { "printable ASCII", function(t) return (t:gsub("ROE", "RO\195\137", 1)) end },
    { "HL04", function(t) return (t:gsub("\nHL%*1%*%*20%*1", "\nHL*1**20*0")) end },
    { "HI01", function(t) return (t:gsub("ABK:F331", "ABK:f331", 1)) end },
  }
  for _, b in ipairs(breaks) do
    it("finds a broken " .. b[1]:gsub("%%", ""), function()
      local broken = b[2](good)
      assert.are_not.equal(good, broken)
      local problems = table.concat(validator.validate(broken), "\n")
      assert.is_truthy(problems:find(b[1]), problems)
    end)
  end

  it("finds more than 100 claims under one subscriber HL", function()
    local many = {}
    for i = 1, 101 do many[i] = claim end
    local text = assert(bhclaim.x12.write(many, env))
    -- join the second subscriber HL's claims into the first
    local joined = text:gsub("\nHL%*3%*1%*22%*0~\nSBR[^\n]*\nNM1%*IL[^\n]*\nN3[^\n]*\nN4[^\n]*"
      .. "\nDMG[^\n]*\nNM1%*PR[^\n]*", "")
    assert.are_not.equal(text, joined)
    local problems = table.concat(validator.validate(joined), "\n")
    assert.is_truthy(problems:find("at most 100", 1, true), problems)
  end)
end)
