-- Specs for the binding areas the command line stands on, run in process
-- (so the sanitizer run covers their C): csrc/lua/stream.c (the JSON array
-- scanner, the 837P stream and the set-at-a-time 837P writer) and
-- csrc/lua/process.c (temporary directory, children, signal flag).

local bhclaim = require("bhclaim")
local core = require("bhclaim.core")
local report = require("bhclaim.report")
local payer = require("bhclaim.payer")
local support = require("spec.support")
local read_file, write_file = support.read_file, support.write_file
local tmpfile, remove_temps = support.temp_files()

teardown(remove_temps)

describe("json_array_scanner", function()
  local text = ' [ {"a":"x,]\\"}[","b":[1,{"c":2}]}, 42 ,\n"s\\\\",null,[[]] ]  \n'
  local want = { '{"a":"x,]\\"}[","b":[1,{"c":2}]}', "42", '"s\\\\"', "null", "[[]]" }

  -- Feeds text cut at the given byte positions; returns the elements, the
  -- lines they start on, and finish's results.
  local function scan(cuts)
    local sc = core.json_array_scanner(1)
    local got, lines, from = {}, {}, 1
    cuts[#cuts + 1] = #text
    for _, at in ipairs(cuts) do
      local elements, starts = sc:feed(text:sub(from, at))
      assert.is_table(elements, starts)
      for i, e in ipairs(elements) do
        got[#got + 1], lines[#lines + 1] = e, starts[i]
      end
      from = at + 1
    end
    return got, lines, sc:finish()
  end

  it("finds the same elements wherever the chunks are cut", function()
    for at = 0, #text do
      local got, lines, n = scan({ at })
      assert.same(want, got)
      assert.same({ 1, 1, 2, 2, 2 }, lines)
      assert.equal(5, n)
    end
  end)

  it("reads one byte at a time", function()
    local cuts = {}
    for at = 1, #text - 1 do cuts[#cuts + 1] = at end
    assert.same(want, (scan(cuts)))
  end)

  it("reports a broken structure with its line", function()
    local cases = {
      { "[1,,2]", "an array element is missing" },
      { "[1,]", "an array element is missing" },
      { "[,1]", "an array element is missing" },
      { "{}", "must start with '['" },
      { "[1] 2", "text after the end of the array" },
      { "[1]]", "text after the end of the array" },
      { "[1}", "a closing bracket without its opening one" },
    }
    for _, case in ipairs(cases) do
      local sc = core.json_array_scanner(1)
      local ok, msg = sc:feed(case[1])
      assert.is_nil(ok, case[1])
      assert.matches(case[2], msg, 1, true)
    end
    local sc = core.json_array_scanner(7)
    assert.same({}, (sc:feed("\n\n[")))
    assert.same({ "1" }, (sc:feed("1, {\"x\": ")))
    local n, msg = sc:finish()
    assert.is_nil(n)
    assert.equal("line 9: the array is not closed", msg)
    assert.equal(' {"x": ', sc:rest())
  end)

  it("takes an empty array", function()
    local sc = core.json_array_scanner()
    assert.same({}, (sc:feed(" [ \n ] ")))
    assert.equal(0, sc:finish())
  end)
end)

describe("x12_stream", function()
  local FIXTURES = "spec/fixtures/x12/"
  local files = { "medicare_group_90853.837", "medicaid_h0004_patient.837",
    "many_claims_2gs.837", "separators_pipe_no_newlines.837", "bad_se_count.837",
    "bad_sv1_before_clm.837", "bad_truncated.837", "bad_unknown_segment.837" }
  local by_kind = { medicare = payer.for_kind("medicare"):compiled(),
    medicaid = payer.for_kind("medicaid"):compiled(),
    commercial = payer.for_kind("commercial"):compiled() }
  local TODAY = "2026-11-26"

  -- The whole stream's results in batches of `max`.
  local function drain(stream, method, max, ...)
    local all, state = {}
    repeat
      local batch
      batch, state = stream[method](stream, max, ...)
      for _, r in ipairs(batch) do all[#all + 1] = r end
    until state ~= "more"
    return all, state
  end

  for _, name in ipairs(files) do
    it("checks " .. name .. " as x12_check does", function()
      local text = read_file(FIXTURES .. name)
      for _, lenient in ipairs({ false, true }) do
        local want, _, want_err = core.x12_check(text, lenient, TODAY, by_kind,
          bhclaim.ncci.table(), nil, report.report_mt, report.finding_mt)
        for _, max in ipairs({ 1, 2, 500 }) do
          local stream = assert(core.x12_stream(FIXTURES .. name, lenient))
          local got, state = drain(stream, "check", max, TODAY, by_kind, bhclaim.ncci.table(), nil,
            report.report_mt, report.finding_mt)
          assert.same(want, got)
          assert.equal(want_err and "error" or "end", state)
          assert.equal(want_err, (stream:error()))
          stream:close()
        end
      end
    end)

    it("reads " .. name .. " as x12_read does", function()
      local text = read_file(FIXTURES .. name)
      local want, _, want_err = core.x12_read(text, false)
      local stream = assert(core.x12_stream(FIXTURES .. name))
      local got, state = drain(stream, "read", 1)
      assert.equal(#want, #got)
      for i = 1, #want do assert.equal(bhclaim.encode(want[i]), bhclaim.encode(got[i])) end
      assert.equal(want_err and "error" or "end", state)
    end)
  end

  it("names the line and quotes the broken segment", function()
    local stream = assert(core.x12_stream(FIXTURES .. "bad_unknown_segment.837"))
    drain(stream, "check", 10, TODAY)
    local msg, line, segment = stream:error()
    assert.matches("^segment %d+ %(ZZZ%)", msg)
    assert.is_true(line > 1)
    assert.equal("ZZZ*1~", segment)
  end)

  it("skips a byte-order mark, refuses an empty file and a bad ISA", function()
    local text = read_file(FIXTURES .. "medicare_group_90853.837")
    local stream = assert(core.x12_stream(tmpfile("\239\187\191" .. text)))
    assert.equal(#core.x12_read(text), #drain(stream, "read", 5))
    local none, msg = core.x12_stream(tmpfile(""))
    assert.is_nil(none)
    assert.matches("empty file", msg)
    local bad, why, line = core.x12_stream(FIXTURES .. "bad_isa_not_fixed_width.837")
    assert.is_nil(bad)
    assert.matches("^segment 1 %(ISA%)", why)
    assert.equal(1, line)
    assert.is_nil(core.x12_stream("/nonexistent/file.837"))
  end)

  it("refuses use after close, and bad batch sizes", function()
    local stream = assert(core.x12_stream(FIXTURES .. "many_claims_2gs.837"))
    assert.has_error(function() stream:read(0) end)
    stream:close()
    assert.has_error(function() stream:read(1) end, "attempt to use a closed bhclaim.X12Stream")
  end)
end)

describe("x12_writer", function()
  local ENV = { sender_id = "RIVERBEND", receiver_id = "CLEARHOUSE",
    submitter_name = "Riverbend Counseling", submitter_id = "RB0001",
    contact_name = "Billing Office", contact_phone = "6145550100",
    receiver_name = "Clearing House", receiver_id_1000b = "CH0001",
    date = "2026-11-26", time = "0930", interchange_control = 7 }
  -- The bundled clean claims: each exports as it is (ZIP+4, addresses).
  local claims = {}
  for _, name in ipairs({ "clean_medicare", "clean_commercial", "clean_medicaid_group" }) do
    claims[#claims + 1] = bhclaim.decode(read_file("examples/claims/" .. name .. ".json"))
  end
  local texts = {}
  for i, c in ipairs(claims) do texts[i] = bhclaim.encode(c) end

  it("writes what x12_write writes", function()
    local w = core.x12_writer(ENV)
    local text = assert(w:add(texts)) .. w:finish()
    assert.equal(assert(bhclaim.x12.write(claims, ENV)), text)
  end)

  it("writes one set per add, numbered on, and refuses a bad set whole", function()
    local w = core.x12_writer(ENV)
    local first = assert(w:add({ texts[1] }))
    local bad = bhclaim.decode(texts[2])
    bad.id = "C*1"
    local none, msg = w:add({ bhclaim.encode(bad) })
    assert.is_nil(none)
    assert.matches("id", msg)
    local second = assert(w:add({ texts[2] }))
    local tail = w:finish()
    assert.matches("^ISA", first)
    assert.matches("^ST%*837%*0002%*", second)
    assert.matches("^GE%*2%*", tail)
    assert.equal("", core.x12_writer(ENV):finish())
    local unparsable = core.x12_writer(ENV)
    local nothing, why = unparsable:add({ "{" })
    assert.is_nil(nothing)
    assert.matches("^claim 1: ", why)
  end)
end)

describe("process", function()
  it("makes a private directory and removes it with what it holds", function()
    local base = tmpfile()
    os.remove(base)
    local dir = assert(core.process_mkdtemp(base .. "XXXXXX"))
    assert.matches("^" .. base:gsub("%p", "%%%0"), dir)
    write_file(dir .. "/a", "x")
    local outside = tmpfile("keep me")
    os.execute("ln -s '" .. outside .. "' '" .. dir .. "/link'")
    assert.is_true(core.process_rmtree(dir))
    assert.is_nil(io.open(dir .. "/a", "rb"))
    assert.equal("keep me", read_file(outside))
    assert.is_true(core.process_rmtree(dir))   -- already gone: fine
    assert.has_error(function() core.process_mkdtemp("/tmp/no-x") end)
    assert.is_nil(core.process_mkdtemp("/nonexistent/dir/bhXXXXXX"))
  end)

  it("starts, waits for and kills children", function()
    local out, err = tmpfile(), tmpfile()
    local pid = assert(core.process_spawn({ "sh", "-c", "echo out; echo err >&2; exit 3" }, out,
      err))
    assert.equal(3, core.process_wait(pid, true))
    assert.equal("out\n", read_file(out))
    assert.equal("err\n", read_file(err))
    local sleeper = assert(core.process_spawn({ "sleep", "30" }, out, err))
    assert.is_nil(core.process_wait(sleeper))
    assert.is_true(core.process_kill(sleeper))
    assert.equal(128 + 15, core.process_wait(sleeper, true))
    local hard = assert(core.process_spawn({ "sleep", "30" }, out, err))
    core.process_kill(hard, true)
    assert.equal(128 + 9, core.process_wait(hard, true))
    assert.is_nil(core.process_spawn({ "/nonexistent/program" }, out, err))
  end)

  it("copies a file from an offset, whole lines only when asked", function()
    local function copy(src, from, lines)
      local path = tmpfile()
      local out = assert(io.open(path, "wb"))
      local reached = core.process_copy(src, out, from, lines)
      out:close()
      return reached, read_file(path)
    end
    local big = string.rep("a line of a report\n", 5000) .. "half"   -- over one 64 KiB read
    local src = assert(io.open(tmpfile(big), "rb"))
    local reached, copied = copy(src, 0, false)
    assert.equal(#big, reached)
    assert.equal(big, copied)
    reached, copied = copy(src, 19, false)
    assert.equal(#big, reached)
    assert.equal(big:sub(20), copied)
    src:close()
    -- whole lines: up to the last line break of what is read, the rest waits
    local text = "one\ntwo\nhalf"
    src = assert(io.open(tmpfile(text), "rb"))
    reached, copied = copy(src, 0, true)
    assert.equal(8, reached)
    assert.equal("one\ntwo\n", copied)
    reached, copied = copy(src, 4, true)
    assert.equal(8, reached)
    assert.equal("two\n", copied)
    reached, copied = copy(src, 8, true)
    assert.equal(8, reached)
    assert.equal("", copied)
    support.assert_write_fails(function(full) return core.process_copy(src, full, 0) end)
    src:close()
    assert.has_error(function() core.process_copy(src, io.stdout, 0) end)
    assert.has_error(function() core.process_copy(io.stdin, io.stdout, -1) end)
  end)

  it("has caught no signal, and says what the terminals are", function()
    assert.is_nil(core.process_signal())
    local a, b, c = core.process_terminals()
    assert.is_boolean(a)
    assert.is_boolean(b)
    assert.is_boolean(c)
  end)
end)
