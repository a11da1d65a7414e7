#!/usr/bin/env bash
# Accuracy evaluation over a matrix of synthetic leak shapes.
#
# For each row of the matrix: `impact synth` writes a leak and its truth, `impact <leak>
# --format json` analyses it, `impact eval` compares the report with the truth. Prints one
# summary table; exits 1 when any row misses a threshold or fails to run, 0 otherwise.
#
# Usage: scripts/eval.sh [RECORDS_PER_SHAPE] [-- EVAL_OPTIONS...]
#   RECORDS_PER_SHAPE   default 3000 (CI); the issue's acceptance run uses 20000.
#   EVAL_OPTIONS        passed to `impact eval` (default thresholds: --min-f1 0.98
#                       --max-count-error 0 --max-relative-error 0.005); for exact counts
#                       everywhere: -- --max-relative-error 0
# Environment:
#   IMPACT   the impact binary (default: built with `swift build -c release`)
#   SEED     base seed (default 1; row i uses SEED + i)
#   KEEP=1   keep the working directory (leaks, truths, reports, evaluations)
set -u -o pipefail

records=3000
if [[ $# -gt 0 && "$1" != "--" ]]; then records="$1"; shift; fi
if [[ $# -gt 0 && "$1" == "--" ]]; then shift; fi
eval_options=("$@")
if ! [[ "$records" =~ ^[0-9]+$ ]] || [[ "$records" -lt 1 ]]; then
    echo "usage: scripts/eval.sh [RECORDS_PER_SHAPE] [-- EVAL_OPTIONS...]" >&2
    exit 64
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${IMPACT:-}" ]]; then
    (cd "$root" && swift build -c release >&2) || { echo "eval.sh: build failed" >&2; exit 1; }
    IMPACT="$(cd "$root" && swift build -c release --show-bin-path)/impact"
fi
seed="${SEED:-1}"
work="$(mktemp -d "${TMPDIR:-/tmp}/impact-eval.XXXXXX")"
if [[ "${KEEP:-0}" != "1" ]]; then trap 'rm -rf "$work"' EXIT; else echo "eval.sh: keeping $work" >&2; fi

# shape|extra synth options
matrix=(
    "french-lab|"
    "french-lab|--gzip"
    "french-lab|--encoding utf-8 --delimiter , --line-ending lf --bom"
    "english|"
    "english|--delimiter tab --line-ending crlf"
    "obfuscated|"
    "no-header|"
    "jsonl-nested|"
    "jsonl-nested|--gzip"
    "json-array|"
    "decoy|"
)

failed=0
rows=()
details=()
i=0
for entry in "${matrix[@]}"; do
    i=$((i + 1))
    shape="${entry%%|*}"
    options="${entry#*|}"
    dir="$work/$i-$shape"
    label="$shape${options:+ $options}"
    # shellcheck disable=SC2086
    if ! "$IMPACT" synth --out "$dir" --shape "$shape" --records "$records" --seed $((seed + i)) $options > "$dir.synth.txt" 2>&1; then
        rows+=("$label|SYNTH FAILED (see $dir.synth.txt)")
        failed=1
        continue
    fi
    leak="$(ls "$dir"/leak.* 2>/dev/null | head -n 1)"
    "$IMPACT" "$leak" --format json > "$dir/report.json" 2> "$dir/analysis.err"
    status=$?
    if [[ ! -s "$dir/report.json" ]]; then
        rows+=("$label|ANALYSIS FAILED (exit $status, no report)")
        failed=1
        continue
    fi
    "$IMPACT" eval "$dir/truth.json" "$dir/report.json" ${eval_options[@]+"${eval_options[@]}"} > "$dir/eval.txt" 2>&1
    eval_status=$?
    line="$("$IMPACT" eval "$dir/truth.json" "$dir/report.json" ${eval_options[@]+"${eval_options[@]}"} --format line 2>&1)"
    if [[ $eval_status -ne 0 ]]; then
        failed=1
        details+=("== $label" "$(cat "$dir/eval.txt")")
    fi
    [[ $status -ne 0 ]] && line="$line (analysis exit $status)"
    rows+=("$label|$line")
done

printf '\nimpact accuracy evaluation: %s records per shape, seeds %s..%s\n\n' "$records" $((seed + 1)) $((seed + ${#matrix[@]}))
width=0
for r in "${rows[@]}"; do l="${r%%|*}"; (( ${#l} > width )) && width=${#l}; done
for r in "${rows[@]}"; do printf '  %-*s  %s\n' "$width" "${r%%|*}" "${r#*|}"; done
if [[ ${#details[@]} -gt 0 ]]; then
    printf '\nDetails of the rows that missed a threshold:\n'
    printf '%s\n' "${details[@]}"
fi
if [[ $failed -ne 0 ]]; then
    printf '\nFAIL\n'
    exit 1
fi
printf '\nPASS\n'
