-- Credentials as people write them: read into licence classes by the core
-- (csrc/credential.c), matched against a payer's list, and by code.
local bhclaim = require("bhclaim")
local core = require("bhclaim.core")
local S = require("spec.support")

local function with_credential(cred, mutate)
  return S.check_with(function(c)
    c.rendering_provider.credential = cred
    c.documentation.signature.credential = cred
    if mutate then mutate(c) end
  end)
end

describe("credential reading", function()
  it("splits lists and keeps each piece's class", function()
    local t = core.credential("APRN, PMHNP-BC")
    assert.equal(2, #t)
    assert.same({ "APRN", "licence", "nurse_practitioner" }, { t[1].text, t[1].kind, t[1].class })
    assert.same({ "PMHNPBC", "licence", "nurse_practitioner" },
      { t[2].text, t[2].kind, t[2].class })
    assert.truthy(S.contains(t[1].source, "rules-reference 4.3"))
    local u = core.credential("Ph.D./ABPP")
    assert.same({ "psychologist", "certification" }, { u[1].class, u[2].kind })
    assert.equal("psychologist", core.credential("Ph. D.")[1].class)
    assert.equal(1, #core.credential("Ph. D."))
  end)

  it("keeps a state suffix's licence and makes an associate's supervised", function()
    assert.equal("clinical_social_worker", core.credential("LCSW-R")[1].class)
    assert.equal("clinical_social_worker", core.credential("LISW-S")[1].class)
    assert.equal("mental_health_counselor", core.credential("LCMHC-S")[1].class)
    assert.equal("supervised", core.credential("LPC-A")[1].class)
    assert.equal("supervised", core.credential("LMFT-A")[1].class)
    assert.equal("degree", core.credential("MSW")[1].kind)
    assert.equal("unknown", core.credential("QMHP")[1].kind)
    assert.same({}, core.credential(" , / "))
  end)

  it("matches by class and honours from dates", function()
    local accepted = { { credential = "LCSW", modifier = "HO" },
      { credential = "LMFT", from = "2024-01-01" } }
    assert.same({ "eligible", "HO", "clinical_social_worker" },
      { core.credential_match(accepted, "LCSW-R", "2026-03-02") })
    assert.equal("not_yet", (core.credential_match(accepted, "LMFT-S", "2023-12-31")))
    assert.equal("eligible", (core.credential_match(accepted, "LMFT-S", "2024-01-01")))
    assert.equal("not_eligible", (core.credential_match(accepted, "LMSW", "2026-03-02")))
    assert.equal("degree_only", (core.credential_match(accepted, "MSW, MA", "2026-03-02")))
    assert.equal("unrecognised", (core.credential_match(accepted, "QMHP", "2026-03-02")))
    -- an entry that is no recognised licence matches by its text
    assert.equal("eligible", (core.credential_match({ { credential = "QMHP" } }, "Q.M.H.P.")))
  end)

  it("refuses a bad date and a bad list", function()
    assert.has_error(function() core.credential_match({}, "LCSW", "03/02/2026") end)
    assert.has_error(function() core.credential_match("LCSW", "LCSW") end)
  end)
end)

describe("provider.credential on 90853", function()
  for _, cred in ipairs({ "LCSW-R", "PMHNP-BC", "NP-C", "APRN, PMHNP-BC", "LISW-S", "LPC-S",
    "LPCC-S", "LCMHC-S", "LMFT-S", "Ph.D.", "MD/PhD", "LCSW, MSW" }) do
    it("accepts " .. cred .. " on Medicare", function()
      S.assert_no_finding(with_credential(cred), "provider.credential")
    end)
  end

  it("is an error for a recognised licence Medicare does not accept", function()
    local f = S.assert_finding(with_credential("LMSW"), "provider.credential", "error",
      "rendering_provider.credential")
    assert.truthy(S.contains(f.message, "social_worker"))
    assert.truthy(S.contains(f.source, "the licence class: "), f.source)
    S.assert_finding(with_credential("LPC-A"), "provider.credential", "error",
      "rendering_provider.credential")
    S.assert_finding(with_credential("RN"), "provider.credential", "error",
      "rendering_provider.credential")
  end)

  it("is a warning for a credential it does not recognise, and for a degree alone", function()
    local f = S.assert_finding(with_credential("QMHP"), "provider.credential", "warning",
      "rendering_provider.credential")
    assert.truthy(S.contains(f.message, "not a credential bhclaim recognises"))
    f = S.assert_finding(with_credential("MSW"), "provider.credential", "warning",
      "rendering_provider.credential")
    assert.truthy(S.contains(f.message, "degree"))
  end)

  it("is a warning, not an error, under an unconfirmed list", function()
    S.assert_finding(S.check_with(function(c)
      c.rendering_provider.credential = "LPC-A"
    end, { payer = "commercial" }), "provider.credential", "warning",
      "rendering_provider.credential")
  end)

  it("asks for the profile's modifier whatever the suffix", function()
    local r = with_credential("LCSW-R", function(c) c.payer.kind = "medicaid" end)
    local f = S.finding_at(r, "provider.credential", "lines[1].modifiers")
    assert.truthy(f and S.contains(f.message, "HO"), S.dump(r))
  end)
end)

describe("provider.credential by code", function()
  local function em_claim(cred, code)
    return with_credential(cred, function(c)
      c.lines[1] = S.new_line("99213")
      c.lines[2] = S.new_line(code or "90833")
      c.session = nil
      c.documentation.signature.credential = cred
    end)
  end

  it("wants a prescriber for E/M and the psychotherapy add-ons", function()
    local r = em_claim("LCSW")
    S.assert_finding(r, "provider.credential", "error", "lines[1].code")
    local f = S.assert_finding(r, "provider.credential", "error", "lines[2].code")
    assert.truthy(S.contains(f.message, "prescriber"))
    S.assert_finding(em_claim("PsyD", "90836"), "provider.credential", "error", "lines[2].code")
  end)

  it("accepts prescribers as written", function()
    for _, cred in ipairs({ "MD", "D.O.", "NP-C", "APRN, PMHNP-BC", "PA-C", "CNS" }) do
      local r = em_claim(cred, "90838")
      S.assert_no_finding(r, "provider.credential", "lines[1].code")
      S.assert_no_finding(r, "provider.credential", "lines[2].code")
    end
  end)

  it("warns (unconfirmed) when testing is billed by a counselor", function()
    local r = with_credential("LPC", function(c) c.lines[2] = S.new_line("96130") end)
    S.assert_finding(r, "provider.credential", "warning", "lines[2].code")
    r = with_credential("PhD", function(c) c.lines[2] = S.new_line("96130") end)
    S.assert_no_finding(r, "provider.credential", "lines[2].code")
  end)

  it("stays quiet when no licence is stated", function()
    local r = em_claim("QMHP")
    S.assert_no_finding(r, "provider.credential", "lines[1].code")
  end)
end)

describe("session claims use the core's matching", function()
  local function session_with(cred, profile, date)
    local data = bhclaim.decode(S.read_file("spec/fixtures/session_group.json"))
    data.facilitator.credential = cred
    data.date = date or data.date
    for _, p in ipairs(data.participants) do
      p.payer = { id = "77001", name = "State Medicaid", kind = "medicaid" }
    end
    local claims = assert(bhclaim.session(data)):claims({ payer = profile })
    return claims[1].lines[1].modifiers
  end

  local function has(list, v)
    for _, x in ipairs(list) do if x == v then return true end end
    return false
  end

  it("adds the credential modifier for a suffixed credential", function()
    assert.is_true(has(session_with("LCSW-R", bhclaim.payer({ extends = "medicaid" })), "HO"))
  end)

  it("honours an entry's from date", function()
    local p = bhclaim.payer({ name = "late", extends = "medicaid", credentials = {
      accepted = { { credential = "LMFT", modifier = "HO", from = "2026-06-01" } } } })
    assert.is_false(has(session_with("LMFT-S", p, "2026-04-07"), "HO"))
    assert.is_true(has(session_with("LMFT-S", p, "2026-06-02"), "HO"))
  end)
end)
