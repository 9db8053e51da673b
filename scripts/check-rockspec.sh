#!/bin/sh
# check-rockspec.sh: the rockspec must build every C source of the core and
# the binding (csrc/*.c, csrc/data/*.c and csrc/lua/*.c) and pass `luarocks lint`.
# SPDX-License-Identifier: MIT
set -eu
spec=rockspec/bhclaim-scm-1.rockspec
listed=$(grep -o '"csrc/[^"]*\.c"' "$spec" | tr -d '"' | sort)
present=$(ls csrc/*.c csrc/data/*.c csrc/lua/*.c 2>/dev/null | sort)
if [ "$listed" != "$present" ]; then
    echo "rockspec sources differ from csrc/:"
    printf 'listed:\n%s\npresent:\n%s\n' "$listed" "$present"
    exit 1
fi
luarocks lint "$spec"
