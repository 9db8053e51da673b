#!/bin/sh
# check-luarocks.sh: installs the rock with `luarocks make` into a scratch
# tree (luarocks-tree/) for Lua 5.1 and 5.4, then loads it from there with
# nothing of the checkout on the paths.
# SPDX-License-Identifier: MIT
set -eu
root="$(pwd)/luarocks-tree"
rm -rf "$root"
for v in 5.1 5.4; do
    command -v "lua$v" >/dev/null 2>&1 || continue
    tree="$root/$v"     # one tree per version: each installs bin/bhclaim
    # Dependencies (argparse) come from Debian packages (install-deps.sh),
    # not from the network: --deps-mode=none checks the build, not a download.
    luarocks --lua-version="$v" --tree="$tree" make --deps-mode=none \
        rockspec/bhclaim-scm-1.rockspec >/dev/null
    eval "$(luarocks --lua-version="$v" --tree="$tree" path)"
    (cd /tmp && "lua$v" -e '
        local b = require("bhclaim")
        assert(b.codes.cpt("90853"), "catalogue")
        assert(b.npi.valid("1234567893"))
        print("loaded " .. b._VERSION .. " on " .. _VERSION)')
    # The installed command line runs from the tree too.
    (cd /tmp && "$tree/bin/bhclaim" codes 90853 >/dev/null)
done
# builtin builds leave objects beside the sources
rm -f csrc/*.o csrc/data/*.o
