-- The payer edits of issue 11: code.dx_procedure, code.setting,
-- modifier.bypass, claim.timely_filing, payer.prior_auth, the rules across
-- claims (claim.duplicate, code.frequency), the 90853/90849 pair, and the
-- Lua rule API (unknown ids in disable, null as nil in custom rules).
local bhclaim = require("bhclaim")
local S = require("spec.support")

local arr = function(t) return setmetatable(t, bhclaim.array_mt) end

local function confirmed(t)
  t.extends = t.extends or "medicare"
  t.name = t.name or "confirmed"
  return bhclaim.payer(t)
end

describe("code.dx_procedure", function()
  it("is an error for a 90853 line pointing only at a non-F diagnosis", function()
    local r = S.check_with(function(c)
      c.diagnoses = arr({ "F33.1", "Z63.0" })
      c.lines[1].dx_pointers = arr({ 2 })
    end)
    local f = S.assert_finding(r, "code.dx_procedure", "error", "lines[1].dx_pointers")
    assert.same({ group = "CO", carc = "11" }, f.denial)
  end)

  it("passes when any pointed diagnosis is F01-F99", function()
    S.assert_no_finding(S.check_with(function(c)
      c.diagnoses = arr({ "Z63.0", "F41.1" })
    end), "code.dx_procedure")
  end)

  it("takes the diagnoses a profile allows besides them", function()
    local p = confirmed({ dx_allowed = { codes = { "Z63" }, source = "plan policy" } })
    local mutate = function(c)
      c.diagnoses = arr({ "Z63.0" })
      c.lines[1].dx_pointers = arr({ 1 })
    end
    S.assert_no_finding(S.check_with(mutate, { payer = p }), "code.dx_procedure")
    local other = confirmed({ dx_allowed = { codes = { "Z65" } } })
    local f = S.assert_finding(S.check_with(mutate, { payer = other }), "code.dx_procedure",
      "error", "lines[1].dx_pointers")
    assert.truthy(S.contains(f.message, "none this payer allows"))
  end)

  it("leaves non-psychiatric codes and bad pointers alone", function()
    S.assert_no_finding(S.check_with(function(c)
      c.diagnoses = arr({ "Z63.0" })
      c.lines[1] = S.new_line("96127")
    end), "code.dx_procedure")
    S.assert_no_finding(S.check_with(function(c)
      c.lines[1].dx_pointers = arr({ 7 })
    end), "code.dx_procedure")
  end)
end)

describe("code.setting", function()
  it("warns (unconfirmed Medicare list) for an H code on a Medicare claim", function()
    local r = S.check_with(function(c) c.lines[1] = S.new_line("H0004") end)
    local f = S.assert_finding(r, "code.setting", "warning", "lines[1].code")
    assert.truthy(S.contains(f.source, "unconfirmed profile value"))
    r = S.check_with(function(c) c.lines[1] = S.new_line("T1015") end)
    S.assert_finding(r, "code.setting", "warning", "lines[1].code")
  end)

  it("is an error under a confirmed list, and quiet on Medicaid", function()
    local p = confirmed({ not_paid = { codes = { "H" }, source = "contract" } })
    S.assert_finding(S.check_with(function(c) c.lines[1] = S.new_line("H0004") end,
      { payer = p }), "code.setting", "error", "lines[1].code")
    S.assert_no_finding(S.check_with(function(c)
      c.payer.kind = "medicaid"
      c.lines[1] = S.new_line("H0004")
    end), "code.setting")
  end)

  it("warns for Medicare 90853 at POS 52, not at POS 11", function()
    local r = S.check_with(function(c) c.place_of_service = "52" end)
    local f = S.assert_finding(r, "code.setting", "warning", "lines[1].code")
    assert.truthy(S.contains(f.message, "G0410"))
    S.assert_no_finding(S.check_with(function() end), "code.setting")
    S.assert_no_finding(S.check_with(function(c)
      c.place_of_service = "52"
      c.payer.kind = "commercial"
    end), "code.setting")
  end)

  it("warns for an FQHC or RHC billing 90853 to Medicare, from the claim's kind", function()
    for _, kind in ipairs({ "fqhc", "rhc" }) do
      local r = S.check_with(function(c) c.billing_provider.kind = kind end)
      S.assert_finding(r, "code.setting", "warning", "lines[1].code")
    end
    S.assert_finding(S.check_with(function() end, { provider_kind = "fqhc" }), "code.setting",
      "warning", "lines[1].code")
    -- the claim's own kind wins over the option
    S.assert_no_finding(S.check_with(function(c)
      c.billing_provider.kind = "practitioner"
    end, { provider_kind = "fqhc" }), "code.setting")
  end)

  it("refuses a billing_provider.kind outside the list", function()
    local r = S.check_with(function(c) c.billing_provider.kind = "clinic" end)
    local f = S.assert_finding(r, "claim.schema", "error", "billing_provider.kind")
    assert.truthy(S.contains(f.message, "fqhc"))
  end)
end)

