#!/usr/bin/env bash
# Runs `impact` on full-size hostile inputs and prints, per input: exit code, wall time, peak
# memory (RSS) and the one line written to standard error. The test suite runs the same shapes
# scaled down (Tests/ImpactCoreTests/HostileInputTests.swift); this is the full-size check of
# issue 7: a 64 MiB single line (case 024, CSV and JSON Lines), 100,000-deep JSON nesting, a
# file of NUL bytes, a 100,000-column header, random bytes, an empty file.
#
# Usage: scripts/hostile-inputs.sh [LINE_MIB]
#   LINE_MIB   size of the single huge line (default 64; 256 shows memory does not grow with it)
# Environment:
#   IMPACT   the impact binary (default: built with `swift build -c release`)
#   KEEP=1   keep the generated inputs
# Inputs are generated in a temporary directory (case 024's make_input.py is run there), never
# in the repository. Exit status: 0 when every input ended with its expected exit code.
set -u -o pipefail

mib="${1:-64}"
[[ "$mib" =~ ^[0-9]+$ ]] || { echo "usage: scripts/hostile-inputs.sh [LINE_MIB]" >&2; exit 64; }
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="$root/../shared"
if [[ -z "${IMPACT:-}" ]]; then
    (cd "$root" && swift build -c release >&2) || { echo "hostile-inputs.sh: build failed" >&2; exit 1; }
    IMPACT="$(cd "$root" && swift build -c release --show-bin-path)/impact"
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/impact-hostile.XXXXXX")"
if [[ "${KEEP:-0}" != "1" ]]; then trap 'rm -rf "$work"' EXIT; else echo "hostile-inputs.sh: keeping $work" >&2; fi

(cd "$work" && python3 "$shared/cases/024-huge-single-line/make_input.py" "$mib") || exit 1
python3 - "$work" "$mib" <<'EOF'
import os, sys
w, mib = sys.argv[1], int(sys.argv[2])
def put(name, data, mode="w"):
    with open(os.path.join(w, name), mode) as f: f.write(data)
put("deep-array.json", "[" * 100_000 + "]" * 100_000)
put("deep-object.json", '{"a":' * 100_000 + "1" + "}" * 100_000)
put("deep-line.jsonl", '{"a":' * 100_000 + "1" + "}" * 100_000 + '\n{"nom": "Aubry", "email": "aubry@exemple.fr"}\n')
with open(os.path.join(w, "huge-value.json"), "w") as f:
    f.write('[{"nom": "Aubry", "email": "aubry@exemple.fr"}, {"nom": "Blot", "notes": "')
    for _ in range(mib): f.write("y" * (1 << 20))
    f.write('"}]\n')
put("nul.csv", b"\0" * (16 << 20), "wb")
put("header-100k.csv", ",".join("c%d" % i for i in range(100_000)) + "\n" + ",".join(str(i) for i in range(100_000)) + "\n")
put("random.bin", os.urandom(16 << 20), "wb")
put("empty.csv", "")
EOF

# name|expected exit
runs=(
    "input.csv|0" "input.jsonl|0" "huge-value.json|65"
    "deep-array.json|65" "deep-object.json|65" "deep-line.jsonl|0"
    "nul.csv|65" "header-100k.csv|65" "random.bin|65" "empty.csv|0"
)
have_time=0
[[ -x /usr/bin/time ]] && have_time=1
failed=0
printf '%-18s %9s %5s %8s %9s  %s\n' input size exit seconds "peak MiB" "standard error"
for run in "${runs[@]}"; do
    name="${run%%|*}"; expected="${run##*|}"
    file="$work/$name"
    size=$(( $(stat -c %s "$file") / 1048576 ))
    start=$EPOCHREALTIME
    if [[ $have_time -eq 1 ]]; then
        /usr/bin/time -f "%M" -o "$work/rss" "$IMPACT" "$file" --format json >"$work/out.json" 2>"$work/err"
        status=$?
        rss=$(( $(tail -1 "$work/rss") / 1024 ))
    else
        "$IMPACT" "$file" --format json >"$work/out.json" 2>"$work/err"; status=$?; rss="?"
    fi
    seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
    line="$(head -1 "$work/err" | sed "s|$work/||")"
    [[ -z "$line" ]] && line="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("records %d, analysed %d, rejected %d %s, complete %s" % (r["records"], r["analysed_records"], r["rejected_records"], [(x["line"], x["reason"]) for x in r["rejections"]], r["complete"]))' "$work/out.json" 2>/dev/null)"
    mark=""
    [[ "$status" != "$expected" ]] && { mark=" (expected $expected)"; failed=1; }
    printf '%-18s %6s MiB %5s %8.2f %9s  %s\n' "$name" "$size" "$status$mark" "$seconds" "$rss" "$line"
done
exit $failed
