--- Acknowledgements explained: 999, TA1 and 277CA.
-- Works on the plain tables of the acknowledgement reader contract
-- (core.ack_read, docs/remit.md): explain() adds each code's text and sets
-- a metatable so they print readably.
--
-- Code tables (common codes only; an unknown code is shown as unknown):
--  * 999 IK5-1 / AK9-1 acknowledgment codes, IK5-2..6 set syntax and
--    AK9-5..9 group syntax error codes, IK3-4 segment syntax error codes, IK4-3 element syntax
--    error codes: the X12 005010X231A1 code lists. Source: pyx12's error
--    tables (azoner/pyx12) and several other public copies agree on the
--    wording used here.
--  * TA1-04 acknowledgment codes and TA1-05 interchange note codes: X12
--    ISA/TA1 control segments; wording as in public copies (pyx12 among them).
--  * 277CA STC01-1 claim status category codes (X12 external code source
--    507) and STC01-2 claim status codes (source 508): the common subset;
--    full lists at https://x12.org/codes/claim-status-category-codes and
--    https://x12.org/codes/claim-status-codes.
-- @module bhclaim.ack
-- SPDX-License-Identifier: MIT

local listing = require("bhclaim.listing")

local M = {}

local format, concat = string.format, table.concat

M.SOURCES = {
  x12_999 = "X12 005010X231A1 code lists (IK3-4, IK4-3, IK5, AK9), wording as in public copies "
    .. "(azoner/pyx12 error tables)",
  x12_ta1 = "X12 TA1-04/TA1-05 code lists, wording as in public copies (pyx12)",
  x12_507 = "X12 claim status category codes (code source 507), common subset",
  x12_508 = "X12 claim status codes (code source 508), common subset",
}

--- IK5-1 / AK9-1: acknowledgment codes of a set or group.
M.SET_STATUS = {
  A = "Accepted", E = "Accepted But Errors Were Noted",
  M = "Rejected, Message Authentication Code (MAC) Failed",
  P = "Partially Accepted, At Least One Transaction Set Was Rejected", R = "Rejected",
  W = "Rejected, Assurance Failed Validity Tests",
  X = "Rejected, Content After Decryption Could Not Be Analyzed",
}

--- IK5-2..6: transaction set syntax error codes.
M.SET_ERRORS = {
  ["1"] = "Transaction Set Not Supported", ["2"] = "Transaction Set Trailer Missing",
  ["3"] = "Transaction Set Control Number in Header and Trailer Do Not Match",
  ["4"] = "Number of Included Segments Does Not Match Actual Count",
  ["5"] = "One or More Segments in Error",
  ["6"] = "Missing or Invalid Transaction Set Identifier",
  ["7"] = "Missing or Invalid Transaction Set Control Number",
  ["18"] = "Transaction Set Not in Functional Group",
  ["19"] = "Invalid Transaction Set Implementation Convention Reference",
  ["23"] = "Transaction Set Control Number Not Unique within the Functional Group",
  I5 = "Implementation One or More Segments in Error",
  I6 = "Implementation Convention Not Supported",
}

--- AK9-5..9: functional group syntax error codes.
M.GROUP_ERRORS = {
  ["1"] = "Functional Group Not Supported", ["2"] = "Functional Group Version Not Supported",
  ["3"] = "Functional Group Trailer Missing",
  ["4"] = "Group Control Number in the Functional Group Header and Trailer Do Not Agree",
  ["5"] = "Number of Included Transaction Sets Does Not Match Actual Count",
  ["6"] = "Group Control Number Violates Syntax",
}

--- IK3-4: segment syntax error codes.
M.SEGMENT_ERRORS = {
  ["1"] = "Unrecognized segment ID", ["2"] = "Unexpected segment",
  ["3"] = "Required segment missing", ["4"] = "Loop Occurs Over Maximum Times",
  ["5"] = "Segment Exceeds Maximum Use", ["6"] = "Segment Not in Defined Transaction Set",
  ["7"] = "Segment Not in Proper Sequence", ["8"] = "Segment Has Data Element Errors",
  I4 = "Implementation \"Not Used\" Segment Present",
  I6 = "Implementation Dependent Segment Missing",
  I7 = "Implementation Loop Occurs Under Minimum Times",
  I8 = "Implementation Segment Below Minimum Use",
  I9 = "Implementation Dependent \"Not Used\" Segment Present",
}

