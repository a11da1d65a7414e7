#!/usr/bin/env bash
# Regenerates fixtures/: small synthetic leaks (never real data) made by `impact synth` with
# fixed seeds, their ground truths, and the golden analysis reports the tests compare with.
#   fixtures/lab-leak-fr.csv(.gz)   French lab export: Windows-1252, ';', CRLF (the README's run)
#   fixtures/lab-leak-fr.json       the same patients as a JSON array (same seed)
#   fixtures/lab-leak-fr.jsonl      the same rows as nested JSON Lines (scripts/csv-to-jsonl.py)
#   fixtures/lab-leak-en.csv        English headers, UTF-8, ','
#   fixtures/lab-leak-obfuscated.csv  headers c1…cN in shuffled order
#   fixtures/decoy.csv              no personal data that looks like it (truth: 0 subjects)
# Then re-records the golden reports: IMPACT_RECORD_GOLDEN=1 swift test --filter FixtureGoldenTests
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build >&2
impact="$(swift build --show-bin-path)/impact"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
synth() { # name seed shape extra...
    local name="$1" seed="$2" shape="$3"; shift 3
    "$impact" synth --out "$tmp/$name" --seed "$seed" --records 1500 --controllers 6 --shape "$shape" "$@" >&2
    for f in "$tmp/$name"/leak.*; do cp "$f" "fixtures/$name.${f##*/leak.}"; done
    cp "$tmp/$name/truth.json" "fixtures/$name.truth.json"
}
synth lab-leak-fr 2026 french-lab --encoding windows-1252 --line-ending crlf
synth lab-leak-fr-gz 2026 french-lab --encoding windows-1252 --line-ending crlf --gzip
mv fixtures/lab-leak-fr-gz.csv.gz fixtures/lab-leak-fr.csv.gz
mv fixtures/lab-leak-fr-gz.truth.json fixtures/lab-leak-fr.csv.gz.truth.json
mv fixtures/lab-leak-fr.truth.json fixtures/lab-leak-fr.csv.truth.json
synth lab-leak-fr-array 2026 json-array
mv fixtures/lab-leak-fr-array.json fixtures/lab-leak-fr.json
mv fixtures/lab-leak-fr-array.truth.json fixtures/lab-leak-fr.json.truth.json
python3 scripts/csv-to-jsonl.py fixtures/lab-leak-fr.csv cp1252 ';' fixtures/lab-leak-fr.jsonl
synth lab-leak-en 7 english
mv fixtures/lab-leak-en.truth.json fixtures/lab-leak-en.csv.truth.json
synth lab-leak-obfuscated 8 obfuscated
mv fixtures/lab-leak-obfuscated.truth.json fixtures/lab-leak-obfuscated.csv.truth.json
synth decoy 9 decoy
mv fixtures/decoy.truth.json fixtures/decoy.csv.truth.json
chmod 644 fixtures/*
IMPACT_RECORD_GOLDEN=1 swift test --filter FixtureGoldenTests >&2 || true
ls -la fixtures
