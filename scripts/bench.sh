#!/usr/bin/env bash
# Benchmark: impact against the peers a responder would reach for, on a generated leak.
#
# Generates (seeded, with `impact synth`) a French lab leak of N records (default 2,000,000;
# ~30 labs; patients over several exams; free-text comments) in UTF-8 `;` CSV, plus its gzip
# and JSON Lines twins, then times in ONE run, alternating, RUNS times each (default 3):
#   impact --format json (CSV; CSV with --threads 1; gzip; JSON Lines)
#   | DuckDB count(DISTINCT nir) GROUP BY lab | polars read_csv + group_by(lab).n_unique(nir)
#   | gzip -dc | cat
# (DuckDB and polars read every column as text; they are installed with pip into a virtual
# environment this script creates.) Reports the median wall time, MB/s, peak RSS
# (/usr/bin/time -v) and the ratios impact/DuckDB and impact-gzip/gzip -dc, and checks
# impact's per-controller counts on all three twins against the generator's ground truth
# (`impact eval --max-relative-error 0`). The load average before and after is recorded: on a
# shared machine other work inflates every wall time (the alternation spreads it evenly). With
# Linux autogroups, other sessions' work gets an equal share of the cores whatever the number of
# threads a program runs; to measure on a busy machine, run the script in its own session with
# a higher group weight (root): setsid bash -c 'echo -19 > /proc/self/autogroup; scripts/bench.sh'
# (the group is recorded in the results).
# Results go to scripts/bench-results/DATE-TIME-HOST.md (machine, command, versions).
#
# Usage: scripts/bench.sh [RECORDS] [RUNS]
# Environment: WORK (default /tmp/impact-bench) keeps the generated files between runs;
#              IMPACT (default: release build of this checkout); SKIP_PEERS=1 skips DuckDB/polars;
#              BASELINE=path/to/an/older/impact adds its CSV run (impact-csv-baseline) for comparison.
set -euo pipefail
records="${1:-2000000}"
runs="${2:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${WORK:-/tmp/impact-bench}"
mkdir -p "$work"
if [[ -z "${IMPACT:-}" ]]; then
    (cd "$root" && swift build -c release >&2)
    IMPACT="$(cd "$root" && swift build -c release --show-bin-path)/impact"
fi

# 1. Data (seeded; regenerated only when missing).
gen() { # dir shape extra...
    local dir="$work/$1"; shift
    if [[ ! -f "$dir/truth.json" ]]; then
        "$IMPACT" synth --out "$dir" --seed 2026 --records "$records" --controllers 30 "$@" >&2
    fi
}
gen csv --shape french-lab --encoding utf-8 --line-ending lf
gen gz --shape french-lab --encoding utf-8 --line-ending lf --gzip
gen jsonl --shape jsonl-nested
csv=$(ls "$work"/csv/leak.*); gz=$(ls "$work"/gz/leak.*); jsonl=$(ls "$work"/jsonl/leak.*)

# 2. Peers in a virtual environment.
if [[ "${SKIP_PEERS:-0}" != "1" ]]; then
    if [[ ! -x "$work/venv/bin/python" ]]; then
        python3 -m venv "$work/venv"
        "$work/venv/bin/pip" install -q duckdb polars
    fi
    py="$work/venv/bin/python"
fi
# (Not named duckdb.py / polars.py: a script beside the module would shadow it.)
cat > "$work/bench_duckdb.py" <<PY
import duckdb, sys
print(duckdb.sql("SELECT laboratoire, count(DISTINCT nir) FROM read_csv('$csv', delim=';', header=true, all_varchar=true) GROUP BY 1").fetchall()[:1])
PY
cat > "$work/bench_polars.py" <<PY
import polars as pl
df = pl.read_csv('$csv', separator=';', infer_schema=False)
print(df.group_by('laboratoire').agg(pl.col('nir').n_unique()).head(1))
PY

# 3. Timed runs, alternating.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A times rss
measure() { # name command...
    local name="$1"; shift
    /usr/bin/time -v -o "$work/time.txt" "$@" > /dev/null 2> "$work/err.txt" || { echo "bench: $name failed" >&2; cat "$work/err.txt" >&2; exit 1; }
    local wall kb
    wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    kb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    times[$name]+="$wall "
    rss[$name]=$(( ${rss[$name]:-0} > kb ? ${rss[$name]:-0} : kb ))
}
for ((i = 0; i < runs; i++)); do
    measure impact-csv "$IMPACT" "$csv" --format json
    measure impact-csv-1-thread "$IMPACT" "$csv" --format json --threads 1
    [[ -z "${BASELINE:-}" ]] || measure impact-csv-baseline "$BASELINE" "$csv" --format json
    [[ "${SKIP_PEERS:-0}" == "1" ]] || measure duckdb "$py" "$work/bench_duckdb.py"
    [[ "${SKIP_PEERS:-0}" == "1" ]] || measure polars "$py" "$work/bench_polars.py"
    measure impact-gzip "$IMPACT" "$gz" --format json
    measure gzip-dc gzip -dc "$gz"
    measure impact-jsonl "$IMPACT" "$jsonl" --format json
    measure cat cat "$csv"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# 4. Correctness: impact's counts against the ground truth.
