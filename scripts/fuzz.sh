#!/bin/sh
# fuzz.sh: runs the libFuzzer harnesses fuzz/fuzz_<name>.c (built by
# `make fuzz-build` into $FUZZ_BUILD, default build-fuzz).
#   fuzz.sh run SECONDS   fuzz each harness for SECONDS on a scratch copy of
#                         its corpus; crashes go to fuzz/crashes/<name>/
#   fuzz.sh merge         add to fuzz/corpus/<name>/ the scratch inputs that
#                         reach new edges (-merge=1, hit counts ignored)
#   fuzz.sh minimize      rebuild fuzz/corpus/<name>/ from scratch, minimized
#   fuzz.sh seeded SECONDS  the fuzzing of `test` (seed 1), for SECONDS each
#   fuzz.sh test SECONDS  what `make test` runs: replays every corpus and
#                         crash file, then fuzzes each harness for SECONDS;
#                         prints one TAP line per replay and per run
# Exit status: 0 when nothing crashed.
# SPDX-License-Identifier: MIT
set -u
cd "$(dirname "$0")/.." || exit 2
build=${FUZZ_BUILD:-build-fuzz}
mode=${1:-}
seconds=${2:-15}
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

names() {
    for f in fuzz/fuzz_*.c; do
        n=${f#fuzz/fuzz_}
        printf '%s\n' "${n%.c}"
    done
}

# Files of a folder, or nothing when it does not exist.
files_of() {
    [ -d "$1" ] && find "$1" -type f ! -name '.*' | sort
}

status=0
n=0

# What a failed run found, readable in a CI log that outlives the machine:
# the sanitizer's verdict, the first frames, and the input itself (base64,
# when small) so it can be replayed and added to fuzz/crashes/.
report_crash() {    # report_crash LOG ARTIFACT_DIR
    grep -E 'runtime error|ERROR: |SUMMARY|^ +#[0-5] ' "$1" | head -14 | sed 's/^/    /'
    for f in $(files_of "$2"); do
        if [ "$(wc -c < "$f")" -le 8192 ]; then
            echo "    $(basename "$f") (base64):"
            base64 "$f" | sed 's/^/    /'
        fi
    done
}
tap() {     # tap OK|FAIL description
    n=$((n + 1))
    if [ "$1" = OK ]; then printf 'ok %d - %s\n' "$n" "$2"
    else printf 'not ok %d - %s\n' "$n" "$2"; status=1; fi
}

case "$mode" in
run)
    for name in $(names); do
        mkdir -p "$build/corpus/$name" "fuzz/crashes/$name"
        echo "== fuzz_$name for ${seconds}s"
        "$build/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 \
            -artifact_prefix="fuzz/crashes/$name/" \
            "$build/corpus/$name" "fuzz/corpus/$name" 2>&1 |
            grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|stat::|ERROR|SUMMARY|Test unit written' |
            tee "$build/fuzz_$name.log"
        grep -q 'ERROR\|Test unit written' "$build/fuzz_$name.log" && status=1
    done
    ;;
merge)
    # Adds to the committed corpus only the scratch inputs that reach new
    # edges (hit counts ignored), so it grows slowly and files never churn.
    # To minimize from scratch instead: fuzz.sh minimize.
    for name in $(names); do
        mkdir -p "fuzz/corpus/$name"
        before=$(files_of "fuzz/corpus/$name" | wc -l)
        "$build/fuzz_$name" -merge=1 -use_counters=0 "fuzz/corpus/$name" \
            "$build/corpus/$name" >/dev/null 2>&1 || { echo "merge of $name failed"; status=1; }
        echo "fuzz/corpus/$name: $before -> $(files_of "fuzz/corpus/$name" | wc -l) files"
    done
    ;;
minimize)
    for name in $(names); do
        mkdir -p "$build/merged/$name"
        rm -f "$build/merged/$name"/*
        # Edges only (no hit counts): keeps the committed corpus small.
        "$build/fuzz_$name" -merge=1 -use_counters=0 "$build/merged/$name" "fuzz/corpus/$name" \
            "$build/corpus/$name" >/dev/null 2>&1 || { echo "merge of $name failed"; status=1; continue; }
        rm -rf "fuzz/corpus/$name"
        mkdir -p "fuzz/corpus/$name"
        cp "$build/merged/$name"/* "fuzz/corpus/$name/" 2>/dev/null
        echo "fuzz/corpus/$name: $(files_of "fuzz/corpus/$name" | wc -l) files"
    done
    ;;
test)
    log="$build/fuzz-test.log"
    : > "$log"
    for name in $(names); do
        bin="$build/fuzz_$name"
        inputs=$(files_of "fuzz/corpus/$name"; files_of "fuzz/crashes/$name")
        # shellcheck disable=SC2086
        if [ -n "$inputs" ] && "$bin" -runs=1 $inputs >> "$log" 2>&1; then
            tap OK "fuzz_$name replays $(printf '%s\n' "$inputs" | wc -l) corpus and crash files"
        else
            tap FAIL "fuzz_$name replays its corpus and crash files"
            tail -30 "$log"
        fi
        # A fresh scratch corpus each time, as on a clean clone.
        rm -rf "$build/test-corpus/$name"
        mkdir -p "$build/test-corpus/$name" "$build/test-crashes/$name"
        # A fixed seed makes this run a prefix of `fuzz.sh seeded`'s longer
        # one with the same seed: what CI would find can be found first here.
        if "$bin" -seed=1 -max_total_time="$seconds" -artifact_prefix="$build/test-crashes/$name/" \
            "$build/test-corpus/$name" "fuzz/corpus/$name" >> "$log" 2>&1; then
            tap OK "fuzz_$name runs ${seconds}s without a crash"
        else
            tap FAIL "fuzz_$name runs ${seconds}s without a crash (input in $build/test-crashes/$name/)"
            report_crash "$log" "$build/test-crashes/$name"
        fi
    done
    ;;
seeded)
    # The fuzzing part of `test`, with its seed, for longer: run it before
    # a push so the CI's short run retraces ground already covered here.
    for name in $(names); do
        rm -rf "$build/seeded-corpus/$name"
        mkdir -p "$build/seeded-corpus/$name" "fuzz/crashes/$name"
        if "$build/fuzz_$name" -seed=1 -max_total_time="$seconds" \
            -artifact_prefix="fuzz/crashes/$name/" "$build/seeded-corpus/$name" \
            "fuzz/corpus/$name" > "$build/fuzz_$name.seeded.log" 2>&1; then
            tap OK "fuzz_$name, seed 1, runs ${seconds}s without a crash"
        else
            tap FAIL "fuzz_$name, seed 1, crashed (input in fuzz/crashes/$name/)"
            grep -E 'runtime error|ERROR: |SUMMARY|^ +#[0-5] ' "$build/fuzz_$name.seeded.log" | head -14
        fi
    done
    ;;
*)
    echo "usage: fuzz.sh run SECONDS | seeded SECONDS | merge | minimize | test SECONDS" >&2
    exit 2
    ;;
esac
exit $status