describe("modifier.bypass", function()
  local function pair(mods)
    return S.check_with(function(c) c.lines[2] = S.new_line("90834", nil, mods) end)
  end

  it("warns for XS on a psychotherapy pair", function()
    local r = pair({ "XS" })
    S.assert_no_finding(r, "ncci.ptp")
    local f = S.assert_finding(r, "modifier.bypass", "warning", "lines[2].modifiers[1]")
    assert.truthy(S.contains(f.message, "separate structure"))
  end)

  it("warns for 59 where an X modifier fits", function()
    S.assert_finding(pair({ "59" }), "modifier.bypass", "warning", "lines[2].modifiers[1]")
  end)

  it("is quiet for XE, and without a pair", function()
    S.assert_no_finding(pair({ "XE" }), "modifier.bypass")
    S.assert_no_finding(S.check_with(function(c)
      c.lines[1].modifiers = arr({ "59" })
    end), "modifier.bypass")
  end)
end)

describe("ncci.ptp 90853/90849", function()
  it("is a warning (unconfirmed pair) without a bypass modifier", function()
    local r = S.check_with(function(c) c.lines[2] = S.new_line("90849") end)
    local f = S.assert_finding(r, "ncci.ptp", "warning", "lines[2].code")
    assert.truthy(S.contains(f.source, "unconfirmed"))
    S.assert_no_finding(S.check_with(function(c)
      c.lines[2] = S.new_line("90849", nil, { "XE" })
    end), "ncci.ptp")
  end)
end)

describe("claim.timely_filing", function()
  local function filed(date, today, profile)
    local claim = S.base_claim()
    S.set_service_date(claim, date)
    local r = assert(bhclaim.check(claim, { today = today, payer = profile }))
    return r
  end
  local strict = confirmed({ timely_filing = { value = 12, unit = "months", source = "42 CFR" } })

  it("is an error past a confirmed limit, a warning under Medicare's unconfirmed one", function()
    local f = S.assert_finding(filed("2025-03-02", "2026-03-03", strict), "claim.timely_filing",
      "error", "lines[1].date")
    assert.same({ group = "CO", carc = "29" }, f.denial)
    S.assert_finding(filed("2025-03-02", "2026-03-03"), "claim.timely_filing", "warning",
      "lines[1].date")
  end)

  it("takes a claim filed on the anniversary as in time (a warning: due today)", function()
    local f = S.assert_finding(filed("2025-03-02", "2026-03-02", strict), "claim.timely_filing",
      "warning", "lines[1].date")
    assert.truthy(S.contains(f.message, "within 0 days"))
  end)

  it("makes a 29 February service due on 28 February", function()
    S.assert_finding(filed("2024-02-29", "2025-02-28", strict), "claim.timely_filing",
      "warning", "lines[1].date")
    S.assert_finding(filed("2024-02-29", "2025-03-01", strict), "claim.timely_filing",
      "error", "lines[1].date")
  end)

  it("warns within 30 days and is quiet before", function()
    S.assert_finding(filed("2025-03-02", "2026-02-01", strict), "claim.timely_filing",
      "warning", "lines[1].date")
    S.assert_no_finding(filed("2025-03-02", "2026-01-30", strict), "claim.timely_filing")
  end)

  it("counts days when the profile says so", function()
    local p = confirmed({ timely_filing = { value = 90, unit = "days" } })
    S.assert_finding(filed("2026-01-01", "2026-04-02", p), "claim.timely_filing", "error",
      "lines[1].date")
    S.assert_no_finding(filed("2026-01-01", "2026-02-01", p), "claim.timely_filing")
  end)

  it("follows --today, and stays quiet with today = false or no limit", function()
    local claim = S.base_claim()
    S.set_service_date(claim, "2020-01-02")
    S.assert_no_finding(assert(bhclaim.check(claim, { today = false, payer = strict })),
      "claim.timely_filing")
    S.assert_no_finding(assert(bhclaim.check(claim, { today = "2026-11-26",
      payer = "commercial" })), "claim.timely_filing")
  end)

  it("refuses a malformed limit", function()
    assert.has_error(function()
      bhclaim.payer({ extends = "medicare", timely_filing = { value = 12, unit = "weeks" } })
    end)
    assert.has_error(function()
      bhclaim.payer({ extends = "medicare", timely_filing = { value = 0, unit = "days" } })
    end)
  end)
end)