# The single-threaded report must be byte-identical to the default (two-thread) one.
"$IMPACT" "$csv" --format json --out "$work/report-csv.json"
"$IMPACT" "$csv" --format json --threads 1 --out "$work/report-csv-1.json"
"$IMPACT" "$gz" --format json --out "$work/report-gz.json"
"$IMPACT" "$jsonl" --format json --out "$work/report-jsonl.json"
check_csv=$("$IMPACT" eval "$work/csv/truth.json" "$work/report-csv.json" --max-relative-error 0 --format line || true)
check_gz=$("$IMPACT" eval "$work/gz/truth.json" "$work/report-gz.json" --max-relative-error 0 --format line || true)
check_jsonl=$("$IMPACT" eval "$work/jsonl/truth.json" "$work/report-jsonl.json" --max-relative-error 0 --format line || true)
if cmp -s "$work/report-csv.json" "$work/report-csv-1.json"; then same_threads="identical"; else same_threads="DIFFERENT"; fi
subjects=$(python3 -c "import json; print(json.load(open('$work/csv/truth.json'))['totals']['subjects'])")

size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }
mkdir -p "$root/scripts/bench-results"
out="$root/scripts/bench-results/$(date -u +%Y-%m-%dT%H%M)-$(hostname -s).md"
{
    echo "# impact benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- command: scripts/bench.sh $records $runs (median of $runs alternating runs)$([[ -z "${BASELINE:-}" ]] || echo "; baseline: $("$BASELINE" --version 2>/dev/null || echo impact) at $BASELINE")"
    echo "- versions: $("$IMPACT" --version 2>/dev/null || echo impact), $(swift --version 2>/dev/null | head -1)$( [[ "${SKIP_PEERS:-0}" == "1" ]] || echo ", duckdb $("$py" -c 'import duckdb; print(duckdb.__version__)'), polars $("$py" -c 'import polars; print(polars.__version__)')")"
    echo "- data: $records records, $subjects distinct subjects (truth), CSV $(mb "$(size "$csv")") MB, gzip $(mb "$(size "$gz")") MB, JSON Lines $(mb "$(size "$jsonl")") MB"
    echo "- counts against the truth: CSV: $check_csv; gzip: $check_gz; JSON Lines: $check_jsonl"
    echo "- report with --threads 1 vs default: $same_threads"
    echo "- load average (1, 5, 15 min) before: $load_before; after: $load_after ($(nproc) cores)"
    [[ -r /proc/self/autogroup ]] && echo "- scheduling group of the runs (Linux autogroup; all programs timed alike): $(cat /proc/self/autogroup)"
    echo
    echo "| what | median wall (s) | throughput (MB/s) | peak RSS (MB) |"
    echo "| --- | --- | --- | --- |"
    for name in cat impact-csv impact-csv-1-thread impact-csv-baseline duckdb polars gzip-dc impact-gzip impact-jsonl; do
        [[ -n "${times[$name]:-}" ]] || continue
        m=$(echo "${times[$name]}" | median)
        case $name in impact-jsonl) bytes=$(size "$jsonl");; gzip-dc|impact-gzip) bytes=$(size "$csv");; *) bytes=$(size "$csv");; esac
        echo "| $name | $m | $(awk -v b="$bytes" -v t="$m" 'BEGIN { printf "%.0f", (t > 0 ? b / 1e6 / t : 0) }') | $(( ${rss[$name]} / 1024 )) |"
    done
    echo
    ic=$(echo "${times[impact-csv]}" | median)
    if [[ -n "${times[duckdb]:-}" ]]; then
        echo "- ratio impact/DuckDB (CSV): $(awk -v a="$ic" -v b="$(echo "${times[duckdb]}" | median)" 'BEGIN { printf "%.2f", a / b }')"
    fi
    echo "- ratio impact-gzip / gzip -dc: $(awk -v a="$(echo "${times[impact-gzip]}" | median)" -v b="$(echo "${times[gzip-dc]}" | median)" 'BEGIN { printf "%.2f", a / b }')"
    echo "- peak RSS budget (64 MB + 100 B × subjects): $(( 64 + subjects * 100 / 1000000 )) MB; impact-csv: $(( ${rss[impact-csv]} / 1024 )) MB"
    echo "- JSON Lines throughput target 150 MB/s: $(awk -v b="$(size "$jsonl")" -v t="$(echo "${times[impact-jsonl]}" | median)" 'BEGIN { printf "%.0f", b / 1e6 / t }') MB/s"
} | tee "$out"
