#!/usr/bin/env bash
# A wheel, installed without -e into a fresh venv, runs extract, eval and the replayed LLM path
# from a folder outside the repository (prompts and the cell table are package data).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/nianbao-wheel.XXXXXX)"
trap 'rm -rf "$work"' EXIT

"$repo/.venv/bin/python" -m build --wheel --outdir "$work/dist" "$repo" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
python3 -m venv "$work/venv"
wheel="$(ls "$work"/dist/nianbao-*.whl)"
"$work/venv/bin/pip" install --quiet "$wheel[llm,plots]"  # as a user would: the newest that the floors allow
nianbao="$work/venv/bin/nianbao"
cd "$work"
if "$work/venv/bin/python" -c "import extractor, sys; sys.exit('$repo' in extractor.__file__)"; then :; else
  echo "wheel check: extractor imported from the repository, not the wheel"; exit 1; fi

"$nianbao" extract "$repo/goldens/docs" -o results.jsonl
test "$(wc -l < results.jsonl)" -eq 5
"$nianbao" eval --docs "$repo/goldens/docs" --goldens "$repo/goldens" --out-dir runs \
  --thresholds "$repo/eval/thresholds.toml"

mkdir docs goldens   # the seeds whose LLM replies are recorded
for seed in 001_c9c993418e881905 003_c676913514f69321 004_fb0219a4b427aef6; do
  cp "$repo/goldens/docs/$seed.txt" docs/ && cp "$repo/goldens/$seed.json" goldens/
done
"$nianbao" eval --docs docs --goldens goldens --out-dir runs --configs-file "$repo/eval/configs.toml" \
  --config llm-qwen-0_5b --replay "$repo/tests/recordings"
grep -q '"method": "llm"' runs/*llm-qwen-0_5b*/records.jsonl
echo "wheel check: extract, eval and the replayed LLM path ran from $work"