--- IK4-3: element syntax error codes.
M.ELEMENT_ERRORS = {
  ["1"] = "Required Data Element Missing", ["2"] = "Conditional Required Data Element Missing",
  ["3"] = "Too Many Data Elements", ["4"] = "Data Element Too Short",
  ["5"] = "Data Element Too Long", ["6"] = "Invalid Character in Data Element",
  ["7"] = "Invalid Code Value", ["8"] = "Invalid Date", ["9"] = "Invalid Time",
  ["10"] = "Exclusion Condition Violated", ["12"] = "Too Many Repetitions",
  ["13"] = "Too Many Components",
  I6 = "Code Value Not Used in Implementation",
  I9 = "Implementation Dependent Data Element Missing",
  I10 = "Implementation \"Not Used\" Data Element Present",
  I11 = "Implementation Too Few Repetitions", I12 = "Implementation Pattern Match Failure",
  I13 = "Implementation Dependent \"Not Used\" Data Element Present",
}

--- TA1-04: interchange acknowledgment codes.
M.TA1_STATUS = {
  A = "The Transmitted Interchange Control Structure Header and Trailer Have Been Received "
    .. "and Have No Errors.",
  E = "The Transmitted Interchange Control Structure Header and Trailer Have Been Received "
    .. "and Are Accepted But Errors Are Noted. This Means the Sender Must Not Resend This Data.",
  R = "The Transmitted Interchange Control Structure Header and Trailer are Rejected Because "
    .. "of Errors.",
}

--- TA1-05: interchange note codes.
M.TA1_NOTES = {
  ["000"] = "No error",
  ["001"] = "The Interchange Control Number in the Header and Trailer Do Not Match. The Value "
    .. "From the Header is Used in the Acknowledgment.",
  ["002"] = "This Standard as Noted in the Control Standards Identifier is Not Supported.",
  ["003"] = "This Version of the Controls is Not Supported",
  ["004"] = "The Segment Terminator is Invalid",
  ["005"] = "Invalid Interchange ID Qualifier for Sender",
  ["006"] = "Invalid Interchange Sender ID",
  ["007"] = "Invalid Interchange ID Qualifier for Receiver",
  ["008"] = "Invalid Interchange Receiver ID", ["009"] = "Unknown Interchange Receiver ID",
  ["010"] = "Invalid Authorization Information Qualifier Value",
  ["011"] = "Invalid Authorization Information Value",
  ["012"] = "Invalid Security Information Qualifier Value",
  ["013"] = "Invalid Security Information Value", ["014"] = "Invalid Interchange Date Value",
  ["015"] = "Invalid Interchange Time Value",
  ["016"] = "Invalid Interchange Standards Identifier Value",
  ["017"] = "Invalid Interchange Version ID Value",
  ["018"] = "Invalid Interchange Control Number Value",
  ["019"] = "Invalid Acknowledgment Requested Value", ["020"] = "Invalid Test Indicator Value",
  ["021"] = "Invalid Number of Included Groups Value", ["022"] = "Invalid Control Structure",
  ["023"] = "Improper (Premature) End-of-File (Transmission)",
  ["024"] = "Invalid Interchange Content (e.g., Invalid GS Segment)",
  ["025"] = "Duplicate Interchange Control Number", ["026"] = "Invalid Data Element Separator",
  ["027"] = "Invalid Component Element Separator",
}

--- STC01-1: claim status category codes (277CA), with whether the claim
-- is accepted into adjudication.
M.CATEGORIES = {
  A0 = { "Acknowledgement/Forwarded", true },
  A1 = { "Acknowledgement/Receipt", true },
  A2 = { "Acknowledgement/Acceptance into adjudication system", true },
  A3 = { "Acknowledgement/Returned as unprocessable claim", false },
  A4 = { "Acknowledgement/Not Found", false },
  A5 = { "Acknowledgement/Split Claim", true },
  A6 = { "Acknowledgement/Rejected for Missing Information", false },
  A7 = { "Acknowledgement/Rejected for Invalid Information", false },
  A8 = { "Acknowledgement/Rejected for relational field in error", false },
  E0 = { "Response not possible - error on submitted request data", false },
  E1 = { "Response not possible - System Status", false },
}

--- STC01-2: claim status codes, the common subset.
M.STATUS_CODES = {
  ["1"] = "For more detailed information, see remittance advice.",
  ["3"] = "Claim has been adjudicated and is awaiting payment cycle.",
  ["16"] = "Claim/encounter has been forwarded to entity.",
  ["19"] = "Entity acknowledges receipt of claim/encounter.",
  ["20"] = "Accepted for processing.",
  ["21"] = "Missing or invalid information.",
  ["23"] = "Returned to Entity.",
  ["24"] = "Entity not approved as an electronic submitter.",
  ["25"] = "Entity not approved.", ["26"] = "Entity not found.",
  ["35"] = "Claim/encounter not found.",
  ["88"] = "Entity not eligible for benefits for submitted dates of service.",
  ["97"] = "Patient eligibility not found with entity.",
  ["145"] = "Entity's primary identifier.", ["164"] = "Entity's contract/member number.",
  ["187"] = "Date(s) of service.", ["247"] = "Line information.",
  ["254"] = "Principal diagnosis code.",
  ["562"] = "Entity's National Provider Identifier (NPI).",
}

