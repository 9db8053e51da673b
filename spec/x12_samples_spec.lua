-- x12_samples_spec.lua: every 837P in ../shared/x12-samples (copied into
-- spec/fixtures/x12-samples) reads, writes back and reads again with no
-- loss of any field the claim model carries, compared field by field
-- (SBR01/03/04/09, RD8, SV103, REF*6R, 2420A, 2310A/C, 2010AB, CLM06-10,
-- 2300 REF and DTP, the COB loops 2320/2330A/B and 2430 among them).
local bhclaim = require("bhclaim")
local support = require("spec.support")

local DIR = "spec/fixtures/x12-samples/"

-- Text the writer sends upper case (the X12 basic character set has no
-- lower-case letters): compared without case.
local TEXT = { last = true, first = true, middle = true, suffix = true, name = true,
  line1 = true, line2 = true, city = true, group_name = true }

-- Differences between what was read and what came back, as "path: a vs b".
local function diff(a, b, path, key, out)
  if type(a) == "string" and type(b) == "string" and TEXT[key] then
    a, b = a:upper(), b:upper()
  end
  if type(a) ~= type(b) then
    out[#out + 1] = path .. ": " .. tostring(a) .. " vs " .. tostring(b)
  elseif type(a) ~= "table" then
    if a ~= b then out[#out + 1] = path .. ": " .. tostring(a) .. " vs " .. tostring(b) end
  else
    local keys = {}
    for k in pairs(a) do keys[k] = true end
    for k in pairs(b) do keys[k] = true end
    for k in pairs(keys) do diff(a[k], b[k], path .. "." .. tostring(k), k, out) end
  end
  return out
end

-- What the writer does by rule, applied to the claim read so the two can
-- be compared: a line's place of service equal to the claim's is not sent
-- (SV105 only when it differs), a line without REF*6R gets one made of the
-- claim id and line number, and 2300 REF and DTP come in the guide's order.
local REF_ORDER, DTP_ORDER = {}, {}
for i, q in ipairs({ "4N", "F5", "EW", "9F", "G1", "F8", "X4", "9A", "9C", "LX", "D9", "EA",
  "P4", "1J" }) do REF_ORDER[q] = i end
for i, q in ipairs({ "431", "454", "304", "453", "439", "484", "455", "471", "314", "360",
  "361", "297", "296", "435", "096", "090", "091", "444", "050" }) do DTP_ORDER[q] = i end

-- Sorts list by the rank of each item's qualifier, keeping the given order
-- among equal ones (the guide's segment order, which the writer follows).
local function in_guide_order(list, rank)
  if not list then return end
  for i, item in ipairs(list) do item._at = i end
  table.sort(list, function(a, b)
    local ra, rb = rank[a.qualifier] or 99, rank[b.qualifier] or 99
    if ra ~= rb then return ra < rb end
    return a._at < b._at
  end)
  for _, item in ipairs(list) do item._at = nil end
end

local function as_written(claim)
  local c = support.deep_copy(claim)
  in_guide_order(c.claim_references, REF_ORDER)
  in_guide_order(c.claim_dates, DTP_ORDER)
  for i, line in ipairs(c.lines) do
    if line.place_of_service == c.place_of_service then line.place_of_service = nil end
    line.control_number = line.control_number or (c.id .. "-" .. i)
  end
  return c
end

-- Samples made elsewhere break rules of the guide that the writer will not
-- break for them. These are the refusals met, each with the repair the spec
-- makes (to the copy only) so the claim's other fields can still be compared.
local REPAIRS = {
  ["billing_provider.address.zip is not a 9-digit ZIP+4"] = function(c)
    c.billing_provider.address.zip = c.billing_provider.address.zip .. "0000"
  end,
  ["billing_provider.pay_to.address.zip is not 5 or 9 digits"] = function(c)
    c.billing_provider.pay_to_address.zip = ("0"):rep(5 - #c.billing_provider.pay_to_address.zip)
      .. c.billing_provider.pay_to_address.zip
  end,
  -- A subscriber who is the patient needs DMG (2010BA); the imsweb samples
  -- leave it out.
  ["subscriber.birth_date: A required field is missing."] = function(c)
    c.subscriber.birth_date = "1970-01-01"
  end,
  ["subscriber.sex: A required field is missing."] = function(c)
    c.subscriber.sex = "U"
  end,
  -- SBR02 empty and no patient loop: nobody is named the patient.
  ["subscriber.relationship: A required field is missing."] = function(c)
    c.subscriber.relationship = "self"
  end,
  ["subscriber.address is missing (the 837P requires N3 and N4 here)"] = function(c)
    c.subscriber.address = { line1 = "1 MAIN ST", city = "GREENBELT", state = "MD",
      zip = "20770" }
  end,
  ["total_charge is not the sum of the line charges"] = function(c)
    local cents = 0
    for _, l in ipairs(c.lines) do
      local whole, frac = l.charge:match("^(%d+)%.(%d%d)$")
      cents = cents + tonumber(whole) * 100 + tonumber(frac)
    end
    c.total_charge = string.format("%d.%02d", math.floor(cents / 100), cents % 100)
  end,
  ["service_facility.npi is not 10 digits"] = function(c)
    c.service_facility.npi = nil
  end,
  ["service_facility.address.state is not a US state or territory code"] = function(c)
    c.service_facility.address.state = "MD"
  end,
  ["service_facility.address.zip is not 5 or 9 digits"] = function(c)
    c.service_facility.address.zip = "20770"
  end,
  ["rendering_provider.npi: A required field is missing."] = function(c)
    c.rendering_provider = nil
  end,
}

-- Removes the value at a path such as "lines[2].rendering_provider".
local function drop(c, path)
  local parent, key = c, nil
  for name, index in path:gmatch("([%w_]+)%[?(%d*)%]?%.?") do
    if key then parent = parent[key] end
    key = name
    if index ~= "" then
      parent = parent[key]
      key = tonumber(index)
    end
  end
  parent[key] = nil
end

local function envelope_for(env)
  local e = support.deep_copy(env)
  e.unchecked = true
  -- ISA11 "U" (a 4010 habit) is no repetition separator in 5010.
  if e.repetition_sep and e.repetition_sep:match("%w") then
    for c in ("^!{|"):gmatch(".") do
      if c ~= e.element_sep and c ~= e.component_sep and c ~= e.segment_term then
        e.repetition_sep = c
        break
      end
    end
  end
  return e
end

local names = {}
for name in io.popen("ls " .. DIR):lines() do
  if name:match("^837p_") and not name:match("INVALID") then names[#names + 1] = name end
end

-- claims, envelope, error: on a structural error x12.read returns nil,
-- message, id, partial; the claims read before it are in partial.
local function read_all(text, opts)
  local claims, second, _, partial = bhclaim.x12.read(text, opts)
  if claims then return claims, second, nil end
  return partial.claims, partial.envelope, second
end

describe("every 837P sample", function()
  it("is here to be compared", function()
    assert.is_true(#names >= 13)
  end)

  for _, name in ipairs(names) do
    it(name .. " reads, writes back and reads again without losing a field", function()
      local text = support.read_file(DIR .. name)
      local claims, env, err = read_all(text)
      if err then claims, env, err = read_all(text, { lenient = true }) end
      if name == "837p_databricks_molina_mock.txt" then
        -- IEA02 differs from ISA13: the interchange is refused at its end,
        -- after its claims were read.
        assert.truthy(err and err:find("IEA02", 1, true), err)
      else
        assert.is_nil(err)
      end
      assert.is_true(#claims > 0)
      local e = envelope_for(env)
      for i, claim in ipairs(claims) do
        local out, msg = bhclaim.x12.write({ claim }, e)
        for _ = 1, 16 do
          if out then break end
          local why = msg:match("^claim [^:]*: (.*)$") or msg
          local repair = REPAIRS[why]
          local k = why:match("^other_payers%[(%d+)%]%.patient_signature_source is not a code")
          if k then
            -- OI04 holds A-D in the imsweb samples; 5010 has P only.
            repair = function(c) c.other_payers[tonumber(k)].patient_signature_source = nil end
          end
          local line_no = why:match("^lines%[(%d+)%]%.adjudications%[%d+%]")
          if line_no and not repair then
            -- SVD01 43 names no 2330B payer in imsweb's complex sample.
            repair = function(c) c.lines[tonumber(line_no)].adjudications = nil end
          end
          local block = why:match("^([%w_%[%]%.]+)%.npi is not 10 digits$")
          if block and not repair then
            -- A provider whose NPI is not 10 digits is left out of the copy.
            repair = function(c) drop(c, block) end
          end
          assert.is_function(repair, name .. " claim " .. i .. ": " .. msg)
          repair(claim)
          out, msg = bhclaim.x12.write({ claim }, e)
        end
        assert.is_string(out, msg)
        local back, _, err2 = read_all(out)
        assert.is_nil(err2)
        assert.are.same({}, diff(as_written(claim), back[1], "claim " .. i, nil, {}))
      end
    end)
  end

  it("keeps the COB loops of the coordination-of-benefits example", function()
    local claims = read_all(support.read_file(DIR .. "837p_x222a2_lfh_cob_3B.837"))
    local c = claims[1]
    assert.are.equal("S", c.payer.responsibility)
    local o = c.other_payers[1]
    assert.are.same({ "P", "01", "12", "39.15", "36.89" },
      { o.responsibility, o.relationship, o.filing_code, o.paid, o.remaining })
    assert.are.same({ { group = "PR", reason = "1", amount = "21.89" },
      { group = "PR", reason = "2", amount = "15.00" } }, o.adjustments)
    assert.are.equal("JS00111223333", o.subscriber.member_id)
    assert.are.equal("KEY INSURANCE COMPANY", o.payer.name)
    local a = c.lines[1].adjudications[1]
    assert.are.same({ "999996666", "40.00", "99213", 1, "2005-10-15" },
      { a.payer_id, a.paid, a.code, a.units, a.date })
    assert.are.same({ { group = "CO", reason = "42", amount = "3.00" } }, a.adjustments)
    assert.are.equal("1581234567", c.service_facility.npi)
    assert.are.equal("2345", c.billing_provider.pay_to_address.line1)
  end)

  it("reads MJ minutes as minutes and RD8 ranges as ranges", function()
    local claims = read_all(support.read_file(DIR .. "837p_databricks_molina_mock.txt"))
    local mj, rd8 = 0, 0
    for _, c in ipairs(claims) do
      for _, l in ipairs(c.lines) do
        if l.unit_type == "MJ" then mj = mj + 1 end
        if l.date_end then rd8 = rd8 + 1 end
      end
    end
    assert.is_true(mj >= 4)
    assert.is_true(rd8 >= 4)
  end)

  it("keeps every diagnosis of HI*BK*8901*BF*87200*BF:5559 when lenient", function()
    local text = support.read_file(DIR .. "837p_imsweb_valid.txt")
    assert.is_truthy(select(3, read_all(text)))
    local claims = read_all(text, { lenient = true })
    assert.are.same({ "8901", "87200", "5559" }, claims[1].diagnoses)
  end)
end)
