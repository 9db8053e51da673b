#!/bin/sh
# with-lua.sh: runs a Lua interpreter with the in-tree module on its paths
# (lua/ for the Lua layer, build/<abi>/ for bhclaim.core).
# Usage: sh scripts/with-lua.sh INTERPRETER [ARGS...]
# SPDX-License-Identifier: MIT
interp="$1"; shift
build="${BUILD:-build}"
case "$interp" in
    *5.4*) abi=5.4 ;; *5.3*) abi=5.3 ;; *5.2*) abi=5.2 ;; *) abi=5.1 ;;
esac
LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="$build/$abi/?.so;;" exec "$interp" "$@"
