#!/bin/sh
# install-deps.sh: installs, with apt-get, the Debian 12 packages bhclaim needs
# to build, test and run (Lua 5.1-5.4, LuaJIT, their headers, cJSON, busted,
# luacheck, luarocks). Installs only what is missing; prints nothing when all
# is there. Needs root (or sudo) only when something is missing.
# SPDX-License-Identifier: MIT
set -eu

packages="build-essential pkg-config
lua5.1 liblua5.1-0-dev lua5.2 liblua5.2-dev lua5.3 liblua5.3-dev
lua5.4 liblua5.4-dev luajit libluajit-5.1-dev
libcjson-dev lua-busted lua-check luarocks lua-ldoc
clang libclang-rt-14-dev
time procps
lua-sql-sqlite3 lua-sql-postgres postgresql sqlite3"

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
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
