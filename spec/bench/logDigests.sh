#!/usr/bin/env bash
# Digests of what the CLI writes for a fixed set of scenarios and seeds: run it in two trees and
# diff the output to show a refactor left every log byte-identical (issue #14, "Keep").
# usage: spec/bench/logDigests.sh [tree] (default: the current directory)
set -euo pipefail
cd "${1:-.}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cli() { npx tsx lib/cli/main.ts "$@"; }
n=0
for s in examples/0*.ts examples/basic.ts examples/two-devices.json; do
  for seed in 1 7; do
    n=$((n + 1))
    cli run "$s" --seed "$seed" --until 200ms --quiet --out "$tmp/r$n" --format text,json >/dev/null 2>&1 || true
    for f in log.jsonl summary.json report.json; do
      [ -f "$tmp/r$n/$f" ] && echo "run $s seed $seed $f $(sha256sum < "$tmp/r$n/$f" | cut -c1-16)"
    done
  done
done
cli run examples/basic.ts --check-invariants --until 100ms --quiet --out "$tmp/inv" >/dev/null 2>&1 || true
echo "run --check-invariants basic $(sha256sum < "$tmp/inv/log.jsonl" | cut -c1-16)"
for r in race1 race3 race4; do
  out=$(cli explore "$r" --max-runs 300 --quiet --out "$tmp/x$r" 2>&1 || true)
  echo "explore $r $(cat "$tmp/x$r"/*.json 2>/dev/null | sha256sum | cut -c1-16) $(echo "$out" | sha256sum | cut -c1-16)"
  cli explore "$r" --max-runs 300 --out "$tmp/y$r" 2>/dev/null | sed "s|$tmp|TMP|g" | grep -v -i 'runs/s\|elapsed\| in [0-9.]*m\?s' | sha256sum | sed "s/^/explore-text $r /" | cut -c1-40
done
for d in boot-and-hugetlb-1 smoke-3g-misaligned; do
  t=spec/fixtures/kernel-traces/$d
  cli replay-trace "$t.trace.txt" --dmesg "$t.dmesg.txt" --allow-unfinished --follow-busy 2>&1 | sha256sum | sed "s/^/replay-trace $d /" | cut -c1-50
  cli import "$t.trace.txt" --out "$tmp/i$d.json" >/dev/null 2>&1 || true
  [ -f "$tmp/i$d.json" ] && cli run "$tmp/i$d.json" --quiet --out "$tmp/ir$d" >/dev/null 2>&1 || true
  [ -f "$tmp/ir$d/log.jsonl" ] && echo "import+run $d $(sha256sum < "$tmp/ir$d/log.jsonl" | cut -c1-16)"
done
cli debug examples/basic.ts --eval 'goto 50ms; print workload; why; step 3; pending' 2>&1 | sha256sum | sed 's/^/debug /' | cut -c1-24
