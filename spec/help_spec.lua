-- Specs for bhclaim.help(topic): the guide lists every topic, each topic
-- has its own text naming its functions, and every example in a topic
-- ("    > " lines, "    >> " continuing one) runs as written from the top
-- of the checkout, in order, in a fresh environment.

local bhclaim = require("bhclaim")

local TOPICS = { "check", "codes", "session", "telehealth", "payers", "rules", "ncci", "x12",
  "remit", "eligibility" }

-- The functions each topic must show (at least these, by name).
local NAMES = {
  check = { "bhclaim.check", "bhclaim.outcome", "bhclaim.check_batch", "bhclaim.decode" },
  codes = { "bhclaim.codes.icd10", "bhclaim.codes.cpt", "bhclaim.codes.pos", "bhclaim.npi.valid" },
  session = { "bhclaim.session", "s:claims", "s:check" },
  telehealth = { "bhclaim.telehealth.derive", "telehealth.modifier" },
  payers = { "bhclaim.payers.builtin", "bhclaim.payer{", "bhclaim.payers.load" },
  rules = { "bhclaim.ruleset", "bhclaim.rules.load", "disable" },
  ncci = { "bhclaim.ncci.load", "bhclaim.ncci.new", "t:ptp", "t:mue", "--ncci-ptp" },
  x12 = { "bhclaim.x12.write", "bhclaim.x12.read", "bhclaim.x12.check", "bhclaim.x12.refusal" },
  remit = { "bhclaim.remit.read", "bhclaim.ack.read", "bhclaim.fees.expected" },
  eligibility = { "bhclaim.eligibility.read", "bhclaim.eligibility.members",
    "bhclaim.eligibility.request", "bhclaim.status.read", "bhclaim.status.request" },
}

-- The example statements of a text, as one chunk, and how many there are.
local function examples(text)
  local lines, count = {}, 0
  for line in text:gmatch("[^\n]*") do
    local first = line:match("^    > (.*)$")
    local more = line:match("^    >> (.*)$")
    if first then count = count + 1 end
    if first or more then lines[#lines + 1] = first or more end
  end
  return table.concat(lines, "\n"), count
end

local function run_examples(topic)
  local chunk_text, count = examples(bhclaim.help(topic))
  local printed = {}
  local env = setmetatable({ bhclaim = bhclaim, print = function(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
    printed[#printed + 1] = table.concat(parts, "\t")
  end }, { __index = _G })
  local chunk, err
  local setfenv = rawget(_G, "setfenv")   -- Lua 5.1 and LuaJIT
  if setfenv then
    chunk, err = rawget(_G, "loadstring")(chunk_text, "=help " .. topic)
    if chunk then setfenv(chunk, env) end
  else
    chunk, err = load(chunk_text, "=help " .. topic, "t", env)
  end
  assert(chunk, err)
  chunk()
  return count, printed, env
end

describe("bhclaim.help", function()
  it("lists every topic in the guide, and the guide still shows check", function()
    local text = bhclaim.help()
    assert.truthy(text:find("bhclaim " .. bhclaim._VERSION:match("%S+$"), 1, true), text)
    assert.truthy(text:find("bhclaim.check(claim", 1, true))
    assert.truthy(text:find("bhclaim.help(\"TOPIC\")", 1, true))
    for _, topic in ipairs(TOPICS) do
      assert.truthy(text:find(topic, 1, true), topic)
    end
    assert.truthy(text:find(table.concat(TOPICS, ", "), 1, true), text)
  end)

  for _, topic in ipairs(TOPICS) do
    it("has its own text for " .. topic .. ", naming its functions", function()
      local text = bhclaim.help(topic)
      assert.is_string(text)
      assert.truthy(text:find("^" .. topic .. ": "), text)
      assert.are_not.equal(bhclaim.help(), text)
      for _, name in ipairs(NAMES[topic]) do
        assert.truthy(text:find(name, 1, true), topic .. " lacks " .. name)
      end
    end)

    it("runs every example of " .. topic, function()
      local count, printed = run_examples(topic)
      assert.is_true(count >= 3, topic .. ": " .. count .. " examples")
      assert.is_true(#printed >= 1, topic)
    end)
  end

  it("gives each topic a different text", function()
    local seen = {}
    for _, topic in ipairs(TOPICS) do
      local text = bhclaim.help(topic)
      assert.is_nil(seen[text], topic)
      seen[text] = true
    end
  end)

  it("takes other spellings of a topic and any case", function()
    assert.equal(bhclaim.help("session"), bhclaim.help("sessions"))
    assert.equal(bhclaim.help("session"), bhclaim.help("Session"))
    assert.equal(bhclaim.help("payers"), bhclaim.help("payer"))
    assert.equal(bhclaim.help("x12"), bhclaim.help("837P"))
  end)

  it("shows what the examples promise", function()
    local _, printed, env = run_examples("check")
    assert.equal("clean", env.bhclaim.outcome(env.report))
    assert.truthy(printed[#printed]:find('"id":"C-1"', 1, true), printed[#printed])
    _, printed = run_examples("ncci")
    assert.equal("1", printed[1])   -- 90853/90832: compiled-in, modifier indicator 1
    local _, _, s = run_examples("session")
    assert.is_number(s.r.clean)
    assert.is_number(s.r.with_warnings)
  end)

  it("raises a bad argument for an unknown topic or a non-string", function()
    local ok, err = pcall(bhclaim.help, "sesion")
    assert.is_false(ok)
    assert.truthy(err:find("bad argument #1 to 'help' (no topic 'sesion'; topics: check, ",
      1, true), err)
    ok, err = pcall(bhclaim.help, 42)
    assert.is_false(ok)
    assert.truthy(err:find("bad argument #1 to 'help' (string expected, got number)", 1, true),
      err)
  end)
end)
