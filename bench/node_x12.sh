#!/bin/sh
# node_x12.sh: makes node-x12 (npm) ready in bench/out/node for the benches
# that measure it as a peer (paths.sh, bench_remit.sh), installing it on
# first use. Exit 0: ready; exit 1: node, npm or the install is missing,
# with the reason on stdout (the caller then skips its node-x12 figure).
# SPDX-License-Identifier: MIT
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "npm or node is absent: node-x12 not measured"
    exit 1
fi
if [ ! -d "$OUT/node/node_modules/node-x12" ]; then
    echo "installing node-x12 into $OUT/node (npm install --prefix $OUT/node node-x12)"
    if ! npm install --silent --no-audit --no-fund --prefix "$OUT/node" node-x12 >/dev/null 2>&1; then
        echo "npm install node-x12 failed (offline?): node-x12 not measured"
        exit 1
    fi
fi