--- Entity identifier codes met in STC01-3.
M.ENTITIES = {
  ["41"] = "submitter", ["40"] = "receiver", ["85"] = "billing provider",
  ["82"] = "rendering provider", ["87"] = "pay-to provider", IL = "subscriber",
  QC = "patient", PR = "payer", ["77"] = "service location", DN = "referring provider",
}

local function text_of(list, code, what)
  if code == nil then return nil end
  return list[code] or format("unknown %s %s", what, tostring(code))
end

--- The text of a 277CA status triple (STC01-1:2:3).
-- @tparam table s {category, code, entity}
-- @treturn string
function M.status_text(s)
  local cat = M.CATEGORIES[s.category]
  local parts = { (s.category or "?") .. ": " .. (cat and cat[1] or
    ("unknown category " .. tostring(s.category))) }
  if s.code then
    parts[#parts + 1] = s.code .. ": " .. text_of(M.STATUS_CODES, s.code, "status code")
  end
  if s.entity then
    parts[#parts + 1] = "entity " .. s.entity .. " (" .. (M.ENTITIES[s.entity] or "unknown")
      .. ")"
  end
  return concat(parts, "; ")
end

--- Whether a 277CA claim is accepted: every status category of its STC
-- segments accepts (A0, A1, A2, A5); false when one rejects or is unknown.
-- @tparam table claim
-- @treturn boolean
function M.claim_accepted(claim)
  local any = false
  for _, s in ipairs(claim.status or {}) do
    local cat = M.CATEGORIES[s.category]
    if not cat or not cat[2] then return false end
    any = true
  end
  return any
end

-- {====================================================================
-- Explaining and printing
-- =====================================================================

local ack_mt = {}

local function explain_999(a)
  a.group_status_text = text_of(M.SET_STATUS, a.group_status, "acknowledgment code")
  -- The group is accepted when AK9-1 is A or E; P (some sets rejected)
  -- is not: each set says which.
  a.accepted = a.group_status == "A" or a.group_status == "E"
  for _, s in ipairs(a.sets or {}) do
    s.status_text = text_of(M.SET_STATUS, s.status, "acknowledgment code")
    if s.accepted == nil then s.accepted = s.status == "A" or s.status == "E" end
    s.code_texts = {}
    for i, c in ipairs(s.codes or {}) do
      s.code_texts[i] = c .. ": " .. text_of(M.SET_ERRORS, c, "set error code")
    end
    for _, e in ipairs(s.errors or {}) do
      e.text = text_of(M.SEGMENT_ERRORS, e.code, "segment error code")
      for _, el in ipairs(e.elements or {}) do
        el.text = text_of(M.ELEMENT_ERRORS, el.code, "element error code")
      end
    end
  end
end

--- 277CA HL03 level codes above the claims (the reader's `levels`).
M.LEVELS = { ["20"] = "payer", ["21"] = "receiver", ["19"] = "provider" }

local function explain_277ca(a)
  for _, l in ipairs(a.levels or {}) do
    for _, st in ipairs(l.status or {}) do st.text = M.status_text(st) end
    if l.accepted == nil and l.status and #l.status > 0 then
      l.accepted = M.claim_accepted(l)
    end
  end
  for _, c in ipairs(a.claims or {}) do
    for _, s in ipairs(c.status or {}) do s.text = M.status_text(s) end
    if c.accepted == nil then c.accepted = M.claim_accepted(c) end
  end
end

--- Explains acknowledgement tables (the reader's list) in place.
-- @tparam table list
-- @treturn table the same list
function M.explain(list)
  if type(list) ~= "table" then
    error("bad argument #1 to 'explain' (table expected, got " .. type(list) .. ")", 2)
  end
  for _, a in ipairs(list) do
    if a.kind == "999" then
      explain_999(a)
    elseif a.kind == "TA1" then
      a.status_text = text_of(M.TA1_STATUS, a.status, "acknowledgment code")
      a.note_text = text_of(M.TA1_NOTES, a.note_code, "note code")
      if a.accepted == nil then a.accepted = a.status == "A" or a.status == "E" end
    elseif a.kind == "277CA" then
      explain_277ca(a)
    end
    setmetatable(a, ack_mt)
  end
  return list
end

--- The entries `bhclaim ack` prints: one per 999 set (or the group when a
-- 999 lists no set), one per TA1, one per 277CA claim and per sender or
-- provider level with a status; each {kind, accepted, control_number or
-- claim_id, errors or status = {text...}}.
-- @tparam table a an explained acknowledgement
-- @treturn table list of entries
function M.entries(a)
  local out = {}
  if a.kind == "999" then
    for _, s in ipairs(a.sets or {}) do
      local errors = {}
      for _, t in ipairs(s.code_texts or {}) do errors[#errors + 1] = t end
      for _, e in ipairs(s.errors or {}) do
        errors[#errors + 1] = format("segment %s at %s%s: %s %s", tostring(e.segment_id),
          tostring(e.position), e.loop and (" in loop " .. e.loop) or "", tostring(e.code), e.text)
        for _, el in ipairs(e.elements or {}) do
          errors[#errors + 1] = format("  element %s%s: %s %s%s", tostring(el.position),
            el.component and ("-" .. el.component) or "", tostring(el.code), el.text,
            el.value and (" (\"" .. el.value .. "\")") or "")
        end
      end
      out[#out + 1] = { kind = "999", accepted = s.accepted, set_id = s.set_id,
        control_number = s.control_number, status = s.status, status_text = s.status_text,
        errors = errors }
    end
    if #out == 0 then
      -- No AK2 loop: the group's AK9 is the only answer (a whole group
      -- rejected, for instance).
      local errors = {}
      for _, c in ipairs(a.group_codes or {}) do
        errors[#errors + 1] = c .. ": " .. text_of(M.GROUP_ERRORS, c, "group error code")
      end
      local g = a.acknowledged_group or {}
      out[1] = { kind = "999", accepted = a.accepted, set_id = g.functional_id and
        ("group " .. g.functional_id) or "group", control_number = g.control_number,
        status = a.group_status, status_text = a.group_status_text, errors = errors }
    end
  elseif a.kind == "TA1" then
    out[1] = { kind = "TA1", accepted = a.accepted, control_number = a.control_number,
      status = a.status, status_text = a.status_text,
      errors = (a.note_code and a.note_code ~= "000") and { a.note_code .. ": " .. a.note_text }
        or {} }
  elseif a.kind == "277CA" then
    -- Statuses above the claims (2000A/B/C: payer, receiver, provider):
    -- a rejection there answers every claim below it.
    for _, l in ipairs(a.levels or {}) do
      if l.status and #l.status > 0 then
        local status = {}
        for _, st in ipairs(l.status) do status[#status + 1] = st.text or M.status_text(st) end
        local who = l.entity or {}
        out[#out + 1] = { kind = "277CA", level = M.LEVELS[l.level] or ("HL " .. tostring(l.level)),
          accepted = l.accepted, control_number = who.id or who.last, status = status }
      end
    end
    for _, c in ipairs(a.claims or {}) do
      local status = {}
      for _, s in ipairs(c.status or {}) do status[#status + 1] = s.text end
      out[#out + 1] = { kind = "277CA", accepted = c.accepted, claim_id = c.claim_id,
        payer_claim_number = c.payer_claim_number, status = status }
    end
  else
    out[1] = { kind = tostring(a.kind), accepted = false,
      errors = { "unknown acknowledgement kind " .. tostring(a.kind) } }
  end
  return out
end

--- An entry's messages, one list: its errors (999, TA1), then its status
-- texts (277CA entries carry those as a list; 999 and TA1 entries carry
-- the acknowledgment code in status).
-- @tparam table e an entry (entries())
-- @treturn table strings
function M.messages(e)
  local out = {}
  for _, t in ipairs(e.errors or {}) do out[#out + 1] = t end
  if type(e.status) == "table" then
    for _, t in ipairs(e.status) do out[#out + 1] = t end
  end
  return out
end

--- One entry as text: a line, then its messages indented.
function M.entry_text(e)
  local head = format("%s %s%s: %s", e.kind,
    e.claim_id and ("claim " .. e.claim_id) or
      ((e.level or "control") .. " " .. tostring(e.control_number)),
    e.set_id and (" (" .. e.set_id .. ")") or "", e.accepted and "accepted" or "REJECTED")
  local lines = { head .. (e.status_text and (" - " .. e.status_text) or "") }
  listing.add_lines(lines, M.messages(e), "  ")
  return concat(lines, "\n")
end

ack_mt.__tostring = function(a)
  local out = {}
  for _, e in ipairs(M.entries(a)) do out[#out + 1] = M.entry_text(e) end
  if a.kind == "999" and a.group_status then
    out[#out + 1] = format("group %s: %s (%s of %s sets accepted)", a.group_status,
      a.group_status_text, tostring(a.sets_accepted), tostring(a.sets_included))
  end
  return concat(out, "\n")
end

--- Reads acknowledgement text: the core's reader (core.ack_read), then
-- explain(); the list prints as its acknowledgements, one after the other.
-- @tparam string text
-- @treturn[1] table list of acknowledgements
-- @return[2] nil
-- @treturn[2] string message
-- @treturn[2] string error id
function M.read(text)
  local list, msg, id = listing.read(text, "ack_read", M.explain)
  return list, msg, id  -- not a tail call: listing.read's error level counts this frame
end

return M
