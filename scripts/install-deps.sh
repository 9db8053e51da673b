#!/bin/sh
# install-deps.sh: installs, with apt-get, the Debian 12 packages bhclaim needs
# to build, test and run (Lua 5.1-5.4, LuaJIT, their headers, cJSON, busted,
# luacheck, luarocks; nginx with its Lua module, wrk and openssl for the check
# service). Installs only what is missing; prints nothing when all is there.
# Needs root (or sudo) only when something is missing.
#
# LuaJIT comes in two Debian pairs: luajit + libluajit-5.1-dev, or OpenResty's
# branch luajit2 + libluajit2-5.1-dev (same /usr/bin/luajit, headers in
# /usr/include/luajit-2.1). libnginx-mod-http-lua needs the second and
# installing it removes the first. Either pair is accepted; when the nginx
# module is missing, it is installed together with luajit2 and its headers
# in one apt-get call, so luajit never goes missing and the pairs never flip
# back.
# SPDX-License-Identifier: MIT
set -eu

packages="build-essential pkg-config
lua5.1 liblua5.1-0-dev lua5.2 liblua5.2-dev lua5.3 liblua5.3-dev
lua5.4 liblua5.4-dev
libcjson-dev lua-cjson lua-busted lua-check luarocks lua-ldoc
clang libclang-rt-14-dev
time procps
lua-argparse
lua-sql-sqlite3 lua-sql-postgres postgresql sqlite3
nginx libnginx-mod-http-lua lua-resty-core wrk openssl"

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
installed() {
    case "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" in
        *"install ok installed"*) return 0 ;;
    esac
    return 1
}
# The LuaJIT pair: luajit2's when it is there or comes with the nginx module.
if installed luajit2 && installed libluajit2-5.1-dev; then :
elif case "$missing" in *libnginx-mod-http-lua*) true ;; *) false ;; esac; then
    missing="$missing luajit2 libluajit2-5.1-dev"
elif ! { installed luajit && installed libluajit-5.1-dev; }; then
    missing="$missing luajit2 libluajit2-5.1-dev"
fi
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
sudo=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "install-deps: run as root (or install:$missing)" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
