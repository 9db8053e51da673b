-- remit_read_spec.lua: core.remit_read (835) and core.ack_read (999, TA1,
-- 277CA) on every such sample in spec/fixtures/x12-samples. Each file is
-- walked here segment by segment, by a separate small splitter, and every
-- element is compared with the table the reader returned: an element the
-- reader lost or moved fails the walk. A few literal figures per sample
-- guard the walk itself. Malformed variants must fail naming the segment.
local core = require("bhclaim.core")
local support = require("spec.support")
local read_file = support.read_file

local DIR = "spec/fixtures/x12-samples/"

local REMITS = {
  "835_databricks_no_cas.txt", "835_databricks_plb.txt", "835_databricks_sample.txt",
  "835_databricks_services.txt", "835_edi835parser_bcbsnc_st_only.txt",
  "835_edi835parser_emedny.txt", "835_edi835parser_uhc_legacy.txt",
  "835_lfh_cob_contractual_adj.835", "835_lfh_managed_care.835",
  "835_lfh_medicare_part_a.835", "835_lfh_secondary_payment.835",
  "835_lfh_tertiary_payment.835", "835_pyx12_mult_loops.txt",
}
local ACKS = {
  "999_imsweb_accepted.txt", "999_imsweb_rejected.txt", "999_pyx12_multi_gs.txt",
  "ta1_uhin_4010.edi", "277ca_imsweb_accepted.txt", "277ca_imsweb_rejected.txt",
}

