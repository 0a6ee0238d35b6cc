#!/usr/bin/env bash
# Builds Quill's fuzzers (libFuzzer with AddressSanitizer) and runs each target for a bounded time.
#
#   FuzzTesting/run.sh [SECONDS] [TARGET...]
#
# SECONDS is the time per target (default 60); the targets default to all of them (see
# `Fuzzing.targets` in Sources/_QuillFuzzTargets/Fuzzing.swift). Each target starts from its seed
# corpus in FuzzTesting/Corpus/<target> and keeps what it finds in .build/fuzz-corpus/<target>
# (override with QUILL_FUZZ_CORPUS), so that later runs go on from there. The input that made a
# target crash, hang or run out of memory is saved in FuzzTesting/Artifacts/<target>/ and
# printed, and the script fails. Reproduce one with
#   QUILL_FUZZ_TARGET=<target> FuzzTesting/.build/<release or debug>/QuillFuzz <artifact>
# The fuzzers are built in release mode, which runs about five times as many inputs a second;
# QUILL_FUZZ_CONFIGURATION=debug builds them in a third of the time, as CI does for its short run.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2; }
shift || true
# One seed folder per target, named as in Fuzzing.targets (the tests check that they match).
all=()
for folder in Corpus/*/; do all+=("$(basename "$folder")"); done
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

configuration=${QUILL_FUZZ_CONFIGURATION:-release}
[[ "$configuration" == release || "$configuration" == debug ]] || { echo "QUILL_FUZZ_CONFIGURATION is release or debug" >&2; exit 2; }
flags=(-c "$configuration" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
echo "Building the fuzzers ($configuration)"
swift build "${flags[@]}"
binary="$(swift build "${flags[@]}" --show-bin-path)/QuillFuzz"

corpus_root=${QUILL_FUZZ_CORPUS:-.build/fuzz-corpus}
failed=()
for target in "${targets[@]}"; do
    [ -d "Corpus/$target" ] || { echo "There is no target '$target'; the targets are: ${all[*]}" >&2; exit 2; }
    work="$corpus_root/$target"
    artifacts="Artifacts/$target"
    log="$corpus_root/$target.log"
    mkdir -p "$work" "$artifacts"
    echo "Fuzzing $target for ${seconds}s"
    # The first folder receives new inputs; the seed corpus is only read.
    if QUILL_FUZZ_TARGET="$target" SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" "$binary" "$work" "Corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^Done' "$log" | sed 's/^/  /' || true
    else
        failed+=("$target")
        echo "  $target FAILED; the end of its log ($log):"
        tail -n 60 "$log" | sed 's/^/  | /'
    fi
done

shopt -s nullglob
found=(Artifacts/*/*)
if [ ${#found[@]} -gt 0 ]; then
    echo "Inputs that crashed, hung or ran out of memory (turn each into a regression test in Tests/QuillKitTests/Fuzzing):"
    for artifact in "${found[@]}"; do
        echo "  $artifact ($(wc -c <"$artifact") bytes), base64:"
        head -c 4096 "$artifact" | base64 | sed 's/^/    /'
    done
fi
if [ ${#failed[@]} -gt 0 ]; then
    echo "Fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
echo "Fuzzing found no problems in: ${targets[*]}"
