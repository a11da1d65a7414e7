#!/usr/bin/env bash
# Builds and runs one libFuzzer target of Fuzz/ for SECONDS seconds.
#
# Usage: scripts/fuzz.sh TARGET SECONDS [LIBFUZZER_OPTIONS...]
#        scripts/fuzz.sh --list
#        scripts/fuzz.sh TARGET --build-only
#
# Targets (one entry file each in Fuzz/, properties in its header comment):
#   csv-tokenizer      CSVTokenizer: same records whole, byte by byte, in random chunks (next and nextRecord)
#   csv-sniffer        encoding detection, DecodingByteSource, CSVDialectSniffer, CSVRecordReader with small limits
#   json-tokenizer     JSONTokenizer under every chunking; JSONRecordReader in each mode
#   gzip               GzipByteSource over memory: chunking, round trip, truncation, trailing junk
#   validator-nir validator-rpps validator-adeli validator-finess validator-siren validator-siret
#   validator-iban validator-email validator-phone validator-date validator-postal-code
#                      no crash; stable; the normalised form re-validates
#
# How it builds (no SwiftPM, so the sanitizer flags touch nothing else): each module a target
# needs is compiled from its sources with `swiftc -sanitize=fuzzer,address -O -wmo` into an
# object file and a .swiftmodule under .build-fuzz/ (ImpactIngest with Sources/CZlib on the
# include path; ImpactJSON against it; for the validators only Sources/ImpactDetect/Validators,
# which need no resources), then the entry file and Fuzz/Support/ are linked with
# `-sanitize=fuzzer,address` (libFuzzer provides main) and -lz. FUZZ_OPT=-Onone builds
# without optimisation (slower, keeps debug assertions).
#
# Corpus: the seeds (fixtures/, ../shared/cases/, ../shared/conformance/, filtered per target;
# for validators, the cells of those CSV files one per file) are copied at each run into a
# temporary directory that is removed afterwards; nothing from ../shared is committed. What
# libFuzzer learns is kept in .build-fuzz/corpus/TARGET (git-ignored) for the next run.
# Crashes, timeouts and out-of-memory inputs go to .build-fuzz/artifacts/TARGET/; reproduce one
# with `.build-fuzz/bin/fuzz-TARGET ARTIFACT`. The last line printed is a summary:
#   fuzz TARGET: N executions in S s (R/s), corpus C, findings F
# Exit status: 0 no finding, 1 a finding (crash, sanitizer report, timeout, OOM), 64 usage.
set -u -o pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
shared="$root/../shared"
build="$root/.build-fuzz"
opt="${FUZZ_OPT:--O}"

targets=(csv-tokenizer csv-sniffer json-tokenizer gzip
         validator-nir validator-rpps validator-adeli validator-finess validator-siren validator-siret
         validator-iban validator-email validator-phone validator-date validator-postal-code)

usage() { echo "usage: scripts/fuzz.sh TARGET SECONDS [LIBFUZZER_OPTIONS...] | --list | TARGET --build-only" >&2; exit 64; }