-- {--- the file side: a plain splitter and the value shapes ---

local function split(s, sep)
  local out, start = {}, 1
  while true do
    local i = s:find(sep, start, true)
    if not i then
      out[#out + 1] = s:sub(start)
      return out
    end
    out[#out + 1] = s:sub(start, i - 1)
    start = i + 1
  end
end

-- Segments as element lists (el[1] is the id) and the component separator.
local function segments(text)
  local e, c, t
  local body = text:gsub("^%s+", "")
  if body:sub(1, 3) == "ISA" then
    e = body:sub(4, 4)
    local at, n = 4, 0
    while n < 16 do
      at = body:find(e, at, true)
      n = n + 1
      if n < 16 then at = at + 1 end
    end
    c, t = body:sub(at + 1, at + 1), body:sub(at + 2, at + 2)
  else
    e = body:sub(3, 3)
    t = body:match("^ST%" .. e .. "[%w%" .. e .. "]*(.)")
    c = ":"
  end
  local segs = {}
  for _, raw in ipairs(split(body, t)) do
    raw = raw:gsub("^[\r\n ]+", ""):gsub("[\r\n]+$", "")
    if raw ~= "" then segs[#segs + 1] = split(raw, e) end
  end
  return segs, c
end

local function el(seg, i)
  local v = seg[i + 1]
  if v == nil or v == "" then return nil end
  return v
end

local function amount(v)
  if v == nil then return nil end
  return string.format("%.2f", tonumber(v))
end

local function date(v)
  if v == nil then return nil end
  return v:sub(1, 4) .. "-" .. v:sub(5, 6) .. "-" .. v:sub(7, 8)
end

local function comp(v, c, k)
  if v == nil then return nil end
  local x = split(v, c)[k]
  if x == "" then return nil end
  return x
end

-- {--- comparisons that say where they failed ---

local where = ""
local function eq(expected, actual, what)
  assert.are.equal(expected, actual, where .. ": " .. what)
end

local function check_person(seg, p, what)
  assert.is_table(p, where .. ": " .. what .. " missing")
  eq(el(seg, 1), p.entity, what .. " entity")
  eq(el(seg, 2), p.entity_type, what .. " entity_type")
  eq(el(seg, 3), p.last or p.name, what .. " last/name")
  if p.name == nil then
    eq(el(seg, 4), p.first, what .. " first")
    eq(el(seg, 5), p.middle, what .. " middle")
    eq(el(seg, 6), p.prefix, what .. " prefix")
    eq(el(seg, 7), p.suffix, what .. " suffix")
  end
  eq(el(seg, 8), p.id_qualifier, what .. " id_qualifier")
  eq(el(seg, 9), p.id, what .. " id")
end

local function check_contact(seg, ct, what)
  assert.is_table(ct, where .. ": " .. what .. " missing")
  eq(el(seg, 1), ct.function_code, what .. " function")
  eq(el(seg, 2), ct.name, what .. " name")
  local k = 0
  for i = 3, 7, 2 do
    if el(seg, i) or el(seg, i + 1) then
      k = k + 1
      eq(el(seg, i), ct[k].qualifier, what .. " number qualifier")
      eq(el(seg, i + 1), ct[k].value, what .. " number")
    end
  end
  eq(k, #ct, what .. " numbers")
end

local function check_pair(seg, list, n, second, shape, what)
  local p = list[n]
  assert.is_table(p, where .. ": " .. what .. " #" .. n .. " missing")
  eq(el(seg, 1), p.qualifier, what .. " qualifier")
  eq(shape(el(seg, 2)), p[second], what .. " value")
end

local function same(v) return v end

-- MIA/MOA/TS3/TS2 names by position (docs/remit.md lists them all).
local NAMES = {
  MIA = { "covered_days_or_visits", "pps_operating_outlier_amount", "lifetime_psychiatric_days",
          "drg_amount", "remark", "disproportionate_share_amount", "msp_pass_through_amount",
          "pps_capital_amount", "pps_capital_fsp_drg_amount", "pps_capital_hsp_drg_amount",
          "pps_capital_dsh_drg_amount", "old_capital_amount", "pps_capital_ime_amount",
          "pps_operating_hospital_specific_drg_amount", "cost_report_day_count",
          "pps_operating_federal_specific_drg_amount", "pps_capital_outlier_amount",
          "indirect_teaching_amount", "nonpayable_professional_component_amount",
          "remark", "remark", "remark", "remark", "remark" },
  MOA = { "reimbursement_rate", "payable_amount", "remark", "remark", "remark", "remark", "remark",
          "esrd_payment_amount", "nonpayable_professional_component_amount" },
  TS3 = { "provider_id", "facility_type", "fiscal_period_date", "claim_count", "total_charge",
          "total_covered_charge", "total_noncovered_charge", "total_denied_charge",
          "total_provider_payment", "total_interest", "total_contractual_adjustment" },
  TS2 = { "total_drg_amount", "total_federal_specific_amount", "total_hospital_specific_amount",
          "total_disproportionate_share_amount", "total_capital_amount",
          "total_indirect_medical_education_amount" },
}
local QUANTITY = { covered_days_or_visits = true, lifetime_psychiatric_days = true,
  cost_report_day_count = true, reimbursement_rate = true, claim_count = true }

local function check_fields(seg, t, what)
  assert.is_table(t, where .. ": " .. what .. " missing")
  local names, remarks = NAMES[seg[1]], {}
  for i = 1, #seg - 1 do
    local v, name = el(seg, i), names[i]
    if v then
      assert.is_string(name, where .. ": " .. what .. " element " .. i .. " not named here")
      if name == "remark" then
        remarks[#remarks + 1] = v
      elseif name == "fiscal_period_date" then
        eq(date(v), t[name], what .. " " .. name)
      elseif QUANTITY[name] or name == "provider_id" or name == "facility_type" then
        eq(v, t[name], what .. " " .. name)
      else
        eq(amount(v), t[name], what .. " " .. name)
      end
    end
  end
  assert.are.same(remarks, t.remarks, where .. ": " .. what .. " remarks")
end

local function check_procedure(v, c, t, what)
  eq(comp(v, c, 1), t.code_qualifier, what .. " qualifier")
  eq(comp(v, c, 2), t.code, what .. " code")
  local mods = {}
  for k = 3, 6 do mods[#mods + 1] = comp(v, c, k) end
  assert.are.same(mods, t.modifiers, where .. ": " .. what .. " modifiers")
  eq(comp(v, c, 7), t.description, what .. " description")
end

-- {--- walking an 835 ---

local CLAIM_DATES = { ["232"] = "statement_from", ["233"] = "statement_to",
  ["036"] = "coverage_expiration", ["050"] = "received" }
local CLAIM_PEOPLE = { QC = "patient", IL = "insured", ["74"] = "corrected",
  ["82"] = "service_provider", TT = "crossover_carrier", PR = "corrected_priority_payer",
  GB = "other_subscriber" }

local function walk_835(text, list)
  local segs, c = segments(text)
  local st, rm, party, header, claim, line = 0, nil, nil, nil, nil, nil
  local n_payees, n_claims, n_plb, n_headers = 0, 0, 0, 0
  local adj, refs, amts, qtys, lqs, contacts = 0, 0, 0, 0, 0, 0
  local function reset_claim_counts() adj, refs, amts, qtys, lqs, contacts = 0, 0, 0, 0, 0, 0 end
  local checked = 0
  for n, s in ipairs(segs) do
    local id = s[1]
    where = "segment " .. n .. " (" .. id .. ")"
    checked = checked + 1
    if id == "ST" then
      st = st + 1
      rm = list[st]
      assert.is_table(rm, where .. ": no remittance for this ST")
      eq("835", rm.kind, "kind")
      eq(el(s, 2), rm.set_control_number, "ST02")
      eq(el(s, 3), rm.implementation, "ST03")
      party, header, claim, line = nil, nil, nil, nil
      n_payees, n_claims, n_plb, n_headers = 0, 0, 0, 0
    elseif id == "BPR" then
      local p = rm.payment
      local names = { "handling", "amount", "credit_debit", "method", "format",
        "payer_dfi_qualifier", "payer_dfi_id", "payer_account_qualifier", "payer_account",
        "originator_id", "originator_supplement", "payee_dfi_qualifier", "payee_dfi_id",
        "payee_account_qualifier", "payee_account", "date" }
      for i, name in ipairs(names) do
        local v = el(s, i)
        if name == "amount" then v = amount(v) elseif name == "date" then v = date(v) end
        eq(v, p[name], "BPR " .. name)
      end
    elseif id == "TRN" then
      eq(el(s, 1), rm.trace.type, "trace type")
      eq(el(s, 2), rm.trace.number, "trace number")
      eq(el(s, 3), rm.trace.originator_id, "trace originator")
      eq(el(s, 4), rm.trace.originator_supplement, "trace supplement")
    elseif id == "CUR" then
      eq(el(s, 2), rm.currency, "currency")
    elseif id == "DTM" and claim == nil then
      eq(date(el(s, 2)), rm.production_date, "production date")
    elseif id == "REF" and party == nil then
      eq(el(s, 2), el(s, 1) == "EV" and rm.receiver_id or rm.version_id, "header REF")
    elseif id == "N1" then
      if el(s, 1) == "PR" then
        party = rm.payer
      else
        n_payees = n_payees + 1
        party = rm.payees[n_payees]
        if n_payees == 1 then assert.are.equal(rm.payee, party, where) end
      end
      claim, line = nil, nil
      reset_claim_counts()
      eq(el(s, 1), party.entity, "N101")
      eq(el(s, 2), party.name, "N102")
      eq(el(s, 3), party.id_qualifier, "N103")
      eq(el(s, 4), party.id, "N104")
    elseif id == "N3" then
      eq(el(s, 1), party.address.line1, "N301")
      eq(el(s, 2), party.address.line2, "N302")
    elseif id == "N4" then
      eq(el(s, 1), party.address.city, "N401")
      eq(el(s, 2), party.address.state, "N402")
      eq(el(s, 3), party.address.zip, "N403")
      eq(el(s, 4), party.address.country, "N404")
    elseif id == "REF" and claim == nil then
      refs = refs + 1
      check_pair(s, party.references, refs, "value", same, "party REF")
    elseif id == "PER" and claim == nil then
      contacts = contacts + 1
      check_contact(s, party.contacts[contacts], "party PER")
    elseif id == "RDM" then
      eq(el(s, 1), party.remittance_delivery.method, "RDM01")
    elseif id == "LX" then
      n_headers = n_headers + 1
      header = rm.headers[n_headers]
      eq(el(s, 1), header.number, "LX01")
      claim, line = nil, nil
    elseif id == "TS3" then
      check_fields(s, header.provider_summary, "TS3")
    elseif id == "TS2" then
      check_fields(s, header.supplemental, "TS2")
    elseif id == "CLP" then
      n_claims = n_claims + 1
      claim, line = rm.claims[n_claims], nil
      assert.is_table(claim, where .. ": claim missing")
      reset_claim_counts()
      eq(header and header.number, claim.header_number, "header number")
      eq(math.max(n_payees, 1), claim.payee_index, "payee index")
      local names = { "claim_id", "status", "charge", "paid", "patient_responsibility",
        "filing_indicator", "payer_claim_number", "facility_type", "frequency",
        "patient_status", "drg", "drg_weight", "discharge_fraction", "condition_response" }
      for i, name in ipairs(names) do
        local v = el(s, i)
        if i >= 3 and i <= 5 then v = amount(v) end
        eq(v, claim[name], "CLP " .. name)
      end
    elseif id == "CAS" then
      local list_ = (line or claim).adjustments
      for k = 0, 5 do
        if el(s, 2 + 3 * k) then
          adj = adj + 1
          local a = list_[adj]
          assert.is_table(a, where .. ": CAS triplet " .. adj .. " missing")
          eq(el(s, 1), a.group, "CAS group")
          eq(el(s, 2 + 3 * k), a.reason, "CAS reason")
          eq(amount(el(s, 3 + 3 * k)), a.amount, "CAS amount")
          eq(el(s, 4 + 3 * k), a.quantity, "CAS quantity")
        end
      end
    elseif id == "NM1" then
      local key = CLAIM_PEOPLE[el(s, 1)]
      check_person(s, claim[key], "NM1 " .. tostring(key))
    elseif id == "MIA" then
      check_fields(s, claim.inpatient, "MIA")
    elseif id == "MOA" then
      check_fields(s, claim.outpatient, "MOA")
    elseif id == "REF" then
      refs = refs + 1
      check_pair(s, (line or claim).references, refs, "value", same, "REF")
      if line and el(s, 1) == "6R" then eq(el(s, 2), line.control_number, "REF*6R") end
    elseif id == "DTM" and line then
      local q = el(s, 1)
      local v = q == "472" and line.date or q == "150" and line.dates.from or line.dates.to
      eq(date(el(s, 2)), v, "line DTM " .. q)
    elseif id == "DTM" then
      eq(date(el(s, 2)), claim.dates[CLAIM_DATES[el(s, 1)]], "claim DTM " .. el(s, 1))
    elseif id == "PER" then
      contacts = contacts + 1
      check_contact(s, claim.contacts[contacts], "claim PER")
    elseif id == "AMT" then
      amts = amts + 1
      check_pair(s, (line or claim).amounts, amts, "amount", amount, "AMT")
    elseif id == "QTY" then
      qtys = qtys + 1
      check_pair(s, (line or claim).quantities, qtys, "quantity", same, "QTY")
    elseif id == "SVC" then
      if line == nil then assert.are.equal(0, #claim.lines > 0 and 0 or 0) end
      local idx = 1
      for i, l in ipairs(claim.lines) do if l == line then idx = i + 1 end end
      line = claim.lines[idx]
      assert.is_table(line, where .. ": line missing")
      adj, refs, amts, qtys, lqs = 0, 0, 0, 0, 0
      check_procedure(el(s, 1), c, line, "SVC01")
      eq(amount(el(s, 2)), line.charge, "SVC02")
      eq(amount(el(s, 3)), line.paid, "SVC03")
      eq(el(s, 4), line.revenue_code, "SVC04")
      eq(el(s, 5), line.units, "SVC05")
      if el(s, 6) or el(s, 7) then
        if el(s, 6) then check_procedure(el(s, 6), c, line.original, "SVC06") end
        eq(el(s, 7), line.original.units, "SVC07")
      else
        assert.is_nil(line.original, where)
      end
      local extra = 0
      for i = 8, #s - 1 do
        if el(s, i) then
          extra = extra + 1
          eq(el(s, i), line.extra_elements[extra].value, "element past SVC07")
        end
      end
    elseif id == "LQ" then
      lqs = lqs + 1
      check_pair(s, line.remarks, lqs, "code", same, "LQ")
    elseif id == "PLB" then
      n_plb = n_plb + 1
      local p = rm.provider_adjustments[n_plb]
      eq(el(s, 1), p.provider_id, "PLB01")
      eq(date(el(s, 2)), p.fiscal_period_date, "PLB02")
      local k = 0
      for i = 3, 13, 2 do
        if el(s, i) then
          k = k + 1
          eq(comp(el(s, i), c, 1), p.adjustments[k].reason, "PLB reason")
          eq(comp(el(s, i), c, 2), p.adjustments[k].reference, "PLB reference")
          eq(amount(el(s, i + 1)), p.adjustments[k].amount, "PLB amount")
        end
      end
      eq(k, #p.adjustments, "PLB pairs")
    elseif id == "SE" then
      eq(n_claims, #rm.claims, "claims in the set")
      eq(n_plb, #rm.provider_adjustments, "PLB in the set")
      eq(n_headers, #rm.headers, "LX in the set")
      eq(n_payees, #rm.payees, "payees in the set")
    elseif id == "ISA" or id == "GS" or id == "GE" or id == "IEA" then
      checked = checked - 1
    else
      error(where .. ": the walk does not know this segment")
    end
  end
  eq(st, #list, "sets in the file")
  return checked
end

-- {--- walking acknowledgements ---

local function check_stc(seg, c, list, first, what)
  local k = first
  for _, e in ipairs({ 1, 10, 11 }) do
    local v = el(seg, e)
    if v then
      local st = list[k]
      assert.is_table(st, where .. ": " .. what .. " status missing")
      eq(comp(v, c, 1), st.category, what .. " category")
      eq(comp(v, c, 2), st.code, what .. " code")
      eq(comp(v, c, 3), st.entity, what .. " entity")
      eq(date(el(seg, 2)), st.date, what .. " date")
      eq(el(seg, 3), st.action, what .. " action")
      eq(amount(el(seg, 4)), st.amount, what .. " amount")
      eq(el(seg, 12), st.free_text, what .. " text")
      k = k + 1
    end
  end
  return k
end

local function walk_acks(text, list)
  local segs, c = segments(text)
  local n_ack, ack, set, err, level = 0, nil, nil, nil, nil
  local n_sets, n_errors, n_elems = 0, 0, 0
  local n_levels, n_claims, n_status, n_refs, n_amts, n_qtys, n_dates = 0, 0, 0, 0, 0, 0, 0
  local checked = 0
  for n, s in ipairs(segs) do
    local id = s[1]
    where = "segment " .. n .. " (" .. id .. ")"
    checked = checked + 1
    if id == "TA1" then
      n_ack = n_ack + 1
      ack = list[n_ack]
      eq("TA1", ack.kind, "kind")
      eq(el(s, 1), ack.control_number, "TA101")
      eq(el(s, 2), ack.date, "TA102")
      eq(el(s, 3), ack.time, "TA103")
      eq(el(s, 4), ack.status, "TA104")
      eq(el(s, 4) == "A" or el(s, 4) == "E", ack.accepted, "accepted")
      eq(el(s, 5), ack.note_code, "TA105")
    elseif id == "ST" then
      n_ack = n_ack + 1
      ack = list[n_ack]
      eq(el(s, 1) == "999" and "999" or "277CA", ack.kind, "kind")
      eq(el(s, 2), ack.set_control_number, "ST02")
      n_sets, n_levels, n_claims = 0, 0, 0
    elseif id == "AK1" then
      eq(el(s, 1), ack.acknowledged_group.functional_id, "AK101")
      eq(el(s, 2), ack.acknowledged_group.control_number, "AK102")
      eq(el(s, 3), ack.acknowledged_group.version, "AK103")
    elseif id == "AK2" then
      n_sets, n_errors = n_sets + 1, 0
      set = ack.sets[n_sets]
      eq(el(s, 1), set.set_id, "AK201")
      eq(el(s, 2), set.control_number, "AK202")
      eq(el(s, 3), set.version, "AK203")
    elseif id == "IK3" then
      n_errors, n_elems = n_errors + 1, 0
      err = set.errors[n_errors]
      eq(el(s, 1), err.segment_id, "IK301")
      eq(el(s, 2), err.position, "IK302")
      eq(el(s, 3), err.loop, "IK303")
      eq(el(s, 4), err.code, "IK304")
    elseif id == "IK4" then
      n_elems = n_elems + 1
      local elem = err.elements[n_elems]
      eq(comp(el(s, 1), c, 1), elem.position, "IK401")
      eq(el(s, 2), elem.reference, "IK402")
      eq(el(s, 3), elem.code, "IK403")
      eq(el(s, 4), elem.value, "IK404")
    elseif id == "IK5" then
      eq(el(s, 1), set.status, "IK501")
      eq(el(s, 1) == "A" or el(s, 1) == "E", set.accepted, "accepted")
      local codes = {}
      for i = 2, 6 do codes[#codes + 1] = el(s, i) end
      assert.are.same(codes, set.codes, where)
      eq(n_errors, #set.errors, "IK3 count")
    elseif id == "AK9" then
      eq(el(s, 1), ack.group_status, "AK901")
      eq(el(s, 2), ack.sets_included, "AK902")
      eq(el(s, 3), ack.sets_received, "AK903")
      eq(el(s, 4), ack.sets_accepted, "AK904")
      eq(n_sets, #ack.sets, "AK2 count")
    elseif id == "BHT" then
      eq(el(s, 1), ack.bht.structure, "BHT01")
      eq(el(s, 2), ack.bht.purpose, "BHT02")
      eq(el(s, 3), ack.bht.reference, "BHT03")
      eq(date(el(s, 4)), ack.date, "BHT04")
      eq(el(s, 5), ack.bht.time, "BHT05")
      eq(el(s, 6), ack.bht.type, "BHT06")
    elseif id == "HL" then
      if el(s, 3) == "PT" then
        n_claims = n_claims + 1
        level = ack.claims[n_claims]
      else
        n_levels = n_levels + 1
        level = ack.levels[n_levels]
      end
      n_status, n_refs, n_amts, n_qtys, n_dates = 1, 0, 0, 0, 0
      assert.is_table(level, where .. ": level missing")
      eq(el(s, 1), level.id, "HL01")
      eq(el(s, 2), level.parent, "HL02")
      eq(el(s, 3), level.level, "HL03")
    elseif id == "NM1" then
      check_person(s, level.entity, "NM1")
      if level.level == "PT" then check_person(s, level.patient, "patient") end
    elseif id == "TRN" then
      eq(el(s, 1), level.trace.type, "TRN01")
      eq(el(s, 2), level.trace.number, "TRN02")
      if level.level == "PT" then eq(el(s, 2), level.claim_id, "claim id") end
      if level.level == "20" then eq(el(s, 2), ack.trace.number, "source trace") end
    elseif id == "STC" then
      n_status = check_stc(s, c, level.status, n_status, "STC")
      if level.level == "PT" and n_status == 2 then eq(amount(el(s, 4)), level.charge, "charge") end
    elseif id == "REF" then
      n_refs = n_refs + 1
      check_pair(s, level.references, n_refs, "value", same, "REF")
      if el(s, 1) == "1K" then eq(el(s, 2), level.payer_claim_number, "REF*1K") end
    elseif id == "AMT" then
      n_amts = n_amts + 1
      check_pair(s, level.amounts, n_amts, "amount", amount, "AMT")
    elseif id == "QTY" then
      n_qtys = n_qtys + 1
      check_pair(s, level.quantities, n_qtys, "quantity", same, "QTY")
    elseif id == "DTP" then
      n_dates = n_dates + 1
      eq(el(s, 1), level.dates[n_dates].qualifier, "DTP01")
      eq(date(el(s, 3)), level.dates[n_dates].date, "DTP03")
      if el(s, 1) == "472" then eq(date(el(s, 3)), level.date_from, "date_from") end
    elseif id == "SE" then
      if ack.kind == "277CA" then
        eq(n_claims, #ack.claims, "claims")
        eq(n_levels, #ack.levels, "levels")
      end
    elseif id == "ISA" or id == "GS" or id == "GE" or id == "IEA" then
      checked = checked - 1
    else
      error(where .. ": the walk does not know this segment")
    end
  end
  eq(n_ack, #list, "acknowledgements in the file")
  return checked
end

-- {--- the specs ---

describe("core.remit_read", function()
  for _, name in ipairs(REMITS) do
    it("reads " .. name .. " without losing an element", function()
      local list, msg, id = core.remit_read(read_file(DIR .. name))
      assert.is_table(list, tostring(msg) .. " " .. tostring(id))
      assert.is_true(walk_835(read_file(DIR .. name), list) > 10)
    end)
  end

  local function read(name)
    return assert(core.remit_read(read_file(DIR .. name)))
  end

  it("has a walk that notices a lost or changed element", function()
    local name = "835_lfh_secondary_payment.835"
    local text = read_file(DIR .. name)
    local cases = {
      function(l) l[1].claims[2].lines[1].paid = nil end,
      function(l) table.remove(l[1].claims[2].lines[2].adjustments, 2) end,
      function(l) l[1].claims[1].patient.first = "X" end,
      function(l) l[1].payer.address.zip = nil end,
      function(l) table.remove(l[1].claims) end,
      function(l) l[1].claims[2].lines[2].references[1].value = "1" end,
    }
    for i, spoil in ipairs(cases) do
      local list = read(name)
      spoil(list)
      assert.has_error(function() walk_835(text, list) end, nil, "case " .. i)
    end
  end)

  it("keeps the figures of each sample (literal values)", function()
    local a = read("835_lfh_medicare_part_a.835")[1]
    assert.are.equal("150000.00", a.payment.amount)
    assert.are.equal("2002-09-13", a.payment.date)
    assert.are.equal("12345", a.trace.number)
    assert.are.equal("INSURANCE COMPANY OF TIMBUCKTU", a.payer.name)
    assert.are.equal("6543210903", a.payee.id)
    assert.are.equal("211366.97", a.headers[1].provider_summary.total_charge)
    assert.are.equal("138018.40", a.headers[1].provider_summary.total_provider_payment)
    assert.are.equal("2178.45", a.headers[1].supplemental.total_drg_amount)
    assert.are.equal("0", a.claims[1].inpatient.covered_days_or_visits)
    assert.are.equal("138018.40", a.claims[1].inpatient.drg_amount)
    assert.are.same({ "MA02" }, a.claims[2].outpatient.remarks)
    assert.are.same({ { qualifier = "CA", quantity = "8.00" } }, a.claims[1].quantities)
    assert.are.same({ reason = "CV", reference = "CP", amount = "-1.27" },
      a.provider_adjustments[1].adjustments[1])

    local sec = read("835_lfh_secondary_payment.835")[1]
    local line = sec.claims[2].lines[2]
    -- The file declares ':' (ISA16) but writes '>' in SVC01: kept as sent.
    assert.are.equal("HC>66543>26", line.code_qualifier)
    assert.is_nil(line.code)
    assert.are.same({ group = "PR", reason = "1", amount = "150.00" }, line.adjustments[1])
    assert.are.same({ group = "PR", reason = "2", amount = "70.00" }, line.adjustments[2])
    assert.are.equal("500.00", line.amounts[1].amount)

    local ter = read("835_lfh_tertiary_payment.835")[1]
    assert.are.equal("3", ter.claims[1].status)
    assert.are.equal("187.50", ter.claims[1].paid)

    local mc = read("835_lfh_managed_care.835")[1]
    assert.are.equal("2002-03-01", mc.claims[1].lines[1].dates.from)
    assert.are.equal("A2", mc.claims[1].adjustments[1].reason)

    local uhc = read("835_edi835parser_uhc_legacy.txt")[1]
    assert.are.equal("B4152", uhc.claims[1].lines[1].code)
    assert.are.equal("800941258001", uhc.claims[1].lines[1].control_number)

    local st_only = read("835_edi835parser_bcbsnc_st_only.txt")[1]
    assert.is_nil(st_only.interchange)
    assert.are.equal("1922.86", st_only.payment.amount)
    assert.are.equal("59410", st_only.claims[1].lines[1].original.code)

    local plb = read("835_databricks_plb.txt")[1]
    assert.are.equal(3, #plb.payees)
    assert.are.equal(3, #plb.provider_adjustments[1].adjustments)

    local loops = read("835_pyx12_mult_loops.txt")[1]
    assert.are.same({ qualifier = "HE", code = "N14" }, loops.claims[1].lines[1].remarks[1])

    -- "no CAS": its first claim has none (later ones do, 3 triplets in all).
    local no_cas, triplets = read("835_databricks_no_cas.txt"), 0
    assert.are.equal(0, #no_cas[1].claims[1].adjustments)
    for _, rm in ipairs(no_cas) do
      for _, claim in ipairs(rm.claims) do triplets = triplets + #claim.adjustments end
    end
    assert.are.equal(3, triplets)
  end)

  it("gives nil, never an empty string, for what was not sent", function()
    local rm = read("835_lfh_managed_care.835")[1]
    assert.is_nil(rm.claims[1].facility_type)
    assert.is_nil(rm.receiver_id)
    assert.is_nil(rm.claims[1].lines[1].date)
  end)

  describe("refuses malformed input, naming the segment", function()
    local good = read_file(DIR .. "835_lfh_managed_care.835")
    local function refused(text, pattern, want_id)
      local list, msg, id = core.remit_read(text)
      assert.is_nil(list)
      assert.matches(pattern, msg)
      assert.are.equal(want_id or "x12.syntax", id)
    end

    it("a truncated file", function()
      refused(good:sub(1, math.floor(#good / 2)), "^segment %d+: ")
      refused(good:sub(1, 500), "^segment 13 %(CLP%): no segment terminator")
    end)
    it("a CLP amount that is not an amount", function()
      refused(good:gsub("CLP%*5554555444%*1%*800.00", "CLP*5554555444*1*8O0.00"),
        "^segment %d+ %(CLP%): CLP03 is not an amount", "x12.value")
    end)
    it("an amount with 20 digits", function()
      refused(good:gsub("CLP%*5554555444%*1%*800.00", "CLP*5554555444*1*12345678901234567890"),
        "^segment %d+ %(CLP%): CLP03", "x12.value")
    end)
    it("an amount with three decimals", function()
      refused(good:gsub("SVC%*HC:99211%*800.00", "SVC*HC:99211*800.001"),
        "^segment %d+ %(SVC%): SVC02", "x12.value")
    end)
    it("a missing SE", function()
      local text = read_file(DIR .. "835_edi835parser_bcbsnc_st_only.txt"):gsub("SE%*33%*1234~", "")
      refused(text, "ends before SE")
      refused(good:gsub("SE%*[^~]*~", ""), "^segment %d+ %(GE%): out of place")
    end)
    it("a segment out of place", function()
      refused(good:gsub("TRN%*", "TS3*", 1), "^segment 5 %(TS3%): out of place")
      refused(good:gsub("BPR%*", "TRN*", 1), "^segment 4 %(TRN%): out of place: expected BPR")
    end)
    it("not X12 at all, or empty", function()
      refused("", "empty")
      refused("hello", "neither ISA nor ST")
      refused(("\0"):rep(40), "neither ISA nor ST")
    end)
    it("a NUL byte inside an element", function()
      refused(good:gsub("RUSHMORE LIFE", "RUSHMORE\0LIFE"), "^segment 7 %(N1%): a NUL byte")
    end)
    it("a bad date", function()
      refused(good:gsub("DTM%*405%*20020314", "DTM*405*2002031"),
        "^segment %d+ %(DTM%): DTM02 is not a date", "x12.value")
    end)
    it("a 999 given as an 835", function()
      refused(read_file(DIR .. "999_imsweb_accepted.txt"), "^segment 3 %(ST%): ST01 must be 835")
    end)
  end)

  it("rejects a non-string argument", function()
    assert.has_error(function() core.remit_read(nil) end)
    assert.has_error(function() core.remit_read({}) end)
  end)

  it("reads several interchanges with their own separators", function()
    local a = read_file(DIR .. "835_lfh_managed_care.835")
    local b = read_file(DIR .. "835_edi835parser_uhc_legacy.txt")
    local list = assert(core.remit_read(a .. "\n" .. b))
    assert.are.equal(2, #list)
    assert.are.equal("B4152", list[2].claims[1].lines[1].code)
    assert.are.equal("444444444", list[2].interchange.control_number)
    assert.are.equal("000000907", list[1].interchange.control_number)
  end)
end)

describe("core.ack_read", function()
  for _, name in ipairs(ACKS) do
    it("reads " .. name .. " without losing an element", function()
      local list, msg, id = core.ack_read(read_file(DIR .. name))
      assert.is_table(list, tostring(msg) .. " " .. tostring(id))
      assert.is_true(walk_acks(read_file(DIR .. name), list) >= 1)
    end)
  end

  local function read(name)
    return assert(core.ack_read(read_file(DIR .. name)))
  end

  it("keeps the figures of each sample (literal values)", function()
    local rej = read("999_imsweb_rejected.txt")[1]
    assert.are.equal("999", rej.kind)
    assert.is_false(rej.sets[1].accepted)
    assert.are.same({ "5" }, rej.sets[1].codes)
    assert.are.same({ segment_id = "NM", position = "17", code = "1", context = {}, elements = {} },
      rej.sets[1].errors[1])
    assert.is_false(rej.accepted)
    local acc = read("999_imsweb_accepted.txt")[1]
    assert.is_true(acc.sets[1].accepted)
    assert.are.equal("17456", acc.acknowledged_group.control_number)
    local multi = read("999_pyx12_multi_gs.txt")
    assert.are.equal(4, #multi)
    assert.are.equal("102", multi[3].group.control_number)
    local ta1 = read("ta1_uhin_4010.edi")[1]
    assert.are.equal("TA1", ta1.kind)
    assert.is_false(ta1.accepted)
    assert.are.equal("024", ta1.note_code)
    assert.are.equal("00401", ta1.interchange.version)
    local ca = read("277ca_imsweb_rejected.txt")[1]
    assert.are.equal("277CA", ca.kind)
    local claim = ca.claims[1]
    assert.are.equal("3920394930203", claim.claim_id)
    assert.are.equal("1107000000001120", claim.payer_claim_number)
    assert.is_false(claim.accepted)
    assert.are.equal("A7", claim.status[1].category)
    assert.are.equal("562", claim.status[1].code)
    assert.are.equal("85", claim.status[1].entity)
    assert.are.equal("199.14", claim.charge)
    assert.are.equal("2009-03-11", claim.date_from)
    assert.are.equal("CLILNAME", claim.patient.last)
    local ok = read("277ca_imsweb_accepted.txt")[1]
    assert.is_true(ok.claims[1].accepted)
    assert.are.equal("1001-01-01", ok.claims[1].date_from)
    assert.are.equal("000014420", ok.trace.number)
  end)

  it("reads a 999 set without envelope, and TA1, 999 and 277CA in one file", function()
    local body = read_file(DIR .. "999_imsweb_rejected.txt"):match("(ST%*.-SE%*[^~]*~)")
    local list = assert(core.ack_read(body))
    assert.are.equal(1, #list)
    assert.is_nil(list[1].interchange)
    assert.are.equal("NM", list[1].sets[1].errors[1].segment_id)
    list = assert(core.ack_read(read_file(DIR .. "ta1_uhin_4010.edi") ..
      read_file(DIR .. "999_imsweb_rejected.txt") .. read_file(DIR .. "277ca_imsweb_accepted.txt")))
    assert.are.same({ "TA1", "999", "277CA" }, { list[1].kind, list[2].kind, list[3].kind })
    assert.are.equal("095832987", list[2].interchange.control_number)
  end)

  it("refuses malformed acknowledgements, naming the segment", function()
    local text = read_file(DIR .. "999_imsweb_rejected.txt")
    local list, msg = core.ack_read(text:gsub("AK1%*[^~]*~", ""))
    assert.is_nil(list)
    assert.matches("^segment 4 %(AK2%): out of place: expected AK1", msg)
    list, msg = core.ack_read(text:gsub("AK9%*[^~]*~", ""))
    assert.is_nil(list)
    assert.matches("%(SE%): the set ends before AK9", msg)
    list, msg = core.ack_read(read_file(DIR .. "835_lfh_managed_care.835"))
    assert.is_nil(list)
    assert.matches("^segment 3 %(ST%): ST01 must be 999 or 277", msg)
    local ca = read_file(DIR .. "277ca_imsweb_rejected.txt")
    list, msg = core.ack_read(ca:gsub("199.14", "199.145", 1))
    assert.is_nil(list)
    assert.matches("%(STC%): STC04 is not an amount", msg)
    list, msg = core.ack_read(ca:sub(1, 300))
    assert.is_nil(list)
    assert.matches("truncated", msg)
  end)
end)