describe("payer.prior_auth", function()
  local function testing(mutate, opts)
    return S.check_with(function(c)
      c.payer.kind = "medicaid"
      c.lines[1] = S.new_line("96130")
      if mutate then mutate(c) end
    end, opts)
  end

  it("warns under the Medicaid template's unconfirmed list", function()
    local f = S.assert_finding(testing(), "payer.prior_auth", "warning", "prior_authorization")
    assert.same({ group = "CO", carc = "197" }, f.denial)
  end)

  it("is an error under a confirmed list, and quiet with a number", function()
    local p = confirmed({ prior_auth = { codes = { "90853" }, source = "plan manual" } })
    S.assert_finding(S.check_with(function() end, { payer = p }), "payer.prior_auth", "error",
      "prior_authorization")
    S.assert_no_finding(S.check_with(function(c) c.prior_authorization = "PA12345" end,
      { payer = p }), "payer.prior_auth")
    S.assert_no_finding(testing(function(c) c.prior_authorization = "A1" end),
      "payer.prior_auth")
  end)

  it("refuses a list that is not codes", function()
    assert.has_error(function()
      bhclaim.payer({ extends = "medicaid", prior_auth = { codes = { "90 853" } } })
    end)
  end)
end)

describe("bhclaim.check_batch", function()
  local function claim_with(id, mutate)
    local c = S.base_claim()
    c.id = id
    if mutate then mutate(c) end
    return c
  end

  it("reports a duplicate on the second claim, naming the first", function()
    local reports = bhclaim.check_batch({ claim_with("A"), claim_with("B", function(c)
      c.subscriber.name = { last = "ROE.", first = "sam" }
    end) }, { today = S.TODAY })
    S.assert_no_finding(reports[1], "claim.duplicate")
    local f = S.assert_finding(reports[2], "claim.duplicate", "error", "lines[1]")
    assert.truthy(S.contains(f.message, "claim A"))
    assert.same({ group = "OA", carc = "18" }, f.denial)
    assert.is_nil(reports[2].summary)
  end)

  it("compares modifiers in any order, and tells different ones apart", function()
    local reports = bhclaim.check_batch({
      claim_with("A", function(c) c.lines[1].modifiers = arr({ "HQ", "HO" }) end),
      claim_with("B", function(c) c.lines[1].modifiers = arr({ "HO", "HQ" }) end),
      claim_with("C", function(c) c.lines[1].modifiers = arr({ "HO" }) end),
    }, { today = S.TODAY })
    S.assert_finding(reports[2], "claim.duplicate", "error", "lines[1]")
    S.assert_no_finding(reports[3], "claim.duplicate")
  end)

  it("does not take a replacement or void for a duplicate", function()
    local reports = bhclaim.check_batch({ claim_with("A"),
      claim_with("A", function(c) c.frequency = "7" end),
      claim_with("A", function(c) c.frequency = "8" end) }, { today = S.TODAY })
    S.assert_no_finding(reports[2], "claim.duplicate")
    S.assert_no_finding(reports[3], "claim.duplicate")
  end)

  it("tells another patient or date apart", function()
    local reports = bhclaim.check_batch({ claim_with("A"),
      claim_with("B", function(c) c.subscriber.member_id = "9ZZ9" end),
      claim_with("C", function(c) S.set_service_date(c, "2026-03-03") end) },
      { today = S.TODAY })
    S.assert_no_finding(reports[2], "claim.duplicate")
    S.assert_no_finding(reports[3], "claim.duplicate")
  end)

  it("counts a JSON text that does not parse, and goes on", function()
    local reports, failures = bhclaim.check_batch({ "{", claim_with("A") }, { today = S.TODAY })
    assert.is_false(reports[1])
    assert.is_table(reports[2])
    assert.equal(1, #failures)
    assert.equal(1, failures[1].index)
  end)

  it("records a disabled cross-claim rule with its count", function()
    local reports = bhclaim.check_batch({ claim_with("A"), claim_with("B") },
      { today = S.TODAY, disable = { ["claim.duplicate"] = "resubmission run" } })
    S.assert_no_finding(reports[2], "claim.duplicate")
    assert.same({ { rule = "claim.duplicate", reason = "resubmission run", suppressed = 1 } },
      reports[2].disabled)
  end)

  it("raises on misuse, naming itself", function()
    assert.has_error(function() bhclaim.check_batch("x") end,
      "bad argument #1 to 'check_batch' (table expected, got string)")
    assert.has_error(function() bhclaim.check_batch({}, 3) end)
    local ok, err = pcall(bhclaim.check_batch, {}, { payer = "nope" })
    assert.is_false(ok)
    assert.truthy(S.contains(err, "bad argument #2 to 'check_batch'"), err)
    ok, err = pcall(bhclaim.batch_tracker, { disable = { ["claim.duplicates"] = "x" } })
    assert.is_false(ok)
    assert.truthy(S.contains(err, "bad argument #2 to 'batch_tracker'"), err)
    assert.truthy(S.contains(err, "claim.duplicate"), err)
    assert.has_error(function() bhclaim.batch_tracker(5) end,
      "bad argument #1 to 'batch_tracker' (table expected, got number)")
  end)

  it("takes a custom rule's id in disable", function()
    local set = bhclaim.ruleset("practice", { { id = "practice.noop", severity = "info",
      description = "d", check = function() end } })
    local reports = bhclaim.check_batch({ claim_with("A") },
      { today = S.TODAY, rules = set, disable = { ["practice.noop"] = "off" } })
    assert.equal("practice.noop", reports[1].disabled[1].rule)
  end)
end)

describe("code.frequency", function()
  local function eval(id, date)
    local c = S.base_claim()
    c.id = id
    c.payer.kind = "commercial"
    c.session = nil
    c.lines[1] = S.new_line("90791", date)
    c.documentation.signature.date = date
    return c
  end

  it("warns under the commercial template's unconfirmed six months", function()
    local reports = bhclaim.check_batch({ eval("A", "2026-01-10"), eval("B", "2026-05-01") },
      { today = S.TODAY })
    S.assert_no_finding(reports[1], "code.frequency")
    local f = S.assert_finding(reports[2], "code.frequency", "warning", "lines[1].code")
    assert.truthy(S.contains(f.message, "claim A"))
    assert.same({ group = "CO", carc = "119", rarc = "N130" }, f.denial)
  end)

  it("is quiet after the period", function()
    local reports = bhclaim.check_batch({ eval("A", "2026-01-10"), eval("B", "2026-07-10") },
      { today = S.TODAY })
    S.assert_no_finding(reports[2], "code.frequency")
  end)

  it("is an error under a confirmed limit in days", function()
    local p = bhclaim.payer({ name = "weekly", extends = "commercial",
      frequency = { { code = "90791", max = 1, days = 7, source = "contract" } } })
    local reports = bhclaim.check_batch({ eval("A", "2026-03-02"), eval("B", "2026-03-08"),
      eval("C", "2026-03-16") }, { today = S.TODAY, payer = p })
    S.assert_finding(reports[2], "code.frequency", "error", "lines[1].code")
    S.assert_no_finding(reports[3], "code.frequency")
  end)

  it("does not count a replacement of a service already counted", function()
    local replacement = eval("A", "2026-01-10")
    replacement.frequency = "7"
    local reports = bhclaim.check_batch({ eval("A", "2026-01-10"), replacement },
      { today = S.TODAY })
    S.assert_no_finding(reports[2], "code.frequency")
    local later = eval("B", "2026-02-01")
    later.frequency = "7"
    reports = bhclaim.check_batch({ eval("A", "2026-01-10"), later }, { today = S.TODAY })
    S.assert_finding(reports[2], "code.frequency", "warning", "lines[1].code")
  end)

  it("refuses a limit without its period", function()
    assert.has_error(function()
      bhclaim.payer({ extends = "commercial", frequency = { { code = "90791", max = 1 } } })
    end)
  end)
end)

describe("the Lua rule API", function()
  it("raises for an unknown id in disable, naming near matches", function()
    local ok, err = pcall(bhclaim.check, S.base_claim(), { disable = { ["doc.plans"] = "x" } })
    assert.is_false(ok)
    assert.truthy(S.contains(err, "bad argument #2 to 'check'"), err)
    assert.truthy(S.contains(err, "'doc.plans'"), err)
    assert.truthy(S.contains(err, "doc.plan"), err)
  end)

  it("accepts a custom rule's id in disable", function()
    local set = bhclaim.ruleset("practice", { { id = "practice.noop", severity = "info",
      description = "d", check = function() end } })
    local r = S.check(S.base_claim(), { rules = set, disable = { ["practice.noop"] = "off" } })
    assert.equal("practice.noop", r.disabled[1].rule)
  end)

  it("gives custom rules JSON null as nil", function()
    local seen = {}
    local set = bhclaim.ruleset("practice", { { id = "practice.auth", severity = "warning",
      description = "d", check = function(claim, report)
        seen.auth = claim.prior_authorization
        seen.patient = claim.patient
        if not claim.prior_authorization then report:add({ message = "no auth" }) end
      end } })
    local r = S.check(S.read_file(S.BASE_PATH), { rules = set })
    assert.is_nil(seen.auth)
    assert.is_nil(seen.patient)
    assert.equal(1, #S.findings_for(r, "practice.auth"))
    -- a table claim with bhclaim.null reads the same
    local c = S.base_claim()
    c.prior_authorization = bhclaim.null
    S.check(c, { rules = set })
    assert.is_nil(seen.auth)
    assert.equal(bhclaim.null, c.prior_authorization)   -- the caller's claim is untouched
  end)
end)

describe("core.key_set", function()
  local core = require("bhclaim.core")

  it("keeps the first number stored for a key", function()
    local set = core.key_set()
    assert.is_nil(set:put("a|b|", 65))
    assert.equal(65, set:put("a|b|", 130))
    assert.equal(65, set:put("a|b|", 7))
    assert.is_nil(set:put("a|b", 1))       -- another key
    assert.is_nil(set:put("a\0b", 2))      -- bytes after a NUL count
    assert.equal(2, set:put("a\0b", 3))
  end)

  it("grows past its first size and keeps every key", function()
    local set = core.key_set()
    -- keys of every length around the hash's 8-byte words, some sharing prefixes
    local function key(i) return string.rep("x", i % 19) .. "k" .. i end
    for i = 1, 30000 do assert.is_nil(set:put(key(i), i)) end
    for i = 1, 30000 do assert.equal(i, set:put(key(i), 0)) end
    assert.is_nil(set:put("", 5))
    assert.equal(5, set:put("", 6))
  end)

  it("names claims by number, apart from the keys", function()
    local set = core.key_set()
    assert.is_nil(set:label_of(1))
    for n = 1, 3000 do set:label(n, "CLM-" .. n) end
    set:label(3002, "after a gap")
    assert.is_nil(set:put("CLM-1", 1))      -- a key equal to a label is still new
    assert.equal("CLM-1", set:label_of(1))
    assert.equal("CLM-2999", set:label_of(2999))
    assert.is_nil(set:label_of(3001))
    assert.equal("after a gap", set:label_of(3002))
    assert.is_nil(set:label_of(0))
    assert.is_nil(set:label_of(4000))
    set:label(2, "renamed")
    assert.equal("renamed", set:label_of(2))
    assert.has_error(function() set:label(0, "x") end)
  end)

  it("raises on misuse", function()
    local set = core.key_set()
    assert.has_error(function() set:put({}, 1) end)
    assert.has_error(function() set:put("k", "one") end)
    assert.has_error(function() set.put(nil, "k", 1) end)
  end)
end)
