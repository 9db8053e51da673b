-- Specs for `bhclaim serve`'s options (lua/bhclaim/cli_serve.lua, parsed by
-- argparse as the other commands are), run in this process through
-- bhclaim.cli.main (support.run_cli). Nothing here starts nginx: every
-- case stops at a usage error, a refused setting, a missing service or
-- --add-key. The running service has its own specs (service_spec.lua).

local support = require("spec.support")
local run_cli, contains = support.run_cli, support.contains

local TRY = "Try 'bhclaim serve --help'.\n"

local dir

setup(function()
  dir = os.tmpname()
  os.remove(dir)   -- a path that names nothing: no service runs there
end)

teardown(function()
  os.remove(dir .. "-keys")
end)

-- serve with the given words; asserts a usage error (status 2, nothing
-- on stdout) and returns its message line.
local function refused(...)
  local out, err, status = run_cli({ "serve", ... })
  assert.equal(2, status)
  assert.equal("", out)
  assert.equal(TRY, err:sub(-#TRY))
  return err:sub(1, -#TRY - 1)
end

describe("bhclaim serve's options", function()
  it("prints its help for --help and -h, with status 0", function()
    local help = require("bhclaim.cli_serve").HELP .. "\n"
    for _, word in ipairs({ "--help", "-h" }) do
      local out, err, status = run_cli({ "serve", word })
      assert.equal(0, status)
      assert.equal(help, out)
      assert.equal("", err)
    end
  end)

  it("refuses an unknown option, naming it", function()
    assert.equal("bhclaim: serve: unknown option '--nope'\n", refused("--nope"))
    assert.truthy(contains(refused("--lisen", "127.0.0.1:1"), "'--lisen'"))
  end)

  it("refuses an option whose value is missing", function()
    assert.equal("bhclaim: serve: option '--listen' requires an argument\n",
      refused("--listen"))
    assert.equal("bhclaim: serve: option '--add-key' requires an argument\n",
      refused("--dir", dir, "--add-key"))
  end)

  it("refuses a value given to a flag", function()
    assert.equal("bhclaim: serve: option '--stop' does not take arguments\n",
      refused("--stop=1"))
  end)

  it("reads --opt=value as --opt value", function()
    assert.equal("bhclaim: serve: --workers wants a whole number of at least 1\n",
      refused("--workers=0", "--dir=" .. dir))
    assert.truthy(contains(refused("--listen=0.0.0.0:1", "--insecure-http", "--dir=" .. dir),
      "--insecure-http only on a loopback address"))
    assert.equal("bhclaim: serve: no running service in " .. dir .. " (no nginx.pid)\n",
      refused("--dir=" .. dir, "--reload"))
  end)

  it("takes the word after a value option as its value, whatever it looks like", function()
    assert.equal("bhclaim: serve: --rate wants a whole number of at least 0\n",
      refused("--rate", "-1", "--dir", dir))
  end)

  it("keeps the last value of a repeated option", function()
    assert.truthy(contains(refused("--listen", "127.0.0.1:1", "--listen", "0.0.0.0:1",
      "--insecure-http", "--dir", dir), "only on a loopback address"))
  end)

  it("ends its options at --, and takes no other words", function()
    assert.equal("bhclaim: serve: no running service in " .. dir .. " (no nginx.pid)\n",
      refused("--dir", dir, "--stop", "--"))
    assert.equal("bhclaim: serve: unknown option or argument 'extra'\n", refused("extra"))
    assert.equal("bhclaim: serve: unknown option or argument '--stop'\n",
      refused("--dir", dir, "--", "--stop"))
  end)

  it("adds a key with --add-key, --keys and --scopes=", function()
    local out, err, status = run_cli({ "serve", "--add-key", "spec-office",
      "--keys=" .. dir .. "-keys", "--scopes=check,codes" })
    assert.equal(0, status)
    assert.truthy(out:match("^%S+\n$"))
    assert.truthy(contains(err, "key 'spec-office' added"))
    local f = assert(io.open(dir .. "-keys", "rb"))
    local text = f:read("*a")
    f:close()
    assert.truthy(text:match("spec%-office:%x+:check,codes\n"))
  end)
end)