[[ $# -ge 1 ]] || usage
if [[ "$1" == "--list" ]]; then printf '%s\n' "${targets[@]}"; exit 0; fi
target="$1"; shift
[[ " ${targets[*]} " == *" $target "* ]] || { echo "fuzz.sh: unknown target '$target' (--list)" >&2; exit 64; }
[[ $# -ge 1 ]] || usage
build_only=0
seconds=0
if [[ "$1" == "--build-only" ]]; then build_only=1; else
    seconds="$1"
    [[ "$seconds" =~ ^[0-9]+$ ]] || usage
fi
shift

swiftc=(swiftc -sanitize=fuzzer,address "$opt" -g -parse-as-library -swift-version 6)
mkdir -p "$build/modules" "$build/bin"
# Two runs started together (one per core) must not compile the same module at once.
exec 9>"$build/.build-lock"
command -v flock >/dev/null && flock 9

# compile_module NAME SOURCES...: one object file and one .swiftmodule, rebuilt when a source is newer.
compile_module() {
    local name="$1"; shift
    local object="$build/modules/$name.o"
    if [[ -f "$object" ]]; then
        local stale=0 f
        for f in "$@"; do [[ "$f" -nt "$object" ]] && stale=1; done
        [[ $stale -eq 0 ]] && return 0
    fi
    echo "fuzz.sh: compiling $name ($# files)" >&2
    "${swiftc[@]}" -wmo -enable-testing -module-name "$name" -emit-module \
        -emit-module-path "$build/modules/$name.swiftmodule" \
        -I "$root/Sources/CZlib" -I "$build/modules" -c -o "$object" "$@" \
        || { echo "fuzz.sh: cannot compile $name" >&2; exit 1; }
}

ingest_sources=()
while IFS= read -r f; do ingest_sources+=("$f"); done < <(find "$root/Sources/ImpactIngest" -name '*.swift' | sort)
json_sources=()
while IFS= read -r f; do json_sources+=("$f"); done < <(find "$root/Sources/ImpactJSON" -name '*.swift' | sort)
validator_sources=()
while IFS= read -r f; do validator_sources+=("$f"); done < <(find "$root/Sources/ImpactDetect/Validators" -name '*.swift' | sort)

support=("$root/Fuzz/Support/FuzzCore.swift")
objects=()
case "$target" in
    csv-tokenizer|csv-sniffer|gzip)
        compile_module ImpactIngest "${ingest_sources[@]}"
        objects=("$build/modules/ImpactIngest.o")
        support+=("$root/Fuzz/Support/MemorySource.swift") ;;
    json-tokenizer)
        compile_module ImpactIngest "${ingest_sources[@]}"
        [[ "$build/modules/ImpactIngest.o" -nt "$build/modules/ImpactJSON.o" ]] && rm -f "$build/modules/ImpactJSON.o"
        compile_module ImpactJSON "${json_sources[@]}"
        objects=("$build/modules/ImpactIngest.o" "$build/modules/ImpactJSON.o")
        support+=("$root/Fuzz/Support/MemorySource.swift") ;;
    validator-*)
        compile_module ImpactDetect "${validator_sources[@]}"
        objects=("$build/modules/ImpactDetect.o")
        support+=("$root/Fuzz/Support/ValidatorProperty.swift") ;;
esac

binary="$build/bin/fuzz-$target"
entry="$root/Fuzz/$target.swift"
relink=0
[[ -f "$binary" ]] || relink=1
for f in "$entry" "${support[@]}" "${objects[@]}"; do [[ "$f" -nt "$binary" ]] && relink=1; done
if [[ $relink -eq 1 ]]; then
    echo "fuzz.sh: linking fuzz-$target" >&2
    "${swiftc[@]}" -module-name "Fuzz_${target//-/_}" -I "$root/Sources/CZlib" -I "$build/modules" \
        "$entry" "${support[@]}" "${objects[@]}" -lz -o "$binary" 2> >(grep -v "Cannot export local symbol '__asan" >&2) \
        || { echo "fuzz.sh: cannot link fuzz-$target" >&2; exit 1; }
fi
command -v flock >/dev/null && flock -u 9
[[ $build_only -eq 1 ]] && { echo "$binary"; exit 0; }

# Seeds, copied into a temporary directory for this run only.
seeds="$(mktemp -d "${TMPDIR:-/tmp}/impact-fuzz-seeds.XXXXXX")"
trap 'rm -rf "$seeds"' EXIT
copy_seeds() { # copy_seeds PATTERN... : files of fixtures/, shared cases and conformance suites
    local n=0 f
    while IFS= read -r -d '' f; do
        cp "$f" "$seeds/seed-$n" && n=$((n + 1))
    done < <(find "$root/fixtures" "$shared/cases" "$shared/conformance" -type f \( "$@" \) -size -2M -print0 2>/dev/null)
}
case "$target" in
    csv-tokenizer|csv-sniffer) copy_seeds -name '*.csv' -o -name '*.txt' -o -name '*.tsv' ;;
    json-tokenizer) copy_seeds -name '*.json' -o -name '*.jsonl' ;;
    gzip) copy_seeds -name '*.gz' ;;
    validator-*)
        # Every cell of the CSV seeds, one per file (values of every kind, near misses included).
        find "$root/fixtures" "$shared/cases" -type f -name '*.csv' -size -2M -print0 2>/dev/null \
            | python3 -c '
import sys, os, re
out = sys.argv[1]
cells = set()
for path in sys.stdin.buffer.read().split(b"\0"):
    if not path: continue
    with open(path, "rb") as f: data = f.read(1 << 20)
    for line in data.splitlines()[:400]:
        for cell in re.split(rb"[;,\t|]", line):
            cell = cell.strip(b"\"")
            if 0 < len(cell) <= 80: cells.add(cell)
for i, cell in enumerate(sorted(cells)[:20000]):
    with open(os.path.join(out, "cell-%d" % i), "wb") as f: f.write(cell)
' "$seeds" ;;
esac

case "$target" in
    validator-*) max_len=128 ;;
    gzip) max_len=16384 ;;
    *) max_len=8192 ;;
esac
corpus="$build/corpus/$target"
artifacts="$build/artifacts/$target"
mkdir -p "$corpus" "$artifacts"
log="$build/logs/$target-$(date +%Y%m%dT%H%M%S).log"
mkdir -p "$build/logs"
echo "fuzz.sh: running fuzz-$target for $seconds s ($(ls "$seeds" | wc -l) seeds, corpus $corpus, log $log)" >&2

start=$(date +%s)
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}" \
"$binary" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$max_len" -artifact_prefix="$artifacts/" -print_final_stats=1 "$@" >"$log" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
corpus_size=$(ls "$corpus" | wc -l)
findings=$(grep -cE '^==[0-9]+==ERROR|^fuzz property failed|ALARM: working on the last Unit|out-of-memory|deadly signal' "$log")
tail -n 30 "$log" | grep -E 'ERROR|property failed|Test unit written|SUMMARY|timeout|out-of-memory' >&2
echo "fuzz $target: ${execs:-0} executions in ${elapsed} s ($(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) ))/s), corpus $corpus_size, findings $findings"
[[ $status -eq 0 && $findings -eq 0 ]] && exit 0
exit 1
