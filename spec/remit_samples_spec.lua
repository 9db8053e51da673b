-- Every 835 sample (spec/fixtures/x12-samples/835_* and the fixtures
-- spec/fixtures/remit/*.835) through bhclaim.remit.read and `bhclaim remit`
-- in each format: it prints readably, the JSON has one entry per CLP segment
-- with every required field, the CSV one row per service line. A few
-- samples are also checked claim by claim against what the files say.
local bhclaim = require("bhclaim")
local support = require("spec.support")

local SAMPLES = "spec/fixtures/x12-samples/"

local FILES = {
  "835_databricks_no_cas.txt", "835_databricks_plb.txt", "835_databricks_sample.txt",
  "835_databricks_services.txt", "835_edi835parser_bcbsnc_st_only.txt",
  "835_edi835parser_emedny.txt", "835_edi835parser_uhc_legacy.txt",
  "835_lfh_cob_contractual_adj.835", "835_lfh_managed_care.835", "835_lfh_medicare_part_a.835",
  "835_lfh_secondary_payment.835", "835_lfh_tertiary_payment.835", "835_pyx12_mult_loops.txt",
}
for i, name in ipairs(FILES) do FILES[i] = SAMPLES .. name end
FILES[#FILES + 1] = "spec/fixtures/remit/group_therapy.835"

local read_file = support.read_file

local run = support.run_cli

local lines = support.lines

-- The number of CLP segments in X12 text, counted here independently of
-- the reader: the separators come from the ISA (element at 4, segment
-- terminator at 106) or, for an ST without envelope, from the ST itself.
local function count_clp(text)
  text = text:gsub("^%s+", "")
  local elem, term
  if text:sub(1, 3) == "ISA" then
    elem, term = text:sub(4, 4), text:sub(106, 106)
  else
    -- ST*835*control[*version]~: the first mark after the control number
    -- (or after ST03) that is not the element separator.
    elem = text:sub(3, 3)
    local rest = text:sub(8):gsub("^%w+", "")
    if rest:sub(1, 1) == elem then rest = rest:sub(2):gsub("^%w+", "") end
    term = rest:sub(1, 1)
  end
  assert(elem and term, "no separators")
  local n = 0
  for seg in (text .. term):gmatch("(.-)" .. term:gsub("%p", "%%%0")) do
    seg = seg:gsub("^%s+", "")
    if seg:sub(1, 4) == "CLP" .. elem then n = n + 1 end
  end
  return n
end

local OUTCOMES = { paid = true, partial = true, denied = true, reversed = true, pending = true }

local function money_or_null(v)
  return v == bhclaim.null or (type(v) == "string" and v:match("^%-?%d+%.%d%d$") ~= nil)
end

describe("every 835 sample", function()
  -- A sent claim no sample answers (id, patient and date are nobody's).
  local nobody = os.tmpname()
  setup(function()
    local c = require("spec.support").base_claim()
    c.id = "NOT-IN-ANY-835"
    c.subscriber.name = { last = "NOBODY", first = "NONE" }
    local f = assert(io.open(nobody, "wb"))
    f:write(bhclaim.encode(c), "\n")
    f:close()
  end)
  teardown(function() os.remove(nobody) end)

  for _, path in ipairs(FILES) do
    it(path .. " reads, prints and goes through bhclaim remit in every format", function()
      local text = read_file(path)
      local list, msg = bhclaim.remit.read(text)
      assert(list, msg)
      local clp = count_clp(text)
      assert.is_true(clp > 0)
      -- print(bhclaim.remit.read(text)) shows every remittance.
      local whole = tostring(list)
      assert.is_truthy(whole:find("^835 from "), path)
      local _, sets = whole:gsub("835 from ", "")
      assert.are.equal(#list, sets, path)
      local claims, rows = 0, 0
      for _, r in ipairs(list) do
        local printed = tostring(r)
        assert.is_truthy(printed:find("^835 from "), path)
        for _, c in ipairs(r.claims) do
          claims = claims + 1
          rows = rows + math.max(1, #c.lines)
          assert.is_truthy(printed:find("claim " .. c.claim_id .. " " .. c.outcome, 1, true))
        end
      end
      assert.are.equal(clp, claims, path)

      local out, err, status = run({ "remit", path, "--format", "json" })
      assert.are.equal("", err, path)
      assert.is_true(status == 0 or status == 1, path)
      local entries = lines(out)
      assert.are.equal(clp, #entries, path)
      for _, line in ipairs(entries) do
        local e = assert(bhclaim.decode(line))
        assert.is_string(e.claim_id, path)
        assert.is_not_nil(e.payer_claim_number, path)
        assert.is_true(OUTCOMES[e.outcome], path)
        for _, k in ipairs({ "charge", "paid", "allowed", "patient_responsibility" }) do
          assert.is_true(money_or_null(e[k]), path .. " " .. k .. " " .. tostring(e[k]))
        end
        for _, k in ipairs({ "adjustments", "remarks", "lines" }) do
          assert.is_table(e[k], path .. " " .. k)
        end
        for _, l in ipairs(e.lines) do
          assert.is_not_nil(l.code, path)
          assert.is_true(money_or_null(l.charge) and money_or_null(l.paid), path)
          assert.is_true(OUTCOMES[l.outcome], path)
        end
      end

      out, err, status = run({ "remit", path, "--format", "csv" })
      assert.are.equal("", err, path)
      assert.is_true(status == 0 or status == 1, path)
      assert.are.equal(rows + 1, #lines(out), path)

      out, err = run({ "remit", path })
      assert.are.equal("", err, path)
      assert.is_truthy(out:find(clp .. " claim payment(s): ", 1, true), path)

      _, err, status = run({ "remit", path, "--denials" })
      assert.are.equal("", err, path)
      assert.is_true(status == 0 or status == 1, path)

      -- Against a sent claim that none of them answers: every payment is
      -- unmatched, the claim is unanswered.
      out, err = run({ "remit", path, "--claims", nobody, "--format", "json" })
      assert.are.equal("", err, path)
      entries = lines(out)
      assert.are.equal(clp + 1, #entries, path)
      for i = 1, clp do assert.is_false(bhclaim.decode(entries[i]).matched, path) end
      assert.are.equal("unanswered", bhclaim.decode(entries[clp + 1]).outcome)
    end)
  end
end)

local function summary(list)
  local out = {}
  for _, r in ipairs(list) do
    for _, c in ipairs(r.claims) do
      out[#out + 1] = { c.claim_id, c.status, c.outcome, c.charge, c.paid,
        c.patient_responsibility or "0.00", c.payer_claim_number }
    end
  end
  return out
end

describe("the 835 samples claim by claim", function()
  it("BCBS NC (an ST without envelope)", function()
    assert.are.same({ { "200200964A52", "1", "paid", "2100.00", "1922.86", "142.54",
      "94151100100" } },
      summary(bhclaim.remit.read(read_file(SAMPLES .. "835_edi835parser_bcbsnc_st_only.txt"))))
  end)

  it("eMedNY: paid, denied (CO-29), partly paid (CO-251, N206)", function()
    assert.are.same({
      { "PATIENT ACCOUNT NUMBER", "1", "paid", "34.25", "34.25", "0.00", "1000210000000030" },
      { "PATIENT ACCOUNT NUMBER", "2", "denied", "34.00", "0.00", "0.00", "1000220000000020" },
      { "PATIENT ACCOUNT NUMBER", "2", "partial", "34.25", "11.50", "0.00", "1000230000000020" },
    }, summary(bhclaim.remit.read(read_file(SAMPLES .. "835_edi835parser_emedny.txt"))))
  end)

  it("pyx12: a denied claim (CLP02 4)", function()
    assert.are.same({ { "2005555A", "4", "denied", "915.39", "0.00", "0.00", "4276512332" } },
      summary(bhclaim.remit.read(read_file(SAMPLES .. "835_pyx12_mult_loops.txt"))))
  end)
end)

-- Every field name the readers return for the samples, collected from the
-- raw tables (core.remit_read / core.ack_read), is written in
-- docs/remit.md as `name`: the document describes what the readers return.
describe("docs/remit.md", function()
  it("names every field the readers return for the samples", function()
    local core = require("bhclaim.core")
    local f = assert(io.open("docs/remit.md", "rb"))
    local doc = f:read("*a")
    f:close()
    local keys = {}
    local function collect(t, path)
      for k, v in pairs(t) do
        local here = path
        if type(k) == "string" then
          keys[k] = keys[k] or (path .. "." .. k)
          here = path .. "." .. k
        end
        if type(v) == "table" then collect(v, here) end
      end
    end
    local acks = { "999_imsweb_accepted.txt", "999_imsweb_rejected.txt", "999_pyx12_multi_gs.txt",
      "ta1_uhin_4010.edi", "277ca_imsweb_accepted.txt", "277ca_imsweb_rejected.txt" }
    for _, path in ipairs(FILES) do collect(assert(core.remit_read(read_file(path))), "835") end
    for _, name in ipairs(acks) do
      collect(assert(core.ack_read(read_file(SAMPLES .. name))), name)
    end
    local missing = {}
    for k, where in pairs(keys) do
      if not doc:find("`" .. k .. "`", 1, true) then missing[#missing + 1] = where end
    end
    table.sort(missing)
    assert.are.same({}, missing)
  end)
end)
